"""The deck as the Assises need it: room-readable parts, slide numbers as fields, the title
slide's event and date, and the Assises' own slides with the store's published figures."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Pt

from ess import fmt
from ess.cli import main
from ess.exports import assises, deck
from ess.exports.slide_parts import CHART_PT, FOOTER_PT
from ess.filters import Filtres

NB = "\u00a0"
DAY = date(2026, 11, 29)
VIEWS = {
    "complète": Filtres(),
    "2017": Filtres(annees=(2017,)),
    "plusieurs filtres": Filtres(annees=(2016, 2017),
                                 axes=tuple(f"pmdess-2015-2020/{n}" for n in (1, 2, 4)),
                                 territoires=("lillois", "est", "roubaisien", "tourquennois"),
                                 formes=("association",),
                                 activites=("commerces", "restauration-alimentation",
                                            "art-culture", "solidarite-cohesion",
                                            "conseil-accompagnement", "communication")),
    "vide": Filtres(territoires=("weppes",)),
}


def read(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def decks(con) -> dict[str, Presentation]:
    return {name: read(deck.build(con, filtres, day=DAY)) for name, filtres in VIEWS.items()}


@pytest.fixture(scope="module")
def full(decks) -> Presentation:
    return decks["complète"]


def slide_of(prs: Presentation, slide_id: str):
    return prs.slides[deck.SLIDE_IDS.index(slide_id)]


def texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def every_text(prs: Presentation) -> str:
    """The words of every shape, note and chart (its XML: categories and series names)."""
    parts = []
    for slide in prs.slides:
        parts.append(texts(slide))
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        for shape in slide.shapes:
            if shape.has_chart:
                parts.append(shape.chart.part.blob.decode("utf-8"))
    return "\n".join(parts)


def published(con, identifier: str) -> float:
    return con.execute("SELECT valeur FROM indicateur WHERE id = ?", [identifier]).fetchone()[0]


# --------------------------------------------------------------------------- craft


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_slide_has_its_number_as_a_field_and_no_nan(decks, view):
    prs = decks[view]
    for index, slide in enumerate(prs.slides, start=1):
        fields = slide.shapes._spTree.findall(f".//{qn('a:fld')}")
        assert [f.get("type") for f in fields] == ["slidenum"], (view, index)
        assert fields[0].find(qn("a:t")).text == str(index)
    words = every_text(prs)
    assert "nan" not in words.replace("financ", "").lower().split(), view
    assert " nan" not in words and "NaN" not in words and ".0 :" not in words, view


def test_chart_text_footers_and_titles_are_room_sized(full):
    for index, slide in enumerate(full.slides):
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                assert chart.font.size >= Pt(CHART_PT), index
                plot = chart.plots[0]
                assert not plot.has_data_labels or plot.data_labels.font.size >= Pt(CHART_PT)
                assert chart.category_axis.tick_labels.font.size >= Pt(CHART_PT), index
            elif shape.has_text_frame and shape.top >= deck.BODY_BOTTOM:  # the footer
                # Runs and the slide-number field alike.
                sizes = {int(r.get("sz")) for r in shape._element.iter(qn("a:rPr"))}
                assert sizes and min(sizes) >= FOOTER_PT * 100, index
                assert len(shape.text_frame.paragraphs) <= 3, index


def test_long_filters_are_shortened_in_the_footer_and_whole_on_the_title_slide(decks):
    prs = decks["plusieurs filtres"]
    title = texts(prs.slides[0])
    assert "Types d'activité : Commerces" in title and "Communication" in title
    for slide in list(prs.slides)[1:]:
        (view,) = [line for line in texts(slide).splitlines() if line.startswith("Vue : ")]
        assert len(view) <= 120 and view.endswith("(détail en page de titre)")


def test_title_slide_names_the_event_its_edition_and_date(con):
    prs = read(deck.build(con, slides=["titre"], day=DAY,
                          titre="3es Assises métropolitaines de l'ESS",
                          date_evenement=date(2026, 12, 10)))
    slide = prs.slides[0]
    assert slide.shapes.title.text == "3es Assises métropolitaines de l'ESS"
    assert "10 décembre 2026" in texts(slide)
    assert prs.core_properties.title == "3es Assises métropolitaines de l'ESS"
    default = read(deck.build(con, slides=["titre"], day=DAY))
    assert default.slides[0].shapes.title.text == deck.EVENEMENT


def test_the_2017_deck_leaves_other_years_out(decks):
    prs = decks["2017"]
    chart = next(s.chart for s in slide_of(prs, "annees").shapes if s.has_chart)
    assert list(chart.plots[0].categories) == ["2017"]
    assert slide_of(prs, "annees").shapes.title.text == f"17{NB}projets financés en 2017"


def test_several_filters_keep_only_the_chosen_categories(decks):
    prs = decks["plusieurs filtres"]
    forms = next(s.chart for s in slide_of(prs, "formes").shapes if s.has_chart)
    assert list(forms.plots[0].categories) == ["Association"]
    axes = next(s.chart for s in slide_of(prs, "axes").shapes if s.has_chart)
    assert {c.split(" :")[0] for c in axes.plots[0].categories} == {
        "PMDESS 2015-2020 · axe 1", "PMDESS 2015-2020 · axe 2", "PMDESS 2015-2020 · axe 4"}


# --------------------------------------------------------------------------- the Assises


def test_plans_timeline_from_the_plans_table(con, full):
    slide = slide_of(full, "plans")
    plans = con.execute("SELECT nom_court, debut, coalesce(fin, debut) AS fin FROM plan").df()
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    base, span = chart.plots[0].series
    assert sorted(base.values) == sorted(plans["debut"])
    assert sorted(span.values) == sorted(plans["fin"] - plans["debut"] + 1)
    partenaires = published(con, "pmdess-2015-partenaires-consultation")
    assert f"consultation de {fmt.nombre(partenaires)} partenaires" in texts(slide)
    assert partenaires == 150


def test_axes_with_their_projects_and_actions(con, full):
    table = next(s.table for s in slide_of(full, "axes_bilan").shapes if s.has_table)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert len(rows) == 1 + 5
    assert rows[1][0].startswith("1. L'accompagnement")
    assert rows[1][1] == f"31{NB}projets · 387{NB}600{NB}€"
    assert rows[2][2] == "aucune (+ 14 d'autres plans ou hors plan)"
    assert rows[4][2].startswith("Schéma de promotion des achats")
    assert rows[5][2] == "La Fabrique de l'emploi"


def test_annexe_2_budgets_by_funder_with_the_sources_own_total(con, full):
    slide = slide_of(full, "budgets_2013")
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    mel, ville = chart.plots[0].series
    rows = con.execute(
        "SELECT sum(montant_eur) FILTER (WHERE financeur = 'MEL'), "
        "sum(montant_eur) FILTER (WHERE financeur = 'Ville de Lille') "
        "FROM financement f JOIN realisation_2013 r ON r.action = f.action").fetchone()
    assert (sum(mel.values), sum(ville.values)) == rows == (59_827, 80_718)
    printed = published(con, "2013-annexe2-total-general")
    words = texts(slide)
    assert f"TOTAL de {fmt.euros(printed)}" in words and printed == 169_891
    assert f"ses lignes font {fmt.euros(140_545)}" in words
    assert f"écart de {fmt.euros(29_346)}" in words


def test_apes_funding_plan(con, full):
    slide = slide_of(full, "apes")
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    amounts = con.execute("SELECT montant_eur FROM financement WHERE action = "
                          "'2021-subvention-apes'").df()["montant_eur"]
    assert sorted(chart.plots[0].series[0].values) == sorted(amounts)
    assert slide.shapes.title.text == (f"La MEL apporte 35{NB}000{NB}€ des 753{NB}091{NB}€ du "
                                       f"budget 2021 de l'APES (4,6{NB}%)")
    assert f"{fmt.euros(128_766)}" in texts(slide)  # what the source attributes to no one


@pytest.mark.parametrize(("slide_id", "figures"), [
    ("metropole", {"mel-ess-salaries-2015": f"52{NB}000{NB}salariés",
                   "mel-ess-part-emplois-2015": f"11{NB}%",
                   "commande-publique-depenses-annuelles": f"450{NB}M€",
                   "commande-publique-1-milliard": f"1{NB}Md€"}),
    ("fabrique", {"fabrique-emploi-habitants": f"10{NB}000{NB}habitants",
                  "fabrique-emploi-chomeurs": f"530{NB}personnes",
                  "fabrique-emploi-salaries-cdi": f"120{NB}salariés"}),
    ("structures", {"structures-accompagnement-emplois-2015-2018": f"4{NB}284{NB}emplois",
                    "lieu-economie-creatrice-surface": f"5{NB}000{NB}m²"}),
])
def test_key_figures_equal_the_published_ones(con, full, slide_id, figures):
    words = texts(slide_of(full, slide_id))
    for identifier, shown in figures.items():
        row = con.execute("SELECT valeur, unite FROM indicateur WHERE id = ?",
                          [identifier]).fetchone()
        assert assises.montant(*row) == shown
        assert shown in words, identifier


def test_doubtful_readings_say_so(full):
    words = texts(slide_of(full, "metropole"))
    milliard = words[words.index(f"1{NB}Md€"):]
    assert milliard.split("\n", 2)[1].startswith("document 003 · lecture incertaine de la source")
    assert slide_of(full, "metropole").shapes.title.text == (
        f"L'ESS dans la métropole : 52{NB}000{NB}salariés, 11{NB}% des emplois")


def test_structures_list_the_published_actions(full):
    words = texts(slide_of(full, "structures"))
    for name in ("Soutien aux structures d'accompagnement et de financement",
                 "Des solutions concrètes pour les locaux (dont la Foncière ETIC)",
                 "Tast'in Fives"):
        assert name in words


def test_assises_slides_alone_with_the_cli(tmp_path):
    target = tmp_path / "assises.pptx"
    assert main(["export", "pptx", "--diapositives", ",".join(deck.ASSISES_IDS),
                 "--titre", "3es Assises métropolitaines de l'ESS", "--date", "10/12/2026",
                 "-o", str(target)]) == 0
    assert len(Presentation(str(target)).slides) == len(deck.ASSISES_IDS) == 7


def test_cli_title_options_and_refusals_in_french(tmp_path, capsys):
    target = tmp_path / "assises.pptx"
    assert main(["export", "pptx", "--diapositives", "titre", "--titre", "3es Assises",
                 "--date", "2026-12-10", "-o", str(target)]) == 0
    assert "10 décembre 2026" in texts(Presentation(str(target)).slides[0])
    assert main(["export", "pptx", "--date", "31/02/2026", "-o", str(target)]) == 2
    assert "--date : date illisible « 31/02/2026 »" in capsys.readouterr().err
    assert main(["export", "pptx", "--territoires", "weppes", "-o",
                 str(tmp_path / "vide.pptx")]) == 2
    assert "aucun projet ne correspond à ces filtres" in capsys.readouterr().err
    assert not (tmp_path / "vide.pptx").exists()
    assert main(["export", "pptx", "--territoires", "weppes", "--diapositives", "plans,apes",
                 "-o", str(tmp_path / "plans.pptx")]) == 0
