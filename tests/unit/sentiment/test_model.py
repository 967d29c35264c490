"""The model trained on star ratings: compared with the lexicon, chosen when better, used for scoring."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from promo_core.sentiment import choose_scorer, fit_sentiment_model, score_reviews


@pytest.fixture(scope="module")
def shop_model(shop_reviews: pd.DataFrame):
    return fit_sentiment_model(shop_reviews["text"], shop_reviews["rating"])


def test_self_trained_model_beats_the_lexicon_on_the_sample_shop(shop_model) -> None:
    table = shop_model.summary().set_index("lang")
    assert table.index.tolist() == ["en", "zh"]
    assert (table["model_accuracy"] > table["lexicon_accuracy"]).all()
    assert (table["model_accuracy"] > 0.95).all() and (table["lexicon_accuracy"] > 0.95).all()
    assert table["reviews"].sum() == 6907  # 3-star and unscored reviews left out


def test_choice_follows_the_numbers(shop_model) -> None:
    choice = choose_scorer(shop_model)
    table = choice.summary()
    wins = table["model_accuracy"] > table["lexicon_accuracy"] + 0.01
    assert (table["better"] == np.where(wins, "model", "lexicon")).all()
    assert (table["reason"] == np.where(wins, "model_more_accurate", "lexicon_as_accurate")).all()
    if choice.model is not None:
        assert set(choice.model.pipelines_) == set(table.loc[wins, "lang"])


def _slang_shop(seed: int = 3) -> tuple[list[str], list[int]]:
    """Reviews whose only sentiment is shop slang the lexicon does not know (yyds / 拉胯, slaps / mid)."""
    rng = np.random.default_rng(seed)
    zh_filler = ["这次买的杯子", "给妈妈买的围巾", "双十一入手的耳机", "第二次买这个茶叶", "刚收到的台灯"]
    en_filler = ["the mug I ordered", "this scarf for my mum", "these earbuds from the sale", "the tea, second order", "the desk lamp"]
    texts, ratings = [], []
    for _ in range(120):
        positive = bool(rng.random() < 0.6)
        if rng.random() < 0.5:
            texts.append(f"{zh_filler[rng.integers(5)]}，{'yyds' if positive else '拉胯'}")
        else:
            texts.append(f"{en_filler[rng.integers(5)]}: {'slaps' if positive else 'mid'}")
        ratings.append(int(rng.choice([4, 5])) if positive else int(rng.choice([1, 2])))
    return texts, ratings


def test_model_wins_where_the_shop_has_its_own_words() -> None:
    texts, ratings = _slang_shop()
    model = fit_sentiment_model(texts, ratings)
    table = model.summary().set_index("lang")
    assert (table["model_accuracy"] >= 0.95).all()
    assert (table["lexicon_accuracy"] < 0.2).all()
    choice = choose_scorer(model)
    assert set(choice.model.pipelines_) == {"en", "zh"}
    scored = score_reviews(["新买的台灯，yyds", "the mug: mid", "Muy bueno"], model=choice.model)
    assert scored["scorer"].astype(str).tolist() == ["model", "model", "none"]
    assert scored["label"].tolist()[:2] == ["positive", "negative"] and pd.isna(scored["label"].iloc[2])
    assert "yyds" in scored["drivers"].iloc[0] and "mid" in scored["drivers"].iloc[1]


def test_model_scores_only_its_languages(shop_model) -> None:
    english_only = shop_model.restricted(["en"])
    scored = score_reviews(["Very good quality.", "质量很好"], model=english_only)
    assert scored["scorer"].astype(str).tolist() == ["model", "lexicon"]
    assert scored["label"].astype(str).tolist() == ["positive", "positive"]


def test_model_survives_pickling(shop_model) -> None:
    again = pickle.loads(pickle.dumps(shop_model))
    texts = ["Quality is super flimsy.", "质量太差了"]
    pd.testing.assert_frame_equal(score_reviews(texts, model=again), score_reviews(texts, model=shop_model))
