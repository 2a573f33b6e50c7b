"""Observatoire ESS de la MEL: the frame shared by every page (title, filters, navigation)."""

import streamlit as st

from ess import guard, settings, ui

st.set_page_config(
    page_title="Observatoire ESS de la MEL",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page("pages/vue_ensemble.py", title="Vue d'ensemble", icon="🏠", default=True),
    st.Page("pages/territoires.py", title="Territoires", icon="🗺️"),
    st.Page("pages/projets.py", title="Projets", icon="📋"),
    st.Page("pages/emplois.py", title="Emplois", icon="👥"),
    st.Page("pages/activites.py", title="Activités et formes juridiques", icon="🧩"),
    st.Page("pages/plan_budgets.py", title="Plan et budgets", icon="🗓️"),
    st.Page("pages/sources.py", title="Chiffres clés et sources", icon="📄"),
]
if not settings.is_public():
    # The import is a write path: the public deployment does not even register the page.
    pages.append(st.Page("pages/importer.py", title="Importer des résultats", icon="⬆️"))
navigation = st.navigation(pages)
st.sidebar.markdown("**Observatoire ESS** · Métropole Européenne de Lille")
with guard.errors_in_french():
    ui.sidebar()
    navigation.run()
