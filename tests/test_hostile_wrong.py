"""Issue 15, wrong answers: schema patterns that match the whole text, cache entries that
must check out, and findings about odd keys placed at the key."""

from __future__ import annotations

import hmac
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from svqm_cli.base import resources
from svqm_cli.checking import cache
from svqm_cli.checking.scan import scan
from tests.conftest import MINIMAL_PACK, Run, write_pack

# One value each anchored pattern of schemas/*.json accepts.
ACCEPTED = {
    "SV": "SV204",
    "[0-9]{4}-": "2024-01-31",
    "^[0-9]{4}(?!": "2023",
    "[A-Z]{3}": "GBP",
    "[A-Za-z][A-Za-z0-9.-]*": "NT1",
    " ?[0-9][A-Za-z]{2}": "LU1 2AB",
    "[A-Za-z]{1,2}[0-9][0-9A-Za-z]?(": "LU1",
    "[a-z0-9][a-z0-9-]*": "community-pop-ups",
}


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def _all_patterns() -> list[str]:
    found: set[str] = set()
    for path in sorted(resources.schemas_dir().glob("*.json")):
        found.update(_patterns(json.loads(path.read_text(encoding="utf-8"))))
    return sorted(found)


def _sample(pattern: str) -> str:
    return next(v for k, v in ACCEPTED.items() if k in pattern)


ANCHORED = [p for p in _all_patterns() if p.startswith("^") and p != "^x-"]


def test_no_pattern_ends_with_a_bare_dollar() -> None:
    """Python's re.search (which jsonschema uses) lets '$' match before a final newline."""
    assert ANCHORED, "the schemas have anchored patterns"
    assert not [p for p in _all_patterns() if p.endswith("$")]


@pytest.mark.parametrize("pattern", ANCHORED)
def test_each_pattern_matches_the_whole_text(pattern: str) -> None:
    sample = _sample(pattern)
    assert re.search(pattern, sample), (pattern, sample)
    for tail in ("\n", "\r\n", " ", "\nmore"):
        assert not re.search(pattern, sample + tail), (pattern, sample + tail)


def test_an_id_written_as_a_literal_block_is_refused(run: Run, tmp_path: Path) -> None:
    pledges = MINIMAL_PACK["pledges.yaml"].replace(
        "  - id: local-jobs\n", "  - id: |\n      local-jobs\n"
    )
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "pledges.yaml": pledges})
    result = run("validate", pack, "--format", "json")
    assert result.returncode == 1, result.stdout
    findings = json.loads(result.stdout)["findings"]
    assert any(f["pointer"] == "/pledges/0/id" and f["line"] == 3 for f in findings), findings


# --- the cache ------------------------------------------------------------------------------


@pytest.fixture
def cached_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SVQM_CACHE_DIR", str(folder))
    monkeypatch.delenv("SVQM_NO_CACHE", raising=False)
    broken = {**MINIMAL_PACK, "pledges.yaml": "kind: pledges\npledges:\n  - id: Bad Id\n"}
    pack = write_pack(tmp_path / "pack", broken)
    scan(pack, workers=1)
    return pack, folder


def _entry_of(folder: Path, name: str = "pledges.yaml") -> Path:
    for path in folder.rglob("*.json"):
        if name in path.read_text(encoding="utf-8") or "Bad Id" in path.read_text():
            return path
    raise AssertionError("no cache entry written")


def _codes(pack: Path) -> list[str]:
    loaded, _ = scan(pack, workers=1)
    return [f.code for d in loaded.documents for f in d.findings]


def test_a_tampered_entry_is_a_miss(cached_pack: tuple[Path, Path]) -> None:
    pack, folder = cached_pack
    before = _codes(pack)
    assert before, "the broken pack has findings"
    path = _entry_of(folder)
    check, _, body = path.read_text(encoding="utf-8").partition("\n")
    entry = json.loads(body)
    entry["findings"] = []
    path.write_text(check + "\n" + json.dumps(entry), encoding="utf-8")
    assert _codes(pack) == before  # the hash no longer checks out: checked again


