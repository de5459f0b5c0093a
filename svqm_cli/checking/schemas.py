"""The schema registry (package data), cached validators, and schema errors as Findings.

Each kind has a base schema ``<kind>.json``; a level that asks for more adds an overlay
``<kind>.level-N.json`` (a ``$ref`` to the one below plus extra ``required``). The overlay
that applies is the highest N not above the pack's level.
"""

from __future__ import annotations

import json
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


# ----------------------------------------------------------------------------------
# Errors -> findings


def check_document(kind: str, level: int, data: Any, file: str) -> list[Finding]:
    """Every schema problem of one document, in plain English."""
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
