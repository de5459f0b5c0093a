"""The README lists every code; every rule is documented and tested by a broken pack."""

from __future__ import annotations

import json

from svqm_cli.base.findings import CODES
from svqm_cli.reporters.codes import END, START, codes_table
from svqm_cli.rules import all_rules
from tests.conftest import INVALID, ROOT

# Codes no broken pack can show, each with the unit test that covers it instead.
TESTED_ELSEWHERE = {
    "SV011": "tests/test_yaml_io.py::test_file_size_limit (a 20 MiB file is not kept in git)",
    "SV100": "tests/test_docs.py::test_fallback_schema_code (no shipped schema reaches it)",
}


def test_readme_table_matches_the_code_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert table == codes_table(), "run: python -m svqm_cli.reporters.codes README.md"


def test_every_code_has_a_broken_pack() -> None:
    shown = {
        f["code"]
        for case in INVALID
        for f in json.loads((case / "expected.json").read_text())["findings"]
    }
    missing = set(CODES) - shown - set(TESTED_ELSEWHERE)
    assert not missing


def test_every_rule_is_documented_with_bad_and_good() -> None:
    for registered in all_rules():
        doc = registered.fn.__doc__ or ""
        assert "Bad" in doc and "Good" in doc, registered.fn.__name__


def test_every_rule_code_is_in_the_table() -> None:
    for registered in all_rules():
        assert all(code in CODES for code in registered.codes)
    emitted = {c for r in all_rules() for c in r.codes}
    # SV209 is found where svqm.yaml's `rules:` are applied (check._apply_overrides).
    assert {c for c in CODES if c >= "SV200"} == emitted | {"SV209"}


def test_fallback_schema_code() -> None:
    from jsonschema import Draft202012Validator

    from svqm_cli.checking.schema_messages import translate

    (error,) = Draft202012Validator({"multipleOf": 5}).iter_errors(7)
    (finding,) = translate(error, 7, "x.yaml")
    assert finding.code == "SV100" and "multiple of 5" in finding.message
