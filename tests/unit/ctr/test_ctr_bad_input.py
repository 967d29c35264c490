"""Bad ad input: exact error type and code, messages that name the column, row or value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.ctr import (
    allocate_budget,
    daily_history,
    fit_response_curves,
    fit_response_model,
    score_impressions,
    segment_rates,
)
from promo_core.ctr.data import select_features
from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.sample import generate_ad_events


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return generate_ad_events(3_000, seed=9).frame


def test_no_positive_labels(small) -> None:
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(small.assign(clicked=0))
    assert info.value.code == "no_positive_labels"
    assert "'clicked'" in str(info.value) and "all 3000" in str(info.value)
    assert info.value.details == {"column": "clicked", "rows": 3000}


def test_every_row_positive(small) -> None:
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(small.assign(clicked=True))
    assert info.value.code == "no_negative_labels"


def test_labels_not_zero_one_name_the_row_and_value(small) -> None:
    frame = small.copy()
    frame.loc[17, "clicked"] = 2
    with pytest.raises(SchemaError) as info:
        fit_response_model(frame)
    assert info.value.code == "label_not_binary"
    assert "'clicked'" in str(info.value) and "row 17 has 2" in str(info.value)
    assert info.value.details == {"column": "clicked", "row": 17, "value": "2"}


def test_text_labels_are_refused(small) -> None:
    with pytest.raises(SchemaError) as info:
        fit_response_model(small.assign(converted=np.where(small["converted"] == 1, "yes", "no")), target="converted")
    assert info.value.code == "label_not_binary" and "row 0 has 'no'" in str(info.value)


def test_missing_label_column(small) -> None:
    with pytest.raises(SchemaError) as info:
        fit_response_model(small.drop(columns=["converted"]), target="converted")
    assert info.value.code == "label_missing" and "'converted'" in str(info.value)


def test_too_few_clicks(small) -> None:
    frame = small.assign(clicked=(np.arange(len(small)) % 150 == 0).astype(int))
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(frame)
    assert info.value.code == "too_few_positives" and info.value.details == {"column": "clicked", "positives": 20, "needed": 30}


def test_one_feature_only(small) -> None:
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(small[["channel", "clicked"]])
    assert info.value.code == "one_feature" and "'channel'" in str(info.value)
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(small[["timestamp", "clicked", "cost"]])
    assert info.value.code == "one_feature" and info.value.details == {"column": "timestamp"}


def test_no_features_at_all(small) -> None:
    with pytest.raises(InsufficientDataError) as info:
        fit_response_model(small[["impression_id", "clicked", "cost", "revenue"]])
    assert info.value.code == "no_features"


def test_a_column_with_a_million_distinct_values() -> None:
    n = 1_000_000
    events = pd.DataFrame({
        "user_id": pd.array([f"u{k:07d}" for k in range(n)], dtype="str"),
        "channel": np.where(np.arange(n) % 2 == 0, "search", "social"),
        "device": np.where(np.arange(n) % 3 == 0, "mobile", "desktop"),
        "clicked": (np.arange(n) % 25 == 0).astype(int),
    })
    with pytest.raises(SchemaError) as info:
        fit_response_model(events, features=["user_id", "channel"])
    assert info.value.code == "feature_identifier"
    assert "'user_id'" in str(info.value) and "1,000,000 different values" in str(info.value)
    spec, notes = select_features(events, None, "channel")
    assert spec.categorical == ("channel", "device") and notes[0].code == "identifier_dropped"
    assert dict(notes[0].details) == {"column": "user_id", "distinct": n}


def test_named_features_must_exist_and_must_not_leak(small) -> None:
    with pytest.raises(SchemaError) as info:
        fit_response_model(small, features=["channel", "weather"])
    assert info.value.code == "feature_missing" and "'weather'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        fit_response_model(small.drop(columns=["timestamp"]), features=["channel", "device", "timestamp"])
    assert info.value.code == "feature_missing" and "'timestamp'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        fit_response_model(small, features=["channel", "revenue"])
    assert info.value.code == "feature_reserved" and "'revenue'" in str(info.value)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"target": "bought"}, "unknown_target"),
    ({"model": "xgboost"}, "unknown_model"),
    ({"calibration": "beta"}, "unknown_calibration"),
    ({"test_size": 0.6}, "split_sizes_invalid"),
])
def test_options_are_checked(small, kwargs, code) -> None:
    with pytest.raises(SchemaError) as info:
        fit_response_model(small, **kwargs)
    assert info.value.code == code


def test_scoring_a_file_without_a_model_column(click_model, shop_ads) -> None:
    with pytest.raises(SchemaError) as info:
        score_impressions(click_model, shop_ads.drop(columns=["creative"]))
    assert info.value.code == "score_feature_missing" and "'creative'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        score_impressions([], shop_ads)
    assert info.value.code == "score_models_invalid"


def test_segment_columns(click_model, shop_ads) -> None:
    with pytest.raises(SchemaError) as info:
        segment_rates(click_model, shop_ads, ["channel", "device", "audience"])
    assert info.value.code == "segment_columns_count"
    with pytest.raises(SchemaError) as info:
        segment_rates(click_model, shop_ads, "weather")
    assert info.value.code == "segment_column_missing" and "'weather'" in str(info.value)


def test_missing_cost_column_for_the_allocator(small) -> None:
    with pytest.raises(SchemaError) as info:
        allocate_budget(small.drop(columns=["cost"]), budget=100.0)
    assert info.value.code == "cost_missing" and "'cost'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        daily_history(small.drop(columns=["timestamp"]))
    assert info.value.code == "timestamp_missing"


def test_negative_spend_names_the_row(small) -> None:
    frame = small.copy()
    frame.loc[42, "cost"] = -3.5
    with pytest.raises(SchemaError) as info:
        allocate_budget(frame)
    assert info.value.code == "negative_spend"
    assert "row 42" in str(info.value) and "'cost'" in str(info.value) and "-3.5" in str(info.value)
    history = daily_history(small)
    history.loc[5, "spend"] = -1.0
    with pytest.raises(SchemaError) as info:
        fit_response_curves(history)
    assert info.value.code == "negative_spend" and info.value.details["row"] == 5


def test_history_without_the_outcome_or_with_too_few_days(small) -> None:
    history = daily_history(small)
    with pytest.raises(SchemaError) as info:
        fit_response_curves(history.drop(columns=["revenue"]), "revenue")
    assert info.value.code == "outcome_missing" and "'revenue'" in str(info.value)
    short = history[history["date"] < history["date"].min() + pd.Timedelta(days=5)]
    with pytest.raises(InsufficientDataError) as info:
        fit_response_curves(short)
    assert info.value.code == "too_few_days" and info.value.details["days"] == 5
    with pytest.raises(InsufficientDataError) as info:
        fit_response_curves(history[history["channel"] == "search"])
    assert info.value.code == "too_few_channels"


@pytest.fixture(scope="module")
def curves(small):
    return fit_response_curves(daily_history(small), "clicks", n_boot=10)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"budget": -5.0}, "budget_invalid"),
    ({"budget": 1e9}, "budget_outside_bounds"),
    ({"bounds": {"tv": (0, 1)}}, "bounds_unknown_channel"),
    ({"bounds": {"search": (5.0, 1.0)}}, "bounds_invalid"),
    ({"objective": "likes"}, "unknown_objective"),
    ({"objective": "revenue"}, "curves_objective_mismatch"),
])
def test_allocation_options_are_checked(curves, kwargs, code) -> None:
    objective = kwargs.pop("objective", "clicks")
    with pytest.raises(SchemaError) as info:
        allocate_budget(curves, objective=objective, **kwargs)
    assert info.value.code == code


def test_roas_objective_needs_a_target(small) -> None:
    curves = fit_response_curves(daily_history(small), "revenue", n_boot=10)
    with pytest.raises(SchemaError) as info:
        allocate_budget(curves, objective="roas_target")
    assert info.value.code == "roas_target_invalid"
