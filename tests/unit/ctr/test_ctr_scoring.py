"""Scoring an impression file with the click and conversion models, and segment rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.ctr import chunks, fit_response_model, score_impressions, segment_rates
from promo_core.ctr.models import FOREST_DEPTH, FOREST_TREES


def test_scores_combine_ctr_and_post_click_cvr(click_model, conversion_model, shop_ads) -> None:
    scores = score_impressions([click_model, conversion_model], shop_ads)
    assert scores.columns.tolist() == ["impression_id", "p_click", "p_convert_given_click", "p_convert",
                                       "expected_revenue", "expected_value"]
    assert scores.index.equals(shop_ads.index)
    np.testing.assert_array_equal(scores["p_click"], click_model.predict_proba(shop_ads))
    np.testing.assert_array_equal(scores["p_convert_given_click"], conversion_model.predict_proba(shop_ads))
    np.testing.assert_allclose(scores["p_convert"], scores["p_click"] * scores["p_convert_given_click"], rtol=0, atol=0)
    np.testing.assert_allclose(scores["expected_revenue"], scores["p_convert"] * conversion_model.value_per_conversion)
    np.testing.assert_allclose(scores["expected_value"], scores["expected_revenue"] - shop_ads["cost"])
    assert scores["p_click"].sum() == pytest.approx(shop_ads["clicked"].sum(), rel=0.05)
    assert scores["p_convert"].sum() == pytest.approx(shop_ads["converted"].sum(), rel=0.15)


@pytest.fixture(scope="module")
def forest(shop_ads):
    return fit_response_model(shop_ads, model="random_forest", importance_rows=500)


def test_scores_do_not_depend_on_the_number_of_threads(click_model, forest, shop_ads, monkeypatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 7_000)  # six chunks of the 40,000 impressions on two threads
    for model in (click_model, forest):
        whole = score_impressions(model, shop_ads, n_jobs=1)  # one call, no chunks
        pd.testing.assert_frame_equal(score_impressions(model, shop_ads, n_jobs=2), whole)


def test_the_forest_is_sized_for_scoring(forest) -> None:
    trees = forest.estimator.estimator_[-1].estimators_
    assert len(trees) == FOREST_TREES
    assert max(tree.tree_.max_depth for tree in trees) <= FOREST_DEPTH
    assert min(tree.tree_.n_node_samples.min() for tree in trees) >= 20


def test_click_model_alone_gives_ctr_only(click_model, shop_ads) -> None:
    scores = score_impressions(click_model, shop_ads.drop(columns=["impression_id"]).head(500))
    assert scores.columns.tolist() == ["p_click"]


def test_segment_rates_put_observed_beside_predicted(click_model, shop_ads) -> None:
    table = segment_rates(click_model, shop_ads, ["channel", "creative"])
    assert table.columns.tolist() == ["channel", "creative", "n", "positives", "observed", "predicted",
                                      "observed_low", "observed_high", "gap"]
    assert len(table) == 30 and table["n"].sum() == click_model.n_test
    holdout = shop_ads.loc[click_model.holdout["row"]]
    search = holdout[(holdout["channel"] == "search") & (holdout["creative"] == "flash_sale")]
    row = table[(table["channel"] == "search") & (table["creative"] == "flash_sale")].iloc[0]
    assert row["n"] == len(search) and row["observed"] == pytest.approx(search["clicked"].astype(float).mean())
    p = pd.Series(click_model.predict_proba(shop_ads), index=shop_ads.index).loc[search.index]
    assert row["predicted"] == pytest.approx(p.mean(), abs=1e-15)
    assert (table["observed_low"] <= table["observed"]).all() and (table["observed"] <= table["observed_high"]).all()
    by_channel = segment_rates(click_model, shop_ads, "channel").set_index("channel")
    assert by_channel.loc["search", "observed"] > by_channel.loc["display", "observed"]  # planted +0.9 vs -0.8
    assert (by_channel["gap"].abs() < 0.02).all()


def test_segment_rates_of_the_conversion_model_use_clicked_rows(conversion_model, shop_ads) -> None:
    table = segment_rates(conversion_model, shop_ads, "device", holdout_only=False)
    assert table["n"].sum() == int(shop_ads["clicked"].sum())
    assert table["positives"].sum() == int((shop_ads["clicked"] & shop_ads["converted"]).sum())
    by_hour = segment_rates(conversion_model, shop_ads, ["hour"], holdout_only=False)
    assert by_hour["hour"].tolist() == list(range(24)) and by_hour["n"].sum() == int(shop_ads["clicked"].sum())
    missing = shop_ads.assign(device=shop_ads["device"].where(shop_ads.index % 7 != 0, pd.NA))
    assert "(missing)" in segment_rates(conversion_model, missing, "device")["device"].tolist()
