"""SROI figures (spec §3): impact, present value, NPV, ratio and payback, all in Decimal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import as_number, mapping
from svqm_cli.calc.uprating import Priced, Pricing, price, pricing_from

ZERO, ONE, TWELVE = Decimal(0), Decimal(1), Decimal(12)
DEFAULT_DISCOUNT_RATE = Decimal("0.035")
DEFAULT_DRAWS, DEFAULT_SEED = 10_000, 1
# The inputs an outcome's `range:` may give, in the order the Monte Carlo draws them.
RANGED = (
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "leakage",
    "drop_off",
    "duration",
)


@dataclass(frozen=True)
class Settings:
    currency: str = "GBP"
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE
    discount_first_year: bool = True
    pricing: Pricing = field(default_factory=Pricing)
    draws: int = DEFAULT_DRAWS  # settings.uncertainty: the Monte Carlo's draws and seed
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Range:
    """[low, high] around an outcome's central value of FIELD (a factor for `proxy`)."""

    field: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Outcome:
    id: str
    quantity: Decimal
    value: Decimal  # the proxy's value per unit per year
    duration: int
    deadweight: Decimal = ZERO
    displacement: Decimal = ZERO
    attribution: Decimal = ZERO
    drop_off: Decimal = ZERO
    start: int = 1
    leakage: Decimal = ZERO
    wellby: Decimal | None = None  # WELLBYs per unit when valued in WELLBYs (sensitivity)
    ranges: tuple[Range, ...] = ()
    negative: bool = False  # an unwanted change (spec §5.1): its figures count against the total

    @property
    def sign(self) -> Decimal:
        """-1 for a negative outcome, 1 otherwise: what its computed value is multiplied by."""
        return -ONE if self.negative else ONE


@dataclass(frozen=True)
class OutcomeFigures:
    id: str
    impact_year_1: Decimal
    yearly: tuple[Decimal, ...]
    present_value: Decimal
    discounted: tuple[Decimal, ...] = ()  # each year's value divided by its discount factor


@dataclass(frozen=True)
class ImpactMap:
    id: str
    kind: str  # forecast | evaluation
    scope: str
    inputs_total: Decimal
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class ImpactMapFigures:
    id: str
    kind: str
    scope: str
    inputs_total: Decimal
    present_value: Decimal
    net_present_value: Decimal
    sroi_ratio: Decimal | None  # None when inputs are zero
    payback_months: Decimal | None  # None when year-1 impact is zero
    outcomes: tuple[OutcomeFigures, ...]


def outcome_figures(outcome: Outcome, settings: Settings) -> OutcomeFigures:
    """I1 = Q x V x (1-d)(1-s)(1-a)(1-l); It = I1 (1-o)^(t-1); PV = sum It / (1+r)^(t+k).

    A negative outcome is computed the same way and then given the minus sign, so that its
    year-1 impact, yearly values and present value all count against the map's total."""
    impact = (
        outcome.sign
        * outcome.quantity
        * outcome.value
        * (ONE - outcome.deadweight)
        * (ONE - outcome.displacement)
        * (ONE - outcome.attribution)
        * (ONE - outcome.leakage)
    )
    shift = 1 if outcome.start == 2 else 0
    if not settings.discount_first_year:
        shift -= 1
    factor = ONE + settings.discount_rate
    yearly: list[Decimal] = []
    value = impact
    for _ in range(outcome.duration):  # repeated product: 0 ** 0 is undefined in Decimal
        yearly.append(value)
        value *= ONE - outcome.drop_off
    discounted = tuple(v / factor ** (t + shift) for t, v in enumerate(yearly, start=1))
    return OutcomeFigures(outcome.id, impact, tuple(yearly), sum(discounted, ZERO), discounted)


def impact_map_figures(impact_map: ImpactMap, settings: Settings) -> ImpactMapFigures:
    outcomes = tuple(outcome_figures(o, settings) for o in impact_map.outcomes)
    present = sum((o.present_value for o in outcomes), ZERO)
    year_one = sum((o.impact_year_1 for o in outcomes), ZERO)
    inputs = impact_map.inputs_total
    return ImpactMapFigures(
        id=impact_map.id,
        kind=impact_map.kind,
        scope=impact_map.scope,
        inputs_total=inputs,
        present_value=present,
        net_present_value=present - inputs,
        sroi_ratio=present / inputs if inputs else None,
        payback_months=inputs / (year_one / TWELVE) if year_one else None,
        outcomes=outcomes,
    )


# --- from validated pack data ---------------------------------------------------------


