"""Valuation depth (spec §5.7): uprating, WELLBYs and leakage checked against hand
computations to the penny, and the Monte Carlo range against cases whose answer is known."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from svqm_cli.calc.sensitivity import scenarios, tornado
from svqm_cli.calc.sroi import (
    ImpactMap,
    Outcome,
    Range,
    Settings,
    impact_map_figures,
    impact_map_from,
    priced_proxies,
    settings_from,
)
from svqm_cli.calc.uncertainty import simulate, simulate_maps
from svqm_cli.checking.schemas import check_document
from tests.conftest import ROOT, svqm_command
from tests.test_calc import HAND  # the spec's §3 hand check

DEFLATOR = {
    "source": "Test deflator",
    "index": {"2019": D("100.0"), "2023": D("117.5"), "2024": D("121.0")},
}
WELLBY = {
    "value": 13000,
    "low": 10000,
    "high": 16000,
    "year": 2019,
    "source": "HM Treasury Green Book wellbeing guidance",
}


def pack_settings(**extra: Any) -> Settings:
    return settings_from({"settings": {"base_year": 2024, "deflator": DEFLATOR, **extra}})


def outcome(proxy: Any, **fields: Any) -> dict[str, Any]:
    return {
        "id": "o",
        "stakeholder": "s",
        "description": "d",
        "indicator": "i",
        "quantity": 100,
        "duration": 3,
        "deadweight": D("0.20"),
        "attribution": D("0.25"),
        "drop_off": D("0.10"),
        "proxy": proxy,
        **fields,
    }


def one_map_data(*outcomes: dict[str, Any], inputs: int = 20000) -> dict[str, Any]:
    return {
        "id": "m",
        "scope": {"name": "S", "type": "service"},
        "inputs": [{"description": "Staff", "value": inputs}],
        "outcomes": list(outcomes),
    }


def test_uprating_by_hand() -> None:
    """£1,000 in 2019 prices, index 100.0 in 2019 and 121.0 in 2024: £1,000 x 121.0 / 100.0
    = £1,210 in 2024 prices. With the spec §3 hand check's shares (d 0.20, a 0.25, o 0.10,
    n 3): I1 = 100 x £1,210 x 0.80 x 0.75 = £72,600; years £72,600 / £65,340 / £58,806;
    discounted £72,600 / 1.035 = £70,144.93, £65,340 / 1.071225 = £60,995.59,
    £58,806 / 1.108717875 = £53,039.64; PV £184,180.16; ratio 9.21 on £20,000."""
    settings = pack_settings()
    proxies = priced_proxies(
        [{"proxies": [{"id": "p", "value": D("1000.00"), "year": 2019}]}], settings.pricing
    )
    assert proxies["p"].written == D(1000) and proxies["p"].used == D(1210)
    m = impact_map_from("forecast", one_map_data(outcome("p")), proxies, settings)
    assert m is not None
    figures = impact_map_figures(m, settings)
    (o,) = figures.outcomes
    assert o.impact_year_1 == D(72600)
    assert o.yearly == (D(72600), D(65340), D(58806))
    assert [round(v, 2) for v in o.discounted] == [
        D("70144.93"),
        D("60995.59"),
        D("53039.64"),
    ]
    assert round(figures.present_value, 2) == D("184180.16")
    assert figures.sroi_ratio is not None and round(figures.sroi_ratio, 2) == D("9.21")
    # an inline proxy in 2023 prices: £117.50 x 121.0 / 117.5 = £121.00 exactly
    inline = {"value": D("117.50"), "unit": "u", "source": "s", "year": 2023}
    m2 = impact_map_from("forecast", one_map_data(outcome(inline)), {}, settings)
    assert m2 is not None and m2.outcomes[0].value == D("121.00")
    # without a deflator a proxy is used as written
    plain = settings_from({"settings": {"base_year": 2024}})
    m3 = impact_map_from("forecast", one_map_data(outcome(inline)), {}, plain)
    assert m3 is not None and m3.outcomes[0].value == D("117.50")


def test_wellby_by_hand() -> None:
    """0.4 WELLBY per person at £13,000 (2019 prices) = £5,200, uprated to 2024:
    £5,200 x 121.0 / 100.0 = £6,292. 20 people, deadweight 0.20, one year:
    I1 = 20 x £6,292 x 0.80 = £100,672; PV £100,672 / 1.035 = £97,267.63; on £20,000 the
    ratio is 4.8634. The low and high WELLBY values scale the WELLBY outcomes' value:
    £97,267.63 x 10,000 / 13,000 / £20,000 = 3.7411 and x 16,000 / 13,000 = 5.9857;
    1:1 when a WELLBY is worth £13,000 x £20,000 / £97,267.63 = £2,673.04."""
    settings = pack_settings(wellby=WELLBY)
    proxy = {"wellby": D("0.4"), "source": "Residents' survey"}
    data = one_map_data(
        {
            "id": "w",
            "stakeholder": "s",
            "quantity": 20,
            "duration": 1,
            "deadweight": D("0.2"),
            "proxy": proxy,
        }
    )
    m = impact_map_from("forecast", data, {}, settings)
    assert m is not None
    assert m.outcomes[0].value == D(6292) and m.outcomes[0].wellby == D("0.4")
    figures = impact_map_figures(m, settings)
    assert figures.outcomes[0].impact_year_1 == D(100672)
    assert round(figures.present_value, 2) == D("97267.63")
    assert figures.sroi_ratio is not None and round(figures.sroi_ratio, 4) == D("4.8634")
    rows = {s.key: s for s in scenarios(m, settings)}
    low, high = rows["wellby-low"], rows["wellby-high"]
    assert low.sroi_ratio is not None and round(low.sroi_ratio, 4) == D("3.7411")
    assert high.sroi_ratio is not None and round(high.sroi_ratio, 4) == D("5.9857")
    assert low.break_even is not None and round(low.break_even, 2) == D("2673.04")
    assert low.break_even_label == "1:1 when a WELLBY is valued at £2,673"
    assert "wellby" in {s.key for s in tornado(m, settings)}
    # without settings.wellby (SV231 says so) the figures count nothing, and never crash
    bare = settings_from({"settings": {}})
    m0 = impact_map_from("forecast", data, {}, bare)
    assert m0 is not None and impact_map_figures(m0, bare).present_value == 0
    assert "wellby-low" not in {s.key for s in scenarios(m0, bare)}


def test_leakage_by_hand() -> None:
    """Leakage 0.10 on the spec §3 hand check: I1 = 100 x £1,000 x 0.80 x 0.75 x 0.90 =
    £54,000; years £54,000 / £48,600 / £43,740; discounted £52,173.91 + £45,368.62 +
    £39,450.97 = PV £136,993.51; ratio 6.85. Raising leakage 10 points gives 0.80/0.90 of
    the ratio; at the break-even point the ratio is 1:1."""
    leaky = replace(HAND, leakage=D("0.10"))
    m = ImpactMap("m", "forecast", "s", D(20000), (leaky,))
    figures = impact_map_figures(m, Settings())
    (o,) = figures.outcomes
    assert o.impact_year_1 == D(54000) and o.yearly == (D(54000), D(48600), D(43740))
    assert [round(v, 2) for v in o.discounted] == [D("52173.91"), D("45368.62"), D("39450.97")]
    assert round(figures.present_value, 2) == D("136993.51")
    assert figures.sroi_ratio is not None and round(figures.sroi_ratio, 2) == D("6.85")
    rows = {s.key: s for s in scenarios(m, Settings())}
    moved = rows["leakage"].sroi_ratio
    assert moved is not None
    assert round(moved, 12) == round(figures.sroi_ratio * D("0.8") / D("0.9"), 12)
    even = rows["leakage"].break_even
    assert even is not None
    at_even = Outcome(**{**leaky.__dict__, "leakage": leaky.leakage + even})
    ratio = impact_map_figures(ImpactMap("m", "forecast", "s", D(20000), (at_even,)), Settings())
    assert ratio.sroi_ratio is not None and abs(ratio.sroi_ratio - 1) < D("1e-20")
    # read from pack data too
    data = one_map_data(outcome({"value": 1000, "unit": "u", "source": "s"}, leakage=D("0.1")))
    parsed = impact_map_from("forecast", data, {}, Settings())
    assert parsed is not None and parsed.outcomes[0].leakage == D("0.1")


def test_share_break_even_is_exact_across_outcomes() -> None:
    """Two outcomes, deadweight 0.5 and 0: PV_i = c_i (1 - d_i - x). Raising both by x
    first takes the first to 100% at x = 0.5; the answer lies past it, so the solver must
    cross a kink: c = (1000, 1000) per unit, inputs 400 -> 1000 (1 - x) = 400 at x = 0.6."""
    no_discount = Settings(discount_rate=D(0))
    a = Outcome(id="a", quantity=D(1), value=D(1000), duration=1, deadweight=D("0.5"))
    b = Outcome(id="b", quantity=D(1), value=D(1000), duration=1)
    rows = {
        s.key: s for s in scenarios(ImpactMap("m", "forecast", "s", D(400), (a, b)), no_discount)
    }
    assert rows["deadweight"].break_even == D("0.6")


def test_monte_carlo_without_ranges_collapses_to_the_ratio() -> None:
    m = ImpactMap("m", "forecast", "s", D(20000), (HAND,))
    figures = impact_map_figures(m, Settings())
    u = simulate(m, figures, Settings())
    assert u.p5 == u.p50 == u.p95 == figures.sroi_ratio
    assert u.share_below_1 == 0 and u.draws == 10_000
    # a range of zero width draws nothing either
    flat = replace(HAND, ranges=(Range("quantity", D(100), D(100)),))
    m2 = ImpactMap("m", "forecast", "s", D(20000), (flat,))
    assert simulate(m2, figures, Settings()).p50 == figures.sroi_ratio
    # no inputs, no ratio
    m3 = ImpactMap("m", "forecast", "s", D(0), (HAND,))
    assert simulate(m3, impact_map_figures(m3, Settings()), Settings()).p50 is None


@pytest.mark.parametrize(
    "ranged",
    [
        Range("quantity", D(80), D(120)),
        Range("proxy", D("0.8"), D("1.2")),
        Range("deadweight", D("0.1"), D("0.3")),
    ],
)
def test_symmetric_range_on_a_linear_input_keeps_the_median(ranged: Range) -> None:
    """PV is linear in Q, in the proxy factor and in (1 - d): a symmetric triangular range
    leaves the median ratio at the central one (within 0.5%); the 5th and 95th lie either
    side, and no draw falls below 1:1 at a central ratio of 7.61."""
    o = replace(HAND, ranges=(ranged,))
    m = ImpactMap("m", "forecast", "s", D(20000), (o,))
    figures = impact_map_figures(m, Settings())
    u = simulate(m, figures, Settings())
    central = figures.sroi_ratio
    assert central is not None and u.p5 is not None and u.p50 is not None and u.p95 is not None
    assert abs(u.p50 - central) / central < D("0.005")
    assert u.p5 < central < u.p95
    assert u.share_below_1 == 0


def test_range_that_crosses_one_gives_a_share_below_one() -> None:
    """Central ratio 1 exactly (inputs = PV) with a symmetric quantity range: about half the
    draws fall below 1:1."""
    o = Outcome(
        id="o", quantity=D(10), value=D(100), duration=1, ranges=(Range("quantity", D(5), D(15)),)
    )
    settings = Settings(discount_rate=D(0))
    m = ImpactMap("m", "forecast", "s", D(1000), (o,))
    u = simulate(m, impact_map_figures(m, settings), settings)
    assert u.share_below_1 is not None and abs(u.share_below_1 - D("0.5")) < D("0.03")


def test_drop_off_and_duration_ranges_match_the_decimal_engine() -> None:
    """Ranges too narrow to move anything ([x, x + 1e-12] on drop-off, [n, n + 0.4] on a
    duration drawn and rounded to n): the closed form of the yearly sum gives the Decimal
    engine's ratio, with and without drop-off, at full drop-off, and for a later start."""
    for drop, years, start in ((D("0.3"), 5, 1), (D(0), 2, 1), (D(1), 4, 1), (D("0.1"), 3, 2)):
        central = replace(HAND, drop_off=drop, duration=years, start=start)
        o = Outcome(
            **{
                **central.__dict__,
                "ranges": (
                    Range("drop_off", drop, drop + D("1e-12")),
                    Range("duration", D(years), D(years) + D("0.4")),
                ),
            }
        )
        m = ImpactMap("m", "forecast", "s", D(20000), (o,))
        figures = impact_map_figures(m, Settings())
        u = simulate(m, figures, Settings())
        assert figures.sroi_ratio is not None and u.p5 is not None and u.p95 is not None
        assert abs(u.p5 - figures.sroi_ratio) < D("1e-9")
        assert abs(u.p95 - figures.sroi_ratio) < D("1e-9")


