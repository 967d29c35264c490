"""Item-to-item co-purchase similarity: "customers who bought this also bought".

Cosine similarity between items' buyer sets, computed as one sparse product ``X.T @ X`` and pruned
to each item's strongest ``neighbours``; scipy does the sparse algebra, so nothing here is an
item-by-item loop. Pruning per column keeps every item reachable from its own best neighbours.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import scipy.sparse as sp

from promo_core.recommend.batch import Batch
from promo_core.recommend.interactions import Interactions
from promo_core.recommend.reasons import strongest_source


def top_k_per_column(matrix: sp.spmatrix, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of every column."""
    csc = sp.csc_matrix(matrix)
    csc.sum_duplicates()
    column = np.repeat(np.arange(csc.shape[1]), np.diff(csc.indptr))
    top = np.abs(csc.data).max(initial=0.0)
    # one float sort key instead of a two-key lexsort: the column, then the value descending within it
    order = np.argsort(column + 0.5 * (1.0 - csc.data / (top if top > 0 else 1.0)), kind="stable")
    keep = order[np.arange(order.size) - csc.indptr[column[order]] < k]
    return sp.csr_matrix((csc.data[keep], (csc.indices[keep], column[keep])), shape=csc.shape)


class ItemKNNScorer:
    """Scores an item by its summed cosine similarity to the customer's purchases."""

    def __init__(self, neighbours: int = 100) -> None:
        self.neighbours = neighbours

    def fit(self, data: Interactions) -> Self:
        binary = data.binary
        co_buyers = (binary.T @ binary).tocsr()
        co_buyers.setdiag(0)
        co_buyers.eliminate_zeros()
        scale = sp.diags(1.0 / np.sqrt(np.maximum(data.buyers(), 1)).astype(np.float32))
        self.similarity_ = top_k_per_column(scale @ co_buyers @ scale, self.neighbours)
        self.co_buyers_ = co_buyers
        self.item_ids_ = data.item_ids.to_numpy(dtype=object)
        self.item_names_ = data.item_names
        return self

    def score(self, batch: Batch) -> sp.csr_matrix:
        return batch.history @ self.similarity_

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> tuple[list[str], list[dict]]:
        return similar_to_reasons(strongest_source(batch.history, self.similarity_, user, item), self)

    def neighbours_of(self, item: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ``n`` items most similar to ``item``: indices, cosine similarity and shared buyers."""
        column = self.similarity_[:, [item]].tocoo()
        order = np.lexsort((column.row, -column.data))[:n]
        index = column.row[order]
        shared = self.co_buyers_[:, [item]].toarray().ravel()[index]
        return index, column.data[order], shared.astype(np.int64)


def similar_to_reasons(source: np.ndarray, model: ItemKNNScorer | object) -> tuple[list[str], list[dict]]:
    """("similar_to", {"item", "item_name"}) per pair; a pair without a source says "popular"."""
    codes, params = [], []
    for j in source.tolist():
        if j >= 0:
            codes.append("similar_to")
            params.append({"item": model.item_ids_[j], "item_name": model.item_names_[j]})
        else:
            codes.append("popular")
            params.append({})
    return codes, params
