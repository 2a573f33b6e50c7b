"""Chart builders: pure functions, a query's DataFrame in, a Plotly figure out.

Each title states the chart's finding; each figure carries its source line underneath.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ess import fmt
from ess.maps import BLUES, ZERO_GREY, ZERO_TEXT, format_value
from ess.theme import EMPTY, MUTED, SERIES, TEMPLATE_NAME, category_color

NOTICE = "Données reconstituées à partir des chiffres publiés"
SOURCE_AAP = (
    "Source : MEL, 2es Assises métropolitaines de l'ESS (2019) ; "
    "données par projet reconstituées à partir des chiffres publiés."
)


def _frame(fig: go.Figure, title: str, source: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE_NAME,
        title=dict(text=title),
        height=height,
        annotations=[
            dict(
                text=source, showarrow=False, xref="paper", yref="paper", x=0, y=-0.2,
                xanchor="left", yanchor="top", font=dict(size=11, color=MUTED),
            )
        ],
    )
    return fig


def projets_par_annee(df: pd.DataFrame, source: str = SOURCE_AAP) -> go.Figure:
    """Projects funded per year (`annee`, `nb_projets`)."""
    title = finding_projets_par_annee(df)
    fig = go.Figure(
        go.Bar(
            x=df["annee"].astype(str), y=df["nb_projets"], marker_color=SERIES["réalisés"],
            text=df["nb_projets"], textposition="outside",
            hovertemplate="%{x} : %{y} projets<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="Projets financés")
    fig.update_xaxes(type="category", title_text="Année du soutien")
    return _frame(fig, title, source)


def subventions_par_annee(df: pd.DataFrame, source: str = SOURCE_AAP) -> go.Figure:
    """MEL grants per year (`annee`, `subvention`)."""
    title = finding_subventions(df)
    fig = go.Figure(
        go.Bar(
            x=df["annee"].astype(str), y=df["subvention"], marker_color=SERIES["réalisés"],
            text=[fmt.euros(v) for v in df["subvention"]], textposition="outside",
            hovertemplate="%{x} : %{y:,.0f} €<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="Subventions (€)", tickformat=",.0f", ticksuffix=" €")
    fig.update_xaxes(type="category", title_text="Année du soutien")
    return _frame(fig, title, source)


def jobs_forecast_vs_realised(
    df: pd.DataFrame, by: str = "annee", label: str | None = None, source: str = SOURCE_AAP
) -> go.Figure:
    """Jobs forecast vs realised (ETP) per `by` category, labelled by column `label`."""
    names = df[label or by].astype(str)
    title = finding_jobs(df)
    fig = go.Figure()
    for column, name in (("emplois_prevus", "prévus"), ("emplois_realises", "réalisés")):
        fig.add_bar(
            x=names, y=df[column], name=f"Emplois {name}", marker_color=SERIES[name],
            hovertemplate="%{x} : %{y:,.1f} ETP " + name + "<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="Emplois créés ou consolidés (ETP)")
    fig.update_xaxes(type="category")
    return _frame(fig, title, source)


def repartition(
    df: pd.DataFrame, code: str, label: str, title: str, published: str | None = None,
    source: str = SOURCE_AAP,
) -> go.Figure:
    """Horizontal bars of `nb_projets` per category, with the published count when given."""
    df = df.iloc[::-1]  # first category on top
    colors = [
        category_color(c, i) if n else EMPTY
        for i, (c, n) in enumerate(zip(df[code], df["nb_projets"]))
    ]
    fig = go.Figure(
        go.Bar(
            y=df[label], x=df["nb_projets"], orientation="h", name="Projets (tableau de bord)",
            marker_color=colors, text=df["nb_projets"], textposition="outside",
            hovertemplate="%{y} : %{x} projets<extra></extra>",
        )
    )
    if published:
        fig.add_scatter(
            y=df[label], x=df[published], mode="markers", name="Chiffre publié",
            marker=dict(symbol="line-ns-open", size=18, color="#000000", line=dict(width=2)),
            hovertemplate="%{y} : %{x} projets publiés<extra></extra>",
        )
    fig.update_xaxes(title_text="Nombre de projets")
    return _frame(fig, title, source, height=max(300, 60 + 34 * len(df)))


def territory_ranking(
    df: pd.DataFrame, label: str, unit: str = "", decimals: int | None = None,
    source: str = SOURCE_AAP,
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
    title = (
        f"{label} : {best['nom']} en tête ({texts[-1]})" if best["valeur"] > 0
        else "Aucun projet pour ces filtres"
    )
    fig = go.Figure(
        go.Bar(
            y=df["nom"], x=df["valeur"], orientation="h", marker_color=colors,
            marker_line=dict(color="#9fb3c8", width=[1 if v <= 0 else 0 for v in df["valeur"]]),
            text=texts, textposition="outside", cliponaxis=False,
            customdata=texts, hovertemplate="%{y} : %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=f"{label} ({unit})" if unit else label, tickformat=",~f",
                     range=[0, top * 1.3])
    # A narrow column, or a phone: the source on short lines rather than cut at the right edge.
    fig = _frame(fig, title, "<br>".join(textwrap.wrap(source, 50)), height=420)
    fig.update_layout(margin=dict(b=110))
    return fig


# The finding sentences are the charts' titles; the PowerPoint export reuses them as slide titles.


def finding_projets_par_annee(df: pd.DataFrame) -> str:
    """« 62 projets financés, dont 17 en 2017 » from `annee`, `nb_projets`."""
    if not df["nb_projets"].sum():
        return "Aucun projet financé pour ces filtres"
    best = df.loc[df["nb_projets"].idxmax()]
    return (
        f"{int(df['nb_projets'].sum())} projets financés, dont {int(best['nb_projets'])} "
        f"en {int(best['annee'])}"
    )


def finding_subventions(df: pd.DataFrame) -> str:
    """« 768 200 € accordés par la MEL » from a `subvention` column."""
    total = df["subvention"].sum()
    if not total:
        return "Aucune subvention pour ces filtres"
    return f"{fmt.euros(total)} accordés par la MEL"


def finding_jobs(df: pd.DataFrame) -> str:
    """« 483 ETP réalisés pour 455 ETP prévus (+6 %) » from `emplois_prevus`, `emplois_realises`."""
    prevus, realises = df["emplois_prevus"].sum(), df["emplois_realises"].sum()
    if not prevus:
        return "Aucun emploi prévu pour ces filtres"
    gap = (realises - prevus) / prevus * 100
    return (
        f"{fmt.etp(realises)} réalisés pour {fmt.etp(prevus)} prévus "
        f"({'+' if gap >= 0 else ''}{fmt.pct(gap)})"
    )


def finding_repartition(
    df: pd.DataFrame, code: str, label: str, ignore: tuple[str, ...] = ()
) -> str:
    """« Lillois en tête : 34 projets sur 62 (55 %) » from `nb_projets` per category.

    Categories in `ignore` (codes, e.g. an unreadable « autre ») never lead the sentence.
    """
    total = int(df["nb_projets"].sum())
    candidates = df[~df[code].isin(ignore)]
    if not total or not candidates["nb_projets"].sum():
        return "Aucun projet pour ces filtres"
    best = candidates.loc[candidates["nb_projets"].idxmax()]
    count = int(best["nb_projets"])
    return (
        f"{best[label]} en tête : {count} projet{'s' if count > 1 else ''} sur {total} "
        f"({fmt.pct(100 * count / total)})"
    )
