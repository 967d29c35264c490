"""score_reviews' frame: aligned with the input, typed columns, drivers, shop words, the sample shop."""

from __future__ import annotations

import pandas as pd

from promo_core.sentiment import FLAGS, flag_counts, score_reviews


def test_frame_is_aligned_with_a_series_input() -> None:
    texts = pd.Series(["好评", "Terrible.", "Excelente"], index=["r1", "r2", "r3"])
    scored = score_reviews(texts)
    assert scored.index.tolist() == ["r1", "r2", "r3"]
    assert scored["lang"].astype(str).tolist() == ["zh", "en", "other"]
    assert scored["label"].tolist()[:2] == ["positive", "negative"] and pd.isna(scored["label"].iloc[2])
    assert list(scored["label"].cat.categories) == ["negative", "neutral", "positive"]
    assert scored["score"].between(-1, 1).sum() == 2


def test_shop_words_extend_the_lexicon_in_both_languages() -> None:
    texts = ["这款真是绝绝子", "this one slaps", "拉胯"]
    assert score_reviews(texts)["label"].astype(str).tolist() == ["neutral", "neutral", "neutral"]
    extra = pd.DataFrame({"word": ["绝绝子", "slaps", "拉胯"], "valence": [3.0, 2.5, -2.5]})
    scored = score_reviews(texts, extra_lexicon=extra)
    assert scored["label"].astype(str).tolist() == ["positive", "positive", "negative"]
    assert scored["drivers"].iloc[0] == "绝绝子 +3.0"


def test_flag_counts_list_every_flag() -> None:
    scored = score_reviews(["<p>ok</p>", "", "質量很好"])
    counts = flag_counts(scored).set_index("flag")["reviews"]
    assert counts.index.tolist() == list(FLAGS)
    assert counts[["html", "empty", "traditional", "truncated"]].tolist() == [1, 1, 1, 0]


def test_sample_shop_polarity_matches_the_planted_truth(shop_reviews, shop_scored, shop_truth) -> None:
    joined = shop_reviews.join(shop_scored).merge(shop_truth, on="review_id", suffixes=("", "_truth"))
    ordinary = joined[joined["edge_case"].isna()]
    right = ordinary["label"].astype(str) == ordinary["true_polarity"]
    by_lang = right.groupby(ordinary["lang"].astype(str)).mean()
    assert by_lang["en"] > 0.97 and by_lang["zh"] > 0.97
