"""Every field of every kind, given every JSON type, through every command's core.

A value of the wrong type anywhere in a pack is ordinary bad input: `validate` reports it as
a finding, and `value`, `render --draft`, `diff`, `new` and `fmt` either work or refuse with
a one-line reason (SvqmError). None may raise anything else. The commands run in process
(the real command line is exercised by the fuzz suites), so the ~1,200 cases take a minute.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from svqm_cli.authoring.edit import formatted, new
from svqm_cli.base.errors import SvqmError
from svqm_cli.calc.report import compute
from svqm_cli.checking.check import check_pack
from svqm_cli.checking.diff import _side, compare
from svqm_cli.reading.yaml_io import load_file
from svqm_cli.render.context import build
from svqm_cli.render.writers import markdown
from svqm_cli.reporters import DIFF_REPORTERS, REPORTERS, VALUE_REPORTERS
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "level-4-nhs-group"
WRONG = {
    "null": None,
    "bool": True,
    "number": 7,
    "text": "seven",
    "list": [1, "two"],
    "mapping": {"x": 1},
}
# The kinds `svqm new` adds, by the document kind it writes into.
NEW_KIND = {
    "pledges": "pledge",
    "stakeholders": "stakeholder",
    "proxies": "proxy",
    "forecast": "forecast",
    "evaluation": "evaluation",
    "case-study": "case-study",
    "commitments": "commitment",
}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path of a document (the first item standing for each list)."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*path, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*path, 0))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _with(data: Any, path: tuple[Any, ...], replacement: Any) -> Any:
    data = _plain(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = replacement
    return data


def _cases() -> list[tuple[str, str, tuple[Any, ...]]]:
    """(file, kind, path): each field once per kind (the three evaluations share a shape)."""
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    out = []
    for file in sorted(EXAMPLE.rglob("*.yaml")):
        rel = file.relative_to(EXAMPLE).as_posix()
        if rel.startswith("drafts/"):
            continue
        loaded = load_file(file, rel)
        kind = loaded.data.get("kind") if isinstance(loaded.data, dict) else None
        for path in _paths(loaded.data):
            if path == ("kind",) or (kind, path) in seen:
                continue
            seen.add((kind, path))
            out.append((rel, str(kind), path))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def base_side() -> Any:
    return _side("base", EXAMPLE)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example for the module; each case puts back what it changed."""
    copy = tmp_path_factory.mktemp("confusion") / "pack"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_the_cases_cover_every_kind() -> None:
    kinds = {kind for _, kind, _ in CASES}
    assert {"pack", "pledges", "stakeholders", "proxies", "forecast", "evaluation"} <= kinds
    assert {"framework", "case-study", "procurement", "commitments", "measures"} <= kinds
    assert len(CASES) > 150


def _run_everything(pack: Path, rel: str, kind: str, base: Any) -> None:
    """validate, value, render --draft, diff, fmt and new, each as its command runs it."""
    loaded, report = check_pack(pack)
    for name in REPORTERS:
        REPORTERS[name](report, False)
    value = None
    if not report.errors:
        value = compute(loaded)
        VALUE_REPORTERS["text"](value, False)
        VALUE_REPORTERS["json"](value, False)
    markdown(build(loaded, report, value, draft=True), None)
    DIFF_REPORTERS["json"](compare(base, _side("head", pack)))
    formatted((pack / rel).read_text(encoding="utf-8"))  # what fmt does to each file
    if kind in NEW_KIND:
        with contextlib.suppress(SvqmError):  # a clean refusal is fine
            written = new(NEW_KIND[kind], pack, "type-confusion-added", None)
            _restore(pack, written.relative_to(pack).as_posix())


def _restore(pack: Path, rel: str) -> None:
    source = EXAMPLE / rel
    if source.exists():
        shutil.copyfile(source, pack / rel)
    else:
        (pack / rel).unlink()


@pytest.mark.parametrize(
    ("rel", "kind", "path"),
    CASES,
    ids=[f"{rel}:{'/'.join(map(str, path))}" for rel, _, path in CASES],
)
def test_every_json_type_in_every_field(
    pack: Path, base_side: Any, rel: str, kind: str, path: tuple[Any, ...]
) -> None:
    original = load_file(EXAMPLE / rel, rel).data
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    try:
        for name, wrong in WRONG.items():
            with (pack / rel).open("w", encoding="utf-8") as handle:
                yaml.dump(_with(original, path, wrong), handle)
            try:
                _run_everything(pack, rel, kind, base_side)
            except Exception as exc:  # the point: nothing else may escape
                where = "/".join(map(str, path))
                raise AssertionError(f"{rel} {where} = {name}: {exc!r}") from exc
    finally:
        _restore(pack, rel)
