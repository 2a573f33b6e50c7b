"""A read table → rows of the store's `projet` table, and every problem at once.

Each problem names the file, the row (as the spreadsheet numbers it), the column (as the file
titles it), what is wrong and what to do. Blocking problems stop the import; warnings are
shown and the import may go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ess import fmt
from ess.importer import normalize
from ess.importer.columns import BY_FIELD, COLUMNS, DERIVED, closest_header, field_of, header_key
from ess.importer.normalize import CellError, key, text
from ess.importer.read import Table
from ess.paths import SOURCES_DIR
from ess.reconstruct import MAX_GRANT_EUR
from ess.store import call_years

PLAN = "pmdess-2015-2020"
# Realised jobs above this multiple of the forecast (and by more than a few ETP) look like a
# typo (35 for 3,5) or jobs counted in people rather than ETP: worth a second look.
JOBS_RATIO_WARNING = 2
JOBS_MARGIN_WARNING_ETP = 2


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str
    action: str
    blocking: bool = True

    def __str__(self) -> str:
        where = [self.file]
        if self.line:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne {self.column}")
        action = self.action if self.action.endswith((".", "?", "!")) else self.action + "."
        return f"{', '.join(where)} : {self.message}. {action}"


@dataclass
class Outcome:
    rows: list[dict] = field(default_factory=list)  # `projet` rows, in the file's order
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]


class _Referentials:
    def __init__(self, sources: Path):
        self.communes = normalize.Communes(sources)
        self.forms = normalize.Categories("forme_juridique", "forme_juridique.csv",
                                          "une forme juridique reconnue", sources)
        self.activities = normalize.Categories("activite", "activite.csv",
                                               "un type d'activité reconnu", sources)
        self.activity_axis = {
            r["code"]: int(r["axe"]) for r in normalize.read_source("activite.csv", sources)}
        numbers = [int(r["numero"]) for r in normalize.read_source("axe.csv", sources)
                   if r["plan"] == PLAN]
        self.axes = range(min(numbers), max(numbers) + 1)
        self.years = call_years(
            int(r["annee_debut"]) for r in normalize.read_source("periode.csv", sources))


def _header(table: Table, outcome: Outcome) -> dict[str, tuple[int, str]]:
    """Which cell index holds each field; warns about ignored and repeated columns."""
    where: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, header in enumerate(table.header):
        if not header:
            continue
        name = field_of(header)
        if name is None:
            if header_key(header) not in DERIVED:
                ignored.append(header)
        elif name in where:
            outcome.problems.append(Problem(
                table.file, table.header_line, header,
                f"deuxième colonne pour « {BY_FIELD[name].name} » (la colonne "
                f"« {where[name][1]} » est déjà lue)",
                "Cette colonne est ignorée ; supprimez celle qui ne convient pas", False))
        else:
            where[name] = (index, header)
    for column in COLUMNS:
        if column.required and column.field not in where:
            guess = closest_header(column, table.header)
            action = (f"Vouliez-vous dire « {guess} » ? Renommez cette colonne « {column.name} »"
                      if guess else f"Ajoutez la colonne « {column.name} » : {column.description}")
            outcome.problems.append(Problem(
                table.file, table.header_line, column.name, "colonne absente", action))
    if ignored:
        outcome.problems.append(Problem(
            table.file, table.header_line, None,
            "colonnes non reconnues, ignorées : " + ", ".join(f"« {h} »" for h in ignored),
            "Renommez-les comme dans le modèle si elles doivent être importées", False))
    return where


def validate(table: Table, imported_on: dt.date | None = None,
             sources: Path = SOURCES_DIR) -> Outcome:
    outcome = Outcome()
    where = _header(table, outcome)
    rows = _Rows(table, where, _Referentials(sources), outcome.problems,
                 (imported_on or dt.date.today()).strftime("%d/%m/%Y"))
    for line, cells in table.rows:
        row = rows.check(line, cells)
        if row is not None:
            outcome.rows.append(row)
    order = {header: i for i, header in enumerate(table.header)}
    outcome.problems.sort(key=lambda p: (p.line or 0, order.get(p.column, len(order))))
    return outcome


class _Rows:
    """Checks the rows of one table, one at a time, reporting into `problems`."""

    def __init__(self, table: Table, where: dict, refs: _Referentials, problems: list,
                 day: str):
        self.table, self.where, self.refs, self.problems, self.day = (
            table, where, refs, problems, day)
        self.seen: dict[str, int] = {}  # id → first line
        self.parsers = (
            ("id", lambda v: _required_text(v, "identifiant vide",
                                            "Donnez à chaque projet un identifiant unique, "
                                            "par exemple AAP-2017-01")),
            ("libelle", lambda v: _required_text(v, "nom du projet vide",
                                                 "Écrivez le nom du projet ou de la structure")),
            ("annee", lambda v: _year(v, refs.years)),
            ("commune", refs.communes.find),
            ("forme_juridique", refs.forms.find),
            ("activite", refs.activities.find),
            ("axe", lambda v: None if text(v) == "" else normalize.axis(v, refs.axes)),
            ("subvention_eur", lambda v: normalize.number(v, euros=True)),
            ("emplois_prevus_etp", lambda v: normalize.number(v, euros=False)),
            ("emplois_realises_etp", lambda v: normalize.number(v, euros=False)),
        )

    def _problem(self, line, name, message, action, blocking=True):
        column = self.where[name][1] if name in self.where else None
        self.problems.append(Problem(self.table.file, line, column, message, action, blocking))

    def _cell(self, cells, name):
        index = self.where.get(name, (None,))[0]
        return cells[index] if index is not None and index < len(cells) else None

    def check(self, line: int, cells: list) -> dict | None:
        """The row for the store, or None when it is skipped or has a blocking problem."""
        extra = [c for c in cells[len(self.table.header):] if c not in (None, "")]
        if extra:
            self._problem(
                line, None, f"{len(extra)} cellule(s) remplie(s) au-delà des colonnes de l'en-tête",
                "Une virgule dans un montant coupe-t-elle la cellule ? Entourez la valeur de "
                "guillemets, enregistrez avec « ; » comme séparateur, ou utilisez le .xlsx")
            return None
        first = next((text(c) for c in cells if text(c)), "")
        if key(first).startswith("total") and not text(self._cell(cells, "commune")):
            self._problem(line, None, "ligne de total ignorée",
                          "Rien à faire : les totaux sont recalculés", False)
            return None

        row: dict = {}
        failed = False
        for name, parse in self.parsers:
            if name not in self.where:
                row[name] = None
                failed = failed or BY_FIELD[name].required
                continue
            try:
                row[name] = parse(self._cell(cells, name))
            except CellError as error:
                self._problem(line, name, error.message, error.action)
                row[name] = None
                failed = True
        failed = self._check_row(line, cells, row) or failed
        if failed:
            return None
        commune = row.pop("commune")
        form_text = text(self._cell(cells, "forme_juridique"))
        form_label = self.refs.forms.labels[row["forme_juridique"]]
        row.update(
            commune=commune.insee,
            territoire=commune.territoire,
            statut=None if key(form_text) == key(form_label) else form_text,
            axe=row["axe"] or self.refs.activity_axis[row["activite"]],
            provenance="publié",
            source=f"Fichier importé {self.table.file} du {self.day}, ligne {line}" + (
                f" ; commune indiquée : {commune.associee} (commune associée de Lille)"
                if commune.associee else ""),
        )
        return row

    def _check_row(self, line: int, cells: list, row: dict) -> bool:
        """Checks across cells; True when one blocks the row."""
        for name in ("id", "libelle", "forme_juridique"):
            if normalize.is_formula_like(self._cell(cells, name)):
                self._problem(line, name, f"« {text(self._cell(cells, name))} » commence comme "
                              "une formule : gardé tel quel, comme du texte",
                              "Vérifiez que c'est le texte voulu ; il ne sera jamais calculé",
                              False)
        duplicate = False
        if row["id"] is not None:
            first = self.seen.setdefault(row["id"], line)
            if first != line:
                self._problem(line, "id", f"identifiant « {row['id']} » en double (déjà ligne "
                              f"{first})", "Chaque projet a son propre identifiant : corrigez "
                              "l'un des deux")
                duplicate = True
        grant = row["subvention_eur"]
        if grant is not None and grant > MAX_GRANT_EUR:
            self._problem(line, "subvention_eur", f"subvention de {fmt.euros(grant)}, au-dessus "
                          f"du plafond de l'appel à projets ({fmt.euros(MAX_GRANT_EUR)})",
                          "Vérifiez le montant ; l'import reste possible", False)
        forecast, realised = row["emplois_prevus_etp"], row["emplois_realises_etp"]
        if (forecast is not None and realised is not None
                and realised > JOBS_RATIO_WARNING * forecast
                and realised - forecast > JOBS_MARGIN_WARNING_ETP):
            self._problem(line, "emplois_realises_etp",
                          f"{fmt.etp(realised)} réalisés pour {fmt.etp(forecast)} prévus, bien "
                          "au-delà de la prévision", "Vérifiez qu'il s'agit d'équivalents temps "
                          "plein (et non de personnes) ; l'import reste possible", False)
        return duplicate


def _required_text(value, message: str, action: str) -> str:
    result = text(value)
    if not result:
        raise CellError(message, action)
    return result


def _year(value, years: tuple[int, int]) -> int:
    result = normalize.year(value)
    first, last = years
    if not first <= result <= last:
        raise CellError(f"{result} est hors de l'appel à projets ({first}-{last})",
                        "Vérifiez l'année du soutien : l'appel à projets « Entreprendre "
                        f"autrement » couvre {first} à {last}")
    return result
