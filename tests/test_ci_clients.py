"""svqm's CI formats in the clients that read them: the official SARIF 2.1.0 schema and
Microsoft's SARIF Multitool, the windyroad JUnit XSD and junitparser, a CommonMark table
renderer for the step summary, and GitHub's documented limits (25,000 SARIF results per
run, ten annotations of each type per step, 1 MiB of summary per step)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from svqm_cli.base.findings import Finding, Location, Severity
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reporters import ci
from tests.conftest import EXAMPLES, Run, npm_package, vendor_file

ODD_NAMES = ("case study #1.yaml", "résumé.yaml", "a`b|c.yaml")


def _odd_pack(tmp_path: Path) -> Path:
    """A pack whose documents have names that need care: space and '#', accents, a
    backtick and a bar. Each file holds pledges with a wrong-typed quantity."""
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES[0], pack)
    text = (pack / "pledges.yaml").read_text()
    (pack / "pledges.yaml").unlink()
    for i, name in enumerate(ODD_NAMES):
        body = text.replace("quantity: 40", "quantity: forty")
        body = re.sub(r"id: ([a-z-]+)", rf"id: \1-{i}", body)
        (pack / name).write_text(body)
    return pack


def _finding(i: int, severity: Severity = Severity.ERROR, file: str = "pledges.yaml") -> Finding:
    message = f"`quantity` must be a number, got the text \"ten\" (in pledge 'p-{i}')."
    return Finding(
        "SV101", severity, message, "Write a number.", Location(file, i + 1, 5, f"/p/{i}")
    )


def _many(errors: int, warnings: int = 0) -> ValidationReport:
    findings = [_finding(i) for i in range(errors)]
    findings += [_finding(errors + i, Severity.WARNING) for i in range(warnings)]
    return ValidationReport(level=1, documents=1, findings=tuple(findings), files=("pledges.yaml",))


# ------------------------------------------------------------------------------------
# SARIF


def _check_jsonschema(schema: Path, instance: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(instance)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sarif_passes_the_official_schema(run: Run, tmp_path: Path) -> None:
    schema = vendor_file("sarif-schema-2.1.0.json")
    out = tmp_path / "svqm.sarif"
    assert run("validate", _odd_pack(tmp_path), "--format", "sarif", "--output", out).returncode
    result = _check_jsonschema(schema, out)
    assert result.returncode == 0, result.stdout + result.stderr
    big = tmp_path / "big.sarif"
    big.write_text(ci.sarif(_many(300, 40)))
    result = _check_jsonschema(schema, big)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sarif_file_names_are_uri_references(run: Run, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    log = json.loads(run("validate", _odd_pack(tmp_path), "--format", "sarif").stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"case%20study%20%231.yaml", "r%C3%A9sum%C3%A9.yaml", "a%60b%7Cc.yaml"}
    checker = Draft202012Validator.FORMAT_CHECKER
    if "uri-reference" not in checker.checkers:
        pytest.skip("no uri-reference checker: pip install rfc3986-validator")
    assert all(checker.conforms(u, "uri-reference") for u in uris)
    assert not checker.conforms("case study #1.yaml", "uri-reference")  # the check can fail


def _multitool() -> Path:
    folder = npm_package("@microsoft/sarif-multitool")
    native = folder.parent / "sarif-multitool-linux" / "Sarif.Multitool"
    if not native.is_file():
        pytest.skip(
            "the SARIF Multitool's Linux build did not install (@microsoft/sarif-multitool)"
        )
    return native


def test_sarif_multitool_finds_no_errors_or_warnings(run: Run, tmp_path: Path) -> None:
    tool = _multitool()
    log = tmp_path / "svqm.sarif"
    run("validate", _odd_pack(tmp_path), "--format", "sarif", "--output", log)
    report = tmp_path / "multitool.sarif"
    result = subprocess.run(
        [str(tool), "validate", str(log), "--level", "Error;Warning", "-o", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    found = json.loads(report.read_text())["runs"][0]["results"]
    rules = sorted({r["ruleId"] for r in found})
    # SARIF2005 asks for the tool's web address (informationUri), which svqm gives only when
    # the package metadata names one ([project.urls] Documentation in pyproject.toml).
    allowed = [] if ci._home_page() else ["SARIF2005"]
    assert rules in ([], allowed), result.stdout[-2000:]


def test_sarif_keeps_to_githubs_25000_results_and_says_what_it_left_out() -> None:
    report = _many(25_500, 1_000)
    log = json.loads(ci.sarif(report))
    (run_,) = log["runs"]
    results = run_["results"]
    assert len(results) == ci.SARIF_MAX_RESULTS
    assert all(r["level"] == "error" for r in results)  # errors are kept first
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert "1,500 findings of 26,500 left out" in note["message"]["text"]
    assert "svqm validate" in note["message"]["text"]
    assert run_["properties"] == {"findingsTotal": 26_500, "findingsLeftOut": 1_500}
    small = json.loads(ci.sarif(_many(3)))["runs"][0]
    assert "invocations" not in small and len(small["results"]) == 3


def test_sarif_fingerprints_survive_a_line_inserted_above(run: Run, tmp_path: Path) -> None:
    pack = _odd_pack(tmp_path)

    def prints() -> list[tuple[str, int]]:
        log = json.loads(run("validate", pack, "--format", "sarif").stdout)
        return sorted(
            (
                r["partialFingerprints"]["svqmFinding/v1"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in log["runs"][0]["results"]
        )

    before = prints()
    target = pack / "résumé.yaml"
    target.write_text("# a comment added at the top\n" + target.read_text())
    after = prints()
    assert [p for p, _ in before] == [p for p, _ in after]
    assert [line for _, line in before] != [line for _, line in after]
    assert len({p for p, _ in before}) == len(before)


def test_sarif_regions_end_after_the_value(run: Run, tmp_path: Path) -> None:
    log = json.loads(run("validate", _odd_pack(tmp_path), "--format", "sarif").stdout)
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["endLine"] == region["startLine"]
        # `forty` starts at startColumn: five characters
        assert region["endColumn"] - region["startColumn"] == len("forty")


# ------------------------------------------------------------------------------------
# GitHub annotations and the step summary


def test_annotations_stop_at_ten_of_each_type_and_say_how_many_more() -> None:
    lines = ci.github(_many(25, 3)).splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(errors) == ci.ANNOTATIONS_PER_TYPE and len(warnings) == 3
    assert "16 errors of 25 are not annotated" in errors[-1]
    assert "summary" in errors[-1] and "svqm validate" in errors[-1]
    assert len(ci.github(_many(10)).splitlines()) == 10  # exactly ten: all shown


def test_step_summary_keeps_to_one_mib_and_counts_the_rest() -> None:
    report = _many(20_000, 6_000)
    text = ci.step_summary(report)
    size = len(text.encode())
    assert ci.SUMMARY_MAX_BYTES - 2_000 < size <= ci.SUMMARY_MAX_BYTES
    listed = text.count("\n| SV101 |")
    match = re.search(r"\*\*([\d,]+) findings of 26,000 not listed:\*\*", text)
    assert match and int(match.group(1).replace(",", "")) == 26_000 - listed
    assert "svqm validate" in text.split("not listed")[1]
    # Room already used by earlier commands of the step is left alone.
    assert len(ci.step_summary(report, 100_000).encode()) <= 100_000
    assert ci.step_summary(report, 50) == ""


def _render_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def test_step_summary_shows_pack_text_as_text() -> None:
    hostile = "![x](https://example.org/a.png) <b>bold</b> [link](https://e.org) $x$ a|b `c`"
    finding = Finding(
        "SV101", Severity.ERROR, hostile, "*fix* _it_", Location("a`b|c.yaml", 3, 4, "/x")
    )
    report = ValidationReport(level=1, documents=1, findings=(finding,))
    html = _render_markdown(ci.step_summary(report))
    assert "<img" not in html and "<a " not in html and "<b>" not in html
    assert "<em>" not in html and "<code>" not in html
    body = html.split("<tbody>")[1]
    assert body.count("<td>") == 5  # the bar and backtick in the file name stay in one cell
    assert "a`b|c.yaml:3" in body and "![x](https://example.org/a.png)" in body.replace(
        "&quot;", '"'
    )


def test_format_github_in_actions_also_writes_the_summary(run: Run, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("validate", _odd_pack(tmp_path), "--format", "github", env=env)
    assert result.returncode == 1
    assert len([x for x in result.stdout.splitlines() if x.startswith("::error")]) == 3
    assert summary.read_text().count("| SV101 |") == 3


# ------------------------------------------------------------------------------------
# JUnit


def _junit(run: Run, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "junit.xml"
    run("validate", _odd_pack(tmp_path), "--format", "junit", "--output", out, *args)
    return out


def test_junit_passes_the_windyroad_xsd(run: Run, tmp_path: Path) -> None:
    xsd = vendor_file("junit-windyroad.xsd")
    xmlschema = pytest.importorskip("xmlschema", reason="pip install xmlschema")
    schema = xmlschema.XMLSchema(str(xsd))
    out = _junit(run, tmp_path)
    errors = [str(e.reason) for e in schema.iter_errors(str(out))]
    assert errors == []
    warn = tmp_path / "warn.xml"
    warn.write_text(ci.junit(_many(2, 3)))
    assert [str(e.reason) for e in schema.iter_errors(str(warn))] == []
    # The check can fail: the shape svqm wrote before (several failures in one case).
    old = tmp_path / "old.xml"
    old.write_text(
        '<testsuites><testsuite name="svqm validate" tests="1" failures="1" errors="0">'
        '<testcase classname="svqm" name="pledges.yaml"><failure type="SV101"/>'
        '<failure type="SV102"/></testcase></testsuite></testsuites>'
    )
    assert list(schema.iter_errors(str(old)))


def test_junit_in_junitparser_one_failure_per_case(run: Run, tmp_path: Path) -> None:
    junitparser = pytest.importorskip("junitparser", reason="pip install junitparser")
    xml = junitparser.JUnitXml.fromfile(str(_junit(run, tmp_path)))
    cases = [(suite, case) for suite in xml for case in suite]
    failing = [(s, c) for s, c in cases if not c.is_passed and not c.is_skipped]
    assert len(failing) == 3  # one per error finding (SV101 in each odd file)
    for suite, case in failing:
        (result,) = case.result  # one <failure>: what Jenkins, GitLab and dorny show
        assert isinstance(result, junitparser.Failure)
        assert result.type == "SV101" and "Fix:" in (result.text or "")
        assert case.name.startswith("SV101 ") and suite.name in case.name
    # Counts agree with what parsers recount from the cases.
    for suite in xml:
        recount = sum(1 for c in suite if c.result and isinstance(c.result[0], junitparser.Failure))
        assert suite.failures == recount and suite.tests == len(list(suite))


def test_junit_warnings_are_skipped_cases_and_fail_with_strict(tmp_path: Path) -> None:
    root = ElementTree.fromstring(ci.junit(_many(1, 2)))
    (suite,) = root.findall("testsuite")
    assert suite.get("failures") == "1" and suite.get("skipped") == "2"
    skipped = [c.find("skipped") for c in suite.findall("testcase")]
    assert sum(1 for s in skipped if s is not None and "Warning:" in s.get("message", "")) == 2
    strict = ValidationReport(level=1, documents=1, findings=_many(1, 2).findings, strict=True)
    (suite,) = ElementTree.fromstring(ci.junit(strict)).findall("testsuite")
    assert suite.get("failures") == "3" and suite.get("skipped") == "0"


def test_junit_is_the_same_bytes_every_run(run: Run, tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = _junit(run, tmp_path / "one").read_bytes()
    assert _junit(run, tmp_path / "two").read_bytes() == first
    assert b'timestamp="1970-01-01T00:00:00"' in first


def _gitlab_like(xml: str) -> list[dict[str, Any]]:
    """How GitLab reads a test case: the failure's text as one string (its parser turns
    several <failure> elements into a list, which it cannot show)."""
    out = []
    for case in ElementTree.fromstring(xml).iter("testcase"):
        failures = case.findall("failure")
        assert len(failures) <= 1, case.get("name")
        out.append({"name": case.get("name"), "text": failures[0].text if failures else None})
    return out


def test_junit_gives_gitlab_one_text_per_case(run: Run, tmp_path: Path) -> None:
    cases = _gitlab_like(_junit(run, tmp_path).read_text())
    assert sum(1 for c in cases if isinstance(c["text"], str) and "SV101" in c["text"]) == 3
    several = _gitlab_like(ci.junit(_many(4)))  # four errors in one file: four cases
    assert [c["text"].split()[0] for c in several] == [f"pledges.yaml:{i}:5" for i in (1, 2, 3, 4)]
