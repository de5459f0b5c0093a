"""The report as a Word document the organisation can edit: headings, tables, charts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from svqm_cli.base.errors import SvqmError
from svqm_cli.render.context import ReportContext

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _png(svg: str) -> bytes | None:
    if not svg:
        return None
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise SvqmError(
            f"Word charts need CairoSVG and the Cairo library: {str(exc).splitlines()[0]}"
        ) from exc
    png: bytes = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=1360, unsafe=False, url=None
    )
    return png


def _table(doc: Any, header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for i, text in enumerate(header):
        table.rows[0].cells[i].text = text
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = str(text)
            if i in numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _picture(doc: Any, svg: str, caption: str) -> None:
    from docx.shared import Cm

    png = _png(svg)
    if png:
        doc.add_paragraph(caption, style="Caption")
        doc.add_picture(io.BytesIO(png), width=Cm(16))


def _markdown_paragraph(doc: Any, block: str) -> None:
    """A Markdown paragraph or bullet list with **bold** kept as bold runs."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    bullets = bool(lines) and all(line.startswith(("- ", "* ")) for line in lines)
    chunks = [line[2:] for line in lines] if bullets else [" ".join(lines)]
    for chunk in chunks:
        para = doc.add_paragraph(style="List Bullet" if bullets else None)
        for i, part in enumerate(chunk.split("**")):
            if part:
                para.add_run(part).bold = i % 2 == 1


