"""Vue d'ensemble: the headline figures of the call for projects 2015-2018."""

import streamlit as st

from ess import charts, fmt, kpis, ui
from ess.provenance import keep

filtres = ui.header(
    "Vue d'ensemble",
    f"Appel à projets {fmt.guillemets('Entreprendre autrement')} de la MEL, 2015-2018 : "
    "projets financés, subventions et emplois créés ou consolidés.",
)
ui.stop_if_empty(filtres)

par_annee = ui.query("projets_par_annee", filtres)
ui.kpis(kpis.chiffres_cles(ui.query("projets_kpi", filtres), par_annee))

left, right = st.columns(2)
with left:
    ui.chart(ui.figure(charts.projets_par_annee, par_annee),
             keep(par_annee, ["annee", "nb_projets"]), "annees")
with right:
    ui.chart(ui.figure(charts.subventions_par_annee, par_annee),
             keep(par_annee, ["annee", "subvention"]), "subventions")
ui.chart(ui.figure(charts.jobs_forecast_vs_realised, par_annee),
         keep(par_annee, ["annee", "emplois_prevus", "emplois_realises"]), "emplois")
