"""A store of every edition of the call, 2011-2026, as MEL's staff data would make it.

    python -m bench.editions -o DOSSIER

Like `bench.scale`, it writes a projet.csv and builds the store with `ess.store.build` and all
its checks; the tests use it as a fixture, and a developer serves it to look at every page
(`ESS_STORE=DOSSIER/ess-editions.duckdb make run`). Deterministic: 224 projects, 14 a year,
grants up to each period's ceiling (30 000 € from 2024), kinds of aid from 2021, SIRET,
convention dates and payment terms on every row, realised jobs not known for half of 2025 and
all of 2026, a new activity (« Transition écologique »), the axis of the plan in force in the
project's year (none in 2021, between two plans). Every name is invented: « Structure
2024-03 ».
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from ess import store
from ess.paths import SOURCES_DIR
from ess.reconstruct import COLUMNS

FIRST_YEAR, LAST_YEAR = 2011, 2026
PER_YEAR = 14
NEW_ACTIVITY = ("transition-ecologique", "Transition écologique")
SEED = 2026
# Axes of the plan in force, per year (the axe.csv rows of each period's plan).
AXES = {**{y: (1, 2, 3) for y in range(2011, 2015)}, **{y: (1, 2, 3, 4, 5) for y in range(2015, 2021)},
        2021: (), **{y: (1,) for y in range(2022, 2027)}}


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (SOURCES_DIR / name).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def siret(rng: random.Random) -> str:
    """14 digits whose Luhn key is right, as INSEE's SIRET."""
    digits = [rng.randrange(10) for _ in range(13)]
    for last in range(10):
        number = digits + [last]
        total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                    for i, d in enumerate(reversed(number)))
        if total % 10 == 0:
            return "".join(map(str, number))
    raise AssertionError("unreachable")


def _ceiling(year: int) -> int:
    return 30_000 if year >= 2024 else 20_000 if year >= 2015 else 15_000


def projects(rng: random.Random) -> list[dict]:
    _, communes = _read("commune.csv")
    _, activities = _read("activite.csv")
    codes = [a[0] for a in activities] + [NEW_ACTIVITY[0]]
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for n in range(1, PER_YEAR + 1):
            commune = rng.choice(communes)
            association = rng.random() < 0.45
            grant = rng.randrange(5, _ceiling(year) // 100 + 1) * 100
            if year >= 2024 and n == 1:
                grant = 30_000  # the new ceiling reached
            forecast = rng.randrange(2, 24) / 2
            known = year < 2025 or (year == 2025 and n % 2 == 0)
            month = rng.randrange(1, 13)
            rows.append({
                "id": f"AAP-{year}-{n:02d}", "libelle": f"Structure {year}-{n:02d}",
                "annee": year, "commune": commune[0], "territoire": commune[2], "statut": "",
                "forme_juridique": "association" if association
                else "entreprise-cooperative-sociale",
                "activite": NEW_ACTIVITY[0] if year >= 2023 and n == 2 else rng.choice(codes),
                "axe": rng.choice(AXES[year]) if AXES[year] else "",
                "subvention_eur": grant, "emplois_prevus_etp": forecast,
                "emplois_realises_etp": max(0.5, forecast + rng.randrange(-4, 5) / 2) if known else "",
                "provenance": "publié", "source": "Fichier de démonstration (bench.editions)",
                "beneficiaire": f"Structure {year}-{n:02d}", "siret": siret(rng),
                "rna": f"W59{rng.randrange(10**7):07d}" if association else "",
                "date_decision": f"{year}-{month:02d}-{rng.randrange(1, 29):02d}",
                "reference_decision": f"{year % 100:02d} B {rng.randrange(100, 999)}",
                "type_aide": rng.choice(("démarrage", "développement")) if year >= 2021 else "",
                "conditions_versement": "unique",
                "dates_versement": f"{year}-{month:02d}-28/{year + 1}-{month:02d}-28",
                "notification_ue": "non",
            })
    return rows


def editions_store(folder: Path, seed: int = SEED) -> Path:
    """Build the 2011-2026 store in `folder`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    header, activities = _read("activite.csv")
    activity_file = _write(folder / "activite.csv", header, [
        *activities, [NEW_ACTIVITY[0], NEW_ACTIVITY[1], "", "1", str(len(activities) + 1)]])
    rows = projects(random.Random(seed))
    project_file = _write(folder / "projet.csv", list(COLUMNS),
                          [[row[c] for c in COLUMNS] for row in rows])
    target = folder / "ess-editions.duckdb"
    return store.build(SOURCES_DIR, target, {"projet": project_file, "activite": activity_file})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    path = editions_store(args.output)
    print(f"Magasin 2011-2026 : {path}")


if __name__ == "__main__":
    main()
