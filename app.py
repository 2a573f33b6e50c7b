"""Observatoire ESS de la MEL: the frame shared by every page (title, filters, navigation)."""

import streamlit as st

from ess import guard, settings, ui
from ess.paths import ROOT

st.set_page_config(
    page_title="Observatoire ESS de la MEL",
    page_icon=str(ROOT / "ess" / "assets" / "favicon.png"),  # local: no icon fetched online
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on phones, where it would cover the page
)

pages = [
    st.Page("pages/vue_ensemble.py", title="Vue d'ensemble", icon=":material/dashboard:", default=True),
    st.Page("pages/territoires.py", title="Territoires", icon=":material/map:"),
    st.Page("pages/projets.py", title="Projets", icon=":material/table_rows:"),
    st.Page("pages/emplois.py", title="Emplois", icon=":material/groups:"),
    st.Page("pages/activites.py", title="Activités et formes juridiques", icon=":material/category:"),
    st.Page("pages/plan_budgets.py", title="Plan et budgets", icon=":material/timeline:"),
    st.Page("pages/sources.py", title="Chiffres clés et sources", icon=":material/menu_book:"),
]
if not settings.is_public():
    # The import is a write path: the public deployment does not even register the page.
    pages.append(st.Page("pages/importer.py", title="Importer des résultats", icon=":material/upload_file:"))
navigation = st.navigation(pages)
st.sidebar.markdown("**Observatoire ESS** · Métropole Européenne de Lille")
with guard.errors_in_french():
    ui.sidebar()
    ui.export_panel()
    navigation.run()
