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
from ess.importer import normalize, visible
from ess.importer.columns import BY_FIELD, COLUMNS, DERIVED, closest_header, field_of, header_key
from ess.importer.normalize import CellError, key, text
from ess.importer.read import Table
from ess.paths import SOURCES_DIR
from ess.store import call_years

# `activite.axe` is the PMDESS 2015-2020 axis each activity serves (data/README.md): the rule
# that gives a project without an axis cell its axis, for that plan's years only.
ACTIVITY_AXIS_PLAN = "pmdess-2015-2020"
# Realised jobs above this multiple of the forecast (and by more than a few ETP) look like a
# typo (35 for 3,5) or jobs counted in people rather than ETP: worth a second look.
JOBS_RATIO_WARNING = 2
JOBS_MARGIN_WARNING_ETP = 2
# Beyond these, a value cannot be right: a grant of ten times the period's ceiling, or more
# jobs on one project than the largest ESS employers of the métropole have.
ABSURD_GRANT_CEILINGS = 10
MAX_JOBS_ETP = 1_000
# Lengths beyond which a cell is not what its column holds (a pasted paragraph, a whole row).
MAX_LENGTH = {"id": 50, "libelle": 200, "forme_juridique": 120, "activite": 120,
              "beneficiaire": 200, "reference_decision": 100}
# The template's example row (ess/importer/template.py) says so in its name.
EXAMPLE_MARK = "exemple a remplacer"


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
        message = self.message if self.message.endswith(("?", "!")) else self.message + "."
        return visible(f"{', '.join(where)} : {message} {action}")


@dataclass
class Outcome:
    rows: list[dict] = field(default_factory=list)  # `projet` rows, in the file's order
    problems: list[Problem] = field(default_factory=list)
    # Activity labels met for the first time: code → label as written; new `activite` rows.
    new_activities: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]


class OutcomeView:
    """A preview's reading of the file, through its `outcome` (previews of results and of the
    roadmap alike)."""

    @property
    def rows(self) -> list[dict]:
        return self.outcome.rows

    @property
    def problems(self) -> list[Problem]:
        return self.outcome.problems

    @property
    def errors(self) -> list[Problem]:
        return self.outcome.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.outcome.warnings


@dataclass(frozen=True)
class Period:
    """A rule period of the call (`periode`), as the import checks a project's year against."""
    code: str
    first: int
    last: int
    ceiling: float | None
    kinds: list[str]
    plan: str | None


class _Referentials:
    def __init__(self, sources: Path):
        self.communes = normalize.Communes(sources)
        self.forms = normalize.Categories("forme_juridique", "forme_juridique.csv",
                                          "une forme juridique reconnue", sources)
        self.activities = normalize.Categories("activite", "activite.csv",
                                               "un type d'activité reconnu", sources)
        self.activity_axis = {
            r["code"]: int(r["axe"]) if r["axe"] else None
            for r in normalize.read_source("activite.csv", sources)}
        self.axes: dict[str, dict[int, str]] = {}
        for r in normalize.read_source("axe.csv", sources):
            self.axes.setdefault(r["plan"], {})[int(r["numero"])] = r["nom"]
        self.plan_names = {r["code"]: r["nom_court"]
                           for r in normalize.read_source("plan.csv", sources)}
        rows = normalize.read_source("periode.csv", sources)
        self.years = call_years(int(r["annee_debut"]) for r in rows)
        self.periods = [Period(
            r["code"], int(r["annee_debut"]),
            int(r["annee_fin"]) if r["annee_fin"] else self.years[1],
            float(r["plafond_eur"]) if r["plafond_eur"] else None,
            r["types_aide"].split("|") if r["types_aide"] else [], r["plan"] or None)
            for r in rows]
        ceilings = [p.ceiling for p in self.periods if p.ceiling]
        self.highest_ceiling = max(ceilings) if ceilings else None

    def period(self, year: int) -> Period | None:
        return next((p for p in self.periods if p.first <= year <= p.last), None)


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
        if column.required and column.field not in where and not _derived(column.field, where):
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


