"""Every figure says whether it is published, derived or reconstructed (`ess.provenance`).

The walk: every chart builder, KPI card, deck slide, static-site page and app page, with the
shipped store under several views. Each number a title or a card states must be a published
figure, a figure derived from published ones only (a share, a gap, a ratio), or be visibly
marked; each reconstructed bar must be hatched, with its legend entry. After the MEL's real
file is imported, the marks and the notice are gone and the sources name the file.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL

from ess import charts, kpis, mesures, plan_charts, provenance, queries, ratios, site, tables
from ess.exports import deck
from ess.exports import tables as export_tables
from ess.filters import Filtres
from ess.importer import apply
from ess.store import open_store
from test_pages_a import open_page

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REAL_FILE = "resultats_mel_2015-2018.xlsx"
NB = "\u00a0"
P, D, R = provenance.PUBLIE, provenance.DERIVE, provenance.RECONSTITUE
VIEWS = [
    Filtres(), Filtres(annees=(2017,)), Filtres(annees=(2016, 2017)),
    Filtres(territoires=("lillois",)), Filtres(formes=("association",)),
    Filtres(axes=("pmdess-2015-2020/1", "pmdess-2015-2020/3"), territoires=("lillois", "est")),
]
PROJECT_QUERIES = ("projets_kpi", "projets_par_annee", "projets_par_periode", "projets_par_territoire",
                   "projets_par_forme", "projets_par_activite", "projets_par_axe",
                   "axes_realisations")
_NUMBER = re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def numbers(text: str) -> list[float]:
    """The numbers a French text states (« 768 200 € », « 6,3 ETP »), years left out."""
    found = [float(re.sub(r"[\u00a0\u202f ]", "", n).replace(",", "."))
             for n in _NUMBER.findall(text.replace("<br>", " "))]
    return [n for n in found if not (2000 <= n <= 2030 and n.is_integer())]


def frames(con, filtres: Filtres) -> dict[str, pd.DataFrame]:
    out = {name: queries.run(con, name, filtres) for name in PROJECT_QUERIES}
    out["projets_kpi"] = ratios.with_job_ratios(out["projets_kpi"], "subvention_totale")
    for name in ("projets_par_annee", "projets_par_territoire", "projets_par_forme",
                 "projets_par_activite"):
        out[name] = ratios.with_job_ratios(out[name])
    return out


# The plans, actions and budgets: published rows of the documents (each with its place).
PUBLISHED_TABLES = ("actions_2011_2014_par_financeur", "apes_plan_financement_2021",
                    "lille_strategie_axes", "plans_chronologie", "projets_territoriaux_2012_2013")


def published_tables(con) -> set[float]:
    """Every amount and count of the published tables, their sums and their row counts."""
    values: set[float] = set()
    for name in PUBLISHED_TABLES:
        frame = queries.run(con, name)
        parts = [frame] + ([frame[frame["annexe2"]], frame[~frame["annexe2"]]]
                           if "annexe2" in frame else [])
        for part in parts:
            numeric = part.select_dtypes("number")
            values |= {float(v) for v in numeric.to_numpy().ravel() if pd.notna(v)}
            values |= {float(v) for v in numeric.sum()} | {float(len(part))}
            values.add(float(numeric.sum().sum()))
    return values


def allowed(con, view: dict[str, pd.DataFrame]) -> set[float]:
    """Every figure a title may state under this view: the published indicators and tables,
    the figures the frames mark published or derived (and their sums when the total is known),
    and what arithmetic of those gives (shares, gaps, ratios per 10 000), at 0 and 1 decimal."""
    base = set(queries.run(con, "indicateurs")["valeur"]) | published_tables(con)
    for frame in view.values():
        for column in frame.columns:
            if not column.startswith(provenance.PREFIX):
                continue
            name = column.removeprefix(provenance.PREFIX)
            base |= {float(v) for v, p in zip(frame[name], frame[column])
                     if p != R and pd.notna(v)}
            if provenance.total(frame, name) != R:
                base.add(float(frame[name].sum()))
    derived = set(base)
    for a, b in itertools.product(base, base):
        if b:
            derived |= {100 * a / b, 100 * (a - b) / b, abs(100 * (a - b) / b), a * 10_000 / b,
                        a - b}
    return {round(v, d) for v in derived for d in (0, 1)}


def stated(text: str, permitted: set[float]) -> bool:
    return all(round(number, 1) in permitted for number in numbers(text))


def assert_stated(text: str, permitted: set[float]) -> None:
    for number in numbers(text):
        assert round(number, 1) in permitted, f"{number} in « {text} » is not published"


def hatched(trace) -> list[bool]:
    shape = trace.marker.pattern.shape if trace.marker.pattern else None
    if shape is None or isinstance(shape, str):
        return [bool(shape)] * len(trace.x if trace.orientation != "h" else trace.y)
    return [bool(s) for s in shape]


def assert_marked(fig, frame: pd.DataFrame, columns: list[str]) -> None:
    """The figure hatches exactly as many bars as the frame has reconstructed values, and has
    the legend entry when it hatches any."""
    bars = [t for t in fig.data if t.type == "bar" and t.name != provenance.LEGEND]
    expected = sum(sum(provenance.estimated(frame, c)) for c in columns)
    assert sum(sum(hatched(t)) for t in bars) == expected, fig.layout.title.text
    legend = any(t.name == provenance.LEGEND for t in fig.data)
    assert legend == bool(expected), fig.layout.title.text


@pytest.fixture(scope="module")
def views(con):
    return [(f, frames(con, f)) for f in VIEWS]


# --------------------------------------------------------------------------- deciding


def test_published_derived_and_reconstructed_figures_of_the_shipped_store(con):
    known = provenance.known_figures(con)
    assert {c: known[("projets_kpi", None, c)] for c in (
        "nb_projets", "subvention_totale", "emplois_prevus", "emplois_realises",
        "part_associations_pct", "nb_associations")} == {
        "nb_projets": P, "subvention_totale": P, "emplois_prevus": P, "emplois_realises": P,
        "part_associations_pct": P, "nb_associations": D}
    # 15 in 2016 and 17 in 2017 are published; 2015 and 2018 are a hypothesis.
    assert [known.get(("projets_par_annee", y, "nb_projets"), R)
            for y in ("2015", "2016", "2017", "2018")] == [R, P, P, R]
    # One whole number of projects gives each published share, except 7 % of 62; the Lys has
    # no share at all.
    territories = {k: known.get(("projets_par_territoire", k, "nb_projets"), R) for k in (
        "lillois", "roubaisien", "tourquennois", "est", "couronne-nord", "couronne-sud",
        "weppes", "lys")}
    assert territories == {"lillois": D, "roubaisien": D, "tourquennois": D, "est": D,
                           "couronne-nord": R, "couronne-sud": D, "weppes": D, "lys": R}
    assert known[("projets_par_activite", "art-culture", "nb_projets")] == P
    assert known[("projets_par_activite", "autre", "nb_projets")] == D  # 62 minus the others
    assert not any(k[0] == "projets_par_axe" for k in known)  # no source gives an axis
    assert not any(k[2] == "subvention" for k in known)  # no grant per category is published


def test_filters_keep_what_they_can(con):
    kpi = queries.run(con, "projets_kpi", Filtres(annees=(2017,))).iloc[0]
    assert (kpi["nb_projets"], kpi["provenance_nb_projets"]) == (17, P)
    assert kpi["provenance_subvention_totale"] == R
    both = queries.run(con, "projets_kpi", Filtres(annees=(2016, 2017))).iloc[0]
    assert (both["nb_projets"], both["provenance_nb_projets"]) == (32, D)  # 15 + 17
    lillois = queries.run(con, "projets_par_territoire", Filtres(territoires=("lillois",)))
    row = lillois.set_index("territoire").loc["lillois"]
    assert (row["nb_projets"], row["provenance_nb_projets"]) == (34, D)
    crossed = queries.run(con, "projets_kpi", Filtres(annees=(2017,), territoires=("lillois",)))
    assert crossed.loc[0, "provenance_nb_projets"] == R


def test_the_source_line_credits_each_figure_to_its_document(con):
    line = queries.run(con, "projets_par_annee").attrs["source"]
    assert line == (
        "Sources : Diaporama des 2es Assises métropolitaines de l'ESS (2019) ; Livrets de la "
        f"MEL : 15{NB}projets en 2016, 17{NB}projets en 2017 ; Site de la MEL : "
        f"768{NB}200{NB}€.")


# --------------------------------------------------------------------------- the walk


def _builders(view: dict[str, pd.DataFrame]):
    """(figure, frame, hatched columns) for every chart builder of the call's figures."""
    annee, territoire = view["projets_par_annee"], view["projets_par_territoire"]
    kpi = view["projets_kpi"].iloc[0]
    shown = territoire[territoire["nb_projets"] > 0]
    yield charts.projets_par_annee(annee), annee, ["nb_projets"]
    yield charts.subventions_par_annee(annee), annee, ["subvention"]
    yield charts.jobs_forecast_vs_realised(annee), annee, ["emplois_prevus", "emplois_realises"]
    yield (charts.jobs_forecast_vs_realised(shown, "territoire", "nom", "par territoire",
                                            horizontal=True),
           shown, ["emplois_prevus", "emplois_realises"])
    for frame, label, noun in ((shown, "nom", ("territoire", "territoires")),
                               (annee, "annee", ("année", "années"))):
        rated = frame.dropna(subset=["taux_realisation_pct"])
        yield (charts.taux_realisation(frame, label, noun, "par catégorie"), rated,
               ["taux_realisation_pct"])
        rated = frame.dropna(subset=["etp_pour_10k"])
        yield (charts.emplois_pour_10k(frame, label, "par catégorie", kpi["etp_pour_10k"],
                                       overall_provenance=kpi["provenance_etp_pour_10k"]),
               rated, ["etp_pour_10k"])
    yield charts.activites(view["projets_par_activite"]), view["projets_par_activite"], \
        ["nb_projets"]
    yield charts.formes_juridiques(view["projets_par_forme"]), view["projets_par_forme"], \
        ["part_pct"]
    yield (charts.repartition(territoire, "territoire", "nom", "Projets par territoire"),
           territoire, ["nb_projets"])
    for key in mesures.MESURES:
        valued = mesures.with_value(territoire, mesures.MESURES[key])
        yield (charts.territory_ranking(valued, "Valeur", mesures.MESURES[key].unit), valued,
               ["valeur"])
    yield (plan_charts.realisations_par_axe(view["axes_realisations"]),
           view["axes_realisations"], ["nb_projets"])