def test_many_maps_drawn_beside_give_what_each_map_gives_alone() -> None:
    """From 32 maps on, a worker process draws batches of maps while this process goes on,
    and this process draws the batches the worker has not started: each map has its own
    generator, so the figures are those of the map simulated alone, whoever draws it."""
    from svqm_cli.calc import uncertainty

    maps = []
    for n in range(70):
        o = replace(HAND, ranges=(Range("quantity", D(80 - n), D(120 + n)),))
        m = ImpactMap(f"m{n}", "forecast", "s", D(20000 + 500 * n), (o,))
        maps.append((m, impact_map_figures(m, Settings())))
    assert len(maps) >= uncertainty._WORKER_FROM
    pool = uncertainty._pool(len(maps))
    assert type(pool).__name__ == "ProcessPoolExecutor"
    pool.shutdown()
    together = simulate_maps(maps, Settings())
    assert together == [simulate(m, figures, Settings()) for m, figures in maps]
    assert len({u.p50 for u in together}) == 70


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*svqm_command(), *args], capture_output=True, text=True)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "examples" / "level-3-mental-health-trust", pack)
    first = run("value", str(pack), "--format", "json", "--uncertainty")
    again = run("value", str(pack), "--format", "json", "--uncertainty")
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout == again.stdout
    data = json.loads(first.stdout)
    ranged = [m for m in data["impact_maps"] if m["uncertainty"]["p5"] != m["uncertainty"]["p95"]]
    assert ranged, "the Level 3 example has ranges"
    for m in data["impact_maps"]:
        u = m["uncertainty"]
        assert set(u) == {"draws", "p5", "p50", "p95", "share_below_1"}
        assert u["p5"] <= u["p50"] <= u["p95"]
    config = pack / "svqm.yaml"
    config.write_text(config.read_text().replace("seed: 1", "seed: 2"))
    other = run("value", str(pack), "--format", "json", "--uncertainty")
    assert "seed: 2" in config.read_text()
    assert other.stdout != first.stdout
    plain = json.loads(run("value", str(pack), "--format", "json").stdout)
    assert all("uncertainty" not in m for m in plain["impact_maps"])


