"""Keywords of positive and negative reviews, and which words differ significantly between them.

Ranking within each side: jieba's TF-IDF (term share in the side's reviews times jieba's IDF table)
for Chinese, scikit-learn's TF-IDF (mean weight over the side's reviews) for English. Which words
differ: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"), computed on review counts (a word counts once per review) with the pooled counts
as prior; z-scores become p-values and Benjamini-Hochberg q-values (statsmodels). No kept library
implements that test, so its five lines are here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfTransformer,
)
from statsmodels.stats.multitest import multipletests

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sentiment.scoring import prepare_all, score_reviews, scorers

SIDES = ("positive", "negative")
ALPHA = 0.05
"""False discovery rate for ``significant``."""
_EN_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z'-]+\b"
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, eq=False)
class KeywordResult:
    """``top``: the top words per language and side; ``differences``: every tested word with its z."""

    top: pd.DataFrame  # lang, side, rank, word, weight, reviews
    differences: pd.DataFrame  # lang, word, reviews_positive, reviews_negative, log_odds, z, p_value, q_value, significant, leans
    reviews_positive: int
    reviews_negative: int

    def summary(self) -> pd.DataFrame:
        """The words that differ between positive and negative reviews, strongest first."""
        return self.differences.sort_values("z", key=np.abs, ascending=False, kind="stable").reset_index(drop=True)


@cache
def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median (for unknown words), loaded once."""
    from jieba.analyse import TFIDF

    extractor = TFIDF()
    return extractor.idf_freq, extractor.median_idf


def _zh_analyzer(text: str) -> list[str]:
    shared = scorers()
    lexicon = shared.lexicon
    skip = lexicon.stopwords_zh | lexicon.zh_negation | set(lexicon.zh_degree)
    return [
        t for t in shared.chinese.tokens(text)
        if t not in skip and _HAS_LETTER.search(t) and (len(t) > 1 or t in lexicon.zh or t in lexicon.zh_targets)
    ]


def _vectorizer(lang: str) -> CountVectorizer:
    if lang == "zh":
        return CountVectorizer(analyzer=_zh_analyzer, min_df=1)
    return CountVectorizer(stop_words=list(ENGLISH_STOP_WORDS), token_pattern=_EN_TOKEN, ngram_range=(1, 2), lowercase=True)


def _labels(labels: Sequence[object] | None, texts: Iterable[object], n: int) -> np.ndarray:
    if labels is None:
        return np.asarray(score_labels(texts), dtype=object)
    values = np.array([str(v) if pd.notna(v) else "" for v in labels], dtype=object)
    if len(values) != n:
        raise SchemaError(
            f"There are {n} reviews but {len(values)} labels; give one label per review.",
            code="sentiment_length_mismatch",
            column="label",
            reviews=n,
            labels=len(values),
        )
    bad = ~np.isin(values, ["positive", "neutral", "negative", ""])
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise SchemaError(
            f"Label in row {row + 1} is {values[row]!r}; labels must be 'positive', 'neutral' or 'negative'.",
            code="sentiment_bad_labels",
            column="label",
            row=row + 1,
            value=values[row],
        )
    return values


def score_labels(texts: Iterable[object]) -> np.ndarray:
    """The lexicon's labels, used when the caller gives none."""
    return score_reviews(list(texts))["label"].astype(object).to_numpy()


