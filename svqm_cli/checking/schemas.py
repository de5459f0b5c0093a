"""The schema registry (package data), cached validators, and schema errors as Findings.

Each kind has a base schema ``<kind>.json``; a level that asks for more adds an overlay
``<kind>.level-N.json`` (a ``$ref`` to the one below plus extra ``required``). The overlay
that applies is the highest N not above the pack's level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from svqm_cli.base import resources
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.base.vocabulary import KINDS
from svqm_cli.reading.yaml_io import escape_pointer

BASE_URI = "https://svqm.dev/schema/1/"
KIND_SCHEMAS = KINDS
SHARES = {
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "discount_rate",
    "suppliers",
    "staff",
}
# How a list's items are called in messages ("in outcome 'earlier-diagnosis'").
NOUNS = {
    "pledges": "pledge",
    "targets": "target",
    "progress": "progress entry",
    "stakeholders": "stakeholder",
    "proxies": "proxy",
    "inputs": "input",
    "outcomes": "outcome",
    "coverage": "service",
    "spend": "spend line",
    "themes": "theme",
    "systems": "data system",
    "quotes": "quote",
    "commitments": "commitment",
    "delivered": "delivery",
    "measures": "measure",
}


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


def schema_text(kind: str | None, level: int) -> str:
    """The schema for KIND (or for any document) as one self-contained JSON document.

    Referenced files are embedded under ``$defs`` with their own ``$id``: the bundling
    that JSON Schema 2020-12 defines, so editors resolve everything offline.
    """
    files = _schema_files()
    top_name = schema_name(kind, level) if kind else "document.json"
    top = json.loads(json.dumps(files[top_name]))
    if kind is None:  # the dispatching schema checks each kind at the chosen level
        for branch in top["allOf"]:
            branch["then"]["$ref"] = schema_name(branch["if"]["properties"]["kind"]["const"], level)
    needed: set[str] = set()
    pending = [r.split("#", 1)[0] for r in _refs(top)]
    while pending:
        name = pending.pop()
        if name and name != top_name and name not in needed:
            needed.add(name)
            pending.extend(r.split("#", 1)[0] for r in _refs(files[name]))
    defs = top.setdefault("$defs", {})
    for name in sorted(needed):
        defs[f"svqm:{name}"] = files[name]
    return json.dumps(top, indent=2, ensure_ascii=False) + "\n"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


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
        for finding in _translate(error, data, file):
            key = (finding.code, finding.location.pointer, finding.message)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return findings


def pointer_of(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(p)}" for p in path)


def _field(path: Sequence[Any]) -> str:
    for index, part in enumerate(reversed(path)):
        if isinstance(part, str):
            if index == 0:
                return f"`{part}`"
            item = path[len(path) - index]
            return f"item {item + 1} of `{part}`" if isinstance(item, int) else f"`{part}`"
    return "the document"


def _context(path: Sequence[Any], data: Any) -> str:
    """ "target 1 of pledge 'community-pop-ups'": the list items that hold PATH, inner first."""
    labels: list[str] = []
    node = data
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and i > 0 and isinstance(path[i - 1], str):
            if i == len(path) - 1:
                continue  # the item itself is the subject, not its context
            noun = NOUNS.get(path[i - 1], "item")
            ident: Any = node.get("id") if isinstance(node, dict) else None
            if not isinstance(ident, str) and isinstance(node, dict):
                ident = node.get("service")
            labels.append(f"{noun} '{ident}'" if isinstance(ident, str) else f"{noun} {part + 1}")
    return " of ".join(reversed(labels))


def _say(text: str, context: str, tail: str = "") -> str:
    """TEXT (in CONTEXT). TAIL"""
    where = f" (in {context})" if context else ""
    return f"{text}{where}.{tail}"


def describe(value: Any) -> str:
    """How a value looks to a person: 'the text "eighty"', 'a list', 'nothing'."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'the text "{shown}"'
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return f"the number {value}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a set of fields (key: value lines)"
    return f"the value {value!r}"


_NUMBERISH = re.compile(r"[£$€]?\s*-?[\d,]+(\.\d+)?\s*%?")
_EXPECTED = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list (lines starting with '- ', or [a, b])",
    "object": "a set of fields (key: value lines)",
    "boolean": "true or false",
    "null": "empty",
}


def _hint_from(error: Any, default: str | None = None) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-hint")
    return hint if isinstance(hint, str) else default


