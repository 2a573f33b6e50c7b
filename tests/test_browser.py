"""What only a browser shows: the running dashboard, opened in headless Chromium."""

from conftest import wait_for_app

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

