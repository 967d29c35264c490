"""Why an item was recommended: the customer's own purchase that pulled it in most strongly.

Reasons travel as a code plus parameters (``("similar_to", {"item": ...})``); the UI turns them
into sentences in the user's language.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def strongest_source(
    history: sp.csr_matrix, weights: np.ndarray | sp.csr_matrix, user: np.ndarray, item: np.ndarray
) -> np.ndarray:
    """For each (user, item) pair, the bought item ``j`` with the largest ``weights[j, item]``; -1 if none > 0."""
    lengths = np.diff(history.indptr)[user]
    pair = np.repeat(np.arange(len(user)), lengths)
    if pair.size == 0:
        return np.full(len(user), -1)
    starts = np.repeat(history.indptr[user] - np.cumsum(lengths) + lengths, lengths)
    source = history.indices[starts + np.arange(pair.size)]
    if sp.issparse(weights):
        strength = np.asarray(weights[source, item[pair]]).ravel()
    else:
        strength = weights[source, item[pair]]
    order = np.lexsort((-strength, pair))
    first = order[np.r_[True, pair[order][1:] != pair[order][:-1]]]
    best = np.full(len(user), -1)
    positive = strength[first] > 0
    best[pair[first][positive]] = source[first][positive]
    return best
