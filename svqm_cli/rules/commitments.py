"""Contract commitments (spec §5.4): deliveries inside the term (SV220), not overlapping
(SV221), and counted in the unit of their proxy (SV420)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from svqm_cli.base.accessors import as_date, get, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

Period = tuple[dt.date, dt.date]


def period_of(data: Any) -> Period | None:
    """(start, end) of a period mapping whose dates are real and in order, else None."""
    start, end = as_date(get(data, "start")), as_date(get(data, "end"))
    return (start, end) if start and end and start <= end else None


def deliveries(
    ctx: Context,
) -> Iterator[tuple[str, int, dict[str, Any], list[tuple[int, Period]]]]:
    """(file, commitment index, commitment, [(delivery index, period)]) for each commitment."""
    for doc in ctx.docs("commitments"):
        for i, commitment in items(doc.data, "commitments"):
            periods = [
                (j, period)
                for j, entry in items(commitment, "delivered")
                if (period := period_of(get(entry, "period"))) is not None
            ]
            yield doc.path, i, commitment, periods


def _unit(value: str | None) -> str:
    return " ".join(value.lower().split()) if value else ""


@rule("SV220")
def delivery_inside_term(ctx: Context) -> Iterator[Finding]:
    """Every delivery period lies inside the contract's term.

    Bad (term 2025-04-01 to 2028-03-31)::

        delivered:
          - {period: {start: 2025-01-01, end: 2025-03-31}, quantity: 2}

    Good::

        delivered:
          - {period: {start: 2025-04-01, end: 2025-09-30}, quantity: 2}
    """
    for doc in ctx.docs("commitments"):
        term = period_of(mapping(mapping(doc.data, "contract"), "term"))
        if term is None:
            continue
        for i, commitment in items(doc.data, "commitments"):
            for j, entry in items(commitment, "delivered"):
                period = period_of(get(entry, "period"))
                if period is None:
                    continue
                if period[0] < term[0]:
                    key, day = "start", period[0]
                elif period[1] > term[1]:
                    key, day = "end", period[1]
                else:
                    continue
                word = "starts" if key == "start" else "ends"
                yield make(
                    "SV220",
                    f"Delivery {j + 1} of commitment '{text(commitment, 'id')}' {word} on "
                    f"{day}, outside the contract's term {term[0]} to {term[1]}.",
                    doc.path,
                    f"/commitments/{i}/delivered/{j}/period/{key}",
                )


@rule("SV221")
def deliveries_do_not_overlap(ctx: Context) -> Iterator[Finding]:
    """A commitment's delivery periods do not share days (each quantity counts once).

    Bad::

        delivered:
          - {period: {start: 2025-04-01, end: 2025-09-30}, quantity: 2}
          - {period: {start: 2025-09-01, end: 2026-03-31}, quantity: 1}

    Good::

        delivered:
          - {period: {start: 2025-04-01, end: 2025-09-30}, quantity: 2}
          - {period: {start: 2025-10-01, end: 2026-03-31}, quantity: 1}
    """
    for file, i, commitment, periods in deliveries(ctx):
        latest: tuple[int, Period] | None = None  # the period reaching furthest so far
        for j, period in sorted(periods, key=lambda jp: (jp[1][0], jp[0])):
            if latest is not None and period[0] <= latest[1][1]:
                other, (start, end) = latest
                line = ctx.line_of(file, f"/commitments/{i}/delivered/{other}")
                yield make(
                    "SV221",
                    f"Delivery {j + 1} of commitment '{text(commitment, 'id')}' "
                    f"({period[0]} to {period[1]}) overlaps delivery {other + 1} "
                    f"({start} to {end}, line {line}).",
                    file,
                    f"/commitments/{i}/delivered/{j}/period/start",
                )
            if latest is None or period[1] > latest[1][1]:
                latest = (j, period)


def proxy_units(ctx: Context) -> dict[str, str]:
    """The unit of every proxy in the pack's proxies documents, by id."""
    units: dict[str, str] = {}
    for doc in ctx.docs("proxies"):
        for _, proxy in items(doc.data, "proxies"):
            ident, unit = text(proxy, "id"), text(proxy, "unit")
            if ident and unit:
                units.setdefault(ident, unit)
    return units


@rule("SV420")
def commitment_unit_matches_proxy(ctx: Context) -> Iterator[Finding]:
    """A commitment counts the unit its financial proxy values.

    Bad::

        proxies: [{id: apprentice-value, unit: apprentice-year, ...}]
        commitments: [{id: apprentices, unit: apprenticeship, proxy: apprentice-value, ...}]

    Good::

        proxies: [{id: apprentice-value, unit: apprenticeship, ...}]
        commitments: [{id: apprentices, unit: apprenticeship, proxy: apprentice-value, ...}]
    """
    units = proxy_units(ctx)
    for doc in ctx.docs("commitments"):
        for i, commitment in items(doc.data, "commitments"):
            unit = text(commitment, "unit")
            proxy = get(commitment, "proxy")
            name = proxy if isinstance(proxy, str) else "inline"
            theirs = units.get(proxy) if isinstance(proxy, str) else text(proxy, "unit")
            if unit and theirs and _unit(unit) != _unit(theirs):
                yield make(
                    "SV420",
                    f"Commitment '{text(commitment, 'id')}' counts '{unit}' but its proxy "
                    f"({name}) values one '{theirs}'.",
                    doc.path,
                    f"/commitments/{i}/unit",
                )
