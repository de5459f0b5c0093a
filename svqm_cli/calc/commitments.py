"""Contract commitments (spec §5.4): committed against delivered, a status judged as for
pledge progress, the undiscounted value of both, and totals by contract, by measure code
and by a catalogue's themes (spec §5.5). Pure: takes documents that passed their schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import as_date, as_number, get, items, mapping, shown, text, texts
from svqm_cli.calc.progress import status
from svqm_cli.calc.sroi import ZERO, decimal_of

# The statuses as `value --format json` writes them (spec §5.4), by progress.status()'s words.
STATUS_KEYS = {
    "met": "met",
    "on track": "on-track",
    "at risk": "at-risk",
    "missed": "missed",
    "no data": "no-data",
}
STATUS_ORDER = ("met", "on-track", "at-risk", "missed", "no-data")


@dataclass(frozen=True)
class Delivery:
    start: str
    end: str
    quantity: Decimal
    evidence: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class MeasureRef:
    framework: str
    code: str
    version: str | None


@dataclass(frozen=True)
class CommitmentFigures:
    contract: str
    id: str
    description: str
    unit: str
    target: Decimal
    delivered: Decimal  # the sum of every delivery
    status: str  # one of STATUS_ORDER
    as_of: str | None  # the end of the latest delivery period
    expected: Decimal | None  # the straight-line trajectory's quantity at as_of
    proxy_value: Decimal | None  # currency per unit; None without a proxy
    value_committed: Decimal | None  # target x proxy value, undiscounted
    value_delivered: Decimal | None  # delivered x proxy value, undiscounted
    rating: str | None
    measure: MeasureRef | None
    pledge: str | None
    note: str
    deliveries: tuple[Delivery, ...]


@dataclass(frozen=True)
class ContractFigures:
    id: str
    title: str
    buyer: str
    supplier: str
    value: Decimal
    start: str
    end: str
    social_value_weighting: Decimal | None
    reference: str
    commitments: tuple[CommitmentFigures, ...]
    value_committed: Decimal | None  # over the commitments with a proxy; None if none has
    value_delivered: Decimal | None
    statuses: dict[str, int]  # how many commitments have each status


@dataclass(frozen=True)
class CommitmentTotals:
    contracts: int
    commitments: int
    contract_value: Decimal
    value_committed: Decimal | None
    value_delivered: Decimal | None
    statuses: dict[str, int]


def trajectory(target: Decimal, start: dt.date, end: dt.date, on: dt.date) -> Decimal:
    """The straight line from nothing on the term's first day to TARGET on its last."""
    total = (end - start).days
    if total <= 0 or on >= end:
        return target
    return target * Decimal(max((on - start).days, 0)) / total


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _count(figures: Iterable[CommitmentFigures]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for f in figures:
        counts[f.status] += 1
    return counts


def _proxy_value(proxy: Any, proxies: Mapping[str, Decimal]) -> Decimal | None:
    if isinstance(proxy, str):
        return proxies.get(proxy)
    if isinstance(proxy, dict) and as_number(proxy.get("value")) is not None:
        return as_number(proxy.get("value"))
    return None


def _measure(raw: Any) -> MeasureRef | None:
    framework, code = text(raw, "framework"), text(raw, "code")
    if not framework or not code:
        return None
    return MeasureRef(framework, code, text(raw, "version"))


def commitment_figures(
    contract: str,
    raw: Mapping[str, Any],
    term: tuple[dt.date, dt.date],
    proxies: Mapping[str, Decimal],
) -> CommitmentFigures:
    deliveries = tuple(
        Delivery(
            start=text(mapping(d, "period"), "start") or "",
            end=text(mapping(d, "period"), "end") or "",
            quantity=decimal_of(get(d, "quantity")),
            evidence=tuple(texts(d, "evidence")),
            note=text(d, "note") or "",
        )
        for _, d in items(raw, "delivered")
    )
    target = decimal_of(get(raw, "target"))
    delivered = sum((d.quantity for d in deliveries), ZERO)
    ends = [day for d in deliveries if (day := as_date(d.end)) is not None]
    as_of = max(ends) if ends else None
    judged = status(target, None, term[1], term[0], delivered if as_of else None, as_of)
    proxy_value = _proxy_value(get(raw, "proxy"), proxies)
    return CommitmentFigures(
        contract=contract,
        id=shown(raw, "id"),
        description=text(raw, "description") or "",
        unit=text(raw, "unit") or "",
        target=target,
        delivered=delivered,
        status=STATUS_KEYS[judged],
        as_of=as_of.isoformat() if as_of else None,
        expected=trajectory(target, term[0], term[1], as_of) if as_of else None,
        proxy_value=proxy_value,
        value_committed=None if proxy_value is None else target * proxy_value,
        value_delivered=None if proxy_value is None else delivered * proxy_value,
        rating=text(raw, "rating"),
        measure=_measure(get(raw, "measure")),
        pledge=text(raw, "pledge"),
        note=text(raw, "note") or "",
        deliveries=deliveries,
    )


def contract_figures(data: Mapping[str, Any], proxies: Mapping[str, Decimal]) -> ContractFigures:
    """The figures of one commitments document (read defensively: a draft report passes
    documents that failed their schema)."""
    contract = mapping(data, "contract")
    term_raw = mapping(contract, "term")
    start, end = as_date(term_raw.get("start")), as_date(term_raw.get("end"))
    term = (start or dt.date.min, end or start or dt.date.min)
    ident = text(contract, "id") or ""
    figures = tuple(
        commitment_figures(ident, raw, term, proxies) for _, raw in items(data, "commitments")
    )
    weighting = contract.get("social_value_weighting")
    return ContractFigures(
        id=ident,
        title=text(contract, "title") or "",
        buyer=text(contract, "buyer") or "",
        supplier=text(contract, "supplier") or "",
        value=decimal_of(contract.get("value")),
        start=shown(term_raw, "start"),
        end=shown(term_raw, "end"),
        social_value_weighting=None if weighting is None else decimal_of(weighting),
        reference=text(contract, "reference") or "",
        commitments=figures,
        value_committed=_sum(c.value_committed for c in figures),
        value_delivered=_sum(c.value_delivered for c in figures),
        statuses=_count(figures),
    )


def commitment_totals(contracts: Iterable[ContractFigures]) -> CommitmentTotals | None:
    chosen = list(contracts)
    if not chosen:
        return None
    every = [c for contract in chosen for c in contract.commitments]
    return CommitmentTotals(
        contracts=len(chosen),
        commitments=len(every),
        contract_value=sum((c.value for c in chosen), ZERO),
        value_committed=_sum(c.value_committed for c in chosen),
        value_delivered=_sum(c.value_delivered for c in chosen),
        statuses=_count(every),
    )
