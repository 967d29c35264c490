"""Figures of recommendations and coupon lists: algorithm comparison and budget by segment.

Pure functions of a result and the UI's translated texts (``labels``; each docstring lists its keys)
plus optional display names for algorithm and segment codes. Codes travel in ``customdata`` so that
a click maps back to an algorithm or a segment.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from promo_core.coupons import CouponList
from promo_core.money import NO_CURRENCY, Currency

_MODE_COLOURS = {"discovery": "#2a9d8f", "all": "#264653"}
_BASELINE_PATTERN = "/"


def algorithm_comparison_figure(
    evaluation: pd.DataFrame,
    labels: Mapping[str, str],
    algorithm_names: Mapping[str, str] | None = None,
    metric: str = "ndcg_at_k",
) -> go.Figure:
    """``metric`` per algorithm (bars), one trace per mode; hatched bars are the baselines.

    ``evaluation`` is ``evaluate_recommenders(...)`` output (rating rows are left out). ``labels`` keys:
    title, metric (axis title), discovery, all (trace names), baseline (hover tag).
    """
    names = algorithm_names or {}
    ranking = evaluation[evaluation["mode"].isin(list(_MODE_COLOURS))]
    figure = go.Figure()
    for mode, part in ranking.groupby("mode", sort=False):
        codes = part["algorithm"].tolist()
        figure.add_trace(go.Bar(
            name=labels[mode],
            x=[names.get(code, code) for code in codes],
            y=part[metric].tolist(),
            customdata=[[code, labels["baseline"] if baseline else ""]
                        for code, baseline in zip(codes, part["baseline"].tolist())],
            marker={"color": _MODE_COLOURS[mode],
                    "pattern": {"shape": [_BASELINE_PATTERN if b else "" for b in part["baseline"].tolist()]}},
            hovertemplate=f"%{{x}} ({labels[mode]}) %{{customdata[1]}}<br>{labels['metric']}: %{{y:.4f}}<extra></extra>",
        ))
    figure.update_layout(title=labels["title"], yaxis_title=labels["metric"], barmode="group",
                         legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"})
    return figure


def coupon_budget_figure(
    coupons: CouponList, labels: Mapping[str, str], segment_names: Mapping[str, str] | None = None,
    currency: Currency = NO_CURRENCY,
) -> go.Figure:
    """Expected cost and expected value of the coupons per segment, with the budget used in the title.

    ``labels`` keys: title (may contain ``{used}`` and ``{budget}``), expected_cost, expected_value,
    customers.
    """
    names = segment_names or {}
    table = coupons.by_segment.sort_values("expected_cost", ascending=True, kind="stable")
    codes = table["segment"].tolist()
    y = [names.get(code, code) for code in codes]
    customdata = [[code, n] for code, n in zip(codes, table["customers"].tolist())]
    figure = go.Figure()
    for column in ("expected_cost", "expected_value"):
        figure.add_trace(go.Bar(
            name=labels[column], x=table[column].tolist(), y=y, orientation="h", customdata=customdata,
            hovertemplate=(f"%{{y}}<br>{labels[column]}: {currency.hover('x')}<br>{labels['customers']}: "
                           "%{customdata[1]}<extra></extra>"),
        ))
    title = labels["title"].format(used=currency.format(coupons.budget_used), budget=currency.format(coupons.budget))
    figure.update_layout(title=title, barmode="group", xaxis={"tickprefix": currency.symbol},
                         legend={"orientation": "h", "y": -0.2})
    return figure
