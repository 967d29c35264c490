"""Recommendations: who should be offered which items, with a reason, and which method to trust.

Baselines (popularity overall and per segment, buy again), co-purchase item similarity, EASE,
surprise SVD on star ratings, TF-IDF content similarity and a hybrid blend, compared on a time
holdout by :func:`evaluate_recommenders`; ``algorithm="auto"`` picks the best per mode.
"""

from promo_core.recommend.evaluation import evaluate_recommenders
from promo_core.recommend.explicit import rating_errors
from promo_core.recommend.hybrid import ALGORITHMS, BASELINES, HYBRID_WEIGHTS, MODES
from promo_core.recommend.metrics import (
    catalogue_coverage,
    hit_matrix,
    hit_rate,
    ndcg_at_k,
    novelty,
    precision_at_k,
    recall_at_k,
)
from promo_core.recommend.model import RECOMMENDATION_COLUMNS, Recommender, also_bought, fit_recommender

__all__ = [
    "ALGORITHMS",
    "BASELINES",
    "HYBRID_WEIGHTS",
    "MODES",
    "RECOMMENDATION_COLUMNS",
    "Recommender",
    "also_bought",
    "catalogue_coverage",
    "evaluate_recommenders",
    "fit_recommender",
    "hit_matrix",
    "hit_rate",
    "ndcg_at_k",
    "novelty",
    "precision_at_k",
    "rating_errors",
    "recall_at_k",
]
