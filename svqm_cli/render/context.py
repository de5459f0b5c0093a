"""Everything a report shows, gathered once from the pack, its findings and its figures.

Templates (HTML, Markdown) and the Word writer all read this one structure, so a section
is defined once. Nothing here depends on the clock: the report date comes from
SOURCE_DATE_EPOCH when set, otherwise from the end of the award period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from svqm_cli import __version__
from svqm_cli.base.accessors import (
    fields,
    items_of,
    mapping,
    scrub,
    shown,
    texts,
    whole_numbers,
)
from svqm_cli.base.vocabulary import MARMOT, SDGS, THEME_NAMES, level_label, parse_level
from svqm_cli.calc.report import MapReport, ValueReport
from svqm_cli.calc.sroi import DEFAULT_DISCOUNT_RATE, decimal_of
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reading.pack import Pack, inside
from svqm_cli.render import charts
from svqm_cli.render.fields import case_study, framework, health, stakeholder
from svqm_cli.reporters.numbers import money, number, percent, rate, ratio, share
from svqm_cli.rules.evidence import evidence_paths

LEVEL_TITLES = {
    1: "Social value pledges",
    2: "Social value forecast",
    3: "Social value report",
    4: "Organisation-wide social value report",
}
SCHEMES = {"core": "Social Value Quality Mark", "health": "SVQM Health Award"}


@dataclass(frozen=True)
class Evidence:
    path: str
    sha256: str
    size: int
    cited_by: tuple[str, ...]


@dataclass
class ReportContext:
    """Plain values, ready to print: money and ratios already formatted."""

    level: int
    title: str
    draft: bool
    data: dict[str, Any] = field(default_factory=dict)


def report_date(pack_end: str | None) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return pack_end or ""


def git_commit(root: Path) -> str | None:
    """The pack's git commit, read from .git without running git (None outside a repo)."""
    for folder in (root, *root.resolve().parents):
        git = folder / ".git"
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = git.read_text(encoding="utf-8", errors="replace").strip()
            git = (folder / text.removeprefix("gitdir:").strip()).resolve()
        if not git.is_dir():
            continue
        try:
            head = (git / "HEAD").read_text(encoding="utf-8").strip()
            if not head.startswith("ref:"):
                return head[:40] or None
            ref = head.removeprefix("ref:").strip()
            ref_file = git / ref
            if ref_file.is_file():
                return ref_file.read_text(encoding="utf-8").strip()[:40]
            packed = git / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
        except OSError:
            return None
        return None
    return None


def _evidence(pack: Pack) -> list[Evidence]:
    cited: dict[str, list[str]] = {}
    for doc in pack.documents:
        if doc.readable:
            for _, path in evidence_paths(doc.data):
                cited.setdefault(path, [])
                if doc.path not in cited[path]:
                    cited[path].append(doc.path)
    out = []
    for path in sorted(cited):
        target, _ = inside(pack.root, path)
        if target is None or not target.is_file():
            continue  # the findings say so; a draft lists them
        digest = hashlib.sha256()
        with target.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
        out.append(Evidence(path, digest.hexdigest(), target.stat().st_size, tuple(cited[path])))
    return out


def _sdg_names(numbers: list[int]) -> list[str]:
    return [f"{n}. {SDGS.get(n, '?')}" for n in numbers]


def _marmot_names(numbers: list[int]) -> list[str]:
    return [f"{n}. {MARMOT.get(n, '?')}" for n in numbers]


