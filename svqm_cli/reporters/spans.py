"""Where a finding's key or value ends on its line, for formats that mark a range (SARIF's
endColumn). Columns count code points, 1-based, the end one past the last character."""

from __future__ import annotations

import re

_KEY = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#{}\[\],]*?)\s*:(?:\s|$)""")
_CLOSE = {"[": "]", "{": "}"}


def _quoted(text: str) -> int:
    """Length of the quoted scalar at the start of TEXT (to the end of the line if open)."""
    quote = text[0]
    i = 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return len(text.rstrip())


def _flow(text: str) -> int:
    """Length of the flow collection at the start of TEXT, when it closes on this line."""
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i += _quoted(text[i:])
            continue
        if ch in _CLOSE:
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text.rstrip())


def _plain(text: str, in_flow: bool) -> int:
    stops = re.search(r"\s#" + (r"|,\s|,$|[\]}]" if in_flow else ""), text)
    end = stops.start() if stops else len(text)
    return len(text[:end].rstrip())


def end_column(line: str, column: int, target: str = "value") -> int | None:
    """The column just after the key (TARGET "key") or value that starts at COLUMN on LINE;
    None when there is nothing there to mark."""
    start = column - 1
    if not 0 <= start < len(line):
        return None
    text = line[start:]
    if target == "key":
        match = _KEY.match(text)
        length = len(match.group(1)) if match else _plain(text, False)
    elif text[0] in "\"'":
        length = _quoted(text)
    elif text[0] in _CLOSE:
        length = _flow(text)
    else:
        length = _plain(text, in_flow=any(c in line[:start] for c in "[{"))
    return column + length if length > 0 else None
