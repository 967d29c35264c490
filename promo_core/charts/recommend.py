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
_KEY_COLOUR = "#6c757d"  # the hatching's legend entry: neither mode's colour


def algorithm_comparison_figure(
    evaluation: pd.DataFrame,
    labels: Mapping[str, str],
    algorithm_names: Mapping[str, str] | None = None,
    metric: str = "ndcg_at_k",
) -> go.Figure:
    """``metric`` per algorithm (bars), a colour per mode; hatched bars are the baselines.

    Each mode is two traces in one offset group, the methods (solid, in the legend under the mode's
    name) and the baselines (hatched, not in the legend); one more legend entry, without bars, says
    what the hatching means. A single trace per mode would show the first bar's hatching as the
    swatch of the whole mode. ``evaluation`` is ``evaluate_recommenders(...)`` output (rating rows
    are left out). ``labels`` keys: title, metric (axis title), discovery, all (mode names),
    baseline (hover tag), baseline_legend (the hatching's legend entry).
    """
    names = algorithm_names or {}
    ranking = evaluation[evaluation["mode"].isin(list(_MODE_COLOURS))]
    figure = go.Figure()
    for mode, part in ranking.groupby("mode", sort=False):
        for baseline, rows in part.groupby(part["baseline"].astype(bool), sort=True):
            codes = rows["algorithm"].tolist()
            figure.add_trace(go.Bar(
                name=labels[mode],
                x=[names.get(code, code) for code in codes],
                y=rows[metric].tolist(),
                customdata=[[code, labels["baseline"] if baseline else ""] for code in codes],
                marker={"color": _MODE_COLOURS[mode], "pattern": {"shape": _BASELINE_PATTERN if baseline else ""}},
                offsetgroup=mode, legendgroup=mode, showlegend=not baseline,
                hovertemplate=f"%{{x}} ({labels[mode]}) %{{customdata[1]}}<br>{labels['metric']}: %{{y:.4f}}<extra></extra>",
            ))
    if ranking["baseline"].astype(bool).any():
        figure.add_trace(go.Bar(
            name=labels["baseline_legend"], x=[None], y=[None], offsetgroup=ranking["mode"].iloc[0], hoverinfo="skip",
            marker={"color": "#ffffff", "line": {"color": _KEY_COLOUR, "width": 1},
                    "pattern": {"shape": _BASELINE_PATTERN, "fgcolor": _KEY_COLOUR}},
        ))
    order = list(dict.fromkeys(names.get(code, code) for code in ranking["algorithm"]))
    figure.update_layout(title=labels["title"], yaxis_title=labels["metric"], barmode="group",
                         xaxis={"categoryorder": "array", "categoryarray": order},
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
