"""One sober, colour-blind-safe palette for the whole product (Okabe-Ito, completed from Paul
Tol's schemes).

The same category always gets the same colour, in the app's Plotly charts, the PNG/SVG images,
the deck's native charts and the static site: every output asks `category_color(family, code)`.
The twelve colours stay apart for every colour vision (tested: simulated protanopia,
deuteranopia and tritanopia) and from the greys, which are reserved for « nothing » and
« other ». Colour is never the only carrier of a category: every bar is labelled.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"
BACKGROUND = "#ffffff"
PRIMARY = "#0b5f8a"  # the dashboard's own blue (not the State's DSFR): a single series
FONT = "Source Sans, Source Sans Pro, Helvetica, Arial, sans-serif"  # Streamlit's own font

# Okabe-Ito without its yellow and black (a yellow bar vanishes on white, a black one reads as
# ink), then six of Paul Tol's colours chosen to stay apart from them under every simulated
# colour-vision deficiency.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
BROWN, INDIGO, SAND, CYAN, FOREST, OLIVE = (
    "#663333", "#332288", "#DDCC77", "#99DDFF", "#117733", "#999933")
PALETTE = [BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, BROWN, INDIGO, SAND, CYAN, FOREST, OLIVE]
EMPTY = "#d9dde2"  # territories or bars with nothing to show
OTHER = "#606468"  # « other » and any code the palette does not name (a new category)

SERIES = {"prévus": "#9fb3c8", "réalisés": PRIMARY}
# Each family of categories, by the column that holds its code in the queries. Within a family
# every colour differs; legal forms and axes avoid the territories' colours, shown before them.
CATEGORIES: dict[str, dict[str, str]] = {
    "territoire": {
        "lillois": BLUE, "roubaisien": ORANGE, "tourquennois": GREEN, "est": PINK,
        "couronne-nord": SKY, "couronne-sud": VERMILLION, "weppes": INDIGO, "lys": BROWN,
    },
    "forme_juridique": {"association": FOREST, "entreprise-cooperative-sociale": SAND},
    "activite": {
        "commerces": BLUE, "restauration-alimentation": ORANGE, "numerique": GREEN,
        "communication": PINK, "art-culture": SKY, "conseil-accompagnement": VERMILLION,
        "industrie": BROWN, "solidarite-cohesion": INDIGO, "petite-enfance-sante": SAND,
        "batiment-eco-construction": FOREST, "autre": OTHER,
    },
    # The five axes of the PMDESS 2015-2020, by number.
    "axe": {"1": INDIGO, "2": OLIVE, "3": CYAN, "4": BROWN, "5": VERMILLION},
}
# The same axes as the filters name them (« plan/numéro »); other plans' axes are grey.
CATEGORIES["axe_plan"] = {f"pmdess-2015-2020/{n}": c for n, c in CATEGORIES["axe"].items()}
# Funders and plan holders (« porteurs »): the MEL and the Ville de Lille keep their colour on
# the timeline, the 2011-2014 budgets and the APES funding plan. Keys are name prefixes
# (« État (DIRECCTE) » is « État »).
FINANCEURS = {
    "MEL": BLUE, "Ville de Lille": VERMILLION, "État": GREEN, "Région": PINK,
    "Département": ORANGE, "Autres collectivités": SKY, "Galeries Lafayette": OLIVE,
}
SEQUENTIAL = "Blues"

TEMPLATE_NAME = "ess"
pio.templates[TEMPLATE_NAME] = go.layout.Template(
    data=dict(bar=[go.Bar(textfont=dict(size=12, color=INK))]),
    layout=go.Layout(
        font=dict(family=FONT, color=INK, size=14),
        title=dict(font=dict(size=17, color=INK), x=0, xanchor="left",
                   subtitle=dict(font=dict(size=13, color=MUTED))),
        colorway=PALETTE,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        separators=", ",  # decimal comma, space for thousands
        # No automatic margins: `charts._frame` sets every chart's margins from its labels.
        # Plotly would measure every tick label and draw the chart twice when a label pushes
        # a margin (a fifth of a chart's drawing time in the browser).
        xaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=False),
        yaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=False),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        margin=dict(l=10, r=16, t=70, b=60),
        hoverlabel=dict(font=dict(family=FONT)),
    )
)


def category_color(family: str, code) -> str:
    """The colour of category `code` of `family` (a key of `CATEGORIES`, or « financeur »).

    A code the palette does not name (a category added by an import) is grey, `OTHER`: the
    same for every unknown code, never a colour that already means something else.
    """
    if family == "financeur":
        return financeur_color(str(code))
    return CATEGORIES[family].get(str(code), OTHER)


def financeur_color(name: str) -> str:
    """The colour of a funder or plan holder; grey (`OTHER`) for one the palette does not name."""
    return next((c for prefix, c in FINANCEURS.items() if name.startswith(prefix)), OTHER)


def tint(color: str, share: float = 0.3) -> str:
    """`color` mixed with white, `share` of it kept: the pale ground of a hatched estimate,
    still read as its category's colour."""
    rgb = [int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)
