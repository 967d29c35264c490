"""Values as exports write them: amounts, dates, yes/no flags and ids."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from promo_core import LoadedTable, load_table
from promo_core.loading.values import parse_dates, parse_ids


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode()


def _prices(*values: str) -> LoadedTable:
    rows = [[f"S{i}", value] for i, value in enumerate(values)]
    return load_table(_csv(["item_id", "price"], rows), "items")


def _dates(*values: object) -> tuple[list[str], dict[str, str]]:
    rows = [[f"review {i}", value] for i, value in enumerate(values)]
    table = load_table(_csv(["text", "review_date"], rows), "reviews")
    notes = {note.code: note.column for note in table.notes}
    return [str(value) for value in table.frame["review_date"]], notes


# -- amounts ------------------------------------------------------------------------------------


def test_amounts_with_currency_thousands_percent_and_brackets() -> None:
    table = _prices("¥1,234.50", "￥88", "$12", "12%", "(5.00)", "RMB 1,000", "1e3", "€ 7.25", "-3.5", "20元")
    assert table.frame["price"].tolist() == [1234.5, 88.0, 12.0, 0.12, -5.0, 1000.0, 1000.0, 7.25, -3.5, 20.0]
    assert table.problems.empty
    assert "comma_decimal" not in {note.code for note in table.notes}


def test_european_decimal_comma_is_decided_per_column() -> None:
    table = _prices("1.234,50", "12,5", "3,00", "€ 2.000,00")
    assert table.frame["price"].tolist() == [1234.5, 12.5, 3.0, 2000.0]
    assert ("comma_decimal", "price") in {(note.code, note.column) for note in table.notes}


def test_us_thousands_separator_is_not_a_decimal_comma() -> None:
    table = _prices("1,234", "2,500", "12.99")
    assert table.frame["price"].tolist() == [1234.0, 2500.0, 12.99]


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("12,50 €", 12.5),
        ("€12.50", 12.5),
        ("EUR 12,50", 12.5),
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("1,234", 1234.0),
        ("12,5", 12.5),
        ("1,2345", 1.2345),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("₹1,23,456.50", 123456.5),
    ],
)
def test_one_amount_alone_is_read_by_its_own_decimal_mark(written: str, number: float) -> None:
    """A comma followed by other than three digits is a decimal comma, never a thousands separator."""
    table = _prices(written, "7")
    assert table.frame["price"].tolist() == [number, 7.0]
    assert table.problems.empty


def test_decimal_comma_amount_among_decimal_points_is_listed_not_scaled() -> None:
    """The review's case: ``12,50 €`` in a file of ``12.50``-style amounts was read as 1250."""
    table = _prices("12.50", "3.99", "12,50 €", "1,234.56", "1,234", "8")
    prices = table.frame["price"].tolist()
    assert prices[:2] == [12.5, 3.99] and prices[3:] == [1234.56, 1234.0, 8.0]
    assert pd.isna(prices[2])
    assert table.problems[["row", "column", "value", "reason", "action"]].values.tolist() == [
        [4, "price", "12,50 €", "unclear_decimal_mark", "set_empty"]
    ]
    assert table.problem_rows[["row", "reasons", "price"]].values.tolist() == [[4, "unclear_decimal_mark (price)", "12,50 €"]]
    assert "comma_decimal" not in {note.code for note in table.notes}


def test_decimal_point_amount_among_decimal_commas_is_listed_not_scaled() -> None:
    table = _prices("12,50", "1.234,56", "3,99", "12.50", "1.234")
    prices = table.frame["price"].tolist()
    assert prices[:3] == [12.5, 1234.56, 3.99] and prices[4] == 1234.0
    assert pd.isna(prices[3])
    assert table.problems[["row", "value", "reason"]].values.tolist() == [[5, "12.50", "unclear_decimal_mark"]]
    assert ("comma_decimal", "price") in {(note.code, note.column) for note in table.notes}


def test_decimal_mark_is_decided_by_rows_and_a_tie_keeps_the_point() -> None:
    by_rows = _prices("12,50", "12,50", "12,50", "3.99", "4.99")
    assert by_rows.frame["price"].tolist()[:3] == [12.5, 12.5, 12.5]
    assert by_rows.problems[["row", "value", "reason"]].values.tolist() == [
        [5, "3.99", "unclear_decimal_mark"],
        [6, "4.99", "unclear_decimal_mark"],
    ]
    tie = _prices("12.50", "12,50")
    assert tie.frame["price"].tolist()[0] == 12.5
    assert tie.problems[["row", "value", "reason"]].values.tolist() == [[3, "12,50", "unclear_decimal_mark"]]


