"""Machine formats for CI: GitHub workflow commands and step summary, SARIF 2.1.0, JUnit XML.

Paths are relative to the pack root unless the report carries a prefix (the pack's folder
relative to its git repository), so that annotations land on the right file in a pull
request. GitHub's documented limits are kept here, and whatever a limit leaves out is
counted and said, with where to see everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import quote
from xml.etree import ElementTree

from svqm_cli import __version__
from svqm_cli.base.findings import CODES, Finding, Severity
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reporters.spans import end_column

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# GitHub's limits: past 25,000 results in a run code scanning rejects the whole upload;
# only ten annotations of each type are shown per step (the rest are dropped silently);
# a step's summary may hold 1 MiB (a larger one is not shown at all).
SARIF_MAX_RESULTS = 25_000
ANNOTATIONS_PER_TYPE = 10
SUMMARY_MAX_BYTES = 1024 * 1024
SEE_ALL = "run `svqm validate` on the pack (or `--format json`) to see every finding"


def _path(report: ValidationReport, finding: Finding) -> str:
    return f"{report.path_prefix}{finding.location.file}"


def _ranked(findings: Iterable[Finding]) -> list[Finding]:
    """Errors before warnings, each in the report's order: what a cap should keep."""
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------------------------
# GitHub workflow commands


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(report: ValidationReport, f: Finding, level: str) -> str:
    props = ",".join(
        [
            f"file={_escape_property(_path(report, f))}",
            f"line={f.location.line}",
            f"col={f.location.column}",
            f"title={_escape_property(f.code + ' ' + CODES[f.code].title)}",
        ]
    )
    return f"::{level} {props}::{_escape_data(f'{f.message} Fix: {f.hint}')}"