def test_every_chart_states_only_published_figures_and_hatches_the_rest(con, views):
    for filtres, view in views:
        permitted = allowed(con, view)
        for fig, frame, columns in _builders(view):
            assert_stated(fig.layout.title.text, permitted)
            assert_marked(fig, frame, columns)


def test_the_shipped_titles(con, views):
    _, view = views[0]
    annee = view["projets_par_annee"]
    assert charts.projets_par_annee(annee).layout.title.text.replace("<br>", " ") == (
        f"62{NB}projets financés, dont 17 en 2017")
    # No per-year amount is published: the total, without « de 182 700 € à 195 700 € par an ».
    assert charts.subventions_par_annee(annee).layout.title.text == (
        f"768{NB}200{NB}€ accordés par la MEL")
    territoire = view["projets_par_territoire"]
    assert "atteints" not in charts.taux_realisation(
        territoire, "nom", ("territoire", "territoires"), "par territoire").layout.title.text
    per_10k = mesures.with_value(territoire, mesures.MESURES["subvention-10000"])
    assert charts.territory_ranking(per_10k, "Subventions pour 10 000 habitants", "€").layout \
        .title.text.replace("<br>", " ") == "Subventions pour 10 000 habitants, par territoire"
    # 2017 alone: 17 projects are published, nothing else is.
    _, y2017 = views[1]
    assert charts.projets_par_annee(y2017["projets_par_annee"]).layout.title.text == (
        f"17{NB}projets financés en 2017")
    assert charts.subventions_par_annee(y2017["projets_par_annee"]).layout.title.text \
        .replace("<br>", " ") == "Subventions de la MEL par année du soutien"


