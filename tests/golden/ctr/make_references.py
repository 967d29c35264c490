"""Reference for the real click log: a well-tuned scikit-learn logistic regression, written to references.json.

Same rows as promo_core's protocol: impressions sorted by time (stable), the latest 20% held out.
Same raw columns, encoded the textbook way: one-hot categoricals (and weekday), scaled numbers and
a sin/cos hour. C is tuned by LogisticRegressionCV over 13 values from 1e-4 to 1e2 with four
forward-chaining time folds on log-loss.

    python tests/golden/ctr/make_references.py
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from promo_core import load_table

HERE = Path(__file__).resolve().parent
TEST_SIZE = 0.2


def main() -> None:
    events = load_table(gzip.decompress((HERE / "obd_clicks.csv.gz").read_bytes()), "ad_events").frame
    hour = events["timestamp"].dt.hour + events["timestamp"].dt.minute / 60
    X = events.assign(hour_sin=np.sin(2 * np.pi * hour / 24), hour_cos=np.cos(2 * np.pi * hour / 24),
                      weekday=events["timestamp"].dt.day_of_week.astype(str))
    y = events["clicked"].astype(int).to_numpy()
    order = np.argsort(events["timestamp"].to_numpy(), kind="stable")
    n_test = round(len(order) * TEST_SIZE)
    dev, test = order[: len(order) - n_test], order[len(order) - n_test:]
    categorical = [c for c in X.columns if X[c].dtype == "str"]
    numeric = ["affinity", "item_feature_0", "hour_sin", "hour_cos"]
    model = make_pipeline(
        ColumnTransformer([("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
                           ("numeric", StandardScaler(), numeric)]),
        LogisticRegressionCV(Cs=np.logspace(-4, 2, 13), cv=TimeSeriesSplit(4), scoring="neg_log_loss", l1_ratios=(0.0,),
                             use_legacy_attributes=False, max_iter=5000),
    ).fit(X.iloc[dev], y[dev])
    p = model.predict_proba(X.iloc[test])[:, 1]
    references = {
        "sklearn": sklearn.__version__,
        "categorical": categorical,
        "numeric": numeric,
        "test_rows": len(test),
        "test_clicks": int(y[test].sum()),
        "logistic_C": float(model[-1].C_),
        "logistic_auc": float(roc_auc_score(y[test], p)),
        "logistic_log_loss": float(log_loss(y[test], p)),
    }
    (HERE / "references.json").write_text(json.dumps(references, indent=2) + "\n")
    print(json.dumps(references, indent=2))


if __name__ == "__main__":
    main()
