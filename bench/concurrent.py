"""Several readers at once changing filters: time until the page is ready again.

    python -m bench.concurrent [--sessions 10] [--rounds 1] [--url URL]

Each session (its own browser context) opens the overview, then, in turn for three years,
selects the year in the sidebar and waits for its figure (15 or 17 projects), then resets the
filters and waits for 62. All sessions run at the same time against one public server. The
browser runs on the same 2 cores as the server: the times include its own rendering work.
The server's CPU time per filter change comes from /proc. With `--url`, the sessions go to a
server already running elsewhere (run the browsers on another machine than the server).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, kpi_is, public_server, rss_mb, summary

PROJECTS_PER_YEAR = {"2015": "15", "2017": "17", "2018": "15"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _session(browser, url: str, rounds: int, samples: list[float]) -> None:
    context = await browser.new_context(viewport={"width": 1200, "height": 800})
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_function(kpi_is("62"), timeout=60_000)
    years = page.locator("[data-testid='stMultiSelect']").first
    for _ in range(rounds):
        for year, expected in PROJECTS_PER_YEAR.items():
            start = time.perf_counter()
            await years.click()
            await page.get_by_role("option", name=year, exact=True).click()
            await page.keyboard.press("Escape")
            await page.wait_for_function(kpi_is(expected), timeout=60_000)
            samples.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            await page.get_by_role("button", name="Réinitialiser les filtres").click()
            await page.wait_for_function(kpi_is("62"), timeout=60_000)
            samples.append((time.perf_counter() - start) * 1000)
    await context.close()


async def _sessions(url: str, sessions: int, rounds: int) -> tuple[list[float], float]:
    samples: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = time.perf_counter()
        await asyncio.gather(*(_session(browser, url, rounds, samples) for _ in range(sessions)))
        elapsed = time.perf_counter() - start
        await browser.close()
    return samples, elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--url", help="un serveur déjà lancé (sinon : un serveur public local)")
    args = parser.parse_args(argv)
    print(f"== {args.sessions} sessions simultanées qui changent de filtre")
    if args.url:
        samples, elapsed = asyncio.run(_sessions(args.url, args.sessions, args.rounds))
        print(f"page prête après un changement (ms) : {summary(samples)} ; "
              f"durée {elapsed:.1f} s")
        return
    with public_server() as (process, url):
        cpu = cpu_seconds(process.pid)
        samples, elapsed = asyncio.run(_sessions(url, args.sessions, args.rounds))
        cpu = cpu_seconds(process.pid) - cpu
        memory = rss_mb(process.pid)
    runs = len(samples) + args.sessions  # every change, and each session's first page
    print(f"page prête après un changement (ms) : {summary(samples)}")
    print(f"durée {elapsed:.1f} s ; CPU du serveur {cpu:.1f} s, soit {cpu / runs * 1000:.0f} ms "
          f"par exécution de page ; mémoire {memory:.0f} Mo")


if __name__ == "__main__":
    main()
