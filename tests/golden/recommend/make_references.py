"""Reference RMSE/MAE on the sample shop's reviews, computed with surprise alone (no promo_core code).

    python tests/golden/recommend/make_references.py

writes ``references.json``: 5-fold cross-validated RMSE and MAE of SVD, KNNBaseline and
BaselineOnly with the same fold seed as ``promo_core.recommend.rating_errors``, plus the values
surprise publishes for MovieLens 100k and what ``movielens_check.py`` measured there.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from surprise import SVD, BaselineOnly, Dataset, KNNBaseline, Reader
from surprise.model_selection import KFold, cross_validate

HERE = Path(__file__).resolve().parent
REVIEWS = HERE.parents[2] / "sample_data" / "reviews.csv"
SEED = 0


def main() -> dict:
    reviews = pd.read_csv(REVIEWS, usecols=["customer_id", "item_id", "rating"])
    data = Dataset.load_from_df(reviews, Reader(rating_scale=(1, 5)))
    models = {"svd": SVD(random_state=SEED), "knn_baseline": KNNBaseline(verbose=False),
              "baseline_only": BaselineOnly(verbose=False)}
    sample = {}
    for name, model in models.items():
        scores = cross_validate(model, data, measures=["rmse", "mae"], cv=KFold(5, random_state=SEED, shuffle=True))
        sample[name] = {"rmse": float(np.mean(scores["test_rmse"])), "mae": float(np.mean(scores["test_mae"]))}
    measured = json.loads((HERE / "movielens_measured.json").read_text())
    references = {
        "sample_reviews_5fold": sample,
        "movielens_100k_published": {"svd": {"rmse": 0.934, "mae": 0.737}, "knn_baseline": {"rmse": 0.931, "mae": 0.733},
                                     "baseline_only": {"rmse": 0.944, "mae": 0.748}},
        "movielens_100k_measured": {row["algorithm"]: {"rmse": row["rmse"], "mae": row["mae"]}
                                    for row in measured["ratings"]},
    }
    (HERE / "references.json").write_text(json.dumps(references, indent=1) + "\n")
    return references


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
