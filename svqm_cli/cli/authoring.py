"""The commands that write into a pack (init, new, fmt, import) and the pull-request one
(diff). The same rules apply: parse options, call one core function, print its result."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from svqm_cli.base.vocabulary import LEVEL_HELP
from svqm_cli.cli.app import PackArgument, app, check_id, level_option, use_color
from svqm_cli.reporters import DIFF_REPORTERS, REPORTERS

NEW_KINDS = (
    "pledge",
    "stakeholder",
    "proxy",
    "forecast",
    "evaluation",
    "case-study",
    "commitment",
)
NewKind = enum.Enum("NewKind", {n: n for n in NEW_KINDS}, type=str)  # type: ignore[misc]
DiffFormat = enum.Enum("DiffFormat", {n: n for n in DIFF_REPORTERS}, type=str)  # type: ignore[misc]


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
    from svqm_cli.authoring.scaffold import create

    chosen = level_option(level)
    assert chosen is not None
    written = create(directory, chosen)
    schemas = directory / ".svqm" / "schemas"
    for path in written:
        if path.parent != schemas:
            typer.echo(f"created {path}")
    typer.echo(f"created {schemas}/ (the schemas that editors use to complete and check fields)")
    typer.echo(f"Next: edit the files, then run 'svqm validate {directory}'.")


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
    """Add a commented skeleton of a pledge, stakeholder, proxy, forecast, evaluation, case
    study or contract commitment to the right file, keeping the file's comments and order.

    A commitment goes into the pack's one contract (a 'commitments' document), the one named
    with --file, or a new contract document when the pack has none.

    Examples:

      svqm new pledge --id local-apprenticeships

      svqm new evaluation packs/trust --id estates-2025

      svqm new commitment --id local-apprentices --file contracts/equipment.yaml
    """
    from svqm_cli.authoring.edit import new

    check_id(ident, "local-apprenticeships")
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
    from svqm_cli.authoring.edit import fmt

    result = fmt(pack, check)
    for rel, why in result.unreadable:
        typer.echo(f"svqm: cannot format {rel}: {why}", err=True)
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
        DiffFormat,
        typer.Option("--format", "-f", help="text, md (a pull request comment) or json."),
    ] = DiffFormat.text,  # type: ignore[attr-defined]
) -> None:
    """Compare the pack at two git refs: pledges and outcomes added, removed and changed,
    the change in present value and SROI ratio per impact map, new and fixed findings.

    Examples:

      svqm diff origin/main

      svqm diff origin/main packs/trust

      svqm diff v2024 v2025 packs/trust --format md
    """
    from svqm_cli.checking.diff import diff

    if pack is None and head is not None and (Path(head) / "svqm.yaml").is_file():
        pack, head = Path(head), None  # `svqm diff BASE PACK`: the working tree of PACK
    sys.stdout.write(DIFF_REPORTERS[output_format.value](diff(pack or Path("."), base, head)))


SheetOption = Annotated[
    Optional[str],  # noqa: UP045 (typer needs Optional)
    typer.Option("--sheet", help="The workbook's sheet to read (default: see above)."),
]

import_app = typer.Typer(
    help="Turn a spreadsheet (CSV or Excel) into pack documents.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("outcomes")
def import_outcomes(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A .csv file or an Excel workbook (.xlsx): a header row, then one outcome a row.",
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
    sheet: SheetOption = None,
) -> None:
    """Write a forecast or evaluation from a spreadsheet of outcomes, one row each.

    Columns (any order, header names as the fields): id, stakeholder, description,
    indicator, quantity, proxy (an id) or proxy_value, proxy_unit and proxy_source, duration,
    deadweight, displacement, attribution, drop_off (0.25 or 25%), start, pledge, evidence
    (files separated by ';'), method, source, forecast_outcome. Every bad cell is reported
    with its row (and sheet and cell, in a workbook); nothing is written until all rows are
    good. A workbook is read from its first sheet, or the one named with --sheet.

    Examples:

      svqm import outcomes outcomes.csv --id outreach-2025 --scope "Community outreach"

      svqm import outcomes measured.xlsx packs/trust --kind evaluation --id estates-2025

      svqm import outcomes returns.xlsx --sheet "Q3 outcomes" --id outreach-q3
    """
    from svqm_cli.authoring.importer import import_outcomes as run

    check_id(ident, "outreach-2025")
    result = run(source, pack, kind, ident, scope, output, sheet)
    if result.path is None:
        sys.stdout.write(REPORTERS["text"](result.report, use_color(sys.stdout)))
        typer.echo("Nothing written: correct the rows above and import again.", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {result.path} with {result.outcomes} outcome(s)")


@import_app.command("value-map")
def import_value_map(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.xlsx",
            help="A workbook from 'svqm export', or an SROI value map kept in Excel.",
        ),
    ],
    pack: PackArgument = Path("."),
    ident: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option("--id", help="The new impact map's id (default: from svqm's sheet title)."),
    ] = None,
    kind: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option("--kind", help="forecast or evaluation (default: from the sheet title)."),
    ] = None,
    scope: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option("--scope", help="The service, department or project it covers."),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--output", "-o", help="Where to write the impact map (default: KIND-ID.yaml)."
        ),
    ] = None,
    sheet: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional)
        typer.Option(
            "--sheet", help="The sheet to read (default: the one sheet laid out as a value map)."
        ),
    ] = None,
) -> None:
    """Write a forecast or evaluation, with its new stakeholders and proxies, from a value
    map sheet.

    The header row is found by its names, in any order and matched loosely (case, spaces,
    '%' and dashes do not matter): Stakeholder (a name) or Stakeholder id, Outcome,
    Indicator, Source, Quantity, Duration, Start, Financial proxy, Proxy value, Proxy
    source, Proxy unit, Proxy id, Deadweight, Displacement, Attribution, Drop-off (0.25 or
    25%), Outcome id, Pledge, Evidence, Method, Forecast outcome. Columns svqm computes
    (impact, yearly values, present values) are skipped. Stakeholders and proxies the pack
    has are used by id or name; new ones are written to stakeholders-ID.yaml and
    proxies-ID.yaml. Inputs are read from an 'Inputs' block under the table, as svqm's
    export lays it out. Nothing is written until every row is good.

    Examples:

      svqm import value-map values.xlsx --sheet outreach-2024 --id outreach-2025

      svqm import value-map sroi-value-map.xlsx packs/trust --kind evaluation --id estates-2025
    """
    from svqm_cli.authoring.value_map import MapOptions
    from svqm_cli.authoring.value_map import import_value_map as run

    if ident is not None:
        check_id(ident, "outreach-2025")
    result = run(source, pack, MapOptions(kind, ident, scope, sheet, output))
    if not result.written:
        sys.stdout.write(REPORTERS["text"](result.report, use_color(sys.stdout)))
        typer.echo("Nothing written: correct the rows above and import again.", err=True)
        raise typer.Exit(1)
    outcomes, stakeholders, proxies = result.counts
    typer.echo(f"wrote {result.written[0]} with {outcomes} outcome(s)")
    for path, count, what in zip(
        result.written[1:],
        [n for n in (stakeholders, proxies) if n],
        [w for w, n in (("stakeholder", stakeholders), ("proxy", proxies)) if n],
        strict=True,
    ):
        typer.echo(f"wrote {path} with {count} new {what} entr{'y' if count == 1 else 'ies'}")


@import_app.command("progress")
def import_progress(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A .csv file or an Excel workbook (.xlsx) of progress rows.",
        ),
    ],
    pack: PackArgument = Path("."),
    sheet: SheetOption = None,
) -> None:
    """Add pledge progress from a spreadsheet: one row per figure, with the columns pledge
    (its id), measure (exactly as the target's), actual, as_of (YYYY-MM-DD or a date cell)
    and evidence (optional: files in the pack, separated by ';').

    Each row goes into the pledge's `progress:` list in its pledges file, keeping the
    file's comments. Rows the pack has already are skipped, so the same sheet can be
    imported again each quarter. Nothing is written until every row is good.

    Examples:

      svqm import progress q2-progress.csv

      svqm import progress progress-2025.xlsx packs/trust --sheet "Q2"
    """
    from svqm_cli.authoring.progress import import_progress as run

    result = run(source, pack, sheet)
    if result.report is not None:
        sys.stdout.write(REPORTERS["text"](result.report, use_color(sys.stdout)))
        typer.echo("Nothing written: correct the rows above and import again.", err=True)
        raise typer.Exit(1)
    for path in result.written:
        typer.echo(f"updated {path}")
    already = f"; {result.skipped} already in the pack" if result.skipped else ""
    typer.echo(f"added {result.added} progress entr{'y' if result.added == 1 else 'ies'}{already}")
