"""An uploaded file's bytes → a table of cells under its header row.

The format is told by the content, not the file name: XLSX (a zip), CSV in UTF-8 (with or
without BOM), UTF-16 (Excel's « texte Unicode », with or without its byte-order mark) or
Windows-1252 (a file mixing it with UTF-8 is refused, naming the lines), separated by `;`, `,`,
`|` or a tab. A workbook's XML is checked by `xlsx` before openpyxl reads it. The header is the first of the first rows that names enough known columns, so a title
above it is skipped. What cannot be read as a table is refused with `FileRefused`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from ess import fmt
from ess.importer import Refused, xlsx
from ess.importer.columns import COLUMNS, field_of

MEGABYTE = 1024 * 1024
MAX_FILE_BYTES = 5 * MEGABYTE
MAX_ROWS = 5_000  # about 140 projects since 2011: far more rows is not a results file
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
MIN_KNOWN_HEADERS = 3
MAX_LINES_SHOWN = 10
SEPARATORS = {";": "« ; »", ",": "« , »", "\t": "tabulation", "|": "« | »"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EXPECTED = ", ".join(c.name for c in COLUMNS if c.required)
_SAVE_AS = "Enregistrez le tableau au format .xlsx ou .csv depuis votre tableur, puis recommencez"
_RESAVE = xlsx.RESAVE


class FileRefused(Refused):
    """The whole file is refused: not a table, empty, too big, protected…"""


@dataclass(frozen=True)
class Notice:
    """Something about the file worth a look, that does not stop the import."""
    line: int | None
    message: str
    action: str


@dataclass
class Table:
    file: str
    form: str  # how it was read, for the user: « CSV, séparateur « ; », encodage Windows-1252 »
    header_line: int
    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line as in the tableur, cells)
    notices: list[Notice] = field(default_factory=list)


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
    """The sheets of an XLSX workbook, visible ones first; [] for anything else."""
    if not data.startswith(_ZIP):
        return []
    try:
        book = xlsx.inspect(data, "")
    except (xlsx.WorkbookError, xlsx.NotAWorkbook, zipfile.BadZipFile):
        return []
    return [s.name for s in book.visible] + [s.name for s in book.sheets if s.hidden]


def _not_a_workbook(file: str) -> FileRefused:
    return FileRefused(
        f"{file} : ce n'est pas un classeur Excel lisible (un fichier compressé d'un autre "
        f"type, un document OpenDocument ou un classeur abîmé). {_SAVE_AS}")


def _workbook(data: bytes, file: str):
    import openpyxl

    try:
        # Formulas are read as their text: never evaluated, never their cached result.
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises its own types for every malformed part
        raise _not_a_workbook(file) from error


def _read_xlsx(data: bytes, file: str, sheet: str | None) -> Table:
    try:
        book = xlsx.inspect(data, file)
    except xlsx.WorkbookError as error:
        raise FileRefused(error.message) from None
    except (zipfile.BadZipFile, xlsx.NotAWorkbook):
        raise _not_a_workbook(file) from None
    if sheet:
        chosen = book.sheet(sheet)
        if chosen is None:
            names = ", ".join(f"« {s.name} »" for s in book.sheets)
            raise FileRefused(f"{file} : la feuille « {sheet} » n'existe pas. Feuilles du "
                              f"classeur : {names}. Choisissez l'une d'elles")
    elif book.visible:
        chosen = book.visible[0]
    else:
        raise FileRefused(f"{file} : toutes les feuilles du classeur sont masquées. Affichez "
                          "la feuille des résultats (clic droit sur un onglet > Afficher), "
                          "enregistrez, puis recommencez")
    workbook = _workbook(data, file)
    line = 0
    try:
        worksheet = workbook[chosen.name]
        # The <dimension> tag may say less than the sheet holds: read every row.
        worksheet.reset_dimensions()

        def numbered():
            nonlocal line
            for line, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield line, [_cell(v) for v in cells[:MAX_COLUMNS]]

        rows = _bounded(file, numbered())
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(
            f"{file}, feuille « {chosen.name} » : le classeur est abîmé après la ligne {line} "
            f"(une cellule illisible). {_RESAVE}") from None
    finally:
        workbook.close()
    others = [f"« {s.name} »" for s in book.sheets if s.name != chosen.name]
    form = f"classeur Excel, feuille « {chosen.name} »"
    hint = (f" ; ou choisissez une autre feuille du classeur ({', '.join(others)})"
            if others else "")
    if not rows:
        raise FileRefused(f"{file} : la feuille « {chosen.name} » est vide. Collez les "
                          f"résultats sur la première feuille{hint}")
    table = _with_header(rows, file, form, hint)
    table.notices += _hidden(book, chosen, table)
    return table


def _hidden(book: xlsx.Workbook, chosen: xlsx.Sheet, table: Table) -> list[Notice]:
    """What the person looking at the workbook does not see, said in the preview."""
    notices = []
    if chosen.hidden:
        notices.append(Notice(None, f"la feuille « {chosen.name} » est masquée dans le classeur",
                              "Vérifiez que c'est bien la feuille des résultats"))
    others = [f"« {s.name} »" for s in book.sheets if s.hidden and s is not chosen]
    if others:
        what = "une feuille masquée, non lue" if len(others) == 1 else (
            "des feuilles masquées, non lues")
        notices.append(Notice(None, f"le classeur contient {what} : {', '.join(others)}",
                              "Si les résultats y sont, affichez-la et choisissez-la"))
    read_lines = {line for line, _ in table.rows}
    hidden = [line for line in chosen.hidden_rows if line in read_lines]
    if hidden:
        what = ("une ligne masquée est lue" if len(hidden) == 1 else
                f"{len(hidden)} lignes masquées sont lues")
        notices.append(Notice(None, f"{what} comme les autres ({lines_said(hidden)})",
                              "Vérifiez que ces projets doivent être importés ; sinon supprimez "
                              "ces lignes"))
    return notices


def _cell(value):
    """An XLSX value as text, number or date; array formulas as their formula text."""
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time)):
        return value
    return str(getattr(value, "text", value))


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16", file), "UTF-16"
    without_bom = _utf16_without_bom(data)
    if without_bom:
        return _utf16(data, without_bom, file), "UTF-16"
    if b"\x00" in data:
        raise FileRefused(f"{file} : ce n'est pas un tableau (le fichier contient des données "
                          f"binaires : une image, un PDF, une archive…). {_SAVE_AS}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, file)
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileRefused(f"{file} : l'encodage du texte n'est pas reconnu (ni UTF-8 ni "
                          f"Windows-1252). {_SAVE_AS}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """« utf-16-le » or « utf-16-be » when every other byte is zero, as in UTF-16 text of
    Latin letters saved without its byte-order mark."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) > 0.9 * len(zeros):
            return codec
    return None


