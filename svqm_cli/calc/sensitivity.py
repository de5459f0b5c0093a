"""Sensitivity: the SROI ratio with one assumption moved, and its break-even point (1:1).

Present value is linear in each outcome's (1 - share) for deadweight, displacement and
attribution, and in its proxy value; a shorter duration keeps a prefix of the discounted
years. So those scenarios come from the base figures without recomputing every outcome,
which keeps `svqm value` quick on packs with thousands of outcomes. Only drop-off, which
compounds, recomputes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from svqm_cli.calc.sroi import (
    ONE,
    ZERO,
    ImpactMap,
    ImpactMapFigures,
    Settings,
    impact_map_figures,
)

DEFAULT_STEP = Decimal("0.10")
_ITERATIONS = 48  # bisection steps: 2**-48 of a share is far below the 4 decimals shown


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    sroi_ratio: Decimal | None
    break_even: Decimal | None  # the assumption's value at which the ratio is 1:1
    break_even_label: str


def _break_even(ratio: Callable[[Decimal], Decimal]) -> Decimal | None:
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


def _linear_share(
    shares: Sequence[Decimal], values: Sequence[Decimal], inputs: Decimal
) -> Callable[[Decimal], Decimal]:
    """Ratio with every share raised by x, from PV_i = c_i x (1 - s_i)."""
    coefficients = [
        pv / (ONE - s) if s < ONE else ZERO for s, pv in zip(shares, values, strict=True)
    ]

    def ratio(x: Decimal) -> Decimal:
        total = sum(
            (c * (ONE - min(ONE, s + x)) for c, s in zip(coefficients, shares, strict=True)), ZERO
        )
        return total / inputs

    return ratio


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
    values = [o.present_value for o in figures.outcomes]
    out: list[Scenario] = []

    for field, name in (
        ("deadweight", "Deadweight"),
        ("attribution", "Attribution"),
        ("displacement", "Displacement"),
    ):
        shares = [getattr(o, field) for o in impact_map.outcomes]
        moved = _linear_share(shares, values, inputs) if inputs else None
        even = _break_even(moved) if moved else None
        out.append(
            Scenario(
                field,
                f"{name} +{points}",
                moved(step) if moved else None,
                even,
                _label_share(name, even, ratio0),
            )
        )

    def drop_ratio(x: Decimal) -> Decimal:
        changed = replace(
            impact_map,
            outcomes=tuple(
                replace(o, drop_off=min(ONE, o.drop_off + x)) for o in impact_map.outcomes
            ),
        )
        return impact_map_figures(changed, settings).present_value / inputs

    even = _break_even(drop_ratio) if inputs else None
    out.append(
        Scenario(
            "drop_off",
            f"Drop-off +{points}",
            drop_ratio(step) if inputs else None,
            even,
            _label_share("Drop-off", even, ratio0),
        )
    )

    proxy_even = ONE - ONE / ratio0 if ratio0 is not None and ratio0 > ONE else None
    for cut in (Decimal("0.10"), Decimal("0.25")):
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
