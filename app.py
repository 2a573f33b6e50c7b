"""Observatoire ESS de la MEL: the frame shared by every page (title, filters, navigation)."""

import streamlit as st

from ess import guard, settings, signin, ui
from ess.paths import ROOT

st.set_page_config(
    page_title="Observatoire ESS de la MEL",
    page_icon=str(ROOT / "ess" / "assets" / "favicon.png"),  # local: no icon fetched online
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on phones, where it would cover the page
)

if not settings.is_public() and (alone := signin.gate()):
    # Staff mode without a signed-in agent (or on an address that needs a sign-in that is not
    # configured): only this page exists, the others and the import are not even registered.
    st.navigation([st.Page(alone, title="Connexion", icon=":material/login:",
                           url_path="connexion")]).run()
    st.stop()

pages = [
    st.Page("pages/vue_ensemble.py", title="Vue d'ensemble", icon=":material/dashboard:", default=True),
    st.Page("pages/territoires.py", title="Territoires", icon=":material/map:"),
    st.Page("pages/projets.py", title="Projets", icon=":material/table_rows:"),
    st.Page("pages/emplois.py", title="Emplois", icon=":material/groups:"),
    st.Page("pages/activites.py", title="Activités et formes juridiques", icon=":material/category:"),
    st.Page("pages/plan_budgets.py", title="Plan et budgets", icon=":material/timeline:"),
    st.Page("pages/sources.py", title="Chiffres clés et sources", icon=":material/menu_book:"),
    st.Page("pages/accessibilite.py", title="Déclaration d'accessibilité",
            icon=":material/accessibility:"),
    st.Page("pages/mentions_legales.py", title="Mentions légales", icon=":material/gavel:"),
]
if not settings.is_public():
    # The import is a write path: the public deployment does not even register the page.
    pages.append(st.Page("pages/importer.py", title="Importer des résultats", icon=":material/upload_file:"))
requested = ui.requested_page()
if requested and "/" not in requested and requested not in {p.url_path for p in pages}:
    pages.append(ui.unknown_page(requested))
navigation = st.navigation(pages)
ui.interface()
st.sidebar.markdown("**Observatoire ESS** · Métropole Européenne de Lille")
if not settings.is_public():
    signin.account()
with guard.errors_in_french():
    ui.sidebar()
    ui.export_panel()
    try:
        navigation.run()
    finally:  # also under a page that stops early (st.stop: no project for these filters)
        ui.footer(navigation.title)
