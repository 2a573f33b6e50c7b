"""Projets: the filtered projects, searchable and sortable, one project in detail, downloads."""

import pandas as pd
import streamlit as st

from ess import fmt, kpis, tables, ui

# The figures first: on a phone the table scrolls sideways.
COLUMNS = [
    "libelle", "annee", "subvention_eur", "emplois_prevus_etp", "emplois_realises_etp",
    "territoire", "commune", "forme_juridique", "activite", "periode", "axe", "provenance",
]
PROVENANCES = {
    "publié": "publié : chaque champ vient du fichier des résultats de la MEL.",
    "reconstitué": "reconstitué : une estimation, répartie entre projets à partir des totaux "
                   "publiés ; son libellé est neutre, aucun nom réel n'est mis à côté.",
}
# Rows per page of the list: the query fetches only those (LIMIT/OFFSET), whatever the number
# of projects; the downloads hold every row.
PER_PAGE = 100
SANS_SOURCE = "estimation, voir la méthode sur la page « Chiffres clés et sources »."


def _axe(projet) -> str:
    """« 2 · L'animation territoriale (PMDESS 2015-2020) », or why there is none."""
    if pd.isna(projet["axe"]):
        return "non renseigné"
    if pd.isna(projet["axe_nom"]):
        return f"{int(projet['axe'])} (axe inconnu du plan en vigueur)"
    return tables.texte(f"{int(projet['axe'])} · {projet['axe_nom']} ({projet['plan']})")


filtres = ui.header(
    "Projets",
    f"Les projets financés par l'appel à projets {fmt.guillemets('Entreprendre autrement')} "
    "sous les filtres choisis. Cliquez sur un en-tête de colonne pour trier.",
)
ui.stop_if_empty(filtres)

recherche = ui.url_widget(
    st.text_input, "recherche", "Rechercher un projet", max_chars=100,
    placeholder="Nom, commune, territoire ou activité", icon=":material/search:",
)
recherche = recherche or ""
trouves = ui.query("projets_recherche_total", filtres, recherche=recherche).iloc[0]
if not trouves["nb_projets"]:
    st.info(f"Aucun projet ne contient « {tables.texte(recherche)} » sous ces filtres. Essayez "
            "un autre mot ou videz la recherche.", icon=":material/info:")
    st.stop()

st.markdown(f"**{fmt.compte(trouves['nb_projets'], 'projet')}** · "
            f"{fmt.euros(trouves['subvention'])} de subventions · "
            f"{fmt.etp(trouves['emplois_realises'])} réalisés"
            + (f" (non connus pour {fmt.compte(trouves['nb_realises_inconnus'], 'projet')})"
               if trouves["nb_realises_inconnus"] else ""))
listing = st.empty()
debut = ui.pager("page", int(trouves["nb_projets"]), PER_PAGE, (filtres, recherche))
shown = ui.query("projets_recherche_page", filtres, recherche=recherche, limite=PER_PAGE,
                 debut=debut)
with listing.container():
    if trouves["nb_projets"] > PER_PAGE:
        st.caption(f"Projets {fmt.nombre(debut + 1)} à {fmt.nombre(debut + len(shown))} sur "
                   f"{fmt.nombre(trouves['nb_projets'])}, dans l'ordre des années ; le tri par "
                   "colonne s'applique à la page affichée, les téléchargements ont tous les "
                   "projets.")
    ui.table(shown[COLUMNS], key="liste_projets", height=420)

# Every row found, under their French names; read and written only when a button is pressed.
ui.download_table(lambda: tables.en_francais(
    ui.rows("projets_recherche", filtres, recherche=recherche)), "projets")

st.header("Fiche d'un projet")
labels = dict(zip(shown["id"], shown["libelle"] + " (" + shown["annee"].astype(str) + ")"))
choix = ui.url_widget(st.selectbox, "projet", "Projet", allowed=list(labels),
                     default=shown["id"].iloc[0], options=list(labels), format_func=labels.get)
projet = shown.set_index("id").loc[choix]
# Names, communes and sources may come from an imported file: shown as text, never Markdown.
champs = {name: tables.texte(value) for name, value in projet.items()}
with st.container(border=True):
    st.markdown(f"### {champs['libelle']}")  # under the h2 « Fiche d'un projet »
    fiche = st.columns(3)
    fiche[0].markdown(
        f"**Année du soutien** : {champs['annee']}  \n"
        f"**Commune** : {champs['commune']}  \n"
        f"**Territoire** : {champs['territoire']}"
    )
    fiche[1].markdown(
        f"**Forme juridique** : {champs['forme_juridique']}  \n"
        f"**Activité** : {champs['activite']}  \n"
        f"**Axe du plan en vigueur** : {_axe(projet)}"
    )
    fiche[2].markdown(
        f"**Subvention de la MEL** : {fmt.euros(projet['subvention_eur'])}  \n"
        f"**Emplois prévus** : {fmt.etp(projet['emplois_prevus_etp'])}  \n"
        f"**Emplois réalisés** : {kpis.realises(projet['emplois_realises_etp'])}"
    )
    st.markdown(f"**Période de l'appel** : {tables.texte(projet['periode'])}"
                + (f" · **Type d'aide** : {tables.texte(projet['type_aide'])}"
                   if pd.notna(projet["type_aide"]) else ""))
    st.markdown(f"**Identifiant** : {tables.texte(choix)}" + (
        f" · **Statut** : {champs['statut']}" if pd.notna(projet["statut"]) else ""))
    cite = pd.notna(projet["source"])
    st.markdown(f"**Provenance** : {PROVENANCES.get(projet['provenance'], projet['provenance'])}")
    st.markdown(f"**Source** : {champs['source'] if cite else SANS_SOURCE}")

laureats = ui.query("laureats_publics")
if len(laureats):
    st.subheader("Lauréats cités par des sources publiques")
    st.markdown(
        f"Les sources publiques nomment {fmt.compte(len(laureats), 'projet')} de l'appel. Seul "
        "ce qu'elles en disent est montré ici : leur subvention, leurs emplois et leur année ne "
        "sont pas publiés, et leur ligne du tableau ci-dessus porte un libellé neutre."
    )
    st.table(tables.lisible(laureats, {"nom": ("Projet", None),
                                       "source": ("Ce que dit la source", None)}),
             hide_index=True)
