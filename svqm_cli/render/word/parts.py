"""The pieces every Word section is made of: tables, pictures, Markdown paragraphs, and a
zip with fixed times so that the same document gives the same bytes.

Tables are written as one piece of XML each: styling a python-docx table cell by cell
costs close to a millisecond a cell, which made a 10,000-outcome report take minutes.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from svqm_cli.base.errors import SvqmError
from svqm_cli.render.word import layout

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RULE = "D5DBE0"  # report.css --rule
HEAD_FILL = "EEF3F7"  # report.css thead th
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


CHART_PIXELS = 1000  # 16 cm wide at about 160 dots an inch: sharp in print and on screen


@functools.lru_cache(maxsize=64)
def png_of(svg: str) -> bytes | None:
    """The chart SVG as a PNG. CairoSVG draws it; Pillow writes the PNG at a fast
    compression level (Cairo's own PNG writer took half the time of a chart)."""
    if not svg:
        return None
    try:
        from cairosvg.parser import Tree
        from cairosvg.surface import PNGSurface
        from PIL import Image
    except (ImportError, OSError) as exc:
        raise SvqmError(
            f"Word charts need CairoSVG and the Cairo library: {str(exc).splitlines()[0]}"
        ) from exc
    tree = Tree(bytestring=svg.encode("utf-8"), unsafe=False, url=None)
    surface = PNGSurface(tree, None, 96, output_width=CHART_PIXELS).cairo
    surface.flush()
    size = (surface.get_width(), surface.get_height())
    pixels = bytes(surface.get_data())
    image = Image.frombuffer("RGBA", size, pixels, "raw", "BGRa", surface.get_stride(), 1)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def xml_text(value: Any) -> str:
    """VALUE as text for a w:t element: escaped, without characters XML cannot hold."""
    text = _NOT_XML.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _runs(text: str, half_points: int, bold: bool) -> str:
    props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{half_points}"/></w:rPr>'
    lines = [xml_text(line) for line in str(text).split("\n")]
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r>{props}{body}</w:r>"


def _row(
    cells: Sequence[str], widths: Sequence[int], numeric: Sequence[bool], size: int, head: bool
) -> str:
    row_props = (
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        if head
        else ("<w:trPr><w:cantSplit/></w:trPr>")
    )
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/>' if head else ""
    keep = "<w:keepNext/>" if head else ""
    out = [f"<w:tr>{row_props}"]
    for text, width, right in zip(cells, widths, numeric, strict=True):
        align = '<w:jc w:val="right"/>' if right else ""
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
            f'<w:p><w:pPr>{keep}<w:spacing w:before="20" w:after="20" w:line="240" '
            f'w:lineRule="auto"/>{align}</w:pPr>{_runs(text, size, head)}</w:p></w:tc>'
        )
    out.append("</w:tr>")
    return "".join(out)


def table_xml(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: set[int],
    widths: Sequence[int],
    columns: Sequence[int],
    size: float,
) -> str:
    """One <w:tbl>: fixed column widths, a header row that repeats on every page, rows that
    do not split across pages, numbers right-aligned."""
    half = round(size * 2)
    rule = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    right = [i in numeric for i in columns]
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f"<w:tblBorders><w:top {rule}/><w:bottom {rule}/><w:insideH {rule}/></w:tblBorders>"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:left w:w="{layout.CELL_PADDING}" w:type="dxa"/>'
        f'<w:right w:w="{layout.CELL_PADDING}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>",
        _row([header[i] for i in columns], widths, right, half, head=True),
    ]
    for row in rows:
        cells = [str(row[i]) if i < len(row) else "" for i in columns]
        parts.append(_row(cells, widths, right, half, head=False))
    parts.append("</w:tbl>")
    return "".join(parts)


