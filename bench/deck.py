"""Time to build the full PowerPoint deck: `python -m bench.deck` prints the median of 3 runs."""

import statistics
import tempfile
from pathlib import Path

from bench.common import timed
from ess import store
from ess.exports import deck
from ess.filters import Filtres
from ess.paths import SOURCES_DIR

REPEAT = 3
VIEWS = {"tous les projets": Filtres(), "2016-2017": Filtres(annees=(2016, 2017))}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = store.build(SOURCES_DIR, Path(folder) / "ess.duckdb")
        con = store.open_store(target)
        for label, filtres in VIEWS.items():
            sizes = []
            samples = timed(lambda: sizes.append(len(deck.build(con, filtres))), REPEAT)
            print(f"présentation complète ({len(deck.SLIDES)} diapositives, {label}) : "
                  f"médiane {statistics.median(samples):.0f} ms sur {REPEAT}, "
                  f"{sizes[-1] // 1024} ko")
        without_map = [s for s in deck.SLIDE_IDS if s != "carte"]
        samples = timed(lambda: deck.build(con, slides=without_map), REPEAT)
        print(f"sans la carte : médiane {statistics.median(samples):.0f} ms sur {REPEAT}")
        con.close()


if __name__ == "__main__":
    main()
