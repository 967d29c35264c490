"""Chinese review sentiment: jieba tokens scored with our lexicon and VADER-style rules.

jieba does the segmentation (its dictionary is loaded once per process, with our lexicon words
added so that 差评, 性价比, 再也不买 stay whole). No kept library scores Chinese with negation,
degree and contrast rules, so those are written here, following VADER (Hutto & Gilbert 2014):

- degree adverbs multiply the next sentiment word (很好 > 好 > 有点好);
- a negator flips it (不好); word order decides the strength: a degree word *before* the negator
  intensifies the negated word (太不好: strong negative), a negator before the degree word softens
  it (不太好, 不是很好: mild negative); two negators cancel (不是不好);
- adjectives whose polarity depends on their subject (价格高 is bad, 性价比高 is good) are read
  from ``zh_targets.tsv``;
- contrast: in a sentence with 但是/不过/可是/就是..., what comes before weighs 0.5 and what comes
  after 1.5 (虽然 marks its own clause as the weaker one);
- exclamation marks add emphasis, emoji add their own valence, English words mixed into a Chinese
  review are looked up in the English lexicon;
- the sum is squashed to [-1, 1] with VADER's normalisation ``s / sqrt(s^2 + 15)``.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import jieba

from promo_core.sentiment.lexicon import Lexicon

NEGATION_SCALAR = -0.74
"""VADER's factor for a negated word."""
MILD_NEGATION = -0.5
"""不太好: the negated word keeps half its size with the sign flipped, and the degree word is ignored."""
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.5
EXCLAMATION_BOOST, MAX_EXCLAMATIONS = 0.292, 4
NORMALISER = 15.0
NEGATION_WINDOW = 3
TARGET_WINDOW = 4
_PARTICLES = "了的啊呀啦哦吧呢哈滴哒嘛"
_SENTENCE = re.compile(r"[^。.!?;\n…]+[。.!?;\n…]*")
_CLAUSE_BREAK = frozenset(",，、:：~～()（）[]【】\"'《》<>|/ \t。.!?;…")
_FILLER = frozenset({"都", "也", "是", "得", "地", "的", "还是", "就", "又"})
_EXCESS = frozenset({"太", "过于"})
BARE_NEGATION = -0.6
"""A negator with no sentiment word after it in its clause (没有热水, 不能退): a mild complaint."""

_LOCK = threading.Lock()
_TOKENIZERS: dict[frozenset[str], jieba.Tokenizer] = {}


def tokenizer(words: frozenset[str]) -> jieba.Tokenizer:
    """jieba's dictionary plus ``words``, built once per word set and shared (thread-safe)."""
    with _LOCK:
        if words not in _TOKENIZERS:
            jieba.setLogLevel(logging.WARNING)
            built = jieba.Tokenizer()
            built.initialize()
            for word in sorted(words):
                built.add_word(word)
            _TOKENIZERS[words] = built
        return _TOKENIZERS[words]


def jieba_words(lexicon: Lexicon) -> frozenset[str]:
    """The lexicon's multi-character words, which jieba must keep whole."""
    tables = (lexicon.zh, lexicon.zh_degree, lexicon.zh_negation, lexicon.zh_contrast, lexicon.zh_targets)
    words = {w for table in tables for w in table}
    words |= {t for adjective in lexicon.zh_targets.values() for t in adjective if t != "*"}
    return frozenset(w for w in words if len(w) > 1 and not w.isascii())


@dataclass(frozen=True)
class Item:
    """One scored word or phrase: where it ends in its sentence, its phrase and its final valence."""

    end: int
    phrase: str
    valence: float


