"""Activités et formes juridiques: what the funded projects do and who carries them."""

import streamlit as st

from ess import charts, filters, fmt, provenance, ui
from ess.filters import Filtres

filtres = ui.header(
    "Activités et formes juridiques",
    "Types d'activité et formes juridiques des projets financés, en nombre et en part, à côté "
    "des chiffres publiés aux 2es Assises métropolitaines de l'ESS (2019).",
)
ui.stop_if_empty(filtres)

activites = ui.query("projets_par_activite", filtres)
formes = ui.query("projets_par_forme", filtres).set_index("forme_juridique", drop=False)
# The published figures describe the projects of their years: compare with them only when the
# view holds exactly those projects.
bilan = ui.query("bilan_publie").iloc[0]
annees_publiees = f"de {int(bilan['annee_debut'])} à {int(bilan['annee_fin'])}"
compare = filters.only_years(filtres, ui.known_values(), int(bilan["annee_debut"]),
                             int(bilan["annee_fin"]))
total = int(activites["nb_projets"].sum())
representees = activites[(activites["nb_projets"] > 0)
                         & (activites["activite"] != charts.UNKNOWN_ACTIVITY)]


def _forme_card(code: str, label: str) -> ui.Kpi:
    row = formes.loc[code]
    context = f"{fmt.compte(row['nb_projets'], 'projet')} sur {fmt.nombre(total)}"
    if compare:
        context += f" ; chiffre publié : {fmt.pct(row['part_publiee_pct'])}"
    return ui.Kpi(label, fmt.pct(row["part_pct"]), context + ".",
                  provenance=row.get(provenance.PREFIX + "part_pct", provenance.PUBLIE))


ui.kpis([
    _forme_card("association", "Associations"),
    _forme_card("entreprise-cooperative-sociale", "Entreprises coopératives ou sociales"),
    ui.Kpi("Types d'activité", fmt.nombre(len(representees)),
           "Activités au libellé publié représentées parmi les "
           f"{fmt.compte(total, 'projet')}."),
])

ui.chart(ui.figure(charts.activites, activites, published=compare),
         provenance.keep(activites, ["libelle", "nb_projets", "part_pct", "nb_publie"]),
         "activites")
perdus = ui.query("activites_sans_libelle")
ensemble = ui.query("projets_par_activite", Filtres(annees=tuple(
    range(int(bilan["annee_debut"]), int(bilan["annee_fin"]) + 1)))).set_index("activite")["nb_projets"]
ensemble_libelles = activites.set_index("activite")["libelle"]
nombres = " et ".join(fmt.nombre(v) for v in perdus["nb_publie"])
diapositive = fmt.guillemets("Types d'activités")
autre = fmt.guillemets(ensemble_libelles[charts.UNKNOWN_ACTIVITY])
st.caption(
    f"La diapositive {diapositive} des Assises 2019 porte aussi deux nombres sans libellé "
    f"lisible ({nombres}) : ses nombres totalisent "
    f"{fmt.nombre(perdus['total_publie'].iloc[0])} pour {fmt.nombre(ensemble.sum())} projets "
    f"financés {annees_publiees}. Les {fmt.nombre(ensemble[charts.UNKNOWN_ACTIVITY])} projets "
    f"sans activité publiée sont classés {autre}, montrés à part, en gris."
)
if not compare:
    st.caption(f"Les chiffres publiés portent sur les {fmt.nombre(bilan['nb_projets'])} projets "
               f"{annees_publiees} : ils ne sont montrés que pour ces années, sans autre filtre.")

ui.chart(ui.figure(charts.formes_juridiques, formes, published=compare),
         provenance.keep(formes, ["libelle", "nb_projets", "part_pct", "part_publiee_pct"]),
         "formes")
