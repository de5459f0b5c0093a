"""The report's content (issue 10b): one list of sections in every format, a headline that
compares like with like, case studies withheld without consent, negative outcomes, and
words for people (plurals, thousands, dates, names)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Run, render_file

LEVEL_2 = ROOT / "examples" / "level-2-outreach-forecast"
LEVEL_3 = ROOT / "examples" / "level-3-mental-health-trust"
MARK = "ZQXMARK"


def _context(pack_path: Path, draft: bool = False, tweak: Any = None) -> Any:
    from svqm_cli.calc.report import compute
    from svqm_cli.checking.check import check_pack
    from svqm_cli.render.context import build

    pack, validation = check_pack(pack_path)
    value = compute(pack)
    if tweak is not None:
        value = tweak(value)
    return build(pack, validation, value, draft=draft)


def _formats(ctx: Any) -> dict[str, Any]:
    from svqm_cli.render import writers

    return {
        "html": writers.html(ctx, None).decode("utf-8"),
        "md": writers.markdown(ctx, None).decode("utf-8"),
        "docx": writers.docx(ctx, None),
    }


def _docx_headings(data: bytes, level: str = "Heading 1") -> list[str]:
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs if p.style.name == level]


def _html_headings(html: str) -> list[str]:
    import html as html_lib

    return [
        html_lib.unescape(h)
        for h in re.findall(r"<section id=\"[^\"]+\"[^>]*>\s*<h2[^>]*>(.*?)</h2>", html)
    ]


# -- words for people ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "plural"),
    [
        ("clinic", "clinics"),
        ("tonne", "tonnes"),
        ("person", "people"),
        ("child", "children"),
        ("family", "families"),
        ("day", "days"),
        ("box", "boxes"),
        ("bed-day", "bed-days"),
        ("bed night", "bed nights"),
        ("hour of support", "hours of support"),
        ("tCO2e", "tCO2e"),
        ("tonne CO2e", "tonnes CO2e"),
        ("kg CO2e", "kg CO2e"),
        ("kg", "kg"),
        ("hours", "hours"),
        ("staff", "staff"),
        ("", ""),
    ],
)
def test_plural(unit: str, plural: str) -> None:
    from svqm_cli.render.words import plural as make

    assert make(unit) == plural


def test_quantities_numbers_and_dates() -> None:
    from svqm_cli.render.words import figure, prose_date, quantity

    assert quantity(40, "clinic") == "40 clinics"
    assert quantity(Decimal("4.2"), "tonne") == "4.2 tonnes"
    assert quantity(1, "bed") == "1 bed"
    assert quantity(21000, "meal") == "21,000 meals"
    assert quantity("many", "bed") == "many beds"  # a hostile value: no traceback
    assert figure(21000) == "21,000" and figure("1500000") == "1,500,000"
    assert figure(Decimal("0.25")) == "0.25" and figure(None) == "" and figure([1]) == ""
    assert figure(True) == "True"
    assert prose_date("2025-03-31") == "31 March 2025"
    assert prose_date(dt.date(2024, 4, 1)) == "1 April 2024"  # no leading zero
    assert prose_date("2025-02-30") == "2025-02-30"  # not a date: as written
    assert prose_date("spring") == "spring" and prose_date(None) == "" and prose_date({}) == ""


def test_chart_labels_wrap_and_keep_their_start() -> None:
    from svqm_cli.render.charts import bars

    label = "Residents of our most deprived neighbourhoods in the borough"
    svg = bars([(label, Decimal(100))], "GBP", "Present value by stakeholder")
    assert 'role="img"' in svg and "<title>Present value by stakeholder</title>" in svg
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert spans[0].startswith("Residents of") and len(spans) == 2
    assert " ".join(spans) == label
    long = "Supercalifragilisticexpialidociousnessandmore-words-without-spaces-at-all"
    assert re.findall(r"<tspan[^>]*>([^<]*)</tspan>", bars([(long, Decimal(1))], "GBP", "t"))[
        0
    ].startswith("Supercali")


# -- like-for-like headline ------------------------------------------------------------


def test_level_3_headline_pairs_housing_with_its_own_forecast() -> None:
    ctx = _context(LEVEL_3)
    d = ctx.data
    rows = {r["name"]: r for r in d["headline_scopes"]}
    housing = rows["Supported housing partnership"]
    assert housing["kind"] == "Evaluation"
    assert housing["forecast"] == "£1.65 : £1" and housing["measured"] == "£1.47 : £1"
    assert housing["against"] == "10.5% less than forecast"
    assert housing["sentence"] == (
        "For every £1 invested in the supported housing partnership, £1.47 of social value "
        "was created, 10.5% less than forecast."
    )
    employment = rows["Local employment programme"]
    assert employment["forecast"] == "no forecast"  # never another scope's forecast beside it
    assert len(rows) == 2  # the housing forecast is shown beside its evaluation, not alone
    (total,) = d["headline_totals"]
    assert total["maps"] == ["Local employment programme", "Supported housing partnership"]
    labels = [label for label, _ in d["headline"]]
    for state in ("met", "on track", "at risk", "missed", "with no data yet"):
        assert f"Targets {state}" in labels
    assert not any("SROI ratio" in label for label in labels)
    md = _formats(ctx)["md"]
    summary = md.split("## Executive summary", 1)[1].split("\n## ", 1)[0]
    assert "£2.08 : £1" in summary and "(Local employment programme; Supported" in summary
    assert "Forecast SROI ratio | £1.65" not in summary


def test_a_forecast_alone_is_forecast_to_create() -> None:
    ctx = _context(LEVEL_2)
    (row,) = ctx.data["headline_scopes"]
    assert row["sentence"].startswith("Every £1 invested in the community outreach programme")
    assert "is forecast to create £" in row["sentence"]
    assert ctx.data["headline_totals"] == []  # one map: no total beside it


# -- one list of sections, three formats ---------------------------------------------------


def _second_edition(tmp_path: Path) -> Path:
    """The Level 2 example with spec §5.1-5.3 data (theory of change, materiality, basis,
    limitations, assurance, a case study withheld)."""
    pack = tmp_path / "pack"
    shutil.copytree(LEVEL_2, pack)
    forecast = pack / "forecast-outreach.yaml"
    text = forecast.read_text(encoding="utf-8")
    text = text.replace(
        "inputs:\n",
        "activities:\n"
        "  - {id: pop-up-clinics, description: Pop-up clinics in community venues}\n"
        "outputs:\n"
        "  - {id: clinics-held, activity: pop-up-clinics, description: Clinics held, "
        "quantity: 40, unit: clinic}\n"
        "excluded_outcomes:\n"
        "  - {description: Venue staff learn about sexual health, stakeholder: "
        "community-partners, reason: 'Not significant: raised by 2 of 40 people asked'}\n"
        "limitations: ['Diagnoses are counted from the clinic system, not a trial']\n"
        "inputs:\n",
        1,
    )
    text = text.replace(
        "    drop_off: 0.33\n",
        "    drop_off: 0.33\n"
        "    output: clinics-held\n"
        "    leads_to: [prep-started]\n"
        "    basis: {deadweight: 'A quarter would be diagnosed anyway, from the 2023 audit', "
        "quantity: Clinic system, November 2023 to November 2024}\n"
        "    materiality: {relevance: Named by 28 of 30 young people, significance: "
        "The largest value}\n",
        1,
    )
    forecast.write_text(text, encoding="utf-8")
    config = pack / "svqm.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "assurance:\n"
        "  - {by: Social Value Business, standard: SVQM Level 2 verification, date: 2024-02-01, "
        "scope: [outreach-2024], result: verified-with-conditions, "
        "statement: evidence/verification-letter.pdf}\n",
        encoding="utf-8",
    )
    (pack / "evidence").mkdir(exist_ok=True)
    (pack / "evidence" / "verification-letter.pdf").write_bytes(b"%PDF-1.4 letter")
    return pack


def test_every_section_heading_is_in_html_markdown_and_word(tmp_path: Path) -> None:
    for pack in (LEVEL_3, _second_edition(tmp_path)):
        ctx = _context(pack, draft=pack != LEVEL_3)
        from svqm_cli.render.sections import present

        expected = [s.heading for s in present(ctx)]
        out = _formats(ctx)
        assert _html_headings(out["html"]) == expected
        md = [line[3:] for line in out["md"].splitlines() if line.startswith("## ")]
        assert md == ["Contents", *expected]
        assert _docx_headings(out["docx"]) == expected


def test_second_edition_content_in_every_format(tmp_path: Path) -> None:
    ctx = _context(_second_edition(tmp_path), draft=True)
    out = _formats(ctx)
    import io

    from docx import Document

    doc = Document(io.BytesIO(out["docx"]))
    word = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    for text in (
        "Theory of change",
        "Pop-up clinics in community venues",
        "40 clinics",
        "People at higher risk protected from HIV",  # leads_to, by name
        "Materiality: what is included and what is left out",
        "Named by 28 of 30 young people",
        "Venue staff learn about sexual health",
        "Community partners",
        "A quarter would be diagnosed anyway, from the 2023 audit",
        "Diagnoses are counted from the clinic system, not a trial",
        "Social Value Business",
        "Verified, with conditions",
        "1 February 2024",
        "Community outreach programme",  # the assurance scope, by name
        "Reproducing this report",
    ):
        assert text in out["html"].replace("&#39;", "'"), text
        assert text in out["md"].replace("\\", ""), text
        assert text in word, text
    assert '<a href="evidence/verification-letter.pdf">' in out["html"]
    assert "outreach-2024 ·" not in out["html"]  # names, not ids


def test_no_assurance_is_said_plainly() -> None:
    ctx = _context(LEVEL_2)
    assert "have not yet been independently assured" in _formats(ctx)["md"]


def test_sensitivity_words_and_one_year_maps() -> None:
    ctx = _context(LEVEL_3)
    housing = next(m for m in ctx.data["maps"] if m["id"] == "housing-evaluation-2024")
    one_year = next(s for s in housing["sensitivity"] if s["label"].startswith("Every outcome"))
    assert one_year["break_even"] == "stays above 1:1 even with every outcome lasting one year"
    assert "1:1 reached" not in _formats(ctx)["md"]


def test_a_map_whose_outcomes_all_last_one_year_says_so(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(LEVEL_2, pack)
    forecast = pack / "forecast-outreach.yaml"
    text = re.sub(r"duration: \d+", "duration: 1", forecast.read_text(encoding="utf-8"))
    forecast.write_text(text, encoding="utf-8")
    ctx = _context(pack)
    (m,) = ctx.data["maps"]
    assert "drop-off and a shorter duration change nothing" in m["sensitivity_note"]
    labels = [s["label"] for s in m["sensitivity"]]
    assert not any(x.startswith(("Drop-off", "Every outcome")) for x in labels)


# -- negative outcomes ---------------------------------------------------------------------


def test_negative_outcome_shows_a_minus_sign_and_is_labelled(tmp_path: Path, run: Run) -> None:
    """A `negative: true` outcome (spec §5.1) is computed, then subtracted: the report shows
    it with a minus sign and a label, and its figures agree with `value --format json`."""
    import json

    pack = tmp_path / "pack"
    shutil.copytree(LEVEL_2, pack)
    forecast = pack / "forecast-outreach.yaml"
    text = forecast.read_text(encoding="utf-8")
    forecast.write_text(
        text.replace("    drop_off: 0.33\n", "    drop_off: 0.33\n    negative: true\n", 1),
        encoding="utf-8",
    )
    ctx = _context(pack)
    m = ctx.data["maps"][0]
    row = m["outcomes"][0]
    assert row["negative"] and row["present_value"].startswith("-£")
    out = _formats(ctx)
    for fmt in ("html", "md"):
        assert "negative outcome: subtracted" in out[fmt]
        assert row["present_value"] in out[fmt] and m["present_value"] in out[fmt]
    with zipfile.ZipFile(io.BytesIO(out["docx"])) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "negative outcome: subtracted" in xml and row["present_value"] in xml
    shown = json.loads(run("value", str(pack), "--format", "json").stdout)
    (figures,) = shown["impact_maps"]
    assert figures["outcomes"][0]["present_value"] < 0
    assert m["present_value"] == f"£{round(figures['present_value']):,}"  # a forecast: £


# -- consent -------------------------------------------------------------------------------

CASE_STUDY = f"""kind: case-study
id: withheld-story
title: A story told in confidence
pledges: [community-pop-ups]
narrative: |
  {MARK}1 narrative. **{MARK}2 bold**.
