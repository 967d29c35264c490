"""Aspects on a small hand-made set: which clause talks about what, and how it feels."""

from __future__ import annotations

import pandas as pd

from promo_core.sentiment import aspect_codes, review_aspects

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
