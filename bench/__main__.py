"""Benchmarks: `python -m bench` prints figures; nothing here asserts a time."""

import statistics
import tempfile
import time
from pathlib import Path

from ess import queries, store
from ess.filters import Filtres
from ess.paths import SOURCES_DIR

FILTERS = [Filtres(), Filtres(annees=(2017,)), Filtres(axes=(1, 3), territoires=("lillois", "est"))]


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ess.duckdb"
        build = timed(lambda: store.build(SOURCES_DIR, target), 5)
        print(f"construction du magasin : médiane {statistics.median(build):.0f} ms")
        con = store.open_store(target)
        print(f"{'requête':32} {'p50 (ms)':>9} {'p95 (ms)':>9}")
        for name in queries.names():
            samples = []
            for filtres in FILTERS:
                samples += timed(lambda: queries.run(con, name, filtres), 30)
            samples.sort()
            p95 = samples[int(len(samples) * 0.95) - 1]
            print(f"{name:32} {statistics.median(samples):9.2f} {p95:9.2f}")
        con.close()


if __name__ == "__main__":
    main()
