"""The pack format's second edition (spec §5.1-5.3): negative outcomes by hand in `value`,
sensitivity and the Monte Carlo; the schemas of the new fields; the examples show them."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from svqm_cli.calc.sensitivity import scenarios, tornado
from svqm_cli.calc.sroi import ImpactMap, Outcome, Range, Settings, impact_map_figures
from svqm_cli.calc.uncertainty import simulate
from svqm_cli.checking.schemas import check_document
from tests.conftest import EXAMPLES, Run, write_pack
from tests.test_calc import HAND  # spec §3: PV £152,215.01 on inputs of £20,000

R = D("1.035")
# The spec's hand check, year by year: £60,000, £54,000 and £48,600, discounted at 3.5%.
HAND_PV = D(60000) / R + D(54000) / R**2 + D(48600) / R**3
# Extra travel: 10 journeys' worth of £500 a year, deadweight 20%, one year:
# I1 = 10 x 500 x (1 - 0.20) = £4,000, subtracted; PV = -£4,000 / 1.035 = -£3,864.73.
TRAVEL = Outcome(
    id="travel", quantity=D(10), value=D(500), duration=1, deadweight=D("0.20"), negative=True
)
TRAVEL_PV = -D(4000) / R
INPUTS = D(20000)


def both(*outcomes: Outcome) -> ImpactMap:
    return ImpactMap("m", "forecast", "s", INPUTS, outcomes or (HAND, TRAVEL))


def cents(value: D) -> D:
    return value.quantize(D("0.01"))


def test_negative_outcome_by_hand() -> None:
    figures = impact_map_figures(both(), Settings())
    hand, travel = figures.outcomes
    assert travel.impact_year_1 == D(-4000) and travel.yearly == (D(-4000),)
    assert cents(travel.present_value) == D("-3864.73")
    assert cents(hand.present_value) == D("152215.01")
    assert cents(figures.present_value) == cents(HAND_PV + TRAVEL_PV) == D("148350.27")
    assert cents(figures.net_present_value) == D("128350.27")
    assert figures.sroi_ratio is not None
    assert figures.sroi_ratio.quantize(D("0.0001")) == D("7.4175")  # 7.61 without travel
    # payback on the net year-1 impact: 20,000 / ((60,000 - 4,000) / 12) = 4.29 months
    assert figures.payback_months is not None
    assert figures.payback_months.quantize(D("0.01")) == D("4.29")


def test_sensitivity_moves_a_negative_outcomes_shares_the_same_way() -> None:
    """Deadweight +10 points: the benefit keeps 0.7 / 0.8 of its value, and the extra travel
    falls to 10 x 500 x 0.7 = £3,500 a year, which raises the ratio."""
    rows = {s.key: s for s in scenarios(both(), Settings())}
    expected = (HAND_PV * D("0.7") / D("0.8") - D(3500) / R) / INPUTS
    moved = rows["deadweight"].sroi_ratio
    assert moved is not None
    assert abs(moved - expected) < D("1e-20")
    assert moved.quantize(D("0.0001")) == D("6.4903")
    # a map of the negative outcome alone: more deadweight on it raises the ratio
    alone = ImpactMap("m", "forecast", "s", D(1000), (TRAVEL,))
    before = impact_map_figures(alone, Settings()).sroi_ratio
    after = {s.key: s for s in scenarios(alone, Settings())}["deadweight"].sroi_ratio
    assert before is not None and after is not None and before < after < 0
    # proxy values down 10%: every outcome, the negative one too, scales
    proxy = rows["proxy-10"].sroi_ratio
    assert proxy is not None and cents(proxy * INPUTS) == cents((HAND_PV + TRAVEL_PV) * D("0.9"))
    swings = {s.key: s for s in tornado(both(), Settings())}
    assert swings["deadweight"].low.quantize(D("0.0001")) == D("6.4903")


def test_break_even_counts_the_negative_outcome() -> None:
    """Raising every deadweight by x: PV(x) = HAND_PV (0.8 - x) / 0.8 - 5,000 (0.8 - x) / 1.035,
    linear, so the break-even is where PV(x) = inputs."""
    rows = {s.key: s for s in scenarios(both(), Settings())}
    per_point = HAND_PV / D("0.8") - D(5000) / R  # PV per unit of (1 - d)
    exact = D("0.8") - INPUTS / per_point
    assert rows["deadweight"].break_even is not None
    assert abs(rows["deadweight"].break_even - exact) < D("1e-20")


def test_monte_carlo_median_moves_down_with_a_negative_outcome() -> None:
    ranged = replace(HAND, ranges=(Range("quantity", D(80), D(120)),))
    alone = ImpactMap("m", "forecast", "s", INPUTS, (ranged,))
    with_travel = ImpactMap("m", "forecast", "s", INPUTS, (ranged, TRAVEL))
    u0 = simulate(alone, impact_map_figures(alone, Settings()), Settings())
    u1 = simulate(with_travel, impact_map_figures(with_travel, Settings()), Settings())
    assert u0.p50 is not None and u1.p50 is not None
    # the same draws (one stream per map id), less 3,864.73 / 20,000 in every draw
    assert abs((u0.p50 - u1.p50) - (-TRAVEL_PV / INPUTS)) < D("1e-9")
    # a range on the negative outcome itself draws it negative: the median stays central
    travel = replace(TRAVEL, ranges=(Range("quantity", D(5), D(15)),))
    drawn = ImpactMap("m", "forecast", "s", INPUTS, (HAND, travel))
    central = impact_map_figures(drawn, Settings()).sroi_ratio
    u2 = simulate(drawn, impact_map_figures(drawn, Settings()), Settings())
    assert central is not None and u2.p50 is not None and u2.p5 is not None
    assert abs(u2.p50 - central) < D("0.005")  # 7.80 if drawn with the wrong sign
    assert u2.p5 < central < u2.p95  # type: ignore[operator]


PACK = {
    "svqm.yaml": (
        "kind: pack\nsvqm: 1\norganisation: {name: Test Trust, type: nhs-trust}\n"
        "award:\n  level: 2\n  scheme: core\n  period: {start: 2024-04-01, end: 2025-03-31}\n"
    ),
    "pledges.yaml": (
        "kind: pledges\npledges:\n  - id: local-care\n    theme: health-and-wellbeing\n"
        "    title: Care closer to home\n    commitment: Run clinics in the community.\n"
        "    targets:\n      - {measure: clinics, quantity: 10, unit: clinic, due: 2025-03-31}\n"
    ),
    "stakeholders.yaml": (
        "kind: stakeholders\nstakeholders:\n  - {id: patients, name: Patients}\n"
        "  - {id: trust, name: The trust}\n"
    ),
    "proxies.yaml": (
        "kind: proxies\nproxies:\n  - {id: benefit, description: Benefit, value: 1000,"
        " unit: person, source: Test source 2024, year: 2024}\n"
        "  - {id: journey-cost, description: Cost of extra journeys, value: 500,"
        " unit: person, source: Test travel costs 2024, year: 2024}\n"
    ),
    "forecast.yaml": """kind: forecast
