"""The « Territoires » page: measures, the figure's values against the store, the drill-down,
and the page in a browser with no request leaving the machine."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
import pytest

from conftest import wait_for_app
from ess import charts, maps, mesures, queries
from ess.filters import Filtres

NB = "\u00a0"
PAGE = "pages/territoires.py"
VALUE_TRACES = ("valeurs", "Aucun projet")
LILLOIS_POPULATION = 232_787


@pytest.fixture(scope="module")
def territoires_geo():
    return maps.load_geojson("territoires")


@pytest.fixture(scope="module")
def communes_geo():
    return maps.load_geojson("communes")


def _open(app, **params):
    """Run the app, then the Territoires page with `params` in its address."""
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def _figures(at) -> dict[str, dict]:
    """The page's Plotly figures by widget key (« carte_territoires_aucun »…)."""
    figures = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1]
        figures[key] = json.loads(element.proto.spec)
    return figures


def _array(value) -> list:
    """A figure's array as a list: Plotly's JSON writes numeric arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def _z_by_location(figure: dict) -> dict[str, float]:
    """Each area's value: the coloured trace's z, and 0 for the grey « Aucun projet » trace."""
    values = {}
    for trace in figure["data"]:
        if trace.get("name") in VALUE_TRACES:
            values.update(zip(_array(trace["locations"]), map(float, _array(trace["z"]))))
    return values


def _number(text: str) -> float:
    """A French figure of the table back to a number (« 0 (aucun projet) » → 0)."""
    first = text.split(" (")[0].replace(NB, "").replace("€", "").replace("ETP", "").strip()
    return float(first.replace(",", "."))


# --------------------------------------------------------------------------- measures


def test_per_10000_inhabitants():
    lillois = mesures.par_10000(pd.Series([34.0]), pd.Series([LILLOIS_POPULATION]))
    assert lillois.iloc[0] == pytest.approx(1.460563, abs=1e-6)
    with pytest.raises(ValueError, match="Population nulle"):
        mesures.par_10000(pd.Series([1.0]), pd.Series([0]))


def test_with_value_follows_the_measure(con):
    frame = queries.run(con, "projets_par_territoire")
    raw = mesures.with_value(frame, mesures.MESURES["subvention"]).set_index("territoire")
    assert raw.loc["lillois", "valeur"] == raw.loc["lillois", "subvention"]
    per = mesures.with_value(frame, mesures.MESURES["projets-10000"]).set_index("territoire")
    assert per.loc["lillois", "valeur"] == pytest.approx(34 / LILLOIS_POPULATION * 10_000)
    assert per.loc["weppes", "valeur"] == 0
    assert "valeur" not in frame.columns  # the query's frame is left as it was


def test_every_switch_position_has_its_measure():
    positions = {(c, p) for c in mesures.CHOICES for p in (False, True)}
    assert {mesures.choice_of(k) for k in mesures.MESURES} == positions
    for choice, per in positions:
        measure = mesures.mesure(choice, per)
        assert mesures.choice_of(measure.key) == (choice, per)
        assert measure.per_10000 is per
        assert ("10 000 habitants" in measure.label) is per


# --------------------------------------------------------------------------- the figures


@pytest.mark.parametrize(
    "filtres",
    [
        Filtres(),
        Filtres(annees=(2017,)),
        Filtres(formes=("association",), axes=("pmdess-2015-2020/1", "pmdess-2015-2020/2")),
    ],
    ids=["tous", "2017", "associations-axes-1-2"],
)
@pytest.mark.parametrize("key", ["projets", "subvention", "emplois-realises-10000"])
def test_map_values_equal_the_store(con, territoires_geo, communes_geo, filtres, key):
    measure = mesures.MESURES[key]
    frame = queries.run(con, "projets_par_territoire", filtres)
    values = mesures.with_value(frame, measure)
    fig = maps.territory_choropleth(
        values, territoires_geo, communes_geo, "valeur", measure.label, measure.unit,
        decimals=measure.decimals,
    )
    shown = _z_by_location(json.loads(fig.to_json()))
    expected = dict(zip(values["territoire"], values["valeur"]))
    assert shown.keys() == expected.keys() and len(shown) == 8
    for code, value in expected.items():
        assert shown[code] == pytest.approx(value), code
    if filtres == Filtres():
        assert shown["weppes"] == 0
        if key == "projets":
            assert shown["lillois"] == 34


def test_no_base_map_is_fetched(territoires_geo, communes_geo, con):
    # plotly.js fetches its world topojson from a CDN when the first trace of a geo subplot
    # has a `locationmode` or a base layer is shown: neither may happen.
    frame = mesures.with_value(queries.run(con, "projets_par_territoire"), mesures.MESURES["projets"])
    communes = mesures.with_value(queries.run(con, "projets_par_commune"), mesures.MESURES["projets"])
    figures = [
        maps.territory_choropleth(frame, territoires_geo, communes_geo, "valeur", "N", "",
                                  highlight="est"),
        maps.commune_choropleth(communes, communes_geo, "valeur", "N", "", "est"),
    ]
    for fig in figures:
        first = fig.data[0]
        assert first.type == "scattergeo" and first.locations is None
        assert first.locationmode is None
        assert fig.layout.geo.visible is False
        assert not any(
            fig.layout.geo[f"show{layer}"]
            for layer in ("land", "ocean", "lakes", "rivers", "countries", "subunits",
                          "coastlines")
        )


def test_highlighted_territory_is_outlined(territoires_geo, communes_geo, con):
    frame = mesures.with_value(queries.run(con, "projets_par_territoire"), mesures.MESURES["projets"])
    fig = maps.territory_choropleth(frame, territoires_geo, None, "valeur", "N", "",
                                    highlight="roubaisien")
    outline = [t for t in fig.data if t.name == "territoire détaillé"]
    assert len(outline) == 1 and len(outline[0].lon) > 10
    plain = maps.territory_choropleth(frame, territoires_geo, None, "valeur", "N", "")
    assert not [t for t in plain.data if t.name == "territoire détaillé"]
    with pytest.raises(ValueError, match="Territoire inconnu"):
        maps.territory_choropleth(frame, territoires_geo, None, "valeur", "N", "",
                                  highlight="atlantide")


def test_value_table_says_what_the_hover_says(territoires_geo, con):
    measure = mesures.MESURES["projets-10000"]
    frame = mesures.with_value(queries.run(con, "projets_par_territoire"), measure)
    table = maps.value_table(frame, territoires_geo, "valeur", measure.label, measure.unit,
                             decimals=measure.decimals)
    assert list(table.columns) == ["Territoire", "Projets pour 10 000 habitants", "Rang"]
    assert table.iloc[0].tolist() == ["Lillois", "1,46", "1er sur 8"]
    assert table.iloc[-1].tolist() == ["Weppes", "0 (aucun projet)", "–"]
    fig = maps.territory_choropleth(frame, territoires_geo, None, "valeur", measure.label,
                                    measure.unit, decimals=measure.decimals)
    hover = {row[0]: (row[1], row[2]) for row in fig.data[1].customdata}
    assert hover["Lillois"] == ("1,46", "1er sur 8")


def test_commune_table_of_a_territory(communes_geo, con):
    measure = mesures.MESURES["subvention"]
    zone = Filtres(territoires=("roubaisien",))
    frame = mesures.with_value(queries.run(con, "projets_par_commune", zone), measure)
    table = maps.value_table(frame, communes_geo, "valeur", measure.label, measure.unit,
                             territoire_code="roubaisien")
    assert len(table) == 9 and list(table.columns)[0] == "Commune"
    total = sum(_number(v) for v in table["Subventions accordées (€)"])
    kpi = queries.run(con, "projets_kpi", zone).iloc[0]
    assert total == kpi["subvention_totale"]
    assert table.iloc[0]["Rang"] == "1re sur 9"


def test_territory_from_selection():
    known = {"lillois", "roubaisien", "weppes"}
    click = {"selection": {"points": [{"curve_number": 1, "location": "roubaisien", "z": 12}]}}
    assert maps.territory_from_selection(click, known) == "roubaisien"
    assert maps.territory_from_selection({"selection": {"points": []}}, known) is None
    assert maps.territory_from_selection(None, known) is None
    label = {"selection": {"points": [{"curve_number": 3, "lon": 3.1, "lat": 50.6}]}}
    assert maps.territory_from_selection(label, known) is None
    unknown = {"selection": {"points": [{"location": "59512"}]}}
    assert maps.territory_from_selection(unknown, known) is None


def test_ranking_bars_largest_on_top(con):
    measure = mesures.MESURES["projets"]
    frame = mesures.with_value(queries.run(con, "projets_par_territoire"), measure)
    fig = charts.territory_ranking(frame, measure.label, measure.unit, measure.decimals)
    bars = fig.data[0]
    assert list(bars.y)[-1] == "Lillois" and list(bars.x)[-1] == 34  # drawn bottom-up
    assert list(bars.y)[0] == "Weppes" and list(bars.text)[0] == "aucun projet"
    assert bars.marker.color[0] == maps.ZERO_GREY
    assert "Lillois en tête (34)" in fig.layout.title.text


# --------------------------------------------------------------------------- the commune query


@pytest.mark.parametrize(
    "filtres",
    [Filtres(), Filtres(annees=(2016,)), Filtres(territoires=("est",), formes=("association",))],
    ids=["tous", "2016", "est-associations"],
)
def test_commune_totals_equal_the_kpi(con, filtres):
    communes = queries.run(con, "projets_par_commune", filtres)
    kpi = queries.run(con, "projets_kpi", filtres).iloc[0]
    assert len(communes) == 95  # every commune, with 0 when it has no project
    assert communes["nb_projets"].sum() == kpi["nb_projets"]
    assert communes["subvention"].sum() == kpi["subvention_totale"]
    assert communes["emplois_prevus"].sum() == kpi["emplois_prevus"]
    assert communes["emplois_realises"].sum() == kpi["emplois_realises"]


def test_commune_query_matches_the_territories(con):
    communes = queries.run(con, "projets_par_commune")
    territoires = queries.run(con, "projets_par_territoire").set_index("territoire")
    grouped = communes.groupby("territoire")[["nb_projets", "population"]].sum()
    for code, row in grouped.iterrows():
        assert row["nb_projets"] == territoires.loc[code, "nb_projets"], code
        assert row["population"] == territoires.loc[code, "population"], code
    assert (communes.groupby("territoire").size() > 0).all()
    assert communes.loc[communes["territoire"] == "weppes", "nb_projets"].sum() == 0


# --------------------------------------------------------------------------- the page (AppTest)


def test_page_shows_the_eight_territories(app):
    at = _open(app)
    assert at.title[0].value == "Territoires"
    table = at.table[0].value.set_index("Territoire")
    assert len(table) == 8
    assert table.loc["Lillois", "Nombre de projets"] == "34"
    assert table.loc["Weppes", "Nombre de projets"] == "0 (aucun projet)"
    assert sum(_number(v) for v in table["Nombre de projets"]) == 62
    figure = _figures(at)["carte_territoires_aucun"]
    assert _z_by_location(figure)["lillois"] == 34
    assert len(_z_by_location(figure)) == 8
    assert any("Weppes" in c.value for c in at.caption)
    assert not at.header  # no drill-down by default


def test_year_filter_applies_to_the_map(app):
    at = _open(app, annees="2017")
    table = at.table[0].value
    assert sum(_number(v) for v in table["Nombre de projets"]) == 17
    assert sum(_z_by_location(_figures(at)["carte_territoires_aucun"]).values()) == 17


def test_per_10000_as_displayed(app):
    at = _open(app)
    at.toggle(key="mesure_10000").set_value(True).run()
    table = at.table[0].value.set_index("Territoire")
    expected = f"{34 / LILLOIS_POPULATION * 10_000:.2f}".replace(".", ",")
    assert table.loc["Lillois", "Projets pour 10 000 habitants"] == expected == "1,46"
    assert at.query_params["mesure"] == "projets-10000"


def test_measure_opens_from_the_address(app):
    at = _open(app, mesure="subvention")
    table = at.table[0].value.set_index("Territoire")
    assert table.loc["Lillois", "Subventions accordées (€)"] == f"418{NB}100{NB}€"
    assert at.radio(key="mesure_choix").value == "subvention"
    assert at.toggle(key="mesure_10000").value is False


def test_drill_down_from_the_address(app):
    at = _open(app, territoire="roubaisien")
    assert at.selectbox(key="territoire_detail").value == "roubaisien"
    assert at.header[0].value == "Roubaisien : communes et projets"
    figures = _figures(at)
    communes = _z_by_location(figures["carte_communes_roubaisien"])
    assert len(communes) == 9 and sum(communes.values()) == 12
    outline = [t for t in figures["carte_territoires_roubaisien"]["data"]
               if t.get("name") == "territoire détaillé"]
    assert len(outline) == 1
    projects = at.dataframe[-1].value
    assert len(projects) == 12
    assert at.subheader[0].value == "Projets du territoire (12)"


def test_drill_down_follows_the_filters_but_not_the_territory_filter(app):
    at = _open(app, territoire="roubaisien", territoires="lillois", annees="2015")
    assert any("ne s'applique pas" in i.value for i in at.info)
    table = at.table[0].value
    assert sum(_number(v) for v in table["Nombre de projets"]) == 15  # all territories, 2015
    projects = at.dataframe[-1].value
    assert len(projects) == 4  # the Roubaisien's projects of 2015
    assert set(projects["annee"]) == {2015}
    assert at.subheader[0].value == "Projets du territoire (4)"


def test_select_box_drills_down_and_keeps_the_address(app):
    at = _open(app)
    at.selectbox(key="territoire_detail").set_value("weppes").run()
    assert at.query_params["territoire"] == "weppes"
    assert at.header[0].value == "Weppes : communes et projets"
    assert any("Aucun projet de ce territoire" in i.value for i in at.info)
    # A filter change rewrites the address: the drill-down stays in it.
    at.multiselect(key="filtre_annees").set_value(["2016"]).run()
    assert at.query_params["territoire"] == "weppes"
    assert at.query_params["annees"] == "2016"
    at.selectbox(key="territoire_detail").set_value("").run()
    assert "territoire" not in at.query_params
    assert not at.header


def test_unknown_address_values_give_a_notice(app):
    at = _open(app, territoire="atlantide", mesure="bonheur")
    warnings = " ".join(w.value for w in at.warning)
    assert "territoire inconnu « atlantide »" in warnings
    assert "mesure inconnue « bonheur »" in warnings
    assert not at.header
    assert at.radio(key="mesure_choix").value == "projets"


def test_no_project_at_all_keeps_every_territory_at_zero(app, con):
    empty = Filtres(annees=(2015,), activites=("numerique",), formes=("association",))
    assert queries.run(con, "projets_kpi", empty).iloc[0]["nb_projets"] == 0
    at = _open(app, annees="2015", activites="numerique", formes="association")
    table = at.table[0].value
    assert set(table["Nombre de projets"]) == {"0 (aucun projet)"}
    figure = _figures(at)["carte_territoires_aucun"]
    assert _z_by_location(figure) == {code: 0.0 for code in table_codes(figure)}
    assert len(_z_by_location(figure)) == 8
    caption = " ".join(c.value for c in at.caption)
    assert "sans projet pour ces filtres : Lillois, Roubaisien" in caption


def table_codes(figure: dict) -> list[str]:
    return [loc for t in figure["data"] if t.get("name") == "Aucun projet" for loc in t["locations"]]


# --------------------------------------------------------------------------- in a browser


def test_territoires_in_a_browser_stays_offline(page, app_url, tmp_path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 1400, "height": 2600})
    # Through the navigation, as a reader does: the first page a fresh server runs must be
    # the app itself (see the report on sub-page addresses).
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("link", name="Territoires").first.click()
    page.wait_for_selector("h1:has-text('Territoires')")
    page.wait_for_selector(".js-plotly-plot .choroplethlocation")
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").first.locator(".choroplethlocation").count() == 8
    assert page.get_by_text("Aucun projet", exact=True).count() >= 1  # the grey legend entry

    # A click on the Roubaisien (second coloured territory) drills down.
    roubaisien = page.locator(".js-plotly-plot").first.locator(".choroplethlocation").nth(1)
    box = roubaisien.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("h2:has-text('Roubaisien : communes et projets')", timeout=30_000)
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["territoire"] == ["roubaisien"]
    page.wait_for_timeout(1_000)  # let the commune map draw
    page.screenshot(path=tmp_path / "territoires.png")
    assert (tmp_path / "territoires.png").stat().st_size > 50_000

    hosts = {urlparse(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}, sorted(hosts)
