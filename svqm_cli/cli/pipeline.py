"""The pipeline commands: validate, value, render and schema. Each parses its options, calls
one core function and hands the result to a reporter or writer from its registry."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from svqm_cli.base.errors import UsageError
from svqm_cli.base.vocabulary import KINDS, LEVEL_HELP
from svqm_cli.cli.app import PackArgument, app, level_option, progress, use_color
from svqm_cli.export import EXPORTERS
from svqm_cli.render import WRITERS
from svqm_cli.reporters import REPORTERS, VALUE_REPORTERS

ValidateFormat = enum.Enum("ValidateFormat", {n: n for n in REPORTERS}, type=str)  # type: ignore[misc]
ValueFormat = enum.Enum("ValueFormat", {n: n for n in VALUE_REPORTERS}, type=str)  # type: ignore[misc]
RenderFormat = enum.Enum("RenderFormat", {n: n for n in WRITERS}, type=str)  # type: ignore[misc]
ExportFormat = enum.Enum("ExportFormat", {n: n for n in EXPORTERS}, type=str)  # type: ignore[misc]


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
    from svqm_cli.checking import check, suppression
    from svqm_cli.reading.pack import find_root

    accepted = suppression.read_baseline(baseline) if baseline is not None else frozenset()
    changed = suppression.changed_files(find_root(pack), changed_since) if changed_since else None
    options = check.Options(
        level=level_option(level), strict=strict, baseline=accepted, only_files=changed
    )
    report = check.validate(pack, options)
    if write_baseline is not None:
        suppression.write_baseline(write_baseline, list(report.fingerprints))
        typer.echo(
            f"Baseline written: {len(set(report.fingerprints))} finding(s) accepted "
            f"in {write_baseline}."
        )
        raise typer.Exit(0)
    name = output_format.value
    color = use_color(sys.stdout)
    if output is not None:
        from svqm_cli.base.writing import write_output

        write_output(output, REPORTERS[name](report, False))
        name = "text"
    sys.stdout.write(REPORTERS[name](report, color and name == "text"))
    if name in ("text", "github") and os.environ.get("GITHUB_ACTIONS") == "true":
        _github_actions(report, annotate=name == "text")
    raise typer.Exit(report.exit_code)


def _github_actions(report: Any, annotate: bool) -> None:
    """Inside GitHub Actions: annotations on stdout (unless --format github printed them)
    and the findings in the step summary, in the room GitHub leaves for it."""
    from svqm_cli.reporters.ci import SUMMARY_MAX_BYTES, github, step_summary

    if annotate:
        sys.stdout.write(github(report))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            used = os.path.getsize(summary) if os.path.exists(summary) else 0
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(step_summary(report, SUMMARY_MAX_BYTES - used))
        except OSError as exc:
            typer.echo(f"svqm: cannot write the step summary: {exc.strerror}", err=True)


@app.command()
def value(
    pack: PackArgument = Path("."),
    output_format: Annotated[
        ValueFormat,
        typer.Option("--format", "-f", help="text (tables for people) or json (for programs)."),
    ] = ValueFormat.text,  # type: ignore[attr-defined]
    step: Annotated[
        float,
        typer.Option(
            "--step",
            min=0.01,
            max=0.5,
            help="How far sensitivity moves each share (0.10 = 10 points).",
        ),
    ] = 0.10,
    uncertainty: Annotated[
        bool,
        typer.Option(
            "--uncertainty",
            help="Add a Monte Carlo range to each SROI ratio (5th, 50th and 95th "
            "percentiles, and the share of draws below 1:1) from the outcomes' 'range:' "
            "values; draws and seed from settings.uncertainty.",
        ),
    ] = False,
) -> None:
    """Show the social value figures: SROI per impact map and in total, sensitivity and
    break-even, forecast against actual, breakdowns, pledge progress and LM3.

    Runs only on a pack without errors: otherwise it shows the findings and exits 1.

    Examples:

      svqm value examples/level-3-mental-health-trust

      svqm value . --format json

      svqm value . --uncertainty
    """
    from decimal import Decimal

    from svqm_cli.calc.report import compute
    from svqm_cli.checking.check import check_pack

    name = output_format.value
    color = name == "text" and use_color(sys.stdout)
    loaded, report = check_pack(pack)
    if report.errors:
        sys.stdout.write(REPORTERS[name](report, color))
        raise typer.Exit(1)
    figures = compute(loaded, step=Decimal(str(step)), uncertainty=uncertainty)
    if name == "json":  # written an impact map at a time, never held whole
        from svqm_cli.reporters.value import json_chunks

        sys.stdout.writelines(json_chunks(figures))
        return
    sys.stdout.write(VALUE_REPORTERS[name](figures, color))


@app.command()
def render(
    pack: PackArgument = Path("."),
    output_format: Annotated[
        RenderFormat,
        typer.Option("--format", "-f", help="html, pdf, docx (Word) or md (Markdown)."),
    ] = RenderFormat.html,  # type: ignore[attr-defined]
    output: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional); text, so a trailing '/' survives
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="A file, or a folder to write report.EXT in: an existing one, or any path "
            "ending in '/' (default: svqm-report/ in the current folder).",
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
    max_rows: Annotated[
        int,
        typer.Option(
            "--max-rows",
            min=0,
            metavar="N",
            help="List at most N outcomes per impact map: beyond it, the largest by present "
            "value, with totals by stakeholder and theme (svqm export has every row). "
            "0 lists them all.",
        ),
    ] = 200,
    max_maps: Annotated[
        int,
        typer.Option(
            "--max-maps",
            min=0,
            metavar="N",
            help="Give at most N impact maps a detailed section (inputs, outcomes, "
            "sensitivity): the largest by present value. Every map keeps its row in the "
            "overview tables and counts in every total (svqm export has every outcome). "
            "0 gives them all one.",
        ),
    ] = 50,
) -> None:
    """Write the submission report for the pack's level.

    Only a valid pack renders (exit 1 and the findings otherwise), unless --draft.
    An impact map with more than --max-rows outcomes (200) lists the largest; beyond
    --max-maps impact maps (50), only the largest have a detailed section.

    Examples:

      svqm render examples/level-3-mental-health-trust

      svqm render . --format pdf --output reports/

      svqm render . --format docx --draft

      svqm render . --format pdf --max-rows 50
    """
    from svqm_cli.render import run

    name = output_format.value
    with progress() as step:
        result = run.render(pack, name, output, template_dir, draft, step, max_rows, max_maps)
    if result.path is None:
        sys.stdout.write(REPORTERS["text"](result.validation, use_color(sys.stdout)))
        typer.echo("Not rendered: fix the errors above, or use --draft.", err=True)
        raise typer.Exit(1)
    label = "Draft written" if result.validation.errors or draft else "Written"
    typer.echo(f"{label}: {result.path}")


@app.command()
def export(
    pack: PackArgument = Path("."),
    output_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="xlsx (one Excel workbook with live formulas) or csv (a folder of tables).",
        ),
    ] = ExportFormat.xlsx,  # type: ignore[attr-defined]
    output: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--output",
            "-o",
            help="xlsx: a .xlsx file, or a folder to write values.xlsx in; csv: the folder "
            "for the tables (default: svqm-report/ in the current folder).",
        ),
    ] = None,
) -> None:
    """Write the figures as a spreadsheet for commissioners, finance teams and assessors.

    The workbook has a Summary, the Settings (the discount rate), one value map sheet per
    forecast and evaluation with every figure as a live formula, and sheets for pledge
    progress, commitments and LM3 when the pack has them. Only a pack without errors
    exports (exit 1 and the findings otherwise).

    Examples:

      svqm export examples/level-3-mental-health-trust

      svqm export . --output reports/values-2025.xlsx

      svqm export . --format csv --output reports/values-csv
    """
    from svqm_cli.export.run import export as run

    result = run(pack, output_format.value, output)
    if result.path is None:
        sys.stdout.write(REPORTERS["text"](result.validation, use_color(sys.stdout)))
        typer.echo("Not exported: fix the errors above first.", err=True)
        raise typer.Exit(1)
    what = f"{result.files} CSV files in " if output_format.value == "csv" else ""
    typer.echo(f"Written: {what}{result.path}")


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
    from svqm_cli.base.suggest import did_you_mean
    from svqm_cli.checking.schema_export import schema_text

    if kind is not None and kind not in KINDS:
        raise UsageError(
            f"unknown kind '{kind}'.{did_you_mean(kind, KINDS)} Kinds: {', '.join(KINDS)}"
        )
    chosen = level_option(level)
    assert chosen is not None
    if write is not None:
        from svqm_cli.base.writing import write_output

        for name in (kind,) if kind else (None, *KINDS):
            target = write / f"{name or 'document'}.json"
            write_output(target, schema_text(name, chosen))
            typer.echo(f"wrote {target}")
        return
    sys.stdout.write(schema_text(kind, chosen))
