"""How `svqm value` writes the valuation basis (spec §5.7): the price year and deflator, a
proxy's written and uprated value, and the Monte Carlo range of a ratio."""

from __future__ import annotations

from typing import Any

from svqm_cli.calc.report import OutcomeDetail, ValueReport
from svqm_cli.calc.uncertainty import Uncertainty
from svqm_cli.reporters.numbers import BASIS, json_number, money, number, ratio


def price_basis(report: ValueReport) -> str:
    """One line: the price year, the deflator's source and the WELLBY value; '' if none."""
    pricing = report.settings.pricing
    cur = report.settings.currency
    parts: list[str] = []
    if pricing.base_year is not None:
        if pricing.deflator is not None:
            parts.append(
                f"Proxies in {pricing.base_year} prices, uprated with {pricing.deflator.source}."
            )
        else:
            parts.append(f"Proxies taken as in {pricing.base_year} prices (no deflator).")
    wellby = pricing.wellby
    if wellby is not None:
        used = pricing.uprate(wellby.value, wellby.year)
        written = money(wellby.value, cur, pence=False)
        year = f" in {wellby.year} prices" if wellby.year is not None else ""
        shown = f"{written}{year}"
        if used != wellby.value:
            shown += f", {money(used, cur)} in {pricing.base_year} prices"
        parts.append(f"One WELLBY is valued at {shown} ({wellby.source}).")
    return " ".join(parts)


def proxy_cell(d: OutcomeDetail, cur: str) -> str:
    """The proxy value used, with what was written when it differs: '£50.82 (£42.00, 2019)'."""
    used = money(d.proxy_value, cur)
    notes: list[str] = []
    if d.wellby is not None:
        notes.append(f"{number(d.wellby)} WELLBY")
    if d.proxy_written is not None and d.proxy_written != d.proxy_value:
        notes.append(f"{money(d.proxy_written, cur)} in {d.proxy_year} prices")
    return f"{used}\n({'; '.join(notes)})" if notes else used


def range_cells(u: Uncertainty | None, cur: str) -> tuple[str, str]:
    """'£4.10 to £6.20' (per £1 of inputs) and the share of draws below 1:1."""
    if u is None or u.p5 is None or u.p95 is None or u.share_below_1 is None:
        return ("-", "-")
    low, high = (ratio(x, cur).split(" : ")[0] for x in (u.p5, u.p95))
    return (f"{low} to {high}", f"{u.share_below_1 * 100:.1f}%")


def uncertainty_note(report: ValueReport) -> str:
    s = report.settings
    return (
        f"Range: the 5th to 95th percentile of the ratio over {s.draws:,} draws (seed "
        f"{s.seed}) of every input given a range, each from a triangular distribution; "
        "'Below 1:1' is the share of draws in which the value created is less than the "
        "inputs. A map without ranges shows its central ratio."
    )


def uncertainty_json(u: Uncertainty | None) -> dict[str, Any]:
    """{"uncertainty": {...}} with --uncertainty (spec §5.7), else nothing: the key is absent."""
    if u is None:
        return {}
    return {
        "uncertainty": {
            "draws": u.draws,
            "p5": json_number(u.p5, BASIS),
            "p50": json_number(u.p50, BASIS),
            "p95": json_number(u.p95, BASIS),
            "share_below_1": json_number(u.share_below_1, BASIS),
        }
    }


def valuation_json(report: ValueReport) -> dict[str, Any]:
    """The price basis of the figures: base year, deflator and WELLBY value (spec §5.7)."""
    pricing = report.settings.pricing
    deflator, wellby = pricing.deflator, pricing.wellby
    return {
        "base_year": pricing.base_year,
        "deflator": None
        if deflator is None
        else {"source": deflator.source, "index": {str(y): float(v) for y, v in deflator.index}},
        "wellby": None
        if wellby is None
        else {
            "value": json_number(wellby.value),
            "low": json_number(wellby.low),
            "high": json_number(wellby.high),
            "year": wellby.year,
            "source": wellby.source,
            "value_used": json_number(pricing.uprate(wellby.value, wellby.year)),
        },
    }
