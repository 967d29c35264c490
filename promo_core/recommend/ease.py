"""EASE (Steck 2019): a linear item-item model for purchases, fitted in closed form.

The weights solve a ridge regression of every item's purchase column on all other items' columns
with a zero diagonal: ``P = (X'X + lambda I)^-1``, ``B = -P / diag(P)``, ``diag(B) = 0``. No library
ships it for scipy matrices, so it is written here with LAPACK's Cholesky (``spotrf``/``spotri``) in
float32, in place. Memory is about 3 x items^2 x 4 bytes at the peak: 1.2 GB for 10,000 bought items.
So the solve keeps to the 10,000 items with the most buyers (:meth:`Interactions.top_items`; a grocery
chain sells 60,000+ products, most of them bought by a handful of customers), and to at most
:data:`ITEMS_PER_CUSTOMER` times as many items as customers: the Gram matrix of n customers has rank
at most n, so further items add cubic solve time and little the ridge can use (on 2,453 grocery
households, 1,250 to 10,000 items rank new items alike). The rest score zero here and reach
customers through co-purchase, content and popularity.
"""

from __future__ import annotations

from typing import Self

import numpy as np
from scipy.linalg import lapack
from threadpoolctl import threadpool_limits

from promo_core.errors import InsufficientDataError
from promo_core.recommend.batch import Batch
from promo_core.recommend.interactions import ITEM_MODEL_LIMIT, Interactions
from promo_core.recommend.item_similarity import similar_to_reasons
from promo_core.recommend.reasons import strongest_source

ITEMS_PER_CUSTOMER = 2
DEFAULT_L2 = 200.0
"""Chosen on the month before the holdout of three shops (sample shop, bulk generator, grocery data):
against 50 it ranks new items 0-12% better, and 500 helps only grocery. ``evaluate_recommenders``
chooses the penalty per shop from ``hybrid.EASE_L2_GRID`` unless one is given."""


class EASEScorer:
    """Closed-form ridge regression of each item on the others (``l2`` is the ridge penalty)."""

    def __init__(self, l2: float = DEFAULT_L2) -> None:
        self.l2 = l2

    def fit(self, data: Interactions) -> Self:
        active = data.top_items(min(ITEM_MODEL_LIMIT, ITEMS_PER_CUSTOMER * data.shape[0]))
        binary = data.binary[:, active]
        gram = (binary.T @ binary).toarray().astype(np.float32, copy=False)
        gram[np.diag_indices_from(gram)] += self.l2
        self.weights_ = _ease_weights(gram)
        self.active_ = active
        self.n_items_ = data.shape[1]
        self.item_ids_ = data.item_ids.to_numpy(dtype=object)
        self.item_names_ = data.item_names
        return self

    def score(self, batch: Batch) -> np.ndarray:
        if len(self.active_) == self.n_items_:
            return batch.history @ self.weights_
        scores = np.zeros((len(batch), self.n_items_), dtype=np.float32)
        scores[:, self.active_] = batch.history[:, self.active_] @ self.weights_
        return scores

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> tuple[list[str], list[dict]]:
        position = np.full(self.n_items_, -1)
        position[self.active_] = np.arange(len(self.active_))
        history = batch.history[:, self.active_]
        target = position[item]
        source = np.full(len(user), -1)
        ok = target >= 0
        found = strongest_source(history, self.weights_, user[ok], target[ok])
        source[ok] = np.where(found >= 0, self.active_[np.maximum(found, 0)], -1)
        return similar_to_reasons(source, self)


def _ease_weights(gram: np.ndarray) -> np.ndarray:
    """``B = -P / diag(P)`` with ``P`` the inverse of the (positive definite) regularised Gram matrix.

    Everything happens in the Gram matrix's own memory: LAPACK factorises and inverts it in place,
    the inverse's lower triangle is filled from the upper one in row blocks, and the columns are
    scaled in place, so the peak is one items x items float32 array plus a 32 MB block. LAPACK runs on
    one thread: on this two-core machine, with anything else running, OpenBLAS's two threads took
    35-40 s for the 10,000-item factorisation and inverse that one thread does in 9 s.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        factor, info = lapack.spotrf(gram.T, lower=0, clean=1, overwrite_a=1)
    if info != 0:
        raise InsufficientDataError(
            "The item co-purchase matrix is not positive definite; raise the EASE penalty l2.",
            code="ease_not_positive_definite",
            info=int(info),
        )
    with threadpool_limits(limits=1, user_api="blas"):
        inverse, info = lapack.spotri(factor, lower=0, overwrite_c=1)
    size = inverse.shape[0]
    step = max(1, (8 << 20) // max(size, 1))
    for start in range(0, size, step):  # inverse[i, j] is valid for i <= j: mirror it below the diagonal
        stop = min(start + step, size)
        inverse[start:stop, :start] = inverse[:start, start:stop].T
        block = inverse[start:stop, start:stop]
        block[...] = np.triu(block) + np.triu(block, 1).T
    weights = inverse.T  # symmetric, and C-contiguous this way round, as sparse @ dense wants it
    weights /= -np.diag(weights).copy()
    np.fill_diagonal(weights, 0.0)
    return weights
