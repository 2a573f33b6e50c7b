"""The Assises' own slides: what the 2019 Assises spoke of beyond the call for projects.

The plans' timeline and the consultation, the five axes of the PMDESS 2015-2020 with what each
produced, the budgets of the actions by funder (the Annexe 2 of 002, whose printed TOTAL is
not the sum of its rows, and the APES funding plan of 004), the ESS in the métropole and public
purchasing, the Fabrique de l'emploi, the support structures and premises. Every number comes
from the store's published figures (`indicateur`, `action`, `financement`) through the named
queries; the sources in each footer are the documents of the rows shown.
"""

from __future__ import annotations

import pandas as pd
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches, Pt

from ess import fmt, plan_charts, theme
from ess.exports.slide_parts import (
    BODY_BOTTOM, BODY_TOP, DOCUMENTS, MARGIN, WIDTH, Context, Diapositive, cards, chart, rgb,
    shorten, style, text, titled_slide,
)

FORMAT_YEAR = "0"
FORMAT_EUROS = '#,##0"\u00a0€"'
ACTIONS_PER_AXIS = 2  # action names listed in an axis' row; the notes list them all
METROPOLE = ("mel-ess-salaries-2015", "mel-ess-part-emplois-2015", "mel-part-emplois-ess-region",
             "commande-publique-depenses-annuelles", "commande-publique-1-milliard")
FABRIQUE = ("fabrique-emploi-sites", "fabrique-emploi-habitants", "fabrique-emploi-chomeurs",
            "fabrique-emploi-salaries-cdi", "fabrique-emploi-duree-chomage",
            "fabrique-emploi-age-moyen", "fabrique-emploi-niveau-vi")
STRUCTURES = ("structures-accompagnement-emplois-2015-2018", "lieu-economie-creatrice-surface")
STRUCTURE_ACTIONS = ("structures-accompagnement-financement", "fabrique-mel-entreprendre",
                     "locaux-solutions", "lieu-economie-creatrice", "ptce-initiatives-cite",
                     "tastin-fives")
CONSULTATION = ("pmdess-2015-partenaires-consultation", "pmdess-2015-reunions-participatives")
# Words of a published figure's note or scope that say the source is hard to read.
DOUBT = ("douteu", "incertain", "probable")


def sources(docs) -> str:
    """« Sources : 000, délibération … ; 003, diaporama … » for the documents of the rows."""
    codes = sorted({str(d) for d in docs})
    named = [f"{c}, {DOCUMENTS[c].lower()[:1]}{DOCUMENTS[c][1:]}" if c in DOCUMENTS else c
             for c in codes]
    return f"Source{'s' if len(codes) > 1 else ''} : {' ; '.join(named)}."


def montant(value: float, unite: str) -> str:
    """A published figure as a room reads it: « 450 M€ », « 1 Md€ », « 52 000 salariés »."""
    if unite == "€" and value >= 1e9:
        return f"{fmt.nombre(value / 1e9, 0 if value % 1e9 == 0 else 1)}{fmt.NBSP}Md€"
    if unite == "€" and value >= 1e6:
        return f"{fmt.nombre(value / 1e6, 0 if value % 1e6 == 0 else 1)}{fmt.NBSP}M€"
    return fmt.mesure(value, unite)


def figure_cards(df: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value, detail) of published figures: the detail gives the document and says
    when the source is hard to read."""
    rows = []
    for row in df.itertuples():
        doubt = any(w in f"{_words(row.note)} {_words(row.perimetre)}".lower() for w in DOUBT)
        # What matters first: a shortened detail keeps the document and the doubt.
        detail = " · ".join(filter(None, [f"document {row.source_doc}",
                                          "lecture incertaine de la source" if doubt else "",
                                          _words(row.periode)]))
        rows.append((shorten(row.libelle, 70), montant(row.valeur, row.unite), detail))
    return rows


def _words(value) -> str:
    """A text column's value, empty when the store holds NULL (never « nan »)."""
    return "" if value is None or pd.isna(value) else str(value)


def _notes(df: pd.DataFrame) -> list[str]:
    return [f"{r.libelle} : {montant(r.valeur, r.unite)} ({r.source_doc}, {r.source_lieu})"
            + (f" — {r.note}" if _words(r.note) else "") for r in df.itertuples()]


def _message(slide, lines) -> None:
    text(slide, MARGIN, BODY_TOP + Inches(0.4), WIDTH - 2 * MARGIN, Inches(2.5), lines, size=20,
         spacing=12)