def test_schema_messages_for_valuation_settings() -> None:
    pack = {
        "kind": "pack",
        "svqm": 1,
        "organisation": {"name": "O", "type": "other"},
        "award": {
            "level": 2,
            "scheme": "core",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
        },
        "settings": {"deflator": DEFLATOR},
    }
    (finding,) = check_document("pack", 2, pack, "svqm.yaml")
    assert finding.code == "SV102" and "`base_year` is missing" in finding.message
    assert "base_year" in finding.hint
    both = {
        "kind": "proxies",
        "proxies": [{"id": "p", "description": "d", "source": "s", "value": 1, "wellby": D("0.2")}],
    }
    (finding,) = check_document("proxies", 2, both, "proxies.yaml")
    assert finding.code == "SV103" and finding.location.pointer == "/proxies/0/value"
    assert "not both" in finding.hint
    three = one_map_data(outcome("p", range={"quantity": [1, 2, 3]}))
    three["kind"] = "forecast"
    three["period"] = {"start": "2024-01-01", "end": "2024-12-31"}
    codes = {f.code for f in check_document("forecast", 2, three, "f.yaml")}
    assert codes == {"SV107"}


def test_init_level_2_shows_range_and_leakage_that_validate(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    assert run("init", str(pack), "--level", "2").returncode == 0
    forecast = pack / "forecast.yaml"
    text = forecast.read_text(encoding="utf-8")
    assert "# range:" in text and "# leakage:" in text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "# leakage:" in line)
    for i in range(start, start + 5):  # leakage, range and its three pairs
        lines[i] = lines[i].replace("# ", "", 1)
    forecast.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = run("validate", str(pack), "--format", "json")
    assert json.loads(checked.stdout)["valid"], checked.stdout
    assert "range:" in forecast.read_text() and "# range:" not in forecast.read_text()
    shown = json.loads(run("value", str(pack), "--format", "json", "--uncertainty").stdout)
    (m,) = shown["impact_maps"]
    assert m["uncertainty"]["p5"] < m["sroi_ratio"] < m["uncertainty"]["p95"]


