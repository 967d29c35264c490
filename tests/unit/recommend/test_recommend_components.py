"""Each component against an independent computation: numpy, scikit-learn or surprise itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from recommend_orders import tiny_orders
from sklearn.metrics.pairwise import cosine_similarity
from surprise import SVD, Dataset, Reader

from promo_core.recommend import fit_recommender
from promo_core.recommend.baselines import RecentPopularityScorer
from promo_core.recommend.batch import make_batch, take_rows
from promo_core.recommend.content import ContentScorer, tokens
from promo_core.recommend.ease import EASEScorer
from promo_core.recommend.explicit import SVDScorer
from promo_core.recommend.hybrid import Blend
from promo_core.recommend.interactions import build_interactions
from promo_core.recommend.item_similarity import ItemKNNScorer, top_k_per_row
from promo_core.recommend.model import top_n


@pytest.fixture()
def small() -> pd.DataFrame:
    rows = [("c1", "a", "2025-01-01"), ("c1", "b", "2025-01-02"), ("c1", "a", "2025-01-09"),
            ("c2", "a", "2025-01-03"), ("c2", "c", "2025-01-04"), ("c3", "b", "2025-01-05"),
            ("c3", "c", "2025-01-06"), ("c3", "d", "2025-01-07"), ("c4", "d", "2025-01-08")]
    return tiny_orders(rows)


def test_interactions_count_orders_not_lines_and_skip_returns_and_guests(small) -> None:
    extra = pd.DataFrame({
        "customer_id": ["c1", None, "c2"], "item_id": ["a", "a", "c"], "order_id": ["O0", "G1", "R1"],
        "order_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-05"]), "quantity": [1.0, 1.0, -1.0],
        "amount": [10.0, 10.0, -10.0], "is_return": [False, False, True],
    })
    orders = pd.concat([small, extra], ignore_index=True)  # a second line of order O0, a guest, a return
    data = build_interactions(orders)
    counts = pd.DataFrame(data.counts.toarray(), index=data.customer_ids, columns=data.item_ids)
    assert counts.loc["c1", "a"] == 2 and counts.loc["c2", "c"] == 1
    assert data.guest_lines == 1 and data.return_lines == 1
    assert data.as_of_day == int(np.datetime64("2025-01-10", "D").astype(np.int64))


def test_catalogue_items_get_columns_and_unknown_items_are_counted(small) -> None:
    items = pd.DataFrame({"item_id": ["a", "b", "c", "new"], "item_name": ["A", "B", "C", "New"]})
    data = build_interactions(small, items)
    assert "new" in data.item_ids and data.catalogue_only_items == 1 and data.unknown_items == 1  # d
    assert data.item_names[data.item_ids.get_loc("new")] == "New"


def test_item_knn_is_cosine_of_buyer_sets(small) -> None:
    data = build_interactions(small)
    model = ItemKNNScorer(neighbours=10).fit(data)
    expected = cosine_similarity(data.binary.T.toarray())
    np.fill_diagonal(expected, 0)
    assert model.similarity_.toarray() == pytest.approx(expected, rel=1e-6)


def test_top_k_per_row_keeps_the_largest_positive_entries() -> None:
    matrix = np.array([[0, 3, 4, 1], [5, 0, 6, 1], [1, 2, 0, 9], [0, 0, 0, 0]], dtype=float)
    rows, columns, values = top_k_per_row(matrix, 2)
    pruned = np.zeros_like(matrix)
    pruned[rows, columns] = values
    assert pruned.tolist() == [[0, 3, 4, 0], [5, 0, 6, 0], [0, 2, 0, 9], [0, 0, 0, 0]]


def test_ease_matches_the_closed_form_in_float64(shop_orders) -> None:
    data = build_interactions(shop_orders)
    model = EASEScorer(l2=50.0).fit(data)
    x = data.binary.toarray().astype(np.float64)[:, model.active_]
    inverse = np.linalg.inv(x.T @ x + 50.0 * np.eye(x.shape[1]))
    expected = -inverse / np.diag(inverse)
    np.fill_diagonal(expected, 0.0)
    assert model.weights_.dtype == np.float32
    assert np.abs(model.weights_ - expected).max() < 1e-4


def test_chinese_names_are_cut_into_words_and_english_stop_words_dropped() -> None:
    assert tokens("无线蓝牙耳机 白色") == ["无线", "蓝牙", "耳机", "白色"]
    assert tokens("Wireless 蓝牙耳机") == ["wireless", "蓝牙", "耳机"]
    assert tokens("Roasted almonds (single pack)") == ["roasted", "almonds", "single", "pack"]
    assert "the" not in tokens("The best of the tea")


def test_new_item_reaches_customers_through_content(small) -> None:
    items = pd.DataFrame({
        "item_id": ["a", "b", "c", "d", "n"],
        "item_name": ["green tea", "black coffee", "oolong tea leaves", "coffee beans", "jasmine green tea"],
        "category": ["tea", "coffee", "tea", "coffee", "tea"],
    })
    data = build_interactions(small, items)
    content = ContentScorer(neighbours=3).fit(data, items)
    batch = make_batch(data.counts, data.customer_rows(["c2"]), np.array([-1]))
    scores = content.score(batch).toarray()[0]
    new = data.item_ids.get_loc("n")
    assert scores[new] > 0 and scores[new] > scores[data.item_ids.get_loc("d")]


def test_svd_scores_are_surprise_predictions(shop_orders, shop_reviews) -> None:
    data = build_interactions(shop_orders)
    model = SVDScorer(factors=20, random_state=3).fit(data, shop_reviews)
    ratings = shop_reviews[["customer_id", "item_id", "rating"]]
    trainset = Dataset.load_from_df(ratings, Reader(rating_scale=(1, 5))).build_full_trainset()
    reference = SVD(n_factors=20, random_state=3).fit(trainset)
    customer = ratings["customer_id"].iloc[0]
    row = data.customer_rows([customer])
    ours = model.predict(row)[0]
    items = data.item_ids[:30]
    expected = [reference.predict(customer, item).est for item in items]
    assert ours[:30] == pytest.approx(expected, abs=1e-4)


def test_take_rows_gives_empty_rows_for_unknown_customers(small) -> None:
    data = build_interactions(small)
    block = take_rows(data.counts, np.array([1, -1, 0]))
    assert block.toarray()[1].sum() == 0
    assert block.toarray()[0].tolist() == data.counts.toarray()[1].tolist()


def test_top_n_equals_a_full_sort() -> None:
    rng = np.random.default_rng(0)
    scores = rng.random((50, 1000)).astype(np.float32)
    scores[:, 10:20] = -np.inf
    top, values = top_n(scores, 10)
    expected = np.argsort(-scores, axis=1)[:, :10]
    assert top.tolist() == expected.tolist()
    assert values == pytest.approx(np.take_along_axis(scores, expected, axis=1))


def test_top_n_pads_short_rows() -> None:
    scores = np.array([[0.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    top, _ = top_n(scores, 3)
    assert top.tolist() == [[1, 2, -1], [-1, -1, -1]]


def test_blend_normalises_each_component_and_names_the_leader() -> None:
    import scipy.sparse as sp

    from promo_core.recommend.batch import RowTable

    dense = np.array([[2.0, 1.0, 0.0]], dtype=np.float32)
    sparse = sp.csr_matrix(np.array([[0.0, 0.0, 10.0]], dtype=np.float32))
    table = RowTable(np.array([[1.0, 4.0, 2.0]], dtype=np.float32), np.array([0]))
    blend = Blend({"d": dense, "s": sparse, "t": table}, {"d": 1.0, "s": 0.5, "t": 0.1}, (1, 3))
    assert blend.total[0] == pytest.approx([1.0 + 0.025, 0.5 + 0.1, 0.5 + 0.05])
    assert blend.leaders(np.array([0, 0, 0]), np.array([0, 1, 2])).tolist() == ["d", "d", "s"]


def test_recent_popularity_counts_distinct_buyers_of_the_last_days() -> None:
    rows = [("c1", "old", "2025-01-01"), ("c2", "old", "2025-01-02"), ("c3", "old", "2025-01-03"),
            ("c1", "new", "2025-03-01"), ("c1", "new", "2025-03-20"), ("c2", "new", "2025-03-25"),
            ("c3", "both", "2025-01-05"), ("c3", "both", "2025-03-30"), ("c4", "edge", "2025-03-01")]
    data = build_interactions(tiny_orders(rows))  # the last day is 2025-03-30: 30 days reach back to 03-01
    scorer = RecentPopularityScorer(days=30).fit(data)
    buyers = dict(zip(data.item_ids, scorer.buyers_.tolist()))
    assert buyers == {"both": 1, "edge": 1, "new": 2, "old": 0}
    assert RecentPopularityScorer(days=29).fit(data).buyers_[data.item_ids.get_loc("edge")] == 0  # 03-01 falls out
    model = fit_recommender(tiny_orders(rows), algorithm="recent_popularity")
    recs = model.recommend(["c4"], n=3, mode="discovery")
    assert recs["item_id"].tolist() == ["new", "both", "old"]  # old only fills the list, by segment popularity
    assert recs["reason"].iloc[0] == "popular_recently" and recs["reason_params"].iloc[0] == {"buyers": 2, "days": 30}