# --------------------------------------------------------------------------- slides


def slide_plans(prs, ctx: Context) -> None:
    """The plans and deliberations as a timeline (a native stacked bar chart whose first,
    invisible part carries each bar to its first year), and the consultation of 2015."""
    df = ctx.run("plans_chronologie")
    consultation = ctx.run("indicateurs_choisis", ids=list(CONSULTATION))
    periods = [str(d) if d == f else f"{d}-{f}" for d, f in zip(df["debut"], df["fin"])]
    # The years in each label (a bar's own label would not fit a short plan at 16 pt).
    labels = [f"{p} · {n}" if str(d) in n else f"{p} · {n} · {period}"
              for p, n, d, period in zip(df["porteur"], df["nom_court"], df["debut"], periods)]
    slide = titled_slide(
        prs, ctx, plan_charts.finding_chronologie(df),
        sources([*df["source_doc"], *consultation["source_doc"]]),
        [f"{p} · {n} : {period}" for p, n, period in zip(df["porteur"], df["nom"], periods)]
        + _notes(consultation), notice=False)
    first, last = int(df["debut"].min()), int(df["fin"].max())
    result = chart(slide, XL_CHART_TYPE.BAR_STACKED, labels,
                   [("Début", df["debut"]), ("Durée (années)", df["fin"] - df["debut"] + 1)],
                   FORMAT_YEAR, [theme.BACKGROUND, theme.PRIMARY], bottom=Inches(5.55),
                   alt="Frise des plans et délibérations ESS de la MEL et de la Ville de Lille "
                       f"de {first} à {last}.")
    base, span = result.plots[0].series
    base.format.fill.background()
    result.plots[0].has_data_labels = False
    # Bars in the chart's order (bottom first): each in its holder's colour.
    for point, porteur in zip(span.points, df["porteur"][::-1]):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(theme.financeur_color(porteur))
    axis = result.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = first - 1, last + 1, 4
    result.plots[0].gap_width = 40
    if len(consultation) == len(CONSULTATION):
        partenaires, reunions = consultation["valeur"]
        text(slide, MARGIN, Inches(5.65), WIDTH - 2 * MARGIN, Inches(0.8),
             f"PMDESS 2015-2020 : une consultation de {fmt.nombre(partenaires)} partenaires "
             f"et {fmt.nombre(reunions)} réunions participatives en 2015. Couleur des barres : "
             "bleu, MEL ; vermillon, Ville de Lille.", size=16, color=theme.INK)


def slide_axes_bilan(prs, ctx: Context) -> None:
    """The five axes of the PMDESS 2015-2020: the call's projects of each (under the view's
    filters) and the actions and schemes the sources attach to it."""
    axes = ctx.run("axes_realisations")
    actions = ctx.run("axes_actions")
    own = actions["plan"] == "PMDESS 2015-2020"
    title = (f"Les {len(axes)} axes du PMDESS 2015-2020 et ce qu'ils ont produit" if len(axes)
             else "Aucun axe du PMDESS 2015-2020 dans les axes choisis")
    notes = []
    for axe in axes.itertuples():
        names = actions.loc[actions["axe"] == axe.axe, "nom"].tolist()
        notes.append(f"Axe {axe.axe} — {axe.nom} : {_projets(axe.nb_projets)} de l'appel, "
                     f"{fmt.euros(axe.subvention)} ; actions : {' ; '.join(names) or 'aucune'}")
    slide = titled_slide(prs, ctx, title, sources(["000", "003"]), notes)
    if axes.empty:
        _message(slide, "Élargissez le filtre d'axe pour retrouver les axes du plan.")
        return
    header, row_height = Inches(0.45), Inches(0.88)
    frame = slide.shapes.add_table(len(axes) + 1, 3, MARGIN, BODY_TOP + Inches(0.05),
                                   WIDTH - 2 * MARGIN, header + row_height * len(axes))
    table = frame.table
    widths = (Inches(4.1), Inches(2.7))
    table.columns[0].width, table.columns[1].width = widths
    table.columns[2].width = WIDTH - 2 * MARGIN - sum(widths)
    table.rows[0].height = header
    labels = ("Axe", "Appel à projets (vue)", "Actions du PMDESS 2015-2020")
    for column, label in enumerate(labels):
        _cell(table.cell(0, column), label, bold=True, color=theme.BACKGROUND)
    for row, axe in enumerate(axes.itertuples(), start=1):
        table.rows[row].height = row_height
        of_axis = actions["axe"] == axe.axe
        names = actions.loc[of_axis & own, "nom"].tolist()
        listed = [shorten(n, 40) for n in names[:ACTIONS_PER_AXIS]]
        if len(names) > ACTIONS_PER_AXIS:
            listed.append(f"et {len(names) - ACTIONS_PER_AXIS} autre(s)")
        others = int((of_axis & ~own).sum())
        cell = " ; ".join(listed) or "aucune"
        if others:
            cell += f" (+ {others} d'autres plans ou hors plan)"
        _cell(table.cell(row, 0), shorten(f"{axe.axe}. {axe.nom}", 64), bold=True)
        _cell(table.cell(row, 1), f"{_projets(axe.nb_projets)} · {fmt.euros(axe.subvention)}")
        _cell(table.cell(row, 2), cell)


