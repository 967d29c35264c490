"""Shares by group and trend by period on small frames with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.sentiment import sentiment_shares, sentiment_trend


@pytest.fixture
def scored() -> pd.DataFrame:
    labels = ["positive", "positive", "negative", "neutral", "positive", None]
    return pd.DataFrame({
        "item_id": ["A", "A", "A", "B", "B", "B"],
        "label": pd.Categorical(labels, categories=["negative", "neutral", "positive"]),
        "score": [0.8, 0.6, -0.5, 0.0, 0.9, float("nan")],
        "review_date": pd.to_datetime(["2025-11-03", "2025-11-05", "2025-11-11", "2025-11-12", "2025-11-20", "2025-11-20"]),
    })


def test_shares_by_group(scored: pd.DataFrame) -> None:
    result = sentiment_shares(scored, by="item_id")
    table = result.summary().set_index("group")
    assert table.loc["A", ["reviews", "negative", "neutral", "positive"]].tolist() == [3, 1, 0, 2]
    assert table.loc["A", "net"] == pytest.approx(1 / 3)
    assert table.loc["B", "share_neutral"] == pytest.approx(0.5)
    assert table.loc["A", "mean_score"] == pytest.approx(0.3)
    assert result.excluded == 1


def test_shares_of_everything(scored: pd.DataFrame) -> None:
    table = sentiment_shares(scored).summary()
    assert table["group"].tolist() == ["all"] and table["reviews"].tolist() == [5]


def test_weekly_trend_with_a_promotion(scored: pd.DataFrame) -> None:
    result = sentiment_trend(scored, freq="W", promotions={"11.11": "2025-11-11"})
    table = result.summary()
    assert table["period"].dt.strftime("%Y-%m-%d").tolist() == ["2025-11-03", "2025-11-10", "2025-11-17"]
    assert table["reviews"].tolist() == [2, 2, 1]
    assert table["promotion"].tolist() == ["", "11.11", ""]
    assert result.promotions["start"].tolist() == [pd.Timestamp("2025-11-11")]


def test_monthly_trend_by_group_with_a_date_range(scored: pd.DataFrame) -> None:
    promotions = pd.DataFrame({"name": ["Black Friday"], "start": ["2025-11-28"], "end": ["2025-12-01"]})
    table = sentiment_trend(scored, freq="M", by="item_id", promotions=promotions).summary()
    assert table[["group", "reviews"]].values.tolist() == [["A", 3], ["B", 2]]
    assert table["promotion"].tolist() == ["Black Friday", "Black Friday"]
