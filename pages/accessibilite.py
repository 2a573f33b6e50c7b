"""Déclaration d'accessibilité (RGAA): what is compliant, what is not, how to report a barrier."""

import streamlit as st

from ess.paths import ROOT

st.title("Déclaration d'accessibilité")
st.markdown((ROOT / "docs" / "accessibilite.md").read_text(encoding="utf-8"))
