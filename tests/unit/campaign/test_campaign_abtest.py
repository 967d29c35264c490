"""A/B/n on the sample shop: planted lifts recovered, A/A calm, SRM loud, CUPED, control detection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import ab_test, ab_test_many
from promo_core.campaign.abtest import LIKELY
from promo_core.sample import generate_campaign


def test_planted_overall_lifts_fall_inside_intervals(shop_campaign, shop_effects) -> None:
    result = ab_test(shop_campaign, "converted", covariate="pre_revenue")
    truth = shop_effects[shop_effects["segment"] == "all"].set_index("variant")
    assert result.control == "control" and result.variants == ("coupon_10", "coupon_20")
    for row in result.table.itertuples():
        assert row.abs_lift_low <= truth.loc[row.variant, "conversion_lift"] <= row.abs_lift_high
    assert result.table.set_index("variant").loc["coupon_20", "significant"]
    assert result.srm.mismatch is False
    assert [n.code for n in result.notes] == ["cuped_applied"]


def test_cuped_narrows_the_interval_and_reports_theta(shop_campaign) -> None:
    plain = ab_test(shop_campaign, "revenue")
    cuped = ab_test(shop_campaign, "revenue", covariate="pre_revenue")
    assert plain.theta is None and plain.variance_reduction is None
    assert cuped.theta > 0 and 0.2 < cuped.variance_reduction < 0.4
    assert (cuped.table["se"] < plain.table["se"]).all()
    width = lambda r: (r.table["abs_lift_high"] - r.table["abs_lift_low"]).to_numpy()  # noqa: E731
    assert (width(cuped) < 0.9 * width(plain)).all()


def test_a_a_tests_are_significant_at_the_nominal_rate() -> None:
    p_values = []
    for seed in range(40):
        frame = generate_campaign(6000, seed=seed, effect_scale=0.0).frame
        p_values += ab_test(frame, "converted", correction="none").table["p_value"].tolist()
    false_positives = int((np.array(p_values) < 0.05).sum())
    assert len(p_values) == 80
    assert false_positives <= 8  # expected 4; P(X > 8 | Binomial(80, 0.05)) < 0.02


def test_a_real_effect_is_found_in_bulk_data() -> None:
    result = ab_test(generate_campaign(60_000, seed=3).frame, "converted", covariate="pre_revenue")
    assert result.table["significant"].all()
    assert (result.table["prob_beat_control"] > 0.999).all()


def test_srm_is_flagged_loudly_when_an_arm_lost_customers(shop_campaign) -> None:
    keep = ~((shop_campaign["group"] == "coupon_20") & (np.arange(len(shop_campaign)) % 5 == 0))
    result = ab_test(shop_campaign[keep], "converted")
    assert result.srm.mismatch and result.srm.p_value < 1e-6
    srm = [n for n in result.notes if n.code == "srm"]
    assert len(srm) == 1 and srm[0].level == "alert" and srm[0].details["column"] == "group"


def test_unequal_planned_split_is_respected() -> None:
    rng = np.random.default_rng(5)
    group = rng.choice(["control", "b", "c"], 9000, p=[0.5, 0.25, 0.25])
    frame = pd.DataFrame({"group": group, "converted": (rng.random(9000) < 0.1).astype(int)})
    assert ab_test(frame, "converted").srm.mismatch  # equal thirds were not the plan
    planned = ab_test(frame, "converted", planned_split={"control": 50, "b": 25, "c": 25})
    assert not planned.srm.mismatch
    assert planned.groups["planned_share"].tolist() == pytest.approx([0.25, 0.25, 0.5])  # sorted: b, c, control


@pytest.mark.parametrize("names, expected", [
    (["对照组", "满减券"], "对照组"), (["A", "B", "C"], "A"), (["Holdout", "promo"], "Holdout"),
    (["baseline", "control", "x"], "control"),
])
def test_control_is_recognised_by_name(names, expected) -> None:
    frame = pd.DataFrame({"group": np.repeat(names, 50), "converted": np.tile([0, 1], 25 * len(names))})
    assert ab_test(frame, "converted").control == expected


def test_several_metrics_are_adjusted_together(shop_campaign) -> None:
    suite = ab_test_many(shop_campaign, ["converted", "revenue"], covariates={"revenue": "pre_revenue"})
    alone = ab_test(shop_campaign, "converted")
    joint = suite["converted"].table["p_adjusted"].to_numpy()
    assert (joint >= alone.table["p_adjusted"].to_numpy()).all()
    assert suite["revenue"].theta == pytest.approx(ab_test(shop_campaign, "revenue", covariate="pre_revenue").theta)
    assert list(suite.summary()["metric"]) == ["converted", "converted", "revenue", "revenue"]


def test_groups_table_and_summary(shop_campaign) -> None:
    result = ab_test(shop_campaign, "revenue")
    assert result.groups["group"].tolist() == ["control", "coupon_10", "coupon_20"]
    assert result.groups["assigned"].sum() == 5000 and result.rows_used == 5000 and result.rows_dropped == 0
    expected = shop_campaign.groupby("group")["revenue"].mean().to_numpy()
    assert result.groups["mean"].to_numpy() == pytest.approx(expected, rel=1e-12)
    summary = result.summary()
    assert list(summary["variant"]) == ["coupon_10", "coupon_20"]
    summary.loc[0, "mean"] = -1.0
    assert result.table.loc[0, "mean"] != -1.0


def test_large_amounts_keep_their_precision() -> None:
    rng = np.random.default_rng(2)
    values = 1e9 + rng.normal(0, 1, 4000)
    frame = pd.DataFrame({"group": np.repeat(["control", "b"], 2000), "amount": values})
    result = ab_test(frame, "amount")
    assert result.groups["sd"].to_numpy() == pytest.approx([values[2000:].std(ddof=1), values[:2000].std(ddof=1)], rel=1e-6)


def test_chance_to_beat_control_matches_monte_carlo_at_scale() -> None:
    frame = pd.DataFrame({
        "group": np.repeat(["control", "b"], 1_000_000),
        "converted": np.r_[np.arange(1_000_000) < 100_000, np.arange(1_000_000) < 101_000].astype(int),
    })
    prob = ab_test(frame, "converted").table.loc[0, "prob_beat_control"]
    rng = np.random.default_rng(0)
    draws = rng.beta(1 + 101_000, 1 + 899_000, 400_000) > rng.beta(1 + 100_000, 1 + 900_000, 400_000)
    assert prob == pytest.approx(draws.mean(), abs=0.002) and 0.98 < prob < 0.995


def _arms(control: tuple[int, int], variant: tuple[int, int]) -> pd.DataFrame:
    """A two-arm conversion test from (conversions, customers) per arm."""
    rows = []
    for group, (hits, n) in (("control", control), ("b", variant)):
        rows += [{"group": group, "converted": int(i < hits)} for i in range(n)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("control", "variant", "expected"),
    [
        ((100, 1000), (160, 1000), "up"),  # z = 3.9
        ((160, 1000), (100, 1000), "down"),
        ((100, 1000), (125, 1000), "likely_up"),  # p = 0.08, chance to beat about 0.96
        ((125, 1000), (100, 1000), "likely_down"),
        ((100, 1000), (102, 1000), "none"),
        ((100, 1000), (160, 1400), "invalid"),  # 1,000 vs 1,400 against an even split
    ],
)
def test_verdict_per_variant(control: tuple[int, int], variant: tuple[int, int], expected: str) -> None:
    result = ab_test(_arms(control, variant), "converted")
    assert result.verdicts == [expected]
    row = result.table.iloc[0]
    if expected.startswith("likely"):
        assert not row["significant"] and max(row["prob_beat_control"], 1 - row["prob_beat_control"]) >= LIKELY
