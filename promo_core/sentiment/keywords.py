"""Keywords of positive and negative reviews, and which words differ significantly between them.

Ranking within each side: jieba's TF-IDF (term share in the side's reviews times jieba's IDF table)
for Chinese, scikit-learn's TF-IDF (mean weight over the side's reviews) for English. Which words
differ: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"), computed on review counts (a word counts once per review) with the pooled counts
as prior; z-scores become p-values and Benjamini-Hochberg q-values (statsmodels). No kept library
implements that test, so its five lines are here.

The tokens are hand-assembled from jieba's and VADER's word lists because a bag of words misreads
reviews: a negator stays with its word ("couldn't be happier", "not sure", 不值, 不太好) instead of
leaving "happier" or 值 to count as the opposite; filler (stopwords, review filler such as "i'd" or
"bit" from ``lexicon/stopwords_en.txt``, degree words such as "really" or 很, contrast words such as
"but" or 好在) is never a keyword; English pairs keep the words between them ("worth every penny"),
and a word is left out when a pair containing it is in most of its reviews, so that "definitely" and
"definitely order" do not say the same thing twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfTransformer,
)
from statsmodels.stats.multitest import multipletests
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sentiment.aspects import EN_JOINERS
from promo_core.sentiment.lexicon import LEXICON_DIR
from promo_core.sentiment.scoring import prepare_all, score_reviews, scorers

SIDES = ("positive", "negative")
ALPHA = 0.05
"""False discovery rate for ``significant``."""
NEGATION_GAP = 2
"""Filler tokens allowed between a negator and its word ("not as quick", "couldn't be happier", 不是很好)."""
PAIR_GAP = 2
"""Filler words allowed inside an English pair ("waste of money", "exactly as described")."""
COVERED = 0.8
"""A word is left out when a longer keyword containing it is in at least this share of its reviews."""
_EN_TOKEN = re.compile(r"[a-z][a-z'-]*[a-z]|\S")
_EN_NEGATORS = frozenset(NEGATE) | {"no"}
"""VADER's negators plus "no", which VADER handles by a rule of its own ("no complaints")."""
_HAS_LETTER = re.compile(r"[^\W\d_]")

Kind = Callable[[str], str]
"""A token's role: "word" (a keyword), "negator", "filler" (skipped) or "break" (ends a phrase)."""


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
    """jieba's IDF table and its median (for unknown words), from the extractor jieba builds on import."""
    from jieba.analyse import default_tfidf

    return default_tfidf.idf_freq, default_tfidf.median_idf


@cache
def _en_filler() -> frozenset[str]:
    """scikit-learn's stopwords, VADER's and our degree words, and ``stopwords_en.txt`` (review filler)."""
    text = (LEXICON_DIR / "stopwords_en.txt").read_text(encoding="utf-8")
    ours = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    boosters = {w for w in BOOSTER_DICT if " " not in w} | set(scorers().lexicon.en_boosters)
    return frozenset(ENGLISH_STOP_WORDS | boosters | ours)


def _en_kind(token: str) -> str:
    if not token[0].isalpha() or token in EN_JOINERS:
        return "break"
    if token in _EN_NEGATORS or token.endswith("n't"):
        return "negator"
    return "filler" if len(token) < 2 or token in _en_filler() else "word"


def _zh_kind(token: str) -> str:
    lexicon = scorers().lexicon
    if not _HAS_LETTER.search(token) or token in lexicon.zh_contrast:
        return "break"
    if token in lexicon.zh_negation:
        return "negator"
    if token in lexicon.stopwords_zh:
        return "filler"
    if token in lexicon.zh or token in lexicon.zh_targets:  # before degree words: 好 is both (好大, 不好)
        return "word"
    return "word" if len(token) > 1 and token not in lexicon.zh_degree else "filler"


def _keyword_tokens(tokens: Sequence[str], kind: Kind, joiner: str, pairs: bool) -> list[str]:
    """Words and negated phrases of a token sequence, plus pairs of neighbouring words when ``pairs``.

    A negator takes the next word within :data:`NEGATION_GAP` filler tokens (the phrase keeps them:
    "not as quick"); a negator with no word in reach is dropped. A pair is two words with at most
    :data:`PAIR_GAP` filler tokens between them; negated phrases and breaks never join a pair.
    """
    kinds = [kind(t) for t in tokens]
    units: list[tuple[int, int, bool]] = []  # first token, last token, negated
    i = 0
    while i < len(tokens):
        if kinds[i] == "word":
            units.append((i, i, False))
        elif kinds[i] == "negator":
            j = i + 1
            while j < len(tokens) and j <= i + NEGATION_GAP and kinds[j] in ("filler", "negator"):
                j += 1
            if j < len(tokens) and kinds[j] == "word":
                units.append((i, j, True))
                i = j
        i += 1
    out = [joiner.join(tokens[a : b + 1]) for a, b, _ in units]
    if pairs:
        out += [
            joiner.join(tokens[a : d + 1])
            for (a, b, neg_a), (c, d, neg_b) in pairwise(units)
            if not neg_a and not neg_b and c - b - 1 <= PAIR_GAP and all(k == "filler" for k in kinds[b + 1 : c])
        ]
    return out


def review_keywords(text: str, lang: str) -> list[str]:
    """The keywords one cleaned review contributes: words and negated phrases in order, then English pairs.

    ``lang`` is "en" or "zh" (Chinese words come from jieba and need no pairs: 性价比, 物美价廉).
    """
    if lang == "zh":
        return _keyword_tokens(scorers().chinese.tokens(text), _zh_kind, "", pairs=False)
    words = [t.removesuffix("'s") for t in _EN_TOKEN.findall(text.lower())]
    return _keyword_tokens(words, _en_kind, " ", pairs=True)


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
    vectorizer = CountVectorizer(analyzer=partial(review_keywords, lang=lang))
    try:
        counts = vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # every token was a stopword
        return None
    words = vectorizer.get_feature_names_out().astype(str)
    present = counts.copy()
    present.data[:] = 1
    kept = ~covered_words(words, present)
    counts, present, words = counts[:, kept], present[:, kept], words[kept]
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


def covered_words(words: np.ndarray, present: sparse.csr_matrix) -> np.ndarray:
    """Which single words a longer keyword containing them says again (in >= COVERED of their reviews).

    ``present`` is the review x word 0/1 matrix; words inside keywords are separated by spaces.
    """
    column = {word: i for i, word in enumerate(words)}
    by_word = present.tocsc()
    rows = np.split(by_word.indices, by_word.indptr[1:-1])
    covered = np.zeros(len(words), dtype=bool)
    for j, phrase in enumerate(words):
        for part in phrase.split(" ") if " " in phrase else ():
            i = column.get(part)
            if i is not None and not covered[i]:
                covered[i] = len(np.intersect1d(rows[i], rows[j], assume_unique=True)) >= COVERED * len(rows[i])
    return covered


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

