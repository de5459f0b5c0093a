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


NewKind = enum.Enum("NewKind", {k: k for k in NEW_KINDS}, type=str)  # type: ignore[misc]


@app.command("new")
def new_item(
    kind: Annotated[NewKind, typer.Argument(help="What to add.")],
    pack: PackArgument = Path("."),
    ident: Annotated[
        str, typer.Option("--id", help="The new item's id (lower-case letters, digits and dashes).")
    ] = "",
    file: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--file",
            help="The file to add to or create (default: the pack's file "
            "of that kind, or a new one).",
        ),
    ] = None,
) -> None:
    """Add a commented skeleton of a pledge, stakeholder, proxy, forecast, evaluation or case
    study to the right file, keeping the file's comments and order.

    Examples:

      svqm new pledge --id local-apprenticeships

      svqm new evaluation packs/trust --id estates-2025
    """
    import re

    from svqm_cli.authoring import new

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UsageError(
            "--id must be lower-case letters, digits and dashes, for example "
            "'local-apprenticeships'"
        )
    path = new(kind.value, pack, ident, file)
    typer.echo(f"added {kind.value} '{ident}' to {path}; fill it in, then run svqm validate")


@app.command("fmt")
def fmt_command(
    pack: PackArgument = Path("."),
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing: list the files that would change and exit 1 if any."
        ),
    ] = False,
) -> None:
    """Lay out every YAML file of the pack the same way, keeping comments and order.

    Files that are already tidy are left byte for byte as they are.

    Examples:

      svqm fmt

      svqm fmt --check
    """
    from svqm_cli.authoring import fmt

    result = fmt(pack, check)
    for rel, why in result.unreadable:
        typer.echo(f"svqm: cannot format {rel}: {why} (svqm validate shows where)", err=True)
    for rel in result.changed:
        typer.echo(f"{'would change' if check else 'formatted'} {rel}")
    if not result.changed and not result.unreadable:
        typer.echo("nothing to change")
    failed = bool(result.unreadable) or (check and bool(result.changed))
    raise typer.Exit(1 if failed else 0)


@app.command("diff")
def diff_command(
    base: Annotated[str, typer.Argument(help="The git ref to compare from (e.g. origin/main).")],
    head: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Argument(help="The git ref to compare to (default: the working tree)."),
    ] = None,
    pack: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Argument(help="The pack folder (default: the current folder)."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, md (a pull request comment) or json.")
    ] = "text",
) -> None:
    """Compare the pack at two git refs: pledges and outcomes added, removed and changed,
    the change in present value and SROI ratio per impact map, new and fixed findings.

    Examples:

      svqm diff origin/main

      svqm diff origin/main packs/trust

      svqm diff v2024 v2025 packs/trust --format md
    """
    from svqm_cli.diff import diff
    from svqm_cli.reporters.diff import DIFF_REPORTERS

    if output_format not in DIFF_REPORTERS:
        raise UsageError(f"--format must be one of {', '.join(DIFF_REPORTERS)}")
    if pack is None and head is not None and (Path(head) / "svqm.yaml").is_file():
        pack, head = Path(head), None  # `svqm diff BASE PACK`: the working tree of PACK
    sys.stdout.write(DIFF_REPORTERS[output_format](diff(pack or Path("."), base, head)))


import_app = typer.Typer(
    help="Turn a spreadsheet export into a pack document.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("outcomes")
def import_outcomes(
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv", help="The CSV export: a header row, then one outcome a row."
        ),
    ],
    pack: PackArgument = Path("."),
    ident: Annotated[str, typer.Option("--id", help="The new impact map's id.")] = "",
    kind: Annotated[str, typer.Option("--kind", help="forecast or evaluation.")] = "forecast",
    scope: Annotated[
        str, typer.Option("--scope", help="The service, department or project it covers.")
    ] = "Service",
    output: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--output", "-o", help="Where to write it (default: KIND-ID.yaml in the pack)."
        ),
    ] = None,
) -> None:
    """Write a forecast or evaluation from a spreadsheet of outcomes, one row each.

    Columns (any order, header names as the fields): id, stakeholder, description,
    indicator, quantity, proxy (an id) or proxy_value, proxy_unit and proxy_source, duration,
    deadweight, displacement, attribution, drop_off (0.25 or 25%), start, pledge, evidence
    (files separated by ';'), method, source, forecast_outcome. Every bad cell is reported
    with its row; nothing is written until all rows are good.

    Examples:

      svqm import outcomes outcomes.csv --id outreach-2025 --scope "Community outreach"

      svqm import outcomes measured.csv packs/trust --kind evaluation --id estates-2025
    """
    import re

    from svqm_cli.check import ValidationReport
    from svqm_cli.importer import build
    from svqm_cli.pack import find_root
    from svqm_cli.render.fields import mapping
    from svqm_cli.reporters import REPORTERS
    from svqm_cli.rules.context import parse_level
    from svqm_cli.yaml_io import load_file

    if kind not in ("forecast", "evaluation"):
        raise UsageError(f"--kind must be forecast or evaluation, not '{kind}'")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UsageError(
            "--id must be lower-case letters, digits and dashes, for example 'outreach-2025'"
        )
    if not csv_file.is_file():
        raise UsageError(f"no CSV file at '{csv_file}'")
    root = find_root(pack)
    config = load_file(root / "svqm.yaml", "svqm.yaml").data
    award = mapping(config, "award")
    period = {k: str(v) for k, v in mapping(award, "period").items() if k in ("start", "end")}
    level = parse_level(award.get("level")) or 1
    target = output or root / f"{kind}-{ident}.yaml"
    if target.exists():
        raise UsageError(f"'{target}' exists already; import never overwrites a document")
    result = build(csv_file, kind, ident, scope, period, level)
    if result.document is None:
        report = ValidationReport(
            level=level,
            documents=1,
            findings=result.findings,
            sources={csv_file.name: list(result.lines)},
        )
        sys.stdout.write(REPORTERS["text"](report, _color(sys.stdout)))
        typer.echo("Nothing written: correct the rows above and import again.", err=True)
        raise typer.Exit(1)
    from svqm_cli.authoring import dump_document

    dump_document(
        target,
        result.document,
        f"Imported from {csv_file.name}. Add the inputs "
        "(what was invested), then run 'svqm validate'.",
    )
    typer.echo(f"wrote {target} with {len(result.document['outcomes'])} outcome(s)")


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
