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
    get,
    items,
    mapping,
    scrub,
    shown,
    texts,
    whole_numbers,
)
from svqm_cli.base.vocabulary import MARMOT, SDGS, THEME_NAMES, level_label, parse_level
from svqm_cli.calc.report import ValueReport
from svqm_cli.calc.sroi import DEFAULT_DISCOUNT_RATE, decimal_of
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reading.pack import Pack
from svqm_cli.render import charts, commitments, content, headline, limits
from svqm_cli.render.fields import case_study, framework, health, stakeholder
from svqm_cli.render.figures import Names, impact_map, valuation
from svqm_cli.render.provenance import evidence_index, git_commit, report_date
from svqm_cli.render.words import figure, name_of, period, prose_date, quantity
from svqm_cli.reporters.numbers import money, number, rate, share

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

    @cached_property
    def names(self) -> Names:
        """Every id a reader might otherwise see, with the name they know it by."""
        found: dict[str, str] = {}
        for kind in ("pledges", "stakeholders", "proxies"):
            for entry in self.entries(kind):
                found[shown(entry, "id")] = name_of(entry)
        for kind in ("forecast", "evaluation"):
            for doc in self.docs(kind):
                found[shown(doc, "id")] = shown(mapping(doc, "scope"), "name") or shown(doc, "id")
                for key in ("activities", "outputs", "outcomes"):
                    for _, entry in items(doc, key):
                        found[shown(entry, "id")] = name_of(entry)
        for kind in ("case-study", "procurement", "commitments"):
            for doc in self.docs(kind):
                found[shown(doc, "id")] = name_of(doc)
        found.pop("", None)
        proxies = {shown(p, "id"): p for p in self.entries("proxies")}
        return Names(found, proxies)

    @cached_property
    def map_figures(self) -> list[limits.MapFigures]:
        return limits.map_figures(m.figures for m in (self.value.maps if self.value else ()))

    @cached_property
    def map_selection(self) -> limits.MapSelection:
        """Which impact maps get a detailed section (render/limits.py, --max-maps)."""
        return limits.select_maps(self.map_figures, limits.current().max_maps)

    @cached_property
    def detailed_ids(self) -> frozenset[str] | None:
        """The ids of the impact maps with a detailed section; None: every map has one."""
        if not self.map_selection.left_out:
            return None
        return frozenset(self.map_figures[i].id for i in self.map_selection.detailed)

    @cached_property
    def withheld(self) -> frozenset[str]:
        """Files of case studies without consent to publish: never shown nor listed."""
        return frozenset(
            d.path
            for d in self.pack.of_kind("case-study")
            if not (isinstance(d.data, dict) and d.data.get("consent") is True)
        )


def _cover(src: Source) -> dict[str, Any]:
    award = mapping(src.config, "award")
    period_text = period(mapping(award, "period"))
    date = report_date(shown(mapping(award, "period"), "end") or None)
    scheme = shown(award, "scheme") or "core"
    org_fields = ("name", "type", "parent", "region", "integrated_care_system")
    title = LEVEL_TITLES.get(src.level, "Social value report")
    return {
        "title": title,
        "organisation": fields(mapping(src.config, "organisation"), *org_fields),
        "level_label": level_label(src.level),
        "scheme": scheme,
        "scheme_name": SCHEMES.get(scheme, scheme),
        "period": period_text,
        "date": date,
        "date_text": prose_date(date),
        "health": health(mapping(src.config, "health")) if scheme == "health" else None,
    }


