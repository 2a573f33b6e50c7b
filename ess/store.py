"""Build the DuckDB store from the versioned CSV sources, and open it.

The build validates every source against `schema.sql` (types, required cells, keys,
references) and stops at the first faulty file with French messages naming file, line and
column. It writes a temporary file next to the store and renames it into place, so a failed
build leaves the previous store untouched.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from ess.paths import SCHEMA_FILE, SOURCES_DIR, STORE_FILE

# Load order follows the references between tables.
TABLES = (
    "territoire",
    "commune",
    "plan",
    "axe",
    "periode",
    "activite",
    "forme_juridique",
    "projet",
    "action",
    "financement",
    "realisation_2013",
    "indicateur",
    "feuille_de_route",
)

PROVENANCES = ("publié", "reconstitué")
STATUTS = ("à lancer", "en cours", "réalisé")  # of a roadmap action; empty: not published
ARROW_TYPES = {
    "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "VARCHAR": pa.string(), "DATE": pa.date32(),
}


def call_years(first_years: Iterable[int]) -> tuple[int, int]:
    """The years a project can have: from the start of the call's first period to this year
    (the call is permanent; a later year is a typing error)."""
    return min(first_years), date.today().year


class SourceError(Exception):
    """One or more faulty cells in the sources; `problems` holds one French line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool


def open_store(path: Path = STORE_FILE, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The one place that opens the store. Read-only connections cannot touch the disk."""
    if not path.exists():
        raise FileNotFoundError(
            f"Le magasin de données {path.name} est absent : lancez « python -m ess build »."
        )
    if not read_only:
        return duckdb.connect(str(path))
    # A fresh in-memory instance that attaches the file: DuckDB shares one instance per file
    # path among all open connections, so connecting to the path again after an import or a
    # rebuild replaced the file would still read the old one while a page holds a connection.
    con = duckdb.connect(":memory:", config={"memory_limit": "512MB", "threads": 2})
    con.execute("ATTACH $path AS store (READ_ONLY)", {"path": str(path)})
    con.execute("USE store")
    con.execute("DETACH memory")  # so that cursors, too, read the store by default
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = $t ORDER BY ordinal_position",
        {"t": table},
    ).fetchall()
    return [Column(name, dtype, nullable == "NO") for name, dtype, nullable in rows]


def _constraints(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], list[tuple]]:
    """Primary-key columns and (columns, referenced table, referenced columns) of a table."""
    rows = con.execute(
        "SELECT constraint_type, constraint_column_names, referenced_table, "
        "referenced_column_names FROM duckdb_constraints() WHERE table_name = $t",
        {"t": table},
    ).fetchall()
    key: list[str] = []
    references = []
    for ctype, cols, ref_table, ref_cols in rows:
        if ctype == "PRIMARY KEY":
            key = list(cols)
        elif ctype == "FOREIGN KEY":
            references.append((list(cols), ref_table, list(ref_cols)))
    return key, references


def _parse(value: str, column: Column):
    """A CSV cell as a Python value of the column's type; ValueError with a French reason."""
    if value.strip() == "":
        if column.required:
            raise ValueError("cellule vide alors que la valeur est obligatoire")
        return None
    if column.type == "INTEGER":
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"« {value} » n'est pas un nombre entier") from None
    if column.type == "DOUBLE":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(
                f"« {value} » n'est pas un nombre (point décimal, sans espace ni symbole €)"
            ) from None
        if number < 0 and (column.name.endswith("_eur") or column.name.endswith("_etp")):
            raise ValueError(f"« {value} » est négatif : un montant ou un effectif est positif")
        return number
    if column.type == "DATE":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"« {value} » n'est pas une date AAAA-MM-JJ") from None
    return value


def _read_table(path: Path, columns: list[Column]) -> tuple[list[tuple], list[str]]:
    """Rows of one CSV source parsed to the schema's types, and the problems found."""
    name = path.name
    problems: list[str] = []
    rows: list[tuple] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        expected = [c.name for c in columns]
        if header != expected:
            return [], [
                f"{name}, ligne 1 : en-tête inattendu. Attendu : {','.join(expected)} ; "
                f"trouvé : {','.join(header or [])}. Corrigez l'en-tête (voir data/README.md)."
            ]
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(columns):
                problems.append(
                    f"{name}, ligne {line} : {len(cells)} cellules au lieu de {len(columns)}. "
                    "Vérifiez les virgules et les guillemets de la ligne."
                )
                continue
            parsed = []
            for column, cell in zip(columns, cells):
                try:
                    parsed.append(_parse(cell, column))
                except ValueError as reason:
                    problems.append(f"{name}, ligne {line}, colonne {column.name} : {reason}.")
            rows.append(tuple(parsed))
    return rows, problems


