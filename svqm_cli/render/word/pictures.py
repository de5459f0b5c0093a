"""The report's charts as PNG pictures in the Word document, with alternative text.

The charts are the SVG that render/charts.py makes for HTML and PDF: bars (rect), lines
(line) and labels (text, tspan), nothing else. Pillow draws that small vocabulary straight
onto a bitmap, in the document's own font (Arial, or Liberation Sans with the same metrics
where Arial is not installed), at about 2% of what a general SVG renderer (CairoSVG)
took: at several hundred charts, that was most of the time of a large report.
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from svqm_cli.base.errors import SvqmError
from svqm_cli.render.word import layout
from svqm_cli.render.word.text import add_paragraph

CHART_PIXELS = 1000  # 16 cm wide at about 160 dots an inch: sharp in print and on screen
RAMP = 16  # shades of anti-aliased text, from white to its colour
SVG = "{http://www.w3.org/2000/svg}"
# Arial where it is installed (Windows, macOS), else a font with Arial's metrics, else
# whatever sans-serif Pillow can find; the name is looked up once.
FONT_FILES = (
    "arial.ttf",
    "Arial.ttf",
    "LiberationSans-Regular.ttf",
    "Arimo-Regular.ttf",
    "Arial Unicode.ttf",
    "DejaVuSans.ttf",
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.lru_cache(maxsize=1)
def _font_file() -> str | None:
    from PIL import ImageFont

    for name in FONT_FILES:
        try:
            ImageFont.truetype(name, 10)
        except OSError:
            continue
        return name
    return None


@functools.lru_cache(maxsize=64)
def _font(pixels: int) -> Any:
    from PIL import ImageFont

    name = _font_file()
    if name is None:
        return ImageFont.load_default(pixels)
    return ImageFont.truetype(name, pixels)


def _number(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _colour(value: str | None, default: str) -> str | None:
    if value == "none":
        return None
    return value if value and value.startswith("#") else default


class _Canvas:
    """A chart drawn in indexed colour: one byte a pixel, the palette built as colours are
    used. Shapes take their colour's index; text takes, pixel by pixel, one of RAMP shades
    between white and its colour, by how much of the pixel the letter covers. So the PNG is
    written straight from the drawing, with no colour reduction."""

    def __init__(self, size: tuple[int, int]) -> None:
        from PIL import Image, ImageDraw

        self.image = Image.new("L", size, 0)
        self.draw = ImageDraw.Draw(self.image)
        self.palette: list[tuple[int, int, int]] = [(255, 255, 255)]  # index 0: white
        self.flat: dict[str, int] = {}
        self.ramps: dict[str, int] = {}

    def index(self, colour: str) -> int:
        """The palette index of a flat COLOUR."""
        from PIL import ImageColor

        if colour not in self.flat:
            self.flat[colour] = len(self.palette)
            self.palette.append(ImageColor.getrgb(colour)[:3])
        return self.flat[colour]

    def ramp(self, colour: str) -> int:
        """The palette index of the first of RAMP shades from white to text COLOUR."""
        from PIL import ImageColor

        if colour not in self.ramps:
            self.ramps[colour] = len(self.palette)
            r, g, b = ImageColor.getrgb(colour)[:3]
            for level in range(1, RAMP + 1):
                t = level / RAMP
                shade = (255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t)
                self.palette.append((round(shade[0]), round(shade[1]), round(shade[2])))
        return self.ramps[colour]

    def png(self) -> bytes:
        self.image.putpalette([c for rgb in self.palette for c in rgb])  # "L" becomes "P"
        out = io.BytesIO()
        self.image.save(out, "PNG", compress_level=1)  # runs of one index: level 1 is enough
        return out.getvalue()


def _text(canvas: _Canvas, node: ET.Element, scale: float) -> None:
    attrs = node.attrib
    font = _font(max(1, round(_number(attrs.get("font-size"), 12) * scale)))
    anchor = {"end": "rs", "middle": "ms"}.get(attrs.get("text-anchor", ""), "ls")
    fill = _colour(attrs.get("fill"), "#000000")
    if fill is None:
        return
    base = canvas.ramp(fill)
    spans = node.findall(f"{SVG}tspan")
    pieces = [(span.attrib, span.text or "") for span in spans] or [(node.attrib, node.text or "")]
    for where, words in pieces:
        x = _number(where.get("x", attrs.get("x"))) * scale
        y = _number(where.get("y", attrs.get("y"))) * scale
        if words.strip():
            shades, covered, (left, top) = _words(words, font.size, anchor, base)
            canvas.image.paste(shades, (round(x) + left, round(y) + top), covered)


@functools.lru_cache(maxsize=4096)
def _words(words: str, pixels: int, anchor: str, base: int) -> tuple[Any, Any, tuple[int, int]]:
    """WORDS drawn once: the palette indexes of its shades (from BASE), the mask of the
    pixels it covers, and where its corner goes from the anchor point. The labels that come
    back in chart after chart (the tornado's assumptions, legends) are not drawn again."""
    from PIL import Image, ImageDraw

    font = _font(pixels)
    left, top, right, bottom = (int(v) for v in font.getbbox(words, anchor=anchor))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), words, font=font, fill=255, anchor=anchor)
    shades = mask.point([0] + [base + min(RAMP - 1, v * RAMP // 256) for v in range(1, 256)])
    return shades, mask.point([0] + [255] * 255), (left, top)


def _line(canvas: _Canvas, node: ET.Element, scale: float) -> None:
    x1, y1 = _number(node.get("x1")) * scale, _number(node.get("y1")) * scale
    x2, y2 = _number(node.get("x2")) * scale, _number(node.get("y2")) * scale
    width = max(1, round(_number(node.get("stroke-width"), 1) * scale))
    colour = _colour(node.get("stroke"), "#000000")
    dashes = [_number(d) * scale for d in (node.get("stroke-dasharray") or "").split()]
    if colour is None:
        return
    ink, draw = canvas.index(colour), canvas.draw
    if not dashes or x1 != x2:  # the charts dash only vertical lines
        draw.line([(x1, y1), (x2, y2)], fill=ink, width=width)
        return
    y, on = min(y1, y2), 0
    while y < max(y1, y2):
        step = max(dashes[on % len(dashes)], 1.0)
        if on % 2 == 0:
            draw.line([(x1, y), (x1, min(y + step, max(y1, y2)))], fill=ink, width=width)
        y, on = y + step, on + 1


def _rect(canvas: _Canvas, node: ET.Element, scale: float) -> None:
    fill = _colour(node.get("fill"), "#000000")
    x, y = _number(node.get("x")) * scale, _number(node.get("y")) * scale
    w, h = _number(node.get("width")) * scale, _number(node.get("height")) * scale
    if fill is not None and w > 0 and h > 0:
        x0, y0 = round(x), round(y)
        box = [x0, y0, max(x0, round(x + w) - 1), max(y0, round(y + h) - 1)]
        canvas.draw.rectangle(box, fill=canvas.index(fill))


def chart_png(svg: str) -> bytes | None:
    """The chart SVG (render/charts.py) drawn as a PNG CHART_PIXELS wide; None for no chart."""
    if not svg:
        return None
    try:
        import PIL  # noqa: F401  (a dependency of svqm: missing only from a broken install)
    except ImportError as exc:
        raise SvqmError(f"Word charts need Pillow: {exc}") from exc
    root = ET.fromstring(svg)
    view = [_number(v) for v in (root.get("viewBox") or "").split()]
    width, height = (view[2], view[3]) if len(view) == 4 else (680.0, 200.0)
    scale = CHART_PIXELS / width
    canvas = _Canvas((CHART_PIXELS, max(1, round(height * scale))))
    for node in root.iter():
        tag = node.tag.removeprefix(SVG)
        if tag == "rect":
            _rect(canvas, node, scale)
        elif tag == "line":
            _line(canvas, node, scale)
        elif tag == "text":
            _text(canvas, node, scale)
    return canvas.png()


def picture(doc: Any, svg: str, caption: str, *, alt: str | None = None) -> None:
    """A chart with its caption kept on the same page, and ALT (default: the caption) as
    the picture's alternative text for screen readers."""
    from docx.shared import Cm

    png = chart_png(svg)
    if png:
        add_paragraph(doc, caption, "Caption", props="<w:keepNext/>")
        inline = _add_picture(doc, png, Cm(layout.CHART_CM))
        describe_pictures(inline, alt or caption)


_FIRST_SHAPE_ID = 100_000  # above the ids python-docx gives (it counts up from the largest)


def _add_picture(doc: Any, png: bytes, width: Any) -> Any:
    """PNG in a paragraph of its own; returns its wp:inline.

    Not doc.add_picture: that numbers each picture by searching the whole document for the
    largest id (an XPath over every element), and looks for the same image among all the
    images already added (a SHA-1 of each), for a free part name and for a relationship to
    reuse: with hundreds of charts, quadratic. Here pictures, parts and relationships are
    counted on the document.
    """
    from docx.image.image import Image
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml.shape import CT_Inline
    from docx.parts.image import ImagePart

    shape_id = getattr(doc, "svqm_next_shape_id", _FIRST_SHAPE_ID)
    doc.svqm_next_shape_id = shape_id + 1  # counted on the document: same file, same ids
    image = Image.from_blob(png)
    name = f"chart{shape_id - _FIRST_SHAPE_ID + 1}.png"
    part = ImagePart.from_image(image, PackURI(f"/word/media/{name}"))
    # a new part: added without relate_to's search of every relationship for one to reuse
    rid = f"rIdChart{shape_id - _FIRST_SHAPE_ID + 1}"
    doc.part.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, part, rid)
    cx, cy = image.scaled_dimensions(width, None)
    inline = CT_Inline.new_pic_inline(shape_id, rid, name, cx, cy)
    add_paragraph(doc).add_run()._r.add_drawing(inline)
    return inline


def describe_pictures(element: Any, description: str) -> None:
    """Alternative text (descr and title) on every picture inside ELEMENT."""
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for prop in element.iter(f"{ns}docPr"):
        prop.set("descr", _NOT_XML.sub("", description))
        prop.set("title", _NOT_XML.sub("", description)[:250])
