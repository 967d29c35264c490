"""Campaign figures, checked on their data: trace names, values and label texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import ab_test, segment_lifts
from promo_core.charts.campaign import (
    impact_figure, lift_figure, qini_figure, segment_forest_figure, uplift_deciles_figure,
)
from promo_core.impact import causal_impact
from promo_core.money import CURRENCIES
from promo_core.uplift import fit_uplift


def test_lift_figure(shop_campaign) -> None:
    result = ab_test(shop_campaign, "converted")
    figure = lift_figure(result, {"title": "Lift", "x_title": "Δ conversion", "lift": "lift"})
    trace = figure.data[0]
    assert list(trace.y) == ["coupon_10", "coupon_20"]
    assert list(trace.x) == pytest.approx((result.table["abs_lift"] * 100).tolist())
    assert list(trace.error_x.arrayminus) == pytest.approx(
        ((result.table["abs_lift"] - result.table["abs_lift_low"]) * 100).tolist()
    )
    assert figure.layout.title.text == "Lift" and figure.layout.xaxis.title.text == "Δ conversion"
    relative = lift_figure(result, {"title": "t", "x_title": "x", "lift": "l"}, relative=True)
    assert list(relative.data[0].x) == pytest.approx(result.table["rel_lift"].tolist())


def test_rate_differences_are_percentage_points_not_percent(shop_campaign) -> None:
    """+2.69 pp in the table must not read as +2.7% on the axis (a relative change)."""
    conversion = ab_test(shop_campaign, "converted")
    labels = {"title": "t", "x_title": "x", "lift": "l"}
    assert lift_figure(conversion, labels).layout.xaxis.tickformat is None
    assert lift_figure(conversion, labels, relative=True).layout.xaxis.tickformat == ".1%"
    revenue = ab_test(shop_campaign, "revenue")
    amounts = lift_figure(revenue, labels)
    assert list(amounts.data[0].x) == pytest.approx(revenue.table["abs_lift"].tolist())
    assert amounts.layout.xaxis.tickformat is None
    forest = segment_forest_figure(segment_lifts(shop_campaign, "converted", "segment"), {"title": "t", "x_title": "x"})
    assert forest.layout.xaxis.tickformat is None


def test_only_amounts_carry_the_currency(shop_campaign) -> None:
    labels, yuan = {"title": "t", "x_title": "x", "lift": "l"}, CURRENCIES["CNY"]
    revenue = lift_figure(ab_test(shop_campaign, "revenue"), labels, currency=yuan)
    assert revenue.layout.xaxis.tickprefix == "¥" and "¥%{x:.4g}" in revenue.data[0].hovertemplate
    assert not lift_figure(ab_test(shop_campaign, "revenue"), labels, relative=True, currency=yuan).layout.xaxis.tickprefix
    assert not lift_figure(ab_test(shop_campaign, "converted"), labels, currency=yuan).layout.xaxis.tickprefix
    forest = segment_forest_figure(segment_lifts(shop_campaign, "revenue", "segment"), labels, currency=yuan)
    assert forest.layout.xaxis.tickprefix == "¥"


def test_segment_forest_figure(shop_campaign) -> None:
    result = segment_lifts(shop_campaign, "converted", "segment")
    figure = segment_forest_figure(result, {"title": "By segment", "x_title": "lift"}, {"at_risk": "流失风险"})
    assert [t.name for t in figure.data] == ["coupon_10", "coupon_20"]
    first = result.table[result.table["variant"] == "coupon_10"]
    assert list(figure.data[0].y)[0] == "流失风险" and list(figure.data[0].y)[1:] == first["segment"].tolist()[1:]
    assert list(figure.data[0].x) == pytest.approx((first["abs_lift"] * 100).tolist())
    assert list(figure.data[0].customdata[:, 0]) == first["segment"].tolist()


def test_uplift_figures(shop_campaign) -> None:
    result = fit_uplift(shop_campaign, "group", "converted", ["segment", "pre_revenue"], folds=3, n_permutations=10)
    qini = qini_figure(result, {"title": "Qini", "x_title": "treated", "y_title": "extra", "model": "model",
                                "random": "random"})
    assert [t.name for t in qini.data] == ["model", "random"]
    assert list(qini.data[0].y) == pytest.approx(result.qini["qini"].tolist())
    assert qini.data[1].y[-1] == pytest.approx(result.qini["qini"].iloc[-1]) and qini.data[1].y[0] == 0
    deciles = uplift_deciles_figure(result, {"title": "D", "x_title": "decile", "y_title": "uplift",
                                             "observed": "observed", "predicted": "predicted"})
    assert [t.type for t in deciles.data] == ["bar", "scatter"]
    assert list(deciles.data[0].x) == list(range(1, 11))
    assert list(deciles.data[1].y) == pytest.approx((result.deciles["predicted_uplift"] * 100).tolist())
    assert deciles.layout.yaxis.tickformat is None


def test_impact_figure() -> None:
    index = pd.date_range("2025-01-01", periods=60, freq="D")
    y = pd.Series(np.r_[np.full(40, 10.0), np.full(20, 14.0)] + np.random.default_rng(0).normal(0, 0.5, 60), index)
    result = causal_impact(y, "2025-02-10", n_simulations=100)
    labels = {"title": "Impact", "actual": "actual", "predicted": "expected", "interval": "95%",
              "cumulative": "cumulative", "intervention": "start", "y_title": "revenue", "effect_title": "effect",
              "day_format": "%Y年%-m月%-d日", "month_format": "%Y年%-m月", "year_format": "%Y年", "date_format": "%Y年%-m月%-d日"}
    figure = impact_figure(result, labels)
    assert [t.name for t in figure.data] == ["95%", "95%", "expected", "actual", "95%", "95%", "cumulative"]
    assert list(figure.data[3].y) == pytest.approx(y.tolist())
    assert len(figure.data[6].x) == 20
    assert figure.data[6].y[-1] == pytest.approx(result.cumulative_effect)
    assert figure.layout.annotations[0].text == "start"
    assert figure.layout.legend.orientation == "h" and figure.layout.legend.yref == "container"
    for axis in (figure.layout.xaxis, figure.layout.xaxis2):  # the caller's date formats, not plotly's English months
        assert [stop.value for stop in axis.tickformatstops] == ["%Y年%-m月%-d日", "%Y年%-m月", "%Y年"]
        assert axis.hoverformat == "%Y年%-m月%-d日"


def test_labels_are_required(shop_campaign) -> None:
    with pytest.raises(KeyError) as info:
        lift_figure(ab_test(shop_campaign, "converted"), {"title": "t"})
    assert info.value.args[0] in {"lift", "x_title"}
