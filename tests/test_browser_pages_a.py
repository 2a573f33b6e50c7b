"""The overview and the jobs page in Chromium: a sidebar filter, a phone's screen, a deep link."""

from conftest import start_app, wait_for_app

NB = "\u00a0"


def kpi_values(page):
    return [v.replace(NB, " ") for v in
            page.locator("[data-testid='stMetricValue']").all_inner_texts()]


def test_year_filter_in_the_sidebar_changes_the_cards(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stMetricValue']")
    assert kpi_values(page)[0] == "62"
    years = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text="Années")
    years.locator("input").click()
    page.get_by_role("option", name="2017 (17)", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '17'",
        timeout=30_000)
    assert kpi_values(page)[:3] == ["17", "182 700 €", "126 ETP"]
    assert "annees=2017" in page.url


def test_phone_screen_stacks_the_cards(browser, app_url, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        cards = page.locator("[data-testid='stMetric']")
        assert cards.count() == 4
        boxes = [cards.nth(i).bounding_box() for i in range(4)]
        tops = [box["y"] for box in boxes]
        assert tops == sorted(tops) and len(set(tops)) == 4, tops  # one under the other
        assert all(box["x"] + box["width"] <= 390 for box in boxes)
        for chart in page.locator(".js-plotly-plot").all():
            assert chart.bounding_box()["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        page.screenshot(path=tmp_path / "vue_ensemble_390.png", full_page=True)
    finally:
        context.close()


def test_deep_link_on_a_fresh_server_keeps_its_view(browser):
    # A link shared before a restart must open the same view, even as the server's first visit.
    process, url = start_app()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{url}/emplois?annees=2017&repartition=territoire")
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stMetricValue']")
        assert kpi_values(page) == ["112 ETP", "126 ETP", "112 %", "6,9 ETP"]
        assert page.get_by_text("Années : 2017").count() == 1
        page.wait_for_selector(".js-plotly-plot .main-svg")
        title = page.locator(".gtitle").first.text_content().replace(NB, " ")
        # The 2017 jobs are reconstructed: the title describes, it states no finding.
        assert title.startswith("Emplois créés ou consolidés")
        assert "territoire" in page.locator(".gtitle-subtitle").first.text_content()
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=10)
