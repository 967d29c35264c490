"""The recommender: components fitted once, blended per algorithm and mode, explained per item."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Self

import numpy as np
import pandas as pd

from promo_core.errors import PromoCoreError, SchemaError
from promo_core.recommend.baselines import (
    RECENT_DAYS,
    BuyAgainScorer,
    PopularityScorer,
    RecentPopularityScorer,
    RepeatScorer,
)
from promo_core.recommend.batch import Batch, Scores, batch_rows, make_batch
from promo_core.recommend.content import ContentScorer
from promo_core.recommend.ease import DEFAULT_L2, EASEScorer
from promo_core.recommend.explicit import SVDScorer
from promo_core.recommend.hybrid import ALGORITHMS, MODES, Blend, Mode, algorithm_weights, check_hybrid_weights
from promo_core.recommend.interactions import ITEM_MODEL_LIMIT, Interactions, build_interactions
from promo_core.recommend.item_similarity import ItemKNNScorer
from promo_core.segmentation import AnalysisNote, segment_customers
from promo_core.tables import require_columns

RECOMMENDATION_COLUMNS = (
    "customer_id", "item_id", "item_name", "score", "rank", "reason", "reason_params", "algorithm",
)


class Recommender:
    """Top-n items per customer from purchases, with optional catalogue text and star ratings.

    ``algorithm`` is one of :data:`ALGORITHMS` or ``"auto"``, which evaluates them all on a time
    holdout of ``holdout_days`` (up to ``evaluation_customers`` customers) and keeps, for each mode,
    the one with the best NDCG@``k``. ``hybrid_weights`` (mode -> component -> weight) fixes the
    hybrid's blend; without it "auto" uses the blend the evaluation chose on the month before its
    holdout, and "hybrid" the defaults (:data:`HYBRID_WEIGHTS`). ``ease_l2`` fixes EASE's penalty;
    without it "auto" chooses it with the blend (``ease_l2_`` holds the one in use) and the rest use
    :data:`~promo_core.recommend.ease.DEFAULT_L2`. ``recent_days`` is the window of recent popularity.
    """

    def __init__(
        self,
        algorithm: str = "auto",
        *,
        ease_l2: float | None = None,
        neighbours: int = 100,
        content_neighbours: int = 50,
        svd_factors: int = 100,
        k: int = 10,
        holdout_days: int = 30,
        evaluation_customers: int = 5000,
        random_state: int = 0,
        hybrid_weights: Mapping[Mode, Mapping[str, float]] | None = None,
        recent_days: int = RECENT_DAYS,
    ) -> None:
        self.algorithm = algorithm
        self.ease_l2 = ease_l2
        self.neighbours = neighbours
        self.content_neighbours = content_neighbours
        self.svd_factors = svd_factors
        self.k = k
        self.holdout_days = holdout_days
        self.evaluation_customers = evaluation_customers
        self.random_state = random_state
        self.hybrid_weights = hybrid_weights
        self.recent_days = recent_days

    def fit(
        self,
        orders: pd.DataFrame,
        items: pd.DataFrame | None = None,
        ratings: pd.DataFrame | None = None,
        segments: pd.DataFrame | None = None,
    ) -> Self:
        """Learn from canonical orders; ``segments`` (customer_id, segment) defaults to RFM segments."""
        _check_algorithm(self.algorithm, ratings)
        check_hybrid_weights(self.hybrid_weights)
        check_parameters(self.ease_l2, self.recent_days)
        self.evaluation_ = None
        self.hybrid_weights_ = {mode: algorithm_weights("hybrid", mode, self.hybrid_weights) for mode in MODES}
        self.ease_l2_ = DEFAULT_L2 if self.ease_l2 is None else float(self.ease_l2)
        if self.algorithm == "auto":
            self.algorithms_, self.choice_ = self._choose(orders, items, ratings, segments)
        else:
            self.algorithms_ = {mode: self.algorithm for mode in MODES}
            self.choice_ = {mode: ("chosen_by_user", {"algorithm": self.algorithm}) for mode in MODES}
        names = {"popularity", "segment_popularity", "item_knn"}
        for mode, algorithm in self.algorithms_.items():
            names |= set(self._weights(algorithm, mode))
        self._fit_parts(orders, items, ratings, segments, names, self.ease_l2_)
        return self

    def _weights(self, algorithm: str, mode: Mode) -> dict[str, float]:
        return algorithm_weights(algorithm, mode, self.hybrid_weights_)

    def _choose(
        self,
        orders: pd.DataFrame,
        items: pd.DataFrame | None,
        ratings: pd.DataFrame | None,
        segments: pd.DataFrame | None,
    ) -> tuple[dict[str, str], dict[str, tuple[str, dict]]]:
        from promo_core.recommend.evaluation import evaluate_recommenders

        try:
            table = evaluate_recommenders(
                orders, k=self.k, holdout_days=self.holdout_days, items=items, ratings=ratings, segments=segments,
                max_customers=self.evaluation_customers, random_state=self.random_state, rating_folds=0,
                params=self._params(), hybrid_weights=self.hybrid_weights,
            )
        except PromoCoreError as error:
            reason = ("evaluation_not_possible", {"algorithm": "hybrid", "error": error.code})
            return {mode: "hybrid" for mode in MODES}, {mode: reason for mode in MODES}
        self.evaluation_ = table
        self.hybrid_weights_ = table.attrs["hybrid_weights"]
        self.ease_l2_ = table.attrs["ease_l2"]
        chosen, reasons = {}, {}
        for mode in MODES:
            rows = table[(table["mode"] == mode) & table["ndcg_at_k"].notna()].reset_index(drop=True)
            ranked = rows.sort_values("ndcg_at_k", ascending=False, kind="stable")
            best = ranked.iloc[0]
            baselines = rows.set_index("algorithm")["ndcg_at_k"]
            chosen[mode] = best["algorithm"]
            reasons[mode] = ("best_ndcg_on_holdout", {
                "algorithm": best["algorithm"],
                "ndcg": round(float(best["ndcg_at_k"]), 4),
                "runner_up": ranked.iloc[1]["algorithm"] if len(ranked) > 1 else None,
                "runner_up_ndcg": round(float(ranked.iloc[1]["ndcg_at_k"]), 4) if len(ranked) > 1 else None,
                "popularity_ndcg": round(float(baselines.get("popularity", np.nan)), 4),
                "buy_again_ndcg": round(float(baselines.get("buy_again", np.nan)), 4),
                "holdout_days": int(best["holdout_days"]),
                "customers": int(best["customers"]),
                "k": self.k,
            })
        return chosen, reasons

    def _params(self) -> dict[str, float | None]:
        return {
            "ease_l2": self.ease_l2, "neighbours": self.neighbours, "content_neighbours": self.content_neighbours,
            "svd_factors": self.svd_factors, "random_state": self.random_state, "recent_days": self.recent_days,
        }

    def _fit_parts(
        self,
        orders: pd.DataFrame,
        items: pd.DataFrame | None,
        ratings: pd.DataFrame | None,
        segments: pd.DataFrame | None,
        names: set[str],
        ease_l2: float,
    ) -> None:
        """Fit the named components (shared with evaluate_recommenders, which asks for all of them)."""
        data = build_interactions(orders, items)
        notes = _data_notes(data, names)
        if segments is None:
            try:
                segments = segment_customers(orders).table[["customer_id", "segment"]]
            except PromoCoreError as error:
                notes.append(AnalysisNote("segments_unavailable", {"error": error.code}))
        lookup, codes = _segment_lookup(segments)
        segment_of_row = lookup.reindex(data.customer_ids).fillna(-1).to_numpy(dtype=np.int64)
        parts: dict[str, object] = {}
        for name in sorted(names):
            if name == "popularity":
                parts[name] = PopularityScorer().fit(data, segment_of_row, codes)
            elif name == "segment_popularity":
                parts[name] = PopularityScorer(by_segment=True).fit(data, segment_of_row, codes)
            elif name == "recent_popularity":
                parts[name] = RecentPopularityScorer(self.recent_days).fit(data)
            elif name == "buy_again":
                parts[name] = BuyAgainScorer().fit(data)
            elif name == "repeat":
                parts[name] = RepeatScorer().fit(data)
            elif name == "item_knn":
                parts[name] = ItemKNNScorer(self.neighbours).fit(data)
            elif name == "ease":
                parts[name] = EASEScorer(ease_l2).fit(data)
            elif name == "content":
                parts[name] = ContentScorer(self.content_neighbours).fit(data, items)
            elif name == "svd":
                parts[name] = SVDScorer(self.svd_factors, random_state=self.random_state).fit(data, ratings)
        self.interactions_ = data
        self.components_ = parts
        self.ease_l2_ = ease_l2
        self.segment_lookup_ = lookup
        self.segment_codes_ = codes
        self.notes_ = tuple(notes)

    def summary(self) -> pd.DataFrame:
        """Per mode: the algorithm in use and why (a reason code and its parameters)."""
        return pd.DataFrame([
            {"mode": mode, "algorithm": self.algorithms_[mode], "reason": self.choice_[mode][0],
             "reason_params": self.choice_[mode][1]}
            for mode in MODES
        ])

    def notes_table(self) -> pd.DataFrame:
        return pd.DataFrame({"code": [n.code for n in self.notes_], "details": [dict(n.details) for n in self.notes_]})

    def recommend(
        self, customer_ids: Iterable[object] | None = None, n: int = 10, mode: Mode = "discovery"
    ) -> pd.DataFrame:
        """Up to ``n`` items per customer, best first, each with a reason code and its parameters.

        ``mode="discovery"`` leaves out what the customer bought before; ``"all"`` keeps it, for
        replenishment. Customers without purchases get their segment's (or the shop's) favourites.
        """
        _check_mode(mode)
        _check_n(n)
        algorithm = self.algorithms_[mode]
        ids = self._ids(customer_ids)
        frames = [
            self._frame(ids[start : start + len(batch)], top, scores, reasons, algorithm)
            for start, batch, top, scores, reasons in self._ranked(ids, n, mode, algorithm, explain=True)
        ]
        if not frames:
            return pd.DataFrame({c: [] for c in RECOMMENDATION_COLUMNS})
        return pd.concat(frames, ignore_index=True)

    def _ids(self, customer_ids: Iterable[object] | None) -> pd.Index:
        if customer_ids is None:
            return self.interactions_.customer_ids
        if isinstance(customer_ids, (str, bytes)):
            customer_ids = [customer_ids]
        return pd.Index(pd.unique(pd.Series(list(customer_ids), dtype="str").dropna()), dtype="str")

    def _ranked(
        self, ids: pd.Index, n: int, mode: Mode, algorithm: str, explain: bool
    ) -> Iterator[tuple[int, Batch, np.ndarray, np.ndarray, tuple[list[str], list[dict]] | None]]:
        """Per block of customers: the top ``n`` item indices (-1 where the list is short) and their scores."""
        weights = self._weights(algorithm, mode)
        for start, batch, parts in self._scored(ids, set(weights)):
            blended = Blend(parts, weights, (len(batch), self.interactions_.shape[1]))
            del parts
            top, scores = ranked_top(blended.total, batch, n, mode)
            reasons = self._explain(batch, top, blended) if explain else None
            yield start, batch, top, scores, reasons

    def _scored(self, ids: pd.Index, names: set[str]) -> Iterator[tuple[int, Batch, dict[str, Scores]]]:
        """Per block of customers: the block and the scores of the named components, computed once."""
        rows = self.interactions_.customer_rows(ids)
        segment = self.segment_lookup_.reindex(ids).fillna(-1).to_numpy(dtype=np.int64)
        step = batch_rows(self.interactions_.shape[1])
        for start in range(0, len(ids), step):
            batch = make_batch(self.interactions_.counts, rows[start : start + step], segment[start : start + step])
            yield start, batch, {name: self.components_[name].score(batch) for name in sorted(names)}

    def _explain(self, batch: Batch, top: np.ndarray, blended: Blend) -> tuple[np.ndarray, np.ndarray]:
        user, position = np.nonzero(top >= 0)
        item = top[user, position]
        lead = blended.leaders(user, item)
        codes = np.empty(len(user), dtype=object)
        params = np.empty(len(user), dtype=object)
        for name in blended.names:
            chosen = np.flatnonzero(lead == name)
            if chosen.size:
                found_codes, found_params = self.components_[name].explain(batch, user[chosen], item[chosen])
                codes[chosen] = found_codes
                params[chosen] = found_params
        return codes, params

    def _frame(
        self, ids: pd.Index, top: np.ndarray, scores: np.ndarray, reasons: tuple[np.ndarray, np.ndarray], algorithm: str
    ) -> pd.DataFrame:
        user, position = np.nonzero(top >= 0)
        item = top[user, position]
        codes, params = reasons
        return pd.DataFrame({
            "customer_id": pd.array(np.asarray(ids)[user], dtype="str"),
            "item_id": pd.array(self.interactions_.item_ids.to_numpy()[item], dtype="str"),
            "item_name": self.interactions_.item_names[item],
            "score": scores[user, position].astype(np.float64),
            "rank": position + 1,
            "reason": pd.array(codes, dtype="str"),
            "reason_params": params,
            "algorithm": algorithm,
        })

    def history(self, customer_id: object) -> pd.DataFrame:
        """What the customer bought: item, name, category, number of orders and last purchase date."""
        data = self.interactions_
        row = data.customer_rows([customer_id])[0]
        if row < 0:
            return pd.DataFrame({c: [] for c in ("item_id", "item_name", "category", "orders", "last_purchase")})
        counts, last = data.counts[row], data.last_day[row]
        order = np.lexsort((-last.data, -counts.data))
        items = counts.indices[order]
        return pd.DataFrame({
            "item_id": pd.array(data.item_ids.to_numpy()[items], dtype="str"),
            "item_name": data.item_names[items],
            "category": data.item_categories[items],
            "orders": counts.data[order].astype(np.int64),
            "last_purchase": pd.to_datetime(last.data[order].astype("int64"), unit="D"),
        })

    def also_bought(self, item_id: object, n: int = 10) -> pd.DataFrame:
        """Items most often bought by the buyers of ``item_id`` (cosine of buyer sets).

        An item nobody bought yet gets its most similar items by text instead (``basis="content"``).
        """
        _check_n(n)
        data = self.interactions_
        position = data.item_ids.get_indexer([str(item_id)])[0]
        if position < 0:
            raise SchemaError(
                f"Item {item_id!r} is neither in the orders nor in the catalogue; pick an item from the list.",
                code="item_not_found",
                item=str(item_id),
            )
        knn = self.components_["item_knn"]
        index, similarity, shared = knn.neighbours_of(position, n)
        basis = "co_purchase"
        if len(index) == 0 and "content" in self.components_:
            column = self.components_["content"].similarity_[:, [position]].tocoo()
            order = np.lexsort((column.row, -column.data))[:n]
            index, similarity, shared = column.row[order], column.data[order], np.zeros(len(order), dtype=np.int64)
            basis = "content"
        return pd.DataFrame({
            "item_id": pd.array(data.item_ids.to_numpy()[index], dtype="str"),
            "item_name": data.item_names[index],
            "category": data.item_categories[index],
            "similarity": similarity.astype(np.float64),
            "co_buyers": shared,
            "rank": np.arange(1, len(index) + 1),
            "basis": basis,
        })


def ranked_top(total: np.ndarray, batch: Batch, n: int, mode: Mode) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_n` of a blended block; discovery mode first takes out what each customer bought."""
    if mode == "discovery":
        seen_rows, seen_items = batch.history.nonzero()
        total[seen_rows, seen_items] = -np.inf
    return top_n(total, n)