def _map(
    m: MapReport,
    cur: str,
    raw: dict[str, Any],
    proxies: dict[str, dict[str, Any]],
    stakeholders: dict[str, str],
) -> dict[str, Any]:
    f = m.figures
    outcomes = []
    by_id = {o["id"]: o for o in raw.get("outcomes", [])}
    for detail, figures in zip(m.details, f.outcomes, strict=True):
        o = by_id[detail.id]
        proxy = o.get("proxy")
        if isinstance(proxy, str):
            proxy_data = proxies.get(proxy, {})
            proxy_label = proxy_data.get("description", proxy)
        else:
            proxy_data = proxy if isinstance(proxy, dict) else {}
            proxy_label = proxy_data.get("description", "Inline proxy")
        outcomes.append(
            {
                "id": detail.id,
                "description": o.get("description", ""),
                "indicator": o.get("indicator", ""),
                "stakeholder": stakeholders.get(detail.stakeholder, detail.stakeholder),
                "quantity": number(detail.quantity),
                "proxy": proxy_label,
                "proxy_value": money(detail.proxy_value, cur),
                "proxy_unit": proxy_data.get("unit", ""),
                "proxy_source": proxy_data.get("source", ""),
                "deadweight": share(decimal_of(o.get("deadweight"))),
                "displacement": share(decimal_of(o.get("displacement"))),
                "attribution": share(decimal_of(o.get("attribution"))),
                "drop_off": share(decimal_of(o.get("drop_off"))),
                "duration": o.get("duration", 1),
                "start": o.get("start", 1),
                "impact_year_1": money(figures.impact_year_1, cur),
                "present_value": money(figures.present_value, cur),
                "evidence": list(o.get("evidence", [])),
                "method": o.get("method", ""),
            }
        )
    comparison = None
    if m.comparison is not None:
        c = m.comparison
        comparison = {
            "forecast": c.forecast,
            "rows": [
                {
                    "outcome": r.outcome or f"{r.forecast_outcome} (not measured)",
                    "forecast_quantity": number(r.forecast_quantity),
                    "actual_quantity": number(r.actual_quantity),
                    "forecast_pv": money(r.forecast_present_value, cur),
                    "actual_pv": money(r.actual_present_value, cur),
                    "difference": money(r.difference, cur),
                    "percentage": percent(r.percentage),
                }
                for r in c.outcomes
            ],
            "forecast_pv": money(c.forecast_present_value, cur),
            "actual_pv": money(c.actual_present_value, cur),
            "difference": money(c.difference, cur),
            "percentage": percent(c.percentage),
            "forecast_ratio": ratio(c.forecast_sroi_ratio, cur),
            "actual_ratio": ratio(c.actual_sroi_ratio, cur),
            "chart": charts.paired_bars(
                [
                    (
                        r.outcome or r.forecast_outcome or "",
                        r.forecast_present_value or Decimal(0),
                        r.actual_present_value or Decimal(0),
                    )
                    for r in c.outcomes
                ],
                ("Forecast", "Actual"),
                cur,
            ),
        }
    scope = raw.get("scope", {})
    return {
        "id": f.id,
        "kind": f.kind,
        "scope": f.scope,
        "scope_type": scope.get("type", ""),
        "scope_description": scope.get("description", ""),
        "period": raw.get("period", {}),
        "inputs": [
            {
                "description": i["description"],
                "value": money(decimal_of(i["value"]), cur),
                "stakeholder": stakeholders.get(i.get("stakeholder", ""), ""),
            }
            for i in raw.get("inputs", [])
        ],
        "inputs_total": money(f.inputs_total, cur),
        "present_value": money(f.present_value, cur),
        "net_present_value": money(f.net_present_value, cur),
        "sroi_ratio": ratio(f.sroi_ratio, cur),
        "payback": "-" if f.payback_months is None else f"{f.payback_months:.1f} months",
        "outcomes": outcomes,
        "sensitivity": [
            {"label": s.label, "ratio": ratio(s.sroi_ratio, cur), "break_even": s.break_even_label}
            for s in m.sensitivity
        ],
        "comparison": comparison,
    }


