"""Segment figures, checked on their data: trace names, values, codes in ids/customdata, translated labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.charts.segments import (
    BAR_HEADROOM,
    SANKEY_ROW_PX,
    SCATTER_HEIGHT_PX,
    cluster_scatter_figure,
    rf_heatmap_figure,
    segment_bar_figure,
    segment_sankey_figure,
    segment_treemap_figure,
)
from promo_core.segmentation import (
    NOT_YET_CUSTOMER,
    SegmentationResult,
    cluster_customers,
    segment_customers,
    segment_moves,
)

NAMES = {"champions": "冠军客户", "at_risk": "流失风险", "lost": "已流失"}


def orders(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    customer = rng.integers(0, 15, n)
    return pd.DataFrame({
        "customer_id": [f"c{c:02d}" for c in customer],
        "order_id": [f"o{i}" for i in range(n)],
        "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        "amount": np.round(rng.gamma(2.0, 20.0, n), 2) * (1 + customer % 3),
        "is_return": False,
        "item_id": "S",
    })


@pytest.fixture(scope="module")
def result() -> SegmentationResult:
    return segment_customers(orders())


def test_treemap_tiles_are_non_empty_segments(result: SegmentationResult) -> None:
    labels = {"title": "细分", "customers": "客户", "revenue": "收入", "revenue_share": "收入占比"}
    figure = segment_treemap_figure(result, labels, NAMES)
    tiles = figure.data[0]
    summary = result.segment_summary[result.segment_summary["customers"] > 0]
    assert list(tiles.ids) == summary["segment"].tolist()
    assert list(tiles.values) == summary["customers"].tolist()
    assert sum(tiles.values) == len(result.table) == 14
    shown = dict(zip(tiles.ids, tiles.labels))
    assert all(shown[code] == NAMES.get(code, code) for code in tiles.ids)
    assert [row[0] for row in tiles.customdata] == list(tiles.ids)
    assert [row[1] for row in tiles.customdata] == pytest.approx(summary["revenue"].tolist())
    assert figure.layout.title.text == "细分"
    assert "收入占比" in tiles.hovertemplate


def test_treemap_has_no_grey_root_band_and_hides_unreadable_labels(result: SegmentationResult) -> None:
    labels = {"title": "T", "customers": "C", "revenue": "R", "revenue_share": "S"}
    tiles = segment_treemap_figure(result, labels, NAMES).data[0]
    assert tiles.root.color == "rgba(0,0,0,0)" and tiles.pathbar.visible is False
    assert (tiles.marker.pad.t, tiles.marker.pad.l, tiles.marker.pad.r, tiles.marker.pad.b) == (0, 0, 0, 0)
    assert tiles.marker.line.width == 1 and tiles.marker.line.color == "white"
    figure = segment_treemap_figure(result, labels, NAMES)
    assert figure.layout.uniformtext.mode == "hide" and figure.layout.uniformtext.minsize == 10
    shares = [row[2] for row in tiles.customdata]
    darkest = tiles.marker.colors[int(np.argmax(shares))]
    assert darkest == "rgb(8, 48, 107)"  # the top of plotly's Blues: the largest revenue share
    assert len(set(tiles.marker.colors)) > 1 and "rgb(247, 251, 255)" not in tiles.marker.colors  # no page-white tile


def test_heatmap_counts_customers_per_r_and_f_score(result: SegmentationResult) -> None:
    labels = {"title": "RF", "recency_score": "R", "frequency_score": "F", "customers": "客户", "mean_monetary": "平均消费"}
    figure = rf_heatmap_figure(result, labels, NAMES)
    cells = figure.data[0]
    z = np.array(cells.z)
    table = result.table
    assert z.shape == (5, 5) and z.sum() == len(table)
    for r in range(1, 6):
        for f in range(1, 6):
            mine = table[(table["r_score"] == r) & (table["f_score"] == f)]
            assert z[r - 1, f - 1] == len(mine)
            if len(mine):
                assert cells.customdata[r - 1][f - 1][0] == pytest.approx(mine["monetary"].mean())
    assert cells.customdata[4][4][1] == "冠军客户" and cells.customdata[0][0][1] == "已流失"
    assert figure.layout.xaxis.title.text == "F" and figure.layout.yaxis.title.text == "R"


SCATTER_LABELS = {
    "title": "聚类", "x": "距上次购买天数", "y": "净消费", "cluster": "群组", "not_shown": "{count} 位未显示",
}


def test_scatter_shows_days_since_last_purchase_against_net_spend(result: SegmentationResult) -> None:
    clusters = cluster_customers(result.table, k=3)
    figure = cluster_scatter_figure(clusters, SCATTER_LABELS, {0: "高价值"})
    assert [trace.name for trace in figure.data] == ["高价值", "群组 1", "群组 2"]
    table = result.table.set_index("customer_id")
    for number, trace in enumerate(figure.data):
        mine = clusters.assignments[clusters.assignments["cluster"] == number]
        assert list(trace.customdata) == mine["customer_id"].tolist()
        assert list(trace.x) == table.loc[mine["customer_id"], "recency_days"].tolist()
        assert list(trace.y) == pytest.approx(table.loc[mine["customer_id"], "monetary"].tolist())
    assert figure.layout.xaxis.title.text == "距上次购买天数"
    assert figure.layout.yaxis.title.text == "净消费" and figure.layout.yaxis.type == "log"
    assert not figure.layout.annotations  # every customer has a positive spend here


def test_scatter_legend_sits_below_the_plot(result: SegmentationResult) -> None:
    """Beside the plot, long cluster names squeeze it to half the width of a narrow screen."""
    figure = cluster_scatter_figure(cluster_customers(result.table, k=3), SCATTER_LABELS)
    legend = figure.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor, legend.x) == ("h", "container", 0, "bottom", 0)
    assert figure.layout.height == SCATTER_HEIGHT_PX


def test_scatter_counts_the_customers_a_log_axis_cannot_show(result: SegmentationResult) -> None:
    refunded = result.table.copy()
    refunded.loc[:2, "monetary"] = [0.0, -12.5, -1.0]
    clusters = cluster_customers(refunded, k=2)
    figure = cluster_scatter_figure(clusters, SCATTER_LABELS)
    assert sum(len(trace.x) for trace in figure.data) == len(refunded) - 3
    assert all(min(trace.y) > 0 for trace in figure.data if len(trace.y))
    assert [note.text for note in figure.layout.annotations] == ["3 位未显示"]


def test_scatter_draws_at_most_max_points(result: SegmentationResult) -> None:
    clusters = cluster_customers(result.table, k=2)
    figure = cluster_scatter_figure(clusters, SCATTER_LABELS, max_points=6)
    assert sum(len(trace.x) for trace in figure.data) == 6


def test_sankey_links_are_the_moves() -> None:
    moves = segment_moves(orders(), "2024-02-15", "2024-03-31")
    labels = {"title": "迁移", "customers": "客户", "start": "起", "end": "止"}
    figure = segment_sankey_figure(moves, labels, NAMES)
    sankey = figure.data[0]
    nodes = list(sankey.node.customdata)
    sources = [c for c in moves.matrix.index if moves.matrix.loc[c].sum() > 0]
    assert nodes[: len(sources)] == sources
    assert NOT_YET_CUSTOMER in sources
    flows = {(nodes[s], nodes[t]): v for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value)}
    expected = moves.summary().set_index(["from_segment", "to_segment"])["customers"].to_dict()
    assert flows == expected
    assert sum(sankey.link.value) == len(moves.customers)
    assert [tuple(pair) for pair in sankey.link.customdata] == list(expected)
    assert figure.layout.title.text == "迁移<br><sup>起 2024-02-15 → 止 2024-03-31</sup>"  # dates below: fits 800 px


def test_sankey_keeps_both_sides_in_rule_order_with_room_for_every_label() -> None:
    moves = segment_moves(orders(), "2024-02-15", "2024-03-31")
    figure = segment_sankey_figure(moves, {"title": "T", "customers": "C", "start": "a", "end": "b"}, NAMES)
    sankey = figure.data[0]
    nodes, x, y = list(sankey.node.customdata), list(sankey.node.x), list(sankey.node.y)
    left = [i for i, position in enumerate(x) if position < 0.5]
    right = [i for i, position in enumerate(x) if position > 0.5]
    order = list(moves.matrix.index)
    for side in (left, right):
        assert [nodes[i] for i in side] == sorted((nodes[i] for i in side), key=order.index)
        assert [y[i] for i in side] == sorted(y[i] for i in side)  # top to bottom in that order
        assert 0 < min(y[i] for i in side) and max(y[i] for i in side) < 1
    rows = max(len(left), len(right))
    assert figure.layout.height == rows * SANKEY_ROW_PX + figure.layout.margin.t + figure.layout.margin.b
    assert sankey.arrangement == "snap" and sankey.node.pad == 14


def test_segment_bars_carry_codes_and_revenue_shares(result: SegmentationResult) -> None:
    labels = {"title": "T", "customers": "客户数 · 收入占比", "bar_text": "{customers:,} 人 · {share:.0%}",
              "hover": "{name}<br>客户数：{customers:,}<br>收入占比：{share:.1%}"}
    figure = segment_bar_figure(result, labels, NAMES)
    bar = figure.data[0]
    summary = result.segment_summary[result.segment_summary["customers"] > 0].sort_values("revenue", kind="stable")
    assert list(bar.customdata) == summary["segment"].tolist()
    assert list(bar.x) == summary["customers"].tolist()
    assert list(bar.y) == [NAMES.get(code, code) for code in summary["segment"]]
    assert sum(bar.x) == len(result.table)
    assert figure.layout.xaxis.title.text == "客户数 · 收入占比"  # says what the short label's two numbers are
    top = summary.iloc[-1]  # the most revenue: drawn on top
    assert bar.text[-1] == f"{top['customers']} 人 · {top['revenue_share']:.0%}"
    name = NAMES.get(top["segment"], top["segment"])
    assert bar.hovertext[-1] == f"{name}<br>客户数：{top['customers']}<br>收入占比：{top['revenue_share']:.1%}"
    assert bar.hovertemplate == "%{hovertext}<extra></extra>"


def test_segment_bar_labels_fit_beside_the_longest_bar(result: SegmentationResult) -> None:
    figure = segment_bar_figure(result, {"title": "T", "customers": "C", "bar_text": "{customers}", "hover": "{name}"}, NAMES)
    bar = figure.data[0]
    assert tuple(figure.layout.xaxis.range) == (0, max(bar.x) * BAR_HEADROOM)
    assert bar.textposition == "outside" and bar.cliponaxis is False
    shares = result.segment_summary.set_index("segment").loc[list(bar.customdata), "revenue_share"]
    assert bar.marker.color[int(np.argmax(shares))] == "rgb(8, 48, 107)"
