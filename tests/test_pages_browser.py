"""Every page of the dashboard in Chromium: it renders without an error, leaves a screenshot,
and axe-core finds no serious or critical accessibility violation on it.

The pages are read from app.py, so a page added there is swept without touching this file.
"""

import ast
from pathlib import Path

import pytest
from conftest import start_app, wait_for_app

from ess.paths import ROOT

ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
BLOCKING = ("serious", "critical")


def registered_pages() -> list[tuple[str, str]]:
    """(title, URL path) of every `st.Page` of app.py; the default page is at `/`."""
    pages = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        # Pages given by file name: the staff sign-in screen (a function) is not a page to visit.
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
                and isinstance(node.args[0], ast.Constant)):
            options = {k.arg: k.value.value for k in node.keywords
                       if isinstance(k.value, ast.Constant)}
            url = "" if options.get("default") else options.get(
                "url_path", Path(node.args[0].value).stem)
            pages.append((options["title"], url))
    return pages


PAGES = registered_pages()


def wait_until_rendered(page):
    """The script has run, and every Plotly chart has drawn its SVG."""
    wait_for_app(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(chart => chart.querySelector('.main-svg'))",
        timeout=30_000,
    )


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {', '.join(' '.join(n['target']) for n in v['nodes'])}"
        for v in violations if v["impact"] in BLOCKING
    ]


def test_the_sweep_covers_every_page():
    titles = [title for title, _ in PAGES]
    assert len(PAGES) == 10
    assert titles[0] == "Vue d'ensemble" and PAGES[0][1] == ""
    assert ("Plan et budgets", "plan_budgets") in PAGES
    assert ("Importer des résultats", "importer") in PAGES
    assert ("Déclaration d'accessibilité", "accessibilite") in PAGES
    assert ("Mentions légales", "mentions_legales") in PAGES


@pytest.mark.parametrize("title,url", PAGES, ids=[url or "accueil" for _, url in PAGES])
def test_page_renders_and_is_accessible(browser, app_url, tmp_path, title, url):
    # A new context per page: a fresh session that opens the page from its address.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{url}")
        wait_until_rendered(page)
        assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == title
        assert page.locator(ERRORS).count() == 0
        assert "Traceback" not in page.locator("[data-testid='stApp']").inner_text()
        page.screenshot(path=tmp_path / f"{url or 'accueil'}.png", full_page=True)
        violations = blocking_violations(page)
        print("\n".join(violations))
        assert not violations, "Violations axe-core graves ou critiques :\n" + "\n".join(violations)
    finally:
        context.close()


def test_a_page_address_opens_the_whole_app_on_a_fresh_server(browser):
    """The first visitor of a new server may arrive on any page's address, filters included:
    the page must run inside app.py (title, navigation, filters), not alone as in Streamlit's
    old multipage mode, which it falls back to while a folder named `pages/` sits next to
    app.py and no session has run app.py yet (see `ess.ui.page._ensure_frame`)."""
    process, url = start_app()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{url}/sources?annees=2017")
        wait_until_rendered(page)
        assert page.locator("h1").first.inner_text() == "Chiffres clés et sources"
        navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Plan et budgets" in navigation and "plan budgets" not in navigation
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Filtres" in sidebar and "Territoires" in sidebar, sidebar
        active = page.locator("[data-testid='stCaptionContainer']", has_text="Filtres actifs")
        assert "Années : 2017" in active.inner_text()
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=10)
