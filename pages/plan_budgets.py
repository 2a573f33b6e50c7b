"""Plan et budgets (en construction)."""

import streamlit as st

from ess import ui

ui.header("Plan et budgets")
st.info("Cette page est en construction.")
