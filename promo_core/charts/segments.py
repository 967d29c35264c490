"""Figures of segments, clusters, segment moves and lifetime value.

Every function takes a result and the UI's translated texts (``labels``, plus display names for
segment or cluster codes) because the core never translates. Codes travel in ``ids``/``customdata``
so that a plotly selection in the page maps back to segments, clusters or customers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from promo_core.clv import CLVResult
from promo_core.segmentation.clusters import ClusterResult
from promo_core.segmentation.moves import SegmentMoves
from promo_core.segmentation.rfm import LEVELS, SegmentationResult, segment_grid

MAX_SCATTER_POINTS = 20_000
"""Points drawn per scatter; a browser slows down beyond this. Clusters keep their shares."""


def _name(names: Mapping[str, str], code: str) -> str:
    return names.get(code, code)


def _rows(*columns: list) -> list[list]:
    """Columns zipped into row lists: customdata keeps numbers as numbers next to codes."""
    return [list(row) for row in zip(*columns)]


def segment_treemap_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Tiles sized by customers and coloured by share of revenue; ``ids`` are segment codes.

    ``labels`` keys: title, customers, revenue, revenue_share.
    """
    summary = result.segment_summary[result.segment_summary["customers"] > 0]
    codes = summary["segment"].tolist()
    figure = go.Figure(
        go.Treemap(
            ids=codes,
            labels=[_name(segment_names, c) for c in codes],
            parents=[""] * len(codes),
            values=summary["customers"].tolist(),
            customdata=_rows(codes, summary["revenue"].tolist(), summary["revenue_share"].tolist()),
            marker={"colors": summary["revenue_share"].fillna(0).tolist(), "colorscale": "Blues", "showscale": False},
            texttemplate="%{label}<br>%{value}",
            hovertemplate=(
                f"%{{label}}<br>{labels['customers']}: %{{value}}<br>{labels['revenue']}: %{{customdata[1]:,.0f}}"
                f"<br>{labels['revenue_share']}: %{{customdata[2]:.1%}}<extra></extra>"
            ),
            branchvalues="total",
        )
    )
    figure.update_layout(title=labels["title"], margin={"t": 50, "l": 10, "r": 10, "b": 10})
    return figure


