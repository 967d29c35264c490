"""Headline ad figures from plain sums, on a hand-computed log."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.ctr import ad_totals
from promo_core.errors import SchemaError


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "clicked": pd.array([True, True, False, False, None, True], dtype="boolean"),
            "converted": pd.array([True, False, True, False, False, None], dtype="boolean"),
            "cost": [0.5, 0.5, 0.1, 0.1, 0.1, 0.7],
            "revenue": [20.0, 0.0, 10.0, 0.0, 0.0, 0.0],
        }
    )


def test_ratios_from_hand_counts() -> None:
    totals = ad_totals(_log())
    assert (totals.impressions, totals.clicks) == (5, 3)  # the row without a click flag is not an impression
    assert (totals.conversions, totals.clicked_conversions) == (2, 1)  # one after a click, one view-through
    assert totals.cost == pytest.approx(2.0) and totals.revenue == 30.0
    assert totals.ctr == pytest.approx(3 / 5)
    assert totals.cvr == pytest.approx(1 / 3)
    assert totals.cpa == pytest.approx(2.0 / 2)
    assert totals.roas == pytest.approx(30.0 / 2.0)
    assert totals.summary()["metric"].tolist() == ["ctr", "cvr", "cpa", "roas"]


def test_missing_columns_and_zero_denominators_give_no_ratio() -> None:
    clicks_only = ad_totals(pd.DataFrame({"clicked": pd.array([False, False], dtype="boolean")}))
    assert clicks_only.ctr == 0.0
    assert (clicks_only.conversions, clicks_only.cost, clicks_only.revenue) == (None, None, None)
    assert (clicks_only.cvr, clicks_only.cpa, clicks_only.roas) == (None, None, None)
    free = ad_totals(_log().assign(cost=0.0))
    assert free.cpa == 0.0 and free.roas is None


def test_a_log_without_clicks_is_refused() -> None:
    with pytest.raises(SchemaError):
        ad_totals(pd.DataFrame({"cost": [1.0]}))
