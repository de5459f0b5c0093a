"""Sensitivity: the SROI ratio with one assumption moved, and its break-even point (1:1).

Present value is linear in each outcome's (1 - share) for deadweight, displacement,
attribution and leakage, and in its proxy value; a shorter duration keeps a prefix of the
discounted years. So those scenarios, and their break-even points, come exactly from a few
sums per outcome without recomputing the impact map, which keeps `svqm value` quick on
packs with thousands of outcomes. Only drop-off, which compounds, is searched for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from svqm_cli.base.vocabulary import currency_symbol
from svqm_cli.calc.sroi import (
    ONE,
    ZERO,
    ImpactMap,
    ImpactMapFigures,
    Outcome,
    Settings,
    impact_map_figures,
)

DEFAULT_STEP = Decimal("0.10")
SHARES = (
    ("deadweight", "Deadweight"),
    ("attribution", "Attribution"),
    ("displacement", "Displacement"),
    ("leakage", "Leakage"),
)
PROXY_CUTS = (Decimal("0.10"), Decimal("0.25"))
_ITERATIONS = 34  # drop-off bisection: 2**-34 of a share is far below the 4 decimals shown


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    sroi_ratio: Decimal | None
    break_even: Decimal | None  # the assumption's value at which the ratio is 1:1
    break_even_label: str


@dataclass(frozen=True)
class Swing:
    """One bar of the tornado chart: the ratio with one assumption moved down and up."""

    key: str
    label: str
    low: Decimal  # the smaller of the two ratios
    high: Decimal


def _weights(outcome: Outcome, settings: Settings) -> tuple[Decimal, ...]:
    """1 / (1 + r)^(t + k) for each year t of the outcome."""
    shift = (1 if outcome.start == 2 else 0) - (0 if settings.discount_first_year else 1)
    return _discounts(settings.discount_rate, shift, outcome.duration)


@lru_cache(maxsize=512)
def _discounts(rate: Decimal, shift: int, years: int) -> tuple[Decimal, ...]:
    factor = ONE + rate
    return tuple(ONE / factor ** (t + shift) for t in range(1, years + 1))


def _horner(weights: Sequence[Decimal], keep: Decimal) -> Decimal:
    """sum of w_t keep^(t-1): the discounted years per unit of year-1 impact."""
    total = ZERO
    for w in reversed(weights):
        total = total * keep + w
    return total


def _grosses(impact_map: ImpactMap, settings: Settings) -> tuple[Decimal, ...]:
    """Q x V x (discounted years with drop-off) of each outcome: PV before the shares,
    negative for a negative outcome (so raising its shares raises the ratio)."""
    return tuple(
        o.sign * o.quantity * o.value * _horner(_weights(o, settings), ONE - o.drop_off)
        for o in impact_map.outcomes
    )


def _linear(
    impact_map: ImpactMap, grosses: Sequence[Decimal], field: str
) -> tuple[list[Decimal], list[Decimal]]:
    """(c_i, s_i) with PV_i = c_i x (1 - s_i) for the share FIELD of each outcome."""
    coefficients: list[Decimal] = []
    shares: list[Decimal] = []
    others = [key for key, _ in SHARES if key != field]
    for o, gross in zip(impact_map.outcomes, grosses, strict=True):
        for key in others:
            gross *= ONE - getattr(o, key)
        coefficients.append(gross)
        shares.append(getattr(o, field))
    return coefficients, shares


def _share_ratio(
    c: Sequence[Decimal], s: Sequence[Decimal], inputs: Decimal, x: Decimal
) -> Decimal:
    """The ratio with every share moved by X (kept within 0..1)."""
    total = sum(
        (ci * (ONE - min(ONE, max(ZERO, si + x))) for ci, si in zip(c, s, strict=True)), ZERO
    )
    return total / inputs


def _share_break_even(
    c: Sequence[Decimal], s: Sequence[Decimal], inputs: Decimal
) -> Decimal | None:
    """The exact x in [0, 1] where the ratio, raising every share by x, first reaches 1.

    ratio(x) x inputs = sum of c_i (1 - s_i - x) over the outcomes not yet at 100%: linear
    between the points 1 - s_i where an outcome reaches 100%, so each piece is solved."""
    if _share_ratio(c, s, inputs, ZERO) <= ONE:
        return None
    ends = sorted((ONE - si, ci) for ci, si in zip(c, s, strict=True) if si < ONE)
    level = sum((ci * end for end, ci in ends), ZERO)  # sum c_i (1 - s_i) of the live ones
    slope = sum((ci for _, ci in ends), ZERO)
    start = ZERO
    for end, ci in ends:
        if end > start and level - end * slope <= inputs:
            return (level - inputs) / slope if slope else end
        level -= ci * end
        slope -= ci
        start = max(start, end)
    return None


def _drop_ratio(impact_map: ImpactMap, settings: Settings) -> Callable[[Decimal], Decimal]:
    parts = [
        (o.sign * o.quantity * o.value * (ONE - o.deadweight) * (ONE - o.displacement), o)
        for o in impact_map.outcomes
    ]
    prepared = [
        (amount * (ONE - o.attribution) * (ONE - o.leakage), _weights(o, settings), o.drop_off)
        for amount, o in parts
    ]
    inputs = impact_map.inputs_total

    def ratio(x: Decimal) -> Decimal:
        total = sum(
            (a * _horner(w, ONE - min(ONE, max(ZERO, d + x))) for a, w, d in prepared), ZERO
        )
        return total / inputs

    return ratio


def _bisect(ratio: Callable[[Decimal], Decimal]) -> Decimal | None:
    """The x in [0, 1] where a falling RATIO(x) crosses 1; None if it never does."""
    low, high = ZERO, ONE
    if ratio(low) <= ONE or ratio(high) > ONE:
        return None
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        if ratio(middle) > ONE:
            low = middle
        else:
            high = middle
    return high


def scenarios(
    impact_map: ImpactMap,
    settings: Settings,
    step: Decimal = DEFAULT_STEP,
    base: ImpactMapFigures | None = None,
) -> tuple[Scenario, ...]:
    figures = base or impact_map_figures(impact_map, settings)
    inputs = impact_map.inputs_total
    ratio0 = figures.sroi_ratio
    points = f"{step * 100:.0f} points"
    out: list[Scenario] = []

    grosses = _grosses(impact_map, settings)
    for field, name in SHARES:
        c, s = _linear(impact_map, grosses, field)
        moved = _share_ratio(c, s, inputs, step) if inputs else None
        even = _share_break_even(c, s, inputs) if inputs else None
        out.append(
            Scenario(field, f"{name} +{points}", moved, even, _label_share(name, even, ratio0))
        )

    drop = _drop_ratio(impact_map, settings) if inputs else None
    even = _bisect(drop) if drop else None
    out.append(
        Scenario(
            "drop_off",
            f"Drop-off +{points}",
            drop(step) if drop else None,
            even,
            _label_share("Drop-off", even, ratio0),
        )
    )

    proxy_even = ONE - ONE / ratio0 if ratio0 is not None and ratio0 > ONE else None
    for cut in PROXY_CUTS:
        out.append(
            Scenario(
                f"proxy-{cut * 100:.0f}",
                f"Proxy values -{cut * 100:.0f}%",
                ratio0 * (ONE - cut) if ratio0 is not None else None,
                proxy_even,
                f"1:1 when proxy values fall by {proxy_even * 100:.1f}%"
                if proxy_even is not None
                else _never(ratio0),
            )
        )
    out.extend(_wellby_scenarios(impact_map, settings, figures))

    def capped(years: int) -> Decimal | None:
        if not inputs:
            return None
        return sum((sum(o.discounted[:years], ZERO) for o in figures.outcomes), ZERO) / inputs

    longest = max((o.duration for o in impact_map.outcomes), default=1)
    needed = next(
        (n for n in range(1, longest + 1) if (r := capped(n)) is not None and r >= ONE), None
    )
    out.append(
        Scenario(
            "duration-1",
            "Every outcome lasts one year",
            capped(1),
            Decimal(needed) if needed is not None else None,
            f"1:1 reached with outcomes lasting {needed} year{'s' if needed != 1 else ''}"
            if needed is not None
            else _never(ratio0),
        )
    )
    return tuple(out)


def _wellby_scenarios(
    impact_map: ImpactMap, settings: Settings, figures: ImpactMapFigures
) -> list[Scenario]:
    """The low and high WELLBY values as two rows, when the map values outcomes in WELLBYs.

    WELLBY outcomes' present value is linear in the value of a WELLBY, so the ratio at
    another value V' is (PV - PV_w + PV_w x V' / V) / inputs."""
    wellby = settings.pricing.wellby
    inputs = impact_map.inputs_total
    pv_w = sum(
        (
            f.present_value
            for o, f in zip(impact_map.outcomes, figures.outcomes, strict=True)
            if o.wellby is not None
        ),
        ZERO,
    )
    if (
        wellby is None
        or not wellby.value
        or not any(o.wellby is not None for o in impact_map.outcomes)
    ):
        return []
    rest = figures.present_value - pv_w
    ratio0 = figures.sroi_ratio
    even: Decimal | None = None
    if inputs and pv_w > 0 and ratio0 is not None and ratio0 > ONE:
        even = wellby.value * (inputs - rest) / pv_w
    symbol = currency_symbol(settings.currency)
    if even is None or even <= 0:
        label = _never(ratio0)
        even = None
    else:
        label = f"1:1 when a WELLBY is valued at {symbol}{even:,.0f}"
    out: list[Scenario] = []
    for key, value in (("wellby-low", wellby.low), ("wellby-high", wellby.high)):
        if value is None:
            continue
        moved = (rest + pv_w * value / wellby.value) / inputs if inputs else None
        word = "low" if key == "wellby-low" else "high"
        out.append(
            Scenario(key, f"WELLBY at its {word} value, {symbol}{value:,.0f}", moved, even, label)
        )
    return out


def tornado(
    impact_map: ImpactMap,
    settings: Settings,
    step: Decimal = DEFAULT_STEP,
    base: ImpactMapFigures | None = None,
) -> tuple[Swing, ...]:
    """One-at-a-time swings for a tornado chart, widest first: each share moved STEP down
    and up (within 0..1), proxy values 10% down and up, and the WELLBY's low and high."""
    figures = base or impact_map_figures(impact_map, settings)
    inputs = impact_map.inputs_total
    if not inputs or figures.sroi_ratio is None:
        return ()
    swings: list[Swing] = []
    points = f"{step * 100:.0f}"
    grosses = _grosses(impact_map, settings)
    for field, name in SHARES:
        c, s = _linear(impact_map, grosses, field)
        a, b = _share_ratio(c, s, inputs, -step), _share_ratio(c, s, inputs, step)
        swings.append(Swing(field, f"{name} ±{points} points", min(a, b), max(a, b)))
    drop = _drop_ratio(impact_map, settings)
    a, b = drop(-step), drop(step)
    swings.append(Swing("drop_off", f"Drop-off ±{points} points", min(a, b), max(a, b)))
    cut = PROXY_CUTS[0]
    a, b = figures.sroi_ratio * (ONE - cut), figures.sroi_ratio * (ONE + cut)
    swings.append(Swing("proxy", f"Proxy values ±{cut * 100:.0f}%", a, b))
    rows = {s.key: s for s in _wellby_scenarios(impact_map, settings, figures)}
    if "wellby-low" in rows and "wellby-high" in rows:
        a, b = rows["wellby-low"].sroi_ratio or ZERO, rows["wellby-high"].sroi_ratio or ZERO
        swings.append(Swing("wellby", "WELLBY value, low to high", min(a, b), max(a, b)))
    return tuple(sorted(swings, key=lambda s: (-(s.high - s.low), s.key)))


def _label_share(name: str, even: Decimal | None, base: Decimal | None) -> str:
    if even is None:
        return _never(base)
    return f"1:1 when {name.lower()} rises by {even * 100:.1f} points"


def _never(base: Decimal | None) -> str:
    if base is None:
        return "no ratio: the inputs are zero"
    if base <= ONE:
        return "already at or below 1:1"
    return "stays above 1:1"
