"""Everything a report shows, gathered once from the pack, its findings and its figures.

Templates (HTML, Markdown) and the Word writer all read this one structure. `build` asks
one small builder per part of the report (cover, pledges, stakeholders, value, framework
and case studies, provenance) for its values; render/sections.py says which sections show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from svqm_cli import __version__
from svqm_cli.base.accessors import (
    fields,
    items,
    mapping,
    scrub,
    shown,
    texts,
    whole_numbers,
)
from svqm_cli.base.vocabulary import MARMOT, SDGS, THEME_NAMES, level_label, parse_level
from svqm_cli.calc.report import ValueReport
from svqm_cli.calc.sroi import DEFAULT_DISCOUNT_RATE
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reading.pack import Pack
from svqm_cli.render import charts, commitments
from svqm_cli.render.fields import case_study, framework, health, stakeholder
from svqm_cli.render.figures import impact_map, valuation
from svqm_cli.render.provenance import evidence_index, git_commit, report_date
from svqm_cli.reporters.numbers import money, number, rate, ratio, share

LEVEL_TITLES = {
    1: "Social value pledges",
    2: "Social value forecast",
    3: "Social value report",
    4: "Organisation-wide social value report",
}
SCHEMES = {"core": "Social Value Quality Mark", "health": "SVQM Health Award"}


@dataclass
class ReportContext:
    """Plain values, ready to print: money and ratios already formatted."""

    level: int
    title: str
    draft: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """What the builders read: the pack, its findings and (for a valid pack) its figures."""

    pack: Pack
    validation: ValidationReport
    value: ValueReport | None

    @cached_property
    def config(self) -> dict[str, Any]:
        doc = self.pack.pack_document
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    @property
    def currency(self) -> str:
        return self.value.settings.currency if self.value else "GBP"

    @cached_property
    def level(self) -> int:
        return parse_level(mapping(self.config, "award").get("level")) or self.validation.level

    def docs(self, kind: str) -> list[dict[str, Any]]:
        return [d.data for d in self.pack.of_kind(kind) if isinstance(d.data, dict)]

    def entries(self, kind: str) -> list[dict[str, Any]]:
        """The items of every document of a list kind (pledges, stakeholders, proxies)."""
        return [item for d in self.docs(kind) for _, item in items(d, kind)]

    @cached_property
    def themes(self) -> dict[str, str]:
        if "themes" not in self.config:
            return dict(THEME_NAMES)
        return {shown(t, "id"): shown(t, "name") for _, t in items(self.config, "themes")}

    @cached_property
    def stakeholder_names(self) -> dict[str, str]:
        return {shown(s, "id"): shown(s, "name") for s in self.entries("stakeholders")}


def _cover(src: Source) -> dict[str, Any]:
    award = mapping(src.config, "award")
    period = fields(mapping(award, "period"), "start", "end")
    scheme = shown(award, "scheme") or "core"
    org_fields = ("name", "type", "parent", "region", "integrated_care_system")
    title = LEVEL_TITLES.get(src.level, "Social value report")
    return {
        "title": title,
        "organisation": fields(mapping(src.config, "organisation"), *org_fields),
        "level_label": level_label(src.level),
        "scheme": scheme,
        "scheme_name": SCHEMES.get(scheme, scheme),
        "period": period,
        "date": report_date(period.get("end")),
        "health": health(mapping(src.config, "health")) if scheme == "health" else None,
    }


def _target(t: dict[str, Any], progress: Any) -> dict[str, Any]:
    return {
        **fields(t, "measure", "quantity", "unit", "due", "baseline"),
        "actual": number(progress.actual) if progress else "-",
        "as_of": (progress.as_of or "-") if progress else "-",
        "status": progress.status if progress else "no data",
    }


def _pledges(src: Source) -> dict[str, Any]:
    progress = {(p.pledge, p.measure): p for p in (src.value.progress if src.value else ())}
    pledges = []
    for p in src.entries("pledges"):
        ident, theme = shown(p, "id"), shown(p, "theme")
        targets = [
            _target(t, progress.get((ident, shown(t, "measure")))) for _, t in items(p, "targets")
        ]
        pledges.append(
            {
                **fields(p, "id", "title", "commitment", "owner"),
                "theme": src.themes.get(theme) or theme,
                "targets": targets,
                "sdgs": [f"{n}. {SDGS.get(n, '?')}" for n in whole_numbers(p.get("sdgs"))],
                "marmot": [f"{n}. {MARMOT.get(n, '?')}" for n in whole_numbers(p.get("marmot"))],
                "toms": texts(p, "toms"),
            }
        )
    return {
        "pledges": pledges,
        "stakeholders": [stakeholder(s) for s in src.entries("stakeholders")],
    }


def _totals(value: ValueReport, cur: str) -> dict[str, dict[str, str]]:
    return {
        kind: {
            "inputs": money(t.inputs_total, cur),
            "present_value": money(t.present_value, cur),
            "net_present_value": money(t.net_present_value, cur),
            "ratio": ratio(t.sroi_ratio, cur),
        }
        for kind, t in value.totals.items()
        if t is not None
    }


def _charts(value: ValueReport, cur: str, names: dict[str, str]) -> dict[str, str]:
    source = value.breakdowns.get("evaluation") or value.breakdowns.get("forecast")
    if source is None:
        return {"theme": "", "stakeholder": ""}
    by_stakeholder = [(names.get(str(s.id), s.name), s.present_value) for s in source.stakeholder]
    return {
        "theme": charts.bars([(s.name, s.present_value) for s in source.theme], cur),
        "stakeholder": charts.bars(by_stakeholder, cur),
    }


def _value(src: Source) -> dict[str, Any]:
    value, cur = src.value, src.currency
    raw_maps = {shown(d, "id"): d for kind in ("forecast", "evaluation") for d in src.docs(kind)}
    proxies = {shown(p, "id"): p for p in src.entries("proxies")}
    names = src.stakeholder_names
    maps = [
        impact_map(m, cur, raw_maps.get(m.figures.id, {}), proxies, names)
        for m in (value.maps if value else ())
    ]
    lm3 = [
        {
            "id": x.id,
            "area": x.local_area,
            "round_1": money(x.round_1, cur, False),
            "round_2": money(x.round_2, cur, False),
            "round_3": money(x.round_3, cur, False),
            "score": "-" if x.score is None else f"{x.score:.2f}",
            "local_share": share(x.local_share),
        }
        for x in (value.lm3 if value else ())
    ]
    settings = {
        "discount_rate": rate(value.settings.discount_rate if value else DEFAULT_DISCOUNT_RATE),
        "discount_first_year": value.settings.discount_first_year if value else True,
        "currency": cur,
        "step": f"{value.step * 100:.0f}" if value else "10",
        "valuation": valuation(value) if value else valuation(None),
    }
    return {
        "maps": maps,
        "totals": _totals(value, cur) if value else {},
        "charts": _charts(value, cur, names) if value else {"theme": "", "stakeholder": ""},
        "chart_kind": "evaluations"
        if value and value.breakdowns.get("evaluation")
        else "forecasts",
        "lm3": lm3,
        "settings": settings,
    }


def _narrative(src: Source) -> dict[str, Any]:
    found = src.docs("framework")
    return {
        "framework": framework(found[0]) if found else None,
        "case_studies": [case_study(c) for c in src.docs("case-study")],
    }


def _provenance(src: Source) -> dict[str, Any]:
    return {
        "evidence": evidence_index(src.pack),
        "findings": [f.to_dict() for f in src.validation.findings],
        "version": __version__,
        "commit": git_commit(src.pack.root),
    }


def _commitments(src: Source) -> dict[str, Any]:
    return commitments.section(src.value, src.docs("commitments"), src.currency)


BUILDERS = (_cover, _pledges, _value, _commitments, _narrative, _provenance)


def build(
    pack: Pack, validation: ValidationReport, value: ValueReport | None, draft: bool
) -> ReportContext:
    """The report's values for PACK: findings always, figures when VALUE is given."""
    src = Source(pack, validation, value)
    data: dict[str, Any] = {}
    for builder in BUILDERS:
        data.update(builder(src))
    data["headline"] = _headline(data["totals"], data["pledges"], data["maps"])
    return ReportContext(level=src.level, title=data["title"], draft=draft, data=scrub(data))


def _headline(
    totals: dict[str, dict[str, str]], pledges: list[dict[str, Any]], maps: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    rows = [
        ("Pledges", str(len(pledges))),
        ("Targets", str(sum(len(p["targets"]) for p in pledges))),
    ]
    met = sum(1 for p in pledges for t in p["targets"] if t["status"] == "met")
    if met:
        rows.append(("Targets met", str(met)))
    for kind in ("evaluation", "forecast"):
        t = totals.get(kind)
        if t:
            label = "Measured" if kind == "evaluation" else "Forecast"
            rows += [
                (f"{label} social value (present value)", t["present_value"]),
                (f"{label} investment", t["inputs"]),
                (f"{label} SROI ratio", t["ratio"]),
            ]
    if maps:
        rows.append(("Impact maps", str(len(maps))))
    return rows
