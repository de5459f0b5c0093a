"""Paragraphs and headings added to the end of the Word document at a constant cost.

python-docx's own add_paragraph(doc, text, style) looks the style up by name through every
style of the document (an XPath and a list of all styles each time) and finds where to
insert by scanning the body's children from the start: both grow with the document, and
together they were most of the time of a Word report with a few hundred impact maps. Here a
style's id is looked up once per document, and each paragraph goes straight before the
body's closing sectPr (its last child).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from svqm_cli.render.word.parts import W_NS, append, defer, xml_text


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def style_id(doc: Any, name: str) -> str:
    """The id of the style NAME ('List Bullet' -> 'ListBullet'), looked up once per document."""
    known: dict[str, str] | None = getattr(doc, "svqm_style_ids", None)
    if known is None:
        known = {}
        doc.svqm_style_ids = known  # kept on the document it belongs to
    if name not in known:
        known[name] = doc.styles[name].style_id
    return known[name]


Runs = Sequence[tuple[str, bool]]  # (text, bold)


def paragraph_xml(
    doc: Any, text: str = "", style: str | None = None, props: str = "", runs: Runs = ()
) -> str:
    """A <w:p> as XML text: the style, paragraph properties PROPS, TEXT in one run, then
    RUNS, each (text, bold)."""
    style_xml = f'<w:pStyle w:val="{style_id(doc, style)}"/>' if style else ""
    ppr = f"<w:pPr>{style_xml}{props}</w:pPr>" if style_xml or props else ""
    body = "".join(
        f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}"
        f'<w:t xml:space="preserve">{xml_text(words)}</w:t></w:r>'
        for words, bold in ([(text, False)] if text else []) + list(runs)
        if words
    )
    return f'<w:p xmlns:w="{W_NS}">{ppr}{body}</w:p>'


def add_paragraph(
    doc: Any, text: str = "", style: str | None = None, props: str = "", runs: Runs = ()
) -> Any:
    """doc.add_paragraph(TEXT, STYLE) at a constant cost; returns the python-docx Paragraph
    (add_run, paragraph_format and runs work on it as usual)."""
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph

    element = parse_xml(paragraph_xml(doc, text, style, props, runs))
    append(doc.element.body, element)
    return Paragraph(element, doc._body)


def add_many(doc: Any, paragraphs: list[str]) -> None:
    """PARAGRAPHS (from paragraph_xml, no headings) at the end of the document, kept as
    text until it is saved (parts.defer): for the text that comes once an outcome."""
    if paragraphs:
        append(doc.element.body, defer(doc, "".join(paragraphs), len(paragraphs)))


def add_heading(doc: Any, text: str, level: int) -> Any:
    """add_heading(doc, TEXT, LEVEL) at a constant cost."""
    return add_paragraph(doc, text, "Title" if level == 0 else f"Heading {level}")


def add_bold_led(doc: Any, label: str, text: str, style: str | None = None) -> Any:
    """A paragraph of LABEL in bold, then TEXT: 'Owner: ...'."""
    return add_paragraph(doc, style=style, runs=[(label, True), (text, False)])


def markdown_paragraph(doc: Any, block: str) -> None:
    """A Markdown paragraph or bullet list with **bold** kept as bold runs."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    bullets = bool(lines) and all(line.startswith(("- ", "* ")) for line in lines)
    chunks = [line[2:] for line in lines] if bullets else [" ".join(lines)]
    for chunk in chunks:
        runs = [(part, i % 2 == 1) for i, part in enumerate(chunk.split("**"))]
        add_paragraph(doc, style="List Bullet" if bullets else None, runs=runs)