def log_odds_z(pos: np.ndarray, neg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al.'s log-odds ratio and z-score per word, prior = pooled counts."""
    prior = pos + neg
    n_pos, n_neg, a0 = pos.sum(), neg.sum(), prior.sum()
    delta = np.log((pos + prior) / (n_pos + a0 - pos - prior)) - np.log((neg + prior) / (n_neg + a0 - neg - prior))
    return delta, delta / np.sqrt(1.0 / (pos + prior) + 1.0 / (neg + prior))


def extract_keywords(
    texts: Iterable[object],
    lang: str = "auto",
    top_n: int = 20,
    labels: Sequence[object] | None = None,
    min_reviews: int = 3,
) -> KeywordResult:
    """Top keywords of positive and negative reviews per language, and the words that tell them apart.

    ``labels`` (positive/neutral/negative per review) default to :func:`score_reviews`' labels;
    neutral reviews are left out. Words in fewer than ``min_reviews`` reviews are not tested.
    """
    items = list(texts)
    reviews = prepare_all(items, scorers().lexicon, lang)
    sides = _labels(labels, items, len(reviews))
    tops, differences = [], []
    for code in ("en", "zh"):
        keep = np.array([r.lang == code and bool(r.text) for r in reviews]) & np.isin(sides, SIDES)
        if keep.sum() == 0:
            continue
        docs = [r.text for r, k in zip(reviews, keep) if k]
        positive = sides[keep] == "positive"
        found = _language_keywords(code, docs, positive, top_n, min_reviews)
        if found is not None:
            tops.append(found[0])
            differences.append(found[1])
    if not tops:
        raise InsufficientDataError(
            "No words to compare: keywords need English or Chinese reviews labelled positive or negative.",
            code="sentiment_no_words",
            reviews=len(reviews),
        )
    positives = int(np.sum(sides == "positive"))
    return KeywordResult(
        pd.concat(tops, ignore_index=True), pd.concat(differences, ignore_index=True), positives, int(np.sum(sides == "negative"))
    )


def _language_keywords(
    lang: str, docs: list[str], positive: np.ndarray, top_n: int, min_reviews: int
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    vectorizer = _vectorizer(lang)
    try:
        counts = vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # every token was a stopword
        return None
    words = vectorizer.get_feature_names_out().astype(str)
    present = counts.copy()
    present.data[:] = 1
    pos_reviews = np.asarray(present[positive].sum(axis=0)).ravel()
    neg_reviews = np.asarray(present[~positive].sum(axis=0)).ravel()
    weights = _weights(lang, counts, words, positive)
    top = pd.concat(
        [_top_side(side, words, weights[side], reviews, top_n, lang) for side, reviews in zip(SIDES, (pos_reviews, neg_reviews))],
        ignore_index=True,
    )
    tested = (pos_reviews + neg_reviews) >= min_reviews
    delta, z = log_odds_z(pos_reviews[tested].astype(float), neg_reviews[tested].astype(float))
    p = 2 * stats.norm.sf(np.abs(z))
    q = multipletests(p, method="fdr_bh")[1] if len(p) else p
    differences = pd.DataFrame({
        "lang": lang,
        "word": pd.array(words[tested], dtype="str"),
        "reviews_positive": pos_reviews[tested].astype(int),
        "reviews_negative": neg_reviews[tested].astype(int),
        "log_odds": delta,
        "z": z,
        "p_value": p,
        "q_value": q,
        "significant": q < ALPHA,
        "leans": np.where(z > 0, "positive", "negative"),
    })
    return top, differences


def _weights(lang: str, counts, words: np.ndarray, positive: np.ndarray) -> dict[str, np.ndarray]:
    """TF-IDF weight of each word within each side (jieba's IDF for Chinese, sklearn's for English)."""
    out = {}
    if lang == "zh":
        idf_table, median = _jieba_idf()
        idf = np.array([idf_table.get(w, median) for w in words])
        for side, mask in zip(SIDES, (positive, ~positive)):
            tf = np.asarray(counts[mask].sum(axis=0)).ravel().astype(float)
            out[side] = tf / max(tf.sum(), 1.0) * idf
        return out
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    for side, mask in zip(SIDES, (positive, ~positive)):
        out[side] = np.asarray(tfidf[mask].mean(axis=0)).ravel() if mask.any() else np.zeros(len(words))
    return out


def _top_side(side: str, words: np.ndarray, weight: np.ndarray, reviews: np.ndarray, top_n: int, lang: str) -> pd.DataFrame:
    order = [i for i in np.argsort(-weight, kind="stable") if reviews[i] > 0][:top_n]
    return pd.DataFrame({
        "lang": lang,
        "side": side,
        "rank": np.arange(1, len(order) + 1),
        "word": pd.array(words[order], dtype="str"),
        "weight": weight[order],
        "reviews": reviews[order].astype(int),
    })

