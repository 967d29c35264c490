"""ROI: incremental revenue minus discount and coupon costs; break-even discount."""

from __future__ import annotations

import pytest

from promo_core.campaign import ab_test
from promo_core.errors import SchemaError
from promo_core.roi import campaign_roi, roi_from_ab


def test_roi_arithmetic() -> None:
    r = campaign_roi(1000, 20, 120, 50.0, discount_rate=0.1, coupon_value=1.0, contact_cost=0.05)
    assert r.incremental_revenue == 1000.0
    assert r.discount_cost == 600.0 and r.coupon_cost == 120.0 and r.contact_cost == 50.0 and r.total_cost == 770.0
    assert r.incremental_profit == 230.0 and r.roi == pytest.approx(230 / 770)
    # break-even: 20 * 50 - 120 - 50 = 830 = d * 120 * 50
    assert r.break_even_discount == pytest.approx(830 / 6000)
    at_break_even = campaign_roi(1000, 20, 120, 50.0, discount_rate=r.break_even_discount, coupon_value=1.0, contact_cost=0.05)
    assert at_break_even.incremental_profit == pytest.approx(0.0, abs=1e-9)


def test_cannibalised_discount_can_lose_money() -> None:
    r = campaign_roi(1000, 5, 300, 40.0, discount_rate=0.2)
    assert r.incremental_profit == 5 * 40 - 300 * 40 * 0.2 < 0 and r.roi < 0


def test_roi_from_an_ab_test_carries_the_interval(shop_campaign) -> None:
    result = ab_test(shop_campaign, "converted")
    r = roi_from_ab(result, "coupon_20", order_value=50.0, n_targeted=10_000, discount_rate=0.2)
    row = result.table.set_index("variant").loc["coupon_20"]
    assert r.incremental_conversions == pytest.approx(row["abs_lift"] * 10_000)
    assert r.incremental_conversions_low == pytest.approx(row["abs_lift_low"] * 10_000)
    assert r.incremental_profit_low < r.incremental_profit < r.incremental_profit_high


def test_roi_input_errors(shop_campaign) -> None:
    with pytest.raises(SchemaError) as info:
        roi_from_ab(ab_test(shop_campaign, "revenue"), "coupon_20", order_value=50.0)
    assert info.value.code == "roi_needs_conversion" and "'revenue'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        roi_from_ab(ab_test(shop_campaign, "converted"), "coupon_50", order_value=50.0)
    assert info.value.code == "variant_not_found" and "coupon_10, coupon_20" in str(info.value)
    with pytest.raises(SchemaError) as info:
        campaign_roi(10, 1, 2, 50.0, discount_rate=1.5)
    assert info.value.code == "cost_invalid" and "1.5" in str(info.value)
