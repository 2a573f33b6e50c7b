"""The parts every slide of the deck is made of: text boxes, cards, native charts, the footer
with its slide-number field, in sizes a room reads from the back (chart text 16 pt at least,
footers 12 pt).

The deck's slides (`ess.exports.deck`, `ess.exports.assises`) only choose data and words.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION,
)
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

from ess import queries, theme
from ess.charts import NOTICE
from ess.filters import Filtres, summary

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 × 7.5 in
MARGIN = Inches(0.5)
BODY_TOP, BODY_BOTTOM = Inches(1.45), Inches(6.5)
FOOTER_TOP = Inches(6.6)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # in python-pptx's default template
CHART_PT = 16  # every text of a chart: axes, data labels, legend
FOOTER_PT = 12
NUMBER_WIDTH = Inches(0.7)
# Characters per footer line at 12 pt on the footer's width (measured on the rendered deck
# with a margin): the footer holds three lines, so it never reaches the chart above it.
FOOTER_LINE = 120
CARD = "#f0f4f8"  # background of the key-figure cards
NOTICE_LINE = f"{NOTICE} ; la répartition entre projets est reconstituée."
# The source documents, by their code in the store (`source_doc`).
DOCUMENTS = {
    "000": "Délibération du Conseil de la MEL adoptant le PMDESS 2015-2020 "
           "(exécutoire le 23/10/2015)",
    "001": "Délibération du Conseil communal de Lomme, 23 juin 2021 : stratégie ESS de la Ville "
           "de Lille 2021-2026",
    "002": "Note synthétique de la MEL sur le lien entre la MEL et les communes, actions 2011-2014",
    "003": "Diaporama des 2es Assises métropolitaines de l'ESS (2019)",
    "004": "Décision du Bureau de la MEL (2021) : subvention à l'APES",
}


@dataclass(frozen=True)
class Context:
    """What every slide needs: the store, the view, and what stays the same across slides."""

    con: duckdb.DuckDBPyConnection
    filtres: Filtres
    known: dict[str, dict[str, str]]
    day: date
    reconstructed: bool
    titre: str
    date_evenement: date | None = None

    def run(self, name: str, **params) -> pd.DataFrame:
        return queries.run(self.con, name, self.filtres, **params)

    def view(self, limit: int) -> str:
        """The view's filters in at most `limit` characters (the title slide names them all)."""
        return shorten(summary(self.filtres, self.known), limit,
                       "… (détail en page de titre)")


@dataclass(frozen=True)
class Diapositive:
    """One kind of slide: its id (CLI, check boxes), its French name, and its builder.

    `projets`: the slide shows the call's projects, so a view without any project replaces it
    by a single slide that says so.
    """

    id: str
    titre: str
    build: Callable
    projets: bool = True


def shorten(text: str, limit: int, placeholder: str = "…") -> str:
    """`text` cut at a word so that it holds in `limit` characters with `placeholder`."""
    return textwrap.shorten(text, limit, placeholder=placeholder) if len(text) > limit else text


def rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def style(run, size: int, color: str = theme.INK, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = rgb(color)
    run.font.language_id = MSO_LANGUAGE_ID.FRENCH  # spell checking and screen readers


def text(slide, left, top, width, height, lines, size=16, color=theme.INK, bold=False,
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
        style(run, size, color, bold)
    return box


def rectangle(slide, left, top, width, height, color: str):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(color)
    shape.line.fill.background()
    # Without the theme's style reference, no viewer adds its default shadow.
    element = shape._element.find(qn("p:style"))
    if element is not None:
        shape._element.remove(element)
    return shape


def alt_text(shape, description: str) -> None:
    """The description a screen reader gives for a picture or a chart."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", description)


def slide_number(slide) -> None:
    """The slide's number as a PowerPoint field: it follows when staff insert a slide."""
    box = text(slide, WIDTH - MARGIN - NUMBER_WIDTH, FOOTER_TOP, NUMBER_WIDTH,
               HEIGHT - FOOTER_TOP - Inches(0.12), "‹n°›", size=FOOTER_PT, color=theme.MUTED,
               align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)
    run = box.text_frame.paragraphs[0].runs[0]._r
    field = parse_xml(f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" '
                      'type="slidenum"/>')
    for child in list(run):
        field.append(child)
    # What a viewer shows before it computes the field: the number at export time.
    field.find(qn("a:t")).text = str(len(slide.part.package.presentation_part.presentation
                                         .slides))
    run.addprevious(field)
    run.getparent().remove(run)


def footer(slide, ctx: Context, source: str, notice: bool = True) -> None:
    """Source, view and notice under the body, in at most three 12 pt lines, and the slide
    number field; a long view is shortened so that the footer never grows over the chart.
    `notice`: the slide shows per-project figures (a slide of published figures only has
    nothing reconstructed to warn about)."""
    lines = [shorten(source, FOOTER_LINE)]
    if not ctx.filtres.is_empty():
        lines.append(f"Vue : {ctx.view(FOOTER_LINE - 6)}")
    if ctx.reconstructed and notice:
        lines.append(shorten(NOTICE_LINE, FOOTER_LINE))
    text(slide, MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN - NUMBER_WIDTH,
         HEIGHT - FOOTER_TOP - Inches(0.12), lines, size=FOOTER_PT, color=theme.MUTED,
         anchor=MSO_ANCHOR.BOTTOM)
    slide_number(slide)


def titled_slide(prs, ctx: Context, title: str, source: str, notes: Iterable[str] = (),
                 notice: bool = True):
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
            style(run, 28 if len(title) <= 70 else 24, bold=True)
    rectangle(slide, MARGIN, Inches(1.34), Inches(1.2), Emu(38100), theme.PRIMARY)
    footer(slide, ctx, source, notice)
    notes = list(notes)
    if notes:
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    return slide


def _french(chart) -> None:
    """The chart's language: PowerPoint and LibreOffice write its numbers the French way."""
    space = chart._chartSpace
    if space.find(qn("c:lang")) is None:
        space.insert(1 if space.find(qn("c:date1904")) is not None else 0,
                     parse_xml(f'<c:lang {nsdecls("c")} val="fr-FR"/>'))


def chart(slide, kind, categories, series, number_format, colors, *, legend=False,
          alt: str = "", top=BODY_TOP, bottom=BODY_BOTTOM):
    """A native chart filling the slide's body, all its text at `CHART_PT`.

    `series`: (name, values) pairs; `colors`: one colour per series, or for a single series a
    list with one colour per category (the same colour as in the app for the same category).
    Horizontal bars come top first: the first category is drawn on top, the value axis stays
    under the bars and the category axis on their left, where readers expect them.
    """
    categories, series = list(categories), [(n, list(v)) for n, v in series]
    per_point = len(series) == 1 and len(colors) == len(categories)
    stacked = kind in (XL_CHART_TYPE.BAR_STACKED, XL_CHART_TYPE.COLUMN_STACKED)
    horizontal = kind in (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED)
    if horizontal:  # PowerPoint draws the first category at the bottom
        categories = categories[::-1]
        series = [(n, v[::-1]) for n, v in series]
        colors = colors[::-1] if per_point else colors
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values in series:
        # A value not known (realised jobs of recent projects) stays a gap, never 0.
        data.add_series(name, [None if pd.isna(v) else float(v) for v in values])
    frame = slide.shapes.add_chart(kind, MARGIN, top, WIDTH - 2 * MARGIN, bottom - top, data)
    result = frame.chart
    _french(result)
    result.has_title = False
    result.font.size = Pt(CHART_PT)
    result.font.color.rgb = rgb(theme.INK)
    result.has_legend = legend
    if legend:
        result.legend.position = XL_LEGEND_POSITION.TOP
        result.legend.include_in_layout = False
        result.legend.font.size = Pt(CHART_PT)
    plot = result.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    # Outside the end of a bar, where a stacked bar's next part would be: there, in its middle.
    labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(CHART_PT)
    for index, chart_series in enumerate(plot.series):
        if per_point:
            for point, color in zip(chart_series.points, colors):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(color)
        else:
            chart_series.format.fill.solid()
            chart_series.format.fill.fore_color.rgb = rgb(colors[index])
    value_axis = result.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = rgb(theme.GRID)
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format = number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(CHART_PT)
    value_axis.minimum_scale = 0
    if horizontal and not stacked:
        # Each bar carries its value: a value scale at 16 pt would only crowd the bottom.
        value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        value_axis.has_major_gridlines = False
    category_axis = result.category_axis
    category_axis.format.line.color.rgb = rgb(theme.GRID)
    category_axis.tick_labels.font.size = Pt(CHART_PT)
    if alt:
        alt_text(frame, alt)
    return result


def cards(slide, figures: list[tuple[str, str, str]], top=Inches(1.6), height=Inches(4.8),
          per_row: int = 4, width=WIDTH - 2 * MARGIN) -> None:
    """Key-figure cards in rows of `per_row` within `width` from the left margin: (label,
    value, detail) each, the value in large type (smaller when it is long, never cut)."""
    gap = Inches(0.3)
    rows = [figures[i:i + per_row] for i in range(0, len(figures), per_row)]
    row_height = (height - gap * (len(rows) - 1)) / len(rows)
    card_width = (width - (per_row - 1) * gap) / per_row
    inner = card_width - Inches(0.4)
    label_height, value_height = Inches(0.78), Inches(0.62)  # three lines of label, one value
    rest = row_height - Inches(0.16) - label_height - value_height
    # Characters a 14 pt box holds: about 8 pt a character, 17 pt a line, a fifth lost to
    # word wrapping; longer label and detail are cut at a word (the notes keep them whole).
    per_line = inner / 12700 / 8
    label_max = int(per_line * 3 * 0.8)
    detail_max = int(per_line * int(rest / 12700 / 17) * 0.8)
    for r, row in enumerate(rows):
        y = top + r * (row_height + gap)
        for index, (label, value, detail) in enumerate(row):
            left = MARGIN + index * (card_width + gap)
            rectangle(slide, left, y, card_width, row_height, CARD)
            text(slide, left + Inches(0.2), y + Inches(0.08), inner, label_height,
                 shorten(label, label_max), size=14, color=theme.MUTED)
            # About 0.7 em per character of a bold figure (DejaVu, wider than Calibri).
            size = min(30, int(inner / 12700 / (0.72 * max(len(value), 1))))
            text(slide, left + Inches(0.2), y + Inches(0.08) + label_height, inner,
                 value_height, value, size=size, color=theme.PRIMARY, bold=True,
                 anchor=MSO_ANCHOR.MIDDLE, wrap=False)
            text(slide, left + Inches(0.2), y + Inches(0.08) + label_height + value_height,
                 inner, rest, shorten(detail, detail_max), size=14, color=theme.INK)
