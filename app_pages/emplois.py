"""Emplois (en construction)."""

import streamlit as st

from ess import ui

ui.header("Emplois")
st.info("Cette page est en construction.")
