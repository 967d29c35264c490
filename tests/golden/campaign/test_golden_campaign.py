"""promo_core.campaign against statsmodels/scipy references (make_references.py) to 1e-6."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import ab_test, ab_test_many, power_analysis, segment_lifts

HERE = Path(__file__).resolve().parent
REFS = json.loads((HERE / "references.json").read_text())
TOL = {"rel": 1e-6, "abs": 1e-9}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(HERE / "golden_ab.csv")


def _check_row(row: pd.Series, ref: dict) -> None:
    for key in ("abs_lift", "abs_lift_low", "abs_lift_high", "statistic", "p_value", "prob_beat_control"):
        assert row[key] == pytest.approx(ref[key], **TOL), key
    assert [row["rel_lift"], row["rel_lift_low"], row["rel_lift_high"]] == pytest.approx(ref["rel"], **TOL)


@pytest.mark.parametrize("metric", ["converted", "revenue"])
def test_lifts_intervals_and_p_values(data: pd.DataFrame, metric: str) -> None:
    result = ab_test(data, metric, control="control")
    assert result.kind == ("binary" if metric == "converted" else "continuous")
    for variant in ("v1", "v2"):
        _check_row(result.table.set_index("variant").loc[variant], REFS["ab"][metric][variant])


def test_cuped_theta_variance_reduction_and_adjusted_welch(data: pd.DataFrame) -> None:
    result = ab_test(data, "revenue", covariate="pre_revenue")
    ref = REFS["ab"]["cuped"]
    assert result.theta == pytest.approx(ref["theta"], **TOL)
    assert result.variance_reduction == pytest.approx(ref["variance_reduction"], **TOL)
    for variant in ("v1", "v2"):
        _check_row(result.table.set_index("variant").loc[variant], ref[variant])


def test_srm_chi_square(data: pd.DataFrame) -> None:
    result = ab_test(data, "converted")
    assert [result.srm.chi2, result.srm.p_value] == pytest.approx(REFS["ab"]["srm"], **TOL)
    assert result.srm.mismatch is False


def test_holm_bh_and_joint_adjustment(data: pd.DataFrame) -> None:
    assert ab_test(data, "converted").table["p_adjusted"].tolist() == pytest.approx(REFS["ab"]["holm_two"], **TOL)
    bh = ab_test(data, "converted", correction="bh").table["p_adjusted"].tolist()
    assert bh == pytest.approx(REFS["ab"]["bh_two"], **TOL)
    suite = ab_test_many(data, ["converted", "revenue"])
    assert suite.summary()["p_adjusted"].tolist() == pytest.approx(REFS["ab"]["holm_joint"], **TOL)


def test_segment_heterogeneity_is_cochrans_q(data: pd.DataFrame) -> None:
    result = segment_lifts(data, "converted", "segment")
    lifts = result.table[result.table["variant"] == "v1"]["abs_lift"].tolist()
    assert lifts == pytest.approx(REFS["ab"]["segments"]["v1_lifts"], **TOL)
    row = result.heterogeneity.set_index("variant").loc["v1"]
    assert row["q"] == pytest.approx(REFS["ab"]["segments"]["v1_q"], **TOL)
    assert row["p_value"] == pytest.approx(REFS["ab"]["segments"]["v1_p"], **TOL)


def test_power_matches_closed_form() -> None:
    ref = REFS["power"]
    result = power_analysis("proportion", baseline=0.10, mde=0.02)
    assert result.n_control == int(np.ceil(ref["proportion_n_closed_form"]))
    assert result.n_control == int(np.ceil(ref["proportion_n_statsmodels"]))
    means = power_analysis("mean", baseline=50.0, mde=5.0, sd=40.0, ratio=2.0)
    assert means.n_control == int(np.ceil(ref["mean_n_ratio2"]))
    assert means.n_variant == int(np.ceil(2 * means.n_control))
    back = power_analysis("proportion", baseline=0.10, n_control=int(np.ceil(ref["proportion_n_closed_form"])))
    assert 0.0199 < back.mde_abs <= 0.02


def _hillstrom_frame(arms: list[str]) -> pd.DataFrame:
    parts = []
    for arm in arms:
        n, c = REFS["hillstrom_counts"][arm]
        parts.append(pd.DataFrame({"segment": arm, "conversion": np.r_[np.ones(c), np.zeros(n - c)].astype(int)}))
    return pd.concat(parts, ignore_index=True)


def test_hillstrom_email_lifts_are_the_textbook_values() -> None:
    frame = _hillstrom_frame(["No E-Mail", "Mens E-Mail", "Womens E-Mail"])
    result = ab_test(frame, "conversion", group="segment", control="No E-Mail")
    table = result.table.set_index("variant")
    for arm in ("Mens E-Mail", "Womens E-Mail"):
        _check_row(table.loc[arm], REFS["hillstrom"][arm])
    # published: +118.8% (men's) and +54.3% (women's) relative conversion lift; no sample-ratio mismatch
    assert round(table.loc["Mens E-Mail", "rel_lift"], 3) == 1.188
    assert round(table.loc["Womens E-Mail", "rel_lift"], 3) == 0.543
    assert [result.srm.chi2, result.srm.p_value] == pytest.approx(REFS["hillstrom"]["srm"], **TOL)
    assert round(result.srm.p_value, 3) == 0.904


def test_hillstrom_any_email_matches_published_z() -> None:
    frame = _hillstrom_frame(["No E-Mail", "Mens E-Mail", "Womens E-Mail"])
    frame["segment"] = frame["segment"].where(frame["segment"] == "No E-Mail", "Any E-Mail")
    result = ab_test(frame, "conversion", group="segment", control="No E-Mail", planned_split={"Any E-Mail": 2, "No E-Mail": 1})
    row = result.table.iloc[0]
    _check_row(row, REFS["hillstrom"]["Any E-Mail"])
    assert round(row["statistic"], 2) == 6.24 and f"{row['p_value']:.2e}" == "4.27e-10"
    assert round(row["rel_lift"], 3) == 0.865
