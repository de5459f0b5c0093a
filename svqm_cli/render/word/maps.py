"""The Word builders of the impact-map sections: theory of change, materiality, inputs,
outcomes and valuation, the calculation, sensitivity, forecast against actual and LM3.
The same words and figures as the HTML and Markdown partials of the same name."""

from __future__ import annotations

from typing import Any

from svqm_cli.render.context import ReportContext
from svqm_cli.render.word.limits import map_limit, omitted
from svqm_cli.render.word.parts import table
from svqm_cli.render.word.pictures import picture
from svqm_cli.render.word.text import add_heading, add_many, add_paragraph, paragraph_xml

CALCULATION = (
    "Impact in year 1: I1 = Q × V × (1 − d) × (1 − s) × (1 − a) × (1 − l).",
    "Drop-off: each later year keeps (1 − o) of the year before, It = I1 × (1 − o)^(t − 1), "
    "for the n years the outcome lasts.",
    "Discounting: PV = Σ It / (1 + r)^t, at the pack's discount rate r of {rate}% a year{first}; "
    "an outcome that starts the year after the activity is discounted one more year.",
    "Negative outcomes (unwanted changes) are worked out the same way and subtracted: their "
    "present value is shown with a minus sign and lowers the total.",
    "SROI ratio = total present value / total inputs; net present value = present value − "
    "inputs; payback = inputs / (year-1 impact / 12) months.",
)


