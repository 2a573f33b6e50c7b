"""Observatoire ESS de la MEL: the frame shared by every page (title, filters, navigation)."""

import streamlit as st

from ess import ui

st.set_page_config(
    page_title="Observatoire ESS de la MEL",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page("pages/vue_ensemble.py", title="Vue d'ensemble", icon="🏠", default=True),
    st.Page("pages/sources.py", title="Chiffres clés et sources", icon="📄"),
]
navigation = st.navigation(pages)
st.sidebar.markdown("**Observatoire ESS** · Métropole Européenne de Lille")
ui.sidebar()
navigation.run()
