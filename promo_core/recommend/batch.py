"""A block of customers scored together, and the three shapes a component's scores can take.

Scoring every customer against every item is a dense customers x items block per component, which
is what makes a million-line shop slow and memory-hungry. So components return the cheapest shape
that holds their scores: a dense array (EASE, SVD), a sparse matrix (co-purchase and content
neighbours, buy again: most items score zero) or a :class:`RowTable` (popularity: one row per
segment, shared by its customers). The blend only ever builds one dense block per batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

BLOCK_CELLS = 2048 * 10_000
"""Cells of one dense float32 score block (80 MB): 2048 customers of a 10,000-item shop."""


def batch_rows(n_items: int) -> int:
    """Customers per score block, so that a block stays near :data:`BLOCK_CELLS` however large the catalogue."""
    return max(16, min(2048, BLOCK_CELLS // max(n_items, 1)))


@dataclass(frozen=True, eq=False)
class RowTable:
    """Scores ``table[index[u]]`` for customer ``u``: rows shared by many customers."""

    table: np.ndarray
    index: np.ndarray


Scores = np.ndarray | sp.csr_matrix | RowTable


@dataclass(frozen=True, eq=False)
class Batch:
    """Customers to score: interaction rows (-1 without purchases), segments and purchase history."""

    rows: np.ndarray
    segment: np.ndarray  # index into the popularity model's segments, -1 when unknown
    history: sp.csr_matrix  # binary purchases, an empty row for customers without purchases
    counts: sp.csr_matrix  # orders per item, same pattern as history

    def __len__(self) -> int:
        return len(self.rows)


def take_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """Rows of a CSR matrix in order, an empty row for each -1; the stored pattern is kept as is."""
    known = rows >= 0
    block = matrix[rows[known]]
    lengths = np.zeros(len(rows), dtype=np.int64)
    lengths[known] = np.diff(block.indptr)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    return sp.csr_matrix((block.data, block.indices, indptr), shape=(len(rows), matrix.shape[1]))


def make_batch(counts: sp.csr_matrix, rows: np.ndarray, segment: np.ndarray) -> Batch:
    """Slice the purchase matrix for ``rows``; unknown customers (-1) get an empty history."""
    block = take_rows(counts, rows)
    history = block.copy()
    history.data[:] = 1.0
    return Batch(rows=rows, segment=segment, history=history, counts=block)
