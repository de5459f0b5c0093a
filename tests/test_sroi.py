from __future__ import annotations

from decimal import Decimal as D

from svqm_cli.calc.sroi import (
    ImpactMap,
    Outcome,
    Settings,
    impact_map_figures,
    outcome_figures,
)

HAND = Outcome(
    id="o",
    quantity=D(100),
    value=D(1000),
    duration=3,
    deadweight=D("0.20"),
    attribution=D("0.25"),
    drop_off=D("0.10"),
)


def test_hand_computed_check_from_the_spec() -> None:
    """spec §3: I1 £60,000; £60,000 / £54,000 / £48,600; PV £152,215.01; ratio 7.61."""
    figures = impact_map_figures(ImpactMap("m", "forecast", "s", D(20000), (HAND,)), Settings())
    (outcome,) = figures.outcomes
    assert outcome.impact_year_1 == D(60000)
    assert outcome.yearly == (D(60000), D(54000), D(48600))
    assert round(figures.present_value, 2) == D("152215.01")
    assert round(figures.net_present_value, 2) == D("132215.01")
    assert figures.sroi_ratio is not None and round(figures.sroi_ratio, 2) == D("7.61")
    assert figures.payback_months is not None and round(figures.payback_months, 1) == D("4.0")


def test_year_one_undiscounted_and_start_two() -> None:
    plain = Settings(discount_first_year=False)
    assert (
        outcome_figures(HAND, plain).present_value > outcome_figures(HAND, Settings()).present_value
    )
    one = Outcome(id="o", quantity=D(1), value=D(100), duration=1)
    assert outcome_figures(one, plain).present_value == D(100)
    later = Outcome(id="o", quantity=D(1), value=D("103.5"), duration=1, start=2)
    assert round(outcome_figures(later, Settings()).present_value, 6) == round(
        D("103.5") / D("1.035") ** 2, 6
    )


def test_zero_inputs_give_no_ratio() -> None:
    figures = impact_map_figures(ImpactMap("m", "forecast", "s", D(0), (HAND,)), Settings())
    assert figures.sroi_ratio is None


def test_full_deadweight_gives_nothing() -> None:
    gone = Outcome(id="o", quantity=D(10), value=D(10), duration=2, deadweight=D(1))
    figures = impact_map_figures(ImpactMap("m", "forecast", "s", D(5), (gone,)), Settings())
    assert figures.present_value == 0 and figures.payback_months is None


def test_full_drop_off_leaves_only_year_one() -> None:
    gone = Outcome(id="o", quantity=D(1), value=D(100), duration=3, drop_off=D(1))
    assert outcome_figures(gone, Settings()).yearly == (D(100), D(0), D(0))
