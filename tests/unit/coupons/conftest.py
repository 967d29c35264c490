"""The sample shop's orders and catalogue, loaded once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import load_table

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shop_orders() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "orders.csv", "orders").frame


@pytest.fixture(scope="session")
def shop_items() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "items.csv", "items").frame
