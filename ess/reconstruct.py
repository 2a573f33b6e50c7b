"""Reconstruct the 62 projects of the call « Entreprendre autrement » 2015-2018.

Per-project results are not public. This deterministic (seeded) script makes a dataset that
reproduces every published aggregate exactly (003, the 2019 Assises slides, and the MEL's
published total) and uses real names and facts only where a public source gives them
(`../shared/reference/laureates.csv`). Its output, `data/sources/projet.csv`, is committed;
staff replace it with the real file through the import.

The published aggregates it reproduces:
- 62 projects; 28 associations (45 %) and 34 cooperative or social enterprises (55 %);
- the activity counts of the slide, the 12 projects it leaves unlabelled in « autre »;
- territories: Lillois 34, Roubaisien 12, Est 7, Couronne Nord 4, Tourquennois 2,
  Couronne Sud 1, Weppes 0; the 2 projects the slide's 97 % leaves out go to the Lys (inferred);
- 15 projects in 2016 and 17 in 2017 (laureate booklets), 15 in 2015 and 15 in 2018 (assumed);
- grants of at most 20 000 € totalling 768 200 €; jobs 455 ETP forecast, 483 ETP realised.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from ess.paths import SOURCES_DIR

SEED = 2019  # the year of the Assises whose figures the dataset reproduces
TERRITORY_COUNTS = {
    "lillois": 34, "roubaisien": 12, "est": 7, "couronne-nord": 4,
    "tourquennois": 2, "couronne-sud": 1, "weppes": 0, "lys": 2,
}
YEAR_COUNTS = {2015: 15, 2016: 15, 2017: 17, 2018: 15}
FORM_COUNTS = {"association": 28, "entreprise-cooperative-sociale": 34}
UNLABELLED_ACTIVITY_COUNT = 12  # 62 minus the labelled counts of the slide
TOTAL_GRANT_EUR = 768_200
MAX_GRANT_EUR = 20_000
GRANT_STEP_EUR = 100
JOBS_FORECAST_ETP = 455
JOBS_REALISED_ETP = 483
JOB_STEP_ETP = 0.5

# The public facts on named laureates (../shared/reference/laureates.csv), as fixed fields.
# Fields a source does not give are drawn like every other project's.
NAMED_LAUREATES = (
    {
        "libelle": "Méli-Mélo (Coopérative Petite Enfance)",
        "commune": "59350", "forme_juridique": "entreprise-cooperative-sociale",
        "statut": "SCIC SARL", "activite": "petite-enfance-sante",
        "source": "Nom, commune, statut et activité : La Gazette Nord-Pas de Calais, « L'ESS, "
                  "enjeu de solidarité dans les territoires » ; creche-melimelo.fr.",
    },
    {
        "libelle": "VITAME", "activite": "solidarite-cohesion",
        "source": "Nom et activité (aide à domicile) : La Gazette Nord-Pas de Calais, « L'ESS, "
                  "enjeu de solidarité dans les territoires ».",
    },
    {
        "libelle": "Arcadis – Fibr'&Co", "commune": "59512",
        "forme_juridique": "association", "activite": "industrie",
        "source": "Nom, commune, statut associatif et activité (fabrication de mobilier à partir "
                  "de matériaux de récupération) : La Gazette Nord-Pas de Calais ; avise.org.",
    },
    {
        "libelle": "Pink'Up", "commune": "59350", "forme_juridique": "association",
        "activite": "commerces",
        "source": "Nom, commune, statut associatif et activité (salon de beauté solidaire) : "
                  "La Gazette Nord-Pas de Calais ; France Bleu (2019).",
    },
    {
        "libelle": "Le Singe Savant", "annee": 2018, "commune": "59350",
        "activite": "restauration-alimentation",
        "source": "Nom, année (lauréat 2018), commune et activité (brasserie urbaine) : MEL, "
                  "« L'économie sociale et solidaire se porte bien en métropole ».",
    },
)

COLUMNS = (
    "id", "libelle", "annee", "commune", "territoire", "forme_juridique", "statut", "activite",
    "axe", "subvention_eur", "emplois_prevus_etp", "emplois_realises_etp", "provenance", "source",
    "beneficiaire", "siret", "rna", "date_decision", "reference_decision", "type_aide",
    "conditions_versement", "dates_versement", "notification_ue",
)


def _read(name: str) -> list[dict]:
    with (SOURCES_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _pool(counts: dict, rng: random.Random, taken: list) -> list:
    """Every value repeated as often as published, less the values fixed by named projects."""
    pool = [value for value, n in counts.items() for _ in range(n)]
    for value in taken:
        pool.remove(value)
    rng.shuffle(pool)
    return pool


def _apportion(total: float, weights: list[float], step: float, cap: float | None) -> list[float]:
    """Split `total` in multiples of `step` proportionally to `weights`, each at most `cap`."""
    units = round(total / step)
    cap_units = None if cap is None else int(cap // step)
    scale = units / sum(weights)
    shares = [w * scale for w in weights]
    parts = [int(s) if cap_units is None else min(int(s), cap_units) for s in shares]
    # Largest remainders first, skipping parts already at the cap.
    order = sorted(range(len(parts)), key=lambda i: shares[i] - parts[i], reverse=True)
    while sum(parts) < units:
        for i in order:
            if sum(parts) == units:
                break
            if cap_units is None or parts[i] < cap_units:
                parts[i] += 1
    return [p * step for p in parts]


def reconstruct(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    communes = _read("commune.csv")
    activities = _read("activite.csv")
    axis_of = {a["code"]: int(a["axe"]) for a in activities}
    territory_of = {c["insee"]: c["territoire"] for c in communes}
    activity_counts = {
        a["code"]: int(a["nb_publie"]) if a["nb_publie"] else UNLABELLED_ACTIVITY_COUNT
        for a in activities
    }

    named = [dict(p) for p in NAMED_LAUREATES]
    for project in named:
        if "commune" in project:
            project["territoire"] = territory_of[project["commune"]]
    pools = {
        field: _pool(counts, rng, [p[field] for p in named if field in p])
        for field, counts in (
            ("annee", YEAR_COUNTS), ("territoire", TERRITORY_COUNTS),
            ("forme_juridique", FORM_COUNTS), ("activite", activity_counts),
        )
    }
    anonymous = [{} for _ in range(62 - len(named))]
    projects = named + anonymous
    for project in projects:
        for field, pool in pools.items():
            if field not in project:
                project[field] = pool.pop()
        if "commune" not in project:
            # A commune of the project's territory, the more populated the more likely.
            candidates = [c for c in communes if c["territoire"] == project["territoire"]]
            weights = [int(c["population"]) for c in candidates]
            project["commune"] = rng.choices(candidates, weights=weights)[0]["insee"]

    # Grants: a spread between 5 000 and 20 000 €, rescaled to the published total.
    grants = _apportion(
        TOTAL_GRANT_EUR, [rng.uniform(5_000, 20_000) for _ in projects], GRANT_STEP_EUR, MAX_GRANT_EUR
    )
    # Jobs forecast grow with the grant; realised jobs vary around the forecast.
    forecast = _apportion(
        JOBS_FORECAST_ETP, [g * rng.uniform(0.6, 1.4) for g in grants], JOB_STEP_ETP, None
    )
    realised = _apportion(
        JOBS_REALISED_ETP, [f * rng.uniform(0.7, 1.5) + 0.5 for f in forecast], JOB_STEP_ETP, None
    )

    projects.sort(key=lambda p: p["annee"])  # stable: named projects first in their year
    rows = []
    numbers: dict[int, int] = {}
    for project, grant, jobs_f, jobs_r in zip(projects, grants, forecast, realised):
        year = project["annee"]
        numbers[year] = numbers.get(year, 0) + 1
        ref = f"{year}-{numbers[year]:02d}"
        rows.append({
            "id": f"AAP-{ref}",
            "libelle": project.get("libelle", f"Projet {ref}"),
            "annee": year,
            "commune": project["commune"],
            "territoire": project["territoire"],
            "forme_juridique": project["forme_juridique"],
            "statut": project.get("statut", ""),
            "activite": project["activite"],
            "axe": axis_of[project["activite"]],
            "subvention_eur": f"{grant:.0f}",
            "emplois_prevus_etp": f"{jobs_f:.1f}",
            "emplois_realises_etp": f"{jobs_r:.1f}",
            "provenance": "reconstitué",
            "source": project.get("source", ""),
        })
    return rows


def write(path: Path = SOURCES_DIR / "projet.csv", seed: int = SEED) -> Path:
    rows = reconstruct(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
