"""Contract commitments and measure catalogues (spec §5.4, §5.5): figures checked against an
independent hand computation, statuses at their edges, and hostile values as findings."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from svqm_cli.calc.commitments import commitment_figures, trajectory
from svqm_cli.checking.check import validate
from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, write_pack

LEVEL_4 = next(p for p in EXAMPLES if p.name.startswith("level-4"))
SPEC_KEYS = {
    "contract",
    "id",
    "unit",
    "target",
    "delivered",
    "status",
    "value_committed",
    "value_delivered",
}


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


# The Level 4 example worked by hand: (contract, commitment) -> term, target, deliveries,
# proxy value. The statuses follow from the straight line over the term at the latest
# delivery's end; the values are quantities times the proxy value, undiscounted.
HAND = {
    ("community-equipment-2025", "acme-local-apprentices"): (
        ("2025-04-01", "2028-03-31"),
        6,
        [2, 1],
        3200,
    ),
    ("community-equipment-2025", "acme-staff-volunteering"): (
        ("2025-04-01", "2028-03-31"),
        1500,
        [300, 260],
        None,
    ),
    ("community-equipment-2025", "acme-electric-vans"): (
        ("2025-04-01", "2028-03-31"),
        180,
        [25, 35],
        256,
    ),
    ("patient-transport-2024", "northway-local-recruits"): (
        ("2024-10-01", "2027-09-30"),
        30,
        [3, 4, 2],
        6500,
    ),
    ("patient-transport-2024", "northway-electric-fleet"): (
        ("2024-10-01", "2027-09-30"),
        300,
        [40, 50, 60],
        256,
    ),
    ("patient-transport-2024", "northway-community-journeys"): (
        ("2024-10-01", "2027-09-30"),
        600,
        [90, 110],
        None,
    ),
}


def _by_hand(term: tuple[str, str], target: int, done: list[int]) -> str:
    delivered = sum(done)
    if delivered >= target:
        return "met"
    # every delivery in the example ends on 2026-03-31 at the latest
    expected = Fraction(target * _days(term[0], "2026-03-31"), _days(*term))
    return "on-track" if delivered >= expected else "at-risk"


def test_level_4_commitments_match_a_hand_computation(run: Run) -> None:
    result = run("value", LEVEL_4, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    got = {(c["contract"], c["id"]): c for c in data["commitments"]}
    assert set(got) == set(HAND)
    for key, (term, target, done, proxy) in HAND.items():
        c = got[key]
        assert set(c) >= SPEC_KEYS
        assert c["target"] == target and c["delivered"] == sum(done)
        assert c["status"] == _by_hand(term, target, done), key
        assert c["value_committed"] == (None if proxy is None else target * proxy)
        assert c["value_delivered"] == (None if proxy is None else sum(done) * proxy)
    # one contract on track, one at risk, as the example promises
    statuses = {k["id"]: k["statuses"] for k in data["contracts"]}
    assert statuses["community-equipment-2025"]["on-track"] == 3
    assert statuses["patient-transport-2024"]["at-risk"] == 2
    totals = data["commitment_totals"]
    assert totals["value_committed"] == 6 * 3200 + 180 * 256 + 30 * 6500 + 300 * 256
    assert totals["value_delivered"] == 3 * 3200 + 60 * 256 + 9 * 6500 + 150 * 256
    themes = {t["id"]: t for t in data["measures"]["themes"]}
    assert themes["greener-services"]["value_committed"] == (180 + 300) * 256
    assert themes["jobs-and-skills"]["value_delivered"] == 3 * 3200 + 9 * 6500


def test_value_text_shows_each_contract(run: Run) -> None:
    result = run("value", LEVEL_4)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Contract commitments: Community equipment service" in out
    assert "Contract commitments: Non-emergency patient transport" in out
    assert "at risk" in out and "Totals by measure code" in out
    assert "Totals by catalogue theme" in out


TERM = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def _one(target: int, delivered: list[tuple[str, str, int]], proxy: object = None) -> object:
    raw = {
        "id": "c",
        "unit": "hour",
        "target": target,
        "delivered": [{"period": {"start": s, "end": e}, "quantity": q} for s, e, q in delivered],
    }
    if proxy is not None:
        raw["proxy"] = proxy
    return commitment_figures("k", raw, TERM, {"p": Decimal("2.50")})


@pytest.mark.parametrize(
    ("target", "delivered", "status"),
    [
        (10, [], "no-data"),
        (10, [("2025-04-01", "2025-09-30", 10)], "met"),
        (10, [("2025-04-01", "2026-03-31", 9)], "missed"),
        (10, [("2025-04-01", "2025-09-30", 5)], "on-track"),  # 182/364 of 10 is 5.0
        (10, [("2025-04-01", "2025-09-30", 4)], "at-risk"),
        (0, [], "no-data"),
    ],
)
def test_status_edges(target: int, delivered: list[tuple[str, str, int]], status: str) -> None:
    assert _one(target, delivered).status == status  # type: ignore[attr-defined]


def test_values_need_a_proxy() -> None:
    plain = _one(10, [("2025-04-01", "2025-09-30", 4)])
    assert plain.value_committed is None and plain.value_delivered is None  # type: ignore[attr-defined]
    by_id = _one(10, [("2025-04-01", "2025-09-30", 4)], "p")
    assert by_id.value_committed == Decimal("25.00")  # type: ignore[attr-defined]
    assert by_id.value_delivered == Decimal("10.00")  # type: ignore[attr-defined]
    inline = _one(10, [], {"value": 3, "unit": "hour", "source": "test"})
    assert inline.value_committed == 30  # type: ignore[attr-defined]


def test_trajectory_is_a_straight_line() -> None:
    assert trajectory(Decimal(364), *TERM, TERM[0]) == 0
    assert trajectory(Decimal(364), *TERM, dt.date(2025, 4, 2)) == 1
    assert trajectory(Decimal(364), *TERM, dt.date(2027, 1, 1)) == 364
    assert trajectory(Decimal(5), TERM[0], TERM[0], TERM[0]) == 5  # a one-day term


COMMITMENTS = """kind: commitments
contract:
  id: equipment-2025
  title: Community equipment service
  buyer: Test Organisation
  supplier: Acme Care Ltd
  value: 4200000
  term: {start: 2024-04-01, end: 2026-03-31}
