"""Chart builders of the « Plan et budgets » page: a query's DataFrame in, a Plotly figure out.

Same frame as `ess.charts` (a title that states the finding, the source line underneath).
Horizontal bars carry their label above the bar rather than beside it, and titles and source
lines are wrapped: the bars keep the whole width and every text stays readable on a phone.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ess import fmt, provenance, tables
from ess.charts import SOURCE_AAP, _estimate_legend, _estimates, _frame
from ess.tables import texte_graphique
from ess.theme import EMPTY, INK, MUTED, SERIES, category_color, financeur_color

SOURCE_PLANS = (
    "Sources : délibération du Conseil de la MEL adoptant le PMDESS 2015-2020 (000) ; "
    "délibération de Lomme, stratégie ESS de la Ville de Lille 2021-2026 (001) ; site de la "
    "MEL, page « Économie sociale et solidaire » (feuille de route ESS 2022-2026)."
)
AXIS_RULE = " Axe de chaque projet : celui que sert son activité (lecture du projet)."
SOURCE_2011_2014 = (
    "Source : note de la MEL sur les actions 2011-2014 (002), premier tableau et Annexe 2 "
    "(financement prévisionnel 2013)."
)
SOURCE_APES = "Source : décision du Bureau de la MEL, subvention 2021 à l'APES (004)."
SOURCE_LILLE = (
    "Source : délibération de Lomme du 23 juin 2021, stratégie ESS de la Ville de Lille "
    "2021-2026 (001)."
)
NON_ATTRIBUE = "non attribué"

LABEL_WIDTH = 50  # a bar label on one line of a phone screen
ROW_PX = 62  # one bar and the label above it
BAR_WIDTH = 0.45  # in rows


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    """A bar label cut on a word boundary; the full text stays in the hover and the table."""
    return texte_graphique(textwrap.shorten(str(text), width, placeholder="…"))


def _framed(fig: go.Figure, title: str, source: str, rows: int, legend: bool = False) -> go.Figure:
    """`ess.charts._frame` for bars labelled above each bar: the x axis' title becomes the
    subtitle that names the unit, so the source line sits right under the tick labels."""
    unit = fig.layout.xaxis.title.text
    fig.update_xaxes(title_text=None)
    return _frame(fig, title, source, height=ROW_PX * rows, unit=unit, legend=legend)


def _rows(fig: go.Figure, labels: list[str], bold: frozenset[int] = frozenset()) -> None:
    """Write row labels above their bars, top row first (rows placed by `_y`).

    The y axis is numeric (row i at n-1-i): labels and bars share exact positions, where a
    categorical axis placed the annotations in another order than the bars.
    """
    n = len(labels)
    fig.update_yaxes(range=[-0.6, n - 0.3], showticklabels=False, showgrid=False,
                     zeroline=False, fixedrange=True)
    fig.update_traces(selector=dict(type="bar"), width=BAR_WIDTH)
    above = ROW_PX * BAR_WIDTH / 2
    for i, label in enumerate(labels):
        fig.add_annotation(
            x=0, xref="paper", xanchor="left", y=n - 1 - i, yref="y", yanchor="bottom",
            yshift=above - (10 if i in bold else 1), showarrow=False, align="left",
            text=f"<b>{label}</b>" if i in bold else label, font=dict(size=13, color=INK),
        )


def _y(n: int) -> list[int]:
    """The y positions of n rows, top row first (as `_rows` places their labels)."""
    return list(range(n - 1, -1, -1))


def chronologie_plans(df: pd.DataFrame, source: str = SOURCE_PLANS) -> go.Figure:
    """Plans (bars from `debut` to `fin`) and one-year deliberations (diamonds), per `porteur`."""
    fig = go.Figure()
    for porteur, rows in df.assign(y=_y(len(df))).groupby("porteur", sort=False):
        color = financeur_color(porteur)
        plans = rows[rows["type"] != "délibération"]
        periods = [f"{d}-{f}" for d, f in zip(plans["debut"], plans["fin"])]
        holder = texte_graphique(porteur)
        fig.add_bar(
            y=plans["y"], x=plans["fin"] - plans["debut"] + 1, base=plans["debut"],
            orientation="h", name=f"Plan · {holder}", marker_color=color,
            customdata=list(zip(plans["nom"].map(texte_graphique), periods)),
            hovertemplate="%{customdata[0]}<br>" + holder + " · %{customdata[1]}<extra></extra>",
        )
        deliberations = rows[rows["type"] == "délibération"]
        if len(deliberations):
            fig.add_scatter(
                y=deliberations["y"], x=deliberations["debut"] + 0.5, mode="markers",
                name=f"Délibération · {holder}",
                marker=dict(symbol="diamond", size=15, color=color, line=dict(color=INK, width=1)),
                customdata=list(zip(deliberations["nom"].map(texte_graphique),
                                    deliberations["debut"])),
                hovertemplate="%{customdata[0]}<br>" + holder
                + " · %{customdata[1]}<extra></extra>",
            )
    # The holder in words (not by colour alone); the years when the short name lacks them.
    labels = [
        texte_graphique(f"{p} · {n}" if str(d) in n else f"{p} · {n} · {d}-{f}")
        for n, p, d, f in zip(df["nom_court"], df["porteur"], df["debut"], df["fin"])
    ]
    first, last = int(df["debut"].min()), int(df["fin"].max())
    title = finding_chronologie(df)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(range=[first - 0.5, last + 1.5], tick0=first, dtick=4, tickformat="d",
                     title_text="Années")
    _framed(fig, title, source, rows=len(df), legend=True)
    _rows(fig, labels)
    return fig


def realisations_par_axe(df: pd.DataFrame, source: str | None = None) -> go.Figure:
    """Projects of the call per axis of the PMDESS 2015-2020 (`axe`, `nom`, `nb_projets`,
    `subvention`), with the grants in the bar text. No source gives a project's axis: while
    the projects are reconstructed, so are these counts."""
    total = int(df["nb_projets"].sum())
    if total and not provenance.stated(*provenance.of(df, "nb_projets"),
                                       *provenance.of(df, "subvention")):
        title = "Projets financés et subventions par axe du PMDESS 2015-2020"
    elif total:
        best = df.loc[df["nb_projets"].idxmax()]
        title = (f"L'axe {int(best['axe'])} rassemble {int(best['nb_projets'])} des {total} projets "
                 f"financés ({fmt.euros(best['subvention'])} de subventions)")
    else:
        title = "Aucun projet financé pour ces filtres"
    fig = go.Figure(
        go.Bar(
            y=_y(len(df)), x=df["nb_projets"], orientation="h", name="Projets financés",
            showlegend=False,
            marker=_estimates(dict(color=[category_color("axe", a) for a in df["axe"]]),
                              provenance.estimated(df, "nb_projets")),
            text=[f"{n} projets · {fmt.euros(s)}" for n, s in zip(df["nb_projets"],
                                                                   df["subvention"])],
            textposition="outside", cliponaxis=False, customdata=df["nom"].map(texte_graphique),
            hovertemplate="%{customdata} : %{x} projets<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Projets financés", range=[0, max(1, df["nb_projets"].max()) * 1.7])
    _framed(fig, title, (source or df.attrs.get("source", SOURCE_AAP)) + AXIS_RULE, rows=len(df),
            legend=_estimate_legend(fig))
    _rows(fig, [_short(f"Axe {a} · {n}") for a, n in zip(df["axe"], df["nom"])])
    return fig


def actions_par_financeur(df: pd.DataFrame, source: str = SOURCE_2011_2014) -> go.Figure:
    """Budget of each 2011-2014 action per funder (`mel`, `ville_lille`), stacked, under a
    heading row per `groupe` (the first table of 002, or an Annexe 2 axis)."""
    labels, headings, ids = [], set(), []
    groups = df.groupby("groupe", sort=False)
    for group, rows in groups:
        if groups.ngroups > 1:
            headings.add(len(labels))
            labels.append(_short(group))
            ids.append(None)
        for action in rows.itertuples():
            labels.append(_short(action.nom))
            ids.append(action.id)
    position = {i: y for i, y in zip(ids, _y(len(labels))) if i is not None}
    data = df.set_index("id")
    y = [position[i] for i in data.index]
    fig = go.Figure()
    for column, funder in (("mel", "MEL"), ("ville_lille", "Ville de Lille")):
        if not data[column].any():
            continue  # no empty legend entry for a funder absent from these rows
        fig.add_bar(
            y=y, x=data[column], orientation="h", name=funder,
            marker_color=financeur_color(funder), customdata=data["nom"].map(texte_graphique),
            hovertemplate="%{customdata}<br>" + funder + " : %{x:,.0f} €<extra></extra>",
        )
    totals = data["mel"] + data["ville_lille"]
    fig.add_scatter(
        y=y, x=totals, mode="text", showlegend=False, hoverinfo="skip",
        text=[fmt.euros(t) if t else "non chiffré" for t in totals], textposition="middle right",
        textfont=dict(color=INK),
    )
    title = finding_actions(df)
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"))
    fig.update_xaxes(title_text="Budget (€)", tickformat=",.0f", ticksuffix=" €",
                     range=[0, max(1, totals.max()) * 1.35])
    _framed(fig, title, source, rows=len(labels), legend=True)
    _rows(fig, labels, bold=frozenset(headings))
    return fig


def apes_financeurs(df: pd.DataFrame, source: str = SOURCE_APES) -> go.Figure:
    """The APES 2021 budget per funder (`financeur`, `montant`, `nature`, `part_pct`, `budget`);
    the part no source attributes is grey and hatched, and says so."""
    unattributed = (df["nature"] == NON_ATTRIBUE).tolist()
    fig = go.Figure(
        go.Bar(
            y=_y(len(df)), x=df["montant"], orientation="h",
            marker=dict(
                color=[EMPTY if u else financeur_color(f) for u, f in zip(unattributed,
                                                                          df["financeur"])],
                pattern=dict(shape=["/" if u else "" for u in unattributed], fgcolor=MUTED),
                line=dict(color=[MUTED if u else "rgba(0,0,0,0)" for u in unattributed], width=1),
            ),
            text=[f"{fmt.euros(m)} · {fmt.pct(p, 1)}" for m, p in zip(df["montant"],
                                                                     df["part_pct"])],
            textposition="outside", cliponaxis=False,
            customdata=df["financeur"].map(texte_graphique),
            hovertemplate="%{customdata} : %{x:,.0f} €<extra></extra>",
        )
    )
    title = finding_apes(df)
    fig.update_xaxes(title_text="Montant (€)", tickformat=",.0f", ticksuffix=" €",
                     range=[0, max(1, df["montant"].max()) * 1.45])
    _framed(fig, title, source, rows=len(df))
    _rows(fig, [_short(f.split(" (")[0] if u else f"{f.split(' (')[0]} ({n})")
                for f, n, u in zip(df["financeur"], df["nature"], unattributed)])
    return fig


def lille_priorites(df: pd.DataFrame, source: str = SOURCE_LILLE) -> go.Figure:
    """Priorities per axis of the Ville de Lille strategy 2021-2026 (`axe`, `nom`,
    `nb_priorites`, `premiere_priorite`, `derniere_priorite`, `budget_plan`, `debut`, `fin`)."""
    fig = go.Figure(
        go.Bar(
            y=_y(len(df)), x=df["nb_priorites"], orientation="h",
            marker_color=financeur_color("Ville de Lille"),
            text=[f"{n} priorités (n° {a} à {b})" for n, a, b in
                  zip(df["nb_priorites"], df["premiere_priorite"], df["derniere_priorite"])],
            textposition="outside", cliponaxis=False, customdata=df["nom"].map(texte_graphique),
            hovertemplate="%{customdata} : %{x} priorités<extra></extra>",
        )
    )
    if len(df):
        title = (f"{int(df['nb_priorites'].sum())} priorités en {len(df)} axes, "
                 f"{fmt.euros(df['budget_plan'].iloc[0])} estimés pour "
                 f"{int(df['debut'].iloc[0])}-{int(df['fin'].iloc[0])}")
    else:
        title = "Aucun axe publié"
    fig.update_xaxes(title_text="Priorités", range=[0, max(1, df["nb_priorites"].max()) * 1.9])
    _framed(fig, title, source, rows=len(df))
    _rows(fig, [_short(f"Axe {a} · {n}") for a, n in zip(df["axe"], df["nom"])])
    return fig


# The finding sentences are the charts' titles; the deck's Assises slides reuse them.


def finding_chronologie(df: pd.DataFrame) -> str:
    """« 8 plans et délibérations de 2002 à 2026 : le dernier plan de la MEL s'achève en 2020,
    celui de la Ville de Lille en 2026 » from `plans_chronologie`."""
    first, last = int(df["debut"].min()), int(df["fin"].max())
    title = f"{len(df)} plans et délibérations de {first} à {last}"
    ends = df[df["type"] == "plan"].groupby("porteur")["fin"].max()
    if {"MEL", "Ville de Lille"} <= set(ends.index):
        title += (f" : le dernier plan de la MEL s'achève en {int(ends['MEL'])}, celui de la "
                  f"Ville de Lille en {int(ends['Ville de Lille'])}")
    return title


def finding_actions(df: pd.DataFrame) -> str:
    """What the 2011-2014 actions' funders bring (`mel`, `ville_lille`, `annexe2`), from the
    printed rows (`actions_2011_2014_par_financeur`)."""
    annexe2 = df[df["annexe2"]]
    if len(annexe2):
        total, ville = annexe2["mel"].sum() + annexe2["ville_lille"].sum(), annexe2["ville_lille"].sum()
        return (f"Actions déléguées de 2013 : la Ville de Lille apporte {fmt.euros(ville)} sur "
                f"{fmt.euros(total)} ({fmt.pct(100 * ville / total)}), la MEL le reste")
    if len(df):
        total = df["mel"].sum() + df["ville_lille"].sum()
        return f"Premier tableau : la MEL finance seule {fmt.euros(total)} d'actions"
    return "Aucune action 2011-2014 pour ces axes"


def finding_apes(df: pd.DataFrame) -> str:
    """« La MEL apporte 35 000 € des 753 091 € du budget 2021 de l'APES (4,6 %) » from
    `apes_plan_financement_2021`."""
    budget = df["budget"].iloc[0] if len(df) else 0
    mel = df[df["financeur"] == "MEL"]
    if len(mel):
        return (f"La MEL apporte {fmt.euros(mel['montant'].iloc[0])} des "
                f"{fmt.euros(budget)} du budget 2021 de l'APES "
                f"({fmt.pct(mel['part_pct'].iloc[0], 1)})")
    return f"Budget 2021 de l'APES : {fmt.euros(budget)}"


SOURCE_FEUILLE_DE_ROUTE = (
    "Sources : site de la MEL, page « Économie sociale et solidaire » (axe 1, actions 1 à 4) ; "
    "statuts et indicateurs : agents de la MEL, quand ils sont saisis."
)
STATUTS = ("réalisé", "en cours", "à lancer")
NON_PUBLIE = "non publié dans les sources consultées"


def runs(numbers: list[int]) -> str:
    """« 1, 3 à 6, 9 »: consecutive action numbers as ranges."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} à {r[-1]}" for r in runs)


