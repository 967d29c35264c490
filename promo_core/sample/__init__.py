"""A deterministic, coherent fictional online shop: the app's sample data and planted test truth.

``generate_shop`` builds the small shop shipped in ``sample_data/``; the bulk generators build
tables of any size for benchmarks. The same seed always gives the same data.
"""

from promo_core.sample.ads import AdEvents, generate_ad_events
from promo_core.sample.campaign import Campaign, generate_campaign
from promo_core.sample.orders import generate_orders
from promo_core.sample.shop import SampleShop, generate_shop, write_shop

__all__ = [
    "AdEvents",
    "Campaign",
    "SampleShop",
    "generate_ad_events",
    "generate_campaign",
    "generate_orders",
    "generate_shop",
    "write_shop",
]
