"""Data-driven: each folder in tests/packs/invalid is a broken pack with expected.json.

Adding a case needs no code: a folder, its files and the exact findings expected.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svqm_cli.checking.check import validate
from tests.conftest import INVALID


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_broken_pack_gives_exactly_its_findings(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    report = validate(case)
    got = [
        {
            "code": f.code,
            "file": f.location.file,
            "line": f.location.line,
            "column": f.location.column,
        }
        for f in report.findings
    ]
    assert got == expected["findings"]
    assert report.exit_code == expected["exit_code"]


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_case_is_named_after_its_code(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    code = case.name.split("-", 1)[0].upper()
    assert code in {f["code"] for f in expected["findings"]}


def test_every_message_says_where_and_how() -> None:
    for case in INVALID:
        for finding in validate(case).findings:
            assert finding.message.strip(), case.name
            assert finding.hint.strip(), case.name
            assert finding.location.line >= 1, case.name
            assert finding.location.column >= 1, case.name
            assert "jsonschema" not in finding.message
            assert "is a required property" not in finding.message
