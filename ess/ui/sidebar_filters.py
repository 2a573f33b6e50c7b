"""The shared filters in the sidebar, kept in the URL."""

from __future__ import annotations

import streamlit as st

from ess.filters import DIMENSIONS, Filtres, from_query
from ess.ui.data import known_values


def reset_filters() -> None:
    for name in DIMENSIONS:
        st.session_state[f"filtre_{name}"] = []

def sidebar() -> Filtres:
    """Render the shared filters, keep them in the URL, and return them."""
    known = known_values()
    from_address: dict[str, list[str]] = {}
    if "filtres_lus" not in st.session_state:
        # First run of this session: the view comes from the address, unless the browser
        # brings the filters' own values. A tab whose replica died reconnects to another one
        # (a new session) and its next page change arrives without any parameter, but with
        # the sidebar's widget values: those keep the view.
        lecture = from_query(st.query_params.to_dict(), known)
        from_address = {name: [str(v) for v in getattr(lecture.filtres, name)]
                        for name in DIMENSIONS}
        st.session_state["filtres_lus"] = lecture.rejets
    with st.sidebar:
        st.markdown("### Filtres")
        for name, (label, _) in DIMENSIONS.items():
            options = known.get(name, {})
            st.multiselect(
                label, list(options), format_func=options.get, key=f"filtre_{name}",
                placeholder="Tous",
                default=from_address.get(name) or None,
            )
        st.button("Réinitialiser les filtres", on_click=reset_filters, width="stretch")
    filtres = Filtres(**{
        name: tuple(kind(v) for v in st.session_state[f"filtre_{name}"])
        for name, (_, kind) in DIMENSIONS.items()
    })
    # Only the filters' own parameters: a page's controls keep theirs (`url_widget`).
    wanted = filtres.to_query()
    for name in DIMENSIONS:
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]
    st.session_state["filtres"] = filtres
    return filtres

def filtres() -> Filtres:
    return st.session_state.get("filtres", Filtres())
