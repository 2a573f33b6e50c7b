"""One palette for the whole product: the same category has the same colour in the app's
Plotly charts (and so in their PNG/SVG images), the deck's native charts and the static site;
the colours stay apart for every colour vision."""

from __future__ import annotations

import io
import itertools
import json
import re

import numpy as np
import pytest
from pptx import Presentation

from ess import charts, plan_charts, queries, site, theme
from ess.exports import deck

# Machado, Oliveira & Fernandes (2009), severity 1: linear-RGB matrices of the three
# dichromacies, and the identity for typical colour vision.
VISIONS = {
    "protanopie": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deutéranopie": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopie": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
    "trichromatie": np.eye(3).tolist(),
}
MIN_DELTA_E = 12  # CIE76: two bars side by side are told apart at a glance from about 10


def _lab(hex_color: str, vision) -> np.ndarray:
    rgb = np.array([int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(np.array(vision) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / np.array([0.95047, 1, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest_pair(colors: list[str]) -> tuple[float, str, str, str]:
    return min((float(np.linalg.norm(_lab(a, v) - _lab(b, v))), name, a, b)
               for name, v in VISIONS.items() for a, b in itertools.combinations(colors, 2))


@pytest.mark.parametrize("family", [*theme.CATEGORIES, "financeur"])
def test_every_family_stays_apart_for_every_colour_vision(family):
    named = theme.FINANCEURS if family == "financeur" else theme.CATEGORIES[family]
    colors = list(named.values())
    assert len(set(colors)) == len(colors), "two categories of one family share a colour"
    # Each colour also stays apart from the white background and from the greys of « none ».
    distance, vision, a, b = _closest_pair([*colors, theme.BACKGROUND, theme.EMPTY])
    assert distance >= MIN_DELTA_E, (vision, a, b)


def test_the_twelve_colours_stay_apart_for_every_colour_vision():
    assert len(theme.PALETTE) == 12 >= len(theme.CATEGORIES["activite"]) + 1
    assert _closest_pair([*theme.PALETTE, theme.BACKGROUND, theme.EMPTY])[0] >= MIN_DELTA_E
    assert "#000000" not in theme.PALETTE and "#F0E442" not in theme.PALETTE  # no black, yellow


def test_unknown_codes_are_grey_the_same_way_every_time():
    # A category a future import adds has no colour of its own until the palette names it:
    # grey, never a colour that already means another category.
    assert theme.category_color("activite", "economie-circulaire") == theme.OTHER
    assert theme.category_color("activite", "une-autre-nouveaute") == theme.OTHER
    assert theme.category_color("territoire", "atlantide") == theme.OTHER
    assert theme.category_color("financeur", "Fondation X") == theme.OTHER
    assert theme.OTHER not in theme.PALETTE
    assert theme.category_color("axe", 3) == theme.category_color("axe", "3") == theme.CYAN
    assert theme.category_color("financeur", "État (DIRECCTE)") == theme.FINANCEURS["État"]


def _plotly_colors(fig, labels_column) -> dict[str, str]:
    bar = fig.data[0]
    return {str(c).upper(): color.upper() for c, color in zip(labels_column, bar.marker.color)}


def _deck_colors(con, slide_id: str) -> dict[str, str]:
    prs = Presentation(io.BytesIO(deck.build(con, slides=[slide_id])))
    (chart,) = [s.chart for s in prs.slides[0].shapes if s.has_chart]
    series = chart.plots[0].series[0]
    return {c: f"#{p.format.fill.fore_color.rgb}"
            for c, p in zip(chart.plots[0].categories, series.points)}


@pytest.mark.parametrize(("slide_id", "query", "code", "label", "builder"), [
    ("territoires", "projets_par_territoire", "territoire", "nom",
     lambda df: charts.repartition(df, "territoire", "nom", "t")),
    ("formes", "projets_par_forme", "forme_juridique", "libelle", charts.formes_juridiques),
    ("activites", "projets_par_activite", "activite", "libelle", charts.activites),
])
def test_the_app_and_the_deck_colour_a_category_alike(con, slide_id, query, code, label,
                                                      builder):
    df = queries.run(con, query)
    app = builder(df)
    in_deck = _deck_colors(con, slide_id)
    for row, color in zip(df.itertuples(), app.data[0].marker.color):
        expected = theme.category_color(code, getattr(row, code)) if row.nb_projets \
            else theme.EMPTY
        assert color.upper() == expected.upper(), getattr(row, label)
        shown = deck._short(getattr(row, label))
        assert in_deck[shown].upper() == expected.upper(), shown


def test_axes_and_funders_alike_in_the_app_and_the_deck(con):
    axes = queries.run(con, "axes_realisations")
    fig = plan_charts.realisations_par_axe(axes)
    assert list(fig.data[0].marker.color) == [theme.category_color("axe", a) for a in axes["axe"]]
    in_deck = _deck_colors(con, "axes")
    axis_1 = next(c for label, c in in_deck.items() if label.startswith("PMDESS 2015-2020 · axe 1"))
    assert axis_1 == theme.category_color("axe", 1) == theme.INDIGO
    apes = queries.run(con, "apes_plan_financement_2021")
    app = dict(zip(apes["financeur"], plan_charts.apes_financeurs(apes).data[0].marker.color))
    in_deck = _deck_colors(con, "apes")
    assert app["MEL"] == in_deck["MEL (accordé)"] == theme.BLUE
    assert app["Région Hauts-de-France"] == in_deck["Région Hauts-de-France (sollicité)"]


def _site_figure(page: str, div: str) -> list[dict]:
    """The traces of the Plotly figure `div` embedded in a static-site page."""
    start = page.index(f'"{div}"')
    data, _ = json.JSONDecoder().raw_decode(page, page.index("[", start))
    return data


def test_the_static_site_uses_the_same_palette(con, built_store, tmp_path):
    site.export(tmp_path, built_store)
    page = (tmp_path / "activites.html").read_text(encoding="utf-8")
    (bar, *_) = _site_figure(page, "graphique-activites")
    activities = queries.run(con, "projets_par_activite")
    labels = [re.sub("<br>", " ", y) for y in bar["y"]]
    colors = dict(zip(labels, bar["marker"]["color"]))
    for row in activities.itertuples():
        assert colors[row.libelle].upper() == theme.category_color("activite", row.activite), \
            row.libelle
    in_deck = _deck_colors(con, "activites")
    assert in_deck["Art et culture"] == colors["Art et culture"] == theme.SKY
