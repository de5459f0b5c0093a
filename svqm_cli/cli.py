"""The command line: parse options, call one core function, hand the result to a reporter.

Usage and environment problems are SvqmError, caught once here: one line on stderr, exit 2.
Problems inside a pack are findings, decided by the core (exit 1).
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from svqm_cli import __version__
from svqm_cli.errors import SvqmError, UsageError
from svqm_cli.kinds import KINDS

NEW_KINDS = ("pledge", "stakeholder", "proxy", "forecast", "evaluation", "case-study")

# Kept here (not imported from reporters/) so that `svqm --help` stays fast; a test checks
# that it matches the REPORTERS registry.
VALIDATE_FORMATS = ("text", "json", "github", "sarif", "junit")
KIND_NAMES = KINDS
RENDER_FORMATS = ("html", "pdf", "docx", "md")
ValidateFormat = enum.Enum("ValidateFormat", {f: f for f in VALIDATE_FORMATS}, type=str)  # type: ignore[misc]
PackArgument = Annotated[Path, typer.Argument(help="The pack folder (holding svqm.yaml).")]
LEVEL_HELP = "1-4, or bronze | silver | gold | platinum."

app = typer.Typer(
    name="svqm",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _parse_level(value: Optional[str]) -> Optional[int]:  # noqa: UP045 (typer needs Optional)
    if value is None:
        return None
    from svqm_cli.rules.context import parse_level

    level = parse_level(value)
    if level is None:
        raise typer.BadParameter(f"'{value}' is not a level; use {LEVEL_HELP}")
    return level


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svqm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Build and validate Social Value Quality Mark (SVQM) evidence packs.

    Examples:

      svqm init my-pack --level 1

      svqm validate my-pack

      svqm validate my-pack --format json
    """


def _color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@app.command()
def validate(
    pack: PackArgument = Path("."),
    level: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--level",
            "-l",
            help=f"Check against this level instead of the pack's own: {LEVEL_HELP}",
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (for people), json, or for CI: github "
            "(annotations), sarif (code scanning) or junit (test reports).",
        ),
    ] = ValidateFormat.text,  # type: ignore[attr-defined]
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    output: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--output",
            "-o",
            help="Write the --format report to this file and show the text report on the terminal.",
        ),
    ] = None,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--baseline",
            help="Hide the findings accepted in this baseline file: report only new ones.",
        ),
    ] = None,
    write_baseline: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--write-baseline",
            help="Record every current finding as accepted in this file, and exit 0.",
        ),
    ] = None,
    changed_since: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--changed-since",
            metavar="REF",
            help="Report only findings in files "
            "changed since this git ref (for example origin/main).",
        ),
    ] = None,
) -> None:
    """Check a pack against the schemas and rules of its SVQM level.

    Exit code 0: valid (warnings allowed unless --strict); 1: the pack has errors;
    2: bad usage, or no pack at PACK.

    Examples:

      svqm validate

      svqm validate examples/level-1-luton-sexual-health --level 2

      svqm validate . --format json --strict

      svqm validate . --format sarif --output svqm.sarif

      svqm validate . --baseline svqm-baseline.json --changed-since origin/main
    """
    from svqm_cli import adoption
    from svqm_cli.check import Options
    from svqm_cli.check import validate as run
    from svqm_cli.pack import find_root
    from svqm_cli.reporters import REPORTERS

    accepted = adoption.read_baseline(baseline) if baseline is not None else frozenset()
    changed = adoption.changed_files(find_root(pack), changed_since) if changed_since else None
    options = Options(
        level=_parse_level(level), strict=strict, baseline=accepted, only_files=changed
    )
    report = run(pack, options)
    if write_baseline is not None:
        adoption.write_baseline(write_baseline, list(report.fingerprints))
        typer.echo(
            f"Baseline written: {len(set(report.fingerprints))} finding(s) accepted "
            f"in {write_baseline}."
        )
        raise typer.Exit(0)
    name = output_format.value
    color = _color(sys.stdout)
    if output is not None:
        from svqm_cli.writing import write_atomic

        write_atomic(output, REPORTERS[name](report, False))
        name = "text"
    sys.stdout.write(REPORTERS[name](report, color and name == "text"))
    if name == "text" and os.environ.get("GITHUB_ACTIONS") == "true":
        _github_actions(report)
    raise typer.Exit(report.exit_code)


def _github_actions(report: Any) -> None:
    """Inside GitHub Actions: annotations on stdout and every finding in the step summary."""
    from svqm_cli.reporters.ci import github, step_summary

    sys.stdout.write(github(report))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(step_summary(report))
        except OSError as exc:
            typer.echo(f"svqm: cannot write the step summary: {exc.strerror}", err=True)


@app.command()
def value(
    pack: PackArgument = Path("."),
    output_format: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="text (tables for people) or json (for programs)."),
    ] = ValidateFormat.text,  # type: ignore[attr-defined]
    step: Annotated[
        float,
        typer.Option(
            "--step",
            min=0.01,
            max=0.5,
            help="How far sensitivity moves each share (0.10 = 10 points).",
        ),
    ] = 0.10,
) -> None:
    """Show the social value figures: SROI per impact map and in total, sensitivity and
    break-even, forecast against actual, breakdowns, pledge progress and LM3.

    Runs only on a pack without errors: otherwise it shows the findings and exits 1.

    Examples:

      svqm value examples/level-3-mental-health-trust

      svqm value . --format json
    """
    from decimal import Decimal

    from svqm_cli.calc.report import compute
    from svqm_cli.check import check_pack
    from svqm_cli.reporters import REPORTERS
    from svqm_cli.reporters.value import VALUE_REPORTERS

    name = output_format.value
    color = name == "text" and _color(sys.stdout)
    loaded, report = check_pack(pack)
    if report.errors:
        sys.stdout.write(REPORTERS[name](report, color))
        raise typer.Exit(1)
    figures = compute(loaded, step=Decimal(str(step)))
    sys.stdout.write(VALUE_REPORTERS[name](figures, color))


