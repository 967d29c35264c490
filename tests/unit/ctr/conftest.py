"""The sample shop's ad log and the models fitted on it, built once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import load_table
from promo_core.ctr import ResponseModel, fit_response_model

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shop_ads() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "ad_events.csv", "ad_events").frame


@pytest.fixture(scope="session")
def shop_truth() -> pd.DataFrame:
    return pd.read_csv(ROOT / "sample_data" / "truth" / "ad_probabilities.csv").set_index("impression_id")


@pytest.fixture(scope="session")
def click_model(shop_ads: pd.DataFrame) -> ResponseModel:
    return fit_response_model(shop_ads)


@pytest.fixture(scope="session")
def conversion_model(shop_ads: pd.DataFrame) -> ResponseModel:
    return fit_response_model(shop_ads, target="converted")
