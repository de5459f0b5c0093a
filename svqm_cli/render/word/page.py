"""What makes the Word file a report rather than a list of tables: A4 pages with the PDF's
margins, one font, British English, a footer with page numbers, a contents field that Word
and LibreOffice fill, bookmarks on the headings, and no page left nearly empty by a change
of orientation."""

from __future__ import annotations

from typing import Any

from svqm_cli.render.word import layout
from svqm_cli.render.word.parts import (
    W_NS,
    deferred_lines,
    is_landscape,
    orient,
    section_break,
    xml_text,
)
from svqm_cli.render.word.text import add_paragraph

ACCENT = "1F5F8B"  # report.css --accent
MUTED = "5B6670"  # report.css --muted
LANGUAGE = "en-GB"
TOC_FIELD = 'TOC \\o "1-{depth}" \\h \\z \\u'
CONTENTS_LINES = 52  # entries that fit the contents page with its heading (53 in LibreOffice)
SHORT_SECTION = 30  # lines: a portrait stretch shorter than this joins the landscape before


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _xml(text: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(text.replace("<w:ROOT", f'<w:ROOT xmlns:w="{W_NS}"', 1))


def setup(doc: Any) -> None:
    """A4 with the PDF's margins, Arial everywhere, British English, updated fields."""
    from docx.shared import Pt, RGBColor

    sect = doc.element.body.find(_w("sectPr"))
    orient(sect, landscape=False)
    margins = sect.find(_w("pgMar"))
    for side, value in (
        ("top", layout.MARGIN_TOP),
        ("bottom", layout.MARGIN_BOTTOM),
        ("left", layout.MARGIN_SIDE),
        ("right", layout.MARGIN_SIDE),
        ("header", layout.HEADER_FOOTER_DISTANCE),
        ("footer", layout.HEADER_FOOTER_DISTANCE),
    ):
        margins.set(_w(side), str(value))
    styles = doc.styles.element
    for fonts in styles.iter(_w("rFonts")):
        for key in list(fonts.attrib):
            if key.endswith("Theme") or key.endswith("theme"):
                del fonts.attrib[key]
        for key in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(_w(key), layout.FONT)
    for lang in styles.iter(_w("lang")):
        for key in ("val", "eastAsia"):
            lang.set(_w(key), LANGUAGE)
    doc.styles["Normal"].font.size = Pt(layout.BODY_SIZE)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        doc.styles[name].font.color.rgb = RGBColor.from_string(ACCENT)
    _toc_styles(doc)
    settings = doc.settings.element
    settings.insert(0, _xml('<w:ROOT><w:updateFields w:val="true"/></w:ROOT>')[0])


def _toc_styles(doc: Any) -> None:
    styles = doc.styles.element
    for level in (1, 2, 3):
        styles.append(
            _xml(
                f'<w:ROOT><w:style w:type="paragraph" w:styleId="TOC{level}">'
                f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/>'
                '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" '
                f'w:pos="{layout.PORTRAIT_TEXT}"/></w:tabs><w:spacing w:after="0"/>'
                f'<w:ind w:left="{(level - 1) * 300}"/></w:pPr></w:style></w:ROOT>'
            )[0]
        )


def _field(instruction: str, shown: str, props: str = "") -> str:
    """A complex field (Word recalculates it; SHOWN is its value until then)."""
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{props}<w:t>{shown}</w:t></w:r>"
        f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def footer(doc: Any, text: str, draft: bool) -> None:
    """'Organisation: title' at the left and 'Page X of Y' at the right of every page."""
    section = doc.sections[0]
    para = section.footer.paragraphs[0]._p
    size = '<w:rPr><w:sz w:val="16"/><w:color w:val="' + MUTED + '"/></w:rPr>'
    runs = (
        f"<w:r>{size}<w:t>{xml_text(text)}</w:t></w:r>"
        f'<w:r>{size}<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
        f'<w:t xml:space="preserve">Page </w:t></w:r>'
        + _field("PAGE", "1", size)
        + f'<w:r>{size}<w:t xml:space="preserve"> of </w:t></w:r>'
        + _field("NUMPAGES", "1", size)
    )
    new = _xml(f'<w:ROOT><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{runs}</w:p></w:ROOT>')[0]
    para.addprevious(new)
    para.getparent().remove(para)
    if draft:
        head = section.header.paragraphs[0]
        run = head.add_run("DRAFT: not ready to submit")
        run.bold = True


def page_break(doc: Any) -> None:
    doc.element.body.find(_w("sectPr")).addprevious(
        _xml('<w:ROOT><w:p><w:r><w:br w:type="page"/></w:r></w:p></w:ROOT>')[0]
    )


def contents(doc: Any) -> Any:
    """The 'Contents' heading; returns the paragraph after which the field goes."""
    heading = add_paragraph(doc, "Contents", style="TOC Heading")
    return heading._p


def headings_and_contents(doc: Any, anchor: Any) -> None:
    """Bookmarks on every Heading 1-3, and after ANCHOR a contents field whose shown value
    already lists them, linked (Word adds the page numbers when it updates the field)."""
    entries = []
    for number, para in enumerate(_headings(doc.element.body), start=1):
        name = f"_Toc{number:08d}"
        props = para.find(_w("pPr"))
        start = _xml(f'<w:ROOT><w:bookmarkStart w:id="{number}" w:name="{name}"/></w:ROOT>')[0]
        if props is None:
            para.insert(0, start)
        else:
            props.addnext(start)
        para.append(_xml(f'<w:ROOT><w:bookmarkEnd w:id="{number}"/></w:ROOT>')[0])
        level = para.find(f"{_w('pPr')}/{_w('pStyle')}").get(_w("val"))[-1]
        entries.append((level, name, _text(para)))
    # Sections and what is in them (impact maps, pledges, contracts) when that fits one
    # page; the sections alone when it does not (a pack of many impact maps), like the HTML.
    depth = 2 if sum(level in "12" for level, _, _ in entries) <= CONTENTS_LINES else 1
    entries = [e for e in entries if int(e[0]) <= depth]
    field = TOC_FIELD.format(depth=depth)
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {field} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    paras = []
    listed = entries or [("1", "", "")]
    for i, (level, name, text) in enumerate(listed):
        link = (
            f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:t xml:space="preserve">'
            f"{xml_text(text)}</w:t></w:r></w:hyperlink>"
            if name
            else ""
        )
        paras.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>'
            f"{begin if i == 0 else ''}{link}{end if i == len(listed) - 1 else ''}</w:p>"
        )
    block = _xml(f"<w:ROOT>{''.join(paras)}</w:ROOT>")
    for para in reversed(list(block)):
        anchor.addnext(para)


