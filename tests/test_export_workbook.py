"""Issue 16: the xlsx export written as SpreadsheetML text, a sheet at a time. A generated
pack of many maps gives a well-formed package (every part listed and parsed), the same
bytes twice, one formula row per outcome, the Summary's kind totals within Excel's formula
length; text that XML or a spreadsheet would misread stays the text the pack holds."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from svqm_cli.export import EXPORTERS
from svqm_cli.export.columns import Column, Table
from svqm_cli.export.tables import Export
from tests.conftest import Run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAPS, OUTCOMES = 12, 7


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workbook") / "pack"
    generate(root, documents=MAPS, outcomes=OUTCOMES, flagged_every=4)
    return root


def _export(run: Run, pack: Path, target: Path) -> bytes:
    result = run("export", pack, "--output", target)
    assert result.returncode == 0, result.stdout + result.stderr
    return target.read_bytes()


def test_generated_pack_same_bytes_and_well_formed(
    run: Run, generated: Path, tmp_path: Path
) -> None:
    first = _export(run, generated, tmp_path / "a.xlsx")
    assert first == _export(run, generated, tmp_path / "b.xlsx")
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert len(names) == len(set(names))
    parts = {name: ET.fromstring(archive.read(name)) for name in names}  # each part parses
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    types = parts["[Content_Types].xml"]
    overridden = {e.get("PartName") for e in types if e.get("PartName")}
    assert overridden == {f"/{n}" for n in names if not n.endswith(".rels") and "[" not in n}
    sheets = [n for n in names if n.startswith("xl/worksheets/")]
    assert len(sheets) == 2 + MAPS + 1  # Summary, Settings, the maps, Progress
    workbook = parts["xl/workbook.xml"]
    defined = [
        (d.get("name"), d.get("localSheetId"), d.text) for d in workbook.iter(f"{MAIN}definedName")
    ]
    assert ("discount_rate", None, "Settings!$B$6") in defined
    titles = [d for d in defined if d[0] == "_xlnm.Print_Titles"]
    assert [d[1] for d in titles] == [str(i) for i in range(len(sheets))]
    assert all(d[2].endswith("!$3:$3") for d in titles)
    styles = parts["xl/styles.xml"]
    named = {s.get("name") for s in styles.iter(f"{MAIN}cellStyle")}
    assert {"Normal", "svqm money", "svqm money input", "svqm share input"} <= named
    xfs = list(next(styles.iter(f"{MAIN}cellXfs")))
    assert int(next(styles.iter(f"{MAIN}cellXfs")).get("count")) == len(xfs)
    for sheet in sheets:
        root = parts[sheet]
        rows = [int(r.get("r")) for r in root.iter(f"{MAIN}row")]
        assert rows == sorted(set(rows)), sheet
        for formula in root.iter(f"{MAIN}f"):
            assert len(formula.text or "") < 8192  # Excel's limit, or the file needs repair
        for c in root.iter(f"{MAIN}c"):
            assert int(c.get("s", "0")) < len(xfs)
            assert c.find(f"{MAIN}v") is None or c.find(f"{MAIN}f") is None  # no cached values


def test_one_formula_row_per_outcome_and_kind_totals(
    run: Run, generated: Path, tmp_path: Path
) -> None:
    figures = json.loads(run("value", generated, "--format", "json").stdout)
    book = openpyxl.load_workbook(io.BytesIO(_export(run, generated, tmp_path / "v.xlsx")))
    summary = book["Summary"]
    listed = {r[1]: r for r in summary.iter_rows(min_row=4, values_only=True) if r[1]}
    for m in figures["impact_maps"]:
        sheet = book[listed[m["id"]][10]]
        assert sheet.freeze_panes == "A4"
        assert (
            sheet.auto_filter.ref
            == f"A3:{sheet.cell(3, sheet.max_column).column_letter}{3 + OUTCOMES}"
        )
        header = [c.value for c in sheet[3]]
        ids = header.index("Outcome id")
        rows = [r for r in sheet.iter_rows(min_row=4, max_row=3 + OUTCOMES) if r[ids].value]
        assert [r[ids].value for r in rows] == [o["id"] for o in m["outcomes"]]
        for row in rows:
            impact = row[header.index("Impact (year 1)")].value
            assert impact.startswith(("=F", "=-(F")) and f"{row[0].row}*" in impact
            assert row[header.index("Total present value")].value.startswith("=SUM(")
            assert row[header.index("Deadweight")].fill.fgColor.rgb.endswith("FFF2CC")
        widths = sheet.column_dimensions
        assert (
            widths["A"].width >= 8 and widths["T"].width == 15
        )  # "Year 1 value": the formulas set it
    labels = {r[0].value: r for r in summary.iter_rows(min_row=4) if r[0].value}
    last = 3 + MAPS
    for kind in ("forecast", "evaluation"):
        present = labels[f"All {kind}s"][6].value
        assert present == f'=SUMIF($A$4:$A${last},"{kind}",G4:G{last})'


def _table_export(texts: list[str]) -> Export:
    columns = (Column("text", "Text", "text"), Column("value", "Value", "money"))
    rows = tuple((text, Decimal("1.5")) for text in texts)
    return Export(
        organisation="Lakeside & Co <Trust>",
        title="Social value figures: Lakeside & Co <Trust>",
        currency="GBP",
        discount_rate=Decimal("0.035"),
        discount_first_year=False,
        date=dt.datetime(2025, 4, 1),
        maps=(),
        progress=Table("Progress", "Pledge progress", columns, rows),
        commitments=None,
        lm3=None,
    )


def test_text_that_xml_or_a_spreadsheet_would_misread() -> None:
    texts = [
        "Fish & chips <small>",
        "  leading and trailing  ",
        "two\nlines",
        "carriage\rreturn",
        "=1+1",
        "@SUM(A1)",
        "#N/A",
        "£1,200 “quoted”",
        "",
    ]
    book_bytes = EXPORTERS["xlsx"](_table_export([*texts, "bell\x07 and NUL\x00 dropped"]))[
        "values.xlsx"
    ]
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    sheet = book["Progress"]
    got = [sheet.cell(row, 1) for row in range(4, 4 + len(texts) + 1)]
    assert [c.value for c in got[:-2]] == texts[:-1]
    assert got[-2].value is None  # an empty text is an empty cell
    assert got[-1].value == "bell and NUL dropped"
    for c in got[:-2]:
        assert c.data_type == "s"
        assert c.quotePrefix == c.value.startswith(("=", "@"))
    assert sheet["B4"].value == 1.5 and sheet["B4"].number_format.startswith('"£"#,##0.00')
    settings = book["Settings"]
    assert settings["B4"].value == "Lakeside & Co <Trust>"
    assert settings["B7"].value is False and settings["B6"].number_format == "0.00%"
    assert book.properties.creator == "Lakeside & Co <Trust>"
    assert book.properties.created == dt.datetime(2025, 4, 1)
    with zipfile.ZipFile(io.BytesIO(book_bytes)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet3.xml").decode()
    assert '<t xml:space="preserve">  leading and trailing  </t>' in sheet_xml
    assert re.search(r"carriage&#13;return", sheet_xml)


def test_numbers_as_cells_store_them() -> None:
    export = _table_export(["whole", "fraction", "not a number", "unbounded"])
    rows = export.progress.rows if export.progress else ()
    values = (Decimal("1200"), Decimal("0.1"), Decimal("NaN"), Decimal("-Infinity"))
    table = Table(
        "Progress",
        "Pledge progress",
        export.progress.columns if export.progress else (),
        tuple((row[0], value) for row, value in zip(rows, values, strict=True)),
    )
    book_bytes = EXPORTERS["xlsx"](replace(export, progress=table))["values.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(book_bytes))["Progress"]
    assert [sheet.cell(row, 2).value for row in range(4, 8)] == [1200, 0.1, "NaN", "-Infinity"]
    assert isinstance(sheet["B4"].value, int) and sheet["B6"].data_type == "s"
