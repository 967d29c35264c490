"""Who gets which coupon: recommendations priced, filtered and ranked by expected value within budget.

For each recommended (customer, item) the coupon of the customer's segment sets the basket (the item,
two for a bundle, at least the minimum spend) and the cost of one redemption. The chance that the
customer buys in the next ``horizon_days`` (their past order rate, or a ``propensity`` column the
caller supplies, e.g. from CLV) is discounted by the item's rank in their list (1 / log2(rank + 1),
the NDCG weight). Then, per row:

- with uplift (the extra purchase probability a coupon causes): expected value = uplift x margin
  after discount - propensity x cost, since customers who would buy anyway also redeem; the
  expected cost is (propensity + uplift) x cost;
- without: expected value = propensity x margin after discount; expected cost = propensity x cost.

Rows are taken in order of expected value, at most ``max_per_customer`` per customer, while the
expected cost fits the budget (a coupon too dear for what is left is skipped, cheaper ones still fit).
A rule with a ``budget_share`` first spends its reserve on its own rows, in the same order; what no
reserve holds or uses goes to every row. Without reserves the budget goes to the likeliest buyers,
so segments such as At risk can get nothing; ``by_segment.status`` says why a segment got no coupon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.coupons.codes import CODE_LENGTH, generate_codes
from promo_core.coupons.rules import ANY_SEGMENT, CouponRule, parse_coupon_rules
from promo_core.errors import InsufficientDataError, PromoCoreError, SchemaError
from promo_core.recommend import Recommender
from promo_core.recommend.interactions import purchase_lines
from promo_core.segmentation import UNASSIGNED, AnalysisNote, segment_customers
from promo_core.tables import require_columns

SEGMENT_STATUSES = ("reached", "budget_ran_out", "no_positive_value", "excluded", "no_rule")
"""Why a segment got what it got: coupons, none because the budget was spent on higher expected values,
none because no offer had a price and a positive value within the margin floor, every customer left
out, or no rule for it."""
COUPON_COLUMNS = (
    "customer_id", "segment", "item_id", "item_name", "coupon_type", "discount", "min_spend", "code", "price",
    "propensity", "uplift", "expected_cost", "expected_value", "value_basis", "reason", "reason_params",
)


@dataclass(frozen=True, eq=False)
class CouponList:
    """The coupons to send, who was left out and why, and the budget they use."""

    table: pd.DataFrame  # one row per coupon, COUPON_COLUMNS, highest expected value first
    by_segment: pd.DataFrame  # segment, eligible_customers, customers, coupons, expected_cost, expected_value, status
    excluded: pd.DataFrame  # customer_id, reason (opted_out, bought_recently, negative_uplift)
    budget: float
    budget_used: float
    notes: tuple[AnalysisNote, ...]

    def summary(self) -> pd.DataFrame:
        """Per segment, then a total row: customers reached, coupons, expected cost and value, budget share."""
        total = self.by_segment.drop(columns=["segment"]).sum(numeric_only=True).to_frame().T
        total.insert(0, "segment", "total")
        table = pd.concat([self.by_segment, total.assign(status="")], ignore_index=True)
        table = table.astype({"eligible_customers": "int64", "customers": "int64", "coupons": "int64"})
        table["share_of_budget"] = table["expected_cost"] / self.budget
        return table

    def notes_table(self) -> pd.DataFrame:
        return pd.DataFrame({"code": [n.code for n in self.notes], "details": [dict(n.details) for n in self.notes]})

    @property
    def value_basis(self) -> str:
        """"uplift" when every coupon's value is incremental, "propensity" when none is, else "mixed".

        Without uplift the expected value counts customers who would have bought anyway, so the UI
        must not present it as what the coupons earn.
        """
        bases = set(self.table["value_basis"])
        return bases.pop() if len(bases) == 1 else "mixed"


def build_coupon_list(
    recommendations: pd.DataFrame | Recommender,
    customers: pd.DataFrame | None,
    rules: Sequence[CouponRule] | pd.DataFrame | None,
    budget: float,
    *,
    orders: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    uplift: pd.DataFrame | None = None,
    max_per_customer: int = 1,
    exclude_bought_within_days: int | None = None,
    opted_out: Iterable[object] = (),
    margin_rate: float = 0.3,
    margin_floor: float = 0.0,
    horizon_days: int = 30,
    candidates_per_customer: int = 3,
    mode: str = "all",
    code_length: int = CODE_LENGTH,
    code_prefix: str = "",
) -> CouponList:
    """Coupons for the customers with the highest expected value until the expected cost reaches ``budget``.

    ``recommendations`` is a frame from ``Recommender.recommend`` (customer_id, item_id, rank, reason,
    ...) or a fitted model, asked for ``candidates_per_customer`` items in ``mode``. ``customers`` holds
    customer_id and segment (``None``: RFM segments of ``orders``) and may hold a ``propensity``
    column. ``rules`` per segment (``None``: 10% off for everyone). ``items`` gives price and, optionally,
    ``cost`` or ``margin`` (a share of price); otherwise ``margin_rate`` applies (``margin_basis`` says
    which). ``margin_floor`` is the least margin left after the discount, as a share
    of the basket. ``uplift`` is a frame customer_id, uplift (as ``fit_uplift(...).scores``).
    """
    _check_parameters(budget, max_per_customer, margin_rate, margin_floor, horizon_days, exclude_bought_within_days)
    rule_by_segment = parse_coupon_rules(rules)
    notes: list[AnalysisNote] = []
    lines = purchase_lines(orders) if orders is not None else None
    candidates = _candidates(recommendations, customers, candidates_per_customer, mode)
    segments = _segments(customers, orders, notes)
    candidates["segment"] = candidates["customer_id"].map(segments).astype("str").fillna(UNASSIGNED)
    recommended = candidates["segment"].unique()
    candidates = _apply_rules(candidates, rule_by_segment, notes)
    with_rule = set(candidates["segment"])
    opted = _opted_out(opted_out, notes)
    uplift_of = _uplift(uplift)
    excluded = _exclusions(candidates["customer_id"].unique(), opted, lines, exclude_bought_within_days, uplift_of)
    candidates = candidates[~candidates["customer_id"].isin(excluded["customer_id"])]
    eligible = candidates.groupby("segment")["customer_id"].nunique()
    candidates = _price(candidates, items, orders, margin_rate, notes)
    candidates = _value(candidates, customers, lines, uplift_of, horizon_days, margin_floor, rule_by_segment, notes)
    if candidates.empty:
        raise InsufficientDataError(
            f"No customer is left to offer a coupon ({len(excluded)} excluded; see the notes for rows without a "
            "rule, a price or a positive expected value). Loosen the exclusions or the margin floor.",
            code="no_eligible_customers",
            excluded=len(excluded),
        )
    reserves = {code: budget * rule.budget_share / 100 for code, rule in rule_by_segment.items() if rule.budget_share}
    chosen = _within_budget(candidates, budget, max_per_customer, reserves)
    table = chosen.assign(code=generate_codes(len(chosen), code_length, code_prefix))
    table = table.reindex(columns=list(COUPON_COLUMNS)).reset_index(drop=True)
    return CouponList(
        table=table,
        by_segment=_by_segment(table, recommended, with_rule, eligible, set(candidates["segment"])),
        excluded=excluded,
        budget=float(budget),
        budget_used=float(table["expected_cost"].sum()),
        notes=tuple(notes),
    )


def _check_parameters(budget, max_per_customer, margin_rate, margin_floor, horizon_days, recent_days) -> None:
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.number)) or not np.isfinite(budget) \
            or budget <= 0:
        raise SchemaError(
            f"The budget must be a positive amount, not {budget!r}; set how much the coupons may cost in total.",
            code="budget_invalid",
            budget=str(budget),
        )
    whole = {"max_per_customer": max_per_customer, "horizon_days": horizon_days}
    if recent_days is not None:
        whole["exclude_bought_within_days"] = recent_days
    for name, value in whole.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise SchemaError(f"{name} must be a whole number of at least 1, not {value!r}.",
                              code=f"{name}_invalid", value=str(value))
    for name, value in (("margin_rate", margin_rate), ("margin_floor", margin_floor)):
        if not 0 <= value <= 1:
            raise SchemaError(f"{name} is a share of the price between 0 and 1, not {value!r}.",
                              code=f"{name}_invalid", value=str(value))


def _candidates(recommendations, customers, per_customer: int, mode: str) -> pd.DataFrame:
    if isinstance(recommendations, Recommender):
        ids = None if customers is None or "customer_id" not in customers else customers["customer_id"]
        recommendations = recommendations.recommend(ids, n=per_customer, mode=mode)
    require_columns(
        recommendations, ("customer_id", "item_id"), "recommendations",
        name="recommendation table", fix="pass Recommender.recommend(...) output",
    )
    frame = recommendations.dropna(subset=["customer_id", "item_id"])
    frame = frame.assign(customer_id=frame["customer_id"].astype("str"), item_id=frame["item_id"].astype("str"))
    if "rank" not in frame:
        frame = frame.assign(rank=frame.groupby("customer_id").cumcount() + 1)
    for column, default in (("item_name", None), ("reason", None), ("reason_params", None)):
        if column not in frame:
            frame = frame.assign(**{column: default})
    frame = frame.drop_duplicates(["customer_id", "item_id"])
    return frame[["customer_id", "item_id", "item_name", "rank", "reason", "reason_params"]].reset_index(drop=True)


def _segments(customers: pd.DataFrame | None, orders: pd.DataFrame | None, notes: list) -> pd.Series:
    if customers is not None and "segment" in customers:
        frame = customers.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
        return pd.Series(frame["segment"].astype("str").to_numpy(), index=frame["customer_id"].astype("str"))
    if orders is not None:
        try:
            table = segment_customers(orders).table
            return pd.Series(table["segment"].to_numpy(), index=table["customer_id"].astype("str"))
        except PromoCoreError as error:
            notes.append(AnalysisNote("segments_unavailable", {"error": error.code}))
    return pd.Series([], dtype="str")


def _apply_rules(candidates: pd.DataFrame, rules: dict[str, CouponRule], notes: list) -> pd.DataFrame:
    has_rule = candidates["segment"].isin(list(rules)) | (ANY_SEGMENT in rules)
    if not has_rule.all():
        left = candidates[~has_rule]
        notes.append(AnalysisNote("segments_without_rule", {
            "segments": sorted(left["segment"].unique().tolist()), "customers": int(left["customer_id"].nunique()),
        }))
    return candidates[has_rule].assign(
        rule=candidates.loc[has_rule, "segment"].map(lambda s: s if s in rules else ANY_SEGMENT)
    )


def _opted_out(opted_out: Iterable[object], notes: list) -> set[str]:
    ids = pd.Series(list(opted_out), dtype=object).dropna().astype("str").str.strip()
    duplicates = int(ids.duplicated().sum())
    if duplicates:
        notes.append(AnalysisNote("duplicate_opt_outs", {"count": duplicates, "unique": int(ids.nunique())}))
    return set(ids)


def _uplift(uplift: pd.DataFrame | None) -> pd.Series | None:
    if uplift is None:
        return None
    require_columns(uplift, ("customer_id", "uplift"), "uplift", name="uplift score table", fix="pass fit_uplift(...).scores")
    frame = uplift.dropna(subset=["customer_id", "uplift"]).drop_duplicates("customer_id")
    return pd.Series(frame["uplift"].to_numpy(dtype=float), index=frame["customer_id"].astype("str"))


def _exclusions(customer_ids, opted: set[str], lines, recent_days: int | None, uplift_of) -> pd.DataFrame:
    """Customers left out, each with the first reason that applies."""
    ids = pd.Index(customer_ids, dtype="str")
    reason = pd.Series(pd.NA, index=ids, dtype=object)
    if uplift_of is not None:
        negative = uplift_of.reindex(ids) < 0
        reason[negative.to_numpy()] = "negative_uplift"
    if recent_days is not None:
        if lines is None:
            raise SchemaError(
                "Excluding recent buyers needs the orders table; pass orders=... or drop the exclusion.",
                code="orders_needed_for_recency",
            )
        since = int(lines["day"].max()) + 1 - recent_days
        recent = set(lines.loc[lines["day"] >= since, "customer_id"])
        reason[ids.isin(list(recent))] = "bought_recently"
    reason[ids.isin(list(opted))] = "opted_out"
    reason = reason.dropna()
    return pd.DataFrame({"customer_id": reason.index.astype("str"), "reason": reason.to_numpy(dtype=object)})


MARGIN_BASES = ("cost", "margin", "assumed")
"""Where each product's margin comes from: the catalogue's cost (with its price), its margin column
(a share of price), or ``margin_rate`` for every product."""


def margin_basis(items: pd.DataFrame | None) -> str:
    """Which of MARGIN_BASES ``build_coupon_list`` uses for this catalogue.

    The margin behind every expected value is an assumption unless the catalogue has it, so the UI
    must be able to say which one is in use; products the column leaves empty get ``margin_rate``.
    """
    columns = set(items.columns) if items is not None else set()
    if {"cost", "price"} <= columns:
        return "cost"
    return "margin" if "margin" in columns else "assumed"


def _price(candidates, items: pd.DataFrame | None, orders, margin_rate: float, notes: list) -> pd.DataFrame:
    """Price and margin rate per row: the catalogue, else the median price paid in the orders."""
    price = pd.Series(np.nan, index=pd.Index(candidates["item_id"].unique(), dtype="str"))
    margin = pd.Series(margin_rate, index=price.index)
    names = pd.Series(pd.NA, index=price.index, dtype=object)
    basis = margin_basis(items)
    if items is not None:
        catalogue = items.dropna(subset=["item_id"]).drop_duplicates("item_id")
        catalogue = catalogue.set_index(catalogue["item_id"].astype("str"))
        known = price.index.isin(catalogue.index)
        if not known.all():
            notes.append(AnalysisNote("items_not_in_catalogue", {
                "count": int((~known).sum()), "examples": price.index[~known][:5].tolist(),
            }))
        if "price" in catalogue:
            price = pd.to_numeric(catalogue["price"], errors="coerce").reindex(price.index)
        if basis == "cost":
            cost_margin = 1 - pd.to_numeric(catalogue["cost"], errors="coerce") / price.reindex(catalogue.index)
            margin = cost_margin.reindex(margin.index).fillna(margin)
        elif basis == "margin":
            margin = pd.to_numeric(catalogue["margin"], errors="coerce").reindex(margin.index).fillna(margin)
        if "item_name" in catalogue:
            names = catalogue["item_name"].reindex(names.index)
    if orders is not None and price.isna().any():
        price = price.fillna(_median_prices(orders, price.index[price.isna()]))
    unpriced = price.isna() | (price <= 0)
    if unpriced.any():
        notes.append(AnalysisNote("items_without_price", {
            "count": int(unpriced.sum()), "examples": price.index[unpriced][:5].tolist(),
        }))
    frame = candidates.assign(
        price=candidates["item_id"].map(price),
        margin_rate=candidates["item_id"].map(margin.clip(0, 1)),
        item_name=candidates["item_name"].fillna(candidates["item_id"].map(names)).fillna(candidates["item_id"]),
    )
    return frame[frame["price"].notna() & (frame["price"] > 0)]


def _median_prices(orders: pd.DataFrame, item_ids: pd.Index) -> pd.Series:
    """Median unit price paid per item (unit_price, else amount / quantity) over positive lines."""
    if "unit_price" in orders:
        unit = pd.to_numeric(orders["unit_price"], errors="coerce")
    elif {"amount", "quantity"} <= set(orders.columns):
        unit = orders["amount"] / orders["quantity"].where(orders["quantity"] > 0)
    else:
        return pd.Series(dtype=float)
    frame = pd.DataFrame({"item_id": orders["item_id"].astype("str"), "unit": unit})
    frame = frame[frame["item_id"].isin(item_ids) & (frame["unit"] > 0)]
    return frame.groupby("item_id")["unit"].median()


def _propensity(candidates, customers, lines, horizon_days: int, notes: list) -> pd.Series:
    """P(buy within the horizon) per customer: a supplied column, else 1 - exp(-order rate x horizon)."""
    ids = pd.Index(candidates["customer_id"].unique(), dtype="str")
    if customers is not None and "propensity" in customers:
        given = customers.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
        given = pd.Series(pd.to_numeric(given["propensity"], errors="coerce").to_numpy(),
                          index=given["customer_id"].astype("str"))
        return given.reindex(ids).clip(0, 1).fillna(0.0)
    if lines is None:
        notes.append(AnalysisNote("propensity_not_estimated", {"customers": len(ids)}))
        return pd.Series(1.0, index=ids)
    as_of = int(lines["day"].max()) + 1
    per = lines.groupby("customer_id").agg(first=("day", "min"), orders=("basket", "nunique"))
    rate = per["orders"] / np.maximum(as_of - per["first"], horizon_days)
    return (1 - np.exp(-rate * horizon_days)).reindex(ids).fillna(0.0)


def _value(candidates, customers, lines, uplift_of, horizon_days, margin_floor, rules, notes) -> pd.DataFrame:
    frame = candidates.reset_index(drop=True)
    basket = np.zeros(len(frame))
    cost = np.zeros(len(frame))
    for code, rule in rules.items():
        rows = (frame["rule"] == code).to_numpy()
        basket[rows] = rule.basket(frame["price"].to_numpy()[rows])
        cost[rows] = rule.cost(basket[rows])
    left = basket * frame["margin_rate"].to_numpy() - cost
    floor_ok = left >= margin_floor * basket
    if not floor_ok.all():
        notes.append(AnalysisNote("below_margin_floor", {"rows": int((~floor_ok).sum()), "margin_floor": margin_floor}))
    weight = 1.0 / np.log2(frame["rank"].to_numpy(dtype=float) + 1)
    propensity = frame["customer_id"].map(_propensity(frame, customers, lines, horizon_days, notes)).to_numpy()
    propensity = propensity * weight
    uplift = np.full(len(frame), np.nan)
    if uplift_of is not None:
        uplift = frame["customer_id"].map(uplift_of).to_numpy(dtype=float) * weight
        if np.isnan(uplift).any():
            notes.append(AnalysisNote("uplift_missing", {
                "customers": int(frame.loc[np.isnan(uplift), "customer_id"].nunique()),
            }))
    known = ~np.isnan(uplift)
    value = np.where(known, np.nan_to_num(uplift) * left - propensity * cost, propensity * left)
    expected_cost = np.where(known, np.minimum(propensity + np.nan_to_num(uplift), 1.0), propensity) * cost
    rule_of = frame["rule"].map(rules)
    frame = frame.assign(
        coupon_type=rule_of.map(lambda r: r.coupon_type), discount=rule_of.map(lambda r: r.discount),
        min_spend=rule_of.map(lambda r: r.min_spend), propensity=propensity, uplift=uplift,
        expected_cost=expected_cost, expected_value=value, value_basis=np.where(known, "uplift", "propensity"),
    )
    keep = floor_ok & (value > 0) & (expected_cost > 0)
    dropped = int((floor_ok & ~keep).sum())
    if dropped:
        notes.append(AnalysisNote("no_positive_value", {"rows": dropped}))
    return frame[keep]


def _within_budget(
    candidates: pd.DataFrame, budget: float, max_per_customer: int, reserves: Mapping[str, float]
) -> pd.DataFrame:
    """The rows to send: each rule's reserve on its own rows, then what is left of the budget on any row."""
    ranked = candidates.sort_values(["expected_value", "customer_id", "rank"], ascending=[False, True, True])
    ranked = ranked[ranked.groupby("customer_id").cumcount() < max_per_customer]
    cheapest = float(ranked["expected_cost"].min())
    if cheapest > budget:
        raise InsufficientDataError(
            f"The budget {budget:,.2f} is smaller than the cheapest coupon's expected cost {cheapest:,.2f}; "
            f"raise the budget to at least {cheapest:,.2f} or lower the discounts.",
            code="budget_below_one_coupon",
            budget=float(budget),
            cheapest=cheapest,
        )
    costs = ranked["expected_cost"].to_numpy(dtype=float)
    take = np.zeros(len(ranked), dtype=bool)
    rule = ranked["rule"].to_numpy()
    for code, amount in reserves.items():
        _fill(costs, take, rule == code, amount)
    _fill(costs, take, np.ones(len(ranked), dtype=bool), float(budget) - float(costs[take].sum()))
    return ranked[take]


