"""What readers of public dashboards expect, as Streamlit runs the pages (AppTest): counts
beside filter values, commune and grant filters, every control in the address, French notices."""

from ess import queries
from ess.filters import Filtres, from_query, summary

NB = "\u00a0"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def options(at, key):
    return at.multiselect(key=key).options


def test_filter_counts_follow_the_other_filters(app):
    app.run()
    assert not app.exception
    assert "Lillois (34)" in options(app, "filtre_territoires")
    assert "2017 (17)" in options(app, "filtre_annees")
    app.multiselect(key="filtre_annees").set_value(["2017"]).run()
    # 11 of the 17 projects of 2017 are in the Lillois; the years keep their own counts.
    assert "Lillois (11)" in options(app, "filtre_territoires")
    assert "2016 (15)" in options(app, "filtre_annees")
    assert metrics(app)["Projets financés"] == "17"


def test_commune_and_grant_filters_from_the_address(app):
    app.query_params["communes"] = "59350"
    app.query_params["subvention_min"] = "10000"
    app.run()
    assert not app.exception
    assert metrics(app)["Projets financés"] == "19"
    assert metrics(app)["Subventions accordées"] == f"298{NB}800{NB}€"
    caption = " ".join(c.value for c in app.caption)
    assert f"Communes : Lille · Subvention : au moins 10{NB}000{NB}€" in caption
    assert app.select_slider(key="filtre_subvention").value == (10000, 20000)


def test_grant_slider_writes_the_address(app):
    app.run()
    app.select_slider(key="filtre_subvention").set_value((5400, 10000)).run()
    assert not app.exception, app.exception
    assert app.query_params["subvention_max"] == "10000"
    assert "subvention_min" not in app.query_params
    kpi = int(metrics(app)["Projets financés"])
    assert 0 < kpi < 62
    app.button[0].click().run()  # « Réinitialiser les filtres »
    assert metrics(app)["Projets financés"] == "62"
    assert "subvention_max" not in app.query_params


def test_bad_amount_is_dropped_with_a_notice_once(app):
    app.query_params["subvention_min"] = "dix mille"
    app.run()
    assert [w.value for w in app.warning] == [
        "Adresse : Subvention minimale : « dix mille » ignorée ; un montant entier en euros "
        "est attendu."]
    assert metrics(app)["Projets financés"] == "62"
    # The address is corrected on the first run: the next run no longer warns.
    app.multiselect(key="filtre_annees").set_value(["2016"]).run()
    assert [w.value for w in app.warning if w.value.startswith("Adresse")] == []


def test_amount_range_round_trip_and_order():
    lecture = from_query({"subvention_min": "15000", "subvention_max": "6000"}, {})
    assert lecture.filtres == Filtres(subvention_min=6000, subvention_max=15000)
    assert lecture.filtres.to_query() == {"subvention_min": "6000", "subvention_max": "15000"}
    assert summary(Filtres(subvention_max=8000), {}) == f"Subvention : au plus 8{NB}000{NB}€"


def test_grant_bounds_are_bound_parameters(con):
    kpi = queries.run(con, "projets_kpi", Filtres(subvention_min=20000, subvention_max=20000))
    top = con.execute("SELECT count(*) FROM projet WHERE subvention_eur = 20000").fetchone()[0]
    assert kpi.loc[0, "nb_projets"] == top > 0


def test_footer_licence_citation_and_statement_pages(app):
    app.run()
    footer = " ".join(m.value for m in app.markdown)
    assert "Licence Ouverte 2.0 (Etalab)" in footer
    assert "Mise à jour des données" in footer
    assert "Pour citer cette page : Observatoire ESS de la MEL, « Vue d'ensemble »" in footer
    app.switch_page("pages/accessibilite.py").run()
    assert not app.exception
    assert app.title[0].value == "Déclaration d'accessibilité"
    assert "**non conforme**" in app.markdown[-1].value or any(
        "non conforme" in m.value for m in app.markdown)
    app.switch_page("pages/mentions_legales.py").run()
    assert app.title[0].value == "Mentions légales"


def test_json_and_geojson_downloads(con):
    import json

    from ess import maps
    from ess.exports import geojson, tables

    par_territoire = queries.run(con, "projets_par_territoire")
    records = json.loads(tables.to_json(par_territoire))
    assert {r["nom"]: r["nb_projets"] for r in records}["Lillois"] == 34
    assert sum(r["subvention"] for r in records) == 768_200
    shapes = json.loads(geojson.with_values(maps.load_geojson("territoires"), par_territoire,
                                            "code", "territoire"))
    lillois = next(f for f in shapes["features"] if f["properties"]["code"] == "lillois")
    assert lillois["properties"]["nb_projets"] == 34 and lillois["geometry"]["coordinates"]
    communes = json.loads(geojson.with_values(maps.load_geojson("communes"),
                                              queries.run(con, "projets_par_commune"),
                                              "insee", "insee"))
    assert len(communes["features"]) == 95
    assert sum(f["properties"]["nb_projets"] for f in communes["features"]) == 62


def test_controls_of_pages_in_the_address(app):
    app.query_params["axe_detail"] = "3"
    app.switch_page("pages/plan_budgets.py").run()
    assert not app.exception
    assert app.segmented_control(key="axe_detail").value == "3"
    app.segmented_control(key="axe_detail").set_value("5").run()
    assert app.query_params["axe_detail"] == "5"


def test_sources_document_and_search_in_the_address(app):
    app.query_params["sources_document"] = "002"
    app.query_params["sources_recherche"] = "budget"
    app.switch_page("pages/sources.py").run()
    assert not app.exception
    assert app.selectbox(key="sources_document").value == "002"
    assert app.text_input(key="sources_recherche").value == "budget"
    shown = app.dataframe[0].value
    assert len(shown) == 5 and set(shown["Document"].str[:3]) == {"002"}
    app.text_input(key="sources_recherche").set_value("").run()
    assert "sources_recherche" not in app.query_params
    assert app.query_params["sources_document"] == "002"
