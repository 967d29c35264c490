"""Figures of segments, clusters, segment moves and lifetime value.

Every function takes a result and the UI's translated texts (``labels``, plus display names for
segment or cluster codes) because the core never translates. Codes travel in ``ids``/``customdata``
so that a plotly selection in the page maps back to segments, clusters or customers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale

from promo_core.clv import CLVResult
from promo_core.money import NO_CURRENCY, Currency
from promo_core.segmentation.clusters import ClusterResult
from promo_core.segmentation.moves import SegmentMoves
from promo_core.segmentation.rfm import LEVELS, SegmentationResult, segment_grid

MAX_SCATTER_POINTS = 20_000
"""Points drawn per scatter; a browser slows down beyond this. Clusters keep their shares."""
BAR_HEADROOM = 1.6
"""The customer axis runs to this multiple of the longest bar, so that its label fits beside it."""
LIGHTEST_SHARE_COLOUR = 0.25
"""Where on the Blues scale the smallest revenue share starts: paler bars vanish into the page."""
SANKEY_ROW_PX = 38
"""Height per node on the busier side of the Sankey: room for one label line and a gap."""
SANKEY_PAD_PX = 14
SANKEY_MARGIN = {"t": 75, "b": 20, "l": 10, "r": 10}
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
"""A legend under the plot: beside it, long cluster names take half the width of a narrow screen."""
SCATTER_HEIGHT_PX = 560
"""Room for the plot and a legend of a few rows below it."""


def _name(names: Mapping[str, str], code: str) -> str:
    return names.get(code, code)


def _rows(*columns: list) -> list[list]:
    """Columns zipped into row lists: customdata keeps numbers as numbers next to codes."""
    return [list(row) for row in zip(*columns)]


def _share_colours(shares: pd.Series) -> list[str]:
    """Blues by share of revenue, the largest share darkest; treemap and bars use the same scale."""
    top = float(shares.max()) if len(shares) and shares.max() > 0 else 1.0
    positions = LIGHTEST_SHARE_COLOUR + (1 - LIGHTEST_SHARE_COLOUR) * shares.clip(lower=0) / top
    return sample_colorscale("Blues", positions.tolist())


def segment_treemap_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str],
    currency: Currency = NO_CURRENCY,
) -> go.Figure:
    """Tiles sized by customers and coloured by share of revenue; ``ids`` are segment codes.

    The tiles sit directly on the page: the implied root tile (a grey frame and a band for its
    title) is transparent and unpadded, the path bar hidden. Labels too small to read are hidden
    rather than shrunk; the hover still tells every tile's figures.
    ``labels`` keys: title, customers, revenue, revenue_share.
    """
    summary = result.segment_summary[result.segment_summary["customers"] > 0]
    codes = summary["segment"].tolist()
    shares = summary["revenue_share"].fillna(0)
    figure = go.Figure(
        go.Treemap(
            ids=codes,
            labels=[_name(segment_names, c) for c in codes],
            parents=[""] * len(codes),
            values=summary["customers"].tolist(),
            customdata=_rows(codes, summary["revenue"].tolist(), shares.tolist()),
            marker={
                "colors": _share_colours(shares),
                "line": {"width": 1, "color": "white"},
                "pad": {"t": 0, "l": 0, "r": 0, "b": 0},
            },
            root={"color": "rgba(0,0,0,0)"},
            pathbar={"visible": False},
            texttemplate="%{label}<br>%{value:,}",
            hovertemplate=(
                f"%{{label}}<br>{labels['customers']}: %{{value:,}}<br>{labels['revenue']}: {currency.hover('customdata[1]', 0)}"
                f"<br>{labels['revenue_share']}: %{{customdata[2]:.1%}}<extra></extra>"
            ),
            branchvalues="total",
        )
    )
    figure.update_layout(
        title=labels["title"], margin={"t": 50, "l": 10, "r": 10, "b": 10}, uniformtext={"minsize": 10, "mode": "hide"}
    )
    return figure


def segment_bar_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Customers per segment as horizontal bars, the most revenue on top; a click selects a segment.

    Bar length is customers; the short label gives both numbers ("952 · 28%", the axis title says
    which is which) so that it fits beside the bar on a narrow screen, the hover spells them out, and
    the colour deepens with the share of revenue, so the revenue order reads at a glance. The axis
    leaves room for the label of the longest bar. ``customdata`` holds the segment code of each bar.
    ``labels`` keys: title, customers (the axis title), bar_text and hover (templates with
    ``{customers}`` and ``{share}``; hover also ``{name}``).
    """
    summary = result.segment_summary[result.segment_summary["customers"] > 0].sort_values("revenue", kind="stable")
    codes = summary["segment"].tolist()
    shares = summary["revenue_share"].fillna(0)
    longest = max(int(summary["customers"].max()), 1) if len(summary) else 1
    figure = go.Figure(
        go.Bar(
            x=summary["customers"].tolist(),
            y=[_name(segment_names, c) for c in codes],
            orientation="h",
            customdata=codes,
            text=[labels["bar_text"].format(customers=n, share=share) for n, share in zip(summary["customers"], shares)],
            hovertext=[
                labels["hover"].format(name=_name(segment_names, c), customers=n, share=share)
                for c, n, share in zip(codes, summary["customers"], shares)
            ],
            textposition="outside",
            cliponaxis=False,
            marker={"color": _share_colours(shares)},
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    figure.update_layout(
        title=labels["title"],
        xaxis={"title": labels["customers"], "range": [0, longest * BAR_HEADROOM]},
        margin={"t": 50, "l": 10, "r": 10, "b": 40},
        clickmode="event+select",
    )
    return figure


def rf_heatmap_figure(
    result: SegmentationResult, labels: Mapping[str, str], segment_names: Mapping[str, str],
    currency: Currency = NO_CURRENCY,
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
                f"<br>{labels['mean_monetary']}: {currency.hover('customdata[0]')}<extra></extra>"
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
    currency: Currency = NO_CURRENCY,
) -> go.Figure:
    """Customers by days since their last purchase and net spend (log scale), one trace per cluster.

    Two measures a marketer reads directly, instead of principal components: who is lapsing (right)
    and who is worth most (up). A log axis cannot show a net spend of 0 or less, so those customers
    are left out of the picture and an annotation counts them; a click on a cluster still selects
    all of its customers. The legend sits below the plot, which keeps the full width. Each point carries its customer_id in ``customdata``. Above
    ``max_points`` a fixed random sample is drawn (same share per cluster).
    ``labels`` keys: title, x, y, cluster, not_shown (a template with ``{count}``).
    """
    points = result.assignments
    hidden = int((points["monetary"] <= 0).sum())
    points = points[points["monetary"] > 0]
    if len(points) > max_points:
        points = points.sample(n=max_points, random_state=0)
    figure = go.Figure()
    for cluster in range(result.k):
        mine = points[points["cluster"] == cluster]
        default = f"{labels['cluster']} {cluster}"
        figure.add_trace(
            go.Scattergl(
                x=mine["recency_days"].to_numpy(),
                y=mine["monetary"].to_numpy(),
                mode="markers",
                name=(cluster_names or {}).get(cluster, default),
                customdata=mine["customer_id"].to_numpy(dtype=object),
                marker={"size": 5, "opacity": 0.6, "color": qualitative.Plotly[cluster % len(qualitative.Plotly)]},
                hovertemplate=(
                    f"%{{customdata}}<br>{labels['x']}: %{{x:,}}<br>{labels['y']}: {currency.hover('y')}"
                    "<extra>%{fullData.name}</extra>"
                ),
            )
        )
    figure.update_layout(
        title=labels["title"],
        xaxis_title=labels["x"],
        yaxis={"title": labels["y"], "type": "log", "dtick": 1, "tickformat": ",.0f",  # 1, 10, 100, 1,000
               "tickprefix": currency.symbol},
        legend={**LEGEND_BELOW, "itemsizing": "constant"},
        height=SCATTER_HEIGHT_PX,
    )
    if hidden:
        figure.add_annotation(
            text=labels["not_shown"].format(count=hidden), xref="paper", yref="paper", x=1, y=1,
            xanchor="right", yanchor="bottom", showarrow=False, font={"size": 11},
        )
    return figure


def segment_sankey_figure(
    moves: SegmentMoves, labels: Mapping[str, str], segment_names: Mapping[str, str]
) -> go.Figure:
    """Flows from the segments at the start date (left) to those at the end date (right).

    Both sides list the segments in rule order, top to bottom, at fixed positions, so the same
    segment sits at the same height on each side; the figure grows with the number of segments so
    that small segments keep a full line for their label. Nodes are the start segments then the
    end segments, each with its code in ``customdata``; link ``customdata`` holds the (from, to)
    code pair. ``labels`` keys: title, customers, start, end.
    """
    matrix = moves.matrix
    sources = [c for c in matrix.index if matrix.loc[c].sum() > 0]
    targets = [c for c in matrix.columns if matrix[c].sum() > 0]
    pairs = moves.summary()
    source_at = {code: i for i, code in enumerate(sources)}
    target_at = {code: len(sources) + i for i, code in enumerate(targets)}
    colour = _segment_colours(sources + targets)
    rows = max(len(sources), len(targets))
    plot_px = rows * SANKEY_ROW_PX
    sizes = (matrix.loc[sources].sum(axis=1).to_numpy(), matrix[targets].sum(axis=0).to_numpy())
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [_name(segment_names, c) for c in sources + targets],
                "customdata": sources + targets,
                "color": [colour[c] for c in sources + targets],
                "x": [0.001] * len(sources) + [0.999] * len(targets),
                "y": [*_stacked_centres(sizes[0], rows, plot_px), *_stacked_centres(sizes[1], rows, plot_px)],
                "hovertemplate": f"%{{label}}<br>{labels['customers']}: %{{value:,}}<extra></extra>",
                "pad": SANKEY_PAD_PX,
                "thickness": 16,
            },
            link={
                "source": [source_at[c] for c in pairs["from_segment"]],
                "target": [target_at[c] for c in pairs["to_segment"]],
                "color": [_translucent(colour[c]) for c in pairs["from_segment"]],
                "value": pairs["customers"].tolist(),
                "customdata": _rows(pairs["from_segment"].tolist(), pairs["to_segment"].tolist()),
                "hovertemplate": (
                    f"%{{source.label}} → %{{target.label}}<br>{labels['customers']}: %{{value:,}}<extra></extra>"
                ),
            },
        )
    )
    figure.update_layout(
        # The dates on a line of their own: title and dates in one line run past a narrow screen.
        title=f"{labels['title']}<br><sup>{labels['start']} {moves.start.date()} → {labels['end']} {moves.end.date()}</sup>",
        height=plot_px + SANKEY_MARGIN["t"] + SANKEY_MARGIN["b"],
        margin=SANKEY_MARGIN,
    )
    return figure


