"""Sensitivity: the SROI ratio with one assumption moved, and its break-even point (1:1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from svqm_cli.calc.sroi import ONE, ZERO, ImpactMap, Outcome, Settings, impact_map_figures

DEFAULT_STEP = Decimal("0.10")
_ITERATIONS = 48  # bisection steps: 2**-48 of a share is far below the 4 decimals shown


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    sroi_ratio: Decimal | None
    break_even: Decimal | None  # the assumption's value at which the ratio is 1:1
    break_even_label: str


def _ratio(
    impact_map: ImpactMap, settings: Settings, change: Callable[[Outcome], Outcome]
) -> Decimal | None:
    changed = replace(impact_map, outcomes=tuple(change(o) for o in impact_map.outcomes))
    return impact_map_figures(changed, settings).sroi_ratio


def _raise_share(field: str, points: Decimal) -> Callable[[Outcome], Outcome]:
    def change(outcome: Outcome) -> Outcome:
        value: Decimal = getattr(outcome, field)
        changes: dict[str, Any] = {field: min(ONE, value + points)}
        return replace(outcome, **changes)

    return change


def _scale_proxies(factor: Decimal) -> Callable[[Outcome], Outcome]:
    return lambda o: replace(o, value=o.value * factor)


def _cap_duration(years: int) -> Callable[[Outcome], Outcome]:
    return lambda o: replace(o, duration=min(o.duration, years))


def _share_break_even(impact_map: ImpactMap, settings: Settings, field: str) -> Decimal | None:
    """Points to add to every outcome's FIELD for the ratio to fall to 1; None if never."""
    low, high = ZERO, ONE
    start = _ratio(impact_map, settings, _raise_share(field, low))
    end = _ratio(impact_map, settings, _raise_share(field, high))
    if start is None or end is None or start <= ONE or end > ONE:
        return None
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        ratio = _ratio(impact_map, settings, _raise_share(field, middle))
        if ratio is not None and ratio > ONE:
            low = middle
        else:
            high = middle
    return high


def scenarios(
    impact_map: ImpactMap, settings: Settings, step: Decimal = DEFAULT_STEP
) -> tuple[Scenario, ...]:
    base = impact_map_figures(impact_map, settings).sroi_ratio
    points = f"{step * 100:.0f} points"
    out: list[Scenario] = []
    for field, name in (
        ("deadweight", "Deadweight"),
        ("attribution", "Attribution"),
        ("displacement", "Displacement"),
        ("drop_off", "Drop-off"),
    ):
        even = _share_break_even(impact_map, settings, field)
        out.append(
            Scenario(
                key=field,
                label=f"{name} +{points}",
                sroi_ratio=_ratio(impact_map, settings, _raise_share(field, step)),
                break_even=even,
                break_even_label=(
                    f"1:1 when {name.lower()} rises by {even * 100:.1f} points"
                    if even is not None
                    else _never(base)
                ),
            )
        )
    proxy_break_even = ONE - ONE / base if base is not None and base > ONE else None
    for cut in (Decimal("0.10"), Decimal("0.25")):
        out.append(
            Scenario(
                key=f"proxy-{cut * 100:.0f}",
                label=f"Proxy values -{cut * 100:.0f}%",
                sroi_ratio=_ratio(impact_map, settings, _scale_proxies(ONE - cut)),
                break_even=proxy_break_even,
                break_even_label=(
                    f"1:1 when proxy values fall by {proxy_break_even * 100:.1f}%"
                    if proxy_break_even is not None
                    else _never(base)
                ),
            )
        )
    longest = max((o.duration for o in impact_map.outcomes), default=1)
    needed = next(
        (
            n
            for n in range(1, longest + 1)
            if (r := _ratio(impact_map, settings, _cap_duration(n))) is not None and r >= ONE
        ),
        None,
    )
    out.append(
        Scenario(
            key="duration-1",
            label="Every outcome lasts one year",
            sroi_ratio=_ratio(impact_map, settings, _cap_duration(1)),
            break_even=Decimal(needed) if needed is not None else None,
            break_even_label=(
                f"1:1 reached with outcomes lasting {needed} year{'s' if needed != 1 else ''}"
                if needed is not None
                else _never(base)
            ),
        )
    )
    return tuple(out)


def _never(base: Decimal | None) -> str:
    if base is None:
        return "no ratio: the inputs are zero"
    if base <= ONE:
        return "already at or below 1:1"
    return "stays above 1:1"
