"""What an SROI report holds beyond the figures (spec §5.1, §5.2): the theory of change,
materiality, assurance, limitations with recommendations, the glossary and how to
reproduce the report. Read from documents that may not have passed their schema."""

from __future__ import annotations

from typing import Any

from svqm_cli.base.accessors import get, items, mapping, shown, texts
from svqm_cli.calc.sroi import decimal_of
from svqm_cli.render.figures import Names
from svqm_cli.render.words import joined, prose_date, quantity

RESULT_WORDS = {
    "verified": "Verified",
    "verified-with-conditions": "Verified, with conditions",
    "not-verified": "Not verified",
    "in-progress": "In progress: the check is not yet complete",
}
NOT_ASSURED = (
    "The figures in this report have not yet been independently assured: no assurance of "
    "this pack is recorded."
)
GLOSSARY = (
    (
        "Social return on investment (SROI)",
        "A way of measuring the social, economic and "
        "environmental value an activity creates, in money, against what was put in: the "
        "SROI ratio is the present value of the outcomes divided by the inputs.",
    ),
    (
        "Inputs",
        "What stakeholders put in to make the activity happen: money, and time valued in money.",
    ),
    ("Outputs", "What the activities produce, counted (for example beds provided)."),
    ("Outcome", "A change for a stakeholder that follows from the outputs."),
    (
        "Financial proxy",
        "A value in money used for an outcome that has no market price, "
        "with its source and the year of its prices.",
    ),
    ("Deadweight", "The share of an outcome that would have happened anyway."),
    ("Attribution", "The share of an outcome owed to other organisations or people."),
    (
        "Displacement",
        "The share of an outcome that only moved a benefit or a harm from somewhere else.",
    ),
    (
        "Leakage",
        "The share of the benefit that reaches people outside the area or group "
        "the analysis is about.",
    ),
    ("Drop-off", "How much of an outcome is lost each year after the first."),
    (
        "Present value",
        "The value of the outcomes over their whole duration, each later year "
        "discounted to today's money.",
    ),
    ("Net present value", "Present value minus the inputs."),
    (
        "Discount rate",
        "The yearly rate at which future value counts for less than value now "
        "(3.5% in the HM Treasury Green Book).",
    ),
    ("Negative outcome", "An unwanted change; its value is subtracted from the total."),
    (
        "Materiality",
        "Whether an outcome is relevant and significant enough to include; "
        "what was left out is listed with the reason.",
    ),
    (
        "Sensitivity analysis",
        "The ratio recalculated with one assumption changed, to show "
        "how much the result depends on it.",
    ),
    (
        "Local Multiplier 3 (LM3)",
        "How much of an organisation's spending stays in a local "
        "area, over three rounds of spending: income, spending with local suppliers and staff, "
        "and what they in turn spend locally. An LM3 of 2.00 means every £1 becomes £2 locally.",
    ),
    (
        "WELLBY",
        "One point of life satisfaction (on a 0 to 10 scale) for one person for "
        "one year, valued in money by HM Treasury guidance.",
    ),
    (
        "TOMs",
        "The Themes, Outcomes and Measures framework of social value measures, each "
        "with a code such as NT1.",
    ),
)


def _maps(src: Any) -> list[dict[str, Any]]:
    return [d for kind in ("forecast", "evaluation") for d in src.docs(kind)]


def _detailed_maps(src: Any) -> list[dict[str, Any]]:
    """The impact maps with a detailed section (render/limits.py, --max-maps)."""
    ids = src.detailed_ids
    return [d for d in _maps(src) if ids is None or shown(d, "id") in ids]


def _map_name(doc: dict[str, Any], names: Names) -> str:
    """An impact map's name and kind ('Supported housing partnership (forecast)'): a scope
    often has both a forecast and an evaluation."""
    name = shown(mapping(doc, "scope"), "name") or names.of(shown(doc, "id"))
    kind = shown(doc, "kind")
    return f"{name} ({kind})" if kind in ("forecast", "evaluation") else name


def theory_of_change(src: Any, names: Names) -> list[dict[str, Any]]:
    """Per impact map that records a chain: activity → output (quantity) → outcome → the
    later outcomes it leads to. Outputs no outcome follows from get a row of their own."""
    out = []
    for doc in _detailed_maps(src):
        outputs = {shown(o, "id"): o for _, o in items(doc, "outputs")}
        outcomes = [o for _, o in items(doc, "outcomes")]
        chained = any(get(o, "output") or get(o, "leads_to") for o in outcomes)
        if not outputs and not chained and not list(items(doc, "activities")):
            continue
        rows, used = [], set()
        for o in outcomes:
            output = outputs.get(shown(o, "output"), {})
            used.add(shown(o, "output"))
            rows.append(_chain_row(output, o, names))
        rows += [_chain_row(x, {}, names) for key, x in outputs.items() if key not in used]
        out.append(
            {
                "name": _map_name(doc, names),
                "activities": [
                    shown(a, "description") or shown(a, "id") for _, a in items(doc, "activities")
                ],
                "rows": rows,
            }
        )
    return out


def _chain_row(output: dict[str, Any], o: dict[str, Any], names: Names) -> dict[str, Any]:
    activity = shown(output, "activity")
    return {
        "activity": names.of(activity) if activity else "",
        "output": shown(output, "description") or shown(output, "id"),
        "output_quantity": quantity(get(output, "quantity"), shown(output, "unit"))
        if get(output, "quantity") is not None
        else "",
        "outcome": (shown(o, "description") or shown(o, "id")) if o else "",
        "negative": get(o, "negative") is True,
        "leads_to": joined([names.of(x) for x in texts(o, "leads_to")]),
    }


