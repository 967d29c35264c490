"""Ad impressions whose clicks and conversions follow known logistic models.

logit P(click) = CLICK_INTERCEPT + channel + creative + device + audience + channel x device
                 + CLICK_HOUR_AMPLITUDE * cos(2 pi (hour - CLICK_HOUR_PEAK) / 24)
                 + sum_j coef_j * (x_j - mean_j)  (numeric features)
                 - log(1 + impressions of the channel that day / K_channel)
logit P(convert | click) = CONVERT_INTERCEPT + channel + device + audience + customer segment.

The last click term is ad fatigue: a channel's daily spend varies a lot, and each extra impression
on a busy day clicks less, so expected clicks per day follow a saturating curve
``N / (1 + N / K)`` in the channel's impressions N. ``placement`` and ``session_depth`` carry no
signal (distractors for feature selection). Every coefficient is written to truth/ad_model.csv.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.sample.customers import SEGMENT_NAMES, SEGMENT_SHARES
from promo_core.sample.labels import ids, labels
from promo_core.sample.season import END, daily_weights, sample_seconds, timestamps

N_AD_DAYS = 60
AD_START = END - np.timedelta64(N_AD_DAYS - 1, "D")
CHANNELS = ("search", "social", "display", "video", "email")
CHANNEL_SHARES = np.array([0.25, 0.30, 0.25, 0.10, 0.10])
CREATIVES = ("free_shipping", "flash_sale", "new_arrivals", "bundle_deal", "testimonial", "countdown")
DEVICES = ("mobile", "desktop", "tablet")
DEVICE_SHARES = np.array([0.62, 0.30, 0.08])
AUDIENCES = ("retargeting", "lookalike", "interest", "broad")
AUDIENCE_SHARES = np.array([0.20, 0.25, 0.30, 0.25])
PLACEMENTS = ("search_top", "search_side", "feed", "stories", "banner", "sidebar", "pre_roll", "in_stream",
              "newsletter", "triggered")
"""Two placements per channel, in ``CHANNELS`` order."""
AD_SEGMENTS = (*SEGMENT_NAMES, "prospect")
AD_SEGMENT_SHARES = np.append(0.6 * SEGMENT_SHARES, 0.4)

CLICK_INTERCEPT = -3.6
CLICK_CHANNEL = np.array([0.9, 0.0, -0.8, -0.3, 0.5])
CLICK_CREATIVE = np.array([0.25, 0.4, 0.0, 0.1, -0.2, 0.3])
CLICK_DEVICE = np.array([0.0, 0.15, -0.15])
CLICK_AUDIENCE = np.array([0.6, 0.2, 0.1, -0.2])
CLICK_CHANNEL_DEVICE = np.array([  # rows CHANNELS, columns DEVICES
    [0.0, 0.25, 0.0],
    [0.35, 0.0, 0.0],
    [-0.3, 0.0, 0.0],
    [0.0, 0.0, 0.3],
    [0.0, 0.0, 0.0],
])
CLICK_HOUR_AMPLITUDE = 0.35
CLICK_HOUR_PEAK = 20.0
HALF_SATURATION = np.array([3.0, 1.0, 0.6, 1.5, 2.0])
"""K per channel as a multiple of the channel's mean daily impressions (size-independent shape)."""

CONVERT_INTERCEPT = -2.3
CONVERT_CHANNEL = np.array([0.4, 0.0, -0.3, -0.2, 0.5])
CONVERT_DEVICE = np.array([-0.2, 0.3, 0.0])
CONVERT_AUDIENCE = np.array([0.7, 0.2, 0.0, -0.3])
CONVERT_SEGMENT = np.array([0.8, 0.5, 0.3, 0.2, 0.0, -0.3, -0.2, -0.4])
ORDER_VALUE = np.array([80.0, 55.0, 25.0, 45.0, 50.0, 40.0, 40.0, 45.0])

CPC = np.array([0.60, 0.0, 0.0, 0.0, 0.0])  # search is paid per click
CPM = np.array([0.0, 6.0, 2.5, 12.0, 0.5])  # the others per thousand impressions

NUMERIC_FEATURES: tuple[tuple[str, float, float], ...] = (  # (name, population mean, click coefficient)
    ("relevance_score", 5.5, 0.08),
    ("prior_visits", 1.5, 0.15),
    ("bid_rank", 3.0, -0.10),
    ("session_depth", 4.0, 0.0),
    ("ad_age_days", 15.0, -0.01),
)
CATEGORICAL_FEATURES = ("channel", "creative", "device", "audience", "placement", "customer_segment")


