"""Figures of review sentiment: shares by group, trend with promotions, aspect heatmap, keyword bars.

Pure functions of a sentiment result and the UI's translated texts (``labels``; each docstring lists
its keys, plus optional display names for group or aspect codes): the core never translates. Codes
travel in ``customdata`` so a page can map a click back to a product, aspect or word. Review text and
words are set as trace data, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from promo_core.sentiment.aspects import AspectResult
from promo_core.sentiment.keywords import KeywordResult
from promo_core.sentiment.scoring import LABELS
from promo_core.sentiment.trends import ShareResult, TrendResult

COLOURS = {"negative": "#e76f51", "neutral": "#8d99ae", "positive": "#2a9d8f"}
TREND_METRICS = ("net", "share_positive", "share_negative", "mean_score")
_METRIC_AXES = {
    "net": ("+.0%", [-1.05, 1.05]),
    "share_positive": (".0%", [-0.05, 1.05]),
    "share_negative": (".0%", [-0.05, 1.05]),
    "mean_score": ("+.2f", [-1.05, 1.05]),
}
"""Tick format and fixed range per trend metric: shares and net in % like the KPI cards, the score as a number."""
_LEGEND_ON_TOP = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
"""Under the title, where it stays close to the bars however tall the chart grows."""


def _rows(*columns: object) -> list[list]:
    """Columns zipped into row lists: customdata keeps numbers as numbers next to codes."""
    return [list(row) for row in zip(*(np.asarray(c).tolist() for c in columns))]


def _name(names: Mapping[str, str] | None, code: object) -> str:
    return (names or {}).get(str(code), str(code))


def sentiment_share_figure(
    result: ShareResult, labels: Mapping[str, str], group_names: Mapping[str, str] | None = None
) -> go.Figure:
    """Stacked horizontal bars: share negative, neutral and positive per group (most reviewed on top).

    Each bar is labelled with its group's review count (n), since equal bars may rest on 5 or 5,000
    reviews; the axis always spans 0-100%. ``y`` holds the group codes (shown as names), ``customdata``
    [group code, reviews, name]. ``labels`` keys: title, negative, neutral, positive, share, reviews.
    """
    table = result.table.iloc[::-1]
    codes = table["group"].astype(str).tolist()
    reviews = table["reviews"].to_numpy()
    names = [_name(group_names, c) for c in codes]
    figure = go.Figure()
    for label in LABELS:
        figure.add_trace(go.Bar(
            x=table[f"share_{label}"].to_numpy(), y=codes, orientation="h", name=labels[label],
            marker_color=COLOURS[label], customdata=_rows(codes, reviews, names),
            hovertemplate=(
                f"%{{customdata[2]}}<br>{labels[label]}: %{{x:.0%}}<br>{labels['reviews']}: %{{customdata[1]:,}}<extra></extra>"
            ),
        ))
    figure.update_layout(
        title=labels["title"], barmode="stack",
        xaxis={"title": labels["share"], "tickformat": ".0%", "range": [0, 1], "tickvals": [0, 0.25, 0.5, 0.75, 1]},
        yaxis={"type": "category", "tickvals": codes, "ticktext": [f"{name} (n={n:,})" for name, n in zip(names, reviews)]},
        legend=_LEGEND_ON_TOP | {"traceorder": "normal"}, margin={"l": 10, "r": 30, "t": 80, "b": 40},
    )
    return figure


def sentiment_trend_figure(
    result: TrendResult,
    labels: Mapping[str, str],
    group_names: Mapping[str, str] | None = None,
    metric: str = "net",
) -> go.Figure:
    """One line per group of ``metric`` per period, promotions shaded and named.

    ``metric``: net (share positive minus share negative), share_positive, share_negative or
    mean_score; net and shares are drawn in % (as the page's KPI cards show them) on a fixed range, so
    a calm month does not look dramatic. Each promotion is a shaded band (a layout shape) with its
    name as an annotation. Dates use the caller's d3 formats, so month ticks read "2025年7月" in
    Chinese. ``labels`` keys: title, period, reviews, the metric's own key (e.g. net), and
    day_format, month_format, year_format (tick formats by zoom) and date_format (hover).
    """
    table = result.table
    palette = qualitative.Plotly
    tick_format, y_range = _METRIC_AXES[metric]
    figure = go.Figure()
    for k, (code, rows) in enumerate(table.groupby("group", sort=False)):
        figure.add_trace(go.Scatter(
            x=rows["period"].to_numpy(), y=rows[metric].to_numpy(), mode="lines+markers", name=_name(group_names, code),
            line={"color": palette[k % len(palette)]},
            customdata=_rows(rows["reviews"].to_numpy(), rows["promotion"].astype(str).to_numpy()),
            hovertemplate=(
                f"%{{x|{labels['date_format']}}}<br>{labels[metric]}: %{{y:{tick_format}}}<br>{labels['reviews']}: %{{customdata[0]:,}}"
                "<br>%{customdata[1]}<extra>%{fullData.name}</extra>"
            ),
        ))
    for promotion in result.promotions.itertuples(index=False):
        end = promotion.end + np.timedelta64(1, "D")
        figure.add_vrect(x0=promotion.start, x1=end, fillcolor="#f4a261", opacity=0.2, line_width=0)
        figure.add_annotation(x=promotion.start, y=1, yref="paper", text=promotion.name, showarrow=False, yanchor="bottom")
    figure.update_layout(
        title=labels["title"], hovermode="closest", margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis={"title": labels["period"], "tickformatstops": [
            {"dtickrange": [None, "M1"], "value": labels["day_format"]},
            {"dtickrange": ["M1", "M12"], "value": labels["month_format"]},
            {"dtickrange": ["M12", None], "value": labels["year_format"]},
        ]},
        yaxis={"title": labels[metric], "tickformat": tick_format, "range": y_range},
    )
    return figure


def aspect_heatmap_figure(
    result: AspectResult, labels: Mapping[str, str], aspect_names: Mapping[str, str] | None = None
) -> go.Figure:
    """Aspects (rows, most mentioned on top) x sentiment (columns): share of mentions, count as text.

    Colour is the share on one neutral scale: a red-to-green scale would paint a 100%-negative cell
    green. The height grows with the number of aspects so rows stay readable.

    ``customdata`` holds each row's aspect code. ``labels`` keys: title, negative, neutral, positive,
    share, mentions.
    """
    summary = result.summary().iloc[::-1]
    codes = summary["aspect"].astype(str).tolist()
    shares = summary[[f"share_{label}" for label in LABELS]].to_numpy(dtype=float)
    counts = summary[list(LABELS)].to_numpy()
    figure = go.Figure(go.Heatmap(
        z=shares, x=[labels[label] for label in LABELS], y=[_name(aspect_names, c) for c in codes],
        text=counts, texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=1,
        customdata=[[code] * len(LABELS) for code in codes],
        colorbar={"title": {"text": labels["share"]}, "tickformat": ".0%"},
        hovertemplate=f"%{{y}} · %{{x}}<br>{labels['share']}: %{{z:.0%}}<br>{labels['mentions']}: %{{text}}<extra></extra>",
    ))
    figure.update_layout(
        title=labels["title"], margin={"l": 10, "r": 10, "t": 50, "b": 40}, height=max(320, 80 + 34 * len(codes))
    )
    return figure


def keyword_bars_figure(
    result: KeywordResult, labels: Mapping[str, str], top_n: int = 15, lang: str | None = None
) -> go.Figure:
    """Words that lean positive (bars right) or negative (bars left) by z-score, significant ones solid.

    ``lang`` limits the words to one language. The z axis is symmetric around 0 and the same for every
    language of ``result`` (the largest |z| of all its words), so the English and Chinese charts can
    be compared side by side. ``customdata`` holds [word, reviews positive, reviews negative,
    q-value]. ``labels`` keys: title, positive, negative, z_score, reviews_positive, reviews_negative.
    """
    words = result.differences if lang is None else result.differences[result.differences["lang"] == lang]
    figure = go.Figure()
    for side, ascending in (("negative", True), ("positive", False)):
        rows = words[words["leans"] == side].sort_values("z", ascending=ascending, kind="stable").head(top_n).iloc[::-1]
        figure.add_trace(go.Bar(
            x=rows["z"].to_numpy(), y=rows["word"].astype(str).tolist(), orientation="h", name=labels[side],
            marker={"color": COLOURS[side], "opacity": np.where(rows["significant"].to_numpy(), 1.0, 0.4).tolist()},
            customdata=_rows(
                rows["word"].astype(str).to_numpy(), rows["reviews_positive"].to_numpy(),
                rows["reviews_negative"].to_numpy(), rows["q_value"].to_numpy(),
            ),
            hovertemplate=(
                f"%{{y}}<br>{labels['z_score']}: %{{x:.1f}}<br>{labels['reviews_positive']}: %{{customdata[1]:,}}"
                f"<br>{labels['reviews_negative']}: %{{customdata[2]:,}}<br>q = %{{customdata[3]:.3g}}<extra></extra>"
            ),
        ))
    limit = float(np.ceil(np.max(np.abs(result.differences["z"].to_numpy()), initial=1.0)))
    figure.update_layout(
        title=labels["title"], barmode="overlay",
        xaxis={"title": labels["z_score"], "range": [-limit * 1.05, limit * 1.05], "zeroline": True},
        legend=_LEGEND_ON_TOP, margin={"l": 10, "r": 10, "t": 80, "b": 40},
    )
    return figure
