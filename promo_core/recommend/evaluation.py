"""Which recommender works on this shop: a time holdout, as a marketer would use the list.

Everything before the last ``holdout_days`` trains the models; the purchases in the holdout are the
truth. Only customers who bought before the holdout are scored (new customers get popularity by
construction). In "discovery" mode the truth is what a customer bought in the holdout that they had
never bought before, and lists leave out past purchases; in "all" mode the truth is everything bought
in the holdout. "Buy again" is evaluated in "all" mode only, because it has nothing to discover.

The hybrid's blend weights and EASE's penalty are the choices made from data: they are picked the
same way one holdout earlier (trained on what precedes it, scored on the ``holdout_days`` before the
holdout), so the figures reported for the hybrid and EASE are as honest as the others. Each customer
block's component scores are computed once and blended for every algorithm (or candidate weights)
from them; EASE is solved once per penalty tried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from promo_core.errors import InsufficientDataError, PromoCoreError, SchemaError
from promo_core.recommend.baselines import RECENT_DAYS
from promo_core.recommend.ease import DEFAULT_L2, EASEScorer
from promo_core.recommend.explicit import rating_errors
from promo_core.recommend.hybrid import (
    ALGORITHMS,
    BASELINES,
    EASE_L2_GRID,
    EASE_SEARCH_MAX_ITEMS,
    HYBRID_WEIGHTS,
    MODES,
    Blend,
    Mode,
    algorithm_weights,
    check_hybrid_weights,
    hybrid_candidates,
)
from promo_core.recommend.interactions import purchase_lines
from promo_core.recommend.metrics import catalogue_coverage, hit_rate, ndcg_at_k, novelty, precision_at_k, recall_at_k
from promo_core.recommend.model import Recommender, check_parameters, ranked_top

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
    segments: pd.DataFrame | None = None,
    algorithms: Sequence[str] | None = None,
    max_customers: int | None = 5000,
    random_state: int = 0,
    rating_folds: int = 5,
    params: Mapping[str, float | None] | None = None,
    hybrid_weights: Mapping[Mode, Mapping[str, float]] | None = None,
) -> pd.DataFrame:
    """Precision, recall, NDCG and hit rate at ``k``, coverage and novelty per algorithm and mode.

    Both baselines are always included. ``max_customers`` caps the customers scored per mode (a random
    sample, for speed on large shops). ``segments`` (customer_id, segment) drive segment popularity
    (compute them before the holdout to keep it unseen); without them RFM segments of the training
    period are used. The hybrid's weights are
    ``hybrid_weights`` or, without them, the best of :func:`hybrid_candidates` on the ``holdout_days``
    before the holdout, learnt from the orders before those (a time split inside the training period,
    so the holdout never picks them). The same search picks EASE's penalty from :data:`EASE_L2_GRID`
    by the best discovery blend, unless ``params`` holds ``ease_l2`` or more than
    :data:`EASE_SEARCH_MAX_ITEMS` products were bought (without a search: 200).
    ``table.attrs`` holds the weights (``"hybrid_weights"``), the penalty (``"ease_l2"``) and every
    candidate's NDCG there (``"hybrid_tuning"``). With ``ratings``, rows with ``mode="rating"`` add
    RMSE and MAE of surprise's SVD, KNNBaseline and baseline-only models by ``rating_folds``-fold
    cross-validation.
    """
    holdout_days = _check_holdout(holdout_days)
    _check_k(k)
    check_hybrid_weights(hybrid_weights)
    params = dict(params or {})
    check_parameters(params.get("ease_l2"), params.get("recent_days", RECENT_DAYS))
    chosen = _algorithms(algorithms, ratings)
    lines = purchase_lines(orders)
    if lines.empty:
        raise InsufficientDataError(
            "No purchase line has a customer_id; map the customer column on the Data page.",
            code="no_customer_purchases",
        )
    train, train_lines, test = _split(orders, lines, holdout_days)
    if lines["item_id"].nunique() < 2:
        raise InsufficientDataError(
            "Every purchase is of the same item, so there is nothing to rank; load orders with more items.",
            code="one_item_only",
            item=str(lines["item_id"].iloc[0]),
        )
    settings = _Settings(k, max_customers, random_state, params, items, segments)
    tuning: list[dict[str, object]] = []
    ease_l2 = settings.ease_l2()
    if hybrid_weights is None and "hybrid" in chosen:
        hybrid_weights, ease_l2, tuning = _tune_hybrid(train, train_lines, holdout_days, settings)
    hybrid_weights = {mode: algorithm_weights("hybrid", mode, hybrid_weights) for mode in MODES}
    model = settings.model()
    names = {"popularity", "segment_popularity"}
    for algorithm in chosen:
        for mode in MODES:
            names |= set(algorithm_weights(algorithm, mode, hybrid_weights))
    model._fit_parts(train, items, ratings if "svd" in chosen else None, segments, names, ease_l2)
    data = model.interactions_
    truth = _truth(data, test)
    rng = np.random.default_rng(random_state)
    buyers = data.buyers()
    rows = []
    for mode in MODES:
        relevant = truth[mode]
        users = _sample_users(relevant["n_relevant"], max_customers, rng)
        if len(users) == 0:
            continue
        listed = [a for a in chosen if not (a == "buy_again" and mode == "discovery")]
        configs = {a: algorithm_weights(a, mode, hybrid_weights) for a in listed}
        for algorithm, top in _top_lists(model, data.customer_ids[users], k, mode, configs).items():
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
    table = table.reindex(columns=list(EVALUATION_COLUMNS))
    table.attrs.update(hybrid_weights=hybrid_weights, ease_l2=ease_l2, hybrid_tuning=tuning)
    return table


@dataclass(frozen=True, eq=False)
class _Settings:
    """What the outer evaluation and the inner weight search share."""

    k: int
    max_customers: int | None
    random_state: int
    params: dict[str, float | None]
    items: pd.DataFrame | None
    segments: pd.DataFrame | None

    def model(self) -> Recommender:
        """An unfitted recommender with the evaluation's parameters, to fit components on a split."""
        return Recommender("hybrid", **self.params)

    def ease_l2(self) -> float:
        """EASE's penalty when none is searched for: the one given, else the default."""
        given = self.params.get("ease_l2")
        return DEFAULT_L2 if given is None else float(given)

    def ease_l2_grid(self, items: int) -> tuple[float, ...]:
        """EASE penalties the weight search tries: only the given one, if there is one, or the default
        for a catalogue too large to solve several times."""
        searched = self.params.get("ease_l2") is None and items <= EASE_SEARCH_MAX_ITEMS
        return EASE_L2_GRID if searched else (self.ease_l2(),)


