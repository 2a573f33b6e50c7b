"""A workbook's parts checked before openpyxl reads it: safe XML, sheets, hidden rows.

Every XML part of the zip is parsed once with `defusedxml`, streamed, refusing DTDs and
entities (external entities, entity-expansion bombs): a spreadsheet program never writes
them. A truncated part, a number cell that is not a number or an empty sheet list is refused
here, with the sheet and cell, instead of failing later inside openpyxl. What people may not
see is collected for the preview: hidden sheets and hidden rows.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml.ElementTree import iterparse

from ess import fmt

MEGABYTE = 1024 * 1024
# Unpacked, a 5 MB workbook of results is far below this; a zip bomb is far above.
MAX_UNPACKED_BYTES = 100 * MEGABYTE
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RESAVE = ("Rouvrez-le dans votre tableur et enregistrez-le de nouveau au format .xlsx (ou en "
           ".csv), puis recommencez")


class WorkbookError(ValueError):
    """The workbook cannot be read safely: `message` is French and complete."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAWorkbook(Exception):
    """A zip without a workbook in it (an OpenDocument file, an archive)."""


@dataclass
class Sheet:
    name: str
    part: str  # its path in the zip
    hidden: bool
    hidden_rows: list[int] = field(default_factory=list)


@dataclass
class Workbook:
    sheets: list[Sheet]

    @property
    def visible(self) -> list[Sheet]:
        return [s for s in self.sheets if not s.hidden]

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def inspect(data: bytes, file: str) -> Workbook:
    """The workbook's sheets, once every XML part has been read safely. Raises
    `WorkbookError`; a file that is not a workbook raises `zipfile.BadZipFile` or
    `NotAWorkbook`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookError(
                f"{file} : le classeur décompressé pèserait {fmt.nombre(unpacked / MEGABYTE)} Mo, "
                f"au-delà de la limite de {fmt.nombre(MAX_UNPACKED_BYTES / MEGABYTE)} Mo : ce "
                f"n'est pas un fichier de résultats. {RESAVE}")
        names = set(archive.namelist())
        book = _workbook_part(archive, names, file)
        sheets = _sheets(archive, book, names, file)
        parts = {s.part: s for s in sheets}
        for name in sorted(names):
            if name.endswith((".xml", ".rels")) and name not in parts:
                _parse(archive, name, file, _part_label(name))
        for sheet in sheets:
            if sheet.part in names:
                sheet.hidden_rows = _scan_sheet(archive, sheet, file)
    return Workbook(sheets)


def _part_label(name: str) -> str:
    return f"la partie {name}"


def _events(archive: zipfile.ZipFile, name: str, file: str, where: str):
    """(event, element) of one part, streamed; XML declarations a spreadsheet never writes and
    broken XML become `WorkbookError`."""
    try:
        with archive.open(name) as handle:
            yield from iterparse(handle, events=("end",), forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise WorkbookError(
            f"{file} : le classeur contient une déclaration XML interdite (DTD ou entité, dans "
            f"{where}). Aucun tableur n'en écrit : le fichier a été fabriqué ou modifié par un "
            f"autre outil et, par sécurité, il n'est pas lu. {RESAVE}") from None
    except ParseError as error:
        line, column = error.position
        raise WorkbookError(
            f"{file} : le classeur est abîmé ({where} est illisible, ligne {line}, colonne "
            f"{column} de son XML : fichier tronqué ou modifié). {RESAVE}") from None
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
        raise WorkbookError(f"{file} : le classeur est abîmé ({where} ne se décompresse pas). "
                            f"{RESAVE}") from None


def _parse(archive, name: str, file: str, where: str) -> list:
    """The elements of a small part (workbook, relations), in document order."""
    return [element for _, element in _events(archive, name, file, where)]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _workbook_part(archive, names: set[str], file: str) -> str:
    if "_rels/.rels" in names:
        for element in _parse(archive, "_rels/.rels", file, _part_label("_rels/.rels")):
            if (_local(element.tag) == "Relationship"
                    and element.get("Type", "").endswith("/officeDocument")):
                return element.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _sheets(archive, book: str, names: set[str], file: str) -> list[Sheet]:
    if book not in names:
        raise NotAWorkbook(book)
    folder = posixpath.dirname(book)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")
    targets = {}
    if rels_name in names:
        for element in _parse(archive, rels_name, file, _part_label(rels_name)):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "")
                targets[element.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                              else posixpath.normpath(
                                                  posixpath.join(folder, target)))
    sheets = [Sheet(e.get("name", ""), targets.get(e.get(_RELATIONSHIP), ""),
                    e.get("state", "visible") != "visible")
              for e in _parse(archive, book, file, _part_label(book))
              if _local(e.tag) == "sheet"]
    if not sheets:
        raise WorkbookError(f"{file} : le classeur ne contient aucune feuille. Collez les "
                            f"résultats dans une feuille. {RESAVE}")
    return sheets


def _scan_sheet(archive, sheet: Sheet, file: str) -> list[int]:
    """The sheet's hidden rows; every number cell checked to be a number."""
    hidden = []
    where = f"la feuille « {sheet.name} »"
    for _, element in _events(archive, sheet.part, file, where):
        tag = _local(element.tag)
        if tag == "c" and element.get("t", "n") == "n":
            value = next((child.text for child in element if _local(child.tag) == "v"), None)
            if value is not None and not _is_number(value):
                raise WorkbookError(
                    f"{file}, feuille « {sheet.name} », cellule {element.get('r', '?')} : la "
                    f"valeur numérique enregistrée dans le classeur (« {value[:40]} ») n'est pas "
                    f"un nombre : le fichier a été abîmé ou modifié par un autre outil. "
                    f"Retapez la cellule dans votre tableur. {RESAVE}")
        elif tag == "row":
            if element.get("hidden") in ("1", "true"):
                try:
                    hidden.append(int(element.get("r", "")))
                except ValueError:
                    pass
            element.clear()  # rows are read one at a time: memory stays small
    return hidden


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
