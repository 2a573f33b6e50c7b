"""The projects as open data in the SCDL « subventions » schema (OpenDataFrance, version 2.1.1).

One row per grant, the columns in the schema's order (`data/open/schema-scdl-subventions.json`,
a Table Schema written from the schema's published documentation). The store fills what it
knows: the attributor, the amount, its nature, its object (call for projects, year, kind of aid
and activity) and, from the staff's file, the convention date, the decision's reference and
the beneficiary (name, SIRET, RNA), the payment terms. The beneficiary is named only on rows of
MEL's real file: a real organisation next to a reconstructed amount would read as a published
grant. Everything else stays empty rather than invented.

`verdict` validates the file against the schema with `frictionless` and says in French why it
cannot be published yet: reconstructed amounts, required fields still empty, values that break
the schema.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd
from frictionless import Resource, Schema

from ess import fmt, queries
from ess.exports.tables import neutralise
from ess.filters import Filtres
from ess.paths import ROOT

SCHEMA_FILE = ROOT / "data" / "open" / "schema-scdl-subventions.json"
SCHEMA = "scdl/subventions"
SCHEMA_VERSION = "2.1.1"
ATTRIBUANT = "Métropole Européenne de Lille"
# SIREN 200093201 (INSEE, current EPCI code of MEL) + NIC 00016: see data/open/README.md.
ID_ATTRIBUANT = "20009320100016"
NATURE = "aide en numéraire"
CALL = "Appel à projets « Entreprendre autrement »"
RECONSTRUCTED = "montant reconstitué, non publié"
MAX_OBJET = 255  # the schema wants at most 256 characters
README = ROOT / "data" / "open" / "README.md"
CSV_NAME = "subventions-ess-mel.csv"
VERDICT_NAME = "conformite.txt"
# Decree of 5 May 2017: grants above this amount must be published in this format.
PUBLICATION_THRESHOLD_EUR = 23_000
MAX_PROBLEMS_SHOWN = 10

# Why a required column can be empty, said once per column.
WHY_EMPTY = {
    "dateConvention": "les sources publiques ne donnent que l'année du soutien ; la date de la "
                      "convention ou de la décision vient du fichier des résultats de la MEL",
    "nomBeneficiaire": "le nom du bénéficiaire vient du fichier des résultats de la MEL",
    "conditionsVersement": "les modalités de versement (unique, échelonné) ne sont ni dans les "
                           "sources publiques ni dans le fichier importé",
    "datesPeriodeVersement": "les dates de versement ne sont ni dans les sources publiques ni "
                             "dans le fichier importé",
    "notificationUE": "le régime d'aide d'État (aide de minimis notifiée ou non) n'est ni dans "
                      "les sources publiques ni dans le fichier importé",
}


@lru_cache(maxsize=1)
def table_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _fields() -> dict[str, dict]:
    return {f["name"]: f for f in table_schema()["fields"]}


# In the schema's order; `True` marks the columns the schema requires.
COLUMNS = {name: f.get("constraints", {}).get("required", False) for name, f in _fields().items()}
REQUIRED = tuple(name for name, required in COLUMNS.items() if required)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _named(row: dict) -> bool:
    """Only a row of MEL's real file names its beneficiary."""
    return row["provenance"] == "publié"


def _objet(row: dict) -> str:
    aide = _text(row.get("type_aide"))
    text = f"{CALL} {row['annee']}" + (f", aide au {aide}" if aide else "")
    text += f" : {row['activite']}"
    if not _named(row):
        text += f" ({RECONSTRUCTED})"
    return text[:MAX_OBJET]


