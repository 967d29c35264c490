"""The sample shop's orders, catalogue, reviews and planted truth, loaded and fitted once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import load_table
from promo_core.recommend import Recommender, evaluate_recommenders, fit_recommender

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shop_orders() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "orders.csv", "orders").frame


@pytest.fixture(scope="session")
def shop_items() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "items.csv", "items").frame


@pytest.fixture(scope="session")
def shop_reviews() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "reviews.csv", "reviews").frame


@pytest.fixture(scope="session")
def shop_truth() -> pd.DataFrame:
    return pd.read_csv(ROOT / "sample_data" / "truth" / "customers.csv", dtype={"customer_id": "str"})


@pytest.fixture(scope="session")
def shop_model(shop_orders, shop_items) -> Recommender:
    return fit_recommender(shop_orders, algorithm="hybrid", items=shop_items)


@pytest.fixture(scope="session")
def shop_evaluation(shop_orders, shop_items) -> pd.DataFrame:
    return evaluate_recommenders(shop_orders, k=10, holdout_days=30, items=shop_items)
