"""Bad campaign input: exact error type and code, messages that name the column, row or value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import ab_test, power_analysis, segment_lifts
from promo_core.errors import InsufficientDataError, SchemaError


def _frame(groups=("control", "coupon"), n=200, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"group": np.repeat(groups, n), "converted": np.tile([0, 0, 0, 1], n * len(groups) // 4)})
    return frame.assign(**columns)


def test_one_group_only() -> None:
    with pytest.raises(InsufficientDataError) as info:
        ab_test(_frame(groups=("control",)), "converted")
    assert info.value.code == "one_group"
    assert "'group'" in str(info.value) and "'control'" in str(info.value)
    assert info.value.details == {"column": "group", "group": "control"}


def test_control_that_does_not_exist_lists_the_groups() -> None:
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(), "converted", control="holdout")
    assert info.value.code == "control_not_found"
    assert "'holdout'" in str(info.value) and "groups: control, coupon" in str(info.value)


def test_no_recognisable_control_asks_for_one() -> None:
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(groups=("email", "sms")), "converted")
    assert info.value.code == "control_unknown"
    assert "email, sms" in str(info.value)


def test_outcome_not_zero_one_names_the_row() -> None:
    frame = _frame()
    frame.loc[7, "converted"] = 2
    with pytest.raises(SchemaError) as info:
        ab_test(frame, "converted", kind="binary")
    assert info.value.code == "outcome_not_binary"
    assert "'converted'" in str(info.value) and "row 7" in str(info.value) and "has 2" in str(info.value)
    assert ab_test(frame, "converted").kind == "continuous"  # auto: not 0/1, so an amount


def test_boolean_column_with_other_values_is_rejected() -> None:
    frame = _frame()
    frame["converted"] = frame["converted"].astype("float64")
    frame.loc[3, "converted"] = 0.5
    with pytest.raises(SchemaError) as info:
        segment_lifts(frame.assign(seg="x"), "converted", "seg", kind="binary")
    assert info.value.code == "outcome_not_binary" and "row 3" in str(info.value)


def test_text_metric_names_the_value() -> None:
    frame = _frame(revenue=["12.5"] * 399 + ["n/a"])
    with pytest.raises(SchemaError) as info:
        ab_test(frame, "revenue")
    assert info.value.code == "metric_not_numeric"
    assert "'revenue'" in str(info.value) and "row 399" in str(info.value) and "'n/a'" in str(info.value)


def test_missing_column_lists_the_columns() -> None:
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(), "revenue")
    assert info.value.code == "column_missing"
    assert "'revenue'" in str(info.value) and "group, converted" in str(info.value)


def test_missing_outcomes_are_dropped_counted_and_the_analysis_runs() -> None:
    frame = _frame()
    frame["converted"] = frame["converted"].astype("boolean")
    frame.loc[[0, 1, 250], "converted"] = pd.NA
    result = ab_test(frame, "converted")
    assert result.kind == "binary" and result.rows_used == 397 and result.rows_dropped == 3
    assert result.groups["n"].tolist() == [198, 199] and result.groups["assigned"].tolist() == [200, 200]
    note = next(n for n in result.notes if n.code == "missing_outcome_dropped")
    assert note.details == {"column": "converted", "rows": 3}


def test_customers_on_several_rows_are_counted_and_crossing_groups_is_an_alert() -> None:
    ids = [f"c{i}" for i in range(200)]
    frame = pd.DataFrame({"customer_id": ids, "group": ["control", "coupon"] * 100, "converted": [0, 1, 0, 0] * 50})
    assert not [n for n in ab_test(frame, "converted").notes if n.code == "duplicate_customers"]
    again = pd.concat([frame, frame.iloc[:3]], ignore_index=True)  # exported twice, same group
    [note] = [n for n in ab_test(again, "converted").notes if n.code == "duplicate_customers"]
    assert (note.level, note.details) == ("warning", {"column": "customer_id", "customers": 3, "rows": 6, "in_several_groups": 0})
    crossed = pd.concat([frame, frame.iloc[:2].assign(group=["coupon", "control"])], ignore_index=True)
    [note] = [n for n in ab_test(crossed, "converted").notes if n.code == "duplicate_customers"]
    assert (note.level, note.details["customers"], note.details["in_several_groups"]) == ("alert", 2, 2)


def test_variant_with_zero_conversions_still_runs_with_sensible_intervals() -> None:
    frame = _frame()
    frame.loc[frame["group"] == "coupon", "converted"] = 0
    row = ab_test(frame, "converted").table.iloc[0]
    assert row["mean"] == 0 and row["abs_lift"] == -0.25
    assert -0.25 < row["abs_lift_high"] < 0 and -0.32 < row["abs_lift_low"] < -0.25  # Newcombe, not a point
    # MOVER-R on Wilson limits: a variant rate of 0 is possible (ratio 0), and the ratio stays below 1
    # as the difference stays below 0.
    assert row["rel_lift"] == -1 and row["rel_lift_low"] == -1 and -1 < row["rel_lift_high"] < 0
    assert row["prob_beat_control"] < 1e-6 and row["p_value"] < 1e-10
    notes = ab_test(frame, "converted").notes
    assert any(n.code == "zero_conversions" and n.details["group"] == "coupon" for n in notes)


def test_both_arms_without_conversions_give_no_evidence() -> None:
    frame = _frame().assign(converted=0)
    row = ab_test(frame, "converted").table.iloc[0]
    assert row["p_value"] == 1.0 and row["abs_lift"] == 0 and np.isnan(row["rel_lift"])
    assert row["abs_lift_low"] < 0 < row["abs_lift_high"]


def test_small_arms_and_few_conversions_are_warned() -> None:
    frame = _frame(n=32)  # 8 conversions per arm
    codes = {(n.code, n.details.get("group")) for n in ab_test(frame, "converted").notes}
    assert codes == {("small_sample", "control"), ("small_sample", "coupon"), ("few_conversions", "control"),
                     ("few_conversions", "coupon")}


def test_planned_split_with_unknown_or_missing_groups() -> None:
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(), "converted", planned_split={"control": 0.5, "cupon": 0.5})
    assert info.value.code == "planned_split_invalid"
    assert "unknown: cupon" in str(info.value) and "missing: coupon" in str(info.value)


def test_bad_options() -> None:
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(), "converted", correction="bonferroni")
    assert info.value.code == "correction_invalid" and "'bonferroni'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        ab_test(_frame(), "converted", alpha=5)
    assert info.value.code == "alpha_invalid"


def test_power_arguments_are_checked() -> None:
    with pytest.raises(SchemaError) as info:
        power_analysis("proportion", baseline=0.1)
    assert info.value.code == "power_arguments" and "exactly one of mde and n_control" in str(info.value)
    with pytest.raises(SchemaError) as info:
        power_analysis("proportion", baseline=0.95, mde=0.1)
    assert info.value.code == "power_target_outside" and "0.95" in str(info.value)
    with pytest.raises(SchemaError) as info:
        power_analysis("mean", baseline=10, mde=1)
    assert info.value.code == "power_arguments" and "sd must be positive" in str(info.value)