def _amount(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def subventions(con: duckdb.DuckDBPyConnection, filtres: Filtres | None = None) -> pd.DataFrame:
    """One SCDL row per project under `filtres` (all projects when None)."""
    projets = queries.run(con, "projets_liste", filtres)
    rows = []
    for row in projets.to_dict("records"):
        named = _named(row)
        record = dict.fromkeys(COLUMNS, "")
        record.update(
            nomAttribuant=ATTRIBUANT,
            idAttribuant=ID_ATTRIBUANT,
            dateConvention=_date(row.get("date_decision")),
            referenceDecision=_text(row.get("reference_decision")),
            nomBeneficiaire=_text(row.get("beneficiaire")) if named else "",
            idBeneficiaire=_text(row.get("siret")) if named else "",
            rnaBeneficiaire=_text(row.get("rna")) if named else "",
            objet=_objet(row),
            montant=_amount(row["subvention_eur"]),
            nature=NATURE,
            conditionsVersement=_text(row.get("conditions_versement")),
            datesPeriodeVersement=_text(row.get("dates_versement")),
            notificationUE=_text(row.get("notification_ue")),
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


@dataclass(frozen=True)
class Verdict:
    """Whether the file can be published, and every reason why not, in French."""

    rows: int
    reasons: list[str]
    notes: list[str]

    @property
    def publishable(self) -> bool:
        return not self.reasons

    def text(self) -> str:
        if self.publishable:
            head = (f"Le fichier SCDL « subventions » ({fmt.compte(self.rows, 'ligne')}) est "
                    f"conforme au schéma {SCHEMA} {SCHEMA_VERSION} : il peut être publié.")
        else:
            head = (f"Le fichier SCDL « subventions » ({fmt.compte(self.rows, 'ligne')}) ne peut "
                    "pas encore être publié :")
        return "\n".join([head, *(f"- {r}" for r in self.reasons), "", *self.notes])


def schema_errors(data: bytes) -> list[dict]:
    """The cells of the CSV `data` that break the Table Schema, as frictionless reports them."""
    resource = Resource(data=data, format="csv", encoding="utf-8",
                        schema=Schema.from_descriptor(table_schema()))
    report = resource.validate()
    return [
        {"ligne": row, "colonne": field, "type": kind, "valeur": cell}
        for row, field, kind, cell in report.flatten(["rowNumber", "fieldName", "type", "cell"])
    ]


def _lowered(title: str) -> str:
    return title[0].lower() + title[1:]


def _missing(frame: pd.DataFrame, reconstructed: int) -> list[str]:
    """One sentence per required column left empty, with the number of rows and why."""
    fields = _fields()
    reasons = []
    for name in REQUIRED:
        empty = int((frame[name].astype(str) == "").sum())
        if not empty:
            continue
        why = WHY_EMPTY.get(name, "la valeur n'est pas connue")
        if name == "nomBeneficiaire" and reconstructed:
            why = ("il reste vide tant que le montant est reconstitué : un vrai nom ne figure "
                   "jamais à côté d'un montant inventé")
        reasons.append(f"colonne obligatoire « {name} » ({_lowered(fields[name]['title'])}) vide "
                       f"sur {fmt.nombre(empty)} ligne{'s' if empty > 1 else ''} "
                       f"sur {fmt.nombre(len(frame))} : {why}.")
    return reasons


def _invalid(errors: list[dict]) -> list[str]:
    """Values that break the schema (an empty required cell is said by `_missing`)."""
    fields = _fields()
    wrong = [e for e in errors if _text(e["valeur"]) != ""]
    shown = [
        f"ligne {e['ligne']}, colonne « {e['colonne']} » : « {_text(e['valeur'])[:40]} » n'est "
        f"pas conforme ({fields.get(e['colonne'], {}).get('description', e['type'])})"
        for e in wrong[:MAX_PROBLEMS_SHOWN]
    ]
    if len(wrong) > MAX_PROBLEMS_SHOWN:
        shown.append(f"et {fmt.nombre(len(wrong) - MAX_PROBLEMS_SHOWN)} autre(s) valeur(s) non "
                     "conforme(s).")
    return shown


def verdict(frame: pd.DataFrame, provenances: pd.Series) -> Verdict:
    """Can `frame` (from `subventions`) be published? `provenances`: its rows' provenance."""
    reconstructed = int((provenances != "publié").sum())
    reasons = []
    if reconstructed:
        reasons.append(
            f"{fmt.nombre(reconstructed)} montant{'s' if reconstructed > 1 else ''} sur "
            f"{fmt.nombre(len(frame))} {'sont reconstitués' if reconstructed > 1 else 'est reconstitué'} "
            "à partir des totaux publiés, pas lus dans les conventions : le fichier des résultats "
            "de la MEL, importé par ses agents, les remplacera.")
    reasons += _missing(frame, reconstructed)
    reasons += _invalid(schema_errors(to_csv(frame)))
    above = int((frame["montant"] > PUBLICATION_THRESHOLD_EUR).sum())
    notes = [f"Publication obligatoire au-delà de {fmt.euros(PUBLICATION_THRESHOLD_EUR)} par "
             f"subvention (décret n° 2017-779 du 5 mai 2017) : {fmt.compte(above, 'subvention')} "
             f"sur {fmt.nombre(len(frame))} "
             f"{'dépassent' if above > 1 else 'dépasse'} ce seuil."]
    return Verdict(len(frame), reasons, notes)


def check(con: duckdb.DuckDBPyConnection, filtres: Filtres | None = None) -> Verdict:
    """The verdict on the SCDL file of the store (under `filtres`)."""
    provenances = queries.run(con, "projets_liste", filtres)["provenance"]
    return verdict(subventions(con, filtres), provenances)


def archive(con: duckdb.DuckDBPyConnection) -> bytes:
    """A ZIP of the SCDL file, its README (licence, sources, what each column holds), its
    Table Schema and the verdict of its validation against it."""
    frame = subventions(con)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(CSV_NAME, to_csv(frame))
        zf.writestr("README.md", README.read_text(encoding="utf-8"))
        zf.writestr(SCHEMA_FILE.name, SCHEMA_FILE.read_text(encoding="utf-8"))
        zf.writestr(VERDICT_NAME, check(con).text() + "\n")
    return buffer.getvalue()
