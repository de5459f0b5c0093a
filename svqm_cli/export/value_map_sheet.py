"""The value map sheets of the xlsx export, and the cell writer every sheet uses.

Each value map sheet holds the inputs as cells (shaded) and every figure as a formula over
them, with the discount rate as one named cell on the Settings sheet, so an assessor can
change a deadweight and watch the ratio move. The formulas follow `calc/sroi.py` step for
step: the impact is Q x V x uprating (to base-year prices) x (1 - each adjustment,
leakage included); year t is year t-1 x (1 - drop-off) up to the duration (a repeated
product, as svqm computes it, so a drop-off of 100% never asks a spreadsheet for 0^0);
year t's present value divides by (1 + r)^(t + k), k = 1 for
`start: 2`, less 1 without `discount_first_year`.

User text never becomes a formula: every text cell is typed as text, and text that a
spreadsheet would read as a formula when edited also gets Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from svqm_cli.export.columns import Column
from svqm_cli.export.tables import (
    ADJUSTMENTS,
    FORMULA_STARTS,
    IMPACT,
    MAP_INPUT_COLUMNS,
    MAP_REFERENCE_COLUMNS,
    TOTAL_PV,
    ValueMap,
    cell,
    year_columns,
)

HEADER_ROW = 3  # row 1: the title, row 2: how to use the sheet, row 3: the column headers
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a reader may change
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
RATE = "discount_rate"
FIRST_YEAR = "discount_first_year"


def formats(symbol: str) -> dict[str, str]:
    money = f'"{symbol}"#,##0.00;-"{symbol}"#,##0.00'
    return {
        "money": money,
        "share": "0.0%",
        "rate": "0.00%",
        "number": "General",  # 60, 60.5 and 1200 as written (Excel's '0.##' shows '60.')
        "score": "0.00",
        "integer": "0",
        "ratio": f'"{symbol}"0.00" : {symbol}1"',
        "months": "0.0",
        "date": "yyyy-mm-dd",
        "text": "@",
    }


def quote(name: str) -> str:
    """A sheet name as a formula names it."""
    return "'" + name.replace("'", "''") + "'"


def number(value: Decimal) -> int | float:
    """A Decimal as the number a cell stores (spreadsheets calculate in binary doubles)."""
    return int(value) if value == value.to_integral_value() else float(value)


class Styles:
    """A named cell style per kind of value (money, share, ...), plain or shaded as an
    input: Excel lists them under Cell Styles, and one assignment per cell keeps a
    10,000-outcome workbook fast (setting format and fill one by one is not)."""

    def __init__(self, workbook: Any, symbol: str) -> None:
        self.workbook = workbook
        self.fmt = formats(symbol)
        self.names: dict[tuple[str, bool], str] = {}

    def name(self, kind: str, fill: bool) -> str:
        key = (kind, fill)
        if key not in self.names:
            from openpyxl.styles import NamedStyle

            name = f"svqm {kind}{' input' if fill else ''}"
            style = NamedStyle(name=name, number_format=self.fmt[kind])
            if fill:
                style.fill = INPUT_FILL
            self.workbook.add_named_style(style)
            self.names[key] = name
        return self.names[key]


class Sheet:
    """One worksheet and the formats of its pack: writes values, text and formulas."""

    def __init__(self, ws: Worksheet, styles: Styles) -> None:
        self.ws = ws
        self.styles = styles
        self.widths: dict[int, int] = {}

    def put(self, row: int, col: int, value: Any, kind: str = "text", fill: bool = False) -> None:
        target = self.ws.cell(row=row, column=col)
        if isinstance(value, str):
            target.value = value
            target.data_type = "s"  # openpyxl would make '=...' a formula, '#N/A' an error
            if value.startswith(FORMULA_STARTS):
                target.quotePrefix = True
            self._fit(col, value)
        elif isinstance(value, Decimal):
            target.value = number(value)
            self._fit(col, f"{value:,.2f}")
        elif isinstance(value, (int, float, dt.date)):
            target.value = value
            self._fit(col, str(value) + "xxx")
        if fill or (value is not None and kind != "text"):
            quoted = target.quotePrefix
            target.style = self.styles.name(kind, fill)
            target.quotePrefix = quoted

    def formula(self, row: int, col: int, formula: str, kind: str) -> None:
        target = self.ws.cell(row=row, column=col)
        target.value = formula
        target.style = self.styles.name(kind, False)
        self._fit(col, "£0,000,000.00")

    def header(self, row: int, columns: Iterable[Column], first: int = 1) -> None:
        for col, column in enumerate(columns, start=first):
            self.put(row, col, column.header)
            target = self.ws.cell(row=row, column=col)
            target.font, target.fill, target.alignment = BOLD, HEADER_FILL, WRAP

    def title(self, text: str, note: str) -> None:
        self.ws.cell(row=1, column=1).font = TITLE
        self.put(1, 1, text)
        if note:
            self.put(2, 1, note)
        self.widths.pop(1, None)  # titles run across the columns: they set no width

    def _fit(self, col: int, text: str) -> None:
        longest = max((len(part) for part in text.split("\n")), default=0)
        self.widths[col] = max(self.widths.get(col, 8), min(longest + 2, MAX_WIDTH))

    def finish(self, header_row: int, last_col: int, last_row: int) -> None:
        """Column widths that fit, the header frozen, an autofilter on the table."""
        for col, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH)
        self.ws.freeze_panes = self.ws.cell(row=header_row + 1, column=1).coordinate
        # Printed: landscape, as wide as one page, the header row repeated on every page.
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_title_rows = f"{header_row}:{header_row}"
        if last_col:
            end = f"{get_column_letter(last_col)}{max(last_row, header_row)}"
            self.ws.auto_filter.ref = f"A{header_row}:{end}"


@dataclass(frozen=True)
class MapCells:
    """Where a value map sheet keeps the figures the summary refers to."""

    sheet: str
    inputs_total: str
    present_value: str
    net_present_value: str
    ratio: str
    payback: str


def _map_columns(years: int) -> tuple[list[Column], dict[str, int]]:
    values, present = year_columns(years)
    columns = [*MAP_INPUT_COLUMNS, IMPACT, *values, *present, TOTAL_PV, *MAP_REFERENCE_COLUMNS]
    return columns, {c.key: i for i, c in enumerate(columns, start=1)}


def _outcome_formulas(
    sheet: Sheet, row: int, years: int, at: dict[str, int], negative: bool = False
) -> None:
    def ref(key: str, absolute_column: bool = False) -> str:
        letter = get_column_letter(at[key])
        return f"${letter}{row}" if absolute_column else f"{letter}{row}"

    # The one place an outcome's impact is formed: a new adjustment or a sign goes here.
    factors = [
        ref("quantity"),
        ref("proxy_value"),
        ref("uprating"),  # to the base year's prices (settings.deflator)
        *(f"(1-{ref(k)})" for k in ADJUSTMENTS),
    ]
    # A negative outcome (spec §5.1) is computed as any other, then subtracted: its formula
    # is the same product with a minus in front, and its "Negative outcome" cell says yes.
    product = "*".join(factors)
    sheet.formula(row, at["impact"], f"=-({product})" if negative else f"={product}", "money")
    sheet.formula(row, at["value_1"], f"={ref('impact')}", "money")
    for t in range(2, years + 1):
        keep = f"(1-{ref('drop_off', True)})"
        sheet.formula(
            row,
            at[f"value_{t}"],
            f"=IF({t}<={ref('duration', True)},{ref(f'value_{t - 1}')}*{keep},0)",
            "money",
        )
    shift = f"IF({ref('start', True)}=2,1,0)-IF({FIRST_YEAR},0,1)"
    for t in range(1, years + 1):
        sheet.formula(row, at[f"pv_{t}"], f"={ref(f'value_{t}')}/(1+{RATE})^({t}+{shift})", "money")
    first, last = get_column_letter(at["pv_1"]), get_column_letter(at[f"pv_{years}"])
    sheet.formula(row, at["total_pv"], f"=SUM({first}{row}:{last}{row})", "money")


def _inputs_block(sheet: Sheet, vm: ValueMap, row: int) -> tuple[int, str]:
    """The inputs below the value map; returns the next free row and the total's formula."""
    sheet.put(row, 1, "Inputs")
    sheet.ws.cell(row=row, column=1).font = BOLD
    sheet.header(
        row + 1,
        (
            Column("stakeholder", "Input from", "text"),
            Column("description", "Input", "text"),
            Column("value", "Value", "money"),
        ),
    )
    first = row + 2
    for offset, item in enumerate(vm.inputs):
        sheet.put(first + offset, 1, item.stakeholder)
        sheet.put(first + offset, 2, item.description)
        sheet.put(first + offset, 3, item.value, "money", fill=True)
    last = first + len(vm.inputs) - 1
    total = f"=SUM(C{first}:C{last})" if vm.inputs else "=0"
    return max(last, first - 1) + 2, total


