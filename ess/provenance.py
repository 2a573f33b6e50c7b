"""Where each figure comes from: published, derived from published figures only, or
reconstructed, decided from the data and never by hand per chart.

A figure computed from imported rows only (provenance `publié`: the MEL's own file) is
published. Otherwise it is published when an `indicateur` row publishes it (same query, key and
column, equal at the precision of its publication), derived when published figures alone give
it (a count from a published share, the remainder of a published total, a sum or a ratio of
known figures), and reconstructed in every other case.

Queries that aggregate projects return `nb_reconstitues` per row; `ess.queries.run` then calls
`annotate`, which adds a column `provenance_<column>` for each figure column. Chart builders,
KPI cards, the deck, the static site and the downloads read those columns, so that the marks
change by themselves when staff import the real file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from ess import fmt
from ess import documents
from ess.filters import Filtres

PUBLIE, DERIVE, RECONSTITUE = "publié", "dérivé", "reconstitué"
_RANK = {PUBLIE: 0, DERIVE: 1, RECONSTITUE: 2}
LEGEND = "estimation (reconstitution)"
MARK = "Estimation (reconstitution)"  # under a KPI card's figure
PREFIX = "provenance_"

# The figure columns of the project queries; additive ones add up across categories.
ADDITIVE = ("nb_projets", "subvention", "emplois_prevus", "emplois_realises")
KPI_ADDITIVE = {"nb_projets": "nb_projets", "subvention_totale": "subvention",
                "emplois_prevus": "emplois_prevus", "emplois_realises": "emplois_realises"}
# Ratios: column → (numerator, denominator); a ratio of known figures is derived.
RATIOS = {
    "subvention_moyenne": ("subvention_totale", "nb_projets"),
    "part_associations_pct": ("nb_associations", "nb_projets"),
    "taux_realisation_pct": ("emplois_realises", "emplois_prevus"),
    "etp_pour_10k": ("emplois_realises", "subvention"),
}
# The per-category questions, and the sidebar filter that selects their categories.
DIMENSIONS = {
    "projets_par_annee": "annees", "projets_par_territoire": "territoires",
    "projets_par_forme": "formes", "projets_par_activite": "activites",
    "projets_par_axe": "axes",
}
# Headline figures that are one category's figure of a per-category question.
KPI_ALIASES = {
    "nb_associations": ("projets_par_forme", "association", "nb_projets"),
    "part_associations_pct": ("projets_par_forme", "association", "part_pct"),
}
FIGURES = (*ADDITIVE, "part_pct", *KPI_ADDITIVE, "subvention_moyenne", "subvention_max",
           "nb_associations", "part_associations_pct")
_IMPORTED = re.compile(r"^Fichier importé (.+?)(?: du ([^,]+))?, ligne")

Known = dict[tuple[str, str | None, str], str]


def worst(values: Iterable[str]) -> str:
    """The weakest provenance of several figures (published < derived < reconstructed)."""
    return max(values, key=_RANK.__getitem__, default=PUBLIE)


def derived(*inputs: str) -> str:
    """The provenance of a figure computed from `inputs`: derived unless one is reconstructed."""
    return worst([DERIVE, *inputs])


def stated(*provenances: str) -> bool:
    """Whether a title may state figures of these provenances as a finding."""
    return all(p != RECONSTITUE for p in provenances)


def of(frame: pd.DataFrame, column: str) -> list[str]:
    """The provenance of each value of `column` (published when the frame says nothing)."""
    name = PREFIX + column
    return frame[name].tolist() if name in frame else [PUBLIE] * len(frame)


def estimated(frame: pd.DataFrame, column: str) -> list[bool]:
    """For each value of `column`: is it a reconstruction, to be drawn as such?"""
    return [p == RECONSTITUE for p in of(frame, column)]


def total(frame: pd.DataFrame, column: str) -> str:
    """The provenance of the sum of `column` over the rows of `frame`: the headline figure it
    equals when `annotate` found one (62 projects are published even where the territories'
    split is not), else that of a sum of its rows."""
    found = frame.attrs.get("totals", {}).get(column)
    return found or derived(*of(frame, column))


# --------------------------------------------------------------------------- deciding


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _equal(published: float, computed) -> bool:
    if computed is None or pd.isna(computed):
        return False
    places = _decimals(published)
    return round(float(computed), places) == round(published, places)


def _call_figures(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The published figures of the call's projects that a query of the store can give, as
    (query, key, column, value, unit, periode, source_doc). A figure about years before the
    store's first project (« more than 140 projects since 2011 ») says nothing of it, and would
    hide the figure of the same query that does (62 projects in 2015-2018)."""
    from ess.reconcile import figure_years  # reconcile runs the queries, which call this module

    first_year = con.execute("SELECT min(annee) FROM projet").fetchone()[0]
    rows = con.execute(
        "SELECT requete, cle, colonne, valeur, unite, periode, source_doc FROM indicateur "
        "WHERE requete LIKE 'projets\\_%' ESCAPE '\\' "
        "ORDER BY source_doc = '003' DESC, source_doc, periode"
    ).fetchall()
    return [row for row in rows
            if first_year is None or not (years := figure_years(row[5])) or years[0] >= first_year]


