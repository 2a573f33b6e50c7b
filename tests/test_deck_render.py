"""The deck as a room sees it: LibreOffice Impress renders four decks (the full one, 2017, several
filters, a view without any project) to PDF and PNG in one conversion; no word runs past its
shape or the slide, every chart has something drawn, and the palette's colours are on screen.

Needs Debian's `libreoffice-impress` and `poppler-utils` (installed by `.ci/run`).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date

import pytest
from PIL import Image
from pptx import Presentation

from ess import theme
from ess.exports import deck
from test_deck_assises import VIEWS

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice Impress et poppler-utils absents (installés par .ci/run)",
)
EMU_PER_PT = 12700
TOLERANCE = 2.0  # points: anti-aliasing and LibreOffice's own rounding
DPI = 40
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@pytest.fixture(scope="module")
def rendered(con, tmp_path_factory):
    """{view: (Presentation, [(page width, height, words)], [PNG path per slide])}."""
    folder = tmp_path_factory.mktemp("rendu")
    files = {name: folder / f"vue{index}" for index, name in enumerate(VIEWS)}
    for name, filtres in VIEWS.items():
        files[name].with_suffix(".pptx").write_bytes(
            deck.build(con, filtres, day=date(2026, 11, 29), titre="3es Assises métropolitaines "
                       "de l'économie sociale et solidaire", date_evenement=date(2026, 12, 10)))
    # A profile of its own (no clash with another LibreOffice) in French, as staff run it:
    # the charts' number formats then read « 768 200 € ».
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8"}
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profil", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder),
         *[str(f.with_suffix(".pptx")) for f in files.values()]],
        check=True, capture_output=True, timeout=300, env=env)
    result = {}
    for name, stem in files.items():
        pdf, bbox = stem.with_suffix(".pdf"), stem.with_suffix(".html")
        subprocess.run(["pdftotext", "-bbox", str(pdf), str(bbox)], check=True, timeout=60)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(stem)],
                       check=True, timeout=120)
        pages = [
            (float(w), float(h), [(float(a), float(b), float(c), float(d), html.unescape(t))
                                  for a, b, c, d, t in WORD.findall(body)])
            for w, h, body in PAGE.findall(bbox.read_text("utf-8"))
        ]
        images = sorted(folder.glob(f"{stem.name}-*.png"))
        result[name] = (Presentation(str(stem.with_suffix(".pptx"))), pages, images)
    return result


def _box(shape) -> tuple[float, float, float, float]:
    return (shape.left / EMU_PER_PT, shape.top / EMU_PER_PT,
            (shape.left + shape.width) / EMU_PER_PT, (shape.top + shape.height) / EMU_PER_PT)


def _inside(word, box) -> bool:
    x0, y0, x1, y1 = word[:4]
    return (x0 >= box[0] - TOLERANCE and y0 >= box[1] - TOLERANCE
            and x1 <= box[2] + TOLERANCE and y1 <= box[3] + TOLERANCE)


def _tokens(text: str) -> Counter:
    # Split after a hyphen too: LibreOffice may wrap « 2015-2020 » at its hyphen.
    return Counter(t for t in re.split(r"\s+|(?<=-)", re.sub("[\u00a0\u202f]", " ", text)) if t)


def _text_of(shape) -> str:
    if shape.has_table:
        return " ".join(c.text for row in shape.table.rows for c in row.cells)
    return shape.text_frame.text if shape.has_text_frame else ""


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_text_runs_past_its_shape_or_the_slide(rendered, view):
    prs, pages, _ = rendered[view]
    assert len(pages) == len(prs.slides)
    for number, (slide, (width, height, words)) in enumerate(zip(prs.slides, pages), start=1):
        assert (round(width), round(height)) == (960, 540)  # 13,333 × 7,5 in
        boxes = [_box(shape) for shape in slide.shapes]
        assert words, number
        for word in words:
            assert _inside(word, (0, 0, width, height)), (view, number, word)
            # A word outside every shape is text that ran past its box (a footer grown over
            # the chart, a table row that did not hold, a title too long).
            assert any(_inside(word, box) for box in boxes), (view, number, word)
        # Every word of a text box or table is drawn inside it: a label that grew over the
        # figure under it, in the same card, is caught too.
        for shape in slide.shapes:
            wanted = _tokens(_text_of(shape))
            drawn = _tokens(" ".join(w[4] for w in words if _inside(w, _box(shape))))
            assert not wanted - drawn, (view, number, shape.name, wanted - drawn)


def _colored_share(image: Image.Image, box) -> float:
    """The share of the pixels in `box` (points) that are neither white nor grey."""
    scale = DPI / 72
    crop = image.convert("RGB").crop(tuple(int(v * scale) for v in box))
    pixels = list(crop.get_flattened_data())
    colored = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40)
    return colored / max(len(pixels), 1)


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_chart_is_empty(rendered, view):
    prs, pages, images = rendered[view]
    charts_seen = 0
    for slide, (_, _, words), png in zip(prs.slides, pages, images):
        for shape in slide.shapes:
            if shape.has_chart:
                charts_seen += 1
                box = _box(shape)
                inside = [w[4] for w in words if _inside(w, box)]
                assert any(any(ch.isdigit() for ch in w) for w in inside), (view, png.name)
                with Image.open(png) as image:
                    # Hatched estimates are pale by design: a few bars of them still colour
                    # about half a per cent of a chart; an empty chart colours none.
                    assert _colored_share(image, box) > 0.004, (view, png.name)
    assert charts_seen == (3 if view == "vide" else 10)


def _has_color(png, box, hex_color: str) -> bool:
    target = tuple(int(hex_color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    scale = DPI / 72
    with Image.open(png) as image:
        crop = image.convert("RGB").crop(tuple(int(v * scale) for v in box))
        return any(sum(abs(a - b) for a, b in zip(pixel, target)) < 24
                   for pixel in crop.get_flattened_data())


def test_rendered_colours_and_french_numbers(rendered):
    prs, pages, images = rendered["complète"]

    def chart_box(slide_id):
        slide = prs.slides[deck.SLIDE_IDS.index(slide_id)]
        return next(_box(s) for s in slide.shapes if s.has_chart)

    png = {slide_id: images[deck.SLIDE_IDS.index(slide_id)] for slide_id in deck.SLIDE_IDS}
    assert _has_color(png["territoires"], chart_box("territoires"),
                      theme.category_color("territoire", "lillois"))
    assert _has_color(png["formes"], chart_box("formes"),
                      theme.category_color("forme_juridique", "association"))
    assert _has_color(png["activites"], chart_box("activites"),
                      theme.category_color("activite", "art-culture"))
    assert _has_color(png["apes"], chart_box("apes"), theme.FINANCEURS["MEL"])
    subventions = " ".join(w[4] for w in pages[deck.SLIDE_IDS.index("subventions")][2])
    assert "195\u00a0700\u00a0€" in subventions or "195 700 €" in subventions
    assert "195,700" not in subventions
    every = " ".join(w[4] for _, _, words in pages for w in words)
    assert "nan" not in every.split() and "10 décembre 2026" in every
