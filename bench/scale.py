"""Scale: the same queries and page reruns on synthetic stores of 62, 6 200 and 620 000 projects.

    python -m bench.scale [--copies 1,100,10000]

A synthetic store is the shipped one whose 62 projects are copied N times with new ids (same
years, territories, forms, activities: every filter keeps its share). Prints, per size, the
store's size, each query's time (p50/p95 over the filter changes of a reader) and the page
reruns with the peak memory of a process running them (`bench.reruns`, in a child process
whose ESS_STORE is the synthetic store). Every store is built by `ess.store.build` from a
projet.csv of N copies, with all its checks; the build time is printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import percentile, timed
from bench.queries import measure as measure_queries
from ess import store
from ess.paths import ROOT, SOURCES_DIR

MB = 1024 * 1024


def synthetic_store(folder: Path, copies: int) -> tuple[Path, float]:
    """The store built by `ess build` from a projet.csv holding `copies` copies of the 62
    projects; returns its path and the build's seconds."""
    with (SOURCES_DIR / "projet.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    projects = folder / f"projet-{copies}.csv"
    with projects.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for copy in range(copies):
            writer.writerows([[f"{r[0]}-{copy:05d}", *r[1:]] for r in rows])
    target = folder / f"ess-{62 * copies}.duckdb"
    seconds = timed(lambda: store.build(SOURCES_DIR, target, {"projet": projects}))[0] / 1000
    return target, seconds


def spread_store(folder: Path, years: range, projects: int) -> Path:
    """The store built from `projects` copies of the 62 projects taken in turn, their years
    spread over `years` (one edition of the call per year, as the importer accepts them)."""
    with (SOURCES_DIR / "projet.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    year = header.index("annee")
    path = folder / f"projet-{projects}-{len(years)}ans.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for n in range(projects):
            row = [f"{rows[n % len(rows)][0]}-{n:05d}", *rows[n % len(rows)][1:]]
            row[year] = str(years[n % len(years)])
            writer.writerow(row)
    return store.build(SOURCES_DIR, folder / f"ess-{projects}-{len(years)}ans.duckdb",
                       {"projet": path})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", default="1,100,10000")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.copies.split(",")]
    with tempfile.TemporaryDirectory(prefix="ess-scale-") as name:
        folder = Path(name)
        print("== Construction du magasin (ess.store.build, contrôles compris)")
        stores = {}
        for copies in sizes:
            stores[62 * copies], seconds = synthetic_store(folder, copies)
            print(f"{62 * copies:9,} projets : {seconds:6.1f} s".replace(",", " "), flush=True)
        print("== Requêtes selon la taille du magasin : p50 / p95 (ms)")
        results = {rows: measure_queries(path, repeat=1) for rows, path in stores.items()}
        print(f"{'requête':24}" + "".join(f"{rows:>18,}".replace(",", " ") for rows in stores))
        for query in results[next(iter(stores))]:
            cells = "".join(
                f"{percentile(samples, 50):9.1f} /{percentile(samples, 95):7.1f}"
                for samples in (results[rows][query] for rows in stores)
            )
            print(f"{query:24}{cells}")
        print("taille du fichier (Mo)  " + "".join(
            f"{path.stat().st_size / MB:18.1f}" for path in stores.values()))
        for rows, path in stores.items():
            print(f"== Pages sur {rows:,} projets".replace(",", " "))
            sys.stdout.flush()
            subprocess.run([sys.executable, "-m", "bench.reruns"], cwd=ROOT, check=True,
                           env={**os.environ, "ESS_STORE": str(path)})


if __name__ == "__main__":
    main()
