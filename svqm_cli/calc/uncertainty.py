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
_BATCH = 16  # maps drawn in one job
_WORKER_FROM = 32  # maps: from here a worker process draws beside the Decimal work


def _central(o: Outcome, name: str) -> float:
    if name == "proxy":
        return 1.0
    return float(getattr(o, name))


@dataclass(frozen=True)
class _Timing:
    """What the discounted years of an outcome with a drawn drop-off or duration need."""

    rate: float  # 1 + r
    shift: int  # k: years of discounting before the first
    drop_off: float
    duration: float


@dataclass(frozen=True)
class Plan:
    """One impact map's draws, as plain numbers: built here from the exact figures, small
    enough to hand to a worker process in microseconds."""

    stream: tuple[int, int]  # the generator's seed: [settings.seed, crc32(map id)]
    draws: int
    inputs: float
    fixed: float  # the present value of the outcomes without a range
    fields: tuple[str, ...]  # per drawn input, outcome by outcome
    lows: tuple[float, ...]
    modes: tuple[float, ...]
    highs: tuple[float, ...]
    starts: tuple[int, ...]  # each drawn outcome's first row
    bases: tuple[float, ...]  # each drawn outcome's product of what is not drawn
    timings: tuple[_Timing | None, ...]  # per drawn outcome, when its years are drawn


def _years(np: Any, t: _Timing, drop: Any, duration: Any) -> Any:
    """sum over t = 1..n of (1-o)^(t-1) / (1+r)^(t+k), for arrays of drop-off and years."""
    keep = (1.0 - drop) / t.rate
    years = np.rint(duration)
    same = keep == 1.0
    total = np.where(same, years, (1.0 - keep**years) / np.where(same, 1.0, 1.0 - keep))
    return total / t.rate ** (1 + t.shift)


def _years_here(t: _Timing) -> float:
    """_years for one outcome whose drop-off and duration are not drawn, in plain floats."""
    keep = (1.0 - t.drop_off) / t.rate
    years = round(t.duration)  # half to even, as numpy's rint
    total = years if keep == 1.0 else (1.0 - keep**years) / (1.0 - keep)
    return float(total / t.rate ** (1 + t.shift))


def plan(impact_map: ImpactMap, figures: ImpactMapFigures, settings: Settings) -> Plan | None:
    """The map's draws; None when the map has no ratio (zero inputs) or nothing to draw."""
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
    rate = 1.0 + float(settings.discount_rate)
    fields: list[str] = []
    lows: list[float] = []
    modes: list[float] = []
    highs: list[float] = []
    starts: list[int] = []
    bases: list[float] = []
    timings: list[_Timing | None] = []
    for _, o, rs in drawn:
        starts.append(len(fields))
        for r in rs:
            # rules SV232/SV233 keep low <= central <= high; if switched off, never crash
            low, high = float(min(r.low, r.high)), float(max(r.low, r.high))
            fields.append(r.field)
            lows.append(low)
            modes.append(min(max(_central(o, r.field), low), high))
            highs.append(high)
        given = {r.field for r in rs}
        base = float(o.sign * o.value)  # a negative outcome's draws count against the total
        for name in LINEAR:
            if name not in given:
                central = _central(o, name)
                base *= 1.0 - central if name in SHARES else central
        shift = (1 if o.start == 2 else 0) - (0 if settings.discount_first_year else 1)
        timing = _Timing(rate, shift, float(o.drop_off), float(o.duration))
        if "drop_off" in given or "duration" in given:
            timings.append(timing)
        else:
            timings.append(None)
            base *= _years_here(timing)
        bases.append(base)
    return Plan(
        (settings.seed, zlib.crc32(impact_map.id.encode("utf-8"))),
        settings.draws,
        inputs,
        fixed,
        tuple(fields),
        tuple(lows),
        tuple(modes),
        tuple(highs),
        tuple(starts),
        tuple(bases),
        tuple(timings),
    )


def draw_ratios(p: Plan) -> Any:
    """The map's SROI ratio in each draw."""
    import numpy as np

    rng = np.random.Generator(np.random.PCG64(list(p.stream)))
    rows = len(p.fields)
    samples = np.empty((rows, p.draws))
    for k in range(rows):
        # one row at a time with scalar bounds: numpy's fast path (no broadcasting)
        samples[k] = rng.triangular(p.lows[k], p.modes[k], p.highs[k], size=p.draws)
    # Linear inputs multiply: x for quantity and proxy factor, (1 - x) for a share.
    nonlinear = any(f not in LINEAR for f in p.fields)
    factors = samples.copy() if nonlinear else samples  # drop-off and years are read later
    for k, field in enumerate(p.fields):
        if field in SHARES:
            np.subtract(1.0, factors[k], out=factors[k])
        elif field not in LINEAR:
            factors[k] = 1.0
    # Each drawn outcome's factors are multiplied into its first row, in place (a copy of
    # one row per outcome would move 80 KB per outcome for nothing).
    ends = (*p.starts[1:], rows)
    for first, end, timing in zip(p.starts, ends, p.timings, strict=True):
        for k in range(first + 1, end):
            np.multiply(factors[first], factors[k], out=factors[first])
        if timing is not None:
            given = {p.fields[k]: k for k in range(first, end)}
            drop = samples[given["drop_off"]] if "drop_off" in given else timing.drop_off
            years = samples[given["duration"]] if "duration" in given else timing.duration
            factors[first] *= _years(np, timing, np.asarray(drop, float), np.asarray(years, float))
    weights = np.zeros(rows)  # each outcome's base on its first row, 0 on the rest
    weights[list(p.starts)] = p.bases
    present = p.fixed + weights @ factors
    return present / p.inputs


