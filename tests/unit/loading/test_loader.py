"""``load_table`` semantics: orders rules, problems, row numbers, XLSX, combining and the data report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from promo_core import LoadedTable, SchemaError, load_table
from promo_core.loading import combine_tables, describe_table


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode()


def _notes(table: LoadedTable) -> dict[str, int]:
    return {note.code: note.count for note in table.notes}


def _xlsx(frame: pd.DataFrame, startrow: int = 0, sheet_name: str = "Sheet1") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        frame.to_excel(writer, index=False, startrow=startrow, sheet_name=sheet_name)
    return buffer.getvalue()


# -- orders semantics ---------------------------------------------------------------------------


def test_amount_is_derived_from_quantity_and_unit_price() -> None:
    rows = [["C1", "2024-01-01", "S1", "2", "9.99"], ["C2", "2024-01-02", "S2", "3", "0.10"]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "quantity", "unit_price"], rows), "orders")
    assert table.frame["amount"].tolist() == [19.98, 0.3]
    assert _notes(table)["amount_derived"] == 2
    assert "amount" not in table.mapping


def test_blank_amount_is_filled_from_quantity_and_unit_price() -> None:
    rows = [["C1", "2024-01-01", "S1", "2", "5", "9"], ["C2", "2024-01-02", "S2", "3", "4", ""]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "quantity", "unit_price", "amount"], rows), "orders")
    assert table.frame["amount"].tolist() == [9.0, 12.0]
    assert _notes(table)["amount_filled"] == 1
    assert table.problems.empty


def test_returns_by_negative_quantity_or_amount_have_negative_amounts() -> None:
    header = ["order_id", "customer_id", "order_date", "item_id", "quantity", "unit_price", "amount"]
    rows = [
        ["1001", "C1", "2024-01-01", "S1", "2", "5", "10"],
        ["1002", "C1", "2024-01-02", "S1", "-1", "5", "5"],
        ["1003", "C2", "2024-01-03", "S2", "1", "4", "-4"],
        ["1004", "C2", "2024-01-04", "S2", "-2", "4", ""],
    ]
    table = load_table(_csv(header, rows), "orders")
    assert table.frame["is_return"].tolist() == [False, True, True, True]
    assert table.frame["amount"].tolist() == [10.0, -5.0, -4.0, -8.0]
    assert table.frame["quantity"].tolist() == [2.0, -1.0, -1.0, -2.0]
    assert _notes(table)["returns_marked"] == 3


def test_uci_cancellation_ids_are_returns() -> None:
    header = ["InvoiceNo", "CustomerID", "InvoiceDate", "StockCode", "Quantity", "UnitPrice"]
    rows = [
        ["536365", "17850", "2010-12-01 08:26:00", "85123A", "6", "2.55"],
        ["C536379", "14527", "2010-12-01 09:41:00", "D", "1", "27.50"],
        ["536366", "17850", "2010-12-01 08:28:00", "22633", "6", "1.85"],
    ]
    table = load_table(_csv(header, rows), "orders")
    assert table.frame["is_return"].tolist() == [False, True, False]
    assert table.frame["amount"].tolist() == [15.3, -27.5, 11.1]
    assert table.frame["quantity"].tolist() == [6.0, -1.0, 6.0]


@pytest.mark.parametrize("ids", [["CN2024001", "CN2024002", "CN2024003"], ["C1001", "C1002", "C1003"]])
def test_ids_that_all_start_with_a_letter_are_not_cancellations(ids: list[str]) -> None:
    header = ["order_id", "customer_id", "order_date", "item_id", "amount"]
    rows = [[order, "C1", "2024-01-01", "S1", "5"] for order in ids]
    table = load_table(_csv(header, rows), "orders")
    assert table.frame["is_return"].tolist() == [False, False, False]
    assert table.frame["amount"].tolist() == [5.0, 5.0, 5.0]
    assert "returns_marked" not in _notes(table)


def test_rows_without_customer_are_kept_and_counted() -> None:
    rows = [["C1", "2024-01-01", "S1", "5"], ["", "2024-01-02", "S2", "6"], ["  ", "2024-01-03", "S3", "7"]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert len(table.frame) == 3
    assert table.frame["customer_id"].isna().tolist() == [False, True, True]
    assert [(n.code, n.count, n.column) for n in table.notes if n.code == "rows_without_customer"] == [
        ("rows_without_customer", 2, "customer_id")
    ]
    assert table.problems.empty


def test_missing_required_value_drops_the_row() -> None:
    rows = [["C1", "2024-01-01", "S1", "5"], ["C2", "", "S2", "6"], ["C3", "2024-01-03", "", "7"], ["C4", "2024-01-04", "S4", ""]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert table.frame["customer_id"].tolist() == ["C1"]
    assert table.problems[["row", "column", "reason", "action"]].values.tolist() == [
        [3, "order_date", "missing_value", "dropped"],
        [4, "item_id", "missing_value", "dropped"],
        [5, "amount", "missing_value", "dropped"],
    ]
    assert table.rows_dropped == 3


def test_unreadable_optional_value_is_emptied_and_the_row_kept() -> None:
    header = ["customer_id", "order_date", "item_id", "quantity", "amount"]
    rows = [["C1", "2024-01-01", "S1", "2", "5"], ["C2", "2024-01-02", "S2", "two", "6"]]
    table = load_table(_csv(header, rows), "orders")
    assert table.frame["customer_id"].tolist() == ["C1", "C2"]
    assert table.frame["quantity"].isna().tolist() == [False, True]
    assert table.problems[["row", "column", "source_column", "value", "reason", "action"]].values.tolist() == [
        [3, "quantity", "quantity", "two", "not_a_number", "set_empty"]
    ]
    assert table.rows_dropped == 0


def test_mapped_column_with_no_readable_value_raises_naming_column_and_rows() -> None:
    rows = [["C1", "2024-01-01", "S1", "n/a yet"], ["C2", "2024-01-02", "S2", "soon"]]
    with pytest.raises(SchemaError) as caught:
        load_table(_csv(["customer_id", "order_date", "item_id", "Umsatz"], rows), "orders", mapping={"amount": "Umsatz"})
    error = caught.value
    assert error.code == "column_unusable"
    assert error.details["column"] == "Umsatz"
    assert "Column 'Umsatz' was used as amount" in str(error)
    assert "row 2: 'n/a yet', row 3: 'soon'" in str(error)


def test_required_column_that_is_empty_everywhere_raises() -> None:
    """Otherwise every row would be dropped and the user would get an empty table."""
    rows = [["C1", "2024-01-01", "", "3"], ["C2", "2024-01-02", "", "4"]]
    with pytest.raises(SchemaError) as caught:
        load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert caught.value.code == "column_empty"
    assert caught.value.details["column"] == "item_id"
    assert "No row has a usable item_id: in column 'item_id', rows 2-3" in str(caught.value)


def test_problem_rows_hold_the_original_cells_of_every_problem_row() -> None:
    header = ["customer_id", "order_date", "item_id", "quantity", "amount", "note"]
    rows = [
        ["C1", "2024-01-01", "S1", "1", "5", "fine"],
        ["C2", "yesterday", "S2", "1", "6", "bad date"],
        ["C3", "2024-01-03", "S3", "lots", "7", "bad quantity"],
        ["C4", "2024-01-04", "S4", "1", "8", "fine"],
        ["C5", "2024-01-05", "", "x", "9", "two problems"],
    ]
    data = _csv(header, rows) + b"C6,2024-01-06,S6,1,10,too,many\n"
    table = load_table(data, "orders")
    problem_rows = table.problem_rows
    assert problem_rows["row"].tolist() == [3, 4, 6, 7]
    assert problem_rows["reasons"].tolist() == [
        "not_a_date (order_date)",
        "not_a_number (quantity)",
        "missing_value (item_id); not_a_number (quantity)",
        "wrong_field_count",
    ]
    assert problem_rows["order_date"].tolist()[:3] == ["yesterday", "2024-01-03", "2024-01-05"]
    assert problem_rows["quantity"].tolist()[:3] == ["1", "lots", "x"]
    assert problem_rows["note"].tolist()[:3] == ["bad date", "bad quantity", "two problems"]
    assert problem_rows["raw_line"].tolist()[3] == "C6,2024-01-06,S6,1,10,too,many"
    assert set(table.problems["row"]) == set(problem_rows["row"])


def test_row_numbers_are_spreadsheet_rows() -> None:
    rows = [[f"C{i}", "2024-01-01" if i != 4 else "", f"S{i}", "1"] for i in range(1, 8)]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount"], rows), "orders")
    assert table.row_numbers.tolist() == [2, 3, 4, 6, 7, 8]
    assert table.frame["customer_id"].tolist() == ["C1", "C2", "C3", "C5", "C6", "C7"]
    assert table.problems["row"].tolist() == [5]


def test_extra_columns_are_kept_after_the_canonical_ones() -> None:
    rows = [["C1", "2024-01-01", "S1", "5", "VIP", "north"]]
    table = load_table(_csv(["customer_id", "order_date", "item_id", "amount", "tier", "zone"], rows), "orders")
    assert list(table.frame.columns) == ["customer_id", "order_date", "item_id", "amount", "is_return", "tier", "zone"]
    assert table.frame["tier"].tolist() == ["VIP"]


def test_path_and_file_object_sources(tmp_path: Path) -> None:
    data = _csv(["customer_id", "order_date", "item_id", "amount"], [["C1", "2024-01-01", "S1", "5"]])
    path = tmp_path / "orders-2024.csv"
    path.write_bytes(data)
    assert load_table(path, "orders").source.name == "orders-2024.csv"
    assert load_table(str(path), "orders").frame["amount"].tolist() == [5.0]
    with path.open("rb") as handle:
        assert load_table(handle, "orders").source.name == "orders-2024.csv"
    assert load_table(io.BytesIO(data), "orders", name="upload.csv").source.name == "upload.csv"
    assert load_table(bytearray(data), "orders").source.rows_read == 1


def test_reviews_with_rating_out_of_range_are_emptied() -> None:
    rows = [["great", "5"], ["awful", "9"], ["ok", "3"]]
    table = load_table(_csv(["review", "rating"], rows), "reviews")
    assert table.frame["rating"].isna().tolist() == [False, True, False]
    assert table.problems[["row", "reason", "action"]].values.tolist() == [[3, "out_of_range", "set_empty"]]


# -- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_with_dates_numbers_and_header_below_a_title() -> None:
    frame = pd.DataFrame(
        {
            "会员ID": ["007", "C2", None],
            "下单时间": [dt.datetime(2024, 3, 5, 10, 30), dt.datetime(2024, 3, 6), dt.datetime(2024, 3, 7, 23, 59, 59)],
            "商品编号": ["S1", "S2", "S3"],
            "数量": [2, 1, -1],
            "单价": [9.5, 5.0, 1.25],
        }
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        frame.to_excel(writer, index=False, startrow=3, sheet_name="订单")
        writer.sheets["订单"].write(0, 0, "2024年3月订单报表")
    table = load_table(buffer.getvalue(), "orders", name="orders.xlsx")
    assert table.source.file_format == "xlsx"
    assert table.source.sheet == "订单"
    assert table.source.encoding is None
    assert table.mapping["customer_id"] == "会员ID"
    assert table.row_numbers.tolist() == [5, 6, 7]
    out = table.frame
    assert out["customer_id"].tolist()[:2] == ["007", "C2"]
    assert pd.isna(out["customer_id"][2])
    assert [str(d) for d in out["order_date"]] == ["2024-03-05 10:30:00", "2024-03-06 00:00:00", "2024-03-07 23:59:59"]
    assert out["quantity"].tolist() == [2.0, 1.0, -1.0]
    assert out["amount"].tolist() == [19.0, 5.0, -1.25]
    assert out["is_return"].tolist() == [False, False, True]


def test_xlsx_header_below_blank_rows() -> None:
    frame = pd.DataFrame({"customer_id": ["C1"], "order_date": [dt.datetime(2024, 1, 1)], "item_id": ["S1"], "amount": [3]})
    table = load_table(_xlsx(frame, startrow=2), "orders")
    assert table.row_numbers.tolist() == [4]
    assert table.frame["amount"].tolist() == [3.0]


def test_xlsx_header_far_below_the_top() -> None:
    frame = pd.DataFrame({"item_id": ["S1", "S2"], "price": [1.5, 2]})
    table = load_table(_xlsx(frame, startrow=30), "items")
    assert table.row_numbers.tolist() == [32, 33]
    assert table.frame["item_id"].tolist() == ["S1", "S2"]


def test_xlsx_uci_mixed_id_columns() -> None:
    """Excel stores 22633 as a number beside 85123A as text; the id is ``22633`` not ``22633.0``."""
    frame = pd.DataFrame(
        {
            "InvoiceNo": [536365, 536365, "C536379"],
            "StockCode": ["85123A", 22633, 84029],
            "InvoiceDate": [dt.datetime(2010, 12, 1, 8, 26)] * 3,
            "Quantity": [6, 6, -1],
            "UnitPrice": [2.55, 1.85, 27.5],
            "CustomerID": [17850.0, 17850.0, None],
        }
    )
    table = load_table(_xlsx(frame), "orders")
    out = table.frame
    assert out["order_id"].tolist() == ["536365", "536365", "C536379"]
    assert out["item_id"].tolist() == ["85123A", "22633", "84029"]
    assert out["customer_id"].tolist()[:2] == ["17850", "17850"]
    assert out["is_return"].tolist() == [False, False, True]


def test_xlsx_with_text_dates_and_blank_rows() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", None, "C3"],
            "order_date": ["2024/3/5", None, "2024年3月7日"],
            "item_id": ["S1", None, "S3"],
            "amount": ["¥1,200.50", None, "88"],
        }
    )
    table = load_table(_xlsx(frame), "orders")
    assert table.row_numbers.tolist() == [2, 4]
    assert [str(d) for d in table.frame["order_date"]] == ["2024-03-05 00:00:00", "2024-03-07 00:00:00"]
    assert table.frame["amount"].tolist() == [1200.5, 88.0]


def test_xlsx_first_sheet_with_data_is_read() -> None:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        writer.book.add_worksheet("说明")
        pd.DataFrame({"item_id": ["S1", "S2"], "price": [1.5, 2]}).to_excel(writer, index=False, sheet_name="商品")
    table = load_table(buffer.getvalue(), "items")
    assert table.source.sheet == "商品"
    assert table.frame["price"].tolist() == [1.5, 2.0]


# -- combining and describing -------------------------------------------------------------------

HEADER = ["order_id", "customer_id", "order_date", "item_id", "quantity", "unit_price", "amount"]
MONTH = [
    ["1001", "C1", "2024-01-02", "S1", "2", "5", ""],
    ["1001", "C1", "2024-01-02", "S2", "1", "3", "3"],
    ["1002", "", "2024-01-05", "S1", "1", "5", "5"],
    ["1003", "C2", "2024-01-09", "S3", "-1", "4", "4"],
    ["1004", "C3", "not a date", "S1", "1", "5", "5"],
    ["1005", "C3", "2024-01-10", "", "1", "5", "5"],
    ["1006", "C4", "2024-01-11", "S2", "x", "3", "3"],
]


UNREADABLE_AMOUNTS = [
    ["1", "C1", "2024-01-01", "S1", "2", "5", "10.00"],
    ["2", "C2", "2024-01-02", "S2", "3", "4", "abc"],
    ["3", "C3", "2024-01-03", "S3", "1", "2.5", "n/a"],
    ["4", "C4", "", "S4", "1", "9", "9.00"],
    ["5", "C5", "2024-01-05", "S5", "", "7", "what"],
    ["6", "C6", "2024-01-06", "S6", "4", "1.5", "12,50 €"],
    ["7", "C7", "2024-01-07", "S7", "2", "8", ""],
]


def test_unreadable_amounts_recomputed_from_quantity_and_price_are_reported_as_recomputed() -> None:
    """The review's report said "row dropped" for rows it kept, and 300 read = 299 kept + 3 dropped."""
    table = load_table(_csv(HEADER, UNREADABLE_AMOUNTS), "orders")
    assert table.frame["order_id"].tolist() == ["1", "2", "3", "6", "7"]
    assert table.frame["amount"].tolist() == [10.0, 12.0, 2.5, 6.0, 16.0]
    assert table.problems[["row", "column", "value", "reason", "action"]].values.tolist() == [
        [3, "amount", "abc", "not_a_number", "recomputed"],
        [4, "amount", "n/a", "not_a_number", "recomputed"],
        [5, "order_date", "", "missing_value", "dropped"],
        [6, "amount", "what", "not_a_number", "dropped"],
        [7, "amount", "12,50 €", "unclear_decimal_mark", "recomputed"],
    ]
    assert _notes(table)["amount_filled"] == 4
    report = describe_table(table)
    assert (report.rows_read, report.rows_kept, report.rows_dropped, report.values_emptied) == (7, 5, 2, 0)
    assert report.rows_read == report.rows_kept + report.rows_dropped
    assert report.problems_by_reason[["reason", "column", "action", "rows"]].values.tolist() == [
        ["not_a_number", "amount", "recomputed", 2],
        ["missing_value", "order_date", "dropped", 1],
        ["not_a_number", "amount", "dropped", 1],
        ["unclear_decimal_mark", "amount", "recomputed", 1],
    ]


