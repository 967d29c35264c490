"""Recommender behaviour: modes, reasons, cold start, "also bought", speed and ratings."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from recommend_orders import tiny_orders

from promo_core.recommend import RECOMMENDATION_COLUMNS, also_bought, evaluate_recommenders, fit_recommender

REASONS = {"similar_to", "similar_content", "bought_category_often", "buy_again", "popular", "popular_in_segment",
           "popular_recently", "predicted_rating"}


def test_recommend_frame(shop_model) -> None:
    recs = shop_model.recommend(["U00001", "U00002"], n=5)
    assert tuple(recs.columns) == RECOMMENDATION_COLUMNS
    assert recs["customer_id"].tolist() == ["U00001"] * 5 + ["U00002"] * 5
    assert recs["rank"].tolist() == [1, 2, 3, 4, 5] * 2
    assert (recs.groupby("customer_id")["score"].diff().dropna() <= 0).all()
    assert set(recs["reason"]) <= REASONS and (recs["algorithm"] == "hybrid").all()


def test_discovery_leaves_out_past_purchases_and_all_keeps_them(shop_orders, shop_model) -> None:
    bought = shop_orders[~shop_orders["is_return"]].groupby("customer_id")["item_id"].agg(set)
    discovery = shop_model.recommend(n=10, mode="discovery")
    assert not any(item in bought[c] for c, item in zip(discovery["customer_id"], discovery["item_id"]))
    every = shop_model.recommend(n=10, mode="all")
    again = every[every["reason"] == "buy_again"]
    assert len(again) > 1000
    assert all(item in bought[c] for c, item in zip(again["customer_id"], again["item_id"]))
    assert (again["reason_params"].map(lambda p: p["times"]) >= 1).all()


def test_similar_to_names_a_past_purchase(shop_orders, shop_model) -> None:
    bought = shop_orders[~shop_orders["is_return"]].groupby("customer_id")["item_id"].agg(set)
    recs = shop_model.recommend(n=10)
    similar = recs[recs["reason"] == "similar_to"]
    assert len(similar) > 10000
    assert all(p["item"] in bought[c] for c, p in zip(similar["customer_id"], similar["reason_params"]))


def test_new_customers_get_their_segment_favourites(shop_orders, shop_items) -> None:
    segments = pd.DataFrame({"customer_id": ["U00001", "NEW1"], "segment": ["vip", "vip"]})
    model = fit_recommender(shop_orders, algorithm="hybrid", items=shop_items, segments=segments)
    recs = model.recommend(["NEW1", "NEW2"], n=3)
    new1, new2 = recs[recs["customer_id"] == "NEW1"], recs[recs["customer_id"] == "NEW2"]
    assert set(new1["reason"]) == {"popular_in_segment"} and new1["reason_params"].iloc[0]["segment"] == "vip"
    assert set(new2["reason"]) == {"popular"}
    vip_items = shop_orders.loc[shop_orders["customer_id"] == "U00001", "item_id"]
    assert set(new1["item_id"]) <= set(vip_items)


def test_one_customer_in_under_100_ms(shop_model) -> None:
    shop_model.recommend(["U00003"])
    start = time.perf_counter()
    recs = shop_model.recommend(["U00004"], n=10)
    assert time.perf_counter() - start < 0.1 and len(recs) == 10


def test_also_bought(shop_orders, shop_model) -> None:
    neighbours = also_bought(shop_model, "SKU0003", n=5)
    assert len(neighbours) == 5 and neighbours["basis"].eq("co_purchase").all()
    assert (neighbours["similarity"].diff().dropna() <= 0).all() and "SKU0003" not in set(neighbours["item_id"])
    buyers = shop_orders[~shop_orders["is_return"]].dropna(subset=["customer_id"]).groupby("item_id")["customer_id"].agg(set)
    first = neighbours.iloc[0]
    shared = len(buyers["SKU0003"] & buyers[first["item_id"]])
    assert first["co_buyers"] == shared
    assert first["similarity"] == pytest.approx(shared / np.sqrt(len(buyers["SKU0003"]) * len(buyers[first["item_id"]])))


def test_new_catalogue_item_reaches_customers_through_content(shop_orders, shop_items) -> None:
    template = shop_items[shop_items["item_id"] == "SKU0003"].iloc[0]
    new = template.to_frame().T.assign(item_id="NEW_TEA")
    items = pd.concat([shop_items, new], ignore_index=True)
    model = fit_recommender(shop_orders, algorithm="content", items=items)
    neighbours = model.also_bought("NEW_TEA", n=3)
    assert neighbours["basis"].eq("content").all() and neighbours["item_id"].iloc[0] == "SKU0003"
    recs = model.recommend(n=10)
    assert (recs["item_id"] == "NEW_TEA").sum() > 10


def test_svd_recommends_from_star_ratings(shop_orders, shop_reviews) -> None:
    model = fit_recommender(shop_orders, algorithm="svd", ratings=shop_reviews)
    rated = shop_reviews["customer_id"].iloc[0]
    recs = model.recommend([rated], n=5)
    assert recs["reason"].eq("predicted_rating").all()
    assert all(1 <= p["rating"] <= 5 for p in recs["reason_params"])


def test_rating_errors_by_cross_validation(shop_orders, shop_reviews) -> None:
    table = evaluate_recommenders(shop_orders, ratings=shop_reviews, algorithms=["svd"], rating_folds=3)
    rating = table[table["mode"] == "rating"].set_index("algorithm")
    assert list(rating.index) == ["svd", "knn_baseline", "baseline_only"]
    assert rating["rmse"].between(0.5, 2).all() and (rating["mae"] < rating["rmse"]).all()
    assert rating.loc["baseline_only", "baseline"]
    assert ("svd", "discovery") in set(zip(table["algorithm"], table["mode"]))


def test_fit_notes_say_what_was_left_out(shop_model) -> None:
    notes = shop_model.notes_table().set_index("code")["details"]
    assert notes["guest_lines_excluded"]["count"] > 0 and notes["returns_excluded"]["count"] > 0
    assert notes["single_purchase_customers"]["count"] > 0


def test_each_algorithm_fits_and_recommends() -> None:
    rows = [(f"c{c}", f"i{(c * 7 + k) % 12}", f"2025-0{1 + k % 3}-1{k}") for c in range(20) for k in range(4)]
    orders = tiny_orders(rows)
    for algorithm in ("popularity", "segment_popularity", "buy_again", "item_knn", "ease", "content", "hybrid"):
        recs = fit_recommender(orders, algorithm=algorithm).recommend(n=3)
        assert recs["customer_id"].nunique() == 20, algorithm


def test_history_of_one_customer(shop_orders, shop_model) -> None:
    history = shop_model.history("U00001")
    lines = shop_orders[(shop_orders["customer_id"] == "U00001") & ~shop_orders["is_return"]]
    expected = lines.groupby("item_id")["order_id"].nunique().sort_values(ascending=False)
    assert set(history["item_id"]) == set(expected.index)
    assert history.set_index("item_id")["orders"].to_dict() == expected.to_dict()
    assert history["orders"].is_monotonic_decreasing
    last = lines.groupby("item_id")["order_date"].max().dt.normalize()
    assert (history.set_index("item_id")["last_purchase"] == last.reindex(history["item_id"]).to_numpy()).all()
    assert shop_model.history("nobody").empty
