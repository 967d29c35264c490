"""Figures of campaign results: lifts with intervals, segment forest, Qini curve, uplift deciles and
the counterfactual of a campaign without a control group.

Pure functions of a result and the UI's translated texts (``labels``; each function's docstring
lists its keys): the core never translates. Variant and segment names travel in the traces' ``y``
values and ``customdata`` so a page can map a selection back.

A difference of two conversion rates is plotted in percentage points (x 100, plain ticks; the unit
belongs in the axis title): a "%" tick would read as a relative change. Relative lifts are in %.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from promo_core.campaign.abtest import ABTestResult
from promo_core.campaign.segments import SegmentLiftResult
from promo_core.impact import ImpactResult
from promo_core.money import NO_CURRENCY, Currency
from promo_core.uplift import UpliftResult

_UP, _FLAT, _DOWN = "#2a9d8f", "#8d99ae", "#e76f51"
_POINTS = 100.0
"""Percentage points per unit of a rate difference."""
_LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}


def lift_figure(
    result: ABTestResult, labels: Mapping[str, str], relative: bool = False, currency: Currency = NO_CURRENCY
) -> go.Figure:
    """Each variant's lift over the control with its interval; colour says significant up/down.

    Relative lifts in %, a conversion rate's absolute lift in percentage points, amounts in
    ``currency`` (the shop's for a revenue metric).
    ``labels`` keys: title, x_title, lift.
    """
    money = NO_CURRENCY if relative or result.kind == "binary" else currency
    t = result.table
    column = "rel_lift" if relative else "abs_lift"
    scale = _POINTS if result.kind == "binary" and not relative else 1.0
    lift, low, high = (t[c].to_numpy() * scale for c in (column, f"{column}_low", f"{column}_high"))
    figure = go.Figure(go.Scatter(
        x=lift, y=t["variant"].tolist(), mode="markers", name=labels["lift"],
        error_x={"type": "data", "symmetric": False, "array": high - lift, "arrayminus": lift - low},
        marker={"size": 11, "color": _colours(t["significant"].to_numpy(), lift)},
        customdata=np.column_stack([low, high, t["p_adjusted"].to_numpy()]),
        hovertemplate=(f"%{{y}}: {money.symbol}%{{x:.4g}} [{money.symbol}%{{customdata[0]:.4g}}, "
                       f"{money.symbol}%{{customdata[1]:.4g}}], p=%{{customdata[2]:.3g}}<extra></extra>"),
    ))
    figure.add_vline(x=0, line_dash="dot", line_color="grey")
    figure.update_layout(title=labels["title"], showlegend=False,
                         xaxis={"title": labels["x_title"], "tickformat": ".1%" if relative else None,
                                "tickprefix": money.symbol})
    return figure


def segment_forest_figure(
    result: SegmentLiftResult, labels: Mapping[str, str], segment_names: Mapping[str, str] | None = None,
    currency: Currency = NO_CURRENCY,
) -> go.Figure:
    """Forest plot: per segment (rows) and variant (one trace each) the absolute lift and interval,
    in percentage points for a conversion rate, else in ``currency`` (the shop's for revenue); the
    variants' legend below keeps the plot wide.

    ``labels`` keys: title, x_title. ``segment_names`` maps segment codes to display names.
    """
    names = segment_names or {}
    scale = _POINTS if result.kind == "binary" else 1.0
    money = NO_CURRENCY if result.kind == "binary" else currency
    figure = go.Figure()
    for k, (variant, part) in enumerate(result.table.groupby("variant", sort=False)):
        lift, low, high = (part[c].to_numpy() * scale for c in ("abs_lift", "abs_lift_low", "abs_lift_high"))
        figure.add_trace(go.Scatter(
            x=lift, y=[names.get(s, s) for s in part["segment"]], mode="markers", name=variant,
            error_x={"type": "data", "symmetric": False, "array": high - lift, "arrayminus": lift - low},
            marker={"size": 9, "color": qualitative.Plotly[k % len(qualitative.Plotly)]},
            customdata=np.column_stack([part["segment"].to_numpy(), part["p_adjusted"].to_numpy(), part["variant"]]),
            hovertemplate=f"%{{y}} · %{{customdata[2]}}: {money.symbol}%{{x:.4g}}, p=%{{customdata[1]:.3g}}<extra></extra>",
        ))
    figure.add_vline(x=0, line_dash="dot", line_color="grey")
    figure.update_layout(title=labels["title"], xaxis={"title": labels["x_title"], "tickprefix": money.symbol},
                         scattermode="group", legend=_LEGEND_BELOW)
    return figure


def qini_figure(result: UpliftResult, labels: Mapping[str, str]) -> go.Figure:
    """Incremental conversions by share of customers treated (by score), against random targeting.

    ``labels`` keys: title, x_title, y_title, model, random.
    """
    q = result.qini
    figure = go.Figure([
        go.Scatter(x=q["share"], y=q["qini"], mode="lines", name=labels["model"], line={"color": _UP}),
        go.Scatter(x=q["share"], y=q["random"], mode="lines", name=labels["random"],
                   line={"color": _FLAT, "dash": "dash"}),
    ])
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         xaxis_tickformat=".0%")
    return figure


def uplift_deciles_figure(result: UpliftResult, labels: Mapping[str, str]) -> go.Figure:
    """Observed uplift (held-out) per score decile as bars, the model's mean prediction as markers;
    both are differences of conversion rates, in percentage points.

    ``labels`` keys: title, x_title, y_title, observed, predicted.
    """
    d = result.deciles
    figure = go.Figure([
        go.Bar(x=d["decile"], y=d["observed_uplift"] * _POINTS, name=labels["observed"], marker_color=_UP),
        go.Scatter(x=d["decile"], y=d["predicted_uplift"] * _POINTS, mode="markers+lines", name=labels["predicted"],
                   marker={"color": _DOWN}),
    ])
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         xaxis={"dtick": 1})
    return figure


def impact_figure(result: ImpactResult, labels: Mapping[str, str], currency: Currency = NO_CURRENCY) -> go.Figure:
    """Top: actual vs counterfactual with its interval; bottom: cumulative effect after the start;
    amounts in ``currency``.

    The legend sits below, so that on a narrow screen the plot keeps its width. Dates use the caller's
    d3 formats, so month ticks read "2025年7月" in Chinese (plotly writes month names in English).
    ``labels`` keys: title, actual, predicted, interval, cumulative, intervention, y_title, effect_title,
    and day_format, month_format, year_format (tick formats by zoom) and date_format (hover).
    """
    d = result.daily
    post = d[d["period"] == "post"]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06)
    figure.add_trace(go.Scatter(x=d["date"], y=d["predicted_high"], mode="lines", line={"width": 0},
                                showlegend=False, hoverinfo="skip", name=labels["interval"]), row=1, col=1)
    figure.add_trace(go.Scatter(x=d["date"], y=d["predicted_low"], mode="lines", line={"width": 0}, fill="tonexty",
                                fillcolor="rgba(141,153,174,0.3)", name=labels["interval"]), row=1, col=1)
    figure.add_trace(go.Scatter(x=d["date"], y=d["predicted"], mode="lines", name=labels["predicted"],
                                line={"color": _FLAT, "dash": "dash"}), row=1, col=1)
    figure.add_trace(go.Scatter(x=d["date"], y=d["actual"], mode="lines", name=labels["actual"],
                                line={"color": "#264653"}), row=1, col=1)
    figure.add_trace(go.Scatter(x=post["date"], y=post["cumulative_high"], mode="lines", line={"width": 0},
                                showlegend=False, hoverinfo="skip", name=labels["interval"]), row=2, col=1)
    figure.add_trace(go.Scatter(x=post["date"], y=post["cumulative_low"], mode="lines", line={"width": 0},
                                fill="tonexty", fillcolor="rgba(42,157,143,0.25)", showlegend=False,
                                name=labels["interval"]), row=2, col=1)
    figure.add_trace(go.Scatter(x=post["date"], y=post["cumulative"], mode="lines", name=labels["cumulative"],
                                line={"color": _UP}), row=2, col=1)
    for row in (1, 2):
        figure.add_vline(x=result.intervention_date, line_dash="dot", line_color="grey", row=row, col=1)
    # Left of the line: the start usually lies late in the series, where a label to its right is cut.
    figure.add_annotation(x=result.intervention_date, y=1, yref="paper", text=labels["intervention"],
                          showarrow=False, xanchor="right")
    figure.update_layout(title=labels["title"], legend=_LEGEND_BELOW)
    figure.update_xaxes(hoverformat=labels["date_format"], tickformatstops=[
        {"dtickrange": [None, "M1"], "value": labels["day_format"]},
        {"dtickrange": ["M1", "M12"], "value": labels["month_format"]},
        {"dtickrange": ["M12", None], "value": labels["year_format"]},
    ])
    figure.update_yaxes(automargin=True, tickprefix=currency.symbol)
    figure.update_yaxes(title_text=labels["y_title"], row=1, col=1)
    figure.update_yaxes(title_text=labels["effect_title"], row=2, col=1)
    return figure


def _colours(significant: np.ndarray, lift: np.ndarray) -> list[str]:
    return [(_UP if v > 0 else _DOWN) if s else _FLAT for s, v in zip(significant, lift)]
