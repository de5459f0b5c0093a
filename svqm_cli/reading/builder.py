"""One walk over a composed YAML node tree that builds plain values, collecting findings.

Scalars are normalised once for everyone after: dates stay ISO text, numbers with a
fraction become Decimal, NaN and infinities, unsupported tags, duplicate keys, aliases that
expand too far and nesting deeper than MAX_DEPTH become findings.
"""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from svqm_cli.base.findings import Finding, Target, make
from svqm_cli.reading import positions
from svqm_cli.reading.locate import NON_FINITE, escape_pointer, key_name, parse_int

MAX_DEPTH = 64
_YAML_TAG = "tag:yaml.org,2002:"
_UNSUPPORTED_TAGS = frozenset({"binary", "set", "omap", "pairs"})


SHARED_TEXT = 64  # texts up to this long are shared (sys.intern)
_DECIMALS: dict[str, Decimal | str] = {}  # shares and money repeat: one Decimal for each text
_MAX_DECIMALS = 50_000


def _decimal(text: str) -> Decimal | str:
    """The Decimal TEXT writes (TEXT itself when it is none), shared: Decimals never change."""
    known = _DECIMALS.get(text)
    if known is not None:
        return known
    try:
        value: Decimal | str = Decimal(text.replace("_", ""))
    except InvalidOperation:
        value = text
    if len(_DECIMALS) < _MAX_DECIMALS:
        _DECIMALS[text] = value
    return value


class Stop(Exception):
    """The walk cannot continue; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class Builder:
    """Turns a composed node tree into plain values, collecting findings on the way, and
    records every node's position compactly (positions.py) as it goes."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.findings: list[Finding] = []
        # id(node) -> (value, values it expands to, its offset in self.positions)
        self.memo: dict[int, tuple[Any, int, int]] = {}
        self.active: set[int] = set()
        self.positions = positions.new()

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

    def build(self, node: Node, pointer: str, depth: int) -> tuple[Any, int, int]:
        """The node's plain value, how many values it expands to, and its position's
        offset."""
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
        tag = node.tag or ""  # ruamel builds this text on every access: once per node
        self._check_tag(tag, node, pointer)
        result: tuple[Any, int, int]
        if isinstance(node, ScalarNode):
            mark = node.start_mark
            empty = node.value == "" and not node.style
            offset = positions.scalar(self.positions, mark.line + 1, mark.column + 1, empty)
            result = (self._scalar(tag, node, pointer), 1, offset)
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

    def _check_tag(self, tag: str, node: Node, pointer: str) -> None:
        if tag.startswith(_YAML_TAG) and tag[len(_YAML_TAG) :] not in _UNSUPPORTED_TAGS:
            return
        self.findings.append(
            self._finding("SV016", f"The tag '{tag}' is not supported.", pointer, node)
        )

    def _sequence(self, node: SequenceNode, pointer: str, depth: int) -> tuple[Any, int, int]:
        items, offsets, size = [], [], 1
        for index, child in enumerate(node.value):
            value, child_size, offset = self.build(child, f"{pointer}/{index}", depth + 1)
            items.append(value)
            offsets.append(offset)
            size += child_size
        mark = node.start_mark
        return (
            items,
            size,
            positions.sequence(self.positions, mark.line + 1, mark.column + 1, offsets),
        )

    def _mapping(self, node: MappingNode, pointer: str, depth: int) -> tuple[Any, int, int]:
        mapping: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        merged: list[dict[str, Any]] = []
        entries: list[tuple[int, int, int]] = []
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                value, child_size, _ = self.build(value_node, pointer, depth + 1)
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
            name = key_name(key_node)
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
            value, child_size, offset = self.build(value_node, child_pointer, depth + 1)
            mapping[sys.intern(name)] = value  # one copy of each key name, pack-wide
            key_mark = key_node.start_mark
            entries.append((key_mark.line + 1, key_mark.column + 1, offset))
            size += child_size
        for source in merged:  # explicit keys win over merged ones, as YAML says
            for name, value in source.items():
                mapping.setdefault(name, value)
        mark = node.start_mark
        return (
            mapping,
            size,
            positions.mapping(self.positions, mark.line + 1, mark.column + 1, entries),
        )

    def _scalar(self, tag: str, node: ScalarNode, pointer: str) -> Any:
        text = node.value
        if not tag.startswith(_YAML_TAG) or tag.endswith(("str", "timestamp")):
            # Short texts repeat (ids referred to, units, methods, evidence paths): one
            # copy of each keeps a large pack's memory down by a fifth.
            return sys.intern(text) if len(text) <= SHARED_TEXT else text
        kind = tag[len(_YAML_TAG) :]
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            return parse_int(text)
        if kind == "float":
            if NON_FINITE.match(text):
                self.findings.append(
                    self._finding("SV014", f"'{text}' is not a finite number.", pointer, node)
                )
                return text
            return _decimal(text)
        return text