def write_map(sheet: Sheet, vm: ValueMap, name: str) -> MapCells:
    years = vm.years
    columns, at = _map_columns(years)
    sheet.title(
        vm.title,
        "Shaded cells are what the pack says: change one and every figure on this sheet and "
        "the Summary follows. The discount rate is on the Settings sheet.",
    )
    sheet.header(HEADER_ROW, columns)
    row = HEADER_ROW
    for row, outcome in enumerate(vm.outcomes, start=HEADER_ROW + 1):
        for column in (*MAP_INPUT_COLUMNS, *MAP_REFERENCE_COLUMNS):
            editable = column in MAP_INPUT_COLUMNS and column.kind != "text"
            sheet.put(row, at[column.key], cell(outcome, column.key), column.kind, editable)
        _outcome_formulas(sheet, row, years, at, outcome.negative == "yes")
    last = row
    total_row = last + 2
    sheet.put(total_row, 1, "Total")
    sheet.ws.cell(row=total_row, column=1).font = BOLD
    for key in ("impact", *(f"value_{t}" for t in range(1, years + 1)), "total_pv"):
        letter = get_column_letter(at[key])
        body = f"SUM({letter}{HEADER_ROW + 1}:{letter}{last})" if vm.outcomes else "0"
        sheet.formula(total_row, at[key], f"={body}", "money")
    for t in range(1, years + 1):
        letter = get_column_letter(at[f"pv_{t}"])
        body = f"SUM({letter}{HEADER_ROW + 1}:{letter}{last})" if vm.outcomes else "0"
        sheet.formula(total_row, at[f"pv_{t}"], f"={body}", "money")
    row, inputs_formula = _inputs_block(sheet, vm, total_row + 2)
    impact = f"{get_column_letter(at['impact'])}{total_row}"
    present = f"{get_column_letter(at['total_pv'])}{total_row}"
    figures = (
        ("Inputs total", inputs_formula, "money"),
        ("Present value", f"={present}", "money"),
        ("Net present value", f"=C{row + 1}-C{row}", "money"),
        ("SROI ratio", f'=IF(C{row}=0,"",C{row + 1}/C{row})', "ratio"),
        ("Payback (months)", f'=IF({impact}=0,"",C{row}/({impact}/12))', "months"),
    )
    for offset, (label, formula, kind) in enumerate(figures):
        sheet.put(row + offset, 1, label)
        sheet.ws.cell(row=row + offset, column=1).font = BOLD
        sheet.formula(row + offset, 3, formula, kind)
    sheet.finish(HEADER_ROW, len(columns), last)
    quoted = quote(name)
    return MapCells(name, *(f"{quoted}!$C${row + offset}" for offset in range(len(figures))))
