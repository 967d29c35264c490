"""Item-to-item co-purchase similarity: "customers who bought this also bought".

Cosine similarity between items' buyer sets, pruned to each item's strongest ``neighbours``. The
co-buyer counts ``X.T @ X`` are computed by scipy one block of columns at a time and pruned at once,
because the whole product of a grocery shop (a few thousand households buying hundreds of products
each) holds hundreds of millions of pairs. Pruning per column keeps every item reachable from its own
best neighbours. On large catalogues the model keeps to the items with the most buyers
(:meth:`Interactions.top_items`), as EASE does: the block products cost about the sum over
customers of their distinct items squared, and an item with a handful of buyers has no reliable
neighbours anyway.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import scipy.sparse as sp

from promo_core.recommend.batch import BLOCK_CELLS, Batch
from promo_core.recommend.interactions import Interactions
from promo_core.recommend.reasons import strongest_source

def top_k_per_row(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and values of each row's ``k`` largest positive entries (ties with the k-th kept)."""
    k = min(k, block.shape[1])
    if k == 0 or block.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=block.dtype)
    cutoff = -np.partition(-block, k - 1, axis=1)[:, k - 1]  # 20x faster than selecting from the top on ties
    rows, columns = np.nonzero((block >= cutoff[:, None]) & (block > 0))
    return rows, columns, block[rows, columns]


class ItemKNNScorer:
    """Scores an item by its summed cosine similarity to the customer's purchases."""

    def __init__(self, neighbours: int = 100) -> None:
        self.neighbours = neighbours

    def fit(self, data: Interactions) -> Self:
        active = data.top_items()
        binary = data.binary[:, active].tocsc()
        scale = (1.0 / np.sqrt(np.maximum(data.buyers()[active], 1))).astype(np.float32)
        step = max(1, BLOCK_CELLS // max(len(active), 1))
        sources, targets, values = [], [], []
        for start in range(0, len(active), step):
            stop = min(start + step, len(active))
            block = (binary[:, start:stop].T @ binary).toarray()  # co-buyers of items start:stop with all
            block[np.arange(stop - start), np.arange(start, stop)] = 0.0
            block *= scale[start:stop, None]
            block *= scale[None, :]
            target, source, value = top_k_per_row(block, self.neighbours)
            sources.append(active[source])
            targets.append(active[start + target])
            values.append(value)
        self.similarity_ = sp.csr_matrix(
            (np.concatenate(values).astype(np.float32), (np.concatenate(sources), np.concatenate(targets))),
            shape=(data.shape[1], data.shape[1]),
        )  # column j holds the neighbours of item j, so history @ similarity_ scores every item
        self.binary_ = data.binary.tocsc()
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
        shared = (self.binary_[:, index].T @ self.binary_[:, [item]]).toarray().ravel()
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
