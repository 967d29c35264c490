"""Keywords on small hand-made sets: per-side top words and the words that differ significantly."""

from __future__ import annotations

import numpy as np
import pytest

from promo_core.sentiment import extract_keywords
from promo_core.sentiment.keywords import log_odds_z

ZH = ["物流很快，包装很好"] * 20 + ["质量很好，物流很快"] * 10 + ["客服态度差，退货麻烦"] * 15 + ["质量差，客服不回消息"] * 5
ZH_LABELS = ["positive"] * 30 + ["negative"] * 20
EN = ["fast shipping, lovely colour"] * 20 + ["broken handle, refund please"] * 15 + ["lovely colour but broken handle"] * 2
EN_LABELS = ["positive"] * 20 + ["negative"] * 17


def test_chinese_words_that_differ() -> None:
    result = extract_keywords(ZH, labels=ZH_LABELS)
    words = result.differences.set_index("word")
    assert words.loc["物流", ["reviews_positive", "reviews_negative"]].tolist() == [30, 0]
    assert words.loc["物流", "leans"] == "positive" and words.loc["物流", "significant"]
    assert words.loc["客服", "leans"] == "negative" and words.loc["客服", "significant"]
    assert words.loc["质量", "significant"] == False
    assert "的" not in words.index and "很" not in words.index  # stopwords and degree words left out
    assert result.reviews_positive == 30 and result.reviews_negative == 20


def test_top_words_per_side() -> None:
    result = extract_keywords(ZH, labels=ZH_LABELS, top_n=3)
    top = result.top[result.top["lang"] == "zh"]
    assert top.groupby("side").size().to_dict() == {"negative": 3, "positive": 3}
    assert top[top["side"] == "negative"]["word"].iloc[0] == "态度差"  # a lexicon word, kept whole by jieba
    assert set(top[top["side"] == "positive"]["word"]) <= {"物流", "包装", "质量", "快", "好"}


def test_english_words_and_bigrams() -> None:
    result = extract_keywords(EN, labels=EN_LABELS)
    words = result.summary().set_index("word")
    assert words.loc["broken handle", "leans"] == "negative" and words.loc["broken handle", "significant"]
    assert words.loc["lovely colour", "leans"] == "positive"
    assert "but" not in words.index


def test_labels_default_to_the_lexicon_and_mixed_languages_are_kept_apart() -> None:
    result = extract_keywords(ZH + EN)
    assert set(result.differences["lang"]) == {"en", "zh"}


def test_log_odds_is_antisymmetric_and_zero_for_equal_rates() -> None:
    pos, neg = np.array([30.0, 5.0, 10.0]), np.array([2.0, 5.0, 10.0])
    delta, z = log_odds_z(pos, neg)
    back_delta, back_z = log_odds_z(neg, pos)
    assert back_delta == pytest.approx(-delta) and back_z == pytest.approx(-z)
    assert z[0] > 1.96
    same, z_same = log_odds_z(np.array([5.0, 5.0]), np.array([5.0, 5.0]))
    assert same == pytest.approx([0.0, 0.0]) and z_same == pytest.approx([0.0, 0.0])
