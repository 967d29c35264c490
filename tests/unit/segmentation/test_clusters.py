"""K-means clusters: planted-segment recovery on the sample shop, stable value-ordered labels, thin data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from promo_core import InsufficientDataError, SchemaError, load_table
from promo_core.segmentation import AnalysisNote, cluster_customers, rfm_table
from promo_core.segmentation.clusters import describe_cluster, distinguishing_traits

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"


@pytest.fixture(scope="module")
def shop_rfm() -> pd.DataFrame:
    return rfm_table(load_table(SAMPLE / "orders.csv", "orders").frame)


@pytest.fixture(scope="module")
def truth(shop_rfm: pd.DataFrame) -> np.ndarray:
    planted = pd.read_csv(SAMPLE / "truth" / "customers.csv").set_index("customer_id")["true_segment"]
    return planted.loc[shop_rfm["customer_id"]].to_numpy()


def test_seven_clusters_recover_the_planted_segments(shop_rfm: pd.DataFrame, truth: np.ndarray) -> None:
    result = cluster_customers(shop_rfm, k=7)
    # measured 0.544 with RFM only (the shop plants 7 segments); chance level is 0
    assert adjusted_rand_score(truth, result.assignments["cluster"]) > 0.45
    assert result.silhouette.empty


def test_automatic_k_by_silhouette(shop_rfm: pd.DataFrame, truth: np.ndarray) -> None:
    result = cluster_customers(shop_rfm)
    assert result.silhouette["k"].tolist() == list(range(2, 9))
    best = result.silhouette.loc[result.silhouette["silhouette"].idxmax(), "k"]
    assert result.k == best == 2  # silhouette prefers the coarse active / lapsed split here
    # measured 0.277: two clusters cannot separate seven segments, but they split them far from chance
    assert adjusted_rand_score(truth, result.assignments["cluster"]) > 0.2
    assert [code for code, _ in result.descriptions] == ["frequent_high_spenders", "lapsed_occasional"]


def test_labels_are_ordered_by_value_and_stable(shop_rfm: pd.DataFrame) -> None:
    first = cluster_customers(shop_rfm, k=5)
    again = cluster_customers(shop_rfm.sample(frac=1.0, random_state=3).reset_index(drop=True), k=5)
    assert first.profile["mean_monetary"].is_monotonic_decreasing
    mine = first.assignments.set_index("customer_id")["cluster"]
    theirs = again.assignments.set_index("customer_id")["cluster"].loc[mine.index]
    assert adjusted_rand_score(mine, theirs) > 0.95
    assert (mine == theirs).mean() > 0.97


def test_profile_sizes_revenue_and_measures(shop_rfm: pd.DataFrame) -> None:
    result = cluster_customers(shop_rfm, k=4)
    profile = result.profile
    assert profile["cluster"].tolist() == [0, 1, 2, 3]
    assert profile["size"].sum() == len(shop_rfm) == len(result.assignments)
    assert profile["share"].sum() == pytest.approx(1.0)
    assert profile["revenue"].sum() == pytest.approx(shop_rfm["monetary"].sum())
    assert profile["revenue_share"].sum() == pytest.approx(1.0)
    mine = shop_rfm.assign(cluster=result.assignments["cluster"].to_numpy())
    assert profile["mean_frequency"].tolist() == pytest.approx(mine.groupby("cluster")["frequency"].mean().tolist())
    assert result.features == ("recency_days", "frequency", "monetary")
    assignments = result.assignments
    assert assignments.columns.tolist() == ["customer_id", "cluster", "recency_days", "frequency", "monetary"]
    assert assignments[["recency_days", "frequency", "monetary"]].to_numpy().tolist() == (
        shop_rfm[["recency_days", "frequency", "monetary"]].to_numpy(dtype=float).tolist()
    )
    assert result.summary() is profile
    assert profile["description"].tolist() == [code for code, _ in result.descriptions]
    assert set(result.descriptions[0][1]) == {"recency_days", "frequency", "monetary"}


def test_extra_numeric_columns_are_used_scores_are_not(shop_rfm: pd.DataFrame) -> None:
    features = shop_rfm.assign(tenure=np.arange(len(shop_rfm)) % 17)
    assert cluster_customers(features, k=3).features == ("recency_days", "frequency", "monetary", "tenure")
    assert cluster_customers(features, k=3, columns=[]).features == ("recency_days", "frequency", "monetary")


def test_small_sample_for_k_search(shop_rfm: pd.DataFrame) -> None:
    result = cluster_customers(shop_rfm, k_range=range(2, 5), sample_size=300)
    assert result.silhouette["k"].tolist() == [2, 3, 4]
    assert len(result.assignments) == len(shop_rfm)


@pytest.mark.parametrize(
    ("centre", "code"),
    [
        ((1.2, 1.0, 0.0), "lapsed_valuable"),
        ((1.2, -0.8, -0.8), "lapsed_occasional"),
        ((-0.8, 1.0, 1.0), "frequent_high_spenders"),
        ((0.0, 1.0, -0.6), "frequent_low_spenders"),
        ((0.0, 0.0, 1.0), "occasional_big_spenders"),
        ((-1.0, -1.0, 0.0), "recent_newcomers"),
        ((0.0, -0.7, -0.7), "occasional_low_spenders"),
        ((0.2, 0.2, -0.2), "average_customers"),
    ],
)
def test_descriptions(centre: tuple[float, float, float], code: str) -> None:
    assert describe_cluster(pd.Series(centre, index=["recency_days", "frequency", "monetary"])) == code


def test_clusters_sharing_a_description_get_distinct_traits(shop_rfm: pd.DataFrame) -> None:
    """The review saw '1 · Frequent high spenders' and '2 · Frequent high spenders' at k=5."""
    result = cluster_customers(shop_rfm, k=5)
    codes = [code for code, _ in result.descriptions]
    assert codes == [
        "frequent_high_spenders", "frequent_high_spenders", "lapsed_occasional", "recent_newcomers", "lapsed_occasional",
    ]
    # measured: clusters 0 and 1 last bought 13 and 114 days ago; clusters 2 and 4 spent 74.6 and 13.3
    assert result.traits == ("recent", "longer_inactive", "higher_spend", "", "lower_spend")
    assert result.profile["trait"].tolist() == list(result.traits)
    assert result.profile.loc[0, "mean_recency_days"] < result.profile.loc[1, "mean_recency_days"]
    assert result.profile.loc[2, "mean_monetary"] > result.profile.loc[4, "mean_monetary"]
    names = list(zip(codes, result.traits))
    assert len(set(names)) == len(names)


def test_traits_by_hand() -> None:
    centres = pd.DataFrame(
        [[-1.0, 1.0, 1.0], [0.4, 0.9, 1.1], [1.0, -1.0, -0.2], [1.0, -1.0, -1.4], [0.9, -0.8, -0.8]],
        columns=["recency_days", "frequency", "monetary"],
    )
    codes = ["a", "a", "b", "b", "b"]
    # group a: recency differs most (-0.7 / +0.7); group b: monetary (+0.6, -0.6, 0.0), then the middle
    # cluster takes its largest remaining difference (frequency +0.13: more orders)
    expected = ("recent", "longer_inactive", "higher_spend", "lower_spend", "more_orders")
    assert distinguishing_traits(centres, codes) == expected
    assert distinguishing_traits(centres, ["a", "b", "c", "d", "e"]) == ("",) * 5


def few(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(n)],
        "recency_days": [5 * (i + 1) for i in range(n)],
        "frequency": [i + 1 for i in range(n)],
        "monetary": [10.0 * (i + 1) for i in range(n)],
    })


def test_fewer_customers_than_clusters_asked_for() -> None:
    with pytest.raises(InsufficientDataError) as caught:
        cluster_customers(few(3), k=4)
    assert caught.value.code == "more_clusters_than_customers"
    assert caught.value.details == {"k": 4, "customers": 3}
    assert "Cannot form 4 clusters from 3 distinct customers; choose k between 1 and 3" in str(caught.value)


def test_automatic_k_shrinks_to_the_customers_there_are() -> None:
    result = cluster_customers(few(4))
    assert result.silhouette["k"].tolist() == [2, 3]
    assert result.notes == (AnalysisNote("k_range_reduced", {"max_k": 3, "customers": 4}),)
    assert result.assignments["cluster"].tolist() == sorted(result.assignments["cluster"], reverse=True)


def test_identical_customers_cannot_be_clustered() -> None:
    same = few(1).loc[[0, 0, 0]].assign(customer_id=["a", "b", "c"])
    with pytest.raises(InsufficientDataError) as caught:
        cluster_customers(same, k=2)
    assert caught.value.code == "too_few_customers_to_cluster"
    assert caught.value.details == {"customers": 1, "minimum": 2}
    with pytest.raises(InsufficientDataError) as caught:
        cluster_customers(few(2))
    assert caught.value.code == "too_few_customers_to_cluster"
    assert caught.value.details == {"customers": 2, "minimum": 3}


def test_feature_table_without_rfm_columns() -> None:
    with pytest.raises(SchemaError) as caught:
        cluster_customers(few(5).drop(columns=["monetary"]))
    assert caught.value.code == "feature_columns_missing"
    assert caught.value.details == {"columns": "monetary"}


def test_empty_feature_cell_names_column_and_row() -> None:
    features = few(5).assign(visits=[1.0, 2.0, None, 4.0, 5.0])
    with pytest.raises(SchemaError) as caught:
        cluster_customers(features, k=2)
    assert caught.value.code == "missing_values"
    assert caught.value.details == {"column": "visits", "row": 2, "count": 1}
    assert "Column 'visits' has no number in 1 rows, first at row 2" in str(caught.value)