def _fill(costs: np.ndarray, take: np.ndarray, allowed: np.ndarray, amount: float) -> None:
    """Mark the allowed rows not yet taken, in order, while their cost fits ``amount``; a dear one is skipped."""
    left = amount
    for position in np.flatnonzero(allowed & ~take).tolist():
        if costs[position] <= left:
            take[position] = True
            left -= costs[position]


def _by_segment(
    table: pd.DataFrame, recommended: np.ndarray, with_rule: set[str], eligible: pd.Series, valued: set[str]
) -> pd.DataFrame:
    """What each segment with recommendations got and, in ``status``, why one got nothing."""
    reached = table.groupby("segment").agg(
        customers=("customer_id", "nunique"), coupons=("code", "size"),
        expected_cost=("expected_cost", "sum"), expected_value=("expected_value", "sum"),
    )
    index = pd.Index(sorted(recommended), dtype="str")
    frame = reached.reindex(index).fillna(0).assign(eligible_customers=eligible.reindex(index).fillna(0))
    frame = frame.astype({"customers": "int64", "coupons": "int64", "eligible_customers": "int64"})
    frame["status"] = np.select(
        [frame["coupons"] > 0, ~index.isin(list(with_rule)), frame["eligible_customers"] == 0, ~index.isin(list(valued))],
        ["reached", "no_rule", "excluded", "no_positive_value"],
        default="budget_ran_out",
    )
    frame = frame.reset_index(names="segment")
    return frame[["segment", "eligible_customers", "customers", "coupons", "expected_cost", "expected_value", "status"]]