def top_n(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and scores of each row's ``n`` best finite positive scores, best first; -1 pads short rows.

    A full ``argpartition`` of 10,000 items per customer dominates scoring time, so rows are cut into
    blocks of about sqrt(items): the best ``n`` items lie in the ``n`` blocks with the largest maxima
    (ties aside), and only those blocks are partitioned exactly.
    """
    count, width = scores.shape
    n = min(n, width)
    block = max(n, int(np.sqrt(width)))
    blocks = width // block
    if blocks > 2 * n:
        block_max = scores[:, : blocks * block].reshape(count, blocks, block).max(axis=2)
        best = np.argpartition(block_max, blocks - n, axis=1)[:, blocks - n :]
        candidates = (best[:, :, None] * block + np.arange(block)).reshape(count, -1)
        tail = np.broadcast_to(np.arange(blocks * block, width), (count, width - blocks * block))
        candidates = np.hstack([candidates, tail])
    else:
        candidates = np.broadcast_to(np.arange(width), (count, width))
    values = np.take_along_axis(scores, candidates, axis=1)
    chosen = np.argpartition(values, values.shape[1] - n, axis=1)[:, values.shape[1] - n :]
    index = np.take_along_axis(candidates, chosen, axis=1)
    values = np.take_along_axis(values, chosen, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    index = np.take_along_axis(index, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    valid = np.isfinite(values) & (values > 0)
    return np.where(valid, index, -1), np.where(valid, values, 0.0)


def fit_recommender(
    orders: pd.DataFrame,
    algorithm: str = "auto",
    items: pd.DataFrame | None = None,
    ratings: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    **params: object,
) -> Recommender:
    """Fit a :class:`Recommender`; ``params`` are its keyword parameters (e.g. ``ease_l2``, ``holdout_days``)."""
    return Recommender(algorithm, **params).fit(orders, items=items, ratings=ratings, segments=segments)


def also_bought(model: Recommender, item_id: object, n: int = 10) -> pd.DataFrame:
    """"Customers also bought": the fitted model's ``n`` nearest co-purchase neighbours of ``item_id``."""
    return model.also_bought(item_id, n)


def _check_algorithm(algorithm: str, ratings: pd.DataFrame | None) -> None:
    if algorithm != "auto" and algorithm not in ALGORITHMS:
        raise SchemaError(
            f"Unknown algorithm {algorithm!r}; choose auto or one of {', '.join(ALGORITHMS)}.",
            code="algorithm_unknown",
            algorithm=str(algorithm),
        )
    if algorithm == "svd" and ratings is None:
        raise SchemaError(
            "The svd algorithm needs star ratings; load reviews with customer_id, item_id and rating.",
            code="svd_needs_ratings",
        )


def check_parameters(ease_l2: object, recent_days: object) -> None:
    """EASE's penalty is a positive number (or None: chosen by the evaluation); the recent window whole days >= 1."""
    number = isinstance(ease_l2, (int, float, np.integer, np.floating)) and not isinstance(ease_l2, bool)
    if ease_l2 is not None and not (number and np.isfinite(ease_l2) and ease_l2 > 0):
        raise SchemaError(
            f"ease_l2 must be a positive number (or None to let the evaluation choose it), not {ease_l2!r}.",
            code="ease_l2_invalid",
            ease_l2=str(ease_l2),
        )
    if isinstance(recent_days, bool) or not isinstance(recent_days, (int, np.integer)) or recent_days < 1:
        raise SchemaError(
            f"recent_days must be a whole number of days of at least 1, not {recent_days!r}.",
            code="recent_days_invalid",
            recent_days=str(recent_days),
        )


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise SchemaError(f"Mode {mode!r} is unknown; use discovery or all.", code="mode_unknown", mode=str(mode))


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise SchemaError(f"n must be a whole number of at least 1, not {n!r}.", code="n_invalid", n=str(n))


def _segment_lookup(segments: pd.DataFrame | None) -> tuple[pd.Series, pd.Index]:
    """Segment index per customer id, and the segment codes."""
    if segments is None:
        return pd.Series([], dtype=np.int64, index=pd.Index([], dtype="str")), pd.Index([], dtype="str")
    require_columns(segments, ("customer_id", "segment"), "segments", fix="pass segment_customers(orders).table")
    frame = segments.dropna(subset=["customer_id", "segment"]).drop_duplicates("customer_id")
    index, codes = pd.factorize(frame["segment"].astype("str"), sort=True)
    return (
        pd.Series(index, index=pd.Index(frame["customer_id"].astype("str"), name="customer_id")),
        pd.Index(codes, dtype="str"),
    )


def _data_notes(data: Interactions, names: set[str]) -> list[AnalysisNote]:
    """What the fit left out or found thin, for the user to see."""
    notes = [
        AnalysisNote(code, {"count": count})
        for code, count in (
            ("guest_lines_excluded", data.guest_lines),
            ("returns_excluded", data.return_lines),
            ("items_not_in_catalogue", data.unknown_items),
            ("catalogue_items_never_bought", data.catalogue_only_items),
        )
        if count
    ]
    orders_per_customer = np.asarray(data.counts.sum(axis=1)).ravel()
    single = int((orders_per_customer <= 1).sum())
    if single:
        notes.append(AnalysisNote("single_purchase_customers", {"count": single, "customers": data.shape[0]}))
    bought = int((data.buyers() > 0).sum())
    if bought > ITEM_MODEL_LIMIT and names & {"item_knn", "ease"}:
        notes.append(AnalysisNote("item_models_limited", {"items": ITEM_MODEL_LIMIT, "bought": bought}))
    if bought == 1:
        notes.append(AnalysisNote("one_item_only", {"item": data.item_ids[int(np.argmax(data.buyers()))]}))
    elif data.shape[0] > 1 and _all_identical(data):
        notes.append(AnalysisNote("identical_customers", {"customers": data.shape[0]}))
    return notes


def _all_identical(data: Interactions) -> bool:
    """True when every customer bought exactly the same set of items."""
    return bool(np.isin(data.buyers(), (0, data.shape[0])).all())