def _translate(error: Any, data: Any, file: str) -> Iterator[Finding]:
    path = list(error.absolute_path)
    pointer = pointer_of(path)
    ctx = _context(path, data)
    field = _field(path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    if kind == "type":
        types = error.validator_value
        types = types if isinstance(types, list) else [types]
        wanted = " or ".join(_EXPECTED.get(str(t), str(t)) for t in types)
        if value is None:
            message = _say(f"{field} is empty: write {wanted}", ctx)
        else:
            message = _say(f"{field} must be {wanted}, got {describe(value)}", ctx)
        hint = None
        numeric = "number" in types or "integer" in types
        if numeric and isinstance(value, str) and _NUMBERISH.fullmatch(value.strip()):
            hint = (
                "Write numbers without '£', commas or '%': 1250.50, and shares as "
                "0..1 (25% is 0.25)."
            )
        yield make("SV101", message, file, pointer, hint=hint)
    elif kind == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        if path and isinstance(path[-1], int):
            ctx = _context([*path, ""], data)
        elif path:
            ctx = f"{field}" + (f" of {ctx}" if ctx else "")
        for key in missing:
            yield make(
                "SV102", _say(f"`{key}` is missing", ctx), file, pointer, hint=_hint_from(error)
            )
    elif kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        if path and isinstance(path[-1], int):
            ctx = _context([*path, ""], data)
        for key in value if isinstance(value, dict) else ():
            if key in allowed or any(p.search(key) for p in patterns):
                continue
            message = _say(f"Unknown field `{key}`", ctx, did_you_mean(key, allowed))
            hint = (
                (
                    "Allowed here: "
                    + ", ".join(allowed)
                    + ". For your own notes start the key with 'x-'."
                )
                if allowed
                else None
            )
            if " " in key.strip():
                hint = (
                    "Inside { } a comma ends a value, so the text after it became a key: "
                    'put the whole value in quotes (description: "Carbon, travel and '
                    'waste").'
                )
            yield make(
                "SV103", message, file, f"{pointer}/{escape_pointer(key)}", hint=hint, target="key"
            )
    elif kind == "False":
        yield make("SV103", _say(f"{field} is not allowed here", ctx), file, pointer, target="key")
    elif kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        shown = ", ".join(str(c) for c in choices)
        tail = did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
        if len(choices) == 1:
            message = _say(f"{field} must be {shown}, got {describe(value)}", ctx, tail)
        else:
            message = _say(f"{field} must be one of: {shown}; got {describe(value)}", ctx, tail)
        yield make("SV104", message, file, pointer)
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[kind]
        message = _say(f"{field} must be {relation} {error.validator_value}, got {value}", ctx)
        name = path[-1] if path and isinstance(path[-1], str) else ""
        hint = None
        if schema.get("x-share") or name in SHARES:
            hint = "Shares are written between 0 and 1: 25% is 0.25."
        yield make("SV105", message, file, pointer, hint=hint)
    elif kind in ("pattern", "format", "minLength", "maxLength"):
        expected: Any = schema.get("x-expected")
        hint = None
        if kind == "format":
            message = _say(f"{field} is not a real date: {describe(value)}", ctx)
            hint = "Dates are written YYYY-MM-DD and must exist in the calendar."
        elif kind == "minLength" or (kind == "pattern" and expected == "some text"):
            message = _say(f"{field} is empty: write some text", ctx)
            hint = "Write the text, or remove the field if it does not apply."
        elif kind == "maxLength":
            message = _say(f"{field} is longer than {error.validator_value} characters", ctx)
        elif expected:
            message = _say(f"{field} must be {expected}, got {describe(value)}", ctx)
        else:
            message = _say(f"{field} has the wrong form: {describe(value)}", ctx)
        if isinstance(value, str) and expected and "id of" in expected:
            slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            if slug:
                hint = f"Write it as '{slug}'."
        yield make("SV106", message, file, pointer, hint=hint)
    elif kind in ("minItems", "maxItems", "uniqueItems"):
        if kind == "minItems":
            n = error.validator_value
            text = f"{field} is empty: it needs at least {n} item{'s' if n != 1 else ''}"
        elif kind == "maxItems":
            text = f"{field} has more than {error.validator_value} items"
        else:
            text = f"{field} lists the same item more than once"
        yield make("SV107", _say(text, ctx), file, pointer, hint=_hint_from(error))
    elif kind == "propertyNames":
        rule = error.validator_value if isinstance(error.validator_value, dict) else {}
        for key in value if isinstance(value, dict) else ():
            if not re.fullmatch(rule.get("pattern", ".*"), str(key)):
                expected = rule.get("x-expected", "a valid name")
                yield make(
                    "SV106",
                    _say(f"`{key}` must be {expected}", ctx),
                    file,
                    f"{pointer}/{escape_pointer(key)}",
                    target="key",
                )
    elif kind in ("anyOf", "oneOf"):
        context = list(error.context or ())
        options = [e for e in context if e.validator == "required"]
        if options and len(options) == len(context):
            names = " or ".join(f"`{k}`" for e in options for k in e.validator_value)
            if path and isinstance(path[-1], int):
                ctx = _context([*path, ""], data)
            yield make("SV102", _say(f"Give {names}", ctx), file, pointer, hint=_hint_from(error))
        elif context:
            from jsonschema.exceptions import best_match

            yield from _translate(best_match(context), data, file)
    else:
        yield make("SV100", _say(f"{field}: {error.message}", ctx), file, pointer)
