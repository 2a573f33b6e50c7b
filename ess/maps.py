"""Maps of MEL: interactive choropleths (Plotly) and static images (GeoPandas + matplotlib).

Pure functions: they take data frames and GeoJSON dicts (already loaded from `geo/`) and return
a figure or write a file. No network: the geometry comes from the GeoJSON, no tile layer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

from ess.fmt import NBSP, nombre
from ess.paths import GEO_DIR
from ess.tables import texte_graphique
from ess.theme import TEMPLATE_NAME

# ColorBrewer « Blues », sequential and colour-blind safe; it starts at a clearly blue tint so
# the smallest value never looks like the light grey of territories without any project.
BLUES = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
ZERO_GREY = "#e3e3e3"
ABSENT_GREY = "#f7f7f7"  # a territory the view's filter leaves out (static map of a slide)
ZERO_TEXT = "aucun projet"
# Territory borders darker and thicker than commune borders: neighbours of the same pale blue
# stay apart.
BORDER_COLOR = "#3d4852"
BORDER_WIDTH = 1.6
COMMUNE_LINE = "rgba(60, 60, 60, 0.3)"
# Outline of the territory whose communes are shown below the map: Okabe-Ito vermillion, which
# stands out from every blue for every colour vision.
HIGHLIGHT = "#D55E00"
LABEL_SHADOW = "1px 1px 2px white, -1px -1px 2px white, 1px -1px 2px white, -1px 1px 2px white"


# --------------------------------------------------------------------------- French formats


def format_value(value: float | int | None, unit: str = "", decimals: int | None = None) -> str:
    """`12500` → `12 500 €`, `3.4` → `3,4 ETP` (no-break spaces, decimal comma).

    Without `decimals`: none for euros or whole numbers, one otherwise.
    """
    if value is None or pd.isna(value):
        return "–"
    if decimals is None:
        decimals = 0 if unit == "€" or float(value).is_integer() else 1
    text = nombre(value, decimals)
    return f"{text}{NBSP}{unit}" if unit else text


def ordinal(rank: int, feminine: bool = False) -> str:
    """1 → « 1er » (« 1re » au féminin), 2 → « 2e »."""
    if rank == 1:
        return "1re" if feminine else "1er"
    return f"{rank}e"


def _legend_title(value_label: str, unit: str) -> str:
    return f"{value_label} ({unit})" if unit else value_label


# --------------------------------------------------------------------------- data preparation


def _features_by_key(geojson: dict, key: str) -> dict[str, dict]:
    return {str(f["properties"][key]): f for f in geojson["features"]}


def _label_points(features: list[dict]) -> tuple[list[float], list[float]]:
    """A point inside each feature (shapely `representative_point`), as lon and lat lists."""
    points = [shape(f["geometry"]).representative_point() for f in features]
    return [p.x for p in points], [p.y for p in points]


def _line_trace(geojson: dict, width: float, color: str, name: str) -> go.Scattergeo:
    """The borders of `geojson`'s features as one lon/lat line trace (no base map needed)."""
    lons, lats = _boundary_lines(geojson)
    return go.Scattergeo(lon=lons, lat=lats, mode="lines", line={"width": width, "color": color},
                         hoverinfo="skip", showlegend=False, name=name)


def _boundary_lines(geojson: dict) -> tuple[list, list]:
    """Every ring of the features as lon/lat lists separated by None (for Scattergeo lines)."""
    lons: list = []
    lats: list = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for ring in polygon:
                lons.extend(c[0] for c in ring)
                lats.extend(c[1] for c in ring)
                lons.append(None)
                lats.append(None)
    return lons, lats


