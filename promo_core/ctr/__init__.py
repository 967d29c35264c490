"""Ads: click and conversion prediction with calibrated probabilities, and budget allocation.

``ad_totals`` (headline CTR, CVR, CPA, ROAS), ``fit_response_model`` (CTR, or post-click CVR with ``target="converted"``), ``score_impressions``
(with ``volume_notes`` on partial days), ``segment_rates`` and, for budgets, ``daily_history``,
``fit_response_curves`` and ``allocate_budget``.
"""

from promo_core.ctr.budget import OBJECTIVES, Allocation, allocate_budget, optimal_split
from promo_core.ctr.curves import ResponseCurves, fit_response_curves, saturation
from promo_core.ctr.history import daily_history
from promo_core.ctr.metrics import expected_calibration_error, lift_table, reliability_table
from promo_core.ctr.models import MODELS, ResponseModel, fit_response_model
from promo_core.ctr.scoring import score_impressions, volume_notes
from promo_core.ctr.segments import segment_rates
from promo_core.ctr.totals import AdTotals, ad_totals

__all__ = [
    "MODELS",
    "OBJECTIVES",
    "AdTotals",
    "Allocation",
    "ResponseCurves",
    "ResponseModel",
    "ad_totals",
    "allocate_budget",
    "daily_history",
    "expected_calibration_error",
    "fit_response_curves",
    "fit_response_model",
    "lift_table",
    "optimal_split",
    "reliability_table",
    "saturation",
    "score_impressions",
    "segment_rates",
    "volume_notes",
]
