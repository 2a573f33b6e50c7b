"""Vue d'ensemble: the headline figures of the call for projects, its periods and its years."""

import streamlit as st

from ess import charts, filters, fmt, kpis, plan_charts, ui
from ess.provenance import keep

filtres = ui.header(
    "Vue d'ensemble",
    f"Appel à projets {fmt.guillemets('Entreprendre autrement')} de la MEL, "
    f"{filters.annees(ui.known_values())} : projets financés, subventions et emplois créés ou "
    "consolidés, par période de règles de l'appel et par année.",
)
ui.stop_if_empty(filtres)

par_annee = ui.query("projets_par_annee", filtres)
par_periode = ui.query("projets_par_periode", filtres)
ui.kpis(kpis.chiffres_cles(ui.query("projets_kpi", filtres), par_annee, par_periode))

if (par_periode["nb_projets"] > 0).sum() > 1:
    st.header("Les périodes de l'appel")
    ui.chart(ui.figure(plan_charts.periodes, par_periode),
             par_periode[["nom", "plan", "plafond_eur", "nb_projets", "subvention",
                          "emplois_prevus", "emplois_realises", "nb_realises_inconnus",
                          "part_associations_pct"]], "periodes")
    st.caption("Chaque période a ses règles (plafond par projet, types d'aide) et son plan en "
               "vigueur. Les emplois réalisés non connus (projets récents) ne sont pas comptés.")

st.header("Année par année")
left, right = st.columns(2)
with left:
    ui.chart(ui.figure(charts.projets_par_annee, par_annee),
             keep(par_annee, ["annee", "nb_projets"]), "annees")
with right:
    ui.chart(ui.figure(charts.subventions_par_annee, par_annee),
             keep(par_annee, ["annee", "subvention"]), "subventions")
ui.chart(ui.figure(charts.jobs_forecast_vs_realised, par_annee),
         keep(par_annee, ["annee", "emplois_prevus", "emplois_realises", "nb_realises_inconnus"]),
         "emplois")
