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

from dataclasses import dataclass

from svqm_cli.export.cells import Sheet, SheetXml, letter, quote
from svqm_cli.export.columns import Column
from svqm_cli.export.tables import (
    ADJUSTMENTS,
    IMPACT,
    MAP_INPUT_COLUMNS,
    MAP_REFERENCE_COLUMNS,
    TOTAL_PV,
    ValueMap,
    cell,
    year_columns,
)

HEADER_ROW = 3  # row 1: the title, row 2: how to use the sheet, row 3: the column headers
RATE = "discount_rate"
FIRST_YEAR = "discount_first_year"


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


ROW = "#R#"  # stands for the row number in a formula pattern (no formula holds it)


def _outcome_formulas(years: int, at: dict[str, int], negative: bool) -> list[tuple[int, str]]:
    """An outcome row's formulas as (column, pattern): the row number is ROW."""

    def ref(key: str, absolute_column: bool = False) -> str:
        column = letter(at[key])
        return f"${column}{ROW}" if absolute_column else f"{column}{ROW}"

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
    out = [(at["impact"], f"=-({product})" if negative else f"={product}")]
    out.append((at["value_1"], f"={ref('impact')}"))
    keep = f"(1-{ref('drop_off', True)})"
    for t in range(2, years + 1):
        previous = ref(f"value_{t - 1}")
        out.append((at[f"value_{t}"], f"=IF({t}<={ref('duration', True)},{previous}*{keep},0)"))
    shift = f"IF({ref('start', True)}=2,1,0)-IF({FIRST_YEAR},0,1)"
    for t in range(1, years + 1):
        out.append((at[f"pv_{t}"], f"={ref(f'value_{t}')}/(1+{RATE})^({t}+{shift})"))
    first, last = letter(at["pv_1"]), letter(at[f"pv_{years}"])
    out.append((at["total_pv"], f"=SUM({first}{ROW}:{last}{ROW})"))
    return out


def _inputs_block(sheet: Sheet, vm: ValueMap, row: int) -> tuple[int, str]:
    """The inputs below the value map; returns the next free row and the total's formula."""
    sheet.label(row, 1, "Inputs")
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


def _outcome_rows(sheet: Sheet, vm: ValueMap, at: dict[str, int]) -> int:
    """One row per outcome: what the pack says as cells, every figure as a formula over
    them. Returns the last row written."""
    first = [
        (at[c.key], c.key, c.kind, c.kind != "text") for c in MAP_INPUT_COLUMNS
    ]  # what the pack says: numbers shaded as inputs, then the figures, then references
    then = [(at[c.key], c.key, c.kind, False) for c in MAP_REFERENCE_COLUMNS]
    patterns = {
        sign: _outcome_formulas(vm.years, at, sign) for sign in (False, True)
    }  # the same for every row but the row number: built once per map
    last_col = len(at)
    row = HEADER_ROW
    for row, outcome in enumerate(vm.outcomes, start=HEADER_ROW + 1):
        number = str(row)
        cells = [
            sheet.cell(row, col, cell(outcome, key), kind, fill) for col, key, kind, fill in first
        ]
        cells += [
            sheet.formula_cell(row, col, pattern.replace(ROW, number), "money")
            for col, pattern in patterns[outcome.negative == "yes"]
        ]
        cells += [
            sheet.cell(row, col, cell(outcome, key), kind, fill) for col, key, kind, fill in then
        ]
        sheet.add_row(row, cells, last_col)
    return row


def write_map(sheet: Sheet, vm: ValueMap, first: bool = False) -> tuple[MapCells, SheetXml]:
    """The value map sheet of VM, and where it keeps the figures the Summary shows."""
    years = vm.years
    columns, at = _map_columns(years)
    sheet.title(
        vm.title,
        "Shaded cells are what the pack says: change one and every figure on this sheet and "
        "the Summary follows. The discount rate is on the Settings sheet.",
    )
    sheet.header(HEADER_ROW, columns)
    last = _outcome_rows(sheet, vm, at)
    total_row = last + 2
    sheet.label(total_row, 1, "Total")
    sums = ("impact", *(f"value_{t}" for t in range(1, years + 1)), "total_pv")
    for key in (*sums, *(f"pv_{t}" for t in range(1, years + 1))):
        column = letter(at[key])
        body = f"SUM({column}{HEADER_ROW + 1}:{column}{last})" if vm.outcomes else "0"
        sheet.formula(total_row, at[key], f"={body}", "money")
    row, inputs_formula = _inputs_block(sheet, vm, total_row + 2)
    impact = f"{letter(at['impact'])}{total_row}"
    present = f"{letter(at['total_pv'])}{total_row}"
    figures = (
        ("Inputs total", inputs_formula, "money"),
        ("Present value", f"={present}", "money"),
        ("Net present value", f"=C{row + 1}-C{row}", "money"),
        ("SROI ratio", f'=IF(C{row}=0,"",C{row + 1}/C{row})', "ratio"),
        ("Payback (months)", f'=IF({impact}=0,"",C{row}/({impact}/12))', "months"),
    )
    for offset, (label, formula, kind) in enumerate(figures):
        sheet.label(row + offset, 1, label)
        sheet.formula(row + offset, 3, formula, kind)
    done = sheet.finish(HEADER_ROW, len(columns), last, first)
    quoted = quote(sheet.name)
    where = MapCells(sheet.name, *(f"{quoted}!$C${row + offset}" for offset in range(len(figures))))
    return where, done