def _target(t: dict[str, Any], progress: Any) -> dict[str, Any]:
    unit = shown(t, "unit")
    return {
        **fields(t, "measure", "unit"),
        "quantity": figure(get(t, "quantity")),
        "target": quantity(get(t, "quantity"), unit),
        "due": prose_date(get(t, "due")),
        "baseline": figure(get(t, "baseline")),
        "actual": number(progress.actual) if progress and progress.actual is not None else "-",
        "as_of": (prose_date(progress.as_of) or "-") if progress else "-",
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


def _charts(value: ValueReport, cur: str, names: dict[str, str]) -> dict[str, str]:
    source = value.breakdowns.get("evaluation") or value.breakdowns.get("forecast")
    if source is None:
        return {"theme": "", "stakeholder": ""}
    by_stakeholder = [(names.get(str(s.id), s.name), s.present_value) for s in source.stakeholder]
    kind = chart_kind(value)
    return {
        "theme": charts.bars(
            [(s.name, s.present_value) for s in source.theme], cur, _chart_title(kind, "theme")
        ),
        "stakeholder": charts.bars(by_stakeholder, cur, _chart_title(kind, "stakeholder")),
    }


def chart_kind(value: ValueReport | None) -> str:
    return "evaluations" if value and value.breakdowns.get("evaluation") else "forecasts"


def _chart_title(kind: str, by: str) -> str:
    """A chart's accessible name, its caption in HTML and Markdown and its Word alt text."""
    return f"Present value of {kind} by {by}"


def _lm3(src: Source) -> list[dict[str, Any]]:
    """Each LM3 with how it was found: the area, the rounds and the survey behind round 3."""
    cur = src.currency
    docs = {shown(d, "id"): d for d in src.docs("procurement")}
    out = []
    for x in src.value.lm3 if src.value else ():
        doc = docs.get(x.id, {})
        respend = mapping(doc, "respend")
        out.append(
            {
                "id": x.id,
                "area": x.local_area,
                "period": period(mapping(doc, "period")),
                "round_1": money(x.round_1, cur, False),
                "round_2": money(x.round_2, cur, False),
                "round_3": money(x.round_3, cur, False),
                "total_spend": money(x.total_spend, cur, False),
                "score": "-" if x.score is None else f"{x.score:.2f}",
                "local_share": share(x.local_share),
                "survey": shown(respend, "survey"),
                "respend_suppliers": share(decimal_of(get(respend, "suppliers"))),
                "respend_staff": share(decimal_of(get(respend, "staff"))),
            }
        )
    return out


def _value(src: Source) -> dict[str, Any]:
    value, cur = src.value, src.currency
    raw_maps = {shown(d, "id"): d for kind in ("forecast", "evaluation") for d in src.docs(kind)}
    # only the maps with a detailed section are formatted outcome by outcome: the others
    # are rows of the overview tables, and their outcomes are never turned into text
    chosen = src.map_selection
    maps = [
        impact_map(m, cur, raw_maps.get(m.figures.id, {}), src.names)
        for i, m in enumerate(value.maps if value else ())
        if i in chosen.detailed
    ]
    settings = {
        "discount_rate": rate(value.settings.discount_rate if value else DEFAULT_DISCOUNT_RATE),
        "discount_first_year": value.settings.discount_first_year if value else True,
        "currency": cur,
        "step": f"{value.step * 100:.0f}" if value else "10",
        "valuation": valuation(value) if value else valuation(None),
    }
    names = src.stakeholder_names
    return {
        "maps": maps,
        "comparisons": [m for m in maps if m["comparison"]],
        "charts": _charts(value, cur, names) if value else {"theme": "", "stakeholder": ""},
        "chart_kind": chart_kind(value),
        "lm3": _lm3(src),
        "settings": settings,
        "headline_scopes": headline.scopes(value, cur, src.detailed_ids),
        "headline_totals": headline.totals(value, cur, src.detailed_ids is not None),
        "map_count": len(src.map_figures),
        # None, or what the report says about the maps without a detailed section: its
        # "line" is the plain text (the Word writer's paragraph), "text" the same without
        # the closing words on `svqm export`, which the templates set as code
        "map_limit": limits.map_note(src.map_figures, chosen, cur),
        "unstated_bases": content.unstated_bases(
            [raw_maps.get(src.map_figures[i].id, {}) for i in chosen.left_out], src.names
        ),
    }


def _narrative(src: Source) -> dict[str, Any]:
    found = src.docs("framework")
    return {
        "framework": framework(found[0], src.names) if found else None,
        "case_studies": [case_study(c, src.names) for c in src.docs("case-study")],
    }


def _provenance(src: Source) -> dict[str, Any]:
    return {
        "evidence": evidence_index(src.pack, src.withheld),
        "findings": [f.to_dict() for f in src.validation.findings],
        "version": __version__,
        "commit": git_commit(src.pack.root),
    }


def _commitments(src: Source) -> dict[str, Any]:
    frameworks = {
        shown(mapping(d, "framework"), "id"): shown(mapping(d, "framework"), "name")
        for d in src.docs("measures")
        if shown(mapping(d, "framework"), "name")
    }
    return commitments.section(src.value, src.docs("commitments"), src.currency, frameworks)


def _content(src: Source) -> dict[str, Any]:
    names = src.names
    commit = git_commit(src.pack.root)
    return {
        "scopes": _scopes(src),
        "theory_of_change": content.theory_of_change(src, names),
        "materiality": content.materiality(src, names),
        **content.assurance(src, names),
        "limitations": content.limitations(src, names),
        "glossary": [{"term": t, "meaning": m} for t, m in content.GLOSSARY],
        **content.reproducibility(src, commit, __version__),
    }


def _scopes(src: Source) -> list[dict[str, Any]]:
    """What each impact map covers: its name, kind, type, period and description."""
    return [
        {
            "name": shown(mapping(d, "scope"), "name") or shown(d, "id"),
            "kind": "Forecast" if kind == "forecast" else "Evaluation",
            "type": shown(mapping(d, "scope"), "type"),
            "period": period(mapping(d, "period")),
            "description": shown(mapping(d, "scope"), "description"),
        }
        for kind in ("forecast", "evaluation")
        for d in src.docs(kind)
    ]


BUILDERS = (_cover, _pledges, _value, _commitments, _narrative, _provenance, _content)


def build(
    pack: Pack, validation: ValidationReport, value: ValueReport | None, draft: bool
) -> ReportContext:
    """The report's values for PACK: findings always, figures when VALUE is given."""
    src = Source(pack, validation, value)
    data: dict[str, Any] = {}
    for builder in BUILDERS:
        data.update(builder(src))
    data["headline"] = headline.targets(data["pledges"])
    if data["map_count"]:
        data["headline"].append(("Impact maps", f"{data['map_count']:,}"))
    data["recommendations"] = content.recommendations(data)
    return ReportContext(level=src.level, title=data["title"], draft=draft, data=scrub(data))
