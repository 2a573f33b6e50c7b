"""Memory of a public server with 1, 10 and 30 open sessions (browser tabs).

    python -m bench.memory [--sessions 1,10,30]

Each session is a separate browser context (its own cookies, its own Streamlit session) that
opens the overview and stays connected; the server's resident memory (RSS, /proc) is read
once all of them show their figures.
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, kpi_is, public_server, rss_mb


def measure(steps: list[int]) -> list[tuple[int, float]]:
    """(open sessions, server RSS in MB), starting with 0 sessions."""
    points = []
    with public_server() as (process, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        points.append((0, rss_mb(process.pid)))
        contexts = []
        for target in steps:
            while len(contexts) < target:
                context = browser.new_context(viewport={"width": 1000, "height": 700})
                page = context.new_page()
                page.goto(url)
                page.wait_for_function(kpi_is("62"), timeout=60_000)
                contexts.append(context)
            points.append((target, rss_mb(process.pid)))
        browser.close()
    return points


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="1,10,30")
    args = parser.parse_args(argv)
    print("== Mémoire du serveur (RSS) selon le nombre de sessions ouvertes")
    points = measure([int(n) for n in args.sessions.split(",")])
    # The first session also pays the app's first run (its modules, its caches): the cost of
    # one more reader is measured from there.
    first = points[1][1] if len(points) > 1 else points[0][1]
    for sessions, rss in points:
        per = f"  (+{(rss - first) / (sessions - 1):.2f} Mo par session en plus)" \
            if sessions > 1 else ""
        print(f"{sessions:3d} sessions : {rss:6.0f} Mo{per}")


if __name__ == "__main__":
    main()