def _headings(body: Any) -> list[Any]:
    found = []
    for para in body.iterchildren(_w("p")):
        style = para.find(f"{_w('pPr')}/{_w('pStyle')}")
        if style is not None and style.get(_w("val")) in ("Heading1", "Heading2", "Heading3"):
            found.append(para)
    return found


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_w("t")))


def _weight(element: Any) -> int:
    """Roughly how many lines ELEMENT takes on the page."""
    deferred = deferred_lines(element)
    if deferred is not None:
        return deferred
    if element.tag == _w("tbl"):
        return len(element.findall(_w("tr"))) + sum(deferred_lines(e) or 0 for e in element)
    return 1 + len(_text(element)) // 120


def tidy_sections(doc: Any) -> None:
    """A short portrait stretch between landscape tables joins the landscape section
    before it, so that a change of orientation never leaves a page nearly empty."""
    body = doc.element.body
    landscape_before: Any = None  # the sectPr that ends the landscape section just before
    weight = 0
    for element in list(body):
        if element.tag == _w("sectPr"):
            if landscape_before is not None and weight < SHORT_SECTION:
                landscape_before.getparent().remove(landscape_before)
                orient(element, landscape=True)
            return
        weight += _weight(element)
        sect = section_break(element) if element.tag == _w("p") else None
        if sect is None:
            continue
        if is_landscape(sect):
            if landscape_before is not None:  # two landscape sections in a row: one
                landscape_before.getparent().remove(landscape_before)
            landscape_before, weight = sect, 0
            continue
        if landscape_before is not None and weight < SHORT_SECTION:
            landscape_before.getparent().remove(landscape_before)
            orient(sect, landscape=True)
            landscape_before, weight = sect, 0
        else:
            landscape_before, weight = None, 0
