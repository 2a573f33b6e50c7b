"""The staff file of every edition, 2011 to 2026 (tests/fixtures/import/make_fixtures.py,
`multi_editions`), imported through the command line as staff do, then undone."""

import hashlib
from pathlib import Path

import pytest

from ess import queries
from ess.cli import main
from ess.importer import apply
from ess.store import open_store

FILE = Path(__file__).parent / "fixtures" / "import" / "multi_editions_2011-2026.xlsx"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored(store: Path, query: str):
    con = open_store(store)
    try:
        return queries.run(con, query)
    finally:
        con.close()


@pytest.fixture
def imported(live, capsys):
    shipped = digest(live)
    assert main(["import", str(FILE), "--target", str(live)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("multi_editions_2011-2026.xlsx (classeur Excel, feuille « Projets "
                          "2011-2026 ») : 168 projets lus sans erreur.")
    assert "Changements : 168 projets ajoutés, 0 projet modifié, 62 projets supprimés." in out
    assert "nouvelle activité « Transition écologique »" in out
    return live, shipped


def test_every_edition_imports_with_its_new_columns(imported):
    live, _ = imported
    projects = stored(live, "projets_stockes").set_index("id")
    assert len(projects) == 168
    assert (projects["annee"].min(), projects["annee"].max()) == (2011, 2026)
    by_year = projects.groupby("annee").size()
    assert by_year[2011] == 8 and by_year[2016] == 16 and by_year[2026] == 6
    # Grants of 30 000 € from 2024, and never above 20 000 € before.
    assert (projects.loc[projects["annee"] >= 2024, "subvention_eur"] == 30_000).sum() == 9
    assert projects.loc[projects["annee"] < 2024, "subvention_eur"].max() <= 20_000
    # Realised jobs unknown (NULL, never 0) for 2025 and 2026 only.
    unknown = projects[projects["emplois_realises_etp"].isna()]
    assert sorted(unknown["annee"].unique()) == [2025, 2026] and len(unknown) == 14
    # Kinds of aid from 2021, SIRET and decision dates everywhere, in the project's year.
    assert projects.loc[projects["annee"] < 2021, "type_aide"].isna().all()
    assert projects.loc[projects["annee"] >= 2021, "type_aide"].value_counts().to_dict() == {
        "démarrage": 27, "développement": 27}
    assert projects["siret"].str.fullmatch(r"\d{14}").all()
    assert projects.loc["EA-2011-01", "beneficiaire"] == "Structure fictive 2011-01"
    assert projects.loc["EA-2011-01", "reference_decision"] == "11-C-0001"
    years = projects["date_decision"].map(lambda d: d.year)
    assert (years == projects["annee"]).all()
    # No axis column: the PMDESS 2015-2020 years get their activity's axis, the others none.
    pmdess = projects["annee"].between(2015, 2020)
    assert projects.loc[pmdess, "axe"].notna().all()
    assert projects.loc[~pmdess, "axe"].isna().all()
    # The new activity label is a new category, with no PMDESS axis.
    activities = stored(live, "activites_stockees").set_index("code")
    assert activities.loc["transition-ecologique", "libelle"] == "Transition écologique"
    assert (projects["activite"] == "transition-ecologique").sum() == 9
    assert projects["provenance"].eq("publié").all()


def test_a_rebuild_keeps_the_editions_and_the_new_activity(imported, capsys):
    live, _ = imported
    before = stored(live, "projets_stockes")
    assert main(["build", "--target", str(live)]) == 0
    assert "Les 168 projets importés sont conservés" in capsys.readouterr().out
    after = stored(live, "projets_stockes")
    assert after.equals(before)
    assert "transition-ecologique" in set(stored(live, "activites_stockees")["code"])


def test_rollback_brings_the_shipped_data_back(imported, capsys):
    live, shipped = imported
    assert main(["rollback", "--target", str(live)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Annulé : import de multi_editions_2011-2026.xlsx du ")
    assert "Projets financés : 168 → 62" in out
    assert digest(live) == shipped
    assert "transition-ecologique" not in set(stored(live, "activites_stockees")["code"])
    assert apply.history(live)["Action"].tolist() == ["annulation", "import"]
