"""Invariants of every coupon list: within budget, reserves spent first, nobody excluded, codes unique, the cap kept."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promo_core.coupons import ALPHABET, CouponRule, build_coupon_list
from promo_core.errors import InsufficientDataError

ITEMS = pd.DataFrame({"item_id": [f"I{i}" for i in range(6)], "price": [5.0, 12.5, 20.0, 35.0, 60.0, 99.0]})
RULES = [CouponRule("*", "percent", 15, 10), CouponRule("s1", "fixed", 4, 20), CouponRule("s2", "free_shipping", 3),
         CouponRule("s3", "bundle", 10)]
UNLIMITED = 1e12


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 25))
    customers = [f"C{i}" for i in range(n)]
    rows = []
    for customer in customers:
        items = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4, unique=True))
        rows += [(customer, f"I{item}", rank) for rank, item in enumerate(items, start=1)]
    segments = draw(st.lists(st.sampled_from(["s1", "s2", "s3", "other"]), min_size=n, max_size=n))
    uplift = draw(st.one_of(st.none(), st.lists(st.floats(-0.3, 0.5), min_size=n, max_size=n)))
    return {
        "recs": pd.DataFrame(rows, columns=["customer_id", "item_id", "rank"]),
        "customers": pd.DataFrame({"customer_id": customers, "segment": segments}),
        "uplift": None if uplift is None else pd.DataFrame({"customer_id": customers, "uplift": uplift}),
        "opted_out": draw(st.lists(st.sampled_from(customers), max_size=n)),
        "budget": draw(st.floats(0.01, 300)),
        "cap": draw(st.integers(1, 3)),
        "rules": [replace(rule, budget_share=draw(st.none() | st.floats(0, 25))) for rule in RULES],
    }


def _rule_of(segments: pd.Series) -> pd.Series:
    """The rule each segment's rows fall under ("other" has none of its own)."""
    return segments.where(segments.isin(["s1", "s2", "s3"]), "*")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_coupon_list_invariants(case) -> None:
    def build(budget: float):
        return build_coupon_list(case["recs"], case["customers"], case["rules"], budget, items=ITEMS,
                                 uplift=case["uplift"], opted_out=case["opted_out"], max_per_customer=case["cap"])

    try:
        result = build(case["budget"])
    except InsufficientDataError as error:
        assert error.code in ("budget_below_one_coupon", "no_eligible_customers")
        if error.code == "budget_below_one_coupon":
            assert error.details["cheapest"] > case["budget"]
        return
    table = result.table
    assert result.budget_used <= case["budget"] + 1e-9
    assert table["expected_cost"].sum() == pytest.approx(result.budget_used)
    assert set(table["customer_id"]).isdisjoint(case["opted_out"])
    if case["uplift"] is not None:
        negative = case["uplift"].loc[case["uplift"]["uplift"] < 0, "customer_id"]
        assert set(table["customer_id"]).isdisjoint(negative)
    assert set(table["customer_id"]).isdisjoint(result.excluded["customer_id"])
    assert table["code"].is_unique and all(re.fullmatch(f"[{ALPHABET}]{{12}}", c) for c in table["code"])
    assert table.groupby("customer_id").size().max() <= case["cap"]
    assert (table["expected_value"] > 0).all()
    assert not table.duplicated(["customer_id", "item_id"]).any()
    # Every offer left out is dearer than what was left: of the budget, and of its rule's reserve.
    offers = build(UNLIMITED).table
    left_out = offers[~offers.set_index(["customer_id", "item_id"]).index.isin(table.set_index(["customer_id", "item_id"]).index)]
    assert (left_out["expected_cost"] > case["budget"] - result.budget_used - 1e-9).all()
    for rule in case["rules"]:
        if rule.budget_share is not None:
            spent = table.loc[_rule_of(table["segment"]) == rule.segment, "expected_cost"].sum()
            own = left_out[_rule_of(left_out["segment"]) == rule.segment]
            assert (own["expected_cost"] > case["budget"] * rule.budget_share / 100 - spent - 1e-9).all()
