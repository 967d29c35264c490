"""Bad input users hit: empty and missing texts, only emoji, huge reviews, HTML, other languages, bad ratings."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from promo_core import InsufficientDataError, PromoCoreError, SchemaError
from promo_core.sentiment import (
    SentimentModel,
    extract_keywords,
    fit_sentiment_model,
    flag_counts,
    score_reviews,
    sentiment_shares,
    sentiment_trend,
)
from promo_core.sentiment.text import MAX_CHARS


def test_empty_and_missing_texts_get_no_score() -> None:
    scored = score_reviews(pd.Series(["", None, np.nan, pd.NA, "   "]))
    assert scored["lang"].astype(str).tolist() == ["empty"] * 5
    assert scored["score"].isna().all() and scored["label"].isna().all()
    assert (scored["scorer"].astype(str) == "none").all()
    assert flag_counts(scored).set_index("flag").loc["empty", "reviews"] == 5


def test_no_texts_gives_an_empty_frame_with_the_columns() -> None:
    scored = score_reviews([])
    assert list(scored.columns) == ["lang", "score", "label", "drivers", "scorer", "flags"]
    assert len(scored) == 0


def test_other_languages_are_labelled_other_and_not_scored() -> None:
    scored = score_reviews(["Muy buena calidad y llegó rápido. ¡Recomendado!", "思ったより小さかったです。ちょっと残念。"])
    assert scored["lang"].astype(str).tolist() == ["other", "other"]
    assert scored["score"].isna().all()
    assert scored["flags"].tolist() == ["other_language", "other_language"]


def test_html_is_stripped_and_flagged() -> None:
    scored = score_reviews(["<b>great</b> quality<br>fast delivery<script>alert('x')</script>"])
    assert scored["label"].iloc[0] == "positive"
    assert scored["flags"].iloc[0] == "html"
    assert "<" not in scored["drivers"].iloc[0] and "alert" not in scored["drivers"].iloc[0]


def test_very_long_reviews_are_truncated_quickly() -> None:
    huge = "Terrible quality. " * 200_000  # 3.6 million characters
    start = time.perf_counter()
    scored = score_reviews([huge, "质量很好，物流也快。" * 20_000])
    assert time.perf_counter() - start < 5
    assert scored["flags"].tolist() == ["truncated", "truncated"]
    assert scored["label"].astype(str).tolist() == ["negative", "positive"]


def test_truncation_keeps_at_most_max_chars() -> None:
    from promo_core.sentiment.lexicon import default_lexicon
    from promo_core.sentiment.text import clean

    cleaned = clean("Good. " * 1_000, default_lexicon().emoji)
    assert len(cleaned.text) <= MAX_CHARS and cleaned.text.endswith(".")


def test_non_string_texts_are_read_as_text() -> None:
    assert score_reviews([12345])["lang"].iloc[0] == "empty"


def test_unknown_language_code_is_a_schema_error() -> None:
    with pytest.raises(SchemaError) as error:
        score_reviews(["good"], lang="fr")
    assert error.value.code == "sentiment_bad_language"
    assert "'fr'" in str(error.value)


def test_ratings_out_of_range_are_dropped_and_counted() -> None:
    texts = ["great product"] * 12 + ["terrible product"] * 12 + ["ok"] * 4
    ratings = [5] * 12 + [1] * 12 + [0, 6, 3, np.nan]
    model = fit_sentiment_model(texts, ratings, min_per_class=10)
    dropped = model.dropped_.set_index("reason")["reviews"]
    assert dropped["rating_out_of_range"] == 2
    assert dropped["rating_neutral"] == 1
    assert dropped["rating_missing"] == 1
    assert model.summary()["reviews"].tolist() == [24]


def test_ratings_that_are_not_numbers_name_the_row() -> None:
    with pytest.raises(SchemaError) as error:
        fit_sentiment_model(["good", "bad"], [5, "five stars"])
    assert error.value.code == "sentiment_ratings_not_numeric"
    assert error.value.details["row"] == 2
    assert "row 2" in str(error.value) and "'rating'" in str(error.value)


def test_ratings_and_texts_must_have_the_same_length() -> None:
    with pytest.raises(SchemaError) as error:
        fit_sentiment_model(["good", "bad"], [5])
    assert error.value.code == "sentiment_length_mismatch"


def test_too_few_rated_reviews_is_insufficient_data() -> None:
    with pytest.raises(InsufficientDataError) as error:
        fit_sentiment_model(["good"] * 30 + ["bad"] * 3, [5] * 30 + [1] * 3)
    assert error.value.code == "sentiment_too_few_rated"
    assert error.value.details == {"column": "rating", "needed": 10, "positive": 30, "negative": 3}


def test_an_untrained_model_cannot_score() -> None:
    with pytest.raises(PromoCoreError) as error:
        score_reviews(["good"], model=SentimentModel())
    assert error.value.code == "sentiment_model_not_fitted"


@pytest.mark.parametrize(
    ("extra", "column"),
    [({"": 1.0}, "word"), ({"绝绝子": "lots"}, "valence"), ({"绝绝子": 9.0}, "valence"), ({"绝绝子": float("nan")}, "valence")],
)
def test_bad_extra_words_name_the_row(extra: dict, column: str) -> None:
    with pytest.raises(SchemaError) as error:
        score_reviews(["绝绝子"], extra_lexicon=extra)
    assert error.value.code == "sentiment_bad_lexicon"
    assert error.value.details["row"] == 1 and error.value.details["column"] == column


def test_extra_word_table_needs_its_columns() -> None:
    with pytest.raises(SchemaError) as error:
        score_reviews(["绝绝子"], extra_lexicon=pd.DataFrame({"term": ["绝绝子"], "valence": [3.0]}))
    assert error.value.code == "sentiment_lexicon_columns"
    assert error.value.details["column"] == "word"


def test_shares_need_the_grouping_column() -> None:
    scored = score_reviews(["good"])
    with pytest.raises(SchemaError) as error:
        sentiment_shares(scored, by="item_id")
    assert error.value.code == "sentiment_missing_column"
    assert "'item_id'" in str(error.value)


def test_trend_needs_dates() -> None:
    frame = score_reviews(["good", "bad"]).assign(review_date=pd.NaT)
    with pytest.raises(InsufficientDataError) as error:
        sentiment_trend(frame)
    assert error.value.code == "sentiment_no_dates"


def test_trend_period_must_be_known() -> None:
    frame = score_reviews(["good"]).assign(review_date=pd.Timestamp("2025-01-01"))
    with pytest.raises(SchemaError) as error:
        sentiment_trend(frame, freq="Q")
    assert error.value.code == "sentiment_bad_freq"


def test_promotions_need_valid_dates() -> None:
    frame = score_reviews(["good"]).assign(review_date=pd.Timestamp("2025-01-01"))
    with pytest.raises(SchemaError) as error:
        sentiment_trend(frame, promotions={"11.11": ("2025-11-12", "2025-11-10")})
    assert error.value.code == "sentiment_bad_promotions"
    assert "'11.11'" in str(error.value)


def test_keyword_labels_must_be_known_codes() -> None:
    with pytest.raises(SchemaError) as error:
        extract_keywords(["good", "bad"], labels=["positive", "awful"])
    assert error.value.code == "sentiment_bad_labels"
    assert error.value.details["row"] == 2


def test_keywords_need_words() -> None:
    with pytest.raises(InsufficientDataError) as error:
        extract_keywords(["👍", ""], labels=["positive", "negative"])
    assert error.value.code == "sentiment_no_words"
