"""Bulk generators for benchmarks: exact sizes, speed, determinism and planted effects at scale."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from promo_core.sample import generate_ad_events, generate_campaign, generate_orders
from promo_core.sample.campaign import CONVERSION_LIFT
from promo_core.sample.customers import SEGMENT_NAMES


def test_orders_have_the_requested_size_quickly() -> None:
    start = time.perf_counter()
    orders = generate_orders(200_000, n_customers=28_000, n_items=2_000, seed=3)
    elapsed = time.perf_counter() - start
    assert len(orders) == 200_000
    assert elapsed < 5.0  # about 0.6 s on a laptop; 1M lines take a few seconds
    assert 27_000 < orders["customer_id"].nunique() <= 28_000
    assert orders["item_id"].nunique() > 1_800
    assert (orders["quantity"] < 0).sum() == 6_000
    assert orders["customer_id"].isna().sum() == 1_000
    assert orders["order_id"].str.startswith("C").sum() == 6_000
    assert np.allclose(orders["amount"], orders["quantity"] * orders["unit_price"], atol=0.006)
    assert orders["order_date"].is_monotonic_increasing


def test_orders_are_deterministic_per_seed() -> None:
    a = generate_orders(5_000, n_customers=700, n_items=100, seed=11)
    b = generate_orders(5_000, n_customers=700, n_items=100, seed=11)
    pd.testing.assert_frame_equal(a, b)
    c = generate_orders(5_000, n_customers=700, n_items=100, seed=12)
    assert not a["item_id"].equals(c["item_id"])


def test_orders_refuse_too_few_lines_for_the_customers() -> None:
    with pytest.raises(ValueError, match="n_lines=1000 is too small for 5000 customers"):
        generate_orders(1_000, n_customers=5_000, n_items=100)


def test_campaign_recovers_the_planted_lift_per_segment() -> None:
    campaign = generate_campaign(300_000, seed=5)
    frame = campaign.frame
    assert len(frame) == 300_000
    assert frame["customer_id"].is_unique
    rate = frame.groupby(["segment", "group"])["converted"].mean().unstack()
    size = frame.groupby(["segment", "group"]).size().unstack()
    for k, segment in enumerate(SEGMENT_NAMES):
        for j, variant in enumerate(("coupon_10", "coupon_20")):
            diff = rate.loc[segment, variant] - rate.loc[segment, "control"]
            p = rate.loc[segment, [variant, "control"]]
            se = np.sqrt((p * (1 - p) / size.loc[segment, [variant, "control"]]).sum())
            assert abs(diff - CONVERSION_LIFT[k, j]) < 4 * se, (segment, variant, diff)
    assert rate.loc["bargain", "coupon_20"] - rate.loc["bargain", "control"] > 0.1
    assert rate.loc["lost", "coupon_20"] < rate.loc["lost", "control"]


def test_campaign_with_zero_effect_is_an_aa_test() -> None:
    effects = generate_campaign(20_000, seed=5, effect_scale=0.0).effects
    assert (effects["conversion_lift"] == 0).all()
    assert (effects["revenue_lift"] < 0).all()  # a coupon only discounts when it converts no one extra


def test_campaign_pre_revenue_is_a_useful_covariate() -> None:
    frame = generate_campaign(100_000, seed=2).frame
    assert np.corrcoef(frame["pre_revenue"], frame["revenue"])[0, 1] ** 2 > 0.2


def test_ad_events_have_requested_rows_and_features() -> None:
    ads = generate_ad_events(100_000, seed=4, n_features=15)
    frame = ads.frame
    outcome = {"impression_id", "timestamp", "clicked", "converted", "cost", "revenue"}
    features = [c for c in frame.columns if c not in outcome]
    assert len(frame) == 100_000
    assert len(features) == 15
    assert frame["impression_id"].is_unique
    assert 0.03 < frame["clicked"].mean() < 0.06
    assert ads.probabilities["p_click"].mean() == pytest.approx(frame["clicked"].mean(), abs=0.002)
    assert roc_auc_score(frame["clicked"], ads.probabilities["p_click"]) > 0.7
    assert ads.daily["impressions"].sum() == 100_000


def test_ad_events_refuse_fewer_features_than_the_categorical_ones() -> None:
    with pytest.raises(ValueError, match="n_features must be at least 6, got 3"):
        generate_ad_events(1_000, n_features=3)
