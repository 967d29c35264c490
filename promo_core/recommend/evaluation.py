"""Which recommender works on this shop: a time holdout, as a marketer would use the list.

Everything before the last ``holdout_days`` trains the models; the purchases in the holdout are the
truth. Only customers who bought before the holdout are scored (new customers get popularity by
construction). In "discovery" mode the truth is what a customer bought in the holdout that they had
never bought before, and lists leave out past purchases; in "all" mode the truth is everything bought
in the holdout. "Buy again" is evaluated in "all" mode only, because it has nothing to discover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.recommend.explicit import rating_errors
from promo_core.recommend.hybrid import ALGORITHMS, BASELINES, MODES, algorithm_weights
from promo_core.recommend.interactions import purchase_lines
from promo_core.recommend.metrics import catalogue_coverage, hit_rate, ndcg_at_k, novelty, precision_at_k, recall_at_k

DEFAULT_HOLDOUT_DAYS = 30
EVALUATION_COLUMNS = (
    "algorithm", "mode", "baseline", "customers", "k", "holdout_days", "precision_at_k", "recall_at_k",
    "ndcg_at_k", "hit_rate", "coverage", "novelty", "ndcg_vs_popularity", "rmse", "mae",
)


def evaluate_recommenders(
    orders: pd.DataFrame,
    k: int = 10,
    holdout_days: int | None = None,
    *,
    items: pd.DataFrame | None = None,
    ratings: pd.DataFrame | None = None,
    algorithms: Sequence[str] | None = None,
    max_customers: int | None = 5000,
    random_state: int = 0,
    rating_folds: int = 5,
    params: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Precision, recall, NDCG and hit rate at ``k``, coverage and novelty per algorithm and mode.

    Both baselines are always included. ``max_customers`` caps the customers scored per mode (a random
    sample, for speed on large shops). With ``ratings``, rows with ``mode="rating"`` add RMSE and MAE
    of surprise's SVD, KNNBaseline and baseline-only models by ``rating_folds``-fold cross-validation.
    """
    from promo_core.recommend.model import Recommender

    holdout_days = _check_holdout(holdout_days)
    _check_k(k)
    chosen = _algorithms(algorithms, ratings)
    lines = purchase_lines(orders)
    if lines.empty:
        raise InsufficientDataError(
            "No purchase line has a customer_id; map the customer column on the Data page.",
            code="no_customer_purchases",
        )
    cutoff = int(lines["day"].max()) + 1 - holdout_days
    dates = orders["order_date"]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    train = orders[(dates < pd.Timestamp(np.datetime64(cutoff, "D"))).to_numpy()]
    test = lines[lines["day"] >= cutoff]
    train_days = lines["day"][lines["day"] < cutoff]
    if train_days.empty or test.empty:
        raise InsufficientDataError(
            f"A {holdout_days}-day holdout leaves {len(train_days)} purchase lines to learn from and {len(test)} "
            f"to test on; the orders span {int(lines['day'].max() - lines['day'].min()) + 1} days. Choose a "
            "shorter holdout or load a longer history.",
            code="holdout_empty",
            holdout_days=holdout_days,
            train_lines=len(train_days),
            test_lines=len(test),
        )
    if lines["item_id"].nunique() < 2:
        raise InsufficientDataError(
            "Every purchase is of the same item, so there is nothing to rank; load orders with more items.",
            code="one_item_only",
            item=str(lines["item_id"].iloc[0]),
        )
    model = Recommender("hybrid", **dict(params or {}))
    names = {"popularity", "segment_popularity"}
    for algorithm in chosen:
        for mode in MODES:
            names |= set(algorithm_weights(algorithm, mode))
    model._fit_parts(train, items, ratings if "svd" in chosen else None, None, names)
    data = model.interactions_
    truth = _truth(data, test)
    rng = np.random.default_rng(random_state)
    buyers = data.buyers()
    rows = []
    for mode in MODES:
        relevant = truth[mode]
        users = np.flatnonzero(relevant["n_relevant"] > 0)
        if max_customers is not None and len(users) > max_customers:
            users = np.sort(rng.choice(users, max_customers, replace=False))
        if len(users) == 0:
            continue
        ids = data.customer_ids[users]
        for algorithm in chosen:
            if algorithm == "buy_again" and mode == "discovery":
                continue
            top = np.vstack([found[2] for found in model._ranked(ids, k, mode, algorithm, explain=False)])
            hits = _hits(relevant["matrix"][users], top)
            n_relevant = relevant["n_relevant"][users]
            rows.append({
                "algorithm": algorithm, "mode": mode, "baseline": algorithm in BASELINES,
                "customers": len(users), "k": k, "holdout_days": holdout_days,
                "precision_at_k": precision_at_k(hits), "recall_at_k": recall_at_k(hits, n_relevant),
                "ndcg_at_k": ndcg_at_k(hits, n_relevant), "hit_rate": hit_rate(hits),
                "coverage": catalogue_coverage(top, data.shape[1]), "novelty": novelty(top, buyers, data.shape[0]),
            })
    table = pd.DataFrame(rows)
    popularity = table[table["algorithm"] == "popularity"].set_index("mode")["ndcg_at_k"]
    table["ndcg_vs_popularity"] = table["ndcg_at_k"] / table["mode"].map(popularity)
    if ratings is not None and rating_folds:
        explicit = rating_errors(ratings, folds=rating_folds, random_state=random_state)
        explicit = explicit.assign(mode="rating", baseline=explicit["algorithm"] == "baseline_only", k=k,
                                   holdout_days=np.nan, customers=np.nan)
        table = pd.concat([table, explicit.drop(columns=["rmse_std", "folds", "ratings"])], ignore_index=True)
    return table.reindex(columns=list(EVALUATION_COLUMNS))


