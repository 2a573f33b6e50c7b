"""Chiffres clés et sources: every published figure with its document and place, what the
dashboard recomputes, the errors of the documents, where the sources disagree, and the method
of the reconstructed data."""

import streamlit as st

from ess import documents, ui
from ess.paths import ROOT

METHOD_FILE = ROOT / "docs" / "methode.md"


ui.header(
    "Chiffres clés et sources",
    "Chaque chiffre publié que le tableau de bord utilise, avec son document et son emplacement ; "
    "ce que le tableau de bord recalcule ; les erreurs des documents eux-mêmes ; les points où "
    "les sources ne s'accordent pas ; et la méthode des données reconstituées. "
    "[Documents](#documents) · [Chiffres publiés](#chiffres-publies) · "
    "[Recalcul](#recalcul) · [Contrôles des sources](#controles) · "
    "[Désaccords](#desaccords) · [Méthode](#methode)",
)

st.header("Les documents sources", anchor="documents")
st.markdown("\n".join(
    f"- **{code} — {name}** : {what}"
    for code, (name, what) in documents.DOCUMENTS.items() if code in documents.MAIN_DOCUMENTS
))
st.markdown("Quelques chiffres viennent d'autres sources publiques :\n" + "\n".join(
    f"- **{name}** : {what}"
    for code, (name, what) in documents.DOCUMENTS.items()
    if code not in documents.MAIN_DOCUMENTS
))

st.header("Chiffres publiés", anchor="chiffres-publies")
indicateurs = ui.query("indicateurs")
codes = list(dict.fromkeys(indicateurs["source_doc"]))
left, right = st.columns([2, 3])
# Both kept in the address (`?sources_document=002&sources_recherche=emplois`).
with left:
    document = ui.url_widget(
        st.selectbox, "sources_document", "Document", allowed=["", *codes], default="",
        options=["", *codes],
        format_func=lambda c: documents.document_label(c) if c else "Tous les documents",
    )
with right:
    recherche = ui.url_widget(
        st.text_input, "sources_recherche", "Rechercher", max_chars=100,
        placeholder="un mot du libellé, de l'emplacement ou de la remarque",
    )
chiffres = documents.chiffres_lisibles(indicateurs, document or None, recherche or "")
st.caption(f"{len(chiffres)} chiffres sur {len(indicateurs)} publiés.")
if chiffres.empty:
    st.info("Aucun chiffre ne correspond à cette recherche : essayez un autre mot ou "
            "« Tous les documents ».")
else:
    ui.dataframe(chiffres)

reconciliation, controles = ui.checks()
st.header("Ce que le tableau de bord recalcule", anchor="recalcul")
ecarts = reconciliation[reconciliation["statut"] != "ok"]
st.markdown(
    f"Le tableau de bord recalcule {len(reconciliation)} chiffres publiés avec ses propres "
    "requêtes, à la précision de leur publication : "
    f"{len(reconciliation) - len(ecarts)} sont retrouvés exactement"
    + (f", {len(ecarts)} {'diffère' if len(ecarts) == 1 else 'diffèrent'} pour une raison "
       "expliquée dans la remarque." if len(ecarts) else ".")
)
ui.dataframe(documents.reconciliation_lisible(reconciliation))

st.header("Contrôles des sources", anchor="controles")
st.markdown(
    "Les documents impriment eux-mêmes des totaux. Le tableau de bord refait ces sommes à "
    "partir de leurs propres lignes et montre les erreurs plutôt que de les cacher : la ligne "
    "TOTAL de l'Annexe 2 de la note 002 n'est pas la somme de ses lignes, et ses deux colonnes "
    "de réalisation font un euro de moins que le TOTAL imprimé ; la décision 004 laisse une "
    "part du budget de l'APES sans financeur."
)
ui.dataframe(documents.controles_lisibles(controles))

st.header("Où les sources ne s'accordent pas", anchor="desaccords")
communes = ui.query("communes_territoire_douteux")
st.markdown("\n".join(f"- {item}" for item in documents.desaccords(indicateurs, communes)))

st.header("Méthode des données reconstituées", anchor="methode")
st.markdown(METHOD_FILE.read_text(encoding="utf-8"))
