"""The import page in a real browser: the real file input, then the pages already open."""

from pathlib import Path

import pytest

from conftest import start_app, wait_for_app

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NB = "\u00a0"


@pytest.fixture
def staff_app(live):
    """A dashboard of its own, on the private store `live`: the import changes it."""
    process, url = start_app({"ESS_STORE": str(live), "ESS_MODE": "staff"})
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_upload_refuse_then_import_and_an_open_page_follows(browser, staff_app, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="fr-FR")
    overview, importer = context.new_page(), context.new_page()
    try:
        overview.goto(staff_app)
        wait_for_app(overview)
        overview.wait_for_selector("[data-testid='stMetricValue']")
        assert overview.locator("[data-testid='stMetricValue']").first.inner_text() == "62"

        importer.goto(f"{staff_app}/importer")
        wait_for_app(importer)
        importer.set_input_files("input[type=file]", FIXTURES / "commune_inconnue.csv")
        importer.get_by_text("1 erreur(s) bloquante(s) : rien n'a été importé.").wait_for()
        table = importer.locator("[data-testid='stTable']").first
        assert "« Lile » n'est pas une commune de la MEL" in table.inner_text()
        assert "Vouliez-vous dire Lille ?" in table.inner_text()
        importer.screenshot(path=tmp_path / "import_erreurs.png", full_page=True)

        importer.set_input_files("input[type=file]", FIXTURES / "petit_cp1252_pointvirgule.csv")
        importer.get_by_role("button", name="Importer les 3 projets").click()
        importer.get_by_text("Import de petit_cp1252_pointvirgule.csv terminé").wait_for()
        importer.screenshot(path=tmp_path / "import_termine.png", full_page=True)

        # The overview opened before the import shows the new figures at its next rerun.
        overview.bring_to_front()
        overview.get_by_role("button", name="Réinitialiser les filtres").click()
        overview.wait_for_function(  # until the rerun has replaced the four cards
            "() => { const v = [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')];"
            " return v.length === 4 && v[0].innerText === '3'; }", timeout=30_000)
        values = overview.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert [v.replace(NB, " ") for v in values] == ["3", "35 500 €", "10,5 ETP", "33 %"]
        assert overview.get_by_text("Données reconstituées à partir").count() == 0
        overview.screenshot(path=tmp_path / "vue_ensemble_apres_import.png", full_page=True)
        assert (tmp_path / "import_erreurs.png").stat().st_size > 20_000
    finally:
        context.close()


def test_hostile_files_get_french_messages_never_a_traceback(browser, staff_app, tmp_path):
    corpus = FIXTURES / "corpus"
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{staff_app}/importer")
        wait_for_app(page)
        page.set_input_files("input[type=file]", corpus / "xlsx_entite_externe.xlsx")
        page.get_by_text("le classeur contient une déclaration XML interdite").wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Traceback" not in page.content()
        page.screenshot(path=tmp_path / "import_xml_interdit.png", full_page=True)

        page.set_input_files("input[type=file]", corpus / "editions_mauvaises.csv")
        page.get_by_text("4 erreur(s) bloquante(s) : rien n'a été importé.").wait_for()
        problems = page.locator("[data-testid='stTable']").first.inner_text()
        assert "2027 est une année à venir" in problems
        assert "la clé de contrôle ne correspond pas" in problems
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=tmp_path / "import_editions_mauvaises.png", full_page=True)
    finally:
        context.close()
