"""Ad figures, tested on their data (trace names, values, axis texts), not pixels."""

from __future__ import annotations

import numpy as np
import pytest

from promo_core.charts.ads import (
    allocation_figure,
    calibration_figure,
    importance_figure,
    lift_figure,
    model_comparison_figure,
    response_curves_figure,
    roc_figure,
    segment_bars_figure,
    segment_heatmap_figure,
    shared_rate_range,
)
from promo_core.ctr import allocate_budget, segment_rates
from promo_core.money import CURRENCIES


def _labels(*keys: str) -> dict[str, str]:
    return {k: f"<{k}>" for k in keys}


@pytest.fixture(scope="module")
def allocation(shop_ads):
    return allocate_budget(shop_ads, objective="clicks", n_boot=20)


def test_model_comparison(click_model) -> None:
    figure = model_comparison_figure(click_model, _labels("title", "x_title", "y_title"), {"logistic": "Logistic"})
    bar = figure.data[0]
    assert list(bar.x) == ["Logistic", "random_forest", "gradient_boosting"]
    assert list(bar.y) == pytest.approx(click_model.comparison["validation_log_loss"].tolist())
    assert list(bar.marker.color).count("#2a9d8f") == 1 and bar.marker.color[0] == "#2a9d8f"
    assert figure.layout.title.text == "<title>" and figure.layout.yaxis.title.text == "<y_title>"


def test_model_comparison_axis_starts_at_zero_and_shows_the_values(click_model) -> None:
    """Candidates a few percent apart must not look several times apart: no truncated axis."""
    figure = model_comparison_figure(click_model, _labels("title", "x_title", "y_title"))
    assert figure.layout.yaxis.rangemode == "tozero" and figure.layout.yaxis.range is None
    losses = click_model.comparison["validation_log_loss"]
    assert list(figure.data[0].text) == [f"{v:.4f}" for v in losses]


def test_roc_curves(click_model) -> None:
    figure = roc_figure(click_model, _labels("title", "x_title", "y_title", "chance", "validation", "test"))
    names = [t.name for t in figure.data]
    assert names == ["logistic (<validation>)", "random_forest (<validation>)", "gradient_boosting (<validation>)",
                     "logistic (<test>)", "<chance>"]
    test_curve = figure.data[3]
    assert tuple(test_curve.meta) == ("logistic", "test")
    assert np.trapezoid(test_curve.y, test_curve.x) == pytest.approx(click_model.metrics["auc"], abs=0.005)


def test_calibration_chart(click_model) -> None:
    figure = calibration_figure(click_model, _labels("title", "x_title", "y_title", "model", "perfect"))
    assert [t.name for t in figure.data] == ["<perfect>", "<model>"]
    assert list(figure.data[1].x) == pytest.approx(click_model.reliability["predicted"].tolist())
    assert list(figure.data[1].y) == pytest.approx(click_model.reliability["observed"].tolist())


def test_lift_chart(click_model) -> None:
    figure = lift_figure(click_model, _labels("title", "x_title", "lift", "gain", "y_title", "gain_title"))
    assert [t.name for t in figure.data] == ["<lift>", "<gain>"]
    assert list(figure.data[0].y) == pytest.approx(click_model.lift["lift"].tolist())
    assert figure.data[1].y[-1] == pytest.approx(1.0) and figure.data[1].yaxis == "y2"


def test_lift_chart_legend_below_and_round_share_ticks(click_model) -> None:
    figure = lift_figure(click_model, _labels("title", "x_title", "lift", "gain", "y_title", "gain_title"))
    legend = figure.layout.legend
    assert legend.orientation == "h" and legend.yref == "container" and legend.y == 0 and legend.yanchor == "bottom"
    share = figure.layout.yaxis2
    assert list(share.tickvals) == [0, 0.25, 0.5, 0.75, 1] and share.tickformat == ".0%" and share.tickmode == "array"
    assert share.title.text == "<gain_title>" and share.title.standoff and share.automargin
    assert figure.layout.yaxis.title.standoff and figure.layout.yaxis.automargin


def test_importance_bars(click_model) -> None:
    figure = importance_figure(click_model, _labels("title", "x_title"), top=3, feature_names={"channel": "Channel"})
    bar = figure.data[0]
    assert list(bar.y)[-1] == "Channel" and list(bar.customdata)[-1] == "channel" and len(bar.y) == 3
    assert bar.x[-1] == pytest.approx(click_model.importance["auc_drop"].iloc[0])