def _facts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str | None, str], float]:
    return {(q, k, c): v for q, k, c, v, *_ in _call_figures(con)}


def _count_from_share(share: float, total: int) -> int | None:
    """The only whole number of projects whose share of `total` rounds to the published
    `share`, or None when none or several do (7 % of 62 projects: none)."""
    places = _decimals(share)
    fits = [n for n in range(total + 1) if round(100 * n / total, places) == round(share, places)]
    return fits[0] if len(fits) == 1 else None


def known_figures(con: duckdb.DuckDBPyConnection) -> Known:
    """The provenance of every figure of the per-category questions and of the headline
    figures, without filters: (query, key, column) → published or derived. A figure absent is
    reconstructed."""
    from ess import queries  # the queries call this module: imported here, not at the top

    facts = _facts(con)
    known: Known = {}
    kpi = queries.execute(con, "projets_kpi").iloc[0]
    for column in KPI_ADDITIVE:
        if _equal(facts.get(("projets_kpi", None, column), float("nan")), kpi[column]):
            known[("projets_kpi", None, column)] = PUBLIE
    total_known = ("projets_kpi", None, "nb_projets") in known
    total = int(kpi["nb_projets"])
    for query in DIMENSIONS:
        frame = queries.execute(con, query)
        keys = frame.iloc[:, 0].astype(str).tolist()
        for key, row in zip(keys, frame.to_dict("records")):
            for column in (*ADDITIVE, "part_pct"):
                fact = facts.get((query, key, column))
                if column in row and fact is not None and _equal(fact, row[column]):
                    known[(query, key, column)] = PUBLIE
            share = facts.get((query, key, "part_pct"))
            if (total_known and share is not None and (query, key, "part_pct") in known
                    and (query, key, "nb_projets") not in known
                    and _count_from_share(share, total) == row["nb_projets"]):
                known[(query, key, "nb_projets")] = DERIVE
        # The one category a published total leaves over is derived (62 minus the others).
        for column, kpi_column in ((c, k) for k, c in KPI_ADDITIVE.items()):
            missing = [k for k in keys if (query, k, column) not in known]
            if len(missing) == 1 and ("projets_kpi", None, kpi_column) in known:
                known[(query, missing[0], column)] = DERIVE
        if "part_pct" in frame and total_known:
            for key in keys:
                if (query, key, "part_pct") not in known and (query, key, "nb_projets") in known:
                    known[(query, key, "part_pct")] = DERIVE
    for column, cell in KPI_ALIASES.items():
        if cell in known:
            known[("projets_kpi", None, column)] = known[cell]
    return known


