"""The hostile corpus (tests/fixtures/import/corpus/, written by its make_corpus.py): every file
gets exactly its expected outcome, with no traceback, and a refusal leaves the store's bytes
as they were."""

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from ess import queries
from ess.cli import main
from ess.importer import read, validate
from ess.store import open_store

CORPUS = Path(__file__).parent / "fixtures" / "import" / "corpus"
CASES = json.loads((CORPUS / "attendus.json").read_text(encoding="utf-8"))
REFUSED = [c for c in CASES if c["attendu"] == "refus"]
ACCEPTED = [c for c in CASES if c["attendu"] == "accepte"]
# Accepted files also imported for real (the others are read and checked the same way, without
# building a store): one of each kind of novelty the store must take.
IMPORTED = ["xlsx_dimension_trop_petite.xlsx", "xlsx_premiere_feuille_masquee.xlsx",
            "xlsx_dates_et_siret_nombres.xlsx", "utf16_sans_bom.csv", "activite_nouvelle.csv",
            "emplois_realises_vides.csv", "type_aide_demarrage.csv", "editions_2011_2026.csv"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown(value):
    """A value as the expectations write it: dates as AAAA-MM-JJ, NULL as None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if pd.isna(value):
        return None
    return value


def test_the_corpus_is_large_and_each_case_has_its_file():
    assert len(CASES) >= 80
    assert len(REFUSED) >= 40 and len(ACCEPTED) >= 40
    assert sorted(c["fichier"] for c in CASES) == sorted(
        p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize("case", REFUSED, ids=[c["fichier"] for c in REFUSED])
def test_each_hostile_file_is_refused_in_french_and_nothing_moves(live, capsys, case):
    before = digest(live)
    assert main(["import", str(CORPUS / case["fichier"]), "--target", str(live)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert case["message"] in out + err
    assert case["fichier"] in out + err  # every message names the file
    assert digest(live) == before
    assert sorted(os.listdir(live.parent)) == ["ess.duckdb"]


@pytest.mark.parametrize("case", ACCEPTED, ids=[c["fichier"] for c in ACCEPTED])
def test_each_tolerable_file_is_read_with_its_values(case):
    name = case["fichier"]
    outcome = validate.validate(read.read_table((CORPUS / name).read_bytes(), name))
    assert [str(p) for p in outcome.errors] == []
    warnings = [str(p) for p in outcome.warnings]
    if case["avertissement"]:
        assert any(case["avertissement"] in w for w in warnings), warnings
    else:
        assert warnings == []
    if case["projets"] is not None:
        assert len(outcome.rows) == case["projets"]
    rows = {r["id"]: r for r in outcome.rows}
    for project, values in case["valeurs"].items():
        assert {k: shown(rows[project][k]) for k in values} == values


@pytest.mark.parametrize("name", IMPORTED)
def test_accepted_files_import_and_store_their_values(live, capsys, name):
    case = next(c for c in ACCEPTED if c["fichier"] == name)
    assert main(["import", str(CORPUS / name), "--target", str(live)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "Import terminé." in out
    con = open_store(live)
    try:
        stored = queries.run(con, "projets_stockes").set_index("id")
    finally:
        con.close()
    if case["projets"] is not None:
        assert len(stored) == case["projets"]
    for project, values in case["valeurs"].items():
        assert {k: shown(stored.loc[project, k]) for k in values} == values