def test_segment_heatmap_and_bars(click_model, shop_ads) -> None:
    table = segment_rates(click_model, shop_ads, ["channel", "creative"])
    figure = segment_heatmap_figure(table, "channel", "creative", _labels("title", "x_title", "y_title", "colorbar", "other"))
    heat = figure.data[0]
    assert list(heat.y) == sorted(table["channel"].unique()) and list(heat.x) == sorted(table["creative"].unique())
    cell = table[(table["channel"] == "email") & (table["creative"] == "countdown")].iloc[0]
    assert heat.z[list(heat.y).index("email")][list(heat.x).index("countdown")] == pytest.approx(cell["observed"])
    predicted = segment_heatmap_figure(table, "channel", "creative", _labels("title", "x_title", "y_title", "colorbar", "other"),
                                       value="predicted")
    assert predicted.data[0].z[0][0] == pytest.approx(table.iloc[0]["predicted"])
    # one colour scale for both maps: the same colour is the same rate
    low, high = shared_rate_range(table)
    assert (heat.zmin, heat.zmax) == (predicted.data[0].zmin, predicted.data[0].zmax) == (low, high)
    assert low == pytest.approx(min(table["observed"].min(), table["predicted"].min()))
    assert high == pytest.approx(max(table["observed"].max(), table["predicted"].max()))
    assert low < table["predicted"].min()  # on its own scale the predicted map would start higher
    assert "<other>: %{customdata[1]:.2%}" in heat.hovertemplate and "other " not in heat.hovertemplate
    assert heat.colorbar.title.text == "<colorbar>"
    one = segment_rates(click_model, shop_ads, "device")
    bars = segment_bars_figure(one, "device", _labels("title", "x_title", "y_title", "observed", "predicted"))
    assert [t.name for t in bars.data] == ["<observed>", "<predicted>"]
    assert list(bars.data[1].y) == pytest.approx(one["predicted"].tolist())


CURVE_LABELS = ("title", "x_title", "y_title", "history", "curve", "current", "recommended")


def test_response_curves_mark_current_and_recommended_spend(allocation) -> None:
    figure = response_curves_figure(allocation, _labels(*CURVE_LABELS))
    assert len(figure.data) == 4 * 5
    metas = [tuple(t.meta) for t in figure.data]
    assert metas[:4] == [("display", "history"), ("display", "curve"), ("display", "current"), ("display", "recommended")]
    search = allocation.table.set_index("channel").loc["search"]
    marker = figure.data[metas.index(("search", "recommended"))]
    assert marker.x[0] == pytest.approx(search["recommended_spend"])
    assert marker.y[0] == pytest.approx(search["recommended_outcome"])


def test_response_curves_one_panel_per_channel_with_a_legend_for_the_markers(allocation) -> None:
    """Each channel on its own axes, so small spenders are not squashed against zero beside search."""
    figure = response_curves_figure(allocation, _labels(*CURVE_LABELS))
    channels = allocation.table["channel"].tolist()
    assert [a.text for a in figure.layout.annotations][:5] == channels
    axes = {t.meta[0]: (t.xaxis, t.yaxis) for t in figure.data}
    assert len(set(axes.values())) == len(channels)
    display, search = (figure.layout[axes[c][0].replace("x", "xaxis")] for c in ("display", "search"))
    assert display.domain != search.domain
    shown = [(t.name, t.marker.symbol) for t in figure.data if t.showlegend]
    assert shown == [("<history>", None), ("<curve>", None), ("<current>", "circle-open"), ("<recommended>", "star")]
    assert {t.legendgroup for t in figure.data if t.meta[1] == "recommended"} == {"recommended"}
    assert figure.layout.legend.orientation == "h"


def test_spend_is_money_and_so_is_the_outcome_only_when_it_is_revenue(allocation, shop_ads) -> None:
    euro = CURRENCIES["EUR"]
    bars = allocation_figure(allocation, _labels("title", "x_title", "y_title", "current", "recommended"), euro)
    assert bars.layout.yaxis.tickprefix == "€" and "€%{y:,.2f}" in bars.data[1].hovertemplate
    clicks = response_curves_figure(allocation, _labels(*CURVE_LABELS), currency=euro)
    assert clicks.layout.xaxis.tickprefix == "€" and not clicks.layout.yaxis.tickprefix
    revenue = allocate_budget(shop_ads, objective="revenue", n_boot=20)
    curves = response_curves_figure(revenue, _labels(*CURVE_LABELS), currency=euro)
    assert curves.layout.xaxis.tickprefix == "€" and curves.layout.yaxis.tickprefix == "€"


def test_allocation_bars(allocation) -> None:
    figure = allocation_figure(allocation, _labels("title", "x_title", "y_title", "current", "recommended"))
    assert [t.name for t in figure.data] == ["<current>", "<recommended>"]
    assert list(figure.data[1].y) == pytest.approx(allocation.table["recommended_spend"].tolist())
    assert sum(figure.data[1].y) == pytest.approx(allocation.budget)
    assert figure.layout.barmode == "group"
