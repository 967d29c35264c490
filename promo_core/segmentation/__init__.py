"""Customer segments: RFM scores with named segments, K-means clusters and segment moves over time."""

from promo_core.segmentation.clusters import ClusterResult, cluster_customers
from promo_core.segmentation.lines import AnalysisNote
from promo_core.segmentation.membership import customer_membership
from promo_core.segmentation.moves import NOT_YET_CUSTOMER, SegmentMoves, segment_moves
from promo_core.segmentation.rfm import (
    DEFAULT_SEGMENT_RULES,
    UNASSIGNED,
    SegmentationResult,
    SegmentRule,
    rfm_table,
    rules_frame,
    segment_customers,
)

__all__ = [
    "DEFAULT_SEGMENT_RULES",
    "NOT_YET_CUSTOMER",
    "UNASSIGNED",
    "AnalysisNote",
    "ClusterResult",
    "SegmentMoves",
    "SegmentRule",
    "SegmentationResult",
    "cluster_customers",
    "customer_membership",
    "rfm_table",
    "rules_frame",
    "segment_customers",
    "segment_moves",
]
