"""The cells of the xlsx export, written as SpreadsheetML text: a worksheet's rows, its
column widths, frozen header, autofilter and print set-up, and the workbook's cell styles.

Why not openpyxl (which `svqm import` still reads with): it builds an object per cell and
styles each through a descriptor, which for a 10,000-outcome pack (some 400,000 cells) took
about 20 s of CPU and close to a gigabyte at 50,000 outcomes. Here a cell is one string,
and a sheet is turned into bytes as soon as it is done, so the export keeps one sheet at a
time (the figures are in the README's performance section).

Every text cell is an inline string (`t="inlineStr"`), never a formula; text a spreadsheet
would read as a formula when edited also gets Excel's quote prefix (a style flag). Formulas
are written without a cached value, and the workbook asks to be recalculated on opening.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.export.columns import Column
from svqm_cli.export.tables import FORMULA_STARTS

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAX_WIDTH = 60
FORMULA_WIDTH = len("£0,000,000.00") + 2
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (as it counts)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Fonts and fills of styles.xml, by index: fills 0 and 1 are the two Excel requires.
FONT_PLAIN, FONT_BOLD, FONT_TITLE = 0, 1, 2
FONTS = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>',
)
FILL_NONE, FILL_HEADER, FILL_INPUT = 0, 2, 3
FILLS = (
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9E2F3"/></patternFill></fill>',
    # the cells a reader may change
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/></patternFill></fill>',
)
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "0.00%": 10, "@": 49}


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


def letter(col: int) -> str:
    """Column 1 -> 'A', 27 -> 'AA'."""
    if col <= len(_LETTERS):
        return _LETTERS[col - 1]
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


_LETTERS = [chr(65 + i) for i in range(26)]
_LETTERS += [a + b for a in _LETTERS[:26] for b in _LETTERS[:26]]


def quote(name: str) -> str:
    """A sheet name as a formula names it."""
    return "'" + name.replace("'", "''") + "'"


def xml_text(value: str) -> str:
    """VALUE as XML character data: markup escaped, a carriage return kept as one, and
    characters XML cannot hold dropped."""
    if not value.isprintable() and _NOT_XML.search(value):  # isprintable: the fast, usual case
        value = _NOT_XML.sub("", value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def xml_attribute(value: str) -> str:
    return xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def number(value: Decimal) -> str:
    """A Decimal as the number a cell stores (spreadsheets calculate in binary doubles):
    whole numbers as integers, others as the nearest double."""
    if value == value.to_integral_value():
        return str(int(value))
    as_float = float(value)
    return repr(as_float) if math.isfinite(as_float) else str(int(value))


@dataclass(frozen=True)
class _Look:
    """One entry of cellXfs: a named style (by kind), a font, a fill, wrapping, quote."""

    kind: str | None
    input: bool = False
    font: int = FONT_PLAIN
    fill: int = FILL_NONE
    wrap: bool = False
    quoted: bool = False


class Styles:
    """A named cell style per kind of value (money, share, ...), plain or shaded as an
    input: Excel lists them under Cell Styles. Looks are numbered as first used, so the
    same pack gives the same styles.xml."""

    def __init__(self, symbol: str) -> None:
        self.fmt = formats(symbol)
        self.looks: dict[_Look, int] = {_Look(None): 0}
        self.named: dict[tuple[str, bool], int] = {}
        self.custom: dict[str, int] = {}
        self.cache: dict[tuple[str, bool, bool], int] = {}

    def index(self, look: _Look) -> int:
        found = self.looks.get(look)
        if found is None:
            found = self.looks[look] = len(self.looks)
            if look.kind is not None:
                self.named.setdefault((look.kind, look.input), len(self.named) + 1)
                self._format_id(self.fmt[look.kind])
        return found

    def of(self, kind: str, fill: bool, quoted: bool = False) -> int:
        """The style of a value of KIND, shaded as an input when FILL, with Excel's quote
        prefix when QUOTED. Plain text (kind 'text', no fill) has no named style."""
        key = (kind, fill, quoted)
        found = self.cache.get(key)
        if found is None:
            if kind == "text" and not fill:
                look = _Look(None, quoted=quoted)
            else:
                look = _Look(kind, fill, fill=FILL_INPUT if fill else FILL_NONE, quoted=quoted)
            found = self.cache[key] = self.index(look)
        return found

    def _format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        return self.custom.setdefault(code, 164 + len(self.custom))

    def xml(self) -> bytes:
        def xf(look: _Look, parent: int) -> str:
            fmt = self._format_id(self.fmt[look.kind]) if look.kind else 0
            flags = ' applyNumberFormat="1"' if fmt else ""
            flags += ' applyFont="1"' if look.font else ""
            flags += ' applyFill="1"' if look.fill else ""
            flags += ' quotePrefix="1"' if look.quoted else ""
            head = f'<xf numFmtId="{fmt}" fontId="{look.font}" fillId="{look.fill}" borderId="0"'
            if look.wrap:
                return (
                    f'{head} xfId="{parent}"{flags} applyAlignment="1">'
                    '<alignment vertical="top" wrapText="1"/></xf>'
                )
            return f'{head} xfId="{parent}"{flags}/>'

        named = sorted(self.named.items(), key=lambda item: item[1])
        style_xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>']
        names = ['<cellStyle name="Normal" xfId="0" builtinId="0"/>']
        for (kind, shaded), at in named:
            fill = FILL_INPUT if shaded else FILL_NONE
            fmt = self._format_id(self.fmt[kind])
            style_xfs.append(f'<xf numFmtId="{fmt}" fontId="0" fillId="{fill}" borderId="0"/>')
            label = f"svqm {kind}{' input' if shaded else ''}"
            names.append(f'<cellStyle name="{xml_attribute(label)}" xfId="{at}"/>')
        cell_xfs = [
            xf(look, self.named[(look.kind, look.input)] if look.kind else 0) for look in self.looks
        ]
        custom = "".join(
            f'<numFmt numFmtId="{at}" formatCode="{xml_attribute(code)}"/>'
            for code, at in self.custom.items()
        )
        if custom:  # an empty <numFmts> is left out
            custom = f'<numFmts count="{len(self.custom)}">{custom}</numFmts>'
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{MAIN_NS}">'
            f"{custom}"
            f'<fonts count="{len(FONTS)}">{"".join(FONTS)}</fonts>'
            f'<fills count="{len(FILLS)}">{"".join(FILLS)}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            f'<cellStyleXfs count="{len(style_xfs)}">{"".join(style_xfs)}</cellStyleXfs>'
            f'<cellXfs count="{len(cell_xfs)}">{"".join(cell_xfs)}</cellXfs>'
            f'<cellStyles count="{len(names)}">{"".join(names)}</cellStyles>'
            '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
        ).encode()


HEADER_LOOK = _Look(None, font=FONT_BOLD, fill=FILL_HEADER, wrap=True)
BOLD_LOOK = _Look(None, font=FONT_BOLD)
TITLE_LOOK = _Look(None, font=FONT_TITLE)


@dataclass(frozen=True)
class SheetXml:
    """A finished worksheet: its XML, and what workbook.xml says about it."""

    name: str
    xml: bytes
    filter_ref: str  # '$A$3:$K$6', the autofilter's range
    title_rows: str  # '$3:$3', the rows printed on every page


class Sheet:
    """One worksheet being written: cells are kept as XML text by row until `finish`."""

    def __init__(self, name: str, styles: Styles) -> None:
        self.name = name
        self.styles = styles
        self.rows: dict[int, list[tuple[int, str]]] = {}
        self.widths: dict[int, int] = {}
        self.last_col = 1

    def _add(self, row: int, col: int, body: str) -> None:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = []
        cells.append((col, body))
        if col > self.last_col:
            self.last_col = col

    def add_row(self, row: int, cells: list[str], last_col: int) -> None:
        """A whole row at once, its cells (from `cell` and `formula_cell`) in column order."""
        self.rows[row] = [(0, "".join(cells))]
        if last_col > self.last_col:
            self.last_col = last_col

    def text_cell(self, row: int, col: int, value: str, style: int = 0) -> str:
        """Text, never read as a formula."""
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        styled = f' s="{style}"' if style else ""
        self._fit(col, value)
        return (
            f'<c r="{letter(col)}{row}"{styled} t="inlineStr"><is><t{space}>'
            f"{xml_text(value)}</t></is></c>"
        )

    def text(self, row: int, col: int, value: str, style: int = 0) -> None:
        self._add(row, col, self.text_cell(row, col, value, style))

    def cell(self, row: int, col: int, value: Any, kind: str = "text", fill: bool = False) -> str:
        """A value of KIND (its number format), shaded when FILL (a cell the reader may
        change), as XML; None gives an empty cell, '' when it is not shaded either."""
        if value == "":  # an empty cell, as openpyxl wrote it (a blank, not a text of '')
            style = self.styles.of(kind, fill) if fill or kind != "text" else 0
            return f'<c r="{letter(col)}{row}" s="{style}"/>' if style else ""
        if isinstance(value, str):
            quoted = value.startswith(FORMULA_STARTS)
            if fill or kind != "text" or quoted:
                return self.text_cell(row, col, value, self.styles.of(kind, fill, quoted))
            return self.text_cell(row, col, value)
        style = self.styles.of(kind, fill) if fill or value is not None else 0
        styled = f' s="{style}"' if style else ""
        ref = f"{letter(col)}{row}"
        if isinstance(value, Decimal):
            if not value.is_finite():  # no cell number can hold it: shown, as text
                return self.text_cell(row, col, str(value), style)
            self._fit(col, f"{value:,.2f}")
            return f'<c r="{ref}"{styled}><v>{number(value)}</v></c>'
        if isinstance(value, bool):
            self._fit(col, f"{value}xxx")
            return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            self._fit(col, f"{value}xxx")
            return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
        if isinstance(value, dt.date):
            self._fit(col, f"{value}xxx")
            day = value.date() if isinstance(value, dt.datetime) else value
            return f'<c r="{ref}"{styled}><v>{(day - EXCEL_EPOCH).days}</v></c>'
        return f'<c r="{ref}"{styled}/>' if style else ""

    def put(self, row: int, col: int, value: Any, kind: str = "text", fill: bool = False) -> None:
        body = self.cell(row, col, value, kind, fill)
        if body:
            self._add(row, col, body)

    def formula_cell(self, row: int, col: int, formula: str, kind: str) -> str:
        """A formula ('=...') in the number format of KIND, with no cached value."""
        style = self.styles.of(kind, False)
        body = xml_text(formula[1:] if formula.startswith("=") else formula)
        if self.widths.get(col, 0) < FORMULA_WIDTH:
            self.widths[col] = FORMULA_WIDTH
        return f'<c r="{letter(col)}{row}" s="{style}"><f>{body}</f></c>'

    def formula(self, row: int, col: int, formula: str, kind: str) -> None:
        self._add(row, col, self.formula_cell(row, col, formula, kind))

    def label(self, row: int, col: int, value: str) -> None:
        """Bold text: a total's or a block's name."""
        self.text(row, col, value, self.styles.index(BOLD_LOOK))

    def header(self, row: int, columns: Iterable[Column], first: int = 1) -> None:
        style = self.styles.index(HEADER_LOOK)
        for col, column in enumerate(columns, start=first):
            self.text(row, col, column.header, style)

    def title(self, text: str, note: str) -> None:
        self.text(1, 1, text, self.styles.index(TITLE_LOOK))
        if note:
            self.text(2, 1, note)
        self.widths.pop(1, None)  # titles run across the columns: they set no width

    def _fit(self, col: int, text: str) -> None:
        if self.widths.get(col, 8) >= MAX_WIDTH:
            return
        longest = max(len(part) for part in text.split("\n")) if "\n" in text else len(text)
        width = min(longest + 2, MAX_WIDTH)
        if width > self.widths.get(col, 0):
            self.widths[col] = max(width, 8)  # Excel's own width at the least

    def finish(self, header_row: int, last_col: int, last_row: int, first: bool) -> SheetXml:
        """The sheet as XML: column widths that fit, the header frozen, an autofilter on the
        table, printed landscape one page wide with the header row on every page."""
        end = f"{letter(last_col)}{max(last_row, header_row)}"
        rows = sorted(self.rows)
        last = rows[-1] if rows else 1
        cols = "".join(
            f'<col min="{col}" max="{col}" width="{min(width, MAX_WIDTH)}" customWidth="1"/>'
            for col, width in sorted(self.widths.items())
        )
        data = []
        for number_ in rows:
            cells = self.rows[number_]
            cells.sort(key=lambda cell: cell[0])
            data.append(f'<row r="{number_}">{"".join(body for _, body in cells)}</row>')
        top = f"A{header_row + 1}"
        selected = ' tabSelected="1"' if first else ""
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{letter(max(self.last_col, last_col))}{last}"/>'
            f'<sheetViews><sheetView{selected} workbookViewId="0">'
            f'<pane ySplit="{header_row}" topLeftCell="{top}" activePane="bottomLeft" '
            'state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}"
            f"<sheetData>{''.join(data)}</sheetData>"
            f'<autoFilter ref="A{header_row}:{end}"/>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
            'footer="0.5"/>'
            '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>"
        ).encode()
        self.rows.clear()
        dollar_end = f"${letter(last_col)}${max(last_row, header_row)}"
        return SheetXml(
            self.name, xml, f"$A${header_row}:{dollar_end}", f"${header_row}:${header_row}"
        )
