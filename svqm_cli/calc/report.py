"""The figures of a valid pack: impact maps, sensitivity, forecast against actual,
breakdowns, pledge progress and LM3. Pure: takes a validated Pack, returns a ValueReport."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from svqm_cli.base.vocabulary import MARMOT, SDGS, THEME_NAMES
from svqm_cli.calc.commitments import (
    CommitmentTotals,
    ContractFigures,
    commitment_totals,
    contract_figures,
)
from svqm_cli.calc.lm3 import LM3, lm3
from svqm_cli.calc.measures import MeasureBreakdown, linked_outcomes, measure_breakdown
from svqm_cli.calc.progress import TargetProgress, pledge_progress
from svqm_cli.calc.sensitivity import DEFAULT_STEP, Scenario, Swing, scenarios, tornado
from svqm_cli.calc.sroi import (
    ZERO,
    ImpactMap,
    ImpactMapFigures,
    Settings,
    impact_map_figures,
    outcome_prices,
    priced_map,
    priced_proxies,
    settings_from,
)
from svqm_cli.calc.uncertainty import Simulation, Uncertainty
from svqm_cli.calc.uprating import Priced
from svqm_cli.reading.pack import Document, Pack

KINDS = ("forecast", "evaluation")


@dataclass(frozen=True)
class Totals:
    inputs_total: Decimal
    present_value: Decimal
    net_present_value: Decimal
    sroi_ratio: Decimal | None


@dataclass(frozen=True)
class OutcomeComparison:
    forecast_outcome: str | None
    outcome: str | None
    forecast_quantity: Decimal | None
    actual_quantity: Decimal | None
    forecast_present_value: Decimal | None
    actual_present_value: Decimal | None
    difference: Decimal
    percentage: Decimal | None


@dataclass(frozen=True)
class Comparison:
    forecast: str
    forecast_present_value: Decimal
    actual_present_value: Decimal
    forecast_sroi_ratio: Decimal | None
    actual_sroi_ratio: Decimal | None
    difference: Decimal
    percentage: Decimal | None
    outcomes: tuple[OutcomeComparison, ...]


@dataclass(frozen=True)
class OutcomeDetail:
    id: str
    stakeholder: str
    pledge: str | None
    quantity: Decimal
    proxy_value: Decimal  # the value used: in base-year prices (spec §5.7)
    forecast_outcome: str | None = None  # evaluations: the forecast outcome it measures
    proxy_written: Decimal | None = None  # as written, in its own price year
    proxy_year: int | None = None
    wellby: Decimal | None = None  # WELLBYs per unit, when valued in WELLBYs
    negative: bool = False  # an unwanted change whose value counts against the total (§5.1)


@dataclass(frozen=True)
class MapReport:
    figures: ImpactMapFigures
    details: tuple[OutcomeDetail, ...]
    sensitivity: tuple[Scenario, ...]
    comparison: Comparison | None
    tornado: tuple[Swing, ...] = ()
    uncertainty: Uncertainty | None = None  # only when asked for (value --uncertainty)
    impact_map: ImpactMap | None = None


@dataclass(frozen=True)
class Share:
    id: str | int
    name: str
    present_value: Decimal


@dataclass(frozen=True)
class Breakdown:
    theme: tuple[Share, ...]
    stakeholder: tuple[Share, ...]
    sdg: tuple[Share, ...]
    marmot: tuple[Share, ...]


@dataclass(frozen=True)
class ValueReport:
    settings: Settings
    step: Decimal
    maps: tuple[MapReport, ...]
    totals: dict[str, Totals | None]
    breakdowns: dict[str, Breakdown | None]
    progress: tuple[TargetProgress, ...]
    lm3: tuple[LM3, ...]
    contracts: tuple[ContractFigures, ...] = ()  # spec §5.4
    commitment_totals: CommitmentTotals | None = None
    measures: MeasureBreakdown | None = None  # spec §5.5: totals by measure code and theme


def _percentage(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return part / whole * 100 if whole else None


def totals(maps: Iterable[ImpactMapFigures]) -> Totals | None:
    chosen = list(maps)
    if not chosen:
        return None
    inputs = sum((m.inputs_total for m in chosen), ZERO)
    present = sum((m.present_value for m in chosen), ZERO)
    return Totals(inputs, present, present - inputs, present / inputs if inputs else None)


def compare(evaluation: MapReport, forecast: MapReport) -> Comparison:
    """Outcome by outcome (through each evaluation outcome's forecast_outcome) and in total."""
    f_pv = {o.id: o.present_value for o in forecast.figures.outcomes}
    f_qty = {d.id: d.quantity for d in forecast.details}
    rows: list[OutcomeComparison] = []
    matched: set[str] = set()
    for detail, outcome in zip(evaluation.details, evaluation.figures.outcomes, strict=True):
        target = detail.forecast_outcome
        forecast_pv = f_pv.get(target) if target else None
        if target and forecast_pv is not None:
            matched.add(target)
        diff = outcome.present_value - (forecast_pv or ZERO)
        rows.append(
            OutcomeComparison(
                forecast_outcome=target if forecast_pv is not None else None,
                outcome=outcome.id,
                forecast_quantity=f_qty.get(target) if target else None,
                actual_quantity=detail.quantity,
                forecast_present_value=forecast_pv,
                actual_present_value=outcome.present_value,
                difference=diff,
                percentage=_percentage(diff, forecast_pv),
            )
        )
    for outcome in forecast.figures.outcomes:
        if outcome.id not in matched:
            rows.append(
                OutcomeComparison(
                    forecast_outcome=outcome.id,
                    outcome=None,
                    forecast_quantity=f_qty[outcome.id],
                    actual_quantity=None,
                    forecast_present_value=outcome.present_value,
                    actual_present_value=None,
                    difference=-outcome.present_value,
                    percentage=Decimal(-100) if outcome.present_value else None,
                )
            )
    diff = evaluation.figures.present_value - forecast.figures.present_value
    return Comparison(
        forecast=forecast.figures.id,
        forecast_present_value=forecast.figures.present_value,
        actual_present_value=evaluation.figures.present_value,
        forecast_sroi_ratio=forecast.figures.sroi_ratio,
        actual_sroi_ratio=evaluation.figures.sroi_ratio,
        difference=diff,
        percentage=_percentage(diff, forecast.figures.present_value),
        outcomes=tuple(rows),
    )


def _breakdown(
    reports: list[MapReport],
    pledges: dict[str, dict[str, Any]],
    stakeholders: dict[str, str],
    themes: dict[str, str],
) -> Breakdown | None:
    if not reports:
        return None
    by: dict[str, dict[Any, Decimal]] = {"theme": {}, "stakeholder": {}, "sdg": {}, "marmot": {}}
    for report in reports:
        for detail, figures in zip(report.details, report.figures.outcomes, strict=True):
            pv = figures.present_value
            pledge = pledges.get(detail.pledge or "", {})
            theme = pledge.get("theme", "unassigned")
            by["theme"][theme] = by["theme"].get(theme, ZERO) + pv
            by["stakeholder"][detail.stakeholder] = (
                by["stakeholder"].get(detail.stakeholder, ZERO) + pv
            )
            for key in ("sdg", "marmot"):
                for number in pledge.get("sdgs" if key == "sdg" else "marmot", []):
                    by[key][number] = by[key].get(number, ZERO) + pv

    def shares(values: dict[Any, Decimal], names: dict[Any, str]) -> tuple[Share, ...]:
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))
        return tuple(
            Share(k, names.get(k, "Not linked to a pledge" if k == "unassigned" else str(k)), v)
            for k, v in ordered
        )

    return Breakdown(
        theme=shares(by["theme"], themes),
        stakeholder=shares(by["stakeholder"], stakeholders),
        sdg=shares(by["sdg"], SDGS),
        marmot=shares(by["marmot"], MARMOT),
    )


