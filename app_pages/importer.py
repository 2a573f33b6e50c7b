"""Importer des résultats (en construction)."""

import streamlit as st

from ess import ui

ui.header("Importer des résultats")
st.info("Cette page est en construction.")
