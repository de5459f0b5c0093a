"""The impact maps as a report shows them: figures formatted, ids turned into names, the
forecast-against-actual comparison and its chart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import get, items, mapping, shown, texts
from svqm_cli.calc.report import Comparison, MapReport, OutcomeDetail, ValueReport
from svqm_cli.calc.sroi import decimal_of
from svqm_cli.render import charts, limits  # issue 16: row limit
from svqm_cli.reporters.numbers import money, number, percent, ratio, share


def _proxy(o: dict[str, Any], proxies: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """(label, fields) of an outcome's proxy: a proxy id, or an inline proxy."""
    proxy = get(o, "proxy")
    if isinstance(proxy, str):
        found = proxies.get(proxy, {})
        return shown(found, "description") or proxy, found
    inline = proxy if isinstance(proxy, dict) else {}
    return shown(inline, "description") or "Inline proxy", inline


def _outcomes(
    m: MapReport, cur: str, raw: dict[str, Any], proxies: dict[str, Any], names: dict[str, str]
) -> list[dict[str, Any]]:
    by_id = {shown(o, "id"): o for _, o in items(raw, "outcomes")}
    out = []
    for detail, figures in zip(m.details, m.figures.outcomes, strict=True):
        o = by_id.get(detail.id, {})
        label, proxy = _proxy(o, proxies)
        out.append(
            {
                "id": detail.id,
                "description": shown(o, "description"),
                "indicator": shown(o, "indicator"),
                "stakeholder": names.get(detail.stakeholder, detail.stakeholder),
                "quantity": number(detail.quantity),
                "proxy": label,
                "proxy_value": money(detail.proxy_value, cur),
                "proxy_note": _proxy_note(detail, cur),
                "leakage": share(decimal_of(get(o, "leakage"))) if get(o, "leakage") else "",
                "proxy_unit": shown(proxy, "unit"),
                "proxy_source": shown(proxy, "source"),
                **{
                    key: share(decimal_of(get(o, key)))
                    for key in ("deadweight", "displacement", "attribution", "drop_off")
                },
                "duration": get(o, "duration") or 1,
                "start": get(o, "start") or 1,
                "impact_year_1": money(figures.impact_year_1, cur),
                "present_value": money(figures.present_value, cur),
                "evidence": texts(o, "evidence"),
                "method": shown(o, "method"),
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


def _tornado(m: MapReport, cur: str) -> dict[str, Any] | None:
    base = m.figures.sroi_ratio
    if not m.tornado or base is None:
        return None
    rows = [(w.label, w.low, w.high) for w in m.tornado]
    return {
        "rows": [
            {"label": w.label, "low": ratio(w.low, cur), "high": ratio(w.high, cur)}
            for w in m.tornado
        ],
        "chart": charts.tornado(rows, base, cur),
    }


def _comparison(c: Comparison, cur: str) -> dict[str, Any]:
    rows = [
        {
            "outcome": r.outcome or f"{r.forecast_outcome} (not measured)",
            "forecast_quantity": number(r.forecast_quantity),
            "actual_quantity": number(r.actual_quantity),
            "forecast_pv": money(r.forecast_present_value, cur),
            "actual_pv": money(r.actual_present_value, cur),
            "difference": money(r.difference, cur),
            "percentage": percent(r.percentage),
        }
        for r in c.outcomes
    ]
    pairs = [
        (
            r.outcome or r.forecast_outcome or "",
            r.forecast_present_value or Decimal(0),
            r.actual_present_value or Decimal(0),
        )
        for r in c.outcomes
    ]
    return {
        "forecast": c.forecast,
        "rows": rows,
        "forecast_pv": money(c.forecast_present_value, cur),
        "actual_pv": money(c.actual_present_value, cur),
        "difference": money(c.difference, cur),
        "percentage": percent(c.percentage),
        "forecast_ratio": ratio(c.forecast_sroi_ratio, cur),
        "actual_ratio": ratio(c.actual_sroi_ratio, cur),
        "chart": charts.paired_bars(pairs, ("Forecast", "Actual"), cur),
    }


def impact_map(
    m: MapReport,
    cur: str,
    raw: dict[str, Any],
    proxies: dict[str, dict[str, Any]],
    names: dict[str, str],
) -> dict[str, Any]:
    """One impact map's figures for a report; RAW is its document, NAMES stakeholder names."""
    f = m.figures
    scope = mapping(raw, "scope")
    return {
        "id": f.id,
        "kind": f.kind,
        "scope": f.scope,
        "scope_type": shown(scope, "type"),
        "scope_description": shown(scope, "description"),
        "period": mapping(raw, "period"),
        "inputs": [
            {
                "description": shown(i, "description"),
                "value": money(decimal_of(get(i, "value")), cur),
                "stakeholder": names.get(shown(i, "stakeholder"), ""),
            }
            for _, i in items(raw, "inputs")
        ],
        "inputs_total": money(f.inputs_total, cur),
        "present_value": money(f.present_value, cur),
        "net_present_value": money(f.net_present_value, cur),
        "sroi_ratio": ratio(f.sroi_ratio, cur),
        "payback": "-" if f.payback_months is None else f"{f.payback_months:.1f} months",
        **limits.outcome_rows(
            m, _outcomes(m, cur, raw, proxies, names), cur
        ),  # issue 16: row limit
        "sensitivity": [
            {"label": s.label, "ratio": ratio(s.sroi_ratio, cur), "break_even": s.break_even_label}
            for s in m.sensitivity
        ],
        "comparison": _comparison(m.comparison, cur) if m.comparison is not None else None,
        "range": _range(m, cur),
        "tornado": _tornado(m, cur),
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