RenderFormat = enum.Enum("RenderFormat", {f: f for f in RENDER_FORMATS}, type=str)  # type: ignore[misc]


@app.command()
def render(
    pack: PackArgument = Path("."),
    output_format: Annotated[
        RenderFormat,
        typer.Option("--format", "-f", help="html, pdf, docx (Word) or md (Markdown)."),
    ] = RenderFormat.html,  # type: ignore[attr-defined]
    output: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--output",
            "-o",
            help="A file, or a folder to write report.EXT in "
            "(default: svqm-report/ in the current folder).",
        ),
    ] = None,
    template_dir: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--template-dir",
            help="Your own templates, used before the built-in ones (run in a sandbox).",
        ),
    ] = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Render even with errors: DRAFT on every page, with the findings listed.",
        ),
    ] = False,
) -> None:
    """Write the submission report for the pack's level.

    Only a valid pack renders (exit 1 and the findings otherwise), unless --draft.

    Examples:

      svqm render examples/level-3-mental-health-trust

      svqm render . --format pdf --output reports/

      svqm render . --format docx --draft
    """
    from svqm_cli.render.run import render as run
    from svqm_cli.reporters import REPORTERS

    name = output_format.value
    with _progress() as step:
        result = run(pack, name, output, template_dir, draft, step)
    if result.path is None:
        sys.stdout.write(REPORTERS["text"](result.validation, _color(sys.stdout)))
        typer.echo("Not rendered: fix the errors above, or use --draft.", err=True)
        raise typer.Exit(1)
    label = "Draft written" if result.validation.errors or draft else "Written"
    typer.echo(f"{label}: {result.path}")


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A rich status line on a terminal (stderr) that follows each step; silent otherwise."""
    if not _color(sys.stderr):
        yield lambda _text: None
        return
    from rich.console import Console

    with Console(stderr=True).status("Starting") as status:
        yield lambda text: status.update(f"{text}...")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the pack.")] = Path("."),
    level: Annotated[
        str, typer.Option("--level", "-l", help=f"The level to start at: {LEVEL_HELP}")
    ] = "1",
) -> None:
    """Create a new pack that validates at LEVEL, with comments that explain each field.

    Existing files are never overwritten.

    Examples:

      svqm init my-pack

      svqm init my-pack --level 3
    """
    from svqm_cli.scaffold import create

    chosen = _parse_level(level)
    assert chosen is not None
    written = create(directory, chosen)
    for path in written:
        typer.echo(f"created {path}")
    typer.echo(f"Next: edit the files, then run 'svqm validate {directory}'.")


@app.command()
def schema(
    kind: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Argument(help="A document kind; without it, one schema for every kind."),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", "-l", help=f"Include what this level requires: {LEVEL_HELP}")
    ] = "1",
    write: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--write",
            metavar="DIR",
            help="Write every kind's schema, and "
            "document.json for any document, into DIR (for editors).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a document kind, for editors and other tools.

    Examples:

      svqm schema pledges

      svqm schema evaluation --level 3 > evaluation.schema.json

      svqm schema --write .svqm/schemas --level 3
    """
    from svqm_cli.schemas import did_you_mean, schema_text

    if kind is not None and kind not in KIND_NAMES:
        raise UsageError(
            f"unknown kind '{kind}'.{did_you_mean(kind, KIND_NAMES)} Kinds: {', '.join(KIND_NAMES)}"
        )
    chosen = _parse_level(level)
    assert chosen is not None
    if write is not None:
        from svqm_cli.writing import write_atomic

        for name in (kind,) if kind else (None, *KIND_NAMES):
            target = write / f"{name or 'document'}.json"
            write_atomic(target, schema_text(name, chosen))
            typer.echo(f"wrote {target}")
        return
    sys.stdout.write(schema_text(kind, chosen))


def _check_id(ident: str, example: str) -> None:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UsageError(
            f"--id must be lower-case letters, digits and dashes, for example '{example}'"
        )


# The authoring commands live in their own module; importing it registers them on `app`.
from svqm_cli import cli_authoring  # noqa: E402, F401


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line and exit 2 for every usage or environment problem."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="svqm", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        typer.echo("svqm: aborted", err=True)
        code = 130
    except typer.TyperException as exc:  # typer's usage errors (its vendored click's)
        code = _usage_error(exc)
    except SvqmError as exc:
        typer.echo(f"svqm: error: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        # The reader (say, `head`) went away: nothing is wrong with the pack.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: Exception) -> int:
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        typer.echo(ctx.get_help())
        return 2
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = message.replace("Value error, ", "")
    where = f"svqm {ctx.info_name}" if ctx is not None and ctx.parent is not None else "svqm"
    typer.echo(f"svqm: error: {message} (see '{where} --help')", err=True)
    code = getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) and code else 2
