"""The shared filters in the sidebar, kept in the URL."""

from __future__ import annotations

import math

import streamlit as st

from ess import fmt
from ess.filters import DIMENSIONS, MONTANTS, Filtres, from_query
from ess.ui.data import known_values, query

AMOUNT_KEY = "filtre_subvention"
AMOUNT_STEP = 100  # euros between two stops of the grant slider


def _amount_stops() -> list[int]:
    """The grant slider's stops: every 100 € from the smallest grant to the largest."""
    bornes = query("subventions_bornes").iloc[0]
    low = int(bornes["minimum"]) // AMOUNT_STEP * AMOUNT_STEP
    high = math.ceil(bornes["maximum"] / AMOUNT_STEP) * AMOUNT_STEP
    return list(range(low, high + AMOUNT_STEP, AMOUNT_STEP))


def reset_filters() -> None:
    for name in DIMENSIONS:
        st.session_state[f"filtre_{name}"] = []
    stops = _amount_stops()
    st.session_state[AMOUNT_KEY] = (stops[0], stops[-1])


def _current(stops: list[int], first: dict[str, list[str]] | None = None) -> Filtres:
    """The filters held by the widgets' state; before the widgets of a first run are drawn
    (the counts), the values `first` read from the address."""
    low, high = st.session_state[AMOUNT_KEY]
    return Filtres(
        **{name: tuple(kind(v) for v in st.session_state.get(f"filtre_{name}",
                                                              (first or {}).get(name, [])))
           for name, (_, kind) in DIMENSIONS.items()},
        subvention_min=low if low > stops[0] else None,
        subvention_max=high if high < stops[-1] else None,
    )


def _with_count(labels: dict[str, str], counts: dict[str, int]):
    return lambda value: f"{labels[value]} ({fmt.nombre(counts.get(value, 0))})"


def sidebar() -> Filtres:
    """Render the shared filters, keep them in the URL, and return them."""
    known = known_values()
    stops = _amount_stops()
    from_address: dict[str, list[str]] = {}
    if "filtres_lus" not in st.session_state:
        # First run of this session: the view comes from the address, unless the browser
        # brings the filters' own values. A tab whose replica died reconnects to another one
        # (a new session) and its next page change arrives without any parameter, but with
        # the sidebar's widget values: those keep the view.
        lecture = from_query(st.query_params.to_dict(), known)
        from_address = {name: [str(v) for v in getattr(lecture.filtres, name)]
                        for name in DIMENSIONS}
        low = lecture.filtres.subvention_min
        high = lecture.filtres.subvention_max
        # A bound from the address stays exact: it becomes a stop of the slider.
        st.session_state[AMOUNT_KEY] = (stops[0] if low is None else low,
                                        stops[-1] if high is None else high)
        st.session_state["filtres_lus"] = lecture.rejets
    low, high = st.session_state[AMOUNT_KEY]
    stops = sorted({*stops, *(v for v in (low, high) if stops[0] <= v <= stops[-1])})
    st.session_state[AMOUNT_KEY] = (min(max(low, stops[0]), stops[-1]),
                                    max(min(high, stops[-1]), stops[0]))
    counts = query("filtres_comptes", _current(stops, from_address))
    with st.sidebar:
        st.markdown("### Filtres")
        st.caption("Entre parenthèses : le nombre de projets de chaque valeur, sous les autres "
                   "filtres.")
        for name, (label, _) in DIMENSIONS.items():
            options = known.get(name, {})
            dimension = counts[counts["filtre"] == name]
            st.multiselect(
                label, list(options), key=f"filtre_{name}", placeholder="Tous",
                default=from_address.get(name) or None,
                format_func=_with_count(options, dict(zip(dimension["valeur"],
                                                          dimension["nb_projets"]))),
            )
        # `value` only tells Streamlit that this is a range; the state holds the selection.
        st.select_slider("Subvention accordée", stops, value=(stops[0], stops[-1]),
                         key=AMOUNT_KEY, format_func=fmt.euros,
                         help="Projets dont la subvention de la MEL est dans cet intervalle, "
                              "bornes comprises.")
        st.button("Réinitialiser les filtres", on_click=reset_filters, width="stretch")
    filtres = _current(stops)
    # Only the filters' own parameters: a page's controls keep theirs (`url_widget`).
    wanted = filtres.to_query()
    for name in [*DIMENSIONS, *MONTANTS]:
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]
    st.session_state["filtres"] = filtres
    return filtres


def filtres() -> Filtres:
    return st.session_state.get("filtres", Filtres())
