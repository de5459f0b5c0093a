"""The layout stays as CONTRIBUTING.md describes it: layers, no cycles, small modules and
functions, and a cache that notices when svqm's own code changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

MAX_MODULE_LINES = 400
# Modules allowed to be longer, each with its reason.
LONG_ALLOWED = {
    "svqm_cli/base/findings.py": "the table of finding codes: data, one entry per code",
}
MAX_COMPLEXITY = 20
# Functions allowed above MAX_COMPLEXITY, each with its reason. Keep this empty if you can.
COMPLEX_ALLOWED: dict[str, str] = {}


def test_import_contracts_hold() -> None:
    """import-linter: the pipeline's layers, a core without typer/rich/weasyprint/docx, and
    no import cycles (contracts in pyproject.toml)."""
    lint = shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "3 kept, 0 broken" in result.stdout


def test_the_stages_are_packages() -> None:
    names = {p.name for p in (ROOT / "svqm_cli").iterdir() if p.is_dir() and p.name[0] != "_"}
    stages = {"base", "reading", "checking", "rules", "calc", "reporters", "render", "authoring"}
    stages.add("export")
    assert stages | {"cli"} <= names
    loose = sorted(p.name for p in (ROOT / "svqm_cli").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_no_module_is_too_long() -> None:
    long = {
        rel: n
        for path in (ROOT / "svqm_cli").rglob("*.py")
        if (rel := path.relative_to(ROOT).as_posix()) not in LONG_ALLOWED
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these modules (over {MAX_MODULE_LINES} lines): {long}"


def test_no_function_is_too_complex() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [
            ruff,
            "check",
            "--select",
            "C901",
            "--config",
            f"lint.mccabe.max-complexity={MAX_COMPLEXITY}",
            "--output-format",
            "json",
            "--no-cache",
            "svqm_cli",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = {}
    for item in json.loads(result.stdout or "[]"):
        name = item["message"].split("`")[1]
        where = Path(item["filename"]).resolve().relative_to(ROOT).as_posix()
        found[f"{where}:{name}"] = item["message"]
    unexpected = {k: v for k, v in found.items() if k not in COMPLEX_ALLOWED}
    assert not unexpected, unexpected
    stale = set(COMPLEX_ALLOWED) - set(found)
    assert not stale, f"no longer too complex: remove {stale} from COMPLEX_ALLOWED"


def _copy_of_svqm(into: Path) -> Path:
    """A runnable copy of svqm's code, schemas and templates, as a source checkout has them."""
    for name in ("svqm_cli", "schemas", "templates"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    return into


def test_a_code_change_misses_the_cache(tmp_path: Path) -> None:
    """An editable install keeps its version while its code changes: the cache must miss."""
    code = _copy_of_svqm(tmp_path / "checkout")
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES[0], pack)
    config = pack / "svqm.yaml"
    text = config.read_text(encoding="utf-8")
    assert "scheme: health" in text
    config.write_text(text.replace("scheme: health", "scheme: wealth"), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "SVQM_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }

    def validate() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "svqm_cli", "validate", str(pack), "--format", "json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        return result.stdout

    first = validate()
    assert "must be one of" in first
    messages = code / "svqm_cli" / "checking" / "schema_messages.py"
    text = messages.read_text(encoding="utf-8")
    messages.write_text(text.replace("must be one of:", "has to be one of:"), encoding="utf-8")
    assert list((tmp_path / "cache").rglob("*.json")), "the first run filled the cache"
    second = validate()
    assert "has to be one of" in second, "a stale cached finding was served"