def _truth(data, test: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Holdout purchases of the training customers: a customers x items matrix and counts per mode."""
    test = test.drop_duplicates(["customer_id", "item_id"])
    user = data.customer_ids.get_indexer(test["customer_id"])
    test, user = test[user >= 0], user[user >= 0]
    item = data.item_ids.get_indexer(test["item_id"])
    known_item = item >= 0
    seen = np.asarray(data.counts[user[known_item], item[known_item]]).ravel() > 0
    new_to_customer = np.ones(len(user), dtype=bool)
    new_to_customer[np.flatnonzero(known_item)[seen]] = False
    truth = {}
    for mode, keep in (("all", np.ones(len(user), dtype=bool)), ("discovery", new_to_customer)):
        matrix = sp.csr_matrix(
            (np.ones(int((keep & known_item).sum()), dtype=bool), (user[keep & known_item], item[keep & known_item])),
            shape=data.shape,
        )
        truth[mode] = {"matrix": matrix, "n_relevant": np.bincount(user[keep], minlength=data.shape[0])}
    return truth


def _hits(relevant: sp.csr_matrix, top: np.ndarray) -> np.ndarray:
    """``hits[u, r]``: the item at rank r+1 of customer u's list is in their holdout purchases."""
    rows = np.repeat(np.arange(top.shape[0]), top.shape[1])
    found = np.asarray(relevant[rows, np.maximum(top.ravel(), 0)]).ravel().astype(bool)
    return (found & (top.ravel() >= 0)).reshape(top.shape)


def _algorithms(algorithms: Sequence[str] | None, ratings: pd.DataFrame | None) -> list[str]:
    """The algorithms to compare, both baselines always among them, in the order of ALGORITHMS."""
    if algorithms is None:
        algorithms = [a for a in ALGORITHMS if a != "svd" or ratings is not None]
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if unknown:
        raise SchemaError(
            f"Unknown algorithm {unknown[0]!r}; choose from {', '.join(ALGORITHMS)}.",
            code="algorithm_unknown",
            algorithm=str(unknown[0]),
        )
    if "svd" in algorithms and ratings is None:
        raise SchemaError(
            "The svd algorithm needs star ratings; load reviews with customer_id, item_id and rating.",
            code="svd_needs_ratings",
        )
    wanted = set(algorithms) | set(BASELINES)
    return [a for a in ALGORITHMS if a in wanted]


def _check_holdout(holdout_days: int | None) -> int:
    if holdout_days is None:
        return DEFAULT_HOLDOUT_DAYS
    if isinstance(holdout_days, bool) or not isinstance(holdout_days, (int, np.integer)) or holdout_days < 1:
        raise SchemaError(
            f"The holdout must be a whole number of days of at least 1, not {holdout_days!r}.",
            code="holdout_invalid",
            holdout_days=str(holdout_days),
        )
    return int(holdout_days)


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise SchemaError(f"k must be a whole number of at least 1, not {k!r}.", code="k_invalid", k=str(k))
