"""Budget allocation: invariants as properties, planted curves recovered, the sample shop end to end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promo_core.ctr import (
    ResponseCurves,
    allocate_budget,
    daily_history,
    fit_response_curves,
    optimal_split,
    saturation,
)


@st.composite
def problems(draw):
    """Random concave curves, bounds that contain a current split, and a budget inside the bounds."""
    n = draw(st.integers(2, 6))
    floats = st.floats(0.01, 1000.0, allow_nan=False, allow_infinity=False)
    a = np.array(draw(st.lists(st.floats(0.0, 1000.0), min_size=n, max_size=n)))
    b = np.array(draw(st.lists(floats, min_size=n, max_size=n)))
    current = np.array(draw(st.lists(st.floats(0.0, 500.0), min_size=n, max_size=n)))
    low = current * np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)))
    high = current + np.array(draw(st.lists(st.floats(0.0, 500.0), min_size=n, max_size=n)))
    return a, b, low, high, current


def _value(x, a, b) -> float:
    return float(saturation(x, a, b).sum())


@settings(max_examples=300, deadline=None)
@given(problems())
def test_split_respects_bounds_spends_the_budget_and_never_loses_to_current(problem) -> None:
    a, b, low, high, current = problem
    budget = math.fsum(current)
    if budget <= 0:
        return
    x = optimal_split(a, b, low, high, budget)
    assert np.all(x >= low) and np.all(x <= high)
    assert abs(math.fsum(x) - budget) <= 1e-9 * budget
    assert _value(x, a, b) >= _value(current, a, b) - 1e-9 * max(1.0, _value(current, a, b))


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(0.0, 1.0))
def test_any_budget_between_the_bounds_is_spent_exactly(problem, share) -> None:
    a, b, low, high, _ = problem
    budget = low.sum() + share * (high.sum() - low.sum())
    if budget <= 0:
        return
    x = optimal_split(a, b, low, high, budget)
    assert np.all(x >= low) and np.all(x <= high)
    assert abs(math.fsum(x) - budget) <= 1e-9 * budget


def test_interior_channels_share_one_marginal_return() -> None:
    a, b = np.array([100.0, 60.0, 30.0]), np.array([50.0, 20.0, 40.0])
    x = optimal_split(a, b, np.zeros(3), np.full(3, 1e6), 120.0)
    marginal = a / b * np.exp(-x / b)
    assert marginal == pytest.approx(np.full(3, marginal[0]), rel=1e-9)
    assert x.sum() == pytest.approx(120.0, abs=1e-9)


def test_flat_curves_still_spend_the_budget_within_bounds() -> None:
    x = optimal_split(np.zeros(3), np.ones(3), np.array([1.0, 0.0, 0.0]), np.array([5.0, 2.0, 10.0]), 12.0)
    assert x.sum() == pytest.approx(12.0, abs=1e-12) and np.all(x <= [5.0, 2.0, 10.0]) and x[0] >= 1.0


def _planted_history(seed: int = 0, days: int = 120) -> tuple[pd.DataFrame, dict[str, tuple[float, float]]]:
    rng = np.random.default_rng(seed)
    truth = {"search": (400.0, 300.0), "social": (150.0, 60.0), "video": (80.0, 200.0)}
    rows = []
    for channel, (a, b) in truth.items():
        spend = b * rng.uniform(0.1, 2.5, days)
        outcome = rng.poisson(saturation(spend, a, b))
        rows += [{"date": d, "channel": channel, "spend": s, "conversions": o} for d, s, o in zip(range(days), spend, outcome)]
    return pd.DataFrame(rows), truth


def test_planted_curves_are_recovered_inside_their_bootstrap_intervals() -> None:
    history, truth = _planted_history()
    curves = fit_response_curves(history, "conversions", n_boot=100, seed=1)
    table = curves.table.set_index("channel")
    for channel, (a, b) in truth.items():
        row = table.loc[channel]
        assert row["a"] == pytest.approx(a, rel=0.1) and row["b"] == pytest.approx(b, rel=0.2)
        assert row["a_low"] <= a <= row["a_high"] and row["b_low"] <= b <= row["b_high"]
    assert curves.draws.shape == (100, 3, 2)


def test_allocation_against_the_current_split_with_uncertainty() -> None:
    history, truth = _planted_history()
    result = allocate_budget(history, bounds={"video": (20.0, None)}, n_boot=100)
    t = result.summary().set_index("channel")
    assert result.budget == pytest.approx(t["current_spend"].sum())
    assert math.fsum(t["recommended_spend"]) == pytest.approx(result.budget, abs=1e-9 * result.budget)
    assert t.loc["video", "recommended_spend"] >= 20.0 and t.loc["video", "low"] == 20.0
    max_spend = result.curves.table.set_index("channel")["max_spend"]
    assert t["high"].tolist() == pytest.approx((2 * max_spend.loc[t.index]).tolist())
    assert result.gain == pytest.approx(result.expected_outcome - result.current_outcome)
    assert result.gain > 0 and result.expected_low <= result.expected_outcome <= result.expected_high
    assert result.gain_low <= result.gain <= result.gain_high
    a, b = np.array([truth[c][0] for c in t.index]), np.array([truth[c][1] for c in t.index])
    best = optimal_split(a, b, t["low"].to_numpy(), t["high"].to_numpy(), result.budget)
    true_value = saturation(t["recommended_spend"].to_numpy(), a, b).sum()
    assert true_value >= 0.99 * saturation(best, a, b).sum()  # near the true optimum


def test_a_channel_left_out_says_why() -> None:
    """A channel capped at 0 is left out by its bound; with a small budget, the channel whose first
    unit returns least is left out by its curve, and its first unit brings less than the level."""
    history, _ = _planted_history()
    curves = fit_response_curves(history, n_boot=20)
    [capped] = allocate_budget(curves, budget=900.0, bounds={"video": (0.0, 0.0)}).unfunded().to_dict("records")
    assert (capped["channel"], capped["reason"]) == ("video", "bound")
    small = allocate_budget(curves, budget=5.0)
    t, left = small.table.set_index("channel"), small.unfunded()
    assert len(left) >= 1 and set(left["reason"]) == {"return"}
    funded = t[t["recommended_spend"] >= 0.005]
    assert (left["level"] == funded["marginal_return"].min()).all()
    assert (left["first_return"] < left["level"]).all()
    assert left["first_return"].tolist() == t.loc[left["channel"], "marginal_return"].tolist()


def test_curves_given_directly_and_a_budget_of_choice() -> None:
    history, _ = _planted_history()
    curves = fit_response_curves(history, n_boot=20)
    result = allocate_budget(curves, budget=900.0)
    assert result.curves is curves and result.spend == pytest.approx(900.0, abs=1e-9)
    more = allocate_budget(curves, budget=1200.0)
    assert more.expected_outcome > result.expected_outcome


def test_roas_target_stops_spending_where_revenue_per_unit_falls_below_it() -> None:
    history, _ = _planted_history()
    history = history.rename(columns={"conversions": "revenue"})
    curves = fit_response_curves(history, "revenue", n_boot=20)
    full = allocate_budget(curves, objective="revenue")
    target = 1.2 * full.expected_outcome / full.budget  # the full budget misses this ROAS
    capped = allocate_budget(curves, objective="roas_target", roas_target=target)
    assert capped.spend < capped.budget
    assert capped.expected_outcome / capped.spend == pytest.approx(target, rel=1e-6)
    assert "roas_target_limits_spend" in capped.notes_table()["code"].tolist()
    easy = allocate_budget(curves, objective="roas_target", roas_target=0.5 * target)
    assert easy.spend == pytest.approx(easy.budget, abs=1e-9)
    impossible = allocate_budget(curves, objective="roas_target", roas_target=1e6,
                                 bounds={"search": (10.0, None)})
    assert impossible.spend == pytest.approx(10.0) and "roas_target_unreachable" in impossible.notes_table()["code"].tolist()


def test_daily_history_adds_up_to_the_events(shop_ads) -> None:
    history = daily_history(shop_ads)
    assert history.columns.tolist() == ["date", "channel", "spend", "impressions", "clicks", "conversions", "revenue"]
    assert len(history) == 300  # 60 days x 5 channels
    assert history["spend"].sum() == pytest.approx(shop_ads["cost"].sum(), rel=1e-12)
    assert history["clicks"].sum() == shop_ads["clicked"].sum()
    assert history["impressions"].sum() == len(shop_ads)


def test_sample_shop_allocation_end_to_end(shop_ads) -> None:
    result = allocate_budget(shop_ads, objective="clicks", n_boot=30)
    t = result.summary()
    assert set(t["channel"]) == {"search", "social", "display", "video", "email"}
    assert (t["recommended_spend"] <= t["high"]).all() and (t["recommended_spend"] >= t["low"]).all()
    assert result.expected_outcome >= result.current_outcome
    assert isinstance(result.curves, ResponseCurves) and result.curves.outcome == "clicks"
