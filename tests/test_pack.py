from __future__ import annotations

import os
from pathlib import Path

import pytest

from svqm_cli.base.errors import PackNotFound
from svqm_cli.checking.scan import scan
from svqm_cli.reading.pack import inside, is_ignored, iter_document_paths
from tests.conftest import MINIMAL_PACK, write_pack


@pytest.mark.parametrize(
    ("path", "patterns", "ignored"),
    [
        ("drafts/a.yaml", ("drafts/**",), True),
        ("drafts/sub/a.yaml", ("drafts/**",), True),
        ("drafts/a.yaml", ("drafts",), True),
        ("x/drafts/a.yaml", ("drafts",), True),
        ("x/drafts/a.yaml", ("/drafts/**",), False),
        ("old.bak.yaml", ("*.bak.yaml",), True),
        ("a/old.bak.yaml", ("*.bak.yaml",), True),
        ("pledges.yaml", ("drafts/**",), False),
        ("2023/pledges.yaml", ("20??/*",), True),
    ],
)
def test_ignore_globs(path: str, patterns: tuple[str, ...], ignored: bool) -> None:
    assert is_ignored(path, patterns) is ignored


def test_discovery_skips_hidden_output_and_ignored(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        {
            **MINIMAL_PACK,
            ".github/workflows/ci.yml": "on: push\n",
            ".hidden.yaml": "x: 1\n",
            "svqm-report/out.yaml": "x: 1\n",
            "drafts/a.yaml": "x: 1\n",
            "data/extra.yml": "kind: pledges\n",
            "notes.txt": "x",
        },
    )
    assert list(iter_document_paths(tmp_path, ("drafts/**",))) == [
        "data/extra.yml",
        "pledges.yaml",
        "svqm.yaml",
    ]


def test_paths_must_stay_inside(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret")
    os.symlink(outside, tmp_path / "evidence" / "link.txt")
    assert inside(tmp_path, "evidence/a.pdf")[0] == tmp_path / "evidence" / "a.pdf"
    for bad in (
        "../x.pdf",
        "/etc/passwd",
        "C:/x.pdf",
        "evidence\\a.pdf",
        "https://example.org/a.pdf",
        "evidence/link.txt",
        "evidence/../../x",
    ):
        target, why = inside(tmp_path, bad)
        assert target is None and why, bad


@pytest.mark.parametrize("setup", ["missing", "file", "no-marker"])
def test_pack_not_found_is_exit_2(tmp_path: Path, setup: str) -> None:
    target = tmp_path / "pack"
    if setup == "file":
        target.write_text("x")
    elif setup == "no-marker":
        target.mkdir()
    with pytest.raises(PackNotFound) as info:
        scan(target)
    assert info.value.exit_code == 2


def test_pack_file_itself_may_be_named(tmp_path: Path) -> None:
    write_pack(tmp_path, MINIMAL_PACK)
    assert scan(tmp_path / "svqm.yaml")[0].root == tmp_path