def _map_report(
    kind: str,
    data: dict[str, Any],
    proxies: Mapping[str, Priced],
    settings: Settings,
    simulation: Simulation | None = None,
) -> MapReport | None:
    prices = outcome_prices(data, proxies, settings)
    if prices is None:
        return None
    raws = data["outcomes"]
    impact_map = priced_map(kind, data, prices)
    outcomes = impact_map.outcomes
    details = tuple(
        OutcomeDetail(
            o.id,
            raw["stakeholder"],
            raw.get("pledge"),
            o.quantity,
            o.value,
            raw.get("forecast_outcome"),
            price.written,
            price.year,
            price.wellby,
            o.negative,
        )
        for o, raw, price in zip(outcomes, raws, prices, strict=True)
    )
    figures = impact_map_figures(impact_map, settings)
    if simulation is not None:
        simulation.add(impact_map, figures)  # drawn by a worker from now on
    return MapReport(figures, details, (), None, (), None, impact_map)


def _with_sensitivity(m: MapReport, settings: Settings, step: Decimal) -> MapReport:
    assert m.impact_map is not None
    return replace(
        m,
        sensitivity=scenarios(m.impact_map, settings, step, m.figures),
        tornado=tornado(m.impact_map, settings, step, m.figures),
    )


Choose = Callable[[Sequence[ImpactMapFigures]], Collection[int]]