@pytest.mark.parametrize("written", ["1,2,3", "12,50,1", "1.2.3", "1,234.5,6", "12.50 €x"])
def test_malformed_groupings_are_not_numbers(written: str) -> None:
    table = _prices(written, "7")
    assert table.problems[["value", "reason"]].values.tolist() == [[written, "not_a_number"]]


def test_unreadable_amount_is_emptied_and_listed() -> None:
    table = _prices("12", "about ten", "", "7")
    assert table.frame["price"].tolist()[0] == 12.0
    assert pd.isna(table.frame["price"][1]) and pd.isna(table.frame["price"][2])
    assert table.problems[["row", "column", "source_column", "value", "reason", "action"]].values.tolist() == [
        [3, "price", "price", "about ten", "not_a_number", "set_empty"]
    ]


# -- dates --------------------------------------------------------------------------------------


def test_iso_dates_with_time_t_and_zone() -> None:
    values, notes = _dates(
        "2024-03-05", "2024-03-05 10:20:30", "2024-03-05T10:20:30", "2024-03-05T10:20:30+08:00", "2024-03-05T10:20:30Z"
    )
    assert values == [
        "2024-03-05 00:00:00",
        "2024-03-05 10:20:30",
        "2024-03-05 10:20:30",
        "2024-03-05 10:20:30",
        "2024-03-05 10:20:30",
    ]
    assert "ambiguous_month_first" not in notes


def test_zoned_timestamps_keep_the_wall_clock_time_as_written() -> None:
    """A Shanghai order at 23:30 stays on its local day instead of moving to UTC."""
    values, _ = _dates("2024-03-05T23:30:00+08:00", "2024-03-06T00:00:00Z", "2024-03-05 23:30:00 +0800")
    assert values == ["2024-03-05 23:30:00", "2024-03-06 00:00:00", "2024-03-05 23:30:00"]


def test_slashed_and_chinese_dates() -> None:
    values, _ = _dates("2024/3/5", "2024年3月5日", "2024年3月5日 14:30:00", "2024/03/05 08:00", "2024.3.5")
    assert values == [
        "2024-03-05 00:00:00",
        "2024-03-05 00:00:00",
        "2024-03-05 14:30:00",
        "2024-03-05 08:00:00",
        "2024-03-05 00:00:00",
    ]


def test_us_dates_are_month_first_and_said_to_be_ambiguous() -> None:
    values, notes = _dates("3/5/2024", "4/6/2024 9:15")
    assert values == ["2024-03-05 00:00:00", "2024-04-06 09:15:00"]
    assert notes["ambiguous_month_first"] == "review_date"


def test_us_dates_with_a_day_above_twelve_are_not_ambiguous() -> None:
    values, notes = _dates("3/5/2024", "12/31/2024")
    assert values == ["2024-03-05 00:00:00", "2024-12-31 00:00:00"]
    assert "ambiguous_month_first" not in notes


def test_european_dates_are_decided_for_the_whole_column() -> None:
    """13/03/2024 can only be day-first, so 3/5/2024 in the same column is the 3rd of May."""
    values, notes = _dates("13/03/2024", "3/5/2024", "01.02.2024")
    assert values == ["2024-03-13 00:00:00", "2024-05-03 00:00:00", "2024-02-01 00:00:00"]
    assert "ambiguous_month_first" not in notes


def test_excel_serial_numbers() -> None:
    values, notes = _dates(45356, 45357.5)
    assert values == ["2024-03-05 00:00:00", "2024-03-06 12:00:00"]
    assert notes["excel_serial"] == "review_date"


def test_excel_serials_as_text_among_other_dates() -> None:
    values, notes = _dates("45356", "2024-03-07", "45357.25")
    assert values == ["2024-03-05 00:00:00", "2024-03-07 00:00:00", "2024-03-06 06:00:00"]
    assert notes["excel_serial"] == "review_date"


def test_excel_serials_as_strings_are_parsed() -> None:
    parsed = parse_dates(pd.Series(["45356", "45357.5"], dtype="str"))
    assert [str(v) for v in parsed.values] == ["2024-03-05 00:00:00", "2024-03-06 12:00:00"]
    assert parsed.note == "excel_serial"
    assert not parsed.bad.any()


