"""One row per customer with everything the marketer exports: segment, cluster, scores and value."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from promo_core.segmentation.clusters import ClusterResult
from promo_core.segmentation.rfm import SegmentationResult

if TYPE_CHECKING:  # promo_core.clv builds on this package, so a runtime import would be circular
    from promo_core.clv import CLVResult

_RFM_COLUMNS = ["customer_id", "segment", "r_score", "f_score", "m_score", "recency_days", "frequency", "monetary"]
_CLV_COLUMNS = ["p_alive", "expected_purchases", "predicted_value"]


def customer_membership(
    segmentation: SegmentationResult, clusters: ClusterResult | None = None, clv: CLVResult | None = None
) -> pd.DataFrame:
    """Segment membership joined with cluster and lifetime value, highest predicted value first.

    Customers missing from a later analysis (e.g. returns-only customers that CLV leaves out) keep
    their row with empty cells, so the export never drops anyone silently.
    """
    members = segmentation.table[_RFM_COLUMNS]
    if clusters is not None:
        members = members.merge(clusters.assignments[["customer_id", "cluster"]], on="customer_id", how="left")
        members["cluster"] = members["cluster"].astype("Int64")
    if clv is not None:
        members = members.merge(clv.table[["customer_id", *_CLV_COLUMNS]], on="customer_id", how="left")
        members = members.sort_values(["predicted_value", "customer_id"], ascending=[False, True], na_position="last")
    else:
        members = members.sort_values(["monetary", "customer_id"], ascending=[False, True])
    return members.reset_index(drop=True)
