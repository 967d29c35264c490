"""Score reviews: one row per review with language, score in [-1, 1], label, drivers and input flags.

Every review is cleaned (:mod:`promo_core.sentiment.text`), given a language
(:mod:`promo_core.sentiment.language`) and scored by the English (VADER) or Chinese (jieba + rules)
lexicon scorer, or by a model trained on the shop's own star ratings where one is given. Reviews in
other languages and empty ones get no score and no label: they are counted, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from promo_core.errors import PromoCoreError, SchemaError
from promo_core.sentiment.chinese import NORMALISER, ChineseScorer
from promo_core.sentiment.english import EnglishScorer, vader_lexicon
from promo_core.sentiment.language import LANGS, detect_language, is_mixed
from promo_core.sentiment.lexicon import (
    ExtraLexicon,
    Lexicon,
    default_lexicon,
    with_extra,
)
from promo_core.sentiment.text import clean, texts_of, to_simplified

if TYPE_CHECKING:
    from promo_core.sentiment.model import SentimentModel

LABELS = ("negative", "neutral", "positive")
NEUTRAL_BAND = 0.05
"""Scores within +-0.05 are neutral: VADER's published thresholds, used for both languages."""
SCORERS = ("lexicon", "model", "none")
FLAGS = ("empty", "emoji_only", "other_language", "mixed_language", "traditional", "html", "truncated")
"""Input problems counted per review (column ``flags``, comma separated)."""
MAX_DRIVERS = 3
LANG_CHOICES = ("auto", "en", "zh")


@dataclass(frozen=True)
class Review:
    """A cleaned review: simplified Chinese where Chinese, its language code, flags and emoji."""

    text: str
    lang: str
    flags: tuple[str, ...]
    emoji: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True, eq=False)
class Scorers:
    """The lexicon and the two language scorers built on it."""

    lexicon: Lexicon
    english: EnglishScorer
    chinese: ChineseScorer

    def score(self, review: Review) -> tuple[float, list[tuple[str, float]]]:
        """Lexicon score and drivers of a prepared review in 'en', 'zh' or 'emoji'."""
        if review.lang == "zh":
            value, items = self.chinese.score(review.text, review.emoji)
            return value, [(item.phrase, item.valence) for item in items]
        if review.lang == "en":
            return self.english.score(review.text, review.emoji)
        total = sum(valence for _, valence in review.emoji)
        return total / math.sqrt(total * total + NORMALISER), list(review.emoji)


@cache
def _default_scorers() -> Scorers:
    lexicon = default_lexicon()
    return Scorers(lexicon, EnglishScorer(lexicon), ChineseScorer(lexicon, {**vader_lexicon(), **lexicon.en}))


def scorers(extra_lexicon: ExtraLexicon | None = None) -> Scorers:
    """The shared default scorers, or new ones with a shop's extra words."""
    if extra_lexicon is None or len(extra_lexicon) == 0:
        return _default_scorers()
    lexicon = with_extra(default_lexicon(), extra_lexicon)
    return Scorers(lexicon, EnglishScorer(lexicon), ChineseScorer(lexicon, {**vader_lexicon(), **lexicon.en}))


def check_lang(lang: str) -> None:
    if lang not in LANG_CHOICES:
        raise SchemaError(
            f"Unknown review language {lang!r}; use 'auto' (detect per review), 'en' or 'zh'.",
            code="sentiment_bad_language",
            value=lang,
        )


def prepare(raw: str, lexicon: Lexicon, lang: str = "auto") -> Review:
    """Clean one review and settle its language (a forced ``lang`` applies to reviews with words)."""
    cleaned = clean(raw, lexicon.emoji)
    detected = detect_language(cleaned.text, bool(cleaned.emoji))
    code = detected if lang == "auto" or detected in ("emoji", "empty") else lang
    text, flags = cleaned.text, list(cleaned.flags)
    if code == "zh":
        text, changed = to_simplified(text, lexicon.zh_traditional)
        if changed:
            flags.append("traditional")
    if is_mixed(text, code):
        flags.append("mixed_language")
    flags.extend({"other": ["other_language"], "emoji": ["emoji_only"], "empty": ["empty"]}.get(code, []))
    return Review(text, code, tuple(flags), cleaned.emoji)