def _check_keys(table, name, columns, rows, key, references, known) -> list[str]:
    """Duplicate keys and references to values absent from the referenced table."""
    problems = []
    index = {c.name: i for i, c in enumerate(columns)}
    if key:
        seen: dict[tuple, int] = {}
        for line, row in enumerate(rows, start=2):
            value = tuple(row[index[c]] for c in key)
            if value in seen:
                problems.append(
                    f"{name}, ligne {line}, colonne {key[0]} : identifiant « {'/'.join(map(str, value))} »"
                    f" en double (déjà ligne {seen[value]}). Chaque identifiant doit être unique."
                )
            seen.setdefault(value, line)
        known[(table, tuple(key))] = set(seen)
    for cols, ref_table, ref_cols in references:
        allowed = known.get((ref_table, tuple(ref_cols)), set())
        for line, row in enumerate(rows, start=2):
            value = tuple(row[index[c]] for c in cols)
            if None in value or value in allowed:
                continue
            problems.append(
                f"{name}, ligne {line}, colonne {cols[0]} : « {'/'.join(map(str, value))} » est "
                f"inconnu de la table {ref_table}. Utilisez un code présent dans {ref_table}.csv."
            )
    return problems


def _check_projects(columns, rows, name, commune_territory: dict[str, str],
                    years: tuple[int, int]) -> list[str]:
    """Rules of the call for projects that the schema's types cannot say."""
    index = {c.name: i for i, c in enumerate(columns)}
    problems = []
    for line, row in enumerate(rows, start=2):
        commune, territory = row[index["commune"]], row[index["territoire"]]
        if commune_territory.get(commune, territory) != territory:
            problems.append(
                f"{name}, ligne {line}, colonne territoire : la commune {commune} appartient au "
                f"territoire « {commune_territory[commune]} », pas « {territory} »."
            )
        year = row[index["annee"]]
        if year is not None and not years[0] <= year <= years[1]:
            problems.append(
                f"{name}, ligne {line}, colonne annee : {year} est hors des années de l'appel "
                f"à projets ({years[0]}-{years[1]}, voir periode.csv)."
            )
        if row[index["provenance"]] not in PROVENANCES:
            problems.append(
                f"{name}, ligne {line}, colonne provenance : « {row[index['provenance']]} » ; "
                "attendu « publié » ou « reconstitué »."
            )
    return problems


def _check_roadmap(columns, rows, name) -> list[str]:
    index = {c.name: i for i, c in enumerate(columns)}["statut"]
    return [
        f"{name}, ligne {line}, colonne statut : « {row[index]} » ; attendu "
        f"{', '.join(f'« {s} »' for s in STATUTS)} ou une cellule vide (non publié)."
        for line, row in enumerate(rows, start=2)
        if row[index] is not None and row[index] not in STATUTS
    ]


def _load(con: duckdb.DuckDBPyConnection, sources: Path, overrides: dict[str, Path]) -> None:
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    known: dict = {}
    commune_territory: dict[str, str] = {}
    years = call_years([date.today().year])
    for table in TABLES:
        path = overrides.get(table, sources / f"{table}.csv")
        if not path.exists():
            raise SourceError([f"{path.name} : fichier absent de {path.parent.name}/."])
        columns = _columns(con, table)
        rows, problems = _read_table(path, columns)
        if not problems:
            key, references = _constraints(con, table)
            problems += _check_keys(table, path.name, columns, rows, key, references, known)
        if table == "commune":
            commune_territory = {row[0]: row[2] for row in rows}
        if table == "periode" and rows:
            years = call_years(row[2] for row in rows)
        if table == "projet" and not problems:
            problems += _check_projects(columns, rows, path.name, commune_territory, years)
        if table == "feuille_de_route" and not problems:
            problems += _check_roadmap(columns, rows, path.name)
        if problems:
            raise SourceError(problems)
        if rows:
            # One columnar insert: row by row, a store of 620 000 projects took over an hour.
            batch = pa.table({
                c.name: pa.array([row[i] for row in rows], type=ARROW_TYPES[c.type])
                for i, c in enumerate(columns)
            })
            con.register("lignes", batch)
            con.execute(f"INSERT INTO {table} SELECT * FROM lignes")
            con.unregister("lignes")


def build(
    sources: Path = SOURCES_DIR,
    target: Path = STORE_FILE,
    overrides: dict[str, Path] | None = None,
) -> Path:
    """Build the store from `sources` into `target`, atomically.

    `overrides` maps a table to a CSV file that replaces `sources/<table>.csv` (the staff
    import gives its projects this way); it goes through the same checks as the sources.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            _load(con, sources, overrides or {})
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return target


def is_stale(sources: Path = SOURCES_DIR, target: Path = STORE_FILE) -> bool:
    """True when the store is missing or older than one of its sources or its schema."""
    if not target.exists():
        return True
    built = target.stat().st_mtime
    inputs = [SCHEMA_FILE, *sources.glob("*.csv")]
    return any(p.stat().st_mtime > built for p in inputs)
