"""customer_membership joins segments, clusters and value without dropping anyone."""

from __future__ import annotations

import pandas as pd

from promo_core.clv import customer_value
from promo_core.segmentation import cluster_customers, customer_membership, segment_customers


def _orders() -> pd.DataFrame:
    rows = [
        ("a", "2024-01-05", 100.0), ("a", "2024-02-05", 50.0), ("a", "2024-03-01", 80.0),
        ("b", "2024-01-10", 20.0), ("b", "2024-03-02", 30.0),
        ("c", "2024-02-20", 60.0),
        ("d", "2024-01-02", 15.0), ("d", "2024-01-20", -15.0),
        ("e", "2024-03-03", 5.0), ("f", "2024-02-01", 40.0), ("f", "2024-02-25", 45.0),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    return frame.assign(
        order_date=pd.to_datetime(frame["order_date"]), is_return=frame["amount"] < 0, item_id="s"
    )


def test_membership_has_one_row_per_customer_with_every_part() -> None:
    orders = _orders()
    segmentation = segment_customers(orders)
    clusters = cluster_customers(segmentation.table, k=2)
    value = customer_value(orders, horizon_days=90)
    members = customer_membership(segmentation, clusters, value)
    assert sorted(members["customer_id"]) == ["a", "b", "c", "d", "e", "f"]
    assert members["monetary"].sum() == 430.0
    assert set(members.columns) >= {"segment", "cluster", "r_score", "p_alive", "predicted_value"}
    assert members["cluster"].notna().all()
    value_known = members["predicted_value"].notna()
    assert members.loc[value_known, "predicted_value"].is_monotonic_decreasing
    assert not value_known.iloc[: value_known.sum()].eq(False).any()


def test_membership_without_clusters_or_value_is_sorted_by_spend() -> None:
    members = customer_membership(segment_customers(_orders()))
    assert members["customer_id"].tolist()[0] == "a"
    assert "cluster" not in members and "predicted_value" not in members
    assert members["monetary"].tolist() == sorted(members["monetary"], reverse=True)
