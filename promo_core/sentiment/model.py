"""A sentiment classifier trained on the shop's own star ratings, compared with the lexicon.

scikit-learn does the work: TF-IDF features (jieba tokens and their bigrams plus character 1-3
grams for Chinese; words and word bigrams for English) and a logistic regression, one per language.
The lexicon's own score (and its sign) is one more feature, so the model starts from what the lexicon
knows and learns the shop's own words and star habits on top; where that adds nothing the two tie
and the lexicon is kept.
4-5 stars are positive, 1-2 negative; 3 stars and ratings outside 1-5 are left out of training and
counted. Cross-validated accuracy is reported next to the lexicon's accuracy on the same reviews, so
:func:`choose_scorer` can say which is better on this shop's data, with the numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sentiment.scoring import (
    MAX_DRIVERS,
    Review,
    model_text,
    prepare,
    prepare_all,
    scorers,
)

MIN_PER_CLASS = 10
"""Positive and negative rated reviews a language needs before a model is trained for it."""
MARGIN = 0.01
"""The model is preferred only when its accuracy beats the lexicon's by more than this."""
MAX_FOLDS = 5
_PUNCT = frozenset(",，。.!！?？;；:：、~～\"'()（）[]【】《》…-")


def zh_tokens(text: str) -> list[str]:
    """jieba tokens (with our lexicon) and their bigrams; module-level so a model pickles."""
    return list(_zh_tokens(text))


@lru_cache(maxsize=200_000)
def _zh_tokens(text: str) -> tuple[str, ...]:
    """Cached: cross-validation cuts every review once per fold, which was half of the training time."""
    words = [t for t in scorers().chinese.tokens(text) if t not in _PUNCT]
    return (*words, *(a + " " + b for a, b in pairwise(words)))


@lru_cache(maxsize=200_000)
def lexicon_score(text: str, lang: str) -> float:
    """The default lexicon's score of a model text (cached: cross-validation asks for it once per fold)."""
    shared = scorers()
    return shared.score(prepare(text, shared.lexicon, lang))[0]


