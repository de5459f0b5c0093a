"""Valuation rules (spec §5.7): price years against the deflator, WELLBY values, and the
[low, high] ranges of the Monte Carlo (SV230-SV233, SV430-SV431)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import as_number, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.calc.sroi import RANGED
from svqm_cli.calc.uprating import pricing_from
from svqm_cli.reading.pack import PACK_FILE
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context


@dataclass(frozen=True)
class Place:
    file: str
    pointer: str  # the proxy mapping
    proxy: dict[str, Any]
    name: str  # how a message names it


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def proxies(ctx: Context) -> Iterator[Place]:
    """Every proxy of the pack: in proxies documents, and inline on outcomes."""
    for doc in ctx.docs("proxies"):
        for i, p in items(doc.data, "proxies"):
            yield Place(doc.path, f"/proxies/{i}", p, f"The proxy '{text(p, 'id')}'")
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            proxy = outcome.get("proxy")
            if isinstance(proxy, dict):
                name = f"The inline proxy of outcome '{text(outcome, 'id')}'"
                yield Place(doc.path, f"/outcomes/{i}/proxy", proxy, name)


def _settings(ctx: Context) -> dict[str, Any]:
    return mapping(ctx.config, "settings")


@rule("SV230", "SV431")
def deflator_covers_years(ctx: Context) -> Iterator[Finding]:
    """With a deflator, the base year and every price year are in its index.

    Bad::

        settings: {base_year: 2024, deflator: {source: ..., index: {2023: 117.5, 2024: 121.0}}}
        proxies: [{id: gp-visit, value: 42, year: 2019, ...}]   # 2019 is not in the index

    Good::

        settings:
          base_year: 2024
          deflator: {source: ..., index: {2019: 100.0, 2023: 117.5, 2024: 121.0}}
    """
    pricing = pricing_from(_settings(ctx))
    if pricing.deflator is None or pricing.base_year is None:
        return
    source = pricing.deflator.source or "the deflator"
    known = ", ".join(str(y) for y, _ in pricing.deflator.index)
    if pricing.missing_years():
        yield make(
            "SV230",
            f"The base year {pricing.base_year} is not in the deflator's index "
            f"(it has {known}), so no proxy can be uprated.",
            PACK_FILE,
            "/settings/base_year",
            hint=f"Add {pricing.base_year}: <index value> to settings.deflator.index, from "
            f"{source}.",
        )
        return
    places = list(proxies(ctx))
    if pricing.wellby is not None:
        wellby = mapping(_settings(ctx), "wellby")
        places.append(Place(PACK_FILE, "/settings/wellby", wellby, "The WELLBY value"))
    for place in places:
        if "wellby" in place.proxy:
            continue  # valued from settings.wellby, whose year is checked once
        year = _year(place.proxy.get("year"))
        if year is None:
            if "year" not in place.proxy:
                yield make(
                    "SV431",
                    f"{place.name} has no price year, so it is used as written, "
                    f"not uprated to {pricing.base_year} prices.",
                    place.file,
                    place.pointer,
                )
            continue
        if pricing.missing_years(year):
            yield make(
                "SV230",
                f"{place.name} is in {year} prices, but the deflator's index has no {year} "
                f"(it has {known}).",
                place.file,
                f"{place.pointer}/year",
                hint=f"Add {year}: <index value> to settings.deflator.index, from {source}; "
                "or correct the year.",
            )


@rule("SV430")
def one_price_year(ctx: Context) -> Iterator[Finding]:
    """Without a deflator, every proxy is in the same price year (the base year if set).

    Bad::

        settings: {base_year: 2024}
        proxies: [{id: gp-visit, value: 42, year: 2019, ...}]

    Good::

        settings:
          base_year: 2024
          deflator: {source: HM Treasury GDP deflators, index: {2019: 100.0, 2024: 121.0}}
    """
    pricing = pricing_from(_settings(ctx))
    if pricing.deflator is not None:
        return
    places = list(proxies(ctx))
    if pricing.wellby is not None and any("wellby" in p.proxy for p in places):
        wellby = mapping(_settings(ctx), "wellby")
        places.append(Place(PACK_FILE, "/settings/wellby", wellby, "The WELLBY value"))
    dated = [(p, y) for p in places if (y := _year(p.proxy.get("year"))) is not None]
    years = {y for _, y in dated}
    reference = pricing.base_year if pricing.base_year is not None else max(years, default=None)
    if reference is None or (pricing.base_year is None and len(years) < 2):
        return
    for place, year in dated:
        if year != reference:
            what = "the base year" if pricing.base_year is not None else "the latest proxies"
            yield make(
                "SV430",
                f"{place.name} is in {year} prices but {what} is {reference}, and the pack "
                "has no deflator: its value is added as written.",
                place.file,
                f"{place.pointer}/year",
            )


@rule("SV231")
def wellby_has_a_value(ctx: Context) -> Iterator[Finding]:
    """A proxy given in WELLBYs needs settings.wellby to value it.

    Bad::

        proxy: {wellby: 0.4, source: Survey of residents}     # and no settings.wellby

    Good::

        settings: {wellby: {value: 13000, low: 10000, high: 16000, year: 2019, source: ...}}
    """
    if pricing_from(_settings(ctx)).wellby is not None:
        return
    for place in proxies(ctx):
        if "wellby" in place.proxy:
            yield make(
                "SV231",
                f"{place.name} is given in WELLBYs, but svqm.yaml has no settings.wellby "
                "to say what a WELLBY is worth.",
                place.file,
                f"{place.pointer}/wellby",
            )


def _check_range(
    low: Decimal, high: Decimal, central: Decimal, what: str, file: str, pointer: str
) -> Iterator[Finding]:
    if low > high:
        yield make(
            "SV233", f"The range of {what} is [{low}, {high}]: low above high.", file, pointer
        )
    elif not low <= central <= high:
        yield make(
            "SV232",
            f"The range of {what} is [{low}, {high}], which does not contain its central "
            f"value {central}.",
            file,
            pointer,
        )


_DEFAULTS = {"proxy": Decimal(1), "duration": Decimal(1), "quantity": Decimal(0)}


@rule("SV232", "SV233")
def ranges_hold_the_central_value(ctx: Context) -> Iterator[Finding]:
    """Each range is [low, high] with low <= central value <= high; so is the WELLBY's.

    Bad::

        {id: jobs, quantity: 40, range: {quantity: [50, 60], deadweight: [0.3, 0.1]}}

    Good::

        {id: jobs, quantity: 40, deadweight: 0.2,
         range: {quantity: [30, 50], deadweight: [0.1, 0.3]}}
    """
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            given = mapping(outcome, "range")
            for name in RANGED:
                pair = given.get(name)
                if not isinstance(pair, list) or len(pair) != 2:
                    continue
                low, high = as_number(pair[0]), as_number(pair[1])
                central = (
                    Decimal(1)
                    if name == "proxy"
                    else as_number(outcome.get(name, _DEFAULTS.get(name, 0)))
                )
                if low is None or high is None or central is None:
                    continue  # the schema reports what is not a number
                what = f"{name} of outcome '{text(outcome, 'id')}'"
                yield from _check_range(
                    low, high, central, what, doc.path, f"/outcomes/{i}/range/{name}"
                )
    wellby = mapping(_settings(ctx), "wellby")
    value = as_number(wellby.get("value"))
    low, high = as_number(wellby.get("low")), as_number(wellby.get("high"))
    if value is None:
        return
    if low is not None and high is not None and low > high:
        yield make(
            "SV233",
            f"The WELLBY's low value {low} is above its high value {high}.",
            PACK_FILE,
            "/settings/wellby/low",
            hint="Swap the WELLBY's low and high values.",
        )
        return
    for key, bound, ok in (
        ("low", low, low is None or low <= value),
        ("high", high, high is None or high >= value),
    ):
        if not ok:
            yield make(
                "SV232",
                f"The WELLBY's {key} value {bound} is on the wrong side of its central "
                f"value {value}.",
                PACK_FILE,
                f"/settings/wellby/{key}",
                hint="Make the WELLBY's low value at most, and its high value at least, its "
                "central value.",
            )
