"""Totals by measure code and by a catalogue's themes (spec §5.5): what contracts committed
and delivered, and the present value of outcomes whose proxy is linked to a measure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import items, mapping, text
from svqm_cli.calc.commitments import ContractFigures, MeasureRef
from svqm_cli.calc.sroi import ZERO, ImpactMapFigures
from svqm_cli.reading.pack import Pack

MAP_KINDS = ("forecast", "evaluation")


@dataclass(frozen=True)
class Catalogue:
    framework: str
    name: str
    version: str
    licence: str
    themes: dict[str, str]  # id -> name, in the catalogue's order
    measures: dict[str, Mapping[str, Any]]  # code -> its entry


@dataclass
class _Sum:
    commitments: int = 0
    target: Decimal = ZERO
    delivered: Decimal = ZERO
    value_committed: Decimal | None = None
    value_delivered: Decimal | None = None
    present_value: dict[str, Decimal | None] = field(
        default_factory=lambda: dict.fromkeys(MAP_KINDS)
    )


@dataclass(frozen=True)
class MeasureTotal:
    framework: str
    version: str | None  # the catalogue's version, or the one the pack names
    code: str
    title: str  # from the catalogue; '' when the code is in none
    unit: str
    theme: str | None
    commitments: int
    target: Decimal  # what the commitments with this code promise, in total
    delivered: Decimal
    value_committed: Decimal | None
    value_delivered: Decimal | None
    present_value: dict[str, Decimal | None]  # forecast / evaluation outcomes linked to it


@dataclass(frozen=True)
class ThemeTotal:
    framework: str
    version: str
    catalogue: str  # the framework's name
    id: str
    name: str
    commitments: int
    value_committed: Decimal | None
    value_delivered: Decimal | None
    present_value: dict[str, Decimal | None]


@dataclass(frozen=True)
class MeasureBreakdown:
    catalogues: tuple[Catalogue, ...]
    measures: tuple[MeasureTotal, ...]
    themes: tuple[ThemeTotal, ...]


def catalogue_of(data: Mapping[str, Any]) -> Catalogue:
    framework = mapping(data, "framework")
    return Catalogue(
        framework=text(framework, "id") or "",
        name=text(framework, "name") or "",
        version=text(framework, "version") or "",
        licence=text(data, "licence") or "",
        themes={t["id"]: text(t, "name") or t["id"] for _, t in items(data, "themes")},
        measures={m["code"]: m for _, m in items(data, "measures") if text(m, "code")},
    )


def _find(ref: MeasureRef, catalogues: Iterable[Catalogue]) -> Catalogue | None:
    for catalogue in catalogues:
        same = catalogue.framework == ref.framework and ref.version in (None, catalogue.version)
        if same and ref.code in catalogue.measures:
            return catalogue
    return None


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a if b is None else (b if a is None else a + b)


def measure_breakdown(
    catalogue_docs: Iterable[Mapping[str, Any]],
    contracts: Iterable[ContractFigures],
    outcomes: Iterable[tuple[str, MeasureRef, Decimal]],
) -> MeasureBreakdown | None:
    """Totals by code and theme; OUTCOMES are (impact map kind, measure, present value).
    None when nothing in the pack names a measure."""
    catalogues = sorted(
        (catalogue_of(d) for d in catalogue_docs), key=lambda c: (c.framework, c.version)
    )
    sums: dict[tuple[str, str | None, str], _Sum] = {}
    where: dict[tuple[str, str | None, str], Catalogue | None] = {}

    def slot(ref: MeasureRef) -> _Sum:
        catalogue = _find(ref, catalogues)
        key = (ref.framework, catalogue.version if catalogue else ref.version, ref.code)
        where.setdefault(key, catalogue)
        return sums.setdefault(key, _Sum())

    for contract in contracts:
        for c in contract.commitments:
            if c.measure is None:
                continue
            s = slot(c.measure)
            s.commitments += 1
            s.target += c.target
            s.delivered += c.delivered
            s.value_committed = _add(s.value_committed, c.value_committed)
            s.value_delivered = _add(s.value_delivered, c.value_delivered)
    for kind, ref, present_value in outcomes:
        s = slot(ref)
        s.present_value[kind] = _add(s.present_value[kind], present_value)
    if not sums:
        return None
    measures: list[MeasureTotal] = []
    themes: dict[tuple[str, str, str], _Sum] = {}
    for key in sorted(sums, key=lambda k: (k[0], k[1] or "", k[2])):
        s, catalogue = sums[key], where[key]
        entry: Mapping[str, Any] = catalogue.measures[key[2]] if catalogue else {}
        theme = text(entry, "theme")
        measures.append(
            MeasureTotal(
                framework=key[0],
                version=key[1],
                code=key[2],
                title=text(entry, "title") or "",
                unit=text(entry, "unit") or "",
                theme=theme,
                commitments=s.commitments,
                target=s.target,
                delivered=s.delivered,
                value_committed=s.value_committed,
                value_delivered=s.value_delivered,
                present_value=s.present_value,
            )
        )
        if catalogue and theme:
            t = themes.setdefault((catalogue.framework, catalogue.version, theme), _Sum())
            t.commitments += s.commitments
            t.value_committed = _add(t.value_committed, s.value_committed)
            t.value_delivered = _add(t.value_delivered, s.value_delivered)
            for kind in MAP_KINDS:
                t.present_value[kind] = _add(t.present_value[kind], s.present_value[kind])
    theme_totals = []
    for catalogue in catalogues:  # the catalogue's own order of themes
        for theme_id, name in catalogue.themes.items():
            got = themes.get((catalogue.framework, catalogue.version, theme_id))
            if got is None:
                continue
            theme_totals.append(
                ThemeTotal(
                    framework=catalogue.framework,
                    version=catalogue.version,
                    catalogue=catalogue.name,
                    id=theme_id,
                    name=name,
                    commitments=got.commitments,
                    value_committed=got.value_committed,
                    value_delivered=got.value_delivered,
                    present_value=got.present_value,
                )
            )
    return MeasureBreakdown(tuple(catalogues), tuple(measures), tuple(theme_totals))


def linked_outcomes(
    pack: Pack, maps: Iterable[ImpactMapFigures]
) -> list[tuple[str, MeasureRef, Decimal]]:
    """(kind, measure, present value) for each outcome whose proxy names a measure."""
    linked: dict[str, MeasureRef] = {}
    for doc in pack.of_kind("proxies"):
        for proxy in doc.data["proxies"]:
            measure = proxy.get("measure")
            if isinstance(measure, dict):
                linked.setdefault(
                    proxy["id"],
                    MeasureRef(measure["framework"], measure["code"], measure.get("version")),
                )
    proxy_of = {
        raw["id"]: raw.get("proxy")
        for kind in MAP_KINDS
        for doc in pack.of_kind(kind)
        for raw in doc.data["outcomes"]
    }
    out: list[tuple[str, MeasureRef, Decimal]] = []
    for figures in maps:
        for o in figures.outcomes:
            proxy = proxy_of.get(o.id)
            if isinstance(proxy, str) and proxy in linked:
                out.append((figures.kind, linked[proxy], o.present_value))
    return out