def _projets(n) -> str:
    return fmt.compte(int(n), "projet")


def _cell(cell, value: str, bold: bool = False, color: str = theme.INK) -> None:
    cell.text = value
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_top = cell.margin_bottom = Pt(3)
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            style(run, 14, color, bold)


def slide_budgets_2013(prs, ctx: Context) -> None:
    """The 12 actions delegated to the Ville de Lille in 2013 (Annexe 2 of 002), by Annexe 2
    axis and funder, and the TOTAL line the document prints, which is not the sum of its rows."""
    rows = ctx.run("actions_2011_2014_par_financeur")
    rows = rows[rows["annexe2"]]
    totals = ctx.run("annexe2_total_imprime").set_index("colonne")
    groups = rows.groupby("groupe", sort=False)[["mel", "ville_lille"]].sum()
    groups = groups.assign(total=groups.sum(axis=1)).sort_values("total", ascending=False)
    printed, summed = totals.loc["TOTAL", "imprime"], totals.loc["TOTAL", "somme_lignes"]
    notes = [f"{g} : MEL {fmt.euros(r.mel)}, Ville de Lille {fmt.euros(r.ville_lille)}"
             for g, r in groups.iterrows()]
    notes.append(f"TOTAL imprimé par le document : {fmt.euros(printed)} ; somme des lignes : "
                 f"{fmt.euros(summed)}.")
    slide = titled_slide(prs, ctx, plan_charts.finding_actions(rows), sources(["002"]), notes,
                         notice=False)
    if groups.empty:
        _message(slide, "Les actions déléguées de 2013 relèvent d'axes absents des axes choisis.")
        return
    chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [shorten(g, 40) for g in groups.index],
          [("MEL (Lille Métropole)", groups["mel"]), ("Ville de Lille", groups["ville_lille"])],
          FORMAT_EUROS, [theme.financeur_color("MEL"), theme.financeur_color("Ville de Lille")],
          legend=True, bottom=Inches(5.35),
          alt="Barres horizontales du financement prévisionnel 2013 des actions déléguées, par "
              "axe de l'Annexe 2, MEL et Ville de Lille.")
    text(slide, MARGIN, Inches(5.45), WIDTH - 2 * MARGIN, Inches(1.05), [
        f"Le document imprime un TOTAL de {fmt.euros(printed)} "
        f"({fmt.euros(totals.loc['Lille Métropole', 'imprime'])} pour Lille Métropole, "
        f"{fmt.euros(totals.loc['Ville de Lille', 'imprime'])} pour la Ville de Lille) ; ses "
        f"lignes font {fmt.euros(summed)} : écart de {fmt.euros(printed - summed)}, "
        "erreur de la source. Le graphique montre les lignes.",
    ], size=16, color=theme.INK)


