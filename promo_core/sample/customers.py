"""Customers of the sample shop and the behavioural segment planted in each of them.

Every customer has exactly one true segment. The segment fixes the shape of the order history
(how many orders, when the first and last fall, basket size, price level, coupon use) so that an
RFM analysis can find the segments again; its truth is written to ``truth/customers.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.sample.catalogue import CATEGORIES, CATEGORY_CODES, TASTE_DIMS
from promo_core.sample.labels import ids, labels
from promo_core.sample.season import N_DAYS


@dataclass(frozen=True)
class Segment:
    """How one planted segment shops. Day ranges count back from the last day of the window."""

    name: str
    share: float
    min_orders: int
    extra_orders: float  # Poisson mean of orders above ``min_orders``
    max_orders: int
    first_ago: tuple[int, int]
    last_ago: tuple[int, int]  # capped at first_ago; one order means last == first
    basket_extra: float  # mean lines per order above one
    quantity_extra: float  # mean units per line above one
    price_tilt: float  # > 0 prefers dearer items within a category
    coupon_rate: float
    description: str


SEGMENTS: tuple[Segment, ...] = (
    Segment("champion", 0.08, 8, 5.0, 40, (330, 456), (0, 14), 0.9, 0.5, 0.8, 0.05,
            "frequent, high spend, bought in the last two weeks, customer for 11+ months"),
    Segment("loyal", 0.16, 4, 2.5, 20, (240, 456), (0, 45), 0.5, 0.3, 0.2, 0.10,
            "regular mid-spend buyers, active in the last 45 days"),
    Segment("bargain", 0.12, 6, 4.0, 30, (180, 456), (0, 30), 0.2, 0.1, -1.0, 0.70,
            "frequent small baskets of cheap items, mostly with coupons and on sale days"),
    Segment("new", 0.12, 1, 0.6, 4, (0, 60), (0, 60), 0.5, 0.2, 0.0, 0.20,
            "first order in the last 60 days"),
    Segment("at_risk", 0.14, 4, 2.5, 20, (300, 456), (120, 180), 0.5, 0.3, 0.2, 0.10,
            "used to buy regularly; nothing in the last 4-6 months"),
    Segment("lost", 0.18, 1, 0.5, 2, (320, 456), (275, 456), 0.5, 0.2, 0.0, 0.10,
            "one or two orders 9-15 months ago"),
    Segment("one_time", 0.20, 1, 0.0, 1, (60, 320), (60, 320), 0.6, 0.2, 0.0, 0.10,
            "a single order 2-10 months ago"),
)
SEGMENT_NAMES = tuple(s.name for s in SEGMENTS)
SEGMENT_SHARES = np.array([s.share for s in SEGMENTS])

COUNTRIES = ("CN", "US", "GB", "SG", "DE", "AU", "CA", "FR", "MY", "JP")
COUNTRY_SHARES = np.array([0.42, 0.13, 0.08, 0.08, 0.06, 0.06, 0.05, 0.04, 0.05, 0.03])
CHANNELS = ("web", "app", "mini-program", "marketplace")
_CHANNEL_SHARES_CN = np.array([0.15, 0.35, 0.35, 0.15])
_CHANNEL_SHARES_ABROAD = np.array([0.45, 0.35, 0.02, 0.18])
_CATEGORY_TILT = {  # segments lean towards some departments
    "champion": {"electronics": 1.8, "tea": 1.5, "apparel": 1.3, "home_textiles": 1.3},
    "bargain": {"snacks": 2.0, "beauty": 1.5, "stationery": 1.5},
}
CATEGORY_SHARES = np.array([0.11, 0.13, 0.13, 0.10, 0.07, 0.08, 0.13, 0.10, 0.07, 0.08])
"""Share of each category in demand, in ``CATEGORIES`` order."""


@dataclass(frozen=True, eq=False)
class CustomerPanel:
    """Per-customer arrays, ordered by first purchase (ids are numbered in order of sign-up)."""

    customer_id: pd.api.extensions.ExtensionArray
    segment: np.ndarray
    preferred_category: np.ndarray
    channel: np.ndarray
    country: np.ndarray
    first_day: np.ndarray  # day offset from START of the first order
    last_day: np.ndarray
    taste: np.ndarray  # (n, TASTE_DIMS) latent preference, dotted with item taste vectors

    def __len__(self) -> int:
        return len(self.customer_id)

    def truth(self) -> pd.DataFrame:
        """Planted per-customer facts for ``truth/customers.csv``."""
        return pd.DataFrame({
            "customer_id": self.customer_id,
            "true_segment": labels(SEGMENT_NAMES, self.segment),
            "preferred_category": labels(CATEGORY_CODES, self.preferred_category),
            "preferred_channel": labels(CHANNELS, self.channel),
            "country": labels(COUNTRIES, self.country),
        })


def _category_weights(segment: Segment) -> np.ndarray:
    tilt = _CATEGORY_TILT.get(segment.name, {})
    w = CATEGORY_SHARES * np.array([tilt.get(c, 1.0) for c in CATEGORY_CODES])
    return w / w.sum()


def draw_customers(n_customers: int, rng: np.random.Generator) -> CustomerPanel:
    """Draw ``n_customers`` customers with segments in the planted shares (exact up to rounding)."""
    if n_customers < len(SEGMENTS):
        raise ValueError(f"n_customers must be at least {len(SEGMENTS)}, got {n_customers}")
    counts = np.floor(SEGMENT_SHARES * n_customers).astype(int)
    counts[np.argsort(-(SEGMENT_SHARES * n_customers - counts))[: n_customers - counts.sum()]] += 1
    segment = rng.permutation(np.repeat(np.arange(len(SEGMENTS)), counts))

    first_ago = np.empty(n_customers, dtype=int)
    last_ago = np.empty(n_customers, dtype=int)
    category = np.empty(n_customers, dtype=int)
    for code, seg in enumerate(SEGMENTS):
        idx = np.flatnonzero(segment == code)
        first_ago[idx] = rng.integers(seg.first_ago[0], seg.first_ago[1] + 1, idx.size)
        last_ago[idx] = rng.integers(seg.last_ago[0], seg.last_ago[1] + 1, idx.size)
        category[idx] = rng.choice(len(CATEGORIES), idx.size, p=_category_weights(seg))
    last_ago = np.minimum(last_ago, first_ago)

    country = rng.choice(len(COUNTRIES), n_customers, p=COUNTRY_SHARES)
    channel = np.where(
        country == COUNTRIES.index("CN"),
        rng.choice(len(CHANNELS), n_customers, p=_CHANNEL_SHARES_CN),
        rng.choice(len(CHANNELS), n_customers, p=_CHANNEL_SHARES_ABROAD),
    )
    taste = rng.normal(0.0, 1.0, (n_customers, TASTE_DIMS))
    order = np.argsort(-first_ago, kind="stable")  # earliest first buyer gets the lowest id
    width = max(5, len(str(n_customers)))
    return CustomerPanel(
        customer_id=ids("U", np.arange(1, n_customers + 1), width),
        segment=segment[order],
        preferred_category=category[order],
        channel=channel[order],
        country=country[order],
        first_day=N_DAYS - 1 - first_ago[order],
        last_day=N_DAYS - 1 - last_ago[order],
        taste=taste[order],
    )
