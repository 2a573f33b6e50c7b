"""Chart builders: pure functions, a query's DataFrame in, a Plotly figure out.

Each title states the chart's finding, the subtitle its unit, and each figure carries its source
line underneath, so a figure copied into a slide keeps all three. Titles and sources are wrapped
by hand: Plotly never wraps, and a phone shows a chart about 360 px wide. Plotly reads a subset
of HTML in every text it draws: names from the store or an imported file go through
`tables.texte_graphique` (the titles through `_wrap`).

A title states a finding only from published or derived figures (`ess.provenance`); otherwise it
describes the chart. Reconstructed bars are hatched and lighter, with a legend entry « estimation
(reconstitution) »: the frames the queries return say which (`provenance_<column>`), and their
source line (`frame.attrs["source"]`) names the documents or the MEL's imported file.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ess import fmt, provenance, theme
from ess.maps import BLUES, ZERO_GREY, ZERO_TEXT, format_value
from ess.tables import texte_graphique
from ess.theme import EMPTY, INK, MUTED, PRIMARY, SERIES, TEMPLATE_NAME, category_color

NOTICE = "Données reconstituées à partir des chiffres publiés"
OTHER = theme.OTHER  # an « other » category, shown apart
# For frames that do not carry their own source line (built by hand, in tests).
SOURCE_AAP = (
    "Sources : diaporama des 2es Assises métropolitaines de l'ESS (MEL, 2019) ; site de la MEL."
)
UNKNOWN_ACTIVITY = "autre"  # projects whose activity the source does not detail

TITLE_WIDTH = 40  # characters per title line at 17 px
SUBTITLE_WIDTH = 50  # characters per subtitle line at 13 px
SOURCE_WIDTH = 64  # characters per source line at 11 px
LABEL_WIDTH = 22  # characters per category label line on horizontal bars
MAX_FLAT_LABELS = 6  # vertical bars whose long value labels still fit side by side
LINE_PX = {"title": 22, "subtitle": 19, "source": 14, "legend": 26}


def _wrap(text: str, width: int) -> tuple[str, int]:
    """`text`, as text for Plotly, with `<br>` line breaks every `width` characters, and its
    number of lines.

    A colon or semicolon stays with the word before it, as French typography wants.
    """
    text = text.replace(" :", f"{fmt.NBSP}:").replace(" ;", f"{fmt.NBSP};")
    lines = textwrap.wrap(text, width) or [""]
    return "<br>".join(texte_graphique(line) for line in lines), len(lines)


def _tick_width(fig: go.Figure) -> int:
    """Estimated width in px of the y axis' tick labels (14 px font), from the data."""
    bars = [t for t in fig.data if t.type == "bar"]
    if any(t.orientation == "h" for t in bars):
        lines = [line for t in bars for label in t.y if label is not None
                 for line in str(label).split("<br>")]
        chars = max((len(line) for line in lines), default=4)
    else:
        top = max((v for t in bars for v in t.y if v is not None), default=0)
        chars = len(fmt.nombre(top)) + len(fig.layout.yaxis.ticksuffix or "")
    return int(chars * 6.6) + 14