def slide_apes(prs, ctx: Context) -> None:
    """The APES 2021 budget by funder (004): the MEL's grant, the amounts requested, and the
    part the source attributes to no one, in grey."""
    df = ctx.run("apes_plan_financement_2021")
    slide = titled_slide(prs, ctx, plan_charts.finding_apes(df), sources(["004"]), [
        f"{r.financeur} : {fmt.euros(r.montant)} ({fmt.pct(r.part_pct, 1)}, {r.nature})"
        for r in df.itertuples()], notice=False)
    if df.empty:
        _message(slide, "La subvention à l'APES relève de l'axe 2, absent des axes choisis.")
        return
    unattributed = df["nature"] == plan_charts.NON_ATTRIBUE
    labels = [shorten(f.split(" (")[0] if u else f"{f.split(' (')[0]} ({n})", 44)
              for f, n, u in zip(df["financeur"], df["nature"], unattributed)]
    chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, labels, [("Montant (€)", df["montant"])],
          FORMAT_EUROS, [theme.EMPTY if u else theme.financeur_color(f)
                         for f, u in zip(df["financeur"], unattributed)],
          bottom=Inches(5.6),
          alt="Barres horizontales du budget 2021 de l'APES par financeur, en euros.")
    rest = df[unattributed]
    if len(rest):
        text(slide, MARGIN, Inches(5.7), WIDTH - 2 * MARGIN, Inches(0.8),
             f"La décision ne dit pas d'où viennent {fmt.euros(rest['montant'].iloc[0])} "
             f"({fmt.pct(rest['part_pct'].iloc[0], 1)} du budget) : barre grise. Les montants "
             "de l'État, de la Région et des collectivités sont sollicités, pas accordés.",
             size=16)


def _figures_slide(prs, ctx: Context, ids: tuple[str, ...], title: str, per_row: int) -> None:
    df = ctx.run("indicateurs_choisis", ids=list(ids))
    slide = titled_slide(prs, ctx, title, sources(df["source_doc"]), _notes(df), notice=False)
    cards(slide, figure_cards(df), per_row=per_row)


def slide_metropole(prs, ctx: Context) -> None:
    """The ESS in the métropole (000, 004) and public purchasing (003)."""
    df = ctx.run("indicateurs_choisis", ids=list(METROPOLE[:2]))
    salaries, part = (montant(v, u) for v, u in zip(df["valeur"], df["unite"]))
    _figures_slide(prs, ctx, METROPOLE,
                   f"L'ESS dans la métropole : {salaries}, {part} des emplois", per_row=3)


def slide_fabrique(prs, ctx: Context) -> None:
    """La Fabrique de l'emploi (003)."""
    df = ctx.run("indicateurs_choisis", ids=["fabrique-emploi-sites", "fabrique-emploi-salaries-cdi"])
    sites, cdi = (montant(v, u) for v, u in zip(df["valeur"], df["unite"]))
    _figures_slide(prs, ctx, FABRIQUE,
                   f"La Fabrique de l'emploi : {sites} en quartier prioritaire, {cdi} en CDI",
                   per_row=4)


def slide_structures(prs, ctx: Context) -> None:
    """The support and funding structures, premises and the other actions of axes 1 and 3."""
    figures = ctx.run("indicateurs_choisis", ids=list(STRUCTURES))
    actions = ctx.run("actions_choisies", ids=list(STRUCTURE_ACTIONS))
    slide = titled_slide(
        prs, ctx, "Structures d'accompagnement, locaux et innovation : ce que la MEL soutient",
        sources([*figures["source_doc"], *actions["source_doc"]]),
        _notes(figures) + [f"{a.nom} ({_words(a.operateur) or 'opérateur non précisé'}) — "
                           f"{a.source}"
                           for a in actions.itertuples()], notice=False)
    column = Inches(4.6)
    cards(slide, figure_cards(figures), per_row=1, top=BODY_TOP + Inches(0.1),
          height=BODY_BOTTOM - BODY_TOP - Inches(0.2), width=column)
    lines = [shorten(f"• {a.nom}" + (f" ({a.annee_debut})" if pd.notna(a.annee_debut) else ""),
                     95) for a in actions.itertuples()]
    left = MARGIN + column + Inches(0.4)
    text(slide, left, BODY_TOP + Inches(0.1), WIDTH - MARGIN - left,
         BODY_BOTTOM - BODY_TOP - Inches(0.2), lines, size=16, spacing=10)


SLIDES = (
    Diapositive("plans", "Les plans ESS depuis 2002", slide_plans, projets=False),
    Diapositive("axes_bilan", "Les axes du PMDESS et leurs résultats", slide_axes_bilan,
                projets=False),
    Diapositive("budgets_2013", "Budgets 2013 des actions par financeur (Annexe 2)",
                slide_budgets_2013, projets=False),
    Diapositive("apes", "Plan de financement 2021 de l'APES", slide_apes, projets=False),
    Diapositive("metropole", "L'ESS dans la métropole et la commande publique",
                slide_metropole, projets=False),
    Diapositive("fabrique", "La Fabrique de l'emploi", slide_fabrique, projets=False),
    Diapositive("structures", "Structures d'accompagnement et locaux", slide_structures,
                projets=False),
)
