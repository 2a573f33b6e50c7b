"""Vue d'ensemble: the headline figures of the call for projects 2015-2018."""

import streamlit as st

from ess import charts, fmt, ui

filtres = ui.header(
    "Vue d'ensemble",
    "Appel à projets « Entreprendre autrement » de la MEL, 2015-2018 : projets financés, "
    "subventions et emplois créés ou consolidés.",
)
kpi = ui.query("projets_kpi", filtres).iloc[0]
if not kpi["nb_projets"]:
    st.info("Aucun projet ne correspond à ces filtres. Élargissez la sélection ou réinitialisez "
            "les filtres dans le panneau de gauche.")
    st.stop()

cards = st.columns(4)
cards[0].metric("Projets financés", fmt.nombre(kpi["nb_projets"]))
cards[1].metric("Subventions accordées", fmt.euros(kpi["subvention_totale"]),
                help="Subventions de la MEL, au plus 20 000 € par projet.")
cards[2].metric("Emplois réalisés", fmt.etp(kpi["emplois_realises"]),
                delta=f"{fmt.etp(kpi['emplois_realises'] - kpi['emplois_prevus'])} / prévus",
                help=f"Emplois créés ou consolidés ; {fmt.etp(kpi['emplois_prevus'])} prévus.")
cards[3].metric("Part d'associations", fmt.pct(kpi["part_associations_pct"]),
                help="Les autres projets sont portés par des entreprises coopératives ou sociales.")
cards[0].caption(f"Subvention moyenne : {fmt.euros(kpi['subvention_moyenne'])}")
cards[1].caption(f"Plus forte subvention : {fmt.euros(kpi['subvention_max'])}")
cards[2].caption(f"Prévus à la sélection : {fmt.etp(kpi['emplois_prevus'])}")
cards[3].caption(f"{fmt.nombre(kpi['nb_associations'])} associations sur "
                 f"{fmt.nombre(kpi['nb_projets'])} projets")

par_annee = ui.query("projets_par_annee", filtres)
left, right = st.columns(2)
with left:
    ui.chart(charts.projets_par_annee(par_annee), par_annee[["annee", "nb_projets"]], "annees")
with right:
    ui.chart(charts.jobs_forecast_vs_realised(par_annee),
             par_annee[["annee", "emplois_prevus", "emplois_realises"]], "emplois")