def test_value_emptied_in_a_row_dropped_for_another_reason_is_reported_as_dropped() -> None:
    header = ["customer_id", "order_date", "item_id", "quantity", "amount"]
    rows = [["C1", "2024-01-01", "S1", "2", "5"], ["C2", "", "S2", "two", "6"], ["C3", "2024-01-03", "S3", "three", "7"]]
    table = load_table(_csv(header, rows), "orders")
    assert table.problems[["row", "column", "reason", "action"]].values.tolist() == [
        [3, "order_date", "missing_value", "dropped"],
        [3, "quantity", "not_a_number", "dropped"],
        [4, "quantity", "not_a_number", "set_empty"],
    ]
    report = describe_table(table)
    assert (report.rows_read, report.rows_kept, report.rows_dropped, report.values_emptied) == (3, 2, 1, 1)


def test_describe_table_counts_a_hand_computed_table() -> None:
    table = load_table(_csv(HEADER, MONTH), "orders", name="jan.csv")
    report = describe_table(table)
    assert report.kind == "orders"
    assert report.rows_read == 7
    assert report.rows_kept == 5
    assert report.rows_dropped == 2
    assert report.values_emptied == 1
    assert report.date_min == pd.Timestamp("2024-01-02")
    assert report.date_max == pd.Timestamp("2024-01-11")
    assert report.customers == 3
    assert report.items == 3
    assert report.rows_without_customer == 1
    assert report.returns == 1
    assert table.frame["amount"].tolist() == [10.0, 3.0, 5.0, -4.0, 3.0]
    assert report.problems_by_reason[["reason", "column", "action", "rows", "example_row"]].values.tolist() == [
        ["missing_value", "item_id", "dropped", 1, 7],
        ["not_a_date", "order_date", "dropped", 1, 6],
        ["not_a_number", "quantity", "set_empty", 1, 8],
    ]
    summary = dict(report.summary().values.tolist())
    assert summary["rows_read"] == 7 and summary["returns"] == 1


