"""The Streamlit side shared by every page: the cached store, the sidebar filters, the notice.

Pages stay thin: they read `filtres()`, call `query()`, pass the result to a chart builder of
`ess.charts` and render it with `chart()`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ess import queries
from ess.filters import DIMENSIONS, Filtres, from_query, summary
from ess.paths import STORE_FILE
from ess.store import open_store

METHOD_PAGE = "pages/sources.py"
NOTICE = "Données reconstituées à partir des chiffres publiés"


def store_version() -> int:
    """Changes when the store file is replaced (build, import, rollback): the cache key."""
    return STORE_FILE.stat().st_mtime_ns


@st.cache_resource(max_entries=2)
def _connection(version: int):
    return open_store(STORE_FILE)


@st.cache_data(max_entries=512, show_spinner=False)
def _query(name: str, filtres: Filtres, version: int, params: tuple) -> pd.DataFrame:
    # A cursor per call: Streamlit runs each session in its own thread.
    cursor = _connection(version).cursor()
    try:
        return queries.run(cursor, name, filtres, **dict(params))
    finally:
        cursor.close()


def query(name: str, filtres: Filtres | None = None, **params) -> pd.DataFrame:
    """Result of `queries/<name>.sql`, cached by its parameters and the store's version."""
    return _query(name, filtres or Filtres(), store_version(), tuple(sorted(params.items())))


def known_values() -> dict[str, dict[str, str]]:
    """For each filter, its allowed values (as in the URL) and their labels, in order."""
    frame = query("filtres_valeurs")
    return {
        name: dict(zip(group["valeur"], group["libelle"]))
        for name, group in frame.groupby("filtre", sort=False)
    }


def _reset() -> None:
    for name in DIMENSIONS:
        st.session_state[f"filtre_{name}"] = []


def sidebar() -> Filtres:
    """Render the shared filters, keep them in the URL, and return them."""
    known = known_values()
    if "filtres_lus" not in st.session_state:
        # First run of this session: the view comes from the address.
        lecture = from_query(st.query_params.to_dict(), known)
        for name in DIMENSIONS:
            st.session_state[f"filtre_{name}"] = [str(v) for v in getattr(lecture.filtres, name)]
        st.session_state["filtres_lus"] = lecture.rejets
    with st.sidebar:
        st.markdown("### Filtres")
        for name, (label, _) in DIMENSIONS.items():
            options = known.get(name, {})
            st.multiselect(
                label, list(options), format_func=options.get, key=f"filtre_{name}",
                placeholder="Tous",
            )
        st.button("Réinitialiser les filtres", on_click=_reset, width="stretch")
    filtres = Filtres(**{
        name: tuple(kind(v) for v in st.session_state[f"filtre_{name}"])
        for name, (_, kind) in DIMENSIONS.items()
    })
    if st.query_params.to_dict() != filtres.to_query():
        st.query_params.from_dict(filtres.to_query())
    st.session_state["filtres"] = filtres
    return filtres


def filtres() -> Filtres:
    return st.session_state.get("filtres", Filtres())


def header(title: str, intro: str | None = None) -> Filtres:
    """Page title, the active filters in one line, the data notice; returns the filters."""
    current = filtres()
    st.title(title)
    if intro:
        st.markdown(intro)
    for rejet in st.session_state.get("filtres_lus", []):
        st.warning(f"Adresse : {rejet}", icon="⚠️")
    st.caption(f"**Filtres actifs** — {summary(current, known_values())}")
    # Only where the rows shown are still reconstructed: imported rows are `publié`.
    kpi = query("projets_kpi", current)
    if int(kpi.loc[0, "nb_reconstitues"]):
        with st.container(border=True):
            st.markdown(
                f"**{NOTICE}.** Les résultats par projet de l'appel à projets ne sont pas publics : "
                "les totaux publiés (nombre de projets, formes juridiques, activités, territoires, "
                "subventions, emplois) sont exacts, la répartition entre projets est reconstituée."
            )
            st.page_link(METHOD_PAGE, label="Voir la méthode et les sources", icon="📄")
    return current


def chart(fig: go.Figure, data: pd.DataFrame, key: str) -> None:
    """A chart with its data table behind a toggle (information never carried by colour alone)."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})
    if st.toggle("Voir les données", key=f"donnees_{key}"):
        st.dataframe(data, hide_index=True, width="stretch")
