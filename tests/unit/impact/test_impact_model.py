"""Causal impact: planted effects recovered, no effect stays unclear, bad dates and short series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from promo_core import load_table
from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.impact import causal_impact, daily_series

ROOT = Path(__file__).resolve().parents[3]


def _series(days: int = 300, effect: float = 0.0, start: int = 240, seed: int = 0) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2025-01-01", periods=days, freq="D")
    weekly = 8 * np.sin(2 * np.pi * np.arange(days) / 7)
    control = 100 + np.cumsum(rng.normal(0, 1, days)) + weekly
    treated = 0.8 * control + 30 + rng.normal(0, 2, days)
    treated[start:] += effect
    return pd.Series(treated, index), pd.DataFrame({"other_categories": control}, index)


def test_planted_lift_is_recovered_with_controls() -> None:
    y, x = _series(effect=10.0)
    result = causal_impact(y, "2025-08-29", x)  # day 240
    assert result.summary_code == "impact_positive"
    assert result.average_low < 10.0 < result.average_high
    assert result.cumulative_low < 600.0 < result.cumulative_high
    assert result.probability > 0.99 and result.placebo_share == 0.0
    summary = result.summary().set_index("measure")
    post = result.daily[result.daily["period"] == "post"]
    assert summary.loc["cumulative", "effect"] == pytest.approx(post["effect"].sum())
    assert summary.loc["average", "days"] == 60 and len(result.placebos) == 5
    assert result.seasonality == 7 and result.notes == ()


def test_a_drop_is_negative() -> None:
    y, x = _series(effect=-12.0, seed=3)
    result = causal_impact(y, "2025-08-29", x)
    assert result.summary_code == "impact_negative" and result.average_high < 0


def test_no_effect_is_mostly_unclear() -> None:
    codes = []
    for seed in range(8):
        y, x = _series(days=200, start=160, seed=seed)
        codes.append(causal_impact(y, "2025-06-10", x, n_placebos=0, n_simulations=300).summary_code)
    assert codes.count("impact_unclear") >= 6  # 95% intervals: about 0.4 of 8 expected to exclude zero


@pytest.mark.parametrize("date", ["2024-12-01", "2025-01-01", "2026-01-01"])
def test_intervention_date_outside_the_series(date: str) -> None:
    y, _ = _series()
    with pytest.raises(SchemaError) as info:
        causal_impact(y, date)
    assert info.value.code == "intervention_outside_series"
    assert date in str(info.value) and "2025-01-01 to 2025-10-27" in str(info.value)


def test_short_series_falls_back_to_no_seasonality() -> None:
    y, x = _series(days=30, start=18, effect=10.0)
    result = causal_impact(y, "2025-01-19", x)
    assert result.seasonality is None
    note = next(n for n in result.notes if n.code == "seasonality_dropped")
    assert note.details == {"period": 7, "days": 18, "minimum": 21}
    assert len(result.daily) == 30 and result.daily["predicted"].iloc[18:].notna().all()


def test_pre_period_too_short() -> None:
    y, _ = _series(days=30)
    with pytest.raises(InsufficientDataError) as info:
        causal_impact(y, "2025-01-08")
    assert info.value.code == "pre_period_too_short" and "Only 7 days before 2025-01-08" in str(info.value)


def test_series_needs_dates() -> None:
    with pytest.raises(SchemaError) as info:
        causal_impact(pd.Series([1.0] * 40), "2025-01-20")
    assert info.value.code == "series_not_dated"


def test_missing_days_are_counted_and_skipped() -> None:
    y, x = _series(effect=10.0)
    y = y.drop(y.index[[50, 51, 260]])
    result = causal_impact(y, "2025-08-29", x)
    assert [n.details["days"] for n in result.notes if n.code == "days_missing"] == [3]
    assert result.summary().set_index("measure").loc["average", "days"] == 59
    assert result.average_low < 10.0 < result.average_high


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "orders.csv", "orders").frame


def test_daily_series_from_orders(orders: pd.DataFrame) -> None:
    pooled = daily_series(orders, "category", ["tea", "snacks"])
    assert list(pooled.columns) == ["treated", "control"]
    assert pooled.index[0] == pd.Timestamp("2025-07-01") and pooled.index[-1] == pd.Timestamp("2026-09-30")
    assert len(pooled) == 457 and pooled.index.is_unique
    treated = orders[orders["category"].isin(["tea", "snacks"])]["amount"].sum()
    assert pooled["treated"].sum() == pytest.approx(treated)
    assert pooled.to_numpy().sum() == pytest.approx(orders["amount"].sum())
    each = daily_series(orders, "category", ["tea"], controls="each")
    assert len(each.columns) == 10 and "tea" not in each.columns
    result = causal_impact(pooled["treated"], "2026-06-01", pooled[["control"]], n_placebos=2, n_simulations=200)
    assert result.summary_code in {"impact_positive", "impact_negative", "impact_unclear"}
    assert len(result.daily) == 457


def test_daily_series_unknown_value(orders: pd.DataFrame) -> None:
    with pytest.raises(SchemaError) as info:
        daily_series(orders, "channel", ["tiktok"])
    assert info.value.code == "treated_values_not_found"
    assert "'tiktok'" not in str(info.value) and "tiktok" in str(info.value) and "app, marketplace" in str(info.value)
    with pytest.raises(SchemaError) as info:
        daily_series(orders, "channel", ["app", "marketplace", "mini-program", "web"])
    assert info.value.code == "no_control_values" and "'channel'" in str(info.value)