def table(doc: Any, header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    """A table sized from its content: in portrait when it fits, otherwise in a landscape
    section of its own, split into groups of columns (the first repeated) as a last resort."""
    from docx.oxml import parse_xml

    plan = layout.plan(header, rows)
    if plan.landscape:
        _start_landscape(doc)
    body = doc.element.body
    for columns, widths in zip(plan.groups, plan.widths, strict=True):
        xml = table_xml(header, rows, numeric, widths, columns, plan.size)
        _append(body, parse_xml(xml))
        spacer = doc.add_paragraph()
        spacer.paragraph_format.space_after = 0
    if plan.landscape:
        _end_landscape(doc)


def _append(body: Any, element: Any) -> None:
    last = body.find(_w("sectPr"))
    if last is None:
        body.append(element)
    else:
        last.addprevious(element)


# Sections: a paragraph whose pPr holds a sectPr ends a section; the body's own sectPr
# is the last section. A landscape table sits in a section of its own, and the headings just
# before it go with it, so no heading is left alone at the foot of a portrait page.


def is_heading(element: Any) -> bool:
    style = element.find(f"{_w('pPr')}/{_w('pStyle')}")
    name = "" if style is None else style.get(_w("val"), "")
    return name.startswith("Heading") or name in ("Caption", "Title", "Subtitle")


def section_break(element: Any) -> Any:
    """The sectPr that ELEMENT (a paragraph) ends, or None."""
    return element.find(f"{_w('pPr')}/{_w('sectPr')}")


def is_landscape(sect: Any) -> bool:
    size = sect.find(_w("pgSz"))
    return size is not None and size.get(_w("orient")) == "landscape"


def orient(sect: Any, landscape: bool) -> None:
    size = sect.find(_w("pgSz"))
    long_side, short_side = str(layout.PAGE_HEIGHT), str(layout.PAGE_WIDTH)
    size.set(_w("w"), long_side if landscape else short_side)
    size.set(_w("h"), short_side if landscape else long_side)
    if landscape:
        size.set(_w("orient"), "landscape")
    elif _w("orient") in size.attrib:
        del size.attrib[_w("orient")]


def _break_paragraph(doc: Any, landscape: bool) -> Any:
    from docx.oxml import parse_xml

    para = parse_xml(
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>'
    )
    sect = copy.deepcopy(doc.element.body.find(_w("sectPr")))
    orient(sect, landscape)
    para[0].append(sect)
    return para


def _start_landscape(doc: Any) -> None:
    """End the portrait section before the trailing headings, or reopen the landscape
    section that ended just before them."""
    body = doc.element.body
    items = [e for e in body if e.tag != _w("sectPr")]
    i = len(items)
    while (
        i > 0
        and items[i - 1].tag == _w("p")
        and section_break(items[i - 1]) is None
        and (
            is_heading(items[i - 1])
            or not "".join(t.text or "" for t in items[i - 1].iter(_w("t"))).strip()
        )
    ):
        i -= 1
    if i > 0 and items[i - 1].tag == _w("p"):
        sect = section_break(items[i - 1])
        if sect is not None and is_landscape(sect):
            sect.getparent().remove(sect)  # the landscape section goes on
            return
    if i == 0:
        return  # nothing before: the table starts the document
    items[i - 1].addnext(_break_paragraph(doc, landscape=False))


def _end_landscape(doc: Any) -> None:
    _append(doc.element.body, _break_paragraph(doc, landscape=True))


def picture(doc: Any, svg: str, caption: str, *, alt: str | None = None) -> None:
    """A chart with its caption kept on the same page, and ALT (default: the caption) as
    the picture's alternative text for screen readers."""
    from docx.shared import Cm

    png = png_of(svg)
    if png:
        doc.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
        inline = _add_picture(doc, png, Cm(16))
        describe_pictures(inline, alt or caption)


_FIRST_SHAPE_ID = 100_000  # above the ids python-docx gives (it counts up from the largest)


def _add_picture(doc: Any, png: bytes, width: Any) -> Any:
    """PNG in a paragraph of its own; returns its wp:inline.

    Not doc.add_picture: that numbers each picture by searching the whole document for the
    largest id (an XPath over every element), which made a report with hundreds of charts
    quadratic: most of the time of a 10,000-outcome Word file.
    """
    from docx.oxml.shape import CT_Inline

    rid, image = doc.part.get_or_add_image(io.BytesIO(png))
    cx, cy = image.scaled_dimensions(width, None)
    shape_id = getattr(doc, "svqm_next_shape_id", _FIRST_SHAPE_ID)
    doc.svqm_next_shape_id = shape_id + 1  # counted on the document: same file, same ids
    inline = CT_Inline.new_pic_inline(shape_id, rid, image.filename, cx, cy)
    doc.add_paragraph().add_run()._r.add_drawing(inline)
    return inline


def describe_pictures(element: Any, description: str) -> None:
    """Alternative text (descr and title) on every picture inside ELEMENT."""
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for prop in element.iter(f"{ns}docPr"):
        prop.set("descr", _NOT_XML.sub("", description))
        prop.set("title", _NOT_XML.sub("", description)[:250])


def markdown_paragraph(doc: Any, block: str) -> None:
    """A Markdown paragraph or bullet list with **bold** kept as bold runs."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    bullets = bool(lines) and all(line.startswith(("- ", "* ")) for line in lines)
    chunks = [line[2:] for line in lines] if bullets else [" ".join(lines)]
    for chunk in chunks:
        para = doc.add_paragraph(style="List Bullet" if bullets else None)
        for i, part in enumerate(chunk.split("**")):
            if part:
                para.add_run(part).bold = i % 2 == 1


def fixed_zip(data: bytes) -> bytes:
    """The same document gives the same bytes: zip entries get a fixed time and order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
