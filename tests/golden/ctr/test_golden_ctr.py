"""A real click log promo_core was not tuned on (Open Bandit Dataset sample, see README.md).

Against a well-tuned scikit-learn logistic regression on the same held-out rows (make_references.py):
the chosen model's AUC is at least the reference's, and its probabilities are calibrated. With 287
clicks in 60,000 impressions neither model ranks much better than chance (AUC near 0.5), so the
AUC comparison is weak evidence; calibration is the part this log checks well.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from promo_core import load_table
from promo_core.ctr import ResponseModel, fit_response_model

HERE = Path(__file__).resolve().parent
REFS = json.loads((HERE / "references.json").read_text())


@pytest.fixture(scope="module")
def obd() -> pd.DataFrame:
    return load_table(gzip.decompress((HERE / "obd_clicks.csv.gz").read_bytes()), "ad_events").frame


@pytest.fixture(scope="module")
def model(obd: pd.DataFrame) -> ResponseModel:
    return fit_response_model(obd)


def test_the_log_loads_as_ad_events(obd: pd.DataFrame) -> None:
    assert len(obd) == 60_000 and int(obd["clicked"].sum()) == 287
    assert obd["clicked"].dtype == "boolean" and obd["timestamp"].dtype.kind == "M"


def test_same_held_out_rows_as_the_reference(model: ResponseModel) -> None:
    assert model.split == "time"
    assert model.n_test == REFS["test_rows"] and int(model.holdout["y"].sum()) == REFS["test_clicks"]


def test_auc_at_least_a_well_tuned_logistic_regression(model: ResponseModel) -> None:
    assert model.metrics["auc"] >= REFS["logistic_auc"]


def test_calibrated_on_the_real_log(model: ResponseModel) -> None:
    m = model.metrics
    assert m["ece"] < 0.01
    assert abs(m["expected"] - m["observed"]) <= 3 * np.sqrt(m["observed"])
    assert m["log_loss"] <= REFS["logistic_log_loss"] * 1.01
