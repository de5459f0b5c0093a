"""The report as a Word document the organisation can edit: the cover, then each section of
render/sections.py through its builder in sections.py."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from svqm_cli.base.errors import SvqmError
from svqm_cli.render.context import ReportContext
from svqm_cli.render.sections import present
from svqm_cli.render.word.parts import fixed_zip, table
from svqm_cli.render.word.sections import BUILDERS


def _properties(doc: Any, d: dict[str, Any]) -> None:
    org = d["organisation"]["name"]
    props = doc.core_properties
    props.title = f"{d['title']}: {org}"
    props.author = org
    props.comments = f"Made with svqm {d['version']}"
    stamp = dt.datetime.fromisoformat(d["date"]) if d["date"] else dt.datetime(2000, 1, 1)
    props.created = props.modified = stamp
    props.last_modified_by = "svqm"
    props.revision = 1


def _cover(doc: Any, d: dict[str, Any], draft: bool) -> None:
    org = d["organisation"]["name"]
    section = doc.sections[0]
    section.footer.paragraphs[0].text = f"{org}: {d['title']} ({d['level_label']})"
    if draft:
        section.header.paragraphs[0].text = "DRAFT: not ready to submit"
    doc.add_paragraph(d["scheme_name"], style="Subtitle")
    doc.add_heading(d["title"], 0)
    doc.add_paragraph(org, style="Heading 2")
    facts = [
        ["Level", d["level_label"]],
        ["Scheme", d["scheme_name"]],
        ["Award period", f"{d['period']['start']} to {d['period']['end']}"],
        ["Report date", d["date"]],
    ]
    table(doc, ["", ""], facts, set())


def word_document(ctx: ReportContext) -> bytes:
    try:
        from docx import Document
    except ImportError as exc:
        raise SvqmError("Word output needs python-docx: pip install python-docx") from exc
    d = ctx.data
    doc = Document()
    _properties(doc, d)
    _cover(doc, d, ctx.draft)
    for section in present(ctx):
        doc.add_heading(section.heading, 1)
        BUILDERS[section.partial](doc, d, ctx)
    doc.add_paragraph(
        f"Made with svqm {d['version']}"
        + (f" from commit {d['commit']}" if d["commit"] else "")
        + f"; report date {d['date']}."
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed_zip(buffer.getvalue())
