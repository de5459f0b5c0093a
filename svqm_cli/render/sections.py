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


SECTIONS = (
    Section("findings", "Findings to resolve before submission", lambda ctx: ctx.draft),
    Section("summary", "Executive summary", _always),
    Section("health", "SVQM Health Award requirements", _has("health")),
    Section("pledges", "Pledges", _always),
    Section("stakeholders", "Stakeholders and how they were engaged", _has("stakeholders")),
    Section("value", "Social value: impact maps", _has("maps")),
    Section("commitments", "Contract commitments", _has("contracts")),
    Section(
        "framework",
        "Organisation-wide framework",
        lambda ctx: ctx.level >= 4 and bool(ctx.data["framework"]),
    ),
    Section("case-studies", "Case studies", _has("case_studies")),
    Section("evidence", "Evidence index", _always),
    Section("methodology", "Methodology", _always),
)


def present(ctx: ReportContext) -> list[Section]:
    """The sections this report has, in order."""
    return [section for section in SECTIONS if section.shown(ctx)]
