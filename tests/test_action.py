"""The GitHub Action and the example workflow, in the clients that run them: the Action's own
`run:` scripts executed with bash as a runner does, and actionlint on both files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, ROOT, _debian_tool, svqm_command

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    return data


def _context(inputs: dict[str, str], workspace: Path) -> dict[str, str]:
    """What the expressions the Action uses evaluate to on a push to main."""
    values = {f"inputs.{name}": value for name, value in inputs.items()}
    values.update(
        {
            "github.action_path": str(ROOT),
            "github.token": "",
            "github.event_name": "push",
            "github.event.pull_request.number": "",
            "github.workspace": str(workspace),
        }
    )
    return values


def _expand(text: str, values: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: values[m.group(1)], text)


def _condition(expression: str, values: dict[str, str], failed: bool) -> bool:
    """A step's `if:` for the forms the Action uses: always(), success(), ==, !=, &&, ||."""
    if "${{" in expression:
        expression = EXPRESSION.sub(lambda m: m.group(1), expression)
    python = expression.replace("&&", " and ").replace("||", " or ").replace("!=", " != ")
    python = re.sub(r"\balways\(\)", "True", python)
    python = re.sub(r"\bsuccess\(\)", str(not failed), python)
    python = re.sub(r"\bfailure\(\)", str(failed), python)
    for name in sorted(values, key=len, reverse=True):
        python = python.replace(name, repr(values[name]))
    assert re.fullmatch(r"[\w\s'=!().-]*", python), f"unexpected if: {expression}"
    if "always()" not in expression and "failure()" not in expression and failed:
        return False  # a step without a status function runs only after success
    return bool(eval(python, {"__builtins__": {}}))  # our own action.yml, checked above


def run_action(workspace: Path, inputs: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """Run the Action's composite steps in WORKSPACE as a runner would: each `run:` with
    `bash -eo pipefail`, its `env:` and the inputs' defaults. Steps that call other actions
    are skipped, and so is the install step (it would reach the network to build svqm):
    the svqm under test is put on PATH instead. Returns (step name, exit code)."""
    action = _action()
    chosen = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    chosen.update(inputs or {})
    values = _context(chosen, workspace)
    summary = workspace.parent / "step-summary.md"
    bindir = Path(svqm_command()[0]).parent if len(svqm_command()) == 1 else None
    path = os.pathsep.join(
        p for p in (str(bindir) if bindir else "", os.environ.get("PATH", "")) if p
    )
    base_env = {
        **os.environ,
        "PATH": path,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "NO_COLOR": "1",
    }
    outcomes: list[tuple[str, int]] = []
    failed = False
    for step in action["runs"]["steps"]:
        name = step.get("name", "")
        if "run" not in step or name == "Install svqm":
            continue
        if "if" in step and not _condition(str(step["if"]), values, failed):
            continue
        assert step.get("shell") == "bash", name
        env = {**base_env, **{k: _expand(str(v), values) for k, v in step.get("env", {}).items()}}
        script = _expand(step["run"], values)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        outcomes.append((name, result.returncode))
        failed = failed or result.returncode != 0
    return outcomes


def _fresh_clone(example: Path, tmp_path: Path) -> Path:
    """The example as the root of its own git repository, as a pack repository checks out."""
    workspace = tmp_path / "repo"
    shutil.copytree(example, workspace)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(workspace)], check=True, capture_output=True)
    return workspace


def test_install_step_is_the_only_one_skipped() -> None:
    names = [s.get("name") for s in _action()["runs"]["steps"] if "run" in s]
    assert names[0] == "Install svqm"
    assert "Validate the pack" in names and "Render the report" in names


@pytest.mark.parametrize("example", [e.name for e in EXAMPLES[:2]])
def test_action_steps_render_the_report_artifact(example: str, tmp_path: Path) -> None:
    workspace = _fresh_clone(ROOT / "examples" / example, tmp_path)
    outcomes = run_action(workspace)
    assert outcomes == [("Validate the pack", 0), ("Render the report", 0)]
    report = workspace / "svqm-report" / "report.html"  # the upload step's `path:`
    assert report.is_file() and b"<html" in report.read_bytes()[:500].lower()
    summary = (tmp_path / "step-summary.md").read_text()
    assert summary.startswith("### svqm validate: valid")


