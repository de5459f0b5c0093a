"""Each command's --format choices come from its registry, and listing them stays cheap."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from svqm_cli.cli.authoring import NEW_KINDS
from svqm_cli.export import EXPORTERS
from svqm_cli.render import EXTENSIONS, WRITERS
from svqm_cli.reporters import DIFF_REPORTERS, REPORTERS, VALUE_REPORTERS
from tests.conftest import ROOT, Run


def _help_choices(run: Run, *command: str) -> tuple[str, ...]:
    out = run(*command, "--help", env={"COLUMNS": "200"}).stdout
    found = re.search(r"--format\s+<([a-z|]+)>", out)
    assert found, out
    return tuple(found.group(1).split("|"))


@pytest.mark.parametrize(
    ("command", "registry"),
    [
        (("validate",), REPORTERS),
        (("value",), VALUE_REPORTERS),
        (("render",), WRITERS),
        (("diff",), DIFF_REPORTERS),
        (("export",), EXPORTERS),
    ],
    ids=["validate", "value", "render", "diff", "export"],
)
def test_help_offers_exactly_the_registry(
    run: Run, command: tuple[str, ...], registry: object
) -> None:
    assert _help_choices(run, *command) == tuple(registry)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "registry",
    [REPORTERS, VALUE_REPORTERS, WRITERS, DIFF_REPORTERS, EXPORTERS],
    ids=lambda r: str(list(r)),
)
def test_every_registered_format_resolves_to_a_function(registry: object) -> None:
    for name in registry:  # type: ignore[attr-defined]
        assert callable(registry[name])  # type: ignore[index]


def test_render_extensions_cover_every_writer() -> None:
    assert set(EXTENSIONS) == set(WRITERS)


def test_value_refuses_a_format_it_does_not_have(run: Run) -> None:
    result = run("value", ROOT / "examples/level-2-outreach-forecast", "--format", "sarif")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'sarif' is not one of 'text', 'json'" in result.stderr


def test_new_kinds_are_offered(run: Run) -> None:
    out = run("new", "--help", env={"COLUMNS": "200"}).stdout
    for kind in NEW_KINDS:
        assert kind in out


def test_listing_commands_imports_no_heavy_library() -> None:
    """`svqm --help` must not pay for the core: registries name modules, they do not load them."""
    code = (
        "import sys, svqm_cli.cli\n"
        "heavy = ('jsonschema', 'ruamel', 'jinja2', 'weasyprint', 'docx', 'openpyxl', 'rich')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _loaded_after(*args: str) -> set[str]:
    """The top-level packages loaded by `svqm ARGS`, run in a fresh interpreter."""
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: sys.stderr.write('LOADED ' + ' '.join(sorted({m.split('.')[0] "
        "for m in sys.modules})) + '\\n'))\n"
        "from svqm_cli.cli import main\n"
        f"main({list(args)!r})\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"NO_COLOR": "1"}
    )
    line = next(x for x in out.stderr.splitlines() if x.startswith("LOADED "))
    return set(line.split()[1:])


SMALLEST = str(ROOT / "examples" / "level-1-luton-sexual-health")


def test_version_loads_neither_typer_nor_the_core() -> None:
    """issue 16: `svqm --version` answers before typer and the commands load."""
    loaded = _loaded_after("--version")
    assert not loaded & {"typer", "click", "rich", "pydantic", "ruamel", "svqm_cli.checking"}


@pytest.mark.parametrize(
    "args",
    [
        ("validate", SMALLEST, "--format", "json"),
        ("value", SMALLEST, "--format", "json"),
        ("value", SMALLEST, "--format", "json", "--step", "0.2"),
        ("validate", SMALLEST, "--level", "2", "--format", "sarif"),
    ],
)
def test_machine_formats_load_no_rich_and_no_pydantic(args: tuple[str, ...]) -> None:
    """issue 16: rich (a screen library) stays out of the json paths, and option values
    are converted without pydantic (svqm_cli/cli/coerce.py)."""
    loaded = _loaded_after(*args)
    assert "svqm_cli" in loaded and "ruamel" in loaded  # the command did run
    assert not loaded & {"rich", "pydantic", "jsonschema", "jinja2", "numpy"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("value", SMALLEST, "--step", "0.9"), "less than or equal to 0.5"),
        (("value", SMALLEST, "--step", "abc"), "valid number"),
        (("render", SMALLEST, "--max-rows", "-3"), "greater than or equal to 0"),
        (("validate", SMALLEST, "--format", "nope"), "'nope' is not one of"),
    ],
)
def test_values_plain_conversion_leaves_to_typer_keep_typers_messages(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
