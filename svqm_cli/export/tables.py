"""What an export holds, built once from a valid pack and its figures; the xlsx and csv
writers only lay it out. Raw pack data is read through the accessors, figures come from
`calc.report.compute`, so a spreadsheet shows exactly the numbers `svqm value` shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import as_date, as_number, get, items, mapping, scrub, text, texts
from svqm_cli.calc.report import MapReport, ValueReport
from svqm_cli.calc.sroi import ZERO, ImpactMapFigures, OutcomeFigures
from svqm_cli.reading.pack import Pack

# The SROI value map's columns, left to right (spec §5.6). Adjustments multiply the impact
# as (1 - share): a new one (leakage, say) is one more name here and in Outcome.shares.
ADJUSTMENTS = ("deadweight", "displacement", "attribution")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # text a spreadsheet reads as a formula
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | money | share | number | integer | ratio | months | date | rate


@dataclass(frozen=True)
class Outcome:
    """One row of a value map: what the user wrote, and svqm's figures for it."""

    id: str
    stakeholder: str  # the stakeholder group's id
    stakeholder_name: str
    output: str
    description: str
    indicator: str
    source: str
    quantity: Decimal
    duration: int
    start: int
    proxy: str  # the proxy's id; '' for an inline proxy
    proxy_description: str
    proxy_value: Decimal  # the value svqm used
    proxy_unit: str
    proxy_source: str
    shares: dict[str, Decimal]  # the adjustments and drop_off
    pledge: str
    evidence: str  # files separated by '; '
    method: str
    forecast_outcome: str
    figures: OutcomeFigures


@dataclass(frozen=True)
class Input:
    stakeholder: str
    description: str
    value: Decimal


@dataclass(frozen=True)
class ValueMap:
    id: str
    kind: str
    scope: str
    scope_type: str
    forecast: str  # an evaluation's forecast, '' when none
    start: dt.date | None
    end: dt.date | None
    outcomes: tuple[Outcome, ...]
    inputs: tuple[Input, ...]
    figures: ImpactMapFigures

    @property
    def title(self) -> str:
        """The sheet's title line, which `svqm import value-map` reads back."""
        period = f", {self.start} to {self.end}" if self.start and self.end else ""
        checks = f"; checks forecast {self.forecast}" if self.forecast else ""
        return (
            f"{self.kind.capitalize()} {self.id}: {self.scope} ({self.scope_type}){period}{checks}"
        )

    @property
    def years(self) -> int:
        """How many yearly columns the map needs: its longest duration."""
        return max((o.duration for o in self.outcomes), default=1)