quotes:
  - {{text: "{MARK}3 quote", by: "{MARK}4 person"}}
  - "{MARK}5 plain quote"
images: [evidence/{MARK}6-photo.png]
consent: false
"""


@pytest.fixture(scope="module")
def withheld(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("consent")
    pack = root / "pack"
    shutil.copytree(LEVEL_2, pack)
    (pack / "case-study.yaml").write_text(CASE_STUDY, encoding="utf-8")
    (pack / "evidence").mkdir(exist_ok=True)
    (pack / "evidence" / f"{MARK}6-photo.png").write_bytes(f"PNG {MARK}7".encode())
    out = {}
    for fmt in ("html", "md", "docx", "pdf"):
        folder = root / f"out-{fmt}"
        folder.mkdir()
        target = folder / f"report.{fmt}"
        render_file(pack, fmt, target)
        out[fmt] = target
    return out


def test_withheld_case_study_in_html_markdown_and_word(withheld: dict[str, Path]) -> None:
    html = withheld["html"].read_text(encoding="utf-8")
    md = withheld["md"].read_text(encoding="utf-8")
    with zipfile.ZipFile(withheld["docx"]) as z:
        word = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for text in (html, md, word):
        assert MARK not in text
        assert "Details withheld: consent to publish is not recorded" in text
        assert "A story told in confidence" in text
        assert "Community pop-up clinics" in text or "pop-up" in text.lower()
    for fmt, path in withheld.items():
        assert [p.name for p in path.parent.iterdir()] == [f"report.{fmt}"]  # nothing copied


def test_withheld_case_study_in_pdf(withheld: dict[str, Path], poppler: tuple[str, str]) -> None:
    text = subprocess.run(
        [poppler[1], str(withheld["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert MARK not in flat and MARK.encode() not in withheld["pdf"].read_bytes()
    assert "Details withheld: consent to publish is not recorded" in flat


@pytest.mark.parametrize(
    "extra",
    [
        "activities: 5\noutputs: {a: 1}\nexcluded_outcomes: text\nlimitations: {x: 1}\n",
        "activities: [1, null, {id: [1]}]\noutputs: [{quantity: [1], unit: {}, activity: 3}]\n"
        "excluded_outcomes: [{stakeholder: [x], reason: {}}]\nlimitations: [null, [1], 2]\n",
    ],
)
def test_wrong_typed_second_edition_data_never_raises(tmp_path: Path, extra: str) -> None:
    """A hostile pack's §5 values (schema findings once issue 10a's schema is in) render
    as a draft in every format without a traceback."""
    pack = tmp_path / "pack"
    shutil.copytree(LEVEL_2, pack)
    forecast = pack / "forecast-outreach.yaml"
    text = forecast.read_text(encoding="utf-8").replace("inputs:\n", extra + "inputs:\n", 1)
    text = text.replace(
        "    drop_off: 0.33\n",
        "    drop_off: 0.33\n    output: [1]\n    leads_to: 7\n    basis: [a]\n"
        "    materiality: text\n    negative: 'yes'\n",
        1,
    )
    forecast.write_text(text, encoding="utf-8")
    config = pack / "svqm.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "assurance: [1, {by: [x], scope: 5, date: {}}]\n",
        encoding="utf-8",
    )
    (pack / "case.yaml").write_text(
        "kind: case-study\nid: c\ntitle: [t]\npledges: 4\nconsent: 'true'\nnarrative: n\n",
        encoding="utf-8",
    )
    ctx = _context(pack, draft=True)
    out = _formats(ctx)
    assert "Details withheld" in out["md"]  # 'true' as text is not consent
    assert out["html"] and out["docx"]


def test_every_chart_has_an_accessible_name() -> None:
    html = _formats(_context(LEVEL_3))["html"]
    charts = re.findall(r"<svg[^>]*>.{0,300}", html)
    assert len(charts) >= 5
    for chart in charts:
        assert 'role="img"' in chart and 'aria-label="' in chart, chart[:120]
        title = re.search(r"<title>([^<]+)</title>", chart)
        assert title is not None and title.group(1).strip(), chart[:120]