def _utf16(data: bytes, codec: str, file: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise FileRefused(f"{file} : le texte, en UTF-16, est abîmé (tronqué ?). "
                          f"{_SAVE_AS}") from None


def _refuse_mixed(data: bytes, file: str) -> None:
    """A file with lines in UTF-8 and others in Windows-1252 (pasted from two sources) cannot
    be read right either way: say which lines differ rather than show « ActivitÃ© »."""
    utf8, other = [], []
    for line, raw in enumerate(data.splitlines(), start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8.append(line)
        except UnicodeDecodeError:
            other.append(line)
    if utf8 and other:
        raise FileRefused(
            f"{file} : le texte mélange deux encodages (UTF-8 {lines_said(utf8)} ; "
            f"Windows-1252 {lines_said(other)}) : les accents de l'un ou de l'autre "
            f"seraient mal lus. Ouvrez le fichier dans votre tableur, vérifiez les accents, "
            f"puis enregistrez-le en .xlsx ou en CSV UTF-8 et recommencez")


def lines_said(lines: list[int]) -> str:
    """« à la ligne 3 », « aux lignes 3, 5, 8 … »."""
    if len(lines) == 1:
        return f"à la ligne {lines[0]}"
    more = " …" if len(lines) > MAX_LINES_SHOWN else ""
    return f"aux lignes {', '.join(map(str, lines[:MAX_LINES_SHOWN]))}{more}"


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
                          f"séparées par « ; », « , », « | » ou une tabulation). {_SAVE_AS}")
    form = f"CSV, séparateur {SEPARATORS[separator]}, encodage {encoding}"
    return _with_header(rows, file, form)


# A cell longer than this is no cell a person typed. Set at each read: the limit is global to
# the process, and a library (frictionless, for the open-data export) raises it on import.
MAX_CELL_CHARS = 131_072


def _split(text: str, separator: str, file: str) -> list[tuple[int, list]]:
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    try:
        # Unbounded here: the size limit bounds a CSV; the row limit applies to the table read.
        # Rows are numbered as a spreadsheet shows them: a quoted cell may span lines.
        for line, cells in enumerate(reader, start=1):
            rows.append((line, [c.strip() or None for c in cells[:MAX_COLUMNS]]))
    except csv.Error:
        raise FileRefused(
            f"{file} : ce n'est pas un tableau lisible (après la ligne {len(rows)} : une "
            "cellule démesurée, ou des guillemets ouverts et jamais fermés). "
            f"{_SAVE_AS}") from None
    return [(line, cells) for line, cells in rows if _filled(cells)]


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