def theory_of_change(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    add_paragraph(
        doc,
        "What each service does (activities), what that produces (outputs) and the changes "
        "that follow for people (outcomes), with the later outcomes each one leads to.",
    )
    map_limit(doc, d, short=True)
    for t in d["theory_of_change"]:
        add_heading(doc, t["name"], 2)
        if t["activities"]:
            add_paragraph(doc, "Activities: " + "; ".join(t["activities"]) + ".")
        rows = [
            [
                r["activity"],
                r["output"],
                r["output_quantity"],
                r["outcome"] + (" (negative outcome)" if r["negative"] else ""),
                r["leads_to"],
            ]
            for r in t["rows"]
        ]
        table(doc, ["Activity", "Output", "Output quantity", "Outcome", "Leads to"], rows, {2})


def materiality(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    map_limit(doc, d, short=True)
    for m in d["materiality"]:
        add_heading(doc, m["name"], 2)
        if m["included"]:
            add_paragraph(doc, "Outcomes included", style="Caption")
            rows = [
                [o["outcome"], o["stakeholder"], o["relevance"], o["significance"]]
                for o in m["included"]
            ]
            table(doc, ["Outcome", "Stakeholder", "Relevance", "Significance"], rows, set())
        if m["excluded"]:
            add_paragraph(doc, "Outcomes considered and left out", style="Caption")
            rows = [[x["description"], x["stakeholder"], x["reason"]] for x in m["excluded"]]
            table(doc, ["Outcome", "Stakeholder", "Why it was left out"], rows, set())


def inputs(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    map_limit(doc, d, short=True)
    for m in d["maps"]:
        period = m["period"]
        add_paragraph(
            doc,
            f"{m['name']} ({m['kind_label'].lower()}, {period['start']} to {period['end']})",
            style="Caption",
        )
        rows = [[i["description"], i["stakeholder"], i["value"]] for i in m["inputs"]]
        rows.append(["Total", "", m["inputs_total"]])
        table(doc, ["Input", "From", "Value"], rows, {2})


def _proxy_text(o: dict[str, Any]) -> str:
    text = f"{o['proxy']}: {o['proxy_value']}"
    text += f" per {o['proxy_unit']}" if o["proxy_unit"] else ""
    text += f", {o['proxy_year']} prices" if o["proxy_year"] else ""
    text += f"; measure {o['proxy_code']}" if o["proxy_code"] else ""
    text += f"; {o['proxy_note']}" if o["proxy_note"] else ""
    return text + (f" (source: {o['proxy_source']})" if o["proxy_source"] else "")


def _outcome_text(o: dict[str, Any]) -> str:
    negative = " (negative outcome: subtracted)" if o["negative"] else ""
    method = f"\nMethod: {o['method']}" if o["method"] else ""
    return f"{o['description']}{negative}\nIndicator: {o['indicator']}{method}"


def outcomes(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    map_limit(doc, d)
    for m in d["maps"]:
        add_heading(doc, f"{m['name']} ({m['kind_label'].lower()})", 2)
        if m["scope_description"]:
            add_paragraph(doc, m["scope_description"], props="<w:keepNext/>")
        figures = ["inputs_total", "present_value", "net_present_value", "sroi_ratio", "payback"]
        table(
            doc,
            ["Inputs", "Present value", "Net present value", "SROI ratio", "Payback"],
            [[m[k] for k in figures]],
            {0, 1, 2, 3, 4},
            keep=True,  # with the outcomes that follow
        )
        if m["range"]:
            r = m["range"]
            add_paragraph(
                doc,
                f"Likely range of the SROI ratio (5th to 95th percentile of {r['draws']} draws): "
                f"{r['shown']}; {r['below']} of draws below 1:1.",
                props="<w:keepNext/>",
            )
        adjustments = ("deadweight", "displacement", "attribution", "leakage", "drop_off")
        rows = [
            [
                _outcome_text(o),
                o["stakeholder"],
                o["quantity_text"],
                _proxy_text(o),
                " / ".join(o[k] or "0%" for k in adjustments),
                str(o["duration"]),
                o["present_value"],
            ]
            for o in m["outcomes"]
        ]
        header = ["Outcome", "Stakeholder", "Quantity", "Financial proxy and source"]
        header += ["Adjustments", "Years"]
        table(doc, [*header, "Present value"], rows, {2, 4, 5, 6})
        add_paragraph(
            doc, "Adjustments: deadweight / displacement / attribution / leakage / drop-off."
        )
        omitted(doc, m)  # issue 16: rows beyond the limit, summed
        with_basis = [o for o in m["outcomes"] if o["basis"]]
        if with_basis:
            add_heading(doc, "Why each figure has its value", 3)
        reasons = []  # built as text and parsed once a map: there is one an outcome
        for o in with_basis:
            reasons.append(paragraph_xml(doc, runs=[(o["description"], True)]))
            for b in o["basis"]:
                value = f" ({b['value']})" if b["value"] else ""
                text = f"{b['label']}{value}: {b['reason']}"
                reasons.append(paragraph_xml(doc, text, style="List Bullet"))
        add_many(doc, reasons)


def calculation(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    s = d["settings"]
    base = s["valuation"]["base_year"] or "its own"
    add_paragraph(
        doc,
        "Each outcome's present value is worked out in the same steps, with quantity Q, "
        f"financial proxy value V (in {base} prices), deadweight d, displacement s, attribution "
        "a, leakage l, drop-off o and duration n years:",
    )
    first = "" if s["discount_first_year"] else ", year 1 not discounted (exponent t − 1)"
    for step in CALCULATION:
        add_paragraph(doc, step.format(rate=s["discount_rate"], first=first), style="List Number")
    add_paragraph(
        doc,
        f"Figures are in {s['currency']}, computed exactly and rounded only for display: whole "
        "pounds for forecasts, pence for measured figures.",
    )


def sensitivity(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    add_paragraph(
        doc,
        "Each row moves one assumption for every outcome of the impact map at once (shares by "
        f"{d['settings']['step']} points, proxy values by 10% and 25%, duration to one year) "
        "and gives the value at which the ratio would fall to 1:1.",
    )
    map_limit(doc, d, short=True)
    for m in d["maps"]:
        if not (m["sensitivity"] or m["sensitivity_note"]):
            continue
        add_heading(doc, f"{m['name']} ({m['kind_label'].lower()}: {m['sroi_ratio']})", 2)
        rows = [[s["label"], s["ratio"], s["break_even"]] for s in m["sensitivity"]]
        table(doc, ["Change", "SROI ratio", "Break-even (1:1)"], rows, {1})
        if m["sensitivity_note"]:
            add_paragraph(doc, m["sensitivity_note"])
        if m["tornado"]:
            picture(doc, m["tornado"]["chart"], m["tornado"]["title"])


def forecast_actual(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    map_limit(doc, d, short=True)
    for m in d["comparisons"]:
        c = m["comparison"]
        add_heading(doc, f"{m['name']}: measured against its forecast", 2)
        add_paragraph(
            doc, f"SROI ratio: forecast {c['forecast_ratio']}, measured {c['actual_ratio']}."
        )
        columns = ["forecast_quantity", "actual_quantity", "forecast_pv", "actual_pv"]
        columns += ["difference", "percentage"]
        rows = [[r["outcome"], *(r[k] for k in columns)] for r in c["rows"]]
        rows.append(["Total", "", "", *(c[k] for k in columns[2:])])
        header = ["Outcome", "Forecast quantity", "Actual quantity", "Forecast PV", "Actual PV"]
        table(doc, [*header, "Difference", "%"], rows, {1, 2, 3, 4, 5, 6})
        picture(doc, c["chart"], c["title"])


LM3_INTRO = (
    "LM3 follows money through three rounds in a local area: round 1 is the organisation's "
    "income; round 2 what it spends with local suppliers and on the pay of staff who live "
    "locally; round 3 what those suppliers and staff spend locally in turn, from a survey. "
    "LM3 = (round 1 + round 2 + round 3) / round 1: an LM3 of 2.00 means every £1 of income "
    "becomes £2 in the local economy."
)


def lm3(doc: Any, d: dict[str, Any], ctx: ReportContext) -> None:
    add_paragraph(doc, LM3_INTRO)
    for x in d["lm3"]:
        when = f", {x['period']['start']} to {x['period']['end']}" if x["period"]["start"] else ""
        add_heading(doc, f"{x['area']}{when}", 2)
        rows = [
            ["Round 1: income", x["round_1"]],
            [f"Round 2: spent locally (of {x['total_spend']} spent in all)", x["round_2"]],
            ["Round 3: re-spent locally", x["round_3"]],
            ["LM3", x["score"]],
            ["Share of spend that is local", x["local_share"]],
        ]
        table(doc, ["Round", "Amount"], rows, {1})
        if x["survey"]:
            add_paragraph(
                doc,
                f"Round 3 assumes local suppliers re-spend {x['respend_suppliers']} and local "
                f"staff {x['respend_staff']} of what they receive in the area, from: "
                f"{x['survey']}.",
            )