def _derived(field: str, where: dict) -> bool:
    """A required field the file gives another way: the year of the decision's date."""
    return field == "annee" and "date_decision" in where


def validate(table: Table, imported_on: dt.date | None = None,
             sources: Path = SOURCES_DIR) -> Outcome:
    outcome = Outcome()
    outcome.problems += [Problem(table.file, n.line, None, n.message, n.action, False)
                         for n in table.notices]
    where = _header(table, outcome)
    rows = _Rows(table, where, _Referentials(sources), outcome,
                 (imported_on or dt.date.today()).strftime("%d/%m/%Y"))
    for line, cells in table.rows:
        row = rows.check(line, cells)
        if row is not None:
            outcome.rows.append(row)
    order = {header: i for i, header in enumerate(table.header)}
    outcome.problems.sort(key=lambda p: (p.line or 0, order.get(p.column, len(order))))
    return outcome


def _text_parser(name: str, required: str | None = None, action: str = ""):
    """Text of at most `MAX_LENGTH[name]` characters; empty → None, or an error if `required`
    (its message)."""
    limit = MAX_LENGTH.get(name)

    def parse(value):
        result = text(value)
        if not result:
            if required:
                raise CellError(required, action)
            return None
        if limit and len(result) > limit:
            raise CellError(f"texte de {fmt.nombre(len(result))} caractères, au-delà des "
                            f"{fmt.nombre(limit)} que cette colonne peut contenir",
                            "Gardez le seul intitulé ; une note va dans une autre colonne, "
                            "ignorée")
        return result
    return parse


def _optional(parse):
    return lambda v: None if text(v) == "" else parse(v)


