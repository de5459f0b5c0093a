"""Everything a report shows, gathered once from the pack, its findings and its figures.

Templates (HTML, Markdown) and the Word writer all read this one structure, so a section
is defined once. Nothing here depends on the clock: the report date comes from
SOURCE_DATE_EPOCH when set, otherwise from the end of the award period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from svqm_cli import __version__
from svqm_cli.calc.report import MapReport, ValueReport
from svqm_cli.calc.sroi import DEFAULT_DISCOUNT_RATE
from svqm_cli.check import ValidationReport
from svqm_cli.pack import Pack, inside
from svqm_cli.reference import MARMOT, SDGS, THEME_NAMES
from svqm_cli.render import charts
from svqm_cli.reporters.numbers import money, number, percent, rate, ratio, share
from svqm_cli.rules.context import level_label, parse_level
from svqm_cli.rules.evidence import evidence_paths

LEVEL_TITLES = {
    1: "Social value pledges",
    2: "Social value forecast",
    3: "Social value report",
    4: "Organisation-wide social value report",
}
SCHEMES = {"core": "Social Value Quality Mark", "health": "SVQM Health Award"}
STANDARD_NAMES = {
    "plan": "Plan",
    "demonstrate": "Demonstrate",
    "calculate": "Calculate",
    "report": "Report",
    "eco-system": "Eco System",
    "performance-manage": "Performance Manage",
    "trust": "Trust",
    "influence-and-leadership": "Influence and Leadership",
    "culture": "Culture",
}


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
                "deadweight": share(_d(o.get("deadweight"))),
                "displacement": share(_d(o.get("displacement"))),
                "attribution": share(_d(o.get("attribution"))),
                "drop_off": share(_d(o.get("drop_off"))),
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
                "value": money(_d(i["value"]), cur),
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


def _d(value: Any) -> Decimal:
    return (
        Decimal(value)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        else Decimal(0)
    )


def build(
    pack: Pack, validation: ValidationReport, value: ValueReport | None, draft: bool
) -> ReportContext:
    config = (
        pack.pack_document.data
        if pack.pack_document and isinstance(pack.pack_document.data, dict)
        else {}
    )
    award = _dict(config, "award")
    level = parse_level(award.get("level")) or validation.level
    org = _fields(
        _dict(config, "organisation"), "name", "type", "parent", "region", "integrated_care_system"
    )
    period = _fields(_dict(award, "period"), "start", "end")
    scheme = _text(award, "scheme") or "core"
    cur = value.settings.currency if value else "GBP"
    themes = dict(THEME_NAMES)
    if "themes" in config:
        themes = {
            _text(t, "id"): _text(t, "name") for t in _list(config, "themes") if isinstance(t, dict)
        }

    def docs(kind: str) -> list[dict[str, Any]]:
        return [d.data for d in pack.of_kind(kind) if isinstance(d.data, dict)]

    stakeholder_list = [
        _stakeholder(s)
        for d in docs("stakeholders")
        for s in _list(d, "stakeholders")
        if isinstance(s, dict)
    ]
    stakeholders = {s["id"]: s["name"] for s in stakeholder_list}
    proxies = {
        _text(p, "id"): p
        for d in docs("proxies")
        for p in _list(d, "proxies")
        if isinstance(p, dict)
    }
    progress = {(p.pledge, p.measure): p for p in (value.progress if value else ())}
    pledges = []
    for d in docs("pledges"):
        for p in _list(d, "pledges"):
            if not isinstance(p, dict):
                continue
            targets = []
            for t in _list(p, "targets"):
                if not isinstance(t, dict):
                    continue
                pr = progress.get((_text(p, "id"), _text(t, "measure")))
                targets.append(
                    {
                        "measure": _text(t, "measure"),
                        "quantity": _text(t, "quantity"),
                        "unit": _text(t, "unit"),
                        "due": _text(t, "due"),
                        "baseline": _text(t, "baseline"),
                        "actual": number(pr.actual) if pr else "-",
                        "as_of": (pr.as_of or "-") if pr else "-",
                        "status": pr.status if pr else "no data",
                    }
                )
            theme = _text(p, "theme")
            pledges.append(
                {
                    "id": _text(p, "id"),
                    "title": _text(p, "title"),
                    "theme": themes.get(theme) or theme,
                    "commitment": _text(p, "commitment"),
                    "owner": _text(p, "owner"),
                    "targets": targets,
                    "sdgs": _sdg_names(_ints(p.get("sdgs"))),
                    "marmot": _marmot_names(_ints(p.get("marmot"))),
                    "toms": _texts(p, "toms"),
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
    framework = docs("framework")[0] if docs("framework") else None
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
                "health": _health(_dict(config, "health")) if scheme == "health" else None,
                "pledges": pledges,
                "stakeholders": stakeholder_list,
                "maps": maps,
                "totals": totals,
                "headline": _headline(totals, pledges, maps),
                "charts": breakdown_charts,
                "chart_kind": "evaluations"
                if value and value.breakdowns.get("evaluation")
                else "forecasts",
                "framework": _framework(framework) if framework else None,
                "case_studies": [_case_study(c) for c in docs("case-study")],
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


def _text(data: Any, key: str) -> str:
    """A field as text for a report ('' when absent or not a plain value)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _fields(data: Any, *keys: str) -> dict[str, str]:
    """These fields of a mapping, each as text ('' when absent)."""
    return {key: _text(data, key) for key in keys}


