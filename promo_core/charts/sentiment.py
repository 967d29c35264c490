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


def _rows(*columns: object) -> list[list]:
    """Columns zipped into row lists: customdata keeps numbers as numbers next to codes."""
    return [list(row) for row in zip(*(np.asarray(c).tolist() for c in columns))]


def _name(names: Mapping[str, str] | None, code: object) -> str:
    return (names or {}).get(str(code), str(code))


def sentiment_share_figure(
    result: ShareResult, labels: Mapping[str, str], group_names: Mapping[str, str] | None = None
) -> go.Figure:
    """Stacked horizontal bars: share negative, neutral and positive per group (most reviewed on top).

    ``customdata`` holds [group code, reviews]. ``labels`` keys: title, negative, neutral, positive,
    share, reviews.
    """
    table = result.table.iloc[::-1]
    codes = table["group"].astype(str).tolist()
    names = [_name(group_names, c) for c in codes]
    figure = go.Figure()
    for label in LABELS:
        figure.add_trace(go.Bar(
            x=table[f"share_{label}"].to_numpy(), y=names, orientation="h", name=labels[label],
            marker_color=COLOURS[label], customdata=_rows(codes, table["reviews"].to_numpy()),
            hovertemplate=f"%{{y}}<br>{labels[label]}: %{{x:.0%}}<br>{labels['reviews']}: %{{customdata[1]}}<extra></extra>",
        ))
    figure.update_layout(
        title=labels["title"], barmode="stack", xaxis={"title": labels["share"], "tickformat": ".0%", "range": [0, 1]},
        legend={"orientation": "h", "y": -0.15}, margin={"l": 10, "r": 10, "t": 50, "b": 40},
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
    mean_score. Each promotion is a shaded band (a layout shape) with its name as an annotation.
    ``labels`` keys: title, period, reviews, and the metric's own key (e.g. net).
    """
    table = result.table
    palette = qualitative.Plotly
    figure = go.Figure()
    for k, (code, rows) in enumerate(table.groupby("group", sort=False)):
        figure.add_trace(go.Scatter(
            x=rows["period"].to_numpy(), y=rows[metric].to_numpy(), mode="lines+markers", name=_name(group_names, code),
            line={"color": palette[k % len(palette)]},
            customdata=_rows(rows["reviews"].to_numpy(), rows["promotion"].astype(str).to_numpy()),
            hovertemplate=(
                f"%{{x|%Y-%m-%d}}<br>{labels[metric]}: %{{y:.2f}}<br>{labels['reviews']}: %{{customdata[0]}}"
                "<br>%{customdata[1]}<extra>%{fullData.name}</extra>"
            ),
        ))
    for promotion in result.promotions.itertuples(index=False):
        end = promotion.end + np.timedelta64(1, "D")
        figure.add_vrect(x0=promotion.start, x1=end, fillcolor="#f4a261", opacity=0.2, line_width=0)
        figure.add_annotation(x=promotion.start, y=1, yref="paper", text=promotion.name, showarrow=False, yanchor="bottom")
    figure.update_layout(
        title=labels["title"], xaxis_title=labels["period"], yaxis_title=labels[metric], hovermode="closest",
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
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

    ``lang`` limits the words to one language. ``customdata`` holds [word, reviews positive, reviews
    negative, q-value]. ``labels`` keys: title, positive, negative, z_score, reviews_positive,
    reviews_negative.
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
                f"%{{y}}<br>{labels['z_score']}: %{{x:.1f}}<br>{labels['reviews_positive']}: %{{customdata[1]}}"
                f"<br>{labels['reviews_negative']}: %{{customdata[2]}}<br>q = %{{customdata[3]:.3g}}<extra></extra>"
            ),
        ))
    figure.update_layout(
        title=labels["title"], xaxis_title=labels["z_score"], barmode="overlay",
        legend={"orientation": "h", "y": -0.15}, margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure
