"""The PowerPoint deck of the current view, for the Assises métropolitaines de l'ESS.

Every slide is built from the same named queries as the pages (`ess.queries.run`) under the same
filters. Charts are native PowerPoint charts (staff change colours and labels in PowerPoint),
titled with the same finding sentence as the app's charts (`ess.charts.finding_*`). The slides
are 16:9; each carries the source, the view's filters and, while the rows are reconstructed,
the data notice in its footer.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from PIL import Image, ImageChops
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ess import charts, fmt, kpis, maps, queries, theme
from ess.filters import Filtres, known_values, summary
from ess.paths import GEO_DIR

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 × 7.5 in
FIRST_YEAR, LAST_YEAR = 2015, 2018
MARGIN = Inches(0.5)
BODY_TOP, BODY_BOTTOM = Inches(1.45), Inches(6.55)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # in python-pptx's default template

SOURCE = (
    "Source : MEL, appel à projets « Entreprendre autrement » ; 2es Assises métropolitaines de "
    "l'ESS (2019, document 003) ; Observatoire ESS de la MEL."
)
NOTICE_LINE = (
    f"{charts.NOTICE} : les totaux publiés sont exacts, la répartition entre projets est "
    "reconstituée."
)
DOCUMENTS = {
    "000": "Délibération du Conseil de la MEL adoptant le PMDESS 2015-2020 "
           "(exécutoire le 23/10/2015)",
    "001": "Délibération du Conseil communal de Lomme, 23 juin 2021 : stratégie ESS de la Ville "
           "de Lille 2021-2026",
    "002": "Note synthétique de la MEL sur le lien entre la MEL et les communes, actions 2011-2014",
    "003": "Diaporama des 2es Assises métropolitaines de l'ESS (2019)",
    "004": "Décision du Bureau de la MEL (2021) : subvention à l'APES",
}
METHOD = (
    "Chiffres publiés : 62 projets financés de 2015 à 2018, leurs formes juridiques, activités "
    "et territoires, 768 200 € de subventions et les emplois prévus et réalisés (003).",
    "Les résultats par projet ne sont pas publics : un jeu de 62 projets reconstitué reproduit "
    "exactement chaque total publié ; la répartition entre projets est une reconstitution.",
    "Axe du PMDESS 2015-2020 d'un projet : celui que sert son activité (aucune source ne le "
    "donne).",
    "Le vrai fichier de la MEL remplace le jeu reconstitué par l'import réservé aux agents.",
    "Chaque chiffre publié et son emplacement dans les documents : page « Chiffres clés et "
    "sources » du tableau de bord.",
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# Number formats of data labels and axes: PowerPoint shows them with the reader's separators
# (« 768 200 € » in French); the space before € is a no-break space.
FORMAT_COUNT = "0"
FORMAT_EUROS = '#,##0"\u00a0€"'
FORMAT_ETP = "General"
AXIS_LABEL_MAX = 48
CARD = "#f0f4f8"  # background of the key-figure cards


@dataclass(frozen=True)
class Context:
    """What every slide needs: the store, the view, and what stays the same across slides."""

    con: duckdb.DuckDBPyConnection
    filtres: Filtres
    known: dict[str, dict[str, str]]
    day: date
    reconstructed: bool

    def run(self, name: str) -> pd.DataFrame:
        return queries.run(self.con, name, self.filtres)


@dataclass(frozen=True)
class Diapositive:
    """One kind of slide: its id (CLI, check boxes), its French name, and its builder."""

    id: str
    titre: str
    build: Callable[[Presentation, Context], None]


# --------------------------------------------------------------------------- French words


def date_longue(day: date) -> str:
    """`2026-11-29` → « 29 novembre 2026 » (« 1er » for the first day of a month)."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def periode(filtres: Filtres) -> str:
    """The years of the view: « 2015-2018 », « 2016-2017 », « 2015, 2017 » or « 2016 »."""
    years = sorted(filtres.annees) or list(range(FIRST_YEAR, LAST_YEAR + 1))
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def _short(text: str, limit: int = AXIS_LABEL_MAX) -> str:
    """A long category label cut at a word, for chart axes (the notes keep the full label)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --------------------------------------------------------------------------- shapes


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _style(run, size: int, color: str = theme.INK, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)
    run.font.language_id = MSO_LANGUAGE_ID.FRENCH  # spell checking and screen readers


def _text(slide, left, top, width, height, lines, size=14, color=theme.INK, bold=False,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, spacing=0, wrap=True):
    """A text box with one paragraph per line, in the given size and colour."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = wrap
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box keeps the place the layout gives it
    frame.vertical_anchor = anchor
    for index, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(spacing)
        run = paragraph.add_run()
        run.text = line
        _style(run, size, color, bold)
    return box


def _rectangle(slide, left, top, width, height, color: str):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()
    # Without the theme's style reference, no viewer adds its default shadow.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


def _alt_text(shape, text: str) -> None:
    """The description a screen reader gives for a picture or a chart."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _footer(slide, ctx: Context, number: int) -> None:
    lines = [SOURCE]
    if not ctx.filtres.is_empty():
        lines[0] += f" Vue : {summary(ctx.filtres, ctx.known)}"
    if ctx.reconstructed:
        lines.append(NOTICE_LINE)
    _text(slide, MARGIN, Inches(6.7), WIDTH - 2 * MARGIN - Inches(0.6), Inches(0.7), lines,
          size=10, color=theme.MUTED, anchor=MSO_ANCHOR.BOTTOM)
    _text(slide, WIDTH - MARGIN - Inches(0.6), Inches(6.95), Inches(0.6), Inches(0.4),
          str(number), size=10, color=theme.MUTED, align=PP_ALIGN.RIGHT,
          anchor=MSO_ANCHOR.BOTTOM)


def _slide(prs, ctx: Context, title: str, notes: Iterable[str] = ()):
    """A « Title Only » slide: the title in the layout's placeholder (editable, in the
    outline, read first by screen readers), a thin accent line, the footer, speaker notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, Inches(0.35)
    heading.width, heading.height = WIDTH - 2 * MARGIN, Inches(0.95)
    heading.text = title
    frame = heading.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # a long finding shrinks, never overflows
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            _style(run, 28, bold=True)
    _rectangle(slide, MARGIN, Inches(1.34), Inches(1.2), Emu(38100), theme.PRIMARY)
    _footer(slide, ctx, len(prs.slides))
    notes = list(notes)
    if notes:
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    return slide


def _chart(slide, kind, categories, series, number_format, colors, *, legend=False,
           alt: str = ""):
    """A native chart filling the slide's body.

    `series`: (name, values) pairs; `colors`: one colour per series, or for a single series a
    list with one colour per category (the same colour as in the app for the same category).
    """
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values in series:
        data.add_series(name, [float(v) for v in values])
    frame = slide.shapes.add_chart(
        kind, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_BOTTOM - BODY_TOP, data
    )
    chart = frame.chart
    chart.has_title = False
    chart.font.size = Pt(13)
    chart.font.color.rgb = _rgb(theme.INK)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(13)
    for index, chart_series in enumerate(plot.series):
        if len(series) == 1 and len(colors) == len(categories):
            for point, color in zip(chart_series.points, colors):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(color)
        else:
            chart_series.format.fill.solid()
            chart_series.format.fill.fore_color.rgb = _rgb(colors[index])
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb(theme.GRID)
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format = number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.minimum_scale = 0
    category_axis = chart.category_axis
    category_axis.format.line.color.rgb = _rgb(theme.GRID)
    if kind == XL_CHART_TYPE.BAR_CLUSTERED:
        category_axis.reverse_order = True  # first category on top, as in the app
    if alt:
        _alt_text(frame, alt)
    return chart


def _listing(df: pd.DataFrame, label: str, column: str, show: Callable) -> list[str]:
    return [f"{row[label]} : {show(row[column])}" for _, row in df.iterrows()]


def _projets(n) -> str:
    return f"{fmt.nombre(n)} projet{'s' if n > 1 else ''}"


# --------------------------------------------------------------------------- slides


def slide_titre(prs, ctx: Context) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    title.left, title.top = MARGIN, Inches(1.6)
    title.width, title.height = WIDTH - 2 * MARGIN, Inches(1.9)
    title.text = (
        f"Appel à projets « Entreprendre autrement » : les résultats {periode(ctx.filtres)}"
    )
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            _style(run, 38, bold=True)
    subtitle.left, subtitle.top = MARGIN, Inches(3.7)
    subtitle.width, subtitle.height = WIDTH - 2 * MARGIN, Inches(2.4)
    lines = [
        "Assises métropolitaines de l'économie sociale et solidaire · "
        "Métropole Européenne de Lille",
        f"Période : {periode(ctx.filtres)}",
        "Tous les projets, sans filtre" if ctx.filtres.is_empty()
        else f"Filtres : {summary(ctx.filtres, ctx.known)}",
        f"Document produit le {date_longue(ctx.day)}",
    ]
    frame = subtitle.text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for index, paragraph in enumerate(frame.paragraphs):
        for run in paragraph.runs:
            _style(run, 20 if index == 0 else 16, theme.PRIMARY if index == 0 else theme.MUTED)
    _footer(slide, ctx, len(prs.slides))


def slide_chiffres(prs, ctx: Context) -> None:
    cards = kpis.chiffres_cles(ctx.run("projets_kpi"), ctx.run("projets_par_annee"))
    slide = _slide(prs, ctx, f"Chiffres clés de l'appel à projets, {periode(ctx.filtres)}",
                   [f"{c.label} : {c.value} ({c.context})" for c in cards])
    gap = Inches(0.3)
    width = (WIDTH - 2 * MARGIN - 3 * gap) / 4
    for index, (label, value, detail, _) in enumerate(cards):
        left = MARGIN + index * (width + gap)
        _rectangle(slide, left, Inches(2.1), width, Inches(3.4), CARD)
        _text(slide, left + Inches(0.2), Inches(2.3), width - Inches(0.4), Inches(0.5), label,
              size=16, color=theme.MUTED)
        _text(slide, left + Inches(0.2), Inches(2.9), width - Inches(0.4), Inches(1.2), value,
              size=30, color=theme.PRIMARY, bold=True, anchor=MSO_ANCHOR.MIDDLE, wrap=False)
        _text(slide, left + Inches(0.2), Inches(4.3), width - Inches(0.4), Inches(1.0), detail,
              size=14, color=theme.INK)


def slide_annees(prs, ctx: Context) -> None:
    df = ctx.run("projets_par_annee")
    slide = _slide(prs, ctx, charts.finding_projets_par_annee(df),
                   ["Projets financés par année du soutien :",
                    *_listing(df, "annee", "nb_projets", _projets)])
    _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [str(a) for a in df["annee"]],
           [("Projets financés", df["nb_projets"])], FORMAT_COUNT, [theme.SERIES["réalisés"]],
           alt="Histogramme des projets financés par année du soutien.")


def slide_subventions(prs, ctx: Context) -> None:
    df = ctx.run("projets_par_annee")
    slide = _slide(prs, ctx, charts.finding_subventions(df),
                   ["Subventions de la MEL par année du soutien :",
                    *_listing(df, "annee", "subvention", fmt.euros)])
    _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [str(a) for a in df["annee"]],
           [("Subventions (€)", df["subvention"])], FORMAT_EUROS, [theme.SERIES["réalisés"]],
           alt="Histogramme des subventions de la MEL par année du soutien, en euros.")