def _dict(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _list(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _texts(data: Any, key: str) -> list[str]:
    return [str(v) for v in _list(data, key) if not isinstance(v, (dict, list))]


def _stakeholder(s: dict[str, Any]) -> dict[str, Any]:
    engagement = _dict(s, "engagement")
    return {
        **_fields(s, "id", "name", "description", "size"),
        "engagement": _fields(engagement, "method", "sample_size", "date") if engagement else None,
    }


def _case_study(c: dict[str, Any]) -> dict[str, Any]:
    quotes = []
    for q in _list(c, "quotes"):
        if isinstance(q, dict):
            quotes.append(_fields(q, "text", "by"))
        elif q is not None:
            quotes.append({"text": str(q), "by": ""})
    return {
        **_fields(c, "id", "title", "narrative"),
        "quotes": quotes,
        "consent": c.get("consent") is True,
    }


def _health(h: dict[str, Any]) -> dict[str, Any]:
    engagement = _dict(h, "engagement")
    return {
        **_fields(
            h,
            "executive_sponsor",
            "social_value_lead",
            "environmental_lead",
            "definition",
            "legacy_statement",
        ),
        "development_group": _texts(h, "development_group"),
        "engagement": {
            **_fields(engagement, "active_volunteers", "volunteer_hours"),
            "methods": _texts(engagement, "methods"),
        },
    }


def _ints(value: Any) -> list[int]:
    return [v for v in value if isinstance(v, int)] if isinstance(value, list) else []


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


def _framework(data: dict[str, Any]) -> dict[str, Any]:
    governance, quality = _dict(data, "governance"), _dict(data, "quality")
    policy, review = _dict(governance, "policy"), _dict(quality, "review")
    training = data.get("training")
    standards = _dict(data, "standards")
    return {
        "governance": {
            **_fields(governance, "board_sponsor", "review_cycle"),
            "policy": _fields(policy, "title", "approved", "approved_by") if policy else None,
        },
        "systems": [
            _fields(x, "name", "owner", "description")
            for x in _list(_dict(data, "data"), "systems")
            if isinstance(x, dict)
        ],
        "assurance": _texts(quality, "assurance"),
        "review": _fields(review, "type", "by", "date") if review else None,
        "training": _fields(training, "description", "staff_trained")
        if isinstance(training, dict)
        else {"description": str(training), "staff_trained": ""}
        if isinstance(training, str)
        else None,
        "standards": [
            {
                "name": STANDARD_NAMES[k],
                "statement": _text(v, "statement"),
                "evidence": _texts(v, "evidence"),
            }
            for k, v in standards.items()
            if k in STANDARD_NAMES and isinstance(v, dict)
        ],
        "coverage": [
            _fields(c, "service", "evaluation", "reason")
            for c in _list(data, "coverage")
            if isinstance(c, dict)
        ],
    }


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def scrub(value: Any) -> Any:
    """The same value with control characters removed from its text: YAML can carry them
    ("\\u0000"), and no report format can show them (Word's XML refuses them outright)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v) for v in value)
    return value


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
