"""Text from an address or an imported file is shown as text, never as Markdown or HTML.

On every page (AppTest in public mode, then a browser against a public replica): hostile
addresses and hostile names in the store (as an import would bring them) give no link, no
image, no HTML element, and nothing is requested from another host. Plotly's titles and hovers
and the static site get the same text, and the site's CSV files neutralise formulas with the
app's own function.
"""

import csv
import html
import importlib
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import plotly.io as pio
import pytest
from markdown_it import MarkdownIt

from conftest import open_page, shown, wait_for_app
from deploy.local import free_port, stop, wait_until_healthy
from ess import charts, maps, serve, settings, site, store, tables
from ess.paths import ROOT, SOURCES_DIR

HOSTILE = "[x](http://example.invalid)![i](http://example.invalid/i.png)<b>gras</b>"
# A project name an import could bring: every construct at once.
NAME = ('[lien](http://example.invalid) ![i](http://example.invalid/i.png) <b>gras</b> '
        '<img src="http://example.invalid/x.png"> _it_ **fort** :smile: `code` $x$ '
        'www.example.invalid contact@example.invalid')
SOURCE = '**source** <a href="http://example.invalid">a</a> # titre'
FORMULA = '=HYPERLINK("http://example.invalid";"clic")'
ACTIVITY = '<a href="http://example.invalid">Commerces</a> <b>gras</b>'
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# What GitHub-flavoured Markdown turns into a link by itself (it reads the escapes first).
BARE_LINK = re.compile(r"(?i)\bhttps?://|\bwww\.|[\w.+-]@[\w-]")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _unescaped(markdown: str) -> str:
    """The text GFM's bare-link rule sees: escapes read, word joiners kept."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def assert_no_markup(markdown: str) -> None:
    """`markdown` (a Streamlit element's body) holds no link, image, HTML or code from data."""
    rendered = MARKDOWN.render(markdown)
    for element in ("<a ", "<img", "<b>", "<code>", "<em>", "<h1", "<li>", "<blockquote"):
        assert element not in rendered, (element, markdown)
    assert not BARE_LINK.search(_unescaped(markdown)), markdown


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize("text", [
    HOSTILE, NAME, SOURCE, ACTIVITY, "- liste", "+ plus", "1. un", "3) trois", "# titre",
    "> cite", "| a | b |", "~~barré~~", "&lt;b&gt; &#60;i&#62;", "Fibr'&Co", "12:30",
    ":material/home: :red[rouge]", "\\*pas gras\\*", "Marcq-en-Barœul", "Années : 2016",
])
def test_markdown_shows_the_text_itself(text):
    markdown = tables.texte(text)
    assert MARKDOWN.render(markdown).replace("\u2060", "") == f"<p>{_escape_html(text)}</p>\n"
    assert shown(markdown) == text
    assert_no_markup(markdown)


@pytest.mark.parametrize("text", ["http://example.invalid/x", "HTTPS://example.invalid",
                                  "www.example.invalid", "contact@example.invalid"])
def test_bare_links_are_broken_invisibly(text):
    markdown = tables.texte(text)
    assert not BARE_LINK.search(_unescaped(markdown))
    assert shown(markdown) == text  # a word joiner is invisible


def test_one_line_without_control_or_bidi_characters():
    assert tables.texte("a\u202eb\x1bc\n\n# d\t  e") == "abc \\# d e"
    assert tables.texte("12\u202f500\u00a0€") == "12\u202f500\u00a0€"  # French spaces stay
    assert tables.texte(None) == tables.texte(float("nan")) == ""


def test_table_cells_and_headers_are_text():
    table = tables.cellules_texte(pd.DataFrame({"<b>Nom</b>": [NAME], "Montant": [12]}))
    assert list(table.columns) == [tables.texte("<b>Nom</b>")]  + ["Montant"]
    assert table.iloc[0].tolist() == [tables.texte(NAME), 12]


def test_plotly_text_escapes_its_html():
    assert tables.texte_graphique(ACTIVITY) == (
        '&lt;a href="http://example.invalid"&gt;Commerces&lt;/a&gt; &lt;b&gt;gras&lt;/b&gt;')


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def assert_figure_has_no_markup(figure) -> list[str]:
    """Every text of a Plotly figure: no tag from the data (ours: <br>, <b>, <extra>)."""
    texts = _strings(figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure)
    for text in texts:
        assert "<a " not in text and "<img" not in text and "<b>gras" not in text, text
    return texts


def test_charts_and_maps_carry_names_as_text():
    rows = pd.DataFrame({"activite": ["commerces", "autre"], "libelle": [ACTIVITY, "Autre"],
                         "nb_projets": [3, 1], "part_pct": [75.0, 25.0], "nb_publie": [4, 1]})
    texts = assert_figure_has_no_markup(charts.activites(rows))
    assert any(tables.texte_graphique(ACTIVITY) in t for t in texts)  # hover, shown as text
    assert any("&lt;a href" in t for t in texts)  # the title names the leading activity
    territories = pd.DataFrame({"territoire": ["lillois"], "nom": [ACTIVITY], "valeur": [3.0],
                                "nb_projets": [3]})
    assert_figure_has_no_markup(charts.territory_ranking(territories, "Projets"))
    choropleth = maps.territory_choropleth(territories, maps.load_geojson("territoires"), None,
                                           "valeur", "Projets", "")
    assert any("&lt;a href" in t for t in assert_figure_has_no_markup(choropleth))


# --------------------------------------------------------------------------- hostile store


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _hostile_project(row: dict) -> None:
    # Rows of a staff file: shown with their own names (reconstructed rows are labelled).
    if row["id"] == "AAP-2017-01":
        row["libelle"], row["source"], row["provenance"] = NAME, SOURCE, "publié"
    elif row["id"] == "AAP-2017-02":
        row["libelle"], row["provenance"] = FORMULA, "publié"


def _hostile_activity(row: dict) -> None:
    if row["code"] == "commerces":
        row["libelle"] = ACTIVITY


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """A store whose texts came from a hostile file: a project name with every construct, a
    formula as a name, an activity label in HTML."""
    folder = tmp_path_factory.mktemp("hostile")
    sources = folder / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    _rewrite(sources / "projet.csv", _hostile_project)
    _rewrite(sources / "activite.csv", _hostile_activity)
    return store.build(sources, folder / "data" / "ess.duckdb")


def test_static_site_neutralises_formulas_and_escapes_names(hostile_store, tmp_path):
    site.export(tmp_path, store=hostile_store)
    lines = (tmp_path / "projets.csv").read_text(encoding="utf-8-sig").splitlines()
    # The source and notice lines come first, each a quoted « # … » cell.
    table = [line for line in lines if not line.lstrip('"').startswith("#")]
    rows = {r["Identifiant"]: r for r in csv.DictReader(table, delimiter=";")}
    assert rows["AAP-2017-02"]["Projet"] == "'" + FORMULA  # the app's own neutraliser
    assert rows["AAP-2017-01"]["Projet"] == NAME
    page = (tmp_path / "projets.html").read_text(encoding="utf-8")
    assert html.escape(NAME) in page
    assert "<b>gras" not in page and "<img src=\"http" not in page
    activities = (tmp_path / "activites.html").read_text(encoding="utf-8")
    # Figures are JSON in a script, `<` written \u003c: a raw tag would read \u003ca href.
    assert "\\u003ca href" not in activities and "&lt;a href" in activities


# --------------------------------------------------------------------------- pages (AppTest)


MARKDOWN_ELEMENTS = ("markdown", "caption", "warning", "info", "error", "success", "title",
                     "header", "subheader")


FOOTER = "Données de la Métropole Européenne de Lille"
# The sidebar's address notice is said on the session's first run only; AppTest's page switch
# is a second run. test_hostile_text_in_a_browser[filtres] checks the echo in Chromium.
APPTEST_ONCE = pytest.mark.xfail(reason="address notice shown on the first run only",
                                 strict=False)


def _bodies(app) -> list[str]:
    """Every Markdown body of the page but its footer (our licence link; the view's address
    percent-encoded in a code span), which `test_footer_cites_a_hostile_address_as_code` checks."""
    return [e.value for kind in MARKDOWN_ELEMENTS for e in getattr(app, kind)
            if not e.value.startswith(FOOTER)]


def test_footer_cites_a_hostile_address_as_code(public_app):
    app = open_page(public_app, "pages/emplois.py", repartition=HOSTILE)
    footer = next(m.value for m in app.markdown if m.value.startswith(FOOTER))
    rendered = MARKDOWN.render(footer)
    assert rendered.count("<a ") == 1 and "etalab.gouv.fr" in rendered  # the licence only
    assert "<img" not in rendered and "<b>" not in rendered
    cited = footer.rsplit("`", 2)[1]
    assert "[" not in cited and "<" not in cited and "`" not in cited  # percent-encoded


@pytest.fixture
def public_app(app, monkeypatch):
    monkeypatch.setattr(settings, "MODE", "public")
    return app


@pytest.mark.parametrize("page, params, echo", [
    ("pages/projets.py", {"recherche": HOSTILE}, HOSTILE),
    ("pages/projets.py", {"projet": HOSTILE}, HOSTILE[:40]),
    ("pages/projets.py", {"page": "²"}, None),  # a digit for str.isdigit, not for int()
    ("pages/projets.py", {"page": "99999"}, "99999"),
    pytest.param("pages/vue_ensemble.py", {"annees": HOSTILE, "activites": HOSTILE}, HOSTILE[:40],
                 marks=APPTEST_ONCE),
    ("pages/territoires.py", {"territoire": HOSTILE, "mesure": HOSTILE}, HOSTILE[:40]),
    ("pages/emplois.py", {"repartition": HOSTILE}, HOSTILE[:40]),
    pytest.param("pages/activites.py", {"formes": NAME}, NAME[:40], marks=APPTEST_ONCE),
], ids=["recherche", "projet", "page", "page-trop-loin", "filtres", "territoire-mesure", "repartition", "nom"])
def test_hostile_address_is_echoed_as_text(public_app, page, params, echo):
    bodies = _bodies(open_page(public_app, page, **params))
    assert not public_app.error  # no « Une erreur est survenue »
    if echo:
        assert any(echo in shown(body) for body in bodies), bodies  # said, literally
    for body in bodies:
        assert_no_markup(body)


@pytest.fixture
def hostile_app(public_app, hostile_store, monkeypatch):
    monkeypatch.setattr(importlib.import_module("ess.ui.data"), "STORE_FILE", hostile_store)
    return public_app


@pytest.mark.xfail(reason="the project card is not among AppTest's elements since the merges; "
                   "test_hostile_text_in_a_browser[projets-fiche] checks it in Chromium",
                   strict=False)
def test_hostile_names_on_the_project_card(hostile_app):
    app = open_page(hostile_app, "pages/projets.py", projet="AAP-2017-01")
    card = " ".join(m.value for m in app.markdown)
    assert f"#### {tables.texte(NAME)}" in card
    assert f"**Source** : {tables.texte(SOURCE)}" in card
    for body in _bodies(app):
        assert_no_markup(body)
    assert app.dataframe[0].value["Libellé"].tolist().count(NAME) == 1  # a table cell: as is


def test_hostile_activity_in_filters_line_and_charts(hostile_app):
    app = open_page(hostile_app, "pages/activites.py", activites="commerces")
    filters_line = next(c.value for c in app.caption if "Filtres actifs" in c.value)
    assert tables.texte(ACTIVITY) in filters_line
    for body in _bodies(app):
        assert_no_markup(body)
    figures = [pio.from_json(chart.proto.spec) for chart in app.get("plotly_chart")]
    texts = [t for figure in figures for t in assert_figure_has_no_markup(figure)]
    assert any("&lt;a href" in t for t in texts)


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def hostile_url(hostile_store):
    """A public replica (hardened command line) reading the hostile store."""
    port = free_port()
    process = subprocess.Popen(
        serve.command(port), cwd=ROOT,
        env={**serve.environment(public=True), "ESS_STORE": str(hostile_store)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop([process])


VISITS = [
    ("projets-recherche", f"/projets?recherche={quote(HOSTILE)}", HOSTILE),
    ("projets-fiche", "/projets?projet=AAP-2017-01", NAME),
    ("filtres", f"/?annees={quote(HOSTILE)}&activites=commerces", HOSTILE[:40]),
    ("territoires", f"/territoires?territoire={quote(HOSTILE)}&mesure={quote(NAME)}",
     HOSTILE[:40]),
    ("activites", "/activites", None),
]


@pytest.mark.parametrize("name, path, echo", VISITS, ids=[v[0] for v in VISITS])
def test_hostile_text_in_a_browser(browser, hostile_url, tmp_path, name, path, echo):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    try:
        page.goto(hostile_url + path)
        wait_for_app(page)
        if name not in ("projets-recherche", "projets-fiche"):
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        wait_for_app(page)
        page.wait_for_timeout(1500)  # let the charts draw (and fetch, if they tried)
        app = page.locator("[data-testid='stApp']")
        assert app.locator("a[href*='example.invalid'], a[href^='mailto:']").count() == 0
        assert app.locator("img[src*='example.invalid'], img[src^='http']").count() == 0
        assert app.locator("[data-testid='stMarkdownContainer'] b").count() == 0
        assert app.locator("[data-testid='stMarkdownContainer'] em").count() == 0
        # One code span only: the footer's citation of the address, percent-encoded.
        codes = app.locator("[data-testid='stMarkdownContainer'] code").all_inner_texts()
        assert len(codes) <= 1 and not any(c for c in codes if "[" in c or "<" in c), codes
        assert page.locator(".js-plotly-plot a").count() == 0
        if echo:
            text = app.inner_text().replace("\u2060", "")
            assert echo in text.replace("\n", " "), text
        if name == "activites":
            labels = " ".join(page.locator(".js-plotly-plot .ytick text").all_text_contents())
            # The label, shown literally, even where it is wrapped over several lines.
            assert '<a href="http://exa' in labels and "Commerces</a> <b>gras</b>" in labels
        if name == "projets-fiche":
            page.get_by_text("Fiche d'un projet").scroll_into_view_if_needed()
        page.screenshot(path=tmp_path / f"{name}.png")
    finally:
        context.close()
    outside = [u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert outside == []
