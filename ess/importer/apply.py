"""Dry run, import and rollback of the store: all or nothing.

An import reads and checks the file, builds a complete new store in a temporary folder next
to the store (`ess.store.build` with the imported projects in place of
`data/sources/projet.csv`), checks it, and only then archives the store in place and renames
the new one over it. Pages being viewed keep their open connection to the old file and read
the new one on their next rerun (the store's modification time is their cache key).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ess import fmt, queries
from ess.exports.tables import neutralise
from ess.importer import Refused, archive, feuille_de_route, normalize, visible
from ess.importer.lock import import_lock, remove_abandoned_folders, work_folder
from ess.importer.read import read_table
from ess.importer.validate import Outcome, OutcomeView, Problem, validate
from ess import paths
from ess.paths import SOURCES_DIR
from ess.reconcile import reconcile
from ess.reconstruct import COLUMNS as PROJECT_COLUMNS
from ess.store import SourceError, build, open_store

# The headline figures whose effect the dry run shows: (column of projets_kpi, label, format).
HEADLINE = (
    ("nb_projets", "Projets financés", fmt.nombre),
    ("subvention_totale", "Subventions accordées", fmt.euros),
    ("emplois_prevus", "Emplois prévus", fmt.etp),
    ("emplois_realises", "Emplois réalisés", fmt.etp),
    ("part_associations_pct", "Part d'associations", fmt.pct),
    ("nb_reconstitues", "Projets reconstitués", fmt.nombre),
)
# Columns compared to tell a changed project; `source` names the file and its date, so it
# changes at every import and says nothing about the project.
_COMPARED = {
    "libelle": "projet", "annee": "année", "commune": "commune", "territoire": "territoire",
    "forme_juridique": "forme juridique", "statut": "statut", "activite": "activité",
    "axe": "axe", "subvention_eur": "subvention", "emplois_prevus_etp": "emplois prévus",
    "emplois_realises_etp": "emplois réalisés", "provenance": "provenance",
    "beneficiaire": "bénéficiaire", "siret": "SIRET", "rna": "RNA",
    "date_decision": "date de décision", "reference_decision": "référence de la décision",
    "type_aide": "type d'aide",
}
_CANDIDATE = "candidat.duckdb"
MAX_GAPS_SHOWN = 3
KEPT_PROJECTS_FILE = "projets_importes.csv"
KEPT_ACTIVITIES_FILE = "activites_importees.csv"


class ImportRefused(Refused):
    """Nothing was imported: blocking problems (in `preview`), or a stale dry run."""

    def __init__(self, message: str, preview: Preview | None = None):
        super().__init__(message)
        self.preview = preview


@dataclass
class Changes:
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, list[str]]] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        def count(n: int, what: str) -> str:
            return f"{fmt.nombre(n)} projet{'s' if n > 1 else ''} {what}{'s' if n > 1 else ''}"
        return (f"{count(len(self.added), 'ajouté')}, {count(len(self.changed), 'modifié')}, "
                f"{count(len(self.removed), 'supprimé')}")

    def table(self) -> pd.DataFrame:
        rows = [("ajouté", p, "") for p in self.added]
        rows += [("modifié", p, " ; ".join(details)) for p, details in self.changed]
        rows += [("supprimé", p, "") for p in self.removed]
        return pd.DataFrame(
            [{"Changement": kind, "Identifiant": neutralise(p["id"]),
              "Projet": neutralise(p["libelle"]), "Détail": neutralise(detail)}
             for kind, p, detail in rows],
            columns=["Changement", "Identifiant", "Projet", "Détail"])


@dataclass
class Preview(OutcomeView):
    file: str
    sha256: str
    form: str
    outcome: Outcome
    changes: Changes | None = None
    before: dict | None = None  # headline figures of the store in place
    after: dict | None = None  # … and of the store the import would make

    def headline(self) -> pd.DataFrame:
        return headline_table(self.before, self.after)


def headline_table(before: dict | None, after: dict | None) -> pd.DataFrame:
    """The headline figures before and after, formatted in French."""
    rows = []
    for column, label, show in HEADLINE:
        old = None if before is None else before[column]
        new = None if after is None else after[column]
        rows.append({"Chiffre": label, "Avant": show(old), "Après": show(new),
                     "Évolution": "inchangé" if old == new else "modifié"})
    return pd.DataFrame(rows)


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Ligne": str(p.line or ""), "Colonne": visible(p.column or ""),
          "Problème": visible(p.message), "Que faire": visible(p.action)} for p in problems],
        columns=["Ligne", "Colonne", "Problème", "Que faire"])


def _live(store: Path | None) -> Path:
    # Resolved at call time: the store in use is the one `ESS_STORE` names (tests change it).
    return store or paths.STORE_FILE


def store_version(store: Path | None = None) -> int | None:
    store = _live(store)
    return store.stat().st_mtime_ns if store.exists() else None


def headline(store: Path) -> dict | None:
    """The headline figures of a store, through the query the overview page runs."""
    if not store.exists():
        return None
    con = open_store(store)
    try:
        return queries.run(con, "projets_kpi").iloc[0].to_dict()
    finally:
        con.close()


def preview(data: bytes, file: str, sheet: str | None = None, store: Path | None = None,
            sources: Path = SOURCES_DIR) -> Preview:
    """What importing `data` would change; nothing is written. Raises `Refused`."""
    store = _live(store)
    with work_folder(store) as work:
        return _prepare(data, file, sheet, store, sources, work)


def import_file(data: bytes, file: str, sheet: str | None = None, *, user: str | None = None,
                store: Path | None = None, sources: Path = SOURCES_DIR,
                expected_version: int | None = None) -> Preview:
    """Replace the store's projects by the file's, all or nothing. Raises `Refused`.

    `expected_version` is the store's version the user's dry run was made on: if another
    import or a rollback happened since, the user confirmed changes that are no longer the
    ones shown, and the import is refused.
    """
    store = _live(store)
    with import_lock(store, f"import de {file}"):
        finish_interrupted(store)
        if expected_version is not None and store_version(store) != expected_version:
            raise ImportRefused("Les données ont changé depuis l'aperçu (un autre import ou une "
                                "annulation) : relancez l'aperçu, vérifiez-le, puis confirmez")
        with work_folder(store) as work:
            result = _prepare(data, file, sheet, store, sources, work)
            if result.errors:
                raise ImportRefused(
                    f"{_count(len(result.errors), 'erreur bloquante', 'erreurs bloquantes')} : "
                    "rien n'a été importé, les données en place sont inchangées", result)
            entry_id = archive.new_id()
            _replace(store, work / _CANDIDATE, {
                "id": entry_id, "time": _now(), "action": "import", "file": file,
                "sha256": result.sha256, "rows": len(result.outcome.rows),
                "added": len(result.changes.added), "changed": len(result.changes.changed),
                "removed": len(result.changes.removed), "warnings": len(result.warnings),
                "user": user or archive.current_user(),
                "archive": archive.save(store, entry_id),
            }, move=True)
    return result


def _replace(store: Path, new_store: Path, entry: dict, move: bool) -> None:
    """Put `new_store` in place of the store and log `entry`, as one recoverable step: the
    intent is written first, and `recover` finishes or forgets it after a crash."""
    archive.begin(store, entry, new_store)
    if move:
        os.replace(new_store, store)
    else:
        archive.copy_into_place(new_store, store)
    archive.finish(store, entry)
    archive.prune(store)


def finish_interrupted(store: Path) -> None:
    """What an interrupted import, rollback or rebuild left: finished or forgotten, and its
    temporary files removed. Call it holding the import lock."""
    archive.recover(store)
    archive.prune(store)  # also drops a copy made just before a crash, that no entry names
    archive.remove_leftovers(store)
    remove_abandoned_folders(store)


def recover(store: Path | None = None) -> None:
    """`finish_interrupted` when no other import runs (the import page calls it as it opens)."""
    store = _live(store)
    try:
        with import_lock(store, "reprise après un arrêt"):
            finish_interrupted(store)
    except Refused:
        pass  # another import runs: it recovers itself


@dataclass
class Rollback:
    undone: dict  # the journal entry of the replacement undone
    before: dict | None
    after: dict | None

    @property
    def described(self) -> str:
        return _described(self.undone)


# The journal's actions that replaced the store, and that a rollback can undo.
_UNDOABLE = ("import", "rebuild")


def rollback(store: Path | None = None, user: str | None = None) -> Rollback:
    """Put back the store as it was before the last import (or rebuild that set the imported
    projects aside) not yet undone; the undone store is archived too."""
    store = _live(store)
    with import_lock(store, "annulation du dernier import"):
        finish_interrupted(store)
        entries = archive.journal(store)
        undone = {e.get("undoes") for e in entries if e.get("action") == "rollback"}
        todo = [e for e in entries if e.get("action") in _UNDOABLE and e["id"] not in undone]
        if not todo:
            raise ImportRefused("Aucun import à annuler : les données en place ne viennent pas "
                                "d'un import, ou chaque import a déjà été annulé")
        last = todo[-1]
        if not last.get("archive"):
            raise ImportRefused(f"L'{_described(last)} a créé les données : il n'y a pas de "
                                "version antérieure à remettre en place")
        if not archive.available(store, last.get("archive")):
            raise ImportRefused(
                f"La copie des données d'avant l'{_described(last)} n'est plus conservée "
                f"(seules les {archive.ARCHIVES_KEPT} dernières le sont). Réimportez le fichier "
                "voulu")
        earlier_store = archive.archives_dir(store) / last["archive"]
        try:
            earlier = headline(earlier_store)  # also proves it opens
        except duckdb.Error:
            raise ImportRefused(
                f"La copie des données d'avant l'{_described(last)} est abîmée : elle ne peut "
                "pas être remise en place, et rien n'a été modifié. Réimportez le fichier "
                "voulu") from None
        before = headline(store)
        entry_id = archive.new_id()
        _replace(store, earlier_store, {
            "id": entry_id, "time": _now(), "action": "rollback", "undoes": last["id"],
            "file": last.get("file"), "sha256": last.get("sha256"),
            "user": user or archive.current_user(), "archive": archive.save(store, entry_id),
        }, move=False)
    return Rollback(last, before, earlier)


def set_aside(store: Path) -> str:
    """Archive the store before a rebuild drops its imported projects; the archive's path."""
    entry_id = archive.new_id()
    saved = archive.save(store, entry_id)
    archive.log(store, {"id": entry_id, "time": _now(), "action": "rebuild",
                        "user": archive.current_user(), "archive": saved})
    archive.prune(store)
    return str(Path(archive.archives_dir(store).name) / saved)


