"""Spreadsheet cells for the importers: a CSV file or a sheet of an Excel workbook read into
the same grid, every cell knowing where it is, and the readers that turn a cell's text
(`£1,200`, `25%`, `2025-03-31`) into a value or a reason why not.

Findings about a cell carry the file, the row (a CSV line or a sheet row) and the column
(a character column in a CSV line, the column number in a sheet), and their message names
the place as a person finds it: "Row 4" in a CSV file, "Cell E4 of sheet 'Outcomes'" in a
workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from svqm_cli.base.findings import Finding, make

_MONEY = re.compile(r"^[£$€]?\s*-?[\d,]*\.?\d+$")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EMPTY_HINT = "Save the sheet with its header row first, then one row per entry."


@dataclass(frozen=True)
class Cell:
    value: Any  # text from a CSV; text, a number, a date or a boolean from a workbook
    row: int  # 1-based
    column: int  # 1-based: CSV, the character column; workbook, the column number
    where: str  # "Row 4" or "Cell E4 of sheet 'Outcomes'"

    @property
    def text(self) -> str:
        """The cell as text, trimmed ('' when empty)."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.datetime):
            return self.value.date().isoformat()
        if isinstance(self.value, dt.date):
            return self.value.isoformat()
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value).strip()


@dataclass(frozen=True)
class Grid:
    file: str  # the name findings carry
    rows: tuple[tuple[Cell, ...], ...]  # every row of the sheet, header included
    lines: tuple[str, ...]  # a CSV file's lines, to show a row with its finding
    sheet: str | None = None  # the sheet read, for a workbook


def normalise(header: str) -> str:
    """A header as a key: 'Drop-off (%)' -> 'drop_off', 'Duration (years)' ->
    'duration_years'."""
    lowered = header.strip().lower().replace("%", "").replace("£", "")
    return re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")


def cell_columns(line: str) -> list[int]:
    """The 1-based character column where each cell of a CSV line starts (one pass)."""
    starts, quoted = [1], False
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(position + 2)
    return starts


def cell_column(line: str, index: int) -> int:
    """The 1-based character column where cell INDEX starts in a CSV line."""
    starts = cell_columns(line)
    return starts[index] if index < len(starts) else 1


def problem(code: str, rel: str, why: str, hint: str | None = None) -> Finding:
    """A finding about the file as a whole, at its first line."""
    return make(code, why, rel, "", hint=hint, line=1, column=1)


def cell_finding(
    grid: Grid, cell: Cell, message: str, code: str = "SV101", hint: str | None = None
) -> Finding:
    return make(
        code,
        f"{cell.where}: {message}",
        grid.file,
        "",
        hint=hint,
        line=cell.row,
        column=cell.column,
    )


def _csv_grid(path: Path, rel: str) -> tuple[Grid | None, list[Finding]]:
    from svqm_cli.reading.files import Unreadable, read_regular
    from svqm_cli.reading.yaml_io import MAX_FILE_BYTES

    try:  # the same opener and size limit as the pack's own files
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        why = "The CSV file is not UTF-8 text."
        return None, [problem("SV003", rel, why, "In Excel choose 'CSV UTF-8' when saving.")]
    except Unreadable as exc:
        limit = f"{MAX_FILE_BYTES // 1_048_576} MiB"
        if exc.too_big is not None:
            why = f"The CSV file is {exc.too_big / 1_048_576:.1f} MiB; svqm reads up to {limit}."
            return None, [problem("SV011", rel, why, "Split it into smaller files.")]
        return None, [problem("SV001", rel, f"The CSV file cannot be read: {exc.reason}.")]
    # Old Mac spreadsheets end lines with a carriage return alone; csv wants one convention.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    rows = []
    csv.field_size_limit(MAX_FILE_BYTES)  # one cell may be as long as the file may be
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            raw = lines[number - 1] if number <= len(lines) else ""
            starts = cell_columns(raw)
            where = f"Row {number}"
            rows.append(
                tuple(
                    Cell(value, number, starts[index] if index < len(starts) else 1, where)
                    for index, value in enumerate(row)
                )
            )
    except csv.Error as exc:
        why = f"The CSV file cannot be read as a table: {exc}."
        return None, [problem("SV001", rel, why, "Save it again from the spreadsheet as CSV.")]
    return Grid(rel, tuple(rows), tuple(lines)), []


