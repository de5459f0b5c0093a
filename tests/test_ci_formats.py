"""CI formats of `svqm validate`: GitHub workflow commands, SARIF 2.1.0, JUnit XML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from svqm_cli.base.findings import Finding, Location, Severity
from svqm_cli.checking.check import ValidationReport
from svqm_cli.reporters import ci
from tests.conftest import EXAMPLES, INVALID, Run

GITHUB_LINE = re.compile(
    r"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=(SV\d{3})[^:]*::(.+)$"
)


def case(code: str) -> Path:
    return next(p for p in INVALID if p.name.startswith(code))


def test_github_lines_follow_the_workflow_command_format(run: Run) -> None:
    result = run("validate", case("sv202"), "--format", "github")
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 2
    for line in lines:
        match = GITHUB_LINE.match(line)
        assert match, line
        assert match.group(2) == "tests/packs/invalid/sv202-unresolved-reference/pledges.yaml"
        assert match.group(5) == "SV202"


def test_github_escapes_newlines_and_separators() -> None:
    finding = Finding(
        "SV101", Severity.WARNING, "a: b, c\nd 100%", "fix,it", Location("a,b:c.yaml", 3, 4, "/x")
    )
    report = ValidationReport(level=1, documents=1, findings=(finding,))
    (line,) = ci.github(report).splitlines()
    assert line.startswith("::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=SV101")
    assert "\n" not in line and "d 100%25" in line


def test_sarif_has_what_code_scanning_reads(run: Run) -> None:
    log = json.loads(run("validate", case("sv401"), "--format", "sarif").stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "svqm" and [r["id"] for r in driver["rules"]] == ["SV401"]
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "warning"
    (result,) = run_["results"]
    assert result["ruleId"] == "SV401" and result["ruleIndex"] == 0
    assert result["level"] in ("error", "warning", "note", "none")
    assert result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("sv401-no-adjustments/forecast.yaml")
    assert location["region"] == {"startLine": 8, "startColumn": 5, "endLine": 8, "endColumn": 13}
    assert run_["columnKind"] == "unicodeCodePoints"
    assert len(result["partialFingerprints"]["svqmFinding/v1"]) == 32
    assert "**How to fix:**" in driver["rules"][0]["help"]["markdown"]


def test_sarif_matches_the_sarif_objects_svqm_writes(run: Run) -> None:
    from jsonschema import Draft7Validator

    schema = json.loads((Path(__file__).parent / "sarif-subset.schema.json").read_text())
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    for name in ("sv202", "sv401", "sv003", "sv209"):
        log = json.loads(run("validate", case(name), "--format", "sarif").stdout)
        assert [e.message for e in validator.iter_errors(log)] == [], name


def test_junit_is_one_case_per_finding(run: Run) -> None:
    result = run("validate", case("sv201"), "--format", "junit")
    root = ElementTree.fromstring(result.stdout)
    suites = {s.get("name", "").rsplit("/", 1)[-1]: s for s in root.findall("testsuite")}
    assert set(suites) == {"svqm.yaml", "pledges.yaml", "more-pledges.yaml"}
    (failed,) = [s for s in suites.values() if s.get("failures") != "0"]
    (failing_case,) = failed.findall("testcase")
    assert failing_case.get("name", "").startswith("SV201 ")
    (failure,) = failing_case.findall("failure")
    assert failure.get("type") == "SV201" and "Fix:" in (failure.text or "")
    passing = suites["svqm.yaml"].findall("testcase")
    assert len(passing) == 1 and passing[0].get("name", "").endswith("svqm.yaml: no problems")


def test_valid_pack_gives_empty_ci_reports(run: Run) -> None:
    assert run("validate", EXAMPLES[0], "--format", "github").stdout == ""
    log = json.loads(run("validate", EXAMPLES[0], "--format", "sarif").stdout)
    assert log["runs"][0]["results"] == []
    suites = ElementTree.fromstring(run("validate", EXAMPLES[0], "--format", "junit").stdout)
    assert {s.get("failures") for s in suites.findall("testsuite")} == {"0"}


def test_output_file_with_text_on_the_terminal(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "results.sarif"
    result = run("validate", case("sv202"), "--format", "sarif", "--output", out)
    assert result.returncode == 1
    assert "Not valid: 2 errors" in result.stdout and "SV202" in result.stdout
    assert json.loads(out.read_text())["runs"][0]["results"]


@pytest.mark.parametrize("env_on", [True, False])
def test_github_actions_annotations_and_step_summary(
    run: Run, tmp_path: Path, env_on: bool
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier steps\n")
    env = {"GITHUB_ACTIONS": "true" if env_on else "false", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("validate", case("sv202"), env=env)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    text = summary.read_text()
    if env_on:
        assert len(annotations) == 2
        assert text.startswith("# earlier steps\n### svqm validate: not valid")
        assert text.count("| SV202 |") == 2
    else:
        assert annotations == [] and text == "# earlier steps\n"
