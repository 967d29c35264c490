"""Aspects on a small hand-made set: which clause talks about what, and how it feels."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.sentiment import AspectResult, aspect_codes, review_aspects

REVIEWS = pd.Series(
    [
        "质量不错，就是物流太慢了",
        "The quality is great but shipping was slow.",
        "价格实惠，包装也很用心！",
        "Customer service was rude. The box arrived crushed.",
        "Muy buena calidad",
        "好评",
    ],
    index=[10, 11, 12, 13, 14, 15],
)


def test_each_clause_gets_its_aspects_and_own_sentiment() -> None:
    table = review_aspects(REVIEWS).table
    got = sorted(zip(table["review"], table["aspect"], table["label"].astype(str)))
    assert got == [
        (10, "delivery", "negative"),
        (10, "quality", "positive"),
        (11, "delivery", "negative"),
        (11, "quality", "positive"),
        (12, "packaging", "positive"),
        (12, "price", "positive"),
        (13, "delivery", "negative"),  # "the box arrived crushed" is about delivery and packaging
        (13, "packaging", "negative"),
        (13, "service", "negative"),
    ]


def test_summary_counts_aspect_by_sentiment() -> None:
    result = review_aspects(REVIEWS)
    summary = result.summary().set_index("aspect")
    assert summary.loc["delivery", ["mentions", "negative", "neutral", "positive"]].tolist() == [3, 3, 0, 0]
    assert summary.loc["quality", "share_positive"] == 1.0
    assert summary.index[0] == "delivery"  # most mentioned first
    assert result.reviews == 6 and result.reviews_with_aspect == 4


def test_aspect_codes_come_from_the_keyword_file() -> None:
    codes = aspect_codes()
    assert codes[:5] == ("quality", "price", "delivery", "packaging", "service")
    assert {"size", "taste", "material", "appearance", "performance", "durability"} <= set(codes)


def _mentions(aspect: str, negative: int, positive: int) -> list[tuple[int, str, str, str, float, str]]:
    return [(0, "en", aspect, "clause", -0.5, "negative")] * negative + [(0, "en", aspect, "clause", 0.5, "positive")] * positive


def test_the_main_complaint_has_the_most_negative_mentions_not_the_highest_share() -> None:
    rows = _mentions("price", 811, 1750) + _mentions("performance", 127, 137) + _mentions("taste", 9, 0) + _mentions("size", 127, 100)
    table = pd.DataFrame(rows, columns=["review", "lang", "aspect", "clause", "score", "label"])
    complaints = AspectResult(table, 1, 1).complaints()
    assert complaints["aspect"].tolist() == ["price", "size", "performance"]  # taste: 9 negatives, fewer than 10
    assert complaints[["negative", "mentions"]].values.tolist() == [[811, 2561], [127, 227], [127, 264]]
    assert complaints["share_negative"].tolist() == pytest.approx([811 / 2561, 127 / 227, 127 / 264])
    assert AspectResult(table, 1, 1).complaints(min_negative=900).empty
