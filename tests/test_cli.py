"""End to end: the installed `svqm` command on the example packs and on broken packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, MINIMAL_PACK, Run, write_pack


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_valid(run: Run, example: Path) -> None:
    result = run("validate", example, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Valid: 0 errors, 0 warnings")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_declare_the_level_in_their_name(run: Run, example: Path) -> None:
    data = json.loads(run("validate", example, "--format", "json").stdout)
    assert example.name.startswith(f"level-{data['level']}-")


def test_validate_defaults_to_current_folder(run: Run) -> None:
    result = run("validate", cwd=EXAMPLES[0])
    assert result.returncode == 0


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_broken_packs_through_the_command(run: Run, case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    result = run("validate", case, "--format", "json")
    assert result.returncode == expected["exit_code"]
    data = json.loads(result.stdout)
    assert [(f["code"], f["file"], f["line"]) for f in data["findings"]] == [
        (f["code"], f["file"], f["line"]) for f in expected["findings"]
    ]
    assert "Traceback" not in result.stderr
    text = run("validate", case)
    assert text.returncode == expected["exit_code"]
    assert "Traceback" not in text.stdout + text.stderr
    for f in expected["findings"]:
        assert f"{f['line']}:{f['column']}" in text.stdout


def test_json_output_shape(run: Run) -> None:
    data = json.loads(run("validate", INVALID[0], "--format", "json").stdout)
    assert set(data) == {"valid", "level", "findings", "summary"}
    assert set(data["summary"]) == {"errors", "warnings", "documents"}


def test_level_option_overrides_and_accepts_names(run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-1-"))
    result = run("validate", example, "--level", "silver", "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["level"] == 2
    assert {f["code"] for f in data["findings"]} == {"SV301"}


def test_strict_fails_on_warnings(run: Run) -> None:
    case = next(p for p in INVALID if p.name.startswith("sv401"))
    assert run("validate", case).returncode == 0
    assert run("validate", case, "--strict").returncode == 1


def test_rules_override_changes_severity(run: Run, tmp_path: Path) -> None:
    files = dict(MINIMAL_PACK)
    files["svqm.yaml"] += "rules: {SV205: warning}\n"
    files["pledges.yaml"] = files["pledges.yaml"].replace("2024-06-30", "2025-06-30")
    write_pack(tmp_path, files)
    data = json.loads(run("validate", tmp_path, "--format", "json").stdout)
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("SV205", "warning")]
    (tmp_path / "svqm.yaml").write_text(files["svqm.yaml"].replace("warning", "off"))
    assert json.loads(run("validate", tmp_path, "--format", "json").stdout)["findings"] == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("validate", "no-such-folder"), "no pack folder"),
        (("validate", "--format", "xml"), "'xml' is not one of"),
        (("validate", "--level", "7"), "not a level"),
        (("validate", "--no-such-option"), "No such option"),
        (("frobnicate",), "No such command"),
        (("schema", "pledge"), "Did you mean `pledges`?"),
    ],
)
def test_usage_problems_are_one_line_and_exit_2(
    run: Run, args: tuple[str, ...], fragment: str, tmp_path: Path
) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("svqm: error: ") and fragment in result.stderr


def test_folder_without_svqm_yaml_is_exit_2(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.returncode == 2 and "svqm init" in result.stderr


def test_svqm_yaml_that_is_not_a_file_is_exit_2(run: Run, tmp_path: Path) -> None:
    (tmp_path / "svqm.yaml").mkdir()
    result = run("validate", tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("svqm: error: ")


def test_broken_svqm_yaml_is_a_finding_not_exit_2(run: Run, tmp_path: Path) -> None:
    write_pack(tmp_path, {**MINIMAL_PACK, "svqm.yaml": "kind: pack\naward: [\n"})
    result = run("validate", tmp_path, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["code"] == "SV001"


@pytest.mark.parametrize("level", ["1", "2", "3", "4"])
def test_init_writes_a_pack_that_validates(run: Run, tmp_path: Path, level: str) -> None:
    target = tmp_path / "new-pack"
    result = run("init", target, "--level", level)
    assert result.returncode == 0, result.stderr
    check = run("validate", target, "--strict", "--format", "json")
    assert check.returncode == 0, check.stdout
    assert json.loads(check.stdout)["level"] == int(level)
    assert "#" in (target / "svqm.yaml").read_text()  # commented


def test_init_never_overwrites(run: Run, tmp_path: Path) -> None:
    (tmp_path / "svqm.yaml").write_text("mine\n")
    result = run("init", tmp_path)
    assert result.returncode == 2 and "never overwrites" in result.stderr
    assert (tmp_path / "svqm.yaml").read_text() == "mine\n"
    assert not (tmp_path / "pledges.yaml").exists()


def test_schema_command_prints_json_schema(run: Run) -> None:
    result = run("schema", "evaluation", "--level", "3")
    schema = json.loads(result.stdout)
    assert result.returncode == 0 and schema["title"].startswith("svqm evaluation")
    everything = json.loads(run("schema").stdout)
    assert everything["properties"]["kind"]["enum"][0] == "pack"


def test_version_and_help(run: Run) -> None:
    assert run("--version").stdout.startswith("svqm ")
    for command in ("validate", "init", "schema"):
        result = run(command, "--help")
        assert result.returncode == 0 and "Examples" in result.stdout


def test_validate_does_not_touch_the_pack(run: Run, tmp_path: Path) -> None:
    write_pack(tmp_path, MINIMAL_PACK)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*")}
    run("validate", tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*")} == before


def test_output_is_deterministic(run: Run) -> None:
    case = next(p for p in INVALID if p.name.startswith("sv202"))
    assert run("validate", case).stdout == run("validate", case).stdout
