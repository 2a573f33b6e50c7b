"""One import (or rollback, or rebuild) at a time: `data/import.lock`, held with `flock`.

The kernel releases a `flock` when its holder ends, even by a crash, so an abandoned lock file
never blocks anyone: the next import simply takes it. The file records who holds it, for the
message the second import shows. The folders where a dry run or an import builds its new store
(`.ess.duckdb.import-*`, next to the store) are held the same way while in use: one whose lock
is free was abandoned by a killed process and is removed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from ess.importer import Refused
from ess.importer.archive import current_user


class ImportBusy(Refused):
    """Another import, rollback or rebuild holds the lock."""


def lock_path(store: Path) -> Path:
    return store.parent / "import.lock"


@contextmanager
def import_lock(store: Path, what: str):
    """Hold the lock for `what` (« import de resultats.xlsx »), or raise `ImportBusy`."""
    path = lock_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise ImportBusy(
                f"Un autre import est en cours ({holder}). Attendez qu'il se termine (moins "
                "d'une minute), puis recommencez : rien n'a été modifié.") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the file between our open and our lock: retry
    try:
        info = {"what": what, "user": current_user(), "pid": os.getpid(),
                "since": dt.datetime.now().strftime("%H:%M")}
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info, ensure_ascii=False).encode())
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.read(fd, 4096).decode() or "{}")
    except ValueError:
        info = {}
    if not info:
        return "commencé à l'instant"
    what, user, since = (info.get(k, "?") for k in ("what", "user", "since"))
    return f"{what}, lancé par {user} à {since}"


_IN_USE = ".en_cours"
# A folder younger than this may be between its creation and its lock: left alone.
_GRACE_SECONDS = 60


@contextmanager
def work_folder(store: Path):
    """A temporary folder next to the store (so that the final rename stays on one file
    system), held while in use and removed after."""
    store.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{store.name}.import-", dir=store.parent))
    fd = os.open(folder / _IN_USE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def remove_abandoned_folders(store: Path) -> int:
    """Remove the work folders no living process holds; how many."""
    removed = 0
    for folder in store.parent.glob(f".{store.name}.import-*"):
        marker = folder / _IN_USE
        try:
            fd = os.open(marker, os.O_RDONLY)
        except FileNotFoundError:
            if time.time() - folder.stat().st_mtime < _GRACE_SECONDS:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        except BlockingIOError:
            pass  # in use by a dry run or an import
        finally:
            os.close(fd)
    return removed