def test_reports_show_price_years_wellbys_ranges_and_the_tornado(tmp_path: Path) -> None:
    example = ROOT / "examples" / "level-3-mental-health-trust"
    out = {}
    for fmt in ("html", "md", "docx"):
        target = tmp_path / f"report.{fmt}"
        result = run("render", str(example), "--format", fmt, "--output", str(target))
        assert result.returncode == 0, result.stdout + result.stderr
        out[fmt] = target
    html = out["html"].read_text(encoding="utf-8")
    for text in (
        "Likely range (5th to 95th percentile)",
        "£1.28 to £1.77 : £1",  # the housing forecast's range
        'class="chart tornado"',
        "0.3 WELLBY at £15,730.00",
        "£900.00 in 2022 prices, uprated",
        "leakage 5%",
        "WELLBY at its low value, £10,000",
        "Price year: every financial proxy is brought to 2024 prices",
        "leakage l, drop-off o",
    ):
        assert text in html, text
    md = out["md"].read_text(encoding="utf-8")
    assert "| Leakage |" in md and "Likely range of the ratio" in md
    assert "| One at a time (tornado) | Low | High |" in md
    from docx import Document

    doc = Document(str(out["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Likely range of the SROI ratio" in text and "Wellbeing: one WELLBY" in text
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    moved = "with each assumption moved down and up"
    assert sum(moved in c for c in captions) == 3  # one per impact map


def test_ranges_with_their_rules_switched_off_never_crash() -> None:
    """With SV232 and SV233 set to off a range may be reversed or miss its central value:
    the draws still run (reversed ends are swapped, the peak kept inside)."""
    o = Outcome(
        **{
            **HAND.__dict__,
            "ranges": (Range("quantity", D(120), D(110)), Range("deadweight", D("0.5"), D("0.4"))),
        }
    )
    m = ImpactMap("m", "forecast", "s", D(20000), (o,))
    u = simulate(m, impact_map_figures(m, Settings()), Settings())
    assert u.p5 is not None and u.p95 is not None and u.p5 <= u.p95


def test_compute_details_only_the_maps_chosen() -> None:
    """A report with a limit on its detailed sections asks compute for sensitivity, tornado
    and range of those maps only; theirs are what a full compute gives, the others have
    none, and every map's central figures are there."""
    from svqm_cli.calc.report import compute
    from svqm_cli.checking.check import check_pack

    pack, report = check_pack(ROOT / "examples" / "level-4-nhs-group")
    assert not report.errors
    full = compute(pack, uncertainty=None)
    assert len(full.maps) >= 3
    largest = max(range(len(full.maps)), key=lambda i: full.maps[i].figures.present_value)
    seen: list[int] = []

    def choose(figures: object) -> set[int]:
        seen.append(len(figures))  # type: ignore[arg-type]
        return {largest}

    some = compute(pack, uncertainty=None, detail=choose)
    assert seen == [len(full.maps)]
    for i, (a, b) in enumerate(zip(full.maps, some.maps, strict=True)):
        assert a.figures == b.figures and a.details == b.details
        if i == largest:
            assert (b.sensitivity, b.tornado, b.uncertainty) == (
                a.sensitivity,
                a.tornado,
                a.uncertainty,
            )
            assert b.sensitivity
        else:
            assert (b.sensitivity, b.tornado, b.uncertainty) == ((), (), None)
    assert some.totals == full.totals
