"""Hostile input through the real command: never a traceback, always 0, 1 or 2 with findings
or a one-line reason, within a time bound; nothing outside what the user named is read or
written; nothing in the pack is changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, svqm_command, write_pack
from tests.test_fuzz import yaml_values

TIME_BOUND = 60  # seconds for one command on a small pack, however hostile
CLI_FUZZ = settings(
    max_examples=int(os.environ.get("SVQM_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [*svqm_command(), *args], capture_output=True, text=True, env=env, timeout=TIME_BOUND
    )


def _assert_well_behaved(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 2:
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("svqm: error: ")


def _mutate_bytes(raw: bytes, data: st.DataObject) -> bytes:
    how = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate", "splice"]))
    if not raw:
        return data.draw(st.binary(max_size=64))
    i = data.draw(st.integers(0, len(raw) - 1))
    if how == "flip":
        return raw[:i] + bytes([raw[i] ^ data.draw(st.integers(1, 255))]) + raw[i + 1 :]
    if how == "insert":
        return raw[:i] + data.draw(st.binary(min_size=1, max_size=16)) + raw[i:]
    if how == "delete":
        return raw[:i] + raw[i + data.draw(st.integers(1, 32)) :]
    if how == "truncate":
        return raw[:i]
    j = data.draw(st.integers(0, len(raw) - 1))  # splice: repeat a run elsewhere
    return raw[:i] + raw[j : j + 40] + raw[i:]


TYPE_SWAPS = [
    "[]",
    "{}",
    "''",
    "~",
    ".nan",
    "-1",
    "1e400",
    "99999999999999999999999",
    "[[[[[[[[1]]]]]]]]",
    "&a [*a]",
    "!!binary aGk=",
    '"\\u0000"',
    "2024-02-30",
]


def _mutate_structure(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    how = data.draw(st.sampled_from(["swap-type", "dedent", "duplicate", "drop"]))
    if not lines:
        return text
    if how == "swap-type" and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        value = data.draw(st.one_of(st.sampled_from(TYPE_SWAPS), yaml_values.map(repr)))
        lines[i] = f"{key}: {value}\n"
    elif how == "dedent":
        lines[i] = lines[i].lstrip()
    elif how == "duplicate":
        lines.insert(i, lines[i])
    else:
        del lines[i]
    return "".join(lines)


@CLI_FUZZ
@given(st.data())
def test_mutated_packs_through_the_command(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    source = data.draw(st.sampled_from(EXAMPLES))
    pack = Path(tmp_path_factory.mktemp("fuzz")) / "pack"
    shutil.copytree(source, pack)
    target = data.draw(st.sampled_from(sorted(pack.rglob("*.yaml"))))
    if data.draw(st.booleans()):
        target.write_bytes(_mutate_bytes(target.read_bytes(), data))
    else:
        target.write_text(
            _mutate_structure(target.read_text(encoding="utf-8"), data), encoding="utf-8"
        )
    command = data.draw(
        st.sampled_from(
            [
                ["validate", "--format", "json"],
                ["validate"],
                ["value", "--format", "json"],
                ["render", "--format", "md", "--draft", "--output", str(pack.parent / "out.md")],
                ["export", "--output", str(pack.parent / "out.xlsx")],
                ["export", "--format", "csv", "--output", str(pack.parent / "out-csv")],
            ]
        )
    )
    result = _run(command[0], str(pack), *command[1:])
    _assert_well_behaved(result)
    if command[:3] == ["validate", "--format", "json"]:
        report = json.loads(result.stdout)
        assert report["valid"] == (result.returncode == 0)
        assert all(f["line"] >= 1 and f["message"] for f in report["findings"])


def test_limits_are_findings(run: Run, tmp_path: Path) -> None:
    files = dict(MINIMAL_PACK)
    files["pledges.yaml"] = files["pledges.yaml"].replace("quantity: 10", "quantity: 1e400")
    files["deep.yaml"] = "kind: pledges\nx: " + "[" * 5000 + "]" * 5000 + "\n"
    bomb = ["kind: pledges", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    bomb += [
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    ]
    files["bomb.yaml"] = "\n".join(bomb) + "\n"
    files["nan.yaml"] = (
        files["pledges.yaml"]
        .replace("local-jobs", "nan-jobs")
        .replace("quantity: 1e400", "quantity: .nan")
    )
    write_pack(tmp_path, files)
    result = run("validate", tmp_path, "--format", "json")
    codes = {(f["file"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert ("pledges.yaml", "SV105") in codes  # 1e400 is above the largest quantity
    assert ("deep.yaml", "SV012") in codes and ("bomb.yaml", "SV006") in codes
    assert ("nan.yaml", "SV014") in codes
    assert result.returncode == 1


def test_evidence_link_out_of_the_pack_is_refused(run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    outside.write_text("not in the pack")
    pack = tmp_path / "pack"
    files = dict(MINIMAL_PACK)
    files["pledges.yaml"] += (
        "    progress:\n      - {measure: local hires, actual: 4, "
        "as_of: 2024-05-01, evidence: [evidence/link.pdf]}\n"
    )
    write_pack(pack, files)
    (pack / "evidence").mkdir()
    (pack / "evidence" / "link.pdf").symlink_to(outside)
    (pack / "linked.yaml").symlink_to(tmp_path / "outside.pdf")
    data = json.loads(run("validate", pack, "--format", "json").stdout)
    assert {(f["file"], f["code"]) for f in data["findings"]} == {
        ("pledges.yaml", "SV203"),
        ("linked.yaml", "SV203"),
    }


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_no_command_writes_in_the_pack(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES[-1], pack)
    before = _digest(pack)
    out = tmp_path / "out"
    out.mkdir()
    for args in (
        ["validate"],
        ["validate", "--format", "json"],
        ["value"],
        ["value", "--format", "json"],
        ["render", "--output", str(out)],
        ["render", "--format", "md", "--output", str(out)],
        ["export", "--output", str(out)],
        ["export", "--format", "csv", "--output", str(out / "tables")],
        ["schema"],
    ):
        result = run(args[0], *([pack] if args[0] != "schema" else []), *args[1:], cwd=out)
        assert result.returncode == 0, (args, result.stderr)
    assert _digest(pack) == before
    assert sorted(p.name for p in out.iterdir()) == [
        "report.html",
        "report.md",
        "tables",
        "values.xlsx",
    ]


def test_draft_of_an_empty_list_renders(run: Run, tmp_path: Path) -> None:
    """Found by the fuzzer: `pledges:` with nothing under it crashed a draft render."""
    files = dict(MINIMAL_PACK)
    files["pledges.yaml"] = "kind: pledges\npledges:\n"
    files["proxies.yaml"] = "kind: proxies\nproxies:\n"
    pack = write_pack(tmp_path / "pack", files)
    for fmt in ("html", "md", "docx"):
        result = run(
            "render", pack, "--format", fmt, "--draft", "--output", tmp_path / f"out.{fmt}"
        )
        assert result.returncode == 0, result.stderr


@settings(
    max_examples=int(os.environ.get("SVQM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_draft_reports_of_mutated_packs(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    """Draft mode shows invalid data: every mutated field must still render, in process."""
    from svqm_cli.checking.check import check_pack
    from svqm_cli.render.context import build
    from svqm_cli.render.word import word_document
    from svqm_cli.render.writers import html, markdown

    pack_dir = Path(tmp_path_factory.mktemp("draft")) / "pack"
    shutil.copytree(EXAMPLES[-1], pack_dir)
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(sorted(pack_dir.rglob("*.yaml"))))
        target.write_text(
            _mutate_structure(target.read_text(encoding="utf-8"), data), encoding="utf-8"
        )
    pack, report = check_pack(pack_dir)
    context = build(pack, report, None, draft=True)
    assert b"DRAFT" in html(context) and b"DRAFT" in markdown(context)
    assert word_document(context)[:2] == b"PK"