def _prepare(
    values: pd.DataFrame,
    features: dict[str, dict],
    key_column: str,
    value_column: str,
    feminine: bool,
) -> pd.DataFrame:
    """One row per feature: code, nom, value (0 when absent), value text, rank text."""
    missing = {key_column, value_column} - set(values.columns)
    if missing:
        raise ValueError(f"Colonnes absentes du tableau des valeurs : {sorted(missing)}.")
    data = values.copy()
    data[key_column] = data[key_column].astype(str)
    unknown = sorted(set(data[key_column]) - set(features))
    if unknown:
        raise ValueError(f"Codes inconnus de la carte : {unknown}.")
    if data[key_column].duplicated().any():
        raise ValueError("Un même code apparaît plusieurs fois dans le tableau des valeurs.")
    data = data.set_index(key_column)
    rows = []
    for code, feature in features.items():
        value = data[value_column].get(code) if code in data.index else None
        value = 0.0 if value is None or pd.isna(value) else float(value)
        nom = feature["properties"].get("nom", code)
        if "nom" in data.columns and code in data.index and pd.notna(data.at[code, "nom"]):
            nom = str(data.at[code, "nom"])
        rows.append({"code": code, "nom": nom, "value": value})
    frame = pd.DataFrame(rows)
    total = len(frame)
    ranks = frame["value"].rank(method="min", ascending=False).astype(int)
    frame["rank"] = ranks
    frame["rank_text"] = [f"{ordinal(r, feminine)} sur {total}" for r in ranks]
    return frame


# --------------------------------------------------------------------------- Plotly


