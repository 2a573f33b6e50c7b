"""Projets lists its rows a page at a time, fetched by the query (LIMIT/OFFSET with bound
parameters), with the page in the URL; the downloads keep every row found."""

import pytest

from bench.scale import spread_store
from ess import queries, store
from ess.filters import Filtres

NB = "\u00a0"


def test_a_page_is_a_slice_of_the_full_list_in_the_same_order(con):
    every = queries.run(con, "projets_recherche", recherche="")
    page = queries.run(con, "projets_recherche_page", recherche="", limite=10, debut=20)
    assert page["id"].tolist() == every["id"].iloc[20:30].tolist()
    last = queries.run(con, "projets_recherche_page", recherche="", limite=10, debut=60)
    assert last["id"].tolist() == every["id"].iloc[60:].tolist()  # 2 rows left on page 7


def test_the_total_counts_every_row_found(con):
    total = queries.run(con, "projets_recherche_total", recherche="").iloc[0]
    assert (total["nb_projets"], total["subvention"], total["emplois_realises"]) == (
        62, 768_200, 483)
    found = queries.run(con, "projets_recherche_total", Filtres(annees=(2017,)),
                        recherche="roubaix").iloc[0]
    assert found["nb_projets"] == len(queries.run(con, "projets_recherche", Filtres(annees=(2017,)),
                                                  recherche="roubaix"))


def test_the_search_text_is_a_bound_parameter_not_sql(con):
    hostile = "x' OR 1=1; DROP TABLE projet; --"
    assert queries.run(con, "projets_recherche_total", recherche=hostile).iloc[0, 0] == 0
    assert queries.run(con, "projets_recherche_total", recherche="").iloc[0, 0] == 62


@pytest.fixture(scope="module")
def large_store(tmp_path_factory):
    """250 projects over the years of the call (2015-2018): three pages of 100."""
    return spread_store(tmp_path_factory.mktemp("grand"), range(2015, 2019), 250)


@pytest.fixture
def projets_page(app, large_store, monkeypatch):
    monkeypatch.setattr("ess.ui.data.STORE_FILE", large_store)

    def open_at(**params):
        for name, value in params.items():
            app.query_params[name] = value
        app.run()
        app.switch_page("pages/projets.py").run()
        assert not app.exception, app.exception
        return app

    return open_at


def test_the_list_shows_one_page_and_says_which(projets_page, large_store):
    at = projets_page()
    assert len(at.dataframe[0].value) == 100
    assert at.number_input(key="page").label == "Page (sur 3)"
    assert any("Projets 1 à 100 sur 250" in c.value for c in at.caption)
    assert f"**250{NB}projets**" in " ".join(m.value for m in at.markdown)
    con = store.open_store(large_store)
    every = queries.run(con, "projets_recherche", recherche="")
    con.close()
    at.number_input(key="page").set_value(3).run()
    assert at.query_params["page"] == "3"
    assert at.dataframe[0].value["Libellé"].tolist() == every["libelle"].iloc[200:].tolist()
    assert any("Projets 201 à 250 sur 250" in c.value for c in at.caption)
    # The project card offers the rows of the page shown.
    assert at.selectbox(key="projet").options[0] == every["libelle"].iloc[200] + " (" + str(
        every["annee"].iloc[200]) + ")"


def test_the_page_comes_from_the_address_and_a_new_search_starts_again(projets_page):
    at = projets_page(page="2")
    assert at.number_input(key="page").value == 2
    assert any("Projets 101 à 200 sur 250" in c.value for c in at.caption)
    at.text_input(key="recherche").input("roubaix").run()
    assert "page" not in at.query_params
    assert len(at.dataframe[0].value) == 16  # 4 of the 62 projects, in 250 copies


def test_a_page_beyond_the_last_gives_a_notice(projets_page):
    at = projets_page(page="9")
    assert any("page « 9 » inconnue" in w.value for w in at.warning)
    assert at.number_input(key="page").value == 1


def test_a_drilled_territory_lists_its_projects_a_page_at_a_time(app, large_store, monkeypatch):
    monkeypatch.setattr("ess.ui.data.STORE_FILE", large_store)
    con = store.open_store(large_store)
    lillois = queries.run(con, "projets_recherche", Filtres(territoires=("lillois",)),
                          recherche="")
    con.close()
    assert len(lillois) > 100
    app.query_params["territoire"] = "lillois"
    app.run()
    app.switch_page("pages/territoires.py").run()
    assert not app.exception, app.exception
    assert any(h.value == f"Projets du territoire ({len(lillois)})" for h in app.subheader)
    assert app.dataframe[-1].value["libelle"].tolist() == lillois["libelle"].iloc[:100].tolist()
    app.number_input(key="page_territoire").set_value(2).run()
    assert app.dataframe[-1].value["libelle"].tolist() == lillois["libelle"].iloc[100:200].tolist()
