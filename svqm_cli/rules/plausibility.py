"""Plausibility warnings (SV401-SV405): figures an assessor would question."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from svqm_cli.base.accessors import as_number, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.calc.sroi import impact_map_figures, impact_map_from, priced_proxies, settings_from
from svqm_cli.calc.uprating import pricing_from
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

MAX_PLAUSIBLE_RATIO = Decimal(10)
LONG_DURATION = 5
OLD_PROXY_YEARS = 5


@rule("SV401")
def adjustments_considered(ctx: Context) -> Iterator[Finding]:
    """An outcome has some deadweight, displacement or attribution.

    Bad::

        {id: jobs, deadweight: 0, displacement: 0, attribution: 0, ...}

    Good::

        {id: jobs, deadweight: 0.15, displacement: 0, attribution: 0.10, ...}
    """
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            raw = [outcome.get(k) for k in ("deadweight", "displacement", "attribution")]
            shares = [as_number(v) for v in raw]
            if any(v is not None and s is None for v, s in zip(raw, shares, strict=True)):
                continue  # not a number: the schema already says so
            if all(s is None or s == 0 for s in shares):
                yield make(
                    "SV401",
                    f"The outcome '{text(outcome, 'id')}' has no deadweight, "
                    "displacement or attribution: all three are 0.",
                    doc.path,
                    f"/outcomes/{i}",
                )


@rule("SV402")
def long_duration_drops_off(ctx: Context) -> Iterator[Finding]:
    """An outcome lasting more than 5 years has a drop-off.

    Bad::

        {id: housing, duration: 10}

    Good::

        {id: housing, duration: 10, drop_off: 0.2}
    """
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            duration = outcome.get("duration")
            drop = as_number(outcome.get("drop_off"))
            if isinstance(duration, int) and duration > LONG_DURATION and not drop:
                yield make(
                    "SV402",
                    f"The outcome '{text(outcome, 'id')}' lasts {duration} years with no drop-off.",
                    doc.path,
                    f"/outcomes/{i}/duration",
                )


@rule("SV403", "SV405")
def ratio_plausible(ctx: Context) -> Iterator[Finding]:
    """An impact map has inputs, and its SROI ratio is at most 10:1.

    Bad::

        inputs: []                          # SV405: no ratio
        inputs: [{description: Staff, value: 1000}]   # with £50,000 of present value: SV403

    Good::

        inputs: [{description: Outreach staff time, value: 85000}]
    """
    settings = settings_from(ctx.config)
    proxies = priced_proxies(
        (d.data for d in ctx.docs("proxies") if d.path in ctx.clean), settings.pricing
    )
    for doc in ctx.docs("forecast", "evaluation"):
        if doc.path not in ctx.clean or doc.kind is None:
            continue
        impact_map = impact_map_from(doc.kind, doc.data, proxies, settings)
        if impact_map is None:
            continue
        figures = impact_map_figures(impact_map, settings)
        if figures.sroi_ratio is None:
            yield make(
                "SV405",
                f"The inputs of '{impact_map.id}' add up to zero, so it has no SROI ratio.",
                doc.path,
                "/inputs",
            )
        elif figures.sroi_ratio > MAX_PLAUSIBLE_RATIO:
            yield make(
                "SV403",
                f"The SROI ratio of '{impact_map.id}' is "
                f"£{figures.sroi_ratio:.2f} : £1, above £10 : £1.",
                doc.path,
                "/id",
            )


@rule("SV404")
def proxy_is_recent(ctx: Context) -> Iterator[Finding]:
    """A proxy's price year is at most 5 years before the award period starts.

    Bad (award period starts 2023-11-17)::

        {id: gp-visit, value: 30, year: 2012, ...}

    Good::

        {id: gp-visit, value: 42, year: 2023, ...}
    """
    period = ctx.period()
    if period is None:
        return
    oldest = period[0].year - OLD_PROXY_YEARS
    pricing = pricing_from(mapping(ctx.config, "settings"))
    places = [
        (doc.path, f"/proxies/{i}", p)
        for doc in ctx.docs("proxies")
        for i, p in items(doc.data, "proxies")
    ]
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            if isinstance(outcome.get("proxy"), dict):
                places.append((doc.path, f"/outcomes/{i}/proxy", outcome["proxy"]))
    for file, pointer, proxy in places:
        year = proxy.get("year")
        if isinstance(year, int) and not isinstance(year, bool) and year < oldest:
            if pricing.deflator and pricing.base_year and not pricing.missing_years(year):
                continue  # the deflator brings it to the base year's prices
            yield make(
                "SV404",
                f"The proxy value is in {year} prices, more than "
                f"{OLD_PROXY_YEARS} years before the award period starts "
                f"({period[0].year}).",
                file,
                f"{pointer}/year",
            )
