"""The build: from scratch, atomic, and strict about faulty sources."""

import csv
import hashlib

import pytest

from ess import store
from ess.cli import main


def _edit(path, line, column, value):
    """Set one cell of a CSV source (line numbers as in an editor: the header is line 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_from_scratch(sources, tmp_path):
    target = tmp_path / "neuf" / "ess.duckdb"
    store.build(sources, target)
    con = store.open_store(target)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in store.TABLES}
    assert counts["territoire"] == 8
    assert counts["commune"] == 95
    assert counts["projet"] == 62
    assert counts["forme_juridique"] == 2
    assert counts["activite"] == 11
    assert con.execute("SELECT count(*) FROM axe WHERE plan = 'pmdess-2015-2020'").fetchone()[0] == 5
    assert sorted(p.name for p in target.parent.iterdir()) == ["ess.duckdb"]  # no leftovers


def test_store_is_read_only_and_sealed(con):
    with pytest.raises(Exception):
        con.execute("INSERT INTO territoire VALUES ('x', 'x', 'x', 0, 9)")
    with pytest.raises(Exception):
        con.execute("SELECT * FROM read_csv('data/sources/projet.csv')")


@pytest.mark.parametrize(
    "table, line, column, value, message",
    [
        ("projet", 3, "subvention_eur", "12 500 €",
         "projet.csv, ligne 3, colonne subvention_eur : « 12 500 € » n'est pas un nombre"),
        ("projet", 4, "subvention_eur", "-100",
         "projet.csv, ligne 4, colonne subvention_eur : « -100 » est négatif"),
        ("projet", 5, "territoire", "flandres",
         "projet.csv, ligne 5, colonne territoire : « flandres » est inconnu de la table territoire"),
        ("projet", 6, "id", "AAP-2015-01",
         "projet.csv, ligne 6, colonne id : identifiant « AAP-2015-01 » en double (déjà ligne 2)"),
        ("projet", 7, "annee", "2009",
         "projet.csv, ligne 7, colonne annee : 2009 est hors des années de l'appel à projets "
         "(2011-"),
        ("projet", 8, "annee", "deux mille",
         "projet.csv, ligne 8, colonne annee : « deux mille » n'est pas un nombre entier"),
        ("projet", 9, "libelle", "",
         "projet.csv, ligne 9, colonne libelle : cellule vide alors que la valeur est obligatoire"),
        ("commune", 2, "territoire", "Lillois",
         "commune.csv, ligne 2, colonne territoire : « Lillois » est inconnu de la table territoire"),
        ("financement", 2, "montant_eur", "35.000,00",
         "financement.csv, ligne 2, colonne montant_eur : « 35.000,00 » n'est pas un nombre"),
    ],
)
def test_bad_source_stops_the_build_and_keeps_the_store(
    sources, tmp_path, table, line, column, value, message
):
    target = tmp_path / "ess.duckdb"
    store.build(sources, target)
    before = _digest(target)
    _edit(sources / f"{table}.csv", line, column, value)
    with pytest.raises(store.SourceError) as error:
        store.build(sources, target)
    assert any(p.startswith(message) for p in error.value.problems), error.value.problems
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ess.duckdb", "sources"]


def test_project_territory_must_follow_its_commune(sources, tmp_path):
    _edit(sources / "projet.csv", 2, "territoire", "weppes")
    with pytest.raises(store.SourceError) as error:
        store.build(sources, tmp_path / "ess.duckdb")
    assert "projet.csv, ligne 2, colonne territoire : la commune" in error.value.problems[0]


def test_bad_header_is_named(sources, tmp_path):
    path = sources / "territoire.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("nom_complet", "nom complet", 1),
                    encoding="utf-8")
    with pytest.raises(store.SourceError) as error:
        store.build(sources, tmp_path / "ess.duckdb")
    assert error.value.problems[0].startswith("territoire.csv, ligne 1 : en-tête inattendu")


def test_cli_build_reports_in_french_and_fails(sources, tmp_path, capsys):
    _edit(sources / "projet.csv", 3, "subvention_eur", "beaucoup")
    code = main(["build", "--sources", str(sources), "--target", str(tmp_path / "x.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    assert "le magasin précédent est conservé" in err
    assert "projet.csv, ligne 3, colonne subvention_eur" in err
    assert not (tmp_path / "x.duckdb").exists()


def test_staleness(sources, tmp_path):
    target = tmp_path / "ess.duckdb"
    assert store.is_stale(sources, target)
    store.build(sources, target)
    assert not store.is_stale(sources, target)
    (sources / "projet.csv").touch()
    import os
    os.utime(sources / "projet.csv", (target.stat().st_mtime + 5,) * 2)
    assert store.is_stale(sources, target)
