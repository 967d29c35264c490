"""Sentiment figures tested on their data: traces, values, codes in customdata, promotion shapes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from promo_core.charts.sentiment import (
    aspect_heatmap_figure,
    keyword_bars_figure,
    sentiment_share_figure,
    sentiment_trend_figure,
)
from promo_core.sentiment import (
    extract_keywords,
    review_aspects,
    sentiment_shares,
    sentiment_trend,
)

LABELS = {
    key: key.upper()
    for key in (
        "title", "negative", "neutral", "positive", "share", "reviews", "period", "net", "share_negative",
        "mentions", "z_score", "reviews_positive", "reviews_negative",
    )
}


@pytest.fixture
def scored() -> pd.DataFrame:
    return pd.DataFrame({
        "item_id": ["A", "A", "A", "B", "B"],
        "label": pd.Categorical(["positive", "positive", "negative", "neutral", "positive"]),
        "score": [0.8, 0.6, -0.5, 0.0, 0.9],
        "review_date": pd.to_datetime(["2025-11-03", "2025-11-05", "2025-11-11", "2025-11-12", "2025-11-20"]),
    })


def test_share_bars(scored: pd.DataFrame) -> None:
    figure = sentiment_share_figure(sentiment_shares(scored, by="item_id"), LABELS, {"A": "Teapot"})
    assert [t.name for t in figure.data] == ["NEGATIVE", "NEUTRAL", "POSITIVE"]
    positive = figure.data[2]
    assert list(positive.y) == ["B", "Teapot"]  # most reviewed on top
    assert list(positive.x) == pytest.approx([0.5, 2 / 3])
    assert [row[0] for row in positive.customdata] == ["B", "A"]
    assert figure.layout.barmode == "stack"


def test_trend_lines_and_promotions(scored: pd.DataFrame) -> None:
    result = sentiment_trend(scored, freq="W", by="item_id", promotions={"11.11": "2025-11-11", "Sale": ("2025-11-17", "2025-11-19")})
    figure = sentiment_trend_figure(result, LABELS, {"A": "Teapot"}, metric="share_negative")
    assert [t.name for t in figure.data] == ["Teapot", "B"]
    assert list(figure.data[0].y) == pytest.approx([0.0, 1.0])
    assert len(figure.layout.shapes) == 2
    assert [a.text for a in figure.layout.annotations] == ["11.11", "Sale"]
    assert figure.layout.yaxis.title.text == "SHARE_NEGATIVE"


def test_aspect_heatmap() -> None:
    result = review_aspects(["质量不错，就是物流太慢了", "物流很快", "物流太慢"])
    figure = aspect_heatmap_figure(result, LABELS, {"delivery": "Delivery"})
    heatmap = figure.data[0]
    assert list(heatmap.x) == ["NEGATIVE", "NEUTRAL", "POSITIVE"]
    assert list(heatmap.y) == ["quality", "Delivery"]  # most mentioned at the top of the plot
    assert [list(row) for row in heatmap.text] == [[0, 0, 1], [2, 0, 1]]
    assert heatmap.customdata[1][0] == "delivery"
    # One sequential scale for a share: a red-to-green scale would paint 100% negative green.
    assert figure.data[0].colorscale == go.Heatmap(colorscale="Blues").colorscale
    assert figure.layout.height == 320


def test_keyword_bars() -> None:
    texts = ["物流很快，包装很好"] * 20 + ["客服态度差，退货麻烦"] * 15
    result = extract_keywords(texts, labels=["positive"] * 20 + ["negative"] * 15)
    figure = keyword_bars_figure(result, LABELS, top_n=2, lang="zh")
    negative, positive = figure.data
    assert (negative.name, positive.name) == ("NEGATIVE", "POSITIVE")
    assert len(negative.x) == 2 and all(z < 0 for z in negative.x)
    assert len(positive.x) == 2 and all(z > 0 for z in positive.x)
    assert positive.customdata[0][1] == 20 and positive.customdata[0][2] == 0
