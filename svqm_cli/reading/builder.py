"""One walk over a composed YAML node tree that builds plain values, collecting findings.

Scalars are normalised once for everyone after: dates stay ISO text, numbers with a
fraction become Decimal, NaN and infinities, unsupported tags, duplicate keys, aliases that
expand too far and nesting deeper than MAX_DEPTH become findings.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from svqm_cli.base.findings import Finding, Target, make
from svqm_cli.reading.locate import escape_pointer

MAX_DEPTH = 64
_YAML_TAG = "tag:yaml.org,2002:"
_NON_FINITE = re.compile(r"^[-+]?\.(inf|nan)$", re.IGNORECASE)
_UNSUPPORTED_TAGS = frozenset({"binary", "set", "omap", "pairs"})


class Stop(Exception):
    """The walk cannot continue; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class Builder:
    """Turns a composed node tree into plain values, collecting findings on the way."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.findings: list[Finding] = []
        self.memo: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()

    def _finding(
        self, code: str, message: str, pointer: str, node: Node, target: Target = "value"
    ) -> Finding:
        return make(
            code,
            message,
            self.rel,
            pointer,
            target=target,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
        )

    def build(self, node: Node, pointer: str, depth: int) -> tuple[Any, int]:
        key = id(node)
        if key in self.memo:  # an alias: the same node object again
            return self.memo[key]
        if key in self.active:
            raise Stop(
                self._finding(
                    "SV006",
                    "An alias refers to the list or mapping that contains it.",
                    pointer,
                    node,
                )
            )
        if depth > MAX_DEPTH:
            raise Stop(
                self._finding("SV012", f"Nesting is deeper than {MAX_DEPTH} levels.", pointer, node)
            )
        self._check_tag(node, pointer)
        result: tuple[Any, int]
        if isinstance(node, ScalarNode):
            result = (self._scalar(node, pointer), 1)
        else:
            self.active.add(key)
            if isinstance(node, SequenceNode):
                result = self._sequence(node, pointer, depth)
            else:
                assert isinstance(node, MappingNode)
                result = self._mapping(node, pointer, depth)
            self.active.discard(key)
        self.memo[key] = result
        return result

    def _check_tag(self, node: Node, pointer: str) -> None:
        tag = node.tag or ""
        if tag.startswith(_YAML_TAG) and tag[len(_YAML_TAG) :] not in _UNSUPPORTED_TAGS:
            return
        self.findings.append(
            self._finding("SV016", f"The tag '{tag}' is not supported.", pointer, node)
        )

    def _sequence(self, node: SequenceNode, pointer: str, depth: int) -> tuple[Any, int]:
        items, size = [], 1
        for index, child in enumerate(node.value):
            value, child_size = self.build(child, f"{pointer}/{index}", depth + 1)
            items.append(value)
            size += child_size
        return items, size

    def _mapping(self, node: MappingNode, pointer: str, depth: int) -> tuple[Any, int]:
        mapping: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        merged: list[dict[str, Any]] = []
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                value, child_size = self.build(value_node, pointer, depth + 1)
                size += child_size
                sources = value if isinstance(value, list) else [value]
                merged.extend(s for s in sources if isinstance(s, dict))
                continue
            if not isinstance(key_node, ScalarNode):
                raise Stop(
                    self._finding(
                        "SV001",
                        "A key must be plain text, not a list or mapping.",
                        pointer,
                        key_node,
                    )
                )
            name = str(self._scalar(key_node, pointer, as_key=True))
            child_pointer = f"{pointer}/{escape_pointer(name)}"
            if name in seen:
                first = seen[name].start_mark.line + 1
                self.findings.append(
                    self._finding(
                        "SV002",
                        f"The key '{name}' appears twice: at line {first} and again at line "
                        f"{key_node.start_mark.line + 1}.",
                        child_pointer,
                        key_node,
                        target="key",
                    )
                )
                continue
            seen[name] = key_node
            value, child_size = self.build(value_node, child_pointer, depth + 1)
            mapping[name] = value
            size += child_size
        for source in merged:  # explicit keys win over merged ones, as YAML says
            for name, value in source.items():
                mapping.setdefault(name, value)
        return mapping, size

    def _scalar(self, node: ScalarNode, pointer: str, as_key: bool = False) -> Any:
        tag, text = node.tag or "", node.value
        if not tag.startswith(_YAML_TAG) or tag.endswith(("str", "timestamp")):
            return text
        kind = tag[len(_YAML_TAG) :]
        if kind == "null":
            return "null" if as_key else None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            return _parse_int(text)
        if kind == "float":
            if _NON_FINITE.match(text):
                if not as_key:
                    self.findings.append(
                        self._finding("SV014", f"'{text}' is not a finite number.", pointer, node)
                    )
                return text
            try:
                return Decimal(text.replace("_", ""))
            except InvalidOperation:
                return text
        return text


def _parse_int(text: str) -> int | str:
    cleaned = text.replace("_", "")
    body = cleaned.lstrip("+-").lower()
    base = 16 if body.startswith("0x") else 8 if body.startswith("0o") else 10
    try:
        if base == 10:
            return int(cleaned, 10)
        sign = -1 if cleaned.startswith("-") else 1
        return sign * int(body[2:], base)
    except ValueError:  # beyond Python's digit limit, or an odd YAML 1.1 form
        return text
