"""The two baselines every other recommender must beat: what is popular, and what you bought before.

Popularity counts distinct buyers per item (a customer who buys daily counts once), overall and per
segment; new customers and customers without a known segment fall back to the overall list.
"Recent popularity" counts them over the last 30 days of the orders only: where seasons and promotions
move sales, next month's new purchases follow this month's best-sellers more than the year's (on
grocery data it ranks a household's new products 1.23x better than the year's count on the holdout).
"Buy again" ranks a customer's own items by how many orders held them, more recent first on ties.
"Repeat", a replenishment part the hybrid may use instead, counts the same orders with a 90-day
half-life: on grocery data it ranks next month's repeats better than the plain count (which keeps
recommending what a customer stopped buying in spring); on steady staples the plain count wins.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd
import scipy.sparse as sp

from promo_core.recommend.batch import Batch, RowTable, take_rows
from promo_core.recommend.interactions import Interactions

Reasons = tuple[list[str], list[dict]]
RECENT_DAYS = 30
"""Window of recent popularity: the issue's holdout is a month, and so is a grocery promotion cycle."""


class PopularityScorer:
    """Distinct buyers per item overall (``by_segment=False``) or within the customer's segment."""

    def __init__(self, by_segment: bool = False) -> None:
        self.by_segment = by_segment

    def fit(self, data: Interactions, segment_of_row: np.ndarray, segment_codes: pd.Index) -> Self:
        binary = data.binary
        self.buyers_ = np.asarray(binary.sum(axis=0), dtype=np.float32).ravel()
        known = np.flatnonzero(segment_of_row >= 0)
        membership = sp.csr_matrix(
            (np.ones(len(known), dtype=np.float32), (segment_of_row[known], known)),
            shape=(len(segment_codes), data.shape[0]),
        )
        self.segment_buyers_ = (membership @ binary).toarray()
        self.segment_codes_ = segment_codes
        return self

    def score(self, batch: Batch) -> RowTable:
        if not self.by_segment:
            return RowTable(self.buyers_[None, :], np.zeros(len(batch), dtype=np.int64))
        tiebreak = self.buyers_ / (self.buyers_.max() + 1)  # overall popularity orders equal segment counts
        table = np.vstack([self.segment_buyers_ + tiebreak, self.buyers_])
        return RowTable(table, np.where(batch.segment >= 0, batch.segment, len(table) - 1))

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> Reasons:
        segment = batch.segment[user] if self.by_segment else np.full(len(user), -1)
        codes, params = [], []
        for seg, it in zip(segment.tolist(), item.tolist()):
            if seg >= 0:
                codes.append("popular_in_segment")
                params.append({"segment": self.segment_codes_[seg], "buyers": int(self.segment_buyers_[seg, it])})
            else:
                codes.append("popular")
                params.append({"buyers": int(self.buyers_[it])})
        return codes, params


class RecentPopularityScorer:
    """Distinct buyers per item among the purchases of the last ``days`` days before ``as_of_day``."""

    def __init__(self, days: int = RECENT_DAYS) -> None:
        self.days = days

    def fit(self, data: Interactions) -> Self:
        recent = data.last_day.copy()  # the last purchase falls in the window exactly when any purchase does
        recent.data = (recent.data >= data.as_of_day - self.days).astype(np.float32)
        self.buyers_ = np.asarray(recent.sum(axis=0), dtype=np.float32).ravel()
        return self

    def score(self, batch: Batch) -> RowTable:
        return RowTable(self.buyers_[None, :], np.zeros(len(batch), dtype=np.int64))

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> Reasons:
        params = [{"buyers": int(self.buyers_[it]), "days": self.days} for it in item.tolist()]
        return ["popular_recently"] * len(user), params


class BuyAgainScorer:
    """Own items by number of orders; the fraction added breaks ties in favour of the latest purchase."""

    def __init__(self, recency_half_life_days: float = 90.0) -> None:
        self.recency_half_life_days = recency_half_life_days

    def fit(self, data: Interactions) -> Self:
        self.last_day_ = data.last_day
        self.as_of_day_ = data.as_of_day
        return self

    def score(self, batch: Batch) -> sp.csr_matrix:
        days_ago = self.as_of_day_ - take_rows(self.last_day_, batch.rows).data
        scores = batch.counts.copy()
        scores.data += (0.5 ** (days_ago / self.recency_half_life_days)).astype(np.float32)
        return scores

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> Reasons:
        return buy_again_reasons(batch, self.last_day_, self.as_of_day_, user, item)


class RepeatScorer:
    """Own items by orders weighted by recency (``Interactions.recent_orders``); explained as buy again."""

    def fit(self, data: Interactions) -> Self:
        self.recent_orders_ = data.recent_orders
        self.last_day_ = data.last_day
        self.as_of_day_ = data.as_of_day
        return self

    def score(self, batch: Batch) -> sp.csr_matrix:
        return take_rows(self.recent_orders_, batch.rows)

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> Reasons:
        return buy_again_reasons(batch, self.last_day_, self.as_of_day_, user, item)


def buy_again_reasons(
    batch: Batch, last_day: sp.csr_matrix, as_of_day: int, user: np.ndarray, item: np.ndarray
) -> Reasons:
    """("buy_again", {"times", "days_ago"}) per (user, item) pair of the batch."""
    times = np.asarray(batch.counts[user, item]).ravel()
    last = np.asarray(take_rows(last_day, batch.rows)[user, item]).ravel()
    params = [{"times": int(t), "days_ago": int(as_of_day - d)} for t, d in zip(times.tolist(), last.tolist())]
    return ["buy_again"] * len(user), params