id: clinics-forecast
scope: {name: Community clinics, type: service}
period: {start: 2024-04-01, end: 2025-03-31}
inputs:
  - {stakeholder: trust, description: Clinic staff, value: 20000}
activities:
  - {id: community-clinics, description: Clinics in community centres}
outputs:
  - {id: clinic-sessions, activity: community-clinics, description: Sessions,
     quantity: 40, unit: session}
outcomes:
  - id: better-health
    output: clinic-sessions
    leads_to: [fewer-admissions]
    stakeholder: patients
    description: Better health
    indicator: Patients reporting better health
    quantity: 100
    proxy: benefit
    duration: 3
    deadweight: 0.20
    attribution: 0.25
    drop_off: 0.10
  - id: fewer-admissions
    stakeholder: patients
    description: Fewer admissions
    indicator: Admissions avoided
    quantity: 0
    proxy: benefit
    duration: 1
    deadweight: 0.1
  - id: extra-travel
    negative: true
    stakeholder: patients
    description: Longer journeys for some patients
    indicator: Patients travelling further
    quantity: 10
    proxy: journey-cost
    duration: 1
    deadweight: 0.20
""",
}


def test_value_json_and_text_subtract_a_negative_outcome(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", PACK)
    checked = run("validate", pack, "--format", "json")
    assert json.loads(checked.stdout)["summary"]["errors"] == 0, checked.stdout
    data = json.loads(run("value", pack, "--format", "json").stdout)
    (m,) = data["impact_maps"]
    outcomes = {o["id"]: o for o in m["outcomes"]}
    travel = outcomes["extra-travel"]
    assert travel["negative"] is True and outcomes["better-health"]["negative"] is False
    assert travel["impact_year_1"] == -4000.0 and travel["yearly"] == [-4000.0]
    assert travel["present_value"] == -3864.73
    assert m["present_value"] == 148350.27 and m["net_present_value"] == 128350.27
    assert m["sroi_ratio"] == 7.4175
    assert data["totals"]["forecast"]["present_value"] == 148350.27
    rows = {s["scenario"]: s for s in m["sensitivity"]}
    assert rows["deadweight"]["sroi_ratio"] == 6.4903
    text = run("value", pack).stdout
    assert "-£3,864.73" in text and "extra-travel (negative)" in text


def test_uncertainty_cli_median_below_the_positive_only_ratio(run: Run, tmp_path: Path) -> None:
    files = dict(PACK)
    files["forecast.yaml"] = PACK["forecast.yaml"].replace(
        "    drop_off: 0.10\n", "    drop_off: 0.10\n    range: {quantity: [80, 120]}\n", 1
    )
    pack = write_pack(tmp_path / "pack", files)
    data = json.loads(run("value", pack, "--format", "json", "--uncertainty").stdout)
    (m,) = data["impact_maps"]
    u = m["uncertainty"]
    assert u["p5"] < m["sroi_ratio"] < u["p95"]
    assert abs(u["p50"] - 7.4175) < 0.04 and u["p50"] < 7.61 - 0.15


# --- schemas -------------------------------------------------------------------------

MAP: dict[str, Any] = {
    "kind": "evaluation",
    "id": "m",
    "scope": {"name": "S", "type": "service"},
    "period": {"start": "2024-04-01", "end": "2025-03-31"},
    "inputs": [{"description": "Staff", "value": 1}],
    "activities": [{"id": "a", "description": "Activity"}],
    "outputs": [{"id": "p", "activity": "a", "description": "Beds", "quantity": 4, "unit": "bed"}],
    "outcomes": [
        {
            "id": "o",
            "stakeholder": "s",
            "description": "d",
            "indicator": "i",
            "quantity": 1,
            "duration": 1,
            "output": "p",
            "leads_to": ["o2"],
            "negative": False,
            "basis": {
                "quantity": "Records",
                "deadweight": "Survey",
                "attribution": "Partners",
                "displacement": "None seen",
                "drop_off": "Follow-up",
                "duration": "Median stay",
                "leakage": "Postcodes",
            },
            "materiality": {"relevance": "Named by 28 of 30", "significance": "Largest value"},
        }
    ],
    "excluded_outcomes": [{"description": "Safer", "stakeholder": "s", "reason": "2 of 40"}],
    "limitations": ["A sample, not a count"],
}


@pytest.mark.parametrize("kind", ["forecast", "evaluation"])
def test_schema_accepts_every_new_field(kind: str) -> None:
    data = {**copy.deepcopy(MAP), "kind": kind}
    assert check_document(kind, 1, data, "m.yaml") == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("activities", 0, "id"), "Not A Slug"),
        (("activities", 0), {"id": "a"}),  # no description
        (("outputs", 0, "quantity"), -1),
        (("outputs", 0, "colour"), "red"),
        (("outcomes", 0, "output"), "Bad Id"),
        (("outcomes", 0, "leads_to"), "o2"),  # a list, not one id
        (("outcomes", 0, "negative"), "yes"),
        (("outcomes", 0, "basis", "deadweigth"), "typo"),
        (("outcomes", 0, "basis", "deadweight"), ""),
        (("outcomes", 0, "materiality", "size"), "big"),
        (("excluded_outcomes", 0), {"description": "Safer"}),  # no reason
        (("limitations",), "one string, not a list"),
    ],
)
def test_schema_refuses_bad_new_fields(path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(MAP)
    here: Any = data
    for key in path[:-1]:
        here = here[key]
    here[path[-1]] = value
    assert check_document("evaluation", 1, data, "m.yaml"), path


ASSURANCE = {
    "by": "Social Value Business",
    "standard": "SVQM Level 2 verification",
    "date": "2024-02-01",
    "scope": ["outreach-2024"],
    "result": "verified",
    "statement": "evidence/verification-letter.pdf",
}


def pack_doc(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "pack",
        "svqm": 1,
        "organisation": {"name": "T", "type": "other"},
        "award": {
            "level": 1,
            "scheme": "core",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
        },
        **extra,
    }


def test_schema_assurance() -> None:
    assert check_document("pack", 1, pack_doc(assurance=[ASSURANCE]), "svqm.yaml") == []
    whole = {k: v for k, v in ASSURANCE.items() if k not in ("scope", "statement")}
    assert check_document("pack", 1, pack_doc(assurance=[whole]), "svqm.yaml") == []
    for key, bad in (("result", "passed"), ("date", "1 Feb 2024"), ("scope", "x"), ("by", "")):
        wrong = pack_doc(assurance=[{**ASSURANCE, key: bad}])
        assert check_document("pack", 1, wrong, "svqm.yaml"), key
    missing = pack_doc(assurance=[{k: v for k, v in ASSURANCE.items() if k != "result"}])
    assert check_document("pack", 1, missing, "svqm.yaml")


# --- examples --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["level-3-mental-health-trust", "level-4-nhs-group"])
def test_level_3_and_4_examples_show_the_second_edition(name: str, run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name == name)
    result = run("validate", example, "--strict")
    assert result.returncode == 0, result.stdout
    data = json.loads(run("value", example, "--format", "json").stdout)
    negatives = [o for m in data["impact_maps"] for o in m["outcomes"] if o["negative"]]
    assert negatives and all(o["present_value"] < 0 for o in negatives)
    texts = "".join(p.read_text(encoding="utf-8") for p in example.rglob("*.yaml"))
    for key in (
        "activities:",
        "outputs:",
        "leads_to:",
        "basis:",
        "materiality:",
        "excluded_outcomes:",
        "limitations:",
        "assurance:",
        "statement:",
    ):
        assert key in texts, key
    assert {p["status"] for p in data["pledge_progress"]} & {"no data"} == set()


# --- svqm init ---------------------------------------------------------------------------

OPTIONAL = (
    "activities:",
    "outputs:",
    "output:",
    "negative:",
    "materiality:",
    "basis:",
    "excluded_outcomes:",
    "limitations:",
    "assurance:",
)


def _uncomment(path: Path) -> int:
    """Uncomment the optional second-edition fields (and their indented items); count them."""
    lines, opened, inside = path.read_text(encoding="utf-8").splitlines(), 0, None
    for i, line in enumerate(lines):
        bare = line.lstrip()
        indent = len(line) - len(bare)
        if bare.startswith("# ") and bare[2:].startswith(OPTIONAL):
            lines[i], inside = " " * indent + bare[2:], indent
            opened += 1
        elif inside is not None and bare.startswith("#  ") and indent == inside:
            lines[i] = " " * indent + bare[2:]
        else:
            inside = None
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return opened


@pytest.mark.parametrize("level", ["2", "3", "4"])
def test_init_shows_the_new_fields_and_they_validate(run: Run, tmp_path: Path, level: str) -> None:
    pack = tmp_path / "pack"
    assert run("init", pack, "--level", level).returncode == 0
    opened = sum(_uncomment(pack / name) for name in ("svqm.yaml", "forecast.yaml"))
    if (pack / "evaluation.yaml").exists():
        opened += _uncomment(pack / "evaluation.yaml")
    assert opened >= (9 if level == "2" else 12), opened
    (pack / "evidence").mkdir(exist_ok=True)
    (pack / "evidence" / "verification-letter.pdf").write_bytes(b"%PDF-1.4\n")
    if level == "2":  # the assurance entry names the evaluation, which Level 2 has not
        config = pack / "svqm.yaml"
        config.write_text(
            config.read_text().replace("[volunteering-evaluation]", "[volunteering-forecast]")
        )
    text = (pack / "forecast.yaml").read_text()
    assert "\nactivities:" in text and "    output: volunteer-hours-forecast" in text
    assert "\n  - id: charity-capacity-forecast" in text and "    negative: true" in text
    checked = run("validate", pack, "--strict", "--format", "json")
    assert checked.returncode == 0, checked.stdout
    value = json.loads(run("value", pack, "--format", "json").stdout)
    assert all(o["negative"] for m in value["impact_maps"] for o in m["outcomes"])
