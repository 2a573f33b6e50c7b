"""The floors of `bench.browser`: the cheapest Streamlit page with the dashboard's control.

One sidebar multiselect « Années » (the store's years, as the dashboard lists them) and four
`st.metric` that change with it. Nothing else: no query per rerun (the per-year totals are read
once per process), no chart, no table. Whatever a page of the dashboard costs in the browser
beyond this page's time is the page's own cost.

With `?graphiques=N`, the same page also draws N Plotly charts (`st.plotly_chart`, one bar per
year, Plotly's defaults) that change with the control: the cheapest Streamlit page that does
what a page with N charts does, Streamlit's own Plotly module and drawing included.
"""

import plotly.graph_objects as go
import streamlit as st

from ess import fmt, queries, store
from ess.paths import STORE_FILE

MAX_CHARTS = 12


@st.cache_resource
def _per_year() -> dict[int, tuple[int, float, float]]:
    con = store.open_store(STORE_FILE)
    try:
        rows = queries.run(con, "projets_par_annee")
    finally:
        con.close()
    return {int(r.annee): (int(r.nb_projets), float(r.subvention), float(r.emplois_realises))
            for r in rows.itertuples()}


per_year = _per_year()
chosen = st.sidebar.multiselect("Années", list(per_year), key="filtre_annees",
                                placeholder="Tous")
years = chosen or list(per_year)
kept = [per_year[y] for y in years]
st.title("Plancher")
for column, (label, value) in zip(st.columns(4), [
    ("Projets financés", fmt.nombre(sum(k[0] for k in kept))),
    ("Subventions accordées", fmt.euros(sum(k[1] for k in kept))),
    ("Emplois réalisés", fmt.etp(sum(k[2] for k in kept))),
    ("Années", fmt.nombre(len(kept))),
]):
    column.metric(label, value)
asked = st.query_params.get("graphiques", "0")
for number in range(min(int(asked) if asked.isdigit() else 0, MAX_CHARTS)):
    st.plotly_chart(go.Figure(go.Bar(x=[str(y) for y in years], y=[k[0] for k in kept])),
                    key=f"graphique_{number}")
