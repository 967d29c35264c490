"""Input transforms that turn a design frame into model input, one per model family.

Linear models get one-hot categoricals, scaled numbers and the hour as a cyclic (sin/cos) term in
one sparse matrix (:class:`LinearDesign`); tree models get category codes (native categorical
splits in gradient boosting) and raw numbers. Both are written out instead of scikit-learn's
OneHotEncoder / OrdinalEncoder inside a ColumnTransformer for speed, which scoring a million
impressions with two models in a few seconds needs: those encoders look text values up through a
Python dict and keep every level they see (0.8 s ordinal, 1.7 s one-hot for six text columns of a
million rows), and joining sparse and dense blocks took another 1-2 s, where pandas' categorical
hashing plus a matrix written straight from the codes take about 0.3 s. Imputation and scaling
stay scikit-learn's.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from promo_core.ctr.data import VOLUME_FEATURE, FeatureSpec

Family = Literal["linear", "tree"]
MAX_LEVELS = 100
"""Most frequent levels kept per categorical column; the rest share one "other" code."""
MIN_LEVEL_COUNT = 10
"""A level seen fewer times than this in training is "other": too rare to estimate."""
HOUR_TERMS = ("h_sin", "h_cos", "h2_sin", "h2_cos")


class CappedCategories(TransformerMixin, BaseEstimator):
    """Integer codes per column: 0..k-1 for the k kept levels, k for other or unseen, k+1 for missing."""

    def __init__(self, max_levels: int = MAX_LEVELS, min_count: int = MIN_LEVEL_COUNT) -> None:
        self.max_levels = max_levels
        self.min_count = min_count

    def fit(self, X: pd.DataFrame, y: object = None) -> CappedCategories:
        X = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.levels_ = []
        for column in X.columns:
            counts = X[column].value_counts(dropna=True)
            self.levels_.append(pd.Index(counts.index[counts.to_numpy() >= self.min_count][: self.max_levels]))
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        X = pd.DataFrame(X)
        out = np.empty(X.shape, dtype=np.int64)
        for j, levels in enumerate(self.levels_):
            column = X.iloc[:, j].astype("category")  # hash once, then map the few distinct values
            lookup = levels.get_indexer(column.cat.categories)
            lookup[lookup < 0] = len(levels)
            out[:, j] = np.append(lookup, len(levels) + 1)[column.cat.codes.to_numpy()]  # code -1: missing
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.feature_names_in_.copy()


def _cyclic_hour(hour: np.ndarray) -> np.ndarray:
    """Daily cycle as two harmonics: hour 23 sits next to hour 0, and a peak need not be at noon."""
    angle = 2 * np.pi * np.nan_to_num(np.asarray(hour, dtype=float))
    angle /= 24
    return np.column_stack([np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)])


class LinearDesign(TransformerMixin, BaseEstimator):
    """One sparse row per impression: one-hot levels, then scaled numbers, then the hour terms.

    Every row has the same number of stored entries, so the CSR arrays are filled column-block by
    column-block with no joining step. A missing hour counts as midnight's terms.
    """

    def __init__(self, categorical: tuple[str, ...] = (), numeric: tuple[str, ...] = (), hour: bool = False) -> None:
        self.categorical = categorical
        self.numeric = numeric
        self.hour = hour

    def fit(self, X: pd.DataFrame, y: object = None) -> LinearDesign:
        self.categories_ = CappedCategories().fit(X[list(self.categorical)]) if self.categorical else None
        self.numbers_ = (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()).fit(X[list(self.numeric)])
                         if self.numeric else None)
        widths = [len(levels) + 2 for levels in self.categories_.levels_] if self.categories_ else []
        self.offsets_ = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64) if widths else np.zeros(0, np.int64)
        self.n_one_hot_ = int(sum(widths))
        return self

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:
        blocks = [self.numbers_.transform(X[list(self.numeric)])] if self.numbers_ else []
        if self.hour:
            blocks.append(_cyclic_hour(X["hour"].to_numpy()))
        dense = np.column_stack(blocks) if blocks else np.empty((len(X), 0))
        n_cat = len(self.categorical)
        data = np.ones((len(X), n_cat + dense.shape[1]))
        indices = np.empty(data.shape, dtype=np.int64)
        if n_cat:
            indices[:, :n_cat] = self.categories_.transform(X[list(self.categorical)]) + self.offsets_
        data[:, n_cat:] = dense
        indices[:, n_cat:] = self.n_one_hot_ + np.arange(dense.shape[1])
        indptr = np.arange(0, data.size + 1, data.shape[1])
        return sparse.csr_matrix((data.ravel(), indices.ravel(), indptr), shape=(len(X), self.n_one_hot_ + dense.shape[1]))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        names = [f"{column}={level}" for column, levels in zip(self.categorical, self.categories_.levels_ if self.categories_ else [])
                 for level in (*levels, "other", "missing")]
        return np.array([*names, *self.numeric, *(HOUR_TERMS if self.hour else ())], dtype=object)


def make_preprocessor(spec: FeatureSpec, family: Family) -> TransformerMixin:
    """The input transform for ``family``; the tree version puts categoricals first (see :func:`categorical_mask`)."""
    numeric = list(spec.numeric) + ([VOLUME_FEATURE] if spec.volume_by else [])
    if family == "linear":
        categorical = (*spec.categorical, *(("day_of_week",) if spec.time else ()))
        return LinearDesign(categorical, tuple(numeric), spec.time)
    parts: list[tuple[str, object, list[str]]] = []
    if spec.categorical:
        parts.append(("categorical", CappedCategories(), list(spec.categorical)))
    numeric += list(("hour", "day_of_week") if spec.time else ())
    if numeric:
        parts.append(("numeric", "passthrough", numeric))
    return ColumnTransformer(parts, sparse_threshold=0.0)


def categorical_mask(spec: FeatureSpec) -> list[bool]:
    """Which tree-model input columns are category codes (they come first)."""
    n_numeric = len(spec.numeric) + bool(spec.volume_by) + 2 * spec.time
    return [True] * len(spec.categorical) + [False] * n_numeric
