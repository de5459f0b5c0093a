"""Machine formats for CI: GitHub workflow commands, SARIF 2.1.0 and JUnit XML.

Paths are relative to the pack root unless the report carries a prefix (the pack's folder
relative to its git repository), so that annotations land on the right file in a pull
request.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

from svqm_cli import __version__
from svqm_cli.base.findings import CODES, Finding, Severity
from svqm_cli.checking.check import ValidationReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _path(report: ValidationReport, finding: Finding) -> str:
    return f"{report.path_prefix}{finding.location.file}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: ValidationReport, color: bool = False) -> str:
    """One workflow command a finding: ::error file=…,line=…,col=…,title=SVxxx::message"""
    lines = []
    for f in report.findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        props = ",".join(
            [
                f"file={_escape_property(_path(report, f))}",
                f"line={f.location.line}",
                f"col={f.location.column}",
                f"title={_escape_property(f.code + ' ' + CODES[f.code].title)}",
            ]
        )
        lines.append(f"::{level} {props}::{_escape_data(f'{f.message} Fix: {f.hint}')}")
    return "".join(line + "\n" for line in lines)


def sarif(report: ValidationReport, color: bool = False) -> str:
    used = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": CODES[code].title.title().replace(" ", "").replace("-", ""),
            "shortDescription": {"text": CODES[code].title},
            "fullDescription": {"text": CODES[code].summary},
            "help": {"text": CODES[code].hint},
            "defaultConfiguration": {"level": CODES[code].severity.value},
        }
        for code in used
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error" if f.severity is Severity.ERROR else "warning",
            "message": {"text": f"{f.message} Fix: {f.hint}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _path(report, f)},
                        "region": {
                            "startLine": max(f.location.line, 1),
                            "startColumn": max(f.location.column, 1),
                        },
                    }
                }
            ],
            "properties": {"pointer": f.location.pointer},
        }
        for f in report.findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "svqm",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def junit(report: ValidationReport, color: bool = False) -> str:
    """One test case per document; a failure per error finding (warnings as system-out)."""
    by_file: dict[str, list[Finding]] = {path: [] for path in report.files}
    for f in report.findings:
        by_file.setdefault(f.location.file, []).append(f)
    suite = ElementTree.Element(
        "testsuite",
        {
            "name": "svqm validate",
            "tests": str(len(by_file)),
            "failures": str(
                sum(1 for fs in by_file.values() if any(f.severity is Severity.ERROR for f in fs))
            ),
            "errors": "0",
            "skipped": "0",
        },
    )
    for path, findings in sorted(by_file.items()):
        case = ElementTree.SubElement(
            suite, "testcase", {"classname": "svqm", "name": f"{report.path_prefix}{path}"}
        )
        warnings = []
        for f in findings:
            where = f"{report.path_prefix}{path}:{f.location.line}:{f.location.column}"
            text = f"{where} {f.code} {f.message}\nFix: {f.hint}"
            if f.severity is Severity.ERROR:
                failure = ElementTree.SubElement(
                    case, "failure", {"type": f.code, "message": f"{f.code} {f.message}"}
                )
                failure.text = text
            else:
                warnings.append(f"warning {text}")
        if warnings:
            ElementTree.SubElement(case, "system-out").text = "\n".join(warnings)
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def step_summary(report: ValidationReport, color: bool = False) -> str:
    """A Markdown summary of every finding for $GITHUB_STEP_SUMMARY (GitHub shows only ten
    annotations of a kind per step and drops the rest)."""
    state = "valid" if report.valid else "not valid"
    head = (
        f"### svqm validate: {state}\n\n{report.errors} error(s), {report.warnings} "
        f"warning(s) in {report.documents} document(s), Level {report.level}.\n"
    )
    if not report.findings:
        return head + "\n"
    rows = [
        "",
        "| Code | Severity | Where | What is wrong | How to fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| {f.code} | {f.severity.value} | `{_md(_path(report, f))}:{f.location.line}` "
        f"| {_md(f.message)} | {_md(f.hint)} |"
        for f in report.findings
    ]
    return head + "\n".join(rows) + "\n\n"
