"""Explicit ratings against surprise itself: our plumbing must lose nothing on the way in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from promo_core import load_table
from promo_core.recommend import rating_errors

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REFERENCES = json.loads((HERE / "references.json").read_text())


def test_rating_errors_match_surprise_on_the_sample_reviews() -> None:
    reviews = load_table(ROOT / "sample_data" / "reviews.csv", "reviews").frame
    table = rating_errors(reviews, folds=5, random_state=0).set_index("algorithm")
    for name, expected in REFERENCES["sample_reviews_5fold"].items():
        assert table.loc[name, "rmse"] == pytest.approx(expected["rmse"], rel=1e-9), name
        assert table.loc[name, "mae"] == pytest.approx(expected["mae"], rel=1e-9), name


def test_recorded_movielens_run_matches_the_published_figures() -> None:
    for name, published in REFERENCES["movielens_100k_published"].items():
        measured = REFERENCES["movielens_100k_measured"][name]
        assert measured["rmse"] == pytest.approx(published["rmse"], abs=0.01), name
        assert measured["mae"] == pytest.approx(published["mae"], abs=0.01), name


@pytest.mark.skipif("PROMOLENS_RECBOLE_WHEEL" not in os.environ,
                    reason="MovieLens 100k is not shipped; set PROMOLENS_RECBOLE_WHEEL to recbole-1.2.1's wheel (README)")
def test_svd_on_movielens_100k_matches_the_published_rmse() -> None:
    from movielens_check import load_movielens

    orders, _ = load_movielens(os.environ["PROMOLENS_RECBOLE_WHEEL"])
    table = rating_errors(orders[["customer_id", "item_id", "rating"]], folds=5, random_state=0).set_index("algorithm")
    assert table.loc["svd", "rmse"] == pytest.approx(0.934, abs=0.01)
