"""Exports: the PowerPoint deck read back with python-pptx, CSV/XLSX tables, the SCDL open data,
the command line and the sidebar's export panel."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ess import charts, queries, store
from ess.cli import main
from ess.exports import deck, file_stem, scdl, tables
from ess.filters import Filtres
from ess.ui import sidebar_exports
from ess.ui.sidebar_exports import ASSISES_POPOVER, DECK_POPOVER, SCDL_VERDICT

NB = "\u00a0"
DAY = date(2026, 11, 29)
# Slide id → (query, category code column, value columns, chart type)
CHARTS = {
    "annees": ("projets_par_annee", "annee", ["nb_projets"], XL_CHART_TYPE.COLUMN_CLUSTERED),
    "subventions": ("projets_par_annee", "annee", ["subvention"], XL_CHART_TYPE.COLUMN_CLUSTERED),
    "emplois": ("projets_par_annee", "annee", ["emplois_prevus", "emplois_realises"],
                XL_CHART_TYPE.COLUMN_CLUSTERED),
    "territoires": ("projets_par_territoire", "territoire", ["nb_projets"],
                    XL_CHART_TYPE.BAR_CLUSTERED),
    "formes": ("projets_par_forme", "forme_juridique", ["nb_projets"], XL_CHART_TYPE.BAR_CLUSTERED),
    "activites": ("projets_par_activite", "activite", ["nb_projets"], XL_CHART_TYPE.BAR_CLUSTERED),
    "axes": ("projets_par_axe", "axe_plan", ["nb_projets"], XL_CHART_TYPE.BAR_CLUSTERED),
}
SCDL_COLUMNS = [  # schema « subventions » 2.1.1, in its order
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
    "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide",
]
SCDL_REQUIRED = [
    "nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant",
    "nature", "conditionsVersement", "datesPeriodeVersement", "notificationUE",
    "pourcentageSubvention",
]
INJECTIONS = ['=HYPERLINK("http://exemple.invalid","clic")', "+1", "-2+3", "@SUM(A1:A2)",
              "\t=1+1"]


def read(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def chart_of(slide):
    frames = [s for s in slide.shapes if s.has_chart]
    assert len(frames) == 1
    return frames[0].chart


@pytest.fixture(scope="module")
def full_deck(con) -> Presentation:
    return read(deck.build(con, day=DAY))


@pytest.fixture(scope="module")
def deck_2016_2017(con) -> Presentation:
    return read(deck.build(con, Filtres(annees=(2016, 2017)), day=DAY))


# --------------------------------------------------------------------------- deck


def test_full_deck_has_every_slide_in_16_9(full_deck):
    assert len(full_deck.slides) == len(deck.SLIDES) == 18
    assert (full_deck.slide_width, full_deck.slide_height) == (12192000, 6858000)
    titles = [s.shapes.title.text for s in full_deck.slides]
    assert titles[1] == "Chiffres clés de l'appel à projets, 2015-2018"
    assert titles[2] == "62\u00a0projets financés, dont 17 en 2017"
    # No per-year amount is published: the title keeps to the published total.
    assert titles[3] == f"768{NB}200{NB}€ accordés par la MEL"
    assert titles[4] == f"483{NB}ETP réalisés pour 455{NB}ETP prévus (+6{NB}%)"
    assert titles[5] == f"Lillois en tête : 34 projets sur 62 (55{NB}%)"
    assert titles[7] == (f"Art et culture en tête des activités : 11{NB}projets sur 62, hors 12 "
                         "d'activité non détaillée (en gris)")
    # No source gives a project's axis: a neutral title.
    assert titles[8] == "Projets financés par axe du plan en vigueur l'année du soutien"
    assert titles[9].endswith("sans projet : Weppes")
    assert titles[17] == "Sources et méthode"


def test_chart_titles_are_the_apps_findings(con, full_deck):
    par_annee = queries.run(con, "projets_par_annee")
    titles = [s.shapes.title.text for s in full_deck.slides]
    # The app wraps long titles on several lines; the words are the slide's.
    for builder, title in ((charts.projets_par_annee, titles[2]),
                           (charts.subventions_par_annee, titles[3]),
                           (charts.jobs_forecast_vs_realised, titles[4])):
        assert builder(par_annee).layout.title.text.replace("<br>", " ") == title


def test_chosen_slides_only_and_in_deck_order(con):
    prs = read(deck.build(con, slides=["sources", "annees", "titre"], day=DAY))
    assert len(prs.slides) == 3
    assert prs.slides[1].shapes.title.text == "62\u00a0projets financés, dont 17 en 2017"
    assert prs.slides[2].shapes.title.text == "Sources et méthode"


def test_unknown_slide_is_refused_in_french(con):
    with pytest.raises(ValueError, match="Diapositive inconnue : graphique"):
        deck.build(con, slides=["titre", "graphique"])


def test_chart_types(full_deck):
    for index, slide_id in enumerate(deck.SLIDE_IDS):
        if slide_id in CHARTS:
            assert chart_of(full_deck.slides[index]).chart_type == CHARTS[slide_id][3], slide_id


@pytest.mark.parametrize(("filtres", "projects"), [
    (Filtres(), 62),
    (Filtres(annees=(2016, 2017)), 32),
    (Filtres(axes=("pmdess-2015-2020/1", "pmdess-2015-2020/3"),
             territoires=("lillois", "est")), None),
])
def test_series_equal_the_store_under_the_filters(con, filtres, projects):
    prs = read(deck.build(con, filtres, slides=list(CHARTS), day=DAY))
    for slide, (slide_id, (name, category, columns, kind)) in zip(prs.slides, CHARTS.items()):
        expected = queries.run(con, name, filtres)
        chosen = getattr(filtres, deck.FILTERED_BY[category])
        if chosen:  # categories outside the filter are absent, not zero
            expected = expected[expected[category].astype(str).isin(map(str, chosen))]
        if slide_id == "axes":  # the axes of the plans with a project in the view
            expected = expected[expected.groupby("plan")["nb_projets"].transform("sum") > 0]
        chart = chart_of(slide)
        assert len(chart.plots[0].series) == len(columns), slide_id
        shown = list(chart.plots[0].categories)
        assert len(shown) == len(expected), slide_id
        for series, column in zip(chart.plots[0].series, columns):
            assert sorted(series.values) == pytest.approx(sorted(expected[column])), slide_id
            if kind == XL_CHART_TYPE.BAR_CLUSTERED:  # largest on top: the last point drawn
                values = [v for v, c in zip(series.values, shown) if not c.startswith("Autre")]
                assert values == sorted(values), slide_id
    counts = chart_of(prs.slides[0]).plots[0].series[0].values
    if projects is not None:
        assert sum(counts) == projects
    assert sum(counts) == queries.run(con, "projets_kpi", filtres).loc[0, "nb_projets"]


def test_2016_2017_deck(deck_2016_2017):
    chart = chart_of(deck_2016_2017.slides[2])
    assert list(chart.plots[0].categories) == ["2016", "2017"]  # not 2015 and 2018 at zero
    assert chart.plots[0].series[0].values == (15.0, 17.0)
    assert deck_2016_2017.slides[2].shapes.title.text == "32\u00a0projets financés, dont 17 en 2017"


def colors_by_category(chart) -> dict[str, str]:
    """Category → fill colour of each bar of a one-series native chart, read from its XML."""
    series = chart.plots[0].series[0]
    return {c: str(p.format.fill.fore_color.rgb)
            for c, p in zip(chart.plots[0].categories, series.points)}


def test_french_number_formats_and_palette(full_deck):
    subventions = chart_of(full_deck.slides[3])
    assert subventions.plots[0].data_labels.number_format == f'#,##0"{NB}€"'
    assert not subventions.plots[0].data_labels.number_format_is_linked
    territories = colors_by_category(chart_of(full_deck.slides[5]))
    assert territories["Lillois"] == "0072B2"
    assert territories["Weppes"] == "D9DDE2"  # empty
    assert list(territories)[-1] == "Lillois"  # the largest, drawn last: on top


def test_title_slide_says_period_filters_and_date(con, deck_2016_2017):
    text = texts(deck_2016_2017.slides[0])
    assert "les résultats 2016-2017" in text
    assert "Période : 2016-2017" in text
    assert "Filtres : Années : 2016, 2017" in text
    assert "Document produit le 29 novembre 2026" in text
    prs = read(deck.build(con, Filtres(annees=(2015, 2017), territoires=("lillois",)),
                          slides=["titre"], day=date(2026, 3, 1)))
    text = texts(prs.slides[0])
    assert "Filtres : Années : 2015, 2017 · Territoires : Lillois" in text
    assert "Période : 2015, 2017" in text
    assert "le 1er mars 2026" in text


def test_key_figures_slide(full_deck):
    text = texts(full_deck.slides[1])
    for figure in ("62", f"768{NB}200{NB}€", f"483{NB}ETP", f"455{NB}ETP prévus", f"45{NB}%",
                   f"28{NB}associations et 34{NB}entreprises coopératives ou sociales"):
        assert figure in text


def test_every_slide_has_the_source_and_the_notice(full_deck):
    # The Assises' slides of published figures only have nothing reconstructed to warn about.
    published_only = {"plans", "budgets_2013", "apes", "metropole", "fabrique", "structures"}
    for slide_id, slide in zip(deck.SLIDE_IDS, full_deck.slides):
        text = texts(slide)
        assert re.search(r"Sources? : (MEL|00\d|Diaporama)", text), slide_id
        assert (charts.NOTICE in text) == (slide_id not in published_only), slide_id


def test_filters_in_every_footer(deck_2016_2017):
    for slide in deck_2016_2017.slides:
        assert "Vue : Années : 2016, 2017" in texts(slide)


def test_no_notice_once_the_real_file_is_in(sources, tmp_path):
    projets = pd.read_csv(sources / "projet.csv", dtype=str, keep_default_na=False)
    projets["provenance"] = "publié"
    projets.to_csv(sources / "projet.csv", index=False)
    real = store.build(sources, tmp_path / "ess.duckdb")
    connection = store.open_store(real)
    try:
        prs = read(deck.build(connection, slides=["titre", "annees"], day=DAY))
    finally:
        connection.close()
    assert all(charts.NOTICE not in texts(slide) for slide in prs.slides)
    assert "Site de la MEL" in texts(prs.slides[1])


def test_map_slide_is_a_high_resolution_picture(full_deck):
    pictures = [s for s in full_deck.slides[9].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    width, height = pictures[0].image.size
    # Drawn at the size the slide shows it (so its 14 pt labels stay 14 pt), at 150 dpi.
    assert width / (pictures[0].width / 914400) >= 149
    assert height / (pictures[0].height / 914400) >= 149
    description = pictures[0]._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr")
    assert f"Lillois : 34{NB}projets" in description and f"Weppes : 0{NB}projet" in description


def test_notes_carry_the_figures(full_deck):
    notes = full_deck.slides[5].notes_slide.notes_text_frame.text
    assert f"Lillois : 34{NB}projets" in notes and f"Couronne Sud : 1{NB}projet" in notes
    years = full_deck.slides[2].notes_slide.notes_text_frame.text
    assert f"2015 : 15{NB}projets" in years and "2015.0" not in years  # French, not floats


def test_a_view_without_projects_gives_one_slide_that_says_so(con):
    prs = read(deck.build(con, Filtres(territoires=("weppes",)), day=DAY))
    ids = ["titre", "vide", *deck.ASSISES_IDS, "sources"]
    assert len(prs.slides) == len(ids) == 10
    assert prs.slides[1].shapes.title.text == "Aucun projet ne correspond à ces filtres"
    assert "Filtres : Territoires : Weppes" in texts(prs.slides[1])
    for slide in prs.slides:
        for shape in slide.shapes:  # no chart of the call, so no empty one
            if shape.has_chart:
                assert sum(shape.chart.plots[0].series[-1].values) > 0


def test_progress_is_reported_for_every_slide(con):
    steps = []
    deck.build(con, slides=["titre", "chiffres"], progress=lambda *step: steps.append(step))
    assert steps == [(0, 2, "Page de titre"), (1, 2, "Chiffres clés"),
                     (2, 2, "Présentation prête")]


def test_french_dates_and_periods():
    assert deck.date_longue(date(2026, 11, 29)) == "29 novembre 2026"
    known = {"annees": {"2015": "2015", "2016": "2016", "2017": "2017", "2018": "2018"}}
    assert deck.periode(Filtres(), known) == "2015-2018"
    assert deck.periode(Filtres(annees=(2017,)), known) == "2017"
    assert deck.periode(Filtres(annees=(2015, 2017)), known) == "2015, 2017"
    assert file_stem("Projets par année", DAY) == "projets-par-annee_2026-11-29"


# --------------------------------------------------------------------------- tables


@pytest.fixture(scope="module")
def projets(con) -> pd.DataFrame:
    return queries.run(con, "projets_liste")


def test_csv_round_trip_with_accents_and_amounts(projets):
    data = tables.to_csv(projets)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id;libelle;annee;commune;")
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig")
    assert len(back) == 62
    assert back["subvention_eur"].sum() == 768_200
    assert back["emplois_realises_etp"].sum() == 483
    # No real name beside a reconstructed amount.
    assert "Projet reconstitué n° 2018-02" in set(back["libelle"])
    named = {"Méli-Mélo (Coopérative Petite Enfance)", "Arcadis – Fibr'&Co"}
    assert not named & set(back["libelle"])
    assert "16300;" in data.decode("utf-8-sig")  # whole amounts without « .0 »


def test_csv_with_decimal_comma(projets):
    data = tables.to_csv(projets, decimal_comma=True)
    text = data.decode("utf-8-sig")
    assert ";13,5;14,5;" in text
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["emplois_prevus_etp"].sum() == 455
    assert back["subvention_eur"].sum() == 768_200


def test_xlsx_round_trip_keeps_numbers(projets):
    sheet = openpyxl.load_workbook(io.BytesIO(tables.to_xlsx(projets))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("id", "libelle", "annee") and len(body) == 62
    amounts = [row[header.index("subvention_eur")] for row in body]
    assert all(isinstance(v, int | float) for v in amounts) and sum(amounts) == 768_200
    assert "Projet reconstitué n° 2018-02" in [row[1] for row in body]
    assert sheet.freeze_panes == "A2"


@pytest.fixture
def hostile() -> pd.DataFrame:
    return pd.DataFrame({
        "libelle": [*INJECTIONS, "Projet ordinaire"],
        "solde": [-2, 5, -1.5, 0, 3, 7],
    })


def test_csv_neutralises_formulas(hostile):
    rows = list(csv.reader(io.StringIO(tables.to_csv(hostile).decode("utf-8-sig")), delimiter=";"))
    labels = [row[0] for row in rows[1:]]
    assert labels[:5] == ["'" + value for value in INJECTIONS]
    assert labels[5] == "Projet ordinaire"
    assert [row[1] for row in rows[1:]] == ["-2.0", "5.0", "-1.5", "0.0", "3.0", "7.0"]


def test_xlsx_stores_formulas_as_text(hostile):
    data = tables.to_xlsx(hostile)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for row, value in enumerate(INJECTIONS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    negative = sheet.cell(row=2, column=2)
    assert (negative.value, negative.data_type) == (-2, "n")


def test_negative_numbers_stay_numbers_in_csv():
    data = tables.to_csv(pd.DataFrame({"ecart": [-3, 4]}))
    assert data.decode("utf-8-sig").splitlines() == ["ecart", "-3", "4"]


# --------------------------------------------------------------------------- SCDL


@pytest.fixture(scope="module")
def subventions(con) -> pd.DataFrame:
    return scdl.subventions(con)


def test_scdl_columns_in_the_schemas_order(subventions):
    assert list(subventions.columns) == SCDL_COLUMNS
    assert list(scdl.REQUIRED) == SCDL_REQUIRED


def test_scdl_rows_and_amounts(subventions):
    assert len(subventions) == 62
    assert subventions["montant"].sum() == 768_200
    assert subventions["montant"].max() <= 20_000
    assert set(subventions["nomAttribuant"]) == {"Métropole Européenne de Lille"}
    assert set(subventions["nature"]) == {"aide en numéraire"}
    assert set(subventions["pourcentageSubvention"]) == {1}


def test_scdl_attributor_is_a_valid_siret(subventions):
    (siret,) = set(subventions["idAttribuant"])
    assert re.fullmatch(r"\d{14}", siret) and siret.startswith("200093201")
    digits = [int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(siret))]
    assert sum(d - 9 if d > 9 else d for d in digits) % 10 == 0  # Luhn key


def test_scdl_never_invents(subventions):
    # Every shipped amount is reconstructed: no real organisation is paired with one.
    assert set(subventions["nomBeneficiaire"]) == {""}
    assert subventions["objet"].str.endswith("(montant reconstitué, non publié)").all()
    for column in ("dateConvention", "idBeneficiaire", "conditionsVersement",
                   "datesPeriodeVersement", "notificationUE"):
        assert set(subventions[column]) == {""}, column
    assert subventions["objet"].str.len().max() < 256
    assert subventions["objet"].str.contains("montant reconstitué").all()
    assert (subventions["objet"].str.contains("Entreprendre autrement » 2017").sum()) == 17


def test_scdl_csv_and_archive(con, subventions):
    data = scdl.to_csv(subventions)
    assert not data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), dtype={"idAttribuant": str})
    assert list(back.columns) == SCDL_COLUMNS and back["montant"].sum() == 768_200
    with zipfile.ZipFile(io.BytesIO(scdl.archive(con))) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["README.md", scdl.CSV_NAME, scdl.SCHEMA_FILE.name, scdl.VERDICT_NAME])
        verdict = archive.read(scdl.VERDICT_NAME).decode()
        readme = archive.read("README.md").decode()
    assert "Licence Ouverte" in readme and "2.1.1" in readme
    assert "ne peut pas encore être publié" in verdict
    assert "62 montants sur 62 sont reconstitués" in verdict


# --------------------------------------------------------------------------- command line


def test_cli_refuses_unknown_filter_values_in_french(tmp_path, capsys):
    target = tmp_path / "assises.pptx"
    code = main(["export", "pptx", "--annees", "2016,1999", "--territoires", "atlantide",
                 "-o", str(target)])
    assert code == 2
    err = capsys.readouterr().err
    assert "--annees : valeur inconnue « 1999 »" in err
    assert "Valeurs possibles : 2015, 2016, 2017, 2018" in err
    assert "--territoires : valeur inconnue « atlantide »" in err
    assert not target.exists()


def test_cli_refuses_unknown_slides(tmp_path, capsys):
    assert main(["export", "pptx", "--diapositives", "titre,bilan", "-o",
                 str(tmp_path / "a.pptx")]) == 2
    assert "diapositive inconnue « bilan »" in capsys.readouterr().err


def test_cli_exports_the_filtered_deck(tmp_path):
    target = tmp_path / "assises.pptx"
    assert main(["export", "pptx", "--annees", "2016,2017", "--diapositives", "titre,annees",
                 "-o", str(target)]) == 0
    prs = Presentation(str(target))
    assert len(prs.slides) == 2
    assert sum(chart_of(prs.slides[1]).plots[0].series[0].values) == 32


def test_cli_exports_scdl(tmp_path):
    assert main(["export", "scdl", "-o", str(tmp_path / "subventions.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "subventions.csv")) == 62
    assert main(["export", "scdl", "-o", str(tmp_path / "donnees.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "donnees.zip")
    assert main(["export", "scdl", "-o", str(tmp_path / "absent" / "s.csv")]) == 2


# --------------------------------------------------------------------------- in the app


def test_scdl_verdict_read_only_while_its_panel_is_open(app, monkeypatch):
    built = []
    verdict = sidebar_exports._verdict
    monkeypatch.setattr(sidebar_exports, "_verdict", lambda v: built.append(v) or verdict(v))
    app.run()
    panel = next(e for e in app.expander if "SCDL" in e.label)
    # Reconstructed amounts already say it: the file is not built for the label.
    assert panel.label == "Pourquoi le fichier SCDL ne peut pas encore être publié"
    assert not panel.markdown and built == []
    app.session_state[SCDL_VERDICT] = True
    app.run()
    panel = next(e for e in app.expander if "SCDL" in e.label)
    text = panel.markdown[0].value
    assert "62 montants sur 62 sont reconstitués" in text
    # The reasons stay a list: one item per reason.
    assert text.count("\n\n- ") >= 2 and text.startswith("Le fichier SCDL")
    assert len(built) == 1


def test_export_panel_builds_the_chosen_slides(app):
    app.run()
    assert not app.checkbox  # the form is sent only while its popover is open
    app.session_state[DECK_POPOVER] = True
    app.run()
    assert sorted(c.label for c in app.checkbox) == sorted(s.titre for s in deck.SLIDES)
    assert [c.label for c in app.checkbox][-len(deck.ASSISES_IDS):] == [
        s.titre for s in deck.SLIDES if s.id in deck.ASSISES_IDS]
    app.text_input(key="diapo_evenement").input("3es Assises")
    app.date_input(key="diapo_date_evenement").set_value(date(2026, 12, 10))
    app.checkbox(key="diapo_carte").uncheck()
    app.button(key="FormSubmitter:export_pptx-Construire la présentation").click().run()
    assert not app.exception
    (filtres, chosen, titre, day, _), data = app.session_state["presentation"]
    assert filtres == Filtres() and "carte" not in chosen
    assert (titre, day) == ("3es Assises", date(2026, 12, 10))
    prs = read(data)
    assert len(prs.slides) == 17
    assert prs.slides[0].shapes.title.text == "3es Assises"
    assert "10 décembre 2026" in texts(prs.slides[0])


def test_plan_and_budgets_page_offers_the_assises_slides(app):
    app.switch_page("pages/plan_budgets.py").run()
    app.session_state[ASSISES_POPOVER] = True
    app.run()
    assert not app.exception
    assert app.checkbox(key="assises_plans").value and app.checkbox(key="assises_apes").value
    assert not app.checkbox(key="assises_annees").value  # the call's slides: on other pages
    app.button(key="FormSubmitter:export_pptx_assises-Construire la présentation").click().run()
    assert not app.exception
    (_, chosen, *_), data = app.session_state["presentation"]
    assert chosen == ("titre", *deck.ASSISES_IDS, "sources")
    titles = [slide.shapes.title.text for slide in read(data).slides]
    assert len(titles) == 9 and titles[1].startswith("9 plans et délibérations de 2002 à 2026")


def test_chart_toolbar_downloads_png_or_svg_with_a_french_name(app):
    app.run()
    config = app.get("plotly_chart")[0].proto.config
    assert f'"filename": "{file_stem("annees")}"' in config
    assert '"format": "png"' in config and '"scale": 2' in config
    app.get("button_group")[0].set_value("svg").run()
    assert '"format": "svg"' in app.get("plotly_chart")[0].proto.config


# --------------------------------------------------------------------------- in a browser


def test_toolbar_image_and_deck_download_in_a_browser(page, app_url, tmp_path):
    from conftest import wait_for_app
    from PIL import Image

    page.goto(f"{app_url}/?annees=2016,2017")
    wait_for_app(page)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download() as download:
        page.locator(".modebar-btn[data-title='Télécharger le graphique (PNG)']").first.click()
    assert download.value.suggested_filename == f"{file_stem('annees')}.png"
    download.value.save_as(tmp_path / "chart.png")
    shown = chart.bounding_box()
    with Image.open(tmp_path / "chart.png") as image:
        assert image.width == pytest.approx(2 * shown["width"], abs=4)  # scale 2

    page.get_by_text("Exporter en PowerPoint").click()
    page.get_by_role("button", name="Construire la présentation").click()
    button = page.get_by_role("button", name="Télécharger la présentation")
    button.wait_for(timeout=60_000)
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"{file_stem('assises-ess-mel')}.pptx"
    download.value.save_as(tmp_path / "deck.pptx")
    prs = Presentation(str(tmp_path / "deck.pptx"))
    assert len(prs.slides) == 18
    assert "Filtres : Années : 2016, 2017" in texts(prs.slides[0])
