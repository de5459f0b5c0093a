"""The report's sections, in order: one list serves HTML, Markdown and Word.

Each section has a key (its anchor, and with '_' for '-' the name of its partial
`_KEY.html.j2` / `_KEY.md.j2` and of its Word builder in `render/word/sections.py`), the
heading every format prints, and when the report has it. To add a section: add it here,
write the two partials and the Word builder (a test checks that all three exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from svqm_cli.render.context import ReportContext


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    shown: Callable[[ReportContext], bool]

    @property
    def partial(self) -> str:
        return self.key.replace("-", "_")


def _always(_ctx: ReportContext) -> bool:
    return True


def _has(key: str) -> Callable[[ReportContext], bool]:
    return lambda ctx: bool(ctx.data[key])


def _any_map(key: str) -> Callable[[ReportContext], bool]:
    return lambda ctx: any(m[key] for m in ctx.data["maps"])


def _assurance(ctx: ReportContext) -> bool:
    """From level 2 always (with none, the report says so plainly); at level 1 only when
    the pack records an assurance."""
    return ctx.level >= 2 or bool(ctx.data["assurance"])


def _limitations(ctx: ReportContext) -> bool:
    return bool(ctx.data["limitations"] or ctx.data["recommendations"])


SECTIONS = (
    Section("findings", "Findings to resolve before submission", lambda ctx: ctx.draft),
    Section("summary", "Executive summary", _always),
    Section("health", "SVQM Health Award requirements", _has("health")),
    Section(
        "scope",
        "Scope and stakeholders",
        lambda ctx: bool(ctx.data["scopes"] or ctx.data["stakeholders"]),
    ),
    Section("theory-of-change", "Theory of change", _has("theory_of_change")),
    Section(
        "materiality", "Materiality: what is included and what is left out", _has("materiality")
    ),
    Section("inputs", "Inputs", _has("maps")),
    Section("outcomes", "Outcomes and valuation", _has("maps")),
    Section("calculation", "How the social value is calculated", _has("maps")),
    Section("sensitivity", "Sensitivity analysis", _any_map("sensitivity")),
    Section("forecast-actual", "Forecast against actual", _has("comparisons")),
    Section("pledges", "Pledges and progress", _always),
    Section("commitments", "Contract commitments", _has("contracts")),
    Section("lm3", "Local Multiplier 3 (LM3)", _has("lm3")),
    Section(
        "framework",
        "Organisation-wide framework",
        lambda ctx: ctx.level >= 4 and bool(ctx.data["framework"]),
    ),
    Section("case-studies", "Case studies", _has("case_studies")),
    Section("assurance", "Assurance", _assurance),
    Section("limitations", "Limitations and recommendations", _limitations),
    Section("evidence", "Evidence index", _always),
    Section("methodology", "Methodology and glossary", _always),
    Section("reproducibility", "Reproducing this report", _always),
)


def present(ctx: ReportContext) -> list[Section]:
    """The sections this report has, in order."""
    return [section for section in SECTIONS if section.shown(ctx)]
