"""The schema registry (package data), cached validators, and schema errors as Findings.

Each kind has a base schema ``<kind>.json``; a level that asks for more adds an overlay
``<kind>.level-N.json`` (a ``$ref`` to the one below plus extra ``required``). The overlay
that applies is the highest N not above the pack's level.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from svqm_cli.base import resources
from svqm_cli.base.findings import Finding
from svqm_cli.base.vocabulary import KINDS
from svqm_cli.checking.schema_messages import translate

BASE_URI = "https://svqm.dev/schema/1/"
KIND_SCHEMAS = KINDS


@cache
def _schema_files() -> dict[str, dict[str, Any]]:
    folder = resources.schemas_dir()
    out: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            out[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
    return out


def schema_name(kind: str, level: int) -> str:
    """The file name of the schema that applies to KIND at LEVEL."""
    files = _schema_files()
    for n in range(level, 1, -1):
        name = f"{kind}.level-{n}.json"
        if name in files:
            return name
    return f"{kind}.json"


_ANNOTATIONS = ("title", "description", "$comment")


def inline(schema: Any, current: str) -> Any:
    """SCHEMA with every $ref replaced by what it names (svqm's schemas do not recurse).

    Validating an inlined schema needs no reference lookups at all, which makes checking
    thousands of outcomes several times faster. A $ref with validation keywords beside it
    becomes an allOf, as Draft 2020-12 defines it; annotations beside it win.
    """
    files = _schema_files()
    if isinstance(schema, list):
        return [inline(item, current) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        k: inline(v, current)
        for k, v in schema.items()
        if k not in ("$ref", "$defs", "$id", "$schema")
    }
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return out
    name, _, fragment = ref.partition("#")
    name = name or current
    target: Any = files[name]
    for part in [p for p in fragment.split("/") if p]:
        target = target[part]
    resolved = inline(target, name)
    if all(k in _ANNOTATIONS or k.startswith("x-") for k in out):
        return {**resolved, **out}
    return {"allOf": [resolved], **out}


@cache
def validator_for(kind: str, level: int) -> Any:
    """A compiled Draft 2020-12 validator, built once per run for each (kind, level)."""
    from jsonschema import Draft202012Validator

    name = schema_name(kind, level)
    schema = inline(_schema_files()[name], name)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # as jsonschema's own date check


def is_date(value: str) -> bool:
    """`format: date` exactly as jsonschema's FORMAT_CHECKER judges it."""
    try:
        return bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


@cache
def fast_validator_for(kind: str, level: int) -> Callable[[Any], Any] | None:
    """The same schema compiled to Python by fastjsonschema: about twenty times faster than
    jsonschema on a valid document, but it stops at the first problem and words it its own
    way, so it only says "valid"; a document it refuses is checked again by jsonschema for
    the findings. None when the schema cannot be compiled (jsonschema alone then).

    It must never accept what jsonschema refuses (tests/test_fast_schemas.py): formats use
    jsonschema's own date check, defaults are not filled in, and svqm's schemas use only
    keywords that Draft 7 and Draft 2020-12 read alike (checked there too).
    """
    import fastjsonschema

    name = schema_name(kind, level)
    schema = {**inline(_schema_files()[name], name), "$schema": DRAFT_7}
    try:
        return fastjsonschema.compile(schema, formats={"date": is_date}, use_default=False)
    except (fastjsonschema.JsonSchemaDefinitionException, re.error, SyntaxError):
        return None


DRAFT_7 = "http://json-schema.org/draft-07/schema#"


def is_valid_fast(kind: str, level: int, data: Any) -> bool:
    """True when the compiled validator accepts DATA (then jsonschema would too)."""
    from fastjsonschema import JsonSchemaValueException

    validate = fast_validator_for(kind, level)
    if validate is None:
        return False
    try:
        validate(data)
    except JsonSchemaValueException:
        return False
    return True


# ----------------------------------------------------------------------------------
# Errors -> findings


def check_document(kind: str, level: int, data: Any, file: str) -> list[Finding]:
    """Every schema problem of one document, in plain English."""
    if is_valid_fast(kind, level, data):
        return []
    validator = validator_for(kind, level)
    errors = sorted(
        validator.iter_errors(data), key=lambda e: (list(map(str, e.path)), e.validator)
    )
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for error in errors:
        for finding in translate(error, data, file):
            key = (finding.code, finding.location.pointer, finding.message)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return findings
