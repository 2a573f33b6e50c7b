"""The Streamlit side shared by every page: the cached store, the sidebar filters, the notice.

Pages stay thin: they read `filtres()`, call `query()`, pass the result to a chart builder of
`ess.charts` and render it with `chart()`. The sidebar's « Exporter » section (`export_panel()`)
is on every page: the PowerPoint deck of the view, the image format of the charts' toolbar, the
open data.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ess import filters, fmt, queries, tables
from ess.charts import NOTICE
from ess.exports import deck, file_stem, scdl
from ess.exports import tables as export_tables
from ess.kpis import Kpi  # noqa: F401  (pages build their cards as ui.Kpi)
from ess.filters import DIMENSIONS, MAX_PARAM_LENGTH, Filtres, from_query, summary
from ess.paths import STORE_FILE
from ess.reconcile import reconcile, source_checks
from ess.store import open_store

METHOD_PAGE = "pages/sources.py"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}
EMPTY_MESSAGE = (
    "Aucun projet ne correspond à ces filtres. Élargissez la sélection dans le panneau "
    "«\u00a0Filtres\u00a0» ou réinitialisez les filtres."
)
# How each kind of column reads in a table (« Voir les données », project list).
FORMATS = {
    "subvention_eur": fmt.euros, "subvention": fmt.euros,
    "emplois_prevus_etp": fmt.etp, "emplois_realises_etp": fmt.etp,
    "emplois_prevus": fmt.etp, "emplois_realises": fmt.etp,
    "part_pct": fmt.pct, "part_publiee_pct": fmt.pct, "taux_realisation_pct": fmt.pct,
    "etp_pour_10k": lambda v: fmt.nombre(v, 1), "nb_projets": fmt.nombre, "nb_publie": fmt.nombre,
    "population": fmt.nombre, "annee": str,
}


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


@st.cache_data(max_entries=2, show_spinner=False)
def _checks(version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    cursor = _connection(version).cursor()
    try:
        return reconcile(cursor), source_checks(cursor)
    finally:
        cursor.close()


def checks() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published figures recomputed, and the documents' own sums, per store version."""
    return _checks(store_version())


def query(name: str, filtres: Filtres | None = None, **params) -> pd.DataFrame:
    """Result of `queries/<name>.sql`, cached by its parameters and the store's version."""
    return _query(name, filtres or Filtres(), store_version(), tuple(sorted(params.items())))


def known_values() -> dict[str, dict[str, str]]:
    """For each filter, its allowed values (as in the URL) and their labels, in order."""
    return filters.known_values(query("filtres_valeurs"))


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
        st.warning(f"Adresse : {rejet}", icon=":material/warning:")
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
                st.warning(f"Adresse : {label} : valeur inconnue « {raw[:40]} » ignorée.",
                           icon="⚠️")
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


def stop_if_empty(filtres: Filtres) -> None:
    """When no project passes the filters: say so, offer the reset, and stop the page there."""
    if query("projets_kpi", filtres).loc[0, "nb_projets"]:
        return
    st.info(EMPTY_MESSAGE, icon="ℹ️")
    # The sidebar is folded away on a phone: the reset must be reachable from the page too.
    st.button("Réinitialiser les filtres", on_click=_reset, key="reinitialiser_vide")
    st.stop()


def kpis(cards: list[Kpi]) -> None:
    """Cards side by side on a screen, stacked on a phone (Streamlit stacks narrow columns)."""
    for column, card in zip(st.columns(len(cards)), cards):
        with column.container(border=True, height="stretch"):
            st.metric(card.label, card.value, help=card.help)
            st.caption(card.context)


def table(data: pd.DataFrame, **kwargs) -> None:
    """A table with French column names and French number formats (sorting stays numeric)."""
    formats = {
        tables.LIBELLES.get(column, column): _blank_na(FORMATS[column])
        for column in data.columns if column in FORMATS
    }
    st.dataframe(tables.en_francais(data).style.format(formats), hide_index=True,
                 width="stretch", **kwargs)


def _blank_na(formatter):
    return lambda v: "–" if pd.isna(v) else formatter(v)


@st.cache_data(max_entries=128, show_spinner=False)
def _figure(name: str, data: pd.DataFrame, _builder) -> go.Figure:
    return _builder(data)


def figure(builder, data: pd.DataFrame) -> go.Figure:
    """`builder(data)`, cached by the builder's name and the data: building a Plotly figure
    costs tens of milliseconds, and most views are asked for again and again."""
    return _figure(f"{builder.__module__}.{builder.__qualname__}", data, builder)


