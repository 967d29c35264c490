"""Assemble the sample shop from the domain generators and write it to a folder.

One seed drives everything through independent child generators (one per domain), so the same
seed gives byte-identical files and changing one generator does not reshuffle the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from promo_core.sample.ads import simulate_ad_events
from promo_core.sample.campaign import simulate_campaign
from promo_core.sample.catalogue import build_catalogue
from promo_core.sample.customers import draw_customers
from promo_core.sample.orders import OrderBook, simulate_orders
from promo_core.sample.readme import render_readme
from promo_core.sample.reviews import simulate_reviews
from promo_core.sample.season import N_DAYS, START

PRE_PERIOD_DAYS = 90
SHOP_AD_FEATURES = 7
"""The six categorical ad features plus ``relevance_score`` (kept small for git)."""

_FILES = {  # field -> path inside the folder
    "items": "items.csv",
    "orders": "orders.csv",
    "reviews": "reviews.csv",
    "campaign": "campaign.csv",
    "ad_events": "ad_events.csv",
    "truth_customers": "truth/customers.csv",
    "truth_items": "truth/items.csv",
    "truth_reviews": "truth/reviews.csv",
    "truth_campaign_effects": "truth/campaign_effects.csv",
    "truth_campaign_customers": "truth/campaign_customers.csv",
    "truth_ad_probabilities": "truth/ad_probabilities.csv",
    "truth_ad_model": "truth/ad_model.csv",
    "truth_ad_daily": "truth/ad_daily.csv",
}
_MONEY = {"items", "orders", "campaign"}
"""Tables whose float columns are all money, written with two decimals."""


@dataclass(frozen=True, eq=False)
class SampleShop:
    """Every table of the sample shop; fields starting with ``truth_`` are the planted answers."""

    items: pd.DataFrame
    orders: pd.DataFrame
    reviews: pd.DataFrame
    campaign: pd.DataFrame
    ad_events: pd.DataFrame
    truth_customers: pd.DataFrame
    truth_items: pd.DataFrame
    truth_reviews: pd.DataFrame
    truth_campaign_effects: pd.DataFrame
    truth_campaign_customers: pd.DataFrame
    truth_ad_probabilities: pd.DataFrame
    truth_ad_model: pd.DataFrame
    truth_ad_daily: pd.DataFrame
    seed: int

    def tables(self) -> dict[str, pd.DataFrame]:
        """Relative file path -> table, in writing order."""
        return {path: getattr(self, name) for name, path in _FILES.items()}

    def summary(self) -> pd.DataFrame:
        """One row per file: rows and columns."""
        return pd.DataFrame(
            [(path, len(t), ", ".join(t.columns)) for path, t in self.tables().items()],
            columns=["file", "rows", "columns"],
        )


def _customer_truth(book: OrderBook, panel_truth: pd.DataFrame, item_ids: np.ndarray) -> pd.DataFrame:
    """Planted facts plus what the order history turned out to be (orders, dates, net revenue)."""
    n = len(panel_truth)
    n_orders, net = book.customer_totals(n)
    buy = (book.customer >= 0) & ~book.is_return
    first = np.full(n, N_DAYS)
    last = np.full(n, -1)
    np.minimum.at(first, book.customer[buy], book.day[buy])
    np.maximum.at(last, book.customer[buy], book.day[buy])
    return panel_truth.assign(
        staple_items=[";".join(dict.fromkeys(row)) for row in item_ids[book.staples]],
        n_orders=n_orders,
        first_order_date=(START + first).astype("datetime64[s]"),
        last_order_date=(START + last).astype("datetime64[s]"),
        net_revenue=np.round(net, 2),
    )


def generate_shop(
    seed: int = 7,
    n_customers: int = 5000,
    n_items: int = 240,
    n_reviews: int = 8000,
    n_ad_events: int = 40_000,
) -> SampleShop:
    """Build the coherent sample shop: catalogue, customers, orders, reviews, campaign and ads."""
    streams = np.random.default_rng(seed).spawn(6)
    rng_items, rng_customers, rng_orders, rng_reviews, rng_campaign, rng_ads = streams
    catalogue = build_catalogue(n_items, rng_items)
    panel = draw_customers(n_customers, rng_customers)
    book = simulate_orders(panel, catalogue, rng_orders)
    reviews = simulate_reviews(book, panel, catalogue, rng_reviews, n_reviews)

    n_orders, net = book.customer_totals(n_customers)
    _, pre_revenue = book.customer_totals(n_customers, first_day=N_DAYS - PRE_PERIOD_DAYS)
    order_value = np.maximum(net / np.maximum(n_orders, 1), 5.0)
    campaign = simulate_campaign(
        rng_campaign, panel.customer_id, panel.segment, panel.country,
        np.maximum(pre_revenue, 0.0), order_value,
    )
    ads = simulate_ad_events(rng_ads, n_ad_events, SHOP_AD_FEATURES)
    return SampleShop(
        items=catalogue.items.sort_values("item_id", ignore_index=True),
        orders=book.frame,
        reviews=reviews.frame,
        campaign=campaign.frame,
        ad_events=ads.frame,
        truth_customers=_customer_truth(book, panel.truth(), catalogue.items["item_id"].to_numpy()),
        truth_items=catalogue.truth(),
        truth_reviews=reviews.truth,
        truth_campaign_effects=campaign.effects,
        truth_campaign_customers=campaign.truth,
        truth_ad_probabilities=ads.probabilities,
        truth_ad_model=ads.model,
        truth_ad_daily=ads.daily,
        seed=seed,
    )


def write_shop(shop: SampleShop, folder: str | Path) -> list[Path]:
    """Write every table as UTF-8 CSV plus README.md; returns the paths written."""
    folder = Path(folder)
    written = []
    for name, path in _FILES.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        getattr(shop, name).to_csv(
            target, index=False, lineterminator="\n", encoding="utf-8",
            float_format="%.2f" if name in _MONEY else None,
        )
        written.append(target)
    readme = folder / "README.md"
    readme.write_text(render_readme(shop), encoding="utf-8")
    return [*written, readme]
