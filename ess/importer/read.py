"""An uploaded file's bytes → a table of cells under its header row.

The format is told by the content, not the file name: XLSX (a zip), CSV in UTF-8 (with or
without BOM), UTF-16 (Excel's « texte Unicode ») or Windows-1252, separated by `;`, `,` or a
tab. The header is the first of the first rows that names enough known columns, so a title
above it is skipped. What cannot be read as a table is refused with `FileRefused`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from ess import fmt
from ess.importer import Refused
from ess.importer.columns import COLUMNS, field_of

MEGABYTE = 1024 * 1024
MAX_FILE_BYTES = 5 * MEGABYTE
MAX_ROWS = 5_000  # the call financed 62 projects: far more rows is not a results file
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
MIN_KNOWN_HEADERS = 3
SEPARATORS = {";": "« ; »", ",": "« , »", "\t": "tabulation"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EXPECTED = ", ".join(c.name for c in COLUMNS if c.required)
_SAVE_AS = "Enregistrez le tableau au format .xlsx ou .csv depuis votre tableur, puis recommencez"


class FileRefused(Refused):
    """The whole file is refused: not a table, empty, too big, protected…"""


@dataclass
class Table:
    file: str
    form: str  # how it was read, for the user: « CSV, séparateur « ; », encodage Windows-1252 »
    header_line: int
    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line as in the tableur, cells)


def read_table(data: bytes, file: str, sheet: str | None = None) -> Table:
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"{file} : le fichier pèse {fmt.nombre(len(data) / MEGABYTE, 1)} Mo, au-delà de la "
            f"limite de {fmt.nombre(MAX_FILE_BYTES / MEGABYTE)} Mo. Un fichier de résultats pèse "
            "bien moins : gardez une seule feuille, sans images, ou enregistrez-le en .csv")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        _empty(file)
    if data.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise FileRefused(
                f"{file} : le classeur est protégé par un mot de passe et ne peut pas être lu. "
                "Ouvrez-le dans Excel, retirez le mot de passe (Fichier > Informations > Protéger "
                "le classeur > Chiffrer avec mot de passe, puis effacez-le), enregistrez, "
                "puis recommencez")
        raise FileRefused(f"{file} : le classeur est au format Excel 97-2003 (.xls). Ouvrez-le "
                          "dans Excel et enregistrez-le au format .xlsx, puis recommencez")
    if data.startswith(_ZIP):
        return _read_xlsx(data, file, sheet)
    return _read_csv(data, file)


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an XLSX workbook, in order; [] for anything else."""
    if not data.startswith(_ZIP):
        return []
    try:
        return _workbook(data, "").sheetnames
    except FileRefused:
        return []


def _workbook(data: bytes, file: str):
    import openpyxl

    try:
        # Formulas are read as their text: never evaluated, never their cached result.
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise FileRefused(
            f"{file} : ce n'est pas un classeur Excel lisible (un fichier compressé d'un autre "
            f"type, un document OpenDocument ou un classeur abîmé). {_SAVE_AS}") from error
    except Exception as error:  # openpyxl raises its own types for every malformed part
        raise FileRefused(f"{file} : ce n'est pas un classeur Excel lisible. {_SAVE_AS}") from error


def _read_xlsx(data: bytes, file: str, sheet: str | None) -> Table:
    workbook = _workbook(data, file)
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                names = ", ".join(f"« {n} »" for n in workbook.sheetnames)
                raise FileRefused(f"{file} : la feuille « {sheet} » n'existe pas. Feuilles du "
                                  f"classeur : {names}. Choisissez l'une d'elles")
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows = _bounded(file, (
            (line, [_cell(v) for v in cells[:MAX_COLUMNS]])
            for line, cells in enumerate(worksheet.iter_rows(min_row=1, values_only=True),
                                         start=1)))
        others = [f"« {n} »" for n in workbook.sheetnames if n != worksheet.title]
    finally:
        workbook.close()
    form = f"classeur Excel, feuille « {worksheet.title} »"
    hint = (f" ; ou choisissez une autre feuille du classeur ({', '.join(others)})"
            if others else "")
    if not rows:
        raise FileRefused(f"{file} : la feuille « {worksheet.title} » est vide. Collez les "
                          f"résultats sur la première feuille{hint}")
    return _with_header(rows, file, form, hint)