def _split(
    orders: pd.DataFrame, lines: pd.DataFrame, holdout_days: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Orders and purchase lines before the last ``holdout_days`` days, and the purchase lines within them."""
    cutoff = int(lines["day"].max()) + 1 - holdout_days
    before = (lines["day"] < cutoff).to_numpy()
    if not before.any() or before.all():
        raise InsufficientDataError(
            f"A {holdout_days}-day holdout leaves {int(before.sum())} purchase lines to learn from and "
            f"{int((~before).sum())} to test on; the orders span {int(lines['day'].max() - lines['day'].min()) + 1} "
            "days. Choose a shorter holdout or load a longer history.",
            code="holdout_empty",
            holdout_days=holdout_days,
            train_lines=int(before.sum()),
            test_lines=int((~before).sum()),
        )
    dates = orders["order_date"]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    train = orders[(dates < pd.Timestamp(np.datetime64(cutoff, "D"))).to_numpy()]
    return train, lines[before], lines[~before]


def _tune_hybrid(
    train: pd.DataFrame, train_lines: pd.DataFrame, holdout_days: int, settings: _Settings
) -> tuple[dict[Mode, dict[str, float]], float, list[dict[str, object]]]:
    """Hybrid weights per mode and EASE's penalty, best by NDCG on the last ``holdout_days`` of the training period.

    Each penalty is solved in turn (one items x items matrix held at a time) and scored with every
    discovery blend; the penalty whose best blend ranks highest wins, and "all" mode's blends are
    scored only for a penalty that took the lead. The defaults stand where the inner split is
    impossible (a history shorter than two holdouts).
    """
    chosen = {mode: dict(HYBRID_WEIGHTS[mode]) for mode in MODES}
    try:
        inner_train, _, inner_test = _split(train, train_lines, holdout_days)
        model = settings.model()
        names = {"popularity", "segment_popularity"}
        for mode in MODES:
            names |= {name for weights in hybrid_candidates(mode) for name in weights}
        model._fit_parts(inner_train, settings.items, None, settings.segments, names - {"ease"}, settings.ease_l2())
    except PromoCoreError:
        return chosen, settings.ease_l2(), []
    truth = _truth(model.interactions_, inner_test)
    rng = np.random.default_rng(settings.random_state)
    users = {mode: _sample_users(truth[mode]["n_relevant"], settings.max_customers, rng) for mode in MODES}
    best_l2, best_ndcg, tried = settings.ease_l2(), None, []
    for l2 in settings.ease_l2_grid(model.interactions_.shape[1]):
        model.components_.pop("ease", None)  # free the last solve before the next
        model.components_["ease"] = EASEScorer(l2).fit(model.interactions_)
        discovery, ndcg, found = _best_blend(model, truth, users, settings.k, "discovery")
        tried += [row | {"ease_l2": l2} for row in found]
        if best_ndcg is not None and ndcg <= best_ndcg:
            continue
        replenish, _, found = _best_blend(model, truth, users, settings.k, "all", discovery)
        tried += [row | {"ease_l2": l2} for row in found]
        best_l2, best_ndcg = l2, ndcg
        chosen = {"discovery": discovery or dict(HYBRID_WEIGHTS["discovery"]),
                  "all": replenish or dict(HYBRID_WEIGHTS["all"])}
    return chosen, best_l2, tried


def _best_blend(
    model: Recommender,
    truth: dict[str, dict[str, object]],
    users: dict[Mode, np.ndarray],
    k: int,
    mode: Mode,
    discovery: Mapping[str, float] | None = None,
) -> tuple[dict[str, float] | None, float, list[dict[str, object]]]:
    """The best of :func:`hybrid_candidates` in ``mode`` for the fitted components (None without
    customers to score), its NDCG, and every candidate's NDCG."""
    if len(users[mode]) == 0:
        return None, -np.inf, []
    relevant = truth[mode]
    candidates = dict(enumerate(hybrid_candidates(mode, discovery)))
    tops = _top_lists(model, model.interactions_.customer_ids[users[mode]], k, mode, candidates)
    scores = {
        key: ndcg_at_k(_hits(relevant["matrix"][users[mode]], top), relevant["n_relevant"][users[mode]])
        for key, top in tops.items()
    }
    best = max(scores, key=scores.get)
    return candidates[best], scores[best], [
        {"mode": mode, "weights": candidates[key], "ndcg_at_k": score} for key, score in scores.items()
    ]


def _sample_users(n_relevant: np.ndarray, max_customers: int | None, rng: np.random.Generator) -> np.ndarray:
    """Customers with something to find in the holdout, a random ``max_customers`` of them at most."""
    users = np.flatnonzero(n_relevant > 0)
    if max_customers is not None and len(users) > max_customers:
        users = np.sort(rng.choice(users, max_customers, replace=False))
    return users


def _top_lists(
    model: Recommender, ids: pd.Index, k: int, mode: Mode, configs: Mapping[object, Mapping[str, float]]
) -> dict[object, np.ndarray]:
    """Top ``k`` item indices per customer for each blend in ``configs``, scoring every component once."""
    names = {name for weights in configs.values() for name in weights}
    tops: dict[object, list[np.ndarray]] = {key: [] for key in configs}
    for _, batch, parts in model._scored(ids, names):
        for key, weights in configs.items():
            blended = Blend(parts, weights, (len(batch), model.interactions_.shape[1]))
            tops[key].append(ranked_top(blended.total, batch, k, mode)[0])
    return {key: np.vstack(found) for key, found in tops.items()}


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
