from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from svqm_cli.reading import yaml_io
from svqm_cli.reading.yaml_io import load_bytes, load_file


def codes(raw: bytes) -> list[tuple[str, int, int]]:
    loaded = load_bytes(raw, "t.yaml")
    return [(f.code, f.location.line, f.location.column) for f in loaded.findings]


def test_scalars_are_normalised_once() -> None:
    loaded = load_bytes(b"a: 2023-11-16\nb: 42.10\nc: 7\nd: yes\ne: true\nf: ~\ng: '3'\n", "t")
    assert loaded.data == {
        "a": "2023-11-16",
        "b": Decimal("42.10"),
        "c": 7,
        "d": "yes",
        "e": True,
        "f": None,
        "g": "3",
    }
    assert isinstance(loaded.data["b"], Decimal)


def test_numbers_keep_their_exact_value() -> None:
    loaded = load_bytes(b"v: 0.1\nw: 1_000\nx: 0x1F\ny: 1e3\n", "t")
    assert loaded.data == {"v": Decimal("0.1"), "w": 1000, "x": 31, "y": Decimal("1e3")}


def test_duplicate_key_names_both_lines() -> None:
    loaded = load_bytes(b"a: 1\nb: 2\na: 3\n", "t")
    (finding,) = loaded.findings
    assert finding.code == "SV002"
    assert (finding.location.line, finding.location.column) == (3, 1)
    assert "line 1" in finding.message and "line 3" in finding.message


def test_syntax_error_gives_both_marks() -> None:
    (finding,) = load_bytes(b"a: [1, 2\nb: 3\n", "t").findings
    assert finding.code == "SV001"
    assert "line 2" in finding.message and "line 1" in finding.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a:\n\t- 1\n", ("SV005", 2, 1)),
        (b"a: caf\xe9\n", ("SV003", 1, 7)),
        (b"\xff\xfea\x00:\x00", ("SV003", 1, 1)),
        (b"", ("SV004", 1, 1)),
        (b"# only a comment\n", ("SV004", 1, 1)),
        (b"- 1\n- 2\n", ("SV013", 1, 1)),
        (b"just text\n", ("SV013", 1, 1)),
        (b"a: 1\n---\nb: 2\n", ("SV010", 2, 1)),
        (b"a: .nan\n", ("SV014", 1, 4)),
        (b"a: !include other.yaml\n", ("SV016", 1, 4)),
        (b"a: &x [1, *x]\n", ("SV006", 1, 4)),
        (b"a: \x00\n", ("SV003", 1, 1)),
        (b"a: \x07\n", ("SV001", 1, 1)),
        (b"? [a, b]\n: 1\n", ("SV001", 1, 3)),
    ],
)
def test_bad_files_become_findings(raw: bytes, expected: tuple[str, int, int]) -> None:
    assert codes(raw) == [expected]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    loaded = load_bytes(("\n".join(lines) + "\n").encode(), "t")
    assert [f.code for f in loaded.findings] == ["SV006"]
    assert loaded.data is None


def test_modest_alias_use_is_fine() -> None:
    raw = b"base: &b {deadweight: 0.1, attribution: 0.2}\nx:\n  <<: *b\n  attribution: 0.3\n"
    loaded = load_bytes(raw, "t")
    assert loaded.findings == []
    assert loaded.data["x"] == {"deadweight": Decimal("0.1"), "attribution": Decimal("0.3")}


@pytest.mark.parametrize("depth", [70, 100_000])
def test_deep_nesting_is_a_finding_not_a_crash(depth: int) -> None:
    raw = b"a: " + b"[" * depth + b"]" * depth + b"\n"
    assert [f.code for f in load_bytes(raw, "t").findings] == ["SV012"]


def test_deep_block_nesting_is_a_finding() -> None:
    raw = b"".join(b"  " * i + b"k:\n" for i in range(3000)) + b"  " * 3000 + b"v\n"
    assert [f.code for f in load_bytes(raw, "t").findings] == ["SV012"]


def test_huge_integer_stays_text_for_the_schema_to_reject() -> None:
    loaded = load_bytes(b"a: " + b"9" * 5000 + b"\n", "t")
    assert loaded.findings == [] and isinstance(loaded.data["a"], str)


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_io, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("kind: pledges\npledges: []\n")
    assert [f.code for f in load_file(path, "big.yaml").findings] == ["SV011"]


def test_bom_is_accepted() -> None:
    assert load_bytes(b"\xef\xbb\xbfkind: pledges\n", "t").data == {"kind": "pledges"}
