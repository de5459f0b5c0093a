"""The commitments part of `svqm value` (spec §5.4, §5.5): contract by contract, committed
against delivered, and totals by measure code and by a catalogue's themes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from svqm_cli.calc.commitments import STATUS_ORDER, CommitmentFigures, ContractFigures
from svqm_cli.calc.measures import MAP_KINDS, MeasureBreakdown
from svqm_cli.calc.report import ValueReport
from svqm_cli.reporters.numbers import BASIS, TENTH, json_number, money, number, rounded, share

STATUS_WORDS = {
    "met": "met",
    "on-track": "on track",
    "at-risk": "at risk",
    "missed": "missed",
    "no-data": "no data",
}
RATING_WORDS = {
    "good": "Good",
    "approaching-target": "Approaching target",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "other": "Other",
}


def _commitment_json(c: CommitmentFigures) -> dict[str, Any]:
    return {
        "contract": c.contract,
        "id": c.id,
        "unit": c.unit,
        "target": json_number(c.target, BASIS),
        "delivered": json_number(c.delivered, BASIS),
        "status": c.status,
        "value_committed": json_number(c.value_committed),
        "value_delivered": json_number(c.value_delivered),
        "description": c.description,
        "as_of": c.as_of,
        "expected": json_number(c.expected, BASIS),
        "proxy_value": json_number(c.proxy_value),
        "rating": c.rating,
        "measure": None
        if c.measure is None
        else {
            "framework": c.measure.framework,
            "code": c.measure.code,
            "version": c.measure.version,
        },
        "pledge": c.pledge,
    }


def _contract_json(k: ContractFigures) -> dict[str, Any]:
    return {
        "id": k.id,
        "title": k.title,
        "buyer": k.buyer,
        "supplier": k.supplier,
        "value": json_number(k.value),
        "term": {"start": k.start, "end": k.end},
        "social_value_weighting": json_number(k.social_value_weighting, BASIS),
        "commitments": len(k.commitments),
        "value_committed": json_number(k.value_committed),
        "value_delivered": json_number(k.value_delivered),
        "statuses": k.statuses,
    }


def _pv(values: dict[str, Any]) -> dict[str, Any]:
    return {kind: json_number(values[kind]) for kind in MAP_KINDS}


def _measures_json(b: MeasureBreakdown | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "catalogues": [
            {"framework": c.framework, "name": c.name, "version": c.version, "licence": c.licence}
            for c in b.catalogues
        ],
        "codes": [
            {
                "framework": m.framework,
                "version": m.version,
                "code": m.code,
                "title": m.title,
                "unit": m.unit,
                "theme": m.theme,
                "commitments": m.commitments,
                "target": json_number(m.target, BASIS),
                "delivered": json_number(m.delivered, BASIS),
                "value_committed": json_number(m.value_committed),
                "value_delivered": json_number(m.value_delivered),
                "present_value": _pv(m.present_value),
            }
            for m in b.measures
        ],
        "themes": [
            {
                "framework": t.framework,
                "version": t.version,
                "id": t.id,
                "name": t.name,
                "commitments": t.commitments,
                "value_committed": json_number(t.value_committed),
                "value_delivered": json_number(t.value_delivered),
                "present_value": _pv(t.present_value),
            }
            for t in b.themes
        ],
    }


def as_json(report: ValueReport) -> dict[str, Any]:
    """The keys `value --format json` adds for commitments and measures."""
    t = report.commitment_totals
    return {
        "commitments": [_commitment_json(c) for k in report.contracts for c in k.commitments],
        "contracts": [_contract_json(k) for k in report.contracts],
        "commitment_totals": None
        if t is None
        else {
            "contracts": t.contracts,
            "commitments": t.commitments,
            "contract_value": json_number(t.contract_value),
            "value_committed": json_number(t.value_committed),
            "value_delivered": json_number(t.value_delivered),
            "statuses": t.statuses,
        },
        "measures": _measures_json(report.measures),
    }


def statuses_line(statuses: dict[str, int]) -> str:
    """'2 on track, 1 at risk': the statuses that occur, in a fixed order."""
    return ", ".join(f"{statuses[s]} {STATUS_WORDS[s]}" for s in STATUS_ORDER if statuses[s])


Add = Callable[..., None]


def as_text(console: Any, table: Callable[..., Any], add: Add, report: ValueReport) -> None:
    """Rich tables: one per contract, then the totals by measure code and by theme."""
    from rich.markup import escape

    cur = report.settings.currency
    for k in report.contracts:
        weighting = ""
        if k.social_value_weighting is not None:
            weighting = f", social value {share(k.social_value_weighting)} of the tender score"
        t = table(
            escape(
                f"Contract commitments: {k.title} ({k.supplier} for {k.buyer}, "
                f"{k.start} to {k.end}, {money(k.value, cur, pence=False)}{weighting})"
            ),
            [
                ("Commitment", "left"),
                ("Target", "right"),
                ("Delivered", "right"),
                ("Trajectory", "right"),
                ("Status", "left"),
                ("Rating", "left"),
                ("Value committed", "right"),
                ("Value delivered", "right"),
            ],
        )
        for c in k.commitments:
            expected = (
                "-" if c.as_of is None else f"{number(rounded(c.expected, TENTH))} by {c.as_of}"
            )
            add(
                t,
                f"{c.id}\n{c.description}",
                f"{number(c.target)} {c.unit}",
                number(c.delivered),
                expected,
                STATUS_WORDS[c.status],
                RATING_WORDS.get(c.rating or "", "-"),
                money(c.value_committed, cur),
                money(c.value_delivered, cur),
            )
        add(t, "Total", "", "", "", statuses_line(k.statuses), "", *_money2(k, cur))
        console.print(t)
    totals = report.commitment_totals
    if totals is not None and totals.contracts > 1:
        console.print(
            escape(
                f"All {totals.contracts} contracts: {totals.commitments} commitments "
                f"({statuses_line(totals.statuses)}); value committed "
                f"{money(totals.value_committed, cur)}, "
                f"delivered {money(totals.value_delivered, cur)}."
            )
        )
    _measures_text(console, table, add, report.measures, cur)


def _money2(k: ContractFigures, cur: str) -> tuple[str, str]:
    return money(k.value_committed, cur), money(k.value_delivered, cur)


def _measures_text(
    console: Any, table: Callable[..., Any], add: Add, b: MeasureBreakdown | None, cur: str
) -> None:
    if b is None:
        return
    t = table(
        "Totals by measure code",
        [
            ("Measure", "left"),
            ("Commitments", "right"),
            ("Target", "right"),
            ("Delivered", "right"),
            ("Value committed", "right"),
            ("Value delivered", "right"),
            ("Forecast PV", "right"),
            ("Evaluation PV", "right"),
        ],
    )
    for m in b.measures:
        version = f" {m.version}" if m.version else ""
        title = f"\n{m.title}" if m.title else "\n(not in a catalogue of the pack)"
        add(
            t,
            f"{m.framework}{version} {m.code}{title}",
            str(m.commitments),
            f"{number(m.target)} {m.unit}".strip() if m.commitments else "-",
            number(m.delivered) if m.commitments else "-",
            money(m.value_committed, cur),
            money(m.value_delivered, cur),
            money(m.present_value["forecast"], cur),
            money(m.present_value["evaluation"], cur),
        )
    console.print(t)
    if not b.themes:
        return
    t = table(
        "Totals by catalogue theme",
        [
            ("Theme", "left"),
            ("Commitments", "right"),
            ("Value committed", "right"),
            ("Value delivered", "right"),
            ("Forecast PV", "right"),
            ("Evaluation PV", "right"),
        ],
    )
    for th in b.themes:
        add(
            t,
            f"{th.name}\n({th.framework} {th.version})",
            str(th.commitments),
            money(th.value_committed, cur),
            money(th.value_delivered, cur),
            money(th.present_value["forecast"], cur),
            money(th.present_value["evaluation"], cur),
        )
    console.print(t)