@dataclass(frozen=True, eq=False)
class AdEvents:
    """``frame`` is ad_events.csv; the rest is planted truth."""

    frame: pd.DataFrame
    probabilities: pd.DataFrame  # impression_id, p_click, p_convert_given_click
    model: pd.DataFrame  # model, term, level, coefficient
    daily: pd.DataFrame  # per channel and day: impressions, spend, expected clicks and conversions


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _numeric(rng: np.random.Generator, name: str, n: int) -> np.ndarray:
    if name == "relevance_score":
        return np.round(rng.uniform(1.0, 10.0, n), 1)
    if name == "prior_visits":
        return rng.poisson(1.5, n)
    if name == "bid_rank":
        return rng.integers(1, 6, n)
    if name == "session_depth":
        return 1 + rng.poisson(3.0, n)
    if name == "ad_age_days":
        return rng.integers(0, 31, n)
    return np.round(rng.normal(0.0, 1.0, n), 3)


def numeric_features(n_features: int) -> tuple[tuple[str, float, float], ...]:
    """The numeric feature columns for ``n_features`` features in total (six are categorical).

    Beyond the five named ones come ``f06``, ``f07``...: standard normal, odd ones with coefficient
    0.15 and even ones pure noise.
    """
    n_numeric = n_features - len(CATEGORICAL_FEATURES)
    if n_numeric < 0:
        raise ValueError(f"n_features must be at least {len(CATEGORICAL_FEATURES)}, got {n_features}")
    extra = tuple(
        (f"f{j:02d}", 0.0, 0.15 if j % 2 else 0.0) for j in range(len(NUMERIC_FEATURES) + 1, n_numeric + 1)
    )
    return (NUMERIC_FEATURES + extra)[:n_numeric]


def generate_ad_events(n_rows: int, seed: int = 7, *, n_features: int = 15) -> AdEvents:
    """``n_rows`` impressions over the last 60 days of the window with ``n_features`` feature columns."""
    return simulate_ad_events(np.random.default_rng(seed), n_rows, n_features)


