"""`svqm value` end to end, on the examples and on small packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, MINIMAL_PACK, Run, write_pack

SPEC_MAP_KEYS = {
    "id",
    "kind",
    "scope",
    "inputs_total",
    "present_value",
    "net_present_value",
    "sroi_ratio",
    "payback_months",
    "outcomes",
}


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_value_json_on_every_example(run: Run, example: Path) -> None:
    result = run("value", example, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"currency", "discount_rate", "impact_maps", "totals"} <= set(data)
    assert set(data["totals"]) == {"forecast", "evaluation"}
    for m in data["impact_maps"]:
        assert set(m) >= SPEC_MAP_KEYS
        for o in m["outcomes"]:
            assert {"id", "impact_year_1", "present_value"} <= set(o)
        total = round(sum(o["present_value"] for o in m["outcomes"]), 2)
        assert abs(total - m["present_value"]) <= 0.01 * len(m["outcomes"])
    assert run("value", example, "--format", "json").stdout == result.stdout  # same bytes


def test_level_3_example_figures(run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-3-"))
    data = json.loads(run("value", example, "--format", "json").stdout)
    maps = {m["id"]: m for m in data["impact_maps"]}
    housing = maps["housing-evaluation-2024"]
    assert housing["inputs_total"] == 405000.0
    assert housing["present_value"] == 597335.29
    assert housing["sroi_ratio"] == 1.4749
    assert housing["payback_months"] == 9.5
    comparison = housing["forecast_comparison"]
    assert comparison["forecast"] == "housing-forecast-2024"
    assert comparison["difference"] == -70078.41 and comparison["percentage"] == -10.5
    # with the negative commuting-emissions outcome subtracted
    assert data["totals"]["evaluation"]["present_value"] == 992361.13
    assert data["totals"]["forecast"]["sroi_ratio"] == 1.6479
    assert {p["status"] for p in data["pledge_progress"]} == {"met"}


def test_level_4_example_has_lm3(run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-4-"))
    data = json.loads(run("value", example, "--format", "json").stdout)
    (x,) = data["lm3"]
    assert x["lm3"] == 1.7856 and x["local_share"] == 0.5699


def test_value_text_shows_tables_and_formats(run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-2-"))
    out = run("value", example).stdout
    for heading in (
        "Impact maps",
        "Outcomes of outreach-2024",
        "Sensitivity of outreach-2024",
        "Present value of forecasts by theme",
        "Pledge progress",
    ):
        assert heading in out
    assert "£2.16 : £1" in out and "£232,398.73" in out


def test_value_refuses_a_pack_with_errors(run: Run) -> None:
    case = next(p for p in INVALID if p.name.startswith("sv101"))
    result = run("value", case)
    assert result.returncode == 1 and "SV101" in result.stdout
    data = json.loads(run("value", case, "--format", "json").stdout)
    assert data["valid"] is False


def test_zero_inputs_and_full_drop_off(run: Run, tmp_path: Path) -> None:
    files = dict(MINIMAL_PACK)
    files["svqm.yaml"] = files["svqm.yaml"].replace("level: 1", "level: 2")
    files["stakeholders.yaml"] = "kind: stakeholders\nstakeholders:\n  - {id: residents, name: R}\n"
    files["proxies.yaml"] = (
        "kind: proxies\nproxies:\n  - {id: job, description: A job, "
        "value: 100, unit: person, source: Test}\n"
    )
    files["forecast.yaml"] = (
        "kind: forecast\nid: f\nscope: {name: S, type: project}\n"
        "period: {start: 2024-01-01, end: 2024-12-31}\ninputs: []\noutcomes:\n"
        "  - {id: o, stakeholder: residents, description: d, indicator: i, quantity: 2, "
        "proxy: job, duration: 3, deadweight: 0.1, drop_off: 1}\n"
    )
    write_pack(tmp_path, files)
    check = json.loads(run("validate", tmp_path, "--format", "json").stdout)
    assert [f["code"] for f in check["findings"]] == ["SV405"]
    result = run("value", tmp_path, "--format", "json")
    assert result.returncode == 0, result.stderr
    (m,) = json.loads(result.stdout)["impact_maps"]
    assert m["sroi_ratio"] is None and m["inputs_total"] == 0.0
    assert m["outcomes"][0]["yearly"] == [180.0, 0.0, 0.0]
    assert all(s["sroi_ratio"] is None for s in m["sensitivity"])
    text = run("value", tmp_path)
    assert text.returncode == 0 and "no ratio (inputs are zero)" in text.stdout


def test_value_step_option(run: Run) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-2-"))
    data = json.loads(run("value", example, "--format", "json", "--step", "0.2").stdout)
    assert data["sensitivity_step"] == 0.2
    assert data["impact_maps"][0]["sensitivity"][0]["label"] == "Deadweight +20 points"
    assert run("value", example, "--step", "2").returncode == 2
