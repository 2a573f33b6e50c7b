"""Vue d'ensemble: the headline figures of the call for projects 2015-2018."""

import streamlit as st

from ess import charts, fmt, ratios, ui

filtres = ui.header(
    "Vue d'ensemble",
    f"Appel à projets {fmt.guillemets('Entreprendre autrement')} de la MEL, 2015-2018 : "
    "projets financés, subventions et emplois créés ou consolidés.",
)
ui.stop_if_empty(filtres)

kpi_frame = ui.query("projets_kpi", filtres)
kpi = ratios.with_job_ratios(kpi_frame, subvention="subvention_totale").iloc[0]
par_annee = ui.query("projets_par_annee", filtres)
annees = par_annee.loc[par_annee["nb_projets"] > 0, "annee"]
periode = (f"en {annees.min()}" if annees.min() == annees.max()
           else f"de {annees.min()} à {annees.max()}")
aap = fmt.guillemets("Entreprendre autrement")
entreprises = fmt.compte(kpi["nb_projets"] - kpi["nb_associations"],
                         "entreprise coopérative ou sociale",
                         "entreprises coopératives ou sociales")

ui.kpis([
    ui.Kpi("Projets financés", fmt.nombre(kpi["nb_projets"]),
           f"Soutenus {periode} par l'appel à projets {aap}."),
    ui.Kpi("Subventions accordées", fmt.euros(kpi["subvention_totale"]),
           f"Soit {fmt.euros(kpi['subvention_moyenne'])} par projet en moyenne, "
           f"{fmt.euros(kpi['subvention_max'])} au plus.",
           help="Subventions de la MEL, au plus 20 000 € par projet."),
    ui.Kpi("Emplois réalisés", fmt.etp(kpi["emplois_realises"]),
           f"Pour {fmt.etp(kpi['emplois_prevus'])} prévus à la sélection : "
           f"{fmt.pct(kpi['taux_realisation_pct'])} de l'objectif.",
           help="Emplois créés ou consolidés, en équivalents temps plein (ETP)."),
    ui.Kpi("Part d'associations", fmt.pct(kpi["part_associations_pct"]),
           f"{fmt.compte(kpi['nb_associations'], 'association')} et {entreprises}."),
])

left, right = st.columns(2)
with left:
    ui.chart(charts.projets_par_annee(par_annee), par_annee[["annee", "nb_projets"]], "annees")
with right:
    ui.chart(charts.subventions_par_annee(par_annee), par_annee[["annee", "subvention"]],
             "subventions")
ui.chart(charts.jobs_forecast_vs_realised(par_annee),
         par_annee[["annee", "emplois_prevus", "emplois_realises"]], "emplois")
