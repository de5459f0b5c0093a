from __future__ import annotations

from svqm_cli.reading.locate import locate
from svqm_cli.reading.yaml_io import load_bytes

TEXT = b"""kind: pledges
pledges:
  - id: a
    targets:
      - {measure: m, quantity: 1}
  - id: b
    title:
"""


def root():  # type: ignore[no-untyped-def]
    return load_bytes(TEXT, "t").root


def test_value_position() -> None:
    assert locate(root(), "/pledges/0/targets/0/quantity") == (5, 32)


def test_key_position() -> None:
    assert locate(root(), "/pledges/0/targets/0/quantity", "key") == (5, 22)


def test_list_item_is_its_first_line() -> None:
    assert locate(root(), "/pledges/1") == (6, 5)


def test_missing_path_falls_back_to_nearest_parent() -> None:
    assert locate(root(), "/pledges/1/owner") == (6, 5)
    assert locate(root(), "/pledges/9/id") == (3, 3)  # the list itself


def test_empty_value_points_at_its_key() -> None:
    assert locate(root(), "/pledges/1/title") == (7, 5)


def test_escaped_pointer_parts() -> None:
    loaded = load_bytes(b"a/b: 1\nc~d: 2\n", "t")
    assert locate(loaded.root, "/a~1b") == (1, 6)
    assert locate(loaded.root, "/c~0d") == (2, 6)


def test_no_tree_gives_line_one() -> None:
    assert locate(None, "/x") == (1, 1)
