"""From an ad-event table to labels, a feature list and a time-ordered split.

Feature columns are every column that is not an outcome or an id (``RESERVED``) unless the caller
names them. Text columns are categorical; a text column whose values are nearly all distinct (an
impression, request or user id) cannot generalise to new rows, so it is left out with a note, or
refused when asked for by name. The timestamp gives hour and weekday features and, with a channel
column, the channel's impressions that day (a busy day clicks less per impression: ad fatigue;
partial first and last days are scaled to whole days, see :mod:`promo_core.ctr.volume`); when the
caller names the features, these come only if "timestamp" (and the channel) are named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from promo_core.campaign.notes import Note
from promo_core.ctr.volume import VolumeProfile, daily_volume, fit_volume_profile, partial_day_notes
from promo_core.errors import InsufficientDataError, SchemaError

Target = Literal["clicked", "converted"]
TARGETS: tuple[Target, ...] = ("clicked", "converted")
RESERVED = ("impression_id", "timestamp", "clicked", "converted", "cost", "revenue")
"""Outcomes (leak the label) and ids: never features."""
TIME_FEATURES = ("hour", "day_of_week")
VOLUME_FEATURE = "daily_volume"
IDENTIFIER_SHARE = 0.5
"""A text column with distinct values in more than this share of rows is treated as an id..."""
IDENTIFIER_MIN = 1000
"""...once it has at least this many distinct values (small tables keep their small categoricals)."""
MIN_POSITIVES = 30
MIN_PART_POSITIVES = 5
MIN_FEATURES = 2


@dataclass(frozen=True)
class FeatureSpec:
    """Which columns feed the model and how: the recipe :func:`design_frame` applies to any table."""

    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    time: bool
    volume: VolumeProfile | None  # the daily-volume feature's column and training-log traffic pattern

    @property
    def volume_by(self) -> str | None:
        """The column whose impressions per day are a feature, if any."""
        return self.volume.by if self.volume else None

    @property
    def columns(self) -> tuple[str, ...]:
        """Design-frame columns in model order."""
        derived = (*(TIME_FEATURES if self.time else ()), *((VOLUME_FEATURE,) if self.volume_by else ()))
        return (*self.categorical, *self.numeric, *derived)

    @property
    def source_columns(self) -> tuple[str, ...]:
        """Columns an input table must have."""
        extra = (("timestamp",) if self.time or self.volume_by else ()) + ((self.volume_by,) if self.volume_by else ())
        return tuple(dict.fromkeys((*self.categorical, *self.numeric, *extra)))


def binary_labels(events: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """``(labels, known)``: 0/1 labels as bool and the mask of rows that have one.

    Accepts booleans and numbers 0/1; anything else names the first offending row and value.
    """
    if column not in events.columns:
        raise SchemaError(
            f"Column '{column}' is missing; map a 0/1 (or yes/no) column to '{column}' on the data page.",
            code="label_missing", column=column,
        )
    series = events[column]
    known = series.notna().to_numpy()
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool), known
    values = pd.to_numeric(series, errors="coerce")
    bad = known & ~values.isin([0, 1]).to_numpy()
    if bad.any():
        row = plain(events.index[np.argmax(bad)])
        value = plain(series.iloc[int(np.argmax(bad))])
        raise SchemaError(
            f"Column '{column}' must hold 0/1 or true/false; row {row} has {value!r}. "
            f"Fix the value or map another column to '{column}'.",
            code="label_not_binary", column=column, row=row, value=str(value),
        )
    return values.fillna(0).to_numpy() == 1, known


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, so messages read ``2``, not ``np.int64(2)``."""
    return value.item() if isinstance(value, np.generic) else value


def check_classes(y: np.ndarray, column: str) -> None:
    """Both outcomes must occur, and positives often enough to learn and to check the model."""
    positives = int(y.sum())
    if positives == 0:
        raise InsufficientDataError(
            f"Column '{column}' has no positive rows (all {len(y)} are 0/no); a model cannot learn what "
            f"leads to a {column} event. Load a log that includes {column} events.",
            code="no_positive_labels", column=column, rows=len(y),
        )
    if positives == len(y):
        raise InsufficientDataError(
            f"Column '{column}' is 1/yes on all {len(y)} rows; a model needs rows without a {column} event too.",
            code="no_negative_labels", column=column, rows=len(y),
        )
    if positives < MIN_POSITIVES:
        raise InsufficientDataError(
            f"Column '{column}' has {positives} positive rows; at least {MIN_POSITIVES} are needed to train, "
            f"calibrate and check a model. Load a longer period.",
            code="too_few_positives", column=column, positives=positives, needed=MIN_POSITIVES,
        )