def test_unix_seconds_and_milliseconds() -> None:
    values, notes = _dates(1709596800, 1709683200)
    assert values == ["2024-03-05 00:00:00", "2024-03-06 00:00:00"]
    assert notes["unix_seconds"] == "review_date"
    values, notes = _dates(1709596800000, 1709683200123)
    assert values == ["2024-03-05 00:00:00", "2024-03-06 00:00:00.123000"]
    assert notes["unix_ms"] == "review_date"


def test_compact_yyyymmdd_numbers() -> None:
    values, _ = _dates(20240305, 20241231)
    assert values == ["2024-03-05 00:00:00", "2024-12-31 00:00:00"]


def test_unreadable_date_is_listed() -> None:
    rows = [["C1", "not a date", "S1", "3"], ["C2", "2024-03-05", "S2", "4"], ["C3", "2024-02-30", "S3", "5"]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert table.frame["customer_id"].tolist() == ["C2"]
    assert table.problems[["row", "column", "value", "reason", "action"]].values.tolist() == [
        [2, "order_date", "not a date", "not_a_date", "dropped"],
        [4, "order_date", "2024-02-30", "not_a_date", "dropped"],
    ]


# -- yes/no -------------------------------------------------------------------------------------


def test_yes_no_flags_in_every_spelling() -> None:
    flags = ["1", "0", "yes", "no", "TRUE", "false", "是", "否", "Y", "n", " Yes "]
    rows = [[f"u{i}", "A", flag] for i, flag in enumerate(flags)]
    table = load_table(_csv(["user_id", "group", "converted"], rows), "campaign")
    assert table.frame["converted"].tolist() == [True, False, True, False, True, False, True, False, True, False, True]
    assert table.problems.empty


def test_invalid_yes_no_is_flagged() -> None:
    rows = [["u1", "A", "yes"], ["u2", "B", "maybe"], ["u3", "B", ""], ["u4", "A", "2"]]
    table = load_table(_csv(["user_id", "group", "converted"], rows), "campaign")
    assert table.frame["converted"].astype(object).tolist() == [True, pd.NA, pd.NA, pd.NA]
    assert table.problems[["row", "value", "reason", "action"]].values.tolist() == [
        [3, "maybe", "not_yes_no", "set_empty"],
        [5, "2", "not_yes_no", "set_empty"],
    ]


def test_numeric_flags_other_than_zero_and_one_are_flagged() -> None:
    rows = [["i1", 1], ["i2", 0], ["i3", 3]]
    table = load_table(_csv(["impression_id", "clicked"], rows), "ad_events")
    assert table.frame["clicked"].tolist() == [True, False]
    assert table.problems[["row", "value", "reason", "action"]].values.tolist() == [[4, "3", "not_yes_no", "dropped"]]


# -- ids ----------------------------------------------------------------------------------------


def test_float_ids_lose_the_trailing_zero_and_leading_zeros_stay() -> None:
    rows = [["17850.0", "2024-01-01", "007", "3"], ["14527.0", "2024-01-02", "0420", "4"], ["", "2024-01-03", "S1", "5"]]
    table = load_table(_csv(["CustomerID", "order_date", "sku", "amount"], rows), "orders")
    assert table.frame["customer_id"].tolist()[:2] == ["17850", "14527"]
    assert pd.isna(table.frame["customer_id"][2])
    assert table.frame["item_id"].tolist() == ["007", "0420", "S1"]


def test_ids_that_look_like_numbers_stay_text() -> None:
    rows = [["1e3", "2024-01-01", "00123", "3"], ["12345678901234567890", "2024-01-02", "1.50", "4"]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert table.frame["customer_id"].tolist() == ["1e3", "12345678901234567890"]
    assert table.frame["item_id"].tolist() == ["00123", "1.50"]


def test_ids_from_excel_mix_numbers_and_text() -> None:
    parsed = parse_ids(pd.Series(["85123A", 22633.0, 84029.0, None, " B7 "], dtype=object))
    assert parsed.values.tolist()[:3] == ["85123A", "22633", "84029"]
    assert pd.isna(parsed.values[3])
    assert parsed.values[4] == "B7"
    assert parse_ids(pd.Series([17850.0, None, 14527.0])).values.tolist()[::2] == ["17850", "14527"]


@pytest.mark.parametrize("value", ["007", "ABC-1", "会员007", "a b"])
def test_ids_keep_their_text(value: str) -> None:
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], [[value, "2024-01-01", value, "1"]]), "orders")
    assert table.frame["customer_id"].tolist() == [value]
    assert table.frame["item_id"].tolist() == [value]