def _exact(x: Any) -> Decimal:
    return Decimal(repr(float(x)))


def _summary(p: Plan) -> Uncertainty:
    """One map's draws, summarised at once: only five numbers are kept per map."""
    import numpy as np

    ratios = draw_ratios(p)
    p5, p50, p95 = np.percentile(ratios, PERCENTILES)
    below = np.count_nonzero(ratios < 1.0) / p.draws
    return Uncertainty(p.draws, _exact(p5), _exact(p50), _exact(p95), _exact(below), len(p.fields))


def _summaries(plans: list[Plan]) -> list[Uncertainty]:
    return [_summary(p) for p in plans]


class Simulation:
    """Maps drawn as they are added, in batches, by a worker process while the caller goes
    on with the exact Decimal figures of the next maps; at the end this process draws the
    batches the worker has not started. (Threads would share the interpreter lock with the
    Decimal work, and numpy gives it up and takes it back thousands of times a map.) Each
    map has its own generator, so the figures do not depend on who draws it. Use as a
    context manager; ``results()`` are in the order the maps were added."""

    def __init__(self, settings: Settings, maps: int) -> None:
        self._settings = settings
        self._pool = _pool(maps)
        self._out: list[Uncertainty | None] = []
        self._batch: list[tuple[int, Plan]] = []
        self._jobs: list[tuple[Any, list[tuple[int, Plan]]]] = []
        self.ranged = False  # whether any outcome added gives a range

    def __enter__(self) -> Simulation:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def add(self, impact_map: ImpactMap, figures: ImpactMapFigures) -> None:
        if not self.ranged:
            self.ranged = any(r.low != r.high for o in impact_map.outcomes for r in o.ranges)
        drawn = plan(impact_map, figures, self._settings)
        if drawn is None:
            self._out.append(_collapsed(figures, self._settings.draws, impact_map.inputs_total))
            return
        self._out.append(None)
        self._batch.append((len(self._out) - 1, drawn))
        if len(self._batch) >= _BATCH:
            self._submit()

    def _submit(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        plans = [p for _, p in batch]
        try:
            job = self._pool.submit(_summaries, plans)
        except (OSError, RuntimeError):  # no worker could start (a sandbox): draw here
            job = _Now(_summaries(plans))
        self._jobs.append((job, batch))

    def results(self) -> list[Uncertainty]:
        self._submit()
        # the batches the worker has not started are drawn here, from the last one back
        for index in range(len(self._jobs) - 1, -1, -1):
            job, batch = self._jobs[index]
            if not job.cancel():
                break
            self._jobs[index] = (_Now(_summaries([p for _, p in batch])), batch)
        for job, batch in self._jobs:
            try:
                found = job.result()
            except (OSError, RuntimeError):  # the worker died: draw its batch here
                found = _summaries([p for _, p in batch])
            for (slot, _), u in zip(batch, found, strict=True):
                self._out[slot] = u
        return [u for u in self._out if u is not None]


def simulate_maps(
    maps: list[tuple[ImpactMap, ImpactMapFigures]], settings: Settings
) -> list[Uncertainty]:
    """Uncertainty of each map, in order."""
    with Simulation(settings, len(maps)) as simulation:
        for impact_map, figures in maps:
            simulation.add(impact_map, figures)
        return simulation.results()


class _Now:
    """A job done in this process."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def cancel(self) -> bool:
        return False

    def result(self) -> Any:
        return self._value


class _Here:
    """The pool's interface, run in this process (few maps: a worker would only cost)."""

    def submit(self, fn: Any, *args: Any) -> _Now:
        return _Now(fn(*args))

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        return None


def _pool(maps: int) -> Any:
    """One worker process for many maps, forked (so it starts in milliseconds with svqm
    already loaded) where the system can; otherwise everything is drawn here."""
    import multiprocessing

    if maps < _WORKER_FROM or (os.cpu_count() or 1) < 2:
        return _Here()
    if "fork" not in multiprocessing.get_all_start_methods():
        return _Here()
    from concurrent.futures import ProcessPoolExecutor

    import numpy  # noqa: F401 (loaded once, before the fork: the worker starts drawing at once)

    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    except (OSError, RuntimeError, ValueError):
        return _Here()


def simulate(impact_map: ImpactMap, figures: ImpactMapFigures, settings: Settings) -> Uncertainty:
    """p5, p50 and p95 of the map's SROI ratio over the draws, and the share below 1:1."""
    return simulate_maps([(impact_map, figures)], settings)[0]


def _collapsed(figures: ImpactMapFigures, draws: int, inputs: Decimal) -> Uncertainty:
    """Nothing to draw: every draw is the central ratio (or none without inputs)."""
    r = figures.sroi_ratio if inputs else None
    below = None if r is None else Decimal(1 if r < ONE else 0)
    return Uncertainty(draws, r, r, r, below)
