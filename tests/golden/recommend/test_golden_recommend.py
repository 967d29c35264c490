"""Explicit ratings against surprise itself: our plumbing must lose nothing on the way in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.wheels import RECBOLE, fetch_wheel
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


def test_movielens_100k_errors_match_the_published_figures() -> None:
    """Downloads recbole's 2 MB wheel once (cached; see bench.wheels) and cross-validates on its ratings."""
    from movielens_check import PUBLISHED, load_movielens

    orders, _ = load_movielens(fetch_wheel(RECBOLE))
    table = rating_errors(orders[["customer_id", "item_id", "rating"]], folds=5, random_state=0).set_index("algorithm")
    for name, (rmse, mae) in PUBLISHED.items():
        assert table.loc[name, "rmse"] == pytest.approx(rmse, abs=0.01), name
        assert table.loc[name, "mae"] == pytest.approx(mae, abs=0.01), name
