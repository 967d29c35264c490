"""The evaluation's own choices: segments it is given, hybrid weights picked before the holdout, and
the large-catalogue paths (item models on the most-bought items, content searched per category)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from recommend_orders import tiny_orders
from sklearn.metrics.pairwise import cosine_similarity

from promo_core.recommend import evaluate_recommenders, fit_recommender
from promo_core.recommend import content as content_module
from promo_core.recommend import evaluation, item_similarity
from promo_core.recommend.baselines import RepeatScorer
from promo_core.recommend.batch import make_batch
from promo_core.recommend.content import ContentScorer
from promo_core.recommend.ease import EASEScorer
from promo_core.recommend.hybrid import EASE_L2_GRID, FILL, HYBRID_WEIGHTS, MODES, hybrid_candidates
from promo_core.recommend.interactions import RECENT_HALF_LIFE_DAYS, build_interactions
from promo_core.recommend.item_similarity import ItemKNNScorer


def _ndcg(table: pd.DataFrame, algorithm: str, mode: str) -> float:
    return float(table.set_index(["algorithm", "mode"]).loc[(algorithm, mode), "ndcg_at_k"])


def test_passed_segments_drive_segment_popularity(shop_orders, shop_items, shop_evaluation) -> None:
    one_segment = pd.DataFrame({"customer_id": shop_orders["customer_id"].unique(), "segment": "everyone"})
    table = evaluate_recommenders(
        shop_orders, items=shop_items, segments=one_segment, algorithms=["segment_popularity"]
    )
    for mode in MODES:  # one segment for all: its favourites are the shop's favourites
        assert _ndcg(table, "segment_popularity", mode) == pytest.approx(_ndcg(table, "popularity", mode), rel=1e-9)
    assert _ndcg(shop_evaluation, "segment_popularity", "discovery") != pytest.approx(
        _ndcg(shop_evaluation, "popularity", "discovery"), rel=1e-3
    )  # the default RFM segments differ, so the passed ones were used


def test_auto_evaluates_with_the_segments_it_is_given(shop_orders, shop_items) -> None:
    one_segment = pd.DataFrame({"customer_id": shop_orders["customer_id"].unique(), "segment": "everyone"})
    model = fit_recommender(shop_orders, items=shop_items, segments=one_segment)
    table = model.evaluation_
    assert _ndcg(table, "segment_popularity", "all") == pytest.approx(_ndcg(table, "popularity", "all"), rel=1e-9)


def test_hybrid_weights_are_picked_before_the_holdout(shop_orders, shop_items, shop_evaluation) -> None:
    weights, l2 = shop_evaluation.attrs["hybrid_weights"], shop_evaluation.attrs["ease_l2"]
    assert weights["discovery"] in hybrid_candidates("discovery")
    assert weights["all"] in hybrid_candidates("all", weights["discovery"])
    tried = pd.DataFrame(shop_evaluation.attrs["hybrid_tuning"])
    discovery = tried[tried["mode"] == "discovery"]
    per_penalty = discovery.groupby("ease_l2").size().to_dict()
    assert per_penalty == {penalty: len(hybrid_candidates("discovery")) for penalty in EASE_L2_GRID}
    best = discovery.loc[discovery["ndcg_at_k"].idxmax()]  # the penalty of the best discovery blend, and its blend
    assert best["ease_l2"] == l2 and best["weights"] == weights["discovery"]
    assert len(tried[(tried["mode"] == "all") & (tried["ease_l2"] == l2)]) == len(hybrid_candidates("all"))
    # scrambling what was bought in the holdout changes the scores but not the weights
    cutoff = shop_orders["order_date"].max().normalize() - pd.Timedelta(days=29)
    holdout = (shop_orders["order_date"] >= cutoff).to_numpy()
    scrambled = shop_orders.copy()
    scrambled.loc[holdout, "item_id"] = np.random.default_rng(1).permutation(scrambled.loc[holdout, "item_id"])
    table = evaluate_recommenders(scrambled, items=shop_items)
    assert table.attrs["hybrid_weights"] == weights and table.attrs["ease_l2"] == l2
    assert _ndcg(table, "hybrid", "discovery") < 0.5 * _ndcg(shop_evaluation, "hybrid", "discovery")


def test_given_weights_are_used_and_a_short_history_keeps_the_defaults(shop_orders, shop_items) -> None:
    given = {"discovery": {"ease": 1.0, "segment_popularity": FILL}, "all": {"buy_again": 1.0}}
    table = evaluate_recommenders(shop_orders, items=shop_items, algorithms=["ease", "hybrid"], hybrid_weights=given)
    assert table.attrs["hybrid_weights"] == given and table.attrs["hybrid_tuning"] == []
    assert _ndcg(table, "hybrid", "discovery") == pytest.approx(_ndcg(table, "ease", "discovery"), rel=1e-9)
    last = shop_orders["order_date"].max()
    short = shop_orders[shop_orders["order_date"] > last - pd.Timedelta(days=45)]  # one holdout, no month before
    table = evaluate_recommenders(short, items=shop_items)
    assert table.attrs["hybrid_tuning"] == []
    assert table.attrs["hybrid_weights"] == {mode: dict(HYBRID_WEIGHTS[mode]) for mode in MODES}


def test_a_given_ease_penalty_is_not_searched(shop_orders, shop_items) -> None:
    table = evaluate_recommenders(shop_orders, items=shop_items, algorithms=["hybrid"], params={"ease_l2": 750.0})
    assert table.attrs["ease_l2"] == 750.0
    assert {row["ease_l2"] for row in table.attrs["hybrid_tuning"]} == {750.0}
    model = fit_recommender(shop_orders, algorithm="ease", ease_l2=750.0)
    assert model.ease_l2_ == model.components_["ease"].l2 == 750.0
    assert fit_recommender(shop_orders, algorithm="ease").components_["ease"].l2 == 200.0


def test_a_large_catalogue_keeps_the_default_penalty(shop_orders, shop_items, monkeypatch) -> None:
    """Each penalty is an items x items solve: above the limit the search would dominate ``auto``."""
    monkeypatch.setattr(evaluation, "EASE_SEARCH_MAX_ITEMS", shop_orders["item_id"].nunique() - 1)
    table = evaluate_recommenders(shop_orders, items=shop_items, algorithms=["hybrid"])
    assert table.attrs["ease_l2"] == 200.0
    assert {row["ease_l2"] for row in table.attrs["hybrid_tuning"]} == {200.0}


def test_auto_fits_ease_with_the_penalty_the_evaluation_chose(shop_orders, shop_items) -> None:
    model = fit_recommender(shop_orders, items=shop_items)
    assert model.ease_l2_ == model.evaluation_.attrs["ease_l2"] and model.ease_l2_ in EASE_L2_GRID
    if "ease" in model.components_:
        assert model.components_["ease"].l2 == model.ease_l2_


def test_repeat_counts_orders_with_a_half_life() -> None:
    orders = tiny_orders([("c1", "old", "2024-10-01"), ("c1", "old", "2024-10-02"), ("c1", "new", "2025-04-01"),
                          ("c2", "new", "2025-04-10")])
    data = build_interactions(orders)
    scores = RepeatScorer().fit(data).score(make_batch(data.counts, data.customer_rows(["c1"]), np.array([-1])))
    as_of = np.datetime64("2025-04-11")
    expected = {
        "old": sum(0.5 ** ((as_of - np.datetime64(d)).astype(int) / RECENT_HALF_LIFE_DAYS)
                   for d in ("2024-10-01", "2024-10-02")),
        "new": 0.5 ** (10 / RECENT_HALF_LIFE_DAYS),
    }
    row = scores.toarray()[0]
    for item, value in expected.items():
        assert row[data.item_ids.get_loc(item)] == pytest.approx(value, rel=1e-5)
    assert row[data.item_ids.get_loc("new")] > row[data.item_ids.get_loc("old")]  # bought twice, but last autumn


def test_item_models_keep_to_the_most_bought_items() -> None:
    rows = [("c1", f"i{i}", "2025-01-01") for i in range(8)] + [("c2", "i0", "2025-01-02"), ("c2", "i1", "2025-01-02")]
    data = build_interactions(tiny_orders(rows))
    assert data.top_items(2).tolist() == [data.item_ids.get_loc("i0"), data.item_ids.get_loc("i1")]
    ease = EASEScorer().fit(data)  # 2 customers: a Gram matrix of rank 2 needs no more than 4 items
    assert len(ease.active_) == 4 and set(data.item_ids[ease.active_]) >= {"i0", "i1"}
    scores = ease.score(make_batch(data.counts, data.customer_rows(["c2"]), np.array([-1])))
    assert np.count_nonzero(scores[0][np.setdiff1d(np.arange(8), ease.active_)]) == 0


def test_co_purchase_blocks_give_the_full_cosine(monkeypatch) -> None:
    rng = np.random.default_rng(4)
    rows = [(f"c{c}", f"i{i}", "2025-01-01") for c in range(30) for i in range(12) if rng.random() < 0.3]
    data = build_interactions(tiny_orders(rows))
    monkeypatch.setattr(item_similarity, "BLOCK_CELLS", 25)  # blocks of two items
    model = ItemKNNScorer(neighbours=3).fit(data)
    expected = cosine_similarity(data.binary.T.toarray())
    np.fill_diagonal(expected, 0)
    found = model.similarity_.toarray()
    for item in range(data.shape[1]):
        column = found[:, item]
        third = np.sort(expected[:, item])[-3]  # the 3 nearest, and any tied with the third
        assert np.flatnonzero(column).tolist() == np.flatnonzero(expected[:, item] >= third - 1e-6).tolist()
        assert column[column > 0] == pytest.approx(expected[column > 0, item], rel=1e-5)


def test_large_catalogues_search_content_neighbours_within_the_category(monkeypatch) -> None:
    items = pd.DataFrame({
        "item_id": ["a", "b", "c", "d"],
        "item_name": ["green tea", "green tea bags", "green tea mug", "coffee mug"],
        "category": ["tea", "tea", "kitchen", "kitchen"],
    })
    data = build_interactions(tiny_orders([("c1", "a", "2025-01-01"), ("c2", "c", "2025-01-02")]), items)
    everywhere = ContentScorer(neighbours=3).fit(data, items).similarity_.toarray()
    monkeypatch.setattr(content_module, "MAX_GLOBAL_ITEMS", 3)
    grouped = ContentScorer(neighbours=3).fit(data, items).similarity_.toarray()
    category = items.set_index("item_id")["category"].reindex(data.item_ids).to_numpy()
    same = category[:, None] == category[None, :]
    assert everywhere[~same].max() > 0 and grouped[~same].max() == 0
    assert grouped[same] == pytest.approx(everywhere[same])
