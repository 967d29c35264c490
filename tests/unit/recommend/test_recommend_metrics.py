"""Ranking metrics against cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from promo_core.recommend import (
    catalogue_coverage,
    hit_matrix,
    hit_rate,
    ndcg_at_k,
    novelty,
    precision_at_k,
    recall_at_k,
)

# customer 1: list a b c, bought {a, c, d}: hits at ranks 1 and 3
# customer 2: list x y (short), bought {y}: hit at rank 2
# customer 3: list p q r, bought {z}: no hit
RECOMMENDED = [["a", "b", "c"], ["x", "y"], ["p", "q", "r"]]
RELEVANT = [{"a", "c", "d"}, {"y"}, {"z"}]


@pytest.fixture()
def hits() -> tuple[np.ndarray, np.ndarray]:
    return hit_matrix(RECOMMENDED, RELEVANT, k=3)


def test_hit_matrix(hits) -> None:
    found, n_relevant = hits
    assert found.tolist() == [[True, False, True], [False, True, False], [False, False, False]]
    assert n_relevant.tolist() == [3, 1, 1]


def test_precision_counts_empty_slots(hits) -> None:
    found, _ = hits
    assert precision_at_k(found) == pytest.approx((2 / 3 + 1 / 3 + 0) / 3)


def test_recall(hits) -> None:
    found, n_relevant = hits
    assert recall_at_k(found, n_relevant) == pytest.approx((2 / 3 + 1 + 0) / 3)


def test_ndcg(hits) -> None:
    found, n_relevant = hits
    first = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3) + 1 / math.log2(4))
    second = (1 / math.log2(3)) / 1.0
    assert ndcg_at_k(found, n_relevant) == pytest.approx((first + second + 0) / 3)


def test_ndcg_is_one_for_a_perfect_list() -> None:
    found, n_relevant = hit_matrix([["a", "b"], ["c", "x"]], [{"a", "b"}, {"c"}], k=2)
    assert ndcg_at_k(found, n_relevant) == pytest.approx(1.0)
    assert hit_rate(found) == 1.0


def test_ideal_dcg_is_capped_at_k() -> None:
    found, n_relevant = hit_matrix([["a", "b"]], [{"a", "b", "c", "d"}], k=2)
    assert ndcg_at_k(found, n_relevant) == pytest.approx(1.0)
    assert recall_at_k(found, n_relevant) == pytest.approx(0.5)


def test_hit_rate(hits) -> None:
    assert hit_rate(hits[0]) == pytest.approx(2 / 3)


def test_coverage_and_novelty() -> None:
    top = np.array([[0, 1, -1], [1, 2, 3]])
    assert catalogue_coverage(top, 10) == pytest.approx(0.4)
    buyers = np.array([50, 25, 0, 100])  # item 2 never bought: counted as one buyer
    expected = np.mean([-math.log2(50 / 100), -math.log2(25 / 100), -math.log2(25 / 100),
                        -math.log2(1 / 100), -math.log2(100 / 100)])
    assert novelty(top, buyers, 100) == pytest.approx(expected)


def test_no_customers_gives_nan() -> None:
    empty = np.zeros((0, 3), dtype=bool)
    assert math.isnan(precision_at_k(empty)) and math.isnan(hit_rate(empty))
    assert math.isnan(ndcg_at_k(empty, np.zeros(0, dtype=int)))
