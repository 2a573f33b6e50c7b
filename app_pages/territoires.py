"""Territoires (en construction)."""

import streamlit as st

from ess import ui

ui.header("Territoires")
st.info("Cette page est en construction.")
