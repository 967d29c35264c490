"""K-means clusters of customers on log-scaled, standardised RFM (plus any extra numeric features).

scikit-learn does the work (KMeans, silhouette_score). What is added here: the choice of k by
silhouette on a random sample, because exact silhouette on 100k+ customers takes minutes; labels
ordered by value so that cluster 0 is always the highest mean monetary value; and a description code
per cluster for the UI to translate, with a trait code that tells apart clusters sharing one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.segmentation.lines import AnalysisNote
from promo_core.tables import require_columns

RFM_FEATURES = ("recency_days", "frequency", "monetary")
SCORE_COLUMNS = ("r_score", "f_score", "m_score")
HIGH = 0.5
"""A cluster mean this many standard deviations above (below) the mean counts as high (low)."""
N_INIT = 4
TRAITS = {
    "recency_days": ("recent", "longer_inactive"),
    "frequency": ("fewer_orders", "more_orders"),
    "monetary": ("lower_spend", "higher_spend"),
}
"""Trait codes for a cluster below (first) or above (second) the others sharing its description."""


@dataclass(frozen=True, eq=False)
class ClusterResult:
    """Cluster per customer (0 = highest mean monetary), profiles and the k search."""

    assignments: pd.DataFrame  # customer_id, cluster, recency_days, frequency, monetary
    k: int
    profile: pd.DataFrame
    descriptions: tuple[tuple[str, Mapping[str, float]], ...]  # (code, parameters) per cluster
    traits: tuple[str, ...]  # per cluster: what sets it apart from clusters with the same code, or ""
    silhouette: pd.DataFrame  # k, silhouette (empty when k was given)
    features: tuple[str, ...]
    notes: tuple[AnalysisNote, ...]

    def summary(self) -> pd.DataFrame:
        """Per cluster: size, share, revenue, share of revenue, mean features, description and trait codes."""
        return self.profile


def cluster_customers(
    features: pd.DataFrame,
    k: int | None = None,
    random_state: int = 0,
    k_range: Sequence[int] = range(2, 9),
    sample_size: int = 3000,
    columns: Sequence[str] | None = None,
) -> ClusterResult:
    """Cluster customers (one row each, e.g. an ``rfm_table``) with K-means.

    Features are ``columns`` or RFM plus every other numeric column except the RFM scores; they are
    log-scaled (sign-preserving ``log1p``, since monetary can be negative) and standardised.
    Without ``k``, the best silhouette over ``k_range`` on ``sample_size`` customers decides.
    """
    used = _feature_columns(features, columns)
    scaled = _scaled(features, used)
    distinct = _distinct_rows(scaled)
    notes: list[AnalysisNote] = []
    if k is None:
        k, silhouette, note = _choose_k(scaled, distinct, k_range, sample_size, random_state)
        notes += note
    else:
        _check_k(k, distinct)
        silhouette = pd.DataFrame({"k": pd.Series(dtype=np.int64), "silhouette": pd.Series(dtype=np.float64)})
    labels = _ordered_labels(_kmeans_labels(scaled, k, random_state), features)
    assignments = pd.DataFrame({
        "customer_id": features["customer_id"].astype("str").to_numpy(),
        "cluster": labels,
        **{f: features[f].to_numpy(dtype=np.float64) for f in RFM_FEATURES},
    })
    profile, descriptions, traits = _profile(features, used, labels, scaled, k)
    return ClusterResult(
        assignments=assignments,
        k=k,
        profile=profile,
        descriptions=descriptions,
        traits=traits,
        silhouette=silhouette,
        features=used,
        notes=tuple(notes),
    )


def _feature_columns(features: pd.DataFrame, columns: Sequence[str] | None) -> tuple[str, ...]:
    wanted = ("customer_id", *RFM_FEATURES, *(columns or ()))
    require_columns(features, wanted, "feature", name="customer table", fix="pass the rfm_table (plus your own columns)")
    if columns is None:
        numeric = [
            c for c in features.columns
            if pd.api.types.is_numeric_dtype(features[c]) and not pd.api.types.is_bool_dtype(features[c])
        ]
        columns = [c for c in numeric if c not in SCORE_COLUMNS]
    used = tuple(dict.fromkeys((*RFM_FEATURES, *columns)))
    for column in used:
        values = pd.to_numeric(features[column], errors="coerce")
        if values.isna().any():
            row = values.isna().idxmax()
            raise SchemaError(
                f"Column '{column}' has no number in {int(values.isna().sum())} rows, first at row {row}; fill it or "
                "leave the column out of the clustering.",
                code="missing_values",
                column=column,
                row=row,
                count=int(values.isna().sum()),
            )
    return used


def _scaled(features: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Sign-preserving log1p, then zero mean and unit variance per column (constant columns stay 0)."""
    raw = features[list(columns)].to_numpy(dtype=np.float64)
    return StandardScaler().fit_transform(np.sign(raw) * np.log1p(np.abs(raw)))


def _check_k(k: int, distinct: int) -> None:
    if distinct < 2:
        raise InsufficientDataError(
            f"Only {distinct} distinct customer: nothing to cluster; add more orders.",
            code="too_few_customers_to_cluster",
            customers=distinct,
            minimum=2,
        )
    if k < 1 or k > distinct:
        raise InsufficientDataError(
            f"Cannot form {k} clusters from {distinct} distinct customers; choose k between 1 and {distinct} "
            "or leave k empty to choose it automatically.",
            code="more_clusters_than_customers",
            k=k,
            customers=distinct,
        )


