"""Server-side rerun of each page after a filter change, as Streamlit's script runner does it
(AppTest runs the same script runner, without a browser or a websocket).

    python -m bench.reruns            # ESS_STORE selects the store, as for the app

For each public page: the cache is cleared, then every filter change of `bench.common.CHANGES`
is applied twice: the first pass misses the query cache (a combination nobody asked for yet),
the second hits it (a popular view). Prints p50/p95 per page and the peak memory.
"""

from __future__ import annotations

import argparse

import streamlit as st
from streamlit.logger import set_log_level
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from bench.common import CHANGES, peak_rss_mb, summary, timed
from ess import fmt, queries, settings, store
from ess.filters import DIMENSIONS
from ess.paths import ROOT, STORE_FILE

PAGES = [p.stem for p in sorted((ROOT / "pages").glob("*.py")) if p.stem != "importer"]


def _app() -> AppTest:
    # As the `app` fixture of tests/conftest.py: let AppTest honour st.navigation.
    original = PagesManager.__init__

    def navigation_only(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = navigation_only
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def measure(pages: list[str]) -> dict[str, tuple[list[float], list[float]]]:
    """Per page: (durations missing the cache, durations hitting it), in ms."""
    from ess import ui  # here: imported without Streamlit's runtime, its caches warn

    settings.MODE = "public"
    results = {}
    for page in pages:
        set_log_level("error")  # AppTest warns that it runs without a server (and resets it)
        st.cache_data.clear()
        ui.data.RESULTS.clear()
        ui.display.FIGURES.clear()
        at = _app()
        at.run()
        if page != "vue_ensemble":
            at.switch_page(f"pages/{page}.py").run()
        passes = []
        for _ in range(2):
            samples = []
            for filtres in CHANGES:
                for name in DIMENSIONS:
                    at.multiselect(key=f"filtre_{name}").set_value(
                        [str(v) for v in getattr(filtres, name)])
                samples += timed(at.run)
                if at.exception:
                    raise RuntimeError(f"{page} : {at.exception[0].message}")
            passes.append(samples)
        results[page] = (passes[0], passes[1])
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    con = store.open_store(STORE_FILE)
    projects = int(queries.run(con, "projets_kpi").loc[0, "nb_projets"])
    con.close()
    print("== Réexécution d'une page après un changement de filtre (côté serveur, ms), "
          f"{fmt.nombre(projects)} projets")
    all_miss, all_hit = [], []
    for page, (miss, hit) in measure(args.pages.split(",")).items():
        print(f"{page:14} cache vide   {summary(miss)}")
        print(f"{'':14} cache plein  {summary(hit)}")
        all_miss += miss
        all_hit += hit
    print(f"{'toutes':14} cache vide   {summary(all_miss)}")
    print(f"{'':14} cache plein  {summary(all_hit)}")
    print(f"mémoire maximale du processus : {peak_rss_mb():.0f} Mo")


if __name__ == "__main__":
    main()
