"""Activités et formes juridiques (en construction)."""

import streamlit as st

from ess import ui

ui.header("Activités et formes juridiques")
st.info("Cette page est en construction.")
