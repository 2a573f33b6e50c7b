"""The static site (`python -m ess export site -o DIR`): complete, in French, and offline."""

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ess import site
from ess.cli import main

NB = "\u00a0"


@pytest.fixture(scope="module")
def folder(built_store, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    assert main(["export", "site", "-o", str(target)]) == 0
    return target


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        # The first lines, one cell each starting with « # », give the source and the notice.
        return list(csv.DictReader((line for line in handle if not line.startswith('"#')),
                                   delimiter=";"))


def test_every_page_and_its_files_are_written(folder):
    names = {p.name for p in folder.iterdir()}
    assert {file for file, _, _ in site.PAGES} <= names
    assert {"plotly.min.js", "site.css", "projets.csv", "chiffres_publies.csv"} <= names
    assert (folder / "plotly.min.js").stat().st_size > 1_000_000  # the whole library, local


def test_project_download_holds_the_62_projects(folder):
    rows = _rows(folder / "projets.csv")
    assert len(rows) == 62
    assert sum(float(r["Subvention"].replace(",", ".")) for r in rows) == 768_200
    assert sum(float(r["Emplois réalisés"].replace(",", ".")) for r in rows) == 483
    assert sum(r["Forme juridique"] == "Association" for r in rows) == 28
    territories = {r["Territoire"]: int(r["Projets"])
                   for r in _rows(folder / "projets_par_territoire.csv")}
    assert territories == {"Lillois": 34, "Roubaisien": 12, "Tourquennois": 2, "Est": 7,
                           "Couronne Nord": 4, "Couronne Sud": 1, "Weppes": 0, "Lys": 2}


def test_pages_link_only_to_local_files(folder):
    for file, _, _ in site.PAGES:
        text = (folder / file).read_text(encoding="utf-8")
        assert 'lang="fr"' in text
        links = re.findall(r'(?:src|href)="([^"]*)"', text)
        assert links and all((folder / link).is_file() for link in links), (file, links)
        assert "Données reconstituées à partir des chiffres publiés" in text, file


def test_site_opens_offline(browser, folder, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR",
                                  offline=True)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((folder / "index.html").as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        values = page.locator(".kpi .value").all_inner_texts()
        assert values[0] == "62"
        assert values[2].replace(NB, " ") == "483 ETP"
        assert values[1].replace(NB, " ") == "768 200 €"
        assert page.locator(".js-plotly-plot").count() == 2
        page.screenshot(path=tmp_path / "index.png", full_page=True)

        page.click("nav >> text=Territoires")
        page.wait_for_selector(".js-plotly-plot .geo path")
        # 8 territories are drawn (one choropleth for those with projects, one for Weppes)
        assert page.locator(".js-plotly-plot .choroplethlayer path").count() == 8
        assert "Lillois" in page.locator("table").first.inner_text()

        for file in ("projets.html", "emplois.html", "activites.html", "sources.html"):
            page.goto((folder / file).as_uri())
            page.wait_for_load_state("load")
        assert page.locator("table").first.locator("tbody tr").count() >= 100  # figures
    finally:
        context.close()
    assert errors == []
    outside = [url for url in requested if urlsplit(url).scheme not in ("file", "data", "blob")]
    assert outside == []
    assert any(url.endswith("/plotly.min.js") for url in requested)


def test_plan_and_budgets_page(folder):
    text = (folder / "plan_budgets.html").read_text(encoding="utf-8")
    assert "<h1>Plan et budgets</h1>" in text
    axes = _rows(folder / "axes.csv")
    assert len(axes) == 5
    assert sum(int(r["Projets"]) for r in axes) == 62
    assert "Licence Ouverte 2.0" in text and "Accessibilité : non conforme" in text


def test_site_on_a_touch_phone(browser, folder):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, locale="fr-FR")
    page = context.new_page()
    for file, _, _ in site.PAGES:
        page.goto((folder / file).as_uri())
        # Nothing wider than the screen: the navigation wraps, wide tables scroll in their box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, file
        for link in page.locator("header nav a").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, file
    page.goto((folder / "projets.html").as_uri())
    # The label column stays in view and the grant (a figure) can be reached in the table's box.
    assert page.locator(".table").first.evaluate("e => e.scrollWidth > e.clientWidth")
    context.close()
