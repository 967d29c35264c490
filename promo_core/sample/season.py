"""Calendar of the sample shop: its trading window and when people shop.

Demand is a product of a weekly pattern, a slow growth trend and the retail events a Chinese and
international shop lives by (6.18, Singles' Day 11.11, Black Friday, December gifting, the Chinese
New Year logistics pause). Sampling days by inverting the cumulative weights keeps every generator
vectorised: one ``searchsorted`` places millions of orders.
"""

from __future__ import annotations

import numpy as np

START = np.datetime64("2025-07-01")
END = np.datetime64("2026-09-30")
N_DAYS = int((END - START).astype(int)) + 1
ANALYSIS_DATE = END + np.timedelta64(1, "D")
"""The 'today' of the sample: recency is counted to this date."""

_WEEKDAY = np.array([1.00, 0.95, 0.95, 1.00, 1.05, 1.15, 1.20])  # Monday first
_EVENTS = (  # (first day, last day, multiplier)
    ("2025-11-01", "2025-11-10", 1.6),
    ("2025-11-11", "2025-11-11", 6.0),
    ("2025-11-12", "2025-11-12", 1.8),
    ("2025-11-28", "2025-12-01", 1.8),
    ("2025-12-02", "2025-12-22", 1.5),
    ("2025-12-25", "2025-12-26", 0.8),
    ("2026-02-10", "2026-02-24", 0.45),
    ("2026-06-01", "2026-06-17", 1.3),
    ("2026-06-18", "2026-06-18", 3.0),
)
_HOUR = np.array(
    [3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 5, 5, 5, 5, 5, 6, 7, 9, 10, 8, 5], dtype=float
)
"""Relative traffic per hour of day: a lunch bump and an evening peak, quiet nights."""


def daily_weights(start: np.datetime64 = START, n_days: int = N_DAYS) -> np.ndarray:
    """Relative demand of each day from ``start``; event multipliers apply where they fall."""
    days = start + np.arange(n_days)
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    weights = _WEEKDAY[weekday] * (1.0 + 0.15 * np.arange(n_days) / n_days)
    for first, last, factor in _EVENTS:
        weights[(days >= np.datetime64(first)) & (days <= np.datetime64(last))] *= factor
    return weights


def draw_in_ranges(
    rng: np.random.Generator, weights: np.ndarray, low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """One index per element in ``[low, high]`` (inclusive), drawn proportionally to ``weights``.

    Inverting the cumulative weights restricted to each element's own range samples millions of
    bounded draws (a customer's order days, an item within a category) in one vectorised pass.
    """
    cum = np.concatenate([[0.0], np.cumsum(weights)])
    a, b = cum[low], cum[np.asarray(high) + 1]
    u = a + rng.random(np.shape(a)) * (b - a)
    return np.clip(np.searchsorted(cum, u, side="right") - 1, low, high)


def sample_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight following the shop's hour-of-day traffic curve."""
    hours = rng.choice(24, size=n, p=_HOUR / _HOUR.sum())
    return hours * 3600 + rng.integers(0, 3600, n)


def timestamps(day_offsets: np.ndarray, seconds: np.ndarray, start: np.datetime64 = START) -> np.ndarray:
    """Combine day offsets from ``start`` and seconds of day into ``datetime64[s]``."""
    base = start.astype("datetime64[s]")
    return base + (day_offsets.astype("int64") * 86400 + seconds).astype("timedelta64[s]")
