"""The dashboard's tables as people read them: French column names, on screen and in files.

`telechargement` writes exactly the rows it is given as CSV (UTF-8 with BOM, `;`, decimal
comma: what a French spreadsheet opens directly) or XLSX. Text cells that a spreadsheet would
run as a formula (starting with = + - @) are neutralised.
"""

from __future__ import annotations

import io

import pandas as pd

# Column → French label, for every column a reader may see in a table or a downloaded file.
LIBELLES = {
    "id": "Identifiant",
    "libelle": "Libellé",
    "nom": "Nom",
    "annee": "Année",
    "commune": "Commune",
    "territoire": "Territoire",
    "forme_juridique": "Forme juridique",
    "statut": "Statut",
    "activite": "Activité",
    "axe": "Axe du PMDESS",
    "subvention_eur": "Subvention (€)",
    "subvention": "Subventions (€)",
    "emplois_prevus_etp": "Emplois prévus (ETP)",
    "emplois_realises_etp": "Emplois réalisés (ETP)",
    "emplois_prevus": "Emplois prévus (ETP)",
    "emplois_realises": "Emplois réalisés (ETP)",
    "nb_projets": "Projets",
    "part_pct": "Part des projets (%)",
    "nb_publie": "Projets (chiffre publié)",
    "part_publiee_pct": "Part publiée (%)",
    "taux_realisation_pct": "Emplois réalisés / prévus (%)",
    "etp_pour_10k": "ETP réalisés pour 10 000 €",
    "population": "Population",
    "provenance": "Provenance",
    "source": "Source",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def en_francais(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its columns renamed to their French labels (unknown columns unchanged)."""
    return df.rename(columns=LIBELLES)


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def telechargement(df: pd.DataFrame, format: str, feuille: str = "Projets") -> bytes:
    """The rows of `df`, French headers, as a `csv` or `xlsx` file's bytes."""
    if format not in FORMATS:
        raise ValueError(f"Format de fichier inconnu : {format!r} (attendu : csv ou xlsx).")
    table = en_francais(df)
    if format == "csv":
        # A leading apostrophe is the spreadsheets' own « this is text » mark.
        safe = table.map(lambda v: f"'{v}" if _is_formula(v) else v)
        text = safe.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
        return ("\ufeff" + text).encode("utf-8")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=feuille, index=False)
        sheet = writer.sheets[feuille]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if _is_formula(cell.value):
                    cell.data_type = "s"  # stored and shown as text, never evaluated
                    cell.quotePrefix = True
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8) + 2, 60)
    return buffer.getvalue()
