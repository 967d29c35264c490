"""Coupon codes and rule tables."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from promo_core.coupons import (
    ALPHABET,
    DEFAULT_COUPON_RULES,
    CouponRule,
    coupon_rules_frame,
    generate_codes,
    parse_coupon_rules,
)
from promo_core.errors import SchemaError


def test_codes_are_unique_readable_and_random() -> None:
    codes = generate_codes(20_000)
    assert len(set(codes)) == 20_000
    assert all(re.fullmatch(f"[{ALPHABET}]{{12}}", code) for code in codes)
    assert not set("01ILO") & set(ALPHABET) and len(ALPHABET) == 31
    assert set(generate_codes(100)).isdisjoint(generate_codes(100))


def test_every_character_is_about_equally_likely() -> None:
    letters = pd.Series(list("".join(generate_codes(10_000))))
    shares = letters.value_counts(normalize=True)
    assert len(shares) == len(ALPHABET)
    assert shares.max() < 1.15 / len(ALPHABET) and shares.min() > 0.85 / len(ALPHABET)


def test_prefix_and_length() -> None:
    codes = generate_codes(5, length=8, prefix="SPRING-")
    assert all(code.startswith("SPRING-") and len(code) == 15 for code in codes)


def test_rules_round_trip_through_the_editable_table() -> None:
    rules = (CouponRule("*", "percent", 10, 0), CouponRule("champions", "free_shipping", 6.5, 30, budget_share=25))
    frame = coupon_rules_frame(rules)
    assert frame["budget_share"].dtype == "float64" and frame["budget_share"].isna().tolist() == [True, False]
    parsed = parse_coupon_rules(frame)
    assert parsed == {"*": rules[0], "champions": rules[1]} and parsed["*"].budget_share is None
    assert parse_coupon_rules(None) == {"*": DEFAULT_COUPON_RULES[0]}


def test_blank_minimum_spend_and_reserve_mean_none() -> None:
    frame = pd.DataFrame([{"segment": "at_risk", "coupon_type": "percent", "discount": 15},
                          {"segment": "lost", "coupon_type": "fixed", "discount": 5, "min_spend": None,
                           "budget_share": pd.NA}])
    assert parse_coupon_rules(frame) == {"at_risk": CouponRule("at_risk", "percent", 15, 0, None),
                                         "lost": CouponRule("lost", "fixed", 5, 0, None)}


def test_reserves_above_the_whole_budget() -> None:
    rules = [CouponRule("*", "percent", 10, budget_share=60), CouponRule("at_risk", "percent", 15, budget_share=40.5)]
    with pytest.raises(SchemaError, match="100.5%") as caught:
        parse_coupon_rules(rules)
    assert caught.value.code == "budget_shares_above_100" and caught.value.details["column"] == "budget_share"
    assert caught.value.details["value"] == pytest.approx(100.5)


def test_costs_per_coupon_type() -> None:
    import numpy as np

    price = np.array([20.0, 50.0])
    assert CouponRule("*", "percent", 10, 30).cost(CouponRule("*", "percent", 10, 30).basket(price)).tolist() == [3.0, 5.0]
    assert CouponRule("*", "fixed", 25, 0).cost(price).tolist() == [20.0, 25.0]
    assert CouponRule("*", "free_shipping", 4, 0).cost(price).tolist() == [4.0, 4.0]
    bundle = CouponRule("*", "bundle", 20, 0)
    assert bundle.basket(price).tolist() == [40.0, 100.0] and bundle.cost(bundle.basket(price)).tolist() == [8.0, 20.0]


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        ({"segment": "loyal", "coupon_type": "percent", "discount": 120, "min_spend": 0}, "discount_above_100", "discount"),
        ({"segment": "loyal", "coupon_type": "bundle", "discount": 100.5, "min_spend": 0}, "discount_above_100", "discount"),
        ({"segment": "loyal", "coupon_type": "gift", "discount": 5, "min_spend": 0}, "coupon_type_unknown", "coupon_type"),
        ({"segment": "loyal", "coupon_type": "fixed", "discount": -5, "min_spend": 0}, "coupon_rule_invalid", "discount"),
        ({"segment": "loyal", "coupon_type": "fixed", "discount": "ten", "min_spend": 0}, "coupon_rule_invalid", "discount"),
        ({"segment": " ", "coupon_type": "fixed", "discount": 5, "min_spend": 0}, "coupon_rule_invalid", "segment"),
        ({"segment": "loyal", "coupon_type": "fixed", "discount": 5, "min_spend": -1}, "coupon_rule_invalid", "min_spend"),
        ({"segment": "loyal", "coupon_type": "fixed", "discount": 5, "min_spend": 0, "budget_share": -10}, "coupon_rule_invalid", "budget_share"),
        ({"segment": "loyal", "coupon_type": "fixed", "discount": 5, "min_spend": 0, "budget_share": "half"}, "coupon_rule_invalid", "budget_share"),
    ],
)
def test_bad_rule_names_row_and_column(row, code, column) -> None:
    frame = pd.DataFrame([{"segment": "*", "coupon_type": "percent", "discount": 10, "min_spend": 0}, row])
    with pytest.raises(SchemaError, match="rule 2") as caught:
        parse_coupon_rules(frame)
    assert caught.value.code == code and caught.value.details["row"] == 2 and caught.value.details["column"] == column


def test_fixed_amount_above_100_is_fine() -> None:
    assert parse_coupon_rules([CouponRule("*", "fixed", 150, 500)])["*"].discount == 150


def test_duplicate_segment_rule() -> None:
    with pytest.raises(SchemaError, match="loyal") as caught:
        parse_coupon_rules([CouponRule("loyal", "percent", 10), CouponRule("loyal", "fixed", 5)])
    assert caught.value.code == "duplicate_segment_rule" and caught.value.details["row"] == 2


def test_empty_rule_table() -> None:
    with pytest.raises(SchemaError) as caught:
        parse_coupon_rules(coupon_rules_frame(()))
    assert caught.value.code == "coupon_rules_invalid"
