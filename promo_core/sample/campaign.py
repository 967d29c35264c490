"""A coupon A/B/n test in October 2026 with an effect that differs by segment.

Each customer is randomised to ``control``, ``coupon_10`` or ``coupon_20``. The control conversion
probability depends on the segment and rises with the customer's pre-period revenue (so CUPED on
``pre_revenue`` removes much of the variance); a coupon adds a planted, segment-specific amount to it.
A coupon also cuts the order value (``VALUE_FACTOR``), so a small conversion lift can lose revenue,
which is the decision the test is for. True effects are exact averages of the per-customer
probabilities, not estimates, so a method can be checked against them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.sample.customers import COUNTRIES, COUNTRY_SHARES, SEGMENT_NAMES, SEGMENT_SHARES
from promo_core.sample.labels import ids, labels

GROUPS = ("control", "coupon_10", "coupon_20")
VALUE_FACTOR = np.array([1.0, 0.95, 0.90])
"""Order value in each arm relative to control: the discount, partly offset by larger baskets."""
BASE_CONVERSION = np.array([0.45, 0.25, 0.18, 0.12, 0.05, 0.03, 0.04])
"""Control conversion in the test month per segment, in ``SEGMENT_NAMES`` order."""
CONVERSION_LIFT = np.array([  # added to the conversion probability: (coupon_10, coupon_20)
    [0.005, 0.010],  # champion: would buy anyway
    [0.030, 0.050],  # loyal
    [0.080, 0.140],  # bargain: coupon-driven
    [0.040, 0.070],  # new
    [0.070, 0.120],  # at_risk: the coupon wins them back
    [-0.010, -0.015],  # lost: a discount email reminds them why they left
    [0.020, 0.030],  # one_time
])
MESSAGE_CHANNELS = ("email", "sms", "app_push")
_CHANNEL_SHARES = np.array([0.5, 0.2, 0.3])
_CHANNEL_FACTOR = np.array([1.0, 0.85, 1.15])
PRE_SENSITIVITY = 0.6
"""Control conversion scales with exp(0.6 * z), z = standardised log pre-revenue within the segment."""
REVENUE_SIGMA = 0.25
# bulk-only: what the pre-period looks like per segment when there are no orders to derive it from
_ORDER_VALUE = np.array([90.0, 55.0, 22.0, 45.0, 55.0, 40.0, 45.0])
_PRE_ORDERS = np.array([4.0, 2.0, 3.5, 1.3, 0.0, 0.0, 0.05])


@dataclass(frozen=True, eq=False)
class Campaign:
    """``frame`` is campaign.csv; ``effects`` per segment and variant; ``truth`` per customer."""

    frame: pd.DataFrame
    effects: pd.DataFrame
    truth: pd.DataFrame


def simulate_campaign(
    rng: np.random.Generator,
    customer_id: pd.api.extensions.ExtensionArray,
    segment: np.ndarray,
    country: np.ndarray,
    pre_revenue: np.ndarray,
    order_value: np.ndarray,
    effect_scale: float = 1.0,
) -> Campaign:
    """Randomise, draw outcomes and record the true effects for the given customers.

    ``order_value`` is what a converting customer spends in control; ``effect_scale`` multiplies the
    planted conversion lifts (0 gives an A/A test).
    """
    n = len(segment)
    log_pre = np.log1p(np.maximum(pre_revenue, 0.0))
    size = np.bincount(segment, minlength=len(SEGMENT_NAMES))
    mean = np.bincount(segment, log_pre, len(SEGMENT_NAMES)) / np.maximum(size, 1)
    var = np.bincount(segment, (log_pre - mean[segment]) ** 2, len(SEGMENT_NAMES)) / np.maximum(size, 1)
    sd = np.sqrt(var)[segment]
    z = np.divide(log_pre - mean[segment], sd, out=np.zeros(n), where=sd > 0)
    activity = np.exp(PRE_SENSITIVITY * z)  # rescaled so each segment keeps its base rate
    activity /= (np.bincount(segment, activity, len(SEGMENT_NAMES)) / np.maximum(size, 1))[segment]
    channel = rng.choice(len(MESSAGE_CHANNELS), n, p=_CHANNEL_SHARES)
    p = np.empty((n, len(GROUPS)))
    p[:, 0] = np.clip(BASE_CONVERSION[segment] * activity * _CHANNEL_FACTOR[channel], 0.002, 0.95)
    p[:, 1:] = np.clip(p[:, :1] + effect_scale * CONVERSION_LIFT[segment], 0.001, 0.98)

    group = rng.permutation(np.arange(n) % len(GROUPS))
    converted = rng.random(n) < p[np.arange(n), group]
    spend = order_value * VALUE_FACTOR[group] * rng.lognormal(-REVENUE_SIGMA**2 / 2, REVENUE_SIGMA, n)
    frame = pd.DataFrame({
        "customer_id": customer_id,
        "group": labels(GROUPS, group),
        "segment": labels(SEGMENT_NAMES, segment),
        "channel": labels(MESSAGE_CHANNELS, channel),
        "country": labels(COUNTRIES, country),
        "pre_revenue": np.round(pre_revenue, 2),
        "converted": converted.astype(np.int64),
        "revenue": np.round(np.where(converted, spend, 0.0), 2),
    })
    truth = pd.DataFrame({"customer_id": customer_id})
    for k, name in enumerate(GROUPS):
        truth[f"p_{name}"] = np.round(p[:, k], 6)
    truth["order_value"] = np.round(order_value, 2)
    return Campaign(frame=frame, effects=_effects(segment, p, order_value), truth=truth)


def _effects(segment: np.ndarray, p: np.ndarray, order_value: np.ndarray) -> pd.DataFrame:
    """Average true lifts per segment and variant (and over everyone as segment ``all``)."""
    revenue = p * order_value[:, None] * VALUE_FACTOR
    n_seg = len(SEGMENT_NAMES)
    size = np.bincount(segment, minlength=n_seg)

    def means(values: np.ndarray) -> np.ndarray:  # per segment, then overall
        return np.append(np.bincount(segment, values, n_seg) / np.maximum(size, 1), values.mean())

    rows = []
    for k, variant in enumerate(GROUPS[1:], start=1):
        rows.append(pd.DataFrame({
            "segment": [*SEGMENT_NAMES, "all"],
            "variant": variant,
            "n_customers": np.append(size, len(segment)),
            "control_conversion": means(p[:, 0]),
            "conversion_lift": means(p[:, k] - p[:, 0]),
            "control_revenue": means(revenue[:, 0]),
            "revenue_lift": means(revenue[:, k] - revenue[:, 0]),
        }))
    return pd.concat(rows, ignore_index=True).round(6)


def generate_campaign(n_rows: int, seed: int = 7, *, effect_scale: float = 1.0) -> Campaign:
    """A stand-alone campaign of ``n_rows`` customers (segments in their planted shares), for benchmarks.

    Pre-period revenue is drawn per segment instead of derived from orders, so 10M rows take seconds.
    """
    rng = np.random.default_rng(seed)
    segment = rng.choice(len(SEGMENT_NAMES), n_rows, p=SEGMENT_SHARES)
    order_value = _ORDER_VALUE[segment] * rng.lognormal(-0.08, 0.4, n_rows)
    pre_orders = rng.poisson(_PRE_ORDERS[segment])
    pre_revenue = pre_orders * order_value * rng.lognormal(-0.045, 0.3, n_rows)
    return simulate_campaign(
        rng,
        ids("U", np.arange(1, n_rows + 1), max(5, len(str(n_rows)))),
        segment,
        rng.choice(len(COUNTRIES), n_rows, p=COUNTRY_SHARES),
        pre_revenue,
        order_value,
        effect_scale,
    )
