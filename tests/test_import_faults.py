"""A crash at any step of an import or a rollback: the next start finishes or forgets it.

Each case runs the real command in a child process that kills itself (`os._exit`, no cleanup,
as `kill -9`) at one step; then the next start (`apply.recover`, or the next rollback) must
leave a store that is complete, a journal that says which one it is, no temporary folder or
file, and rollback must walk back to the shipped data.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ess.importer import apply, archive
from ess.paths import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "petit_utf8_virgule.csv"

# Runs in the child: `step` names where to die, then the CLI runs the command.
CHILD = r"""
import os, sys
from pathlib import Path
from ess.importer import apply, archive
from ess import cli

step, store = sys.argv[1], Path(sys.argv[2])
command = sys.argv[3:]

def die(*args, **kwargs):
    os._exit(137)

def wrap(module, name, after=False):
    original = getattr(module, name)
    def replacement(*args, **kwargs):
        if not after:
            die()
        result = original(*args, **kwargs)
        die()
    setattr(module, name, replacement)

if step == "build":
    wrap(apply, "build", after=True)  # the candidate is complete, nothing else done
elif step == "save":
    wrap(archive, "save")
elif step == "begin":
    wrap(archive, "begin")
elif step == "swap":
    real_replace, real_copy = os.replace, archive.copy_into_place
    def replace(source, target):
        if Path(target) == store:
            die()
        real_replace(source, target)
    def copy(source, target):
        if Path(target) == store:
            die()
        real_copy(source, target)
    apply.os.replace = replace
    archive.copy_into_place = copy
elif step == "swapped":
    wrap(archive, "log")  # the new store is in place, the journal not yet written
elif step == "logged":
    wrap(archive, "log", after=True)  # the journal is written, the intent not yet removed
elif step == "prune":  # the prune after the journal, not the one of the start's recovery
    real_prune, calls = archive.prune, []
    def prune(target):
        calls.append(target)
        if len(calls) == 2:
            die()
        real_prune(target)
    archive.prune = prune
sys.exit(cli.main(command))
"""

IMPORT_STEPS = ["build", "save", "begin", "swap", "swapped", "logged", "prune"]
ROLLBACK_STEPS = ["save", "begin", "swap", "swapped", "logged", "prune"]
COMPLETED = {"swapped", "logged", "prune"}  # the new store was in place when the process died


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def die_at(step: str, store: Path, *command: str) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, step, str(store), *command,
                           "--target", str(store)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 137, done.stderr
    assert "Traceback" not in done.stderr


def assert_clean(store: Path) -> None:
    """Nothing of an interrupted operation is left, and every kept copy is named."""
    left = [p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}")]
    assert left == []
    folder = archive.archives_dir(store)
    assert not archive.pending_path(store).exists()
    assert [p.name for p in folder.glob(".*")] == []
    named = {e.get("archive") for e in archive.journal(store)}
    assert {p.name for p in folder.glob("*.duckdb")} <= named


@pytest.mark.parametrize("step", IMPORT_STEPS)
def test_an_import_killed_at_any_step_is_finished_or_forgotten(live, step):
    shipped = digest(live)
    die_at(step, live, "import", str(FIXTURE))
    apply.recover(live)
    assert_clean(live)
    imports = [e for e in archive.journal(live) if e["action"] == "import"]
    if step in COMPLETED:
        assert digest(live) != shipped
        assert [e["file"] for e in imports] == [FIXTURE.name]
        assert apply.rollback(live).undone["file"] == FIXTURE.name
    else:
        assert imports == []
    assert digest(live) == shipped
    assert_clean(live)


@pytest.mark.parametrize("step", ROLLBACK_STEPS)
def test_a_rollback_killed_at_any_step_is_finished_or_forgotten(live, step):
    shipped = digest(live)
    apply.import_file(FIXTURE.read_bytes(), FIXTURE.name, store=live)
    imported = digest(live)
    die_at(step, live, "rollback")
    apply.recover(live)
    assert_clean(live)
    rollbacks = [e for e in archive.journal(live) if e["action"] == "rollback"]
    if step in COMPLETED:
        assert digest(live) == shipped
        assert len(rollbacks) == 1
    else:
        assert digest(live) == imported
        assert rollbacks == []
        apply.rollback(live)  # the rollback can be done again
        assert digest(live) == shipped


def test_the_next_import_recovers_without_being_asked(live):
    die_at("swapped", live, "import", str(FIXTURE))
    assert archive.pending_path(live).exists()
    apply.import_file(FIXTURE.read_bytes(), "encore.csv", store=live)
    assert [e["file"] for e in archive.journal(live)] == [FIXTURE.name, "encore.csv"]
    assert_clean(live)


def test_a_corrupted_archive_is_a_french_message(live):
    apply.import_file(FIXTURE.read_bytes(), FIXTURE.name, store=live)
    before = digest(live)
    entry, = archive.journal(live)
    (archive.archives_dir(live) / entry["archive"]).write_bytes(b"\0" * 4096 + b"abime")
    with pytest.raises(apply.ImportRefused) as refused:
        apply.rollback(live)
    assert refused.value.message.startswith("La copie des données d'avant l'import de "
                                            "petit_utf8_virgule.csv du ")
    assert refused.value.message.endswith(
        "est abîmée : elle ne peut pas être remise en place, et rien n'a été modifié. "
        "Réimportez le fichier voulu.")
    assert digest(live) == before


def test_ten_imports_are_undone_one_after_another(live):
    shipped = digest(live)
    states = []
    for n in range(archive.ARCHIVES_KEPT):
        states.append(digest(live))
        apply.import_file(FIXTURE.read_bytes(), f"import-{n}.csv", store=live)
    for n in reversed(range(archive.ARCHIVES_KEPT)):
        assert apply.rollback(live).undone["file"] == f"import-{n}.csv"
        assert digest(live) == states[n]
    assert digest(live) == shipped


def test_a_work_folder_in_use_is_kept_an_abandoned_one_removed(live):
    from ess.importer.lock import remove_abandoned_folders, work_folder

    abandoned = live.parent / f".{live.name}.import-tue"
    (abandoned / "candidat.duckdb").parent.mkdir()
    (abandoned / ".en_cours").touch()  # its process died: nobody holds it
    with work_folder(live) as folder:
        assert remove_abandoned_folders(live) == 1
        assert folder.exists() and not abandoned.exists()
    assert not folder.exists()
