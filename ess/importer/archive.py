"""The previous stores and the import log, in `data/archives/` next to the store.

Before an import or a rollback replaces the store, the store in place is copied to
`archives/<id>.duckdb`; the last `ARCHIVES_KEPT` copies are kept. `archives/journal.jsonl`
logs every replacement, one JSON object a line: `id`, `time`, `action` (`import` or
`rollback`), `file` and `sha256` of the imported file, `rows`, `added`, `changed`, `removed`,
`warnings`, `user`, `archive` (the copy of the store it replaced) and, for a rollback,
`undoes` (the `id` of the import it undid).

Replacing the store and logging it are one recoverable step: `begin` writes the journal entry
to come, with the fingerprint of the store that will be in place, to `archives/en_cours.json`
before the store is replaced; `finish` logs it and removes that file. If a crash comes in
between, `recover` (run under the import lock before every import, rollback or rebuild)
finishes the step when the new store is in place, and forgets it otherwise.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

ARCHIVES_KEPT = 10


def archives_dir(store: Path) -> Path:
    return store.parent / "archives"


def journal_path(store: Path) -> Path:
    return archives_dir(store) / "journal.jsonl"


def current_user() -> str:
    """Who runs the import: `ESS_USER` when the deployment sets it, else the system account."""
    try:
        return os.environ.get("ESS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def new_id() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def copy_into_place(source: Path, target: Path) -> None:
    """Copy `source` to `target` atomically; the copy gets a fresh modification time, which
    the pages use to notice the new store."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        shutil.copymode(target if target.exists() else source, tmp)  # not mkstemp's 0600
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def save(store: Path, entry_id: str) -> str | None:
    """Copy the store in place into the archives; its archive name, or None without a store."""
    if not store.exists():
        return None
    folder = archives_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{entry_id}.duckdb"
    copy_into_place(store, folder / name)
    return name


def prune(store: Path) -> None:
    """Keep the copies that the last `ARCHIVES_KEPT` imports (and rebuilds) replaced, so that
    they can be undone one after another, and the copies the last `ARCHIVES_KEPT` rollbacks
    replaced; a rollback's own copy never pushes an import's out. Copies no entry names (left
    by an interrupted operation) go."""
    entries = journal(store)
    undoable = [e for e in entries if e.get("action") != "rollback"]
    rollbacks = [e for e in entries if e.get("action") == "rollback"]
    kept = {e.get("archive") for e in undoable[-ARCHIVES_KEPT:] + rollbacks[-ARCHIVES_KEPT:]}
    for copy in archives_dir(store).glob("*.duckdb"):
        if copy.name not in kept:
            copy.unlink()


def log(store: Path, entry: dict) -> None:
    path = journal_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def pending_path(store: Path) -> Path:
    return archives_dir(store) / "en_cours.json"


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def begin(store: Path, entry: dict, new_store: Path) -> None:
    """Say, durably, which entry the journal gets once `new_store`'s bytes are in place."""
    path = pending_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{store.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"entry": entry, "sha256": fingerprint(new_store)}, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def finish(store: Path, entry: dict) -> None:
    log(store, entry)
    pending_path(store).unlink(missing_ok=True)


def recover(store: Path) -> str | None:
    """Finish or forget a replacement a crash interrupted; what was done, for the log, or
    None. Call it holding the import lock."""
    path = pending_path(store)
    if not path.exists():
        return None
    try:
        pending = json.loads(path.read_text(encoding="utf-8"))
        entry, expected = pending["entry"], pending["sha256"]
    except (ValueError, KeyError, TypeError):
        path.unlink()
        return "intention illisible, oubliée"
    if any(e.get("id") == entry.get("id") for e in journal(store)):
        path.unlink()
        return "déjà inscrite au journal"
    if store.exists() and fingerprint(store) == expected:
        finish(store, entry)
        return "terminée : inscrite au journal"
    if entry.get("archive"):  # the copy made for a replacement that did not happen
        (archives_dir(store) / entry["archive"]).unlink(missing_ok=True)
    path.unlink()
    return "abandonnée : les données en place sont inchangées"


def remove_leftovers(store: Path) -> None:
    """Temporary copies an interrupted copy left (call it holding the import lock)."""
    for tmp in [*store.parent.glob(f".{store.name}.*.tmp"), *archives_dir(store).glob(".*.tmp")]:
        tmp.unlink(missing_ok=True)


def journal(store: Path) -> list[dict]:
    """The log's entries, oldest first (an unreadable line is skipped, not fatal)."""
    path = journal_path(store)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def available(store: Path, name: str | None) -> bool:
    return bool(name) and (archives_dir(store) / name).exists()