@dataclass(frozen=True)
class Table:
    """A table of plain values (progress, commitments, LM3)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Export:
    organisation: str
    title: str
    currency: str
    discount_rate: Decimal
    discount_first_year: bool
    date: dt.datetime  # the document properties' date: fixed by the pack, not the clock
    maps: tuple[ValueMap, ...]
    progress: Table | None
    commitments: Table | None
    lm3: Table | None

    @property
    def symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency, f"{self.currency} ")


def _text(data: Any, key: str) -> str:
    value = get(data, key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(scrub(str(value)))


def _proxies(pack: Pack) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for doc in pack.of_kind("proxies"):
        for _, proxy in items(doc.data, "proxies"):
            ident = text(proxy, "id")
            if ident is not None:
                found.setdefault(ident, proxy)
    return found


def _names(pack: Pack, kind: str, key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for doc in pack.of_kind(kind):
        for _, item in items(doc.data, key):
            ident = text(item, "id")
            if ident is not None:
                found.setdefault(ident, _text(item, "name") or _text(item, "description"))
    return found


def _outcome(
    raw: dict[str, Any],
    figures: OutcomeFigures,
    used_value: Decimal,
    proxies: dict[str, dict[str, Any]],
    names: dict[str, str],
    outputs: dict[str, str],
) -> Outcome:
    proxy = get(raw, "proxy")
    ident = proxy if isinstance(proxy, str) else ""
    about = proxies.get(ident, {}) if ident else (proxy if isinstance(proxy, dict) else {})
    stakeholder = _text(raw, "stakeholder")
    output = _text(raw, "output")
    return Outcome(
        id=_text(raw, "id"),
        stakeholder=stakeholder,
        stakeholder_name=names.get(stakeholder, stakeholder),
        output=outputs.get(output, output),
        description=_text(raw, "description"),
        indicator=_text(raw, "indicator"),
        source=_text(raw, "source"),
        quantity=as_number(get(raw, "quantity")) or ZERO,
        duration=len(figures.yearly),
        start=2 if get(raw, "start") == 2 else 1,
        proxy=ident,
        proxy_description=_text(about, "description"),
        proxy_value=used_value,
        proxy_unit=_text(about, "unit"),
        proxy_source=_text(about, "source"),
        shares={k: as_number(get(raw, k)) or ZERO for k in (*ADJUSTMENTS, "drop_off")},
        pledge=_text(raw, "pledge"),
        evidence="; ".join(scrub(texts(raw, "evidence"))),
        method=_text(raw, "method"),
        forecast_outcome=_text(raw, "forecast_outcome"),
        figures=figures,
    )


def _value_map(
    report: MapReport, data: Any, proxies: dict[str, dict[str, Any]], names: dict[str, str]
) -> ValueMap:
    outputs = {
        ident: _text(o, "description")
        for _, o in items(data, "outputs")
        if (ident := text(o, "id")) is not None
    }
    raws = [raw for _, raw in items(data, "outcomes")]
    outcomes = tuple(
        _outcome(raw, figures, detail.proxy_value, proxies, names, outputs)
        for raw, figures, detail in zip(raws, report.figures.outcomes, report.details, strict=True)
    )
    inputs = tuple(
        Input(
            names.get(_text(i, "stakeholder"), _text(i, "stakeholder")),
            _text(i, "description"),
            as_number(get(i, "value")) or ZERO,
        )
        for _, i in items(data, "inputs")
    )
    period = mapping(data, "period")
    return ValueMap(
        id=report.figures.id,
        kind=report.figures.kind,
        scope=str(scrub(report.figures.scope)),
        scope_type=_text(mapping(data, "scope"), "type") or "service",
        forecast=_text(data, "forecast"),
        start=as_date(get(period, "start")),
        end=as_date(get(period, "end")),
        outcomes=outcomes,
        inputs=inputs,
        figures=report.figures,
    )


PROGRESS_COLUMNS = (
    Column("pledge", "Pledge", "text"),
    Column("title", "Pledge title", "text"),
    Column("measure", "Measure", "text"),
    Column("unit", "Unit", "text"),
    Column("baseline", "Baseline", "number"),
    Column("target", "Target", "number"),
    Column("due", "Due", "date"),
    Column("actual", "Latest actual", "number"),
    Column("as_of", "As of", "date"),
    Column("status", "Status", "text"),
)
LM3_COLUMNS = (
    Column("id", "Procurement", "text"),
    Column("local_area", "Local area", "text"),
    Column("round_1", "Round 1: income", "money"),
    Column("round_2", "Round 2: local spend", "money"),
    Column("round_3", "Round 3: local re-spend", "money"),
    Column("total_spend", "Total spend", "money"),
    Column("score", "LM3", "number"),
    Column("local_share", "Local share of spend", "share"),
)
COMMITMENT_COLUMNS = (
    Column("contract", "Contract", "text"),
    Column("supplier", "Supplier", "text"),
    Column("id", "Commitment", "text"),
    Column("description", "Description", "text"),
    Column("unit", "Unit", "text"),
    Column("target", "Target", "number"),
    Column("delivered", "Delivered", "number"),
    Column("rating", "Rating", "text"),
)


def _progress(pack: Pack, report: ValueReport) -> Table | None:
    if not report.progress:
        return None
    titles = {
        ident: _text(p, "title")
        for doc in pack.of_kind("pledges")
        for _, p in items(doc.data, "pledges")
        if (ident := text(p, "id")) is not None
    }
    rows = tuple(
        (
            p.pledge,
            titles.get(p.pledge, ""),
            str(scrub(p.measure)),
            str(scrub(p.unit)),
            p.baseline,
            p.target,
            as_date(p.due),
            p.actual,
            as_date(p.as_of),
            p.status,
        )
        for p in report.progress
    )
    return Table("Progress", "Pledge progress", PROGRESS_COLUMNS, rows)


def _lm3(report: ValueReport) -> Table | None:
    if not report.lm3:
        return None
    rows = tuple(
        (
            m.id,
            str(scrub(m.local_area)),
            m.round_1,
            m.round_2,
            m.round_3,
            m.total_spend,
            m.score,
            m.local_share,
        )
        for m in report.lm3
    )
    return Table("LM3", "Local Multiplier 3", LM3_COLUMNS, rows)


def _commitments(pack: Pack) -> Table | None:
    """Contract commitments (spec §5.4): committed and delivered, contract by contract."""
    rows: list[tuple[Any, ...]] = []
    for doc in pack.of_kind("commitments"):
        contract = mapping(doc.data, "contract")
        for _, item in items(doc.data, "commitments"):
            delivered = sum(
                (as_number(get(d, "quantity")) or ZERO for _, d in items(item, "delivered")),
                ZERO,
            )
            rows.append(
                (
                    _text(contract, "id"),
                    _text(contract, "supplier"),
                    _text(item, "id"),
                    _text(item, "description"),
                    _text(item, "unit"),
                    as_number(get(item, "target")),
                    delivered,
                    _text(item, "rating"),
                )
            )
    if not rows:
        return None
    return Table("Commitments", "Contract commitments", COMMITMENT_COLUMNS, tuple(rows))


def build(pack: Pack, report: ValueReport) -> Export:
    """The export of a pack that validated without errors, with its computed figures."""
    config = pack.pack_document.data if pack.pack_document else {}
    organisation = _text(mapping(config, "organisation"), "name")
    proxies = _proxies(pack)
    names = _names(pack, "stakeholders", "stakeholders")
    data_of = {
        text(doc.data, "id"): doc.data
        for kind in ("forecast", "evaluation")
        for doc in pack.of_kind(kind)
    }
    maps = tuple(_value_map(m, data_of[m.figures.id], proxies, names) for m in report.maps)
    start = as_date(get(mapping(mapping(config, "award"), "period"), "start"))
    return Export(
        organisation=organisation,
        title=f"Social value figures: {organisation}",
        currency=report.settings.currency,
        discount_rate=report.settings.discount_rate,
        discount_first_year=report.settings.discount_first_year,
        date=dt.datetime.combine(start or dt.date(2000, 1, 1), dt.time()),
        maps=maps,
        progress=_progress(pack, report),
        commitments=_commitments(pack),
        lm3=_lm3(report),
    )


# A value map's columns before the computed ones, in the SROI value map's order, and the
# references svqm needs to read the sheet back (`svqm import value-map`) after them.
MAP_INPUT_COLUMNS = (
    Column("stakeholder_name", "Stakeholder", "text"),
    Column("output", "Outputs", "text"),
    Column("description", "Outcome", "text"),
    Column("indicator", "Indicator", "text"),
    Column("source", "Source", "text"),
    Column("quantity", "Quantity", "number"),
    Column("duration", "Duration (years)", "integer"),
    Column("start", "Start (1 or 2)", "integer"),
    Column("proxy_description", "Financial proxy", "text"),
    Column("proxy_value", "Proxy value", "money"),
    Column("proxy_source", "Proxy source", "text"),
    *(Column(k, k.capitalize(), "share") for k in ADJUSTMENTS),
    Column("drop_off", "Drop-off", "share"),
)
MAP_REFERENCE_COLUMNS = (
    Column("id", "Outcome id", "text"),
    Column("stakeholder", "Stakeholder id", "text"),
    Column("proxy", "Proxy id", "text"),
    Column("proxy_unit", "Proxy unit", "text"),
    Column("pledge", "Pledge", "text"),
    Column("evidence", "Evidence", "text"),
    Column("method", "Method", "text"),
    Column("forecast_outcome", "Forecast outcome", "text"),
)
IMPACT = Column("impact", "Impact (year 1)", "money")
TOTAL_PV = Column("total_pv", "Total present value", "money")


def year_columns(years: int) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    """The value of each year, then the present value of each year."""
    values = tuple(Column(f"value_{t}", f"Year {t} value", "money") for t in range(1, years + 1))
    present = tuple(
        Column(f"pv_{t}", f"Year {t} present value", "money") for t in range(1, years + 1)
    )
    return values, present


def cell(outcome: Outcome, key: str) -> Any:
    """The value of one input or reference column for an outcome."""
    if key in outcome.shares:
        return outcome.shares[key]
    return getattr(outcome, key)


SUMMARY_COLUMNS = (
    Column("kind", "Kind", "text"),
    Column("id", "Impact map", "text"),
    Column("scope", "Scope", "text"),
    Column("start", "Start", "date"),
    Column("end", "End", "date"),
    Column("inputs_total", "Inputs total", "money"),
    Column("present_value", "Present value", "money"),
    Column("net_present_value", "Net present value", "money"),
    Column("sroi_ratio", "SROI ratio", "ratio"),
    Column("payback_months", "Payback (months)", "months"),
)
