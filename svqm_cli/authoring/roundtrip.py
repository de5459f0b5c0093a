"""Reading and rewriting one document of a pack without losing anything the user wrote.

`fmt` and `new` read a document only as `validate` would (inside the pack, a regular file,
within the size limit, UTF-8, no reading findings), parse it with ruamel's round-trip mode
as YAML 1.2 whatever its `%YAML` directive says (as validate reads it), keep numbers and
dates as the exact text written, and write it back with its byte-order mark, its line
endings and its mode, through a link that stays inside the pack. Before anything is
written, the new text is read back: if a value or a comment would change or be lost, the
document is left as it is and the command says why.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svqm_cli.base.errors import UsageError
from svqm_cli.base.writing import write_output
from svqm_cli.reading.files import Unreadable, read_regular
from svqm_cli.reading.pack import inside
from svqm_cli.reading.yaml_io import MAX_FILE_BYTES, load_bytes

WIDTH = 4096  # never re-wrap a person's sentences
_EXACT_TAGS = (
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
)
BOM = "\ufeff"


class Refused(UsageError):
    """A document that fmt or new will not read or rewrite; the message says why."""


class Verbatim(str):
    """A number or a date kept as the exact text written (no float or date round trip)."""

    tag: str = ""


@dataclass(frozen=True)
class Source:
    """One document as read: the real file, its text (LF line endings, no BOM) and how to
    write it back."""

    path: Path  # the file itself, after following a link inside the pack
    rel: str
    text: str
    bom: bool
    crlf: bool

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ((BOM if self.bom else "") + text).encode("utf-8")


def round_trip() -> Any:
    """ruamel's round-trip YAML, reading and writing YAML 1.2 only, numbers and dates exact."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter
    from ruamel.yaml.resolver import VersionedResolver

    class Resolver(VersionedResolver):
        @property
        def processing_version(self) -> Any:
            return (1, 2)

    class Constructor(RoundTripConstructor):
        pass

    class Representer(RoundTripRepresenter):
        pass

    def construct(constructor: Any, node: Any) -> Verbatim:
        value = Verbatim(node.value)
        value.tag = node.tag
        return value

    def represent(representer: Any, value: Verbatim) -> Any:
        return representer.represent_scalar(value.tag, str(value))

    for tag in _EXACT_TAGS:
        Constructor.add_constructor(tag, construct)
    Representer.add_representer(Verbatim, represent)

    yaml = YAML(typ="rt")
    yaml.Resolver = Resolver
    yaml.Constructor = Constructor
    yaml.Representer = Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    return yaml


def read_source(root: Path, path: Path) -> Source:
    """The document at PATH, or Refused when validate would refuse it or it does not read
    cleanly (the message says why; `svqm validate` shows where)."""
    rel = pack_relative(root, path)
    target, why = inside(root, rel)
    if target is None:
        raise Refused(f"'{rel}' {why}")
    try:
        raw = read_regular(target, MAX_FILE_BYTES)
    except Unreadable as exc:
        if exc.too_big is not None:
            raise Refused(
                f"'{rel}' is {exc.too_big / 1_048_576:.1f} MiB; svqm reads files up to "
                f"{MAX_FILE_BYTES // 1_048_576} MiB"
            ) from exc
        raise Refused(f"'{rel}' cannot be read: {exc.reason}") from exc
    loaded = load_bytes(raw, rel)
    if not loaded.readable or loaded.findings or loaded.text is None:
        first = loaded.findings[0].message if loaded.findings else "it cannot be read"
        raise Refused(f"'{rel}' has a problem to fix first (svqm validate shows where): {first}")
    text = loaded.text
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        raise Refused(
            f"'{rel}' ends lines with a carriage return alone; save it with LF or CRLF line endings"
        )
    real = Path(_real(target))
    return Source(real, rel, text, raw.startswith(BOM.encode("utf-8")), crlf)


def _real(path: Path) -> str:
    import os

    return os.path.realpath(path)


def pack_relative(root: Path, path: Path) -> str:
    """PATH relative to the pack ROOT, or Refused when it is not inside the pack."""
    import os

    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        raise Refused(f"'{path}' is not inside the pack at '{root}'") from None


def load(source: Source) -> Any:
    from ruamel.yaml.error import YAMLError

    try:
        return round_trip().load(source.text)
    except YAMLError as exc:  # validate read it; ruamel's round trip did not
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Refused(f"'{source.rel}' cannot be rewritten: {reason}") from exc


def dump(data: Any, source: Source | None = None) -> str:
    """DATA as YAML text; with SOURCE, under the same `%YAML` directive lines as it had."""
    out = io.StringIO()
    round_trip().dump(data, out)
    text = out.getvalue()
    header = _directives(source.text) if source is not None else ""
    return header + text if header and not text.startswith("%") else text


def _directives(text: str) -> str:
    """The directive lines (`%YAML 1.1`) and the `---` that ends them, as written."""
    if not text.startswith("%"):
        return ""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.strip() == "---":
            return "\n".join(lines[: n + 1]) + "\n"
        if not line.startswith("%"):
            return ""
    return ""


def _flatten(comment: Any) -> Iterator[str]:
    if comment is None:
        return
    if isinstance(comment, list):
        for part in comment:
            yield from _flatten(part)
        return
    value = getattr(comment, "value", None)
    if isinstance(value, str):
        for line in value.splitlines():
            if line.strip().startswith("#"):
                yield line.strip()


def comments(text: str) -> Counter[str]:
    """Every comment line of TEXT, as written (stripped), with how often it occurs."""
    from ruamel.yaml.error import YAMLError

    yaml = round_trip()
    found: Counter[str] = Counter()
    try:
        for token in yaml.scan(text):
            found.update(_flatten(getattr(token, "_comment", None)))
    except YAMLError as exc:  # ruamel's round-trip scanner is stricter than its parser
        raise Refused("its comments cannot be read back; it is left as it is") from exc
    return found


def checked(source: Source, new_text: str, expected: Any) -> str:
    """NEW_TEXT when it reads back to EXPECTED (validate's reading) and keeps every comment of
    the source; Refused otherwise, so that nothing the user wrote is changed or lost."""
    back = load_bytes(new_text.encode("utf-8"), source.rel)
    if back.findings or back.data != expected:
        raise Refused(f"'{source.rel}' cannot be rewritten without changing a value; left as it is")
    lost = comments(source.text) - comments(new_text)
    if lost:
        first = next(iter(lost))
        raise Refused(
            f"'{source.rel}' cannot be rewritten without losing the comment '{first}' "
            "(comments inside [ ] or { }, or between a key and its value, cannot be kept); "
            "move it onto a line of its own"
        )
    return new_text


def original_data(source: Source) -> Any:
    return load_bytes(source.text.encode("utf-8"), source.rel).data


def write(root: Path, source: Source, text: str) -> None:
    """Write TEXT back to the source's file with its BOM, line endings and mode."""
    write_output(source.path, source.encode(text), within=root)
