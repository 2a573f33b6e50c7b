"""The floor of `bench.browser`: the cheapest Streamlit page with the dashboard's control.

One sidebar multiselect « Années » (the store's years, as the dashboard lists them) and four
`st.metric` that change with it. Nothing else: no query per rerun (the per-year totals are read
once per process), no chart, no table. Whatever a page of the dashboard costs in the browser
beyond this page's time is the page's own cost.
"""

import streamlit as st

from ess import fmt, queries, store
from ess.paths import STORE_FILE


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
kept = [per_year[y] for y in (chosen or per_year)]
st.title("Plancher")
for column, (label, value) in zip(st.columns(4), [
    ("Projets financés", fmt.nombre(sum(k[0] for k in kept))),
    ("Subventions accordées", fmt.euros(sum(k[1] for k in kept))),
    ("Emplois réalisés", fmt.etp(sum(k[2] for k in kept))),
    ("Années", fmt.nombre(len(kept))),
]):
    column.metric(label, value)