def github(report: ValidationReport, color: bool = False) -> str:
    """One workflow command a finding (::error file=…,line=…,col=…,title=SVxxx::message), at
    most ten of each type: past nine, the tenth says how many more there are."""
    lines = []
    for severity, level in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        group = [f for f in report.findings if f.severity is severity]
        shown = group if len(group) <= ANNOTATIONS_PER_TYPE else group[: ANNOTATIONS_PER_TYPE - 1]
        lines += [_annotation(report, f, level) for f in shown]
        left = len(group) - len(shown)
        if left:
            title = f"svqm: {_plural(left, level)} more, not annotated"
            text = (
                f"GitHub shows only {ANNOTATIONS_PER_TYPE} annotations of each type per step, "
                f"so {_plural(left, level)} of {len(group):,} are not annotated. All are "
                f"listed in this job's summary; or {SEE_ALL}."
            )
            lines.append(f"::{level} title={_escape_property(title)}::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)


# ------------------------------------------------------------------------------------
# The step summary (Markdown)

# CommonMark lets any ASCII punctuation be escaped with a backslash and then shows it as
# itself: pack text can then never become a link, an image, HTML, math or a table cell.
_PUNCTUATION = re.compile(r"""([!-/:-@\[-`{-~])""")


def markdown_text(text: str) -> str:
    """TEXT shown as itself in GitHub-flavoured Markdown, on one line (a table cell)."""
    flat = " ".join(text.split())
    return _PUNCTUATION.sub(r"\\\1", flat)


def step_summary(report: ValidationReport, room: int = SUMMARY_MAX_BYTES) -> str:
    """A Markdown table of the findings for $GITHUB_STEP_SUMMARY, in at most ROOM bytes
    (GitHub's 1 MiB per step, less what earlier commands of the step wrote). Findings that
    do not fit are counted at the end; "" when not even the heading fits."""
    state = "valid" if report.valid else "not valid"
    head = (
        f"### svqm validate: {state}\n\n{report.errors:,} error(s), {report.warnings:,} "
        f"warning(s) in {report.documents:,} document(s), Level {report.level}.\n"
    )
    if not report.findings:
        return head + "\n" if len(head.encode()) + 1 <= room else ""
    head += (
        "\n| Code | Severity | Where | What is wrong | How to fix |\n"
        "| --- | --- | --- | --- | --- |\n"
    )
    findings = _ranked(report.findings)
    total = len(findings)
    # The longest possible note, so that it always fits after the rows.
    reserve = len(_left_out_note(total, total).encode())
    budget = room - len(head.encode()) - reserve - 1
    if budget < 0:
        return ""
    rows: list[str] = []
    for f in findings:
        row = (
            f"| {f.code} | {f.severity.value} "
            f"| {markdown_text(_path(report, f))}:{f.location.line} "
            f"| {markdown_text(f.message)} | {markdown_text(f.hint)} |\n"
        )
        size = len(row.encode())
        if size > budget:
            break
        rows.append(row)
        budget -= size
    note = _left_out_note(total - len(rows), total) if len(rows) < total else ""
    return head + "".join(rows) + note + "\n"


def _left_out_note(left: int, total: int) -> str:
    return (
        f"\n**{_plural(left, 'finding')} of {total:,} not listed:** GitHub shows at most "
        f"1 MiB of summary per step. Errors are listed first; {SEE_ALL}.\n"
    )


# ------------------------------------------------------------------------------------
# SARIF 2.1.0


def _home_page() -> str | None:
    """The documentation address in the installed package's metadata, when it names one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("svqm").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    found: dict[str, str] = dict(str(u).split(", ", 1) for u in urls if ", " in str(u))
    for label in ("Documentation", "Homepage", "Repository", "Source"):
        address = found.get(label, "")
        if address.startswith("https://"):
            return address
    return None


def _rule(code: str, home: str | None) -> dict[str, object]:
    info = CODES[code]
    change = (
        "Its severity can be changed in svqm.yaml (`rules:`) or a finding silenced with "
        f"`# svqm: ignore[{code}]`."
        if info.overridable
        else "It cannot be switched off: svqm cannot check a document further until it is fixed."
    )
    rule: dict[str, object] = {
        "id": code,
        "name": info.title.title().replace(" ", "").replace("-", "").replace("'", ""),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.summary},
        "help": {
            "text": f"{info.summary} How to fix: {info.hint}",
            "markdown": f"**{code} {info.title}.** {info.summary}\n\n"
            f"**How to fix:** {info.hint}\n\n{change}",
        },
        "defaultConfiguration": {"level": info.severity.value},
    }
    if home:
        rule["helpUri"] = f"{home}#finding-codes"
    return rule


def _region(report: ValidationReport, f: Finding) -> dict[str, int]:
    line, column = max(f.location.line, 1), max(f.location.column, 1)
    region = {"startLine": line, "startColumn": column}
    lines = report.sources.get(f.location.file) or []
    if f.location.line >= 1 and f.location.line <= len(lines) and f.location.column >= 1:
        end = end_column(lines[line - 1], column, f.target)
        if end is not None:
            region.update(endLine=line, endColumn=end)
    return region


def _fingerprints(report: ValidationReport, findings: list[Finding]) -> dict[Finding, str]:
    """A stable hash per finding: its code, file and pointer with list items named by id
    (not its line), numbered when one place has several findings of a code."""
    keys = dict(zip(report.findings, report.keys, strict=False))
    seen: dict[str, int] = {}
    out: dict[Finding, str] = {}
    for f in findings:
        key = keys.get(f) or f"{f.code}|{f.location.file}|{f.location.pointer}"
        seen[key] = seen.get(key, 0) + 1
        out[f] = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:32]
    return out


def sarif(report: ValidationReport, color: bool = False) -> str:
    """SARIF 2.1.0 for code scanning: a rule per code used, a result per finding (errors
    first, at most 25,000), file paths as URI references, columns in code points."""
    findings = _ranked(report.findings)
    kept = findings[:SARIF_MAX_RESULTS]
    home = _home_page()
    used = sorted({f.code for f in kept})
    index = {code: i for i, code in enumerate(used)}
    prints = _fingerprints(report, kept)
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error" if f.severity is Severity.ERROR else "warning",
            "message": {"text": f"{f.message} Fix: {f.hint}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(_path(report, f), safe="/")},
                        "region": _region(report, f),
                    }
                }
            ],
            "partialFingerprints": {"svqmFinding/v1": prints[f]},
            "properties": {"pointer": f.location.pointer},
        }
        for f in kept
    ]
    driver: dict[str, object] = {
        "name": "svqm",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(code, home) for code in used],
    }
    if home:
        driver["informationUri"] = home
    run: dict[str, object] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    left = len(findings) - len(kept)
    if left:
        text = (
            f"{_plural(left, 'finding')} of {len(findings):,} left out: GitHub code scanning "
            f"rejects a run of more than {SARIF_MAX_RESULTS:,} results. Errors come first; "
            f"{SEE_ALL}."
        )
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "warning", "message": {"text": text}}],
            }
        ]
        run["properties"] = {"findingsTotal": len(findings), "findingsLeftOut": left}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------
# JUnit XML


def _timestamp() -> str:
    """SOURCE_DATE_EPOCH when set, else the epoch: the same pack gives the same bytes."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(raw) if raw.isdigit() else 0
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _classname(path: str) -> str:
    """svqm.packs.trust.pledges for packs/trust/pledges.yaml: Jenkins shows the part after
    the last dot as the class and the rest as the package."""
    stem = re.sub(r"\.ya?ml$", "", path)
    return "svqm." + ".".join(p.replace(".", "_") for p in stem.split("/") if p)


def junit(report: ValidationReport, color: bool = False) -> str:
    """A test suite per document and a test case per finding, named by code and place, with
    one <failure> holding the whole message: what Jenkins, GitLab and dorny all display. A
    document without findings is one passing case; warnings are skipped cases (failures
    with --strict)."""
    by_file: dict[str, list[Finding]] = {path: [] for path in report.files}
    for f in report.findings:
        by_file.setdefault(f.location.file, []).append(f)
    suites = ElementTree.Element("testsuites")
    stamp = _timestamp()
    for number, (path, findings) in enumerate(sorted(by_file.items())):
        shown = f"{report.path_prefix}{path}"
        failing = sum(1 for f in findings if f.severity is Severity.ERROR or report.strict)
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            {
                "name": shown,
                "package": "svqm",
                "id": str(number),
                "timestamp": stamp,
                "hostname": "svqm",
                "tests": str(max(len(findings), 1)),
                "failures": str(failing),
                "errors": "0",
                "skipped": str(len(findings) - failing),
                "time": "0",
            },
        )
        ElementTree.SubElement(suite, "properties")
        classname = _classname(shown)
        if not findings:
            ElementTree.SubElement(
                suite,
                "testcase",
                {"name": f"{shown}: no problems", "classname": classname, "time": "0"},
            )
        for f in findings:
            where = f"{shown}:{f.location.line}:{f.location.column}"
            case = ElementTree.SubElement(
                suite,
                "testcase",
                {"name": f"{f.code} {where}", "classname": classname, "time": "0"},
            )
            summary = f"{f.code} {CODES[f.code].title}: {f.message}"
            if f.severity is Severity.ERROR or report.strict:
                failure = ElementTree.SubElement(
                    case, "failure", {"type": f.code, "message": summary}
                )
                failure.text = f"{where} {f.severity.value} {summary}\nFix: {f.hint}\n"
            else:
                ElementTree.SubElement(
                    case, "skipped", {"message": f"Warning: {summary} Fix: {f.hint}"}
                )
        ElementTree.SubElement(suite, "system-out").text = ""
        ElementTree.SubElement(suite, "system-err").text = ""
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
