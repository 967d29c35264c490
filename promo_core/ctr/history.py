"""Daily spend and outcomes per channel: the history response curves are fitted to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from promo_core.ctr.data import binary_labels, event_times, plain
from promo_core.errors import SchemaError

HISTORY_COLUMNS = ("date", "channel", "spend", "impressions", "clicks", "conversions", "revenue")


def daily_history(events: pd.DataFrame, channel: str = "channel") -> pd.DataFrame:
    """One row per day and channel: spend (sum of cost), impressions, clicks, conversions, revenue.

    Conversions and revenue are left out when the events have no such column.
    """
    needs = (("timestamp", "a date or time", "timestamp_missing"), (channel, "the channel or campaign", "channel_missing"),
             ("cost", "the ad cost", "cost_missing"))
    for column, what, code in needs:
        if column not in events.columns:
            raise SchemaError(
                f"Column '{column}' is missing; the budget allocator needs {what} of every impression. "
                f"Map a column to '{column}' on the data page.",
                code=code, column=column,
            )
    cost = pd.to_numeric(events["cost"], errors="coerce")
    check_spend(cost, "cost")
    date = event_times(events).dt.normalize()
    frame = pd.DataFrame({"date": date, "channel": events[channel], "spend": cost.fillna(0.0), "impressions": 1})
    frame["clicks"] = binary_labels(events, "clicked")[0].astype(float)
    if "converted" in events.columns:
        frame["conversions"] = binary_labels(events, "converted")[0].astype(float)
    if "revenue" in events.columns:
        frame["revenue"] = pd.to_numeric(events["revenue"], errors="coerce").fillna(0.0)
    frame = frame.dropna(subset=["date", "channel"])
    daily = frame.groupby(["date", "channel"], sort=True, observed=True).sum().reset_index()
    daily["channel"] = daily["channel"].astype(str)
    return daily


def check_spend(spend: pd.Series, column: str) -> None:
    """Spend is never negative: a refund or correction row should be netted out before loading."""
    negative = (spend < 0).to_numpy(dtype=bool, na_value=False)
    if negative.any():
        position = int(np.argmax(negative))
        row, value = plain(spend.index[position]), float(spend.iloc[position])
        raise SchemaError(
            f"Column '{column}' has a negative amount ({value:g}) in row {row}; spend cannot be negative. "
            f"Net refunds out of the cost, or remove the row, and load again.",
            code="negative_spend", column=column, row=row, value=float(value),
        )
