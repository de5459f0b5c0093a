"""Read one YAML file into plain data plus a node tree that knows every line and column.

ruamel's C composer builds the node tree (with resolved tags and marks) quickly; one walk
over it then builds plain Python values, normalising scalars once for everyone after:
dates stay ISO text (as JSON Schema expects), numbers with a fraction become ``Decimal``
(exact for money), and every problem (duplicate keys, aliases that explode, NaN, tags,
deep nesting) becomes a finding instead of an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from svqm_cli.base.findings import Finding, Target, make

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
# Expansion through aliases is allowed up to this many nodes, or ten times the nodes
# actually written, whichever is larger: the "billion laughs" needs far more.
MAX_EXPANDED_NODES = 200_000
# Below this many structural characters the C composer cannot recurse deep enough to
# overflow the C stack; above it, the event stream is scanned for depth first.
_SAFE_STRUCTURE_CHARS = 2_000

_YAML_TAG = "tag:yaml.org,2002:"
_NON_FINITE = re.compile(r"^[-+]?\.(inf|nan)$", re.IGNORECASE)
_UNSUPPORTED_TAGS = frozenset({"binary", "set", "omap", "pairs"})
_KIND_LINE = re.compile(r"^kind:[ \t]*['\"]?([a-z-]+)", re.MULTILINE)
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass
class LoadedFile:
    """One file of the pack as read: its data, or the findings that say why not."""

    path: str  # relative to the pack root, forward slashes
    text: str | None = None
    raw_text: str = ""  # the bytes decoded leniently, when they are not UTF-8
    data: Any = None
    root: Node | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.data is not None

    def lines(self) -> list[str]:
        return self.text.splitlines() if self.text is not None else []


class _Stop(Exception):
    """The walk cannot continue; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 tag resolution without asking, for every scalar, which version the parser
    is on: ruamel's lookup raises and catches AttributeError each time with the C parser,
    which was a quarter of the load time. svqm reads every file as YAML 1.2."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Yaml12Resolver
    return yaml


def declared_kind(text: str) -> str | None:
    """The kind a file says it is on its 'kind:' line, read even when the YAML is broken,
    so that one broken file does not also count as a missing kind."""
    from svqm_cli.base.vocabulary import KINDS

    match = _KIND_LINE.search(text)
    return match.group(1) if match and match.group(1) in KINDS else None


def decode(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """UTF-8 text of a file (BOM removed), or the SV003 finding at the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, make(
            "SV003", "The file is saved as UTF-16, not UTF-8.", rel, "", line=1, column=1
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[exc.start : exc.start + 1].hex().upper()
        return None, make(
            "SV003",
            f"Byte 0x{byte} at line {line}, column {column} is not UTF-8 text "
            "(often a '£' or a curly quote saved as Windows-1252).",
            rel,
            "",
            line=line,
            column=column,
        )


def load_file(path: Path, rel: str) -> LoadedFile:
    """Read, decode and parse one file; never raises for anything inside the file."""
    out = LoadedFile(path=rel)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            out.findings.append(
                make(
                    "SV011",
                    f"The file is {size / 1_048_576:.1f} MiB; svqm reads files up to "
                    f"{MAX_FILE_BYTES // 1_048_576} MiB.",
                    rel,
                    "",
                    line=1,
                    column=1,
                )
            )
            return out
        raw = path.read_bytes()
    except OSError as exc:
        out.findings.append(
            make(
                "SV001",
                f"The file cannot be read: {exc.strerror}.",
                rel,
                "",
                hint="Check the file's permissions.",
            )
        )
        return out
    return load_bytes(raw, rel)


def load_bytes(raw: bytes, rel: str) -> LoadedFile:
    out = LoadedFile(path=rel)
    text, bad = decode(raw, rel)
    if bad is not None:
        out.findings.append(bad)
        out.raw_text = raw.decode("utf-8", "replace")
        return out
    assert text is not None
    out.text = text
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        out.findings.append(
            make(
                "SV003",
                "The file contains a NUL byte: it looks binary.",
                rel,
                "",
                line=line,
                column=1,
            )
        )
        return out
    try:
        _check_depth(text, rel)
        root = _yaml().compose(text)
    except _Stop as stop:
        out.findings.append(stop.finding)
        return out
    except YAMLError as exc:
        out.findings.append(_syntax_finding(exc, text, rel))
        return out
    if root is None:
        out.findings.append(
            make("SV004", "The file is empty (or holds only comments).", rel, "", line=1, column=1)
        )
        return out
    if not isinstance(root, MappingNode):
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        out.findings.append(
            make(
                "SV013",
                f"The document is {what}, not 'key: value' fields.",
                rel,
                "",
                line=root.start_mark.line + 1,
                column=root.start_mark.column + 1,
            )
        )
        return out
    builder = _Builder(rel)
    try:
        data, size = builder.build(root, "", 0)
    except _Stop as stop:
        out.findings.extend(builder.findings)
        out.findings.append(stop.finding)
        return out
    if size > max(MAX_EXPANDED_NODES, 10 * len(builder.memo)):
        out.findings.append(
            make(
                "SV006",
                f"Aliases expand this document to {size:,} values from {len(builder.memo):,} "
                "written ones.",
                rel,
                "",
                line=1,
                column=1,
            )
        )
        return out
    out.findings.extend(builder.findings)
    out.root, out.data = root, data
    return out


def _syntax_finding(exc: YAMLError, text: str, rel: str) -> Finding:
    if not isinstance(exc, MarkedYAMLError):
        mark = getattr(exc, "position", None)
        line = text.count("\n", 0, mark) + 1 if isinstance(mark, int) else 1
        return make("SV001", str(exc).splitlines()[0], rel, "", line=line, column=1)
    problem = exc.problem or "the YAML cannot be read"
    pmark = exc.problem_mark
    line = pmark.line + 1 if pmark is not None else 1
    column = pmark.column + 1 if pmark is not None else 1
    if "expected a single document" in (exc.context or "") or (
        "but found another document" in problem
    ):
        return make(
            "SV010",
            f"A second YAML document starts at line {line} ('---').",
            rel,
            "",
            line=line,
            column=column,
        )
    lines = text.splitlines()
    for candidate in (line, line - 1):
        if 1 <= candidate <= len(lines) and _TAB_INDENT.match(lines[candidate - 1]):
            return make(
                "SV005",
                f"Line {candidate} is indented with a tab.",
                rel,
                "",
                line=candidate,
                column=lines[candidate - 1].index("\t") + 1,
            )
    message = f"{problem} (line {line}, column {column})"
    cmark = exc.context_mark
    if exc.context and cmark is not None:
        message += f", {exc.context} (line {cmark.line + 1}, column {cmark.column + 1})"
    return make("SV001", message[0].upper() + message[1:] + ".", rel, "", line=line, column=column)


def _check_depth(text: str, rel: str) -> None:
    """Refuse nesting deep enough to overflow the C composer's stack (it would crash)."""
    structure = sum(text.count(c) for c in "[{-:?")
    if structure <= _SAFE_STRUCTURE_CHARS:
        return
    depth = 0
    for event in _yaml().parse(text):
        name = type(event).__name__
        if name in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _Stop(
                    make(
                        "SV012",
                        f"Nesting is deeper than {MAX_DEPTH} levels.",
                        rel,
                        "",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
                )
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


def escape_pointer(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


class _Builder:
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
            raise _Stop(
                self._finding(
                    "SV006",
                    "An alias refers to the list or mapping that contains it.",
                    pointer,
                    node,
                )
            )
        if depth > MAX_DEPTH:
            raise _Stop(
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
                raise _Stop(
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
