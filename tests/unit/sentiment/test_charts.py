"""Sentiment figures tested on their data: traces, values, codes in customdata, promotion shapes."""

from __future__ import annotations

import numpy as np
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
ZH_DATES = {"day_format": "%Y年%-m月%-d日", "month_format": "%Y年%-m月", "year_format": "%Y年", "date_format": "%Y年%-m月%-d日"}


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
    assert list(positive.y) == ["B", "A"]  # codes, most reviewed on top
    assert list(figure.layout.yaxis.ticktext) == ["B (n=2)", "Teapot (n=3)"]  # shown as names with their review count
    assert list(positive.x) == pytest.approx([0.5, 2 / 3])
    assert [row[1:] for row in positive.customdata] == [[2, "B"], [3, "Teapot"]]
    assert figure.layout.barmode == "stack"
    assert figure.layout.xaxis.range == (0, 1) and figure.layout.xaxis.tickvals[-1] == 1  # 100% is labelled


def test_trend_lines_and_promotions(scored: pd.DataFrame) -> None:
    result = sentiment_trend(scored, freq="W", by="item_id", promotions={"11.11": "2025-11-11", "Sale": ("2025-11-17", "2025-11-19")})
    figure = sentiment_trend_figure(result, {**LABELS, **ZH_DATES}, {"A": "Teapot"}, metric="share_negative")
    assert [t.name for t in figure.data] == ["Teapot", "B"]
    assert list(figure.data[0].y) == pytest.approx([0.0, 1.0])
    assert len(figure.layout.shapes) == 2
    assert [a.text for a in figure.layout.annotations] == ["11.11", "Sale"]
    assert figure.layout.yaxis.title.text == "SHARE_NEGATIVE"
    assert (figure.layout.yaxis.tickformat, figure.layout.yaxis.range) == (".0%", (-0.05, 1.05))


def test_trend_net_is_in_percent_and_dates_follow_the_language(scored: pd.DataFrame) -> None:
    figure = sentiment_trend_figure(sentiment_trend(scored, freq="W"), {**LABELS, **ZH_DATES}, metric="net")
    assert list(figure.data[0].y) == pytest.approx([1.0, -0.5, 1.0])  # weeks of 2, 2 (one neutral) and 1 reviews
    assert (figure.layout.yaxis.tickformat, figure.layout.yaxis.range) == ("+.0%", (-1.05, 1.05))  # as the KPI: +24%
    stops = {tuple(stop.dtickrange): stop.value for stop in figure.layout.xaxis.tickformatstops}
    assert stops == {(None, "M1"): "%Y年%-m月%-d日", ("M1", "M12"): "%Y年%-m月", ("M12", None): "%Y年"}
    assert figure.data[0].hovertemplate.startswith("%{x|%Y年%-m月%-d日}<br>NET: %{y:+.0%}")


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


def test_keyword_axes_are_symmetric_and_shared_by_the_languages() -> None:
    texts = ["物流很快，包装很好"] * 40 + ["客服态度差，退货麻烦"] * 30 + ["fast shipping"] * 4 + ["broken handle"] * 3
    result = extract_keywords(texts, labels=["positive"] * 40 + ["negative"] * 30 + ["positive"] * 4 + ["negative"] * 3)
    chinese, english = (keyword_bars_figure(result, LABELS, lang=code) for code in ("zh", "en"))
    largest = np.abs(result.differences["z"]).max()
    assert np.abs(result.differences.query("lang == 'en'")["z"]).max() < np.ceil(largest) - 1  # the English words are weaker
    assert chinese.layout.xaxis.range == english.layout.xaxis.range == pytest.approx((-np.ceil(largest) * 1.05, np.ceil(largest) * 1.05))
