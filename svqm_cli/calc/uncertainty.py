"""A Monte Carlo range around each impact map's SROI ratio (spec §5.7), vectorised.

Every input an outcome gives a ``range:`` for is drawn from a triangular distribution
(low, central, high), independently, ``draws`` times. The present value of an outcome is

    PV = Q x V x f x (1-d)(1-s)(1-a)(1-l) x c x (1 - q^n) / (1 - q),   q = (1-o) / (1+r)

(f the proxy factor, c = 1 / (1+r)^(1+k) the first year's discount, n the duration, drawn
durations rounded to whole years): a closed form of the yearly sum, so all draws of all
outcomes are a handful of numpy array operations instead of the Decimal engine per draw.
Outcomes without a range keep their exact present value. Floats are used only here, for the
draws and their percentiles; the central figures stay exact Decimal.

Each impact map draws from its own stream, ``PCG64([seed, crc32(map id)])``: the same seed
gives the same bytes every run, and adding a map does not change the others' ranges.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.calc.sroi import ONE, ZERO, ImpactMap, ImpactMapFigures, Outcome, Settings

PERCENTILES = (5, 50, 95)


@dataclass(frozen=True)
class Uncertainty:
    draws: int
    p5: Decimal | None  # None when the inputs are zero (no ratio)
    p50: Decimal | None
    p95: Decimal | None
    share_below_1: Decimal | None
    ranged: int = 0  # how many inputs of the map have a range


LINEAR = ("quantity", "proxy", "deadweight", "displacement", "attribution", "leakage")
SHARES = LINEAR[2:]
_CHUNK = 64  # maps whose ratios are summarised together


def _central(o: Outcome, name: str) -> float:
    if name == "proxy":
        return 1.0
    return float(getattr(o, name))


def _years(np: Any, o: Outcome, settings: Settings, drop: Any, duration: Any) -> Any:
    """sum over t = 1..n of (1-o)^(t-1) / (1+r)^(t+k), for arrays of drop-off and years."""
    rate = 1.0 + float(settings.discount_rate)
    shift = (1 if o.start == 2 else 0) - (0 if settings.discount_first_year else 1)
    keep = (1.0 - drop) / rate
    years = np.rint(duration)
    same = keep == 1.0
    total = np.where(same, years, (1.0 - keep**years) / np.where(same, 1.0, 1.0 - keep))
    return total / rate ** (1 + shift)


def draw_ratios(
    impact_map: ImpactMap, figures: ImpactMapFigures, settings: Settings
) -> tuple[Any, int] | None:
    """The map's SROI ratio in each draw, and how many inputs were drawn; None when the
    map has no ratio (zero inputs) or nothing to draw."""
    import numpy as np

    inputs = float(impact_map.inputs_total)
    drawn = [
        (i, o, [r for r in o.ranges if r.low != r.high]) for i, o in enumerate(impact_map.outcomes)
    ]
    drawn = [(i, o, rs) for i, o, rs in drawn if rs]
    if not inputs or not drawn:
        return None
    skip = {i for i, _, _ in drawn}
    fixed = float(
        sum((f.present_value for i, f in enumerate(figures.outcomes) if i not in skip), ZERO)
    )
    rows = [(j, o, r) for j, (_, o, rs) in enumerate(drawn) for r in rs]
    rng = np.random.Generator(
        np.random.PCG64([settings.seed, zlib.crc32(impact_map.id.encode("utf-8"))])
    )
    draws = settings.draws

    samples = np.empty((len(rows), draws))
    for k, (_, o, r) in enumerate(rows):
        # rules SV232/SV233 keep low <= central <= high; if they are switched off, never crash
        low, high = float(min(r.low, r.high)), float(max(r.low, r.high))
        mode = min(max(_central(o, r.field), low), high)
        # one row at a time with scalar bounds: numpy's fast path (no broadcasting), and
        # the GIL is released while it draws, so maps can be drawn on several threads
        samples[k] = rng.triangular(low, mode, high, size=draws)
    # Linear inputs multiply: x for quantity and proxy factor, (1 - x) for a share.
    nonlinear = any(r.field not in LINEAR for _, _, r in rows)
    factors = samples.copy() if nonlinear else samples  # drop-off and years are read later
    for k, (_, _, r) in enumerate(rows):
        if r.field in SHARES:
            np.subtract(1.0, factors[k], out=factors[k])
        elif r.field not in LINEAR:
            factors[k] = 1.0
    starts = [k for k, row in enumerate(rows) if k == 0 or rows[k - 1][0] != row[0]]
    # Each drawn outcome's factors are multiplied into its first row, in place (a copy of
    # one row per outcome would move 80 KB per outcome for nothing).
    first_rows = set(starts)
    for k, (j, _, _) in enumerate(rows):
        if k not in first_rows:
            np.multiply(factors[starts[j]], factors[k], out=factors[starts[j]])
    bases = []
    for j, (_, o, rs) in enumerate(drawn):
        given = {r.field: k for k, r in enumerate(rs)}
        base = float(o.sign * o.value)  # a negative outcome's draws count against the total
        for name in LINEAR:
            if name not in given:
                central = _central(o, name)
                base *= 1.0 - central if name in SHARES else central
        if "drop_off" in given or "duration" in given:
            first = starts[j]
            drop = samples[first + given["drop_off"]] if "drop_off" in given else o.drop_off
            years = samples[first + given["duration"]] if "duration" in given else o.duration
            drop, years = np.asarray(drop, float), np.asarray(years, float)
            factors[first] *= _years(np, o, settings, drop, years)
        else:
            base *= float(_years(np, o, settings, np.float64(o.drop_off), np.float64(o.duration)))
        bases.append(base)
    weights = np.zeros(len(rows))  # each outcome's base on its first row, 0 on the rest
    weights[starts] = bases
    present = fixed + weights @ factors
    return present / inputs, len(rows)


def _exact(x: Any) -> Decimal:
    return Decimal(repr(float(x)))


def simulate_maps(
    maps: list[tuple[ImpactMap, ImpactMapFigures]], settings: Settings
) -> list[Uncertainty]:
    """Uncertainty of each map; the percentiles of many maps are taken together."""
    import numpy as np

    out: list[Uncertainty | None] = []
    pending: list[tuple[int, Any, int]] = []

    def flush() -> None:
        if not pending:
            return
        stacked = np.vstack([r for _, r, _ in pending])
        p5, p50, p95 = np.percentile(stacked, PERCENTILES, axis=1)
        below = np.count_nonzero(stacked < 1.0, axis=1) / settings.draws
        for row, (index, _, count) in enumerate(pending):
            out[index] = Uncertainty(
                settings.draws,
                _exact(p5[row]),
                _exact(p50[row]),
                _exact(p95[row]),
                _exact(below[row]),
                count,
            )
        pending.clear()

    with _pool(len(maps)) as pool:
        for start in range(0, len(maps), _CHUNK):
            chunk = maps[start : start + _CHUNK]
            results = pool.map(lambda pair: draw_ratios(pair[0], pair[1], settings), chunk)
            for (impact_map, figures), result in zip(chunk, results, strict=True):
                out.append(None)
                if result is None:
                    out[-1] = _collapsed(figures, settings.draws, impact_map.inputs_total)
                    continue
                pending.append((len(out) - 1, *result))
            flush()
    return [u for u in out if u is not None]


class _Serial:
    """The pool's interface, run in this thread (few maps: threads would only cost)."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: Any, items: Any) -> Any:
        return map(fn, items)


def _pool(maps: int) -> Any:
    """Threads for many maps: numpy releases the GIL while it draws and multiplies, and
    each map has its own generator, so the figures are the same whatever the schedule."""
    workers = min(os.cpu_count() or 1, 4)
    if maps < 8 or workers < 2:
        return _Serial()
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=workers)


def simulate(impact_map: ImpactMap, figures: ImpactMapFigures, settings: Settings) -> Uncertainty:
    """p5, p50 and p95 of the map's SROI ratio over the draws, and the share below 1:1."""
    return simulate_maps([(impact_map, figures)], settings)[0]


def _collapsed(figures: ImpactMapFigures, draws: int, inputs: Decimal) -> Uncertainty:
    """Nothing to draw: every draw is the central ratio (or none without inputs)."""
    r = figures.sroi_ratio if inputs else None
    below = None if r is None else Decimal(1 if r < ONE else 0)
    return Uncertainty(draws, r, r, r, below)