def select_features(
    events: pd.DataFrame, features: Sequence[str] | None, volume_by: str | None
) -> tuple[FeatureSpec, tuple[Note, ...]]:
    """The feature recipe: named columns (validated) or every non-reserved column, sorted by kind."""
    notes: list[Note] = []
    explicit = features is not None
    candidates = list(features) if explicit else [c for c in events.columns if c not in RESERVED]
    wants_time = not explicit or "timestamp" in candidates
    wants_volume = not explicit or volume_by in candidates
    categorical, numeric = [], []
    for column in candidates:
        _check_feature_name(events, column, explicit)
        if column == "timestamp":
            continue
        series = events[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            notes.append(Note("date_column_skipped", "info", {"column": column}))
            continue
        distinct = series.nunique(dropna=True)
        if distinct <= 1:
            notes.append(Note("constant_feature_dropped", "info", {"column": column}))
            continue
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            numeric.append(column)
            continue
        if distinct >= IDENTIFIER_MIN and distinct > IDENTIFIER_SHARE * len(events):
            if explicit:
                raise SchemaError(
                    f"Feature '{column}' has {distinct:,} different values in {len(events):,} rows, so it works "
                    f"like an id and cannot predict new rows. Leave '{column}' out of the features.",
                    code="feature_identifier", column=column, distinct=int(distinct), rows=len(events),
                )
            notes.append(Note("identifier_dropped", "info", {"column": column, "distinct": int(distinct)}))
            continue
        categorical.append(column)
    has_time = wants_time and "timestamp" in events.columns and bool(events["timestamp"].notna().any())
    volume = None
    if has_time and wants_volume and volume_by in events.columns and events[volume_by].notna().any():
        stamp = event_times(events)
        volume = fit_volume_profile(events, stamp, volume_by)
        notes.extend(partial_day_notes(stamp, volume))
    spec = FeatureSpec(tuple(categorical), tuple(numeric), has_time, volume)
    _check_feature_count(spec, candidates)
    return spec, tuple(notes)


def _check_feature_name(events: pd.DataFrame, column: str, explicit: bool) -> None:
    if column not in events.columns:
        raise SchemaError(
            f"Feature '{column}' is not a column of the ad events; available: {', '.join(map(str, events.columns))}.",
            code="feature_missing", column=column,
        )
    if explicit and column in RESERVED and column != "timestamp":
        raise SchemaError(
            f"'{column}' is an outcome or id column and would leak the answer; remove it from the features.",
            code="feature_reserved", column=column,
        )


def _check_feature_count(spec: FeatureSpec, candidates: list[str]) -> None:
    usable = [*spec.categorical, *spec.numeric, *(["timestamp"] if spec.time else [])]
    if not usable:
        raise InsufficientDataError(
            "The ad events have no feature columns to learn from besides the outcomes; add columns such as "
            "channel, creative, device or a timestamp.",
            code="no_features", columns=", ".join(map(str, candidates)),
        )
    if len(usable) < MIN_FEATURES:
        raise InsufficientDataError(
            f"Only one feature ('{usable[0]}') is available; a response model needs at least {MIN_FEATURES}. "
            f"Add columns such as creative, device or a timestamp, or compare rates by '{usable[0]}' directly.",
            code="one_feature", column=usable[0],
        )


def design_frame(events: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """The model's input: feature columns plus hour, weekday and log daily volume from the timestamp."""
    missing = [c for c in spec.source_columns if c not in events.columns]
    if missing:
        raise SchemaError(
            f"Column '{missing[0]}' is missing; the model was trained with it. Add it or retrain without it.",
            code="score_feature_missing", column=missing[0],
        )
    columns: dict[str, object] = {c: events[c] for c in spec.categorical}
    columns |= {c: pd.to_numeric(events[c], errors="coerce").astype(float) for c in spec.numeric}
    if spec.time or spec.volume:
        stamp = event_times(events)
    if spec.time:
        columns["hour"] = (stamp.dt.hour + stamp.dt.minute / 60).to_numpy(dtype=float, na_value=np.nan)
        columns["day_of_week"] = stamp.dt.day_of_week.to_numpy(dtype=float, na_value=np.nan)
    if spec.volume:
        columns[VOLUME_FEATURE] = daily_volume(events, stamp, spec.volume)
    return pd.DataFrame(columns, index=events.index, copy=False)


def event_times(events: pd.DataFrame) -> pd.Series:
    """The timestamp column as datetimes (NaT where unreadable)."""
    return pd.to_datetime(events["timestamp"], errors="coerce")


@dataclass(frozen=True)
class Split:
    """Row positions of the train, validation (model selection) and test (report only) parts."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    by_time: bool


def split_rows(
    events: pd.DataFrame, y: np.ndarray, validation_size: float, test_size: float, seed: int
) -> Split:
    """Time-ordered when there is a timestamp (the test part is the latest), else a seeded shuffle."""
    by_time = "timestamp" in events.columns and events["timestamp"].notna().any()
    if by_time:
        stamp = event_times(events).to_numpy(dtype="datetime64[ns]")
        order = np.argsort(np.where(np.isnat(stamp), np.datetime64(0, "ns"), stamp), kind="stable")
    else:
        order = np.random.default_rng(seed).permutation(len(events))
    n = len(order)
    n_test, n_validation = round(n * test_size), round(n * validation_size)
    start_validation, start_test = n - n_test - n_validation, n - n_test
    split = Split(order[:start_validation], order[start_validation:start_test], order[start_test:], by_time)
    for name, part in (("train", split.train), ("validation", split.validation), ("test", split.test)):
        positives = int(y[part].sum())
        if positives < MIN_PART_POSITIVES or positives == len(part):
            raise InsufficientDataError(
                f"The {name} part ({len(part):,} rows) has {positives} positive rows; each part needs at least "
                f"{MIN_PART_POSITIVES} and some negatives. Load a longer period.",
                code="too_few_positives", part=name, positives=positives, needed=MIN_PART_POSITIVES,
            )
    return split
