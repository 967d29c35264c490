"""The sentiment lexicons: our own data files in ``lexicon/``, loaded once and extendable per shop.

No kept library ships a Chinese e-commerce sentiment lexicon with degree, negation and contrast
tables under a licence we can ship, so these files are hand-written (see docs/sentiment_lexicon.md).
English uses vaderSentiment's lexicon; ``en_lexicon.tsv`` and ``en_idioms.tsv`` only add to it.
A shop's own words (``extra``) come as a mapping or a two-column table and never touch the files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pandas as pd

from promo_core.errors import SchemaError

LEXICON_DIR = Path(__file__).with_name("lexicon")
MAX_VALENCE = 4.0
"""Valences use VADER's scale: -4 (extremely negative) to +4 (extremely positive)."""
MAX_WORD_CHARS = 40
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

ExtraLexicon = Mapping[str, float] | pd.DataFrame


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Every table the scorers read; ``extra_zh`` are shop words that jieba does not know."""

    zh: Mapping[str, float]
    zh_degree: Mapping[str, float]
    zh_negation: frozenset[str]
    zh_contrast: Mapping[str, str]
    zh_targets: Mapping[str, Mapping[str, float]]  # adjective -> {target or "*": valence}
    zh_traditional: Mapping[int, str]  # str.translate table
    en: Mapping[str, float]
    en_idioms: Mapping[str, float]
    en_boosters: Mapping[str, str]  # word -> 'any' | 'sentiment' (what must follow)
    emoji: Mapping[str, float]
    aspects: pd.DataFrame  # aspect, lang, keyword
    stopwords_zh: frozenset[str]
    extra_zh: frozenset[str] = field(default_factory=frozenset)


def _rows(name: str) -> list[list[str]]:
    """Non-comment, non-blank lines of a data file, split on tabs."""
    text = (LEXICON_DIR / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _valences(name: str) -> dict[str, float]:
    return {row[0]: float(row[1]) for row in _rows(name)}


def _targets() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for target, adjective, valence in _rows("zh_targets.tsv"):
        table.setdefault(adjective, {})[target] = float(valence)
    return table


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    aspects = pd.DataFrame(_rows("aspects.tsv"), columns=["aspect", "lang", "keyword"])
    return Lexicon(
        zh=_valences("zh_lexicon.tsv"),
        zh_degree=_valences("zh_degree.tsv"),
        zh_negation=frozenset(row[0] for row in _rows("zh_negation.txt")),
        zh_contrast={row[0]: row[1] for row in _rows("zh_contrast.tsv")},
        zh_targets=_targets(),
        zh_traditional=str.maketrans({row[0]: row[1] for row in _rows("zh_traditional.tsv")}),
        en=_valences("en_lexicon.tsv"),
        en_idioms=_valences("en_idioms.tsv"),
        en_boosters={row[0]: row[1] for row in _rows("en_boosters.txt")},
        emoji=_valences("emoji.tsv"),
        aspects=aspects,
        stopwords_zh=frozenset(row[0] for row in _rows("stopwords_zh.txt")),
    )


def with_extra(lexicon: Lexicon, extra: ExtraLexicon | None) -> Lexicon:
    """The lexicon with a shop's own words added; Chinese words go to ``zh``, others to English.

    English entries with a space become idioms. Raises SchemaError (code ``sentiment_bad_lexicon``
    or ``sentiment_lexicon_columns``) naming the row at fault.
    """
    if extra is None or len(extra) == 0:
        return lexicon
    pairs = _extra_pairs(extra)
    zh = {w: v for w, v in pairs if _HAN.search(w)}
    en = {w.lower(): v for w, v in pairs if not _HAN.search(w) and " " not in w}
    idioms = {w.lower(): v for w, v in pairs if not _HAN.search(w) and " " in w}
    return replace(
        lexicon,
        zh={**lexicon.zh, **zh},
        en={**lexicon.en, **en},
        en_idioms={**lexicon.en_idioms, **idioms},
        extra_zh=frozenset(w for w in zh if w not in lexicon.zh) | lexicon.extra_zh,
    )


def _extra_pairs(extra: ExtraLexicon) -> list[tuple[str, float]]:
    if isinstance(extra, pd.DataFrame):
        missing = [c for c in ("word", "valence") if c not in extra.columns]
        if missing:
            raise SchemaError(
                f"The extra word list needs the columns 'word' and 'valence'; '{missing[0]}' is missing. "
                "Rename the columns and upload it again.",
                code="sentiment_lexicon_columns",
                column=missing[0],
            )
        items = list(zip(extra["word"].tolist(), extra["valence"].tolist()))
    else:
        items = list(extra.items())
    return [_checked(row, word, value) for row, (word, value) in enumerate(items, start=1)]


def _checked(row: int, word: object, value: object) -> tuple[str, float]:
    text = str(word).strip() if isinstance(word, str) else ""
    if not text or len(text) > MAX_WORD_CHARS:
        raise SchemaError(
            f"Extra word list, row {row}: the word {word!r} is empty or longer than {MAX_WORD_CHARS} "
            "characters. Fix the row and upload again.",
            code="sentiment_bad_lexicon",
            row=row,
            column="word",
            value=word,
        )
    try:
        valence = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        valence = math.nan
    if not math.isfinite(valence) or abs(valence) > MAX_VALENCE:
        raise SchemaError(
            f"Extra word list, row {row}: the valence {value!r} of {text!r} is not a number between "
            f"-{MAX_VALENCE:g} and {MAX_VALENCE:g}. Fix the row and upload again.",
            code="sentiment_bad_lexicon",
            row=row,
            column="valence",
            value=value,
        )
    return text, valence
