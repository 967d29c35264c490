"""Response models on the sample shop: planted click probabilities recovered, honest held-out checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from promo_core.ctr import MODELS, ResponseModel, fit_response_model
from promo_core.sample import generate_ad_events


def _truth(model: ResponseModel, events: pd.DataFrame, truth: pd.DataFrame, column: str) -> np.ndarray:
    return truth.loc[events.loc[model.holdout["row"], "impression_id"], column].to_numpy()


def test_click_model_auc_is_within_001_of_the_generators_own(click_model, shop_ads, shop_truth) -> None:
    h = click_model.holdout
    generator_auc = roc_auc_score(h["y"], _truth(click_model, shop_ads, shop_truth, "p_click"))
    assert click_model.metrics["auc"] == pytest.approx(roc_auc_score(h["y"], h["p"]), abs=1e-12)
    assert generator_auc - click_model.metrics["auc"] < 0.01
    assert click_model.metrics["auc"] > 0.75


def test_click_probabilities_are_calibrated_on_later_days(click_model, shop_ads, shop_truth) -> None:
    m = click_model.metrics
    assert m["ece"] < 0.01
    assert abs(m["expected"] - m["observed"]) < 3 * np.sqrt(m["observed"])  # Poisson noise of the count
    planted = _truth(click_model, shop_ads, shop_truth, "p_click")
    assert click_model.holdout["p"].mean() == pytest.approx(planted.mean(), rel=0.06)
    assert np.corrcoef(click_model.holdout["p"], planted)[0, 1] > 0.9


def test_time_ordered_split_tests_on_the_latest_rows(click_model, shop_ads) -> None:
    assert click_model.split == "time"
    assert (click_model.n_train, click_model.n_validation, click_model.n_test) == (24_000, 8_000, 8_000)
    test_start = shop_ads.loc[click_model.holdout["row"], "timestamp"].min()
    assert (shop_ads["timestamp"] <= test_start).sum() >= 32_000
    assert len(click_model.lift) == 10 and click_model.lift["cumulative_gain"].iloc[-1] == pytest.approx(1.0)
    assert click_model.lift["lift"].iloc[0] > 2.5


def test_auto_compares_every_candidate_and_keeps_the_best_log_loss(click_model) -> None:
    table = click_model.summary()
    assert table["model"].tolist() == list(MODELS)
    assert table["selected"].sum() == 1
    best = table.loc[table["validation_log_loss"].idxmin(), "model"]
    assert click_model.model_name == best == table.loc[table["selected"], "model"].item()
    assert click_model.model_name == "logistic" and click_model.params == "C=0.1"
    assert set(click_model.roc["part"]) == {"validation", "test"}
    assert click_model.calibration == "sigmoid"


def test_permutation_importance_finds_the_planted_drivers(click_model) -> None:
    importance = click_model.importance.set_index("feature")
    assert importance.index[0] == "channel"
    assert importance.loc["customer_segment", "auc_drop"] < 0.002  # no click effect planted
    assert set(importance.index) == set(click_model.features)
    assert click_model.features == ("channel", "creative", "device", "audience", "placement", "customer_segment",
                                    "relevance_score", "hour", "day_of_week", "daily_volume")


def test_conversion_model_learns_on_clicked_rows_only(conversion_model, shop_ads, shop_truth) -> None:
    clicked = int(shop_ads["clicked"].sum())
    c = conversion_model
    assert c.target == "converted"
    assert c.n_train + c.n_validation + c.n_test == clicked
    assert shop_ads.loc[c.holdout["row"], "clicked"].all()
    planted = _truth(c, shop_ads, shop_truth, "p_convert_given_click")
    assert c.holdout["p"].mean() == pytest.approx(planted.mean(), abs=0.02)
    revenue = shop_ads["revenue"][shop_ads["converted"].astype(bool)]
    assert 0.6 * revenue.mean() < c.value_per_conversion < 1.4 * revenue.mean()


def test_predict_proba_handles_unseen_levels_and_missing_values(click_model, shop_ads) -> None:
    new = shop_ads.copy()
    new.loc[0, "channel"] = "tv"
    new.loc[1, "relevance_score"] = np.nan
    p, before = click_model.predict_proba(new), click_model.predict_proba(shop_ads)
    assert np.all((p > 0) & (p < 1))
    assert p[0] != before[0] and p[1] != before[1]
    same_day_channel = (shop_ads["timestamp"].dt.normalize() == shop_ads.loc[0, "timestamp"].normalize()) & (
        shop_ads["channel"] == shop_ads.loc[0, "channel"])
    untouched = ~same_day_channel.to_numpy()
    untouched[:2] = False
    np.testing.assert_array_equal(p[untouched], before[untouched])


def test_one_candidate_and_a_log_without_timestamps() -> None:
    events = generate_ad_events(6_000, seed=5).frame.drop(columns=["timestamp"])
    model = fit_response_model(events, model="gradient_boosting", calibration="isotonic", importance_rows=500)
    assert model.summary()["model"].tolist() == ["gradient_boosting"]
    assert model.split == "random" and "random_split" in model.notes_table()["code"].tolist()
    assert model.spec.volume_by is None and "hour" not in model.features
    assert model.calibration == "isotonic" and len(model.importance) == len(model.features)
    again = fit_response_model(events, model="gradient_boosting", calibration="isotonic", importance_rows=500)
    assert again.metrics == model.metrics  # seeded end to end


def test_named_features_bring_time_and_volume_only_when_named(shop_ads) -> None:
    plain = fit_response_model(shop_ads, features=["channel", "creative"], model="logistic", importance_rows=500)
    assert plain.features == ("channel", "creative")
    timed = fit_response_model(shop_ads, features=["channel", "creative", "timestamp"], model="logistic",
                               importance_rows=500)
    assert timed.features == ("channel", "creative", "hour", "day_of_week", "daily_volume")
    assert timed.metrics["auc"] > plain.metrics["auc"]


def test_high_cardinality_text_is_capped_and_ids_are_left_out() -> None:
    events = generate_ad_events(6_000, seed=6).frame
    rng = np.random.default_rng(0)
    events["site"] = [f"site{k}" for k in rng.zipf(1.6, len(events)) % 3_000]
    events["request_id"] = [f"r{k}" for k in range(len(events))]
    model = fit_response_model(events, model="logistic", importance_rows=500)
    assert "request_id" not in model.features and "site" in model.features
    assert {"code": "identifier_dropped", "column": "request_id"} in [
        {"code": n.code, "column": n.details.get("column")} for n in model.notes]
    encoder = model.estimator.estimator_[0].categories_
    site_levels = encoder.levels_[list(encoder.feature_names_in_).index("site")]
    assert 1 <= len(site_levels) <= 100


def test_rows_without_a_label_are_left_out_and_counted() -> None:
    events = generate_ad_events(6_000, seed=8).frame
    events["clicked"] = events["clicked"].astype("Int64")
    events.loc[events.index[:40], "clicked"] = pd.NA
    events["converted"] = events["converted"].astype("Int64")
    converted_unknown = events.index[(events["clicked"] == 1).fillna(False).to_numpy()][:5]
    events.loc[converted_unknown, "converted"] = pd.NA
    model = fit_response_model(events, model="logistic", importance_rows=300)
    assert model.n_train + model.n_validation + model.n_test == 6_000 - 40
    assert {"column": "clicked", "rows": 40} in [dict(n.details) for n in model.notes if n.code == "rows_without_label"]
    converted = fit_response_model(events, target="converted", model="logistic", importance_rows=300)
    assert converted.n_train + converted.n_validation + converted.n_test == int((events["clicked"] == 1).sum()) - 5
    assert {"column": "converted", "rows": 5} in [dict(n.details) for n in converted.notes if n.code == "rows_without_label"]