def workbook_sheets(path: Path) -> Any:
    """The workbook at PATH opened for reading values (openpyxl), or an OSError/ValueError."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc


def read_sheet(book: Any, name: str, rel: str) -> Grid:
    """One sheet of an open workbook as a grid."""
    from openpyxl.utils import get_column_letter

    rows = []
    for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
        rows.append(
            tuple(
                Cell(
                    value.strip() if isinstance(value, str) else value,
                    number,
                    index,
                    f"Cell {get_column_letter(index)}{number} of sheet '{name}'",
                )
                for index, value in enumerate(values, start=1)
            )
        )
    return Grid(rel, tuple(rows), (), name)


def open_workbook(path: Path, rel: str) -> tuple[Any, list[Finding]]:
    """The open workbook, or a finding that says why it cannot be read."""
    try:
        return workbook_sheets(path), []
    except ValueError as exc:
        return None, [
            problem(
                "SV001",
                rel,
                f"The workbook cannot be read ({exc}).",
                "Open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx).",
            )
        ]


def read_grid(path: Path, rel: str, sheet: str | None = None) -> tuple[Grid | None, list[Finding]]:
    """The first sheet (or SHEET) of a workbook, or a CSV file, as a grid."""
    from svqm_cli.base.errors import UsageError

    if path.suffix.lower() in (".xls", ".ods", ".numbers", ".xlsb"):
        raise UsageError(
            f"svqm reads .csv and .xlsx files, not {path.suffix}: "
            "save it as an Excel Workbook (.xlsx) or as CSV UTF-8"
        )
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return _csv_grid(path, rel)

    book, findings = open_workbook(path, rel)
    if book is None:
        return None, findings
    name = sheet or book.sheetnames[0]
    if name not in book.sheetnames:
        raise UsageError(
            f"'{path.name}' has no sheet '{name}'; its sheets: " + ", ".join(book.sheetnames)
        )
    return read_sheet(book, name, rel), []


# --- reading one cell -----------------------------------------------------------------


def number_of(cell: Cell) -> Decimal | None:
    """A number from a cell: a workbook's number, or text such as '£1,200.50'."""
    if isinstance(cell.value, bool):
        return None
    if isinstance(cell.value, int):
        return Decimal(cell.value)
    if isinstance(cell.value, float):
        return Decimal(repr(cell.value))  # the shortest decimal that is this double
    cleaned = cell.text
    if not _MONEY.match(cleaned):
        return None
    try:
        return Decimal(cleaned.lstrip("£$€").replace(",", "").strip())
    except InvalidOperation:
        return None


def share_of(cell: Cell) -> tuple[Decimal | None, str | None]:
    """A share 0..1 from '25%', '0.25' or a workbook's 0.25 (shown as 25%)."""
    text = cell.text
    if isinstance(cell.value, str) and text.endswith("%"):
        number = number_of(Cell(text[:-1], cell.row, cell.column, cell.where))
        return (number / 100, None) if number is not None else (None, "not a percentage")
    number = number_of(cell)
    if number is None:
        return None, "not a number"
    if number > 1:
        return None, f"above 1: write {number}% or {number / 100}"
    return number, None


def whole_number_of(cell: Cell) -> int | None:
    number = number_of(cell)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def date_of(cell: Cell) -> str | None:
    """A date as YYYY-MM-DD from a workbook date or text written that way."""
    if isinstance(cell.value, (dt.date, dt.datetime)):
        return cell.text
    try:
        return dt.date.fromisoformat(cell.text).isoformat() if len(cell.text) == 10 else None
    except ValueError:
        return None