def test_the_other_activities_come_last_in_grey_and_the_title_says_why(views):
    _, view = views[0]
    fig = charts.activites(view["projets_par_activite"])
    bars = fig.data[0]
    assert bars.customdata[-1] == "Autres activités (non détaillées dans la source)"
    assert bars.marker.color[-1] == charts.OTHER
    assert bars.x[-1] == 12 and max(bars.x[:-1]) == 11  # the longest bar, shown apart
    assert fig.layout.title.text.replace("<br>", " ") == (
        f"Art et culture en tête des activités{NB}: 11{NB}projets sur 62, hors 12 d'activité non "
        "détaillée (en gris)")


def test_kpi_cards_say_estimation_under_a_reconstructed_figure(con, views):
    for filtres, view in views:
        permitted = allowed(con, view)
        for card in kpis.chiffres_cles(view["projets_kpi"].drop(columns=[
                "taux_realisation_pct", "etp_pour_10k"]), view["projets_par_annee"],
                view["projets_par_periode"]):
            if card.provenance == R:
                assert card.mark == provenance.MARK
            else:
                assert card.mark is None
                assert_stated(card.value, permitted)
            # In the sentence, each figure is published, derived, or followed by « estimation ».
            for part in re.split(r"\(estimation\)", card.context)[-1:]:
                assert_stated(part, permitted)
    y2017 = Filtres(annees=(2017,))
    cards = kpis.chiffres_cles(*(queries.run(con, name, y2017) for name in (
        "projets_kpi", "projets_par_annee", "projets_par_periode")))
    assert [c.mark for c in cards] == [None, provenance.MARK, provenance.MARK, provenance.MARK]
    full = kpis.chiffres_cles(*(queries.run(con, name) for name in (
        "projets_kpi", "projets_par_annee", "projets_par_periode")))
    assert [c.mark for c in full] == [None] * 4
    assert full[1].context == (f"Soit 12{NB}390{NB}€ par projet en moyenne, 20{NB}000{NB}€ au plus "
                               "(estimation).")


