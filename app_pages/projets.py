"""Projets (en construction)."""

import streamlit as st

from ess import ui

ui.header("Projets")
st.info("Cette page est en construction.")
