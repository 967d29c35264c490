"""Every algorithm as a weighted blend of component scores, the hybrid being the blend of several.

Each component's scores are divided by the customer's largest score, so weights compare like with
like. Every algorithm carries segment popularity at a tiny weight: it only orders what the main
component leaves at zero, so lists are always full and new customers get their segment's favourites.
The reason shown for an item is the component that contributed most to its blended score.

The hybrid's weights depend on the shop: in grocery, buying again is most of next month and the
co-purchase parts must stay small in "all" mode; in a shop of one-off purchases they carry it. So
:func:`hybrid_candidates` lists a small grid around the defaults, and ``evaluate_recommenders`` picks
from it, together with EASE's penalty from :data:`EASE_L2_GRID`, on the month before its holdout
(never on the holdout itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import scipy.sparse as sp

from promo_core.errors import SchemaError
from promo_core.recommend.batch import RowTable, Scores

Mode = Literal["discovery", "all"]
MODES: tuple[Mode, ...] = ("discovery", "all")
FILL = 1e-3
"""Weight of the segment-popularity fill under every algorithm."""

HYBRID_WEIGHTS: Mapping[Mode, Mapping[str, float]] = {
    "discovery": {"ease": 1.0, "item_knn": 0.5, "content": 0.2, "segment_popularity": 0.2},
    "all": {"repeat": 1.0, "ease": 0.25, "item_knn": 0.125, "content": 0.05, "segment_popularity": 0.05},
}
"""Defaults. "all" is the recency-weighted repeat score plus a quarter of the discovery blend: on the
month before the holdout it beat buy again both on grocery data and on the sample shop."""
DISCOVERY_GRID = {"item_knn": (0.5, 1.0), "segment_popularity": (0.05, 0.2, 0.5), "recent_popularity": (0.0, 0.25)}
"""Weights tried beside EASE's 1.0 in discovery mode (content stays at 0.2; a weight of 0 leaves the part out)."""
EASE_L2_GRID = (200.0, 1000.0, 5000.0)
"""EASE penalties tried with every discovery blend; each is one items x items solve. On the month
before the holdout 200 won on the sample shop and on grocery data, 5,000 on the bulk generator
(9% better there than 200, 2.5% on the holdout)."""
EASE_SEARCH_MAX_ITEMS = 3_000
"""Above this many bought products one EASE solve takes seconds (10,000: about 9 s on one core) and
the search would more than double ``algorithm="auto"`` (1M lines: 57 s -> 141 s for 2.5%), so the
given or default penalty is used."""
REPLENISHMENT = ("buy_again", "repeat")
"""Own-history scores tried in "all" mode: plain order counts suit steady staples, recency-weighted
counts suit shops whose customers drift (grocery)."""
REPEAT_SHARES = (0.0, 0.1, 0.25, 0.5, 1.0)
"""Weights tried for the discovery blend beside the own-history score's 1.0 in "all" mode."""
ALGORITHMS = (
    "popularity", "segment_popularity", "recent_popularity", "buy_again", "item_knn", "ease", "content", "svd",
    "hybrid",
)
BASELINES = ("popularity", "buy_again")
COMPONENTS = (*(a for a in ALGORITHMS if a != "hybrid"), "repeat")


def algorithm_weights(
    algorithm: str, mode: Mode, hybrid: Mapping[Mode, Mapping[str, float]] | None = None
) -> dict[str, float]:
    """Component weights of ``algorithm`` in ``mode``; ``hybrid`` replaces the default hybrid weights."""
    if algorithm == "hybrid":
        return dict((hybrid or {}).get(mode) or HYBRID_WEIGHTS[mode])
    if algorithm == "popularity":
        return {"popularity": 1.0}
    return {algorithm: 1.0, "segment_popularity": FILL}


def check_hybrid_weights(weights: Mapping[Mode, Mapping[str, float]] | None) -> None:
    """Hybrid weights name known modes and components, with weights that are numbers of at least 0."""
    for mode, parts in (weights or {}).items():
        for name, weight in dict(parts).items():
            if mode not in MODES or name not in COMPONENTS or not _is_weight(weight):
                raise SchemaError(
                    f"Hybrid weight {mode!r} -> {name!r} = {weight!r} is not usable: modes are {', '.join(MODES)}, "
                    f"components {', '.join(COMPONENTS)}, and weights numbers of at least 0.",
                    code="hybrid_weights_invalid",
                    mode=str(mode),
                    component=str(name),
                    weight=str(weight),
                )