def materiality(src: Any, names: Names) -> list[dict[str, Any]]:
    """Per impact map: the outcomes included with their relevance and significance, and
    the outcomes considered and left out, with the stakeholder and the reason."""
    out = []
    for doc in _detailed_maps(src):
        included = []
        for _, o in items(doc, "outcomes"):
            m = mapping(o, "materiality")
            if m:
                included.append(
                    {
                        "outcome": shown(o, "description") or shown(o, "id"),
                        "stakeholder": names.of(shown(o, "stakeholder")),
                        "relevance": shown(m, "relevance"),
                        "significance": shown(m, "significance"),
                    }
                )
        excluded = [
            {
                "description": shown(x, "description"),
                "stakeholder": names.of(shown(x, "stakeholder")),
                "reason": shown(x, "reason"),
            }
            for _, x in items(doc, "excluded_outcomes")
        ]
        if included or excluded:
            out.append({"name": _map_name(doc, names), "included": included, "excluded": excluded})
    return out


def assurance(src: Any, names: Names) -> dict[str, Any]:
    """Each assurance entry of svqm.yaml in words, or the plain statement that there is none."""
    entries = []
    for _, a in items(src.config, "assurance"):
        scope = texts(a, "scope")
        result = shown(a, "result")
        entries.append(
            {
                "by": shown(a, "by"),
                "standard": shown(a, "standard"),
                "date": prose_date(get(a, "date")),
                "scope": joined([names.of(x) for x in scope]) if scope else "The whole pack",
                "result": RESULT_WORDS.get(result, result),
                "statement": shown(a, "statement"),
            }
        )
    return {"assurance": entries, "assurance_none": "" if entries else NOT_ASSURED}


def limitations(src: Any, names: Names) -> list[dict[str, str]]:
    """The limitations the pack states: the whole pack's (svqm.yaml), then each map's."""
    out = [{"where": "The whole pack", "text": t} for t in texts(src.config, "limitations")]
    for doc in _maps(src):
        out += [{"where": _map_name(doc, names), "text": t} for t in texts(doc, "limitations")]
    return out


ADJUSTMENT_WORDS = {
    "deadweight": "deadweight",
    "attribution": "attribution",
    "displacement": "displacement",
    "drop_off": "drop-off",
}


NAMED = 10  # impact maps named in a recommendation about maps without a detailed section


def unstated_bases(docs: list[dict[str, Any]], names: Names) -> list[str]:
    """The names of the impact maps in DOCS (their documents) with an outcome whose
    deadweight, attribution, displacement or drop-off is not zero and has no stated basis:
    the recommendation `recommendations` makes for a detailed map, read straight from the
    documents of the maps without a detailed section (their outcomes are not formatted)."""
    out = []
    for doc in docs:
        for _, o in items(doc, "outcomes"):
            basis = mapping(o, "basis")
            if any(not shown(basis, key) and decimal_of(get(o, key)) for key in ADJUSTMENT_WORDS):
                out.append(_map_name(doc, names))
                break
    return out


def recommendations(data: dict[str, Any]) -> list[str]:
    """Prompts svqm draws from the figures: targets behind, outcomes short of their
    forecast, adjustments without a stated basis, and no independent assurance."""
    out, unrecorded = [], []
    for p in data["pledges"]:
        for t in p["targets"]:
            if t["status"] in ("missed", "at risk"):
                out.append(
                    f"Review the plan for “{t['measure']}” (pledge “{p['title']}”): the target "
                    f"is {t['status']}."
                )
            elif t["status"] == "no data":
                unrecorded.append(f"“{t['measure']}”")
    if unrecorded:
        count = "1 target has" if len(unrecorded) == 1 else f"{len(unrecorded)} targets have"
        out.append(f"Record progress: {count} no figure yet: {joined(unrecorded)}.")
    for m in data["maps"]:
        missing: dict[str, list[str]] = {}
        for o in m["outcomes"]:
            reasons = {b["label"].lower() for b in o["basis"]}
            for key, word in ADJUSTMENT_WORDS.items():
                if o[key] not in ("0%", "-", "") and word not in reasons:
                    missing.setdefault(word, []).append(o["description"])
        if missing:
            outcomes = sorted({x for found in missing.values() for x in found})
            out.append(
                f"State why the {joined(list(missing))} of {m['name']} "
                f"({m['kind_label'].lower()}) have their values, so a "
                f"reader can judge them: {'; '.join(outcomes)}."
            )
    unstated = data.get("unstated_bases") or []
    if unstated:
        named = "; ".join(unstated[:NAMED])
        more = f" and {len(unstated) - NAMED:,} more" if len(unstated) > NAMED else ""
        out.append(
            f"State why the adjustments (deadweight, attribution, displacement, drop-off) of "
            f"the outcomes of {len(unstated):,} impact maps without a detailed section here "
            f"have their values, so a reader can judge them: {named}{more}."
        )
    if data["maps"] and not data["assurance"]:
        out.append("Have the figures independently assured before they are relied on.")
    return out


def reproducibility(src: Any, commit: str | None, version: str) -> dict[str, Any]:
    """How anyone with the pack's repository makes this report again."""
    steps = []
    if commit:
        steps.append(f"git checkout {commit}")
    steps.append(f"pip install svqm=={version}")
    steps.append("svqm render . --format html   (or pdf, docx, md)")
    return {"reproduce": steps}
