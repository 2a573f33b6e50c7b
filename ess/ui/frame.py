"""What surrounds every page: Streamlit's own interface in French, the layout of touch screens,
the page of an unknown address, and the footer (licence, citation, last update, accessibility,
legal notices, « Copier le lien »)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ess import fmt, tables
from ess.paths import ROOT, STORE_FILE
from ess.publication import ACCESSIBILITY, LICENCE_URL

ASSETS = ROOT / "ess" / "assets"
SCRIPT = (ASSETS / "interface_fr.js").read_text(encoding="utf-8")
STYLESHEET = (ASSETS / "interface.css").read_text(encoding="utf-8")
ACCESSIBILITY_PAGE = "pages/accessibilite.py"
LEGAL_PAGE = "pages/mentions_legales.py"
COPY_LINK = (
    '<p><button type="button" class="copier-lien" data-copier-lien>Copier le lien de cette vue'
    '</button> <span data-copier-lien-etat role="status"></span></p>'
)


def interface() -> None:
    """French words for Streamlit's interface and the touch-screen layout, once per page."""
    st.html(f"<style>{STYLESHEET}</style>")
    with st.sidebar:
        st.html(f"<script>{SCRIPT}</script>", unsafe_allow_javascript=True)


def requested_page() -> str:
    """The page name of the address the reader opened (`/territoires` → `territoires`)."""
    ctx = get_script_run_ctx()
    return ctx.pages_manager.intended_page_name or "" if ctx else ""


def unknown_page(address: str):
    """A French page for an address that names no page, registered under that address:
    Streamlit would otherwise run the overview under an English « Page not found »."""
    def page() -> None:
        st.title("Page introuvable")
        st.markdown("L'adresse demandée ne correspond à aucune page du tableau de bord :")
        st.code(address[:100], language=None, wrap_lines=True)
        st.markdown("Choisissez une page dans le menu, ou revenez à la vue d'ensemble.")
        st.page_link("pages/vue_ensemble.py", label="Vue d'ensemble", icon=":material/dashboard:")

    return st.Page(page, title="Page introuvable", url_path=address, visibility="hidden",
                   icon=":material/search_off:")


def last_update() -> datetime.date:
    """The day the data were last written (build, import or rollback of the store)."""
    return datetime.date.fromtimestamp(STORE_FILE.stat().st_mtime)


def _view_address() -> str:
    url = st.context.url or ""
    params = st.query_params.to_dict()
    return f"{url}?{urlencode(params)}" if params else url


def footer(title: str) -> None:
    """Licence, citation and last update of the data, accessibility, legal notices."""
    st.divider()
    st.html(COPY_LINK)
    jour = fmt.date(last_update())
    # Not a caption: its faded colour leaves the licence link below the 4.5:1 contrast.
    st.markdown(
        f"Données de la Métropole Européenne de Lille et de ses documents publiés, réutilisables "
        f"sous [Licence Ouverte 2.0 (Etalab)]({LICENCE_URL}). Mise à jour des données : {jour}.  \n"
        f"Pour citer cette page : Observatoire ESS de la MEL, « {tables.texte(title)} », "
        # In a code span: shown exactly as it is, never as Markdown or a link.
        f"données du {jour}, `{_view_address().replace('`', '%60')}`"
    )
    with st.container(horizontal=True):
        st.page_link(ACCESSIBILITY_PAGE, label=ACCESSIBILITY, icon=":material/accessibility:")
        st.page_link(LEGAL_PAGE, label="Mentions légales", icon=":material/gavel:")
