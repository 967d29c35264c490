"""Recommendation and coupon figures, checked on their data."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.charts.recommend import algorithm_comparison_figure, coupon_budget_figure
from promo_core.coupons import CouponRule, build_coupon_list

LABELS = {"title": "Which method", "metric": "NDCG@10", "discovery": "New to the customer", "all": "All items",
          "baseline": "(baseline)", "baseline_legend": "Hatched: baseline"}


def test_algorithm_comparison_figure(shop_evaluation) -> None:
    figure = algorithm_comparison_figure(shop_evaluation, LABELS, {"hybrid": "混合"})
    traces = {(trace.name, bool(trace.marker.pattern.shape)): trace for trace in figure.data}
    # Solid bars are the methods, hatched ones the baselines, each mode in its own colour and slot.
    for mode, name in (("discovery", "New to the customer"), ("all", "All items")):
        rows = shop_evaluation[shop_evaluation["mode"] == mode]
        for baseline in (False, True):
            trace = traces[(name, baseline)]
            expected = rows[rows["baseline"] == baseline]
            assert [row[0] for row in trace.customdata] == expected["algorithm"].tolist()
            assert list(trace.y) == pytest.approx(expected["ndcg_at_k"].tolist())
            assert trace.offsetgroup == mode and trace.marker.color == traces[(name, False)].marker.color
    assert "混合" in traces[("New to the customer", False)].x and "hybrid" not in traces[("New to the customer", False)].x
    assert "buy_again" in [row[0] for row in traces[("All items", True)].customdata]
    # The legend: one solid swatch per mode and one hatched entry that says what hatching means.
    shown = [(trace.name, trace.marker.pattern.shape or "") for trace in figure.data if trace.showlegend is not False]
    assert shown == [("New to the customer", ""), ("All items", ""), ("Hatched: baseline", "/")]
    key = figure.data[-1]
    assert list(key.y) == [None] and key.marker.color not in {t.marker.color for t in figure.data[:-1]}
    assert figure.layout.title.text == "Which method" and figure.layout.yaxis.title.text == "NDCG@10"
    # The methods stay in the evaluation's order on the axis, although they are split into traces.
    order = shop_evaluation["algorithm"].drop_duplicates().map(lambda code: {"hybrid": "混合"}.get(code, code))
    assert list(figure.layout.xaxis.categoryarray) == order.tolist()


def test_algorithm_comparison_leaves_out_rating_rows() -> None:
    table = pd.DataFrame({"algorithm": ["popularity", "svd"], "mode": ["all", "rating"], "baseline": [True, False],
                          "ndcg_at_k": [0.1, float("nan")]})
    figure = algorithm_comparison_figure(table, LABELS)
    assert [trace.name for trace in figure.data] == ["All items", "Hatched: baseline"]
    assert list(figure.data[0].x) == ["popularity"]


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