class ChineseScorer:
    """Scores Chinese text with one lexicon; build through :func:`chinese_scorer` to share jieba."""

    def __init__(self, lexicon: Lexicon, english: Mapping[str, float]) -> None:
        self.lexicon = lexicon
        self.english = english
        self.tokens_of = tokenizer(jieba_words(lexicon) - lexicon.extra_zh)
        self.known = set(lexicon.zh) | set(lexicon.zh_targets) | set(lexicon.zh_degree) | set(lexicon.zh_negation)
        self.prefixes = sorted(set(lexicon.zh_degree) | set(lexicon.zh_negation), key=len, reverse=True)
        self._split_cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> list[str]:
        """jieba tokens of ``text``, unknown fused words split into modifier + word (不太好 -> 不 太 好)."""
        raw = [t for t in self.tokens_of.lcut(text, HMM=False) if t.strip()]
        if self.lexicon.extra_zh:
            raw = _merge_extra(raw, self.lexicon.extra_zh)
        out: list[str] = []
        for token in raw:
            out.extend(self._split(token))
        return out

    def _split(self, token: str) -> tuple[str, ...]:
        cached = self._split_cache.get(token)
        if cached is None:
            cached = self._split_uncached(token)
            if len(self._split_cache) < 200_000:
                self._split_cache[token] = cached
        return cached

    def _split_uncached(self, token: str) -> tuple[str, ...]:
        if token in self.known or len(token) < 2 or token.isascii():
            return (token,)
        if token[-1] in _PARTICLES and token[:-1] in self.known:
            return (token[:-1], token[-1])
        for prefix in self.prefixes:
            if token.startswith(prefix) and len(token) > len(prefix):
                rest = self._split(token[len(prefix) :])
                if rest[0] in self.known:
                    return (prefix, *rest)
        for k in range(1, len(token) - 1):  # 中高级 -> 中 高级: a fused word ending in a sentiment word
            if token[k:] in self.lexicon.zh:
                return (*self._split(token[:k]), token[k:])
        return (token,)

    def score(self, text: str, emoji: Sequence[tuple[str, float]] = ()) -> tuple[float, list[Item]]:
        """Compound score in [-1, 1] of cleaned simplified text, and the items that made it."""
        items: list[Item] = []
        previous: list[Item] = []
        for sentence in _SENTENCE.findall(text):
            tokens = self.tokens(sentence)
            pivot = self._contrast_pivot(tokens)
            if pivot == 0:  # "质量好。但是物流慢。": the sentence before is the weaker side
                previous = [_weighed(it, BEFORE_CONTRAST) for it in previous]
            items.extend(previous)
            previous = self._sentence_items(tokens, pivot)
        items.extend(previous)
        items.extend(Item(-1, symbol, valence) for symbol, valence in emoji)
        total = sum(item.valence for item in items)
        if total:
            boost = min(text.count("!"), MAX_EXCLAMATIONS) * EXCLAMATION_BOOST
            total += math.copysign(boost, total)
        return total / math.sqrt(total * total + NORMALISER), items

    def _sentence_items(self, tokens: list[str], pivot: int) -> list[Item]:
        found: dict[int, Item] = {}
        for i in range(len(tokens)):
            scored = self._item(tokens, i)
            if scored is None:
                continue
            item, target = scored
            found.pop(target, None)  # 噪音小: the target's own valence is replaced by the pair's
            found[i] = item
        found.update(self._bare_negations(tokens, found))
        if pivot < 0:
            return list(found.values())
        return [_weighed(it, BEFORE_CONTRAST if it.end < pivot else AFTER_CONTRAST) for it in found.values()]

    def _bare_negations(self, tokens: list[str], found: dict[int, Item]) -> dict[int, Item]:
        """One mild negative item per clause whose negator governs no sentiment word."""
        out: dict[int, Item] = {}
        start = 0
        for end in [*(k for k, t in enumerate(tokens) if t in _CLAUSE_BREAK), len(tokens)]:
            negators = [k for k in range(start, end) if tokens[k] in self.lexicon.zh_negation]
            if negators and not any(negators[0] < k < end for k in found):
                out[negators[0]] = Item(negators[0], "".join(tokens[negators[0] : end]), BARE_NEGATION)
            start = end + 1
        return out

    def _item(self, tokens: list[str], i: int) -> tuple[Item, int] | None:
        token = tokens[i]
        base, target = self._base(tokens, i)
        if base is None or base == 0:
            return None
        if token in self.lexicon.zh_degree and i + 1 < len(tokens) and self._is_word(tokens[i + 1]):
            return None  # 好贵: 好 is a degree adverb here, not praise
        valence, start = self._modify(tokens, i, base)
        start = min(start, target) if target >= 0 else start
        return Item(i, _join(tokens[start : i + 1]), valence), target

    def _is_word(self, token: str) -> bool:
        return token in self.lexicon.zh or token in self.lexicon.zh_targets or token.lower() in self.english

    def _base(self, tokens: list[str], i: int) -> tuple[float | None, int]:
        """The word's own valence, and the index of the subject it was read against (or -1)."""
        token = tokens[i]
        targets = self.lexicon.zh_targets.get(token)
        if targets is not None:
            excess = -1
            for j in range(i - 1, max(-1, i - 1 - TARGET_WINDOW), -1):
                if tokens[j] in _CLAUSE_BREAK:
                    break
                if tokens[j] in _EXCESS:
                    excess = j if excess < 0 and tokens[j] in targets else excess
                elif tokens[j] in targets:
                    return targets[tokens[j]], j
            if excess >= 0:  # 太小了: no subject in sight, and "too small" is a complaint
                return targets[tokens[excess]], excess
            return self.lexicon.zh.get(token, targets.get("*")), -1
        if token in self.lexicon.zh:
            return self.lexicon.zh[token], -1
        if token.isascii():
            return self.english.get(token.lower()), -1
        return None, -1

    def _modify(self, tokens: list[str], i: int, base: float) -> tuple[float, int]:
        """Apply the degree words and negators before token ``i``; return the valence and phrase start."""
        valence, start = base, i
        negations, degree_first = 0, False
        j, others = i - 1, 0
        while j >= 0 and others < NEGATION_WINDOW:
            token = tokens[j]
            if token in _CLAUSE_BREAK or self._is_word(token) and token not in self.lexicon.zh_degree:
                break
            if token in self.lexicon.zh_degree or token.lower() in _EN_DEGREE:
                if others == 0:
                    valence *= self.lexicon.zh_degree.get(token, _EN_DEGREE.get(token.lower(), 1.0))
                    degree_first = degree_first or negations == 0
                    start = j
            elif token in self.lexicon.zh_negation or token.lower() in _EN_NEGATION:
                if negations == 0 and degree_first:
                    valence = MILD_NEGATION * base  # 不太好: negator before the degree word
                else:
                    valence *= NEGATION_SCALAR
                negations += 1
                start = j
            elif token not in _FILLER:
                others += 1
            j -= 1
        return valence, start

    def _contrast_pivot(self, tokens: list[str]) -> int:
        """Index from which the sentence weighs more (the last 'but'), or -1 without contrast."""
        pivot, although = -1, -1
        for j, token in enumerate(tokens):
            kind = self.lexicon.zh_contrast.get(token)
            at_start = j == 0 or tokens[j - 1] in _CLAUSE_BREAK
            if kind == "but" or (kind == "but_start" and at_start):
                pivot = j
            elif kind == "although":
                although = j
        if pivot < 0 and although >= 0:
            breaks = [k for k in range(although + 1, len(tokens)) if tokens[k] in _CLAUSE_BREAK]
            pivot = breaks[0] if breaks else -1
        return pivot


_EN_NEGATION = frozenset({"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "won't", "cannot", "can't"})
_EN_DEGREE = {"very": 1.3, "so": 1.3, "really": 1.3, "super": 1.4, "too": 1.3, "extremely": 1.5, "quite": 1.1,
              "a bit": 0.7, "slightly": 0.7, "somewhat": 0.7, "pretty": 1.1}


def _weighed(item: Item, weight: float) -> Item:
    return Item(item.end, item.phrase, item.valence * weight)


def _join(tokens: Sequence[str]) -> str:
    """Tokens as a phrase: Chinese joined directly, English words with spaces."""
    out = ""
    for token in tokens:
        if out and token.isascii() and token[:1].isalnum() and out[-1:].isascii() and out[-1:].isalnum():
            out += " "
        out += token
    return out


def _merge_extra(tokens: list[str], extra: frozenset[str]) -> list[str]:
    """Join runs of up to four tokens that spell a shop word jieba does not know."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for width in (4, 3, 2):
            joined = "".join(tokens[i : i + width])
            if i + width <= len(tokens) and joined in extra:
                out.append(joined)
                i += width
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
