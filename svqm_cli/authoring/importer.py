"""`svqm import outcomes FILE.csv`: a spreadsheet export becomes an impact map document.

Cells are read the way spreadsheets write them (`£1,200`, `25%`, `0.25`); each cell that
cannot be read is a finding at its row and column, and the new document is checked against
its schema with the findings mapped back to rows. Nothing is written unless every row is good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from svqm_cli.authoring.grid import (
    EMPTY_HINT,
    Cell,
    Grid,
    cell_column,
    cell_finding,
    number_of,
    problem,
    read_grid,
    share_of,
    whole_number_of,
)
from svqm_cli.base.findings import Finding

SHARES = ("deadweight", "displacement", "attribution", "leakage", "drop_off")
NUMBERS = ("quantity", "proxy_value", "wellby")
INTEGERS = ("duration", "start", "proxy_year")
TEXT = (
    "id",
    "pledge",
    "stakeholder",
    "description",
    "indicator",
    "source",
    "proxy",
    "method",
    "forecast_outcome",
    "proxy_unit",
    "proxy_source",
)
LISTS = ("evidence",)
COLUMNS = (*TEXT, *NUMBERS, *INTEGERS, *SHARES, *LISTS)
__all__ = ["cell_column", "import_outcomes"]


@dataclass(frozen=True)
class Imported:
    document: dict[str, Any] | None  # None when any row has a problem
    findings: tuple[Finding, ...]
    lines: tuple[str, ...]  # the CSV's lines, for showing a row with a finding


def _column_name(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def read_cell(grid: Grid, cell: Cell, name: str) -> tuple[Any, Finding | None]:
    """The value of one cell of column NAME, or the finding that says why it is bad."""
    said = f'`{name}` is "{cell.text}"'
    if name in SHARES:
        share, why = share_of(cell)
        if share is None:
            hint = "Shares are 0..1 or a percentage: 0.25 or 25%."
            return None, cell_finding(grid, cell, f"{said}, {why or 'not a share'}.", hint=hint)
        return share, None
    if name in NUMBERS:
        parsed = number_of(cell)
        if parsed is None:
            hint = "Write digits, with or without '£' and commas."
            return None, cell_finding(grid, cell, f"{said}, not a number.", hint=hint)
        return parsed, None
    if name in INTEGERS:
        whole = whole_number_of(cell)
        if whole is None or whole < 0:
            return None, cell_finding(grid, cell, f"{said}, not a whole number.")
        return whole, None
    if name in LISTS:
        return [p.strip() for p in cell.text.split(";") if p.strip()], None
    return cell.text, None


def _header_findings(grid: Grid, headers: list[str]) -> list[Finding]:
    from svqm_cli.base.suggest import did_you_mean

    return [
        cell_finding(
            grid,
            cell,
            f"Unknown column `{name}`.{did_you_mean(name, COLUMNS)}",
            code="SV103",
            hint="Columns: " + ", ".join(COLUMNS) + ".",
        )
        for cell, name in zip(grid.rows[0], headers, strict=True)
        if name and name not in COLUMNS
    ] + _duplicate_columns(grid, headers)


def _duplicate_columns(grid: Grid, headers: list[str]) -> list[Finding]:
    """A column named twice: which of the two is meant cannot be guessed, so neither is."""
    first: dict[str, int] = {}
    findings = []
    for index, (cell, name) in enumerate(zip(grid.rows[0], headers, strict=True), start=1):
        if name and name in first:
            message = f"The column `{name}` appears twice: as column {first[name]} and {index}."
            findings.append(
                cell_finding(grid, cell, message, code="SV002", hint="Keep one of the two.")
            )
        first.setdefault(name, index)
    return findings


def _stray(grid: Grid, cell: Cell) -> Finding:
    """A value in a column without a header name: it would be lost, so it is a problem."""
    return cell_finding(
        grid,
        cell,
        f"`{cell.text[:40]}` is in a column with no header name.",
        code="SV103",
        hint="Give the column a header (one of the columns listed in the help), or delete it.",
    )


def _outcome(
    grid: Grid, headers: list[str], row: tuple[Cell, ...]
) -> tuple[dict[str, Any], list[Finding]]:
    outcome: dict[str, Any] = {}
    inline: dict[str, Any] = {}
    findings: list[Finding] = []
    for index, cell in enumerate(row):
        name = headers[index] if index < len(headers) else ""
        if cell.text and not name:
            findings.append(_stray(grid, cell))
        if not cell.text or name not in COLUMNS:
            continue
        value, finding = read_cell(grid, cell, name)
        if finding is not None:
            findings.append(finding)
        elif name in ("proxy_value", "proxy_unit", "proxy_source", "proxy_year", "wellby"):
            inline[name.removeprefix("proxy_")] = value
        else:
            outcome[name] = value
    if inline:
        outcome["proxy"] = inline
    return outcome, findings


def read_outcomes(grid: Grid) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The outcomes of a sheet (one a row, under a header row) and the findings about its
    cells; each outcome remembers its row in `_row`."""
    if not grid.rows:
        return [], [problem("SV004", grid.file, "The file is empty.", EMPTY_HINT)]
    headers = [_column_name(c.text) for c in grid.rows[0]]
    findings = _header_findings(grid, headers)
    outcomes = []
    for row in grid.rows[1:]:
        if not any(cell.text for cell in row):
            continue
        outcome, problems = _outcome(grid, headers, row)
        findings.extend(problems)
        outcome["_row"] = row[0].row
        outcomes.append(outcome)
    return outcomes, findings


