"""`svqm export --format xlsx`: one workbook with live formulas.

Sheets: Summary (maps and totals by kind, as formulas over the map sheets), Settings (the
discount rate and discount_first_year as named cells), one value map sheet per impact map
(see value_map_sheet.py), then Progress, Commitments and LM3 when the pack has them. The
zip is written with fixed timestamps and the document properties carry the pack's date, so
the same pack gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.writer.excel import ExcelWriter

from svqm_cli import __version__
from svqm_cli.export.columns import Column, Table
from svqm_cli.export.sheets import sheet_names
from svqm_cli.export.tables import SUMMARY_COLUMNS, Export
from svqm_cli.export.value_map_sheet import (
    BOLD,
    FIRST_YEAR,
    HEADER_ROW,
    RATE,
    MapCells,
    Sheet,
    Styles,
    write_map,
)

EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
FILE_NAME = "values.xlsx"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _summary(sheet: Sheet, export: Export, cells: list[MapCells]) -> None:
    sheet.title(
        export.title,
        "Each impact map's figures come from its own sheet; forecasts and evaluations are "
        "totalled separately, never added together.",
    )
    columns = (*SUMMARY_COLUMNS, Column("sheet", "Sheet", "text"))
    sheet.header(HEADER_ROW, columns)
    rows: dict[str, list[int]] = {"forecast": [], "evaluation": []}
    row = HEADER_ROW
    for row, (vm, at) in enumerate(zip(export.maps, cells, strict=True), start=HEADER_ROW + 1):
        for col, value in enumerate((vm.kind, vm.id, vm.scope, vm.start, vm.end), start=1):
            sheet.put(row, col, value, SUMMARY_COLUMNS[col - 1].kind)
        sheet.formula(row, 6, f"={at.inputs_total}", "money")
        sheet.formula(row, 7, f"={at.present_value}", "money")
        sheet.formula(row, 8, f"={at.net_present_value}", "money")
        sheet.formula(row, 9, f"={at.ratio}", "ratio")
        sheet.formula(row, 10, f"={at.payback}", "months")
        sheet.put(row, 11, at.sheet)
        rows[vm.kind].append(row)
    last = row
    total = last + 2
    for kind, members in rows.items():
        if not members:
            continue  # a kind the pack does not have has no total (null in value --format json)
        sheet.put(total, 1, f"All {kind}s")
        sheet.ws.cell(row=total, column=1).font = BOLD
        for col in (6, 7):
            letter = get_column_letter(col)
            body = "+".join(f"{letter}{r}" for r in members)
            sheet.formula(total, col, f"={body}", "money")
        sheet.formula(total, 8, f"=G{total}-F{total}", "money")
        sheet.formula(total, 9, f'=IF(F{total}=0,"",G{total}/F{total})', "ratio")
        total += 1
    sheet.finish(HEADER_ROW, len(columns), last)


def _settings(sheet: Sheet, export: Export) -> dict[str, str]:
    sheet.title(
        "Settings",
        "The discount rate and whether year 1 is discounted apply to every value map sheet.",
    )
    columns = (Column("setting", "Setting", "text"), Column("value", "Value", "text"))
    sheet.header(HEADER_ROW, columns)
    entries = (
        ("Organisation", export.organisation, "text"),
        ("Currency", export.currency, "text"),
        ("Discount rate", export.discount_rate, "rate"),
        ("Discount the first year", export.discount_first_year, "text"),
        ("Written by", f"svqm {__version__}", "text"),
    )
    for row, (label, value, kind) in enumerate(entries, start=HEADER_ROW + 1):
        sheet.put(row, 1, label)
        sheet.put(row, 2, value, kind, fill=label.startswith("Discount"))
    sheet.finish(HEADER_ROW, 2, HEADER_ROW + len(entries))
    return {RATE: f"Settings!$B${HEADER_ROW + 3}", FIRST_YEAR: f"Settings!$B${HEADER_ROW + 4}"}


def _table(sheet: Sheet, table: Table) -> None:
    sheet.title(table.title, "")
    sheet.header(HEADER_ROW, table.columns)
    formulas = dict(table.formulas)
    letters = {c.key: get_column_letter(i) for i, c in enumerate(table.columns, start=1)}
    for row, values in enumerate(table.rows, start=HEADER_ROW + 1):
        cells = {key: f"{letter}{row}" for key, letter in letters.items()}
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            if column.key in formulas:
                sheet.formula(row, col, formulas[column.key].format(**cells), column.kind)
            else:
                sheet.put(row, col, value, column.kind, bool(formulas) and column.kind != "text")
    sheet.finish(HEADER_ROW, len(table.columns), HEADER_ROW + len(table.rows))


def _properties(workbook: Workbook, export: Export) -> None:
    props = workbook.properties
    props.title = export.title
    props.subject = "SROI value maps and social value figures"
    props.creator = export.organisation or "svqm"
    props.lastModifiedBy = f"svqm {__version__}"
    props.description = "Written by svqm export: the figures are live formulas."
    props.created = props.modified = export.date


def _app_properties(company: str) -> bytes:
    """docProps/app.xml naming svqm and the organisation (openpyxl writes no Company)."""
    body = f"<Application>svqm {__version__}</Application>"
    if company:
        body = f"<Company>{escape(company)}</Company>{body}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{EXTENDED_NS}">{body}</Properties>'
    ).encode()


def _deterministic(raw: bytes, company: str) -> bytes:
    """The same zip with fixed timestamps, and the organisation as the Company property."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = _app_properties(company)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
    return out.getvalue()


def write(export: Export) -> dict[str, bytes]:
    """The workbook's bytes, under its file name."""
    tables = [t for t in (export.progress, export.commitments, export.lm3) if t is not None]
    fixed = ["Summary", "Settings"]
    names = sheet_names([*fixed, *(m.id for m in export.maps), *(t.name for t in tables)])
    workbook = Workbook()
    fmt = Styles(workbook, export.symbol)
    summary = Sheet(workbook.active, fmt)
    summary.ws.title = names[0]
    settings = Sheet(workbook.create_sheet(names[1]), fmt)
    for name, ref in _settings(settings, export).items():
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    cells = [
        write_map(Sheet(workbook.create_sheet(name), fmt), vm, name)
        for vm, name in zip(export.maps, names[2 : 2 + len(export.maps)], strict=True)
    ]
    for table, name in zip(tables, names[2 + len(export.maps) :], strict=True):
        _table(Sheet(workbook.create_sheet(name), fmt), table)
    _summary(summary, export, cells)
    _properties(workbook, export)
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() stamps the clock into the properties.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return {FILE_NAME: _deterministic(buffer.getvalue(), export.organisation)}
