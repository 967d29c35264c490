"""Metric functions against scikit-learn's own (calibration_curve, roc_auc_score, log_loss) to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import log_loss, roc_auc_score

from promo_core.ctr.metrics import (
    classification_metrics,
    expected_calibration_error,
    lift_table,
    reliability_table,
    roc_points,
)


@pytest.fixture(scope="module")
def planted() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    p = rng.beta(0.6, 12.0, 20_000)
    return (rng.random(p.size) < p).astype(int), p


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [5, 10, 15])
def test_reliability_table_matches_calibration_curve(planted, strategy: str, n_bins: int) -> None:
    y, p = planted
    table = reliability_table(y, p, n_bins, strategy)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(table["observed"], prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["predicted"], prob_pred, rtol=0, atol=1e-12)
    assert table["n"].sum() == len(y)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_ece_is_the_row_weighted_gap_of_calibration_curve(planted, strategy: str) -> None:
    y, p = planted
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy=strategy)
    edges = np.percentile(p, np.linspace(0, 100, 11)) if strategy == "quantile" else np.linspace(0, 1, 11)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=10)
    reference = np.sum(counts[counts > 0] * np.abs(prob_true - prob_pred)) / len(p)
    assert expected_calibration_error(y, p, strategy=strategy) == pytest.approx(reference, abs=1e-12)


def test_ece_of_a_hand_example() -> None:
    y = np.array([0, 1, 1, 0, 1])
    p = np.array([0.05, 0.15, 0.55, 0.65, 0.95])
    # uniform 10 bins: each row alone; gaps .05 .85 .45 .65 .05
    assert expected_calibration_error(y, p) == pytest.approx((0.05 + 0.85 + 0.45 + 0.65 + 0.05) / 5, abs=1e-12)


def test_classification_metrics_match_sklearn(planted) -> None:
    y, p = planted
    m = classification_metrics(y, p)
    assert m["auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-9)
    assert m["log_loss"] == pytest.approx(log_loss(y, p), abs=1e-9)
    assert m["observed"] == y.sum() and m["expected"] == pytest.approx(p.sum(), abs=1e-9)
    assert m["ece"] < 0.01  # planted probabilities are calibrated by construction


def test_lift_table_of_a_hand_example() -> None:
    y = np.array([1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    p = np.linspace(1.0, 0.1, 10)
    table = lift_table(y, p, n_groups=5)
    assert table["n"].tolist() == [2, 2, 2, 2, 2]
    assert table["positives"].tolist() == [1, 1, 0, 0, 0]
    assert table["lift"].tolist() == pytest.approx([2.5, 2.5, 0, 0, 0])
    assert table["cumulative_gain"].tolist() == pytest.approx([0.5, 1, 1, 1, 1])
    assert table["predicted"].iloc[0] == pytest.approx(0.95)


def test_roc_points_are_thinned_but_keep_the_ends(planted) -> None:
    y, p = planted
    points = roc_points(y, p, max_points=50)
    assert len(points) == 50
    assert points.iloc[0].tolist() == [0.0, 0.0] and points.iloc[-1].tolist() == [1.0, 1.0]
    assert points["fpr"].is_monotonic_increasing and points["tpr"].is_monotonic_increasing