def segment_bar_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Customers per segment as horizontal bars, largest revenue on top; a click selects a segment.

    ``customdata`` holds the segment code of each bar. ``labels`` keys: title, customers, revenue_share.
    """
    summary = result.segment_summary[result.segment_summary["customers"] > 0].sort_values("revenue", kind="stable")
    codes = summary["segment"].tolist()
    figure = go.Figure(
        go.Bar(
            x=summary["customers"].tolist(),
            y=[_name(segment_names, c) for c in codes],
            orientation="h",
            customdata=codes,
            text=[f"{share:.0%}" for share in summary["revenue_share"].fillna(0)],
            textposition="outside",
            marker={"color": summary["revenue_share"].fillna(0).tolist(), "colorscale": "Blues", "cmin": 0},
            hovertemplate=f"%{{y}}<br>{labels['customers']}: %{{x}}<br>{labels['revenue_share']}: %{{text}}<extra></extra>",
        )
    )
    figure.update_layout(
        title=labels["title"], xaxis_title=labels["customers"], margin={"t": 50, "l": 10, "r": 40, "b": 40}, clickmode="event+select"
    )
    return figure


def rf_heatmap_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Customers per (R score, F score) cell, mean monetary value and segment in the hover.

    ``labels`` keys: title, recency_score, frequency_score, customers, mean_monetary.
    """
    table = result.table
    cells = table.groupby(["r_score", "f_score"])["monetary"].agg(["size", "mean"])
    full = np.arange(1, LEVELS + 1)
    counts = cells["size"].unstack().reindex(index=full, columns=full).fillna(0).astype(int)
    means = cells["mean"].unstack().reindex(index=full, columns=full)
    grid = segment_grid(result.rules)
    hover = [
        _rows(means.loc[r].tolist(), [_name(segment_names, code) for code in grid[r - 1]]) for r in full
    ]
    figure = go.Figure(
        go.Heatmap(
            z=counts.to_numpy(),
            x=full.tolist(),
            y=full.tolist(),
            customdata=hover,
            text=counts.to_numpy(),
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar={"title": {"text": labels["customers"]}},
            hovertemplate=(
                f"R %{{y}} · F %{{x}}<br>%{{customdata[1]}}<br>{labels['customers']}: %{{z}}"
                f"<br>{labels['mean_monetary']}: %{{customdata[0]:,.2f}}<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        title=labels["title"],
        xaxis={"title": labels["frequency_score"], "dtick": 1},
        yaxis={"title": labels["recency_score"], "dtick": 1},
    )
    return figure


def cluster_scatter_figure(
    result: ClusterResult,
    labels: Mapping[str, str],
    cluster_names: Mapping[int, str] | None = None,
    max_points: int = MAX_SCATTER_POINTS,
) -> go.Figure:
    """The customers on the first two principal components, one trace per cluster (click selects it).

    Each point carries its customer_id in ``customdata``. Above ``max_points`` a fixed random sample
    is drawn (same share per cluster), so filter tables by cluster, not by the plotted points.
    ``labels`` keys: title, x, y, cluster.
    """
    points = result.assignments
    if len(points) > max_points:
        points = points.sample(n=max_points, random_state=0)
    figure = go.Figure()
    for cluster in range(result.k):
        mine = points[points["cluster"] == cluster]
        default = f"{labels['cluster']} {cluster}"
        figure.add_trace(
            go.Scattergl(
                x=mine["x"].to_numpy(),
                y=mine["y"].to_numpy(),
                mode="markers",
                name=(cluster_names or {}).get(cluster, default),
                customdata=mine["customer_id"].to_numpy(dtype=object),
                marker={"size": 5, "opacity": 0.6, "color": qualitative.Plotly[cluster % len(qualitative.Plotly)]},
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=labels["title"], xaxis_title=labels["x"], yaxis_title=labels["y"], legend={"itemsizing": "constant"}
    )
    return figure


def segment_sankey_figure(
    moves: SegmentMoves, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Flows from the segments at the start date (left) to those at the end date (right).

    Nodes are the start segments then the end segments, each with its code in ``customdata``; link
    ``customdata`` holds the (from, to) code pair.
    ``labels`` keys: title, customers, start, end.
    """
    matrix = moves.matrix
    sources = [c for c in matrix.index if matrix.loc[c].sum() > 0]
    targets = [c for c in matrix.columns if matrix[c].sum() > 0]
    pairs = moves.summary()
    source_at = {code: i for i, code in enumerate(sources)}
    target_at = {code: len(sources) + i for i, code in enumerate(targets)}
    colour = _segment_colours(sources + targets)
    figure = go.Figure(
        go.Sankey(
            node={
                "label": [_name(segment_names, c) for c in sources + targets],
                "customdata": sources + targets,
                "color": [colour[c] for c in sources + targets],
                "hovertemplate": f"%{{label}}<br>{labels['customers']}: %{{value}}<extra></extra>",
                "pad": 12,
            },
            link={
                "source": [source_at[c] for c in pairs["from_segment"]],
                "target": [target_at[c] for c in pairs["to_segment"]],
                "color": [_translucent(colour[c]) for c in pairs["from_segment"]],
                "value": pairs["customers"].tolist(),
                "customdata": _rows(pairs["from_segment"].tolist(), pairs["to_segment"].tolist()),
                "hovertemplate": (
                    f"%{{source.label}} → %{{target.label}}<br>{labels['customers']}: %{{value}}<extra></extra>"
                ),
            },
        )
    )
    figure.update_layout(
        title=f"{labels['title']} ({labels['start']} {moves.start.date()} → {labels['end']} {moves.end.date()})"
    )
    return figure


def _segment_colours(codes: list[str]) -> dict[str, str]:
    """One colour per segment code, the same on both sides of the Sankey."""
    palette = qualitative.Plotly + qualitative.D3
    return {code: palette[i % len(palette)] for i, code in enumerate(sorted(set(codes)))}


def _translucent(hex_colour: str, alpha: float = 0.35) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def clv_histogram_figure(result: CLVResult, labels: Mapping[str, str], bins: int = 40) -> go.Figure:
    """How predicted customer value is distributed.

    ``labels`` keys: title, predicted_value, customers.
    """
    figure = go.Figure(
        go.Histogram(
            x=result.table["predicted_value"].to_numpy(),
            nbinsx=bins,
            name=labels["predicted_value"],
            marker_color="#2a6f97",
            hovertemplate=f"{labels['predicted_value']}: %{{x}}<br>{labels['customers']}: %{{y}}<extra></extra>",
        )
    )
    figure.update_layout(
        title=labels["title"], xaxis_title=labels["predicted_value"], yaxis_title=labels["customers"], bargap=0.05
    )
    return figure
