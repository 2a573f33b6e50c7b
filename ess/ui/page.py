"""The parts of a page: its frame and header (filters, notice), controls kept in the URL, the
empty-selection stop, the KPI cards."""

from __future__ import annotations

import math

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ess import fmt, provenance
from ess.tables import texte
from ess.filters import MAX_PARAM_LENGTH, Filtres, summary
from ess.kpis import Kpi
from ess.ui.data import known_values, query
from ess.ui.sidebar_filters import reset_filters, filtres

METHOD_PAGE = "pages/sources.py"
EMPTY_MESSAGE = (
    "Aucun projet ne correspond à ces filtres. Élargissez la sélection dans le panneau "
    "«\u00a0Filtres\u00a0» ou réinitialisez les filtres."
)


def _ensure_frame() -> None:
    """Run the page inside app.py's frame, even when a shared link opens a fresh server on it.

    Until app.py has called st.navigation once, Streamlit treats the `pages/` folder as an
    old-style multipage app and runs a requested sub-page (`/territoires?annees=2017`) alone:
    no sidebar, no filters. st.navigation clears that flag; clearing it here and rerunning
    sends this first run through app.py, on the same page and with the same address.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()

def header(title: str, intro: str | None = None) -> Filtres:
    """Page title, the active filters in one line, the data notice; returns the filters."""
    _ensure_frame()
    current = filtres()
    st.title(title)
    if intro:
        st.markdown(intro)
    for rejet in st.session_state.get("filtres_lus", []):
        st.warning(f"Adresse : {texte(rejet)}", icon=":material/warning:")
    # Shown once: the address is already corrected, a later run must not repeat the notice.
    st.session_state["filtres_lus"] = []
    st.caption(f"**Filtres actifs** — {texte(summary(current, known_values()))}")
    # Only where the rows shown are still reconstructed: imported rows are `publié`.
    kpi = query("projets_kpi", current)
    if int(kpi.loc[0, "nb_reconstitues"]):
        with st.container(border=True):
            text = provenance.notice(query("projets_par_territoire"))
            st.markdown(f"**{provenance.NOTICE}.**{text.removeprefix(provenance.NOTICE + '.')}")
            st.page_link(METHOD_PAGE, label="Voir la méthode et les sources", icon=":material/menu_book:")
    return current

def url_widget(widget, key: str, label: str, allowed: list[str] | None = None,
               default: str | None = None, **kwargs):
    """`widget(label, key=key, **kwargs)` whose value also lives in the URL parameter `key`.

    A link opens the page with that value; a value outside `allowed` is dropped with a notice.
    Streamlit clears the page's parameters when the reader changes page.
    """
    if key not in st.session_state:  # first run of this widget: the address decides
        raw = st.query_params.get(key)
        if raw is not None and (allowed is None or raw in allowed):
            st.session_state[key] = raw[:MAX_PARAM_LENGTH]
        else:
            if raw is not None:
                st.warning(f"Adresse : {label} : valeur inconnue « {texte(raw[:40])} » "
                           "ignorée.", icon=":material/warning:")
            if default is not None:
                st.session_state[key] = default
    elif allowed is not None and st.session_state[key] not in allowed:
        # The options changed under the widget (a new search): back to the first one.
        st.session_state[key] = default if default in allowed else allowed[0]
    value = widget(label, key=key, **kwargs)
    if value in (None, "", default):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)
    return value

def pager(key: str, rows: int, per_page: int, view) -> int:
    """A page number control for `rows` rows shown `per_page` at a time, kept in the URL
    parameter `key`; back to the first page when `view` (the search, the filters) changes.
    Returns the offset of the first row to show."""
    pages = max(1, math.ceil(rows / per_page))
    if key not in st.session_state:  # first run of this control: the address decides
        raw = st.query_params.get(key)
        # ASCII digits only: « ² » is a digit for str.isdigit, not for int().
        number = int(raw) if raw is not None and raw.isascii() and raw.isdigit() else 1
        if raw is not None and not 1 <= number <= pages:
            st.warning(f"Adresse : page « {texte(raw[:40])} » inconnue : première page "
                       "affichée.", icon=":material/warning:")
            number = 1
        st.session_state[key] = number
    elif st.session_state.get(f"{key}_vue") != view or st.session_state[key] > pages:
        st.session_state[key] = 1
    st.session_state[f"{key}_vue"] = view
    number = st.session_state[key]
    if pages > 1:
        number = st.number_input(f"Page (sur {fmt.nombre(pages)})", min_value=1,
                                 max_value=pages, step=1, key=key)
    if number == 1:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(number):
        st.query_params[key] = str(number)
    return (number - 1) * per_page

def stop_if_empty(filtres: Filtres) -> None:
    """When no project passes the filters: say so, offer the reset, and stop the page there."""
    if query("projets_kpi", filtres).loc[0, "nb_projets"]:
        return
    st.info(EMPTY_MESSAGE, icon=":material/info:")
    # The sidebar is folded away on a phone: the reset must be reachable from the page too.
    st.button("Réinitialiser les filtres", on_click=reset_filters, key="reinitialiser_vide")
    st.stop()

def kpis(cards: list[Kpi]) -> None:
    """Cards side by side on a screen, stacked on a phone (Streamlit stacks narrow columns)."""
    for column, card in zip(st.columns(len(cards)), cards):
        with column.container(border=True, height="stretch"):
            st.metric(card.label, card.value, help=card.help)
            if card.mark:
                st.markdown(f"**:gray[{card.mark}]**")
            st.caption(card.context)