def prepare_all(texts: Iterable[object], lexicon: Lexicon, lang: str = "auto") -> list[Review]:
    check_lang(lang)
    return [prepare(text, lexicon, lang) for text in texts_of(texts)]


def model_text(review: Review) -> str:
    """What a trained model reads: the cleaned text with the review's emoji put back at the end."""
    return review.text + "".join(" " + symbol for symbol, _ in review.emoji)


def format_drivers(items: Iterable[tuple[str, float]]) -> str:
    """The strongest phrases as plain text, e.g. "不太好 -1.0; fast +1.0" (repeats summed)."""
    totals: dict[str, float] = {}
    for phrase, valence in items:
        totals[phrase] = totals.get(phrase, 0.0) + valence
    strongest = sorted(totals.items(), key=lambda kv: -abs(kv[1]))[:MAX_DRIVERS]
    return "; ".join(f"{phrase} {valence:+.1f}" for phrase, valence in strongest if round(valence, 1))


def label_scores(score: np.ndarray) -> pd.Categorical:
    """positive above +0.05, negative below -0.05, neutral between, missing where no score."""
    codes = np.where(np.isnan(score), -1, np.where(score > NEUTRAL_BAND, 2, np.where(score < -NEUTRAL_BAND, 0, 1)))
    return pd.Categorical.from_codes(codes, categories=list(LABELS))


def score_reviews(
    texts: Iterable[object],
    lang: str = "auto",
    model: SentimentModel | None = None,
    extra_lexicon: ExtraLexicon | None = None,
) -> pd.DataFrame:
    """Score each review; the frame is aligned with ``texts`` (same index when it is a Series).

    Columns: ``lang`` (en, zh, other, emoji, empty), ``score`` in [-1, 1] (missing for other and
    empty), ``label`` (negative, neutral, positive), ``drivers`` (plain text, safe to show),
    ``scorer`` (lexicon, model, none) and ``flags`` (input problems, comma separated).
    ``model`` (from :func:`fit_sentiment_model`) scores the languages it was trained on.
    """
    s = scorers(extra_lexicon)
    reviews = prepare_all(texts, s.lexicon, lang)
    n = len(reviews)
    score = np.full(n, np.nan)
    drivers = [""] * n
    scorer = np.full(n, 2, dtype=np.int8)
    for lang_code, rows in _model_rows(model, reviews).items():
        values, reasons = model.predict_scores([model_text(reviews[i]) for i in rows], lang_code)  # type: ignore[union-attr]
        score[rows], scorer[rows] = values, 1
        for i, reason in zip(rows, reasons):
            drivers[i] = reason
    for i, review in enumerate(reviews):
        if scorer[i] == 2 and review.lang in ("en", "zh", "emoji"):
            value, items = s.score(review)
            score[i], drivers[i], scorer[i] = value, format_drivers(items), 0
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(n)
    return pd.DataFrame(
        {
            "lang": pd.Categorical([r.lang for r in reviews], categories=list(LANGS)),
            "score": score,
            "label": label_scores(score),
            "drivers": pd.array(drivers, dtype="str"),
            "scorer": pd.Categorical.from_codes(scorer, categories=list(SCORERS)),
            "flags": pd.array([",".join(r.flags) for r in reviews], dtype="str"),
        },
        index=index,
    )


def _model_rows(model: SentimentModel | None, reviews: list[Review]) -> dict[str, list[int]]:
    if model is None:
        return {}
    languages = getattr(model, "pipelines_", None)
    if languages is None:
        raise PromoCoreError(
            "The sentiment model has not been trained yet; train it on rated reviews first.",
            code="sentiment_model_not_fitted",
        )
    rows: dict[str, list[int]] = {}
    for i, review in enumerate(reviews):
        if review.lang in languages and review.text:
            rows.setdefault(review.lang, []).append(i)
    return rows


def flag_counts(scored: pd.DataFrame) -> pd.DataFrame:
    """How many reviews carry each input flag (every flag listed, zero included)."""
    flags = scored["flags"].astype(str)
    counts = [int(flags.str.contains(rf"(?:^|,){flag}(?:,|$)", regex=True).sum()) for flag in FLAGS]
    return pd.DataFrame({"flag": list(FLAGS), "reviews": counts})
