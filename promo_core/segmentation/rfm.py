"""RFM scores and named segments from an editable rule table over the R and F scores.

Scores are rank-based quintiles: customers are ordered by the measure, ties broken by the other two
measures and then by customer id, and cut into five equal groups. ``pd.qcut`` on raw values would
leave scores empty (duplicate bin edges) as soon as most customers bought once, so every score 1-5
here holds a fifth of the customers. A measure that is the same for everyone scores 3 throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from promo_core.errors import SchemaError
from promo_core.segmentation.lines import AnalysisNote, CustomerLines, customer_lines

LEVELS = 5
UNASSIGNED = "unassigned"
MONEY_DECIMALS = 6
"""Net spend is rounded to this many decimals, far below any currency's smallest unit, so that a
purchase returned in full nets to 0 rather than float residue such as 8.9e-16."""


@dataclass(frozen=True)
class SegmentRule:
    """Customers whose R score lies in [r_min, r_max] and F score in [f_min, f_max] form ``segment``."""

    segment: str
    r_min: int
    r_max: int
    f_min: int
    f_max: int


DEFAULT_SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule("champions", 5, 5, 4, 5),
    SegmentRule("loyal", 3, 4, 4, 5),
    SegmentRule("potential_loyalist", 4, 5, 2, 3),
    SegmentRule("new", 5, 5, 1, 1),
    SegmentRule("promising", 4, 4, 1, 1),
    SegmentRule("needs_attention", 3, 3, 3, 3),
    SegmentRule("about_to_sleep", 3, 3, 1, 2),
    SegmentRule("cant_lose", 1, 2, 5, 5),
    SegmentRule("at_risk", 1, 2, 3, 4),
    SegmentRule("lost", 1, 1, 1, 1),
    SegmentRule("hibernating", 1, 2, 1, 2),
)
"""The widely used 11-segment R x F map; the first rule that covers a cell wins."""

RULE_COLUMNS = tuple(f.name for f in fields(SegmentRule))
RFM_COLUMNS = (
    "customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "segment", "returns_only",
)


@dataclass(frozen=True, eq=False)
class SegmentationResult:
    """RFM table (one row per customer), per-segment summary, and what was left out or noticed."""

    table: pd.DataFrame
    segment_summary: pd.DataFrame
    as_of: pd.Timestamp
    rules: tuple[SegmentRule, ...]
    excluded_guest_lines: int
    excluded_future_lines: int
    notes: tuple[AnalysisNote, ...]

    def summary(self) -> pd.DataFrame:
        """Per segment: customers, share, revenue, share of revenue, mean recency/frequency/monetary."""
        return self.segment_summary


def rules_frame(rules: Sequence[SegmentRule] = DEFAULT_SEGMENT_RULES) -> pd.DataFrame:
    """The rules as an editable table (one row per rule, in priority order)."""
    return pd.DataFrame([asdict(rule) for rule in rules], columns=list(RULE_COLUMNS))


def parse_rules(rules: Sequence[SegmentRule] | pd.DataFrame | None) -> tuple[SegmentRule, ...]:
    """Rules from a rule sequence or an edited table, checked cell by cell."""
    if rules is None:
        return DEFAULT_SEGMENT_RULES
    frame = rules if isinstance(rules, pd.DataFrame) else rules_frame(rules)
    missing = [c for c in RULE_COLUMNS if c not in frame.columns]
    if missing or frame.empty:
        raise SchemaError(
            f"The segment rule table needs the columns {', '.join(RULE_COLUMNS)} and at least one row; "
            "restore the default rules and edit from there.",
            code="invalid_segment_rules",
            columns=", ".join(missing),
        )
    return tuple(_parse_rule(row, position) for position, row in enumerate(frame.to_dict("records"), start=1))


def _parse_rule(row: dict, position: int) -> SegmentRule:
    segment = row["segment"]
    if not isinstance(segment, str) or not segment.strip():
        raise SchemaError(
            f"Segment rule {position} has no segment name in column 'segment'; type a name or delete the row.",
            code="invalid_segment_rule",
            row=position,
            column="segment",
        )
    bounds = {name: _score_bound(row[name], position, name) for name in RULE_COLUMNS[1:]}
    for low, high in (("r_min", "r_max"), ("f_min", "f_max")):
        if bounds[low] > bounds[high]:
            raise SchemaError(
                f"Segment rule {position} ({segment}) has {low}={bounds[low]} above {high}={bounds[high]}; "
                "swap them.",
                code="invalid_segment_rule",
                row=position,
                column=low,
            )
    return SegmentRule(segment.strip(), **bounds)


def _score_bound(value: object, position: int, column: str) -> int:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number) or number != int(number) or not 1 <= number <= LEVELS:
        raise SchemaError(
            f"Segment rule {position} has {value!r} in column '{column}'; use a whole score from 1 to {LEVELS}.",
            code="invalid_segment_rule",
            row=position,
            column=column,
        )
    return int(number)


def segment_grid(rules: Sequence[SegmentRule]) -> np.ndarray:
    """A 5 x 5 array of segment codes indexed by [r_score - 1, f_score - 1]; first matching rule wins."""
    grid = np.full((LEVELS, LEVELS), UNASSIGNED, dtype=object)
    for rule in reversed(rules):
        grid[rule.r_min - 1 : rule.r_max, rule.f_min - 1 : rule.f_max] = rule.segment
    return grid


def segment_codes(rules: Sequence[SegmentRule]) -> list[str]:
    """The segments the rules can produce, in rule order, then UNASSIGNED if some cell is uncovered."""
    reachable = set(segment_grid(rules).ravel())
    codes = [code for code in dict.fromkeys(rule.segment for rule in rules) if code in reachable]
    return codes + [UNASSIGNED] if UNASSIGNED in reachable and UNASSIGNED not in codes else codes


def segment_customers(
    orders: pd.DataFrame, as_of: object = None, rules: Sequence[SegmentRule] | pd.DataFrame | None = None
) -> SegmentationResult:
    """RFM scores and segments of every customer, with a per-segment summary and notes on thin data."""
    parsed = parse_rules(rules)
    lines = customer_lines(orders, as_of)
    table, notes = score_lines(lines, parsed)
    return SegmentationResult(
        table=table,
        segment_summary=summarise_segments(table, parsed),
        as_of=lines.as_of,
        rules=parsed,
        excluded_guest_lines=lines.guest_lines,
        excluded_future_lines=lines.future_lines,
        notes=lines.notes() + notes,
    )


def rfm_table(
    orders: pd.DataFrame, as_of: object = None, rules: Sequence[SegmentRule] | pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per customer: recency_days, frequency, monetary, r/f/m scores 1-5 and segment code.

    ``frequency`` counts purchase orders (purchase days where there is no order id); returns
    subtract from ``monetary`` and are not purchases. Customers with only returns in the window keep
    a row with frequency 0 and ``returns_only`` set; their recency counts from their last return.
    """
    return segment_customers(orders, as_of, rules).table


