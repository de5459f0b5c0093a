"""`svqm import outcomes FILE.csv`: a spreadsheet export becomes an impact map document.

Cells are read the way spreadsheets write them (`£1,200`, `25%`, `0.25`); each cell that
cannot be read is a finding at its row and column, and the new document is checked against
its schema with the findings mapped back to rows. Nothing is written unless every row is good.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from svqm_cli.base.findings import Finding, make

SHARES = ("deadweight", "displacement", "attribution", "drop_off")
NUMBERS = ("quantity", "proxy_value")
INTEGERS = ("duration", "start")
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
_MONEY = re.compile(r"^[£$€]?\s*-?[\d,]*\.?\d+$")


@dataclass(frozen=True)
class Imported:
    document: dict[str, Any] | None  # None when any row has a problem
    findings: tuple[Finding, ...]
    lines: tuple[str, ...]  # the CSV's lines, for showing a row with a finding


def cell_column(line: str, index: int) -> int:
    """The 1-based character column where cell INDEX starts in a CSV line."""
    field, quoted = 0, False
    for position, char in enumerate(line):
        if field == index:
            return position + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(line) + 1 if field == index else 1


def _column_name(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def _number(text: str) -> Decimal | None:
    cleaned = text.strip()
    if not _MONEY.match(cleaned):
        return None
    try:
        return Decimal(cleaned.lstrip("£$€").replace(",", "").strip())
    except InvalidOperation:
        return None


def _share(text: str) -> tuple[Decimal | None, str | None]:
    cleaned = text.strip()
    if cleaned.endswith("%"):
        number = _number(cleaned[:-1])
        return (number / 100, None) if number is not None else (None, "not a percentage")
    number = _number(cleaned)
    if number is None:
        return None, "not a number"
    if number > 1:
        return None, f"above 1: write {number}% or {number / 100}"
    return number, None


def read_outcomes(path: Path, rel: str) -> tuple[list[dict[str, Any]], list[Finding], list[str]]:
    """The outcomes of a CSV file, the findings about its cells, and its lines."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return (
            [],
            [
                make(
                    "SV003",
                    "The CSV file is not UTF-8 text.",
                    rel,
                    "",
                    line=1,
                    column=1,
                    hint="In Excel choose 'CSV UTF-8' when saving.",
                )
            ],
            [],
        )
    except OSError as exc:
        return (
            [],
            [
                make(
                    "SV001",
                    f"The CSV file cannot be read: {exc.strerror}.",
                    rel,
                    "",
                    line=1,
                    column=1,
                )
            ],
            [],
        )
    lines = text.splitlines()
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], [make("SV004", "The CSV file is empty.", rel, "", line=1, column=1)], lines
    headers = [_column_name(h) for h in rows[0]]
    findings = []
    for index, name in enumerate(headers):
        if name and name not in COLUMNS:
            from svqm_cli.base.suggest import did_you_mean

            findings.append(
                make(
                    "SV103",
                    f"Unknown column `{name}`.{did_you_mean(name, COLUMNS)}",
                    rel,
                    "",
                    line=1,
                    column=cell_column(lines[0], index),
                    hint="Columns: " + ", ".join(COLUMNS) + ".",
                )
            )
    outcomes = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        outcome: dict[str, Any] = {}
        inline: dict[str, Any] = {}
        for index, cell in enumerate(row):
            name = headers[index] if index < len(headers) else ""
            value = cell.strip()
            if not value or name not in COLUMNS:
                continue

            raw_line = lines[number - 1] if number <= len(lines) else ""
            at = (number, cell_column(raw_line, index))
            said = f'Row {number}: `{name}` is "{value}"'

            def bad(
                why: str, hint: str | None = None, said: str = said, at: tuple[int, int] = at
            ) -> None:
                findings.append(
                    make("SV101", f"{said}, {why}.", rel, "", hint=hint, line=at[0], column=at[1])
                )

            if name in SHARES:
                share, why = _share(value)
                if share is None:
                    bad(why or "not a share", "Shares are 0..1 or a percentage: 0.25 or 25%.")
                else:
                    outcome[name] = share
            elif name in NUMBERS:
                parsed = _number(value)
                if parsed is None:
                    bad("not a number", "Write digits, with or without '£' and commas.")
                elif name == "proxy_value":
                    inline["value"] = parsed
                else:
                    outcome[name] = parsed
            elif name in INTEGERS:
                if value.isdigit():
                    outcome[name] = int(value)
                else:
                    bad("not a whole number")
            elif name in LISTS:
                outcome[name] = [p.strip() for p in value.split(";") if p.strip()]
            elif name in ("proxy_unit", "proxy_source"):
                inline[name.removeprefix("proxy_")] = value
            else:
                outcome[name] = value
        if inline:
            outcome["proxy"] = inline
        outcome["_row"] = number
        outcomes.append(outcome)
    return outcomes, findings, lines


def build(
    path: Path, kind: str, ident: str, scope: str, period: dict[str, str], level: int
) -> Imported:
    """The impact map document for the CSV at PATH, or the findings that prevent it."""
    from svqm_cli.checking.schemas import check_document

    rel = path.name
    outcomes, findings, lines = read_outcomes(path, rel)
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
        for finding in check_document(kind, level, document, rel):
            parts = finding.location.pointer.split("/")
            row = (
                rows[int(parts[2])]
                if len(parts) > 2
                and parts[1] == "outcomes"
                and parts[2].isdigit()
                and int(parts[2]) < len(rows)
                else 1
            )
            findings.append(finding.with_location(row, 1))
    if not outcomes and not findings:
        findings.append(
            make(
                "SV107", "The CSV file has a header but no outcome rows.", rel, "", line=1, column=1
            )
        )
    if findings:
        return Imported(None, tuple(findings), tuple(lines))
    return Imported(document, (), tuple(lines))


@dataclass(frozen=True)
class ImportResult:
    path: Path | None  # the document written; None when rows have problems
    report: Any  # a ValidationReport of the CSV's problems (None when written)
    outcomes: int


def import_outcomes(
    csv_file: Path, pack: Path, kind: str, ident: str, scope: str, output: Path | None
) -> ImportResult:
    """Write the impact map for CSV_FILE into PACK (or OUTPUT), or report its problems."""
    from svqm_cli.authoring.edit import dump_document
    from svqm_cli.base.accessors import mapping
    from svqm_cli.base.errors import UsageError
    from svqm_cli.base.vocabulary import parse_level
    from svqm_cli.checking.check import ValidationReport
    from svqm_cli.reading.pack import PACK_FILE, find_root
    from svqm_cli.reading.yaml_io import load_file

    if kind not in ("forecast", "evaluation"):
        raise UsageError(f"--kind must be forecast or evaluation, not '{kind}'")
    if not csv_file.is_file():
        raise UsageError(f"no CSV file at '{csv_file}'")
    root = find_root(pack)
    award = mapping(load_file(root / PACK_FILE, PACK_FILE).data, "award")
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
        return ImportResult(None, report, 0)
    dump_document(
        target,
        result.document,
        f"Imported from {csv_file.name}. Add the inputs "
        "(what was invested), then run 'svqm validate'.",
    )
    return ImportResult(target, None, len(result.document["outcomes"]))
