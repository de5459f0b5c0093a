"""The report as a Word document the organisation can edit: the cover, the contents, then
each section of render/sections.py through its builder in sections.py, on A4 pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from svqm_cli.base.errors import SvqmError
from svqm_cli.render.context import ReportContext
from svqm_cli.render.sections import present
from svqm_cli.render.word import page
from svqm_cli.render.word.parts import fixed_zip
from svqm_cli.render.word.sections import BUILDERS
from svqm_cli.render.word.text import add_heading, add_paragraph


def _properties(doc: Any, d: dict[str, Any]) -> None:
    org = d["organisation"]["name"]
    props = doc.core_properties
    props.title = _property(f"{d['title']}: {org}")
    props.author = _property(org)
    props.subject = _property(f"{d['scheme_name']}, {d['level_label']}")
    props.language = page.LANGUAGE
    props.comments = f"Made with svqm {d['version']}"
    # The report date, never the clock: the same pack gives the same bytes.
    stamp = dt.datetime.fromisoformat(d["date"]) if d["date"] else dt.datetime(2000, 1, 1)
    props.created = props.modified = stamp
    props.last_modified_by = "svqm"
    props.revision = 1


def _cover(doc: Any, d: dict[str, Any], draft: bool) -> None:
    org = d["organisation"]["name"]
    add_paragraph(doc, d["scheme_name"], style="Subtitle")
    add_paragraph(doc, d["title"], style="Title")
    add_paragraph(doc, org, style="Subtitle")
    if d["organisation"].get("parent"):
        add_paragraph(doc, d["organisation"]["parent"])
    facts = [
        ("Level", d["level_label"]),
        ("Scheme", d["scheme_name"]),
        ("Award period", f"{d['period']['start']} to {d['period']['end']}"),
        ("Region", d["organisation"].get("region")),
        ("Integrated Care System", d["organisation"].get("integrated_care_system")),
        ("Report date", d["date"]),
    ]
    for label, value in facts:
        if value:
            runs = [(f"{label}: ", True), (str(value), False)]
            add_paragraph(doc, props='<w:spacing w:after="0"/>', runs=runs)
    if draft:
        add_paragraph(doc, "DRAFT: this pack does not yet validate. It is not ready to submit.")


def word_document(ctx: ReportContext) -> bytes:
    try:
        from docx import Document
    except ImportError as exc:
        raise SvqmError("Word output needs python-docx: pip install python-docx") from exc
    d = ctx.data
    doc = Document()
    page.setup(doc)
    page.footer(doc, f"{d['organisation']['name']}: {d['title']}", ctx.draft)
    _properties(doc, d)
    _cover(doc, d, ctx.draft)
    page.page_break(doc)
    contents = page.contents(doc)
    page.page_break(doc)
    for section in present(ctx):
        add_heading(doc, section.heading, 1)
        BUILDERS[section.partial](doc, d, ctx)
    add_paragraph(
        doc,
        f"Made with svqm {d['version']}"
        + (f" from commit {d['commit']}" if d["commit"] else "")
        + f"; report date {d['date']}.",
    )
    page.headings_and_contents(doc, contents)
    page.tidy_sections(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed_zip(buffer.getvalue(), getattr(doc, "svqm_deferred", ()))


CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties (title, author)


def _property(text: str) -> str:
    """TEXT cut to what a Word core property holds; the document itself keeps it whole."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"