def test_describe_table_of_reviews_has_no_order_metrics() -> None:
    table = load_table(_csv(["review", "评分"], [["好", "5"], ["差", "1"]]), "reviews")
    report = describe_table(table)
    assert (report.rows_read, report.rows_kept, report.customers, report.returns, report.date_min) == (2, 2, None, None, None)
    assert report.summary()["metric"].tolist() == ["rows_read", "rows_kept", "rows_dropped", "values_emptied"]


def test_combine_tables_of_several_files() -> None:
    january = load_table(_csv(HEADER, MONTH), "orders", name="jan.csv")
    february_rows = [[r[0], r[1], r[2].replace("2024-01", "2024-02"), *r[3:]] for r in MONTH]
    february = load_table(_csv(HEADER, february_rows), "orders", name="feb.csv")
    combined = combine_tables([january, february])
    assert len(combined.frame) == 10
    assert combined.source.name == "jan.csv, feb.csv"
    assert combined.source.rows_read == 14
    assert combined.rows_dropped == 4
    assert combined.row_numbers.tolist() == [2, 3, 4, 5, 8, 2, 3, 4, 5, 8]
    assert combined.problem_rows[["file", "row"]].values.tolist() == [
        ["jan.csv", 6], ["jan.csv", 7], ["jan.csv", 8], ["feb.csv", 6], ["feb.csv", 7], ["feb.csv", 8],
    ]
    report = describe_table(combined)
    assert (report.rows_read, report.rows_kept, report.rows_dropped, report.values_emptied) == (14, 10, 4, 2)
    assert (report.date_min, report.date_max) == (pd.Timestamp("2024-01-02"), pd.Timestamp("2024-02-11"))
    assert (report.customers, report.items, report.returns, report.rows_without_customer) == (3, 3, 2, 2)
    assert report.problems_by_reason["rows"].tolist() == [2, 2, 2]


def test_combine_tables_of_different_kinds_raises() -> None:
    orders = load_table(_csv(HEADER, MONTH[:2]), "orders")
    items = load_table(_csv(["item_id", "price"], [["S1", "1"]]), "items")
    with pytest.raises(SchemaError) as caught:
        combine_tables([orders, items])
    assert caught.value.code == "mixed_kinds"
    assert "items, orders" in str(caught.value)


def test_combine_a_single_table_returns_it() -> None:
    orders = load_table(_csv(HEADER, MONTH[:2]), "orders")
    assert combine_tables([orders]) is orders
    assert np.array_equal(orders.row_numbers, [2, 3])

