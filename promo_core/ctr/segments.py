"""Predicted beside observed rates per segment of one or two columns (e.g. channel x creative).

Besides the table's own columns, ``hour`` and ``day_of_week`` (0 = Monday) are read from the
timestamp.
A segment where the two disagree is where the model is wrong, or where the held-out period
differs from the training one; the observed rate carries a Wilson 95% interval so a gap inside
the noise of a small segment is not read as a miss.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from promo_core.ctr.data import binary_labels, event_times
from promo_core.ctr.models import ResponseModel
from promo_core.errors import SchemaError


def segment_rates(model: ResponseModel, events: pd.DataFrame, by: str | Sequence[str], holdout_only: bool = True) -> pd.DataFrame:
    """Per segment: n, positives, observed rate (+ interval), mean predicted rate and their gap.

    Rows are the model's own population (all impressions for clicks, clicked ones for conversions),
    by default only its held-out test rows so that the comparison is honest.
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not 1 <= len(columns) <= 2:
        raise SchemaError(f"Segments are by one or two columns; got {len(columns)}.",
                          code="segment_columns_count", count=len(columns))
    segments = _segment_columns(events, columns)
    rows = _rows(model, events, holdout_only)
    p = pd.Series(model.predict_proba(events), index=events.index)  # whole table: daily volume counts every row
    y = binary_labels(events.loc[rows], model.target)[0].astype(float)
    frame = segments.loc[rows].assign(_y=y, _p=p.loc[rows].to_numpy())
    table = frame.groupby(columns, sort=True).agg(n=("_y", "size"), positives=("_y", "sum"), observed=("_y", "mean"),
                                                  predicted=("_p", "mean")).reset_index()
    low, high = proportion_confint(table["positives"], table["n"], alpha=0.05, method="wilson")
    observed = table["observed"].to_numpy()
    table["observed_low"] = np.minimum(np.asarray(low), observed)  # Wilson's bound at 0 events is 0 up to rounding
    table["observed_high"] = np.maximum(np.asarray(high), observed)
    table["gap"] = table["predicted"] - table["observed"]
    return table


def _segment_columns(events: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The segment columns as text ("(missing)" for blanks); hour and weekday derived from the timestamp."""
    out = {}
    for column in columns:
        if column in events.columns:
            out[column] = events[column].astype("string").fillna("(missing)")
        elif column in ("hour", "day_of_week") and "timestamp" in events.columns:
            stamp = event_times(events)
            part = stamp.dt.hour if column == "hour" else stamp.dt.day_of_week
            out[column] = part.astype("Int64")
        else:
            raise SchemaError(f"Segment column '{column}' is not in the ad events.", code="segment_column_missing",
                              column=column)
    return pd.DataFrame(out, index=events.index)


def _rows(model: ResponseModel, events: pd.DataFrame, holdout_only: bool) -> pd.Index:
    if holdout_only:
        return pd.Index(model.holdout["row"])
    if model.target == "converted":
        clicked, known = binary_labels(events, "clicked")
        converted_known = events["converted"].notna().to_numpy()
        return events.index[clicked & known & converted_known]
    return events.index[events[model.target].notna().to_numpy()]