def _described(entry: dict) -> str:
    when = _shown_time(entry.get("time", ""))
    if entry.get("action") == "rebuild":
        return f"reconstruction sans les projets importés du {when}"
    return f"import de {entry.get('file')} du {when}"


def history(store: Path | None = None) -> pd.DataFrame:
    """The import log, newest first, for people."""
    store = _live(store)
    counts = {"rows": "Projets", "added": "Ajoutés", "changed": "Modifiés", "removed": "Supprimés"}
    frame = pd.DataFrame([{
        "Date": _shown_time(e.get("time", "")),
        "Action": {"import": "import", "rollback": "annulation",
                   "rebuild": "reconstruction sans import"}.get(e.get("action"), e.get("action")),
        "Fichier": neutralise(e.get("file")),
        **{label: e.get(name) for name, label in counts.items()},
        "Par": e.get("user"),
        "SHA-256": (e.get("sha256") or "")[:12],
    } for e in reversed(archive.journal(store))],
        columns=["Date", "Action", "Fichier", *counts.values(), "Par", "SHA-256"])
    return frame.astype({label: "Int64" for label in counts.values()})


def keep_imported_projects(store: Path, work: Path) -> tuple[int, dict[str, Path]]:
    """Write the store's projects (and the activities imports added) to `work` when they come
    from an import, so that a rebuild from the sources keeps them: how many projects, and the
    build's overrides; (0, {}) when there are none."""
    if not store.exists():
        return 0, {}
    con = open_store(store)
    try:
        projects = queries.run(con, "projets_stockes")
        activities = queries.run(con, "activites_stockees")
    finally:
        con.close()
    if not (projects["provenance"] == "publié").any():
        return 0, {}
    overrides = {"projet": work / KEPT_PROJECTS_FILE}
    _write_projects(projects.to_dict("records"), overrides["projet"])
    shipped = {r["code"] for r in normalize.read_source("activite.csv", SOURCES_DIR)}
    added = [r for r in activities.to_dict("records") if r["code"] not in shipped]
    if added:
        overrides["activite"] = _write_activities(added, work, SOURCES_DIR)
    return len(projects), overrides


