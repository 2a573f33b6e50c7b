"""Cold start: from launching a public server to the first rendered page in a browser.

    python -m bench.startup [--runs 3]

Times, from the launch of `python -m ess serve --public` (Python imports, Streamlit start):
the health endpoint answering; the server's first run of the overview (a session opened over
Streamlit's websocket protocol, no browser); and, on another fresh server, the overview showing
its first figure (62) in Chromium (started beforehand, empty cache: it also loads and runs
Streamlit's scripts).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, kpi_is, public_server, summary
from bench.readers import first_page as first_run


def measure_server(runs: int) -> list[float]:
    """Launch to the end of the first run of the overview, server side only."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with public_server() as (_, url):
            if asyncio.run(first_run(url))[0] != "62":
                raise RuntimeError("la vue d'ensemble n'affiche pas 62 projets")
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure(runs: int) -> tuple[list[float], list[float], list[float]]:
    healthy, loaded, first_page = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            start = time.perf_counter()
            with public_server() as (_, url):
                healthy.append((time.perf_counter() - start) * 1000)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(url)  # returns once the HTML and its scripts are loaded
                loaded.append((time.perf_counter() - start) * 1000)
                page.wait_for_function(kpi_is("62"), timeout=60_000)
                first_page.append((time.perf_counter() - start) * 1000)
                context.close()
        browser.close()
    return healthy, loaded, first_page


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    server = measure_server(args.runs)
    healthy, loaded, first_page = measure(args.runs)
    print("== Démarrage à froid (ms depuis le lancement du serveur)")
    print(f"{'santé':30} {summary(healthy)}")
    print(f"{'première page, côté serveur':30} {summary(server)}")
    print(f"{'scripts chargés (navigateur)':30} {summary(loaded)}")
    print(f"{'première page rendue':30} {summary(first_page)}")


if __name__ == "__main__":
    main()