def build(
    pack: Pack, validation: ValidationReport, value: ValueReport | None, draft: bool
) -> ReportContext:
    config = (
        pack.pack_document.data
        if pack.pack_document and isinstance(pack.pack_document.data, dict)
        else {}
    )
    award = mapping(config, "award")
    level = parse_level(award.get("level")) or validation.level
    org = fields(
        mapping(config, "organisation"),
        "name",
        "type",
        "parent",
        "region",
        "integrated_care_system",
    )
    period = fields(mapping(award, "period"), "start", "end")
    scheme = shown(award, "scheme") or "core"
    cur = value.settings.currency if value else "GBP"
    themes = dict(THEME_NAMES)
    if "themes" in config:
        themes = {
            shown(t, "id"): shown(t, "name")
            for t in items_of(config, "themes")
            if isinstance(t, dict)
        }

    def docs(kind: str) -> list[dict[str, Any]]:
        return [d.data for d in pack.of_kind(kind) if isinstance(d.data, dict)]

    stakeholder_list = [
        stakeholder(s)
        for d in docs("stakeholders")
        for s in items_of(d, "stakeholders")
        if isinstance(s, dict)
    ]
    stakeholders = {s["id"]: s["name"] for s in stakeholder_list}
    proxies = {
        shown(p, "id"): p
        for d in docs("proxies")
        for p in items_of(d, "proxies")
        if isinstance(p, dict)
    }
    progress = {(p.pledge, p.measure): p for p in (value.progress if value else ())}
    pledges = []
    for d in docs("pledges"):
        for p in items_of(d, "pledges"):
            if not isinstance(p, dict):
                continue
            targets = []
            for t in items_of(p, "targets"):
                if not isinstance(t, dict):
                    continue
                pr = progress.get((shown(p, "id"), shown(t, "measure")))
                targets.append(
                    {
                        "measure": shown(t, "measure"),
                        "quantity": shown(t, "quantity"),
                        "unit": shown(t, "unit"),
                        "due": shown(t, "due"),
                        "baseline": shown(t, "baseline"),
                        "actual": number(pr.actual) if pr else "-",
                        "as_of": (pr.as_of or "-") if pr else "-",
                        "status": pr.status if pr else "no data",
                    }
                )
            theme = shown(p, "theme")
            pledges.append(
                {
                    "id": shown(p, "id"),
                    "title": shown(p, "title"),
                    "theme": themes.get(theme) or theme,
                    "commitment": shown(p, "commitment"),
                    "owner": shown(p, "owner"),
                    "targets": targets,
                    "sdgs": _sdg_names(whole_numbers(p.get("sdgs"))),
                    "marmot": _marmot_names(whole_numbers(p.get("marmot"))),
                    "toms": texts(p, "toms"),
                }
            )
    raw_maps = {
        d["id"]: d
        for kind in ("forecast", "evaluation")
        for d in docs(kind)
        if isinstance(d.get("id"), str)
    }
    maps = [
        _map(m, cur, raw_maps.get(m.figures.id, {}), proxies, stakeholders)
        for m in (value.maps if value else ())
    ]
    totals = {}
    for kind, t in value.totals.items() if value else ():
        if t is not None:
            totals[kind] = {
                "inputs": money(t.inputs_total, cur),
                "present_value": money(t.present_value, cur),
                "net_present_value": money(t.net_present_value, cur),
                "ratio": ratio(t.sroi_ratio, cur),
            }
    chart_source = None
    if value:
        chart_source = value.breakdowns.get("evaluation") or value.breakdowns.get("forecast")
    breakdown_charts = {"theme": "", "stakeholder": ""}
    if chart_source is not None:
        breakdown_charts = {
            "theme": charts.bars([(s.name, s.present_value) for s in chart_source.theme], cur),
            "stakeholder": charts.bars(
                [
                    (stakeholders.get(str(s.id), s.name), s.present_value)
                    for s in chart_source.stakeholder
                ],
                cur,
            ),
        }
    framework_data = docs("framework")[0] if docs("framework") else None
    title = LEVEL_TITLES.get(level, "Social value report")
    return ReportContext(
        level=level,
        title=title,
        draft=draft,
        data=scrub(
            {
                "title": title,
                "organisation": org,
                "level_label": level_label(level),
                "scheme": scheme,
                "scheme_name": SCHEMES.get(scheme, scheme),
                "period": period,
                "date": report_date(period.get("end")),
                "health": health(mapping(config, "health")) if scheme == "health" else None,
                "pledges": pledges,
                "stakeholders": stakeholder_list,
                "maps": maps,
                "totals": totals,
                "headline": _headline(totals, pledges, maps),
                "charts": breakdown_charts,
                "chart_kind": "evaluations"
                if value and value.breakdowns.get("evaluation")
                else "forecasts",
                "framework": framework(framework_data) if framework_data else None,
                "case_studies": [case_study(c) for c in docs("case-study")],
                "lm3": [
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
                ],
                "evidence": _evidence(pack),
                "settings": {
                    "discount_rate": rate(
                        value.settings.discount_rate if value else DEFAULT_DISCOUNT_RATE
                    ),
                    "discount_first_year": value.settings.discount_first_year if value else True,
                    "currency": cur,
                    "step": f"{value.step * 100:.0f}" if value else "10",
                },
                "findings": [f.to_dict() for f in validation.findings],
                "version": __version__,
                "commit": git_commit(pack.root),
            }
        ),
    )


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
