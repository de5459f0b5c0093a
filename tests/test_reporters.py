"""Reporters are tested from hand-built reports, without running the command."""

from __future__ import annotations

import json

from svqm_cli.base.findings import Finding, Location, Severity
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reporters import json_format, text


def finding(
    line: int,
    code: str = "SV102",
    message: str = "`evidence` is missing (in outcome 'o{n}').",
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message.format(n=line),
        hint="Add it.",
        location=Location("ev.yaml", line, 5, f"/outcomes/{line}"),
    )


SOURCES = {"ev.yaml": [f"  - id: o{n}" for n in range(1, 40)]}


def test_json_has_exactly_the_spec_keys() -> None:
    report = ValidationReport(level=3, documents=4, findings=(finding(2),))
    data = json.loads(json_format.render(report))
    assert set(data) == {"valid", "level", "findings", "summary"}
    assert data["valid"] is False and data["level"] == 3
    assert data["summary"] == {"errors": 1, "warnings": 0, "documents": 4}
    assert set(data["findings"][0]) >= {
        "code",
        "severity",
        "file",
        "line",
        "column",
        "pointer",
        "message",
    }


def test_text_shows_source_line_caret_and_hint() -> None:
    report = ValidationReport(level=3, documents=1, findings=(finding(2),), sources=SOURCES)
    out = text.render(report, color=False)
    lines = out.splitlines()
    at = lines.index("     2 |   - id: o2")
    assert lines[at + 1].rstrip() == "       |     ^^^"  # under "id:", column 5
    assert "hint: Add it." in out
    assert "Not valid: 1 error, 0 warnings in 1 document, checked for Level 3 (Gold)." in out
    assert "\x1b[" not in out


def test_text_groups_repeated_findings_with_a_count() -> None:
    many = tuple(finding(n) for n in range(1, 31))
    out = text.render(ValidationReport(level=3, documents=1, findings=many, sources=SOURCES))
    assert out.count("SV102") == 1
    assert "... and 29 more like this at lines 2, 3, 4," in out


def test_different_messages_are_not_grouped() -> None:
    findings = tuple(finding(n, message=f"`field{n}` is missing.") for n in range(1, 5))
    out = text.render(ValidationReport(level=1, documents=1, findings=findings))
    assert out.count("SV102") == 4


def test_colour_only_when_asked() -> None:
    report = ValidationReport(level=1, documents=1, findings=(finding(2),))
    assert "\x1b[" in text.render(report, color=True)


def test_strict_turns_warnings_into_failure() -> None:
    warn = finding(2, code="SV401", severity=Severity.WARNING)
    assert ValidationReport(level=2, documents=1, findings=(warn,)).exit_code == 0
    strict = ValidationReport(level=2, documents=1, findings=(warn,), strict=True)
    assert strict.exit_code == 1 and "--strict" in text.render(strict)


def test_valid_summary() -> None:
    out = text.render(ValidationReport(level=1, documents=2, findings=()))
    assert (
        out.strip() == "Valid: 0 errors, 0 warnings in 2 documents, checked for Level 1 (Bronze)."
    )
