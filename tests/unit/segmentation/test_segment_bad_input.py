"""One test per failure mode of the segmentation input: exact error type, code, and a message that says what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core import InsufficientDataError, SchemaError
from promo_core.segmentation import AnalysisNote, rfm_table, segment_customers


def orders(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount", "is_return"])
    return frame.assign(order_date=pd.to_datetime(frame["order_date"]), item_id="S").astype({"customer_id": "str"})


def test_orders_without_customer_ids_only() -> None:
    with pytest.raises(InsufficientDataError) as caught:
        segment_customers(orders((None, "1", "2024-01-01", 5.0, False), (None, "2", "2024-01-02", 6.0, False)))
    assert caught.value.code == "no_customer_orders"
    assert caught.value.details == {"guest_lines": 2, "future_lines": 0, "as_of": "2024-01-03"}
    assert "No order line has a customer_id on or before 2024-01-03 (2 guest lines" in str(caught.value)
    assert "map the customer column" in str(caught.value)


def test_guest_lines_and_blank_ids_are_excluded_and_counted() -> None:
    result = segment_customers(
        orders(("A", "1", "2024-01-01", 5.0, False), (None, "2", "2024-01-02", 6.0, False), ("", "3", "2024-01-02", 7.0, False))
    )
    assert result.table["customer_id"].tolist() == ["A"]
    assert result.excluded_guest_lines == 2
    assert result.notes[0] == AnalysisNote("guest_lines_excluded", {"count": 2})


def test_one_customer_gets_middle_scores_and_a_note() -> None:
    result = segment_customers(orders(("A", "1", "2024-01-01", 5.0, False), ("A", "2", "2024-01-04", 6.0, False)))
    row = result.table.iloc[0]
    assert (row["recency_days"], row["frequency"], row["monetary"]) == (1, 2, 11.0)
    assert (row["r_score"], row["f_score"], row["m_score"], row["segment"]) == (3, 3, 3, "needs_attention")
    assert AnalysisNote("few_customers_for_scores", {"customers": 1, "minimum": 10}) in result.notes


def test_all_orders_on_one_day() -> None:
    rows = [(c, f"o{i}", "2024-05-05 10:00", float(10 * i), False) for i, c in enumerate("ABCDEFGHIJ", start=1)]
    result = segment_customers(orders(*rows))
    assert result.table["recency_days"].unique().tolist() == [1]
    assert result.table["r_score"].unique().tolist() == [3]
    assert result.table["m_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert AnalysisNote("single_order_date", {"date": "2024-05-05"}) in result.notes
    assert AnalysisNote("constant_measure", {"measure": "recency_days"}) in result.notes
    assert AnalysisNote("constant_measure", {"measure": "frequency"}) in result.notes


def test_negative_amount_without_return_flag_is_a_return_and_zero_amount_a_purchase() -> None:
    result = segment_customers(
        orders(
            ("A", "1", "2024-01-01", 50.0, False),
            ("A", "2", "2024-01-02", -20.0, False),  # a refund line the file did not flag
            ("B", "3", "2024-01-03", 0.0, False),
        )
    )
    table = result.table.set_index("customer_id")
    assert table.loc["A", ["frequency", "monetary"]].tolist() == [1, 30.0]
    assert table.loc["B", ["frequency", "monetary"]].tolist() == [1, 0.0]
    assert AnalysisNote("zero_amount_lines", {"count": 1}) in result.notes
    assert AnalysisNote("non_positive_monetary", {"count": 1}) in result.notes


def test_future_dates_after_as_of_are_excluded_and_counted() -> None:
    result = segment_customers(
        orders(("A", "1", "2024-01-01", 5.0, False), ("A", "2", "2030-01-01", 6.0, False), ("B", "3", "2030-02-01", 1.0, False)),
        as_of="2024-02-01",
    )
    assert result.table["customer_id"].tolist() == ["A"]
    assert result.table["recency_days"].tolist() == [31]
    assert result.excluded_future_lines == 2
    assert AnalysisNote("future_lines_excluded", {"count": 2}) in result.notes


def test_customer_with_only_returns_is_kept_with_frequency_zero() -> None:
    result = segment_customers(orders(("A", "1", "2024-01-01", 5.0, False), ("B", "C2", "2024-01-03", -9.0, True)))
    row = result.table.set_index("customer_id").loc["B"]
    assert (row["frequency"], row["monetary"], row["recency_days"], row["returns_only"]) == (0, -9.0, 1, True)
    assert AnalysisNote("returns_only_customers", {"count": 1}) in result.notes


def test_missing_column_is_named() -> None:
    with pytest.raises(SchemaError) as caught:
        rfm_table(orders(("A", "1", "2024-01-01", 5.0, False)).drop(columns=["amount"]))
    assert caught.value.code == "orders_columns_missing"
    assert caught.value.details == {"columns": "amount"}
    assert "The orders table has no amount column; map it on the Data page" in str(caught.value)


def test_dates_that_are_text() -> None:
    frame = orders(("A", "1", "2024-01-01", 5.0, False)).astype({"order_date": "str"})
    with pytest.raises(SchemaError) as caught:
        rfm_table(frame)
    assert caught.value.code == "not_dates"
    assert "Column 'order_date' holds str values, not dates" in str(caught.value)


def test_amounts_that_are_text() -> None:
    frame = orders(("A", "1", "2024-01-01", 5.0, False)).astype({"amount": "str"})
    with pytest.raises(SchemaError) as caught:
        rfm_table(frame)
    assert caught.value.code == "not_numbers"
    assert caught.value.details == {"column": "amount"}


def test_empty_date_names_the_row() -> None:
    frame = orders(("A", "1", "2024-01-01", 5.0, False), ("B", "2", None, 5.0, False))
    with pytest.raises(SchemaError) as caught:
        rfm_table(frame)
    assert caught.value.code == "missing_values"
    assert caught.value.details == {"column": "order_date", "row": 1, "count": 1}
    assert "Column 'order_date' is empty in 1 lines, first at row 1" in str(caught.value)


def test_analysis_date_that_is_not_a_date() -> None:
    with pytest.raises(SchemaError) as caught:
        rfm_table(orders(("A", "1", "2024-01-01", 5.0, False)), as_of="last tuesday")
    assert caught.value.code == "bad_date"
    assert "The analysis date 'last tuesday' is not a date; give it as YYYY-MM-DD." == str(caught.value)


def test_empty_orders_table() -> None:
    with pytest.raises(InsufficientDataError) as caught:
        rfm_table(orders())
    assert caught.value.code == "no_orders"


def test_timezone_aware_dates_and_numeric_ids_work() -> None:
    frame = orders(("1", "1", "2024-01-01", 5.0, False), ("2", "2", "2024-01-03", 7.0, False))
    frame = frame.assign(order_date=frame["order_date"].dt.tz_localize("Asia/Shanghai"), customer_id=[1, 2])
    table = rfm_table(frame)
    assert table["customer_id"].tolist() == ["1", "2"]
    assert table["recency_days"].tolist() == [3, 1]
