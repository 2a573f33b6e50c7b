"""The previous stores and the import log, in `data/archives/` next to the store.

Before an import or a rollback replaces the store, the store in place is copied to
`archives/<id>.duckdb`; the last `ARCHIVES_KEPT` copies are kept. `archives/journal.jsonl`
logs every replacement, one JSON object a line: `id`, `time`, `action` (`import` or
`rollback`), `file` and `sha256` of the imported file, `rows`, `added`, `changed`, `removed`,
`warnings`, `user`, `archive` (the copy of the store it replaced) and, for a rollback,
`undoes` (the `id` of the import it undid).
"""

from __future__ import annotations

import datetime as dt
import getpass
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


def _copy_into_place(source: Path, target: Path) -> None:
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
    _copy_into_place(store, folder / name)
    return name


def restore(store: Path, name: str) -> None:
    _copy_into_place(archives_dir(store) / name, store)


def prune(store: Path) -> None:
    """Keep the `ARCHIVES_KEPT` newest copies (their names sort by time)."""
    copies = sorted(archives_dir(store).glob("*.duckdb"))
    for old in copies[:-ARCHIVES_KEPT]:
        old.unlink()


def log(store: Path, entry: dict) -> None:
    path = journal_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


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