def slide_emplois(prs, ctx: Context) -> None:
    df = ctx.run("projets_par_annee")
    notes = ["Emplois créés ou consolidés (ETP), prévus puis réalisés :"] + [
        f"{row.annee} : {fmt.etp(row.emplois_prevus)} prévus, {fmt.etp(row.emplois_realises)} "
        "réalisés" for row in df.itertuples()
    ]
    slide = _slide(prs, ctx, charts.finding_jobs(df), notes)
    _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [str(a) for a in df["annee"]],
           [("Emplois prévus (ETP)", df["emplois_prevus"]),
            ("Emplois réalisés (ETP)", df["emplois_realises"])],
           FORMAT_ETP, [theme.SERIES["prévus"], theme.SERIES["réalisés"]], legend=True,
           alt="Histogramme groupé des emplois prévus et réalisés par année, en ETP.")


def _repartition(prs, ctx: Context, query: str, code: str, label: str, what: str,
                 ignore: tuple[str, ...] = ()) -> None:
    """Horizontal bars of projects per category, coloured like the app (grey when empty)."""
    df = ctx.run(query)
    colors = [
        theme.category_color(str(c), i) if n else theme.EMPTY
        for i, (c, n) in enumerate(zip(df[code], df["nb_projets"]))
    ]
    slide = _slide(prs, ctx, charts.finding_repartition(df, code, label, ignore),
                   [f"Projets financés par {what} :",
                    *_listing(df, label, "nb_projets", _projets)])
    _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [_short(str(v)) for v in df[label]],
           [("Projets financés", df["nb_projets"])], FORMAT_COUNT, colors,
           alt=f"Barres horizontales des projets financés par {what}.")


def slide_territoires(prs, ctx: Context) -> None:
    _repartition(prs, ctx, "projets_par_territoire", "territoire", "nom", "territoire")


def slide_formes(prs, ctx: Context) -> None:
    _repartition(prs, ctx, "projets_par_forme", "forme_juridique", "libelle", "forme juridique")


def slide_activites(prs, ctx: Context) -> None:
    # « Autre » gathers the labels the source's OCR lost: it cannot be the finding.
    _repartition(prs, ctx, "projets_par_activite", "activite", "libelle", "type d'activité",
                 ignore=("autre",))


def slide_axes(prs, ctx: Context) -> None:
    df = ctx.run("projets_par_axe")
    df = df.assign(
        numero=[f"Axe {n}" for n in df["axe"]],
        libelle=[f"Axe {n} : {nom}" for n, nom in zip(df["axe"], df["nom"])],
    )
    colors = [theme.PALETTE[0] if n else theme.EMPTY for n in df["nb_projets"]]
    slide = _slide(prs, ctx, charts.finding_repartition(df, "axe", "numero"),
                   ["Projets financés par axe du PMDESS 2015-2020 (axe que sert l'activité) :",
                    *_listing(df, "libelle", "nb_projets", _projets)])
    _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [_short(v) for v in df["libelle"]],
           [("Projets financés", df["nb_projets"])], FORMAT_COUNT, colors,
           alt="Barres horizontales des projets financés par axe du PMDESS 2015-2020.")


