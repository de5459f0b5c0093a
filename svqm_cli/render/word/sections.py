"""One builder per report section (render/sections.py), each adding its part to the Word
document: the same sections, in the same order and with the same headings as HTML and
Markdown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from svqm_cli.render.context import ReportContext
from svqm_cli.render.word.limits import omitted  # issue 16: row limit
from svqm_cli.render.word.parts import markdown_paragraph, picture, table

Builder = Callable[[Any, dict[str, Any], ReportContext], None]


def findings(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    table(
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


def summary(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    doc.add_paragraph(
        f"{d['organisation']['name']} presents this {d['title'].lower()} for {d['level_label']} "
        f"of the {d['scheme_name']}, covering {d['period']['start']} to {d['period']['end']}."
    )
    table(doc, ["Figure", "Value"], [list(r) for r in d["headline"]], {1})
    picture(doc, d["charts"]["theme"], f"Present value of {d['chart_kind']} by theme")
    picture(doc, d["charts"]["stakeholder"], f"Present value of {d['chart_kind']} by stakeholder")


def health(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    h = d["health"]
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


def pledges(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    for p in d["pledges"]:
        doc.add_heading(f"{p['title']} ({p['theme']})", 2)
        doc.add_paragraph(p["commitment"])
        rows = [
            [
                t["measure"],
                f"{t['quantity']} {t['unit']}",
                t["due"],
                t["actual"],
                t["as_of"],
                t["status"],
            ]
            for t in p["targets"]
        ]
        table(doc, ["Measure", "Target", "Due", "Actual", "As of", "Status"], rows, {1, 3})
        if p["sdgs"]:
            doc.add_paragraph("UN SDGs: " + "; ".join(p["sdgs"]))
        if p["marmot"]:
            doc.add_paragraph("Marmot principles: " + "; ".join(p["marmot"]))


def stakeholders(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    rows = []
    for s in d["stakeholders"]:
        e = s["engagement"]
        how = [e["method"], e["sample_size"], e["date"]] if e else ["Not recorded", "", ""]
        rows.append([s["name"], *how])
    table(doc, ["Stakeholder", "Engagement", "Sample", "Date"], rows, {2})


def _impact_map(doc: Any, m: dict[str, Any]) -> None:
    doc.add_heading(f"{m['scope']} ({m['kind']})", 2)
    figures = ["inputs_total", "present_value", "net_present_value", "sroi_ratio", "payback"]
    table(
        doc,
        ["Inputs", "Present value", "Net present value", "SROI ratio", "Payback"],
        [[m[k] for k in figures]],
        {0, 1, 2, 3, 4},
    )
    if m["range"]:
        r = m["range"]
        doc.add_paragraph(
            f"Likely range of the SROI ratio (5th to 95th percentile of {r['draws']} draws): "
            f"{r['shown']}; {r['below']} of draws below 1:1."
        )
    table(
        doc,
        [
            "Outcome",
            "Quantity",
            "Proxy and source",
            "Deadweight / displacement / attribution / leakage / drop-off",
            "Years",
            "Present value",
        ],
        [
            [
                o["description"],
                o["quantity"],
                _proxy_text(o),
                " / ".join(
                    o[k] or "0%"
                    for k in ("deadweight", "displacement", "attribution", "leakage", "drop_off")
                ),
                str(o["duration"]),
                o["present_value"],
            ]
            for o in m["outcomes"]
        ],
        {1, 3, 4, 5},
    )
    omitted(doc, m)  # issue 16: row limit
    doc.add_heading("Sensitivity", 3)
    table(
        doc,
        ["Change", "SROI ratio", "Break-even (1:1)"],
        [[s["label"], s["ratio"], s["break_even"]] for s in m["sensitivity"]],
        {1},
    )
    if m["tornado"]:
        picture(
            doc,
            m["tornado"]["chart"],
            "One assumption at a time: the SROI ratio with each moved down and up",
        )
    if m["comparison"]:
        _comparison(doc, m["comparison"])


def _proxy_text(o: dict[str, Any]) -> str:
    unit = f" per {o['proxy_unit']}" if o["proxy_unit"] else ""
    note = f"; {o['proxy_note']}" if o["proxy_note"] else ""
    return f"{o['proxy_value']}{unit}{note} ({o['proxy_source']})"


def _comparison(doc: Any, c: dict[str, Any]) -> None:
    doc.add_heading(f"Forecast against actual ({c['forecast']})", 3)
    columns = ["forecast_pv", "actual_pv", "difference", "percentage"]
    rows = [[r["outcome"], *(r[k] for k in columns)] for r in c["rows"]]
    rows.append(["Total", *(c[k] for k in columns)])
    table(doc, ["Outcome", "Forecast PV", "Actual PV", "Difference", "%"], rows, {1, 2, 3, 4})
    picture(doc, c["chart"], "Present value: forecast against actual")


def value(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    for kind, t in d["totals"].items():
        doc.add_paragraph(
            f"All {kind}s: present value {t['present_value']} from inputs of "
            f"{t['inputs']}: {t['ratio']}."
        )
    for m in d["maps"]:
        _impact_map(doc, m)
    for x in d["lm3"]:
        doc.add_heading(f"Local Multiplier 3: {x['area']}", 2)
        rows = [
            ["Round 1: income", x["round_1"]],
            ["Round 2: spent locally", x["round_2"]],
            ["Round 3: re-spent locally", x["round_3"]],
            ["LM3", x["score"]],
            ["Share of spend that is local", x["local_share"]],
        ]
        table(doc, ["Round", "Amount"], rows, {1})


def _widths(doc: Any, centimetres: list[float]) -> None:
    """Fixed column widths for the table just added (Word and LibreOffice both keep them)."""
    from docx.shared import Cm

    added = doc.tables[-1]
    added.autofit = False
    for i, width in enumerate(centimetres):
        added.columns[i].width = Cm(width)
        for cell in added.columns[i].cells:
            cell.width = Cm(width)


def _pair(first: str, second: str) -> str:
    """Two figures in one cell, one a line."""
    return f"{first}\n{second}"


def commitments(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    doc.add_paragraph(d["commitments_intro"])
    t = d["commitment_totals"]
    if t and t["contracts"] > 1:
        doc.add_paragraph(
            f"{t['contracts']} contracts, {t['commitments']} commitments ({t['statuses']}): "
            f"value committed {t['value_committed']}, delivered so far {t['value_delivered']}."
        )
    for k in d["contracts"]:
        doc.add_heading(k["title"], 2)
        weighting = f"; social value {k['weighting']} of the tender score" if k["weighting"] else ""
        reference = f"; {k['reference']}" if k["reference"] else ""
        doc.add_paragraph(
            f"{k['supplier']} for {k['buyer']}; {k['term']}; contract value {k['value']}"
            f"{weighting}{reference}."
        )
        rows = [
            [
                c["description"] + (f" (measure {c['measure']})" if c["measure"] else ""),
                c["target"],
                f"{c['delivered']}\n(line: {c['trajectory']} at {c['as_of']})",
                c["status"],
                c["rating"],
                _pair(c["value_committed"], c["value_delivered"]),
            ]
            for c in k["commitments"]
        ]
        total = _pair(k["value_committed"], k["value_delivered"])
        rows.append(["Total", "", "", k["statuses"], "", total])
        header = ["Commitment", "Target", "Delivered (trajectory)", "Status", "Buyer's rating"]
        table(doc, [*header, "Value committed / delivered"], rows, {1, 2, 5})
        _widths(doc, [5.0, 2.0, 2.7, 1.8, 2.3, 2.7])
        picture(doc, k["chart"], d["commitments_chart_caption"])
        deliveries = [
            [c["id"], x["period"], x["quantity"], ", ".join(x["evidence"]) + " " + x["note"]]
            for c in k["commitments"]
            for x in c["deliveries"]
        ]
        table(doc, ["Commitment", "Period", "Delivered", "Evidence"], deliveries, {2})
        _widths(doc, [4.2, 4.0, 2.0, 6.3])
        for c in k["commitments"]:
            if c["note"]:
                doc.add_paragraph(f"Note on {c['id']}: {c['note']}")
    _measure_totals(doc, d["measure_totals"])


def _measure_totals(doc: Any, m: dict[str, Any]) -> None:
    if m["codes"]:
        doc.add_heading("Totals by measure code", 2)
        rows = [
            [
                f"{x['code']} ({x['framework']}): {x['title']}",
                str(x["commitments"]),
                _pair(x["target"], x["delivered"]),
                _pair(x["value_committed"], x["value_delivered"]),
                _pair(x["forecast"], x["evaluation"]),
            ]
            for x in m["codes"]
        ]
        header = ["Measure", "Commitments", "Target / delivered", "Value committed / delivered"]
        table(doc, [*header, "Present value: forecast / evaluation"], rows, {1, 2, 3, 4})
        _widths(doc, [5.5, 2.2, 2.6, 3.1, 3.1])
    if m["themes"]:
        doc.add_heading("Totals by catalogue theme", 2)
        rows = [
            [
                f"{x['name']} ({x['catalogue']})",
                str(x["commitments"]),
                _pair(x["value_committed"], x["value_delivered"]),
                _pair(x["forecast"], x["evaluation"]),
            ]
            for x in m["themes"]
        ]
        header = ["Theme", "Commitments", "Value committed / delivered"]
        table(doc, [*header, "Present value: forecast / evaluation"], rows, {1, 2, 3})
        _widths(doc, [6.0, 2.4, 4.0, 4.1])


def framework(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    fw = d["framework"]
    doc.add_paragraph(
        f"Board sponsor: {fw['governance']['board_sponsor']}; review "
        f"cycle: {fw['governance']['review_cycle']}."
    )
    table(
        doc,
        ["Standard", "How we meet it", "Evidence"],
        [[s["name"], s["statement"], ", ".join(s["evidence"])] for s in fw["standards"]],
        set(),
    )
    table(
        doc,
        ["Service", "Evaluation", "Reason if out of scope"],
        [[c["service"], c["evaluation"], c["reason"]] for c in fw["coverage"]],
        set(),
    )


def case_studies(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    for c in d["case_studies"]:
        doc.add_heading(c["title"], 2)
        for block in c["narrative"].split("\n\n"):
            markdown_paragraph(doc, block)
        for q in c["quotes"]:
            by = f" ({q['by']})" if q["by"] else ""
            doc.add_paragraph(f"“{q['text']}”{by}", style="Quote")


def evidence(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if not d["evidence"]:
        doc.add_paragraph("The pack cites no evidence files.")
        return
    rows = [[e.path, f"{e.size:,}", e.sha256] for e in d["evidence"]]
    table(doc, ["File", "Bytes", "SHA-256"], rows, {1})


def valuation_notes(v: dict[str, Any]) -> list[str]:
    """The price year, WELLBY and likely-range paragraphs of the methodology."""
    notes = []
    if v["deflator"]:
        notes.append(
            f"Price year: every financial proxy is brought to {v['base_year']} prices with "
            f"{v['deflator']['source']} (index years {v['deflator']['years']}): value × "
            f"index[{v['base_year']}] / index[its price year]."
        )
    elif v["base_year"]:
        notes.append(
            f"Price year: proxies are used as written, taken to be in {v['base_year']} prices "
            "(no deflator)."
        )
    w = v["wellby"]
    if w:
        year = f" in {w['year']} prices" if w["year"] else ""
        used = f" ({w['used']} in {v['base_year']} prices)" if w["uprated"] else ""
        sens = (
            f"; sensitivity shows the low ({w['low']}) and high ({w['high']}) values"
            if w["low"] and w["high"]
            else ""
        )
        notes.append(
            "Wellbeing: one WELLBY (one point of life satisfaction for one person for a year) "
            f"is valued at {w['value']}{year}{used}, from {w['source']}{sens}."
        )
    if v["draws"]:
        notes.append(
            f"Likely range: each input given a range is drawn {v['draws']} times from a "
            "triangular distribution (low, central, high), independently (seed "
            f"{v['seed']}); the range is the 5th to 95th percentile of the ratios drawn. "
            "The tornado chart moves one assumption at a time down and up."
        )
    return notes


def methodology(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if d["maps"]:
        doc.add_paragraph(
            "Impact in year 1 = quantity × proxy × (1 − deadweight) × (1 − displacement) × "
            "(1 − attribution) × (1 − leakage); later years fall by the drop-off; present value "
            f"discounts each year at {d['settings']['discount_rate']}% a year; SROI ratio = "
            "present value / inputs."
        )
        for text in valuation_notes(d["settings"]["valuation"]):
            doc.add_paragraph(text)
    doc.add_paragraph("Pledge progress compares each target with its latest measured figure.")


BUILDERS: dict[str, Builder] = {
    "findings": findings,
    "summary": summary,
    "health": health,
    "pledges": pledges,
    "stakeholders": stakeholders,
    "value": value,
    "commitments": commitments,
    "framework": framework,
    "case_studies": case_studies,
    "evidence": evidence,
    "methodology": methodology,
}
