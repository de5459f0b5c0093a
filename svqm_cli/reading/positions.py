"""Where every value of a document is written, kept compactly instead of as a node tree.

The builder records, while it walks the node tree once, each node's line and column in a
flat array of ints (about 300 bytes per outcome, against tens of kilobytes for ruamel's
nodes), so that a rule's finding is located without reading and parsing the file again,
in a worker, in the cache and in the parent alike. Layout (children before their parent,
the root's offset last, all 1-based lines and columns):

    scalar     line, column            (column negative: an empty value, shown at its key)
    sequence   line, column, n, offset of each item
    mapping    line, column, n, then per key: key line, key column, offset of its value

A mapping lists only the keys its plain data has, in the same order (a duplicate key's
second occurrence and merge keys are left out; merged keys come after the explicit ones
in the data), so the arrays are read alongside the data: the data says whether a node is a
mapping or a list, and the position of a key in the dict is its entry in the array.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

from svqm_cli.reading.locate import split_pointer

if TYPE_CHECKING:
    Positions = array[int]  # array("i"), as built by the Builder
else:
    Positions = array


def new() -> Positions:
    return array("i")


def scalar(out: Positions, line: int, column: int, empty: bool) -> int:
    offset = len(out)
    out.extend((line, -column if empty else column))
    return offset


def sequence(out: Positions, line: int, column: int, items: list[int]) -> int:
    offset = len(out)
    out.extend((line, column, len(items)))
    out.extend(items)
    return offset


def mapping(out: Positions, line: int, column: int, entries: list[tuple[int, int, int]]) -> int:
    offset = len(out)
    out.extend((line, column, len(entries)))
    for entry in entries:
        out.extend(entry)
    return offset


def finish(out: Positions, root: int) -> bytes:
    """The array as bytes (for the cache and for workers), with the root's offset last."""
    out.append(root)
    return out.tobytes()


def locate(blob: bytes, data: Any, pointer: str, target: str = "value") -> tuple[int, int] | None:
    """1-based (line, column) of the node POINTER names in DATA (or of its key), falling
    back to the nearest parent that exists; None when BLOB does not fit DATA (a damaged
    cache entry: the caller reads the file again)."""
    try:
        return _walk(_ints(blob), data, pointer, target)
    except (IndexError, ValueError, TypeError):
        return None


def _ints(blob: bytes) -> Positions:
    out = array("i")
    out.frombytes(blob)
    return out


def _walk(ints: Positions, data: Any, pointer: str, target: str) -> tuple[int, int]:
    node = _offset(ints, ints[-1])
    key: tuple[int, int] | None = None
    for part in split_pointer(pointer):
        if isinstance(data, dict):
            index = _index(data, part)
            if index is None or index >= ints[node + 2]:
                key = None
                break
            entry = node + 3 + 3 * index
            key = (ints[entry], ints[entry + 1])
            node, data = _offset(ints, ints[entry + 2]), data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            index = int(part)
            if index >= ints[node + 2]:
                key = None
                break
            node, data, key = _offset(ints, ints[node + 3 + index]), data[index], None
        else:
            key = None
            break
    line, column = ints[node], ints[node + 1]
    empty = column < 0 and not isinstance(data, (dict, list))
    if key is not None and (target == "key" or (target == "value" and empty)):
        line, column = key
    if line < 1 or column == 0 or (key is not None and min(key) < 1):
        raise ValueError("not a position")
    return line, abs(column)


def _index(data: dict[str, Any], part: str) -> int | None:
    for n, name in enumerate(data):
        if name == part:
            return n
    return None


def _offset(ints: Positions, value: int) -> int:
    if not 0 <= value < len(ints) - 1:
        raise IndexError("offset out of range")
    return value
