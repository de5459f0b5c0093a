"""`--format text`: per file, each finding with its line of YAML, a caret, and the hint.

The same finding repeated across many rows (say, 200 outcomes without evidence) is shown
once in full with a count and the other lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.text import Text

from svqm_cli.base.findings import Finding, Severity
from svqm_cli.base.vocabulary import level_label
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reporters.console import string_console

GROUP_FROM = 3  # this many alike findings in a file are shown as one with a count
MAX_LINES_LISTED = 12
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.OFF: "dim"}


def _shape(finding: Finding) -> tuple[str, str, str]:
    """What makes findings alike: code, pointer without indexes, message without the
    row-specific values (ids, quoted text, numbers); field names in `backticks` stay."""
    pointer = re.sub(r"/\d+(?=/|$)", "/*", finding.location.pointer)
    parts = finding.message.split("`")
    for i in range(0, len(parts), 2):  # outside backticks only
        part = re.sub(r"'[^']*'", "'~'", parts[i])
        part = re.sub(r'"[^"]*"', '"~"', part)
        parts[i] = re.sub(r"\d+", "N", part)
    return (finding.code, pointer, "`".join(parts))


def group(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings of one file in order, alike ones (same code and shape) gathered together."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_shape(finding), []).append(finding)
    out: list[list[Finding]] = []
    for members in groups.values():
        if len(members) >= GROUP_FROM:
            out.append(members)
        else:
            out.extend([m] for m in members)
    out.sort(key=lambda g: g[0].sort_key())
    return out


def _source(lines: list[str], finding: Finding) -> Text | None:
    line, column = finding.location.line, finding.location.column
    if not (1 <= line <= len(lines)):
        return None
    content = lines[line - 1].replace("\t", " ")
    if len(content) > 160:
        start = max(0, column - 60)
        content = ("..." if start else "") + content[start : start + 150]
        column = column - start + (3 if start else 0)
    token = re.match(r"\S+", content[column - 1 :]) if column >= 1 else None
    width = min(len(token.group(0)), 40) if token else 1
    gutter = f"{line:>6} | "
    out = Text(gutter, style="dim")
    out.append(content)
    out.append("\n" + " " * 7 + "| " + " " * max(column - 1, 0), style="dim")
    out.append("^" * width, style=STYLE[finding.severity])
    return out


def render(report: ValidationReport, color: bool = False) -> str:
    console, buffer = string_console(color, width=200, soft_wrap=True)
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    for file, findings in by_file.items():
        console.print(Text(file, style="bold underline"))
        lines = report.sources.get(file, [])
        for members in group(findings):
            first = members[0]
            loc = first.location
            head = Text(f"  {loc.line}:{loc.column}  ")
            head.append(first.severity.value, style=STYLE[first.severity])
            head.append(f"  {first.code}  ", style="bold")
            head.append(first.message)
            console.print(head)
            source = _source(lines, first)
            if source is not None:
                console.print(source)
            if first.hint:
                console.print(
                    Text("         hint: ", style="cyan").append(first.hint, style="default")
                )
            if len(members) > 1:
                others = [str(m.location.line) for m in members[1:]]
                listed = ", ".join(others[:MAX_LINES_LISTED])
                more = ", ..." if len(others) > MAX_LINES_LISTED else ""
                console.print(
                    Text(
                        f"         ... and {len(members) - 1} more like this "
                        f"at lines {listed}{more}",
                        style="dim",
                    )
                )
        console.print()
    console.print(_summary(report))
    return buffer.getvalue()


def _summary(report: ValidationReport) -> Text:
    errors, warnings = report.errors, report.warnings
    counts = (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    scope = (
        f"in {report.documents} document{'s' if report.documents != 1 else ''}, "
        f"checked for {level_label(report.level)}"
    )
    if report.hidden:
        scope += (
            f"; {report.hidden} more hidden by ignore comments, the baseline or --changed-since"
        )
    if report.valid:
        return Text(f"Valid: {counts} {scope}.", style="bold green")
    reason = " (--strict: warnings count as errors)" if report.strict and not errors else ""
    return Text(f"Not valid: {counts} {scope}{reason}.", style="bold red")
