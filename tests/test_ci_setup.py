"""The CI pieces: the GitHub Action, the example workflow, the pre-commit hook, and the
schemas written for editors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, ROOT, Run


@pytest.mark.parametrize(
    ("path", "schema"),
    [("action.yml", "vendor.github-actions"), ("examples/ci/svqm.yml", "vendor.github-workflows")],
)
def test_github_files_match_githubs_schemas(path: str, schema: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(ROOT / path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_runs_validate_render_and_sarif() -> None:
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    steps = " ".join(str(step) for step in action["runs"]["steps"])
    assert action["runs"]["using"] == "composite"
    for text in (
        "svqm validate",
        "--format sarif",
        "upload-sarif",
        "svqm render",
        "upload-artifact",
    ):
        assert text in steps


def test_pre_commit_hook_definition() -> None:
    (hook,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "svqm-validate" and hook["entry"] == "svqm validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def test_schema_write_gives_editor_schemas_that_accept_the_examples(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "schemas"
    assert run("schema", "--write", out, "--level", "4").returncode == 0
    from svqm_cli.base.vocabulary import KINDS

    assert len(list(out.glob("*.json"))) == len(KINDS) + 1  # one per kind and document.json
    validator = Draft202012Validator(
        json.loads((out / "document.json").read_text()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    from svqm_cli.reading.yaml_io import load_file

    example = next(p for p in EXAMPLES if p.name.startswith("level-4-"))
    for path in example.rglob("*.yaml"):
        if "drafts" in path.parts:
            continue
        data = load_file(path, path.name).data
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (path.name, errors[:3])


@pytest.mark.slow
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """pre-commit builds the hook's environment from this repository and runs it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES[0], repo)
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin:" + str(Path(sys.executable).parent),
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "pack"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        "svqm-validate",
        "--all-files",
    ]
    good = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    if good.returncode != 0 and "Could not" in good.stdout + good.stderr:
        pytest.skip("pre-commit cannot install the hook's packages here")
    assert good.returncode == 0, good.stdout[-2000:] + good.stderr[-2000:]
    assert "svqm validate" in good.stdout and "Passed" in good.stdout
    pledges = repo / "pledges.yaml"
    pledges.write_text(pledges.read_text().replace("quantity: 40", "quantity: forty"))
    bad = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1 and "SV101" in bad.stdout
