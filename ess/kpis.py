"""The four headline figures of the call for projects, each with a sentence of context, as the
overview page, the PowerPoint deck and the static site show them."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ess import fmt, ratios


class Kpi(NamedTuple):
    """A headline figure: its label, its value as read, a sentence of context."""

    label: str
    value: str
    context: str
    help: str | None = None


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
    return [
        Kpi("Projets financés", fmt.nombre(kpi["nb_projets"]),
            f"Soutenus {periode} par l'appel à projets {aap}."),
        Kpi("Subventions accordées", fmt.euros(kpi["subvention_totale"]),
            f"Soit {fmt.euros(kpi['subvention_moyenne'])} par projet en moyenne, "
            f"{fmt.euros(kpi['subvention_max'])} au plus.",
            help="Subventions de la MEL, au plus 20 000 € par projet."),
        Kpi("Emplois réalisés", fmt.etp(kpi["emplois_realises"]),
            f"Pour {fmt.etp(kpi['emplois_prevus'])} prévus à la sélection : "
            f"{fmt.pct(kpi['taux_realisation_pct'])} de l'objectif.",
            help="Emplois créés ou consolidés, en équivalents temps plein (ETP)."),
        Kpi("Part d'associations", fmt.pct(kpi["part_associations_pct"]),
            f"{fmt.compte(kpi['nb_associations'], 'association')} et {entreprises}."),
    ]