def _cell(value):
    """An XLSX value as text, number or date; array formulas as their formula text."""
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time)):
        return value
    return str(getattr(value, "text", value))


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data:
        raise FileRefused(f"{file} : ce n'est pas un tableau (le fichier contient des données "
                          f"binaires : une image, un PDF, une archive…). {_SAVE_AS}")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileRefused(f"{file} : l'encodage du texte n'est pas reconnu (ni UTF-8 ni "
                          f"Windows-1252). {_SAVE_AS}") from None


def _read_csv(data: bytes, file: str) -> Table:
    text, encoding = _decode(data, file)
    if text.lstrip().startswith("%PDF"):
        raise FileRefused(f"{file} : c'est un document PDF, pas un tableau. {_SAVE_AS}")
    best = None
    for separator in SEPARATORS:
        rows = _split(text, separator, file)
        score = max((_known(cells) for _, cells in rows[:HEADER_SEARCH_ROWS]), default=0)
        width = max((len(cells) for _, cells in rows[:HEADER_SEARCH_ROWS]), default=0)
        if best is None or (score, width) > best[0]:
            best = ((score, width), separator, rows)
    (score, width), separator, rows = best
    if not rows:
        _empty(file)
    if width < 2:
        raise FileRefused(f"{file} : ce n'est pas un tableau (aucune ligne n'a plusieurs colonnes "
                          f"séparées par « ; », « , » ou une tabulation). {_SAVE_AS}")
    form = f"CSV, séparateur {SEPARATORS[separator]}, encodage {encoding}"
    return _with_header(rows, file, form)


def _split(text: str, separator: str, file: str) -> list[tuple[int, list]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        # Unbounded here: the size limit bounds a CSV; the row limit applies to the table read.
        rows = [(line, [c.strip() or None for c in cells[:MAX_COLUMNS]])
                for line, cells in enumerate(reader, start=1)]
        return [(line, cells) for line, cells in rows if _filled(cells)]
    except csv.Error as error:
        raise FileRefused(
            f"{file} : ce n'est pas un tableau lisible ({error}). {_SAVE_AS}") from None
    return rows


def _bounded(file: str, rows) -> list[tuple[int, list]]:
    """The non-empty rows, with their line numbers; refused beyond the sane maximum before a
    huge sheet is read to its end (blank rows, formatted but empty, do not count)."""
    kept = []
    for line, cells in rows:
        if _filled(cells):
            if len(kept) > MAX_ROWS + HEADER_SEARCH_ROWS:
                _too_many(file)
            kept.append((line, cells))
    return kept


def _empty(file: str):
    raise FileRefused(f"{file} : le fichier est vide. Déposez le fichier des résultats, par "
                      "exemple à partir du modèle modele_import.xlsx")


def _too_many(file: str):
    raise FileRefused(f"{file} : le fichier compte plus de {fmt.nombre(MAX_ROWS)} lignes, bien "
                      "plus que les projets de l'appel à projets. Vérifiez que c'est le bon "
                      "fichier et la bonne feuille")


def _filled(cells: list) -> bool:
    return any(c not in (None, "") for c in cells)


def _known(cells: list) -> int:
    return len({field_of(c) for c in cells if c not in (None, "")} - {None})


def _with_header(rows: list[tuple[int, list]], file: str, form: str, hint: str = "") -> Table:
    for index, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _known(cells) >= MIN_KNOWN_HEADERS:
            header = ["" if c is None else str(c).strip() for c in cells]
            data = rows[index + 1:]
            if not data:
                raise FileRefused(f"{file} : le fichier ne contient que la ligne d'en-tête "
                                  f"(ligne {line}), aucun projet. Ajoutez une ligne par projet "
                                  "sous l'en-tête")
            if len(data) > MAX_ROWS:
                _too_many(file)
            return Table(file, form, line, header, data)
    raise FileRefused(
        f"{file} : aucune ligne d'en-tête reconnue parmi les {HEADER_SEARCH_ROWS} premières "
        "lignes remplies "
        f"({form}). La ligne des titres de colonnes doit nommer au moins {_EXPECTED}. "
        f"Partez du modèle modele_import.xlsx{hint}")
