"""Recommendation and coupon figures, checked on their data."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.charts.recommend import algorithm_comparison_figure, coupon_budget_figure
from promo_core.coupons import CouponRule, build_coupon_list

LABELS = {"title": "Which method", "metric": "NDCG@10", "discovery": "New to the customer", "all": "All items",
          "baseline": "(baseline)"}


def test_algorithm_comparison_figure(shop_evaluation) -> None:
    figure = algorithm_comparison_figure(shop_evaluation, LABELS, {"hybrid": "混合"})
    assert [trace.name for trace in figure.data] == ["New to the customer", "All items"]
    discovery = shop_evaluation[shop_evaluation["mode"] == "discovery"]
    assert list(figure.data[0].y) == pytest.approx(discovery["ndcg_at_k"].tolist())
    assert "混合" in figure.data[0].x and "hybrid" not in figure.data[0].x
    codes = [row[0] for row in figure.data[1].customdata]
    patterns = list(figure.data[1].marker.pattern.shape)
    assert patterns[codes.index("buy_again")] == "/" and patterns[codes.index("hybrid")] == ""
    assert figure.layout.title.text == "Which method" and figure.layout.yaxis.title.text == "NDCG@10"


def test_algorithm_comparison_leaves_out_rating_rows() -> None:
    table = pd.DataFrame({"algorithm": ["popularity", "svd"], "mode": ["all", "rating"], "baseline": [True, False],
                          "ndcg_at_k": [0.1, float("nan")]})
    figure = algorithm_comparison_figure(table, LABELS)
    assert len(figure.data) == 1 and list(figure.data[0].x) == ["popularity"]


def test_coupon_budget_figure() -> None:
    recs = pd.DataFrame({"customer_id": ["a", "b", "c"], "item_id": ["X", "X", "Y"], "rank": [1, 1, 1]})
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": ["loyal", "loyal", "lost"]})
    items = pd.DataFrame({"item_id": ["X", "Y"], "price": [10.0, 40.0]})
    coupons = build_coupon_list(recs, customers, [CouponRule("*", "percent", 10)], 100.0, items=items)
    labels = {"title": "Used {used} of {budget}", "expected_cost": "Cost", "expected_value": "Value",
              "customers": "Customers"}
    figure = coupon_budget_figure(coupons, labels, {"lost": "流失"})
    assert [trace.name for trace in figure.data] == ["Cost", "Value"]
    assert list(figure.data[0].y) == ["loyal", "流失"]  # cheapest segment first
    assert list(figure.data[0].x) == pytest.approx([2.0, 4.0])
    assert [row[0] for row in figure.data[0].customdata] == ["loyal", "lost"]
    assert figure.layout.title.text == "Used 6.00 of 100.00"
