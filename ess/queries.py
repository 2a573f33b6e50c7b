"""Run the dashboard's questions: one named `.sql` file in `queries/` each.

Parameters are bound by DuckDB (`$annees`, `$territoires`…), never formatted into the SQL.
A query receives only the parameters its text names, so every query can be called with the
same filters.
"""

from __future__ import annotations

import re
from functools import lru_cache

import duckdb
import pandas as pd

from ess.filters import Filtres
from ess.paths import QUERIES_DIR

_PARAMETER = re.compile(r"\$([a-z_]+)")
_NAME = re.compile(r"^[a-z0-9_]+$")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    if not _NAME.match(name):
        raise ValueError(f"Nom de requête invalide : {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    filtres: Filtres | None = None,
    known: dict | None = None,
    **params,
) -> pd.DataFrame:
    """The result of query `name` under `filtres` (all projects when None) and extra params.

    A result that aggregates projects (it counts `nb_reconstitues`) comes back with the
    provenance of each figure, and a list of projects with its source line
    (`ess.provenance.annotate`): every page, the deck and the site get them from here, never
    by hand. `known`: the store's published figures (`provenance.known_figures`), when the
    caller keeps them for the store; read again otherwise.
    """
    frame = execute(con, name, filtres, **params)
    if "nb_reconstitues" not in frame and "provenance" not in frame:
        return frame
    from ess import provenance  # it runs queries itself: imported here, not at the top

    return provenance.annotate(con, name, filtres, frame, known)


def execute(
    con: duckdb.DuckDBPyConnection,
    name: str,
    filtres: Filtres | None = None,
    **params,
) -> pd.DataFrame:
    """The bare result of query `name`, without provenance columns."""
    text = sql(name)
    values = {**(filtres or Filtres()).params(), **params}
    wanted = set(_PARAMETER.findall(text))
    missing = wanted - values.keys()
    if missing:
        raise KeyError(f"Paramètres manquants pour {name} : {', '.join(sorted(missing))}")
    return con.execute(text, {k: values[k] for k in wanted}).df()
