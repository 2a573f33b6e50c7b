"""Time of each named query (`queries/`) under the filter changes of a reader.

    python -m bench.queries [--store PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import CHANGES, summary, timed
from ess import queries, store
from ess.paths import STORE_FILE

# Parameters beyond the filters, at the value a page sends first (empty search: every project;
# the list's first page).
EXTRA = {"projets_recherche": {"recherche": ""}, "projets_recherche_total": {"recherche": ""},
         "projets_recherche_page": {"recherche": "", "limite": 100, "debut": 0}}


def measure(path: Path, repeat: int = 5) -> dict[str, list[float]]:
    """Per query, its durations (ms) over every filter change, `repeat` times each."""
    con = store.open_store(path)
    try:
        results = {}
        for name in queries.names():
            samples = []
            for filtres in CHANGES:
                extra = EXTRA.get(name, {})
                samples += timed(lambda: queries.run(con, name, filtres, **extra), repeat)
            results[name] = samples
        return results
    finally:
        con.close()


def report(results: dict[str, list[float]]) -> None:
    print(f"{'requête':26} durée (ms)")
    for name, samples in results.items():
        print(f"{name:26} {summary(samples)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=STORE_FILE)
    args = parser.parse_args(argv)
    print(f"== Requêtes sur {args.store.name}")
    report(measure(args.store))


if __name__ == "__main__":
    main()
