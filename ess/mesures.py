"""What the « Territoires » map can show: one measure per question, raw or per 10 000 inhabitants.

Each measure names a column of `projets_par_territoire` and `projets_par_commune`; the values
per 10 000 inhabitants divide it by the `population` column of the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ess import provenance

PER = 10_000  # inhabitants


@dataclass(frozen=True)
class Mesure:
    key: str  # in the address: ?mesure=subvention-10000
    label: str  # the hover line and the legend title; the unit is added in brackets
    column: str  # column of the territory and commune queries
    unit: str  # "", "€" or "ETP"
    per_10000: bool
    decimals: int | None  # None: whole numbers without decimals, others with one


MESURES = {
    m.key: m
    for m in (
        Mesure("projets", "Nombre de projets", "nb_projets", "", False, 0),
        Mesure("subvention", "Subventions accordées", "subvention", "€", False, 0),
        Mesure("emplois-prevus", "Emplois prévus", "emplois_prevus", "ETP", False, None),
        Mesure("emplois-realises", "Emplois réalisés", "emplois_realises", "ETP", False, None),
        # Per 10 000 inhabitants: one project is 0,07 in the Couronne Sud, hence 2 decimals.
        Mesure("projets-10000", "Projets pour 10 000 habitants", "nb_projets", "", True, 2),
        Mesure("subvention-10000", "Subventions pour 10 000 habitants",
               "subvention", "€", True, 0),
        Mesure("emplois-prevus-10000", "Emplois prévus pour 10 000 habitants",
               "emplois_prevus", "ETP", True, 1),
        Mesure("emplois-realises-10000", "Emplois réalisés pour 10 000 habitants",
               "emplois_realises", "ETP", True, 1),
    )
}
DEFAULT = "projets"

# The switch above the map: the four questions, then « pour 10 000 habitants » or not.
CHOICES = {
    "projets": "Projets",
    "subvention": "Subventions",
    "emplois-prevus": "Emplois prévus",
    "emplois-realises": "Emplois réalisés",
}


def mesure(choice: str, per_10000: bool) -> Mesure:
    """The measure of a switch position (`choice` is a key of CHOICES)."""
    return MESURES[f"{choice}-10000" if per_10000 else choice]


def choice_of(key: str) -> tuple[str, bool]:
    """The switch position that shows measure `key`: the inverse of `mesure`."""
    measure = MESURES[key]
    return key.removesuffix("-10000"), measure.per_10000


def par_10000(values: pd.Series, population: pd.Series) -> pd.Series:
    """`values` per 10 000 inhabitants (34 projects for 232 787 inhabitants → 1.4606)."""
    if (population <= 0).any():
        raise ValueError("Population nulle ou négative : impossible de rapporter aux habitants.")
    return values / population * PER


def with_value(frame: pd.DataFrame, measure: Mesure) -> pd.DataFrame:
    """`frame` with a `valeur` column holding `measure` (divided by the population if asked)."""
    result = frame.copy()
    raw = result[measure.column].astype(float)
    result["valeur"] = par_10000(raw, result["population"]) if measure.per_10000 else raw
    # Per inhabitant, a figure keeps its provenance (the population is a reference fact).
    if provenance.PREFIX + measure.column in result:
        result[provenance.PREFIX + "valeur"] = result[provenance.PREFIX + measure.column]
    return result
