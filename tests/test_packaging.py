"""Build the sdist, a wheel from it, install in a fresh venv, run from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.mark.slow
def test_wheel_from_sdist_ships_schemas_and_templates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if build.returncode != 0 and "Could not" in build.stderr + build.stdout:
        pytest.skip(f"cannot fetch the build backend here: {build.stderr[-300:]}")
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (wheel,) = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import svqm_cli.base.resources as r; print(r.schemas_dir(), r.templates_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert str(env_dir) in where.stdout and "_data" in where.stdout, where.stdout + where.stderr
    for example in EXAMPLES:
        result = subprocess.run(
            [str(env_dir / "bin" / "svqm"), "validate", str(example)],
            capture_output=True,
            text=True,
            cwd=elsewhere,
            env=env,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    init = subprocess.run(
        [str(env_dir / "bin" / "svqm"), "init", "fresh", "--level", "4"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert init.returncode == 0, init.stderr
