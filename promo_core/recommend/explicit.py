"""Explicit star ratings: surprise's SVD for ranking, and cross-validated RMSE/MAE for the record.

surprise is the well-kept library for explicit-rating factorisation; this module only maps the
canonical reviews table into it and maps SVD's learned biases and factors back onto the item index,
so that predicted ratings for every item come from one matrix product instead of one ``predict``
call per pair.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd
from surprise import SVD, BaselineOnly, Dataset, KNNBaseline, Reader
from surprise.model_selection import KFold, cross_validate

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.recommend.batch import Batch
from promo_core.recommend.interactions import Interactions
from promo_core.tables import require_columns

RATING_COLUMNS = ("customer_id", "item_id", "rating")
MIN_RATINGS = 20


def clean_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    """customer_id, item_id and a numeric rating per row; repeated ratings of a pair are averaged."""
    require_columns(ratings, RATING_COLUMNS, "ratings", fix="load reviews with customer_id, item_id and rating columns")
    if not pd.api.types.is_numeric_dtype(ratings["rating"]) or pd.api.types.is_bool_dtype(ratings["rating"]):
        raise SchemaError(
            f"Column 'rating' holds {ratings['rating'].dtype} values, not numbers; load the file with load_table.",
            code="not_numbers",
            column="rating",
        )
    frame = ratings[list(RATING_COLUMNS)].dropna()
    frame = frame.astype({"customer_id": "str", "item_id": "str", "rating": "float64"})
    frame = frame.groupby(["customer_id", "item_id"], as_index=False, sort=False)["rating"].mean()
    if len(frame) < MIN_RATINGS or frame["rating"].nunique() < 2:
        raise InsufficientDataError(
            f"Only {len(frame)} ratings with {frame['rating'].nunique()} distinct values; explicit-rating models "
            f"need at least {MIN_RATINGS} ratings that differ.",
            code="too_few_ratings",
            ratings=len(frame),
            minimum=MIN_RATINGS,
        )
    return frame


def _dataset(frame: pd.DataFrame) -> Dataset:
    scale = (float(frame["rating"].min()), float(frame["rating"].max()))
    return Dataset.load_from_df(frame[list(RATING_COLUMNS)], Reader(rating_scale=scale))


def rating_errors(ratings: pd.DataFrame, folds: int = 5, random_state: int = 0) -> pd.DataFrame:
    """RMSE and MAE of SVD, KNNBaseline and the baseline-only model by ``folds``-fold cross-validation."""
    data = _dataset(clean_ratings(ratings))
    splitter = KFold(n_splits=folds, random_state=random_state, shuffle=True)
    models = {
        "svd": SVD(random_state=random_state),
        "knn_baseline": KNNBaseline(verbose=False),
        "baseline_only": BaselineOnly(verbose=False),
    }
    rows = []
    for name, model in models.items():
        scores = cross_validate(model, data, measures=["rmse", "mae"], cv=splitter)
        rows.append({
            "algorithm": name,
            "rmse": float(np.mean(scores["test_rmse"])),
            "mae": float(np.mean(scores["test_mae"])),
            "rmse_std": float(np.std(scores["test_rmse"])),
            "folds": folds,
            "ratings": data.df.shape[0],
        })
    return pd.DataFrame(rows)


class SVDScorer:
    """Predicted star rating of every item for customers who rated something (others score zero)."""

    def __init__(self, factors: int = 100, epochs: int = 20, random_state: int = 0) -> None:
        self.factors = factors
        self.epochs = epochs
        self.random_state = random_state

    def fit(self, data: Interactions, ratings: pd.DataFrame) -> Self:
        frame = clean_ratings(ratings)
        trainset = _dataset(frame).build_full_trainset()
        model = SVD(n_factors=self.factors, n_epochs=self.epochs, random_state=self.random_state).fit(trainset)
        users = data.customer_ids.get_indexer(pd.Index([trainset.to_raw_uid(u) for u in range(trainset.n_users)]))
        items = data.item_ids.get_indexer(pd.Index([trainset.to_raw_iid(i) for i in range(trainset.n_items)]))
        self.user_factors_ = np.zeros((data.shape[0], self.factors), dtype=np.float32)
        self.user_bias_ = np.zeros(data.shape[0], dtype=np.float32)
        self.rated_ = np.zeros(data.shape[0], dtype=bool)
        self.user_factors_[users[users >= 0]] = model.pu[users >= 0]
        self.user_bias_[users[users >= 0]] = model.bu[users >= 0]
        self.rated_[users[users >= 0]] = True
        self.item_factors_ = np.zeros((data.shape[1], self.factors), dtype=np.float32)
        self.item_bias_ = np.zeros(data.shape[1], dtype=np.float32)
        self.item_factors_[items[items >= 0]] = model.qi[items >= 0]
        self.item_bias_[items[items >= 0]] = model.bi[items >= 0]
        self.mean_ = float(trainset.global_mean)
        self.scale_ = trainset.rating_scale
        return self

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """Predicted ratings (clipped to the rating scale) of every item for interaction ``rows``."""
        predicted = self.mean_ + self.user_bias_[rows, None] + self.item_bias_ + self.user_factors_[rows] @ self.item_factors_.T
        return np.clip(predicted, *self.scale_).astype(np.float32)

    def score(self, batch: Batch) -> np.ndarray:
        rows = np.maximum(batch.rows, 0)
        rated = (batch.rows >= 0) & self.rated_[rows]
        scores = np.zeros((len(batch), len(self.item_bias_)), dtype=np.float32)
        scores[rated] = self.predict(rows[rated]) - self.scale_[0]
        return scores

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> tuple[list[str], list[dict]]:
        rows = np.maximum(batch.rows[user], 0)
        predicted = self.mean_ + self.user_bias_[rows] + self.item_bias_[item] + np.einsum(
            "pf,pf->p", self.user_factors_[rows], self.item_factors_[item]
        )
        predicted = np.clip(predicted, *self.scale_)
        return ["predicted_rating"] * len(user), [{"rating": round(float(r), 1)} for r in predicted]