def _dimension_cell(known: Known, query: str, key: str, column: str,
                    chosen: tuple[str, ...]) -> str:
    """A figure of a per-category question when only its own dimension is filtered (`chosen`,
    empty without filter): its absolute figures stay those of the whole call; a share of the
    chosen categories is derived when all their counts are known."""
    if column == "part_pct" and chosen:
        return derived(*(known.get((query, k, "nb_projets"), RECONSTITUE) for k in chosen))
    return known.get((query, key, column), RECONSTITUE)


def _kpi_cell(known: Known, column: str, active: dict[str, tuple[str, ...]]) -> str:
    if not active:
        return known.get(("projets_kpi", None, column), RECONSTITUE)
    if column in KPI_ADDITIVE and len(active) == 1:
        (dimension, chosen), = active.items()
        # No figure is published per commune or per grant range.
        query = next((q for q, d in DIMENSIONS.items() if d == dimension), None)
        if query is None:
            return RECONSTITUE
        cells = [known.get((query, k, KPI_ADDITIVE[column]), RECONSTITUE) for k in chosen]
        return cells[0] if len(cells) == 1 else derived(*cells)
    return RECONSTITUE


def annotate(con: duckdb.DuckDBPyConnection, query: str, filtres: Filtres | None,
             frame: pd.DataFrame, known: Known | None = None) -> pd.DataFrame:
    """`frame` (the result of `query` under `filtres`, with `nb_reconstitues`) plus a column
    `provenance_<c>` for each figure column `c`, and its source line in `frame.attrs`.
    `known`: `known_figures(con)`, when the caller keeps it for the store (seven queries)."""
    out = frame.copy()
    columns = [c for c in FIGURES if c in out]
    if "nb_reconstitues" not in out:  # a list of projects: each row says its provenance
        out.attrs["source"] = source_line(con, bool((out["provenance"] == RECONSTITUE).any()))
        return out
    if not columns:
        return out
    if known is None:
        known = known_figures(con)
    # A grant bound is a single number, not a list: it filters all the same.
    active = {name: tuple(str(v) for v in values) if isinstance(values, list) else (str(values),)
              for name, values in (filtres or Filtres()).params().items()
              if values not in ([], None)}
    dimension = DIMENSIONS.get(query)
    chosen = active.get(dimension, ()) if dimension else ()
    reconstructed = bool(out["nb_reconstitues"].sum())
    keys = out.iloc[:, 0].astype(str).tolist()
    for column in columns:
        values = []
        for key, left, count in zip(keys, out["nb_reconstitues"], out["nb_projets"]):
            if not reconstructed or (count and not left):  # the MEL's own rows only
                values.append(PUBLIE)
            elif query == "projets_kpi":
                values.append(_kpi_cell(known, column, active))
            elif dimension and set(active) <= {dimension}:
                # A category the filter leaves out is empty by the filter, not by estimate.
                values.append(PUBLIE if chosen and key not in chosen else
                              _dimension_cell(known, query, key, column, chosen))
            else:  # even a category without a project: that it has none is an estimate too
                values.append(RECONSTITUE)
        out[PREFIX + column] = values
    for column, (numerator, denominator) in RATIOS.items():
        if PREFIX + column in out and {numerator, denominator} <= set(out):
            out[PREFIX + column] = [
                p if p != RECONSTITUE else derived(n, d)
                for p, n, d in zip(out[PREFIX + column], of(out, numerator),
                                   of(out, denominator))
            ]
    if dimension:
        out.attrs["totals"] = {
            column: _kpi_cell(known, kpi_column, active) if reconstructed else PUBLIE
            for kpi_column, column in KPI_ADDITIVE.items()
        }
    out.attrs["source"] = source_line(con, reconstructed)
    return out


def with_ratio(frame: pd.DataFrame, column: str, numerator: str, denominator: str) -> None:
    """Add the provenance of the ratio `column` computed from two columns of `frame`."""
    if PREFIX + numerator in frame or PREFIX + denominator in frame:
        frame[PREFIX + column] = [derived(n, d) for n, d in
                                  zip(of(frame, numerator), of(frame, denominator))]


