"""Whether a promotion paid: incremental revenue minus the discount and coupon costs, and the
discount at which it breaks even.

The discount is paid on every redeemed coupon, including by customers who would have bought anyway;
that cannibalisation is why a coupon with a real conversion lift can still lose money. The
break-even discount holds the measured conversion lift fixed (a deeper discount would move it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from promo_core.errors import SchemaError


@dataclass(frozen=True)
class RoiResult:
    """Money of one targeting decision; ``*_low``/``*_high`` carry the lift's interval (NaN if none)."""

    n_targeted: float
    incremental_conversions: float
    treated_conversions: float
    order_value: float
    incremental_revenue: float
    discount_cost: float
    coupon_cost: float
    contact_cost: float
    total_cost: float
    incremental_profit: float
    roi: float
    break_even_discount: float
    incremental_conversions_low: float = float("nan")
    incremental_conversions_high: float = float("nan")
    incremental_profit_low: float = float("nan")
    incremental_profit_high: float = float("nan")

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)])


def campaign_roi(
    n_targeted: float,
    incremental_conversions: float,
    treated_conversions: float,
    order_value: float,
    *,
    discount_rate: float = 0.0,
    coupon_value: float = 0.0,
    contact_cost: float = 0.0,
    margin: float = 1.0,
    interval: tuple[float, float] | None = None,
) -> RoiResult:
    """ROI of treating ``n_targeted`` customers who convert ``treated_conversions`` times, of which
    ``incremental_conversions`` are caused by the offer; ``order_value`` is before the discount and
    ``interval`` the low/high incremental conversions."""
    _check(order_value, discount_rate, margin, coupon_value, contact_cost)
    discount = treated_conversions * order_value * discount_rate
    coupons = treated_conversions * coupon_value
    contact = n_targeted * contact_cost
    cost = discount + coupons + contact

    def profit(incremental: float) -> float:
        return margin * incremental * order_value - cost

    gain = margin * incremental_conversions * order_value - coupons - contact
    base = treated_conversions * order_value
    low, high = interval if interval is not None else (float("nan"), float("nan"))
    return RoiResult(
        n_targeted=float(n_targeted), incremental_conversions=float(incremental_conversions),
        treated_conversions=float(treated_conversions), order_value=float(order_value),
        incremental_revenue=float(incremental_conversions * order_value), discount_cost=float(discount),
        coupon_cost=float(coupons), contact_cost=float(contact), total_cost=float(cost),
        incremental_profit=float(profit(incremental_conversions)),
        roi=float(profit(incremental_conversions) / cost) if cost > 0 else float("nan"),
        break_even_discount=float(gain / base) if base > 0 else float("nan"),
        incremental_conversions_low=float(low), incremental_conversions_high=float(high),
        incremental_profit_low=float(profit(low)), incremental_profit_high=float(profit(high)),
    )


def roi_from_ab(result, variant: str, order_value: float, n_targeted: float | None = None, **costs: float) -> RoiResult:
    """ROI of rolling ``variant`` of a conversion A/B test out to ``n_targeted`` customers (default:
    its own arm), using the measured lift and its interval. ``costs``: as :func:`campaign_roi`."""
    if result.kind != "binary":
        raise SchemaError(
            f"ROI needs a conversion (0/1) metric; '{result.metric}' is continuous. Run the test on the "
            "conversion column and give the average order value.",
            code="roi_needs_conversion",
            metric=result.metric,
        )
    rows = result.table[result.table["variant"] == variant]
    if rows.empty:
        raise SchemaError(
            f"Variant '{variant}' is not in the test (variants: {', '.join(result.variants)}).",
            code="variant_not_found",
            variant=variant,
            variants=", ".join(result.variants),
        )
    row = rows.iloc[0]
    n = float(row["n"] if n_targeted is None else n_targeted)
    return campaign_roi(
        n, row["abs_lift"] * n, row["mean"] * n, order_value,
        interval=(row["abs_lift_low"] * n, row["abs_lift_high"] * n), **costs,
    )


def _check(order_value: float, discount_rate: float, margin: float, coupon_value: float, contact_cost: float) -> None:
    if not (np.isfinite(order_value) and order_value > 0):
        raise SchemaError(f"Average order value must be positive, not {order_value!r}.", code="order_value_invalid",
                          value=order_value)
    if not 0 <= discount_rate < 1 or not 0 < margin <= 1 or coupon_value < 0 or contact_cost < 0:
        raise SchemaError(
            "Discount must lie in [0, 1), margin in (0, 1], and coupon and contact costs must not be negative "
            f"(got discount {discount_rate!r}, margin {margin!r}, coupon {coupon_value!r}, contact {contact_cost!r}).",
            code="cost_invalid",
            discount_rate=discount_rate, margin=margin, coupon_value=coupon_value, contact_cost=contact_cost,
        )
