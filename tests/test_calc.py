"""Calculations by hand for small cases, properties, and a published headline reproduced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svqm_cli.calc.lm3 import lm3, outward_code
from svqm_cli.calc.progress import AT_RISK, MET, MISSED, NO_DATA, ON_TRACK, status
from svqm_cli.calc.sensitivity import scenarios
from svqm_cli.calc.sroi import (
    ImpactMap,
    Outcome,
    Settings,
    impact_map_figures,
    impact_map_from,
    outcome_figures,
)

NO_DISCOUNT = Settings(discount_rate=D(0))
# spec §3 hand check: Q 100, V £1,000, d 0.20, a 0.25, o 0.10, n 3
HAND = Outcome(
    id="o",
    quantity=D(100),
    value=D(1000),
    duration=3,
    deadweight=D("0.20"),
    attribution=D("0.25"),
    drop_off=D("0.10"),
)


def one_map(*outcomes: Outcome, inputs: D = D(1000)) -> ImpactMap:
    return ImpactMap("m", "forecast", "scope", inputs, outcomes)


def test_five_years_of_drop_off_by_hand() -> None:
    o = Outcome(id="o", quantity=D(10), value=D(100), duration=5, drop_off=D("0.5"))
    f = outcome_figures(o, NO_DISCOUNT)
    assert f.yearly == (D(1000), D(500), D(250), D(125), D("62.5"))
    assert f.present_value == D("1937.5")
    discounted = outcome_figures(o, Settings(discount_rate=D("0.1")))
    by_hand = sum(v / D("1.1") ** t for t, v in enumerate(f.yearly, start=1))
    assert discounted.present_value == by_hand


def test_zero_discount_rate_adds_the_years() -> None:
    o = Outcome(id="o", quantity=D(3), value=D(7), duration=4)
    assert outcome_figures(o, NO_DISCOUNT).present_value == D(84)


def test_inline_proxy_and_defaults_from_pack_data() -> None:
    data = {
        "id": "m",
        "scope": {"name": "S", "type": "service"},
        "inputs": [{"description": "x", "value": D("500.50")}, {"description": "y", "value": 499}],
        "outcomes": [
            {
                "id": "a",
                "quantity": 4,
                "duration": 1,
                "proxy": {"value": D("25.00"), "unit": "u", "source": "s"},
            },
            {"id": "b", "quantity": 2, "duration": 1, "proxy": "named"},
        ],
    }
    m = impact_map_from("forecast", data, {"named": D(50)})
    assert m is not None and m.inputs_total == D("999.50")
    f = impact_map_figures(m, NO_DISCOUNT)
    assert [o.present_value for o in f.outcomes] == [D(100), D(100)]
    assert impact_map_from("forecast", data, {}) is None  # unknown proxy id


def test_full_deadweight_means_no_value() -> None:
    o = Outcome(id="o", quantity=D(10), value=D(10), duration=3, deadweight=D(1))
    f = impact_map_figures(one_map(o), Settings())
    assert f.present_value == 0 and f.sroi_ratio == 0 and f.payback_months is None


def test_published_headline_youth_programme() -> None:
    """A published forecast SROI of a youth programme (cited in shared/spec/domain.md §6):
    present value of benefits $4,760,250 against an investment of $847,166, no discounting;
    its authors print the ratio as 6:1 and give 5.62 unrounded. Only the headline figures
    were available, not the impact map, so the benefits enter as one outcome."""
    benefits = Outcome(id="benefits", quantity=D(1), value=D(4760250), duration=1)
    f = impact_map_figures(
        one_map(benefits, inputs=D(847166)), Settings(currency="USD", discount_rate=D(0))
    )
    assert f.sroi_ratio is not None
    assert round(f.sroi_ratio, 2) == D("5.62")
    assert round(f.sroi_ratio, 0) == D(6)


shares = st.decimals(min_value=0, max_value=1, places=2)


@settings(max_examples=200, deadline=None)
@given(
    low=shares,
    high=shares,
    quantity=st.integers(1, 10_000),
    value=st.decimals(min_value=0, max_value=100_000, places=2),
    years=st.integers(1, 10),
    drop=shares,
    rate=st.decimals(min_value=0, max_value=D("0.2"), places=3),
)
def test_ratio_falls_as_deadweight_rises_and_pv_is_never_negative(
    low: D, high: D, quantity: int, value: D, years: int, drop: D, rate: D
) -> None:
    low, high = min(low, high), max(low, high)
    config = Settings(discount_rate=rate)

    def ratio(deadweight: D) -> D:
        o = Outcome(
            id="o",
            quantity=D(quantity),
            value=value,
            duration=years,
            deadweight=deadweight,
            drop_off=drop,
        )
        f = impact_map_figures(one_map(o), config)
        assert f.present_value >= 0
        assert f.sroi_ratio is not None
        return f.sroi_ratio

    assert ratio(high) <= ratio(low)


def test_sensitivity_scenarios_and_break_even_points() -> None:
    m = one_map(HAND, inputs=D(20000))
    found = {s.key: s for s in scenarios(m, Settings())}
    assert list(found) == [
        "deadweight",
        "attribution",
        "displacement",
        "leakage",
        "drop_off",
        "proxy-10",
        "proxy-25",
        "duration-1",
    ]
    base = impact_map_figures(m, Settings()).sroi_ratio
    assert base is not None
    # Proxy values: the ratio is linear in them, so 1:1 at a cut of 1 - 1/ratio.
    assert round(found["proxy-10"].sroi_ratio or 0, 20) == round(base * D("0.9"), 20)
    assert round(found["proxy-25"].break_even or 0, 20) == round(1 - 1 / base, 20)
    # Deadweight +10 points: (1 - 0.30) / (1 - 0.20) of the base ratio.
    assert round(found["deadweight"].sroi_ratio or 0, 10) == round(base * D("0.7") / D("0.8"), 10)
    for key in ("deadweight", "attribution", "displacement", "leakage"):
        even = found[key].break_even
        assert even is not None
        field = "deadweight" if key == "deadweight" else key
        moved = Outcome(**{**HAND.__dict__, field: getattr(HAND, field) + even})
        ratio = impact_map_figures(one_map(moved, inputs=D(20000)), Settings()).sroi_ratio
        assert ratio is not None and abs(ratio - 1) < D("0.0001")
    assert found["drop_off"].break_even is None  # year 1 alone still beats 1:1
    assert found["drop_off"].break_even_label == "stays above 1:1"
    assert found["duration-1"].break_even == 1


def test_sensitivity_without_inputs_or_below_one() -> None:
    for s in scenarios(one_map(HAND, inputs=D(0)), Settings()):
        assert s.sroi_ratio is None and s.break_even is None
    low = scenarios(one_map(HAND, inputs=D(10_000_000)), Settings())
    assert all(s.break_even_label == "already at or below 1:1" for s in low)


def test_lm3_rounds() -> None:
    data = {
        "id": "p",
        "local_area": {"name": "Luton", "postcodes": ["LU1", "LU2"]},
        "income": 100000,
        "respend": {"suppliers": D("0.4"), "staff": D("0.5"), "survey": "s"},
        "spend": [
            {"supplier": "A", "amount": 20000, "local": True},
            {"supplier": "B", "amount": 10000, "postcode": "lu2 7ab"},
            {"supplier": "C", "amount": 15000, "postcode": "MK9 1AA"},
            {"supplier": "Staff", "type": "staff", "amount": 40000, "local": True},
            {"supplier": "Far staff", "type": "staff", "amount": 5000, "local": False},
        ],
    }
    x = lm3(data)
    assert (x.round_1, x.round_2, x.round_3) == (D(100000), D(70000), D(32000))
    assert x.score == D("2.02") and x.local_share == D(70000) / D(90000)
    assert lm3(dict(data, income=0)).score is None
    assert outward_code("LU1 3AB") == "LU1" and outward_code("sw1a1aa") == "SW1A"


START, DUE = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    ("target", "baseline", "actual", "as_of", "expected"),
    [
        (D(40), None, None, None, NO_DATA),
        (D(40), None, D(40), dt.date(2024, 6, 1), MET),
        (D(40), None, D(25), dt.date(2024, 7, 1), ON_TRACK),
        (D(40), None, D(10), dt.date(2024, 7, 1), AT_RISK),
        (D(40), None, D(39), DUE, MISSED),
        (D("4.2"), D("5.6"), D("4.9"), dt.date(2024, 7, 1), ON_TRACK),  # a reduction
        (D("4.2"), D("5.6"), D("5.5"), dt.date(2024, 10, 1), AT_RISK),
        (D("4.2"), D("5.6"), D("4.0"), dt.date(2024, 10, 1), MET),
    ],
)
def test_progress_status(
    target: D, baseline: D | None, actual: D | None, as_of: dt.date | None, expected: str
) -> None:
    assert status(target, baseline, DUE, START, actual, as_of) == expected


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
