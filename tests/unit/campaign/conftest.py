"""The sample shop's coupon test, loaded once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import load_table

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shop_campaign() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "campaign.csv", "campaign").frame


@pytest.fixture(scope="session")
def shop_effects() -> pd.DataFrame:
    return pd.read_csv(ROOT / "sample_data" / "truth" / "campaign_effects.csv")