def row_findings(
    grid: Grid, kind: str, level: int, document: dict[str, Any], rows: list[int], key: str
) -> list[Finding]:
    """DOCUMENT's schema problems, each at the row its item KEY[n] came from."""
    from svqm_cli.checking.schemas import check_document

    out = []
    for finding in check_document(kind, level, document, grid.file):
        parts = finding.location.pointer.split("/")
        inside = len(parts) > 2 and parts[1] == key and parts[2].isdigit()
        row = rows[int(parts[2])] if inside and int(parts[2]) < len(rows) else 1
        if grid.sheet is not None:
            finding = replace(
                finding, message=f"Row {row} of sheet '{grid.sheet}': {finding.message}"
            )
        out.append(finding.with_location(row, 1))
    return out


def build(
    path: Path,
    kind: str,
    ident: str,
    scope: str,
    period: dict[str, str],
    level: int,
    sheet: str | None = None,
) -> Imported:
    """The impact map document for the CSV file or workbook at PATH, or the findings that
    prevent it."""
    grid, findings = read_grid(path, path.name, sheet)
    if grid is None:
        return Imported(None, tuple(findings), ())
    outcomes, findings = read_outcomes(grid)
    rows = [o.pop("_row") for o in outcomes]
    document = {
        "kind": kind,
        "id": ident,
        "scope": {"name": scope, "type": "service"},
        "period": period,
        "inputs": [],
        "outcomes": outcomes,
    }
    if not findings:
        from svqm_cli.authoring.edit import refuse_oversized

        refuse_oversized(document)  # before the schema check, the slow part of a big sheet
        findings.extend(row_findings(grid, kind, level, document, rows, "outcomes"))
    if not outcomes and not findings:
        findings.append(problem("SV107", grid.file, "The sheet has a header but no outcome rows."))
    if findings:
        return Imported(None, tuple(findings), grid.lines)
    return Imported(document, (), grid.lines)


@dataclass(frozen=True)
class ImportResult:
    path: Path | None  # the document written; None when rows have problems
    report: Any  # a ValidationReport of the CSV's problems (None when written)
    outcomes: int


@dataclass(frozen=True)
class Target:
    """The pack an import writes into: its folder, award period and level."""

    root: Path
    period: dict[str, str]
    level: int


def target_pack(pack: Path, source: Path) -> Target:
    """The pack at PACK, after checking that the spreadsheet SOURCE exists."""
    from svqm_cli.base.accessors import mapping
    from svqm_cli.base.errors import UsageError
    from svqm_cli.base.vocabulary import parse_level
    from svqm_cli.reading.pack import PACK_FILE, find_root
    from svqm_cli.reading.yaml_io import load_file

    if not source.is_file():
        raise UsageError(f"no spreadsheet at '{source}' (a .csv or .xlsx file)")
    root = find_root(pack)
    award = mapping(load_file(root / PACK_FILE, PACK_FILE).data, "award")
    period = {k: str(v) for k, v in mapping(award, "period").items() if k in ("start", "end")}
    return Target(root, period, parse_level(award.get("level")) or 1)


def problems(
    level: int, source: Path, findings: tuple[Finding, ...], lines: tuple[str, ...]
) -> Any:
    """The findings about a spreadsheet as a ValidationReport, for the text reporter."""
    from svqm_cli.checking.check import ValidationReport

    return ValidationReport(
        level=level, documents=1, findings=findings, sources={source.name: list(lines)}
    )


def import_outcomes(
    source: Path,
    pack: Path,
    kind: str,
    ident: str,
    scope: str,
    output: Path | None,
    sheet: str | None = None,
) -> ImportResult:
    """Write the impact map for the spreadsheet SOURCE into PACK (or OUTPUT), or report
    its problems."""
    from svqm_cli.authoring.edit import dump_document
    from svqm_cli.base.errors import UsageError

    if kind not in ("forecast", "evaluation"):
        raise UsageError(f"--kind must be forecast or evaluation, not '{kind}'")
    into = target_pack(pack, source)
    target = output or into.root / f"{kind}-{ident}.yaml"
    if target.exists():
        raise UsageError(f"'{target}' exists already; import never overwrites a document")
    result = build(source, kind, ident, scope, into.period, into.level, sheet)
    if result.document is None:
        return ImportResult(None, problems(into.level, source, result.findings, result.lines), 0)
    dump_document(
        target,
        result.document,
        f"Imported from {source.name}. Add the inputs "
        "(what was invested), then run 'svqm validate'.",
    )
    return ImportResult(target, None, len(result.document["outcomes"]))
