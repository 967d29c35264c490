"""The sample shop plants taste vectors, a preferred category and staple items: the models find them."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.recommend import fit_recommender


def _ndcg(evaluation: pd.DataFrame, algorithm: str, mode: str) -> float:
    row = evaluation[(evaluation["algorithm"] == algorithm) & (evaluation["mode"] == mode)]
    return float(row["ndcg_at_k"].iloc[0])


def test_evaluation_has_every_algorithm_and_both_baselines(shop_evaluation) -> None:
    pairs = set(zip(shop_evaluation["algorithm"], shop_evaluation["mode"]))
    algorithms = ("popularity", "segment_popularity", "recent_popularity", "item_knn", "ease", "content", "hybrid")
    for algorithm in algorithms:
        assert (algorithm, "discovery") in pairs and (algorithm, "all") in pairs
    assert ("buy_again", "all") in pairs and ("buy_again", "discovery") not in pairs
    assert shop_evaluation.loc[shop_evaluation["baseline"], "algorithm"].unique().tolist() == ["popularity", "buy_again"]
    assert (shop_evaluation["customers"] > 1000).all() and (shop_evaluation["holdout_days"] == 30).all()


@pytest.mark.parametrize("algorithm", ["item_knn", "ease", "hybrid"])
def test_discovery_beats_popularity_at_least_twice(shop_evaluation, algorithm) -> None:
    assert _ndcg(shop_evaluation, algorithm, "discovery") >= 2.0 * _ndcg(shop_evaluation, "popularity", "discovery")


def test_all_mode_hybrid_beats_buy_again(shop_evaluation) -> None:
    assert _ndcg(shop_evaluation, "hybrid", "all") >= 1.05 * _ndcg(shop_evaluation, "buy_again", "all")
    assert _ndcg(shop_evaluation, "buy_again", "all") > 2.0 * _ndcg(shop_evaluation, "popularity", "all")


def test_metrics_are_consistent(shop_evaluation) -> None:
    ranking = shop_evaluation[shop_evaluation["mode"] != "rating"]
    for column in ("precision_at_k", "recall_at_k", "ndcg_at_k", "hit_rate", "coverage"):
        assert ranking[column].between(0, 1).all()
    assert (ranking["hit_rate"] >= ranking["precision_at_k"]).all()
    popularity = ranking[ranking["algorithm"] == "popularity"]
    assert (popularity["ndcg_vs_popularity"] == 1).all()
    assert (ranking.loc[ranking["algorithm"] == "content", "coverage"] > popularity["coverage"].max()).all()


def test_hybrid_recovers_staples_and_preferred_category(shop_orders, shop_items, shop_model, shop_truth) -> None:
    truth = shop_truth.set_index("customer_id")
    category = shop_items.set_index("item_id")["category"]
    popular = fit_recommender(shop_orders, algorithm="popularity", items=shop_items)

    def staple_share(model) -> float:
        top3 = model.recommend(n=3, mode="all").join(truth, on="customer_id")
        top3 = top3[top3["n_orders"] >= 3]
        staple = [item in staples.split(";") for item, staples in zip(top3["item_id"], top3["staple_items"])]
        return top3.assign(staple=staple).groupby("customer_id")["staple"].any().mean()

    def category_share(model) -> float:
        top = model.recommend(n=10, mode="discovery").join(truth, on="customer_id")
        return (top["item_id"].map(category) == top["preferred_category"]).mean()

    assert staple_share(shop_model) > 0.8 and staple_share(popular) < 0.2
    assert category_share(shop_model) > 0.6 and category_share(popular) < 0.15


def test_auto_picks_per_mode_and_says_why(shop_orders, shop_items) -> None:
    model = fit_recommender(shop_orders, items=shop_items)
    summary = model.summary().set_index("mode")
    evaluation = model.evaluation_
    for mode in ("discovery", "all"):
        rows = evaluation[evaluation["mode"] == mode]
        best = rows.loc[rows["ndcg_at_k"].idxmax(), "algorithm"]
        assert summary.loc[mode, "algorithm"] == best
        assert summary.loc[mode, "reason"] == "best_ndcg_on_holdout"
        params = summary.loc[mode, "reason_params"]
        assert params["algorithm"] == best and params["ndcg"] == pytest.approx(rows["ndcg_at_k"].max(), abs=1e-4)
    assert summary.loc["all", "reason_params"]["buy_again_ndcg"] < summary.loc["all", "reason_params"]["ndcg"]
    assert summary.loc["discovery", "algorithm"] not in ("popularity", "segment_popularity")
