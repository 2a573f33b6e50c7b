"""One sober, colour-blind-safe palette for the whole dashboard (Okabe-Ito based).

The same category always gets the same colour, on every chart and in every export.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"
BACKGROUND = "#ffffff"
PRIMARY = "#0b5f8a"  # the dashboard's own blue (not the State's DSFR)
FONT = "Source Sans, Source Sans Pro, Helvetica, Arial, sans-serif"  # Streamlit's own font

# Okabe-Ito, reordered so that neighbouring series stay distinct for every colour vision.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

SERIES = {
    "prévus": "#9fb3c8",
    "réalisés": PRIMARY,
    "association": "#0072B2",
    "entreprise-cooperative-sociale": "#E69F00",
}
TERRITOIRES = {
    "lillois": "#0072B2", "roubaisien": "#E69F00", "tourquennois": "#009E73",
    "est": "#CC79A7", "couronne-nord": "#56B4E9", "couronne-sud": "#D55E00",
    "weppes": "#F0E442", "lys": "#000000",
}
# Funders and plan holders (« porteurs »): the MEL and the Ville de Lille keep their colour on
# the timeline, the 2011-2014 budgets and the APES funding plan. Keys are name prefixes
# (« État (DIRECCTE) » is « État »).
FINANCEURS = {
    "MEL": "#0072B2", "Ville de Lille": "#D55E00", "État": "#009E73", "Région": "#CC79A7",
    "Département": "#E69F00", "Autres collectivités": "#56B4E9",
}
SEQUENTIAL = "Blues"
EMPTY = "#d9dde2"  # territories or bars with nothing to show

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
        xaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=True),
        yaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        margin=dict(l=10, r=16, t=70, b=60),
        hoverlabel=dict(font=dict(family=FONT)),
    )
)


def category_color(code: str, index: int = 0) -> str:
    """The colour of a category code, stable across charts."""
    return SERIES.get(code) or TERRITOIRES.get(code) or PALETTE[index % len(PALETTE)]


def financeur_color(name: str) -> str:
    """The colour of a funder or plan holder; dark grey for one the palette does not name."""
    return next((c for prefix, c in FINANCEURS.items() if name.startswith(prefix)), MUTED)
