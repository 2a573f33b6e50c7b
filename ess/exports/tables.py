"""Table downloads for French spreadsheets: CSV and XLSX from a query's DataFrame.

CSV is UTF-8 with a byte-order mark (so Excel reads the accents) and `;` as separator (French
Excel splits columns on it); the decimal comma is an option for French Excel, the decimal point
the default for other tools. XLSX keeps numbers as numbers.

Text cells that a spreadsheet would run as a formula (OWASP « CSV injection »: starting with
`=`, `+`, `-`, `@`, tab or carriage return, after spaces or not) are neutralised: prefixed with
`'` in CSV, stored as plain text with Excel's quote prefix in XLSX. Numeric columns are never
touched: -2 stays a number. `neutralise` is the one function every file a spreadsheet may open
goes through: these downloads, the open data, the static site's CSV files, the import journal.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = ";"
BOM = "\ufeff"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60


def is_formula(value) -> bool:
    """Text a spreadsheet would take for a formula."""
    return isinstance(value, str) and (
        value.startswith(FORMULA_TRIGGERS) or value.lstrip().startswith(FORMULA_TRIGGERS))


def neutralise(value):
    """A text a spreadsheet would take for a formula, prefixed with `'`; anything else as is."""
    return "'" + value if is_formula(value) else value


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _whole(column: pd.Series) -> pd.Series:
    """Float columns holding only whole numbers as integers: `16300`, not `16300.0`."""
    if pd.api.types.is_float_dtype(column):
        values = column.dropna()
        if len(values) and (values == values.round()).all():
            return column.astype("Int64")
    return column


def _comment(line: str) -> str:
    """A line of text before the table: one quoted cell, starting with `#`, that no spreadsheet
    splits on its `;` or runs as a formula (a program skips these lines: they start with `"#`)."""
    return '"' + ("# " + line).replace('"', '""') + '"'


def to_csv(df: pd.DataFrame, decimal_comma: bool = False, lines: tuple[str, ...] = ()) -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, `;`, decimal point or comma, CRLF lines.

    `lines` (its source, its notice) come first, each in one cell starting with `#`."""
    safe = pd.DataFrame({
        neutralise(str(name)): _whole(column) if _is_number(column) else column.map(neutralise)
        for name, column in df.items()
    })
    text = safe.to_csv(
        sep=SEPARATOR, decimal="," if decimal_comma else ".", index=False, lineterminator="\r\n"
    )
    head = "".join(_comment(line) + "\r\n" for line in lines)
    return (BOM + head + text).encode("utf-8")


def _cell_value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if hasattr(value, "item"):  # numpy scalar → Python number
        return value.item()
    return value


def to_xlsx(df: pd.DataFrame, sheet: str = "Données", lines: tuple[str, ...] = ()) -> bytes:
    """The table as an XLSX workbook: bold frozen header, filters, numbers as numbers; `lines`
    (its source, its notice) on a second sheet « Source »."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    numeric = [_is_number(column) for _, column in df.items()]
    for col, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=1, column=col, value=_cell_value(str(name)))
        cell.font = Font(bold=True)
    for row, values in enumerate(df.itertuples(index=False, name=None), start=2):
        for col, (value, is_number) in enumerate(zip(values, numeric), start=1):
            value = _cell_value(value)
            cell = ws.cell(row=row, column=col, value=value)
            if is_number and value is not None:
                cell.number_format = "#,##0" if float(value).is_integer() else "#,##0.0##"
            elif is_formula(value):
                # Text, never a formula, and still text if someone edits the cell in Excel.
                cell.data_type = "s"
                cell.quotePrefix = True
    for col, (name, column) in enumerate(df.items(), start=1):
        longest = max([len(str(name)), *(len(str(v)) for v in column.dropna())], default=8)
        ws.column_dimensions[get_column_letter(col)].width = min(longest + 2, MAX_COLUMN_WIDTH)
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = ws.dimensions
    if lines:
        about = book.create_sheet("Source")
        for row, line in enumerate(lines, start=1):
            about.cell(row=row, column=1, value=_cell_value(neutralise(line)))
        about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


JSON_MIME = "application/json"


def to_json(df: pd.DataFrame) -> bytes:
    """The table as a JSON array of records (UTF-8, accents as they are, missing → null)."""
    whole = pd.DataFrame({name: _whole(column) if _is_number(column) else column
                          for name, column in df.items()})
    return whole.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")