def _choose_k(
    scaled: np.ndarray, distinct: int, k_range: Sequence[int], sample_size: int, random_state: int
) -> tuple[int, pd.DataFrame, list[AnalysisNote]]:
    """The k with the best silhouette, K-means fitted and scored on one random sample."""
    rng = np.random.default_rng(random_state)
    sample = scaled[rng.choice(len(scaled), min(len(scaled), sample_size), replace=False)]
    sample_distinct = _distinct_rows(sample)
    candidates = [k for k in k_range if 2 <= k < sample_distinct]
    if not candidates:
        raise InsufficientDataError(
            f"Only {distinct} distinct customers: too few to compare clusterings; add more orders or set k.",
            code="too_few_customers_to_cluster",
            customers=distinct,
            minimum=3,
        )
    notes = []
    if len(candidates) < len([k for k in k_range if k >= 2]):
        notes.append(AnalysisNote("k_range_reduced", {"max_k": max(candidates), "customers": distinct}))
    scores = [silhouette_score(sample, _kmeans_labels(sample, k, random_state)) for k in candidates]
    table = pd.DataFrame({"k": candidates, "silhouette": scores})
    return int(candidates[int(np.argmax(scores))]), table, notes


def _kmeans_labels(scaled: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """K-means on one OpenMP thread: with a few features, a second thread gains little and, on a busy
    machine, its spin-waiting made fits up to 10x slower in our benchmarks."""
    with threadpool_limits(1, user_api="openmp"):
        return KMeans(k, n_init=N_INIT, random_state=random_state).fit_predict(scaled)


def _distinct_rows(values: np.ndarray) -> int:
    return int((~pd.DataFrame(values).duplicated()).sum())


def _ordered_labels(labels: np.ndarray, features: pd.DataFrame) -> np.ndarray:
    """Relabel so that cluster 0 has the highest mean monetary (then frequency), for stable ids."""
    means = pd.DataFrame({"label": labels, "m": features["monetary"].to_numpy(), "f": features["frequency"].to_numpy()})
    means = means.groupby("label").mean().sort_values(["m", "f"], ascending=False)
    rank = np.empty(labels.max() + 1, dtype=np.int64)
    rank[means.index.to_numpy()] = np.arange(len(means))
    return rank[labels]


def _profile(
    features: pd.DataFrame, used: Sequence[str], labels: np.ndarray, scaled: np.ndarray, k: int
) -> tuple[pd.DataFrame, tuple[tuple[str, Mapping[str, float]], ...], tuple[str, ...]]:
    frame = features[list(used)].astype(np.float64).assign(cluster=labels)
    grouped = frame.groupby("cluster")
    profile = grouped.size().rename("size").to_frame()
    profile["share"] = profile["size"] / len(frame)
    profile["revenue"] = grouped["monetary"].sum()
    total = profile["revenue"].sum()
    profile["revenue_share"] = profile["revenue"] / total if total > 0 else np.nan
    profile = profile.join(grouped[list(used)].mean().add_prefix("mean_"))
    centre = pd.DataFrame(scaled[:, : len(RFM_FEATURES)], columns=list(RFM_FEATURES)).groupby(labels).mean()
    descriptions = tuple(
        (describe_cluster(centre.loc[c]), {f: float(profile.loc[c, f"mean_{f}"]) for f in RFM_FEATURES})
        for c in range(k)
    )
    traits = distinguishing_traits(centre, [code for code, _ in descriptions])
    profile["description"] = pd.array([code for code, _ in descriptions], dtype="str")
    profile["trait"] = pd.array(traits, dtype="str")
    return profile.reset_index(), descriptions, traits


def describe_cluster(centre: pd.Series) -> str:
    """A short code from a cluster's standardised mean recency, frequency and monetary value."""
    lapsed = centre["recency_days"] > HIGH
    recent = centre["recency_days"] < -HIGH
    frequent, rare = centre["frequency"] > HIGH, centre["frequency"] < -HIGH
    big, small = centre["monetary"] > HIGH, centre["monetary"] < -HIGH
    if lapsed:
        return "lapsed_valuable" if frequent or big else "lapsed_occasional"
    if frequent:
        return "frequent_high_spenders" if big else "frequent_low_spenders"
    if big:
        return "occasional_big_spenders"
    if recent and rare:
        return "recent_newcomers"
    if rare and small:
        return "occasional_low_spenders"
    return "average_customers"


def distinguishing_traits(centres: pd.DataFrame, codes: Sequence[str]) -> tuple[str, ...]:
    """Per cluster, a trait code from ``TRAITS`` that tells it apart from clusters with the same description.

    ``centres`` holds standardised mean recency, frequency and monetary per cluster (rows in cluster
    order). Within each group sharing a code, the cluster furthest from the group's mean picks first
    its largest difference (e.g. "recent" when its customers bought more recently), then the next
    one a trait not yet taken. Clusters with a unique code, or a group too large for distinct traits,
    keep "" (their number still tells them apart).
    """
    traits = [""] * len(codes)
    for code in dict.fromkeys(codes):
        members = [c for c, other in enumerate(codes) if other == code]
        if len(members) < 2:
            continue
        group = centres.iloc[members][list(TRAITS)]
        offsets = group - group.mean()
        taken: set[str] = set()
        for position in np.argsort(-offsets.abs().max(axis=1).to_numpy(), kind="stable"):
            offset = offsets.iloc[position]
            for feature in offset.abs().sort_values(ascending=False, kind="stable").index:
                trait = TRAITS[feature][int(offset[feature] > 0)]
                if trait not in taken:
                    traits[members[position]] = trait
                    taken.add(trait)
                    break
    return tuple(traits)
