"""English review sentiment: vaderSentiment, with the idioms and e-commerce words its users ask for.

VADER does the scoring (lexicon, boosters, negation, "but", caps, punctuation). What is added:

- ``en_lexicon.tsv`` is merged into VADER's lexicon (fast, flimsy, overpriced; and 0 for nouns such
  as "support" or "fit" that VADER scores as praise);
- each phrase of ``en_idioms.tsv`` ("works like a charm", "stopped working", "returned it") becomes
  one placeholder token carrying the phrase's valence, so VADER's own negation and booster rules
  still apply to it ("not a waste of money");
- words of ``en_boosters.txt`` ("super", "truly", "pretty") are read as VADER's booster "really"
  before another word ("super cheap"; "pretty" only before a sentiment word), instead of as praise;
- "Although A, B" is read as "A but B", so VADER's "but" rule weighs B more;
- VADER runs sentence by sentence, so a "not" cannot reach into the next sentence, and "however"
  (or "but") opening a sentence halves the sentence before it, as VADER's "but" rule does inside one.

The loop that feeds VADER word by word is VADER's ``polarity_scores`` minus its emoji pass (emoji
are scored from our table) and plus a record of which words moved the score (the "drivers").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from functools import cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    SentimentIntensityAnalyzer,
    SentiText,
)

from promo_core.sentiment.lexicon import Lexicon

_PLACEHOLDER = "xidiom{}x"
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_CONTRASTS = frozenset({"but", "however"})
_ALTHOUGH = re.compile(r"^\s*(?:although|though|even though|while)\s+([^,]+),\s*", re.IGNORECASE)
BEFORE_CONTRAST = 0.5
_LOCK = threading.Lock()


@cache
def vader_lexicon() -> Mapping[str, float]:
    """VADER's own word valences (read once; used for English words inside Chinese reviews too)."""
    return dict(SentimentIntensityAnalyzer().lexicon)


class EnglishScorer:
    """VADER with our additions; one per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        with _LOCK:
            self.vader = SentimentIntensityAnalyzer()
        phrases = sorted(lexicon.en_idioms, key=len, reverse=True)
        self.phrase_of = {_PLACEHOLDER.format(i): p for i, p in enumerate(phrases)}
        self.placeholder_of = {p: key for key, p in self.phrase_of.items()}
        self.vader.lexicon.update(lexicon.en)
        self.vader.lexicon.update({key: lexicon.en_idioms[p] for key, p in self.phrase_of.items()})
        self.boosters = lexicon.en_boosters
        alternatives = "|".join(re.escape(p) for p in phrases)
        self.idioms = re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE) if phrases else None

    def score(self, text: str, emoji: Sequence[tuple[str, float]] = ()) -> tuple[float, list[tuple[str, float]]]:
        """VADER's compound score of cleaned text and the (phrase, valence) pairs behind it."""
        if self.idioms is not None:
            text = self.idioms.sub(lambda m: f" {self.placeholder_of[m.group(0).lower()]} ", text)
        sentiments: list[float] = []
        drivers: list[tuple[str, float]] = []
        previous = 0
        for sentence in _SENTENCE.findall(text):
            words, values, opens_with_contrast = self._sentence(sentence)
            if opens_with_contrast:  # "Good quality. However, slow delivery."
                sentiments[previous:] = [v * BEFORE_CONTRAST for v in sentiments[previous:]]
                drivers[previous:] = [(w, v * BEFORE_CONTRAST) for w, v in drivers[previous:]]
            previous = len(sentiments)
            sentiments += values
            drivers += [(self.phrase_of.get(w.lower(), w), v) for w, v in zip(words, values)]
        sentiments += [valence for _, valence in emoji]
        drivers += list(emoji)
        kept = [(w, v) for w, v in drivers if v]
        compound = self.vader.score_valence(sentiments, text)["compound"] if sentiments else 0.0
        return compound, kept

    def _sentence(self, sentence: str) -> tuple[list[str], list[float], bool]:
        """VADER's word loop on one sentence: the original words, their valences, and whether it opens with 'but'."""
        sentitext = SentiText(_ALTHOUGH.sub(r"\1 but ", sentence))
        words = sentitext.words_and_emoticons
        original = list(words)
        lexicon = self.vader.lexicon
        for i, word in enumerate(words):
            lower = word.lower()
            if lower == "however":
                words[i] = "but"
            elif (
                lower in self.boosters
                and i + 1 < len(words)
                and (self.boosters[lower] == "any" or lexicon.get(words[i + 1].lower()))
            ):
                words[i] = "really"
        values: list[float] = []
        for i, word in enumerate(words):
            lower = word.lower()
            if lower in BOOSTER_DICT or (lower == "kind" and i + 1 < len(words) and words[i + 1].lower() == "of"):
                values.append(0.0)
                continue
            values = self.vader.sentiment_valence(0.0, sentitext, word, i, values)
        values = self.vader._but_check(words, values)
        return original, values, bool(words) and words[0].lower() in _CONTRASTS
