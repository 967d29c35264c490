"""Views of the Campaign effect page: setup, checks, lifts, segments, uplift, counterfactual, power, export.

One module per section; the page draws the sections exported here. Every section catches
``PromoCoreError`` once and shows it in the user's language; anything else is a bug. Expensive steps
(the test, uplift fit, causal impact) go through the campaign block of ``ui.cache``, so moving a
slider reruns only the cheap parts. Results from the cache are shared: nothing here mutates them.
Names from uploads (groups, segments, columns) go into Markdown only backslash-escaped, and never
into HTML.
"""

from ui.campaign.abtest import test_view
from ui.campaign.export import Findings, export_view
from ui.campaign.impact import impact_view
from ui.campaign.power import power_view
from ui.campaign.segments import segments_view
from ui.campaign.setup import setup_panel
from ui.campaign.uplift import uplift_view

__all__ = [
    "Findings",
    "export_view",
    "impact_view",
    "power_view",
    "segments_view",
    "setup_panel",
    "test_view",
    "uplift_view",
]
