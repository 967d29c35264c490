"""Coupon lists: which customer gets which offer and code, ranked by expected value within a budget and its reserves."""

from promo_core.coupons.build import (
    COUPON_COLUMNS,
    MARGIN_BASES,
    SEGMENT_STATUSES,
    CouponList,
    build_coupon_list,
    margin_basis,
)
from promo_core.coupons.codes import ALPHABET, generate_codes
from promo_core.coupons.rules import (
    ANY_SEGMENT,
    COUPON_TYPES,
    DEFAULT_COUPON_RULES,
    CouponRule,
    coupon_rules_frame,
    parse_coupon_rules,
)

__all__ = [
    "ALPHABET",
    "ANY_SEGMENT",
    "COUPON_COLUMNS",
    "COUPON_TYPES",
    "DEFAULT_COUPON_RULES",
    "MARGIN_BASES",
    "SEGMENT_STATUSES",
    "CouponList",
    "CouponRule",
    "build_coupon_list",
    "coupon_rules_frame",
    "generate_codes",
    "margin_basis",
    "parse_coupon_rules",
]
