"""Cold start: from launching a public server to the first rendered page in a browser.

    python -m bench.startup [--runs 3]

Times, from the launch of `python -m ess serve --public` (Python imports, Streamlit start,
store opening): the health endpoint answering, then the overview showing its first figure
(62) in Chromium, which was started beforehand.
"""

from __future__ import annotations

import argparse
import time

from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, kpi_is, public_server, summary


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
    healthy, loaded, first_page = measure(args.runs)
    print("== Démarrage à froid (ms depuis le lancement du serveur)")
    print(f"{'santé':22} {summary(healthy)}")
    print(f"{'scripts chargés':22} {summary(loaded)}")
    print(f"{'première page rendue':22} {summary(first_page)}")


if __name__ == "__main__":
    main()