def test_an_entry_of_the_wrong_shape_is_a_miss(cached_pack: tuple[Path, Path]) -> None:
    """Even with a hash that checks out, an entry must have the shape scan.py writes."""
    pack, folder = cached_pack
    before = _codes(pack)
    path = _entry_of(folder)
    entry_key = path.stem
    for broken in (
        {"kind": None, "declared_kind": None, "data": None, "lines": [], "findings": []},
        {"kind": "pledges", "declared_kind": "pledges", "data": None, "lines": [], "findings": []},
        {"kind": "nonsense", "declared_kind": None, "data": {}, "lines": [], "findings": []},
    ):
        body = json.dumps(broken)
        path.write_text(cache._check(entry_key, body) + "\n" + body, encoding="utf-8")
        assert _codes(pack) == before, broken


@pytest.mark.parametrize("number", ["abc", "", "NaN", "Infinity", "-sNaN"])
def test_a_corrupt_cached_number_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: str
) -> None:
    monkeypatch.setenv("SVQM_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SVQM_NO_CACHE", raising=False)
    body = json.dumps({"data": {"x": {cache._DECIMAL: number}}})
    target = cache._path(tmp_path, "ab" * 32)
    target.parent.mkdir(parents=True)
    target.write_text(cache._check("ab" * 32, body) + "\n" + body, encoding="utf-8")
    assert cache.get("ab" * 32) is None
    float_body = '{"data": {"x": 1.5}}'
    target.write_text(cache._check("ab" * 32, float_body) + "\n" + float_body)
    assert cache.get("ab" * 32) is None


def test_an_entry_signed_without_the_key_is_a_miss(
    cached_pack: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever can write the cache folder but does not hold the key (a restored or shared
    CI cache, another user) cannot forge a clean result, even with a recomputed hash."""
    import hashlib

    pack, folder = cached_pack
    before = _codes(pack)
    path = _entry_of(folder)
    entry = json.loads(path.read_text(encoding="utf-8").partition("\n")[2])
    entry["findings"], entry["lines"] = [], []  # what scan.py writes for a clean file
    body = json.dumps(entry)
    for forged in (
        hashlib.sha256(path.stem.encode() + b"\x00" + body.encode()).hexdigest(),
        hmac.new(
            b"another key", path.stem.encode() + b"\x00" + body.encode(), "sha256"
        ).hexdigest(),
    ):
        path.write_text(forged + "\n" + body, encoding="utf-8")
        assert _codes(pack) == before
    # signed with the right key, the same body is trusted: the key is what decides
    path.write_text(cache._check(path.stem, body) + "\n" + body, encoding="utf-8")
    assert len(_codes(pack)) < len(before)


def test_the_key_is_made_once_per_user_outside_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SVQM_CACHE_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    cache.signing_key.cache_clear()
    try:
        key = cache.signing_key()
        made = tmp_path / "config" / "svqm" / "cache-key"
        assert key and made.read_bytes().strip() == key
        assert made.stat().st_mode & 0o777 == 0o600
        cache.signing_key.cache_clear()
        assert cache.signing_key() == key  # the same key on the next run
        made.chmod(0o644)  # readable by others: not a secret any more, so no caching
        cache.signing_key.cache_clear()
        assert cache.signing_key() is None
        assert cache.get("ab" * 32) is None
    finally:
        cache.signing_key.cache_clear()


def test_a_sound_entry_is_a_hit(cached_pack: tuple[Path, Path]) -> None:
    pack, folder = cached_pack
    path = _entry_of(folder)
    stamp = path.stat().st_mtime_ns
    _codes(pack)
    assert path.stat().st_mtime_ns == stamp  # read from the cache, not written again
    assert cache.get(path.stem) is not None
    assert os.environ["SVQM_CACHE_DIR"] == str(folder)


# --- odd keys are located at the key ---------------------------------------------------------


@pytest.mark.parametrize("key", ["~", "null", "true", "True", "0x10"])
def test_an_unknown_odd_key_is_located_at_the_key(run: Run, tmp_path: Path, key: str) -> None:
    pledges = MINIMAL_PACK["pledges.yaml"] + f"    {key}: 1\n"
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "pledges.yaml": pledges})
    result = run("validate", pack, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    unknown = [f for f in findings if f["code"] == "SV103"]
    assert [(f["line"], f["column"]) for f in unknown] == [(9, 5)], findings