DECK_CHARTS = {  # slide id → (query, columns of its series)
    "annees": ("projets_par_annee", ["nb_projets"]),
    "subventions": ("projets_par_annee", ["subvention"]),
    "emplois": ("projets_par_annee", ["emplois_prevus", "emplois_realises"]),
    "territoires": ("projets_par_territoire", ["nb_projets"]),
    "formes": ("projets_par_forme", ["nb_projets"]),
    "activites": ("projets_par_activite", ["nb_projets"]),
    "axes": ("projets_par_axe", ["nb_projets"]),
}


def test_every_deck_slide_states_published_figures_and_hatches_the_rest(con, views):
    for filtres, view in views[:4]:
        permitted = allowed(con, view)
        prs = Presentation(io.BytesIO(deck.build(con, filtres)))
        for slide_id, slide in zip(deck.SLIDE_IDS, prs.slides):
            if slide_id not in ("titre", "chiffres", "sources"):
                assert_stated(slide.shapes.title.text, permitted)
            if slide_id not in DECK_CHARTS:
                continue
            query, columns = DECK_CHARTS[slide_id]
            chart = next(s for s in slide.shapes if s.has_chart).chart
            patterned = sum(p.format.fill.type == MSO_FILL.PATTERNED
                            for series in chart.plots[0].series for p in series.points)
            frame = view[query]
            if slide_id == "axes":  # the deck shows the axes of the plans with a project
                frame = frame[frame.groupby("plan")["nb_projets"].transform("sum") > 0]
            expected = sum(sum(provenance.estimated(frame, c)) for c in columns)
            assert patterned == expected, (filtres, slide_id)
            assert chart.has_title == bool(expected), (filtres, slide_id)
            if expected:
                assert chart.chart_title.text_frame.text == deck.CAPTION
        if filtres == Filtres():
            notes = prs.slides[deck.SLIDE_IDS.index("territoires")].notes_slide
            assert f"Couronne Nord : 4{NB}projets (estimation)" in notes.notes_text_frame.text
            assert f"Lillois : 34{NB}projets\n" in notes.notes_text_frame.text
        chiffres = prs.slides[deck.SLIDE_IDS.index("chiffres")]
        text = " ".join(s.text_frame.text for s in chiffres.shapes if s.has_text_frame)
        assert (provenance.MARK in text) == (filtres != Filtres())
        sources = prs.slides[deck.SLIDE_IDS.index("sources")]
        text = " ".join(s.text_frame.text for s in sources.shapes if s.has_text_frame)
        for name in ("Site de la MEL", "Presse", "Livrets de la MEL", "Couronne Nord", "Lys",
                     "IGN"):
            assert name in text


