"""Read one YAML file into plain data plus a node tree that knows every line and column.

ruamel's C composer builds the node tree (with resolved tags and marks) quickly; one walk
over it then builds plain Python values, normalising scalars once for everyone after:
dates stay ISO text (as JSON Schema expects), numbers with a fraction become ``Decimal``
(exact for money), and every problem (duplicate keys, aliases that explode, NaN, tags,
deep nesting) becomes a finding instead of an exception.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from svqm_cli.base.findings import Finding, make
from svqm_cli.reading import positions
from svqm_cli.reading.builder import MAX_DEPTH, Builder, Stop

MAX_FILE_BYTES = 20 * 1024 * 1024
# Aliases may add at most this many values to what is written. The rules, the cache encoder
# and the reports walk the expanded data, so their work is bounded by the file's own size
# plus this, whatever the file: the "billion laughs" needs far more, and so did a 4 MB file
# expanding tenfold (about a minute of rule work) under the earlier "ten times" allowance.
MAX_EXPANDED_NODES = 200_000
# Below this many structural characters the C composer cannot recurse deep enough to
# overflow the C stack; above it, the event stream is scanned for depth first.
_SAFE_STRUCTURE_CHARS = 2_000

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
    positions: bytes = b""  # every value's line and column, compactly (positions.py)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.data is not None

    def lines(self) -> list[str]:
        return self.text.splitlines() if self.text is not None else []


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 tag resolution without asking, for every scalar, which version the parser
    is on: ruamel's lookup raises and catches AttributeError each time with the C parser,
    which was a quarter of the load time. svqm reads every file as YAML 1.2."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """ruamel's resolve, with the YAML 1.2 table looked up once per file rather than
        twice per scalar, and one Tag object per tag instead of a new one (whose text is
        decoded again) for every scalar: together about a fifth of the load time."""
        if kind is ScalarNode and implicit[0]:
            table = self.__dict__.get("_table")
            if table is None:
                table = self.__dict__["_table"] = self.versioned_resolver
            for tag, regexp in table.get(value[:1], []) + table.get(None, []):
                if regexp.match(value):
                    known = _TAGS.get(tag)
                    return known if known is not None else _TAGS.setdefault(tag, Tag(suffix=tag))
            implicit = (False, implicit[1])
        return super().resolve(kind, value, implicit)


_TAGS: dict[str, Tag] = {}  # shared, never changed: nodes only read their tag


@functools.cache
def _yaml() -> YAML:
    """One loader per process: a new one per file left a web of objects pointing at each
    other for the collector to find (or, once frozen after the scan, to keep for good)."""
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


def too_big(size: int, rel: str) -> Finding:
    return make(
        "SV011",
        f"The file is {size / 1_048_576:.1f} MiB; svqm reads files up to "
        f"{MAX_FILE_BYTES // 1_048_576} MiB.",
        rel,
        "",
        line=1,
        column=1,
    )


def cannot_read(reason: str, rel: str) -> Finding:
    return make(
        "SV001",
        f"The file cannot be read: {reason}.",
        rel,
        "",
        line=1,
        column=1,
        hint="A document must be a regular file the user running svqm can read.",
    )


def load_file(path: Path, rel: str) -> LoadedFile:
    """Read, decode and parse one file; never raises for anything inside the file."""
    from svqm_cli.reading.files import Unreadable, read_regular

    out = LoadedFile(path=rel)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except Unreadable as exc:
        out.findings.append(
            too_big(exc.too_big, rel) if exc.too_big is not None else cannot_read(exc.reason, rel)
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
    except Stop as stop:
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
    builder = Builder(rel)
    try:
        data, size, offset = builder.build(root, "", 0)
    except Stop as stop:
        out.findings.extend(builder.findings)
        out.findings.append(stop.finding)
        return out
    if size > len(builder.memo) + MAX_EXPANDED_NODES:
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
    out.positions = positions.finish(builder.positions, offset)
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
                raise Stop(
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
