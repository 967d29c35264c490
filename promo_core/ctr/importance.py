"""Which columns the model leans on: scikit-learn's permutation importance on the test part.

Each design column (a feature, or hour / weekday / daily volume derived from the timestamp) is
shuffled in turn and the fall in AUC and rise in log-loss are measured on rows the model never saw,
so a column that only helped the model memorise training rows scores about zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance

N_REPEATS = 3


def permutation_table(estimator: object, X: pd.DataFrame, y: np.ndarray, max_rows: int, seed: int) -> pd.DataFrame:
    """feature, auc_drop (+ std), log_loss_rise (+ std), largest AUC drop first; at most ``max_rows`` rows."""
    if len(X) > max_rows:
        keep = np.sort(np.random.default_rng(seed).choice(len(X), max_rows, replace=False))
        X, y = X.iloc[keep], y[keep]
    result = permutation_importance(
        estimator, X, y.astype(int), scoring=["roc_auc", "neg_log_loss"], n_repeats=N_REPEATS,
        random_state=seed, n_jobs=1,
    )
    table = pd.DataFrame({
        "feature": list(X.columns),
        "auc_drop": result["roc_auc"].importances_mean,
        "auc_drop_std": result["roc_auc"].importances_std,
        "log_loss_rise": result["neg_log_loss"].importances_mean,
        "log_loss_rise_std": result["neg_log_loss"].importances_std,
    })
    return table.sort_values("auc_drop", ascending=False, kind="stable").reset_index(drop=True)
