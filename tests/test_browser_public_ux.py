"""The public pages in Chromium, on a desktop and on a touch phone: French everywhere, chart
toolbars that never cover a title, the unknown-address page, « Copier le lien », axe-core."""

import base64
import hashlib

import pytest

from conftest import wait_for_app
from deploy.local import free_port, start_replicas, stop
from ess.paths import ROOT
from ess.ui.frame import SCRIPT

PUBLIC_PAGES = ["", "territoires", "projets", "emplois", "activites", "plan_budgets", "sources",
                "accessibilite", "mentions_legales"]
# Streamlit's and Plotly's own words a reader could meet, had they stayed in English.
ENGLISH = ["Page not found", "Made with Streamlit", "Fullscreen", "Download plot",
           "Sort ascending", "Skip to main content", "Running", "per file", "No results",
           "Zoom in", "Reset axes", "Autoscale", "Select all", "Clear all"]


@pytest.fixture(scope="module")
def public_url(built_store):
    processes = start_replicas([port := free_port()])
    yield f"http://127.0.0.1:{port}"
    stop(processes)


def test_nginx_allows_the_interface_script():
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def _open(page, url):
    page.goto(url)
    wait_for_app(page)
    # The interface script has run (it sets the language), then the charts draw themselves.
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=30_000)
    page.wait_for_timeout(800)


# Every text node a reader can see or hear (scripts and styles left out).
VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("script, style, noscript")) parts.push(node.nodeValue);
  }
  for (const element of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    for (const name of ["aria-label", "title", "placeholder"]) {
      if (element.getAttribute(name)) parts.push(element.getAttribute(name));
    }
  }
  return parts.join(" ");
}"""


def _english(page) -> list[str]:
    """The English words found, each with the text around it."""
    text = page.evaluate(VISIBLE_TEXT)
    titles = " ".join(page.locator(".modebar-btn").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-title'))"))
    found = []
    for word in ENGLISH:
        for where in (text, titles):
            if word in where:
                at = where.index(word)
                found.append(where[max(0, at - 60):at + 60])
    return found


def test_touch_phone_walk(browser, public_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, locale="fr-FR")
    page = context.new_page()
    axe = Axe()
    for name in PUBLIC_PAGES:
        _open(page, f"{public_url}/{name}")
        assert page.evaluate("document.documentElement.lang") == "fr", name
        assert _english(page) == [], name
        page.get_by_text("Accessibilité : non conforme").first.wait_for()
        # On a touch screen Plotly's toolbar stays shown: it must sit above the chart's title.
        for chart in page.locator(".stPlotlyChart").all():
            chart.scroll_into_view_if_needed()
            bar = chart.locator(".modebar-container").bounding_box()
            title = chart.locator(".gtitle").first
            if bar and title.count():
                top = title.bounding_box()["y"]
                assert bar["y"] + bar["height"] <= top + 1, name
        violations = axe.run(page).response["violations"]
        assert [(v["id"], [(n["html"][:120], n["failureSummary"][:200]) for n in v["nodes"]])
                for v in violations] == [], name
    context.close()


def test_desktop_walk_in_french(page, public_url):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for name in PUBLIC_PAGES:
        _open(page, f"{public_url}/{name}")
        assert _english(page) == [], name
        # What the accessibility statement says: no axe-core error on a desktop screen either.
        violations = axe.run(page).response["violations"]
        assert [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in violations] == [], name
    # A filter's list of values, once open, is French too.
    _open(page, public_url)
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text="Territoires").locator("input").click()
    page.get_by_role("option", name="Lillois (34)").wait_for()
    assert _english(page) == []
    page.keyboard.press("Escape")
    # The chart toolbar's words, once hovered, are French too.
    page.locator(".stPlotlyChart").first.hover()
    titles = page.locator(".modebar-btn").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Télécharger le graphique (PNG)" in titles


def test_unknown_address_gives_a_french_page(page, public_url):
    _open(page, f"{public_url}/nulle-part")
    assert page.locator("h1").first.inner_text() == "Page introuvable"
    assert "Page not found" not in page.locator("body").inner_text()


def test_copy_link_copies_the_view(browser, public_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=public_url)
    page = context.new_page()
    _open(page, f"{public_url}/emplois?annees=2017&communes=59350")
    page.get_by_role("button", name="Copier le lien de cette vue").click()
    page.get_by_text("Lien copié.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/emplois?annees=2017&communes=59350")
    context.close()
