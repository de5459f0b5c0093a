"""The schemas as other tools read them (`svqm schema`): one self-contained file per kind.

Each file is a JSON Schema 2020-12 bundle: its own ``$id``, a ``$ref`` to the kind's schema
at the chosen level, and every schema file that one needs embedded under ``$defs`` with its
own ``$id``. Three things make the bundle load in real clients, each found by trying them:

- every ``$ref`` names its file (``common.json#/$defs/text``, never ``#/$defs/text``):
  yaml-language-server resolves a bare fragment inside an embedded resource against the
  wrong document ("$ref '/$defs/text' cannot be resolved");
- the bundle's ``$id`` (``.../bundle/level-N/KIND.json``) is not the ``$id`` of any schema
  it embeds, so Ajv can load every written file into one instance without two documents
  claiming the same ``$id`` with different content;
- svqm's own annotations (``x-hint``, ``x-expected``, ``x-share``: the wording of its
  messages) are left out: Ajv's strict mode refuses keywords it does not know, and no other
  tool reads them.
"""

from __future__ import annotations

import json
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


def portable(schema: Any, name: str) -> Any:
    """SCHEMA (from the file NAME) with every $ref naming its file and svqm's `x-`
    annotations left out; property names (`x-` keys of a pack included) are kept."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-"):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#"):
            out[key] = f"{name}{value}"
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: portable(v, name) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [portable(v, name) for v in value]
        elif key in _SCHEMA_ONE:
            out[key] = portable(value, name)
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
    pending = [top_name]
    while pending:
        name = pending.pop()
        if name and name not in needed:
            needed.add(name)
            pending.extend(r.split("#", 1)[0] for r in _refs(files[name]))
    top = files[top_name]
    bundle = {
        "$schema": top["$schema"],
        "$id": bundle_uri(kind, level),
        "title": top["title"],
        "description": f"{top['description']} (svqm schema, Level {level}.)",
        "$ref": f"{BASE_URI}{top_name}",
        "$defs": {f"svqm:{name}": portable(files[name], name) for name in sorted(needed)},
    }
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
