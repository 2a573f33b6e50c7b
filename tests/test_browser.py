"""What only a browser shows: the running dashboard, opened in headless Chromium."""

from conftest import start_app, wait_for_app

NB = "\u00a0"


def test_overview_in_a_browser(page, app_url, tmp_path):
    page.goto(app_url)
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stMetricValue']")
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert values[0] == "62"
    assert values[2].replace(NB, " ") == "483 ETP"
    assert page.get_by_text("Données reconstituées à partir des chiffres publiés").count() == 1
    page.wait_for_selector(".js-plotly-plot")
    page.screenshot(path=tmp_path / "vue_ensemble.png", full_page=True)
    assert (tmp_path / "vue_ensemble.png").stat().st_size > 20_000


def test_shared_link_opens_inside_the_frame_on_a_fresh_server(page):
    # A fresh server whose first request is a sub-page: the frame (sidebar, filters) must run.
    process, url = start_app()
    try:
        page.goto(f"{url}/sources?annees=2017")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "Chiffres clés et sources"
        active = page.locator("[data-testid='stCaptionContainer']", has_text="Filtres actifs")
        assert "Années : 2017" in active.inner_text()
        filters = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
        filters.first.wait_for()
        assert filters.count() == 5
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
