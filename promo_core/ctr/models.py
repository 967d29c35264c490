"""Click (CTR) and post-click conversion (CVR) models: candidates, selection, calibration, checks.

Protocol, oldest rows first when there is a timestamp: candidates learn on the first 60% and are
compared on the next 20% by log-loss after calibration; the winner is then refitted on those 80%
with a calibrator trained on its out-of-fold predictions (:class:`CalibratedModel`), and the
latest 20% is only used to report AUC, log-loss, calibration, lift and importance, so the figures
describe days the model has not seen. Candidates are a logistic regression (C tuned on the
validation part), a random forest and histogram gradient boosting. On large logs candidates are
compared on subsamples, which ranks them at a fraction of the cost.

Conversions are modelled on clicked impressions only (post-click CVR, target ``converted``), and
P(convert) = P(click) x P(convert | click) (:func:`promo_core.ctr.score_impressions`). Training on
clicks alone is the selection the conditional probability asks for: P(convert | click, x) is learnt
where it is defined. The limits: for kinds of impressions that rarely get clicked the CVR estimate
rests on few clicks and borrows from similar ones, and if the people who click differ from the
people who do not in ways no column records, the CVR does not carry over to what non-clickers
would have done (the sample-selection bias that entire-space models such as ESMM address).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from threadpoolctl import threadpool_limits

from promo_core.campaign.notes import Note, notes_frame
from promo_core.ctr.calibration import CalibratedModel, Method, choose_method, cross_calibrated
from promo_core.ctr.chunks import predict_positive
from promo_core.ctr.data import (
    TARGETS,
    FeatureSpec,
    Target,
    binary_labels,
    check_classes,
    design_frame,
    select_features,
    split_rows,
)
from promo_core.ctr.features import categorical_mask, make_preprocessor
from promo_core.ctr.importance import permutation_table
from promo_core.ctr.metrics import classification_metrics, lift_table, reliability_table, roc_points
from promo_core.errors import SchemaError

ModelName = Literal["auto", "logistic", "random_forest", "gradient_boosting"]
MODELS: tuple[str, ...] = ("logistic", "random_forest", "gradient_boosting")
LOGISTIC_C = (0.01, 0.03, 0.1, 0.3, 1.0)
"""Inverse regularisation strengths tried for the logistic regression, strongest penalty first."""
FOREST_TREES = 40
FOREST_ROWS = 50_000
FOREST_DEPTH = 12


@dataclass(frozen=True, eq=False)
class ResponseModel:
    """A calibrated click or conversion model and its held-out report.

    ``comparison``: model, params, validation_log_loss, validation_auc, fit_seconds, selected.
    ``metrics``: test-part AUC, log-loss, Brier, ECE, expected and observed positives.
    ``holdout``: the test rows (``row`` = index label in the events), their label ``y`` and ``p``.
    """

    target: Target
    model_name: str
    params: str
    spec: FeatureSpec
    estimator: CalibratedModel
    calibration: str
    comparison: pd.DataFrame
    metrics: dict[str, float]
    reliability: pd.DataFrame  # bin, n, predicted, observed (test part, quantile bins)
    lift: pd.DataFrame  # decile, n, positives, rate, predicted, lift, cumulative_gain, cumulative_share
    roc: pd.DataFrame  # model, part, fpr, tpr
    importance: pd.DataFrame  # feature, auc_drop, auc_drop_std, log_loss_rise, log_loss_rise_std
    holdout: pd.DataFrame  # row, y, p
    split: Literal["time", "random"]
    n_train: int
    n_validation: int
    n_test: int
    value_per_conversion: float | None
    notes: tuple[Note, ...]

    @property
    def features(self) -> tuple[str, ...]:
        return self.spec.columns

    def summary(self) -> pd.DataFrame:
        """The candidate comparison; the selected row is flagged."""
        return self.comparison.copy()

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)

    def predict_proba(self, events: pd.DataFrame, n_jobs: int | None = -1) -> np.ndarray:
        """Calibrated P(target) per row of ``events`` (for ``converted``: given a click), on ``n_jobs``
        threads (-1: every core; see :mod:`promo_core.ctr.chunks`)."""
        return self.predict_design(design_frame(events, self.spec), n_jobs)

    def predict_design(self, X: pd.DataFrame, n_jobs: int | None = -1) -> np.ndarray:
        """Calibrated P(target) per row of a design frame already built with this model's ``spec``."""
        return predict_positive(self.estimator, X, n_jobs)


