"""The impact maps as a report shows them: figures formatted, ids turned into names, the
forecast-against-actual comparison and its chart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import fields, get, items, mapping, shown, texts
from svqm_cli.calc.report import (
    Comparison,
    MapReport,
    OutcomeComparison,
    OutcomeDetail,
    ValueReport,
)
from svqm_cli.calc.sensitivity import Scenario
from svqm_cli.calc.sroi import decimal_of
from svqm_cli.render import charts, limits  # limits: issue 16's row limit
from svqm_cli.render.words import period, quantity
from svqm_cli.reporters.numbers import money, number, percent, ratio, share


@dataclass(frozen=True)
class Names:
    """What readers call each id of the pack (ids are unique across it), and the proxies."""

    names: dict[str, str]
    proxies: dict[str, dict[str, Any]]

    def of(self, ident: str) -> str:
        return self.names.get(ident) or ident


FRAMEWORK_NAMES = {"toms": "TOMs", "hact": "HACT", "ppn0620": "PPN 06/20", "ppn002": "PPN 002"}
ADJUSTMENTS = ("deadweight", "displacement", "attribution", "leakage", "drop_off")
BASIS_LABELS = {
    "quantity": "Quantity",
    "deadweight": "Deadweight",
    "attribution": "Attribution",
    "displacement": "Displacement",
    "leakage": "Leakage",
    "drop_off": "Drop-off",
    "duration": "Duration",
}


def _proxy(o: dict[str, Any], proxies: dict[str, dict[str, Any]]) -> dict[str, str]:
    """An outcome's proxy as a reader sees it: its description (or source), unit, source,
    price year and measure code; a proxy id or an inline proxy alike."""
    proxy = get(o, "proxy")
    found = proxies.get(proxy, {}) if isinstance(proxy, str) else mapping(o, "proxy")
    measure = mapping(found, "measure")
    framework = shown(measure, "framework")
    code = shown(measure, "code")
    version = shown(measure, "version")
    label = shown(found, "description") or (
        "Wellbeing, valued in WELLBYs" if get(found, "wellby") is not None else ""
    )
    return {
        "proxy": label or "Financial proxy written in the impact map",
        "proxy_unit": shown(found, "unit"),
        "proxy_source": shown(found, "source"),
        "proxy_year": shown(found, "year"),
        "proxy_code": " ".join(
            x for x in (FRAMEWORK_NAMES.get(framework, framework.upper()), code, version) if x
        )
        if code
        else "",
    }


def _basis(o: dict[str, Any], detail: OutcomeDetail, adjustments: dict[str, str]) -> list[Any]:
    """Why each adjustment, the duration and the quantity have their values (spec §5.1)."""
    basis = mapping(o, "basis")
    rows = []
    for key, label in BASIS_LABELS.items():
        reason = shown(basis, key)
        if reason:
            value = adjustments.get(key, "")
            rows.append({"label": label, "value": value, "reason": reason})
    return rows


def _outcomes(m: MapReport, cur: str, raw: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    by_id = {shown(o, "id"): o for _, o in items(raw, "outcomes")}
    pence = m.figures.kind != "forecast"
    out = []
    for detail, figures in zip(m.details, m.figures.outcomes, strict=True):
        o = by_id.get(detail.id, {})
        proxy = _proxy(o, names.proxies)
        adjustments = {key: share(decimal_of(get(o, key)) or Decimal(0)) for key in ADJUSTMENTS}
        duration = get(o, "duration") if isinstance(get(o, "duration"), int) else 1
        out.append(
            {
                "id": detail.id,
                "description": names.of(detail.id),
                "indicator": shown(o, "indicator"),
                "negative": get(o, "negative") is True or figures.present_value < 0,
                "stakeholder": names.of(detail.stakeholder),
                "quantity": number(detail.quantity),
                "quantity_text": quantity(detail.quantity, proxy["proxy_unit"]),
                "quantity_unit": quantity(detail.quantity, proxy["proxy_unit"])
                .removeprefix(number(detail.quantity))
                .strip(),
                "proxy_value": money(detail.proxy_value, cur),
                "proxy_note": _proxy_note(detail, cur),
                **proxy,
                # the value shown is in base-year prices: its own year only when not uprated
                "proxy_year": proxy["proxy_year"] if not _proxy_note(detail, cur) else "",
                **adjustments,
                "leakage": adjustments["leakage"] if get(o, "leakage") else "",
                "duration": duration,
                "duration_text": quantity(duration, "year"),
                "start": get(o, "start") or 1,
                "impact_year_1": money(figures.impact_year_1, cur, pence),
                "present_value": money(figures.present_value, cur, pence),
                "evidence": texts(o, "evidence"),
                "method": shown(o, "method"),
                "basis": _basis(o, detail, {**adjustments, "duration": quantity(duration, "year")}),
                "output": names.of(shown(o, "output")) if shown(o, "output") else "",
                "leads_to": [names.of(x) for x in texts(o, "leads_to")],
                "materiality": fields(mapping(o, "materiality"), "relevance", "significance"),
            }
        )
    return out


def _proxy_note(d: OutcomeDetail, cur: str) -> str:
    """How the value used was reached: WELLBYs valued, or a value uprated from its year."""
    notes = []
    if d.wellby is not None and d.wellby:
        notes.append(f"{number(d.wellby)} WELLBY at {money(d.proxy_value / d.wellby, cur)}")
    if d.proxy_written is not None and d.proxy_written != d.proxy_value:
        notes.append(f"{money(d.proxy_written, cur)} in {d.proxy_year} prices, uprated")
    return "; ".join(notes)


def _range(m: MapReport, cur: str) -> dict[str, str] | None:
    u = m.uncertainty
    if u is None or not u.ranged or u.p5 is None or u.p95 is None or u.share_below_1 is None:
        return None
    return {
        "p5": ratio(u.p5, cur),
        "p50": ratio(u.p50, cur),
        "p95": ratio(u.p95, cur),
        "low": ratio(u.p5, cur).split(" : ")[0],
        "high": ratio(u.p95, cur).split(" : ")[0],
        "shown": f"{ratio(u.p5, cur).split(' : ')[0]} to {ratio(u.p95, cur)}",
        "below": f"{u.share_below_1 * 100:.1f}%",
        "draws": f"{u.draws:,}",
        "inputs": str(u.ranged),
    }


def _tornado(m: MapReport, cur: str, name: str) -> dict[str, Any] | None:
    base = m.figures.sroi_ratio
    if not m.tornado or base is None:
        return None
    rows = [(w.label, w.low, w.high) for w in m.tornado]
    title = f"{name}: the SROI ratio with each assumption moved down and up, widest first"
    return {
        "rows": [
            {"label": w.label, "low": ratio(w.low, cur), "high": ratio(w.high, cur)}
            for w in m.tornado
        ],
        "chart": charts.tornado(rows, base, cur, title),
        "title": title,
    }


def _comparison(c: Comparison, cur: str, names: Names, name: str) -> dict[str, Any]:
    def outcome(r: OutcomeComparison) -> str:
        if r.outcome:
            return names.of(r.outcome)
        return f"{names.of(r.forecast_outcome or '')} (forecast, not measured)"

    rows = [
        {
            "outcome": outcome(r),
            "forecast_quantity": number(r.forecast_quantity),
            "actual_quantity": number(r.actual_quantity),
            "forecast_pv": money(r.forecast_present_value, cur, False),
            "actual_pv": money(r.actual_present_value, cur),
            "difference": money(r.difference, cur, False),
            "percentage": percent(r.percentage),
        }
        for r in c.outcomes
    ]
    pairs = [
        (outcome(r), r.forecast_present_value or Decimal(0), r.actual_present_value or Decimal(0))
        for r in c.outcomes
    ]
    title = f"{name}: present value forecast against actual, outcome by outcome"
    return {
        "forecast": names.of(c.forecast),
        "rows": rows,
        "forecast_pv": money(c.forecast_present_value, cur, False),
        "actual_pv": money(c.actual_present_value, cur),
        "difference": money(c.difference, cur, False),
        "percentage": percent(c.percentage),
        "forecast_ratio": ratio(c.forecast_sroi_ratio, cur),
        "actual_ratio": ratio(c.actual_sroi_ratio, cur),
        "chart": charts.paired_bars(pairs, ("Forecast", "Actual"), cur, title),
        "title": title,
    }


ONE_YEAR_KEYS = ("drop_off", "duration-1")


def _break_even(s: Scenario) -> str:
    """The break-even words; the one-year row says whether the ratio stays above 1:1."""
    if s.key != "duration-1" or s.break_even is None:
        return s.break_even_label
    years = int(s.break_even)
    if years <= 1:
        return "stays above 1:1 even with every outcome lasting one year"
    return f"below 1:1; outcomes must last at least {years} years to reach 1:1"


def _sensitivity(m: MapReport, cur: str) -> tuple[list[dict[str, str]], str]:
    """The rows, and a note when every outcome lasts one year (drop-off and a one-year
    duration then change nothing, so those rows are left out)."""
    durations = [o.duration for o in m.impact_map.outcomes] if m.impact_map else []
    one_year = bool(durations) and all(d <= 1 for d in durations)
    rows = [
        {"label": s.label, "ratio": ratio(s.sroi_ratio, cur), "break_even": _break_even(s)}
        for s in m.sensitivity
        if not (one_year and s.key in ONE_YEAR_KEYS)
    ]
    note = (
        "Every outcome of this impact map lasts one year, so drop-off and a shorter duration "
        "change nothing; those rows are left out."
        if one_year
        else ""
    )
    return rows, note


def impact_map(m: MapReport, cur: str, raw: dict[str, Any], names: Names) -> dict[str, Any]:
    """One impact map's figures for a report; RAW is its document. Forecasts show whole
    pounds, evaluations (measured money) pence."""
    f = m.figures
    scope = mapping(raw, "scope")
    pence = f.kind != "forecast"
    name = f.scope or names.of(f.id)
    sensitivity, one_year = _sensitivity(m, cur)
    return {
        "id": f.id,
        "name": name,
        "kind": f.kind,
        "kind_label": "Forecast" if f.kind == "forecast" else "Evaluation",
        "scope": name,
        "scope_type": shown(scope, "type"),
        "scope_description": shown(scope, "description"),
        "period": period(mapping(raw, "period")),
        "inputs": [
            {
                "description": shown(i, "description"),
                "value": money(decimal_of(get(i, "value")), cur, pence),
                "stakeholder": names.of(shown(i, "stakeholder")),
            }
            for _, i in items(raw, "inputs")
        ],
        "inputs_total": money(f.inputs_total, cur, pence),
        "present_value": money(f.present_value, cur, pence),
        "net_present_value": money(f.net_present_value, cur, pence),
        "sroi_ratio": ratio(f.sroi_ratio, cur),
        "payback": "-" if f.payback_months is None else f"{f.payback_months:.1f} months",
        **limits.outcome_rows(m, _outcomes(m, cur, raw, names), cur),
        "sensitivity": sensitivity,
        "sensitivity_note": one_year,
        "comparison": _comparison(m.comparison, cur, names, name)
        if m.comparison is not None
        else None,
        "range": _range(m, cur),
        "tornado": _tornado(m, cur, name),
    }


def valuation(value: ValueReport | None) -> dict[str, Any]:
    """The price basis and the Monte Carlo, for the methodology: base year, deflator, the
    WELLBY value, and the draws and seed when a map has a range."""
    empty: dict[str, Any] = {"base_year": None, "deflator": None, "wellby": None, "draws": None}
    if value is None:
        return empty
    pricing, cur = value.settings.pricing, value.settings.currency
    deflator = pricing.deflator
    wellby = pricing.wellby
    drawn = any(m.uncertainty is not None and m.uncertainty.ranged for m in value.maps)
    return {
        "base_year": pricing.base_year,
        "deflator": None
        if deflator is None or pricing.base_year is None
        else {
            "source": deflator.source,
            "years": f"{deflator.index[0][0]} to {deflator.index[-1][0]}",
        },
        "wellby": None
        if wellby is None
        else {
            "value": money(wellby.value, cur, pence=False),
            "low": money(wellby.low, cur, pence=False) if wellby.low is not None else "",
            "high": money(wellby.high, cur, pence=False) if wellby.high is not None else "",
            "year": wellby.year or "",
            "used": money(pricing.uprate(wellby.value, wellby.year), cur),
            "uprated": pricing.uprate(wellby.value, wellby.year) != wellby.value,
            "source": wellby.source,
        },
        "draws": f"{value.settings.draws:,}" if drawn else None,
        "seed": value.settings.seed,
    }
