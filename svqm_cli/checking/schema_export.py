"""The schemas as other tools read them (`svqm schema`): one self-contained file per kind.

Each file is a JSON Schema 2020-12 bundle: the kind's schema at the chosen level on top,
under its own ``$id``, and every schema file it refers to embedded under ``$defs`` with its
own ``$id``. Three things make the bundle load in real clients, each found by trying them:

- inside an embedded schema every ``$ref`` names its file (``common.json#/$defs/text``,
  never ``#/$defs/text``): yaml-language-server resolves a bare fragment inside an embedded
  resource against the wrong document ("$ref '/$defs/text' cannot be resolved");
- the top's ``$id`` (``.../bundle/level-N/KIND.json``) is not the ``$id`` of any schema a
  bundle embeds, so Ajv can load every written file into one instance without two
  documents claiming the same ``$id`` with different content;
- svqm's own annotations (``x-hint``, ``x-expected``, ``x-share``: the wording of its
  messages) are left out: Ajv's strict mode refuses keywords it does not know, and no other
  tool reads them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from svqm_cli.checking.schemas import BASE_URI, _schema_files, schema_name

# Keywords whose value is a map of names to schemas, a list of schemas, or one schema.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contentSchema",
)


def bundle_uri(kind: str | None, level: int) -> str:
    return f"{BASE_URI}bundle/level-{level}/{kind or 'document'}.json"


def _embedded_ref(ref: str, name: str) -> str:
    """Inside the embedded file NAME: a bare fragment names its file."""
    return f"{name}{ref}" if ref.startswith("#") else ref


def _top_ref(ref: str, name: str) -> str:
    """On top, under the bundle's own $id: refs to other files are absolute."""
    return ref if ref.startswith("#") else f"{BASE_URI}{ref}"


def portable(schema: Any, name: str, ref: Callable[[str, str], str] = _embedded_ref) -> Any:
    """SCHEMA (from the file NAME) with each $ref rewritten by REF and svqm's `x-`
    annotations left out; property names (`x-` keys of a pack included) are kept."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-"):
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = ref(value, name)
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: portable(v, name, ref) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [portable(v, name, ref) for v in value]
        elif key in _SCHEMA_ONE:
            out[key] = portable(value, name, ref)
        else:
            out[key] = value
    return _strict(out)


_OBJECT_WORDS = ("properties", "required", "patternProperties", "additionalProperties")
_ARRAY_WORDS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")


def _strict(schema: dict[str, Any]) -> dict[str, Any]:
    """What Ajv's strict mode asks for and changes nothing that validates: the `type` that
    object or array keywords imply (svqm's overlays and `anyOf` branches sit beside a schema
    that already sets it), and each `required` name declared in `properties`."""
    if "type" not in schema:
        if any(k in schema for k in _OBJECT_WORDS):
            schema["type"] = "object"
        elif any(k in schema for k in _ARRAY_WORDS):
            schema["type"] = "array"
    closed = "additionalProperties" in schema or "unevaluatedProperties" in schema
    required = schema.get("required")
    if isinstance(required, list) and not closed:
        properties = schema.setdefault("properties", {})
        for name in required:
            properties.setdefault(name, True)
    return schema


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for value in node.values():
            found += _refs(value)
        return found
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _document_at(level: int) -> dict[str, Any]:
    """document.json with each kind's branch pointing at that kind's schema for LEVEL."""
    document: dict[str, Any] = json.loads(json.dumps(_schema_files()["document.json"]))
    for branch in document["allOf"]:
        branch["then"]["$ref"] = schema_name(branch["if"]["properties"]["kind"]["const"], level)
    return document


def schema_text(kind: str | None, level: int) -> str:
    """The bundle for KIND (or for any document, choosing by `kind`) at LEVEL, as JSON."""
    files = dict(_schema_files())
    top_name = schema_name(kind, level) if kind else "document.json"
    if kind is None:
        files["document.json"] = _document_at(level)
    needed: set[str] = set()
    pending = [r.split("#", 1)[0] for r in _refs(files[top_name])]
    while pending:
        name = pending.pop()
        if name and name != top_name and name not in needed:
            needed.add(name)
            pending.extend(r.split("#", 1)[0] for r in _refs(files[name]))
    top = portable(files[top_name], top_name, _top_ref)
    top["$id"] = bundle_uri(kind, level)
    defs = top.setdefault("$defs", {})
    for name in sorted(needed):
        defs[f"svqm:{name}"] = portable(files[name], name)
    return json.dumps(top, indent=2, ensure_ascii=False) + "\n"