def _frame(
    fig: go.Figure, title: str, source: str, height: int = 280, unit: str | None = None,
    legend: bool = False,
) -> go.Figure:
    """Title (finding) and subtitle (unit) on top, source line under the axis, French layout.

    `height` is the plot area's; the figure grows by what its title, legend and source need.
    """
    if any(t.name == provenance.LEGEND for t in fig.data):
        source += f" Hachures : {provenance.LEGEND} à partir des totaux publiés."
    title_text, title_lines = _wrap(title, TITLE_WIDTH)
    unit_text, unit_lines = _wrap(unit or "", SUBTITLE_WIDTH)
    source_text, source_lines = _wrap(source, SOURCE_WIDTH)
    top = 20 + LINE_PX["title"] * title_lines
    top += LINE_PX["subtitle"] * unit_lines + 8 if unit else 0
    top += LINE_PX["legend"] if legend else 4
    # The x axis' tick labels, between the plot and the source line: years written upwards
    # when there are too many to stand side by side (`_years_axis`).
    tick_labels = 44 if fig.layout.xaxis.tickangle == -90 else 26
    bottom = tick_labels + LINE_PX["source"] * source_lines + 10
    # A known left margin lets the source line start at the figure's left edge, like the title.
    left = _tick_width(fig)
    total = height + top + bottom
    # The legend sits under the subtitle, from the figure's left edge: placed in the
    # container's coordinates, it neither wraps on a narrow plot nor pushes the margins.
    legend_top = top - LINE_PX["legend"]
    fig.update_layout(
        template=TEMPLATE_NAME,
        title=dict(
            text=title_text, subtitle=dict(text=unit_text),
            # Plotly centres a title's lines on its anchor: push it down by half a line for
            # each line after the first.
            y=1, yref="container", yanchor="top",
            pad=dict(t=10 + LINE_PX["title"] * (title_lines - 1) // 2),
        ),
        height=total,
        margin=dict(t=top, b=bottom, l=left),
        showlegend=legend,
        legend=dict(xref="container", yref="container", x=0, y=1 - legend_top / total,
                    yanchor="top"),
    )
    fig.add_annotation(
        text=source_text, showarrow=False, xref="paper", yref="paper", x=0, y=0,
        xshift=-left + 2, yshift=-tick_labels, xanchor="left", yanchor="top", align="left",
        font=dict(size=11, color=MUTED),
    )
    return fig


def _source(df: pd.DataFrame, source: str | None) -> str:
    return source or df.attrs.get("source", SOURCE_AAP)


def _estimates(marker: dict, flags: list[bool]) -> dict:
    """`marker` with the reconstructed bars hatched and lighter; their colours stay those of
    the palette, so that both marks compose."""
    if not any(flags):
        return marker
    return {
        **marker,
        "opacity": [0.55 if f else 1 for f in flags],
        "pattern": dict(shape=["/" if f else "" for f in flags], fillmode="overlay",
                        fgcolor=INK, fgopacity=0.6, size=8, solidity=0.3),
    }


def _estimate_legend(fig: go.Figure) -> bool:
    """A legend entry « estimation (reconstitution) » when a bar of `fig` is hatched as one;
    whether there is one. The entry's empty bar shares the first bar's slot, so that grouped
    bars keep their width."""
    bars = [t for t in fig.data if t.type == "bar"]
    if not any(t.marker.pattern and t.marker.pattern.shape
               and any(t.marker.pattern.shape) for t in bars):
        return False
    for index, trace in enumerate(bars):
        if trace.offsetgroup is None:
            trace.offsetgroup = str(index)
    horizontal = bars[0].orientation == "h"
    empty = dict(x=[None], y=[None]) if not horizontal else dict(y=[None], x=[None])
    fig.add_bar(**empty, orientation=bars[0].orientation, name=provenance.LEGEND,
                offsetgroup=bars[0].offsetgroup, hoverinfo="skip", showlegend=True,
                marker=dict(color="#ffffff", line=dict(color=MUTED, width=1),
                            pattern=dict(shape="/", fgcolor=INK, fgopacity=0.6, size=8,
                                         solidity=0.3)))
    return True


def _label(text: str) -> str:
    return _wrap(str(text), LABEL_WIDTH)[0]


def _rows_height(labels, bars: int = 1) -> int:
    """Plot height for horizontal bars: Plotly gives every row the same height, that of the
    tallest label or of the row's bars."""
    lines = max((str(n).count("<br>") + 1 for n in labels), default=1)
    return len(labels) * max(17 * lines + 8, 22 * bars + 10)


def _years_axis(fig: go.Figure, years: int) -> None:
    """A category axis of years, written upwards when there are many (16 editions of the call
    do not fit side by side on a half-width chart, and Plotly would slant them over the source
    line)."""
    fig.update_xaxes(type="category", tickangle=-90 if years > MAX_FLAT_LABELS * 2 else 0)


def projets_par_annee(df: pd.DataFrame, source: str | None = None) -> go.Figure:
    """Projects funded per year (`annee`, `nb_projets`)."""
    title = finding_projets_par_annee(df)
    fig = go.Figure(
        go.Bar(
            x=df["annee"].astype(str), y=df["nb_projets"], name="Projets financés",
            showlegend=False,
            marker=_estimates(dict(color=SERIES["réalisés"]),
                              provenance.estimated(df, "nb_projets")),
            text=df["nb_projets"], textposition="outside", cliponaxis=False,
            hovertemplate="%{x} : %{y} projet(s) financé(s)<extra></extra>",
        )
    )
    _years_axis(fig, len(df))
    return _frame(fig, title, _source(df, source), legend=_estimate_legend(fig),
                  unit="Nombre de projets financés, par année du soutien")


def subventions_par_annee(df: pd.DataFrame, source: str | None = None) -> go.Figure:
    """MEL grants per year (`annee`, `subvention`)."""
    title = finding_subventions(df)
    fig = go.Figure(
        go.Bar(
            x=df["annee"].astype(str), y=df["subvention"], name="Subventions",
            showlegend=False,
            marker=_estimates(dict(color=SERIES["réalisés"]),
                              provenance.estimated(df, "subvention")),
            # Beyond a few years, amounts side by side would overlap: the axis, the hover and
            # the data table give them.
            text=[fmt.euros(v) for v in df["subvention"]] if len(df) <= MAX_FLAT_LABELS else None,
            textposition="outside", cliponaxis=False,
            hovertemplate="%{x} : %{y:,.0f} €<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat=",.0f", ticksuffix=" €")
    _years_axis(fig, len(df))
    return _frame(fig, title, _source(df, source), legend=_estimate_legend(fig),
                  unit="Subventions de la MEL, en euros, par année du soutien")


def _horizontal(fig: go.Figure, labels: list[str], top: float, bars: int = 1) -> int:
    """Lay out horizontal bars (first category on top, room on the right for the values
    written after the bars); returns the plot height their rows need."""
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(range=[0, (top if top > 0 else 1) * 1.3])
    return max(120, _rows_height(labels, bars))


def jobs_forecast_vs_realised(
    df: pd.DataFrame, by: str = "annee", label: str | None = None,
    per: str = "par année du soutien", horizontal: bool = False, source: str | None = None,
) -> go.Figure:
    """Jobs forecast vs realised (ETP) per `by` category, labelled by column `label`.

    Vertical bars for years; `horizontal` for named categories, whose labels need the width.
    Forecast bars are outlined, realised ones plain: the two series differ by more than their
    colour, and a hatch stays free to mark a reconstructed value.
    """
    names = [texte_graphique(n) for n in df[label or by].astype(str)]
    title = finding_jobs(df)
    # Realised jobs not known yet (recent projects): the bars compare them with the forecast of
    # the projects whose result is known only, as the ratios do.
    partial = "nb_realises_inconnus" in df and bool(df["nb_realises_inconnus"].sum())
    if partial:
        df = df.assign(emplois_prevus=df["emplois_prevus_connus"])
    labels = [_label(n) for n in df[label or by].astype(str)]
    fig = go.Figure()
    for column, name, outline in (("emplois_prevus", "prévus", 1.5),
                                  ("emplois_realises", "réalisés", 0)):
        marker = _estimates(dict(color=SERIES[name], line=dict(color=INK, width=outline)),
                            provenance.estimated(df, column))
        if horizontal:  # values after the bars; a phone has no room above grouped bars
            fig.add_bar(
                y=labels, x=df[column], orientation="h", name=name.capitalize(), marker=marker,
                customdata=names,
                text=["non connu" if pd.isna(v) else fmt.etp(v) for v in df[column]],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{customdata} : %{x:,.1~f} ETP " + name + "<extra></extra>",
            )
        else:
            fig.add_bar(
                x=names, y=df[column], name=name.capitalize(), marker=marker,
                hovertemplate="%{x} : %{y:,.1~f} ETP " + name + "<extra></extra>",
            )
    fig.update_layout(barmode="group", legend=dict(traceorder="normal"))
    if horizontal:
        top = max(df["emplois_prevus"].max(), df["emplois_realises"].max())
        height = _horizontal(fig, labels, top, bars=2)
    else:
        _years_axis(fig, len(df))
        height = 280
    _estimate_legend(fig)
    unit = f"Emplois créés ou consolidés, en ETP, {per}"
    if partial:
        unit += " ; prévus des seuls projets dont le résultat est connu"
    unknown = df.loc[df["emplois_realises"].isna(), label or by].astype(str).tolist()
    if unknown:
        unit += f" ; réalisés non connus : {', '.join(unknown)}"
    return _frame(fig, title, _source(df, source), height=height, legend=True, unit=unit)


def _bars_with_reference(
    shown: pd.DataFrame, label: str, column: str, text, hover: str, reference: float, name: str,
) -> tuple[go.Figure, int]:
    """Horizontal bars of `column` per `label`, with a dashed line at `reference` named `name`;
    the figure and its plot height."""
    labels = [_label(n) for n in shown[label]]
    fig = go.Figure(
        go.Bar(
            y=labels, x=shown[column], orientation="h", name="Valeurs", showlegend=False,
            marker=_estimates(dict(color=PRIMARY), provenance.estimated(shown, column)),
            customdata=[texte_graphique(n) for n in shown[label]],
            text=[text(v) for v in shown[column]],
            textposition="outside", cliponaxis=False, hovertemplate=hover,
        )
    )
    if len(shown):
        fig.add_vline(x=reference, line=dict(color=INK, width=1.5, dash="dash"), layer="below",
                      annotation=dict(text=name, font=dict(size=12, color=INK)),
                      annotation_position="top")
    top = max(shown[column].max(), reference) if len(shown) else 0
    return fig, _horizontal(fig, labels, top)


def taux_realisation(
    df: pd.DataFrame, label: str, noun: tuple[str, str], per: str, source: str | None = None,
) -> go.Figure:
    """Realised jobs as a share of forecast jobs per category (`taux_realisation_pct`).

    `noun` names one category and several (« territoire », « territoires »): the title counts
    the categories that reached their forecast.
    """
    shown = df.dropna(subset=["taux_realisation_pct"])
    reached = int((shown["taux_realisation_pct"] >= 100).sum())
    if len(shown) and provenance.stated(*provenance.of(shown, "taux_realisation_pct")):
        title = (f"Emplois prévus atteints ou dépassés dans {reached} "
                 f"{noun[0] if len(shown) < 2 else noun[1]} sur {len(shown)}")
    elif len(shown):
        title = f"Emplois réalisés rapportés aux emplois prévus, {per}"
    else:
        title = "Aucun emploi prévu pour ces filtres"
    fig, height = _bars_with_reference(
        shown, label, "taux_realisation_pct", fmt.pct,
        "%{customdata} : %{x:.0f} % des emplois prévus<extra></extra>", 100, "prévu")
    fig.update_xaxes(ticksuffix=" %")
    return _frame(fig, title, _source(df, source), height=height, legend=_estimate_legend(fig),
                  unit=f"Emplois réalisés en % des emplois prévus, {per}")


def emplois_pour_10k(
    df: pd.DataFrame, label: str, per: str, overall: float, source: str | None = None,
    overall_provenance: str = provenance.PUBLIE,
) -> go.Figure:
    """Jobs realised per 10 000 € granted per category (`etp_pour_10k`), against `overall`
    (of provenance `overall_provenance`)."""
    shown = df.dropna(subset=["etp_pour_10k"])
    whole = f"{fmt.etp(round(overall, 1))} réalisés pour 10 000 € accordés"
    if len(shown) and provenance.stated(overall_provenance,
                                        *provenance.of(shown, "etp_pour_10k")):
        best = shown["etp_pour_10k"].idxmax()
        title = (f"{whole}, jusqu'à {fmt.etp(round(shown.at[best, 'etp_pour_10k'], 1))} "
                 f"({shown.at[best, label]})")
    elif len(shown) and provenance.stated(overall_provenance):
        title = whole
    elif len(shown):
        title = f"Emplois réalisés pour 10 000 € accordés, {per}"
    else:
        title = "Aucune subvention pour ces filtres"
    fig, height = _bars_with_reference(
        shown, label, "etp_pour_10k", lambda v: fmt.etp(round(v, 1)),
        "%{customdata} : %{x:,.1f} ETP pour 10 000 €<extra></extra>", overall, "ensemble")
    return _frame(fig, title, _source(df, source), height=height, legend=_estimate_legend(fig),
                  unit=f"Emplois réalisés (ETP) pour 10 000 € accordés, {per}")


def repartition(
    df: pd.DataFrame, code: str, label: str, title: str, published: str | None = None,
    source: str | None = None, *, value: str = "nb_projets", unit: str | None = None,
    apart: tuple[str, ...] = (),
) -> go.Figure:
    """Horizontal bars of `value` per category, with the published figure when given.

    Counts are labelled with their share when `part_pct` is there (« 11 · 18 % »). Each bar
    has its category's colour (`code` names the family: territoire, forme_juridique, activite).
    Categories in `apart` (codes of an « other » category) come last, in grey.
    """
    percent = value.endswith("_pct")
    if apart:
        df = pd.concat([df[~df[code].isin(apart)], df[df[code].isin(apart)]])
    colors = [
        OTHER if c in apart else category_color(code, c) if n else EMPTY
        for c, n in zip(df[code], df["nb_projets"])
    ]
    if percent:
        text = [f"{fmt.pct(v)} · {fmt.compte(n, 'projet')}"
                for v, n in zip(df[value].fillna(0), df["nb_projets"])]
    elif "part_pct" in df:
        text = [f"{fmt.nombre(n)} · {fmt.pct(p)}"
                for n, p in zip(df[value], df["part_pct"].fillna(0))]
    else:
        text = [fmt.nombre(n) for n in df[value]]
    suffix = " %" if percent else " projet(s)"
    labels = [_label(n) for n in df[label]]
    names = [texte_graphique(n) for n in df[label]]
    fig = go.Figure(
        go.Bar(
            y=labels, x=df[value], orientation="h", name="Données",
            marker=_estimates(dict(color=colors), provenance.estimated(df, value)),
            text=text, textposition="outside", cliponaxis=False,
            customdata=names,
            hovertemplate="%{customdata} : %{x:.0f}" + suffix + "<extra></extra>",
        )
    )
    if published:
        fig.add_scatter(
            y=labels, x=df[published], mode="markers", name="Publié",
            customdata=names,
            marker=dict(symbol="line-ns-open", size=34, color=INK, line=dict(width=3)),
            hovertemplate="%{customdata} : %{x:.0f}" + suffix + " (publié)<extra></extra>",
        )
    top = max(df[value].max(), df[published].max() if published else 0)
    height = _horizontal(fig, labels, top)
    if percent:
        ticks = [0, 50, 100]
        fig.update_xaxes(range=[0, 140], tickvals=ticks, ticktext=[fmt.pct(t) for t in ticks])
    elif top <= 4:
        fig.update_xaxes(dtick=1)  # whole projects, not Plotly's 0,5 steps of a short axis
    estimates = _estimate_legend(fig)
    return _frame(fig, title, _source(df, source), height=height,
                  legend=bool(published) or estimates, unit=unit)


def activites(df: pd.DataFrame, published: bool = True,
              source: str | None = None) -> go.Figure:
    """Projects per activity type (`projets_par_activite`); the slide's counts when `published`.

    The projects whose activity the source does not detail come last, in grey.
    """
    unit = "Nombre de projets et part des projets, par type d'activité"
    if published:
        unit += " ; trait : chiffre publié"
    return repartition(df, "activite", "libelle", finding_activites(df),
                       "nb_publie" if published else None, source, unit=unit,
                       apart=(UNKNOWN_ACTIVITY,))


def finding_activites(df: pd.DataFrame) -> str:
    """« Art et culture en tête des activités : 11 projets sur 62, hors 12 d'activité non
    détaillée (en gris) »: the projects whose activity the source does not detail are no
    activity, so they never lead, and the title says so when they outnumber the first one."""
    total = int(df["nb_projets"].sum())
    known = df[(df["activite"] != UNKNOWN_ACTIVITY) & (df["nb_projets"] > 0)]
    other = int(df.loc[df["activite"] == UNKNOWN_ACTIVITY, "nb_projets"].sum())
    if len(known) and provenance.stated(provenance.total(df, "nb_projets"),
                                        *provenance.of(known, "nb_projets")):
        top = int(known["nb_projets"].max())
        leaders = known.loc[known["nb_projets"] == top, "libelle"].tolist()
        count = f"{fmt.compte(top, 'projet')} sur {fmt.nombre(total)}"
        if len(leaders) == 1:
            title = f"{leaders[0]} en tête des activités : {count}"
        elif len(leaders) == 2:
            title = f"{leaders[0]} et {leaders[1]} en tête des activités : {count} chacune"
        else:
            title = f"{len(leaders)} activités à égalité en tête : {count} chacune"
        if other > top:
            title += f", hors {fmt.nombre(other)} d'activité non détaillée (en gris)"
    elif len(known):
        title = "Projets financés par type d'activité"
    elif total:
        title = f"{fmt.compte(total, 'projet')}, tous d'activités non détaillées dans la source"
    else:
        title = "Aucun projet pour ces filtres"
    return title


def formes_juridiques(df: pd.DataFrame, published: bool = True,
                      source: str | None = None) -> go.Figure:
    """Share of projects per legal form (`projets_par_forme`), with the published shares."""
    shares = df.set_index("forme_juridique")["part_pct"].fillna(0)
    if df["nb_projets"].sum() and not provenance.stated(*provenance.of(df, "part_pct")):
        title = "Part des projets par forme juridique"
    elif df["nb_projets"].sum():
        title = (f"{fmt.pct(shares.get('association', 0))} d'associations, "
                 f"{fmt.pct(shares.get('entreprise-cooperative-sociale', 0))} d'entreprises "
                 "coopératives ou sociales")
    else:
        title = "Aucun projet pour ces filtres"
    unit = "Part des projets financés, en %, par forme juridique"
    if published:
        unit += " ; trait : chiffre publié"
    return repartition(df, "forme_juridique", "libelle", title,
                       "part_publiee_pct" if published else None, source,
                       value="part_pct", unit=unit)


def territory_ranking(
    df: pd.DataFrame, label: str, unit: str = "", decimals: int | None = None,
    source: str | None = None,
) -> go.Figure:
    """The 8 territories compared: horizontal bars of `valeur`, largest on top, labelled by `nom`.

    Same colours as the map (ColorBrewer Blues by value, grey for a territory at 0).
    """
    # Plotly draws bottom-up: largest on top, ties in alphabetical order as in the table.
    df = df.sort_values(["valeur", "nom"], ascending=[True, False])
    top = float(df["valeur"].max()) or 1.0
    colors = [
        ZERO_GREY if v <= 0 else sample_colorscale(BLUES, v / top, colortype="rgb")[0]
        for v in df["valeur"]
    ]
    texts = [format_value(v, unit, decimals) if v > 0 else ZERO_TEXT for v in df["valeur"]]
    best = df.iloc[-1]
    if best["valeur"] <= 0:
        title = "Aucun projet pour ces filtres"
    elif provenance.stated(provenance.of(df, "valeur")[-1]):
        title = f"{label} : {best['nom']} en tête ({texts[-1]})"
    else:
        title = f"{label}, par territoire"
    names = [texte_graphique(n) for n in df["nom"]]
    fig = go.Figure(
        go.Bar(
            y=names, x=df["valeur"], orientation="h", name="Valeurs", showlegend=False,
            marker=_estimates(dict(color=colors, line=dict(
                color="#9fb3c8", width=[1 if v <= 0 else 0 for v in df["valeur"]])),
                provenance.estimated(df, "valeur")),
            text=texts, textposition="outside", cliponaxis=False,
            customdata=texts, hovertemplate="%{y} : %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat=",~f", range=[0, top * 1.3])
    return _frame(fig, title, _source(df, source), height=_rows_height(names),
                  legend=_estimate_legend(fig),
                  unit=f"{label} ({unit}), par territoire" if unit else f"{label}, par territoire")


# The finding sentences are the charts' titles; the PowerPoint export reuses them as slide titles.


def finding_projets_par_annee(df: pd.DataFrame) -> str:
    """« 62 projets financés, dont 17 en 2017 » from `annee`, `nb_projets`."""
    total = int(df["nb_projets"].sum())
    if not total:
        return "Aucun projet financé pour ces filtres"
    best = df.loc[df["nb_projets"].idxmax()]
    funded = fmt.compte(total, "projet financé", "projets financés")
    if not provenance.stated(provenance.total(df, "nb_projets")):
        return "Projets financés par année du soutien"
    if (df["nb_projets"] > 0).sum() == 1:
        return f"{funded} en {int(best['annee'])}"
    if not provenance.stated(provenance.of(df, "nb_projets")[df.index.get_loc(best.name)]):
        return funded
    return f"{funded}, dont {fmt.nombre(best['nb_projets'])} en {int(best['annee'])}"


def finding_subventions(df: pd.DataFrame) -> str:
    """« 768 200 € accordés par la MEL, de 148 300 € à 227 200 € par an » from `subvention`."""
    total = df["subvention"].sum()
    active = df.loc[df["subvention"] > 0]
    if not total:
        return "Aucune subvention pour ces filtres"
    if not provenance.stated(provenance.total(df, "subvention")):
        return "Subventions de la MEL par année du soutien"
    if not provenance.stated(*provenance.of(active, "subvention")):
        return f"{fmt.euros(total)} accordés par la MEL"
    if len(active) > 1 and "annee" in df:
        return (f"{fmt.euros(total)} accordés par la MEL, de {fmt.euros(active['subvention'].min())} "
                f"à {fmt.euros(active['subvention'].max())} par an")
    if "annee" in df:
        return f"{fmt.euros(total)} accordés par la MEL en {int(active['annee'].iloc[0])}"
    return f"{fmt.euros(total)} accordés par la MEL"


def finding_jobs(df: pd.DataFrame) -> str:
    """« 483 ETP réalisés pour 455 ETP prévus (+6 %) » from `emplois_prevus`, `emplois_realises`
    and, when given, `emplois_prevus_connus`: the forecast of the projects whose realised jobs
    are known, the only ones compared."""
    prevus = df.get("emplois_prevus_connus", df["emplois_prevus"]).sum()
    realises = df["emplois_realises"].sum()
    if not prevus:
        if df["emplois_prevus"].sum():
            return "Emplois réalisés non connus pour ces filtres"
        return "Aucun emploi prévu pour ces filtres"
    if not provenance.stated(provenance.total(df, "emplois_prevus"),
                             provenance.total(df, "emplois_realises")):
        return "Emplois créés ou consolidés, prévus et réalisés"
    gap = (realises - prevus) / prevus * 100
    known = " (projets au résultat connu)" if prevus != df["emplois_prevus"].sum() else ""
    return (
        f"{fmt.etp(realises)} réalisés pour {fmt.etp(prevus)} prévus{known} "
        f"({'+' if gap >= 0 else '−'}{fmt.pct(abs(gap))})"
    )


def finding_repartition(
    df: pd.DataFrame, code: str, label: str, ignore: tuple[str, ...] = (),
    neutral: str = "Projets financés par catégorie",
) -> str:
    """« Lillois en tête : 34 projets sur 62 (55 %) » from `nb_projets` per category, or the
    `neutral` description when those figures are reconstructed.

    Categories in `ignore` (codes, e.g. an « other » category) never lead the sentence.
    """
    total = int(df["nb_projets"].sum())
    candidates = df[~df[code].isin(ignore)]
    if not total or not candidates["nb_projets"].sum():
        return "Aucun projet pour ces filtres"
    best = candidates.loc[candidates["nb_projets"].idxmax()]
    if not provenance.stated(provenance.total(df, "nb_projets"),
                             provenance.of(df, "nb_projets")[df.index.get_loc(best.name)]):
        return neutral
    count = int(best["nb_projets"])
    return (
        f"{best[label]} en tête : {count} projet{'s' if count > 1 else ''} sur {total} "
        f"({fmt.pct(100 * count / total)})"
    )