def score_lines(lines: CustomerLines, rules: Sequence[SegmentRule]) -> tuple[pd.DataFrame, tuple[AnalysisNote, ...]]:
    """The RFM table of prepared lines: one groupby, then rank-based scores and a grid lookup."""
    per = (
        pd.DataFrame({
            "customer": lines.customer,
            "day": lines.day,
            "purchase_day": np.where(lines.purchase, lines.day, np.nan),
            "new_order": lines.new_order,
            "amount": lines.amount,
        })
        .groupby("customer", sort=True)
        .agg(
            last_day=("day", "max"),
            last_purchase=("purchase_day", "max"),
            frequency=("new_order", "sum"),
            monetary=("amount", "sum"),
        )
    )
    last = per["last_purchase"].fillna(per["last_day"]).to_numpy()
    recency = (lines.as_of_day - last).astype(np.int64)
    frequency = per["frequency"].to_numpy(dtype=np.int64)
    monetary = np.round(per["monetary"].to_numpy(dtype=np.float64), MONEY_DECIMALS)
    r_score = quintile_scores(-recency, frequency, monetary)
    f_score = quintile_scores(frequency, monetary, -recency)
    m_score = quintile_scores(monetary, frequency, -recency)
    segment = segment_grid(rules)[r_score - 1, f_score - 1]
    table = pd.DataFrame({
        "customer_id": lines.customer_ids.astype("str")[per.index],
        "recency_days": recency,
        "frequency": frequency,
        "monetary": monetary,
        "r_score": r_score,
        "f_score": f_score,
        "m_score": m_score,
        "segment": pd.array(segment, dtype="str"),
        "returns_only": frequency == 0,
    })
    return table, _table_notes(table)


def quintile_scores(primary: np.ndarray, *tie_breakers: np.ndarray) -> np.ndarray:
    """Scores 1-5 by rank of ``primary`` (higher is better), equal fifths; 3 for all if it is constant."""
    n = len(primary)
    if n == 0 or np.all(primary == primary[0]):
        return np.full(n, 3, dtype=np.int64)
    order = np.lexsort((*reversed(tie_breakers), primary))
    scores = np.empty(n, dtype=np.int64)
    scores[order] = np.floor(LEVELS * (np.arange(n) + 0.5) / n).astype(np.int64) + 1
    return scores


def _table_notes(table: pd.DataFrame) -> tuple[AnalysisNote, ...]:
    notes = []
    for column in ("recency_days", "frequency", "monetary"):
        if len(table) > 1 and table[column].nunique() == 1:
            notes.append(AnalysisNote("constant_measure", {"measure": column}))
    counts = {
        "returns_only_customers": int(table["returns_only"].sum()),
        "non_positive_monetary": int((table["monetary"] <= 0).sum()),
        "unassigned_customers": int((table["segment"] == UNASSIGNED).sum()),
    }
    notes += [AnalysisNote(code, {"count": n}) for code, n in counts.items() if n]
    if len(table) < 2 * LEVELS:
        notes.append(AnalysisNote("few_customers_for_scores", {"customers": len(table), "minimum": 2 * LEVELS}))
    return tuple(notes)


def summarise_segments(table: pd.DataFrame, rules: Sequence[SegmentRule]) -> pd.DataFrame:
    """Per segment the rules can produce (empty ones included): size, revenue and mean R, F and M.

    ``table`` must have been scored with the same ``rules``.
    """
    codes = segment_codes(rules)
    cell_code = np.vectorize({code: i for i, code in enumerate(codes)}.get)(segment_grid(rules))
    segment = pd.Categorical.from_codes(cell_code[table["r_score"] - 1, table["f_score"] - 1], categories=codes)
    grouped = table.groupby(segment, observed=False)  # categories from the scores: no string hashing
    summary = grouped.agg(
        customers=("customer_id", "size"),
        revenue=("monetary", "sum"),
        mean_recency_days=("recency_days", "mean"),
        mean_frequency=("frequency", "mean"),
        mean_monetary=("monetary", "mean"),
    )
    total = summary["revenue"].sum()
    summary.insert(1, "share", summary["customers"] / max(len(table), 1))
    summary.insert(3, "revenue_share", summary["revenue"] / total if total > 0 else np.nan)
    return summary.rename_axis("segment").reset_index().astype({"segment": "str"})
