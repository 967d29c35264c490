"""Review sentiment in English and Chinese: scores, a model from the shop's ratings, aspects, keywords, trends.

    scored = score_reviews(reviews["text"])                # lang, score, label, drivers, scorer, flags
    model = fit_sentiment_model(reviews["text"], reviews["rating"])
    scored = score_reviews(reviews["text"], model=choose_scorer(model).model)
    aspects = review_aspects(reviews["text"]).summary()    # aspect x sentiment
    words = extract_keywords(reviews["text"], labels=scored["label"])
    trend = sentiment_trend(reviews.join(scored), freq="W", promotions={"11.11": "2025-11-11"})

English is scored by vaderSentiment with idiom and e-commerce fixes, Chinese by jieba tokens with
our own lexicon and VADER-style rules (see docs/sentiment_lexicon.md).
"""

from promo_core.sentiment.aspects import AspectResult, aspect_codes, review_aspects
from promo_core.sentiment.keywords import KeywordResult, extract_keywords
from promo_core.sentiment.language import LANGS, detect_language
from promo_core.sentiment.model import (
    ScorerChoice,
    SentimentModel,
    choose_scorer,
    fit_sentiment_model,
)
from promo_core.sentiment.scoring import FLAGS, LABELS, flag_counts, score_reviews
from promo_core.sentiment.trends import (
    ShareResult,
    TrendResult,
    sentiment_shares,
    sentiment_trend,
)

__all__ = [
    "FLAGS",
    "LABELS",
    "LANGS",
    "AspectResult",
    "KeywordResult",
    "ScorerChoice",
    "SentimentModel",
    "ShareResult",
    "TrendResult",
    "aspect_codes",
    "choose_scorer",
    "detect_language",
    "extract_keywords",
    "fit_sentiment_model",
    "flag_counts",
    "review_aspects",
    "score_reviews",
    "sentiment_shares",
    "sentiment_trend",
]