def chart(fig: go.Figure, data: pd.DataFrame, key: str) -> None:
    """A chart with its data table behind a toggle (information never carried by colour alone).

    The toolbar's camera downloads the image in the format chosen in the sidebar (PNG at twice
    the screen resolution, or SVG), drawn by the reader's browser, named after `key` and the day.
    """
    image = {"format": st.session_state.get("format_images", "png"), "filename": file_stem(key),
             "scale": 2}
    # theme=None: the app shows the figure exactly as built, as an exported image would.
    st.plotly_chart(fig, width="stretch", key=key, theme=None,
                    config={"displaylogo": False, "responsive": True,
                            "toImageButtonOptions": image})
    if st.toggle("Voir les données", key=f"donnees_{key}"):
        table(data)
        download_table(tables.en_francais(data), key)


def download_table(df: pd.DataFrame, name: str) -> None:
    """Download buttons for a table: CSV for French Excel (`;`, BOM), the same with a decimal
    comma, and XLSX. The files are written only when a button is pressed."""
    stem = file_stem(name)
    with st.container(horizontal=True):
        st.download_button(
            "CSV", partial(export_tables.to_csv, df), file_name=f"{stem}.csv", mime=export_tables.CSV_MIME,
            key=f"csv_{name}", icon=":material/download:", on_click="ignore",
            help="UTF-8, séparateur point-virgule, point décimal.",
        )
        st.download_button(
            "CSV virgule décimale", partial(export_tables.to_csv, df, decimal_comma=True),
            file_name=f"{stem}_virgule.csv", mime=export_tables.CSV_MIME, key=f"csv_fr_{name}",
            icon=":material/download:", on_click="ignore",
            help="Pour Excel en français : séparateur point-virgule, virgule décimale.",
        )
        st.download_button(
            "Excel (XLSX)", partial(export_tables.to_xlsx, df), file_name=f"{stem}.xlsx",
            mime=export_tables.XLSX_MIME, key=f"xlsx_{name}", icon=":material/download:",
            on_click="ignore",
        )


def _build_deck(current: Filtres, slides: list[str]) -> None:
    """Build the deck with a progress bar; keep it for the download button of this view."""
    with st.status("Construction de la présentation…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int, titre: str) -> None:
            bar.progress(done / total if total else 1.0, text=f"{titre} ({done}/{total})")

        cursor = _connection(store_version()).cursor()
        try:
            data = deck.build(cursor, current, slides, progress=progress)
        except Exception as error:  # shown to the user in French, never as a traceback
            status.update(label="La présentation n'a pas pu être construite", state="error")
            st.error(f"Erreur : {error}. Réessayez ; si le problème persiste, signalez-le.")
            return
        finally:
            cursor.close()
        status.update(label="Présentation prête", state="complete", expanded=False)
    st.session_state["presentation"] = (current, tuple(slides), store_version(), data)


def _deck_panel() -> None:
    current = filtres()
    st.caption(f"Vue exportée : {summary(current, known_values())}")
    with st.form("export_pptx", border=False):
        st.markdown("**Diapositives**")
        checked = {
            s.id: st.checkbox(s.titre, value=True, key=f"diapo_{s.id}") for s in deck.SLIDES
        }
        build = st.form_submit_button("Construire la présentation", type="primary",
                                      width="stretch")
    chosen = [i for i, kept in checked.items() if kept]
    if build:
        if chosen:
            _build_deck(current, chosen)
        else:
            st.warning("Cochez au moins une diapositive.")
    built = st.session_state.get("presentation")
    if built and built[:3] == (current, tuple(chosen), store_version()):
        st.download_button(
            "Télécharger la présentation", built[3],
            file_name=f"{file_stem('assises-ess-mel')}.pptx", mime=PPTX_MIME, type="primary",
            icon=":material/download:", width="stretch", on_click="ignore",
        )
    elif built:
        st.caption("La vue, les diapositives ou les données ont changé : reconstruisez la "
                   "présentation.")


def _open_data() -> bytes:
    cursor = _connection(store_version()).cursor()
    try:
        return scdl.archive(cursor)
    finally:
        cursor.close()


def export_panel() -> None:
    """The sidebar's « Exporter » section, rendered by app.py for every page. Read-only, so it
    stays in the public deployment; the deck is built only when asked, never on a rerun."""
    with st.sidebar:
        st.markdown("### Exporter")
        with st.popover("Exporter en PowerPoint", icon=":material/slideshow:", width="stretch"):
            _deck_panel()
        st.segmented_control(
            "Images des graphiques", list(IMAGE_FORMATS), format_func=IMAGE_FORMATS.get,
            default="png", required=True, key="format_images",
            help="Format de l'image que télécharge l'appareil photo de la barre d'outils de "
                 "chaque graphique : PNG haute résolution ou SVG vectoriel.",
        )
        st.download_button(
            "Données ouvertes (SCDL)", _open_data,
            file_name=f"{file_stem('subventions-ess-mel')}.zip", mime="application/zip",
            icon=":material/dataset:", width="stretch", on_click="ignore",
            help="Les subventions de tous les projets au format national SCDL « subventions », "
                 "avec leur README (licence, sources, colonnes non renseignées).",
        )
