"""The commitments section as a report shows it: contract by contract, what was promised and
delivered, the status, the buyer's rating and the evidence, with a chart of delivered against
the straight-line trajectory; then totals by measure code and by a catalogue's themes.

A draft report (a pack with errors, so no figures) still lists the contracts, worked out
from the documents as written, without proxy values.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from svqm_cli.calc.commitments import (
    CommitmentFigures,
    ContractFigures,
    commitment_totals,
    contract_figures,
)
from svqm_cli.calc.measures import MeasureBreakdown
from svqm_cli.calc.report import ValueReport
from svqm_cli.render import charts
from svqm_cli.render.figures import FRAMEWORK_NAMES
from svqm_cli.render.words import prose_date, quantity
from svqm_cli.reporters.commitments import RATING_WORDS, STATUS_WORDS, statuses_line
from svqm_cli.reporters.numbers import TENTH, money, number, rounded, share

INTRO = (
    "What suppliers committed to when they won contracts, and what they have delivered so far. "
    "A commitment is on track when what was delivered is at least where a straight line from "
    "nothing at the start of the contract to the target at its end stands at the latest "
    "delivery, at risk when it is behind that line, met once the target is reached and missed "
    "when the term is over without it. Values are the quantities times the financial proxy, "
    "not discounted, and are not part of the SROI figures."
)
CHART_CAPTION = (
    "Delivered against target; the black mark is the straight-line trajectory at the latest "
    "delivery"
)


def _framework(framework: str, version: str | None, names: dict[str, str]) -> str:
    """A measures framework by its name ('TOMs', a catalogue's own name), with its version."""
    return names.get(framework, framework) + (f" {version}" if version else "")


def _measure(c: CommitmentFigures, names: dict[str, str]) -> str:
    if c.measure is None:
        return ""
    m = c.measure
    return f"{m.code}, {_framework(m.framework, m.version, names)}"


def _commitment(c: CommitmentFigures, cur: str, names: dict[str, str]) -> Any:
    evidence = sorted({e for d in c.deliveries for e in d.evidence})
    return {
        "id": c.id,
        "description": c.description,
        "target": quantity(c.target, c.unit),
        "delivered": number(c.delivered),
        "trajectory": "-" if c.as_of is None else number(rounded(c.expected, TENTH)),
        "as_of": prose_date(c.as_of) or "-",
        "status": STATUS_WORDS[c.status],
        "status_key": c.status,
        "rating": RATING_WORDS.get(c.rating or "", "-"),
        "value_committed": money(c.value_committed, cur),
        "value_delivered": money(c.value_delivered, cur),
        "measure": _measure(c, names),
        "note": c.note,
        "evidence": evidence,
        "deliveries": [
            {
                "period": f"{prose_date(d.start)} to {prose_date(d.end)}",
                "quantity": number(d.quantity),
                "evidence": list(d.evidence),
                "note": d.note,
            }
            for d in c.deliveries
        ],
    }


def _chart_rows(k: ContractFigures) -> list[tuple[str, Decimal, Decimal, Decimal | None]]:
    return [(c.description or c.id, c.target, c.delivered, c.expected) for c in k.commitments]


def _contract(k: ContractFigures, cur: str, names: dict[str, str]) -> Any:
    rows = _chart_rows(k)
    return {
        "id": k.id,
        "title": k.title,
        "buyer": k.buyer,
        "supplier": k.supplier,
        "value": money(k.value, cur, pence=False),
        "term": f"{prose_date(k.start)} to {prose_date(k.end)}",
        "weighting": "" if k.social_value_weighting is None else share(k.social_value_weighting),
        "reference": k.reference,
        "commitments": [_commitment(c, cur, names) for c in k.commitments],
        "value_committed": money(k.value_committed, cur),
        "value_delivered": money(k.value_delivered, cur),
        "statuses": statuses_line(k.statuses) or "no commitments",
        "chart": charts.progress_bars(rows, f"{k.title}: {CHART_CAPTION}"),
        "text_chart": charts.progress_text(rows),
    }


def _measures(b: MeasureBreakdown | None, cur: str, names: dict[str, str]) -> dict[str, Any]:
    if b is None:
        return {"codes": [], "themes": [], "catalogues": []}
    return {
        "catalogues": [
            {"name": c.name, "framework": c.framework, "version": c.version, "licence": c.licence}
            for c in b.catalogues
        ],
        "codes": [
            {
                "code": m.code,
                "framework": _framework(m.framework, m.version, names),
                "title": m.title or "(not in a catalogue of the pack)",
                "commitments": m.commitments,
                "target": quantity(m.target, m.unit) if m.commitments else "-",
                "delivered": number(m.delivered) if m.commitments else "-",
                "value_committed": money(m.value_committed, cur),
                "value_delivered": money(m.value_delivered, cur),
                "forecast": money(m.present_value["forecast"], cur),
                "evaluation": money(m.present_value["evaluation"], cur),
            }
            for m in b.measures
        ],
        "themes": [
            {
                "name": t.name,
                "catalogue": t.catalogue,
                "commitments": t.commitments,
                "value_committed": money(t.value_committed, cur),
                "value_delivered": money(t.value_delivered, cur),
                "forecast": money(t.present_value["forecast"], cur),
                "evaluation": money(t.present_value["evaluation"], cur),
            }
            for t in b.themes
        ],
    }


def section(
    value: ValueReport | None,
    documents: Iterable[dict[str, Any]],
    cur: str,
    frameworks: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The report's `contracts`, `commitment_totals` and `measure_totals`; FRAMEWORKS names
    each measures framework id (a catalogue's id → its name)."""
    names = {**FRAMEWORK_NAMES, **(frameworks or {})}
    contracts = (
        value.contracts
        if value is not None
        else tuple(sorted((contract_figures(d, {}) for d in documents), key=lambda k: k.id))
    )
    totals = value.commitment_totals if value is not None else commitment_totals(contracts)
    return {
        "commitments_intro": INTRO,
        "commitments_chart_caption": CHART_CAPTION,
        "contracts": [_contract(k, cur, names) for k in contracts],
        "commitment_totals": None
        if totals is None
        else {
            "contracts": totals.contracts,
            "commitments": totals.commitments,
            "statuses": statuses_line(totals.statuses) or "no commitments",
            "value_committed": money(totals.value_committed, cur),
            "value_delivered": money(totals.value_delivered, cur),
        },
        "measure_totals": _measures(value.measures if value is not None else None, cur, names),
    }
