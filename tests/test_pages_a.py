"""Vue d'ensemble, Projets, Emplois, Activités et formes juridiques: what a reader sees under a
few filter combinations (AppTest), the chart builders, the downloads and the URL state."""

import base64
import io

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_page
from ess import charts, fmt, queries, ratios, tables
from ess.exports import tables as export_tables
from ess.filters import Filtres
from ess.paths import ROOT

NB = "\u00a0"
PAGES = ["pages/vue_ensemble.py", "pages/projets.py", "pages/emplois.py", "pages/activites.py"]


def metrics(at):
    return {m.label: m.value for m in at.metric}


def figures(at):
    return [pio.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(array):
    """A Plotly trace's array, decoded when Plotly packed it as a typed array."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


# --------------------------------------------------------------------------- Vue d'ensemble


def test_overview_cards_have_context_and_three_charts(app):
    open_page(app, PAGES[0])
    captions = " ".join(c.value for c in app.caption)
    assert (f"Soit 12{NB}390{NB}€ par projet en moyenne, 20{NB}000{NB}€ au plus (estimation)."
            in captions)  # the largest grant is reconstructed
    assert f"Pour 455{NB}ETP prévus à la sélection : 106{NB}% de l'objectif." in captions
    assert f"28{NB}associations et 34{NB}entreprises coopératives ou sociales." in captions
    projets, subventions, emplois = figures(app)
    assert values(projets.data[0].y) == [15, 15, 17, 15]
    assert sum(values(subventions.data[0].y)) == 768_200
    assert sum(values(emplois.data[1].y)) == 483


def test_overview_for_2017_only(app):
    open_page(app, PAGES[0], annees="2017")
    assert metrics(app)["Projets financés"] == "17"
    assert metrics(app)["Subventions accordées"] == f"182{NB}700{NB}€"
    assert figures(app)[0].layout.title.text == f"17{NB}projets financés en 2017"
    assert any("Soutenus en 2017" in c.value for c in app.caption)


# --------------------------------------------------------------------------- Projets


def test_projects_table_lists_the_filtered_rows(app):
    open_page(app, PAGES[1], annees="2017")
    table = app.dataframe[0].value
    assert len(table) == 17
    assert table["Subvention (€)"].sum() == 182_700
    assert list(table.columns[:5]) == [
        "Libellé", "Année", "Subvention (€)", "Emplois prévus (ETP)",
        "Emplois réalisés (ETP)"]
    assert [b.label for b in app.main.get("download_button")] == [
        "CSV", "CSV virgule décimale", "Excel (XLSX)", "JSON"]


def test_project_search_is_in_the_url_and_ignores_case_and_accents(app):
    open_page(app, PAGES[1])
    app.text_input(key="recherche").input("ROUBAIX").run()
    assert len(app.dataframe[0].value) == 4
    assert app.query_params["recherche"] == "ROUBAIX"
    app.text_input(key="recherche").input("éco-construction").run()
    assert app.dataframe[0].value["Libellé"].tolist() == [
        "Projet reconstitué n° 2015-12", "Projet reconstitué n° 2017-05"]
    app.text_input(key="recherche").input("introuvable").run()
    assert any("Aucun projet ne contient « introuvable »" in i.value for i in app.info)


def test_project_card_opens_from_its_address(app):
    open_page(app, PAGES[1], recherche="roubaix", projet="AAP-2018-02")
    card = " ".join(m.value for m in app.markdown)
    # A real name never sits next to reconstructed fields: the laureates are listed apart.
    assert "### Projet reconstitué n° 2018-02" in card and "Arcadis" not in card
    assert "**Commune** : Roubaix" in card
    assert "**Subvention de la MEL** : " in card
    assert "**Provenance** : reconstitué : une estimation" in card
    assert "Arcadis – Fibr'&Co" in app.table[0].value["Projet"].tolist()


def test_project_card_follows_the_selection(app):
    open_page(app, PAGES[1], annees="2017")
    app.selectbox(key="projet").set_value("AAP-2017-03").run()
    assert app.query_params["projet"] == "AAP-2017-03"
    card = " ".join(m.value for m in app.markdown)
    assert "### Projet reconstitué n° 2017-03" in card
    assert "**Source** : estimation, voir la méthode" in card


def test_unknown_project_in_the_address_gives_a_notice(app):
    open_page(app, PAGES[1], projet="AAP-1999-01")
    assert any("Projet : valeur inconnue « AAP-1999-01 »" in w.value for w in app.warning)
    assert "### Projet reconstitué n° 2015-01" in " ".join(m.value for m in app.markdown)


# --------------------------------------------------------------------------- downloads


@pytest.fixture
def rows_2017(con):
    return queries.run(con, "projets_recherche", Filtres(annees=(2017,)), recherche="")


def test_csv_download_holds_exactly_the_filtered_rows(rows_2017):
    data = export_tables.to_csv(tables.en_francais(rows_2017), decimal_comma=True)
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"Identifiant": str})
    assert len(back) == 17
    assert list(back.columns) == list(tables.en_francais(rows_2017).columns)
    assert back["Identifiant"].tolist() == rows_2017["id"].tolist()
    assert back["Subvention (€)"].sum() == 182_700
    assert back["Emplois réalisés (ETP)"].sum() == 126


def test_xlsx_download_holds_exactly_the_filtered_rows(rows_2017):
    back = pd.read_excel(io.BytesIO(export_tables.to_xlsx(tables.en_francais(rows_2017))))
    assert len(back) == 17
    assert back["Identifiant"].tolist() == rows_2017["id"].tolist()
    assert back["Subvention (€)"].tolist() == rows_2017["subvention_eur"].tolist()


# --------------------------------------------------------------------------- Emplois


def test_jobs_page_ratio_and_jobs_per_grant(app):
    open_page(app, PAGES[2])
    assert metrics(app) == {
        "Emplois prévus": f"455{NB}ETP", "Emplois réalisés": f"483{NB}ETP",
        "Taux de réalisation": f"106{NB}%", "Emplois pour 10 000 €": f"6,3{NB}ETP",
    }
    assert len(figures(app)) == 3


def test_jobs_by_territory_from_the_address(app):
    open_page(app, PAGES[2], repartition="territoire", annees="2017")
    assert metrics(app)["Taux de réalisation"] == f"112{NB}%"
    assert app.segmented_control(key="repartition").value == "territoire"
    jobs, ratio, per_grant = figures(app)
    assert "par territoire" in jobs.layout.title.subtitle.text.replace("<br>", " ")
    assert sum(values(jobs.data[1].x)) == 126  # realised, every territory with a project
    # Per territory and year, the jobs are reconstructed: no finding in the title.
    assert ratio.layout.title.text.startswith("Emplois réalisés rapportés aux emplois")


def test_jobs_breakdown_control_changes_the_url(app):
    open_page(app, PAGES[2])
    app.segmented_control(key="repartition").set_value("forme").run()
    assert app.query_params["repartition"] == "forme"
    jobs = figures(app)[0]
    assert values(jobs.data[0].customdata) == [
        "Association", "Entreprise coopérative ou sociale"]
    app.segmented_control(key="repartition").set_value("annee").run()
    assert "repartition" not in app.query_params  # the default view keeps a short address


def test_bad_breakdown_in_the_address_gives_a_notice(app):
    open_page(app, PAGES[2], repartition="commune")
    assert any("Répartition par : valeur inconnue « commune »" in w.value for w in app.warning)
    assert app.segmented_control(key="repartition").value == "annee"


# --------------------------------------------------------------------------- Activités


def test_activities_against_the_published_figures(app):
    open_page(app, PAGES[3])
    assert metrics(app)["Associations"] == f"45{NB}%"
    assert metrics(app)["Entreprises coopératives ou sociales"] == f"55{NB}%"
    activities, forms = figures(app)
    counts = dict(zip(values(activities.data[0].customdata), values(activities.data[0].x)))
    assert counts["Art et culture"] == 11
    published = dict(zip(values(activities.data[1].customdata), values(activities.data[1].x)))
    assert published["Art et culture"] == 11
    assert values(forms.data[1].x) == [45, 55]
    caption = " ".join(c.value for c in app.caption)
    assert "(9 et 4)" in caption and "totalisent 63 pour 62 projets" in caption


def test_activities_with_filters_hide_the_published_marks(app):
    open_page(app, PAGES[3], formes="association")
    assert metrics(app)["Associations"] == f"100{NB}%"
    activities, forms = figures(app)
    assert [t.name for t in activities.data] == ["Données", "estimation (reconstitution)"]
    assert len(forms.data) == 1  # 100 % of associations: derived, not hatched
    assert sum(values(activities.data[0].x)) == 28


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_empty_selection_says_so_without_charts(app, page):
    open_page(app, page, territoires="weppes")
    assert any("Aucun projet ne correspond à ces filtres" in i.value for i in app.info)
    assert not app.get("plotly_chart") and not app.metric and not app.dataframe
    app.button(key="reinitialiser_vide").click().run()
    assert not app.info and "territoires" not in app.query_params


@pytest.mark.parametrize("page", PAGES)
def test_bad_address_on_every_page(app, page):
    # The address opens this page directly: its first run shows the notice (once: the address
    # is corrected then, a later run no longer repeats it).
    app.query_params["annees"], app.query_params["axes"] = "2017,20x7", "9"
    app.switch_page(page).run()
    assert not app.exception, app.exception
    warnings = " ".join(w.value for w in app.warning)
    assert "valeur inconnue « 20x7 »" in warnings and "valeur inconnue « 9 »" in warnings
    assert app.query_params["annees"] == "2017" and "axes" not in app.query_params


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_its_notice_and_filters_line(app, page):
    open_page(app, page, annees="2016")
    text = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert "Données reconstituées à partir des chiffres publiés" in text
    assert "**Filtres actifs** — Années : 2016" in text


def test_url_round_trip(app):
    open_page(app, PAGES[2])
    app.multiselect(key="filtre_territoires").set_value(["lillois"]).run()
    app.multiselect(key="filtre_formes").set_value(["association"]).run()
    app.segmented_control(key="repartition").set_value("activite").run()
    address = dict(app.query_params)
    shown = metrics(app)
    assert address == {"territoires": "lillois", "formes": "association",
                       "repartition": "activite"}

    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # a second reader
    open_page(again, PAGES[2], **address)
    assert metrics(again) == shown
    assert again.segmented_control(key="repartition").value == "activite"


# --------------------------------------------------------------------------- chart builders


def test_chart_titles_state_the_finding(con):
    par_annee = queries.run(con, "projets_par_annee")
    assert charts.projets_par_annee(par_annee).layout.title.text == (
        f"62{NB}projets financés, dont 17 en 2017")
    # No amount per year is published: the title keeps to the published total.
    assert charts.subventions_par_annee(par_annee).layout.title.text == (
        f"768{NB}200{NB}€ accordés par la MEL")
    assert charts.jobs_forecast_vs_realised(par_annee).layout.title.text == (
        f"483{NB}ETP réalisés pour 455{NB}ETP prévus<br>(+6{NB}%)")
    forms = charts.formes_juridiques(queries.run(con, "projets_par_forme"))
    assert forms.layout.title.text.replace("<br>", " ") == (
        f"45{NB}% d'associations, 55{NB}% d'entreprises coopératives ou sociales")
    activities = charts.activites(queries.run(con, "projets_par_activite"))
    assert activities.layout.title.text.replace("<br>", " ") == (
        f"Art et culture en tête des activités{NB}: 11{NB}projets sur 62, hors 12 d'activité "
        "non détaillée (en gris)")


def test_chart_values_are_the_input(con):
    par_annee = queries.run(con, "projets_par_annee")
    fig = charts.jobs_forecast_vs_realised(par_annee)
    assert [t.name for t in fig.data] == ["Prévus", "Réalisés", "estimation (reconstitution)"]
    assert list(fig.data[0].y) == par_annee["emplois_prevus"].tolist()
    assert list(fig.data[1].y) == par_annee["emplois_realises"].tolist()
    assert list(charts.subventions_par_annee(par_annee).data[0].y) == (
        par_annee["subvention"].tolist())


def test_charts_read_in_french(con):
    fig = charts.subventions_par_annee(queries.run(con, "projets_par_annee"))
    assert fig.layout.template.layout.separators == ", "  # `768 200 €`, `3,5`
    assert fig.data[0].hovertemplate == "%{x} : %{y:,.0f} €<extra></extra>"
    assert fig.data[0].text[0] == f"195{NB}700{NB}€"
    source = fig.layout.annotations[0]
    assert source.text.startswith(f"Sources{NB}: Diaporama") and source.yanchor == "top"
    assert f"Site de la MEL{NB}: 768{NB}200{NB}€" in source.text  # not document 003


def test_long_titles_wrap_for_a_phone(con):
    # Without provenance columns a frame counts as published: the longest finding.
    frame = ratios.with_job_ratios(queries.execute(con, "projets_par_activite"))
    fig = charts.emplois_pour_10k(frame, "libelle", "par type d'activité", 6.3)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(len(line) <= charts.TITLE_WIDTH for line in lines)
    assert all(len(line) <= charts.SOURCE_WIDTH
               for line in fig.layout.annotations[-1].text.split("<br>"))


def test_tied_activities_share_the_title(con):
    frame = queries.execute(con, "projets_par_activite", Filtres(annees=(2016,)))
    fig = charts.activites(frame, published=False)  # as if the MEL's file were imported
    assert fig.layout.title.text.replace("<br>", " ") == (
        f"Restauration et distribution alimentaire et Art et culture en tête des activités{NB}: "
        f"3{NB}projets sur 15 chacune")
    assert fig.layout.xaxis.dtick == 1


def test_realisation_ratio_chart(con):
    data = ratios.with_job_ratios(queries.run(con, "projets_par_territoire"))
    data = data[data["nb_projets"] > 0]
    fig = charts.taux_realisation(data, "nom", ("territoire", "territoires"), "par territoire")
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Emplois réalisés rapportés aux emplois prévus, par territoire")  # reconstructed
    published = ratios.with_job_ratios(queries.execute(con, "projets_par_territoire"))
    published = published[published["nb_projets"] > 0]
    assert charts.taux_realisation(published, "nom", ("territoire", "territoires"),
                                   "par territoire").layout.title.text.replace("<br>", " ") == (
        "Emplois prévus atteints ou dépassés dans 5 territoires sur 7")
    shown = dict(zip(values(fig.data[0].customdata), values(fig.data[0].x)))
    assert round(shown["Couronne Sud"], 1) == 92.9
    assert fig.layout.shapes[0].x0 == 100  # the « prévu » line


def test_empty_frames_give_a_title_not_an_error():
    empty = pd.DataFrame({"annee": [2015, 2016], "nb_projets": [0, 0], "subvention": [0, 0],
                          "emplois_prevus": [0, 0], "emplois_realises": [0, 0]})
    assert charts.projets_par_annee(empty).layout.title.text.startswith("Aucun projet")
    assert charts.jobs_forecast_vs_realised(empty).layout.title.text.startswith("Aucun emploi")


# --------------------------------------------------------------------------- queries, ratios


def test_job_ratios_are_ratios_of_sums(con):
    kpi = ratios.with_job_ratios(queries.run(con, "projets_kpi"), "subvention_totale").iloc[0]
    assert kpi["taux_realisation_pct"] == pytest.approx(100 * 483 / 455)
    assert kpi["etp_pour_10k"] == pytest.approx(483 * 10_000 / 768_200)
    weppes = ratios.with_job_ratios(queries.run(con, "projets_par_territoire"))
    assert weppes.set_index("territoire")[["taux_realisation_pct", "etp_pour_10k"]].loc[
        "weppes"].isna().all()


def test_published_shares_of_legal_forms(con):
    forms = queries.run(con, "projets_par_forme").set_index("forme_juridique")
    assert forms["part_publiee_pct"].to_dict() == {
        "association": 45, "entreprise-cooperative-sociale": 55}


def test_unlabelled_activity_counts(con):
    lost = queries.run(con, "activites_sans_libelle")
    assert lost["nb_publie"].tolist() == [9, 4]
    assert lost["total_publie"].iloc[0] == 63


def test_search_query(con):
    found = queries.run(con, "projets_recherche", recherche="  Roubaix ")
    assert found["id"].tolist() == ["AAP-2015-15", "AAP-2017-08", "AAP-2018-02", "AAP-2018-05"]
    assert len(queries.run(con, "projets_recherche", recherche="%")) == 0  # no LIKE wildcard
    assert len(queries.run(con, "projets_recherche", Filtres(annees=(2017,)), recherche="")) == 17


def test_counts_and_quotes_read_in_french():
    assert fmt.compte(1, "projet") == f"1{NB}projet"
    assert fmt.compte(62, "projet") == f"62{NB}projets"
    assert fmt.compte(2, "projet financé", "projets financés") == f"2{NB}projets financés"
    assert fmt.guillemets("Filtres") == f"«{NB}Filtres{NB}»"
