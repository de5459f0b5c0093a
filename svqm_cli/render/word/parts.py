"""The pieces every Word section is made of: tables, landscape sections, and a
zip with fixed times so that the same document gives the same bytes.

Tables are written as one piece of XML each: styling a python-docx table cell by cell
costs close to a millisecond a cell, which made a 10,000-outcome report take minutes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from svqm_cli.render.word import layout

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RULE = "D5DBE0"  # report.css --rule
HEAD_FILL = "EEF3F7"  # report.css thead th
SPACER = f'<w:p xmlns:w="{W_NS}"><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>'
TABLE_OPEN = f'<w:tbl xmlns:w="{W_NS}">'
KEPT_SPACER = SPACER.replace("<w:pPr>", "<w:pPr><w:keepNext/>")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    cells: Sequence[str],
    widths: Sequence[int],
    numeric: Sequence[bool],
    size: int,
    head: bool,
    keep: bool = False,
) -> str:
    row_props = (
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        if head
        else ("<w:trPr><w:cantSplit/></w:trPr>")
    )
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/>' if head else ""
    next_ = "<w:keepNext/>" if head or keep else ""
    out = [f"<w:tr>{row_props}"]
    for text, width, right in zip(cells, widths, numeric, strict=True):
        align = '<w:jc w:val="right"/>' if right else ""
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
            f'<w:p><w:pPr>{next_}<w:spacing w:before="20" w:after="20" w:line="240" '
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
        f'{TABLE_OPEN}<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f"<w:tblBorders><w:top {rule}/><w:bottom {rule}/><w:insideH {rule}/></w:tblBorders>"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:left w:w="{layout.CELL_PADDING}" w:type="dxa"/>'
        f'<w:right w:w="{layout.CELL_PADDING}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>",
        _row([header[i] for i in columns], widths, right, half, head=True),
    ]
    parts.append(rows_xml(rows, numeric, widths, columns, size))
    parts.append("</w:tbl>")
    return "".join(parts)


def rows_xml(
    rows: Sequence[Sequence[Any]],
    numeric: set[int],
    widths: Sequence[int],
    columns: Sequence[int],
    size: float,
    keep: bool = False,
) -> str:
    """The body rows of a table_xml, as XML text; KEEP: each kept with what follows."""
    half = round(size * 2)
    right = [i in numeric for i in columns]
    return "".join(
        _row([str(r[i]) if i < len(r) else "" for i in columns], widths, right, half, False, keep)
        for r in rows
    )


# Deferred XML: the rows of a table and the paragraphs that come once an outcome are kept
# as XML text, with a processing instruction in the document where they go, and written in
# its place when the document is saved (fixed_zip). As lxml elements they took about 60 times
# the memory: 700 MB for a 10,000-outcome report. Nothing that edits the document after a
# section is built (contents, landscape sections) needs to look inside them.
DEFERRED = "svqm-xml"
_DEFERRED_PI = re.compile(rb"<\?svqm-xml (\d+) \d+\?>")


def defer(doc: Any, xml: str, lines: int) -> Any:
    """A processing instruction standing for XML (about LINES lines on the page)."""
    from docx.oxml import parse_xml

    store: list[bytes] | None = getattr(doc, "svqm_deferred", None)
    if store is None:
        store = []
        doc.svqm_deferred = store  # kept on the document it belongs to
    # compressed: about a tenth of the bytes, for a few per cent of the time
    store.append(zlib.compress(xml.replace(f' xmlns:w="{W_NS}"', "").encode("utf-8"), 1))
    holder = parse_xml(f'<w:p xmlns:w="{W_NS}"><?{DEFERRED} {len(store) - 1} {lines}?></w:p>')
    return holder[0]


def deferred_lines(element: Any) -> int | None:
    """How many lines a deferred ELEMENT stands for; None when ELEMENT is not one."""
    if getattr(element, "target", None) == DEFERRED:  # an lxml processing instruction
        return int((element.text or "0 0").split()[1])
    return None


def put_back(xml: bytes, deferred: Sequence[bytes], write: Callable[[bytes], Any]) -> None:
    """The saved document.xml, each deferred piece in place of its marker, given to WRITE
    piece by piece: the whole document is never held in memory at once."""
    done = 0
    for marker in _DEFERRED_PI.finditer(xml):
        write(xml[done : marker.start()])
        write(zlib.decompress(deferred[int(marker[1])]))
        done = marker.end()
    write(xml[done:])


def table(
    doc: Any, header: list[str], rows: list[list[str]], numeric: set[int], keep: bool = False
) -> None:
    """A table sized from its content: in portrait when it fits, otherwise in a landscape
    section of its own, split into groups of columns (the first repeated) as a last resort.
    KEEP: the table stays on the same page as what follows it (a short table of figures
    that opens what the next table details)."""
    from docx.oxml import parse_xml

    plan = layout.plan(header, rows)
    if plan.landscape:
        _start_landscape(doc)
    body = doc.element.body
    for columns, widths in zip(plan.groups, plan.widths, strict=True):
        # the table's element holds only a marker: its properties, header and rows are text
        head = table_xml(header, [], numeric, widths, columns, plan.size)
        inner = head[len(TABLE_OPEN) : -len("</w:tbl>")]
        inner += rows_xml(rows, numeric, widths, columns, plan.size, keep)
        shell = parse_xml(f"{TABLE_OPEN}</w:tbl>")
        shell.append(defer(doc, inner, len(rows) + 1))
        append(body, shell)
        append(body, parse_xml(KEPT_SPACER if keep else SPACER))
    if plan.landscape:
        _end_landscape(doc)


def final_sect(body: Any) -> Any:
    """The body's own sectPr (its last child), or None; found from the end, not by a
    search from the start, which would cost more with every paragraph added."""
    try:
        last = body[-1]  # lxml walks from the end for a negative index; len() would count
    except IndexError:
        return None
    return last if last.tag == _w("sectPr") else None


def append(body: Any, element: Any) -> None:
    """ELEMENT at the end of the body, before its own sectPr."""
    last = final_sect(body)
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
    sect = copy.deepcopy(final_sect(doc.element.body))
    orient(sect, landscape)
    para[0].append(sect)
    return para


def _start_landscape(doc: Any) -> None:
    """End the portrait section before the trailing headings, or reopen the landscape
    section that ended just before them."""
    body = doc.element.body
    sect = final_sect(body)
    try:
        last = body[-1] if sect is None else sect.getprevious()
    except IndexError:
        return  # nothing before: the table starts the document
    # walked from the end: the cost does not grow with the document
    last = _before_heading_block(_before_headings(last))
    if last is None:
        return  # nothing before: the table starts the document
    if last.tag == _w("p"):
        ended = section_break(last)
        if ended is not None and is_landscape(ended):
            ended.getparent().remove(ended)  # the landscape section goes on
            return
    last.addnext(_break_paragraph(doc, landscape=False))


def _before_headings(last: Any) -> Any:
    """From LAST back, the first element that is not a heading, a spacer or a line just
    under a heading."""
    while (
        last is not None
        and last.tag == _w("p")
        and section_break(last) is None
        and (is_heading(last) or _empty(last) or _lead_in(last))
    ):
        last = last.getprevious()
    return last


HEAD_BLOCK = 12  # lines: a heading's short opening (a small table of figures, a line or two)


def _before_heading_block(last: Any) -> Any:
    """LAST, or, when what ends at LAST is a short run of paragraphs and small tables under
    a heading (an impact map's heading, its figures and its likely range), the element
    before that heading: the whole opening goes with the wide table that follows it, not
    left at the foot of a portrait page with the table on the next."""
    found, lines = last, 0
    while found is not None and section_break(found) is None:
        if found.tag == _w("p") and is_heading(found):
            return _before_headings(found)
        if (
            found.tag not in (_w("p"), _w("tbl"))
            or next(found.iter(_w("drawing")), None) is not None
        ):
            return last  # something else, or a chart: it stays where it is
        lines += _lines(found)
        if lines > HEAD_BLOCK:
            return last
        found = found.getprevious()
    return last


def _lines(element: Any) -> int:
    """About how many lines ELEMENT takes: a table's rows (deferred ones too), a paragraph's
    characters over a line's worth."""
    if element.tag == _w("tbl"):
        rows = len(element.findall(_w("tr")))
        return rows + sum(deferred_lines(child) or 0 for child in element)
    return 1 + len(_text(element)) // 100


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_w("t")))