def test_every_site_page_states_published_figures_and_hatches_the_rest(con, views, tmp_path,
                                                                        monkeypatch, built_store):
    drawn = []
    original = site.Page.chart

    def chart(self, fig, key):
        drawn.append(fig)
        original(self, fig, key)

    monkeypatch.setattr(site.Page, "chart", chart)
    site.export(tmp_path, built_store)
    permitted = allowed(con, views[0][1])
    for fig in drawn:
        if fig.layout.title.text:
            assert_stated(fig.layout.title.text, permitted)
    hatches = [f for f in drawn if any(t.name == provenance.LEGEND for t in f.data)]
    # Years, jobs per year (twice), jobs per territory, projects per axis (Plan et budgets).
    assert len(hatches) == 5
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "sauf pour Couronne Nord et Lys" in index and "(estimation)" in index
    lines = (tmp_path / "projets.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith('"# Sources : Diaporama des 2es Assises')
    assert lines[1].startswith('"# Avertissement : données reconstituées')
    rows = list(csv.DictReader(lines[2:], delimiter=";"))
    names = set(queries.run(con, "laureats_publics")["nom"])
    assert len(rows) == 62 and not names & {r["Projet"] for r in rows}
    assert rows[0]["Projet"] == "Projet reconstitué n° 2015-01"
    laureats = (tmp_path / "laureats.csv").read_text(encoding="utf-8-sig")
    assert "VITAME" in laureats and "15300" not in laureats
    per_year = list(csv.DictReader((tmp_path / "projets_par_annee.csv").read_text(
        encoding="utf-8-sig").splitlines()[2:], delimiter=";"))
    assert [r["Provenance"] for r in per_year] == [
        "reconstitué",
        "Projets : publié ; Subventions, Emplois prévus, Emplois réalisés : reconstitué",
        "Projets : publié ; Subventions, Emplois prévus, Emplois réalisés : reconstitué",
        "reconstitué"]
    public = " ".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.html"))
    for jargon in ("OCR", "python -m", ".csv)", "illisible dans la source"):
        assert jargon not in public.replace("plotly.min.js", "")


def test_downloads_carry_provenance_source_and_notice(con):
    data = queries.run(con, "projets_par_annee")[["annee", "nb_projets", "subvention",
                                                    "provenance_nb_projets",
                                                    "provenance_subvention"]]
    data.attrs = queries.run(con, "projets_par_annee").attrs
    frame = tables.en_francais(tables.with_provenance(data))
    assert frame["Provenance"].tolist() == [
        "reconstitué", "Projets : publié ; Subventions (€) : reconstitué",
        "Projets : publié ; Subventions (€) : reconstitué", "reconstitué"]
    lines = tables.download_lines(frame)
    text = export_tables.to_csv(frame, lines=lines).decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"# Sources : Diaporama des 2es Assises')
    back = pd.read_csv(io.StringIO(text), sep=";", skiprows=len(lines))
    assert back["Projets"].tolist() == [15, 15, 17, 15]
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(export_tables.to_xlsx(frame, lines=lines)))
    assert book.sheetnames == ["Données", "Source"]
    assert book["Source"]["A1"].value.startswith("Sources : Diaporama")
    assert "estimations" in book["Source"]["A2"].value