def test_action_renders_a_draft_and_writes_sarif_for_a_broken_pack(tmp_path: Path) -> None:
    workspace = _fresh_clone(EXAMPLES[0], tmp_path)
    pledges = workspace / "pledges.yaml"
    pledges.write_text(pledges.read_text().replace("quantity: 40", "quantity: forty"))
    outcomes = run_action(workspace, {"sarif": "true", "render": "md"})
    assert outcomes == [("Validate the pack", 1), ("Render the report", 0)]
    assert (workspace / "svqm.sarif").is_file()
    assert "DRAFT" in (workspace / "svqm-report" / "report.md").read_text()
    assert "| SV101 |" in (tmp_path / "step-summary.md").read_text()


def test_inputs_reach_scripts_only_through_env() -> None:
    """`${{ inputs.x }}` pasted into a script runs whatever the input holds as shell code."""
    for step in _action()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_pack_folder_with_shell_characters_is_only_a_name(tmp_path: Path) -> None:
    odd = 'my pack"; touch pwned; echo "'
    workspace = tmp_path / "repo"
    shutil.copytree(EXAMPLES[0], workspace / odd)
    outcomes = run_action(workspace, {"pack": odd, "render": "md"})
    assert outcomes == [("Validate the pack", 0), ("Render the report", 0)]
    assert not (workspace / "pwned").exists()
    assert (workspace / "svqm-report" / "report.md").is_file()


def _as_workflow(action: dict[str, Any]) -> dict[str, Any]:
    """The composite steps as a workflow job, so actionlint checks their `uses:` pins,
    expressions and inputs (actionlint reads workflows, not action.yml)."""
    inputs = {
        name: {"description": spec["description"], "default": spec["default"], "type": "string"}
        for name, spec in action["inputs"].items()
    }
    return {
        "name": "action",
        "on": {"workflow_dispatch": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def test_actionlint_passes_the_workflow_and_the_action(actionlint: str, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed (actionlint looks for the repository root)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    shutil.copy(ROOT / "examples" / "ci" / "svqm.yml", workflows / "svqm.yml")
    yaml = YAML()
    with (workflows / "action.yml").open("w") as handle:
        yaml.dump(_as_workflow(_action()), handle)
    # actionlint runs shellcheck on every `run:` script when it is installed (Debian's
    # shellcheck is installed when the tests run as root, as CI does).
    shellcheck = _debian_tool("shellcheck", "shellcheck")
    result = subprocess.run(
        [actionlint, "-no-color", f"-shellcheck={shellcheck or ''}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_flags_a_node20_pin(actionlint: str, tmp_path: Path) -> None:
    """The check above can fail: the pins this project had before are reported."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (actionlint looks for the repository root)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    text = (ROOT / "examples" / "ci" / "svqm.yml").read_text()
    old = re.sub(r"actions/checkout@v\d+", "actions/checkout@v4", text)
    (workflows / "svqm.yml").write_text(old)
    result = subprocess.run(
        [actionlint, "-no-color", "-shellcheck="], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1 and "node20" in result.stdout


def test_apt_get_install_follows_apt_get_update() -> None:
    for path in ("examples/ci/svqm.yml", "README.md"):
        for line in (ROOT / path).read_text().splitlines():
            if "apt-get install" in line and "sudo" in line:
                assert "apt-get update" in line, (path, line)


def _git_refs() -> set[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split()) | {"main"}  # the default branch of every published svqm


def test_documented_refs_exist() -> None:
    """pre-commit and `uses:` check out the ref named: a tag that was never made fails."""
    refs = _git_refs()
    readme = (ROOT / "README.md").read_text()
    workflow = (ROOT / "examples" / "ci" / "svqm.yml").read_text()
    named = re.findall(r"^\s*rev:\s*(\S+)", readme, re.M)
    named += re.findall(r"uses:\s*OWNER/svqm@(\S+)", readme + workflow)
    assert named
    for ref in named:
        assert ref in refs or re.fullmatch(r"[0-9a-f]{40}", ref), ref