def _choropleth_figure(
    frame: pd.DataFrame,
    geojson: dict,
    featureidkey: str,
    lines_geojson: dict | None,
    value_label: str,
    unit: str,
    decimals: int | None,
    label_size: int,
    highlight: str | None = None,
) -> go.Figure:
    traces: list = []

    # Thin commune borders. Kept as the first trace: plotly.js only decides whether to fetch
    # its world base map from the first trace of the subplot, and a lon/lat trace needs none.
    # Without lines, an empty line trace keeps the same trace order and no-network behaviour.
    traces.append(_line_trace(lines_geojson or {"features": []}, 0.6, COMMUNE_LINE,
                              "limites communales"))

    positive = frame[frame["value"] > 0]
    zero = frame[frame["value"] <= 0]
    if not positive.empty:
        traces.append(
            go.Choropleth(
                geojson=geojson,
                featureidkey=featureidkey,
                locations=positive["code"],
                z=positive["value"],
                zmin=0,
                zmax=float(positive["value"].max()),
                colorscale=[[i / (len(BLUES) - 1), c] for i, c in enumerate(BLUES)],
                marker={"line": {"color": BORDER_COLOR, "width": BORDER_WIDTH}},
                customdata=list(
                    zip(
                        positive["nom"].map(texte_graphique),
                        [format_value(v, unit, decimals) for v in positive["value"]],
                        positive["rank_text"],
                    )
                ),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    f"{value_label} : %{{customdata[1]}}<br>"
                    "%{customdata[2]}<extra></extra>"
                ),
                # Under the map, horizontal: on a phone a vertical bar would take a fifth of
                # the width.
                colorbar={
                    "title": {"text": _wrap(_legend_title(value_label, unit)), "side": "top"},
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": 0,
                    "yanchor": "top",
                    "len": 0.6,
                    "thickness": 12,
                    "tickformat": ",~f",
                    "outlinewidth": 0,
                },
                # A click selects a territory (the drill-down): the others stay readable.
                unselected={"marker": {"opacity": 0.55}},
                name="valeurs",
                showlegend=False,
            )
        )
    if not zero.empty:
        traces.append(
            go.Choropleth(
                geojson=geojson,
                featureidkey=featureidkey,
                locations=zero["code"],
                z=[0] * len(zero),
                colorscale=[[0, ZERO_GREY], [1, ZERO_GREY]],
                showscale=False,
                marker={"line": {"color": BORDER_COLOR, "width": BORDER_WIDTH}},
                customdata=list(zip(zero["nom"].map(texte_graphique))),
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{ZERO_TEXT}<extra></extra>",
                unselected={"marker": {"opacity": 0.55}},
                name=ZERO_TEXT.capitalize(),
                showlegend=True,
            )
        )

    if highlight is not None:
        outline = {"features": [_feature_for(geojson, featureidkey, highlight)]}
        traces.append(_line_trace(outline, 3.5, HIGHLIGHT, "territoire détaillé"))

    lon, lat = _label_points([_feature_for(geojson, featureidkey, c) for c in frame["code"]])
    traces.append(
        go.Scattergeo(
            lon=lon,
            lat=lat,
            text=frame["nom"].map(texte_graphique),
            mode="text",
            textfont={"size": label_size, "color": "#1a1a1a", "shadow": LABEL_SHADOW},
            hoverinfo="skip",
            showlegend=False,
            name="libellés",
        )
    )

    fig = go.Figure(traces)
    fig.update_geos(
        visible=False,
        projection_type="mercator",
        fitbounds="locations",
        bgcolor="rgba(0,0,0,0)",
    )
    fig.update_layout(
        template=TEMPLATE_NAME,
        separators="," + NBSP,
        margin={"l": 0, "r": 0, "t": 10, "b": 80},
        height=540,
        legend={
            "orientation": "v", "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        paper_bgcolor="rgba(0,0,0,0)",
        # The map is fitted to MEL: no panning by a finger that only meant to scroll the page.
        dragmode=False,
    )
    return fig


def _wrap(title: str, width: int = 32) -> str:
    """A long colour-bar title on several lines (Plotly does not wrap text)."""
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _feature_for(geojson: dict, featureidkey: str, code: str) -> dict:
    key = featureidkey.split(".", 1)[1]
    for feature in geojson["features"]:
        if str(feature["properties"][key]) == code:
            return feature
    raise ValueError(f"Code absent de la carte : {code}.")


def territory_choropleth(
    values: pd.DataFrame,
    territoires_geojson: dict,
    communes_geojson: dict | None,
    value_column: str,
    value_label: str,
    unit: str,
    *,
    decimals: int | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """Choropleth of the 8 territories.

    `values`: columns `territoire` (code), `nom`, and `value_column`; a territory absent from
    `values` or with 0 is drawn in light grey with « aucun projet ». Hover: name, value in
    French format (`decimals` as in `format_value`) and rank (« 2e sur 8 »). Commune borders
    as thin lines when `communes_geojson` is given; the territory `highlight` (a code) outlined.
    """
    features = _features_by_key(territoires_geojson, "code")
    frame = _prepare(values, features, "territoire", value_column, feminine=False)
    if highlight is not None and highlight not in features:
        raise ValueError(f"Territoire inconnu : {highlight}.")
    return _choropleth_figure(
        frame,
        territoires_geojson,
        "properties.code",
        communes_geojson,
        value_label,
        unit,
        decimals,
        label_size=13,
        highlight=highlight,
    )


def _territory_communes(communes_geojson: dict, territoire_code: str) -> dict:
    subset = {
        "type": "FeatureCollection",
        "features": [
            f
            for f in communes_geojson["features"]
            if f["properties"]["territoire"] == territoire_code
        ],
    }
    if not subset["features"]:
        raise ValueError(f"Territoire inconnu : {territoire_code}.")
    return subset


def _commune_frame(
    values: pd.DataFrame, subset: dict, value_column: str
) -> pd.DataFrame:
    features = _features_by_key(subset, "insee")
    if "insee" in values.columns:
        values = values[values["insee"].astype(str).isin(features)]
    return _prepare(values, features, "insee", value_column, feminine=True)


def commune_choropleth(
    values: pd.DataFrame,
    communes_geojson: dict,
    value_column: str,
    value_label: str,
    unit: str,
    territoire_code: str,
    *,
    decimals: int | None = None,
) -> go.Figure:
    """Choropleth of the communes of one territory, fitted to them (the drill-down).

    `values`: columns `insee`, `value_column` and optionally `nom`; rows of communes outside
    the territory are ignored. Rank among the territory's communes (« 1re sur 11 »). Only
    communes with a value are named on the map when there are many (the table names all).
    """
    subset = _territory_communes(communes_geojson, territoire_code)
    frame = _commune_frame(values, subset, value_column)
    fig = _choropleth_figure(
        frame,
        subset,
        "properties.insee",
        None,
        value_label,
        unit,
        decimals,
        label_size=10 if len(frame) > 12 else 11,
    )
    if len(frame) > 12:
        labels = fig.data[-1]
        labels.text = [texte_graphique(n) if v > 0 else ""
                       for n, v in zip(frame["nom"], frame["value"])]
    return fig


def value_table(
    values: pd.DataFrame,
    geojson: dict,
    value_column: str,
    value_label: str,
    unit: str,
    *,
    decimals: int | None = None,
    territoire_code: str | None = None,
) -> pd.DataFrame:
    """Every value the map shows, as the hover says it, best first: the table under the map.

    Territories (`values` keyed by `territoire`) or, with `territoire_code`, the communes of
    that territory (keyed by `insee`). Columns: name, value in French, « Rang » as the hover
    says it (« – » without a project).
    """
    if territoire_code is None:
        features = _features_by_key(geojson, "code")
        frame = _prepare(values, features, "territoire", value_column, feminine=False)
        name = "Territoire"
    else:
        frame = _commune_frame(values, _territory_communes(geojson, territoire_code), value_column)
        name = "Commune"
    frame = frame.sort_values(["rank", "nom"])
    has_value = frame["value"] > 0
    return pd.DataFrame(
        {
            name: frame["nom"],
            _legend_title(value_label, unit): [
                format_value(v, unit, decimals) if v > 0 else f"0 ({ZERO_TEXT})"
                for v in frame["value"]
            ],
            # As on the map, where an area without a project has no rank.
            "Rang": frame["rank_text"].where(has_value, "–"),
        }
    ).reset_index(drop=True)


def territory_from_selection(selection: dict | None, known: set[str] | list[str]) -> str | None:
    """The territory code a click on the map selected (Streamlit's selection state), if any.

    The points of the choropleth traces carry their `location`; any other point (a label, a
    border) or an unknown code is ignored.
    """
    points = ((selection or {}).get("selection") or {}).get("points") or []
    for point in points:
        location = point.get("location")
        if location in known:
            return str(location)
    return None


@lru_cache(maxsize=2)
def load_geojson(name: str) -> dict:
    """`geo/<name>.geojson` (« territoires » or « communes »), read once per process.

    The returned dict is shared: callers must not modify it.
    """
    if name not in ("territoires", "communes"):
        raise ValueError(f"Fond de carte inconnu : {name}.")
    return json.loads((GEO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- static image


def static_territory_map(
    values: pd.DataFrame,
    territoires_geojson: dict,
    communes_geojson: dict | None,
    value_column: str,
    title: str,
    unit: str,
    source_line: str,
    path: str | Path,
    fmt: str = "png",
    *,
    value_label: str | None = None,
    decimals: int | None = None,
    size: tuple[float, float] = (16, 9),
    text_size: int = 12,
    absent_text: str | None = None,
) -> Path:
    """The territory choropleth as a PNG (150 dpi; 2400 × 1350 px at the default 16:9 `size`
    in inches) or SVG, without any browser.

    Labels give each territory's name and value (`decimals` as in `format_value`) in
    `text_size` points; the colour bar is titled with `value_label` (« Valeur » by default) and
    the unit; `source_line` is printed at the bottom. A slide draws the map at the size it
    shows it, so that the points are the slide's. With `absent_text` (« hors filtre »), a
    territory absent from `values` says so, in a paler grey than a territory at 0. Returns the
    written path.
    """
    import geopandas as gpd
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    if fmt not in ("png", "svg"):
        raise ValueError(f"Format d'image non pris en charge : {fmt} (png ou svg).")
    path = Path(path)
    features = _features_by_key(territoires_geojson, "code")
    frame = _prepare(values, features, "territoire", value_column, feminine=False)

    territoires = gpd.GeoDataFrame.from_features(territoires_geojson["features"], crs="EPSG:4326")
    territoires = territoires.merge(
        frame[["code", "value", "nom"]].rename(columns={"nom": "libelle"}), on="code"
    )
    cmap = LinearSegmentedColormap.from_list("ess_blues", BLUES)
    vmax = float(frame["value"].max())
    norm = Normalize(vmin=0, vmax=vmax if vmax > 0 else 1)
    absent = set() if absent_text is None else set(features) - set(values["territoire"].astype(str))
    colors = [ABSENT_GREY if c in absent else ZERO_GREY if v <= 0 else to_hex(cmap(norm(v)))
              for c, v in zip(territoires["code"], territoires["value"])]

    fig = Figure(figsize=size, dpi=150, facecolor="white")
    FigureCanvasAgg(fig)
    # Without a title or a source line (a slide prints its own), the map takes the height.
    ax = fig.add_axes((0.04, 0.06, 0.66, 0.83) if title or source_line else (0.0, 0.01, 0.7, 0.98))
    ax.set_anchor("C")
    territoires.plot(ax=ax, color=colors, edgecolor="none")
    if communes_geojson is not None:
        communes = gpd.GeoDataFrame.from_features(communes_geojson["features"], crs="EPSG:4326")
        communes.boundary.plot(ax=ax, color="#3c3c3c", linewidth=0.35, alpha=0.45)
    territoires.boundary.plot(ax=ax, color=BORDER_COLOR, linewidth=1.8)
    outline = gpd.GeoSeries([shapely.union_all(territoires.geometry.values)], crs="EPSG:4326")
    outline.boundary.plot(ax=ax, color="#666666", linewidth=0.8)
    ax.set_axis_off()

    halo = [patheffects.withStroke(linewidth=3.5, foreground="white")]
    for row in territoires.itertuples(index=False):
        point = row.geometry.representative_point()
        value_text = format_value(row.value, unit, decimals) if row.value > 0 else ZERO_TEXT
        # Large labels (a slide) put each word on its own line, so neighbours stay apart; a
        # territory left out by the filter has only its name (its grey says the rest).
        label = row.libelle if row.code in absent else f"{row.libelle}\n{value_text}"
        ax.text(
            point.x,
            point.y,
            label if text_size < 14 else label.replace(" ", "\n"),
            ha="center",
            va="center",
            fontsize=text_size,
            linespacing=1.2,
            color="#1a1a1a",
            fontweight="bold",
            path_effects=halo,
        )

    label = _legend_title(value_label or "Valeur", unit)
    cax = fig.add_axes((0.74, 0.30, 0.018, 0.50))
    colorbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax)
    colorbar.outline.set_visible(False)
    colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_value(v, "", None)))
    colorbar.ax.tick_params(labelsize=text_size - 1)
    colorbar.set_label(label, fontsize=text_size + 1, labelpad=12)
    shown = frame[~frame["code"].isin(absent)]
    greys = [(ZERO_GREY, "Aucun projet")] if (shown["value"] <= 0).any() else []
    if absent:
        greys.append((ABSENT_GREY, absent_text.capitalize()))
    if greys:
        fig.legend(
            handles=[Patch(facecolor=c, edgecolor="#999999", label=t) for c, t in greys],
            loc="upper left",
            bbox_to_anchor=(0.735, 0.27),
            frameon=False,
            fontsize=text_size,
        )

    fig.text(0.02, 0.94, title, fontsize=20, fontweight="bold", color="#1a1a1a", va="center")
    fig.text(0.02, 0.03, source_line, fontsize=10, color="#555555", va="center")
    fig.savefig(path, format=fmt, dpi=150, facecolor="white")
    return path
