"""Scores for an impression file: predicted CTR, post-click CVR, conversion probability and value."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from promo_core.campaign.notes import Note
from promo_core.ctr.data import design_frame, event_times
from promo_core.ctr.models import ResponseModel
from promo_core.ctr.volume import partial_day_notes
from promo_core.errors import SchemaError


def score_impressions(models: ResponseModel | Sequence[ResponseModel], events: pd.DataFrame,
                      n_jobs: int | None = -1) -> pd.DataFrame:
    """One row per impression: p_click, and with a conversion model p_convert_given_click, p_convert
    (= p_click x p_convert_given_click) and expected_revenue (p_convert x the training revenue per
    conversion); expected_value is expected_revenue minus the row's cost when both exist.

    ``impression_id`` leads when the events have one; the index is the events' index. ``n_jobs``:
    threads (-1: every core; the scores do not depend on it). A model with a daily-volume feature
    counts each channel's impressions per day in ``events`` itself; a first or last day the file
    holds only part of is scaled to a whole day from the training log's hourly pattern
    (:func:`volume_notes` says which days).
    """
    by_target = _by_target(models)
    click = by_target["clicked"]
    convert = by_target.get("converted")
    out = pd.DataFrame(index=events.index)
    if "impression_id" in events.columns:
        out["impression_id"] = events["impression_id"]
    specs = [click.spec] + ([convert.spec] if convert else [])
    shared = design_frame(events, specs[0]) if len(specs) == 1 or specs[0] == specs[1] else None
    out["p_click"] = _predict(click, events, shared, n_jobs)
    if convert is None:
        return out
    out["p_convert_given_click"] = _predict(convert, events, shared, n_jobs)
    out["p_convert"] = out["p_click"] * out["p_convert_given_click"]
    if convert.value_per_conversion is not None:
        out["expected_revenue"] = out["p_convert"] * convert.value_per_conversion
        if "cost" in events.columns:
            out["expected_value"] = out["expected_revenue"] - pd.to_numeric(events["cost"], errors="coerce")
    return out


def volume_notes(model: ResponseModel, events: pd.DataFrame) -> tuple[Note, ...]:
    """For a model with a daily-volume feature, notes on the first or last day of ``events`` that hold
    only part of a day: how much of a usual day each covers and how its volume was estimated."""
    if model.spec.volume is None:
        return ()
    return partial_day_notes(event_times(events), model.spec.volume)


def _predict(model: ResponseModel, events: pd.DataFrame, shared: pd.DataFrame | None, n_jobs: int | None) -> np.ndarray:
    X = shared if shared is not None else design_frame(events, model.spec)
    return model.predict_design(X, n_jobs)


def _by_target(models: ResponseModel | Sequence[ResponseModel]) -> dict[str, ResponseModel]:
    models = [models] if isinstance(models, ResponseModel) else list(models)
    by_target = {m.target: m for m in models}
    if "clicked" not in by_target or len(by_target) != len(models):
        raise SchemaError(
            "Scoring needs one click model (target 'clicked') and at most one conversion model (target "
            f"'converted'); got targets: {', '.join(m.target for m in models) or 'none'}.",
            code="score_models_invalid", targets=", ".join(m.target for m in models),
        )
    return by_target
