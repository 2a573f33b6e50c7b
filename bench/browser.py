"""What a reader feels in the browser, against Streamlit's floor, in the same interleaved run.

    python -m bench.browser [--store shipped|16y|620k] [--rounds 3] [--pages vue_ensemble,...]

Two public servers run side by side: the dashboard, and the floor (`bench/floor_app.py`: the
same sidebar year multiselect and four `st.metric`, nothing else). One Chromium (Debian's, as
the tests) measures, in each round, the floor, then the floor drawing as many Plotly charts as
the page (`?graphiques=N`: Streamlit's own cost of N charts), then a public page, in turn for
every page (so all see the same machine load):

- **first render**: a new tab (new Streamlit session; the browser's HTTP cache is warm, the
  server has already run every page once) opens the page; time from the navigation's start to
  the page settled;
- **filter change**: in that tab, a year is picked in the sidebar's « Années » multiselect, then
  removed with its tag's cross (two changes, each made with the real control); time from the
  pointer going down on the option (or the cross) to the page settled.

Settled, measured inside the page (`performance.now()`, so no Playwright round trip counts):
the script has finished (`stApp[data-test-script-state=notRunning]`), Streamlit's running
indicator (`stStatusWidget`) is gone, no element is stale (`[data-stale=true]`) nor a
placeholder of a widget whose code is still loading (`stSkeleton`), the main
area shows a title and, after a change, its text differs from before the change (every page
shows the active filters), every Plotly chart has drawn its SVG, and then the document has not
changed for 300 ms. The time reported is that of the **last change to the document** before
this quiet period: the moment the reader sees the final page.

The ratio to the floor is what counts (page p50 / floor p50, page p95 / floor p95), then the
ratio to the floor with the page's number of charts: absolute times depend on the machine and
its load, printed before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench.common import CHROMIUM, CHROMIUM_ARGS, percentile, public_server
from bench.reruns import PAGES
from bench.scale import spread_store, synthetic_store
from ess import fmt
from ess.paths import ROOT, STORE_FILE

FLOOR = "plancher"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
QUIET_MS = 300
TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 1000}

# Installed in every document before its own scripts: the time of the last change to the
# document, and the time the pointer went down once the bench has armed it.
PROBE = """
(() => {
  const probe = window.__bench = {last: 0, t0: null, armed: false, before: null};
  new MutationObserver(() => { probe.last = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('pointerdown', () => {
    if (probe.armed) { probe.t0 = performance.now(); probe.armed = false; }
  }, true);
})();
"""
MAIN = "[data-testid='stMainBlockContainer']"
ARM = f"""() => {{
  const probe = window.__bench;
  probe.armed = true;
  probe.before = document.querySelector("{MAIN}").textContent;
}}"""
# Returns false until settled, then the time of the last change since `changed` started it.
# Streamlit's running indicator, an element of the previous run, a widget whose code is loading.
BUSY = ('[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"], '
        '[data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]')
SETTLED = f"""([quiet, change]) => {{
  const BUSY = '{BUSY}';
  const probe = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector(BUSY)) return false;
  const main = document.querySelector("{MAIN}");
  if (!main || !main.querySelector('h1')) return false;
  if (change && (probe.t0 === null || main.textContent === probe.before)) return false;
  for (const chart of main.querySelectorAll('[data-testid="stPlotlyChart"]')) {{
    if (!chart.querySelector('.main-svg')) return false;
  }}
  if (performance.now() - probe.last < quiet) return false;
  return Math.max(probe.last - (change ? probe.t0 : 0), 0.001);
}}"""


def _settled(page, change: bool) -> float:
    handle = page.wait_for_function(SETTLED, arg=[QUIET_MS, change], timeout=TIMEOUT_MS,
                                    polling="raf")
    return float(handle.json_value())


def _first_render(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="commit")
    return page, _settled(page, change=False)


def _change(page, control) -> float:
    page.evaluate(ARM)
    control.click()
    return _settled(page, change=True)


def measure_view(context, url: str, year: str) -> tuple[float, list[float], int]:
    """First render of `url` in a new tab, then the two filter changes (ms); and the number
    of Plotly charts the page shows."""
    page, first = _first_render(context, url)
    try:
        charts = page.locator(f"{MAIN} [data-testid='stPlotlyChart']").count()
        years = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        years.click()
        # The dashboard's options carry their count (« 2017 (17) »), the floor's do not.
        label = re.compile(rf"^{year}( \(\d+\))?$")
        pick = _change(page, page.get_by_role("option", name=label))
        page.keyboard.press("Escape")
        remove = _change(page, page.get_by_role("button", name=re.compile(rf"^Remove {year}\b")))
        return first, [pick, remove], charts
    finally:
        page.close()


def _years(context, url: str) -> list[str]:
    page = context.new_page()
    try:
        page.goto(url)
        _settled(page, change=False)
        page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
        options = page.get_by_role("option").all_inner_texts()
        return [o for o in options if o.isdigit()]
    finally:
        page.close()


def page_url(base: str, name: str) -> str:
    return base if name == "vue_ensemble" else f"{base}/{name}"


def chart_floor(charts: int) -> str:
    return f"{FLOOR} + {charts} graph."


def run(store: Path, pages: list[str], rounds: int) -> tuple[dict, dict[str, int]]:
    """Per page and for each floor: (first renders, filter changes), in ms; and the number of
    charts of each page."""
    samples = {}
    with contextlib.ExitStack() as stack:
        _, app = stack.enter_context(public_server(store))
        _, floor = stack.enter_context(public_server(store, FLOOR_APP))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        contexts = {}
        for name in (FLOOR, "app"):
            # One context per server: its own cookies, its own warm HTTP cache.
            contexts[name] = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
            contexts[name].add_init_script(PROBE)
            contexts[name].set_default_timeout(TIMEOUT_MS)
        years = _years(contexts[FLOOR], floor)
        # Warm: every page has run once on its server, Streamlit's scripts are in the cache.
        charts = {name: measure_view(contexts["app"], page_url(app, name), years[-1])[2]
                  for name in pages}
        for count in sorted({0, *charts.values()}):
            measure_view(contexts[FLOOR], f"{floor}?graphiques={count}", years[-1])
        turn = 0
        for round_ in range(rounds):
            print(f"tour {round_ + 1}/{rounds} : {len(pages)} pages et leurs planchers…",
                  flush=True)
            for name in pages:
                year = years[turn % len(years)]
                turn += 1
                views = [(FLOOR, contexts[FLOOR], floor)]
                if charts[name]:
                    views.append((chart_floor(charts[name]), contexts[FLOOR],
                                  f"{floor}?graphiques={charts[name]}"))
                views.append((name, contexts["app"], page_url(app, name)))
                for who, context, url in views:
                    try:
                        first, changes, _ = measure_view(context, url, year)
                    except PlaywrightError as error:  # an overloaded machine: say it, go on
                        print(f"{who} : mesure abandonnée ({str(error).splitlines()[0]})",
                              flush=True)
                        continue
                    samples.setdefault(who, ([], []))
                    samples[who][0].append(first)
                    samples[who][1].extend(changes)
    return samples, charts


def _cell(samples: list[float], floor: list[float]) -> str:
    p50, p95 = statistics.median(samples), percentile(samples, 95)
    ratio50 = p50 / statistics.median(floor)
    ratio95 = p95 / percentile(floor, 95)
    return f"{ratio50:5.2f} {ratio95:5.2f}  {p50:6.0f} {p95:6.0f}"


def _table(samples: dict[str, tuple[list, list]], floors: dict[str, str]) -> float:
    """One line per page: its ratios to its floor (`floors[page]`); the largest p50 ratio."""
    print(f"{'':18} {'changement de filtre':^27} | {'première page':^27}")
    columns = f"{'÷p50  ÷p95    p50    p95 ms':>27}"
    print(f"{'page':18} {columns} | {columns}   n")
    worst = 0.0
    for name, floor in floors.items():
        first, changes = samples[name]
        floor_first, floor_change = samples[floor]
        print(f"{name:18} {_cell(changes, floor_change):>27} | "
              f"{_cell(first, floor_first):>27}  {len(changes)}/{len(first)}")
        if name != floor:
            worst = max(worst, statistics.median(changes) / statistics.median(floor_change),
                        statistics.median(first) / statistics.median(floor_first))
    return worst


def report(samples: dict[str, tuple[list, list]], charts: dict[str, int]) -> None:
    pages = [name for name in charts if name in samples]
    print("Rapport au plancher (une liste « Années » et quatre st.metric) :")
    worst = _table(samples, {FLOOR: FLOOR, **dict.fromkeys(pages, FLOOR)})
    print(f"plus grand rapport au plancher (p50) : {fmt.nombre(worst, 2)} (objectif ≤ 1,5)")
    drawn = {name: chart_floor(charts[name]) for name in pages
             if charts[name] and chart_floor(charts[name]) in samples}
    if drawn:
        print("Rapport au plancher qui dessine autant de graphiques Plotly que la page "
              "(même contrôle, st.plotly_chart d'une barre par année) :")
        floors = {f: f for f in sorted(set(drawn.values()), key=lambda f: int(f.split()[2]))}
        worst = _table(samples, {**floors, **drawn})
        print(f"plus grand rapport à ce plancher (p50) : {fmt.nombre(worst, 2)}")


def _load() -> str:
    return " / ".join(fmt.nombre(v, 1) for v in os.getloadavg())


@contextlib.contextmanager
def chosen_store(kind: str):
    """The store to serve: the shipped one, or a generated one in a temporary folder."""
    if kind == "shipped":
        yield STORE_FILE, "magasin livré"
        return
    with tempfile.TemporaryDirectory(prefix="ess-browser-") as folder:
        if kind == "16y":
            this_year = date.today().year
            path = spread_store(Path(folder), range(this_year - 15, this_year + 1), 200)
            yield path, f"magasin généré : 200 projets sur 16 ans ({this_year - 15}-{this_year})"
        else:
            path, _ = synthetic_store(Path(folder), 10_000)
            yield path, "magasin généré : 620 000 projets"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["shipped", "16y", "620k"], default="shipped")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    started = time.monotonic()
    with chosen_store(args.store) as (path, label):
        print(f"== Navigateur : chaque page publique rapportée au plancher ({label}, "
              f"{args.rounds} tours)")
        print(f"charge de la machine avant (1, 5, 15 min) : {_load()} sur {os.cpu_count()} cœurs",
              flush=True)
        samples, charts = run(path, args.pages.split(","), args.rounds)
    print("÷p50, ÷p95 : rapport au plancher mesuré dans la même série (objectif ≤ 1,5) ; "
          "p50, p95 : temps en ms jusqu'à la page stable ; n : changements/premières pages")
    report(samples, charts)
    print(f"charge de la machine après : {_load()} ; durée {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
