"""Coupon rules per segment: which coupon type, how much off, the minimum spend and a budget reserve.

The rule for segment ``"*"`` applies to every segment without its own rule. Discounts are in the
unit of the coupon type: percent off for ``percent`` and ``bundle`` (0-100), a money amount for
``fixed`` and ``free_shipping`` (the shipping cost the shop pays). ``budget_share`` (percent, empty
for none) keeps part of the budget for the rule's customers: ranked by expected value alone, the
budget goes to the likeliest buyers and a segment such as At risk may get nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from promo_core.errors import SchemaError

COUPON_TYPES = ("percent", "fixed", "free_shipping", "bundle")
ANY_SEGMENT = "*"


@dataclass(frozen=True)
class CouponRule:
    """Offer ``coupon_type`` worth ``discount`` above ``min_spend`` to customers of ``segment``.

    ``budget_share``: the percent of the budget reserved for them (``None``: no reserve).
    """

    segment: str
    coupon_type: str
    discount: float
    min_spend: float = 0.0
    budget_share: float | None = None

    def basket(self, price: np.ndarray) -> np.ndarray:
        """What a redeeming customer spends: the item (two for a bundle), at least the minimum spend."""
        return np.maximum(price * (2 if self.coupon_type == "bundle" else 1), self.min_spend)

    def cost(self, basket: np.ndarray) -> np.ndarray:
        """What one redemption costs the shop."""
        if self.coupon_type in ("percent", "bundle"):
            return basket * self.discount / 100
        if self.coupon_type == "fixed":
            return np.minimum(self.discount, basket)
        return np.full(len(basket), float(self.discount))


DEFAULT_COUPON_RULES: tuple[CouponRule, ...] = (CouponRule(ANY_SEGMENT, "percent", 10.0, 0.0),)
RULE_COLUMNS = tuple(f.name for f in fields(CouponRule))


def coupon_rules_frame(rules: Sequence[CouponRule] = DEFAULT_COUPON_RULES) -> pd.DataFrame:
    """The rules as an editable table, one row per segment (an empty reserve is NaN, so the column is numeric)."""
    frame = pd.DataFrame([asdict(rule) for rule in rules], columns=list(RULE_COLUMNS))
    return frame.astype({"discount": "float64", "min_spend": "float64", "budget_share": "float64"})


def parse_coupon_rules(rules: Sequence[CouponRule] | pd.DataFrame | None) -> dict[str, CouponRule]:
    """Rules by segment from a rule sequence or an edited table, checked cell by cell."""
    if rules is None:
        rules = DEFAULT_COUPON_RULES
    frame = rules if isinstance(rules, pd.DataFrame) else coupon_rules_frame(rules)
    missing = [c for c in RULE_COLUMNS[:3] if c not in frame.columns]
    if missing or frame.empty:
        raise SchemaError(
            f"The coupon rule table needs the columns {', '.join(RULE_COLUMNS[:3])} and at least one row; "
            "restore the default rules and edit from there.",
            code="coupon_rules_invalid",
            columns=", ".join(missing),
        )
    parsed: dict[str, CouponRule] = {}
    for position, row in enumerate(frame.to_dict("records"), start=1):
        rule = _parse_rule(row, position)
        if rule.segment in parsed:
            raise SchemaError(
                f"Coupon rules {position} and an earlier row are both for segment {rule.segment!r}; keep one.",
                code="duplicate_segment_rule",
                row=position,
                column="segment",
                segment=rule.segment,
            )
        parsed[rule.segment] = rule
    reserved = sum(rule.budget_share or 0.0 for rule in parsed.values())
    if reserved > 100:
        raise SchemaError(
            f"The coupon rules reserve {reserved:g}% of the budget in total (column 'budget_share'); "
            "lower the reserves to 100% or less.",
            code="budget_shares_above_100",
            column="budget_share",
            value=reserved,
        )
    return parsed


def _parse_rule(row: dict, position: int) -> CouponRule:
    segment = row.get("segment")
    if not isinstance(segment, str) or not segment.strip():
        raise SchemaError(
            f"Coupon rule {position} has no segment in column 'segment'; type a segment (or * for all).",
            code="coupon_rule_invalid",
            row=position,
            column="segment",
        )
    kind = row.get("coupon_type")
    if kind not in COUPON_TYPES:
        raise SchemaError(
            f"Coupon rule {position} has coupon type {kind!r}; use one of {', '.join(COUPON_TYPES)}.",
            code="coupon_type_unknown",
            row=position,
            column="coupon_type",
            value=str(kind),
        )
    discount = _number(row.get("discount"), position, "discount")
    if kind in ("percent", "bundle") and discount > 100:
        raise SchemaError(
            f"Coupon rule {position} ({segment}) gives {discount:g}% off; a discount cannot exceed 100%.",
            code="discount_above_100",
            row=position,
            column="discount",
            value=discount,
        )
    spend, share = row.get("min_spend"), row.get("budget_share")
    min_spend = 0.0 if _empty(spend) else _number(spend, position, "min_spend")
    budget_share = None if _empty(share) else _number(share, position, "budget_share")
    return CouponRule(segment.strip(), kind, discount, min_spend, budget_share)


def _empty(value: object) -> bool:
    """A cell left blank in the editor (no minimum spend, no reserve)."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _number(value: object, position: int, column: str) -> float:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number) or not np.isfinite(number) or number < 0:
        raise SchemaError(
            f"Coupon rule {position} has {value!r} in column '{column}'; use a number of at least 0.",
            code="coupon_rule_invalid",
            row=position,
            column=column,
            value=str(value),
        )
    return float(number)