def make_estimator(name: str, spec: FeatureSpec, params: dict, n_rows: int, seed: int, n_jobs: int) -> Pipeline:
    """An unfitted candidate pipeline; leaf sizes grow with the data so rare clicks are not memorised.

    The forest is sized for scoring as well as accuracy: ``FOREST_TREES`` trees of at most
    ``FOREST_DEPTH`` levels, each learning from at most ``FOREST_ROWS`` rows with leaves of at least
    1/200 of them (and 20). Against the earlier 60 unlimited trees with leaves of n_rows / 5000, this
    halves scoring time (about 2 s instead of 4 s per million rows on one thread) with held-out
    log-loss no worse: sample shop 0.1382 vs 0.1399; a million generated impressions 0.1496 vs
    0.1497 for clicks, 0.3959 vs 0.3981 for post-click conversions. Boosting stops after 10 rounds
    without gain (scikit-learn's default) rather than 20: it keeps the rounds it waited through, and
    10 more cost a quarter of its scoring time without lowering held-out log-loss (sample shop 0.1395
    both; a million impressions: clicks 0.1483 both, post-click conversions 0.3970 vs 0.3950).
    """
    if name == "logistic":
        return make_pipeline(make_preprocessor(spec, "linear"), LogisticRegression(C=params["C"], max_iter=1000))
    if name == "random_forest":
        tree_rows = min(n_rows, FOREST_ROWS)
        forest = RandomForestClassifier(
            n_estimators=FOREST_TREES, min_samples_leaf=max(20, tree_rows // 200), max_depth=FOREST_DEPTH,
            max_features="sqrt", max_samples=tree_rows / n_rows, n_jobs=n_jobs, random_state=seed,
        )
        return make_pipeline(make_preprocessor(spec, "tree"), forest)
    boosting = HistGradientBoostingClassifier(
        learning_rate=0.2, max_iter=100, max_leaf_nodes=31, min_samples_leaf=max(20, n_rows // 10_000),
        l2_regularization=1.0, categorical_features=categorical_mask(spec), early_stopping=True,
        n_iter_no_change=10, validation_fraction=0.1, random_state=seed,
    )
    return make_pipeline(make_preprocessor(spec, "tree"), boosting)


def _grid(name: str) -> list[dict]:
    return [{"C": c} for c in LOGISTIC_C] if name == "logistic" else [{}]


def _params_text(params: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in params.items())


def fit_response_model(
    events: pd.DataFrame,
    target: Target = "clicked",
    features: Sequence[str] | None = None,
    model: ModelName = "auto",
    *,
    calibration: Method = "auto",
    validation_size: float = 0.2,
    test_size: float = 0.2,
    volume_by: str | None = "channel",
    max_selection_rows: int = 200_000,
    importance_rows: int = 20_000,
    random_state: int = 0,
    n_jobs: int = 1,
) -> ResponseModel:
    """Fit, select, calibrate and check a model of ``target`` (``converted``: on clicked rows only).

    ``features``: columns to use (default: all but outcomes and ids). ``volume_by``: a column whose
    impressions per day become a feature (skipped when absent). ``n_jobs``: cores for the forest and
    for the thread pools of boosting (OpenMP) and of the logistic regression (BLAS); one by default:
    on a busy two-core machine, more threads than free cores made these fits several times slower.
    Scoring has its own setting (:func:`promo_core.ctr.score_impressions`).
    """
    with threadpool_limits(limits=n_jobs):
        return _fit(events, target, features, model, calibration, validation_size, test_size, volume_by,
                    max_selection_rows, importance_rows, random_state, n_jobs)


def _fit(
    events: pd.DataFrame, target: Target, features: Sequence[str] | None, model: str, calibration: Method,
    validation_size: float, test_size: float, volume_by: str | None, max_selection_rows: int,
    importance_rows: int, random_state: int, n_jobs: int,
) -> ResponseModel:
    _check_options(target, model, calibration, validation_size, test_size)
    spec, notes = select_features(events, features, volume_by)
    y, rows, label_notes = _labels(events, target)
    check_classes(y, target)
    frame = events.iloc[rows]
    X = design_frame(events, spec).iloc[rows]
    split = split_rows(frame, y, validation_size, test_size, random_state)
    notes = (*notes, *label_notes, *([] if split.by_time else [Note("random_split", "warning")]))

    method = choose_method(calibration, int(y[split.train].sum() + y[split.validation].sum()))
    names = MODELS if model == "auto" else (model,)
    sel_train = _cap(split.train, max_selection_rows, random_state)
    sel_valid = _cap(split.validation, max_selection_rows, random_state)
    if len(sel_train) < len(split.train):
        notes = (*notes, Note("selection_subsampled", "info", {"rows": len(sel_train), "train_rows": len(split.train)}))
    records = [_best_of(name, spec, X, y, sel_train, sel_valid, method, random_state, n_jobs) for name in names]
    roc_parts = [roc_points(y[sel_valid], r["_p"]).assign(model=r["model"], part="validation") for r in records]
    winner = min(records, key=lambda r: r["validation_log_loss"])
    development = np.concatenate([split.train, split.validation])
    pipeline = make_estimator(winner["model"], spec, winner["_params"], len(development) // 2, random_state, n_jobs)
    estimator = CalibratedModel(pipeline, method).fit(X.iloc[development], y[development])

    X_test, y_test = X.iloc[split.test], y[split.test]
    p_test = estimator.predict_proba(X_test)[:, 1]
    roc_parts.append(roc_points(y_test, p_test).assign(model=winner["model"], part="test"))
    importance = permutation_table(estimator, X_test, y_test, importance_rows, random_state)
    comparison = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in records])
    comparison["selected"] = comparison["model"] == winner["model"]
    return ResponseModel(
        target=target, model_name=winner["model"], params=winner["params"], spec=spec, estimator=estimator,
        calibration=method, comparison=comparison, metrics=classification_metrics(y_test, p_test),
        reliability=reliability_table(y_test, p_test), lift=lift_table(y_test, p_test),
        roc=pd.concat(roc_parts, ignore_index=True)[["model", "part", "fpr", "tpr"]], importance=importance,
        holdout=pd.DataFrame({"row": frame.index[split.test], "y": y_test.astype(int), "p": p_test}),
        split="time" if split.by_time else "random", n_train=len(split.train), n_validation=len(split.validation),
        n_test=len(split.test), value_per_conversion=_value_per_conversion(frame, y, split.train, target), notes=notes,
    )


def _check_options(target: str, model: str, calibration: str, validation_size: float, test_size: float) -> None:
    if target not in TARGETS:
        raise SchemaError(f"Target {target!r} is not supported; use one of {', '.join(TARGETS)}.",
                          code="unknown_target", target=str(target))
    if model not in ("auto", *MODELS):
        raise SchemaError(f"Model {model!r} is not available; use one of auto, {', '.join(MODELS)}.",
                          code="unknown_model", model=str(model))
    if calibration not in ("auto", "isotonic", "sigmoid"):
        raise SchemaError(f"Calibration {calibration!r} is not available; use auto, isotonic or sigmoid.",
                          code="unknown_calibration", calibration=str(calibration))
    if not (0 < validation_size < 0.5 and 0 < test_size < 0.5 and validation_size + test_size < 0.8):
        raise SchemaError(
            f"validation_size ({validation_size}) and test_size ({test_size}) must each be between 0 and 0.5 "
            f"and leave at least 20% of the rows for training.",
            code="split_sizes_invalid", validation_size=validation_size, test_size=test_size,
        )


def _labels(events: pd.DataFrame, target: Target) -> tuple[np.ndarray, np.ndarray, tuple[Note, ...]]:
    """Labels and the row positions they belong to; conversions only among clicked rows."""
    notes: list[Note] = []
    y, known = binary_labels(events, target)
    population = np.ones(len(events), dtype=bool)
    if target == "converted":
        clicked, click_known = binary_labels(events, "clicked")
        population = clicked & click_known
        unclicked = int((y & known & ~population).sum())
        if unclicked:
            notes.append(Note("conversions_without_click", "info", {"rows": unclicked}))
    unlabelled = int((population & ~known).sum())
    if unlabelled:
        notes.append(Note("rows_without_label", "info", {"column": target, "rows": unlabelled}))
    rows = np.flatnonzero(population & known)
    return y[rows], rows, tuple(notes)


def _best_of(name: str, spec: FeatureSpec, X: pd.DataFrame, y: np.ndarray, train: np.ndarray, valid: np.ndarray,
             method: Literal["isotonic", "sigmoid"], seed: int, n_jobs: int) -> dict:
    """One candidate family fitted on ``train`` and scored on ``valid`` after cross-fitted calibration."""
    tried = []
    for params in _grid(name):
        start = time.perf_counter()
        pipeline = make_estimator(name, spec, params, len(train), seed, n_jobs).fit(X.iloc[train], y[train])
        seconds = time.perf_counter() - start
        raw = pipeline.predict_proba(X.iloc[valid])[:, 1]
        p = cross_calibrated(raw, y[valid], method, seed)
        tried.append({"model": name, "params": _params_text(params), "validation_log_loss": float(log_loss(y[valid], p)),
                      "validation_auc": float(roc_auc_score(y[valid], raw)), "fit_seconds": seconds,
                      "_params": params, "_p": p})
    return _one_standard_error(tried, y[valid])


def _one_standard_error(tried: list[dict], y: np.ndarray) -> dict:
    """The most regularised setting (first in the grid) whose validation log-loss is within one
    standard error of the best one's (Hastie, Tibshirani & Friedman, ESL 7.10): a single validation
    period is noisy, and the weaker penalty it tends to favour did worse on later days."""
    losses = [-(y * np.log(r["_p"]) + (1 - y) * np.log(1 - r["_p"])) for r in tried]
    best = int(np.argmin([loss.mean() for loss in losses]))
    for record, loss in zip(tried, losses):
        difference = loss - losses[best]
        if difference.mean() <= difference.std() / np.sqrt(len(y)):
            return record
    return tried[best]


def _cap(part: np.ndarray, limit: int, seed: int) -> np.ndarray:
    """At most ``limit`` rows of ``part``, drawn evenly over its time span (kept in time order)."""
    if len(part) <= limit:
        return part
    return np.sort(np.random.default_rng(seed).choice(part, limit, replace=False))


def _value_per_conversion(frame: pd.DataFrame, y: np.ndarray, train: np.ndarray, target: Target) -> float | None:
    """Mean revenue of a training conversion: the value an expected conversion is worth when scoring."""
    if target != "converted" or "revenue" not in frame.columns:
        return None
    revenue = pd.to_numeric(frame["revenue"].iloc[train], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    value = np.nanmean(revenue[y[train]]) if y[train].any() else np.nan
    return None if np.isnan(value) else float(value)