def _write_activities(added: list[dict], work: Path, sources: Path) -> Path:
    """The sources' activities and `added` (`activite` rows) in one file for the build."""
    rows = normalize.read_source("activite.csv", sources)
    path = work / KEPT_ACTIVITIES_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in added)
    return path


def _new_activities(outcome: Outcome, sources: Path) -> list[dict]:
    """The `activite` rows for the labels the file brings: no published count, no PMDESS
    axis, listed after the others."""
    last = max(int(r["ordre"]) for r in normalize.read_source("activite.csv", sources))
    return [{"code": code, "libelle": label, "nb_publie": None, "axe": None,
             "ordre": last + n} for n, (code, label) in
            enumerate(outcome.new_activities.items(), start=1)]


def _prepare(data: bytes, file: str, sheet: str | None, store: Path, sources: Path,
             work: Path) -> Preview:
    table = read_table(data, file, sheet)
    result = Preview(file, hashlib.sha256(data).hexdigest(), table.form, validate(table,
                                                                                  sources=sources))
    if result.errors:
        return result
    overrides = {"projet": work / KEPT_PROJECTS_FILE}
    _write_projects(result.outcome.rows, overrides["projet"])
    if result.outcome.new_activities:
        overrides["activite"] = _write_activities(_new_activities(result.outcome, sources),
                                                  work, sources)
    candidate = work / _CANDIDATE
    try:
        build(sources, candidate, overrides={**overrides, **_kept_roadmap(store, work)})
    except SourceError as error:
        # The checks above should leave nothing for the build to refuse: say so plainly.
        result.outcome.problems += [Problem(
            file, None, None, f"contrôle de cohérence du nouveau magasin : {p}",
            "Rien n'a été importé ; transmettez ce message à l'équipe du tableau de bord")
            for p in error.problems]
        return result
    now, then = _snapshot(store), _snapshot(candidate)
    result.outcome.problems += _consistency(then, result)
    result.before, result.after = now and now.headline, then.headline
    result.changes = _changes(now, then)
    result.outcome.problems += _published_gaps(now, then, file)
    return result


