"""Campaign effect: A/B/n tests with trustworthy statistics, power, and lifts per segment."""

from promo_core.campaign.abtest import ABTestResult, ABTestSuite, SrmCheck, ab_test, ab_test_many, check_srm
from promo_core.campaign.notes import Note, notes_frame
from promo_core.campaign.power import PowerResult, power_analysis
from promo_core.campaign.segments import SegmentLiftResult, segment_lifts

__all__ = [
    "ABTestResult",
    "ABTestSuite",
    "Note",
    "PowerResult",
    "SegmentLiftResult",
    "SrmCheck",
    "ab_test",
    "ab_test_many",
    "check_srm",
    "notes_frame",
    "power_analysis",
    "segment_lifts",
]
