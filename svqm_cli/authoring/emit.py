"""A fast writer for the new documents svqm builds (`svqm import`): plain dicts, lists and
scalars as block YAML, laid out as `svqm fmt` lays them out.

ruamel's round-trip writer spends about 7 ms per imported row (most of it comparing tags),
so 100,000 rows took minutes. Text for plain data is simple to write; what is hard is
knowing when a string may go unquoted, so this writer quotes whenever in doubt, and its
caller reads the text back and compares it with the data before using it (ruamel's writer
stays the fallback).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

# Unquoted only when it starts with a letter and holds nothing YAML could read otherwise
# (no ': ', ' #', indicators, or a word YAML reads as true/false/null).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.,;()/&%+'\u2019£€$@-]*\Z")
_SPECIAL_WORDS = re.compile(r"(?i:y|n|yes|no|on|off|true|false|null|~)\Z")


def scalar(value: Any) -> str:
    """VALUE as a YAML scalar that reads back as the same value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and "E" not in str(value):
            return str(int(value))
        return str(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and not _SPECIAL_WORDS.match(value) and not value.endswith(" "):
            return value
        return _quoted(value)
    raise TypeError(f"cannot write a {type(value).__name__}")


def _quoted(text: str) -> str:
    """TEXT double-quoted, with YAML's escapes for quotes, backslashes and anything
    unprintable (YAML, unlike JSON, writes a character above U+FFFF as one \\U escape)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02X}"
                if code < 0x100
                else f"\\u{code:04X}"
                if code < 0x10000
                else f"\\U{code:08X}"
            )
    return '"' + "".join(out) + '"'


def _mapping(data: dict[str, Any], pad: str, first: str) -> Iterator[str]:
    lead = first
    for key, value in data.items():
        yield from _entry(scalar(key), value, pad, lead)
        lead = pad


def _entry(key: str, value: Any, pad: str, lead: str) -> Iterator[str]:
    if isinstance(value, dict) and value:
        yield f"{lead}{key}:"
        yield from _mapping(value, pad + "  ", pad + "  ")
    elif isinstance(value, list) and value:
        yield f"{lead}{key}:"
        yield from _sequence(value, pad + "  ")
    else:
        yield f"{lead}{key}: {_leaf(value)}"


def _sequence(items: list[Any], pad: str) -> Iterator[str]:
    for item in items:
        if isinstance(item, dict) and item:
            yield from _mapping(item, pad + "  ", pad + "- ")
        elif isinstance(item, list) and item:
            raise TypeError("cannot write a list directly inside a list")
        else:
            yield f"{pad}- {_leaf(item)}"


def _leaf(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def document(data: dict[str, Any], note: str) -> str:
    """DATA as a YAML document under NOTE (a comment, one or more lines)."""
    head = [f"# {line}".rstrip() for line in note.splitlines()]
    return "\n".join([*head, *_mapping(data, "", "")]) + "\n"
