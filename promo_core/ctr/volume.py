"""Impressions per day of a channel (the ``daily_volume`` feature), counted honestly on partial days.

A busy day clicks less per impression (ad fatigue), so the model sees how many impressions the
row's channel had that day. A log holds whole days except perhaps its first and last: an export
that starts at 14:00, or a file scored at noon, holds only part of those days, and counting them
as they are would make them look like quiet days and inflate the predicted CTR. So on those two
days the count is divided by the share of the channel's day the file covers, read from the
training log's hour-of-day traffic of that channel (:class:`VolumeProfile`). When the file covers
less than ``MIN_COVERAGE`` of a day the count says too little, and the channel's median whole day
in the training log stands in. Days between the first and the last are whole by construction, so
a quiet day there stays a quiet day; a log whose stamps carry no time of day is taken as whole days.
Whether a day is partial is judged on all channels together (the file's hours are the same for all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from promo_core.campaign.notes import Note

FULL_DAY = 0.97
"""A day whose covered share is at least this is counted as it is (the bias is at most 3%)."""
MIN_COVERAGE = 0.1
"""Below this covered share the channel's median whole day is used instead of a scaled count."""
MIN_PROFILE_ROWS = 500
"""A channel with fewer training impressions borrows the all-channel hourly pattern."""
HOURS = np.arange(25, dtype=float)


@dataclass(frozen=True)
class VolumeProfile:
    """How the ``by`` column's impressions spread over a day in the training log.

    ``levels``: the values of ``by`` with their own pattern; ``cumulative``: per level, then one row
    for all levels, the share of a day's impressions before hour 0..24 (25 values, empty when the
    log has no times of day); ``typical``: per level, then all, the median impressions on a whole day.
    """

    by: str
    levels: tuple[str, ...]
    cumulative: tuple[tuple[float, ...], ...]
    typical: tuple[float, ...]


@dataclass(frozen=True)
class PartialDay:
    """A first or last day of a file that holds only part of the day's impressions."""

    date: pd.Timestamp
    coverage: float  # share of a usual day's impressions (all channels) inside the file's hours
    basis: Literal["scaled", "typical"]


def fit_volume_profile(events: pd.DataFrame, stamp: pd.Series, by: str) -> VolumeProfile:
    """The hourly traffic pattern and the median whole day of every ``by`` value in a training log."""
    level = events[by].astype("string")
    timed = stamp.notna() & level.notna()
    level, stamp = level[timed], stamp[timed]
    date = stamp.dt.normalize()
    per_hour = pd.crosstab(level, stamp.dt.hour).reindex(columns=range(24), fill_value=0)
    overall = per_hour.sum().to_numpy(dtype=float)
    rows = [counts if counts.sum() >= MIN_PROFILE_ROWS else overall for counts in per_hour.to_numpy(dtype=float)]
    has_times = bool((stamp != date).any())
    cumulative = tuple(_cumulative(counts) if has_times else () for counts in (*rows, overall))
    inner = (date > date.min()) & (date < date.max()) if date.nunique() > 2 else pd.Series(True, index=date.index)
    days = pd.DataFrame({"level": level[inner], "date": date[inner]}).value_counts()
    typical = days.groupby(level="level").median().reindex(per_hour.index).fillna(days.median())
    return VolumeProfile(by, tuple(per_hour.index), cumulative, (*map(float, typical), float(days.median())))


def _cumulative(counts: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in np.concatenate([[0.0], np.cumsum(counts) / counts.sum()]))


def daily_volume(events: pd.DataFrame, stamp: pd.Series, profile: VolumeProfile) -> np.ndarray:
    """Log of the estimated whole-day impressions of each row's ``by`` value on the row's day."""
    level = events[profile.by]
    date = stamp.dt.normalize()
    volume = events.groupby([date, level], dropna=False, sort=False)[profile.by].transform("size").to_numpy(dtype=float)
    for day, (start, end) in _edge_windows(stamp, date).items():
        partial = _partial_day(profile, day, start, end)
        if partial is not None:
            on_day = (date == day).to_numpy()
            volume[on_day] = _whole_day(profile, partial, level[on_day], volume[on_day], start, end)
    return np.log(volume)


def _whole_day(profile: VolumeProfile, partial: PartialDay, level: pd.Series, count: np.ndarray,
               start: float, end: float) -> np.ndarray:
    """A partial day's counts scaled by each level's covered share, or the levels' typical whole days."""
    rows = pd.Index(profile.levels).get_indexer(level.astype("string"))
    rows[rows < 0] = len(profile.levels)  # a value the training log lacks: the all-levels pattern
    if partial.basis == "typical":
        return np.asarray(profile.typical)[rows]
    share = np.array([_covered(cumulative, start, end) for cumulative in profile.cumulative])
    return count / np.maximum(share[rows], MIN_COVERAGE)


def partial_day_notes(stamp: pd.Series, profile: VolumeProfile) -> tuple[Note, ...]:
    """One note per partial day: its date, the share of a usual day it covers, and what was done."""
    return tuple(
        Note(f"partial_day_{day.basis}", "info" if day.basis == "scaled" else "warning",
             {"date": day.date.strftime("%Y-%m-%d"), "coverage": day.coverage, "column": profile.by})
        for day in _partial_days(stamp, profile)
    )


def _partial_days(stamp: pd.Series, profile: VolumeProfile) -> tuple[PartialDay, ...]:
    """The first and last days of a file that hold only part of a day, and how their volume is estimated."""
    windows = _edge_windows(stamp, stamp.dt.normalize())
    found = (_partial_day(profile, day, start, end) for day, (start, end) in windows.items())
    return tuple(day for day in found if day is not None)


def _edge_windows(stamp: pd.Series, date: pd.Series) -> dict[pd.Timestamp, tuple[float, float]]:
    """The file's first and last dates with the hours they cover (only these can be partial); none
    when no stamp carries a time of day, since a date alone says nothing about coverage."""
    first, last = stamp.min(), stamp.max()
    if pd.isna(first) or not (stamp != date).any():
        return {}
    start, end = _hours(first), _hours(last)
    if first.normalize() == last.normalize():
        return {first.normalize(): (start, end)}
    return {first.normalize(): (start, 24.0), last.normalize(): (0.0, end)}


def _hours(moment: pd.Timestamp) -> float:
    return (moment - moment.normalize()) / pd.Timedelta(hours=1)


def _partial_day(profile: VolumeProfile, day: pd.Timestamp, start: float, end: float) -> PartialDay | None:
    """A day whose covered share (all channels) is below ``FULL_DAY``; None for a whole day or untimed logs."""
    overall = profile.cumulative[-1]
    if not overall:
        return None
    coverage = _covered(overall, start, end)
    if coverage >= FULL_DAY:
        return None
    return PartialDay(day, coverage, "scaled" if coverage >= MIN_COVERAGE else "typical")


def _covered(cumulative: tuple[float, ...], start: float, end: float) -> float:
    """Share of a day's impressions between ``start`` and ``end`` hours (linear inside an hour)."""
    return float(np.interp(end, HOURS, cumulative) - np.interp(start, HOURS, cumulative))
