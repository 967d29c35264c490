"""Calibration on planted probabilities: distorted scores come back to the truth."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from promo_core.ctr.calibration import EPS, CalibratedModel, ScoreCalibrator, choose_method, cross_calibrated
from promo_core.ctr.metrics import expected_calibration_error


def _planted(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True probabilities, labels, and an overconfident score: sigmoid(2 x logit(p) + 1)."""
    rng = np.random.default_rng(seed)
    logit = rng.normal(-3.0, 1.0, n)
    p = 1 / (1 + np.exp(-logit))
    y = (rng.random(n) < p).astype(int)
    score = 1 / (1 + np.exp(-(2 * logit + 1)))
    return p, y, score


def test_sigmoid_calibration_recovers_planted_probabilities() -> None:
    p, y, score = _planted(200_000, 1)
    assert expected_calibration_error(y, score) > 0.02  # distorted on purpose
    calibrated = ScoreCalibrator("sigmoid").fit(score, y).predict(score)
    assert np.max(np.abs(calibrated - p)) < 0.005
    assert expected_calibration_error(y, calibrated) < 0.002
    assert calibrated.sum() == pytest.approx(y.sum(), rel=1e-4)  # Platt's intercept: expected adds up


def test_isotonic_calibration_recovers_planted_probabilities() -> None:
    p, y, score = _planted(200_000, 2)
    calibrated = ScoreCalibrator("isotonic").fit(score, y).predict(score)
    assert np.mean(np.abs(calibrated - p)) < 0.004
    assert calibrated.sum() == pytest.approx(y.sum(), abs=len(y) * EPS)  # isotonic keeps the total (up to the EPS floor)
    assert calibrated.min() >= EPS and calibrated.max() <= 1 - EPS


def test_cross_calibrated_scores_every_row_out_of_fold() -> None:
    _, y, score = _planted(20_000, 3)
    calibrated = cross_calibrated(score, y, "sigmoid", seed=0)
    assert calibrated.shape == y.shape
    assert expected_calibration_error(y, calibrated) < 0.005
    assert not np.allclose(calibrated, ScoreCalibrator("sigmoid").fit(score, y).predict(score))


def test_calibrated_model_refits_on_all_rows_and_calibrates_out_of_fold() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30_000, 3))
    p = 1 / (1 + np.exp(-(X @ np.array([1.5, -1.0, 0.5]) - 3)))
    y = (rng.random(len(p)) < p).astype(int)
    model = CalibratedModel(LogisticRegression(), "sigmoid").fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (30_000, 2) and np.allclose(proba.sum(axis=1), 1)
    assert model.estimator_.coef_.ravel() == pytest.approx([1.5, -1.0, 0.5], abs=0.1)
    assert np.max(np.abs(proba[:, 1] - p)) < 0.02
    assert model.predict(X).tolist() == (proba[:, 1] >= 0.5).astype(int).tolist()


@pytest.mark.parametrize(("method", "positives", "expected"), [
    ("auto", 4999, "sigmoid"), ("auto", 5000, "isotonic"), ("sigmoid", 10**6, "sigmoid"), ("isotonic", 10, "isotonic"),
])
def test_method_choice(method: str, positives: int, expected: str) -> None:
    assert choose_method(method, positives) == expected
