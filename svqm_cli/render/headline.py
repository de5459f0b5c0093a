"""The executive summary's headline, like with like: each impact map against its own
forecast, a plain sentence per scope, totals by kind with the maps they add up, and
targets counted in all five states."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from svqm_cli.calc.progress import AT_RISK, MET, MISSED, NO_DATA, ON_TRACK
from svqm_cli.calc.report import MapReport, ValueReport
from svqm_cli.reporters.numbers import SYMBOLS, money, ratio

STATES = (MET, ON_TRACK, AT_RISK, MISSED, NO_DATA)
STATE_WORDS = {MET: "met", ON_TRACK: "on track", AT_RISK: "at risk", MISSED: "missed"}


def _pounds(value: Decimal, currency: str) -> str:
    symbol = SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


def _the(name: str) -> str:
    """'the supported housing partnership' for 'Supported housing partnership'; a name of
    several capitalised words ('Riverside Volunteers') or with capitals ('NHS') is kept."""
    words = name.split()
    if not words:
        return "this impact map"
    proper = sum(1 for w in words if w[:1].isupper()) > 1 or words[0].isupper()
    return f"the {name}" if proper else f"the {words[0][:1].lower()}{name[1:]}"


def _difference(actual: Decimal, forecast: Decimal) -> str:
    change = (actual / forecast - 1) * 100
    shown = abs(change).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if shown == 0:
        return "as forecast"
    return f"{shown}% {'more' if change > 0 else 'less'} than forecast"


def sentence(m: MapReport, currency: str) -> str:
    """One plain-English sentence for an impact map."""
    f, c = m.figures, m.comparison
    where = _the(f.scope or f.id)
    if f.sroi_ratio is None:
        return (
            f"No inputs are recorded for {where}, so it has no ratio; its present value is "
            f"{money(f.present_value, currency, f.kind != 'forecast')}."
        )
    value = _pounds(f.sroi_ratio, currency)
    symbol = SYMBOLS.get(currency, currency + " ")
    if f.kind == "forecast":
        return f"Every {symbol}1 invested in {where} is forecast to create {value} of social value."
    text = f"For every {symbol}1 invested in {where}, {value} of social value was created"
    if c is not None and c.forecast_sroi_ratio:
        text += f", {_difference(f.sroi_ratio, c.forecast_sroi_ratio)}"
    return text + "."


def scopes(
    value: ValueReport | None, currency: str, detailed: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """One row a scope: an evaluation with its own forecast beside it, an evaluation with
    none, or a forecast that no evaluation has measured yet. `detailed` says whether the
    row's map has a detailed section (DETAILED: their ids; None: every map has one); the
    summary gives a sentence only to those."""
    if value is None:
        return []
    measured = {m.comparison.forecast for m in value.maps if m.comparison is not None}
    rows = []
    for m in value.maps:
        f, c = m.figures, m.comparison
        if f.kind == "forecast" and f.id in measured:
            continue  # shown beside its evaluation
        rows.append(
            {
                "name": f.scope or f.id,
                "kind": "Forecast" if f.kind == "forecast" else "Evaluation",
                "forecast": ratio(c.forecast_sroi_ratio, currency)
                if c is not None
                else (ratio(f.sroi_ratio, currency) if f.kind == "forecast" else "no forecast"),
                "measured": ratio(f.sroi_ratio, currency)
                if f.kind == "evaluation"
                else "not yet measured",
                "against": _difference(f.sroi_ratio, c.forecast_sroi_ratio)
                if c is not None and c.forecast_sroi_ratio and f.sroi_ratio is not None
                else "",
                "sentence": sentence(m, currency),
                "detailed": detailed is None or f.id in detailed,
            }
        )
    return rows


def totals(value: ValueReport | None, currency: str, counted: bool = False) -> list[dict[str, Any]]:
    """Totals by kind, each with the impact maps it adds up; only where a kind has two
    maps or more (a total of one map is that map). COUNTED (when maps are left without a
    detailed section, so there may be hundreds): the maps are counted, not named."""
    if value is None:
        return []
    out = []
    for kind, word in (("evaluation", "All evaluations"), ("forecast", "All forecasts")):
        t = value.totals.get(kind)
        maps = [m.figures.scope or m.figures.id for m in value.maps if m.figures.kind == kind]
        if t is None or len(maps) < 2:
            continue
        pence = kind != "forecast"
        out.append(
            {
                "label": word,
                "maps": [f"all {len(maps):,} impact maps of this kind"] if counted else maps,
                "inputs": money(t.inputs_total, currency, pence),
                "present_value": money(t.present_value, currency, pence),
                "ratio": ratio(t.sroi_ratio, currency),
            }
        )
    return out


def targets(pledges: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, count) for pledges, targets and each of the five states, zeros included."""
    statuses = [t["status"] for p in pledges for t in p["targets"]]
    rows = [("Pledges", f"{len(pledges):,}"), ("Targets", f"{len(statuses):,}")]
    rows += [
        (f"Targets {STATE_WORDS.get(s, 'with no data yet')}", f"{statuses.count(s):,}")
        for s in STATES
    ]
    return rows
