"""Shared sentiment fixtures: jieba and VADER are loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import load_table
from promo_core.sentiment import score_reviews

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session", autouse=True)
def warm_scorers() -> None:
    """Build the shared scorers (jieba dictionary, VADER lexicon) once, before the first test."""
    score_reviews(["warm up", "预热"])


@pytest.fixture(scope="session")
def shop_reviews() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "reviews.csv", "reviews").frame


@pytest.fixture(scope="session")
def shop_truth() -> pd.DataFrame:
    return pd.read_csv(ROOT / "sample_data" / "truth" / "reviews.csv")


@pytest.fixture(scope="session")
def shop_scored(shop_reviews: pd.DataFrame) -> pd.DataFrame:
    return score_reviews(shop_reviews["text"])


def label_of(text: str, **kwargs: object) -> str:
    """The label score_reviews gives one review ('none' when it has no label)."""
    label = score_reviews([text], **kwargs)["label"].iloc[0]
    return "none" if pd.isna(label) else str(label)


def score_of(text: str, **kwargs: object) -> float:
    return float(score_reviews([text], **kwargs)["score"].iloc[0])
