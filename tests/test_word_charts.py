"""The Word report's charts (drawn by Pillow from the charts' SVG) and its size at scale:
pictures with alternative text, the same bytes twice, every row of a large pack written."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

from lxml import etree
from PIL import Image

from benchmarks.generate import generate
from svqm_cli.render import charts
from svqm_cli.render.run import render
from svqm_cli.render.word import pictures

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
BLUE = (0x1F, 0x5F, 0x8B)  # charts.COLOURS[0]
ORANGE = (0xE0, 0x8A, 0x2C)


def _image(png: bytes | None) -> Image.Image:
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_a_chart_is_drawn_at_its_width_with_its_colours_and_labels() -> None:
    rows = [("People back in work", Decimal(1200), Decimal(900))] * 3
    svg = charts.paired_bars(rows, ("Forecast", "Actual"), "GBP", "Forecast against actual")
    image = _image(pictures.chart_png(svg))
    assert image.width == pictures.CHART_PIXELS
    height = float(svg.split('viewBox="0 0 ')[1].split('"')[0].split()[1])
    assert abs(image.height / image.width - height / charts.WIDTH) < 0.005  # the SVG's shape
    colours = {c for _, c in image.getcolors(maxcolors=4096) or []}
    assert BLUE in colours and ORANGE in colours and (255, 255, 255) in colours
    # the labels left of the bars are drawn: dark pixels in the label column
    right = round(charts.LABEL * image.width / charts.WIDTH)
    label_column = image.crop((0, 0, right, image.height))
    assert label_column.convert("L").getextrema()[0] < 60


def test_a_dashed_line_and_coloured_text_are_drawn() -> None:
    rows = [("Deadweight ±10 points", Decimal("0.8"), Decimal("1.6"))]
    svg = charts.tornado(rows, Decimal("1.2"), "GBP", "Tornado")
    assert "stroke-dasharray" in svg and 'fill="#b22"' in svg  # the 1:1 line and label
    image = _image(pictures.chart_png(svg))
    reds = [c for _, c in image.getcolors(maxcolors=4096) or [] if c[0] > 150 and c[1] < 80]
    assert reds  # the red 1:1 line and its label


def test_no_chart_for_no_rows() -> None:
    assert pictures.chart_png("") is None
    assert pictures.chart_png(charts.bars([], "GBP", "Nothing")) is None


def test_a_large_pack_gives_every_row_charts_with_alt_text_and_the_same_bytes(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack"
    generate(pack, documents=12, outcomes=20, flagged_every=4)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (first, second):
        render(pack, "docx", str(target), None, False)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert b"svqm-xml" not in etree.tostring(body)  # every deferred piece written back
    headings = [
        "".join(t.text or "" for t in p.iter(f"{W}t"))
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading3']") is not None
    ]
    assert headings.count("Why each figure has its value") == 12  # one a map
    rows = [len(t.findall(f"{W}tr")) for t in body.iter(f"{W}tbl")]
    assert rows.count(21) >= 12  # each map's 20 outcomes and the header
    pictures_in_body = list(body.iter(f"{WP}docPr"))
    assert len(pictures_in_body) == len(media) > 12
    assert all(p.get("descr") for p in pictures_in_body)
    assert len({p.get("id") for p in pictures_in_body}) == len(pictures_in_body)


def test_the_contents_of_many_impact_maps_lists_the_sections_alone(tmp_path: Path) -> None:
    """Sections and impact maps when they fit the contents page; the sections alone when
    they would not (a pack of many impact maps), so the contents never runs for pages."""
    pack = tmp_path / "pack"
    generate(pack, documents=40, outcomes=2)
    target = tmp_path / "r.docx"
    render(pack, "docx", str(target), None, False)
    with zipfile.ZipFile(target) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    instructions = " ".join(t.text or "" for t in body.iter(f"{W}instrText"))
    assert 'TOC \\o "1-1"' in instructions
    styles = [s.get(f"{W}val") for s in body.iter(f"{W}pStyle")]
    assert "TOC2" not in styles and 10 < styles.count("TOC1") < 30
