"""The roadmap's own import: template, checks with French messages, all-or-nothing
replacement, journal and rollback; staff updates survive a results import and a rebuild."""

import io

import openpyxl
import pandas as pd

from ess import queries
from ess.cli import main
from ess.importer import apply
from ess.importer import feuille_de_route as roadmap
from ess.paths import ROOT
from ess.store import open_store

UPDATE = ("Action;Statut;Indicateur;Unité;Valeur de référence;Année de référence;"
          "Valeur actuelle;Année de la valeur actuelle;Cible;Année cible\n"
          "2;En cours;Projets soutenus par an;projets;20;2021;24;2025;30;2026\n"
          "5;realise;;;;;;;;\n").encode("utf-8")


def stored(store) -> pd.DataFrame:
    con = open_store(store)
    try:
        return queries.run(con, "feuille_de_route_stockee").set_index("action")
    finally:
        con.close()


def test_template_is_the_roadmap_in_place(live):
    sheet = openpyxl.load_workbook(io.BytesIO(roadmap.template_xlsx(live)))["Feuille de route"]
    rows = list(sheet.values)
    assert rows[0][:4] == ("Action", "Axe", "Intitulé", "Statut")
    assert len(rows) == 1 + 15
    assert rows[2][2].startswith("Refonder l'appel à projets")
    assert roadmap.template_csv(live).decode("utf-8-sig").splitlines()[0].startswith(
        "Action;Axe;Intitulé;Statut;Indicateur")


def test_bad_cells_are_named_with_row_and_column(live):
    data = ("Action;Statut;Valeur actuelle;Colonne bizarre\n16;à lancer;;\n3;fini;;\n"
            "4;;12;\n6;en cours;=1+1;\n7;à lancer;;\n7;réalisé;;\n").encode("utf-8")
    result = roadmap.preview(data, "maj.csv", store=live)
    assert [str(p) for p in result.errors] == [
        "maj.csv, ligne 2, colonne Action : « 16 » n'est pas un numéro d'action. "
        "Écrivez un numéro de 1 à 15.",
        "maj.csv, ligne 3, colonne Statut : « fini » n'est pas un statut. Écrivez « à lancer », "
        "« en cours », « réalisé » ou laissez vide.",
        "maj.csv, ligne 4, colonne Indicateur : des valeurs sans indicateur. Nommez l'indicateur "
        "que mesurent ces valeurs, ou videz les valeurs.",
        "maj.csv, ligne 5, colonne Valeur actuelle : « =1+1 » ressemble à une formule. Écrivez la "
        "valeur elle-même, sans « = » au début.",
        "maj.csv, ligne 7, colonne Action : l'action 7 figure déjà ligne 6. Gardez une seule "
        "ligne par action.",
    ]
    assert [p.column for p in result.warnings] == ["Colonne bizarre"]


def test_import_journal_and_rollback(live):
    before = apply.store_version(live)
    result = roadmap.import_file(UPDATE, "maj.csv", store=live, user="agent")
    assert result.changes[1] == (5, ["statut : non renseigné → réalisé"])
    after = stored(live)
    assert (after.loc[2, "statut"], after.loc[2, "valeur_actuelle"], after.loc[2, "cible"]) == (
        "en cours", 24, 30)
    assert after.loc[2, "source_doc"] == roadmap.STAFF_SOURCE
    assert "intitulé : site MEL" in after.loc[2, "source_lieu"]  # the name's source kept
    assert after["statut"].isna().sum() == 13  # the other actions are unchanged
    journal = apply.history(live)
    assert (journal.loc[0, "Fichier"], journal.loc[0, "Modifiés"], journal.loc[0, "Par"]) == (
        "maj.csv (feuille de route)", 2, "agent")
    assert apply.store_version(live) != before
    apply.rollback(live)
    assert stored(live)["statut"].isna().all()


def test_refused_file_leaves_the_store_untouched(live):
    version = apply.store_version(live)
    data = "Action;Statut\n2;fini\n".encode("utf-8")
    try:
        roadmap.import_file(data, "maj.csv", store=live)
    except roadmap.Refused as refused:
        assert "1 erreur(s) bloquante(s) dans maj.csv : rien n'a été importé" in refused.message
    else:
        raise AssertionError("le fichier fautif a été importé")
    assert apply.store_version(live) == version


def test_staff_updates_survive_a_results_import(live):
    roadmap.import_file(UPDATE, "maj.csv", store=live)
    fixture = (ROOT / "tests" / "fixtures" / "import" / "petit_utf8_virgule.csv").read_bytes()
    apply.import_file(fixture, "petit.csv", store=live)
    assert stored(live).loc[2, "statut"] == "en cours"


def test_cli_writes_the_template_and_imports(live, tmp_path, capsys):
    template = tmp_path / "modele.csv"
    assert main(["import-feuille-de-route", str(template), "--modele", "--target", str(live)]) == 0
    assert template.read_bytes() == roadmap.template_csv(live)
    update = tmp_path / "maj.csv"
    update.write_bytes(UPDATE)
    assert main(["import-feuille-de-route", str(update), "--dry-run", "--target", str(live)]) == 0
    assert "Essai (--dry-run)" in capsys.readouterr().out
    assert stored(live)["statut"].isna().all()
    assert main(["import-feuille-de-route", str(update), "--target", str(live)]) == 0
    assert "Action 5 : statut : non renseigné → réalisé" in capsys.readouterr().out
    assert stored(live).loc[5, "statut"] == "réalisé"
    # A rebuild from the sources keeps the staff's statuses.
    assert main(["build", "--target", str(live)]) == 0
    assert stored(live).loc[5, "statut"] == "réalisé"


def test_plan_et_budgets_shows_the_staff_statuses(app, live, monkeypatch):
    roadmap.import_file(UPDATE, "maj.csv", store=live)
    monkeypatch.setattr("ess.ui.data.STORE_FILE", live)
    monkeypatch.setattr("ess.paths.STORE_FILE", live)
    app.run()
    app.switch_page("pages/plan_budgets.py").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "**Action 2** · Refonder" in text and "Statut : **en cours**" in text
    assert "Statut : **nan**" not in text
    assert ("Projets soutenus par an : référence 20 projets (2021) → 24 projets (2025), cible "
            "30 projets (2026)") in text.replace("\u00a0", " ")
    (progress,) = app.get("progress")
    assert progress.proto.value == 40  # from 20 to 24 of the way to 30
    assert "**Actions 6 à 15** : intitulé, axe et statut non publiés" in text
