"""The pages as Streamlit runs them (AppTest): the numbers a reader sees."""

NB = "\u00a0"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_overview_headline_figures(app):
    app.run()
    assert not app.exception
    assert metrics(app) == {
        "Projets financés": "62",
        "Subventions accordées": f"768{NB}200{NB}€",
        "Emplois réalisés": f"483{NB}ETP",
        "Part d'associations": f"45{NB}%",
    }
    notice = " ".join(m.value for m in app.markdown)
    assert "Données reconstituées à partir des chiffres publiés" in notice


def test_year_filter_changes_the_cards(app):
    app.run()
    app.multiselect(key="filtre_annees").set_value(["2017"]).run()
    assert metrics(app)["Projets financés"] == "17"
    assert app.query_params["annees"] == "2017"


def test_view_opens_from_its_address(app):
    app.query_params["territoires"] = "lillois"
    app.query_params["formes"] = "association"
    app.run()
    assert not app.exception
    projects = int(metrics(app)["Projets financés"])
    assert 0 < projects < 34
    assert metrics(app)["Part d'associations"] == f"100{NB}%"


def test_bad_address_gives_a_notice_and_the_default_view(app):
    app.query_params["annees"] = "1999,abc"
    app.run()
    assert not app.exception
    assert metrics(app)["Projets financés"] == "62"
    assert any("valeur inconnue « 1999 »" in w.value for w in app.warning)


def test_empty_selection_says_so(app):
    app.query_params["territoires"] = "weppes"
    app.run()
    assert not app.exception
    assert not app.metric
    assert any("Aucun projet ne correspond" in i.value for i in app.info)


def test_method_page(app):
    app.run()
    app.switch_page("pages/sources.py").run()
    assert not app.exception
    assert app.title[0].value == "Chiffres clés et sources"
    assert len(app.dataframe[0].value) >= 40
