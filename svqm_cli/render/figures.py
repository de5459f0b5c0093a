"""The impact maps as a report shows them: figures formatted, ids turned into names, the
forecast-against-actual comparison and its chart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import get, items, mapping, shown, texts
from svqm_cli.calc.report import Comparison, MapReport
from svqm_cli.calc.sroi import decimal_of
from svqm_cli.render import charts
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
        "outcomes": _outcomes(m, cur, raw, proxies, names),
        "sensitivity": [
            {"label": s.label, "ratio": ratio(s.sroi_ratio, cur), "break_even": s.break_even_label}
            for s in m.sensitivity
        ],
        "comparison": _comparison(m.comparison, cur) if m.comparison is not None else None,
    }
