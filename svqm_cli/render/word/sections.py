"""One builder per report section (render/sections.py), each adding its part to the Word
document: the same sections, in the same order and with the same headings as HTML and
Markdown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from svqm_cli.render.context import ReportContext
from svqm_cli.render.word import maps
from svqm_cli.render.word.limits import map_limit
from svqm_cli.render.word.parts import table
from svqm_cli.render.word.pictures import picture
from svqm_cli.render.word.text import (
    add_bold_led,
    add_heading,
    add_paragraph,
    markdown_paragraph,
)

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
    add_paragraph(
        doc,
        f"{d['organisation']['name']} presents its {d['title'].lower()} for {d['level_label']} "
        f"of the {d['scheme_name']}, covering {d['period']['start']} to {d['period']['end']}.",
    )
    for s in d["headline_scopes"]:
        if s["detailed"]:
            add_paragraph(doc, s["sentence"], style="List Bullet")
    if d["headline_scopes"]:
        add_paragraph(doc, "Each impact map against its own forecast", style="Caption")
        rows = [
            [s["name"], s["kind"], s["forecast"], s["measured"], s["against"]]
            for s in d["headline_scopes"]
        ]
        header = ["Impact map", "Kind", "Forecast SROI ratio", "Measured SROI ratio"]
        table(doc, [*header, "Measured against forecast"], rows, {2, 3})
        map_limit(doc, d)
    for t in d["headline_totals"]:
        add_paragraph(
            doc,
            f"{t['label']} together ({'; '.join(t['maps'])}): present value "
            f"{t['present_value']} from inputs of {t['inputs']}, {t['ratio']}. Each impact "
            "map's own ratio is above.",
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
        ("Our definition of social value", h["definition"]),
        (
            "Engagement",
            f"{', '.join(h['engagement']['methods'])}; {h['engagement']['active_volunteers']} "
            f"active volunteers giving {h['engagement']['volunteer_hours']} hours",
        ),
        ("Legacy statement", h["legacy_statement"]),
    ):
        add_bold_led(doc, f"{label}: ", str(text), style="List Bullet")


def pledges(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    for p in d["pledges"]:
        add_heading(doc, f"{p['title']} ({p['theme']})", 2)
        add_paragraph(doc, p["commitment"])
        if p["owner"]:
            add_paragraph(doc, f"Owner: {p['owner']}")
        rows = [
            [
                t["measure"],
                t["target"],
                t["due"],
                t["baseline"],
                t["actual"],
                t["as_of"],
                t["status"],
            ]
            for t in p["targets"]
        ]
        header = ["Measure", "Target", "Due", "Baseline", "Actual", "As of", "Status"]
        table(doc, header, rows, {1, 3, 4})
        if p["sdgs"]:
            add_paragraph(doc, "UN SDGs: " + "; ".join(p["sdgs"]))
        if p["marmot"]:
            add_paragraph(doc, "Marmot principles: " + "; ".join(p["marmot"]))
        if p["toms"]:
            add_paragraph(doc, "TOMs measures: " + ", ".join(p["toms"]))


def scope(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if d["scopes"]:
        rows = [
            [
                s["name"] + (f" ({s['type']})" if s["type"] else ""),
                s["kind"],
                s["description"],
                f"{s['period']['start']} to {s['period']['end']}",
            ]
            for s in d["scopes"]
        ]
        table(doc, ["Impact map", "Kind", "Covers", "Period"], rows, set())
    if d["stakeholders"]:
        add_heading(doc, "Stakeholders and how they were engaged", 2)
        rows = []
        for s in d["stakeholders"]:
            e = s["engagement"]
            how = [e["method"], e["sample_size"], e["date"]] if e else ["Not recorded", "", ""]
            rows.append([s["name"], s["description"], s["size"], *how])
        header = ["Stakeholder", "Who", "Size", "Engagement", "Sample", "Date"]
        table(doc, header, rows, {2, 4})


def _pair(first: str, second: str) -> str:
    """Two figures in one cell, one a line."""
    return f"{first}\n{second}"


def commitments(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    add_paragraph(doc, d["commitments_intro"])
    t = d["commitment_totals"]
    if t and t["contracts"] > 1:
        add_paragraph(
            doc,
            f"{t['contracts']} contracts, {t['commitments']} commitments ({t['statuses']}): "
            f"value committed {t['value_committed']}, delivered so far {t['value_delivered']}.",
        )
    for k in d["contracts"]:
        add_heading(doc, k["title"], 2)
        weighting = f"; social value {k['weighting']} of the tender score" if k["weighting"] else ""
        reference = f"; {k['reference']}" if k["reference"] else ""
        add_paragraph(
            doc,
            f"{k['supplier']} for {k['buyer']}; {k['term']}; contract value {k['value']}"
            f"{weighting}{reference}.",
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
        picture(doc, k["chart"], d["commitments_chart_caption"])
        deliveries = [
            [
                c["description"],
                x["period"],
                x["quantity"],
                ", ".join(x["evidence"]) + " " + x["note"],
            ]
            for c in k["commitments"]
            for x in c["deliveries"]
        ]
        table(doc, ["Commitment", "Period", "Delivered", "Evidence"], deliveries, {2})
        for c in k["commitments"]:
            if c["note"]:
                add_paragraph(doc, f"Note on “{c['description']}”: {c['note']}")
    _measure_totals(doc, d["measure_totals"])


def _measure_totals(doc: Any, m: dict[str, Any]) -> None:
    if m["codes"]:
        add_heading(doc, "Totals by measure code", 2)
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
    if m["themes"]:
        add_heading(doc, "Totals by catalogue theme", 2)
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


def framework(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    fw = d["framework"]
    add_paragraph(
        doc,
        f"Board sponsor: {fw['governance']['board_sponsor']}; review "
        f"cycle: {fw['governance']['review_cycle']}.",
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
        add_heading(doc, c["title"], 2)
        if c["pledges"]:
            add_paragraph(doc, "Illustrates: " + "; ".join(c["pledges"]))
        if not c["consent"]:
            add_paragraph(doc, c["withheld"] + ".").runs[0].italic = True
            continue
        for block in c["narrative"].split("\n\n"):
            markdown_paragraph(doc, block)
        for q in c["quotes"]:
            by = f" ({q['by']})" if q["by"] else ""
            add_paragraph(doc, f"“{q['text']}”{by}", style="Quote")


def assurance(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if not d["assurance"]:
        add_paragraph(doc, d["assurance_none"])
        return
    rows = [
        [a["by"], a["standard"], a["date"], a["scope"], a["result"], a["statement"]]
        for a in d["assurance"]
    ]
    header = ["Checked by", "Standard", "Date", "Scope", "Result", "Statement"]
    table(doc, header, rows, set())


def limitations(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if d["limitations"]:
        add_heading(doc, "Limitations", 2)
        for item in d["limitations"]:
            add_bold_led(doc, f"{item['where']}: ", item["text"], style="List Bullet")
    if d["recommendations"]:
        add_heading(doc, "Recommendations", 2)
        add_paragraph(
            doc,
            "Drawn by svqm from the figures and the pack: prompts for the organisation, not "
            "an assessor's findings.",
        )
        for text in d["recommendations"]:
            add_paragraph(doc, text, style="List Bullet")


def reproducibility(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    source = (
        f"commit {d['commit']} of the pack's repository"
        if d["commit"]
        else "a pack that is not in a git repository, so the exact files cannot be named by "
        "a commit"
    )
    add_paragraph(
        doc,
        f"This report was made by svqm {d['version']} from {source}. The same files and the "
        "same svqm version give the same report, byte for byte. To make it again, in the "
        "pack's folder:",
    )
    for step in d["reproduce"]:
        add_paragraph(doc, step, style="No Spacing").runs[0].font.name = "Courier New"


def evidence(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    if not d["evidence"]:
        add_paragraph(doc, "The pack cites no evidence files.")
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
        add_paragraph(
            doc,
            "Social value is measured with the Social Return on Investment (SROI) method; the "
            "section “How the social value is calculated” gives each step.",
        )
        for text in valuation_notes(d["settings"]["valuation"]):
            add_paragraph(doc, text)
    add_paragraph(
        doc,
        "Pledge progress compares each target with its latest measured figure: met when "
        "reached, missed when the due date has passed without it, no data when no figure is "
        "recorded, on track or at risk against a straight line from the baseline at the start "
        "of the award period to the target at its due date.",
    )
    add_heading(doc, "Glossary", 2)
    for g in d["glossary"]:
        add_bold_led(doc, f"{g['term']}: ", g["meaning"], style="List Bullet")


BUILDERS: dict[str, Builder] = {
    "findings": findings,
    "summary": summary,
    "health": health,
    "scope": scope,
    "theory_of_change": maps.theory_of_change,
    "materiality": maps.materiality,
    "inputs": maps.inputs,
    "outcomes": maps.outcomes,
    "calculation": maps.calculation,
    "sensitivity": maps.sensitivity,
    "forecast_actual": maps.forecast_actual,
    "pledges": pledges,
    "commitments": commitments,
    "lm3": maps.lm3,
    "framework": framework,
    "case_studies": case_studies,
    "assurance": assurance,
    "limitations": limitations,
    "evidence": evidence,
    "methodology": methodology,
    "reproducibility": reproducibility,
}
