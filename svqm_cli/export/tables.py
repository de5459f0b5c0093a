"""What an export holds, built once from a valid pack and its figures; the xlsx and csv
writers only lay it out. Raw pack data is read through the accessors, figures come from
`calc.report.compute`, so a spreadsheet shows exactly the numbers `svqm value` shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, overload

from svqm_cli.base.accessors import as_date, as_number, get, items, mapping, scrub, text, texts
from svqm_cli.calc.report import MapReport, OutcomeDetail, ValueReport
from svqm_cli.calc.sroi import ZERO, ImpactMapFigures, OutcomeFigures
from svqm_cli.calc.uprating import Pricing
from svqm_cli.export.columns import Column, Table, text_of
from svqm_cli.export.lists import commitments_table, lm3_table, progress_table
from svqm_cli.reading.pack import Pack

# The SROI value map's columns, left to right (spec §5.6). Adjustments multiply the impact
# as (1 - share): a new one (leakage, say) is one more name here and in Outcome.shares.
ADJUSTMENTS = ("deadweight", "displacement", "attribution", "leakage")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # text a spreadsheet reads as a formula
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


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
    proxy_value: Decimal  # as written, in its price year (a WELLBY proxy: WELLBYs x value)
    proxy_year: int | None
    uprating: Decimal  # index[base_year] / index[proxy_year]: proxy_value x uprating is used
    wellby: Decimal | None  # WELLBYs per unit, for a proxy valued in WELLBYs
    proxy_unit: str
    proxy_source: str
    shares: dict[str, Decimal]  # the adjustments and drop_off
    pledge: str
    evidence: str  # files separated by '; '
    method: str
    forecast_outcome: str
    figures: OutcomeFigures
    negative: str = ""  # "yes" for a negative outcome (spec §5.1): its impact is subtracted


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
class Export:
    organisation: str
    title: str
    currency: str
    discount_rate: Decimal
    discount_first_year: bool
    date: dt.datetime  # the document properties' date: fixed by the pack, not the clock
    maps: Sequence[ValueMap]  # ValueMaps from `build`: each map made when it is read
    progress: Table | None
    commitments: Table | None
    lm3: Table | None

    @property
    def symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency, f"{self.currency} ")


class ValueMaps(Sequence[ValueMap]):
    """The value maps of an export, each made from the pack and its figures when it is
    read, and not kept: a writer holds one map's outcome rows at a time (at 50,000 outcomes
    the rows of every map at once took some 30 MB more)."""

    def __init__(self, reports: Sequence[MapReport], make: Callable[[MapReport], ValueMap]):
        self.reports = reports
        self.make = make

    @property
    def ids(self) -> list[str]:
        return [r.figures.id for r in self.reports]

    def __len__(self) -> int:
        return len(self.reports)

    @overload
    def __getitem__(self, index: int) -> ValueMap: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ValueMap]: ...
    def __getitem__(self, index: int | slice) -> ValueMap | Sequence[ValueMap]:
        if isinstance(index, slice):
            return [self.make(r) for r in self.reports[index]]
        return self.make(self.reports[index])

    def __iter__(self) -> Iterator[ValueMap]:
        return (self.make(r) for r in self.reports)


def map_ids(maps: Sequence[ValueMap]) -> list[str]:
    """The maps' ids, without making each map."""
    return maps.ids if isinstance(maps, ValueMaps) else [m.id for m in maps]


def head(vm: ValueMap) -> ValueMap:
    """VM without its outcome rows and inputs: what the Summary needs of it."""
    return replace(vm, outcomes=(), inputs=())


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
                found.setdefault(ident, text_of(item, "name") or text_of(item, "description"))
    return found


def _outcome(
    raw: dict[str, Any],
    figures: OutcomeFigures,
    price: tuple[Decimal, int | None, Decimal, Decimal | None],
    proxies: dict[str, dict[str, Any]],
    names: dict[str, str],
    outputs: dict[str, str],
) -> Outcome:
    proxy = get(raw, "proxy")
    ident = proxy if isinstance(proxy, str) else ""
    about = proxies.get(ident, {}) if ident else (proxy if isinstance(proxy, dict) else {})
    stakeholder = text_of(raw, "stakeholder")
    output = text_of(raw, "output")
    return Outcome(
        id=text_of(raw, "id"),
        stakeholder=stakeholder,
        stakeholder_name=names.get(stakeholder, stakeholder),
        output=outputs.get(output, output),
        description=text_of(raw, "description"),
        indicator=text_of(raw, "indicator"),
        source=text_of(raw, "source"),
        quantity=as_number(get(raw, "quantity")) or ZERO,
        duration=len(figures.yearly),
        start=2 if get(raw, "start") == 2 else 1,
        proxy=ident,
        proxy_description=text_of(about, "description"),
        proxy_value=price[0],
        proxy_year=price[1],
        uprating=price[2],
        wellby=price[3],
        proxy_unit=text_of(about, "unit"),
        proxy_source=text_of(about, "source"),
        shares={k: as_number(get(raw, k)) or ZERO for k in (*ADJUSTMENTS, "drop_off")},
        pledge=text_of(raw, "pledge"),
        evidence="; ".join(scrub(texts(raw, "evidence"))),
        method=text_of(raw, "method"),
        forecast_outcome=text_of(raw, "forecast_outcome"),
        figures=figures,
        negative="yes" if get(raw, "negative") is True else "",
    )