def _empty(para: Any) -> bool:
    """No text and no picture: a spacer."""
    return not _text(para).strip() and next(para.iter(_w("drawing")), None) is None


LEAD_IN = 300  # characters: a line or two under a heading that introduces the table


def _lead_in(para: Any) -> bool:
    """A short paragraph just under a heading ("SROI ratio: forecast ..."): it goes with
    the heading and the table into the landscape section, not left alone on the page before."""
    before = para.getprevious()
    return (
        before is not None
        and before.tag == _w("p")
        and is_heading(before)
        and section_break(before) is None
        and 0 < len(_text(para).strip()) <= LEAD_IN
        and next(para.iter(_w("drawing")), None) is None  # a chart stays where it is
    )


def _end_landscape(doc: Any) -> None:
    append(doc.element.body, _break_paragraph(doc, landscape=True))


def fixed_zip(data: bytes, deferred: Sequence[bytes] = ()) -> bytes:
    """The same document gives the same bytes: zip entries get a fixed time and order. The
    DEFERRED pieces of XML go into word/document.xml in place of their markers."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            # pictures are compressed already: stored as they are, not deflated again
            packed = info.filename.endswith(".png")
            fixed.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            blob = source.read(info.filename)
            if info.filename == "word/document.xml" and deferred:
                with target.open(fixed, "w") as stream:
                    put_back(blob, deferred, stream.write)
            else:
                target.writestr(fixed, blob)
    return out.getvalue()


def document_xml(doc: Any) -> bytes:
    """The document's word/document.xml as saved, deferred pieces in place (for tests)."""
    from docx.opc.oxml import serialize_part_xml

    out = io.BytesIO()
    put_back(serialize_part_xml(doc.element), getattr(doc, "svqm_deferred", ()), out.write)
    return out.getvalue()
