"""Segment moves: each customer's RFM segment at two dates, and how many moved between each pair.

Each date sees only the orders up to it (scores are re-ranked within that date's customers), so the
start segments are what a marketer would have seen then. Customers whose first order falls after
``start`` come from ``NOT_YET_CUSTOMER``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.segmentation.lines import AnalysisNote, customer_lines
from promo_core.segmentation.rfm import SegmentRule, parse_rules, score_lines, segment_codes

NOT_YET_CUSTOMER = "not_yet_customer"


@dataclass(frozen=True, eq=False)
class SegmentMoves:
    """Per-customer (from, to) segments and the from x to count matrix."""

    start: pd.Timestamp
    end: pd.Timestamp
    customers: pd.DataFrame  # customer_id, from_segment, to_segment
    matrix: pd.DataFrame  # rows: from segment (NOT_YET_CUSTOMER first), columns: to segment
    notes: tuple[AnalysisNote, ...]

    def summary(self) -> pd.DataFrame:
        """One row per non-empty (from_segment, to_segment) pair: customers and their share of the from segment.

        Rows follow the matrix's from order, the largest move first within each from segment.
        """
        long = self.matrix.rename_axis(index="from_segment", columns="to_segment").stack().rename("customers")
        pairs = long[long > 0].reset_index().astype({"from_segment": "str", "to_segment": "str"})
        position = pairs["from_segment"].map({code: i for i, code in enumerate(self.matrix.index)})
        pairs = pairs.iloc[np.lexsort((-pairs["customers"].to_numpy(), position.to_numpy()))]
        pairs["share"] = pairs["customers"] / pairs.groupby("from_segment")["customers"].transform("sum")
        return pairs.reset_index(drop=True)


def segment_moves(
    orders: pd.DataFrame,
    start: object,
    end: object,
    rules: Sequence[SegmentRule] | pd.DataFrame | None = None,
) -> SegmentMoves:
    """Segments at ``start`` and at ``end`` (both inclusive dates) and the moves between them."""
    parsed = parse_rules(rules)
    end_lines = customer_lines(orders, end)
    try:
        start_lines = customer_lines(orders, start)
    except InsufficientDataError as error:
        raise InsufficientDataError(
            f"No customer ordered on or before the start date {start}; pick a later start.",
            code="no_customers_at_start",
            start=str(start),
        ) from error
    if start_lines.as_of >= end_lines.as_of:
        raise SchemaError(
            f"The start date {start_lines.as_of.date()} is not before the end date {end_lines.as_of.date()}; "
            "pick an earlier start.",
            code="start_not_before_end",
            start=str(start_lines.as_of.date()),
            end=str(end_lines.as_of.date()),
        )
    before, _ = score_lines(start_lines, parsed)
    after, _ = score_lines(end_lines, parsed)
    moved = after[["customer_id", "segment"]].rename(columns={"segment": "to_segment"}).merge(
        before[["customer_id", "segment"]].rename(columns={"segment": "from_segment"}), on="customer_id", how="left"
    )
    moved["from_segment"] = moved["from_segment"].fillna(NOT_YET_CUSTOMER)
    moved = moved[["customer_id", "from_segment", "to_segment"]]
    return SegmentMoves(
        start=start_lines.as_of,
        end=end_lines.as_of,
        customers=moved,
        matrix=_matrix(moved, parsed),
        notes=end_lines.notes(),
    )


def _matrix(moved: pd.DataFrame, rules: Sequence[SegmentRule]) -> pd.DataFrame:
    order = segment_codes(rules)
    counts = pd.crosstab(moved["from_segment"], moved["to_segment"])
    return counts.reindex(index=[NOT_YET_CUSTOMER, *order], columns=order, fill_value=0).astype("int64")
