"""The four headline figures of the call for projects, each with a sentence of context, as the
overview page, the PowerPoint deck and the static site show them.

Each card carries the provenance of its figure (`ess.provenance`): a reconstructed figure says
so under it, and a reconstructed figure of the context sentence is followed by « estimation ».
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ess import fmt, provenance, ratios


class Kpi(NamedTuple):
    """A headline figure: its label, its value as read, a sentence of context, the provenance
    of the value."""

    label: str
    value: str
    context: str
    help: str | None = None
    provenance: str = provenance.PUBLIE

    @property
    def mark(self) -> str | None:
        """What a reader sees under a reconstructed figure, None under a published one."""
        return provenance.MARK if self.provenance == provenance.RECONSTITUE else None


def _figure(text: str, kpi: pd.Series, column: str) -> str:
    """`text`, followed by « (estimation) » when the figure of `column` is reconstructed."""
    origin = kpi.get(provenance.PREFIX + column, provenance.PUBLIE)
    return f"{text} (estimation)" if origin == provenance.RECONSTITUE else text


def chiffres_cles(projets_kpi: pd.DataFrame, par_annee: pd.DataFrame) -> list[Kpi]:
    """From the results of `projets_kpi` and `projets_par_annee` under the same filters."""
    kpi = ratios.with_job_ratios(projets_kpi, subvention="subvention_totale").iloc[0]
    annees = par_annee.loc[par_annee["nb_projets"] > 0, "annee"]
    periode = (f"en {annees.min()}" if annees.min() == annees.max()
               else f"de {annees.min()} à {annees.max()}")
    aap = fmt.guillemets("Entreprendre autrement")
    entreprises = fmt.compte(kpi["nb_projets"] - kpi["nb_associations"],
                             "entreprise coopérative ou sociale",
                             "entreprises coopératives ou sociales")

    def origin(column: str) -> str:
        return kpi.get(provenance.PREFIX + column, provenance.PUBLIE)

    return [
        Kpi("Projets financés", fmt.nombre(kpi["nb_projets"]),
            f"Soutenus {periode} par l'appel à projets {aap}.",
            provenance=origin("nb_projets")),
        Kpi("Subventions accordées", fmt.euros(kpi["subvention_totale"]),
            "Soit " + _figure(f"{fmt.euros(kpi['subvention_moyenne'])} par projet en moyenne",
                              kpi, "subvention_moyenne")
            + ", " + _figure(f"{fmt.euros(kpi['subvention_max'])} au plus", kpi,
                             "subvention_max") + ".",
            help="Subventions de la MEL, au plus 20 000 € par projet.",
            provenance=origin("subvention_totale")),
        Kpi("Emplois réalisés", fmt.etp(kpi["emplois_realises"]),
            "Pour " + _figure(f"{fmt.etp(kpi['emplois_prevus'])} prévus", kpi, "emplois_prevus")
            + " à la sélection : "
            + _figure(f"{fmt.pct(kpi['taux_realisation_pct'])} de l'objectif", kpi,
                      "taux_realisation_pct") + ".",
            help="Emplois créés ou consolidés, en équivalents temps plein (ETP).",
            provenance=origin("emplois_realises")),
        Kpi("Part d'associations", fmt.pct(kpi["part_associations_pct"]),
            _figure(f"{fmt.compte(kpi['nb_associations'], 'association')} et {entreprises}",
                    kpi, "nb_associations") + ".",
            provenance=origin("part_associations_pct")),
    ]