def feuille_de_route_statuts(df: pd.DataFrame, source: str = SOURCE_FEUILLE_DE_ROUTE) -> go.Figure:
    """The roadmap's actions per status (`action`, `statut`, `plan`), the action numbers in the
    bar text; actions without a status count as « non publié »."""
    statut = df["statut"].fillna(NON_PUBLIE)
    rows = [(s, df.loc[statut == s, "action"].tolist()) for s in (*STATUTS, NON_PUBLIE)]
    colors = {"réalisé": SERIES["réalisés"], "en cours": SERIES["prévus"], "à lancer": MUTED,
              NON_PUBLIE: EMPTY}
    fig = go.Figure(go.Bar(
        y=_y(len(rows)), x=[len(a) for _, a in rows], orientation="h",
        marker=dict(color=[colors[s] for s, _ in rows],
                    line=dict(color=[MUTED if s == NON_PUBLIE else "rgba(0,0,0,0)"
                                     for s, _ in rows], width=1)),
        text=[f"{fmt.compte(len(a), 'action')} (n° {runs(a)})" if a else "aucune"
              for _, a in rows],
        textposition="outside", cliponaxis=False, customdata=[s for s, _ in rows],
        hovertemplate="%{customdata} : %{x} action(s)<extra></extra>",
    ))
    known = len(df) - int(df["statut"].isna().sum())
    plan = df["plan"].iloc[0] if len(df) else "Feuille de route"
    if known:
        done = int((df["statut"] == "réalisé").sum())
        title = (f"{plan} : {fmt.nombre(done)} action{'s' if done > 1 else ''} réalisée"
                 f"{'s' if done > 1 else ''} sur {fmt.nombre(len(df))}")
    else:
        title = f"{plan} : aucun statut publié pour ses {fmt.nombre(len(df))} actions"
    fig.update_xaxes(title_text="Actions", range=[0, max(1, len(df)) * 1.9])
    _framed(fig, title, source, rows=len(rows))
    _rows(fig, [s.capitalize() for s, _ in rows])
    return fig


