"""Keywords on small hand-made sets: per-side top words and the words that differ significantly."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from promo_core.sentiment import extract_keywords
from promo_core.sentiment.keywords import covered_words, log_odds_z, review_keywords

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # filler ("i'd", "again") is skipped, a negator keeps its word, pairs keep the words between
        ("not sure i'd buy again. couldn't be happier, worth every penny!",
         ["not sure", "buy", "couldn't be happier", "worth", "penny", "worth every penny"]),
        # degree words are filler, "no" negates, "but" and punctuation end a phrase, 's is dropped
        ("no complaints, the seller's box is really solid but wouldn't recommend the bit of tape",
         ["no complaints", "seller", "box", "solid", "wouldn't recommend", "tape", "seller box", "box is really solid"]),
        # a negator with no word in reach (two filler words at most) is dropped
        ("not as quick as i expected; never ever again", ["not as quick", "expected"]),
    ],
)
def test_english_keywords_of_one_review(text: str, expected: list[str]) -> None:
    assert review_keywords(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不值这个价！质量不太好，好在客服态度好", ["不值", "质量", "不太好", "客服", "态度好"]),  # 好在 ends a phrase
        ("一点都不好，做工没有想象中结实，不是不好", ["不好", "做工", "没有想象中结实", "不是不好"]),
    ],
)
def test_chinese_negations_stay_with_their_word(text: str, expected: list[str]) -> None:
    assert review_keywords(text, "zh") == expected


def test_review_filler_and_repeated_pairs_are_not_keywords() -> None:
    texts = (
        ["Not sure I'd buy again.", "A bit flimsy, couldn't recommend it.", "Waste of money."] * 10
        + ["Will definitely order again!", "Worth every penny.", "Couldn't be happier."] * 10
    )
    result = extract_keywords(texts, labels=["negative"] * 30 + ["positive"] * 30)
    words = result.differences.set_index("word")
    # "definitely", "order", "worth", "penny", "waste", "money" are only ever in their pairs
    assert sorted(words.index) == [
        "buy", "couldn't be happier", "couldn't recommend", "definitely order", "flimsy", "not sure",
        "waste of money", "worth every penny",
    ]
    assert words.loc["couldn't recommend", ["reviews_positive", "reviews_negative", "leans"]].tolist() == [0, 10, "negative"]
    assert set(result.top["word"]) <= set(words.index)  # the per-side lists leave out the same words


def test_chinese_negated_word_is_one_keyword() -> None:
    texts = ["不值这个价，不好用"] * 12 + ["很值，好用"] * 12
    words = extract_keywords(texts, labels=["negative"] * 12 + ["positive"] * 12).differences.set_index("word")
    assert words.loc["不值", ["reviews_positive", "reviews_negative", "leans"]].tolist() == [0, 12, "negative"]
    assert words.loc["值", ["reviews_positive", "reviews_negative", "leans"]].tolist() == [12, 0, "positive"]


def test_a_word_is_covered_by_a_pair_in_most_of_its_reviews() -> None:
    words = np.array(["waste", "money", "waste of money", "value for money", "value"])
    present = sparse.csr_matrix(np.array([
        [1, 1, 1, 0, 0],
        [1, 1, 1, 0, 0],
        [1, 0, 0, 0, 0],  # "waste" alone once in 5: 4 of 5 reviews have the pair, the 0.8 threshold
        [1, 1, 1, 0, 0],
        [1, 1, 1, 0, 0],
        [0, 1, 0, 1, 1],
        [0, 1, 0, 1, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],
    ]))
    # "money" is in 6 reviews, 4 with "waste of money" and 2 with "value for money": covered by neither.
    assert covered_words(words, present).tolist() == [True, False, False, False, False]


def test_sample_shop_keywords_are_phrases_not_filler(shop_reviews, shop_scored) -> None:
    words = set(extract_keywords(shop_reviews["text"], labels=shop_scored["label"]).differences["word"])
    assert not {"i'd", "sure", "sure i'd", "i'd buy", "couldn't", "bit", "penny", "definitely", "really", "值", "好在"} & words
    assert {"not sure", "couldn't be happier", "worth every penny", "definitely order", "not as described", "不值", "不好"} <= words
