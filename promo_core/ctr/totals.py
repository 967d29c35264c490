"""Headline performance of an ad log: CTR, post-click CVR, CPA and ROAS from plain sums, no model.

These are what a marketer reads first. A ratio is None when the log lacks its columns or its
denominator is zero, so the page shows a dash rather than a made-up zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from promo_core.tables import require_columns


@dataclass(frozen=True)
class AdTotals:
    """Counts and sums of one log; conversions, cost and revenue are None when the log has no such column."""

    impressions: int
    clicks: int
    conversions: int | None
    clicked_conversions: int | None
    cost: float | None
    revenue: float | None

    @property
    def ctr(self) -> float | None:
        return _ratio(self.clicks, self.impressions)

    @property
    def cvr(self) -> float | None:
        """Conversions after a click per click (post-click, like the conversion model)."""
        return _ratio(self.clicked_conversions, self.clicks)

    @property
    def cpa(self) -> float | None:
        """Cost per conversion, every conversion counted (view-through included)."""
        return _ratio(self.cost, self.conversions)

    @property
    def roas(self) -> float | None:
        return _ratio(self.revenue, self.cost)

    def summary(self) -> pd.DataFrame:
        """The four ratios as (metric, value) rows, missing where they cannot be computed."""
        return pd.DataFrame({"metric": ["ctr", "cvr", "cpa", "roas"], "value": [self.ctr, self.cvr, self.cpa, self.roas]})


def ad_totals(events: pd.DataFrame) -> AdTotals:
    """Totals of a canonical ad events table; rows without a click flag are not impressions."""
    require_columns(events, ["clicked"], "ad_events")
    shown = events["clicked"].notna()
    clicked = events["clicked"].where(shown, False).astype(bool)
    converted = events["converted"].where(events["converted"].notna(), False).astype(bool) if "converted" in events else None
    return AdTotals(
        impressions=int(shown.sum()),
        clicks=int(clicked.sum()),
        conversions=None if converted is None else int(converted.sum()),
        clicked_conversions=None if converted is None else int((converted & clicked).sum()),
        cost=float(events["cost"].sum()) if "cost" in events else None,
        revenue=float(events["revenue"].sum()) if "revenue" in events else None,
    )


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator
