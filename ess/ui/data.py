"""The store as the pages see it: one cached read-only connection per store version, cached
query results, the published figures' checks. The only place the Streamlit side opens the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import pandas as pd
import streamlit as st

from ess import filters, provenance, queries
from ess.filters import Filtres
from ess.paths import STORE_FILE
from ess.reconcile import reconcile, source_checks
from ess.store import open_store
from ess.ui.kept import Kept


def store_version() -> int:
    """Changes when the store file is replaced (build, import, rollback): the cache key."""
    return STORE_FILE.stat().st_mtime_ns

@st.cache_resource(max_entries=2)
def _connection(version: int):
    return open_store(STORE_FILE)

# Query results of every session: a few views of every query of every page, and at most
# 256 MB together (hostile filter combinations cannot fill the memory).
RESULTS = Kept(max_entries=512, max_bytes=256 * 2**20,
               size=lambda frame: int(frame.memory_usage(index=True).sum()))


def _run(name: str, filtres: Filtres, version: int, params: tuple) -> pd.DataFrame:
    # A cursor per call: Streamlit runs each session in its own thread.
    cursor = _connection(version).cursor()
    try:
        return queries.run(cursor, name, filtres, _known_figures(version), **dict(params))
    finally:
        cursor.close()

@lru_cache(maxsize=2)
def _known_figures(version: int) -> dict:
    """Which figures of the store are published or derived: read once per store version
    (seven queries), not for every new view. Shared: nobody may change it."""
    cursor = _connection(version).cursor()
    try:
        return provenance.known_figures(cursor)
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
    """Result of `queries/<name>.sql`, kept by its parameters and the store's version.

    The caller's own copy: changing it (a column added for a chart) copies what it changes
    and leaves the kept result alone (pandas' copy-on-write)."""
    key = (name, filtres or Filtres(), store_version(), tuple(sorted(params.items())))
    return RESULTS.get(key, lambda: _run(*key)).copy(deep=False)

def rows(name: str, filtres: Filtres | None = None, **params) -> pd.DataFrame:
    """Result of `queries/<name>.sql` read now, outside the query cache: every row of a long
    list for a download, which the cache would otherwise keep for every session."""
    with cursor() as cur:
        return queries.run(cur, name, filtres, **params)

def known_values() -> dict[str, dict[str, str]]:
    """For each filter, its allowed values (as in the URL) and their labels, in order.

    Shared by every session and read three times per run (filters, header, export panel):
    nobody may change it."""
    return _known_values(store_version())

@lru_cache(maxsize=2)
def _known_values(version: int) -> dict[str, dict[str, str]]:
    # Grouping the query's rows costs a few milliseconds, once per store version.
    return filters.known_values(query("filtres_valeurs"))


@contextmanager
def cursor() -> Iterator:
    """A cursor of the current store for work done outside the query cache (deck, open data):
    Streamlit runs each session in its own thread, and DuckDB wants a cursor per thread."""
    cur = _connection(store_version()).cursor()
    try:
        yield cur
    finally:
        cur.close()
