"""Pledge progress: each target against its latest measured value, with a status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.calc.sroi import ZERO, decimal_of

MET, ON_TRACK, AT_RISK, MISSED, NO_DATA = "met", "on track", "at risk", "missed", "no data"


@dataclass(frozen=True)
class TargetProgress:
    pledge: str
    measure: str
    unit: str
    target: Decimal
    baseline: Decimal | None
    due: str
    actual: Decimal | None
    as_of: str | None
    status: str


def status(
    target: Decimal,
    baseline: Decimal | None,
    due: dt.date,
    start: dt.date,
    actual: Decimal | None,
    as_of: dt.date | None,
) -> str:
    """met / on track / at risk / missed, judged at the date of the latest figure.

    A target below its baseline is a reduction (waste, turnover): lower is better. Before
    the due date, "on track" means at least the straight-line share of the change from
    the baseline that the time elapsed since the period started calls for.
    """
    if actual is None or as_of is None:
        return NO_DATA
    origin = baseline if baseline is not None else ZERO
    falling = target < origin

    def reached(value: Decimal, goal: Decimal) -> bool:
        return value <= goal if falling else value >= goal

    if reached(actual, target):
        return MET
    if as_of >= due:
        return MISSED
    total = (due - start).days
    elapsed = max((as_of - start).days, 0)
    expected = target if total <= 0 else origin + (target - origin) * Decimal(elapsed) / total
    return ON_TRACK if reached(actual, expected) else AT_RISK


def pledge_progress(
    pledges: list[Mapping[str, Any]], period_start: dt.date
) -> list[TargetProgress]:
    out: list[TargetProgress] = []
    for pledge in pledges:
        latest: dict[str, Mapping[str, Any]] = {}
        for entry in pledge.get("progress", []):
            seen = latest.get(entry["measure"])
            if seen is None or entry["as_of"] >= seen["as_of"]:
                latest[entry["measure"]] = entry
        for target in pledge["targets"]:
            entry = latest.get(target["measure"])
            actual = decimal_of(entry["actual"]) if entry else None
            as_of = entry["as_of"] if entry else None
            baseline = decimal_of(target["baseline"]) if "baseline" in target else None
            goal = decimal_of(target["quantity"])
            out.append(
                TargetProgress(
                    pledge=pledge["id"],
                    measure=target["measure"],
                    unit=target["unit"],
                    target=goal,
                    baseline=baseline,
                    due=target["due"],
                    actual=actual,
                    as_of=as_of,
                    status=status(
                        goal,
                        baseline,
                        dt.date.fromisoformat(target["due"]),
                        period_start,
                        actual,
                        dt.date.fromisoformat(as_of) if as_of else None,
                    ),
                )
            )
    return out
