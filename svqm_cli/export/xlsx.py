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
from dataclasses import replace
from xml.sax.saxutils import escape

from svqm_cli import __version__
from svqm_cli.export.cells import Sheet, SheetXml, Styles, letter, xml_attribute, xml_text
from svqm_cli.export.columns import Column, Table
from svqm_cli.export.sheets import sheet_names
from svqm_cli.export.tables import SUMMARY_COLUMNS, Export, ValueMap, head, map_ids
from svqm_cli.export.value_map_sheet import FIRST_YEAR, HEADER_ROW, RATE, MapCells, write_map

FILE_NAME = "values.xlsx"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LEVEL = 1  # deflate level: 1 writes a 10k-outcome workbook in 0.5 s less than 6, 18% larger
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006"
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _summary(
    sheet: Sheet, export: Export, heads: list[ValueMap], cells: list[MapCells]
) -> SheetXml:
    sheet.title(
        export.title,
        "Each impact map's figures come from its own sheet; forecasts and evaluations are "
        "totalled separately, never added together.",
    )
    columns = (*SUMMARY_COLUMNS, Column("sheet", "Sheet", "text"))
    sheet.header(HEADER_ROW, columns)
    rows: dict[str, list[int]] = {"forecast": [], "evaluation": []}
    row = HEADER_ROW
    for row, (vm, at) in enumerate(zip(heads, cells, strict=True), start=HEADER_ROW + 1):
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
        sheet.label(total, 1, f"All {kind}s")
        for col in (6, 7):
            # SUMIF over the Kind column, not F4+F5+...: a formula of a pack of 2,500 maps
            # would pass Excel's limit of 8,192 characters (and the file would need repair).
            column = letter(col)
            kinds = f"$A${HEADER_ROW + 1}:$A${last}"
            body = f'SUMIF({kinds},"{kind}",{column}{HEADER_ROW + 1}:{column}{last})'
            sheet.formula(total, col, f"={body}", "money")
        sheet.formula(total, 8, f"=G{total}-F{total}", "money")
        sheet.formula(total, 9, f'=IF(F{total}=0,"",G{total}/F{total})', "ratio")
        total += 1
    return sheet.finish(HEADER_ROW, len(columns), last, first=True)


def _settings(sheet: Sheet, export: Export) -> tuple[SheetXml, dict[str, str]]:
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
    done = sheet.finish(HEADER_ROW, 2, HEADER_ROW + len(entries), first=False)
    names = {RATE: f"Settings!$B${HEADER_ROW + 3}", FIRST_YEAR: f"Settings!$B${HEADER_ROW + 4}"}
    return done, names


def _table(sheet: Sheet, table: Table) -> SheetXml:
    sheet.title(table.title, "")
    sheet.header(HEADER_ROW, table.columns)
    formulas = dict(table.formulas)
    letters = {c.key: letter(i) for i, c in enumerate(table.columns, start=1)}
    for row, values in enumerate(table.rows, start=HEADER_ROW + 1):
        cells = {key: f"{column}{row}" for key, column in letters.items()}
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            if column.key in formulas:
                sheet.formula(row, col, formulas[column.key].format(**cells), column.kind)
            else:
                sheet.put(row, col, value, column.kind, bool(formulas) and column.kind != "text")
    return sheet.finish(HEADER_ROW, len(table.columns), HEADER_ROW + len(table.rows), first=False)


def _core_properties(export: Export) -> bytes:
    """docProps/core.xml: title, author and the pack's date (never the clock's)."""
    when = export.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = (
        ("dc:title", export.title),
        ("dc:subject", "SROI value maps and social value figures"),
        ("dc:creator", export.organisation or "svqm"),
        ("dc:description", "Written by svqm export: the figures are live formulas."),
        ("cp:lastModifiedBy", f"svqm {__version__}"),
    )
    body = "".join(f"<{tag}>{xml_text(value)}</{tag}>" for tag, value in fields)
    dated = "".join(
        f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{when}</dcterms:{tag}>'
        for tag in ("created", "modified")
    )
    return (
        f'{XML_HEAD}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}{dated}</cp:coreProperties>"
    ).encode()


def _app_properties(company: str) -> bytes:
    """docProps/app.xml naming svqm and the organisation."""
    body = f"<Application>svqm {__version__}</Application>"
    if company:
        body = f"<Company>{escape(company)}</Company>{body}"
    return (
        f'{XML_HEAD}<Properties xmlns="{OFFICE}/extended-properties">{body}</Properties>'
    ).encode()