commitments:
  - id: local-apprentices
    description: Apprenticeships
    unit: apprenticeship
    target: 6
    measure: {framework: local-measures, code: LM2}
    delivered:
      - {period: {start: 2024-04-01, end: 2024-09-30}, quantity: 2}
"""


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("target: 6", "target: [6]", "SV101"),
        ("target: 6", "target: '6'", "SV101"),
        ("quantity: 2}", "quantity: -2}", "SV105"),
        ("value: 4200000", "value: lots", "SV101"),
        ("term: {start: 2024-04-01, end: 2026-03-31}", "term: 2024", "SV101"),
        (
            "term: {start: 2024-04-01, end: 2026-03-31}",
            "term: {start: 2026-04-01, end: 2024-03-31}",
            "SV207",
        ),
        ("{start: 2024-04-01, end: 2024-09-30}", "{start: 2024-04-01, end: 2024-02-30}", "SV106"),
        ("{start: 2024-04-01, end: 2024-09-30}", "{start: 2023-04-01, end: 2023-09-30}", "SV220"),
        ("{start: 2024-04-01, end: 2024-09-30}", "2024", "SV101"),
        ("delivered:\n", "delivered: {a: 1}\n    x-delivered:\n", "SV101"),
        ("code: LM2", "code: LM9", "SV222"),
        ("code: LM2", "code: [LM2]", "SV101"),
        ("framework: local-measures", "framework: Local Measures", "SV106"),
        ("commitments:\n  - id", "commitments:\n  - 7\n  - id", "SV101"),
        ("target: 6", "target: 6", None),  # untouched: clean
    ],
)
def test_hostile_values_are_findings(tmp_path: Path, old: str, new: str, code: str | None) -> None:
    catalogue = (
        "kind: measures\nframework: {id: local-measures, name: Local, version: '1'}\n"
        "measures:\n  - {code: LM2, title: Apprenticeships, unit: apprenticeship}\n"
    )
    assert old in COMMITMENTS
    files = {
        **MINIMAL_PACK,
        "measures.yaml": catalogue,
        "commitments.yaml": COMMITMENTS.replace(old, new),
    }
    report = validate(write_pack(tmp_path, files))
    codes = {f.code for f in report.findings}
    if code is None:
        assert not report.findings
    else:
        assert code in codes, [f.message for f in report.findings]
    for f in report.findings:
        assert f.location.line >= 1 and f.message


def test_codes_without_a_catalogue_are_not_checked(tmp_path: Path) -> None:
    text = COMMITMENTS.replace("LM2", "ANY-CODE").replace("local-measures", "toms")
    files = {**MINIMAL_PACK, "commitments.yaml": text}
    assert not validate(write_pack(tmp_path, files)).findings


def test_pledge_toms_codes_resolve_in_any_version(tmp_path: Path) -> None:
    catalogue = (
        "kind: measures\nframework: {id: toms, name: Test codes, version: A}\n"
        "measures:\n  - {code: X1, title: Written for this test, unit: hour}\n"
    )
    other = catalogue.replace("version: A", "version: B").replace("X1", "X2")
    pledges = MINIMAL_PACK["pledges.yaml"].replace(
        "    targets:", "    toms: [X1, X2]\n    targets:"
    )
    files = {**MINIMAL_PACK, "pledges.yaml": pledges, "a.yaml": catalogue, "b.yaml": other}
    assert not validate(write_pack(tmp_path, files)).findings
    files["pledges.yaml"] = pledges.replace("X2]", "X3]")
    found = validate(write_pack(tmp_path, files)).findings
    assert [f.code for f in found] == ["SV222"]
    assert "A, B" in found[0].message


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Level 4 example in every format, rendered once for the module."""
    import subprocess

    from tests.conftest import svqm_command

    out = tmp_path_factory.mktemp("commitments")
    files = {}
    for fmt in ("html", "md", "pdf", "docx"):
        target = out / f"report.{fmt}"
        command = [*svqm_command(), "render", str(LEVEL_4), "--format", fmt, "--output"]
        result = subprocess.run([*command, str(target)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        files[fmt] = target
    return files


CONTRACT_TEXT = (
    "Contract commitments",
    "Community equipment service",
    "Non-emergency patient transport",
    "Northway Transport Ltd (example)",
    "Requires improvement",
    "£195,000.00",
    "£337,080.00",
    "Totals by measure code",
    "Totals by catalogue theme",
)


def test_html_has_the_section_and_its_chart(reports: dict[str, Path]) -> None:
    html = reports["html"].read_text(encoding="utf-8")
    section = html.split('<section id="commitments">', 1)[1].split("</section>", 1)[0]
    for text in (*CONTRACT_TEXT, "evidence/contracts/northway-returns.csv", "at risk"):
        assert text in section, text
    assert section.count("<svg") == 2  # one chart a contract
    assert "Straight-line trajectory" in section and "9 of 30 (30%)" in section
    assert '<a href="#commitments">Contract commitments</a>' in html


def test_markdown_has_the_section_and_a_text_chart(reports: dict[str, Path]) -> None:
    md = reports["md"].read_text(encoding="utf-8")
    section = md.split("## Contract commitments", 1)[1].split("\n## ", 1)[0]
    for text in CONTRACT_TEXT[1:]:
        assert text in section, text
    assert "- `██████████┃████░░░░░░░░░░░░░░░` 3 of 6 (50%): Apprenticeships" in section
    assert "| 1 October 2025 to 31 March 2026 | 2 |" in section
    assert "northway-local-recruits" not in section  # names, not ids


def test_pdf_has_the_section(reports: dict[str, Path], poppler: tuple[str, str]) -> None:
    import subprocess

    text = subprocess.run(
        [poppler[1], str(reports["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    for needle in (*CONTRACT_TEXT, "Straight-line trajectory"):
        assert needle in " ".join(text.split()), needle


def test_word_has_the_section_tables_and_charts(reports: dict[str, Path]) -> None:
    from docx import Document

    doc = Document(str(reports["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Contract commitments", "Community equipment service"):
        assert heading in headings
    first = next(t for t in doc.tables if t.rows[0].cells[0].text == "Commitment")
    assert first.rows[0].cells[2].text == "Delivered (trajectory)"
    assert first.rows[1].cells[4].text == "Good"
    assert first.rows[-1].cells[3].text == "3 on track"
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert sum("straight-line trajectory" in c for c in captions) == 2


def test_a_draft_report_lists_contracts_without_values(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "draft.md"
    pack = Path(__file__).parent / "packs" / "invalid" / "sv221-deliveries-overlap"
    result = run("render", pack, "--format", "md", "--draft", "--output", out)
    assert result.returncode == 0, result.stderr
    md = out.read_text(encoding="utf-8")
    assert "## Contract commitments" in md and "| Apprenticeships started by local" in md


def test_progress_chart_is_deterministic_and_escaped() -> None:
    from svqm_cli.render.charts import progress_bars, progress_text

    rows = [("<b>", Decimal(10), Decimal(15), Decimal(5)), ("none", Decimal(0), Decimal(0), None)]
    svg = progress_bars(rows, "Delivered & due")
    assert svg == progress_bars(rows, "Delivered & due") and "&lt;b&gt;" in svg and "<b>" not in svg
    assert "15 of 10 (150%)" in svg and "0 of 0" in svg
    assert "<title>Delivered &amp; due</title>" in svg and 'role="img"' in svg
    assert progress_bars([], "t") == "" and progress_text([]) == []
    over, empty = progress_text(rows)
    # 150% stretches the scale: the target's track is 20 of 30 cells, the line at a third
    assert over["bar"] == "█" * 10 + "┃" + "█" * 19
    assert empty["bar"] == "█" * 20 and empty["figure"] == "0 of 0"
