"""Lifts per segment recover the planted segment effects; heterogeneity is found only when planted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import segment_lifts
from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sample import generate_campaign


@pytest.mark.parametrize("metric, truth_column", [("converted", "conversion_lift"), ("revenue", "revenue_lift")])
def test_planted_segment_effects_fall_inside_the_intervals(shop_campaign, shop_effects, metric, truth_column) -> None:
    result = segment_lifts(shop_campaign, metric, "segment")
    merged = result.table.merge(shop_effects, on=["segment", "variant"], validate="one_to_one")
    assert len(merged) == 14
    inside = (merged["abs_lift_low"] <= merged[truth_column]) & (merged[truth_column] <= merged["abs_lift_high"])
    assert (~inside).sum() <= 2  # 95% intervals: 0.7 misses expected out of 14
    assert result.heterogeneity["differs"].all()
    assert (result.table["p_adjusted"] >= result.table["p_value"]).all()


def test_bulk_campaign_recovers_every_segment() -> None:
    campaign = generate_campaign(150_000, seed=11)
    result = segment_lifts(campaign.frame, "converted", "segment")
    merged = result.table.merge(campaign.effects, on=["segment", "variant"])
    inside = (merged["abs_lift_low"] <= merged["conversion_lift"]) & (merged["conversion_lift"] <= merged["abs_lift_high"])
    assert (~inside).sum() <= 2
    bargain = merged.set_index(["segment", "variant"]).loc[("bargain", "coupon_20")]
    assert bargain["significant"] and bargain["abs_lift"] == pytest.approx(0.14, abs=0.03)


def test_no_heterogeneity_when_the_effect_is_the_same_everywhere() -> None:
    differs = []
    for seed in range(6):
        frame = generate_campaign(30_000, seed=seed, effect_scale=0.0).frame
        differs += segment_lifts(frame, "converted", "segment").heterogeneity["differs"].tolist()
    assert sum(differs) <= 2  # 12 tests at 5%


def test_missing_segment_is_dropped_and_counted(shop_campaign) -> None:
    frame = shop_campaign.copy()
    frame.loc[:9, "segment"] = None
    result = segment_lifts(frame, "converted", "segment")
    assert any(n.code == "missing_segment_dropped" and n.details["rows"] == 10 for n in result.notes)
    assert result.table["n"].sum() + result.table.drop_duplicates("segment")["control_n"].sum() == 4990


def test_tiny_segment_is_skipped_with_a_note() -> None:
    frame = pd.DataFrame({
        "group": ["control"] * 100 + ["b"] * 100 + ["control", "b"],
        "seg": ["x"] * 200 + ["y", "z"],
        "converted": np.r_[np.tile([0, 1], 100), [1, 0]],
    })
    result = segment_lifts(frame, "converted", "seg")
    assert result.table["segment"].tolist() == ["x"]
    assert {n.details["segment"] for n in result.notes if n.code == "segment_skipped"} == {"y", "z"}
    assert np.isnan(result.heterogeneity.loc[0, "q"])


def test_segment_column_must_exist(shop_campaign) -> None:
    with pytest.raises(SchemaError) as info:
        segment_lifts(shop_campaign, "converted", "rfm_segment")
    assert info.value.code == "column_missing" and "'rfm_segment'" in str(info.value)


def test_no_comparable_segment() -> None:
    frame = pd.DataFrame({"group": ["control", "b", "control", "b"], "seg": ["w", "x", "y", "z"], "converted": [0, 1, 1, 0]})
    with pytest.raises(InsufficientDataError) as info:
        segment_lifts(frame, "converted", "seg")
    assert info.value.code == "segments_too_small" and "'seg'" in str(info.value)