def compute(
    pack: Pack,
    step: Decimal = DEFAULT_STEP,
    uncertainty: bool | None = False,
    detail: Choose | None = None,
) -> ValueReport:
    """Every figure of a pack that validated without errors; with UNCERTAINTY, also the
    Monte Carlo range of each impact map's ratio (None: when any outcome gives a range).

    DETAIL, given the figures of every impact map, picks those (by position) whose
    sensitivity, tornado and range are worked out: a report with a limit on its detailed
    sections needs no more. By default every map has them."""
    config = pack.pack_document.data if pack.pack_document else {}
    settings = settings_from(config)
    proxies = priced_proxies((d.data for d in pack.of_kind("proxies")), settings.pricing)
    docs = [(kind, doc) for kind in KINDS for doc in pack.of_kind(kind)]
    draw = uncertainty is not False
    with Simulation(settings, len(docs) if draw else 0) as simulation:
        # every map is drawn as soon as it is priced, unless only some are to be detailed
        early = simulation if draw and detail is None else None
        maps = _map_reports(docs, proxies, settings, early)
        chosen = range(len(maps)) if detail is None else sorted(detail([m.figures for m in maps]))
        for i in chosen:
            drawn = maps[i].impact_map
            if draw and early is None and drawn is not None:
                simulation.add(drawn, maps[i].figures)
            maps[i] = _with_sensitivity(maps[i], settings, step)
        report = _value_report(pack, config, settings, proxies, step, maps)
        if not draw or (uncertainty is None and not simulation.ranged):
            return report
        ranges = simulation.results()  # one per map drawn, in the order drawn
    for i, found in zip(chosen, ranges, strict=True):
        maps[i] = replace(maps[i], uncertainty=found)
    return replace(report, maps=tuple(maps))


def _map_reports(
    docs: list[tuple[str, Document]],
    proxies: Mapping[str, Priced],
    settings: Settings,
    simulation: Simulation | None,
) -> list[MapReport]:
    maps: list[MapReport] = []
    by_id: dict[str, MapReport] = {}
    forecast_of: dict[str, str] = {}
    for kind, doc in docs:
        if kind == "evaluation" and "forecast" in doc.data:
            forecast_of[doc.data["id"]] = doc.data["forecast"]
        report = _map_report(kind, doc.data, proxies, settings, simulation)
        if report is None:
            continue
        by_id[report.figures.id] = report
        maps.append(report)
    for i, report in enumerate(maps):
        link = forecast_of.get(report.figures.id)
        if link in by_id and by_id[link].figures.kind == "forecast":
            maps[i] = replace(report, comparison=compare(report, by_id[link]))
    return maps


def _value_report(
    pack: Pack,
    config: Mapping[str, Any],
    settings: Settings,
    proxies: Mapping[str, Priced],
    step: Decimal,
    maps: list[MapReport],
) -> ValueReport:
    pledges = {p["id"]: p for d in pack.of_kind("pledges") for p in d.data["pledges"]}
    stakeholders = {
        s["id"]: s["name"] for d in pack.of_kind("stakeholders") for s in d.data["stakeholders"]
    }
    themes = dict(THEME_NAMES)
    if "themes" in config:
        themes = {t["id"]: t["name"] for t in config["themes"]}
    start = dt.date.fromisoformat(config["award"]["period"]["start"])
    values = {ident: priced.used for ident, priced in proxies.items()}  # base-year prices
    contracts = tuple(
        sorted(
            (contract_figures(d.data, values) for d in pack.of_kind("commitments")),
            key=lambda c: c.id,
        )
    )
    return ValueReport(
        settings=settings,
        step=step,
        maps=tuple(maps),
        totals={k: totals(m.figures for m in maps if m.figures.kind == k) for k in KINDS},
        breakdowns={
            k: _breakdown([m for m in maps if m.figures.kind == k], pledges, stakeholders, themes)
            for k in KINDS
        },
        progress=tuple(pledge_progress(list(pledges.values()), start)),
        lm3=tuple(lm3(d.data) for d in pack.of_kind("procurement")),
        contracts=contracts,
        commitment_totals=commitment_totals(contracts),
        measures=measure_breakdown(
            (d.data for d in pack.of_kind("measures")),
            contracts,
            linked_outcomes(pack, (m.figures for m in maps)),
        ),
    )
