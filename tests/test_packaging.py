"""Build the sdist, a wheel from it, install in a fresh venv, run from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


def _see_current_dependencies(python: Path) -> None:
    """Let the fresh venv import the dependencies this test run has (typer, jsonschema, ...)
    without downloading them: a .pth file lists the current environment's site-packages.

    Whether the tests run system-wide or inside a virtual environment, that is where the
    dependencies are; `system_site_packages=True` would see only the base interpreter's.
    The wheel itself goes into the venv's own site-packages, which comes first on sys.path,
    and a .pth line adds folders without running their .pth files, so an editable install
    of svqm in the current environment cannot stand in for the wheel.
    """
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    current = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    assert current, sys.path
    (Path(purelib) / "svqm-test-dependencies.pth").write_text(
        "\n".join(current) + "\n", encoding="utf-8"
    )


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
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _see_current_dependencies(python)
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