def decimal_of(value: Any, default: Decimal = ZERO) -> Decimal:
    """A schema-valid number as Decimal (ints and Decimals from the loader)."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    return default


def _share(value: Any, default: Decimal) -> Decimal:
    """A share (0..1) as the schema allows it; anything else, which the schema reports, is
    the default, so that rules on a broken pack never divide by (1 + -1)."""
    number = decimal_of(value, default)
    return number if number.is_finite() and ZERO <= number <= ONE else default


def settings_from(config: Mapping[str, Any]) -> Settings:
    raw = mapping(config, "settings")
    first = raw.get("discount_first_year")
    currency = raw.get("currency")
    runs = mapping(raw, "uncertainty")
    draws, seed = runs.get("draws"), runs.get("seed")
    return Settings(
        currency=currency if isinstance(currency, str) else "GBP",
        discount_rate=_share(raw.get("discount_rate"), DEFAULT_DISCOUNT_RATE),
        discount_first_year=first if isinstance(first, bool) else True,
        pricing=pricing_from(raw),
        draws=draws if isinstance(draws, int) and not isinstance(draws, bool) else DEFAULT_DRAWS,
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else DEFAULT_SEED,
    )


def ranges_of(raw: Any) -> tuple[Range, ...]:
    """The well-formed [low, high] pairs of an outcome's `range:` (rules report the rest)."""
    found: list[Range] = []
    given = mapping(raw, "range")
    for name in RANGED:
        pair = given.get(name)
        if isinstance(pair, list) and len(pair) == 2:
            low, high = as_number(pair[0]), as_number(pair[1])
            if low is not None and high is not None:
                found.append(Range(name, low, high))
    return tuple(found)


def priced_outcome(raw: Mapping[str, Any], value: Priced) -> Outcome:
    """The Outcome of one schema-valid outcome mapping, valued at VALUE."""
    return Outcome(
        id=raw["id"],
        quantity=decimal_of(raw.get("quantity")),
        value=value.used,
        duration=int(raw.get("duration", 1)),
        deadweight=decimal_of(raw.get("deadweight")),
        displacement=decimal_of(raw.get("displacement")),
        attribution=decimal_of(raw.get("attribution")),
        drop_off=decimal_of(raw.get("drop_off")),
        start=int(raw.get("start", 1)),
        leakage=decimal_of(raw.get("leakage")),
        wellby=value.wellby,
        ranges=ranges_of(raw),
        negative=raw.get("negative") is True,
    )


def outcome_prices(
    data: Mapping[str, Any],
    proxies: Mapping[str, Priced | Decimal],
    settings: Settings | None = None,
) -> list[Priced] | None:
    """Each outcome's proxy value, written and used; None if a proxy id is unknown.

    PROXIES maps ids to priced values (``priced_proxies``) or, as before, to plain values
    taken as already in base-year prices."""
    pricing = (settings or Settings()).pricing
    out: list[Priced] = []
    for raw in data.get("outcomes", []):
        proxy = raw.get("proxy")
        if isinstance(proxy, str):
            if proxy not in proxies:
                return None
            known = proxies[proxy]
            out.append(known if isinstance(known, Priced) else Priced(known, known))
        elif isinstance(proxy, dict):
            out.append(price(proxy, pricing))
        else:
            out.append(Priced(ZERO, ZERO))  # below Level 2 an outcome may have no proxy yet
    return out


def impact_map_from(
    kind: str,
    data: Mapping[str, Any],
    proxies: Mapping[str, Priced | Decimal],
    settings: Settings | None = None,
) -> ImpactMap | None:
    """The ImpactMap of a schema-valid forecast or evaluation; None if a proxy is unknown."""
    prices = outcome_prices(data, proxies, settings)
    return None if prices is None else priced_map(kind, data, prices)


def priced_map(kind: str, data: Mapping[str, Any], prices: list[Priced]) -> ImpactMap:
    """The ImpactMap of a schema-valid forecast or evaluation, its outcomes valued at PRICES."""
    outcomes = [
        priced_outcome(raw, value)
        for raw, value in zip(data.get("outcomes", []), prices, strict=True)
    ]
    scope = data.get("scope", {})
    return ImpactMap(
        id=data["id"],
        kind=kind,
        scope=scope.get("name", "") if isinstance(scope, dict) else "",
        inputs_total=sum((decimal_of(i.get("value")) for i in data.get("inputs", [])), ZERO),
        outcomes=tuple(outcomes),
    )


def proxy_values(proxy_documents: Iterable[Mapping[str, Any]]) -> dict[str, Decimal]:
    """Each proxy id's value as written (no uprating, a WELLBY proxy as 0)."""
    values: dict[str, Decimal] = {}
    for data in proxy_documents:
        for proxy in data.get("proxies", []):
            if isinstance(proxy, dict) and isinstance(proxy.get("id"), str):
                values.setdefault(proxy["id"], decimal_of(proxy.get("value")))
    return values


def priced_proxies(
    proxy_documents: Iterable[Mapping[str, Any]], pricing: Pricing
) -> dict[str, Priced]:
    """Each proxy id's value as written and as used: uprated, WELLBYs valued (spec §5.7)."""
    values: dict[str, Priced] = {}
    for data in proxy_documents:
        for proxy in data.get("proxies", []):
            if isinstance(proxy, dict) and isinstance(proxy.get("id"), str):
                values.setdefault(proxy["id"], price(proxy, pricing))
    return values
