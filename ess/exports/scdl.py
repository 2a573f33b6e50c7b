"""The projects as open data in the SCDL « subventions » schema (OpenDataFrance, version 2.1.1).

One row per grant, the columns in the schema's order. The store fills what it knows: the
attributor, the amount, its nature and its object (call for projects, year and activity); the
beneficiary's name only when a public source names it (or the row comes from MEL's real file).
Everything else stays empty rather than invented: `data/open/README.md` says why, column by
column. Rows come from the same query as the Projets page (`projets_liste`).
"""

from __future__ import annotations

import io
import zipfile

import duckdb
import pandas as pd

from ess import queries
from ess.exports.tables import neutralise
from ess.filters import Filtres
from ess.paths import ROOT

SCHEMA = "scdl/subventions"
SCHEMA_VERSION = "2.1.1"
# In the schema's order; `True` marks the columns the schema requires.
COLUMNS = {
    "nomAttribuant": True,
    "idAttribuant": True,
    "dateConvention": True,
    "referenceDecision": False,
    "nomBeneficiaire": True,
    "idBeneficiaire": False,
    "rnaBeneficiaire": False,
    "objet": True,
    "montant": True,
    "nature": True,
    "conditionsVersement": True,
    "datesPeriodeVersement": True,
    "idRAE": False,
    "notificationUE": True,
    "pourcentageSubvention": True,
    "dispositifAide": False,
}
REQUIRED = tuple(name for name, required in COLUMNS.items() if required)

ATTRIBUANT = "Métropole Européenne de Lille"
# SIREN 200093201 (INSEE, current EPCI code of MEL) + NIC 00016: see data/open/README.md.
ID_ATTRIBUANT = "20009320100016"
NATURE = "aide en numéraire"
CALL = "Appel à projets « Entreprendre autrement »"
RECONSTRUCTED = "montant reconstitué, non publié"
MAX_OBJET = 255  # the schema wants fewer than 256 characters
README = ROOT / "data" / "open" / "README.md"
CSV_NAME = "subventions-ess-mel.csv"


def _named(row) -> bool:
    """Only a row of MEL's real file names its beneficiary: a real organisation next to a
    reconstructed amount would read as a published grant."""
    return row.provenance == "publié"


def _objet(row) -> str:
    text = f"{CALL} {row.annee} : {row.activite}"
    if row.provenance != "publié":
        text += f" ({RECONSTRUCTED})"
    return text[:MAX_OBJET]


def _amount(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def subventions(con: duckdb.DuckDBPyConnection, filtres: Filtres | None = None) -> pd.DataFrame:
    """One SCDL row per project under `filtres` (all projects when None)."""
    projets = queries.run(con, "projets_liste", filtres)
    rows = []
    for row in projets.itertuples(index=False):
        record = dict.fromkeys(COLUMNS, "")
        record.update(
            nomAttribuant=ATTRIBUANT,
            idAttribuant=ID_ATTRIBUANT,
            nomBeneficiaire=row.libelle if _named(row) else "",
            objet=_objet(row),
            montant=_amount(row.subvention_eur),
            nature=NATURE,
            pourcentageSubvention=1,  # one beneficiary per project
        )
        rows.append(record)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def to_csv(frame: pd.DataFrame) -> bytes:
    """The SCDL file: UTF-8, comma, decimal point, as the schema's validators expect."""
    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name]):
            safe[name] = safe[name].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def archive(con: duckdb.DuckDBPyConnection) -> bytes:
    """A ZIP of the SCDL file and its README (licence, sources, what each column holds)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(CSV_NAME, to_csv(subventions(con)))
        zf.writestr("README.md", README.read_text(encoding="utf-8"))
    return buffer.getvalue()
