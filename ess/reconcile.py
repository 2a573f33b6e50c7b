"""Recompute the published figures through the dashboard's own queries, and check the sources.

`reconcile` compares every figure of `indicateur` that names a query with what that query
returns on the store, at the precision the figure was published with: the dashboard shows
what was published, or says where it does not (« écart signalé » when the figure's note
explains why, « écart » otherwise).
`source_checks` recomputes the sums the source documents print themselves, and reports the
ones the documents get wrong rather than hiding them.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ess import queries
from ess.filters import Filtres

_SPAN = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _published_precision(value: float) -> int:
    """Decimals the published figure was given with (45 → 0, 3.5 → 1)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def figure_years(periode) -> tuple[int, ...] | None:
    """The years a figure's `periode` names (« 2015-2018 », « 2016 »); None when it names no
    span of years (« depuis 2015 », « par an »)."""
    match = _SPAN.match(str(periode).strip()) if isinstance(periode, str) else None
    if not match:
        return None
    first = int(match.group(1))
    return tuple(range(first, int(match.group(2) or first) + 1))


def reconcile(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each figure is recomputed on the years it was published for. A figure about years
    before the first period of the call the store holds projects of is left out: the store
    cannot recompute it (« since 2011 » while the store starts with the 2015-2020 period)."""
    figures = queries.run(con, "indicateurs")
    figures = figures[figures["requete"].notna()]
    periods = queries.run(con, "projets_par_periode")
    first_year = int(periods.loc[periods["nb_projets"] > 0, "annee_debut"].min())
    results = {}
    rows = []
    for figure in figures.itertuples():
        years = figure_years(figure.periode)
        if years and years[0] < first_year:
            continue
        if (figure.requete, years) not in results:
            results[figure.requete, years] = queries.run(
                con, figure.requete, Filtres(annees=years) if years else None)
        frame = results[figure.requete, years]
        if pd.isna(figure.cle):
            line = frame.iloc[0]
        else:
            match = frame[frame.iloc[:, 0].astype(str) == str(figure.cle)]
            line = match.iloc[0] if len(match) else None
        computed = None if line is None else float(line[figure.colonne])
        decimals = _published_precision(figure.valeur)
        ok = computed is not None and round(computed, decimals) == round(figure.valeur, decimals)
        # A gap the figure's note explains is reported as such; any other gap is a defect.
        status = "ok" if ok else ("écart signalé" if isinstance(figure.note, str) else "écart")
        rows.append({
            "id": figure.id, "libelle": figure.libelle, "publie": figure.valeur,
            "calcule": computed, "unite": figure.unite, "statut": status, "note": figure.note,
            "source": f"{figure.source_doc}, {figure.source_lieu}",
        })
    return pd.DataFrame(rows)


def source_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The source documents' own sums: printed total, recomputed total, and the verdict."""
    frame = queries.run(con, "controles_sources")
    frame["statut"] = [
        "ok" if abs(p - c) < 0.005 else "écart" for p, c in zip(frame["publie"], frame["calcule"])
    ]
    return frame