# --------------------------------------------------------------------------- sources


def imported_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """« « resultats.xlsx » du 12/03/2025 » for each file the staff imported, as its rows say."""
    rows = con.execute(
        "SELECT DISTINCT source FROM projet WHERE provenance = 'publié' AND source IS NOT NULL"
    ).fetchall()
    found = {m.groups() for (s,) in rows if (m := _IMPORTED.match(s))}
    return [fmt.guillemets(name) + (f" du {day}" if day else "") for name, day in sorted(found)]


def published_sources(con: duckdb.DuckDBPyConnection, short: bool = False) -> list[str]:
    """The documents of the call's published figures, each with what it gives when that is
    short (« Site de la MEL : 768 200 € ») unless `short`."""
    by_document: dict[str, list[str]] = {}
    for *_, value, unit, period, document in _call_figures(con):
        text = fmt.mesure(value, unit) + (f" en {period}" if str(period).isdigit() else "")
        by_document.setdefault(document, []).append(text)
    parts = []
    for document, figures in by_document.items():
        name = documents.DOCUMENTS.get(document, (document, ""))[0]
        parts.append(name if short or len(figures) > 3 else f"{name} : {', '.join(figures)}")
    return parts


def source_line(con: duckdb.DuckDBPyConnection, reconstructed: bool, short: bool = False) -> str:
    """The source of the call's figures: the MEL's imported file, and while rows are
    reconstructed the published documents (`short`: their names only, for a slide's footer)."""
    files = imported_files(con)
    parts = []
    if files:
        parts.append("fichier des résultats de la MEL " + ", ".join(files))
    if reconstructed or not files:
        parts += published_sources(con, short)
    return ("Sources : " if len(parts) > 1 else "Source : ") + " ; ".join(parts) + "."


# --------------------------------------------------------------------------- what readers see

NOTICE = "Données reconstituées à partir des chiffres publiés"


def notice(par_territoire: pd.DataFrame) -> str:
    """What is exact, deduced and reconstructed while projects are reconstructed, from the
    result of `projets_par_territoire` without filters (the territories whose count no
    published figure gives are named)."""
    guessed = [n for n, p in zip(par_territoire["nom"], of(par_territoire, "nb_projets"))
               if p == RECONSTITUE]
    deduced = "le nombre de projets de chaque territoire en est déduit" + (
        f", sauf pour {' et '.join(guessed)}" if guessed else "")
    return (
        f"{NOTICE}. Les résultats par projet de l'appel à projets ne sont pas publics. Sont "
        "publiés, et exacts ici : le nombre de projets, le montant total des subventions, les "
        "emplois prévus et réalisés, les formes juridiques, les activités, les parts des "
        f"territoires et les lauréats de 2016 et 2017 ; {deduced}. Le reste (répartition entre "
        "projets, années, montants et emplois par catégorie) est une estimation, hachurée sur "
        "les graphiques."
    )


def summary(frame: pd.DataFrame, labels: dict[str, str]) -> list[str] | None:
    """One provenance text per row for the figure columns of `frame` that carry one (« publié »,
    or « Projets : publié ; Subventions (€) : reconstitué » when they differ), or None when every
    figure is published: a table needs the column only where its rows mix."""
    columns = [c for c in frame.columns if PREFIX + c in frame]
    if not columns:
        return None
    cells = frame[[PREFIX + c for c in columns]]
    if (cells == PUBLIE).all().all():
        return None
    texts = []
    for row in cells.itertuples(index=False):
        if len(set(row)) == 1:
            texts.append(row[0])
            continue
        groups: dict[str, list[str]] = {}
        for column, origin in zip(columns, row):
            groups.setdefault(origin, []).append(labels.get(column, column))
        texts.append(" ; ".join(f"{', '.join(names)} : {origin}"
                                for origin, names in groups.items()))
    return texts


def keep(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame[columns]` with the provenance of those columns, for a table of the figures."""
    return frame[columns + [PREFIX + c for c in columns if PREFIX + c in frame]]