def word_document(ctx: ReportContext) -> bytes:
    try:
        from docx import Document
    except ImportError as exc:
        raise SvqmError("Word output needs python-docx: pip install python-docx") from exc
    d = ctx.data
    doc = Document()
    org = d["organisation"]["name"]
    props = doc.core_properties
    props.title = f"{d['title']}: {org}"
    props.author = org
    props.comments = f"Made with svqm {d['version']}"
    stamp = dt.datetime.fromisoformat(d["date"]) if d["date"] else dt.datetime(2000, 1, 1)
    props.created = props.modified = stamp
    props.last_modified_by = "svqm"
    props.revision = 1
    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    footer.text = f"{org}: {d['title']} ({d['level_label']})"
    if ctx.draft:
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
    _table(doc, ["", ""], facts, set())
    if ctx.draft:
        doc.add_heading("Findings to resolve", 1)
        _table(
            doc,
            ["Code", "Severity", "Where", "What is wrong", "How to fix"],
            [
                [
                    f["code"],
                    f["severity"],
                    f"{f['file']}:{f['line']}:{f['column']}",
                    f["message"],
                    f["hint"],
                ]
                for f in d["findings"]
            ],
            set(),
        )

    doc.add_heading("Executive summary", 1)
    doc.add_paragraph(
        f"{org} presents this {d['title'].lower()} for {d['level_label']} of the "
        f"{d['scheme_name']}, covering {d['period']['start']} to "
        f"{d['period']['end']}."
    )
    _table(doc, ["Figure", "Value"], [list(r) for r in d["headline"]], {1})
    _picture(doc, d["charts"]["theme"], f"Present value of {d['chart_kind']} by theme")
    _picture(doc, d["charts"]["stakeholder"], f"Present value of {d['chart_kind']} by stakeholder")

    if d["health"]:
        h = d["health"]
        doc.add_heading("SVQM Health Award requirements", 1)
        for label, text in (
            ("Executive sponsor", h["executive_sponsor"]),
            ("Social value lead", h["social_value_lead"]),
            ("Environmental lead", h["environmental_lead"]),
            ("Development group", ", ".join(h["development_group"])),
            ("Definition of social value", h["definition"]),
            ("Legacy statement", h["legacy_statement"]),
        ):
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{label}: ").bold = True
            para.add_run(str(text))

    doc.add_heading("Pledges", 1)
    for p in d["pledges"]:
        doc.add_heading(f"{p['title']} ({p['theme']})", 2)
        doc.add_paragraph(p["commitment"])
        _table(
            doc,
            ["Measure", "Target", "Due", "Actual", "As of", "Status"],
            [
                [
                    t["measure"],
                    f"{t['quantity']} {t['unit']}",
                    t["due"],
                    t["actual"],
                    t["as_of"],
                    t["status"],
                ]
                for t in p["targets"]
            ],
            {1, 3},
        )
        if p["sdgs"]:
            doc.add_paragraph("UN SDGs: " + "; ".join(p["sdgs"]))
        if p["marmot"]:
            doc.add_paragraph("Marmot principles: " + "; ".join(p["marmot"]))

    if d["stakeholders"]:
        doc.add_heading("Stakeholders and how they were engaged", 1)
        _table(
            doc,
            ["Stakeholder", "Engagement", "Sample", "Date"],
            [
                [
                    s["name"],
                    *(
                        (
                            [
                                s["engagement"]["method"],
                                s["engagement"]["sample_size"],
                                s["engagement"]["date"],
                            ]
                        )
                        if s["engagement"]
                        else ["Not recorded", "", ""]
                    ),
                ]
                for s in d["stakeholders"]
            ],
            {2},
        )

    if d["maps"]:
        doc.add_heading("Social value: impact maps", 1)
        for kind, t in d["totals"].items():
            doc.add_paragraph(
                f"All {kind}s: present value {t['present_value']} from inputs of "
                f"{t['inputs']}: {t['ratio']}."
            )
        for m in d["maps"]:
            doc.add_heading(f"{m['scope']} ({m['kind']})", 2)
            _table(
                doc,
                ["Inputs", "Present value", "Net present value", "SROI ratio", "Payback"],
                [
                    [
                        m["inputs_total"],
                        m["present_value"],
                        m["net_present_value"],
                        m["sroi_ratio"],
                        m["payback"],
                    ]
                ],
                {0, 1, 2, 3, 4},
            )
            _table(
                doc,
                [
                    "Outcome",
                    "Quantity",
                    "Proxy and source",
                    "Deadweight",
                    "Displacement",
                    "Attribution",
                    "Drop-off",
                    "Years",
                    "Present value",
                ],
                [
                    [
                        o["description"],
                        o["quantity"],
                        f"{o['proxy_value']} per {o['proxy_unit']} ({o['proxy_source']})",
                        o["deadweight"],
                        o["displacement"],
                        o["attribution"],
                        o["drop_off"],
                        str(o["duration"]),
                        o["present_value"],
                    ]
                    for o in m["outcomes"]
                ],
                {1, 3, 4, 5, 6, 7, 8},
            )
            doc.add_heading("Sensitivity", 3)
            _table(
                doc,
                ["Change", "SROI ratio", "Break-even (1:1)"],
                [[s["label"], s["ratio"], s["break_even"]] for s in m["sensitivity"]],
                {1},
            )
            c = m["comparison"]
            if c:
                doc.add_heading(f"Forecast against actual ({c['forecast']})", 3)
                _table(
                    doc,
                    ["Outcome", "Forecast PV", "Actual PV", "Difference", "%"],
                    [
                        [
                            r["outcome"],
                            r["forecast_pv"],
                            r["actual_pv"],
                            r["difference"],
                            r["percentage"],
                        ]
                        for r in c["rows"]
                    ]
                    + [
                        [
                            "Total",
                            c["forecast_pv"],
                            c["actual_pv"],
                            c["difference"],
                            c["percentage"],
                        ]
                    ],
                    {1, 2, 3, 4},
                )
                _picture(doc, c["chart"], "Present value: forecast against actual")
        for x in d["lm3"]:
            doc.add_heading(f"Local Multiplier 3: {x['area']}", 2)
            _table(
                doc,
                ["Round", "Amount"],
                [
                    ["Round 1: income", x["round_1"]],
                    ["Round 2: spent locally", x["round_2"]],
                    ["Round 3: re-spent locally", x["round_3"]],
                    ["LM3", x["score"]],
                    ["Share of spend that is local", x["local_share"]],
                ],
                {1},
            )

    fw = d["framework"] if ctx.level >= 4 else None
    if fw:
        doc.add_heading("Organisation-wide framework", 1)
        doc.add_paragraph(
            f"Board sponsor: {fw['governance']['board_sponsor']}; review "
            f"cycle: {fw['governance']['review_cycle']}."
        )
        _table(
            doc,
            ["Standard", "How we meet it", "Evidence"],
            [[s["name"], s["statement"], ", ".join(s["evidence"])] for s in fw["standards"]],
            set(),
        )
        _table(
            doc,
            ["Service", "Evaluation", "Reason if out of scope"],
            [[c["service"], c["evaluation"], c["reason"]] for c in fw["coverage"]],
            set(),
        )

    if d["case_studies"]:
        doc.add_heading("Case studies", 1)
        for c in d["case_studies"]:
            doc.add_heading(c["title"], 2)
            for block in c["narrative"].split("\n\n"):
                _markdown_paragraph(doc, block)
            for q in c["quotes"]:
                doc.add_paragraph(
                    f"“{q['text']}”" + (f" ({q['by']})" if q["by"] else ""), style="Quote"
                )

    doc.add_heading("Evidence index", 1)
    if d["evidence"]:
        _table(
            doc,
            ["File", "Bytes", "SHA-256"],
            [[e.path, f"{e.size:,}", e.sha256] for e in d["evidence"]],
            {1},
        )
    else:
        doc.add_paragraph("The pack cites no evidence files.")
    doc.add_heading("Methodology", 1)
    if d["maps"]:
        doc.add_paragraph(
            "Impact in year 1 = quantity × proxy × (1 − deadweight) × (1 − displacement) × "
            "(1 − attribution); later years fall by the drop-off; present value discounts each "
            f"year at {d['settings']['discount_rate']}% a year; SROI ratio = present value / "
            "inputs."
        )
    doc.add_paragraph("Pledge progress compares each target with its latest measured figure.")
    doc.add_paragraph(
        f"Made with svqm {d['version']}"
        + (f" from commit {d['commit']}" if d["commit"] else "")
        + f"; report date {d['date']}."
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
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