def _kept_roadmap(store: Path, work: Path) -> dict[str, Path]:
    """The staff's roadmap updates, kept across a results import."""
    target = work / feuille_de_route.KEPT_FILE
    return {"feuille_de_route": target} if feuille_de_route.keep_staff_updates(store, target) \
        else {}


@dataclass
class _Snapshot:
    """What a dry run compares, read once from a store."""
    headline: dict
    projects: dict[str, dict]  # id → stored columns, and `labels`: the names people read
    published: pd.DataFrame  # `reconcile`, indexed by figure


def _snapshot(path: Path) -> _Snapshot | None:
    if not path.exists():
        return None
    con = open_store(path)
    try:
        labels = {r["id"]: r for r in queries.run(con, "projets_liste").to_dict("records")}
        return _Snapshot(
            queries.run(con, "projets_kpi").iloc[0].to_dict(),
            {r["id"]: {**r, "labels": labels[r["id"]]}
             for r in queries.run(con, "projets_stockes").to_dict("records")},
            reconcile(con).set_index("id"),
        )
    finally:
        con.close()


def _consistency(candidate: _Snapshot, result: Preview) -> list[Problem]:
    """The new store holds exactly the parsed rows: same projects, same totals."""
    stored, rows = list(candidate.projects.values()), result.outcome.rows

    def total(items, column):
        return round(sum(item[column] for item in items if not pd.isna(item[column])), 2)

    checks = {
        "identifiants": (sorted(candidate.projects), sorted(r["id"] for r in rows)),
        "subventions": (total(stored, "subvention_eur"), total(rows, "subvention_eur")),
        "emplois prévus": (total(stored, "emplois_prevus_etp"), total(rows, "emplois_prevus_etp")),
        "emplois réalisés": (total(stored, "emplois_realises_etp"),
                             total(rows, "emplois_realises_etp")),
    }
    return [Problem(result.file, None, None,
                    f"contrôle de cohérence du nouveau magasin : {name} différents du fichier",
                    "Rien n'a été importé ; transmettez ce message à l'équipe du tableau de bord")
            for name, (got, expected) in checks.items() if got != expected]


