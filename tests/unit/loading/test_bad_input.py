"""One test per failure mode users hit; each checks the exact error type, its code and the message."""

from __future__ import annotations

import codecs
import gzip
import io
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from promo_core import InputError, Limits, SchemaError, load_table

HEADER = b"customer_id,order_date,item_id,amount\n"
ROW = b"C1,2024-01-02,S1,3\n"


def _input_error(data: object, kind: str = "orders", **kwargs: object) -> InputError:
    with pytest.raises(InputError) as caught:
        load_table(data, kind, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\t\n ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n", codecs.BOM_UTF16_LE, " \n".encode("utf-16")],
    ids=["zero-bytes", "whitespace", "utf8-bom", "utf8-bom-newlines", "utf16-bom", "utf16-whitespace"],
)
def test_empty_file(data: bytes) -> None:
    error = _input_error(data)
    assert error.code == "empty"
    assert "The file is empty" in str(error)


def test_header_only_lists_the_columns() -> None:
    error = _input_error(HEADER)
    assert error.code == "header_only"
    assert "no data rows (columns: customer_id, order_date, item_id, amount)" in str(error)


def test_header_only_xlsx() -> None:
    buffer = io.BytesIO()
    pd.DataFrame(columns=["会员ID", "下单时间"]).to_excel(buffer, index=False)
    error = _input_error(buffer.getvalue())
    assert error.code == "header_only"
    assert "会员ID, 下单时间" in str(error)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50), "png"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94.", "pickle"),
        (b"PAR1\x15\x04", "parquet"),
        (b"SQLite format 3\x00", "sqlite"),
    ],
)
def test_binary_files_are_refused_by_magic(data: bytes, kind: str) -> None:
    error = _input_error(data)
    assert error.code == "binary"
    assert error.details["kind"] == kind
    assert f"This looks like a {kind} file" in str(error)


def test_random_bytes_with_nuls_are_refused() -> None:
    noise = random.Random(7).randbytes(4096)
    error = _input_error(b"id,amount\n" + noise.replace(b"\x00", b"") + b"\x00\x01\x02\x00" + noise)
    assert error.code == "binary"
    assert error.details["kind"] == "binary"


def test_gzip_archive_is_refused() -> None:
    error = _input_error(gzip.compress(HEADER + ROW))
    assert error.code == "binary"
    assert error.details["kind"] == "gzip"
    assert "unpack archives first" in str(error)


def test_zip_that_is_not_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("orders.csv", HEADER + ROW)
    error = _input_error(buffer.getvalue())
    assert error.code == "binary"
    assert error.details["kind"] == "zip archive"


def test_damaged_zip_is_refused() -> None:
    error = _input_error(b"PK\x03\x04" + bytes(40))
    assert error.code == "binary"
    assert error.details["kind"] == "damaged zip"


def test_old_xls_is_refused_with_advice() -> None:
    error = _input_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert error.code == "old_excel"
    assert "Save it as .xlsx or CSV" in str(error)


def test_xlsx_bomb_is_refused_before_unpacking() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(30 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000
    error = _input_error(data)
    assert error.code == "xlsx_bomb"
    assert "unpacks to an implausible size" in str(error)


def test_more_than_500_columns() -> None:
    header = ",".join(f"c{i}" for i in range(501)).encode()
    error = _input_error(header + b"\n" + b",".join([b"1"] * 501) + b"\n")
    assert error.code == "too_many_columns"
    assert "The file has 501 columns; at most 500 are read" in str(error)


def test_more_than_500_columns_in_xlsx() -> None:
    buffer = io.BytesIO()
    pd.DataFrame([list(range(501))], columns=[f"c{i}" for i in range(501)]).to_excel(buffer, index=False)
    error = _input_error(buffer.getvalue())
    assert error.code == "too_many_columns"
    assert error.details["count"] == 501


def test_cell_over_the_character_limit_names_column_and_row() -> None:
    data = HEADER + ROW + b"C2,2024-01-02,S2,4\nC3,2024-01-02,S" + b"x" * 100_001 + b",4\n"
    error = _input_error(data)
    assert error.code == "cell_too_long"
    assert "Column 'item_id', row 4: a cell has 100,002 characters" in str(error)
    assert (error.details["column"], error.details["row"]) == ("item_id", 4)


def test_more_rows_than_the_limit() -> None:
    error = _input_error(HEADER + ROW * 6, limits=Limits(max_rows=5))
    assert error.code == "too_many_rows"
    assert "The file has 6 rows; at most 5 are read" in str(error)


def test_more_bytes_than_the_limit(tmp_path: Path) -> None:
    data = HEADER + ROW * 10
    error = _input_error(data, limits=Limits(max_bytes=100))
    assert error.code == "too_large"
    assert "above the" in str(error) and "limit" in str(error)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    assert _input_error(path, limits=Limits(max_bytes=100)).code == "too_large"
    assert _input_error(io.BytesIO(data), limits=Limits(max_bytes=100)).code == "too_large"


def test_text_in_a_number_column() -> None:
    data = HEADER + b"C1,2024-01-02,S1,three\nC2,2024-01-02,S2,four\n"
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders")
    assert caught.value.code == "column_unusable"
    assert "Column 'amount' was used as amount, but none of its values can be read as a number" in str(caught.value)
    assert "row 2: 'three', row 3: 'four'" in str(caught.value)


def test_some_text_in_a_number_column_drops_those_rows() -> None:
    table = load_table(HEADER + ROW + b"C2,2024-01-02,S2,four\n", "orders")
    assert table.frame["customer_id"].tolist() == ["C1"]
    assert table.problems[["row", "column", "value", "reason"]].values.tolist() == [[3, "amount", "four", "not_a_number"]]


def test_duplicate_headers_are_renamed_not_refused() -> None:
    table = load_table(b"customer_id,order_date,item_id,amount,amount\nC1,2024-01-02,S1,3,4\n", "orders")
    assert table.source.headers[-1] == "amount (2)"
    assert table.frame["amount"].tolist() == [3.0]
    assert [n.column for n in table.notes if n.code == "duplicate_header_renamed"] == ["amount -> amount (2)"]


def test_one_row_only() -> None:
    table = load_table(HEADER + ROW, "orders")
    assert len(table.frame) == 1
    assert table.row_numbers.tolist() == [2]
    assert table.frame["amount"].tolist() == [3.0]


def test_all_dates_the_same() -> None:
    table = load_table(HEADER + ROW * 3, "orders")
    assert table.frame["order_date"].nunique() == 1
    assert str(table.frame["order_date"][0]) == "2024-01-02 00:00:00"


def test_unknown_kind() -> None:
    with pytest.raises(SchemaError) as caught:
        load_table(HEADER + ROW, "customers")
    assert caught.value.code == "unknown_kind"
    assert "Unknown table kind 'customers'; use one of orders, reviews, campaign, ad_events, items." == str(caught.value)


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    error = _input_error(missing)
    assert error.code == "file_missing"
    assert f"File {str(missing)!r} does not exist." == str(error)


def test_unsupported_source_type() -> None:
    error = _input_error(12345)
    assert error.code == "bad_source"
    assert "Cannot read a int" in str(error)


def test_a_single_column_of_text_is_not_orders() -> None:
    with pytest.raises(SchemaError) as caught:
        load_table(b"just some notes\nanother line\n", "orders")
    assert caught.value.code == "missing_columns"
    assert "Columns found: just some notes." in str(caught.value)
