"""The files staff start from: `modele_import.xlsx` (the columns with one example row, a sheet
explaining each column, a sheet listing the accepted values) and `modele_import.csv`. The
example row says « exemple à remplacer » in its name: imported as is, it is refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ess.importer.columns import COLUMNS
from ess.importer.normalize import CORRESPONDENCES_FILE, read_source
from ess.paths import SOURCES_DIR

XLSX_NAME = "modele_import.xlsx"
CSV_NAME = "modele_import.csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXAMPLE = {
    "id": "AAP-2017-01",
    "libelle": "Recyclerie du Vieux-Lille (exemple à remplacer)",
    "annee": 2017,
    "commune": "Lille",
    "forme_juridique": "Association loi 1901",
    "activite": "Solidarité, citoyenneté, cohésion sociale",
    "axe": None,
    "subvention_eur": 12500,
    "emplois_prevus_etp": 3,
    "emplois_realises_etp": 3.5,
    "beneficiaire": "Association Recyclerie du Vieux-Lille",
    "siret": "732 829 320 00074",
    "rna": "W595012345",
    "date_decision": "12/03/2017",
    "reference_decision": "17-C-0123",
    "type_aide": None,
}


def template_csv() -> bytes:
    """Semicolon-separated UTF-8 with a BOM, as Excel in French opens it directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    writer.writerow(["" if EXAMPLE[c.field] is None else str(EXAMPLE[c.field]).replace(".", ",")
                     for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(sources: Path = SOURCES_DIR) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    projects = book.active
    projects.title = "Projets"
    projects.append([c.name for c in COLUMNS])
    projects.append([EXAMPLE[c.field] for c in COLUMNS])
    projects.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        cell = projects.cell(row=1, column=index)
        cell.font = bold
        projects.column_dimensions[cell.column_letter].width = max(14, len(column.name) + 4)
        if column.field == "subvention_eur":
            projects.cell(row=2, column=index).number_format = '#,##0 "€"'
    projects.column_dimensions["B"].width = 45

    help_sheet = book.create_sheet("Colonnes")
    help_sheet.append(["Colonne", "Obligatoire", "Contenu", "Exemple", "Autres intitulés reconnus"])
    for column in COLUMNS:
        help_sheet.append([column.name, "oui" if column.required else "non", column.description,
                           column.example, ", ".join(column.synonyms)])
    help_sheet.append([])
    for note in (
        "Une ligne par projet, sous une seule ligne de titres (un titre au-dessus est accepté).",
        "Montants : 12500, 12 500 ou 12 500,00 € ; emplois en équivalents temps plein (2,5).",
        "Majuscules, accents et espaces des titres de colonnes sont indifférents ; les autres "
        "colonnes sont ignorées. Le territoire est déduit de la commune.",
        "Une cellule qui commence par =, +, - ou @ est gardée comme texte, jamais calculée.",
        "L'import remplace tous les projets : un projet absent du fichier est retiré (l'aperçu "
        "le montre avant de confirmer, et l'import se défait).",
    ):
        help_sheet.append([note])
    _layout(help_sheet, [24, 12, 70, 30, 70], bold)

    lists = book.create_sheet("Listes")
    lists.append(["Commune", "Code INSEE", "Territoire", "", "Forme juridique écrite",
                  "Catégorie", "", "Activité écrite", "Catégorie"])
    territories = {r["code"]: r["nom"] for r in read_source("territoire.csv", sources)}
    communes = [[r["nom"], r["insee"], territories[r["territoire"]]]
                for r in sorted(read_source("commune.csv", sources), key=lambda r: r["nom"])]
    communes += [["Lomme (rattachée à Lille)", "59355", territories["lillois"]],
                 ["Hellemmes (rattachée à Lille)", "59298", territories["lillois"]]]
    labels = {field: {r["code"]: r["libelle"] for r in read_source(name, sources)}
              for field, name in (("forme_juridique", "forme_juridique.csv"),
                                  ("activite", "activite.csv"))}
    variants = {field: [] for field in labels}
    for row in read_source(CORRESPONDENCES_FILE.name, CORRESPONDENCES_FILE.parent):
        if row["code"] in labels[row["champ"]]:  # not the forms refused as outside the ESS
            variants[row["champ"]].append([row["variante"], labels[row["champ"]][row["code"]]])
    for field in labels:
        variants[field] = [[label, label] for label in labels[field].values()] + variants[field]
    for i in range(max(len(communes), *(len(v) for v in variants.values()))):
        row = _at(communes, i, 3) + [""] + _at(variants["forme_juridique"], i, 2) + [""]
        lists.append(row + _at(variants["activite"], i, 2))
    _layout(lists, [34, 12, 16, 3, 40, 32, 3, 40, 40], bold)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _at(rows: list[list], index: int, width: int) -> list:
    return rows[index] if index < len(rows) else [""] * width


def _layout(sheet, widths: list[int], bold) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = bold
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
