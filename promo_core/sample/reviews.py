"""Product reviews written by customers about items they bought, with their true sentiment.

A review's hidden score rises with the item's planted quality and falls if the line was returned;
its sign is the true polarity and the star rating follows it with noise. The text is assembled
from aspect clauses (see :mod:`promo_core.sample.phrases`). In a mixed review the clause after the
contrast word ("but", "但是", "就是") carries the polarity, as readers take it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.sample.catalogue import CATEGORY_CODES, Catalogue
from promo_core.sample.customers import COUNTRIES, CustomerPanel
from promo_core.sample.labels import ids, labels
from promo_core.sample.orders import OrderBook
from promo_core.sample.phrases import (
    ASPECTS,
    CATEGORY_ASPECTS,
    EDGE_CASES,
    EMOJI,
    EN_IDIOMS,
    EN_MILD,
    EN_OPENERS,
    EN_SLIGHT,
    EN_STRONG,
    GENERAL_ASPECTS,
    ZH_IDIOMS,
    ZH_OPENERS,
    ZH_STRONG,
    Aspect,
)
from promo_core.sample.season import N_DAYS, START

ZH_SHARE_BY_COUNTRY = {"CN": 0.9, "SG": 0.5, "MY": 0.5}
"""Chance that a customer from the country writes in Chinese; elsewhere 2%."""
STRONG_ABOVE = 0.5
"""Reviews whose hidden score is beyond +-0.5 use strong wording ("very", "非常", "太...了")."""


@dataclass(frozen=True, eq=False)
class Reviews:
    """``frame`` is reviews.csv; ``truth`` is truth/reviews.csv (language, polarity, score)."""

    frame: pd.DataFrame
    truth: pd.DataFrame


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _capitalise(text: str) -> str:
    return text[0].upper() + text[1:]


def _plain(adjective: str) -> str:
    return adjective.replace("{d}", "")


def _gradable(adjectives: Sequence[str]) -> tuple[str, ...]:
    return tuple(a for a in adjectives if "{d}" in a)


def _en_clause(rng: np.random.Generator, aspect: Aspect, sign: int, strong: bool) -> str:
    subject, verb, negated = _pick(rng, aspect.en_subjects), aspect.en_verb[0], _pick(rng, aspect.en_verb[1:])
    own, other = (aspect.en_pos, aspect.en_neg) if sign > 0 else (aspect.en_neg, aspect.en_pos)
    style = int(rng.integers(3))
    if strong:
        if style == 0:
            return f"{subject} {verb} {_pick(rng, own).format(d=_pick(rng, EN_STRONG))}"
        if style == 1:
            return f"{subject} {negated} {_plain(_pick(rng, other))} at all"
        return f"{_pick(rng, EN_STRONG)}{_plain(_pick(rng, _gradable(own)))} {aspect.en_noun}"
    if style == 0:
        degree = EN_MILD if sign > 0 else EN_SLIGHT
        return f"{subject} {verb} {_pick(rng, _gradable(own)).format(d=_pick(rng, degree))}"
    if style == 1:
        return f"{subject} {negated} {_plain(_pick(rng, other))}"
    if sign > 0:
        return f"{subject} {verb} {_pick(rng, ('okay', 'fine', 'acceptable', 'decent enough'))}"
    return f"{subject} {negated} as {_plain(_pick(rng, _gradable(aspect.en_pos)))} as I expected"


def _zh_clause(rng: np.random.Generator, aspect: Aspect, sign: int, strong: bool) -> str:
    s = _pick(rng, aspect.zh_subjects)
    pos, neg = _plain(_pick(rng, _gradable(aspect.zh_pos))), _plain(_pick(rng, _gradable(aspect.zh_neg)))
    if strong and sign > 0:
        options = (f"{s}{_pick(rng, ZH_STRONG)}{pos}", f"{s}真的{_pick(rng, ZH_STRONG)}{pos}", f"{s}一点都不{neg}",
                   f"{s}{_plain(_pick(rng, aspect.zh_pos))}")
    elif sign > 0:
        options = (f"{s}挺{pos}的", f"{s}还算{pos}", f"{s}比较{pos}", f"{s}还行", f"{s}还可以", f"{s}不{neg}")
    elif strong:
        options = (f"{s}太{neg}了", f"{s}{_pick(rng, ZH_STRONG)}{neg}", f"{s}一点都不{pos}",
                   f"{s}{_plain(_pick(rng, aspect.zh_neg))}")
    else:
        options = (f"{s}有点{neg}", f"{s}有些{neg}", f"{s}不太{pos}", f"{s}不是很{pos}", f"{s}没有想象中{pos}",
                   f"{s}一般")
    return _pick(rng, options)


def write_text(
    rng: np.random.Generator, lang: str, sign: int, strong: bool, mixed: bool, category: str
) -> str:
    """One review in ``lang`` ("en" or "zh") whose overall polarity is ``sign`` (+1 or -1)."""
    own = CATEGORY_ASPECTS[category]
    pool = GENERAL_ASPECTS + own
    weights = np.array([1.0] * len(GENERAL_ASPECTS) + [2.0] * len(own))  # the category's own come up more
    n = 2 if mixed else 1 + int(rng.choice(3, p=[0.35, 0.4, 0.25]))
    names = [pool[k] for k in rng.choice(len(pool), n, replace=False, p=weights / weights.sum())]
    clause = _en_clause if lang == "en" else _zh_clause
    signs = [-sign if mixed and i == 0 else sign for i in range(n)]
    parts = [clause(rng, ASPECTS[a], sg, strong and sg == sign) for a, sg in zip(names, signs)]
    if lang == "en":
        body = _en_join(rng, parts, mixed)
        end = "!" if strong and rng.random() < 0.5 else "."
        text = _capitalise(body) + end
        if rng.random() < 0.15:
            text = f"{_pick(rng, EN_OPENERS)} {text}"
        if rng.random() < (0.2 if mixed else 0.4):
            text = f"{text} {_pick(rng, EN_IDIOMS[(sign, strong and not mixed)])}"
    else:
        body = _zh_join(rng, parts, sign, mixed)
        text = body + ("！" if strong and rng.random() < 0.5 else "。")
        if rng.random() < 0.15:
            text = _pick(rng, ZH_OPENERS) + text
        if rng.random() < (0.2 if mixed else 0.4):
            text += _pick(rng, ZH_IDIOMS[(sign, strong and not mixed)]) + _pick(rng, ("！", "。", "~", ""))
    if rng.random() < (0.25 if strong else 0.08):
        text += " " * int(rng.integers(2)) + _pick(rng, EMOJI[sign]) * int(rng.integers(1, 4))
    return text


def _en_join(rng: np.random.Generator, parts: list[str], contrast: bool) -> str:
    if contrast:
        a, b = parts
        form = int(rng.integers(4))
        if form == 0:
            return f"{a}, but {b}"
        if form == 1:
            return f"{a} but {b}"
        if form == 2:
            return f"{a}. However, {b}"
        return f"although {a}, {b}"
    if len(parts) == 1:
        return parts[0]
    if rng.random() < 0.5:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return ". ".join([parts[0], *map(_capitalise, parts[1:])])


def _zh_join(rng: np.random.Generator, parts: list[str], sign: int, contrast: bool) -> str:
    if contrast:
        a, b = parts
        words = ("但是", "不过", "可惜", "就是") if sign < 0 else ("但是", "不过", "好在")
        word = _pick(rng, words)
        if rng.random() < 0.3 and word == "但是":
            return f"虽然{a}，但是{b}"
        return f"{a}，{word}{b}"
    joiner = _pick(rng, ("，", "，", "。", "，而且"))
    return parts[0] + "".join(joiner + p for p in parts[1:])


def _long_review(rng: np.random.Generator) -> str:
    """A rambling positive review of a few thousand characters, to test truncation and layout."""
    sentences = [
        write_text(rng, "en", 1, bool(rng.random() < 0.5), False, _pick(rng, CATEGORY_CODES))
        for _ in range(40)
    ]
    return " ".join(sentences)


def simulate_reviews(
    book: OrderBook, panel: CustomerPanel, catalogue: Catalogue, rng: np.random.Generator, n_reviews: int
) -> Reviews:
    """``n_reviews`` reviews of distinct (customer, item) purchases, returned lines twice as likely."""
    buy = np.flatnonzero((book.customer >= 0) & ~book.is_return)
    key = book.customer[buy] * len(catalogue.price) + book.item[buy]
    first = buy[np.unique(key, return_index=True)[1]]
    weight = 1.0 + 2.0 * book.returned[first]
    keys = np.log(weight) + rng.gumbel(size=len(first))
    n_reviews = min(n_reviews, len(first))
    line = np.sort(first[np.argpartition(-keys, n_reviews - 1)[:n_reviews]])
    cust, item = book.customer[line], book.item[line]

    noise = rng.normal(size=n_reviews)
    score = np.tanh(0.9 * catalogue.quality[item] + 0.8 * noise + 0.6 - 1.8 * book.returned[line])
    sign = np.where(score >= 0, 1, -1)
    strong = np.abs(score) > STRONG_ABOVE
    mixed = rng.random(n_reviews) < 0.35 * (1 - np.abs(score))
    zh_share = np.array([ZH_SHARE_BY_COUNTRY.get(c, 0.02) for c in COUNTRIES])[panel.country[cust]]
    lang = np.where(rng.random(n_reviews) < zh_share, "zh", "en").astype(object)
    rating = np.clip(np.round(3 + 2.2 * score + rng.normal(0, 0.7, n_reviews)), 1, 5).astype(int)
    category = catalogue.category[item]
    text = [
        write_text(rng, lang[i], int(sign[i]), bool(strong[i]), bool(mixed[i]), CATEGORY_CODES[category[i]])
        for i in range(n_reviews)
    ]
    day = np.minimum(book.day[line] + rng.integers(2, 22, n_reviews), N_DAYS - 1)

    polarity = np.where(sign > 0, "positive", "negative").astype(object)
    edge = np.full(n_reviews, "", dtype=object)
    cases = [*EDGE_CASES, ("long", _long_review(rng), "en", "positive", 5)]
    slots = rng.choice(n_reviews, len(cases), replace=False)
    for slot, (kind, edge_text, edge_lang, edge_polarity, edge_rating) in zip(slots, cases):
        text[slot], lang[slot], polarity[slot], rating[slot], edge[slot] = (
            edge_text, edge_lang, edge_polarity, edge_rating, kind
        )
    score[slots], mixed[slots] = np.nan, False  # hand-written: no hidden score

    order = np.argsort(day, kind="stable")
    review_id = ids("R", np.arange(1, n_reviews + 1), max(5, len(str(n_reviews))))
    frame = pd.DataFrame({
        "review_id": review_id,
        "customer_id": labels(panel.customer_id, cust[order]),
        "item_id": labels(catalogue.items["item_id"], item[order]),
        "rating": rating[order],
        "review_date": (START + day[order]).astype("datetime64[s]"),
        "text": pd.array(np.asarray(text, dtype=object)[order], dtype="str"),
    })
    truth = pd.DataFrame({
        "review_id": review_id,
        "lang": pd.array(lang[order], dtype="str"),
        "true_polarity": pd.array(polarity[order], dtype="str"),
        "true_score": np.round(score[order], 4),
        "is_mixed": mixed[order].astype(int),
        "edge_case": pd.array(np.where(edge[order] == "", None, edge[order]), dtype="str"),
    })
    return Reviews(frame=frame, truth=truth)
