"""Figures of ad models and budget allocations.

Pure functions of a result and the UI's translated texts (``labels``; each docstring lists its
keys): the core never translates. Model, channel and segment codes travel in trace names, ``x`` /
``y`` values and ``customdata``; ``model_names`` optionally maps model codes to display names.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from promo_core.ctr.budget import OBJECTIVES, Allocation
from promo_core.ctr.curves import saturation
from promo_core.ctr.models import ResponseModel
from promo_core.money import NO_CURRENCY, Currency

_MAIN, _MUTED, _ACCENT, _DARK, _GRID = "#2a9d8f", "#8d99ae", "#e76f51", "#264653", "grey"
_PALETTE = qualitative.Plotly
_QUARTERS = [0.0, 0.25, 0.5, 0.75, 1.0]
_LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}


def model_comparison_figure(model: ResponseModel, labels: Mapping[str, str],
                            model_names: Mapping[str, str] | None = None) -> go.Figure:
    """Validation log-loss per candidate (lower is better; the selected one highlighted), AUC in the hover.

    The axis starts at 0: candidates a few percent apart must not look several times apart, and
    the value on each bar gives the exact difference. ``labels`` keys: title, x_title, y_title.
    """
    names = model_names or {}
    t = model.comparison
    figure = go.Figure(go.Bar(
        x=[names.get(m, m) for m in t["model"]], y=t["validation_log_loss"],
        marker_color=[_MAIN if s else _MUTED for s in t["selected"]],
        text=[f"{v:.4f}" for v in t["validation_log_loss"]], textposition="outside", cliponaxis=False,
        customdata=np.column_stack([t["model"], t["validation_auc"], t["params"]]),
        hovertemplate="%{x}: log-loss %{y:.5f}, AUC %{customdata[1]:.4f} %{customdata[2]}<extra></extra>",
    ))
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         yaxis_rangemode="tozero", showlegend=False)
    return figure


def roc_figure(model: ResponseModel, labels: Mapping[str, str], model_names: Mapping[str, str] | None = None) -> go.Figure:
    """ROC curve of every candidate on the validation part and of the chosen model on the test part.

    ``labels`` keys: title, x_title, y_title, chance, validation, test.
    """
    names = model_names or {}
    figure = go.Figure()
    for k, ((name, part), curve) in enumerate(model.roc.groupby(["model", "part"], sort=False)):
        figure.add_trace(go.Scatter(
            x=curve["fpr"], y=curve["tpr"], mode="lines", name=f"{names.get(name, name)} ({labels[part]})",
            line={"color": _PALETTE[k % len(_PALETTE)], "dash": "solid" if part == "test" else "dot"},
            meta=[name, part],
        ))
    figure.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name=labels["chance"],
                                line={"color": _GRID, "dash": "dash"}))
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         xaxis_range=[0, 1], yaxis_range=[0, 1])
    return figure


def calibration_figure(model: ResponseModel, labels: Mapping[str, str]) -> go.Figure:
    """Reliability: observed rate against mean predicted probability per bin of the test part.

    ``labels`` keys: title, x_title, y_title, model, perfect.
    """
    r = model.reliability
    top = float(max(r["predicted"].max(), r["observed"].max())) * 1.05
    figure = go.Figure([
        go.Scatter(x=[0, top], y=[0, top], mode="lines", name=labels["perfect"], line={"color": _GRID, "dash": "dash"}),
        go.Scatter(x=r["predicted"], y=r["observed"], mode="lines+markers", name=labels["model"],
                   marker={"color": _MAIN, "size": 9}, customdata=np.column_stack([r["bin"], r["n"]]),
                   hovertemplate="bin %{customdata[0]} (n=%{customdata[1]}): %{x:.3%} vs %{y:.3%}<extra></extra>"),
    ])
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         xaxis_tickformat=".1%", yaxis_tickformat=".1%")
    return figure


def lift_figure(model: ResponseModel, labels: Mapping[str, str]) -> go.Figure:
    """Lift per score decile (bars) and cumulative share of positives captured (line, right axis).

    The legend sits below the plot, where it hides neither axis; the right axis has quarter ticks
    of its own rather than ones aligned to the lift grid (15%, 30%, 46%...).
    ``labels`` keys: title, x_title, lift, gain, y_title, gain_title.
    """
    d = model.lift
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(go.Bar(x=d["decile"], y=d["lift"], name=labels["lift"], marker_color=_MAIN), secondary_y=False)
    figure.add_trace(go.Scatter(x=d["decile"], y=d["cumulative_gain"], mode="lines+markers", name=labels["gain"],
                                marker={"color": _ACCENT}), secondary_y=True)
    figure.add_hline(y=1, line_dash="dot", line_color=_GRID, secondary_y=False)
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], xaxis={"dtick": 1}, legend=_LEGEND_BELOW)
    figure.update_yaxes(title_text=labels["y_title"], title_standoff=8, automargin=True, rangemode="tozero",
                        secondary_y=False)
    figure.update_yaxes(title_text=labels["gain_title"], title_standoff=8, automargin=True, tickformat=".0%",
                        tickmode="array", tickvals=_QUARTERS, range=[0, 1.05], showgrid=False, secondary_y=True)
    return figure


def importance_figure(model: ResponseModel, labels: Mapping[str, str], top: int = 15,
                      feature_names: Mapping[str, str] | None = None) -> go.Figure:
    """Fall in held-out AUC when each column is shuffled (largest on top), with its spread over repeats.

    ``labels`` keys: title, x_title.
    """
    names = feature_names or {}
    t = model.importance.head(top).iloc[::-1]
    figure = go.Figure(go.Bar(
        x=t["auc_drop"], y=[names.get(f, f) for f in t["feature"]], orientation="h", marker_color=_MAIN,
        error_x={"type": "data", "array": t["auc_drop_std"]}, customdata=t["feature"],
        hovertemplate="%{y}: %{x:.4f}<extra></extra>",
    ))
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], showlegend=False)
    return figure


def segment_heatmap_figure(table: pd.DataFrame, rows: str, columns: str, labels: Mapping[str, str],
                           value: str = "observed") -> go.Figure:
    """A rate (``observed`` or ``predicted``) per cell of two segment columns from ``segment_rates``.

    The colour scale runs over both rates of the table, so that the observed and the predicted map of
    one table colour the same rate alike and can be read side by side; the hover gives the other rate.
    ``labels`` keys: title, x_title, y_title, colorbar, other (the other rate's name).
    """
    grid = table.pivot(index=rows, columns=columns, values=value)
    n = table.pivot(index=rows, columns=columns, values="n").reindex_like(grid)
    other = table.pivot(index=rows, columns=columns,
                        values="predicted" if value == "observed" else "observed").reindex_like(grid)
    low, high = shared_rate_range(table)
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(dtype=float), x=[str(c) for c in grid.columns], y=[str(r) for r in grid.index],
        zmin=low, zmax=high, colorscale="Teal", colorbar={"title": labels["colorbar"], "tickformat": ".1%"},
        customdata=np.dstack([n.to_numpy(dtype=float), other.to_numpy(dtype=float)]),
        hovertemplate=(f"%{{y}} × %{{x}}: %{{z:.2%}} (n=%{{customdata[0]:,.0f}}; "
                       f"{labels['other']}: %{{customdata[1]:.2%}})<extra></extra>"),
    ))
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"])
    return figure


def shared_rate_range(table: pd.DataFrame) -> tuple[float, float]:
    """The lowest and highest of the observed and predicted rates: one colour scale for both maps."""
    rates = table[["observed", "predicted"]].to_numpy(dtype=float)
    if not np.isfinite(rates).any():
        return 0.0, 1.0
    return float(np.nanmin(rates)), float(np.nanmax(rates))


def segment_bars_figure(table: pd.DataFrame, column: str, labels: Mapping[str, str]) -> go.Figure:
    """Observed rate (bars with Wilson interval) beside the mean predicted rate per level of one column.

    ``labels`` keys: title, x_title, y_title, observed, predicted.
    """
    x = [str(v) for v in table[column]]
    observed = table["observed"].to_numpy()
    figure = go.Figure([
        go.Bar(x=x, y=observed, name=labels["observed"], marker_color=_MUTED,
               error_y={"type": "data", "symmetric": False, "array": table["observed_high"].to_numpy() - observed,
                        "arrayminus": observed - table["observed_low"].to_numpy()},
               customdata=table["n"], hovertemplate="%{x}: %{y:.2%} (n=%{customdata})<extra></extra>"),
        go.Scatter(x=x, y=table["predicted"], mode="markers", name=labels["predicted"],
                   marker={"color": _ACCENT, "size": 11, "symbol": "diamond"}),
    ])
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"], yaxis_title=labels["y_title"],
                         yaxis_tickformat=".1%")
    return figure


def response_curves_figure(allocation: Allocation, labels: Mapping[str, str], points: int = 60,
                           columns: int = 3, currency: Currency = NO_CURRENCY) -> go.Figure:
    """One small panel per channel: its fitted curve over its daily history, current and recommended spend marked.

    Channels spend on very different scales, so each panel has its own axes (on one shared axis
    most channels are squashed against zero). The markers have one legend entry each. Spend is
    money, and so is the outcome when the objective is revenue.
    ``labels`` keys: title, x_title, y_title, history, curve, current, recommended.
    """
    outcome = currency if OBJECTIVES[allocation.objective] == "revenue" else NO_CURRENCY
    curves, table = allocation.curves, allocation.table
    channels = list(curves.table["channel"])
    columns = max(1, min(columns, len(channels)))
    rows = -(-len(channels) // columns)
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=channels, horizontal_spacing=0.08,
                           vertical_spacing=0.2)
    for k, row in enumerate(curves.table.itertuples(index=False)):
        cell = {"row": k // columns + 1, "col": k % columns + 1}
        first = k == 0
        if cell["col"] == 1:
            figure.update_yaxes(title_text=labels["y_title"], **cell)
        if k + columns >= len(channels):  # no panel below: the spend axis is named here
            figure.update_xaxes(title_text=labels["x_title"], **cell)
        split = table.iloc[k]
        days = curves.history[curves.history["channel"] == row.channel]
        top = max(row.max_spend, split["recommended_spend"], split["current_spend"]) * 1.1
        spend = np.linspace(0.0, top, points)
        figure.add_trace(go.Scatter(x=days["spend"], y=days["outcome"], mode="markers", name=labels["history"],
                                    marker={"color": _MUTED, "opacity": 0.5, "size": 5}, legendgroup="history",
                                    showlegend=first, meta=[row.channel, "history"]), **cell)
        figure.add_trace(go.Scatter(x=spend, y=saturation(spend, row.a, row.b), mode="lines", name=labels["curve"],
                                    line={"color": _MAIN}, legendgroup="curve", showlegend=first,
                                    meta=[row.channel, "curve"]), **cell)
        for key, symbol, colour in (("current", "circle-open", _DARK), ("recommended", "star", _ACCENT)):
            x = split[f"{key}_spend"]
            figure.add_trace(go.Scatter(
                x=[x], y=[saturation(x, row.a, row.b)], mode="markers", name=labels[key],
                marker={"color": colour, "size": 12, "symbol": symbol, "line": {"width": 2}}, legendgroup=key,
                showlegend=first, meta=[row.channel, key],
                hovertemplate=f"%{{meta[0]}} · {labels[key]}: {currency.hover('x')} → {outcome.hover('y')}<extra></extra>",
            ), **cell)
    figure.update_xaxes(rangemode="tozero", tickprefix=currency.symbol)
    figure.update_yaxes(rangemode="tozero", tickprefix=outcome.symbol)
    figure.update_layout(title=labels["title"], height=120 + 230 * rows, legend=_LEGEND_BELOW)
    return figure


def allocation_figure(allocation: Allocation, labels: Mapping[str, str], currency: Currency = NO_CURRENCY) -> go.Figure:
    """Current and recommended daily spend per channel, side by side.

    ``labels`` keys: title, x_title, y_title, current, recommended.
    """
    t = allocation.table
    figure = go.Figure([
        go.Bar(x=t["channel"], y=t["current_spend"], name=labels["current"], marker_color=_MUTED,
               hovertemplate=f"%{{x}}: {currency.hover('y')}<extra>%{{fullData.name}}</extra>"),
        go.Bar(x=t["channel"], y=t["recommended_spend"], name=labels["recommended"], marker_color=_MAIN,
               customdata=np.column_stack([t["low"], t["high"]]),
               hovertemplate=(f"%{{x}}: {currency.hover('y')} [{currency.hover('customdata[0]')}, "
                              f"{currency.hover('customdata[1]')}]<extra></extra>")),
    ])
    figure.update_layout(title=labels["title"], xaxis_title=labels["x_title"],
                         yaxis={"title": labels["y_title"], "tickprefix": currency.symbol}, barmode="group")
    return figure
