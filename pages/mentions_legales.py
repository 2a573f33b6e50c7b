"""Mentions légales: publisher, hosting, licence of the data, personal data."""

import streamlit as st

from ess.paths import ROOT

st.title("Mentions légales")
st.markdown((ROOT / "docs" / "mentions_legales.md").read_text(encoding="utf-8"))
