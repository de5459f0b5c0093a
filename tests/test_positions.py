"""The compact positions the scan records locate every pointer exactly where the node tree
does (reading/positions.py against reading/locate.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from svqm_cli.reading import positions
from svqm_cli.reading.locate import escape_pointer, locate
from svqm_cli.reading.yaml_io import load_bytes

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests" / "packs")
    for p in folder.rglob("*.y*ml")
    if p.is_file()
)

TRICKY = {
    "aliases": "base: &b {a: 1, b: [x, y]}\nother: *b\nlist: [*b, *b]\n",
    "merge": "base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  a: 3\n  c: 4\n",
    "duplicate": "a: 1\nb: 2\na: 3\nc: {d: 1, d: 2, e: 3}\n",
    "empty": "a:\nb: ''\nc: \"\"\nd: [~, '']\ne: {f: }\n",
    "odd keys": "~: 1\ntrue: 2\n3: x\n0x10: y\n1.50: z\na/b: 1\nc~d: 2\n",
    "flow": "outcomes: [{id: a, quantity: 1}, {id: b, quantity: 2}]\n",
}


def pointers(data: Any, prefix: str = "") -> Iterator[str]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from pointers(value, f"{prefix}/{escape_pointer(key)}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from pointers(value, f"{prefix}/{index}")


def check(raw: bytes) -> int:
    loaded = load_bytes(raw, "x.yaml")
    if loaded.data is None:
        return 0
    count = 0
    extra = ["/missing", "/0/none", "/outcomes/99999/id"]
    for pointer in [*pointers(loaded.data), *extra]:
        for target in ("value", "key"):
            expected = locate(loaded.root, pointer, target)  # type: ignore[arg-type]
            assert positions.locate(loaded.positions, loaded.data, pointer, target) == expected, (
                pointer,
                target,
            )
            count += 1
    return count


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_documents(name: str) -> None:
    assert check(TRICKY[name].encode()) > 0


def test_every_example_and_test_pack_file() -> None:
    assert len(FILES) > 50
    assert sum(check(p.read_bytes()) for p in FILES) > 10_000


def test_damaged_positions_fall_back_to_none() -> None:
    """A damaged cache entry never raises: None (read the file again), or a real position."""
    loaded = load_bytes(b"a: {b: [1, 2]}\n", "x.yaml")
    for blob in (b"", b"\x00\x00\x00\x00", b"\xff" * 12):
        assert positions.locate(blob, loaded.data, "/a/b/1") is None
    blob = loaded.positions
    for cut in range(0, len(blob), 4):
        for damaged in (blob[:cut], blob[cut:], blob[:cut] + b"\xff\xff\xff\x7f" + blob[cut + 4 :]):
            found = positions.locate(damaged, loaded.data, "/a/b/1")
            assert found is None or (found[0] >= 1 and found[1] >= 1)
