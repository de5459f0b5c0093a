"""`svqm value`: the figures of a valid pack as rich tables (text) or one JSON object."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from svqm_cli.calc.report import Breakdown, Comparison, MapReport, Totals, ValueReport
from svqm_cli.reporters import commitments
from svqm_cli.reporters.console import string_console
from svqm_cli.reporters.json_parts import chunks_by_parts
from svqm_cli.reporters.numbers import (
    BASIS,
    TENTH,
    json_number,
    money,
    number,
    percent,
    rate,
    ratio,
    share,
)
from svqm_cli.reporters.valuation import (
    price_basis,
    proxy_cell,
    range_cells,
    uncertainty_json,
    uncertainty_note,
    valuation_json,
)


def _totals_json(t: Totals | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "inputs_total": json_number(t.inputs_total),
        "present_value": json_number(t.present_value),
        "net_present_value": json_number(t.net_present_value),
        "sroi_ratio": json_number(t.sroi_ratio, BASIS),
    }


def _comparison_json(c: Comparison | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "forecast": c.forecast,
        "forecast_present_value": json_number(c.forecast_present_value),
        "actual_present_value": json_number(c.actual_present_value),
        "forecast_sroi_ratio": json_number(c.forecast_sroi_ratio, BASIS),
        "actual_sroi_ratio": json_number(c.actual_sroi_ratio, BASIS),
        "difference": json_number(c.difference),
        "percentage": json_number(c.percentage, TENTH),
        "outcomes": [
            {
                "forecast_outcome": o.forecast_outcome,
                "outcome": o.outcome,
                "forecast_quantity": json_number(o.forecast_quantity, BASIS),
                "actual_quantity": json_number(o.actual_quantity, BASIS),
                "forecast_present_value": json_number(o.forecast_present_value),
                "actual_present_value": json_number(o.actual_present_value),
                "difference": json_number(o.difference),
                "percentage": json_number(o.percentage, TENTH),
            }
            for o in c.outcomes
        ],
    }


def _map_json(m: MapReport) -> dict[str, Any]:
    f = m.figures
    return {
        "id": f.id,
        "kind": f.kind,
        "scope": f.scope,
        "inputs_total": json_number(f.inputs_total),
        "present_value": json_number(f.present_value),
        "net_present_value": json_number(f.net_present_value),
        "sroi_ratio": json_number(f.sroi_ratio, BASIS),
        "payback_months": json_number(f.payback_months, TENTH),
        "outcomes": [
            {
                "id": o.id,
                "stakeholder": d.stakeholder,
                "pledge": d.pledge,
                "negative": d.negative,
                "quantity": json_number(d.quantity, BASIS),
                "proxy_value": json_number(
                    d.proxy_written if d.proxy_written is not None else d.proxy_value
                ),
                "proxy_year": d.proxy_year,
                "proxy_value_used": json_number(d.proxy_value),
                "wellby": json_number(d.wellby, BASIS),
                "impact_year_1": json_number(o.impact_year_1),
                "yearly": [json_number(v) for v in o.yearly],
                "present_value": json_number(o.present_value),
            }
            for d, o in zip(m.details, f.outcomes, strict=True)
        ],
        "sensitivity": [
            {
                "scenario": s.key,
                "label": s.label,
                "sroi_ratio": json_number(s.sroi_ratio, BASIS),
                "break_even": json_number(s.break_even, BASIS),
                "break_even_label": s.break_even_label,
            }
            for s in m.sensitivity
        ],
        "forecast_comparison": _comparison_json(m.comparison),
        "tornado": [
            {
                "input": w.key,
                "label": w.label,
                "low": json_number(w.low, BASIS),
                "high": json_number(w.high, BASIS),
            }
            for w in m.tornado
        ],
        **uncertainty_json(m.uncertainty),
    }


def _breakdown_json(b: Breakdown | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        key: [
            {"id": s.id, "name": s.name, "present_value": json_number(s.present_value)}
            for s in getattr(b, key)
        ]
        for key in ("theme", "stakeholder", "sdg", "marmot")
    }


def render_json(report: ValueReport, color: bool = False) -> str:
    return "".join(json_chunks(report))


def json_chunks(report: ValueReport) -> Iterator[str]:
    """The JSON of render_json in chunks, an impact map at a time (for writing as made)."""
    data = {
        "currency": report.settings.currency,
        "discount_rate": json_number(report.settings.discount_rate, BASIS),
        "discount_first_year": report.settings.discount_first_year,
        "sensitivity_step": json_number(report.step, BASIS),
        "valuation": valuation_json(report),
        "impact_maps": (_map_json(m) for m in report.maps),
        "totals": {k: _totals_json(v) for k, v in report.totals.items()},
        "breakdowns": {k: _breakdown_json(v) for k, v in report.breakdowns.items()},
        "pledge_progress": [
            {
                "pledge": p.pledge,
                "measure": p.measure,
                "unit": p.unit,
                "target": json_number(p.target, BASIS),
                "baseline": json_number(p.baseline, BASIS),
                "due": p.due,
                "actual": json_number(p.actual, BASIS),
                "as_of": p.as_of,
                "status": p.status,
            }
            for p in report.progress
        ],
        "lm3": [
            {
                "id": x.id,
                "local_area": x.local_area,
                "round_1": json_number(x.round_1),
                "round_2": json_number(x.round_2),
                "round_3": json_number(x.round_3),
                "total_spend": json_number(x.total_spend),
                "lm3": json_number(x.score, BASIS),
                "local_share": json_number(x.local_share, BASIS),
            }
            for x in report.lm3
        ],
        **commitments.as_json(report),
    }
    yield from chunks_by_parts(data)
    yield "\n"


def _add(table: Any, *cells: str) -> None:
    """A row of plain text: user text is never read as rich markup."""
    from rich.text import Text

    table.add_row(*(Text(cell) for cell in cells))


def render_text(report: ValueReport, color: bool = False) -> str:
    from rich.markup import escape
    from rich.table import Table

    console, buffer = string_console(color, width=140)
    cur = report.settings.currency
    shown_rate = rate(report.settings.discount_rate)
    first = "discounted" if report.settings.discount_first_year else "not discounted"
    console.print(f"Discount rate {shown_rate}% a year (year 1 {first}); currency {cur}.")
    basis = price_basis(report)
    if basis:
        console.print(basis, markup=False)

    def table(title: str, columns: list[tuple[str, str]]) -> Table:
        t = Table(title=title, title_justify="left", title_style="bold")
        for name, justify in columns:
            t.add_column(name, justify=justify)  # type: ignore[arg-type]
        return t

    ranged = any(m.uncertainty is not None for m in report.maps)
    if report.maps:
        maps = table(
            "Impact maps",
            [
                ("Impact map", "left"),
                ("Kind", "left"),
                ("Inputs", "right"),
                ("Present value", "right"),
                ("Net present value", "right"),
                ("SROI ratio", "right"),
                ("Payback", "right"),
                *([("Range, 5%-95%", "right"), ("Below 1:1", "right")] if ranged else []),
            ],
        )
        for m in report.maps:
            f = m.figures
            payback = "-" if f.payback_months is None else f"{f.payback_months:.1f} months"
            _add(
                maps,
                f"{f.id}\n{f.scope}",
                f.kind,
                money(f.inputs_total, cur),
                money(f.present_value, cur),
                money(f.net_present_value, cur),
                ratio(f.sroi_ratio, cur),
                payback,
                *(range_cells(m.uncertainty, cur) if ranged else ()),
            )
        console.print(maps)
        if ranged:
            console.print(uncertainty_note(report), markup=False)
        for kind, total in report.totals.items():
            if total is not None:
                console.print(
                    f"Total of {kind}s: present value {money(total.present_value, cur)}, "
                    f"inputs {money(total.inputs_total, cur)}, "
                    f"ratio {ratio(total.sroi_ratio, cur)}"
                )
    else:
        console.print("The pack has no forecast or evaluation, so no SROI figures.")

    for m in report.maps:
        _map_tables(console, table, m, cur, report)
    for kind, b in report.breakdowns.items():
        if b is None:
            continue
        for key, title in (
            ("theme", "theme"),
            ("stakeholder", "stakeholder"),
            ("sdg", "UN SDG"),
            ("marmot", "Marmot principle"),
        ):
            rows = getattr(b, key)
            if not rows:
                continue
            t = table(
                f"Present value of {kind}s by {title}",
                [(title.capitalize(), "left"), ("Present value", "right")],
            )
            for s in rows:
                label = f"{s.id}. {s.name}" if key in ("sdg", "marmot") else s.name
                _add(t, label, money(s.present_value, cur))
            console.print(t)
        if b.sdg or b.marmot:
            console.print(
                "An outcome counts in full under every SDG and Marmot principle of "
                "its pledge, so those tables do not add up to the total."
            )
    if report.progress:
        t = table(
            "Pledge progress",
            [
                ("Pledge", "left"),
                ("Measure", "left"),
                ("Target", "right"),
                ("Actual", "right"),
                ("As of", "left"),
                ("Due", "left"),
                ("Status", "left"),
            ],
        )
        for p in report.progress:
            _add(
                t,
                p.pledge,
                p.measure,
                f"{number(p.target)} {p.unit}",
                number(p.actual),
                p.as_of or "-",
                p.due,
                p.status,
            )
        console.print(t)
    for x in report.lm3:
        t = table(
            f"Local Multiplier 3: {x.id} ({escape(x.local_area)})",
            [("Round", "left"), ("Amount", "right")],
        )
        _add(t, "Round 1: income", money(x.round_1, cur, pence=False))
        _add(t, "Round 2: spent locally (suppliers and staff)", money(x.round_2, cur, False))
        _add(t, "Round 3: re-spent locally", money(x.round_3, cur, pence=False))
        _add(t, "LM3", "-" if x.score is None else f"{x.score:.2f}")
        _add(t, "Share of spend that is local", share(x.local_share))
        console.print(t)
    commitments.as_text(console, table, _add, report)
    return buffer.getvalue()


def _map_tables(
    console: Any, table: Callable[..., Any], m: MapReport, cur: str, report: ValueReport
) -> None:
    f = m.figures
    t = table(
        f"Outcomes of {f.id}",
        [
            ("Outcome", "left"),
            ("Stakeholder", "left"),
            ("Quantity", "right"),
            ("Proxy", "right"),
            ("Impact year 1", "right"),
            ("Present value", "right"),
        ],
    )
    for d, o in zip(m.details, f.outcomes, strict=True):
        _add(
            t,
            f"{o.id} (negative)" if d.negative else o.id,
            d.stakeholder,
            number(d.quantity),
            proxy_cell(d, cur),
            money(o.impact_year_1, cur),
            money(o.present_value, cur),
        )
    console.print(t)
    step = f"{report.step * 100:.0f}"
    t = table(
        f"Sensitivity of {f.id} (base {ratio(f.sroi_ratio, cur)}; shares moved by {step} points)",
        [("Change", "left"), ("SROI ratio", "right"), ("Break-even (1:1)", "left")],
    )
    for s in m.sensitivity:
        _add(t, s.label, ratio(s.sroi_ratio, cur), s.break_even_label)
    console.print(t)
    c = m.comparison
    if c is not None:
        t = table(
            f"Forecast against actual: {f.id} against {c.forecast}",
            [
                ("Outcome", "left"),
                ("Forecast quantity", "right"),
                ("Actual quantity", "right"),
                ("Forecast PV", "right"),
                ("Actual PV", "right"),
                ("Difference", "right"),
                ("%", "right"),
            ],
        )
        for row in c.outcomes:
            _add(
                t,
                row.outcome or f"{row.forecast_outcome} (not measured)",
                number(row.forecast_quantity),
                number(row.actual_quantity),
                money(row.forecast_present_value, cur),
                money(row.actual_present_value, cur),
                money(row.difference, cur),
                percent(row.percentage),
            )
        _add(
            t,
            "Total",
            "",
            "",
            money(c.forecast_present_value, cur),
            money(c.actual_present_value, cur),
            money(c.difference, cur),
            percent(c.percentage),
        )
        console.print(t)
        console.print(
            f"SROI ratio: forecast {ratio(c.forecast_sroi_ratio, cur)}, actual "
            f"{ratio(c.actual_sroi_ratio, cur)}"
        )
