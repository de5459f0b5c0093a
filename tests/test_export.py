"""`svqm export`: the workbook's formulas give svqm's figures, text stays text, the same
pack gives the same bytes, and the CSV tables hold the same figures as values."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from svqm_cli.export.sheets import sheet_names
from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, variant_pack, write_pack

MAP_EXAMPLES = [e for e in EXAMPLES if not e.name.startswith("level-1-")]
HOSTILE = (
    '=HYPERLINK("https://example.com","click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tcmd|' /C calc'!A0",
    "#N/A",
)


def _export(run: Run, pack: Path, target: Path, *extra: str) -> Path:
    result = run("export", pack, "--output", target, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def _value(run: Run, pack: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(run("value", pack, "--format", "json").stdout)


def _recalculate(soffice: str, books: list[Path], tmp_path: Path) -> Path:
    """LibreOffice opens each workbook, computes every formula and saves the results."""
    out = tmp_path / "recalculated"
    profile = tmp_path / "lo-profile"  # its own profile: other soffice runs may be going
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, books),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return out


def _cents(value: object, places: int = 2) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def _edited(run: Run, tmp_path: Path) -> tuple[Path, Path]:
    """An assessor's change made in the workbook (a deadweight and the discount rate), and
    the same change made in the pack: the recalculated workbook must follow."""
    pack = tmp_path / "edited"
    shutil.copytree(next(e for e in MAP_EXAMPLES if e.name.startswith("level-2-")), pack)
    book_path = _export(run, pack, tmp_path / "edited.xlsx")
    book = openpyxl.load_workbook(book_path)
    assert book["outreach-2024"]["N4"].value == 0.25  # the deadweight
    book["outreach-2024"]["N4"] = 0.5
    book["Settings"]["B6"] = 0.05
    book.save(book_path)
    forecast = pack / "forecast-outreach.yaml"
    forecast.write_text(forecast.read_text().replace("deadweight: 0.25", "deadweight: 0.50", 1))
    config = pack / "svqm.yaml"
    config.write_text(config.read_text().replace("discount_rate: 0.035", "discount_rate: 0.05"))
    assert "deadweight: 0.50" in forecast.read_text()
    assert "discount_rate: 0.05" in config.read_text()
    return pack, book_path


def test_libreoffice_recalculates_svqm_figures(run: Run, soffice: str, tmp_path: Path) -> None:
    """Every PV, NPV and ratio of the recalculated workbook equals `svqm value` (the
    workbook holds no cached values: LibreOffice computes them from the formulas)."""
    packs = [*MAP_EXAMPLES, variant_pack(tmp_path)]
    books = [_export(run, p, tmp_path / f"{p.name}.xlsx") for p in packs]
    edited_pack, edited_book = _edited(run, tmp_path)
    packs.append(edited_pack)
    books.append(edited_book)
    out = _recalculate(soffice, books, tmp_path)
    checked = negatives = 0
    for pack, book in zip(packs, books, strict=True):
        cached = re.findall(r"</f><v>[^<]+</v>", _sheet_xml(book))
        assert not cached, "the export must not carry cached values of formulas"
        figures = _value(run, pack)
        workbook = openpyxl.load_workbook(out / book.name, data_only=True)
        rows_of_summary = list(workbook["Summary"].iter_rows(min_row=4, values_only=True))
        summary = {r[1]: r for r in rows_of_summary if r[1]}
        for m in figures["impact_maps"]:
            row = summary[m["id"]]
            assert _cents(row[5]) == _cents(m["inputs_total"])
            assert _cents(row[6]) == _cents(m["present_value"]), m["id"]
            assert _cents(row[7]) == _cents(m["net_present_value"]), m["id"]
            assert _cents(row[8], 4) == _cents(m["sroi_ratio"], 4), m["id"]
            assert _cents(row[9], 1) == _cents(m["payback_months"], 1), m["id"]
            sheet = workbook[row[10]]
            header = [c.value for c in sheet[3]]
            pv = header.index("Total present value")
            ids = header.index("Outcome id")
            rows = {r[ids]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[ids]}
            for outcome in m["outcomes"]:
                got = rows[outcome["id"]]
                assert _cents(got[pv]) == _cents(outcome["present_value"]), outcome["id"]
                assert _cents(got[header.index("Impact (year 1)")]) == _cents(
                    outcome["impact_year_1"]
                )
                checked += 1
                if outcome["negative"]:  # spec §5.1: subtracted by the sheet's own formula
                    assert got[header.index("Negative outcome")] == "yes"
                    assert outcome["present_value"] < 0
                    negatives += 1
        for kind in ("forecast", "evaluation"):
            total = figures["totals"][kind]
            label = f"All {kind}s"
            found = [r for r in rows_of_summary if r[0] == label]
            assert bool(found) == (total is not None)
            if total:
                assert _cents(found[0][6]) == _cents(total["present_value"])
                assert _cents(found[0][8], 4) == _cents(total["sroi_ratio"], 4)
        for lm3 in figures.get("lm3", []):
            (row,) = [
                r
                for r in workbook["LM3"].iter_rows(min_row=4, values_only=True)
                if r[0] == lm3["id"]
            ]
            assert _cents(row[6], 4) == _cents(lm3["lm3"], 4)
            assert _cents(row[7], 4) == _cents(lm3["local_share"], 4)
            checked += 1
        for c in figures.get("commitments", []):
            sheet = workbook["Commitments"]
            header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Contract")
            (row,) = [r for r in sheet.iter_rows(values_only=True) if r[2] == c["id"]]
            for key, column in (
                ("value_committed", "Value committed"),
                ("value_delivered", "Value delivered"),
            ):
                got = row[header.index(column)]
                assert (got in (None, "")) if c[key] is None else _cents(got) == _cents(c[key])
            checked += 1
    assert checked > 20
    assert negatives >= 2  # the Level 3 and Level 4 examples each have one


def test_negative_outcome_formula_is_visible(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-3-"))
    book = openpyxl.load_workbook(_export(run, pack, tmp_path / "v.xlsx"))
    sheet = book["local-employment-2024"]
    header = [c.value for c in sheet[3]]
    rows = {r[header.index("Outcome id")].value: r for r in sheet.iter_rows(min_row=4)}
    negative = rows["commuting-emissions"]
    sign = negative[header.index("Negative outcome")]
    assert sign.value == "yes"
    impact = negative[header.index("Impact (year 1)")].value
    assert impact.startswith("=-(F") and impact.endswith(")"), impact
    plain = rows["local-jobs"]
    assert plain[header.index("Negative outcome")].value in (None, "")
    assert plain[header.index("Impact (year 1)")].value.startswith("=F")


def _sheet_xml(book: Path) -> str:
    with zipfile.ZipFile(book) as archive:
        return "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


def test_cells_hold_formulas(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-3-"))
    book = openpyxl.load_workbook(_export(run, pack, tmp_path / "v.xlsx"))
    assert book.sheetnames[:2] == ["Summary", "Settings"]
    assert str(book.defined_names["discount_rate"].attr_text) == "Settings!$B$6"
    sheet = book["housing-evaluation-2024"]
    header = [c.value for c in sheet[3]]
    assert header[:19] == [
        "Stakeholder",
        "Outputs",
        "Outcome",
        "Indicator",
        "Source",
        "Quantity",
        "Duration (years)",
        "Start (1 or 2)",
        "Financial proxy",
        "Proxy value",
        "Price year",
        "Uprating to base year",
        "Proxy source",
        "Deadweight",
        "Displacement",
        "Attribution",
        "Leakage",
        "Drop-off",
        "Impact (year 1)",
    ]
    row = [c.value for c in sheet[4]]
    assert row[18] == "=F4*J4*L4*(1-N4)*(1-O4)*(1-P4)*(1-Q4)"
    assert row[19] == "=S4"
    assert row[20] == "=IF(2<=$G4,T4*(1-$R4),0)"
    pv1 = header.index("Year 1 present value")
    assert row[pv1].startswith("=T4/(1+discount_rate)^(1+IF($H4=2,1,0)-IF(discount_first_year")
    assert row[header.index("Total present value")].startswith("=SUM(")
    labels = {r[0].value: r[2].value for r in sheet.iter_rows(min_row=5) if r[0].value}
    assert labels["Net present value"].startswith("=C")
    assert labels["SROI ratio"].startswith("=IF(C")
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    assert sheet["J4"].number_format.startswith('"£"#,##0.00')
    assert sheet["N4"].number_format == "0.0%"
    # a proxy in 2022 prices: written value, its year, and the uprating as a live factor
    employment = book["local-employment-2024"]
    cols = {c.value: c.column_letter for c in employment[3]}
    placement = next(
        r for r in employment.iter_rows(min_row=4) if r[2].value and "Student" in r[2].value
    )
    by = {employment.cell(row=3, column=c.column).value: c.value for c in placement}
    assert by["Proxy value"] == 900 and by["Price year"] == 2022
    assert abs(by["Uprating to base year"] - 121.0 / 110.3) < 1e-12
    assert by["Leakage"] == 0 and cols["Leakage"] == "Q"
    assert book.properties.title.startswith("Social value figures: ")
    assert all(len(n) <= 31 for n in book.sheetnames)


def _hostile_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "hostile"
    shutil.copytree(next(e for e in EXAMPLES if e.name.startswith("level-2-")), pack)
    pledges = pack / "pledges.yaml"
    pledges.write_text(
        pledges.read_text().replace(
            "title: Pop-up clinics in community settings", f"title: {json.dumps(HOSTILE[0])}"
        )
    )
    forecast = pack / "forecast-outreach.yaml"
    text = forecast.read_text()
    for old, new in zip(
        (
            "Earlier diagnosis and treatment of STIs",
            "People at higher risk protected from HIV",
            "Young people feel confident to seek sexual health help",
            "Volunteers gain skills and confidence",
            "Fewer attendances at the main clinic for routine tests",
        ),
        HOSTILE[1:],
        strict=True,
    ):
        text = text.replace(f"description: {old}", f"description: {json.dumps(new)}")
    forecast.write_text(text)
    return pack


def test_hostile_text_stays_text(run: Run, tmp_path: Path) -> None:
    pack = _hostile_pack(tmp_path)
    book = openpyxl.load_workbook(_export(run, pack, tmp_path / "h.xlsx"))
    found = {
        c.value: c
        for ws in book.worksheets
        for r in ws.iter_rows()
        for c in r
        if c.value in HOSTILE
    }
    assert set(found) == set(HOSTILE)
    for value, cell in found.items():
        assert cell.data_type == "s", value
        assert cell.quotePrefix == value.startswith(("=", "+", "-", "@", "\t"))
    folder = _export(run, pack, tmp_path / "csv", "--format", "csv")
    texts = "".join(p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv"))
    for value in HOSTILE:
        expected = value if value.startswith("#") else "'" + value
        assert expected.replace('"', '""') in texts, value


def test_same_pack_same_bytes(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-4-"))
    first = _export(run, pack, tmp_path / "a.xlsx").read_bytes()
    second = _export(run, pack, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2025-04-01T00:00:00Z" in core
        assert "NHS" in archive.read("docProps/app.xml").decode()  # the organisation
    a = _export(run, pack, tmp_path / "c1", "--format", "csv")
    b = _export(run, pack, tmp_path / "c2", "--format", "csv")
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes()


def test_csv_tables_hold_the_figures(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-4-"))
    folder = _export(run, pack, tmp_path / "csv", "--format", "csv")
    names = sorted(p.name for p in folder.iterdir())
    assert {"summary.csv", "settings.csv", "inputs.csv", "progress.csv", "lm3.csv"} <= set(names)
    raw = (folder / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    figures = _value(run, pack)
    text = raw.decode("utf-8-sig")
    for m in figures["impact_maps"]:
        assert f"{m['present_value']:.2f}" in text
        assert f"{m['sroi_ratio']:.4f}" in text
    again = run("export", pack, "--output", folder, "--format", "csv")
    assert again.returncode == 0  # an earlier export is replaced whole
    (folder / "notes.txt").write_text("mine")
    refused = run("export", pack, "--output", folder, "--format", "csv")
    assert refused.returncode == 2 and "other than an earlier CSV export" in refused.stderr


def test_a_pack_with_errors_is_not_exported(run: Run, tmp_path: Path) -> None:
    files = dict(MINIMAL_PACK)
    files["pledges.yaml"] = files["pledges.yaml"].replace("quantity: 10", "quantity: ten")
    pack = write_pack(tmp_path / "bad", files)
    result = run("export", pack, "--output", tmp_path / "out.xlsx")
    assert result.returncode == 1 and "Not exported" in result.stderr
    assert "SV101" in result.stdout
    assert not (tmp_path / "out.xlsx").exists()


def test_output_must_be_xlsx(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-2-"))
    result = run("export", pack, "--output", tmp_path / "values.xls")
    assert result.returncode == 2 and "does not end in .xlsx" in result.stderr
    assert "Traceback" not in result.stderr
    as_file = run("export", pack, "--format", "csv", "--output", tmp_path / "values.csv")
    assert as_file.returncode == 2 and "writes a folder of tables" in as_file.stderr
    written = run("export", pack, "--output", f"{tmp_path}/reports/")
    assert written.returncode == 0 and (tmp_path / "reports" / "values.xlsx").is_file()


def test_a_pack_without_impact_maps_exports_its_progress(run: Run, tmp_path: Path) -> None:
    pack = next(e for e in EXAMPLES if e.name.startswith("level-1-"))
    book = openpyxl.load_workbook(_export(run, pack, tmp_path / "l1.xlsx"))
    assert book.sheetnames == ["Summary", "Settings", "Progress"]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (["Summary", "summary"], ["Summary", "summary (2)"]),
        (["a" * 40], ["a" * 31]),
        (["x" * 31, "X" * 31], ["x" * 31, "X" * 27 + " (2)"]),
        (["a/b[c]:d*e?f\\g"], ["a-b-c--d-e-f-g"]),
        (["'quoted'", "History", ""], ["quoted", "Sheet History", "Sheet"]),
    ],
)
def test_sheet_names_follow_excel_rules(wanted: list[str], expected: list[str]) -> None:
    assert sheet_names(wanted) == expected


def test_commitments_sheet_when_the_pack_has_them() -> None:
    """Contract commitments (spec §5.4) get a sheet of their own from calc's figures: text
    kept as text, the status, and the values as formulas over the row."""
    import datetime as dt
    import io
    from types import SimpleNamespace

    from svqm_cli.calc.commitments import contract_figures
    from svqm_cli.export import EXPORTERS
    from svqm_cli.export.lists import commitments_table
    from svqm_cli.export.tables import Export

    data = {
        "kind": "commitments",
        "contract": {"id": "equipment-2025", "supplier": "=Acme Care Ltd"},
        "commitments": [
            {
                "id": "local-apprentices",
                "description": "Apprenticeships started by local residents",
                "unit": "apprenticeship",
                "target": 6,
                "proxy": "apprenticeship-start",
                "delivered": [{"quantity": 2}, {"quantity": Decimal("1.5")}, {"quantity": "x"}],
                "rating": "good",
            },
            "not a mapping",
        ],
    }
    figures = contract_figures(data, {"apprenticeship-start": Decimal("2500.50")})
    table = commitments_table(SimpleNamespace(contracts=(figures,)))  # type: ignore[arg-type]
    assert table is not None
    assert table.rows == (
        (
            "equipment-2025",
            "=Acme Care Ltd",
            "local-apprentices",
            "Apprenticeships started by local residents",
            "apprenticeship",
            Decimal(6),
            Decimal("3.5"),
            None,
            None,
            "no-data",
            Decimal("2500.50"),
            Decimal("15003.00"),
            Decimal("8751.750"),
            "good",
        ),
    )
    export = Export(
        organisation="Lakeside",
        title="Social value figures: Lakeside",
        currency="GBP",
        discount_rate=Decimal("0.035"),
        discount_first_year=True,
        date=dt.datetime(2025, 4, 1),
        maps=(),
        progress=None,
        commitments=table,
        lm3=None,
    )
    book = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"](export)["values.xlsx"]))
    assert book.sheetnames == ["Summary", "Settings", "Commitments"]
    sheet = book["Commitments"]
    supplier = sheet["B4"]
    assert supplier.value == "=Acme Care Ltd" and supplier.data_type == "s"
    assert sheet["L4"].value == '=IF(K4="","",F4*K4)'
    assert sheet["M4"].value == '=IF(K4="","",G4*K4)'
    assert sheet["J4"].value == "no-data"
    csv_text = EXPORTERS["csv"](export)["commitments.csv"].decode("utf-8-sig")
    assert "'=Acme Care Ltd" in csv_text and ",3.5," in csv_text


def test_the_level_4_example_exports_its_contract_commitments(run: Run, tmp_path: Path) -> None:
    pack = next(p for p in EXAMPLES if p.name.startswith("level-4-"))
    result = run("export", pack, "--output", tmp_path / "out.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["Commitments"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0]]
    header = next(r for r in rows if r[0] == "Contract")
    assert header[:3] == ("Contract", "Supplier", "Commitment")
    ids = {r[2] for r in rows[rows.index(header) + 1 :]}
    assert "acme-local-apprentices" in ids