# --------------------------------------------------------------------------- the app


@pytest.mark.parametrize("page", ["pages/vue_ensemble.py", "pages/emplois.py",
                                  "pages/activites.py", "pages/territoires.py",
                                  "pages/plan_budgets.py"])
def test_every_page_states_published_figures_and_marks_the_rest(app, con, views, page):
    open_page(app, page)
    permitted = allowed(con, views[0][1])
    for element in app.get("plotly_chart"):
        fig = pio.from_json(element.proto.spec)
        if fig.layout.title.text:
            assert_stated(fig.layout.title.text, permitted)
    # A card whose figure is neither published nor derived says so under it.
    unstated = [m.value for m in app.metric if not stated(m.value, permitted)]
    marks = [m.value for m in app.markdown].count(f"**:gray[{provenance.MARK}]**")
    assert len(unstated) <= marks, unstated
    text = " ".join(m.value for m in app.markdown)
    assert "sauf pour Couronne Nord et Lys" in text


def test_a_filtered_page_marks_its_reconstructed_cards(app):
    open_page(app, "pages/vue_ensemble.py", annees="2017")
    assert [m.value for m in app.markdown].count(f"**:gray[{provenance.MARK}]**") == 3


def test_projects_page_names_no_one_beside_reconstructed_fields(app, con):
    open_page(app, "pages/projets.py")
    listed = app.dataframe[0].value
    names = set(queries.run(con, "laureats_publics")["nom"])
    assert not names & set(listed.iloc[:, 0])
    assert set(app.table[0].value["Projet"]) == names


# --------------------------------------------------------------------------- after the import


@pytest.fixture
def imported(live):
    apply.import_file((FIXTURES / REAL_FILE).read_bytes(), REAL_FILE, store=live)
    return live


def test_after_the_import_no_mark_no_notice_and_the_file_is_the_source(imported, tmp_path):
    con = open_store(imported)
    try:
        for filtres in VIEWS[:3]:
            view = frames(con, filtres)
            for frame in view.values():
                marks = [c for c in frame.columns if c.startswith(provenance.PREFIX)]
                assert (frame[marks] != R).all().all()
            for fig, frame, columns in _builders(view):
                assert not any(t.name == provenance.LEGEND for t in fig.data)
                notes = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
                assert REAL_FILE in notes
            cards = kpis.chiffres_cles(queries.run(con, "projets_kpi", filtres),
                                       view["projets_par_annee"], view["projets_par_periode"])
            assert all(c.mark is None and "estimation" not in c.context for c in cards)
        # Every per-year amount is now the MEL's: the title may say them.
        annee = queries.run(con, "projets_par_annee")
        assert "par an" in charts.subventions_par_annee(annee).layout.title.text
        prs = Presentation(io.BytesIO(deck.build(con)))
        for slide_id, slide in zip(deck.SLIDE_IDS, prs.slides):
            text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            assert charts.NOTICE not in text
            if slide_id in DECK_CHARTS:  # the call's figures: the MEL's file is their source
                assert REAL_FILE in text, slide_id
            for shape in slide.shapes:
                if shape.has_chart:
                    assert not shape.chart.has_title
        site.export(tmp_path / "site", imported)
    finally:
        con.close()
    lines = (tmp_path / "site" / "projets_par_annee.csv").read_text(
        encoding="utf-8-sig").splitlines()
    assert lines[0].startswith(f'"# Source : fichier des résultats de la MEL «{NB}{REAL_FILE}{NB}» '
                               "du ")
    assert "Avertissement" not in lines[1] and "Provenance" not in lines[1]
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert charts.NOTICE not in index