def _is_weight(weight: object) -> bool:
    return isinstance(weight, (int, float, np.integer, np.floating)) and not isinstance(weight, bool) and weight >= 0


def hybrid_candidates(mode: Mode, discovery: Mapping[str, float] | None = None) -> list[dict[str, float]]:
    """Hybrid weights to try in ``mode``; "all" mode adds ``discovery`` (its chosen blend) to an own-history score."""
    if mode == "discovery":
        return [
            {"ease": 1.0, "item_knn": knn, "content": 0.2, "segment_popularity": popular}
            | ({"recent_popularity": recent} if recent else {})
            for recent in DISCOVERY_GRID["recent_popularity"]
            for knn in DISCOVERY_GRID["item_knn"]
            for popular in DISCOVERY_GRID["segment_popularity"]
        ]
    discovery = discovery or HYBRID_WEIGHTS["discovery"]
    return [
        {own: 1.0, **{name: round(share * weight, 6) for name, weight in discovery.items()}}
        if share else {own: 1.0, "segment_popularity": FILL}
        for own in REPLENISHMENT
        for share in REPEAT_SHARES
    ]


def _row_scale(row_max: np.ndarray, weight: float) -> np.ndarray:
    return np.divide(np.float32(weight), row_max, out=np.zeros(len(row_max), dtype=np.float32), where=row_max > 0)


class Blend:
    """The weighted sum of row-normalised component scores for one batch, built in one dense block.

    Popularity tables are laid down first (one gather), dense parts are scaled into a copy (the
    evaluation blends the same parts several ways) and added, sparse parts are added at their stored
    cells only: a few passes over the block, not one per step.
    """

    def __init__(self, parts: Mapping[str, Scores], weights: Mapping[str, float], shape: tuple[int, int]) -> None:
        self.names = list(weights)
        self.parts: dict[str, Scores] = {}
        order = sorted(self.names, key=lambda n: (not isinstance(parts[n], RowTable), sp.issparse(parts[n])))
        total = None
        for name in order:
            part, weight = parts[name], weights[name]
            if isinstance(part, RowTable):
                part = RowTable(part.table * _row_scale(part.table.max(axis=1), weight)[:, None], part.index)
                rows = np.broadcast_to(part.table[0], shape) if len(part.table) == 1 else part.table[part.index]
                total = np.array(rows, dtype=np.float32) if total is None else _add(total, rows)
            elif isinstance(part, np.ndarray):
                part = part * _row_scale(part.max(axis=1), weight)[:, None]
                total = part.copy() if total is None else _add(total, part)
            else:
                part = sp.csr_matrix(part, dtype=np.float32, copy=True)
                part.data *= np.repeat(_row_scale(_sparse_row_max(part), weight), np.diff(part.indptr))
                total = np.zeros(shape, dtype=np.float32) if total is None else total
                rows = np.repeat(np.arange(shape[0]), np.diff(part.indptr))
                total.reshape(-1)[rows * shape[1] + part.indices] += part.data
            self.parts[name] = part
        self.total = total

    def leaders(self, user: np.ndarray, item: np.ndarray) -> np.ndarray:
        """Per (user, item) pair: the name of the component that contributed most to its blended score."""
        if len(user) == 0:
            return np.empty(0, dtype=object)
        values = np.vstack([_values_at(self.parts[name], user, item) for name in self.names])
        return np.asarray(self.names, dtype=object)[values.argmax(axis=0)]


def _add(total: np.ndarray, rows: np.ndarray) -> np.ndarray:
    total += rows
    return total


def _sparse_row_max(matrix: sp.csr_matrix) -> np.ndarray:
    """Largest stored value per row (0 for empty rows) without sorting the indices as scipy's max does."""
    row_max = np.zeros(matrix.shape[0], dtype=np.float32)
    filled = np.diff(matrix.indptr) > 0
    if filled.any():
        row_max[filled] = np.maximum.reduceat(matrix.data, matrix.indptr[:-1][filled])
    return row_max


def _values_at(part: Scores, user: np.ndarray, item: np.ndarray) -> np.ndarray:
    if isinstance(part, RowTable):
        return part.table[0 if len(part.table) == 1 else part.index[user], item]
    if isinstance(part, np.ndarray):
        return part[user, item]
    return np.asarray(part[user, item]).ravel()