def _stacked_centres(sizes: np.ndarray, rows: int, plot_px: float) -> list[float]:
    """Vertical centres (0 = top, 1 = bottom) of nodes stacked in order and spread over the full height.

    Plotly scales node heights so that the busier side, with ``rows`` nodes and a pad between each,
    fills the plot; this side's spare height is shared out as equal gaps between its nodes.
    """
    scale = (plot_px - (rows - 1) * SANKEY_PAD_PX) / sizes.sum()
    heights = sizes * scale
    gap = (plot_px - heights.sum()) / max(len(sizes) - 1, 1)
    tops = np.concatenate([[0.0], np.cumsum(heights[:-1] + gap)])
    return np.clip((tops + heights / 2) / plot_px, 0.001, 0.999).tolist()


def _segment_colours(codes: list[str]) -> dict[str, str]:
    """One colour per segment code, the same on both sides of the Sankey."""
    palette = qualitative.Plotly + qualitative.D3
    return {code: palette[i % len(palette)] for i, code in enumerate(sorted(set(codes)))}


def _translucent(hex_colour: str, alpha: float = 0.35) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def clv_histogram_figure(
    result: CLVResult, labels: Mapping[str, str], bins: int = 40, currency: Currency = NO_CURRENCY
) -> go.Figure:
    """How predicted customer value is distributed.

    ``labels`` keys: title, predicted_value, customers.
    """
    figure = go.Figure(
        go.Histogram(
            x=result.table["predicted_value"].to_numpy(),
            nbinsx=bins,
            name=labels["predicted_value"],
            marker_color="#2a6f97",
            hovertemplate=f"{labels['predicted_value']}: {currency.symbol}%{{x}}<br>{labels['customers']}: %{{y:,}}<extra></extra>",
        )
    )
    figure.update_layout(
        title=labels["title"], xaxis={"title": labels["predicted_value"], "tickprefix": currency.symbol},
        yaxis_title=labels["customers"], bargap=0.05,
    )
    return figure
