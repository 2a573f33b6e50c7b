"""The second import kind: staff update MEL's ESS roadmap (statuses and indicators).

A small template, one row per action (`template_xlsx`, `template_csv`: the roadmap as it stands,
to edit); every cell checked with a French message naming file, row and column; a dry run that
lists each action's changes; then the same all-or-nothing replacement as the results import:
the store is copied, its `feuille_de_route` table replaced in the copy, the copy checked, the
store in place archived (`archive.save`), the copy renamed over it, the journal written
(`archive.log`, action « import »: `python -m ess rollback` undoes it like any import).
Actions absent from the file are left as they are. An updated action's source says it comes
from the staff's file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ess import fmt, paths, queries
from ess.importer import Refused, archive
from ess.importer.lock import import_lock
from ess.importer.normalize import CellError, is_formula_like, key, number, text, year
from ess.importer.read import MAX_FILE_BYTES, MEGABYTE
from ess.importer.columns import ImportColumn
from ess.importer.validate import Outcome, OutcomeView, Problem
from ess.store import STATUTS, open_store

XLSX_NAME = "modele_feuille_de_route.xlsx"
CSV_NAME = "modele_feuille_de_route.csv"
SHEET = "Feuille de route"
MAX_ROWS = 200
HEADER_SEARCH_ROWS = 10
STAFF_SOURCE = "agents MEL"
KEPT_FILE = "feuille_de_route_importee.csv"
_TABLE = "feuille_de_route"


# The template's columns (`field`: the `feuille_de_route` column each fills).
COLONNES = (
    ImportColumn("action", "Action", True,
                 "Numéro de l'action dans la feuille de route (obligatoire).", "2",
                 ("n°", "numéro", "n° action", "numéro de l'action", "numéro d'action")),
    ImportColumn("axe", "Axe", False,
                 "Numéro de l'axe. Vide : l'axe déjà connu est gardé.", "1"),
    ImportColumn("nom", "Intitulé", False,
                 "Intitulé de l'action. Vide : l'intitulé déjà connu est gardé.",
                 "Refonder l'appel à projets « Entreprendre autrement »",
                 ("libellé", "nom", "action (intitulé)")),
    ImportColumn("statut", "Statut", False,
                 "à lancer, en cours ou réalisé. Vide : statut non renseigné.", "en cours",
                 ("état", "avancement")),
    ImportColumn("indicateur", "Indicateur", False,
                 "Ce que l'on mesure, s'il y a un indicateur.",
                 "Projets soutenus par l'appel à projets"),
    ImportColumn("unite", "Unité", False,
                 "Unité des valeurs (projets, €, personnes…).", "projets"),
    ImportColumn("valeur_reference", "Valeur de référence", False,
                 "Valeur au départ de l'action.", "20",
                 ("référence", "valeur initiale", "situation de départ")),
    ImportColumn("annee_reference", "Année de référence", False,
                 "Année de la valeur de référence.", "2021"),
    ImportColumn("valeur_actuelle", "Valeur actuelle", False, "Dernière valeur connue.", "35",
                 ("valeur atteinte", "dernière valeur", "réalisé")),
    ImportColumn("annee_actuelle", "Année de la valeur actuelle", False,
                 "Année de la dernière valeur.", "2025",
                 ("année actuelle", "année de la dernière valeur")),
    ImportColumn("cible", "Cible", False, "Valeur visée.", "40", ("objectif", "valeur cible")),
    ImportColumn("annee_cible", "Année cible", False,
                 "Année où la cible doit être atteinte.", "2026", ("échéance",)),
    ImportColumn("commentaire", "Commentaire", False,
                 "Précision utile au lecteur, en texte simple.", "", ("remarque", "observations")),
)
_BY_KEY = {key(alias): c for c in COLONNES for alias in (c.name, *c.synonyms)}
_NUMBERS = ("valeur_reference", "valeur_actuelle", "cible")
_YEARS = ("annee_reference", "annee_actuelle", "annee_cible")
_TEXTS = ("nom", "indicateur", "unite", "commentaire")
_KEPT_WHEN_EMPTY = ("axe", "nom")
_LABELS = {c.field: c.name.lower() for c in COLONNES}


@dataclass
class Apercu(OutcomeView):
    """What importing a roadmap file would change; nothing is written."""

    file: str
    sha256: str
    # `rows`: the whole table after the import; its problems, blocking or not.
    outcome: Outcome = field(default_factory=Outcome)
    changes: list[tuple[int, list[str]]] = field(default_factory=list)  # (action, details)


    def summary(self) -> str:
        n = len(self.changes)
        return f"{fmt.nombre(n)} action{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''}"

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([(f"Action {a}", " ; ".join(d)) for a, d in self.changes],
                            columns=["Action", "Changements"])


# --------------------------------------------------------------------------- the template


def _stored(store: Path) -> pd.DataFrame:
    con = open_store(store)
    try:
        return queries.run(con, "feuille_de_route_stockee")
    finally:
        con.close()


def _template_rows(store: Path) -> list[list[str]]:
    rows = []
    for record in _stored(store).to_dict("records"):
        rows.append(["" if pd.isna(record[c.field]) else _shown(record[c.field])
                     for c in COLONNES])
    return rows


def _shown(value) -> str:
    if isinstance(value, float):
        return fmt.nombre(value, 0 if value.is_integer() else 2).replace("\u00a0", " ")
    return str(value)


def template_csv(store: Path | None = None) -> bytes:
    """The roadmap as it stands, semicolon-separated UTF-8 with a BOM (Excel in French)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in COLONNES])
    writer.writerows(_template_rows(store or paths.STORE_FILE))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(store: Path | None = None) -> bytes:
    """The roadmap as it stands (sheet « Feuille de route ») and what each column holds
    (sheet « Colonnes »)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.name for c in COLONNES])
    for row in _template_rows(store or paths.STORE_FILE):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = book.create_sheet("Colonnes")
    help_sheet.append(["Colonne", "Contenu", "Exemple"])
    for c in COLONNES:
        help_sheet.append([c.name, c.description, c.example])
    help_sheet.append([])
    help_sheet.append(["Statuts acceptés", ", ".join(STATUTS)])
    for column, width in zip("ABC", (28, 70, 40)):
        help_sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


def _cells(data: bytes, file: str, sheet: str | None) -> list[list]:
    """The file's rows of cells (XLSX: the chosen or first sheet; CSV: `;`, `,` or tab)."""
    if len(data) > MAX_FILE_BYTES:
        raise Refused(f"{file} : le fichier dépasse {MAX_FILE_BYTES // MEGABYTE} Mo ; une feuille "
                      "de route tient en quelques lignes : gardez une seule feuille")
    if data.startswith(b"PK\x03\x04"):
        try:
            frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object)
        except Exception:  # noqa: BLE001 - any unreadable workbook gets the same French message
            raise Refused(f"{file} : le classeur ne peut pas être lu. Enregistrez-le au format "
                          ".xlsx depuis votre tableur, puis recommencez") from None
        name = sheet if sheet in frames else (SHEET if SHEET in frames else next(iter(frames)))
        return frames[name].astype(object).where(frames[name].notna(), None).values.tolist()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = decoded.splitlines()
    head = "\n".join(lines[:HEADER_SEARCH_ROWS])
    separator = max((";", ",", "\t"), key=head.count)
    return [list(row) for row in csv.reader(lines, delimiter=separator)]


def _header(rows: list[list], file: str) -> tuple[int, dict[int, ImportColumn], list[str]]:
    """The header row's index, its known columns by position, its unknown headers."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {i: _BY_KEY[key(text(cell))] for i, cell in enumerate(row)
                 if key(text(cell)) in _BY_KEY}
        if any(c.field == "action" for c in known.values()):
            unknown = [text(cell) for i, cell in enumerate(row) if i not in known and text(cell)]
            return index, known, unknown
    raise Refused(f"{file} : aucune ligne d'en-tête avec une colonne « Action » dans les "
                  f"{HEADER_SEARCH_ROWS} premières lignes. Partez du modèle de la feuille de "
                  "route (colonnes Action, Statut, Indicateur…)")


# --------------------------------------------------------------------------- checks


def _statut(value) -> str | None:
    raw = text(value)
    if raw == "":
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", raw.casefold())
                    if not unicodedata.combining(c)).strip()
    for statut in STATUTS:
        if plain == "".join(c for c in unicodedata.normalize("NFKD", statut)
                            if not unicodedata.combining(c)):
            return statut
    raise CellError(f"« {raw} » n'est pas un statut",
                    f"Écrivez {', '.join(f'« {s} »' for s in STATUTS)} ou laissez vide")


def _integer(value, what: str, allowed: range) -> int:
    raw = text(value)
    try:
        result = float(raw.replace(",", "."))
    except ValueError:
        result = None
    if result is None or not result.is_integer() or int(result) not in allowed:
        raise CellError(f"« {raw} » n'est pas un numéro {what}",
                        f"Écrivez un numéro de {allowed.start} à {allowed.stop - 1}")
    return int(result)


def _cell(field_name: str, value, actions: range, axes: range):
    if field_name == "action":
        return _integer(value, "d'action", actions)
    if text(value) == "":
        return None
    if is_formula_like(value) and not isinstance(value, (int, float)):
        raise CellError(f"« {text(value)[:40]} » ressemble à une formule",
                        "Écrivez la valeur elle-même, sans « = » au début")
    if field_name == "axe":
        return _integer(value, "d'axe", axes)
    if field_name == "statut":
        return _statut(value)
    if field_name in _NUMBERS:
        try:
            return number(value, euros=False)
        except CellError as error:
            raise CellError(str(error).replace("un nombre d'emplois", "un nombre"),
                            "Écrivez le nombre en chiffres, par exemple 35 ou 2,5") from None
    if field_name in _YEARS:
        return year(value)
    return text(value)


def _changes(before: dict, after: dict) -> list[str]:
    def shown(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "non renseigné"
        return _shown(value)

    return [f"{_LABELS[c.field]} : {shown(before.get(c.field))} → {shown(after.get(c.field))}"
            for c in COLONNES if c.field != "action"
            and shown(before.get(c.field)) != shown(after.get(c.field))]


def _check(rows: list[list], file: str, stored: pd.DataFrame, axes: int) -> Apercu:
    apercu = Apercu(file, "")
    header_index, columns, unknown = _header(rows, file)
    for name in unknown:
        apercu.problems.append(Problem(file, header_index + 1, name, "colonne inconnue, ignorée",
                                       "Vérifiez son nom dans le modèle si elle devait être lue",
                                       blocking=False))
    table = {int(r["action"]): dict(r) for r in stored.to_dict("records")}
    actions = range(1, max(table, default=0) + 1)
    seen: dict[int, int] = {}
    body = [(i + 1, row) for i, row in enumerate(rows) if i > header_index
            and any(text(c) for c in row)]
    if len(body) > MAX_ROWS:
        raise Refused(f"{file} : {len(body)} lignes, au-delà de {MAX_ROWS} : une feuille de route "
                      "compte quelques actions, une par ligne")
    for line, cells in body:
        values, ok = {}, True
        for position, column in columns.items():
            cell = cells[position] if position < len(cells) else None
            try:
                values[column.field] = _cell(column.field, cell, actions, range(1, axes + 1))
            except CellError as error:
                apercu.problems.append(Problem(file, line, column.name, str(error), error.action))
                ok = False
        if not ok:
            continue
        action = values["action"]
        if action in seen:
            apercu.problems.append(Problem(
                file, line, "Action", f"l'action {action} figure déjà ligne {seen[action]}",
                "Gardez une seule ligne par action"))
            continue
        seen[action] = line
        if values.get("indicateur") is None and any(values.get(f) is not None
                                                    for f in (*_NUMBERS, "unite")):
            apercu.problems.append(Problem(
                file, line, "Indicateur", "des valeurs sans indicateur",
                "Nommez l'indicateur que mesurent ces valeurs, ou videz les valeurs"))
            continue
        before = table[action]
        after = {**before, **{f: v for f, v in values.items()
                              if not (f in _KEPT_WHEN_EMPTY and v is None)}}
        details = _changes(before, after)
        if details:
            after["source_doc"] = STAFF_SOURCE
            after["source_lieu"] = (f"{file}, importé le {dt.date.today():%d/%m/%Y}"
                                    + (f" (intitulé : {before['source_doc']}, "
                                       f"{before['source_lieu']})"
                                       if isinstance(before.get("source_doc"), str)
                                       and before["source_doc"] != STAFF_SOURCE
                                       and after["nom"] == before["nom"] else ""))
            apercu.changes.append((action, details))
        table[action] = after
    apercu.outcome.rows = [table[a] for a in sorted(table)]
    return apercu


# --------------------------------------------------------------------------- dry run, import


def _axes(store: Path) -> int:
    con = open_store(store)
    try:
        published = queries.run(con, "indicateurs").set_index("id")["valeur"]
    finally:
        con.close()
    return int(published.get("fdr-nb-axes", 9))


def preview(data: bytes, file: str, sheet: str | None = None,
            store: Path | None = None) -> Apercu:
    """What importing `data` would change; nothing is written. Raises `Refused`."""
    store = store or paths.STORE_FILE
    apercu = _check(_cells(data, file, sheet), file, _stored(store), _axes(store))
    apercu.sha256 = hashlib.sha256(data).hexdigest()
    return apercu


def _candidate(store: Path, rows: list[dict], folder: Path) -> Path:
    """A copy of the store whose roadmap is `rows`; DuckDB checks keys and references."""
    candidate = folder / "candidat.duckdb"
    shutil.copyfile(store, candidate)
    con = duckdb.connect(str(candidate))
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE {_TABLE}").fetchall()]
        frame = pd.DataFrame(rows)[columns]
        con.execute("BEGIN")
        con.execute(f"DELETE FROM {_TABLE}")
        con.register("lignes", frame)
        con.execute(f"INSERT INTO {_TABLE} SELECT * FROM lignes")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except duckdb.Error as error:
        raise Refused(f"Contrôle du nouveau magasin : {error}. Rien n'a été importé ; "
                      "transmettez ce message à l'équipe du tableau de bord") from None
    finally:
        con.close()
    return candidate


def import_file(data: bytes, file: str, sheet: str | None = None, *, user: str | None = None,
                store: Path | None = None, expected_version: int | None = None) -> Apercu:
    """Replace the store's roadmap by the file's update, all or nothing. Raises `Refused`."""
    store = store or paths.STORE_FILE
    with import_lock(store, f"import de {file}"):
        if expected_version is not None and store.stat().st_mtime_ns != expected_version:
            raise Refused("Les données ont changé depuis l'aperçu (un autre import ou une "
                          "annulation) : relancez l'aperçu, vérifiez-le, puis confirmez")
        apercu = preview(data, file, sheet, store)
        if apercu.errors:
            raise Refused(f"{len(apercu.errors)} erreur(s) bloquante(s) dans {file} : rien n'a "
                          "été importé, la feuille de route en place est inchangée")
        with tempfile.TemporaryDirectory(prefix=".feuille-de-route-", dir=store.parent) as work:
            candidate = _candidate(store, apercu.rows, Path(work))
            entry_id = archive.new_id()
            saved = archive.save(store, entry_id)
            os.replace(candidate, store)
        archive.log(store, {
            "id": entry_id, "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            # The journal counts projects: a roadmap import names itself and counts actions
            # changed only.
            "action": "import", "kind": "feuille de route", "file": f"{file} (feuille de route)",
            "sha256": apercu.sha256, "rows": None, "added": None,
            "changed": len(apercu.changes), "removed": None, "warnings": len(apercu.warnings),
            "user": user or archive.current_user(), "archive": saved,
        })
        archive.prune(store)
    return apercu


def keep_staff_updates(store: Path, target: Path) -> bool:
    """Write the store's roadmap to `target` when staff updated it (so that a rebuild or a
    results import keeps their statuses); False when it is the sources' own."""
    if not store.exists():
        return False
    stored = _stored(store)
    if not (stored["source_doc"] == STAFF_SOURCE).any():
        return False
    # Nullable integers stay integers (« 1 », not « 1.0 »), as the build reads them.
    stored.convert_dtypes().to_csv(target, index=False, lineterminator="\n")
    return True
