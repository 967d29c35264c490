"""Review text made safe to score: HTML stripped, width and quotes normalised, length capped, emoji taken out.

Hand-written because it is a few regular expressions around the standard library (``html``,
``unicodedata``); pulling in an HTML parser for tags in review text would cost more than it saves.
Emoji and emoticons are taken out before tokenising (jieba and VADER both split ":)" apart) and
scored from ``lexicon/emoji.tsv``.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

MAX_CHARS = 2_000
"""Characters scored per review; the rest of a longer review is dropped (flag ``truncated``)."""
MAX_RAW_CHARS = 20_000
"""Characters read at all, so that one pasted book cannot stall the regular expressions."""

_BLOCK_TAG = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?tr|/?h\d)\b[^>]{0,200}>", re.IGNORECASE)
_SCRIPT = re.compile(r"<\s*(script|style)\b[^>]{0,200}>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<!--.*?-->", re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
_PICTOGRAPH = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u2190-\u21ff\ufe0f\u200d\U0001f3fb-\U0001f3ff]"
)
_SENTENCE_END = re.compile(r"[。.!?！？;；…\n]")


@dataclass(frozen=True)
class CleanText:
    """A review ready for a scorer: ``emoji`` holds the (symbol, valence) pairs taken out of ``text``."""

    text: str
    flags: tuple[str, ...]
    emoji: tuple[tuple[str, float], ...]


def as_text(value: object) -> str:
    """Missing values (None, NaN, pd.NA) become an empty review; anything else its string."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value if isinstance(value, str) else str(value)


def clean(raw: str, emoji: Mapping[str, float]) -> CleanText:
    """Strip HTML, normalise width, quotes and spaces, cap the length and take the emoji out."""
    flags: list[str] = []
    text = raw
    if len(text) > MAX_RAW_CHARS:
        text = text[:MAX_RAW_CHARS]
        flags.append("truncated")
    if "<" in text:
        stripped = _TAG.sub(" ", _BLOCK_TAG.sub("\n", _SCRIPT.sub(" ", text)))
        if stripped != text:
            flags.append("html")
            text = stripped
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text, found = _take_emoji(text, emoji)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        text = _truncate(text)
        if "truncated" not in flags:
            flags.append("truncated")
    return CleanText(text, tuple(flags), found)


def _truncate(text: str) -> str:
    """Cut at the last sentence end before MAX_CHARS when one is near, else at MAX_CHARS."""
    head = text[:MAX_CHARS]
    ends = [m.end() for m in _SENTENCE_END.finditer(head, MAX_CHARS * 4 // 5)]
    return head[: ends[-1]] if ends else head


def _take_emoji(text: str, table: Mapping[str, float]) -> tuple[str, tuple[tuple[str, float], ...]]:
    """Remove emoji and emoticons; return the text and the scored symbols in order of appearance."""
    pattern = _emoji_pattern(tuple(sorted(table, key=len, reverse=True)))
    found: list[tuple[str, float]] = []

    def take(match: re.Match[str]) -> str:
        symbol = _MODIFIERS.sub("", match.group(0))
        found.append((symbol, table[symbol]))
        return " "

    text = pattern.sub(take, text)
    return _PICTOGRAPH.sub(" ", text), tuple(found)  # unscored emoji, stray modifiers


@cache
def _emoji_pattern(symbols: tuple[str, ...]) -> re.Pattern[str]:
    """Pictographs match anywhere; ASCII emoticons only between spaces, punctuation or CJK text."""
    pictographs = [re.escape(s) + "[\ufe0f\U0001f3fb-\U0001f3ff]*" for s in symbols if not s.isascii()]
    emoticons = [
        r"(?<![A-Za-z0-9:/=_^\-+])" + re.escape(s) + r"(?![A-Za-z0-9/_])" for s in symbols if s.isascii()
    ]
    return re.compile("|".join(pictographs + emoticons))


def to_simplified(text: str, table: Mapping[int, str]) -> tuple[str, bool]:
    """Traditional characters mapped to simplified; True when any character changed."""
    mapped = text.translate(table)
    return mapped, mapped != text


def texts_of(texts: Iterable[object]) -> list[str]:
    """Any iterable of reviews as a list of strings (missing values as empty strings)."""
    return [as_text(value) for value in texts]
