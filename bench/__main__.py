"""Benchmarks: `python -m bench` runs them all (about 10 minutes) and prints the figures kept in
docs/PERFORMANCE.md; `python -m bench.<name>` runs one. Nothing here asserts a time."""

import os
import time

from bench import (browser, concurrent, memory, queries, readers, reruns, scale, startup,
                   transfer)


def _load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    start = time.monotonic()
    print(f"charge de la machine (1, 5, 15 min) : {_load()} sur {os.cpu_count()} cœurs")
    for bench in (browser, queries, reruns, startup, transfer, memory, readers, concurrent, scale):
        began = time.monotonic()
        bench.main([])
        print(f"({bench.__name__} : {time.monotonic() - began:.0f} s)\n", flush=True)
    print(f"charge de la machine : {_load()} ; durée totale {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