def _workbook(sheets: list[SheetXml], names: dict[str, str]) -> bytes:
    """xl/workbook.xml: the sheets in order, the named cells, each sheet's filter range and
    printed title rows, and recalculation on opening (the formulas carry no values)."""
    listed = "".join(
        f'<sheet name="{xml_attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    defined = [f'<definedName name="{n}">{xml_text(ref)}</definedName>' for n, ref in names.items()]
    for i, s in enumerate(sheets):
        quoted = xml_text("'" + s.name.replace("'", "''") + "'")
        defined.append(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{quoted}!{s.filter_ref}</definedName>"
        )
        defined.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{quoted}!{s.title_rows}</definedName>"
        )
    return (
        f'{XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{OFFICE}/relationships"><workbookPr/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets><definedNames>{''.join(defined)}</definedNames>"
        '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
    ).encode()


def _relationships(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(items, start=1)
    )
    return (
        f'{XML_HEAD}<Relationships xmlns="{PACKAGE}/relationships">{body}</Relationships>'.encode()
    )


def _content_types(count: int) -> bytes:
    parts = [
        ("/xl/workbook.xml", f"{MAIN}.sheet.main+xml"),
        ("/xl/styles.xml", f"{MAIN}.styles+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
        *((f"/xl/worksheets/sheet{i}.xml", f"{MAIN}.worksheet+xml") for i in range(1, count + 1)),
    ]
    body = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in parts)
    return (
        f'{XML_HEAD}<Types xmlns="{PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    ).encode()


class _Zip:
    """The workbook's zip: fixed timestamps and permissions, so the same pack gives the
    same bytes; each part is compressed as it is added and then let go."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.archive = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def add(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.archive.writestr(info, data, compresslevel=LEVEL)

    def close(self) -> bytes:
        self.archive.close()
        return self.buffer.getvalue()


def write(export: Export) -> dict[str, bytes]:
    """The workbook's bytes, under its file name. Each sheet is compressed into the zip as
    soon as it is written and then let go; the Summary, which refers to the value map
    sheets' cells, is written last (the zip's order is not the workbook's)."""
    tables = [t for t in (export.progress, export.commitments, export.lm3) if t is not None]
    fixed = ["Summary", "Settings"]
    names = sheet_names([*fixed, *map_ids(export.maps), *(t.name for t in tables)])
    styles = Styles(export.symbol)
    out = _Zip()
    placed: dict[int, SheetXml] = {}

    def add(position: int, sheet: SheetXml) -> None:
        out.add(f"xl/worksheets/sheet{position}.xml", sheet.xml)
        placed[position] = replace(sheet, xml=b"")

    settings, defined = _settings(Sheet(names[1], styles), export)
    add(2, settings)
    cells, heads = [], []
    for position, vm in enumerate(export.maps, start=3):
        where, done = write_map(Sheet(names[position - 1], styles), vm)
        cells.append(where)
        heads.append(head(vm))  # the outcome rows go with the sheet
        add(position, done)
    for position, table in enumerate(tables, start=3 + len(export.maps)):
        add(position, _table(Sheet(names[position - 1], styles), table))
    add(1, _summary(Sheet(names[0], styles), export, heads, cells))
    sheets = [placed[position] for position in sorted(placed)]
    out.add("xl/workbook.xml", _workbook(sheets, defined))
    out.add("xl/styles.xml", styles.xml())
    worksheet = f"{OFFICE}/relationships/worksheet"
    out.add(
        "xl/_rels/workbook.xml.rels",
        _relationships(
            [
                *((worksheet, f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)),
                (f"{OFFICE}/relationships/styles", "styles.xml"),
            ]
        ),
    )
    out.add("docProps/core.xml", _core_properties(export))
    out.add("docProps/app.xml", _app_properties(export.organisation))
    out.add(
        "_rels/.rels",
        _relationships(
            [
                (f"{OFFICE}/relationships/officeDocument", "xl/workbook.xml"),
                (f"{PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml"),
                (f"{OFFICE}/relationships/extended-properties", "docProps/app.xml"),
            ]
        ),
    )
    out.add("[Content_Types].xml", _content_types(len(sheets)))
    return {FILE_NAME: out.close()}
