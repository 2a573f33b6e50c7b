"""The four headline figures of the call for projects, each with a sentence of context, as the
overview page, the PowerPoint deck and the static site show them.

Each card carries the provenance of its figure (`ess.provenance`): a reconstructed figure says
so under it, and a reconstructed figure of the context sentence is followed by « estimation ».
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ess import fmt, provenance, ratios, tables


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


def annees_vues(par_annee: pd.DataFrame) -> str:
    """« en 2017 » or « de 2011 à 2026 »: the years with a project in the view."""
    annees = par_annee.loc[par_annee["nb_projets"] > 0, "annee"]
    if annees.empty:
        return ""
    return (f"en {annees.min()}" if annees.min() == annees.max()
            else f"de {annees.min()} à {annees.max()}")


def plafonds(par_periode: pd.DataFrame) -> str:
    """The ceilings of the periods with a project in the view, merged when equal in a row:
    « 20 000 € (2015-2023), 30 000 € (depuis 2024) »; « non publié » when a period has none."""
    rows = par_periode[par_periode["nb_projets"] > 0]
    groups: list[list] = []  # [ceiling, first year, last year]
    for row in rows.itertuples():
        ceiling = None if pd.isna(row.plafond_eur) else row.plafond_eur
        if groups and groups[-1][0] == ceiling and groups[-1][2] is not None:
            groups[-1][2] = row.annee_fin if not pd.isna(row.annee_fin) else None
        else:
            groups.append([ceiling, row.annee_debut,
                           None if pd.isna(row.annee_fin) else row.annee_fin])
    return ", ".join(
        f"{'non publié' if c is None else fmt.euros(c)} ({tables.periode(a, b)})" for c, a, b in groups)


def realises(value) -> str:
    """Realised jobs, or « non connu » while no project of the view has its result."""
    return "non connu" if pd.isna(value) else fmt.etp(value)


def emplois_realises(kpi: pd.Series) -> str:
    """The sentence under the realised jobs: the ratio over the projects whose realised jobs
    are known, and how many are not known yet."""
    inconnus = int(kpi["nb_realises_inconnus"])
    connus = int(kpi["nb_projets"]) - inconnus
    if not connus:
        return f"Non connus pour les {fmt.compte(inconnus, 'projet')} de la vue."
    text = ("Pour " + _figure(f"{fmt.etp(kpi['emplois_prevus_connus'])} prévus", kpi,
                              "emplois_prevus")
            + " à la sélection : "
            + _figure(f"{fmt.pct(kpi['taux_realisation_pct'])} de l'objectif", kpi,
                      "taux_realisation_pct"))
    if inconnus:
        text += (f", sur les {fmt.compte(connus, 'projet')} dont le résultat est connu ; "
                 f"non connus pour {fmt.compte(inconnus, 'projet')}")
    return text + "."


def chiffres_cles(projets_kpi: pd.DataFrame, par_annee: pd.DataFrame,
                  par_periode: pd.DataFrame) -> list[Kpi]:
    """From the results of `projets_kpi`, `projets_par_annee` and `projets_par_periode` under
    the same filters."""
    kpi = ratios.with_job_ratios(projets_kpi, subvention="subvention_totale").iloc[0]
    aap = fmt.guillemets("Entreprendre autrement")
    entreprises = fmt.compte(kpi["nb_projets"] - kpi["nb_associations"],
                             "entreprise coopérative ou sociale",
                             "entreprises coopératives ou sociales")

    def origin(column: str) -> str:
        return kpi.get(provenance.PREFIX + column, provenance.PUBLIE)

    return [
        Kpi("Projets financés", fmt.nombre(kpi["nb_projets"]),
            f"Soutenus {annees_vues(par_annee)} par l'appel à projets {aap}.",
            provenance=origin("nb_projets")),
        Kpi("Subventions accordées", fmt.euros(kpi["subvention_totale"]),
            "Soit " + _figure(f"{fmt.euros(kpi['subvention_moyenne'])} par projet en moyenne",
                              kpi, "subvention_moyenne")
            + ", " + _figure(f"{fmt.euros(kpi['subvention_max'])} au plus", kpi,
                             "subvention_max") + ".",
            help=f"Subventions de la MEL ; plafond par projet : {plafonds(par_periode)}.",
            provenance=origin("subvention_totale")),
        Kpi("Emplois réalisés", realises(kpi["emplois_realises"]), emplois_realises(kpi),
            help="Emplois créés ou consolidés, en équivalents temps plein (ETP). Un résultat "
                 "non connu n'est jamais compté comme 0.",
            provenance=origin("emplois_realises")),
        Kpi("Part d'associations", fmt.pct(kpi["part_associations_pct"]),
            _figure(f"{fmt.compte(kpi['nb_associations'], 'association')} et {entreprises}",
                    kpi, "nb_associations") + ".",
            provenance=origin("part_associations_pct")),
    ]
