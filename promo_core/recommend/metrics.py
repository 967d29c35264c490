"""Top-k ranking metrics, averaged over customers.

scikit-learn's ``ndcg_score`` and ``top_k_accuracy_score`` need a dense score for every item and
customer, and it has no recall@k, catalogue coverage or novelty, so the usual definitions are written
here on a ``hits`` matrix: one row per customer, ``hits[u, r]`` is True when the item at rank r+1 was
bought in the holdout. ``n_relevant`` is how many distinct items each customer bought there.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence

import numpy as np


def hit_matrix(
    recommended: Sequence[Sequence[Hashable]], relevant: Sequence[Collection[Hashable]], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """``hits`` (customers x k) and ``n_relevant`` from lists of recommended ids and sets of bought ids."""
    hits = np.zeros((len(recommended), k), dtype=bool)
    for row, (items, bought) in enumerate(zip(recommended, relevant, strict=True)):
        bought = set(bought)
        for rank, item in enumerate(list(items)[:k]):
            hits[row, rank] = item in bought
    return hits, np.array([len(set(bought)) for bought in relevant], dtype=np.int64)


def precision_at_k(hits: np.ndarray) -> float:
    """Share of the k recommended slots that were bought (short lists count their empty slots)."""
    return float(hits.mean(axis=1).mean()) if len(hits) else float("nan")


def recall_at_k(hits: np.ndarray, n_relevant: np.ndarray) -> float:
    """Share of each customer's bought items found in the top k."""
    users = n_relevant > 0
    return float((hits[users].sum(axis=1) / n_relevant[users]).mean()) if users.any() else float("nan")


def ndcg_at_k(hits: np.ndarray, n_relevant: np.ndarray) -> float:
    """DCG of the hits (gain 1 at rank r discounted by log2(r + 1)) over the best achievable DCG."""
    users = n_relevant > 0
    if not users.any():
        return float("nan")
    discount = 1.0 / np.log2(np.arange(2, hits.shape[1] + 2))
    dcg = hits[users] @ discount
    ideal = np.concatenate([[0.0], np.cumsum(discount)])[np.minimum(n_relevant[users], hits.shape[1])]
    return float((dcg / ideal).mean())


def hit_rate(hits: np.ndarray) -> float:
    """Share of customers with at least one bought item in their top k."""
    return float(hits.any(axis=1).mean()) if len(hits) else float("nan")


def catalogue_coverage(recommended: np.ndarray, n_items: int) -> float:
    """Share of the catalogue that appears in at least one list (``recommended`` holds item indices, -1 empty)."""
    shown = np.unique(recommended[recommended >= 0])
    return float(len(shown) / n_items) if n_items else float("nan")


def novelty(recommended: np.ndarray, buyers: np.ndarray, n_customers: int) -> float:
    """Mean self-information -log2(share of customers who bought the item) of the recommended items.

    Items nobody bought count as bought by one customer, so they are the most novel, not infinite.
    """
    shown = recommended[recommended >= 0]
    if shown.size == 0:
        return float("nan")
    share = np.maximum(buyers[shown], 1) / n_customers
    return float(np.mean(-np.log2(share)))
