"""Spreadsheets in: `svqm import outcomes FILE.xlsx`, `svqm import value-map` (svqm's own
export round-trips; an SROI value map laid out differently is read by its header names)
and the findings of a broken workbook, located at sheet, row and column."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLES, Run

MAP_EXAMPLES = [e for e in EXAMPLES if not e.name.startswith("level-1-")]


def _figures(run: Run, pack: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run("value", pack, "--format", "json")
    assert result.returncode == 0, result.stdout
    data = json.loads(result.stdout)
    return {m["id"]: m for m in data["impact_maps"]} | {"totals": data["totals"]}


@pytest.mark.parametrize("example", MAP_EXAMPLES, ids=[e.name for e in MAP_EXAMPLES])
def test_export_then_import_gives_the_same_figures(run: Run, tmp_path: Path, example: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(example, pack)
    book = tmp_path / "values.xlsx"
    assert run("export", pack, "--output", book).returncode == 0
    before = _figures(run, pack)
    maps = [m for m in before if m != "totals"]
    for path in pack.rglob("*.yaml"):
        if re.search(r"^kind: (forecast|evaluation)\s*$", path.read_text(), re.MULTILINE):
            path.unlink()
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    for ident in maps:
        result = run("import", "value-map", book, pack, "--sheet", ident)
        assert result.returncode == 0, result.stdout + result.stderr
        assert sheets.index(ident) > 1
    assert run("validate", pack).returncode == 0
    after = _figures(run, pack)
    assert after == before


def _level2(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(next(e for e in EXAMPLES if e.name.startswith("level-2-")), pack)
    return pack


def test_sroi_value_map_with_its_own_headers(run: Run, tmp_path: Path) -> None:
    """Columns in another order, named as people name them, new stakeholders and proxies."""
    pack = _level2(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Value map"
    sheet.append(["Stage 3 value map"])
    sheet.append([])
    sheet.append(
        [
            "Stakeholders",
            "Outcome description",
            "Indicator",
            "Quantity",
            "Duration (years)",
            "Financial proxy",
            "Value of proxy £",
            "Source of proxy",
            "Deadweight %",
            "Attribution %",
            "Drop-off %",
            "Impact",
            "Who we asked",
        ]
    )
    sheet.append(
        [
            "Young people aged 16-24",
            "Feel safer",
            "Survey",
            40,
            2,
            "Safety value",
            250,
            "Survey 2024",
            0.2,
            "10%",
            0.5,
            "=D4*G4",
            "peer researchers",
        ]
    )
    sheet.append(
        [
            "Parents",
            "Less worry",
            "Survey",
            10,
            1,
            "Safety value",
            250,
            "Survey 2024",
            0.3,
            0.1,
            0,
            None,
            None,
        ]
    )
    path = tmp_path / "sroi.xlsx"
    book.save(path)
    result = run("import", "value-map", path, pack, "--id", "safety-2025")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 new stakeholder entry" in result.stdout and "1 new proxy entry" in result.stdout
    text = (pack / "forecast-safety-2025.yaml").read_text()
    assert "stakeholder: young-people" in text and "stakeholder: parents" in text
    assert "proxy: safety-value" in text and "attribution: 0.1" in text
    proxies = (pack / "proxies-safety-2025.yaml").read_text()
    assert "value: 250" in proxies and "source: Survey 2024" in proxies
    data = json.loads(run("validate", pack, "--format", "json").stdout)
    assert data["valid"], data["findings"]
    figures = _figures(run, pack)["safety-2025"]
    # 40 x 250 x 0.8 x 0.9 = 7,200 in year 1, then 3,600; 10 x 250 x 0.7 x 0.9 = 1,575
    assert figures["outcomes"][0]["impact_year_1"] == 7200.0
    assert figures["outcomes"][1]["impact_year_1"] == 1575.0


def test_broken_workbook_gives_located_findings_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    pack = _level2(tmp_path)
    book_path = tmp_path / "values.xlsx"
    assert run("export", pack, "--output", book_path).returncode == 0
    book = openpyxl.load_workbook(book_path)
    sheet = book["outreach-2024"]
    sheet["F4"] = "ten"  # quantity
    sheet["L5"] = 1.5  # deadweight above 1
    sheet["G6"] = "two"  # duration
    sheet["C7"] = None  # the outcome's description
    sheet["N3"] = "Atribution"  # a misspelt header
    book.save(book_path)
    (pack / "forecast-outreach.yaml").unlink()
    before = sorted(p.name for p in pack.iterdir())
    result = run("import", "value-map", book_path, pack, "--sheet", "outreach-2024")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Nothing written" in result.stderr
    out = result.stdout
    assert "4:6  error  SV101  Cell F4 of sheet 'outreach-2024': `quantity` is \"ten\"" in out
    assert "5:12  error  SV101  Cell L5 of sheet 'outreach-2024': `deadweight` is \"1.5\"" in out
    assert "6:7  error  SV101  Cell G6" in out
    assert "3:14  error  SV103  Cell N3 of sheet 'outreach-2024': Unknown column" in out
    assert "Did you mean `attribution`?" in out
    assert sorted(p.name for p in pack.iterdir()) == before
    sheet["F4"], sheet["L5"], sheet["G6"], sheet["N3"] = 60, 0.25, 1, "Attribution"
    book.save(book_path)
    schema = run("import", "value-map", book_path, pack, "--sheet", "outreach-2024")
    assert schema.returncode == 1
    assert "7:1  error  SV102  Row 7 of sheet 'outreach-2024': `description` is missing" in (
        schema.stdout
    )


def test_not_a_workbook(run: Run, tmp_path: Path) -> None:
    pack = _level2(tmp_path)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    result = run("import", "value-map", fake, pack, "--id", "x-2025")
    assert result.returncode == 1
    assert "SV001  The workbook cannot be read" in result.stdout
    assert "Traceback" not in result.stderr
    several = tmp_path / "values.xlsx"
    assert run("export", pack, "--output", several).returncode == 0
    book = openpyxl.load_workbook(several)
    book.copy_worksheet(book["outreach-2024"]).title = "copy"
    book.save(several)
    chosen = run("import", "value-map", several, pack)
    assert chosen.returncode == 2 and "choose one with --sheet" in chosen.stderr
    missing = run("import", "value-map", several, pack, "--sheet", "nope")
    assert missing.returncode == 2 and "has no sheet 'nope'" in missing.stderr


def test_import_outcomes_from_a_workbook(run: Run, tmp_path: Path) -> None:
    pack = _level2(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "id",
            "stakeholder",
            "description",
            "indicator",
            "quantity",
            "proxy",
            "duration",
            "deadweight",
            "attribution",
            "drop_off",
        ]
    )
    sheet.append(
        ["a-2025", "young-people", "D", "I", 1200, "sti-complication-avoided", 3, 0.25, "10%", 0.33]
    )
    sheet.append(
        ["b-2025", "young-people", "D", "I", "many", "sti-complication-avoided", 1.5, 2, 0.1, 0]
    )
    path = tmp_path / "outcomes.xlsx"
    book.save(path)
    result = run("import", "outcomes", path, pack, "--id", "xl-2025")
    assert result.returncode == 1
    out = result.stdout
    assert "3:5  error  SV101  Cell E3 of sheet 'Sheet': `quantity` is \"many\"" in out
    assert "3:7  error  SV101  Cell G3" in out and "not a whole number" in out
    assert "3:8  error  SV101  Cell H3" in out and "above 1" in out
    assert not (pack / "forecast-xl-2025.yaml").exists()
    sheet.delete_rows(3)
    book.save(path)
    assert run("import", "outcomes", path, pack, "--id", "xl-2025").returncode == 0
    text = (pack / "forecast-xl-2025.yaml").read_text()
    assert "quantity: 1200" in text and "attribution: 0.1" in text and "drop_off: 0.33" in text


PROGRESS = (
    "pledge,measure,actual,as_of,evidence\n"
    "community-pop-ups,pop-up clinics delivered,26,2024-05-31,\n"
    "community-pop-ups,pop-up clinics delivered,38,2024-08-31,\n"
    "outreach-volunteers,active outreach volunteers,9,2024-08-31,\n"
)


def test_import_progress_adds_rows_and_keeps_comments(run: Run, tmp_path: Path) -> None:
    pack = _level2(tmp_path)
    source = tmp_path / "q3.csv"
    source.write_text(PROGRESS, encoding="utf-8-sig")
    result = run("import", "progress", source, pack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "added 2 progress entries; 1 already in the pack" in result.stdout
    text = (pack / "pledges.yaml").read_text()
    assert "# INVENTED figures for the example" in text
    assert "- {measure: pop-up clinics delivered, actual: 38, as_of: 2024-08-31}" in text
    assert "- {measure: active outreach volunteers, actual: 9, as_of: 2024-08-31}" in text
    assert run("validate", pack).returncode == 0
    again = run("import", "progress", source, pack)
    assert "added 0 progress entries; 3 already in the pack" in again.stdout
    assert (pack / "pledges.yaml").read_text() == text


def test_import_progress_from_a_workbook_with_date_cells(run: Run, tmp_path: Path) -> None:
    import datetime as dt

    pack = _level2(tmp_path)
    (pack / "evidence").mkdir()
    (pack / "evidence" / "prep.csv").write_text("n\n9\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Q3"
    sheet.append(["Pledge", "Measure", "Actual", "As of", "Evidence"])
    sheet.append(
        [
            "prep-outreach",
            "people starting PrEP through outreach",
            9,
            dt.date(2024, 8, 31),
            "evidence/prep.csv",
        ]
    )
    path = tmp_path / "q3.xlsx"
    book.save(path)
    result = run("import", "progress", path, pack, "--sheet", "Q3")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (pack / "pledges.yaml").read_text()
    assert (
        "{measure: people starting PrEP through outreach, actual: 9, as_of: 2024-08-31, "
        "evidence: [evidence/prep.csv]}" in text
    )


def test_bad_progress_rows_are_located_and_nothing_is_written(run: Run, tmp_path: Path) -> None:
    pack = _level2(tmp_path)
    before = (pack / "pledges.yaml").read_text()
    source = tmp_path / "bad.csv"
    source.write_text(
        "pledge,measure,actual,as_of,evidence\n"
        "comunity-pop-ups,pop-up clinics delivered,30,2024-08-31,\n"
        "community-pop-ups,clinics,30,2024-08-31,\n"
        "community-pop-ups,pop-up clinics delivered,lots,31/08/2024,evidence/none.pdf\n"
        "community-pop-ups,pop-up clinics delivered,27,2024-05-31,\n"
    )
    result = run("import", "progress", source, pack)
    assert result.returncode == 1 and "Nothing written" in result.stderr
    out = result.stdout
    assert "2:1  error  SV202  Row 2: the pack has no pledge 'comunity-pop-ups'." in out
    assert "Did you mean `community-pop-ups`?" in out
    assert "3:19  error  SV208" in out and '"pop-up clinics delivered"' in out
    assert '4:44  error  SV101  Row 4: `actual` is "lots", not a number.' in out
    assert "4:49  error  SV106" in out
    assert "4:60  error  SV204" in out
    assert "5:44  error  SV201" in out and "with the figure 26, not 27" in out
    assert (pack / "pledges.yaml").read_text() == before
    source.write_text("pledge,measure,value\nx,y,1\n")
    header = run("import", "progress", source, pack)
    assert header.returncode == 1 and "The header has no `as_of` column." in header.stdout


@pytest.mark.parametrize(
    "command",
    [("export",), ("import", "value-map"), ("import", "outcomes"), ("import", "progress")],
    ids=lambda c: " ".join(c),
)
def test_help_has_examples(run: Run, command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and "Examples" in result.stdout
    assert f"svqm {' '.join(command)} " in result.stdout


def test_empty_and_unsupported_files(run: Run, tmp_path: Path) -> None:
    pack = _level2(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run("import", "progress", empty, pack)
    assert result.returncode == 1 and "SV004  The file is empty." in result.stdout
    assert "header row first" in result.stdout and "kind:" not in result.stdout
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    refused = run("import", "outcomes", old, pack, "--id", "old-2025")
    assert refused.returncode == 2 and "not .xls" in refused.stderr
    missing = run("import", "progress", tmp_path / "nope.csv", pack)
    assert missing.returncode == 2 and "no spreadsheet at" in missing.stderr