def _changes(now: _Snapshot | None, then: _Snapshot) -> Changes:
    old, new = (now.projects if now else {}), then.projects
    changes = Changes(
        added=[new[i] for i in new if i not in old],
        removed=[old[i] for i in old if i not in new],
    )
    for project_id in sorted(new.keys() & old.keys()):
        details = [_change(column, old[project_id], new[project_id]) for column in _COMPARED
                   if not _same(old[project_id][column], new[project_id][column])]
        if details:
            changes.changed.append((new[project_id], details))
    return changes


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return a == b


def _change(column: str, old: dict, new: dict) -> str:
    """« subvention : 12 000 € → 12 500 € », with the labels people read."""
    if column in ("commune", "territoire", "forme_juridique", "activite"):
        before, after = old["labels"][column], new["labels"][column]
    else:
        before, after = _shown(column, old[column]), _shown(column, new[column])
    return f"{_COMPARED[column]} : {before} → {after}"


def _shown(column: str, value) -> str:
    if pd.isna(value):  # realised jobs not yet known are never 0
        return "non connu" if column == "emplois_realises_etp" else "–"
    if column == "subvention_eur":
        return fmt.euros(value)
    if column.endswith("_etp"):
        return fmt.etp(value)
    if column == "date_decision":
        return fmt.jour(value)
    return str(value)


def _published_gaps(now: _Snapshot | None, then: _Snapshot, file: str) -> list[Problem]:
    """Published figures the store matches now and would no longer match: one warning."""
    # A figure about years the store did not hold before (« since 2011 ») was not matched:
    # the sources page says whether the file agrees with it.
    matched = set() if now is None else set(now.published.index[now.published["statut"] == "ok"])
    lost = [f for f in then.published.itertuples() if f.statut != "ok"
            and (now is None or f.Index in matched)]
    if not lost:
        return []
    shown = []
    for figure in lost[:MAX_GAPS_SHOWN]:
        decimals = 0 if float(figure.publie).is_integer() else 1
        shown.append(f"« {figure.libelle} » : {fmt.nombre(figure.publie, decimals)} publié, "
                     f"{fmt.nombre(figure.calcule, decimals)} avec ce fichier")
    more = len(lost) - len(shown)
    if more:
        shown.append(f"et {fmt.nombre(more)} autre{'s' if more > 1 else ''}")
    what = _count(len(lost), "chiffre publié ne serait plus retrouvé",
                  "chiffres publiés ne seraient plus retrouvés")
    return [Problem(
        file, None, None, f"{what} : " + " ; ".join(shown),
        "Vérifiez que le fichier contient tous les projets ; l'import reste possible (la page "
        "« Chiffres clés et sources » montrera les écarts)", False)]


def _write_projects(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PROJECT_COLUMNS, lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)


def _csv_value(value):
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):  # a DATE column read back through pandas
        return value.date().isoformat()
    return value


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _shown_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y à %H:%M")
    except ValueError:
        return iso


def _count(n: int, one: str, many: str) -> str:
    return f"{fmt.nombre(n)} {one if n == 1 else many}"

