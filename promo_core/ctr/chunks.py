"""Scoring a large file on every core: row chunks in threads.

The work of scoring (pandas' hashing of text values, numpy copies, scikit-learn's tree traversal)
runs without Python's GIL, so threads share one copy of the model and of the rows (processes would
copy both). On the two-core machine with its second core free, a forest click and CVR pair scored
a million impressions in 2.2 s against 3.9 s on one thread, and a boosting model in 1.3 s against
1.7 s (its own OpenMP loop already spreads the trees over both cores); with the other core busy,
threads gain nothing. Rows are scored independently, so the result equals a one-thread run bit for
bit, and ``CHUNK_ROWS`` keeps each chunk's dense model input small (about 14 MB) whatever the
file's size. Boosting's OpenMP loop still starts inside each chunk; holding it to one thread was
not faster, and threadpoolctl is only safe to call from the main thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from joblib import effective_n_jobs

CHUNK_ROWS = 100_000


def predict_positive(estimator: object, X: pd.DataFrame, n_jobs: int | None = -1) -> np.ndarray:
    """P(positive) per row of ``X`` from ``estimator.predict_proba``, in chunks over ``n_jobs`` threads
    (joblib's convention: -1 for every core this process may use, None for joblib's default)."""
    starts = range(0, len(X), CHUNK_ROWS)
    workers = min(effective_n_jobs(n_jobs), len(starts))
    if workers <= 1:
        return estimator.predict_proba(X)[:, 1]
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda start: estimator.predict_proba(X.iloc[start:start + CHUNK_ROWS])[:, 1], starts)
        return np.concatenate(list(parts))