def _price(
    detail: OutcomeDetail, pricing: Pricing
) -> tuple[Decimal, int | None, Decimal, Decimal | None]:
    """(value as written, its price year, the uprating factor, WELLBYs) of a proxy."""
    if detail.proxy_written is None:
        return detail.proxy_value, detail.proxy_year, Decimal(1), detail.wellby
    factor = pricing.factor(detail.proxy_year)
    return detail.proxy_written, detail.proxy_year, factor, detail.wellby


def _value_map(
    report: MapReport,
    data: Any,
    proxies: dict[str, dict[str, Any]],
    names: dict[str, str],
    pricing: Pricing,
) -> ValueMap:
    outputs = {
        ident: text_of(o, "description")
        for _, o in items(data, "outputs")
        if (ident := text(o, "id")) is not None
    }
    raws = [raw for _, raw in items(data, "outcomes")]
    outcomes = tuple(
        _outcome(raw, figures, _price(detail, pricing), proxies, names, outputs)
        for raw, figures, detail in zip(raws, report.figures.outcomes, report.details, strict=True)
    )
    inputs = tuple(
        Input(
            names.get(text_of(i, "stakeholder"), text_of(i, "stakeholder")),
            text_of(i, "description"),
            as_number(get(i, "value")) or ZERO,
        )
        for _, i in items(data, "inputs")
    )
    period = mapping(data, "period")
    return ValueMap(
        id=report.figures.id,
        kind=report.figures.kind,
        scope=str(scrub(report.figures.scope)),
        scope_type=text_of(mapping(data, "scope"), "type") or "service",
        forecast=text_of(data, "forecast"),
        start=as_date(get(period, "start")),
        end=as_date(get(period, "end")),
        outcomes=outcomes,
        inputs=inputs,
        figures=report.figures,
    )


def build(pack: Pack, report: ValueReport) -> Export:
    """The export of a pack that validated without errors, with its computed figures."""
    config = pack.pack_document.data if pack.pack_document else {}
    organisation = text_of(mapping(config, "organisation"), "name")
    proxies = _proxies(pack)
    names = _names(pack, "stakeholders", "stakeholders")
    data_of = {
        text(doc.data, "id"): doc.data
        for kind in ("forecast", "evaluation")
        for doc in pack.of_kind(kind)
    }
    pricing = report.settings.pricing
    maps = ValueMaps(
        report.maps, lambda m: _value_map(m, data_of[m.figures.id], proxies, names, pricing)
    )
    start = as_date(get(mapping(mapping(config, "award"), "period"), "start"))
    return Export(
        organisation=organisation,
        title=f"Social value figures: {organisation}",
        currency=report.settings.currency,
        discount_rate=report.settings.discount_rate,
        discount_first_year=report.settings.discount_first_year,
        date=dt.datetime.combine(start or dt.date(2000, 1, 1), dt.time()),
        maps=maps,
        progress=progress_table(pack, report),
        commitments=commitments_table(report),
        lm3=lm3_table(report),
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
    Column("proxy_year", "Price year", "integer"),
    Column("uprating", "Uprating to base year", "number"),
    Column("proxy_source", "Proxy source", "text"),
    *(Column(k, k.capitalize(), "share") for k in ADJUSTMENTS),
    Column("drop_off", "Drop-off", "share"),
)
MAP_REFERENCE_COLUMNS = (
    Column("id", "Outcome id", "text"),
    Column("stakeholder", "Stakeholder id", "text"),
    Column("proxy", "Proxy id", "text"),
    Column("proxy_unit", "Proxy unit", "text"),
    Column("wellby", "WELLBYs per unit", "number"),
    Column("pledge", "Pledge", "text"),
    Column("evidence", "Evidence", "text"),
    Column("method", "Method", "text"),
    Column("forecast_outcome", "Forecast outcome", "text"),
    Column("negative", "Negative outcome", "text"),  # "yes": the impact formula subtracts it
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