def _trimmed(path: Path) -> Path:
    """The PNG without its white margins, so that the map fills the slide's body."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, "white")).getbbox()
    if box:
        pad = 20
        box = (max(box[0] - pad, 0), max(box[1] - pad, 0),
               min(box[2] + pad, rgb.width), min(box[3] + pad, rgb.height))
        rgb.crop(box).save(path)
    return path


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
    empty = [str(n) for n, v in zip(df["nom"], df["nb_projets"]) if not v]
    title = charts.finding_repartition(df, "territoire", "nom")
    if 0 < len(empty) <= 2:
        title += f" ; sans projet : {' et '.join(empty)}"
    elif len(empty) < len(df) and empty:
        title += f" ; {len(empty)} territoires sans projet"
    slide = _slide(prs, ctx, title, [
        "Carte des projets financés par territoire :",
        *_listing(df, "nom", "nb_projets", _projets),
    ])
    with tempfile.TemporaryDirectory() as folder:
        # The slide gives the title and the source: the image keeps only the map and its scale.
        image = maps.static_territory_map(
            df, _geojson("territoires.geojson"), _geojson("communes.geojson"), "nb_projets",
            "", "", "", Path(folder) / "carte.png", value_label="Projets financés",
        )
        picture = _picture(slide, _trimmed(image), BODY_TOP, BODY_BOTTOM - BODY_TOP)
    _alt_text(picture, "Carte des 8 territoires de la MEL : " + " ; ".join(
        _listing(df, "nom", "nb_projets", _projets)) + ".")


def slide_sources(prs, ctx: Context) -> None:
    slide = _slide(prs, ctx, "Sources et méthode")
    column = (WIDTH - 2 * MARGIN - Inches(0.4)) / 2
    _text(slide, MARGIN, BODY_TOP, column, Inches(0.5), "Documents sources", size=18,
          bold=True, color=theme.PRIMARY)
    _text(slide, MARGIN, BODY_TOP + Inches(0.55), column, Inches(4.5),
          [f"{code} — {title}" for code, title in DOCUMENTS.items()], size=14, spacing=8)
    right = MARGIN + column + Inches(0.4)
    _text(slide, right, BODY_TOP, column, Inches(0.5), "Méthode", size=18, bold=True,
          color=theme.PRIMARY)
    _text(slide, right, BODY_TOP + Inches(0.55), column, Inches(4.5),
          [f"• {line}" for line in METHOD], size=14, spacing=8)


SLIDES: tuple[Diapositive, ...] = (
    Diapositive("titre", "Page de titre", slide_titre),
    Diapositive("chiffres", "Chiffres clés", slide_chiffres),
    Diapositive("annees", "Projets par année", slide_annees),
    Diapositive("subventions", "Subventions par année", slide_subventions),
    Diapositive("emplois", "Emplois prévus et réalisés", slide_emplois),
    Diapositive("territoires", "Projets par territoire", slide_territoires),
    Diapositive("formes", "Projets par forme juridique", slide_formes),
    Diapositive("activites", "Projets par type d'activité", slide_activites),
    Diapositive("axes", "Projets par axe du PMDESS", slide_axes),
    Diapositive("carte", "Carte des territoires", slide_carte),
    Diapositive("sources", "Sources et méthode", slide_sources),
)
SLIDE_IDS = tuple(s.id for s in SLIDES)


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


def build(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres | None = None,
    slides: Iterable[str] | None = None,
    *,
    day: date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """The deck as .pptx bytes: the `slides` ids (all when None), always in the deck's order.

    `progress(done, total, titre)` is called before each slide is built.
    """
    wanted = list(slides) if slides is not None else list(SLIDE_IDS)
    unknown = unknown_slides(wanted)
    if unknown:
        raise ValueError(
            f"Diapositive inconnue : {', '.join(unknown)}. Possibles : {', '.join(SLIDE_IDS)}."
        )
    ctx = Context(
        con=con,
        filtres=filtres or Filtres(),
        known=known_values(queries.run(con, "filtres_valeurs")),
        day=day or date.today(),
        # The notice concerns the store, not the view: as on the pages (`ui.header`).
        reconstructed=bool(queries.run(con, "projets_kpi").loc[0, "nb_reconstitues"]),
    )
    prs = Presentation()
    _widen_layouts(prs)
    prs.core_properties.title = "Appel à projets « Entreprendre autrement »"
    prs.core_properties.subject = "Assises métropolitaines de l'ESS"
    prs.core_properties.author = "Observatoire ESS de la MEL"
    prs.core_properties.language = "fr-FR"
    chosen = [s for s in SLIDES if s.id in wanted]
    for done, slide in enumerate(chosen):
        if progress:
            progress(done, len(chosen), slide.titre)
        slide.build(prs, ctx)
    if progress:
        progress(len(chosen), len(chosen), "Présentation prête")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
