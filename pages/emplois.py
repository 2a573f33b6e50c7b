"""Emplois: jobs forecast vs realised, the realisation ratio and the jobs per 10 000 € granted."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

from ess import charts, fmt, kpis, provenance, ratios, ui


class Repartition(NamedTuple):
    label: str  # the control's option
    query: str
    code: str  # the category's column
    name: str  # the column naming it for a reader
    per: str  # « par … » in the charts' units
    noun: tuple[str, str]  # one category, several


REPARTITIONS = {
    "annee": Repartition("Année", "projets_par_annee", "annee", "annee",
                         "par année du soutien", ("année", "années")),
    "territoire": Repartition("Territoire", "projets_par_territoire", "territoire", "nom",
                              "par territoire", ("territoire", "territoires")),
    "activite": Repartition("Activité", "projets_par_activite", "activite", "libelle",
                            "par type d'activité", ("type d'activité", "types d'activité")),
    "forme": Repartition("Forme juridique", "projets_par_forme", "forme_juridique", "libelle",
                         "par forme juridique", ("forme juridique", "formes juridiques")),
}

filtres = ui.header(
    "Emplois",
    "Emplois créés ou consolidés par les projets financés, en équivalents temps plein (ETP) : "
    "prévus au dépôt du projet, réalisés ensuite.",
)
ui.stop_if_empty(filtres)

kpi = ratios.with_job_ratios(ui.query("projets_kpi", filtres), "subvention_totale").iloc[0]
origin = {c: kpi.get(provenance.PREFIX + c, provenance.PUBLIE) for c in (
    "emplois_prevus", "emplois_realises", "taux_realisation_pct", "etp_pour_10k")}
inconnus = int(kpi["nb_realises_inconnus"])
connus = f"les {fmt.compte(kpi['nb_projets'] - inconnus, 'projet')} dont le résultat est connu"
ecart = (kpi["emplois_realises"] if pd.notna(kpi["emplois_realises"]) else 0) \
    - kpi["emplois_prevus_connus"]
ui.kpis([
    ui.Kpi("Emplois prévus", fmt.etp(kpi["emplois_prevus"]),
           f"Annoncés par les {fmt.compte(kpi['nb_projets'], 'projet')} à leur sélection.",
           provenance=origin["emplois_prevus"]),
    ui.Kpi("Emplois réalisés", kpis.realises(kpi["emplois_realises"]),
           f"{fmt.etp(abs(ecart))} de {'plus' if ecart >= 0 else 'moins'} que prévu"
           + (f" par {connus} ; non connus pour {fmt.compte(inconnus, 'projet')}."
              if inconnus else "."),
           help="Un résultat non connu (projet récent) n'est jamais compté comme 0.",
           provenance=origin["emplois_realises"]),
    ui.Kpi("Taux de réalisation", fmt.pct(kpi["taux_realisation_pct"]),
           "Emplois réalisés rapportés aux emplois prévus"
           + (f", sur {connus}." if inconnus else "."),
           help="Rapport des sommes : emplois réalisés ÷ emplois prévus, sur les seuls projets "
                "dont les emplois réalisés sont connus.",
           provenance=origin["taux_realisation_pct"]),
    ui.Kpi("Emplois pour 10 000 €", fmt.etp(round(kpi["etp_pour_10k"], 1)),
           "Emplois réalisés pour 10 000 € de subvention "
           f"({fmt.euros(kpi['subvention_connue'])} accordés"
           + (f" à {connus})." if inconnus else ")."),
           help="Rapport des sommes : emplois réalisés × 10 000 ÷ subventions accordées, sur "
                "les seuls projets dont les emplois réalisés sont connus.",
           provenance=origin["etp_pour_10k"]),
])

choix = ui.url_widget(
    st.segmented_control, "repartition", "Répartition par", allowed=list(REPARTITIONS),
    default="annee", options=list(REPARTITIONS), format_func=lambda k: REPARTITIONS[k].label,
    required=True,
)
vue = REPARTITIONS[choix]
# Only the chosen breakdown is queried; categories without any project are left out.
data = ratios.with_job_ratios(ui.query(vue.query, filtres))
data = data[data["nb_projets"] > 0]
lisible = data.rename(columns={vue.name: vue.label})  # the tables name the category plainly
ui.chart(ui.figure(charts.jobs_forecast_vs_realised, data, vue.code, vue.name, vue.per,
                   horizontal=choix != "annee"),
         provenance.keep(lisible, [vue.label, "nb_projets", "emplois_prevus", "emplois_realises"]),
         f"emplois_{choix}")
left, right = st.columns(2)
with left:
    ui.chart(ui.figure(charts.taux_realisation, data, vue.name, vue.noun, vue.per),
             provenance.keep(lisible, [vue.label, "emplois_prevus", "emplois_realises",
                                      "taux_realisation_pct"]),
             f"taux_{choix}")
with right:
    ui.chart(ui.figure(charts.emplois_pour_10k, data, vue.name, vue.per, kpi["etp_pour_10k"],
                       overall_provenance=origin["etp_pour_10k"]),
             provenance.keep(lisible, [vue.label, "subvention", "emplois_realises",
                                       "etp_pour_10k"]),
             f"pour_10k_{choix}")
