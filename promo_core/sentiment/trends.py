"""Sentiment shares by group (product, category, segment) and over time, with promotions marked.

Plain pandas group-bys over the scored frame (``score_reviews`` output joined to the reviews table).
Reviews without a label (other languages, empty) are left out and counted in ``excluded``. ``net``
is the share positive minus the share negative, a single number a marketer can track per week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sentiment.scoring import LABELS

FREQS = {"D": "D", "W": "W", "M": "M"}
"""Trend periods: day, week (Monday start) or month."""
ALL = "all"
"""The group code when no grouping column is given."""

DateLike = str | date | datetime | pd.Timestamp
Promotions = Mapping[str, DateLike | tuple[DateLike, DateLike]] | pd.DataFrame


@dataclass(frozen=True, eq=False)
class ShareResult:
    """Per group: reviews, counts and shares per label, mean score and net sentiment."""

    by: str | None
    table: pd.DataFrame
    excluded: int

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


@dataclass(frozen=True, eq=False)
class TrendResult:
    """Per period (and group): the same columns as :class:`ShareResult` plus ``period`` and ``promotion``."""

    freq: str
    by: str | None
    table: pd.DataFrame
    promotions: pd.DataFrame  # name, start, end
    excluded: int

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


def _require(frame: pd.DataFrame, *columns: str | None) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise SchemaError(
                f"The scored reviews have no column '{column}'. Join the scores to the reviews table "
                f"(columns: {', '.join(map(str, frame.columns))}) or pick another column.",
                code="sentiment_missing_column",
                column=column,
            )


def _counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts per label, shares, mean score and net sentiment per key combination."""
    counts = pd.crosstab([frame[k] for k in keys], frame["label"]).reindex(columns=list(LABELS), fill_value=0)
    counts = counts.rename_axis(columns=None)
    out = counts.reset_index()
    out.insert(len(keys), "reviews", counts.sum(axis=1).to_numpy())
    for label in LABELS:
        out[f"share_{label}"] = out[label] / out["reviews"]
    out["mean_score"] = frame.groupby(keys, observed=True)["score"].mean().reindex(counts.index).to_numpy()
    out["net"] = out["share_positive"] - out["share_negative"]
    return out


def _labelled(scored: pd.DataFrame, by: str | None) -> tuple[pd.DataFrame, int]:
    _require(scored, "label", "score", by)
    kept = scored[scored["label"].notna()]
    group = kept[by].astype(object).where(kept[by].notna(), "(missing)") if by else ALL
    return kept.assign(group=group, label=kept["label"].astype(str)), len(scored) - len(kept)


def sentiment_shares(scored: pd.DataFrame, by: str | None = None, top: int | None = None) -> ShareResult:
    """Sentiment shares per value of ``by`` (all reviews when None), most reviewed first.

    ``top`` keeps the most reviewed groups only.
    """
    frame, excluded = _labelled(scored, by)
    table = _counts(frame, ["group"]).sort_values(["reviews", "group"], ascending=[False, True], kind="stable")
    if top is not None:
        table = table.head(top)
    return ShareResult(by, table.reset_index(drop=True), excluded)


def sentiment_trend(
    scored: pd.DataFrame,
    date: str = "review_date",
    freq: str = "W",
    by: str | None = None,
    promotions: Promotions | None = None,
    top: int | None = None,
) -> TrendResult:
    """Sentiment per period (``freq`` D, W or M) and group, with each period's promotions named."""
    if freq not in FREQS:
        raise SchemaError(
            f"Unknown trend period {freq!r}; use 'D' (day), 'W' (week) or 'M' (month).",
            code="sentiment_bad_freq",
            value=freq,
        )
    _require(scored, date)
    frame, excluded = _labelled(scored, by)
    when = pd.to_datetime(frame[date], errors="coerce")
    if when.notna().sum() == 0:
        raise InsufficientDataError(
            f"No review has a date in column '{date}', so there is no trend to show. Map a date column.",
            code="sentiment_no_dates",
            column=date,
        )
    excluded += int(when.isna().sum())
    frame = frame.assign(period=when.dt.to_period(FREQS[freq]).dt.start_time)[when.notna()]
    if top is not None:
        frame = frame[frame["group"].isin(frame["group"].value_counts().index[:top])]
    table = _counts(frame, ["period", "group"]).sort_values(["group", "period"], kind="stable").reset_index(drop=True)
    marks = promotion_table(promotions)
    table["promotion"] = pd.array([_overlapping(marks, start, freq) for start in table["period"]], dtype="str")
    return TrendResult(freq, by, table, marks, excluded)


def promotion_table(promotions: Promotions | None) -> pd.DataFrame:
    """Promotions as name, start, end (one-day promotions end where they start)."""
    if promotions is None or len(promotions) == 0:
        return pd.DataFrame({"name": pd.array([], dtype="str"), "start": pd.to_datetime([]), "end": pd.to_datetime([])})
    if isinstance(promotions, pd.DataFrame):
        _require(promotions, "name", "start")
        rows = [(r["name"], r["start"], r.get("end", r["start"])) for _, r in promotions.iterrows()]
    else:
        rows = [(name, *(when if isinstance(when, tuple) else (when, when))) for name, when in promotions.items()]
    start = pd.to_datetime(pd.Series([r[1] for r in rows]), errors="coerce")
    end = pd.to_datetime(pd.Series([r[2] for r in rows]), errors="coerce").fillna(start)
    bad = start.isna() | (end < start)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise SchemaError(
            f"Promotion {rows[row][0]!r} has no valid dates ({rows[row][1]!r} to {rows[row][2]!r}); "
            "give a start date and an end date on or after it.",
            code="sentiment_bad_promotions",
            row=row + 1,
            value=rows[row][0],
        )
    return pd.DataFrame({"name": pd.array([str(r[0]) for r in rows], dtype="str"), "start": start, "end": end})


def _overlapping(marks: pd.DataFrame, start: pd.Timestamp, freq: str) -> str:
    end = (pd.Period(start, FREQS[freq]).end_time).normalize()
    hit = marks[(marks["start"] <= end) & (marks["end"] >= start)]
    return ", ".join(hit["name"])
