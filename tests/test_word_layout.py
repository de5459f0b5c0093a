"""How the Word report lays out tables: widths from content, landscape when too wide, split
when wider still; and how fast a big table is built."""

from __future__ import annotations

import time

from svqm_cli.render.word import layout, page, parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MONEY = "£40,122.29"


def _document():  # type: ignore[no-untyped-def]
    from docx import Document

    doc = Document()
    page.setup(doc)
    return doc


def _orientations(doc) -> list[bool]:  # type: ignore[no-untyped-def]
    return [parts.is_landscape(s) for s in doc.element.body.iter(f"{W}sectPr")]


def test_no_column_is_narrower_than_its_longest_token() -> None:
    header = ["Outcome", "Stakeholder", "Present value"]
    rows = [["People at higher risk of falls", "Residents", MONEY]] * 3
    plan = layout.plan(header, rows)
    assert not plan.landscape and plan.groups == [[0, 1, 2]]
    widths = plan.widths[0]
    assert sum(widths) == layout.PORTRAIT_TEXT
    for column, width in enumerate(widths):
        tokens = [t for r in [header, *rows] for t in str(r[column]).split()]
        room = width - 2 * layout.CELL_PADDING
        assert all(layout.text_width(t, plan.size, bold=True) <= room for t in tokens)


def test_widths_share_what_is_left_in_proportion() -> None:
    needs = [layout.ColumnNeeds(1000, 1000), layout.ColumnNeeds(1000, 9000)]
    assert layout.widths(needs, 6000) == [1000, 5000]  # the first has all it wants
    assert layout.widths(needs, 20000) == [2000, 18000]  # spare shared by what each wants


def test_many_columns_of_long_text_go_landscape_and_wider_still_is_split() -> None:
    header = [f"Column heading {i}" for i in range(9)]
    long_rows = [[f"a long description of outcome {i} for the map" for i in range(9)]]
    assert layout.plan(header, long_rows).landscape
    tokens = [["Supercalifragilisticexpialidocious"] * 14]
    split = layout.plan([f"H{i}" for i in range(14)], tokens)
    assert split.landscape and len(split.groups) > 1
    assert all(g[0] == 0 for g in split.groups)  # the first column repeats in each part
    assert sorted({c for g in split.groups for c in g}) == list(range(14))
    assert all(sum(w) == layout.LANDSCAPE_TEXT for w in split.widths)
    huge = layout.plan(["Link", "Note"], [["https://example.org/" + "x" * 400, "short"]])
    assert huge.landscape and huge.groups == [[0, 1]]  # splitting would not help


def test_a_wide_table_takes_its_heading_into_a_landscape_section() -> None:
    doc = _document()
    doc.add_paragraph("Before")
    doc.add_heading("The wide one", 2)
    wide = [f"Column heading {i}" for i in range(9)]
    parts.table(doc, wide, [[f"a long description number {i}" for i in range(9)]], {1})
    doc.add_heading("Another wide one", 2)
    parts.table(doc, wide, [[f"a long description number {i}" for i in range(9)]], {1})
    doc.add_paragraph("After")
    # portrait (Before), landscape (both headings and both tables), portrait (After)
    assert _orientations(doc) == [False, True, False]
    body = list(doc.element.body)
    first_break = next(i for i, e in enumerate(body) if parts.section_break(e) is not None)
    assert "".join(t.text for t in body[first_break + 1].iter(f"{W}t")) == "The wide one"
    first = doc.element.body.find(f"{W}tbl")
    cells = first.findall(f"{W}tr")[1].findall(f"{W}tc")
    assert cells[1].find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") == "right"
    assert cells[0].find(f"{W}p/{W}pPr/{W}jc") is None


def test_a_short_portrait_stretch_between_landscape_tables_joins_them() -> None:
    doc = _document()
    wide = [f"Column heading {i}" for i in range(9)]
    row = [[f"a long description number {i}" for i in range(9)]]
    doc.add_paragraph("Start")
    parts.table(doc, wide, row, set())
    doc.add_paragraph("A short note between the tables")
    parts.table(doc, ["A", "B"], [["1", "2"]], {1})
    parts.table(doc, wide, row, set())
    doc.add_paragraph("End")
    assert _orientations(doc) == [False, True, False, True, False]
    page.tidy_sections(doc)
    assert _orientations(doc) == [False, True]  # the end is short too: it stays landscape


def test_text_that_xml_cannot_hold_is_dropped_not_fatal() -> None:
    doc = _document()
    parts.table(doc, ["A & B", "<C>"], [["x\x01y", "line 1\nline 2"]], set())
    table = doc.tables[-1]
    assert table.rows[0].cells[0].text == "A & B" and table.rows[1].cells[0].text == "xy"
    assert table.rows[1].cells[1].text == "line 1\nline 2"


def test_a_ten_thousand_row_table_is_built_in_bulk() -> None:
    """Cell-by-cell python-docx took about 0.8 ms a cell: the bulk table is measured against
    it on the same machine, so that a busy machine does not fail the test."""
    header = ["Outcome", "Who", "Qty", "Proxy", "Adjust", "Years", "PV"]
    rows = [
        [f"Outcome {i}", "Residents", "1,400", MONEY, "25% / 0%", "2", MONEY] for i in range(10_000)
    ]
    doc = _document()
    start = time.perf_counter()
    slow = doc.add_table(rows=0, cols=len(header))
    for row in rows[:300]:
        cells = slow.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    per_cell = (time.perf_counter() - start) / (300 * len(header))
    start = time.perf_counter()
    parts.table(doc, header, rows, {2, 6})
    bulk = time.perf_counter() - start
    assert bulk < per_cell * len(rows) * len(header) / 4, (bulk, per_cell)
    assert len(doc.element.body.findall(f"{W}tbl")[-1].findall(f"{W}tr")) == 10_001
