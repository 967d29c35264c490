"""Held-out quality of a click or conversion model: ranking, probability accuracy and calibration.

AUC and log-loss are scikit-learn's. scikit-learn's ``calibration_curve`` returns rates without bin
sizes, and it has no expected calibration error or lift table, so those are computed here with the
same binning rule (``np.searchsorted`` on the inner edges) so the curves agree with it exactly.
ECE uses equal-width bins by default (Naeini et al. 2015); the reliability table uses quantile bins
because click probabilities crowd into the first equal-width bin.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve

Strategy = Literal["uniform", "quantile"]
ROC_POINTS = 200
"""Points kept per ROC curve: enough to draw, small enough to ship to a browser."""


def _bin_ids(p: np.ndarray, n_bins: int, strategy: Strategy) -> np.ndarray:
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 100, n_bins + 1))
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    return np.searchsorted(edges[1:-1], p)


def reliability_table(y: np.ndarray, p: np.ndarray, n_bins: int = 10, strategy: Strategy = "quantile") -> pd.DataFrame:
    """Per non-empty bin: rows, mean predicted probability and observed rate (bin, n, predicted, observed)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    ids = _bin_ids(p, n_bins, strategy)
    n = np.bincount(ids, minlength=n_bins)
    predicted = np.bincount(ids, weights=p, minlength=n_bins)
    observed = np.bincount(ids, weights=y, minlength=n_bins)
    keep = n > 0
    return pd.DataFrame({
        "bin": np.arange(n_bins)[keep] + 1,
        "n": n[keep],
        "predicted": predicted[keep] / n[keep],
        "observed": observed[keep] / n[keep],
    })


def expected_calibration_error(y: np.ndarray, p: np.ndarray, n_bins: int = 10, strategy: Strategy = "uniform") -> float:
    """Row-weighted mean gap between predicted probability and observed rate over the bins."""
    table = reliability_table(y, p, n_bins, strategy)
    return float(np.sum(table["n"] * np.abs(table["predicted"] - table["observed"])) / table["n"].sum())


def lift_table(y: np.ndarray, p: np.ndarray, n_groups: int = 10) -> pd.DataFrame:
    """Rows ranked by predicted probability, cut into equal deciles (1 = highest scores).

    Columns: decile, n, positives, rate, predicted, lift (rate over the overall rate), cumulative_gain
    (share of all positives captured down to this decile) and cumulative_share of rows.
    """
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    order = np.argsort(-p, kind="stable")
    group = np.arange(len(p)) * n_groups // len(p)
    n = np.bincount(group, minlength=n_groups)
    positives = np.bincount(group, weights=y[order], minlength=n_groups)
    predicted = np.bincount(group, weights=p[order], minlength=n_groups)
    rate = positives / np.maximum(n, 1)
    overall = y.mean()
    return pd.DataFrame({
        "decile": np.arange(1, n_groups + 1),
        "n": n,
        "positives": positives,
        "rate": rate,
        "predicted": predicted / np.maximum(n, 1),
        "lift": rate / overall if overall > 0 else np.nan,
        "cumulative_gain": np.cumsum(positives) / max(y.sum(), 1.0),
        "cumulative_share": np.cumsum(n) / len(p),
    })


def roc_points(y: np.ndarray, p: np.ndarray, max_points: int = ROC_POINTS) -> pd.DataFrame:
    """scikit-learn's ROC curve, thinned to at most ``max_points`` (first and last kept)."""
    fpr, tpr, _ = roc_curve(y, p)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(max_points, len(fpr))).round().astype(int))
    return pd.DataFrame({"fpr": fpr[keep], "tpr": tpr[keep]})


def classification_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """AUC, log-loss, Brier score, ECE and expected against observed positives."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return {
        "rows": float(len(y)),
        "auc": float(roc_auc_score(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
        "ece_quantile": expected_calibration_error(y, p, strategy="quantile"),
        "observed": float(y.sum()),
        "expected": float(p.sum()),
        "observed_rate": float(y.mean()),
        "predicted_rate": float(p.mean()),
    }