def simulate_ad_events(rng: np.random.Generator, n_rows: int, n_features: int) -> AdEvents:
    """Impressions, clicks, conversions, costs and the truth behind them."""
    numeric = numeric_features(n_features)
    # daily volume per channel: a budget that moves a lot from day to day (for response curves)
    day_weight = daily_weights(AD_START, N_AD_DAYS)
    budget_noise = rng.lognormal(0.0, 0.5, (len(CHANNELS), N_AD_DAYS))
    volume = CHANNEL_SHARES[:, None] * day_weight[None, :] * budget_noise
    counts = rng.multinomial(n_rows, (volume / volume.sum()).ravel()).reshape(volume.shape)
    half_sat = HALF_SATURATION * counts.mean(axis=1)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    channel, day = np.divmod(cell, N_AD_DAYS)

    creative = rng.integers(len(CREATIVES), size=n_rows)
    device = rng.choice(len(DEVICES), n_rows, p=DEVICE_SHARES)
    audience = rng.choice(len(AUDIENCES), n_rows, p=AUDIENCE_SHARES)
    placement = 2 * channel + rng.integers(2, size=n_rows)
    segment = rng.choice(len(AD_SEGMENTS), n_rows, p=AD_SEGMENT_SHARES)
    seconds = sample_seconds(rng, n_rows)
    hour = seconds / 3600.0
    x = {name: _numeric(rng, name, n_rows) for name, _, _ in numeric}

    click_logit = (
        CLICK_INTERCEPT
        + CLICK_CHANNEL[channel]
        + CLICK_CREATIVE[creative]
        + CLICK_DEVICE[device]
        + CLICK_AUDIENCE[audience]
        + CLICK_CHANNEL_DEVICE[channel, device]
        + CLICK_HOUR_AMPLITUDE * np.cos(2 * np.pi * (hour - CLICK_HOUR_PEAK) / 24)
        - np.log1p(counts[channel, day] / half_sat[channel])
    )
    for name, mean, coef in numeric:
        click_logit += coef * (x[name] - mean)
    p_click = _sigmoid(click_logit)
    p_convert = _sigmoid(
        CONVERT_INTERCEPT + CONVERT_CHANNEL[channel] + CONVERT_DEVICE[device] + CONVERT_AUDIENCE[audience]
        + CONVERT_SEGMENT[segment]
    )
    clicked = rng.random(n_rows) < p_click
    converted = clicked & (rng.random(n_rows) < p_convert)
    jitter = rng.lognormal(0.0, 0.15, n_rows)
    cost = np.round(np.where(CPC[channel] > 0, clicked * CPC[channel], CPM[channel] / 1000) * jitter, 4)
    revenue = np.round(converted * ORDER_VALUE[segment] * rng.lognormal(-0.08, 0.4, n_rows), 2)

    time = timestamps(day, seconds, AD_START)
    order = np.argsort(time, kind="stable")
    impression_id = ids("I", np.arange(1, n_rows + 1), max(6, len(str(n_rows))))
    frame = pd.DataFrame({
        "impression_id": impression_id,
        "timestamp": time[order],
        "channel": labels(CHANNELS, channel[order]),
        "creative": labels(CREATIVES, creative[order]),
        "device": labels(DEVICES, device[order]),
        "audience": labels(AUDIENCES, audience[order]),
        "placement": labels(PLACEMENTS, placement[order]),
        "customer_segment": labels(AD_SEGMENTS, segment[order]),
        **{name: x[name][order] for name, _, _ in numeric},
        "clicked": clicked[order].astype(np.int64),
        "converted": converted[order].astype(np.int64),
        "cost": cost[order],
        "revenue": revenue[order],
    })
    probabilities = pd.DataFrame({
        "impression_id": impression_id,
        "p_click": np.round(p_click[order], 5),
        "p_convert_given_click": np.round(p_convert[order], 5),
    })
    spend = np.bincount(cell, cost, counts.size).reshape(counts.shape)
    exp_clicks = np.bincount(cell, p_click, counts.size).reshape(counts.shape)
    exp_conv = np.bincount(cell, p_click * p_convert, counts.size).reshape(counts.shape)
    daily = pd.DataFrame({
        "date": np.tile(AD_START + np.arange(N_AD_DAYS), len(CHANNELS)).astype("datetime64[s]"),
        "channel": labels(CHANNELS, np.repeat(np.arange(len(CHANNELS)), N_AD_DAYS)),
        "impressions": counts.ravel(),
        "spend": np.round(spend.ravel(), 2),
        "expected_clicks": np.round(exp_clicks.ravel(), 3),
        "expected_conversions": np.round(exp_conv.ravel(), 4),
        "half_saturation": np.repeat(np.round(half_sat, 2), N_AD_DAYS),
    })
    return AdEvents(frame=frame, probabilities=probabilities, model=_model_table(numeric), daily=daily)


def _model_table(numeric: tuple[tuple[str, float, float], ...]) -> pd.DataFrame:
    """Every planted coefficient as (model, term, level, coefficient) rows."""
    rows = [("click", "intercept", "", CLICK_INTERCEPT)]
    for term, levels, coefs in (
        ("channel", CHANNELS, CLICK_CHANNEL),
        ("creative", CREATIVES, CLICK_CREATIVE),
        ("device", DEVICES, CLICK_DEVICE),
        ("audience", AUDIENCES, CLICK_AUDIENCE),
    ):
        rows += [("click", term, level, c) for level, c in zip(levels, coefs)]
    rows += [
        ("click", "channel:device", f"{ch}:{dv}", CLICK_CHANNEL_DEVICE[i, j])
        for i, ch in enumerate(CHANNELS)
        for j, dv in enumerate(DEVICES)
        if CLICK_CHANNEL_DEVICE[i, j]
    ]
    rows += [("click", "hour_amplitude", "", CLICK_HOUR_AMPLITUDE)]
    rows += [("click", "hour_peak", "", CLICK_HOUR_PEAK)]
    rows += [("click", "numeric", f"{name} (centred at {mean:g})", coef) for name, mean, coef in numeric]
    rows += [("click", "half_saturation_factor", ch, k) for ch, k in zip(CHANNELS, HALF_SATURATION)]
    rows.append(("convert", "intercept", "", CONVERT_INTERCEPT))
    for term, levels, coefs in (
        ("channel", CHANNELS, CONVERT_CHANNEL),
        ("device", DEVICES, CONVERT_DEVICE),
        ("audience", AUDIENCES, CONVERT_AUDIENCE),
        ("customer_segment", AD_SEGMENTS, CONVERT_SEGMENT),
    ):
        rows += [("convert", term, level, c) for level, c in zip(levels, coefs)]
    return pd.DataFrame(rows, columns=["model", "term", "level", "coefficient"])
