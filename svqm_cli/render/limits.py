"""The report's limits: nobody reads 10,000 outcome rows, or 500 detailed services, in a PDF.

Per impact map, a report lists every outcome up to the limit (`svqm render --max-rows`,
200 by default; 0 lists them all). Beyond it, it lists the largest outcomes by present
value (by size, so a large negative outcome is shown too; ties by id), largest first, and
adds the totals of all the map's outcomes by stakeholder and by theme, with a line saying
how many rows are left out and that `svqm export` has them all. Pure: Decimal in, plain
rows out, the same order every run.

The impact-map limit is its counterpart one level up (`svqm render --max-maps`, 50 by
default; 0 gives every map a detailed section). Every impact map keeps its row in the
report's overview tables and its share of every total; the detailed sections (inputs,
outcome table, sensitivity, tornado chart, forecast against actual, theory of change,
materiality) are written for the LIMIT largest maps by present value (by size, ties by
id), in the report's usual order, and a line says how many maps have none, the present
value they hold and that `svqm export` has every map outcome by outcome.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from svqm_cli.base.vocabulary import THEME_NAMES
from svqm_cli.reporters.numbers import money

if TYPE_CHECKING:
    from svqm_cli.calc.sroi import ImpactMapFigures

DEFAULT_MAX_ROWS = 200
DEFAULT_MAX_MAPS = 50
NO_THEME = "No pledge or theme"


@dataclass(frozen=True)
class Row:
    """What the selection needs to know of one outcome."""

    id: str
    stakeholder: str  # its name, as the report shows it
    theme: str
    present_value: Decimal


@dataclass(frozen=True)
class Group:
    name: str
    outcomes: int
    present_value: Decimal


@dataclass(frozen=True)
class Selection:
    shown: tuple[int, ...]  # indexes into the rows given, in the order to list them
    left_out: int
    left_out_value: Decimal  # the present value of the rows left out
    by_stakeholder: tuple[Group, ...] = ()  # over every outcome of the map, largest first
    by_theme: tuple[Group, ...] = ()


def select(rows: Sequence[Row], limit: int) -> Selection:
    """Every row when there are at most LIMIT (or LIMIT is 0), in their own order; else the
    LIMIT largest by present value, largest first, and the totals of all of them."""
    if limit <= 0 or len(rows) <= limit:
        return Selection(tuple(range(len(rows))), 0, Decimal(0))
    order = sorted(range(len(rows)), key=lambda i: (-abs(rows[i].present_value), rows[i].id))
    shown, rest = order[:limit], order[limit:]
    return Selection(
        shown=tuple(shown),
        left_out=len(rest),
        left_out_value=sum((rows[i].present_value for i in rest), Decimal(0)),
        by_stakeholder=_totals(rows, lambda r: r.stakeholder),
        by_theme=_totals(rows, lambda r: r.theme),
    )


def _totals(rows: Sequence[Row], name_of: Any) -> tuple[Group, ...]:
    counts: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    for row in rows:
        name = name_of(row)
        counts[name] = counts.get(name, 0) + 1
        values[name] = values.get(name, Decimal(0)) + row.present_value
    ordered = sorted(values, key=lambda n: (-abs(values[n]), n))
    return tuple(Group(n, counts[n], values[n]) for n in ordered)


@dataclass(frozen=True)
class MapFigures:
    """What the impact-map selection needs to know of one map."""

    id: str
    name: str
    kind: str  # "forecast" or "evaluation"
    present_value: Decimal


@dataclass(frozen=True)
class MapSelection:
    detailed: frozenset[int]  # indexes into the maps given
    left_out: tuple[int, ...]  # indexes of the maps without a detailed section, in order


def select_maps(maps: Sequence[MapFigures], limit: int) -> MapSelection:
    """Every map when there are at most LIMIT (or LIMIT is 0); else the LIMIT largest by
    present value (by size: a large negative value counts; ties by id, then position)."""
    if limit <= 0 or len(maps) <= limit:
        return MapSelection(frozenset(range(len(maps))), ())
    order = sorted(range(len(maps)), key=lambda i: (-abs(maps[i].present_value), maps[i].id, i))
    detailed = frozenset(order[:limit])
    return MapSelection(detailed, tuple(i for i in range(len(maps)) if i not in detailed))


def map_figures(figures: Iterable[ImpactMapFigures]) -> list[MapFigures]:
    return [MapFigures(f.id, f.scope or f.id, f.kind, f.present_value) for f in figures]


def detailed_maps(figures: Sequence[ImpactMapFigures], limit: int) -> frozenset[int]:
    """The positions of the maps select_maps details, from the calculated figures (for
    calc.report.compute, which then works out sensitivity and ranges only for them)."""
    return select_maps(map_figures(figures), limit).detailed


KIND_WORDS = {"forecast": "forecasts", "evaluation": "evaluations"}


def map_note(maps: Sequence[MapFigures], chosen: MapSelection, cur: str) -> dict[str, str] | None:
    """What the report says about the impact maps without a detailed section (None: every
    map has one). Their present value is given by kind, forecasts in whole pounds and
    evaluations in pence, as everywhere else: a forecast and a measured value are not
    added together."""
    if not chosen.left_out:
        return None
    values: dict[str, Decimal] = {}
    for i in chosen.left_out:
        values[maps[i].kind] = values.get(maps[i].kind, Decimal(0)) + maps[i].present_value
    held = " and ".join(
        f"{money(values[kind], cur, kind != 'forecast')} of {KIND_WORDS[kind]}"
        for kind in ("forecast", "evaluation")
        if kind in values
    )
    left, total, shown = len(chosen.left_out), len(maps), len(chosen.detailed)
    maps_word = "impact map" if left == 1 else "impact maps"
    text = (
        f"Only the {shown:,} largest of the {total:,} impact maps by present value have a "
        f"detailed section in this report (inputs, outcomes, sensitivity). The other "
        f"{left:,} {maps_word}, with a present value of {held}, have a row in the overview "
        f"tables and count in every total, but no detailed section."
    )
    short = (
        f"Here, as in every detailed section, only the {shown:,} largest of the {total:,} "
        f"impact maps by present value are shown; the others are in the overview tables "
        f"(see the executive summary)."
    )
    return {
        "shown": f"{shown:,}",
        "left_out": f"{left:,}",
        "short": short,  # the same at the start of the other detailed sections
        "total": f"{total:,}",
        "held": held,
        "text": text,  # the templates add where every outcome is, with `svqm export` as code
        "line": f"{text} svqm export has every impact map outcome by outcome.",
    }


# ----------------------------------------------------------------------------------
# The limit of this render, and the hook into render/figures.py


@dataclass(frozen=True)
class Limit:
    max_rows: int = DEFAULT_MAX_ROWS
    max_maps: int = DEFAULT_MAX_MAPS
    themes: dict[str, str] = field(default_factory=dict)  # pledge id -> its theme's name


_LIMIT: ContextVar[Limit | None] = ContextVar("svqm_row_limit", default=None)


@contextlib.contextmanager
def applied(limit: Limit) -> Iterator[None]:
    """LIMIT for the reports built inside (render/run.py sets it for one render)."""
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def current() -> Limit:
    """The limit of the render in progress (the defaults outside one)."""
    return _LIMIT.get() or Limit()


def outcome_rows(m: Any, rows: list[dict[str, Any]], cur: str) -> dict[str, Any]:
    """The `outcomes` of one impact map's report context (render/figures.py), cut to the
    limit, and `omitted`: what the report says about the rows left out (None: none are).

    M is the map's MapReport; ROWS its outcomes as figures.py formats them, in the same
    order as M's details and figures.
    """
    limit = current()
    keyed = [
        Row(
            id=detail.id,
            stakeholder=str(row.get("stakeholder") or detail.stakeholder),
            theme=limit.themes.get(detail.pledge or "", NO_THEME),
            present_value=figures.present_value,
        )
        for row, detail, figures in zip(rows, m.details, m.figures.outcomes, strict=True)
    ]
    chosen = select(keyed, limit.max_rows)
    shown = [rows[i] for i in chosen.shown]
    if not chosen.left_out:
        return {"outcomes": shown, "omitted": None}
    total = len(rows)
    listed = (
        f"The {len(shown):,} largest of {total:,} outcomes by present value are listed, "
        f"largest first; {chosen.left_out:,} rows are left out (present value "
        f"{money(chosen.left_out_value, cur)})."
    )
    return {
        "outcomes": shown,
        "omitted": {
            "shown": f"{len(shown):,}",
            "left_out": f"{chosen.left_out:,}",
            "total": f"{total:,}",
            "left_out_value": money(chosen.left_out_value, cur),
            "listed": listed,  # the templates add where the rest are
            "line": f"{listed} svqm export has them all.",
            "by_stakeholder": _shown_groups(chosen.by_stakeholder, cur),
            "by_theme": _shown_groups(chosen.by_theme, cur),
        },
    }


def _shown_groups(groups: tuple[Group, ...], cur: str) -> list[dict[str, str]]:
    return [
        {
            "name": g.name,
            "outcomes": f"{g.outcomes:,}",
            "present_value": money(g.present_value, cur),
        }
        for g in groups
    ]


def themes_of(pack: Any) -> dict[str, str]:
    """Pledge id -> the name of its theme (the pack's own `themes:`, else the built-in
    ones), from the pack's pledges."""
    config = pack.pack_document.data if pack.pack_document is not None else None
    config = config if isinstance(config, dict) else {}
    custom = config.get("themes")
    names = (
        {str(t.get("id")): str(t.get("name")) for t in custom if isinstance(t, dict)}
        if isinstance(custom, list)
        else dict(THEME_NAMES)
    )
    out: dict[str, str] = {}
    for doc in pack.of_kind("pledges"):
        pledges = doc.data.get("pledges") if isinstance(doc.data, dict) else None
        for pledge in pledges if isinstance(pledges, list) else []:
            if isinstance(pledge, dict) and isinstance(pledge.get("id"), str):
                theme = pledge.get("theme")
                out[pledge["id"]] = names.get(str(theme), str(theme)) if theme else NO_THEME
    return out
