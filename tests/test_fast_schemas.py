"""The compiled validator (fastjsonschema) that validate tries first never accepts what
jsonschema refuses: on every example, every test pack (valid and broken) and thousands of
mutations of them, both paths give the same findings."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from svqm_cli.base.vocabulary import KINDS
from svqm_cli.checking import schemas
from svqm_cli.checking.schema_messages import translate
from svqm_cli.reading.yaml_io import load_bytes

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests" / "packs")
    for p in folder.rglob("*.y*ml")
    if p.is_file()
)
# Keywords that Draft 7 (what fastjsonschema compiles) and Draft 2020-12 (what jsonschema
# checks) read alike. A schema using any other keyword must be looked at before it is added.
SAME_IN_BOTH = {
    "additionalProperties", "allOf", "anyOf", "const", "else", "enum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maximum", "minItems", "minLength",
    "minProperties", "minimum", "not", "pattern", "patternProperties", "properties",
    "propertyNames", "required", "then", "type", "uniqueItems",
}  # fmt: skip
ANNOTATIONS = {"title", "description", "$comment", "default", "examples"}


def loaded_documents() -> Iterator[tuple[str, Any]]:
    for path in DOCUMENTS:
        data = load_bytes(path.read_bytes(), path.name).data
        if isinstance(data, dict) and data.get("kind") in KINDS:
            yield data["kind"], data


def slow_findings(kind: str, level: int, data: Any) -> list[tuple[str, str, str]]:
    """check_document without the compiled validator: jsonschema alone."""
    errors = schemas.validator_for(kind, level).iter_errors(data)
    ordered = sorted(errors, key=lambda e: (list(map(str, e.path)), e.validator))
    found = {
        (f.code, f.location.pointer, f.message) for e in ordered for f in translate(e, data, "x")
    }
    return sorted(found)


def fast_findings(kind: str, level: int, data: Any) -> list[tuple[str, str, str]]:
    found = schemas.check_document(kind, level, data, "x")
    return sorted({(f.code, f.location.pointer, f.message) for f in found})


def keywords(schema: Any, parent: str | None = None) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if parent in ("properties", "patternProperties"):
                yield from keywords(value)
                continue
            yield key
            yield from keywords(value, key)
    elif isinstance(schema, list):
        for item in schema:
            yield from keywords(item)


def test_schemas_use_only_keywords_both_drafts_read_alike() -> None:
    for kind in KINDS:
        for level in range(1, 5):
            name = schemas.schema_name(kind, level)
            used = set(keywords(schemas.inline(schemas._schema_files()[name], name)))
            odd = {k for k in used if not k.startswith("x-")} - SAME_IN_BOTH - ANNOTATIONS
            assert not odd, (name, odd)
            assert schemas.fast_validator_for(kind, level) is not None, name


def test_date_format_is_jsonschemas() -> None:
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    wide = "\uff12\uff10\uff12\uff13-01-01"  # full-width digits: not ASCII
    for text in ("2024-02-29", "2023-02-29", "2023-13-01", "2023-1-01", wide,
                 "2023-01-01\n", "2023-01-01T00:00", "20230101", ""):  # fmt: skip
        assert schemas.is_date(text) == checker.conforms(text, "date"), text


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_every_document_gives_the_same_findings_both_ways(level: int) -> None:
    seen = 0
    for kind, data in loaded_documents():
        assert fast_findings(kind, level, data) == slow_findings(kind, level, data), kind
        seen += 1
    assert seen > 40


MUTANTS: tuple[Any, ...] = (
    True, False, None, "", "x\n", " ", 0, -1, 10**30, Decimal("0.5"), Decimal("1.0"),
    Decimal("-0.01"), Decimal("1E+3"), "2023-02-31", "2023-02-28\n", "Not A Slug",
    "a-b\n", [], {}, [1, 1], ["a", "a"], {"x-note": 1}, {"bogus": 1}, 1, 2, "bronze",
)  # fmt: skip


def paths(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*at, key)
            yield from paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*at, index)
            yield from paths(value, (*at, index))


def test_mutations_of_every_example_agree() -> None:
    """Each value of each example replaced by odd values, at the example's own level and
    at level 4: the compiled validator accepts only what jsonschema accepts."""
    checked = 0
    for kind, data in loaded_documents():
        for where in list(paths(data))[:120:4]:  # a sample of the larger documents
            node = data
            for part in where[:-1]:
                node = node[part]
            old = node[where[-1]]
            for value in MUTANTS:
                node[where[-1]] = copy.deepcopy(value)
                for level in (1, 4):
                    if schemas.is_valid_fast(kind, level, data):
                        assert schemas.validator_for(kind, level).is_valid(data), (
                            kind, where, value)  # fmt: skip
                    checked += 1
            node[where[-1]] = old
    assert checked > 2_000


def test_a_compiled_validator_does_not_fill_in_defaults() -> None:
    data = {"kind": "pledges", "pledges": []}
    before = copy.deepcopy(data)
    schemas.is_valid_fast("pledges", 1, data)
    assert data == before


def test_dates_refused_both_ways() -> None:
    today = dt.date(2024, 2, 29).isoformat()
    assert schemas.is_date(today)
    assert not schemas.is_date("2023-02-29")
