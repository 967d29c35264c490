"""Probabilities that mean what they say: a calibrator fitted on predictions for unseen rows.

Platt's sigmoid (a logistic regression on the model's logit) when positives are few, isotonic
regression when there are enough (its steps need many events; Niculescu-Mizil & Caruana 2005),
both from scikit-learn. :class:`CalibratedModel` follows ``CalibratedClassifierCV(ensemble=False)``:
out-of-fold predictions (contiguous folds, so each half is predicted by a model of the other)
train the calibrator and the model itself is refitted on all rows. It is written out so the same
one-dimensional calibrator also compares candidates fairly (:func:`cross_calibrated`) and so
probabilities stay inside ``[EPS, 1 - EPS]``: an isotonic step at exactly 0 would make one later
click cost an infinite log-loss.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

Method = Literal["auto", "isotonic", "sigmoid"]
EPS = 1e-6
ISOTONIC_MIN_POSITIVES = 5000


def choose_method(method: Method, positives: int) -> Literal["isotonic", "sigmoid"]:
    """``auto``: isotonic with at least ``ISOTONIC_MIN_POSITIVES`` positives to calibrate on, else sigmoid."""
    if method == "auto":
        return "isotonic" if positives >= ISOTONIC_MIN_POSITIVES else "sigmoid"
    return method


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p)).reshape(-1, 1)


class ScoreCalibrator(BaseEstimator):
    """Maps raw model probabilities to calibrated ones (a one-dimensional fit)."""

    def __init__(self, method: Literal["isotonic", "sigmoid"] = "sigmoid") -> None:
        self.method = method

    def fit(self, p: np.ndarray, y: np.ndarray) -> ScoreCalibrator:
        if self.method == "isotonic":
            self.mapper_ = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(p, y)
        else:
            self.mapper_ = LogisticRegression(C=1e6).fit(_logit(p), y)
        return self

    def predict(self, p: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            calibrated = self.mapper_.predict(np.asarray(p, dtype=float))
        else:
            calibrated = self.mapper_.predict_proba(_logit(p))[:, 1]
        return np.clip(calibrated, EPS, 1 - EPS)


def cross_calibrated(p: np.ndarray, y: np.ndarray, method: Literal["isotonic", "sigmoid"], seed: int) -> np.ndarray:
    """Out-of-fold calibrated probabilities on the validation part (two folds), to compare candidates
    after calibration without scoring a calibrator on the rows it was fitted to."""
    out = np.empty(len(p))
    for fit_rows, score_rows in StratifiedKFold(2, shuffle=True, random_state=seed).split(p.reshape(-1, 1), y):
        out[score_rows] = ScoreCalibrator(method).fit(p[fit_rows], y[fit_rows]).predict(p[score_rows])
    return out


class CalibratedModel(ClassifierMixin, BaseEstimator):
    """A classifier refitted on all rows plus a calibrator trained on its out-of-fold predictions."""

    def __init__(self, estimator: object, method: Literal["isotonic", "sigmoid"] = "sigmoid", folds: int = 2) -> None:
        self.estimator = estimator
        self.method = method
        self.folds = folds

    def fit(self, X: object, y: np.ndarray) -> CalibratedModel:
        y = np.asarray(y).astype(int)
        self.classes_ = np.array([0, 1])
        raw = cross_val_predict(clone(self.estimator), X, y, cv=KFold(self.folds), method="predict_proba")[:, 1]
        self.calibrator_ = ScoreCalibrator(self.method).fit(raw, y)
        self.estimator_ = clone(self.estimator).fit(X, y)
        return self

    def predict_proba(self, X: object) -> np.ndarray:
        p = self.calibrator_.predict(self.estimator_.predict_proba(X)[:, 1])
        return np.column_stack([1 - p, p])

    def predict(self, X: object) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)
