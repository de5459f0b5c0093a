"""How the Word report lays out tables: widths from content, landscape when too wide, split
when wider still; and how a big table's rows are kept as text until the document is saved."""

from __future__ import annotations

from typing import Any

from lxml import etree

from svqm_cli.render.word import layout, page, parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MONEY = "£40,122.29"


def _document():  # type: ignore[no-untyped-def]
    from docx import Document

    doc = Document()
    page.setup(doc)
    return doc


def _saved(doc: Any) -> Any:
    """The document's body as it is written to the file, deferred rows in place."""
    return etree.fromstring(parts.document_xml(doc)).find(f"{W}body")


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
    first = _saved(doc).find(f"{W}tbl")
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
    rows = _saved(doc).findall(f"{W}tbl")[-1].findall(f"{W}tr")

    def text(cell: Any) -> str:
        return "".join(t.text or "" for t in cell.iter(f"{W}t"))

    head, body = rows[0].findall(f"{W}tc"), rows[1].findall(f"{W}tc")
    assert text(head[0]) == "A & B" and text(body[0]) == "xy"
    assert len(body[1].findall(f".//{W}br")) == 1  # the line break is kept
    assert text(body[1]) == "line 1line 2"


def test_a_ten_thousand_row_table_is_kept_as_text_until_saved() -> None:
    """The rows are not lxml elements while the document is built (they took 700 MB for a
    10,000-outcome report), nor is the header: saving writes every row in place."""
    header = ["Outcome", "Who", "Qty", "Proxy", "Adjust", "Years", "PV"]
    rows = [
        [f"Outcome {i}", "Residents", "1,400", MONEY, "25% / 0%", "2", MONEY] for i in range(10_000)
    ]
    doc = _document()
    parts.table(doc, header, rows, {2, 6})
    parts.table(doc, ["A", "B"], [["one", "1"]], {1})
    built = doc.element.body.findall(f"{W}tbl")
    assert [len(t.findall(f"{W}tr")) for t in built] == [0, 0]
    assert [page._weight(t) for t in built] == [10_001, 2]  # rows still count on the page
    saved = _saved(doc).findall(f"{W}tbl")
    assert [len(t.findall(f"{W}tr")) for t in saved] == [10_001, 2]
    last = saved[0].findall(f"{W}tr")[-1]
    assert "".join(t.text or "" for t in last.iter(f"{W}t")).startswith("Outcome 9999")
    assert b"svqm-xml" not in parts.document_xml(doc)


def test_a_line_under_the_heading_of_a_wide_table_goes_with_it() -> None:
    doc = _document()
    doc.add_paragraph("Before")
    doc.add_heading("Measured against its forecast", 2)
    doc.add_paragraph("SROI ratio: forecast £1.65 : £1, measured £1.47 : £1.")
    wide = [f"Column heading {i}" for i in range(9)]
    parts.table(doc, wide, [[f"a long description number {i}" for i in range(9)]], {1})
    body = list(doc.element.body)
    first_break = next(i for i, e in enumerate(body) if parts.section_break(e) is not None)
    texts = ["".join(t.text or "" for t in e.iter(f"{W}t")) for e in body]
    assert texts[first_break - 1] == "Before"  # the portrait section ends here
    assert texts[first_break + 1] == "Measured against its forecast"


def test_a_short_opening_under_a_heading_goes_with_the_wide_table_after_it() -> None:
    """An impact map's heading, its small table of figures and its likely range go onto the
    landscape page of its outcome table, not left at the foot of the portrait page before."""
    doc = _document()
    doc.add_paragraph("The end of the map before, " * 30)
    doc.add_heading("Service 2 (forecast)", 2)
    parts.table(doc, ["Inputs", "Present value"], [["£120,194", "£636,014"]], {0, 1})
    doc.add_paragraph("Likely range of the SROI ratio: £5.26 to £5.35 : £1.")
    wide = [f"Column heading {i}" for i in range(9)]
    parts.table(doc, wide, [[f"a long description number {i}" for i in range(9)]], {1})
    body = list(doc.element.body)
    first_break = next(i for i, e in enumerate(body) if parts.section_break(e) is not None)
    texts = ["".join(t.text or "" for t in e.iter(f"{W}t")) for e in body]
    assert texts[first_break - 1].startswith("The end of the map before")
    assert texts[first_break + 1] == "Service 2 (forecast)"
    # a long stretch under a heading stays where it is: only the headings move
    doc = _document()
    doc.add_heading("Sensitivity", 2)
    parts.table(doc, ["Change", "Ratio"], [["Deadweight", "£1.20 : £1"]] * 20, {1})
    parts.table(doc, wide, [[f"a long description number {i}" for i in range(9)]], {1})
    body = list(doc.element.body)
    first_break = next(i for i, e in enumerate(body) if parts.section_break(e) is not None)
    assert body[first_break - 1].tag == f"{W}tbl"  # the break comes after the 20-row table


def test_a_kept_table_stays_on_the_page_of_what_follows() -> None:
    doc = _document()
    parts.table(doc, ["Inputs", "SROI ratio"], [["£120,194", "£5.29 : £1"]], {0, 1}, keep=True)
    parts.table(doc, ["Inputs", "SROI ratio"], [["£120,194", "£5.29 : £1"]], {0, 1})
    saved = _saved(doc)
    kept, plain = saved.findall(f"{W}tbl")
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in kept.iter(f"{W}p"))
    assert kept.getnext().find(f"{W}pPr/{W}keepNext") is not None  # its spacer too
    body_rows = plain.findall(f"{W}tr")[1:]  # the header row is always kept with the body
    assert all(p.find(f"{W}pPr/{W}keepNext") is None for r in body_rows for p in r.iter(f"{W}p"))
