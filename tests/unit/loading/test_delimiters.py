"""Delimiters are sniffed; quoting, bad rows, blank lines and CRLF are handled with exact row numbers."""

from __future__ import annotations

import pytest

from promo_core import load_table

HEADER = ["customer_id", "order_date", "item_id", "item_name", "amount"]
ROWS = [["C1", "2024-01-02", "S1", "Tea", "3.5"], ["C2", "2024-01-03", "S2", "Cake", "4"], ["C3", "2024-01-04", "S3", "Pie", "10"]]


def _text(delimiter: str, newline: str = "\n") -> bytes:
    return newline.join(delimiter.join(row) for row in [HEADER, *ROWS]).encode() + newline.encode()


@pytest.mark.parametrize(("delimiter", "file_format"), [(",", "csv"), ("\t", "tsv"), (";", "csv"), ("|", "csv")])
def test_delimiter_is_sniffed(delimiter: str, file_format: str) -> None:
    table = load_table(_text(delimiter), "orders")
    assert table.source.delimiter == delimiter
    assert table.source.file_format == file_format
    assert table.source.headers == tuple(HEADER)
    assert table.frame["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert table.frame["amount"].tolist() == [3.5, 4.0, 10.0]
    assert table.row_numbers.tolist() == [2, 3, 4]


def test_semicolon_file_with_decimal_commas() -> None:
    data = b"customer_id;order_date;item_id;amount\nC1;2024-01-02;S1;3,50\nC2;2024-01-03;S2;1.234,50\n"
    table = load_table(data, "orders")
    assert table.source.delimiter == ";"
    assert table.frame["amount"].tolist() == [3.5, 1234.5]
    assert ("comma_decimal", "amount") in {(note.code, note.column) for note in table.notes}


def test_quoted_fields_hold_delimiters_quotes_and_newlines() -> None:
    data = (
        b"customer_id,order_date,item_id,item_name,amount\n"
        b'C1,2024-01-02,S1,"Tea, green\nand ""fine""",3\n'
        b'C2,2024-01-03,S2,"a|b;c\tx",4\n'
        b"C3,2024-01-04,S3,Pie,5\n"
    )
    table = load_table(data, "orders")
    assert table.source.delimiter == ","
    assert table.frame["item_name"].tolist() == ['Tea, green\nand "fine"', "a|b;c\tx", "Pie"]
    assert table.row_numbers.tolist() == [2, 3, 4]
    assert table.problems.empty


def test_rows_with_wrong_field_count_are_dropped_and_listed() -> None:
    data = (
        b"customer_id,order_date,item_id,item_name,amount\n"
        b"C1,2024-01-02,S1,Tea,3\n"
        b"C2,2024-01-03,S2,Cake,4,surplus\n"
        b"C3,2024-01-04,S3\n"
        b"C4,2024-01-05,S4,Pie,6\n"
    )
    table = load_table(data, "orders")
    assert table.frame["customer_id"].tolist() == ["C1", "C4"]
    assert table.row_numbers.tolist() == [2, 5]
    problems = table.problems
    assert problems["row"].tolist() == [3, 4]
    assert problems["reason"].tolist() == ["wrong_field_count", "wrong_field_count"]
    assert problems["action"].tolist() == ["dropped", "dropped"]
    assert problems["value"].tolist() == ["C2,2024-01-03,S2,Cake,4,surplus", "C3,2024-01-04,S3"]
    assert table.rows_dropped == 2
    assert table.source.rows_read == 4
    assert table.problem_rows["raw_line"].tolist() == ["C2,2024-01-03,S2,Cake,4,surplus", "C3,2024-01-04,S3"]


def test_wrong_field_count_after_a_multiline_cell_has_the_spreadsheet_row() -> None:
    """A quoted cell spanning three lines is one spreadsheet row; later row numbers must not shift."""
    data = (
        b"customer_id,order_date,item_id,item_name,amount\n"
        b'C1,2024-01-02,S1,"line 1\nline 2\nline 3",3\n'
        b"C2,2024-01-03,S2,x,5,surplus\n"
        b"C3,2024-01-04,S3,y,\n"
        b"C4,2024-01-05,S4,z,7\n"
    )
    table = load_table(data, "orders")
    assert table.frame["customer_id"].tolist() == ["C1", "C4"]
    assert table.row_numbers.tolist() == [2, 5]
    assert table.problems[["row", "column", "reason"]].values.tolist() == [
        [3, "", "wrong_field_count"],
        [4, "amount", "missing_value"],
    ]


def test_leading_blank_lines_are_skipped() -> None:
    data = b"\n\r\n   \n" + _text(",")
    table = load_table(data, "orders")
    assert table.source.headers == tuple(HEADER)
    assert table.frame["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert table.row_numbers.tolist() == [5, 6, 7]  # the header is on line 4


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_crlf_line_endings(delimiter: str) -> None:
    table = load_table(_text(delimiter, "\r\n"), "orders")
    assert table.source.headers == tuple(HEADER)
    assert table.frame["item_name"].tolist() == ["Tea", "Cake", "Pie"]
    assert table.frame["amount"].tolist() == [3.5, 4.0, 10.0]


def test_no_trailing_newline() -> None:
    table = load_table(_text(",").rstrip(b"\n"), "orders")
    assert table.frame["amount"].tolist() == [3.5, 4.0, 10.0]


def test_blank_lines_between_rows_are_not_rows() -> None:
    data = b"customer_id,order_date,item_id,amount\nC1,2024-01-02,S1,3\n\n,,,\nC2,2024-01-03,S2,4\n"
    table = load_table(data, "orders")
    assert table.frame["customer_id"].tolist() == ["C1", "C2"]
    assert table.source.rows_read == 2
    assert table.problems.empty
    assert table.row_numbers.tolist() == [2, 5]  # as a spreadsheet shows them


def test_rows_after_empty_lines_keep_their_line_numbers_in_problems() -> None:
    data = (
        b"customer_id,order_date,item_id,amount\n\nC1,2024-01-02,S1,3\n\n\nC2,2024-01-03,S2,x\n"
        b"C3,2024-01-04,S3,4,extra\n\nC4,2024-01-05,S4,5\n"
    )
    table = load_table(data, "orders")
    assert table.frame["customer_id"].tolist() == ["C1", "C4"]
    assert table.row_numbers.tolist() == [3, 9]
    rows = table.problems.set_index("reason")["row"]
    assert rows["not_a_number"] == 6 and rows["wrong_field_count"] == 7
    assert table.problem_rows["row"].tolist() == [6, 7]
