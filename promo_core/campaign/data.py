"""From a campaign frame to sufficient statistics per arm, with the input checks users hit.

Everything downstream (tests, intervals, CUPED, Bayes) needs only counts, sums, sums of squares and,
for CUPED, cross-products per arm, so ten million rows reduce to a few numbers in one pass of
``np.bincount`` over factorised group codes. Values are shifted by a sample mean before squaring so
that large amounts do not lose precision to cancellation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from promo_core.campaign.notes import Note
from promo_core.errors import InsufficientDataError, SchemaError

Kind = Literal["auto", "binary", "continuous"]
CONTROL_NAMES = ("control", "ctrl", "对照", "对照组", "holdout", "baseline", "a")
"""Group names taken as the control when none is given, strongest first (matched case-insensitively)."""


@dataclass(frozen=True, eq=False)
class Sums:
    """Per-key sufficient statistics; ``y``/``x`` were shifted by ``y_shift``/``x_shift`` before summing."""

    table: pd.DataFrame  # columns n, sy, syy and, with a covariate, sx, sxx, sxy
    y_shift: float
    x_shift: float


def require_columns(frame: pd.DataFrame, *columns: str) -> None:
    """Raise a SchemaError naming the first absent column and the columns there are."""
    for column in columns:
        if column not in frame.columns:
            available = ", ".join(map(str, frame.columns))
            raise SchemaError(
                f"Column '{column}' is not in the table (columns: {available}). Pick one of these columns.",
                code="column_missing",
                column=column,
                available=available,
            )


def choose_control(groups: Sequence[str], control: str | None, column: str) -> str:
    """The control arm: the one asked for, else the first name in CONTROL_NAMES that is present."""
    listed = ", ".join(groups)
    if control is not None:
        if control not in groups:
            raise SchemaError(
                f"Control group '{control}' does not occur in column '{column}' (groups: {listed}). "
                "Choose one of these groups as the control.",
                code="control_not_found",
                control=control,
                column=column,
                groups=listed,
            )
        return control
    by_name = {str(g).strip().casefold(): g for g in groups}
    for name in CONTROL_NAMES:
        if name in by_name:
            return by_name[name]
    raise SchemaError(
        f"No control group could be recognised in column '{column}' (groups: {listed}). "
        "Say which group is the control.",
        code="control_unknown",
        column=column,
        groups=listed,
    )


def numeric_values(frame: pd.DataFrame, column: str, role: str) -> np.ndarray:
    """The column as float64 (missing as NaN); a SchemaError names the first non-numeric row."""
    series = frame[column]
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype="float64", na_value=np.nan)
    coerced = pd.to_numeric(series, errors="coerce")
    bad = coerced.isna() & series.notna()
    if bad.any():
        row = bad.idxmax()
        raise SchemaError(
            f"Column '{column}' ({role}) must be numeric, but row {row} holds {series[row]!r}. "
            "Pick a numeric column or fix that value.",
            code=f"{role}_not_numeric",
            column=column,
            row=row,
            value=str(series[row]),
        )
    return coerced.to_numpy(dtype="float64", na_value=np.nan)


def metric_kind(frame: pd.DataFrame, metric: str, y: np.ndarray, kind: Kind) -> Literal["binary", "continuous"]:
    """Binary when asked, when the column is boolean, or (auto) when every value is 0 or 1."""
    finite = ~np.isnan(y)
    is01 = (y == 0) | (y == 1) | ~finite
    if kind == "binary" or (kind == "auto" and pd.api.types.is_bool_dtype(frame[metric].dtype)):
        if not is01.all():
            position = int(np.argmin(is01))
            row = frame.index[position]
            raise SchemaError(
                f"Column '{metric}' must hold 0/1 (yes/no) outcomes, but row {row} has {y[position]:g}. "
                "Fix the value, or analyse the column as a continuous metric.",
                code="outcome_not_binary",
                column=metric,
                row=row,
                value=float(y[position]),
            )
        return "binary"
    if kind == "continuous":
        return "continuous"
    return "binary" if is01.all() else "continuous"


def group_codes(frame: pd.DataFrame, group: str) -> tuple[np.ndarray, list[str]]:
    """Factorised group codes (-1 for missing) and the group names as strings."""
    codes, uniques = pd.factorize(frame[group], sort=True)
    return codes, [str(u) for u in uniques]


def sum_by(codes: np.ndarray, size: int, y: np.ndarray, x: np.ndarray | None = None) -> Sums:
    """Counts, sums, sums of squares (and cross-products with ``x``) per code, in one pass each."""
    y_shift = _shift(y)
    yc = y - y_shift
    columns = {"n": np.bincount(codes, minlength=size).astype("float64")}
    columns["sy"] = np.bincount(codes, yc, size)
    columns["syy"] = np.bincount(codes, yc * yc, size)
    x_shift = 0.0
    if x is not None:
        x_shift = _shift(x)
        xc = x - x_shift
        columns["sx"] = np.bincount(codes, xc, size)
        columns["sxx"] = np.bincount(codes, xc * xc, size)
        columns["sxy"] = np.bincount(codes, xc * yc, size)
    return Sums(pd.DataFrame(columns), y_shift, x_shift)


def _shift(values: np.ndarray) -> float:
    """A typical value (mean of the first thousand) to subtract before squaring."""
    head = values[:1000]
    finite = head[np.isfinite(head)]
    return float(finite.mean()) if len(finite) else 0.0


@dataclass(frozen=True, eq=False)
class Prepared:
    """Validated inputs of one analysis: per-row codes and values, group names, notes so far."""

    codes: np.ndarray
    groups: list[str]
    y: np.ndarray
    x: np.ndarray | None
    kind: Literal["binary", "continuous"]
    assigned: np.ndarray  # rows per group before dropping missing outcomes (for the SRM check)
    notes: tuple[Note, ...]
    rows_dropped: int
    kept: np.ndarray | None  # mask of the frame's rows analysed; None when every row was


def _duplicate_customers(frame: pd.DataFrame, group: str) -> list[Note]:
    """Customers on more than one row: each row counts as a customer, so a repeated export inflates the
    sample, and a customer in two groups saw both treatments (an alert: the arms are contaminated)."""
    if "customer_id" not in frame.columns:
        return []
    rows = frame[["customer_id", group]].dropna(subset=["customer_id"])
    repeated = rows[rows["customer_id"].duplicated(keep=False)]
    if repeated.empty:
        return []
    groups = repeated.groupby("customer_id")[group].nunique()
    crossed = int((groups > 1).sum())
    details = {"column": "customer_id", "customers": len(groups), "rows": len(repeated), "in_several_groups": crossed}
    return [Note("duplicate_customers", "alert" if crossed else "warning", details)]


def prepare(frame: pd.DataFrame, metric: str, group: str, covariate: str | None, kind: Kind) -> Prepared:
    """Check columns and values, drop rows without a group or outcome (counted), fill covariate gaps."""
    require_columns(frame, group, metric, *([covariate] if covariate else []))
    codes, groups = group_codes(frame, group)
    if len(groups) < 2:
        only = groups[0] if groups else ""
        raise InsufficientDataError(
            f"Column '{group}' has only one group ('{only}'); an A/B test needs a control and at least "
            "one variant. Check that the file holds every arm of the test.",
            code="one_group",
            column=group,
            group=only,
        )
    y = numeric_values(frame, metric, "metric")
    resolved = metric_kind(frame, metric, y, kind)
    notes: list[Note] = []
    x = None
    if covariate:
        x = numeric_values(frame, covariate, "covariate")
        missing_x = np.isnan(x)
        if missing_x.any():
            x = np.where(missing_x, np.nanmean(x) if (~missing_x).any() else 0.0, x)
            notes.append(Note("covariate_missing_filled", "info", {"column": covariate, "rows": int(missing_x.sum())}))
    notes += _duplicate_customers(frame, group)
    assigned = np.bincount(codes[codes >= 0], minlength=len(groups))
    missing_group = codes < 0
    missing_y = np.isnan(y)
    if missing_group.any():
        notes.append(Note("missing_group_dropped", "warning", {"column": group, "rows": int(missing_group.sum())}))
    if missing_y.any():
        notes.append(Note("missing_outcome_dropped", "warning", {"column": metric, "rows": int(missing_y.sum())}))
    keep = ~(missing_group | missing_y)
    dropped = int(len(keep) - keep.sum())
    if dropped:
        codes, y = codes[keep], y[keep]
        x = x[keep] if x is not None else None
    return Prepared(codes, groups, y, x, resolved, assigned, tuple(notes), dropped, keep if dropped else None)