class LexiconScore(BaseEstimator, TransformerMixin):
    """The lexicon's compound score and its sign, as two model features."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    def fit(self, texts: Sequence[str], y: object = None) -> LexiconScore:
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        values = np.array([lexicon_score(text, self.lang) for text in texts])
        return sparse.csr_matrix(np.column_stack([values, np.sign(values)]))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["score", "sign"], dtype=object)


def _pipeline(lang: str, C: float) -> Pipeline:
    if lang == "zh":
        parts = [
            ("words", TfidfVectorizer(analyzer=zh_tokens, min_df=2, sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)),
        ]
    else:
        parts = [("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b"))]
    features = FeatureUnion([*parts, ("lexicon", LexiconScore(lang))])
    return Pipeline([("features", features), ("classifier", LogisticRegression(C=C, solver="liblinear"))])


class SentimentModel:
    """TF-IDF + logistic regression per language, trained on star ratings (scikit-learn's shape).

    Learned attributes: ``pipelines_`` (language -> fitted pipeline), ``comparison_`` (per language:
    rated reviews, model and lexicon accuracy, which is better and why) and ``dropped_`` (reviews left
    out of training, by reason).
    """

    def __init__(self, lang: str = "auto", C: float = 1.0, min_per_class: int = MIN_PER_CLASS, random_state: int = 0) -> None:
        self.lang = lang
        self.C = C
        self.min_per_class = min_per_class
        self.random_state = random_state

    def fit(self, texts: Iterable[object], ratings: Iterable[object]) -> SentimentModel:
        """Train one classifier per language with enough positive and negative ratings."""
        reviews = prepare_all(texts, scorers().lexicon, self.lang)
        stars = _ratings(ratings, len(reviews))
        usable = _usable(reviews, stars)
        self.dropped_ = _dropped(reviews, stars, usable)
        rows, pipelines = [], {}
        for lang in ("en", "zh"):
            chosen = usable & np.array([r.lang == lang for r in reviews])
            y = stars[chosen] >= 4
            if min(y.sum(), (~y).sum()) < self.min_per_class:
                continue
            texts_l = [model_text(r) for r, keep in zip(reviews, chosen) if keep]
            pipelines[lang], row = self._fit_language(lang, texts_l, y)
            rows.append(row)
        if not pipelines:
            raise InsufficientDataError(
                f"Training a sentiment model needs at least {self.min_per_class} reviews rated 4-5 stars and "
                f"{self.min_per_class} rated 1-2 stars in English or in Chinese (column 'rating'); "
                f"this data has {int((usable & (stars >= 4)).sum())} and {int((usable & (stars <= 2)).sum())}. "
                "Use the lexicon scores, or add more rated reviews.",
                code="sentiment_too_few_rated",
                column="rating",
                needed=self.min_per_class,
                positive=int((usable & (stars >= 4)).sum()),
                negative=int((usable & (stars <= 2)).sum()),
            )
        self.pipelines_ = pipelines
        self.comparison_ = pd.DataFrame(rows)
        return self

    def _fit_language(self, lang: str, texts: list[str], y: np.ndarray) -> tuple[Pipeline, dict]:
        folds = StratifiedKFold(min(MAX_FOLDS, int(min(y.sum(), (~y).sum()))), shuffle=True, random_state=self.random_state)
        predicted = cross_val_predict(_pipeline(lang, self.C), texts, y, cv=folds)
        lexicon = np.array([lexicon_score(text, lang) for text in texts])  # scored once already, for the folds
        lexicon_right = np.where(y, lexicon > 0, lexicon < 0)
        model_accuracy, lexicon_accuracy = float((predicted == y).mean()), float(lexicon_right.mean())
        better = "model" if model_accuracy > lexicon_accuracy + MARGIN else "lexicon"
        row = {
            "lang": lang,
            "reviews": len(y),
            "positive": int(y.sum()),
            "negative": int((~y).sum()),
            "model_accuracy": model_accuracy,
            "lexicon_accuracy": lexicon_accuracy,
            "lexicon_undecided": int((lexicon == 0).sum()),
            "better": better,
            "reason": "model_more_accurate" if better == "model" else "lexicon_as_accurate",
        }
        return _pipeline(lang, self.C).fit(texts, y), row

    def predict_scores(self, texts: Sequence[str], lang: str) -> tuple[np.ndarray, list[str]]:
        """Scores 2p - 1 (p: probability of positive) of cleaned texts, with the words behind each."""
        pipeline = self.pipelines_[lang]
        features = pipeline.named_steps["features"].transform(list(texts))
        classifier = pipeline.named_steps["classifier"]
        probability = classifier.predict_proba(features)[:, 1]
        return 2 * probability - 1, _model_drivers(features, classifier.coef_[0], pipeline, lang)

    def restricted(self, languages: Iterable[str]) -> SentimentModel:
        """A copy that scores only ``languages`` (the lexicon scores the rest)."""
        keep = set(languages)
        clone = copy.copy(self)
        clone.pipelines_ = {k: v for k, v in self.pipelines_.items() if k in keep}
        clone.comparison_ = self.comparison_[self.comparison_["lang"].isin(keep)].reset_index(drop=True)
        return clone

    def summary(self) -> pd.DataFrame:
        """Per language: rated reviews, cross-validated model accuracy, lexicon accuracy, verdict."""
        return self.comparison_.copy()


def _model_drivers(features, coef: np.ndarray, pipeline: Pipeline, lang: str) -> list[str]:
    """Per review, the word features that pushed most towards the predicted side (n-grams of characters left out)."""
    names = pipeline.named_steps["features"].get_feature_names_out().astype(str)
    is_word = np.char.startswith(names, "words__")
    words = np.char.replace(np.char.replace(names, "words__", ""), " ", "" if lang == "zh" else " ")
    contributions = features.multiply(coef).tocsr()
    out = []
    for row in range(contributions.shape[0]):
        start, end = contributions.indptr[row], contributions.indptr[row + 1]
        columns, values = contributions.indices[start:end], contributions.data[start:end]
        direction = np.sign(values.sum() + classifier_bias(pipeline))
        keep = is_word[columns] & (np.sign(values) == direction)
        columns, values = columns[keep], values[keep]
        top = np.argsort(-np.abs(values), kind="stable")[:MAX_DRIVERS]
        out.append("; ".join(f"{words[columns[k]]} {values[k]:+.1f}" for k in top if round(values[k], 1)))
    return out


def classifier_bias(pipeline: Pipeline) -> float:
    return float(pipeline.named_steps["classifier"].intercept_[0])


def _ratings(ratings: Iterable[object], n: int) -> np.ndarray:
    values = pd.Series(list(ratings))
    if len(values) != n:
        raise SchemaError(
            f"There are {n} reviews but {len(values)} ratings; give one rating per review (column 'rating').",
            code="sentiment_length_mismatch",
            column="rating",
            reviews=n,
            ratings=len(values),
        )
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numbers.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError(
            f"Rating in row {row + 1} is {values.iloc[row]!r}, not a number; star ratings must be numbers 1-5 "
            "(column 'rating'). Fix the column mapping or the file.",
            code="sentiment_ratings_not_numeric",
            column="rating",
            row=row + 1,
            value=values.iloc[row],
        )
    return numbers.to_numpy(dtype=float)


def _usable(reviews: list[Review], stars: np.ndarray) -> np.ndarray:
    rated = np.isfinite(stars) & (stars >= 1) & (stars <= 5) & ((stars <= 2) | (stars >= 4))
    return rated & np.array([bool(r.text) and r.lang in ("en", "zh") for r in reviews])


def _dropped(reviews: list[Review], stars: np.ndarray, usable: np.ndarray) -> pd.DataFrame:
    """Reviews left out of training, by reason (first reason that applies)."""
    reasons = {
        "rating_missing": ~np.isfinite(stars),
        "rating_out_of_range": np.isfinite(stars) & ((stars < 1) | (stars > 5)),
        "rating_neutral": (stars > 2) & (stars < 4),
        "language_not_scored": np.array([r.lang not in ("en", "zh") for r in reviews]),
    }
    taken = usable.copy()
    counts = []
    for mask in reasons.values():
        counts.append(int((mask & ~taken).sum()))
        taken |= mask
    return pd.DataFrame({"reason": list(reasons), "reviews": counts})


def fit_sentiment_model(texts: Iterable[object], ratings: Iterable[object], lang: str = "auto", **params: float) -> SentimentModel:
    """Train and return a :class:`SentimentModel` (see its docstring for what it reports)."""
    return SentimentModel(lang=lang, **params).fit(texts, ratings)


@dataclass(frozen=True, eq=False)
class ScorerChoice:
    """Which scorer to use: ``model`` is the trained model limited to the languages where it wins (or None)."""

    model: SentimentModel | None
    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


def choose_scorer(model: SentimentModel) -> ScorerChoice:
    """Keep the model for each language where its cross-validated accuracy beats the lexicon's."""
    table = model.summary()
    winners = table.loc[table["better"] == "model", "lang"].tolist()
    return ScorerChoice(model.restricted(winners) if winners else None, table)
