"""Schema errors as findings in plain English: one small handler per JSON Schema keyword.

A handler takes the error, seen through `Problem` (where it is, what it holds, the schema
that failed), and yields findings. A keyword without a handler gets SV100 with jsonschema's
own message, which the shipped schemas never reach (tested on a synthetic schema).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.reading.locate import escape_pointer

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


def pointer_of(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(p)}" for p in path)


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


@dataclass(frozen=True)
class Problem:
    """One jsonschema error, with what every handler needs to word it."""

    error: Any
    data: Any
    file: str

    @cached_property
    def path(self) -> list[Any]:
        return list(self.error.absolute_path)

    @property
    def pointer(self) -> str:
        return pointer_of(self.path)

    @property
    def value(self) -> Any:
        return self.error.instance

    @property
    def rule(self) -> Any:
        return self.error.validator_value

    @property
    def schema(self) -> dict[str, Any]:
        return self.error.schema if isinstance(self.error.schema, dict) else {}

    @property
    def field(self) -> str:
        return _field(self.path)

    @property
    def context(self) -> str:
        return _context(self.path, self.data)

    @property
    def item_context(self) -> str:
        """The context naming the list item itself, for problems about a whole item."""
        if self.path and isinstance(self.path[-1], int):
            return _context([*self.path, ""], self.data)
        return self.context

    def hint(self, default: str | None = None) -> str | None:
        hint = self.schema.get("x-hint")
        return hint if isinstance(hint, str) else default

    def finding(self, code: str, message: str, **extra: Any) -> Finding:
        pointer = extra.pop("pointer", self.pointer)
        return make(code, message, self.file, pointer, **extra)


Handler = Callable[[Problem], Iterator[Finding]]


def _type(p: Problem) -> Iterator[Finding]:
    types = p.rule if isinstance(p.rule, list) else [p.rule]
    wanted = " or ".join(_EXPECTED.get(str(t), str(t)) for t in types)
    if p.value is None:
        message = _say(f"{p.field} is empty: write {wanted}", p.context)
    else:
        message = _say(f"{p.field} must be {wanted}, got {describe(p.value)}", p.context)
    hint = None
    numeric = "number" in types or "integer" in types
    if numeric and isinstance(p.value, str) and _NUMBERISH.fullmatch(p.value.strip()):
        hint = (
            "Write numbers without '£', commas or '%': 1250.50, and shares as 0..1 (25% is 0.25)."
        )
    yield p.finding("SV101", message, hint=hint)


def _required(p: Problem) -> Iterator[Finding]:
    missing = [k for k in p.rule if isinstance(p.value, dict) and k not in p.value]
    ctx = p.item_context
    if p.path and not isinstance(p.path[-1], int):
        ctx = p.field + (f" of {p.context}" if p.context else "")
    for key in missing:
        yield p.finding("SV102", _say(f"`{key}` is missing", ctx), hint=p.hint())


def _unknown_keys(p: Problem) -> Iterator[Finding]:
    allowed = list(p.schema.get("properties", {}))
    patterns = [re.compile(x) for x in p.schema.get("patternProperties", {})]
    for key in p.value if isinstance(p.value, dict) else ():
        if key in allowed or any(x.search(key) for x in patterns):
            continue
        message = _say(f"Unknown field `{key}`", p.item_context, did_you_mean(key, allowed))
        hint = None
        if allowed:
            hint = (
                f"Allowed here: {', '.join(allowed)}. For your own notes start the key with 'x-'."
            )
        if " " in key.strip():
            hint = (
                "Inside { } a comma ends a value, so the text after it became a key: "
                'put the whole value in quotes (description: "Carbon, travel and waste").'
            )
        pointer = f"{p.pointer}/{escape_pointer(key)}"
        yield p.finding("SV103", message, pointer=pointer, hint=hint, target="key")


def _not_allowed(p: Problem) -> Iterator[Finding]:
    yield p.finding("SV103", _say(f"{p.field} is not allowed here", p.context), target="key")


def _choice(p: Problem) -> Iterator[Finding]:
    choices = p.rule if p.error.validator == "enum" else [p.rule]
    shown = ", ".join(str(c) for c in choices)
    tail = did_you_mean(p.value, [str(c) for c in choices]) if isinstance(p.value, str) else ""
    got = describe(p.value)
    if len(choices) == 1:
        message = _say(f"{p.field} must be {shown}, got {got}", p.context, tail)
    else:
        message = _say(f"{p.field} must be one of: {shown}; got {got}", p.context, tail)
    yield p.finding("SV104", message)


_RELATIONS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _bound(p: Problem) -> Iterator[Finding]:
    relation = _RELATIONS[p.error.validator]
    message = _say(f"{p.field} must be {relation} {p.rule}, got {p.value}", p.context)
    name = p.path[-1] if p.path and isinstance(p.path[-1], str) else ""
    hint = None
    if p.schema.get("x-share") or name in SHARES:
        hint = "Shares are written between 0 and 1: 25% is 0.25."
    yield p.finding("SV105", message, hint=hint)


def _form(p: Problem) -> Iterator[Finding]:
    keyword = p.error.validator
    expected: Any = p.schema.get("x-expected")
    hint = None
    if keyword == "format":
        message = _say(f"{p.field} is not a real date: {describe(p.value)}", p.context)
        hint = "Dates are written YYYY-MM-DD and must exist in the calendar."
    elif keyword == "minLength" or (keyword == "pattern" and expected == "some text"):
        message = _say(f"{p.field} is empty: write some text", p.context)
        hint = "Write the text, or remove the field if it does not apply."
    elif keyword == "maxLength":
        message = _say(f"{p.field} is longer than {p.rule} characters", p.context)
    elif expected:
        message = _say(f"{p.field} must be {expected}, got {describe(p.value)}", p.context)
    else:
        message = _say(f"{p.field} has the wrong form: {describe(p.value)}", p.context)
    if isinstance(p.value, str) and expected and "id of" in expected:
        slug = re.sub(r"[^a-z0-9]+", "-", p.value.lower()).strip("-")
        if slug:
            hint = f"Write it as '{slug}'."
    yield p.finding("SV106", message, hint=hint)


def _count(p: Problem) -> Iterator[Finding]:
    keyword = p.error.validator
    if keyword == "minItems":
        n = p.rule
        text = f"{p.field} is empty: it needs at least {n} item{'s' if n != 1 else ''}"
    elif keyword == "maxItems":
        text = f"{p.field} has more than {p.rule} items"
    else:
        text = f"{p.field} lists the same item more than once"
    yield p.finding("SV107", _say(text, p.context), hint=p.hint())


def _key_names(p: Problem) -> Iterator[Finding]:
    rule = p.rule if isinstance(p.rule, dict) else {}
    for key in p.value if isinstance(p.value, dict) else ():
        if not re.fullmatch(rule.get("pattern", ".*"), str(key)):
            expected = rule.get("x-expected", "a valid name")
            pointer = f"{p.pointer}/{escape_pointer(key)}"
            message = _say(f"`{key}` must be {expected}", p.context)
            yield p.finding("SV106", message, pointer=pointer, target="key")


def _alternatives(p: Problem) -> Iterator[Finding]:
    context = list(p.error.context or ())
    options = [e for e in context if e.validator == "required"]
    if options and len(options) == len(context):
        names = " or ".join(f"`{k}`" for e in options for k in e.validator_value)
        yield p.finding("SV102", _say(f"Give {names}", p.item_context), hint=p.hint())
    elif context:
        from jsonschema.exceptions import best_match

        yield from translate(best_match(context), p.data, p.file)


def _excluded(p: Problem) -> Iterator[Finding]:
    """{"not": {"required": [KEY]}}: KEY may not stand beside what the branch matched (a
    proxy's `value` beside `wellby`); the schema's x-hint says which to keep."""
    rule = p.rule if isinstance(p.rule, dict) else {}
    keys = rule.get("required")
    if not isinstance(keys, list) or not keys:
        yield from _fallback(p)
        return
    for key in keys:
        pointer = f"{p.pointer}/{escape_pointer(key)}"
        message = _say(f"`{key}` is not allowed here", p.item_context)
        yield p.finding("SV103", message, pointer=pointer, hint=p.hint(), target="key")


HANDLERS: dict[str, Handler] = {
    "type": _type,
    "required": _required,
    "additionalProperties": _unknown_keys,
    "unevaluatedProperties": _unknown_keys,
    "False": _not_allowed,
    "enum": _choice,
    "const": _choice,
    **dict.fromkeys(_RELATIONS, _bound),
    **dict.fromkeys(("pattern", "format", "minLength", "maxLength"), _form),
    **dict.fromkeys(("minItems", "maxItems", "uniqueItems"), _count),
    "propertyNames": _key_names,
    "anyOf": _alternatives,
    "oneOf": _alternatives,
    "not": _excluded,
}


def _fallback(p: Problem) -> Iterator[Finding]:
    yield p.finding("SV100", _say(f"{p.field}: {p.error.message}", p.context))


def translate(error: Any, data: Any, file: str) -> Iterator[Finding]:
    """The findings for one jsonschema error in DATA (a document of FILE)."""
    problem = Problem(error, data, file)
    yield from HANDLERS.get(str(error.validator), _fallback)(problem)
