"""The rules' findings of an unchanged pack come from the cache (checking/rule_cache.py);
any change to a document, the level or a file a rule looks at is seen."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from svqm_cli.checking import cache
from svqm_cli.checking.check import Options, validate
from svqm_cli.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "level-3-mental-health-trust"


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SVQM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SVQM_NO_CACHE", raising=False)
    target = tmp_path / "pack"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each rule ran."""
    import svqm_cli.rules as rules

    counted: dict[str, int] = {}
    wrapped = []
    for r in all_rules():

        def fn(ctx, _fn=r.fn):  # type: ignore[no-untyped-def]
            counted[_fn.__name__] = counted.get(_fn.__name__, 0) + 1
            return list(_fn(ctx))

        wrapped.append(rules.Rule(r.codes, fn, r.reads_files))
    monkeypatch.setattr(rules, "RULES", wrapped)
    monkeypatch.setattr("svqm_cli.checking.check.all_rules", lambda: wrapped)
    return counted


def _found(pack: Path, level: int | None = None) -> list[tuple[str, str, int, str]]:
    report = validate(pack, Options(level=level))
    return [(f.code, f.location.file, f.location.line, f.message) for f in report.findings]


def test_an_unchanged_pack_runs_only_the_rules_that_read_files(
    pack: Path, calls: dict[str, int]
) -> None:
    first = _found(pack)
    ran = dict(calls)
    assert ran["evidence_files"] == 1 and ran["ratio_plausible"] == 1
    second = _found(pack)
    assert second == first
    assert calls["evidence_files"] == 2  # looks at files beyond the documents: every time
    assert calls["ratio_plausible"] == 1  # served from the cache
    assert all(calls[name] == 1 for name in ran if name != "evidence_files")


def test_a_changed_document_or_level_runs_the_rules_again(
    pack: Path, calls: dict[str, int]
) -> None:
    _found(pack)
    forecast = pack / "forecast-housing.yaml"
    forecast.write_text(forecast.read_text().replace("  - id: ", "  - id: x-", 1))
    changed = _found(pack)
    assert calls["ratio_plausible"] == 2
    assert changed == _found_without_cache(pack)  # (runs them a third time)
    _found(pack, level=2)
    assert calls["ratio_plausible"] == 4


def _found_without_cache(pack: Path) -> list[tuple[str, str, int, str]]:
    import os

    os.environ["SVQM_NO_CACHE"] = "1"
    try:
        return _found(pack)
    finally:
        del os.environ["SVQM_NO_CACHE"]


def test_an_evidence_file_removed_is_seen_by_the_next_run(pack: Path) -> None:
    assert not [f for f in _found(pack) if f[0] == "SV204"]
    removed = pack / "evidence" / "employment" / "local-hires.csv"
    assert removed.is_file()
    removed.unlink()
    found = [f for f in _found(pack) if f[0] == "SV204"]
    assert found and "local-hires.csv" in found[0][3]


def test_a_tampered_rule_entry_is_a_miss(pack: Path) -> None:
    """An entry whose findings were removed (and re-signed with another key, or not at all)
    is not believed: the rules run again and the findings come back."""
    forecast = pack / "forecast-housing.yaml"
    text = forecast.read_text()
    forecast.write_text(text.replace("proxy: ", "proxy: no-such-", 1))
    before = _found(pack)
    assert any(code == "SV202" for code, *_ in before), before
    for path in (Path(cache.cache_dir() or "") / ".").rglob("*.json"):
        check, _, body = path.read_text(encoding="utf-8").partition("\n")
        if '"file"' in body:
            path.write_text(check + "\n" + '{"findings": []}', encoding="utf-8")
    assert _found(pack) == before


def test_rules_that_look_beyond_the_documents_say_so() -> None:
    """A rule whose module reaches the file system must be marked reads_files, or the
    cache would serve its findings after the files changed."""
    for r in all_rules():
        source = inspect.getsource(inspect.getmodule(r.fn))  # type: ignore[arg-type]
        touches = any(t in source for t in ("os.path", "open(", ".root", "Path(", "stat("))
        assert r.reads_files == touches, r.fn.__name__
