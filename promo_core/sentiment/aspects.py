"""Which aspect each clause of a review talks about (delivery, price, quality ...) and how it feels.

Hand-written keyword matching (``lexicon/aspects.tsv``, English and Chinese lists per aspect) at
clause level, because a review often praises one thing and blames another ("质量不错，就是物流慢"):
each clause is scored on its own with the lexicon scorer, so "delivery is the complaint" shows even
in a positive review. No kept library does aspect tagging for both languages without a trained
model we could not ship.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from promo_core.sentiment.lexicon import ExtraLexicon, Lexicon
from promo_core.sentiment.scoring import (
    LABELS,
    Review,
    Scorers,
    label_scores,
    prepare_all,
    scorers,
)

MIN_COMPLAINTS = 10
"""Negative mentions an aspect needs before it can be called a complaint (fewer may be chance)."""
EN_JOINERS = ("but", "however", "although", "though", "and", "while", "whereas")
"""English words that start a new clause: what follows is judged on its own (keywords use them too)."""
_ZH_CLAUSE = re.compile(r"[^,，。.!?;~\n…]+")
_EN_CLAUSE = re.compile(r"[^,.!?;\n]+")
_EN_JOINERS = re.compile(r"\b(?:" + "|".join(EN_JOINERS) + r")\b", re.IGNORECASE)
_ZH_LEADING = re.compile(r"^(?:但是|但|可是|不过|然而|就是|只是|可惜|好在|而且|并且|虽然|尽管|另外)")


@dataclass(frozen=True, eq=False)
class AspectResult:
    """``table``: one row per (review, clause, aspect) with the clause's score and label."""

    table: pd.DataFrame  # review, lang, aspect, clause, score, label
    reviews: int
    reviews_with_aspect: int

    def summary(self) -> pd.DataFrame:
        """Aspect x sentiment: mentions, counts and shares per label, mean score; most mentioned first."""
        table = self.table
        counts = pd.crosstab(table["aspect"], table["label"]).reindex(columns=list(LABELS), fill_value=0)
        out = counts.rename_axis(columns=None).reset_index()
        out.insert(1, "mentions", counts.sum(axis=1).to_numpy())
        for label in LABELS:
            out[f"share_{label}"] = out[label] / out["mentions"].where(out["mentions"] > 0)
        out["mean_score"] = table.groupby("aspect")["score"].mean().reindex(out["aspect"]).to_numpy()
        return out.sort_values(["mentions", "aspect"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def complaints(self, min_negative: int = MIN_COMPLAINTS) -> pd.DataFrame:
        """Aspects by number of negative mentions, most first (ties: higher share negative first).

        Ranked by count, not share: 48% negative of 264 mentions is a smaller problem than 31% of
        2,600. Aspects with fewer than ``min_negative`` negative mentions are left out.
        """
        summary = self.summary()
        kept = summary[summary["negative"] >= min_negative]
        ranked = kept.sort_values(["negative", "share_negative", "aspect"], ascending=[False, False, True], kind="stable")
        return ranked[["aspect", "negative", "mentions", "share_negative"]].reset_index(drop=True)


@lru_cache(maxsize=8)
def _keywords(lexicon: Lexicon) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """English aspects as word-boundary patterns, Chinese ones as substring lists."""
    table = lexicon.aspects
    english = tuple(
        (aspect, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(group, key=len, reverse=True)) + r")\b", re.IGNORECASE))
        for aspect, group in table[table["lang"] == "en"].groupby("aspect", sort=False)["keyword"]
    )
    chinese = tuple(
        (aspect, tuple(group)) for aspect, group in table[table["lang"] == "zh"].groupby("aspect", sort=False)["keyword"]
    )
    return english, chinese


def clauses(review: Review) -> list[str]:
    """The review's clauses, split at punctuation (and at 'but'/'and' in English)."""
    if review.lang == "zh":
        return [c.strip() for c in _ZH_CLAUSE.findall(review.text) if c.strip()]
    parts = (p for c in _EN_CLAUSE.findall(review.text) for p in _EN_JOINERS.split(c))
    return [p.strip() for p in parts if p.strip()]


def clause_aspects(clause: str, lang: str, lexicon: Lexicon) -> list[str]:
    english, chinese = _keywords(lexicon)
    if lang == "zh":
        return [aspect for aspect, words in chinese if any(w in clause for w in words)]
    return [aspect for aspect, pattern in english if pattern.search(clause)]


def _score_clause(shared: Scorers, clause: str, lang: str) -> float:
    text = _ZH_LEADING.sub("", clause) if lang == "zh" else clause
    return shared.score(Review(text, lang, ()))[0]


def review_aspects(texts: Iterable[object], lang: str = "auto", extra_lexicon: ExtraLexicon | None = None) -> AspectResult:
    """Aspect mentions per clause with the clause's own sentiment (review = the input's index label)."""
    shared = scorers(extra_lexicon)
    labels = texts.index if isinstance(texts, pd.Series) else None
    reviews = prepare_all(texts, shared.lexicon, lang)
    rows: list[tuple[object, str, str, str, float]] = []
    scores: dict[tuple[str, str], float] = {}  # short clauses repeat across reviews (物流很快, fast shipping)
    for position, review in enumerate(reviews):
        if review.lang not in ("en", "zh"):
            continue
        key = labels[position] if labels is not None else position
        for clause in clauses(review):
            found = clause_aspects(clause, review.lang, shared.lexicon)
            if found:
                if (clause, review.lang) not in scores:
                    scores[clause, review.lang] = _score_clause(shared, clause, review.lang)
                value = scores[clause, review.lang]
                rows.extend((key, review.lang, aspect, clause, value) for aspect in found)
    table = pd.DataFrame(rows, columns=["review", "lang", "aspect", "clause", "score"])
    table["score"] = table["score"].astype(float)
    table["label"] = label_scores(table["score"].to_numpy())
    table["clause"] = table["clause"].astype("str")
    return AspectResult(table, len(reviews), int(table["review"].nunique()) if len(table) else 0)


def aspect_codes(lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """Every aspect code in the keyword file, in file order (for the UI's translation table)."""
    table = (lexicon or scorers().lexicon).aspects
    return tuple(dict.fromkeys(table["aspect"]))

