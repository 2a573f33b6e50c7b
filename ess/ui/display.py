"""Charts and tables on a page: cached figures, the chart with its data behind a toggle, tables
in French formats, and their downloads."""

from __future__ import annotations

import hashlib
import pickle

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ess import fmt, plotly_fr, tables
from ess.exports import file_stem
from ess.exports import tables as export_tables
from ess.ui.kept import Kept

# How each kind of column reads in a table (« Voir les données », project list).
FORMATS = {
    "subvention_eur": fmt.euros, "subvention": fmt.euros,
    "emplois_prevus_etp": fmt.etp, "emplois_realises_etp": fmt.etp,
    "emplois_prevus": fmt.etp, "emplois_realises": fmt.etp,
    "part_pct": fmt.pct, "part_publiee_pct": fmt.pct, "taux_realisation_pct": fmt.pct,
    "etp_pour_10k": lambda v: fmt.nombre(v, 1), "nb_projets": fmt.nombre, "nb_publie": fmt.nombre,
    "population": fmt.nombre, "annee": str,
    "part_associations_pct": fmt.pct, "plafond_eur": fmt.euros,
    "nb_realises_inconnus": fmt.nombre,
}
# Figures kept by `figure()`: a few views of every chart of every page.
FIGURES = Kept(max_entries=512)
# What a missing value reads: realised jobs of recent projects are not known yet, never 0.
MISSING = {"emplois_realises_etp": "non connu", "emplois_realises": "non connu"}


def table(data: pd.DataFrame, **kwargs) -> None:
    """A table with French column names and French number formats (sorting stays numeric)."""
    formats = {
        tables.LIBELLES.get(column, column): _blank_na(FORMATS[column], MISSING.get(column, "–"))
        for column in data.columns if column in FORMATS
    }
    dataframe(tables.en_francais(tables.with_provenance(data)).style.format(formats), **kwargs)

def dataframe(data, column_config: dict | None = None, **kwargs) -> None:
    """`st.dataframe` whose first column (what a row is) is pinned at a medium width: on a
    390 px phone the figures beside it stay in view, and the label stays while scrolling."""
    first = (data.data if hasattr(data, "data") else data).columns[0]
    config = {first: st.column_config.Column(width="medium", pinned=True),
              **(column_config or {})}
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, **kwargs)

def _blank_na(formatter, missing: str = "–"):
    return lambda v: missing if pd.isna(v) else formatter(v)

def figure(builder, *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)`, kept for the process: a Plotly figure costs 30 to 100 ms to
    build (Plotly validates every property), and most views are asked for again and again.

    Keyed by the builder and its arguments' content (a DataFrame by its values); the figure is
    shared by every session, so nobody may change it after it is returned.
    """
    key = (builder.__module__, builder.__qualname__, tuple(_fingerprint(a) for a in args),
           tuple((name, _fingerprint(a)) for name, a in sorted(kwargs.items())))
    # The arguments stay alive with the figure: an identity in the key is never reused.
    return FIGURES.get(key, lambda: (builder(*args, **kwargs), args, kwargs))[0]


def _fingerprint(value):
    """What identifies an argument of a chart builder: a table by its content, a shared
    read-only object (a GeoJSON from `maps.load_geojson`) by its identity, others by value."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        # Its pickled bytes (values, index, columns, types, attrs): ten times quicker than
        # pandas' row hashes, and defined for any cell.
        return ("table", hashlib.blake2b(pickle.dumps(value, protocol=5),
                                         digest_size=16).hexdigest())
    if isinstance(value, (dict, list, set)):
        return ("shared", id(value))
    return value


def chart(fig: go.Figure, data: pd.DataFrame, key: str) -> None:
    """A chart with its data table behind a toggle (information never carried by colour alone).

    The toolbar's camera downloads the image in the format chosen in the sidebar (PNG at twice
    the screen resolution, or SVG), drawn by the reader's browser, named after `key` and the day.
    """
    image = {"format": st.session_state.get("format_images", "png"), "filename": file_stem(key),
             "scale": 2}
    # theme=None: the app shows the figure exactly as built, as an exported image would.
    st.plotly_chart(fig, width="stretch", key=key, theme=None,
                    config=plotly_fr.config(responsive=True, toImageButtonOptions=image))
    if st.toggle("Voir les données", key=f"donnees_{key}"):
        table(data)
        download_table(tables.en_francais(tables.with_provenance(data)), key)

def download_table(df, name: str) -> None:
    """Download buttons for a table: CSV for French Excel (`;`, BOM), the same with a decimal
    comma, XLSX (each with its source and notice lines) and JSON. The files are written only
    when a button is pressed; `df` may also be a function returning the table, then read only
    at that moment (every row of a long list)."""
    rows = df if callable(df) else lambda: df

    def written(writer, **options) -> bytes:
        table = rows()
        return writer(table, lines=tables.download_lines(table), **options)

    stem = file_stem(name)
    with st.container(horizontal=True):
        st.download_button(
            "CSV", lambda: written(export_tables.to_csv), file_name=f"{stem}.csv",
            mime=export_tables.CSV_MIME,
            key=f"csv_{name}", icon=":material/download:", on_click="ignore",
            help="UTF-8, séparateur point-virgule, point décimal.",
        )
        st.download_button(
            "CSV virgule décimale", lambda: written(export_tables.to_csv, decimal_comma=True),
            file_name=f"{stem}_virgule.csv", mime=export_tables.CSV_MIME, key=f"csv_fr_{name}",
            icon=":material/download:", on_click="ignore",
            help="Pour Excel en français : séparateur point-virgule, virgule décimale.",
        )
        st.download_button(
            "Excel (XLSX)", lambda: written(export_tables.to_xlsx), file_name=f"{stem}.xlsx",
            mime=export_tables.XLSX_MIME, key=f"xlsx_{name}", icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            "JSON", lambda: export_tables.to_json(rows()), file_name=f"{stem}.json",
            mime=export_tables.JSON_MIME, key=f"json_{name}", icon=":material/download:",
            on_click="ignore", help="Une liste d'objets, un par ligne du tableau (UTF-8).",
        )