class _Rows:
    """Checks the rows of one table, one at a time, reporting into the outcome."""

    def __init__(self, table: Table, where: dict, refs: _Referentials, outcome: Outcome,
                 day: str):
        self.table, self.where, self.refs, self.outcome, self.day = (
            table, where, refs, outcome, day)
        self.problems = outcome.problems
        self.seen: dict[str, int] = {}  # id → first line
        self.new_labels: dict[str, str] = {}  # spelling → code of a new activity
        # Each cell on its own; the year's rules (axis, kind of aid, ceiling) come after.
        self.parsers = (
            ("id", _text_parser("id", "identifiant vide", "Donnez à chaque projet un "
                                "identifiant unique, par exemple AAP-2017-01")),
            ("libelle", _text_parser("libelle", "nom du projet vide",
                                     "Écrivez le nom du projet ou de la structure")),
            ("date_decision", _optional(normalize.date)),
            ("annee", normalize.year),
            ("commune", refs.communes.find),
            ("forme_juridique", refs.forms.find),
            ("activite", self._activity),
            ("subvention_eur", lambda v: normalize.number(v, euros=True)),
            ("emplois_prevus_etp", lambda v: normalize.number(v, euros=False)),
            ("emplois_realises_etp", _optional(lambda v: normalize.number(v, euros=False))),
            ("beneficiaire", _text_parser("beneficiaire")),
            ("siret", _optional(normalize.siret)),
            ("rna", _optional(normalize.rna)),
            ("reference_decision", _text_parser("reference_decision")),
        )

    def _problem(self, line, name, message, action, blocking=True):
        column = self.where[name][1] if name in self.where else None
        self.problems.append(Problem(self.table.file, line, column, message, action, blocking))

    def _cell(self, cells, name):
        index = self.where.get(name, (None,))[0]
        return cells[index] if index is not None and index < len(cells) else None

    def _activity(self, value) -> str:
        try:
            return self.refs.activities.find(value)
        except normalize.UnknownCategory as unknown:
            label = text(value)
            if (normalize.is_formula_like(label) or len(label) > MAX_LENGTH["activite"]
                    or sum(c.isalpha() for c in label) < 3):
                raise CellError(unknown.message, unknown.action) from None
            spelling = normalize.spelling(label)
            if spelling not in self.new_labels:
                code = "-".join(spelling.split())
                while code in self.refs.activities.labels or code in self.outcome.new_activities:
                    code += "-bis"
                self.new_labels[spelling] = code
                self.outcome.new_activities[code] = label
            return self.new_labels[spelling]

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
        if EXAMPLE_MARK in key(self._cell(cells, "libelle") or ""):
            self._problem(line, "libelle", "ligne d'exemple du modèle d'import",
                          "Remplacez-la par un projet réel, ou supprimez-la")
            return None

        row: dict = {}
        hidden = self._invisible(line, cells)
        failed = bool(hidden)
        new_before = set(self.outcome.new_activities)
        for name, parse in self.parsers:
            if name in hidden:  # said once, never echoed
                row[name] = None
                continue
            if name not in self.where:
                row[name] = None
                failed = failed or (BY_FIELD[name].required and not _derived(name, self.where))
                continue
            try:
                row[name] = parse(self._cell(cells, name))
            except CellError as error:
                self._problem(line, name, error.message, error.action)
                row[name] = None
                failed = True
        if "annee" not in self.where and row["date_decision"] is not None:
            row["annee"] = row["date_decision"].year
        failed = self._check_year(line, cells, row) or failed
        failed = self._check_row(line, cells, row) or failed
        new = set(self.outcome.new_activities) - new_before
        if new and not failed:
            code, = new
            self._problem(line, "activite", f"nouvelle activité « {self.outcome.new_activities[code]} » : "
                          "elle sera ajoutée à la liste des activités",
                          "Vérifiez l'orthographe : chaque libellé différent devient une "
                          "activité de plus dans les filtres", False)
        elif new:  # the row is refused: its label does not become an activity
            for code in new:
                del self.outcome.new_activities[code]
            self.new_labels = {s: c for s, c in self.new_labels.items() if c not in new}
        if failed:
            return None
        commune = row.pop("commune")
        form_text = text(self._cell(cells, "forme_juridique"))
        form_label = self.refs.forms.labels[row["forme_juridique"]]
        row.update(
            commune=commune.insee,
            territoire=commune.territoire,
            statut=None if key(form_text) == key(form_label) else form_text,
            provenance="publié",
            source=f"Fichier importé {self.table.file} du {self.day}, ligne {line}" + (
                f" ; commune indiquée : {commune.associee} (commune associée de Lille)"
                if commune.associee else ""),
        )
        return row

    def _invisible(self, line: int, cells: list) -> set[str]:
        """The fields whose cell holds a control or invisible character, each reported:
        refused wherever they are (they hide what a cell says, or act on a terminal)."""
        hidden = set()
        for name, (index, _) in self.where.items():
            found = normalize.invisible(cells[index] if index < len(cells) else None)
            if found:
                self._problem(line, name, f"caractère invisible ou de contrôle ({found})",
                              "Retapez la cellule au clavier plutôt que de la coller")
                hidden.add(name)
        return hidden

    def _check_year(self, line: int, cells: list, row: dict) -> bool:
        """The rules of the project's year: the call's years, the plan's axes, the period's
        kinds of aid and ceiling. True when one blocks the row."""
        year = row["annee"]
        if year is None:
            return False
        first, last = self.refs.years
        if not first <= year <= last:
            column = "annee" if "annee" in self.where else "date_decision"
            if year < first:
                self._problem(line, column, f"{year} est avant la première édition de l'appel "
                              f"à projets ({first})", "Vérifiez l'année du soutien : l'appel "
                              f"« Entreprendre autrement » court depuis {first}")
            else:
                self._problem(line, column, f"{year} est une année à venir",
                              f"Vérifiez l'année du soutien : de {first} à {last}, l'année en "
                              "cours")
            return True
        period = self.refs.period(year)
        failed = False
        decided = row.get("date_decision")
        if decided is not None and not first - 1 <= decided.year <= last + 1:
            self._problem(line, "date_decision", f"décision du {fmt.jour(decided)}, hors des "
                          f"années de l'appel ({first}-{last})", "Corrigez la date")
            failed = True
        elif decided is not None and abs(decided.year - year) > 1:
            self._problem(line, "date_decision", f"décision du {fmt.jour(decided)} pour un "
                          f"soutien de {year}", "Vérifiez l'année ou la date ; l'import reste "
                          "possible", False)
        row["axe"] = None
        axes = self.refs.axes.get(period.plan, {}) if period and period.plan else {}
        if text(self._cell(cells, "axe")):
            if axes:
                try:
                    row["axe"] = normalize.axis(self._cell(cells, "axe"), axes,
                                                self.refs.plan_names.get(period.plan, period.plan))
                except CellError as error:
                    self._problem(line, "axe", error.message, error.action)
                    failed = True
            else:
                self._problem(line, "axe", f"aucun plan aux axes connus en {year}",
                              "L'axe n'est pas gardé ; l'import reste possible", False)
        elif period and period.plan == ACTIVITY_AXIS_PLAN and row["activite"]:
            row["axe"] = self.refs.activity_axis.get(row["activite"])
        row["type_aide"] = None
        kind = self._cell(cells, "type_aide")
        if text(kind) and not normalize.invisible(kind):
            if period and period.kinds:
                try:
                    row["type_aide"] = normalize.aid_kind(kind, period.kinds)
                except CellError as error:
                    self._problem(line, "type_aide", error.message, error.action)
                    failed = True
            else:
                self._problem(line, "type_aide", f"l'appel ne distinguait pas de types d'aide "
                              f"en {year}", "Le type d'aide n'est pas gardé ; l'import reste "
                              "possible", False)
        grant = row["subvention_eur"]
        ceiling = period.ceiling if period else None
        bound = ABSURD_GRANT_CEILINGS * (ceiling or self.refs.highest_ceiling or 0)
        if grant is not None and bound and grant > bound:
            self._problem(line, "subvention_eur", f"subvention de {fmt.euros(grant)} : plus de "
                          f"{ABSURD_GRANT_CEILINGS} fois le plafond de l'appel "
                          f"({fmt.euros(ceiling or self.refs.highest_ceiling)}), ce montant ne "
                          "peut pas être juste", "Corrigez le montant (en euros, sans "
                          "centimes collés)")
            failed = True
        elif grant is not None and ceiling and grant > ceiling:
            self._problem(line, "subvention_eur", f"subvention de {fmt.euros(grant)}, au-dessus "
                          f"du plafond de l'appel à projets en {year} ({fmt.euros(ceiling)})",
                          "Vérifiez le montant ; l'import reste possible", False)
        return failed

    def _check_row(self, line: int, cells: list, row: dict) -> bool:
        """Checks across cells; True when one blocks the row."""
        for name in ("id", "libelle", "forme_juridique", "beneficiaire"):
            if normalize.is_formula_like(self._cell(cells, name)):
                self._problem(line, name, f"« {text(self._cell(cells, name))} » commence comme "
                              "une formule : gardé tel quel, comme du texte",
                              "Vérifiez que c'est le texte voulu ; il ne sera jamais calculé",
                              False)
        failed = False
        for name in ("emplois_prevus_etp", "emplois_realises_etp"):
            if row[name] is not None and row[name] > MAX_JOBS_ETP:
                self._problem(line, name, f"{fmt.etp(row[name])} pour un seul projet : au-delà de "
                              f"{fmt.etp(MAX_JOBS_ETP)}, ce nombre ne peut pas être juste",
                              "Corrigez le nombre d'emplois, en équivalents temps plein")
                failed = True
        if row["id"] is not None:
            first = self.seen.setdefault(row["id"], line)
            if first != line:
                self._problem(line, "id", f"identifiant « {row['id']} » en double (déjà ligne "
                              f"{first})", "Chaque projet a son propre identifiant : corrigez "
                              "l'un des deux")
                failed = True
        forecast, realised = row["emplois_prevus_etp"], row["emplois_realises_etp"]
        if (not failed and forecast is not None and realised is not None
                and realised > JOBS_RATIO_WARNING * forecast
                and realised - forecast > JOBS_MARGIN_WARNING_ETP):
            self._problem(line, "emplois_realises_etp",
                          f"{fmt.etp(realised)} réalisés pour {fmt.etp(forecast)} prévus, bien "
                          "au-delà de la prévision", "Vérifiez qu'il s'agit d'équivalents temps "
                          "plein (et non de personnes) ; l'import reste possible", False)
        return failed
