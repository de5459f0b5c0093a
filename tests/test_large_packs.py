"""Issue 16: large packs. Rule findings are located from the positions the scan recorded
(never by parsing a file again), on one core or two, from the cache or not; the scan
splits its work by bytes; collections are relaxed while reading and restored after."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from svqm_cli.checking import scan as scan_module
from svqm_cli.checking.check import validate_pack
from svqm_cli.reading.pack import Pack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def flagged_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight impact maps of six outcomes; every second one above 10:1 (SV403)."""
    root = tmp_path_factory.mktemp("large") / "pack"
    generate(root, documents=8, outcomes=6, flagged_every=2)
    return root


def findings(pack_path: Path, workers: int) -> list[tuple[str, str, int, int, str]]:
    pack, level = scan_module.scan(pack_path, workers=workers)
    report = validate_pack(pack, level)
    return [
        (f.code, f.location.file, f.location.line, f.location.column, f.location.pointer)
        for f in report.findings
    ]


def never_parse_again(self: Pack, rel: str) -> None:
    raise AssertionError(f"{rel} was parsed again to locate a finding")


def test_rule_findings_are_located_without_parsing_again(
    flagged_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = findings(flagged_pack, workers=1)  # first run: may fill the cache
    assert [f[0] for f in expected].count("SV403") == 4
    for f in expected:
        assert f[2] >= 1 and f[3] >= 1
    monkeypatch.setattr(Pack, "positions", never_parse_again)
    monkeypatch.setenv("SVQM_NO_CACHE", "1")
    assert findings(flagged_pack, workers=1) == expected  # freshly read
    monkeypatch.delenv("SVQM_NO_CACHE")
    assert findings(flagged_pack, workers=1) == expected  # from the cache


def test_the_sv403_finding_points_at_the_inputs_line(flagged_pack: Path) -> None:
    found = [f for f in findings(flagged_pack, workers=1) if f[0] == "SV403"]
    for _, file, line, column, pointer in found:
        lines = (flagged_pack / file).read_text().splitlines()
        assert pointer.startswith("/")
        assert lines[line - 1][column - 1 :].strip()


def test_two_processes_find_the_same_as_one(
    flagged_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVQM_NO_CACHE", "1")
    monkeypatch.setattr(scan_module, "PARALLEL_FROM_BYTES", 0)
    assert findings(flagged_pack, workers=2) == findings(flagged_pack, workers=1)


def test_shares_are_cut_by_bytes_not_files() -> None:
    jobs = [(b"x" * size, f"f{n}.yaml", 1) for n, size in enumerate([9000, 100, 100, 100, 9000])]
    mine, theirs = scan_module._shares(jobs, 2)
    assert [j[1] for j in mine + theirs] == [j[1] for j in jobs]  # every job, in order
    assert sum(len(j[0]) for j in mine) <= sum(len(j[0]) for j in theirs)
    assert len(mine) == 1 and len(theirs) == 4
    assert scan_module._shares(jobs, 1) == [jobs]


def test_collections_are_relaxed_only_while_reading(flagged_pack: Path) -> None:
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    original = scan_module._scan

    def spy(*args: object) -> object:
        seen.append(gc.get_threshold())
        return original(*args)  # type: ignore[arg-type]

    scan_module._scan = spy  # type: ignore[assignment]
    try:
        scan_module.scan(flagged_pack, workers=1)
    finally:
        scan_module._scan = original
        gc.unfreeze()
    assert seen[0][0] >= scan_module.GC_THRESHOLD
    assert gc.get_threshold() == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"a": []},
        {"a": [1, {"b": [], "c": {}}], "d": {"x": 'é\n"', "y": [1.5, None]}, "e": 3, "f": {}},
        {"maps": [{"k": [1, 2], "o": [{"id": "x", "pv": -0.5}]}, "s", [], {}], "t": None},
    ],
)
def test_value_json_by_parts_is_json_dumps_byte_for_byte(data: dict[str, object]) -> None:
    import json

    from svqm_cli.reporters.json_parts import dumps_by_parts

    expected = json.dumps(data, indent=2, ensure_ascii=False)
    assert dumps_by_parts(data) == expected
    lazy = {k: (x for x in v) if isinstance(v, list) else v for k, v in data.items()}
    assert dumps_by_parts(lazy) == expected


def test_value_json_by_parts_writes_what_orjson_cannot() -> None:
    """An integer beyond 64 bits goes to the standard library; a very small number is
    spelled out but reads back the same."""
    import json

    from svqm_cli.reporters.json_parts import dumps_by_parts

    data = {"big": 2**70, "small": [1e-05, 2.5e-07], "name": "Ré\u2028"}
    text = dumps_by_parts(data)
    assert json.loads(text) == data
    assert '"big": 1180591620717411303424' in text