def periodes(df: pd.DataFrame, source: str = SOURCE_AAP) -> go.Figure:
    """The periods of the call compared (`projets_par_periode`): grants per period, with the
    projects, the realised jobs and the share of associations written after each bar on two
    lines, so that a phone shows them whole."""
    shown = df[df["nb_projets"] > 0]
    text = [
        f"{fmt.compte(p, 'projet')} · {fmt.euros(s)}<br>"
        f"{'emplois non connus' if pd.isna(e) else fmt.etp(e)} · {fmt.pct(a)} d'associations"
        for p, s, e, a in zip(shown["nb_projets"], shown["subvention"], shown["emplois_realises"],
                              shown["part_associations_pct"])
    ]
    fig = go.Figure(go.Bar(
        y=_y(len(shown)), x=shown["subvention"], orientation="h", marker_color=SERIES["réalisés"],
        text=text, textposition="outside", cliponaxis=False, customdata=shown["nom"],
        hovertemplate="%{customdata} : %{x:,.0f} €<extra></extra>",
    ))
    if len(shown):
        best = shown.loc[shown["subvention"].idxmax()]
        title = (f"{fmt.euros(best['subvention'])} accordés en "
                 f"{tables.periode(best['annee_debut'], best['annee_fin'])}, la plus dotée des "
                 f"{len(shown)} périodes de l'appel")
    else:
        title = "Aucun projet pour ces filtres"
    top = shown["subvention"].max() if len(shown) else 0
    # The text after each bar takes the room of a second bar.
    fig.update_xaxes(title_text="Subventions de la MEL (€), projets, emplois réalisés (ETP) et "
                                "part d'associations", range=[0, max(1, top) * 2.4],
                     showticklabels=False)
    _framed(fig, title, source, rows=len(shown))
    # The years and the plan in force name a period; its full name is in the hover and table.
    _rows(fig, [_short(f"{tables.periode(d, f)} · "
                       f"{p if isinstance(p, str) else 'entre deux plans'}")
                for d, f, p in zip(shown["annee_debut"], shown["annee_fin"], shown["plan"])])
    return fig
