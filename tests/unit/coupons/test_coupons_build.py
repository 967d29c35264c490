"""Coupon lists: the value formula by hand, exclusions, budget and its reserves, statuses, notes and bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from promo_core.coupons import COUPON_COLUMNS, SEGMENT_STATUSES, CouponRule, build_coupon_list, margin_basis
from promo_core.errors import InsufficientDataError, SchemaError

ITEMS = pd.DataFrame({"item_id": ["A", "B", "C"], "item_name": ["Tea", "Cup", "Pot"], "price": [20.0, 10.0, 50.0]})


def recs(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id", "rank"])
    return frame.assign(reason="similar_to", reason_params=[{"item": "X"}] * len(frame))


def orders(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id", "order_date"])
    return frame.assign(order_id=[f"O{i}" for i in range(len(frame))], order_date=pd.to_datetime(frame["order_date"]),
                        quantity=1.0, unit_price=12.0, amount=12.0, is_return=False)


def test_expected_value_without_uplift_by_hand() -> None:
    result = build_coupon_list(recs([("c1", "A", 1), ("c2", "C", 3)]), None, [CouponRule("*", "percent", 10, 30)],
                               100.0, items=ITEMS, margin_rate=0.4)
    table = result.table.set_index("customer_id")
    # c1: basket max(20, 30) = 30, cost 3, margin 12, left 9; propensity 1 (no orders) x rank weight 1
    assert table.loc["c1", "expected_value"] == pytest.approx(9.0)
    assert table.loc["c1", "expected_cost"] == pytest.approx(3.0)
    # c2: basket 50, cost 5, margin 20, left 15; rank 3 weight 1 / log2(4) = 0.5
    assert table.loc["c2", "expected_value"] == pytest.approx(7.5)
    assert table.loc["c2", "expected_cost"] == pytest.approx(2.5)
    assert table.index.tolist() == ["c1", "c2"] and tuple(result.table.columns) == COUPON_COLUMNS
    assert result.budget_used == pytest.approx(5.5)
    assert {n.code for n in result.notes} == {"propensity_not_estimated"}
    assert result.value_basis == "propensity"  # margin of likely buyers, not what the coupons add


def test_rows_whose_uplift_does_not_pay_for_the_coupon_are_dropped() -> None:
    uplift = pd.DataFrame({"customer_id": ["c1", "c3"], "uplift": [0.2, 0.5]})
    customers = pd.DataFrame({"customer_id": ["c1", "c3"], "segment": ["loyal", "loyal"], "propensity": [0.5, 0.1]})
    result = build_coupon_list(recs([("c1", "B", 1), ("c3", "B", 1)]), customers, [CouponRule("loyal", "fixed", 2)],
                               100.0, items=ITEMS, uplift=uplift, margin_rate=0.5)
    # basket 10, cost 2, margin 5, left 3. c1: 0.2 x 3 - 0.5 x 2 = -0.4 (dropped); c3: 0.5 x 3 - 0.1 x 2 = 1.3
    assert result.table["customer_id"].tolist() == ["c3"]
    assert result.table["expected_value"].iloc[0] == pytest.approx(1.3)
    assert result.table["expected_cost"].iloc[0] == pytest.approx(1.2)
    assert next(n for n in result.notes if n.code == "no_positive_value").details == {"rows": 1}


def test_positive_uplift_value_and_negative_uplift_exclusion() -> None:
    uplift = pd.DataFrame({"customer_id": ["c1", "c2"], "uplift": [0.3, -0.1]})
    customers = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["loyal", "loyal"], "propensity": [0.1, 0.9]})
    result = build_coupon_list(recs([("c1", "C", 1), ("c2", "C", 1)]), customers, [CouponRule("loyal", "percent", 10)],
                               100.0, items=ITEMS, uplift=uplift, margin_rate=0.5)
    row = result.table.set_index("customer_id").loc["c1"]
    # basket 50, cost 5, margin 25, left 20: value = 0.3 x 20 - 0.1 x 5 = 5.5; cost (0.1 + 0.3) x 5 = 2
    assert row["expected_value"] == pytest.approx(5.5) and row["expected_cost"] == pytest.approx(2.0)
    assert row["value_basis"] == "uplift" and row["segment"] == "loyal" and result.value_basis == "uplift"
    assert result.excluded.set_index("customer_id")["reason"].to_dict() == {"c2": "negative_uplift"}
    assert "c2" not in set(result.table["customer_id"])


def test_customers_without_an_uplift_score_make_the_value_mixed() -> None:
    uplift = pd.DataFrame({"customer_id": ["c1"], "uplift": [0.3]})
    customers = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["x", "x"], "propensity": [0.1, 0.1]})
    result = build_coupon_list(recs([("c1", "C", 1), ("c2", "C", 1)]), customers, [CouponRule("*", "percent", 10)],
                               100.0, items=ITEMS, uplift=uplift)
    assert sorted(result.table["value_basis"]) == ["propensity", "uplift"] and result.value_basis == "mixed"


# Two Champions buy C (cost 5, value 10 each), two At risk customers A (cost 2, value 4) and B (cost 1, value 2).
RESERVE_RECS = [("c1", "C", 1), ("c2", "C", 1), ("r1", "A", 1), ("r2", "B", 1)]
RESERVE_SEGMENTS = pd.DataFrame({"customer_id": ["c1", "c2", "r1", "r2"],
                                 "segment": ["champions", "champions", "at_risk", "at_risk"]})


def test_without_a_reserve_the_budget_goes_to_the_highest_value_and_says_why_others_got_none() -> None:
    result = build_coupon_list(recs(RESERVE_RECS), RESERVE_SEGMENTS, [CouponRule("*", "percent", 10)], 10.0, items=ITEMS)
    assert result.table["customer_id"].tolist() == ["c1", "c2"] and result.budget_used == pytest.approx(10.0)
    by_segment = result.by_segment.set_index("segment")
    assert by_segment["status"].to_dict() == {"at_risk": "budget_ran_out", "champions": "reached"}
    assert by_segment.loc["at_risk", ["eligible_customers", "coupons"]].tolist() == [2, 0]


def test_a_reserve_buys_a_segment_its_coupons_and_the_rest_goes_by_value() -> None:
    rules = [CouponRule("*", "percent", 10), CouponRule("at_risk", "percent", 10, budget_share=30)]
    result = build_coupon_list(recs(RESERVE_RECS), RESERVE_SEGMENTS, rules, 10.0, items=ITEMS)
    # reserve 3.00: r1 (2) and r2 (1); the other 7.00 by value: c1 (5), then c2 (5) no longer fits
    assert result.table["customer_id"].tolist() == ["c1", "r1", "r2"]
    assert result.table["expected_value"].tolist() == pytest.approx([10.0, 4.0, 2.0])
    assert result.budget_used == pytest.approx(8.0)
    summary = result.summary().set_index("segment")
    assert summary.loc["at_risk", "expected_cost"] == pytest.approx(3.0)
    assert summary.loc["at_risk", "share_of_budget"] == pytest.approx(0.3)
    assert summary["status"].to_dict() == {"at_risk": "reached", "champions": "reached", "total": ""}


def test_an_unused_reserve_goes_back_to_the_rest_of_the_budget() -> None:
    rules = [CouponRule("*", "percent", 10), CouponRule("lost", "percent", 10, budget_share=80)]
    result = build_coupon_list(recs(RESERVE_RECS), RESERVE_SEGMENTS, rules, 10.0, items=ITEMS)
    assert result.table["customer_id"].tolist() == ["c1", "c2"] and result.budget_used == pytest.approx(10.0)


def test_every_status_of_a_segment_without_coupons() -> None:
    customers = pd.DataFrame({"customer_id": ["c1", "c2", "c3", "c4", "c5"],
                              "segment": ["loyal", "lost", "gone", "deep", "late"]})
    rules = [CouponRule("loyal", "percent", 10), CouponRule("gone", "percent", 10), CouponRule("deep", "percent", 25),
             CouponRule("late", "percent", 10)]
    rows = [("c1", "C", 1), ("c2", "C", 1), ("c3", "C", 1), ("c4", "A", 1), ("c5", "B", 1)]
    result = build_coupon_list(recs(rows), customers, rules, 5.0, items=ITEMS, opted_out=["c3"], margin_floor=0.1)
    # c1 spends the 5.00; c5 (cost 1) finds nothing left; 25% off leaves 5% margin on c4's A, below the 10% floor
    assert result.by_segment.set_index("segment")["status"].to_dict() == {
        "deep": "no_positive_value", "gone": "excluded", "late": "budget_ran_out", "lost": "no_rule", "loyal": "reached",
    }
    assert sorted(result.by_segment["status"]) == sorted(SEGMENT_STATUSES)
    assert result.by_segment.set_index("segment")["eligible_customers"].to_dict() == {
        "deep": 1, "gone": 0, "late": 1, "lost": 0, "loyal": 1,
    }


def test_budget_is_spent_in_order_of_value_skipping_what_no_longer_fits() -> None:
    rows = [(f"c{i}", item, 1) for i, item in enumerate(["C", "C", "A", "B"])]
    result = build_coupon_list(recs(rows), None, [CouponRule("*", "percent", 10)], 11.0, items=ITEMS)
    # costs 5, 5, 2, 1 in value order: 5 + 5 fits, then 2 does not (12 > 11), then 1 does
    assert result.table["customer_id"].tolist() == ["c0", "c1", "c3"]
    assert result.budget_used == pytest.approx(11.0)
    summary = result.summary()
    assert summary["segment"].tolist() == ["unassigned", "total"]
    assert summary.iloc[-1]["coupons"] == 3 and summary.iloc[-1]["share_of_budget"] == pytest.approx(1.0)


def test_max_per_customer() -> None:
    rows = [("c1", "A", 1), ("c1", "B", 2), ("c1", "C", 3)]
    two = build_coupon_list(recs(rows), None, [CouponRule("*", "percent", 10)], 100.0, items=ITEMS, max_per_customer=2)
    # margin left after 10% off, times the rank weight: C 10 x 1/log2(4) = 5, A 4 x 1 = 4, B 2 x 1/log2(3) = 1.26
    assert two.table["item_id"].tolist() == ["C", "A"]
    assert two.table["expected_value"].tolist() == pytest.approx([5.0, 4.0])


def test_margin_floor_drops_deep_discounts() -> None:
    customers = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["deep", "mild"]})
    rules = [CouponRule("deep", "percent", 25), CouponRule("mild", "percent", 10)]
    result = build_coupon_list(recs([("c1", "A", 1), ("c2", "A", 1)]), customers, rules, 100.0, items=ITEMS,
                               margin_floor=0.1)
    # margin 30% of the basket: 25% off leaves 5% (< 10% floor), 10% off leaves 20%
    assert result.table["customer_id"].tolist() == ["c2"]
    assert next(n for n in result.notes if n.code == "below_margin_floor").details == {"rows": 1, "margin_floor": 0.1}
    assert result.summary().set_index("segment").loc["deep", "eligible_customers"] == 1


def test_recent_buyers_and_opt_outs_are_excluded_with_duplicates_noted() -> None:
    history = orders([("c1", "A", "2025-03-30"), ("c2", "A", "2025-01-01"), ("c3", "B", "2025-01-05")])
    rows = [("c1", "C", 1), ("c2", "C", 1), ("c3", "C", 1)]
    result = build_coupon_list(recs(rows), None, [CouponRule("*", "percent", 10)], 100.0, orders=history,
                               items=ITEMS, exclude_bought_within_days=7, opted_out=["c3", "c3", " c3 ", None])
    assert result.table["customer_id"].tolist() == ["c2"]
    assert result.excluded.set_index("customer_id")["reason"].to_dict() == {"c1": "bought_recently", "c3": "opted_out"}
    note = next(n for n in result.notes if n.code == "duplicate_opt_outs")
    assert note.details == {"count": 2, "unique": 1}


def test_propensity_from_order_history() -> None:
    history = orders([("c1", "A", "2025-01-01"), ("c1", "A", "2025-02-15"), ("c1", "B", "2025-03-31")])
    result = build_coupon_list(recs([("c1", "C", 1)]), pd.DataFrame({"customer_id": ["c1"], "segment": ["x"]}),
                               [CouponRule("*", "percent", 10)], 100.0, orders=history, items=ITEMS)
    # 3 orders over 90 days (Jan 1 to the day after Mar 31): rate 1/30 a day, P(buy in 30 days) = 1 - e^-1
    assert result.table["propensity"].iloc[0] == pytest.approx(1 - math.exp(-1))


def test_items_missing_from_the_catalogue_use_order_prices() -> None:
    history = orders([("c1", "Z", "2025-01-01")])
    result = build_coupon_list(recs([("c1", "Z", 1)]), None, [CouponRule("*", "percent", 10)], 100.0,
                               orders=history, items=ITEMS)
    assert result.table["price"].tolist() == [12.0] and result.table["item_name"].tolist() == ["Z"]
    note = next(n for n in result.notes if n.code == "items_not_in_catalogue")
    assert note.details == {"count": 1, "examples": ["Z"]}


def test_segments_without_a_rule_are_noted() -> None:
    customers = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["loyal", "lost"]})
    result = build_coupon_list(recs([("c1", "A", 1), ("c2", "A", 1)]), customers,
                               [CouponRule("loyal", "percent", 10)], 100.0, items=ITEMS)
    assert result.table["customer_id"].tolist() == ["c1"]
    note = next(n for n in result.notes if n.code == "segments_without_rule")
    assert note.details == {"segments": ["lost"], "customers": 1}


@pytest.mark.parametrize("budget", [0, -5, float("nan"), float("inf"), "100"])
def test_budget_must_be_positive(budget) -> None:
    with pytest.raises(SchemaError, match="budget") as caught:
        build_coupon_list(recs([("c1", "A", 1)]), None, None, budget, items=ITEMS)
    assert caught.value.code == "budget_invalid"


def test_budget_smaller_than_one_coupon() -> None:
    with pytest.raises(InsufficientDataError, match="at least 1.00") as caught:
        build_coupon_list(recs([("c1", "B", 1), ("c2", "A", 1)]), None, None, 0.5, items=ITEMS)
    assert caught.value.code == "budget_below_one_coupon" and caught.value.details["cheapest"] == pytest.approx(1.0)


def test_everyone_excluded() -> None:
    with pytest.raises(InsufficientDataError) as caught:
        build_coupon_list(recs([("c1", "A", 1)]), None, None, 10.0, items=ITEMS, opted_out=["c1"])
    assert caught.value.code == "no_eligible_customers" and caught.value.details["excluded"] == 1


def test_recency_exclusion_needs_orders() -> None:
    with pytest.raises(SchemaError, match="orders") as caught:
        build_coupon_list(recs([("c1", "A", 1)]), None, None, 10.0, items=ITEMS, exclude_bought_within_days=7)
    assert caught.value.code == "orders_needed_for_recency"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"max_per_customer": 0}, "max_per_customer_invalid"), ({"margin_floor": 1.5}, "margin_floor_invalid"),
     ({"horizon_days": 0}, "horizon_days_invalid"), ({"margin_rate": -0.1}, "margin_rate_invalid")],
)
def test_bad_parameters(kwargs, code) -> None:
    with pytest.raises(SchemaError) as caught:
        build_coupon_list(recs([("c1", "A", 1)]), None, None, 10.0, items=ITEMS, **kwargs)
    assert caught.value.code == code


def test_recommendations_without_item_column() -> None:
    with pytest.raises(SchemaError, match="item_id") as caught:
        build_coupon_list(pd.DataFrame({"customer_id": ["c1"]}), None, None, 10.0)
    assert caught.value.code == "recommendations_columns_missing"


def test_from_a_fitted_model_on_the_sample_shop(shop_orders, shop_items) -> None:
    from promo_core.recommend import fit_recommender
    from promo_core.segmentation import segment_customers

    model = fit_recommender(shop_orders, algorithm="hybrid", items=shop_items)
    segments = segment_customers(shop_orders).table
    rules = [CouponRule("*", "percent", 10), CouponRule("champions", "free_shipping", 5, 40)]
    result = build_coupon_list(model, segments, rules, 800.0, orders=shop_orders, items=shop_items,
                               exclude_bought_within_days=14, max_per_customer=2)
    table = result.table
    assert 0 < result.budget_used <= 800 and table["code"].is_unique
    assert table.groupby("customer_id").size().max() <= 2
    assert set(table["customer_id"]).isdisjoint(result.excluded["customer_id"])
    assert (table["expected_value"].diff().dropna() <= 1e-12).all()
    champions = table[table["segment"] == "champions"]
    assert champions["coupon_type"].eq("free_shipping").all()
    assert table["reason"].isin(["buy_again", "similar_to", "similar_content", "popular_in_segment", "popular",
                                 "bought_category_often"]).all()
    by_segment = result.summary().set_index("segment")
    assert by_segment.loc["total", "expected_cost"] == pytest.approx(result.budget_used)
    assert (by_segment["customers"] <= by_segment["eligible_customers"]).all()


@pytest.mark.parametrize(("extra", "basis", "margin"), [
    ({}, "assumed", 0.25),                                    # no column: margin_rate for every product
    ({"margin": [0.5, 0.5, 0.5]}, "margin", 0.5),
    ({"cost": [10.0, 5.0, 25.0]}, "cost", 0.5),               # 1 - cost / price
])
def test_margin_basis_says_which_margin_the_values_rest_on(extra, basis, margin) -> None:
    items = ITEMS.assign(**extra)
    assert margin_basis(items) == basis
    result = build_coupon_list(recs([("c1", "A", 1)]), None, [CouponRule("*", "percent", 10)], 100.0, items=items,
                               margin_rate=0.25)
    # basket 20, cost 2: the value is what the margin leaves after the discount
    assert result.table["expected_value"].iloc[0] == pytest.approx(20 * margin - 2)


def test_without_a_catalogue_the_margin_is_assumed() -> None:
    assert margin_basis(None) == "assumed"
    assert margin_basis(ITEMS.drop(columns=["price"]).assign(cost=1.0)) == "assumed"  # a cost needs its price
