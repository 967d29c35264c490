"""One small Chinese orders table in every encoding real exports use loads to the same frame."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from promo_core import load_table

ROWS = [
    ["会员ID", "下单时间", "商品编号", "商品名称", "数量", "单价"],
    ["会员007", "2024-03-05 10:20:00", "茶001", "西湖龙井（特级）", "2", "￥88.50"],
    ["小明", "2024-03-06 09:00:00", "茶002", "铁观音", "1", "120"],
    ["张三丰", "2024-03-07 18:45:30", "茶001", "西湖龙井（特级）", "3", "￥88.50"],
]
CSV = "\n".join(",".join(row) for row in ROWS) + "\n"
TSV = "\r\n".join("\t".join(row) for row in ROWS) + "\r\n"

EXPECTED = pd.DataFrame(
    {
        "customer_id": ["会员007", "小明", "张三丰"],
        "order_date": pd.to_datetime(["2024-03-05 10:20:00", "2024-03-06 09:00:00", "2024-03-07 18:45:30"]),
        "item_id": ["茶001", "茶002", "茶001"],
        "item_name": ["西湖龙井（特级）", "铁观音", "西湖龙井（特级）"],
        "quantity": [2.0, 1.0, 3.0],
        "unit_price": [88.5, 120.0, 88.5],
        "amount": [177.0, 120.0, 265.5],
        "is_return": [False, False, False],
    }
)

ENCODED = {
    "utf-8": (CSV.encode("utf-8"), "utf-8", ","),
    "utf-8-bom": (codecs.BOM_UTF8 + CSV.encode("utf-8"), "utf-8-sig", ","),
    "gb18030": (CSV.encode("gb18030"), "gb18030", ","),
    # GBK is a subset of GB18030, so GBK files are read (correctly) as GB18030.
    "gbk": (CSV.encode("gbk"), "gb18030", ","),
    "excel-unicode-text": (TSV.encode("utf-16"), "utf-16", "\t"),
    "utf-16-le-bom": (codecs.BOM_UTF16_LE + TSV.encode("utf-16-le"), "utf-16", "\t"),
    "utf-16-be-bom": (codecs.BOM_UTF16_BE + TSV.encode("utf-16-be"), "utf-16", "\t"),
}


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(EXPECTED.columns)]


@pytest.mark.parametrize("label", list(ENCODED))
def test_every_encoding_loads_to_the_same_frame(label: str) -> None:
    data, encoding, delimiter = ENCODED[label]
    table = load_table(data, "orders")
    assert table.source.encoding == encoding
    assert table.source.delimiter == delimiter
    assert table.source.headers == tuple(ROWS[0])
    assert table.mapping == {
        "customer_id": "会员ID",
        "order_date": "下单时间",
        "item_id": "商品编号",
        "item_name": "商品名称",
        "quantity": "数量",
        "unit_price": "单价",
    }
    pd.testing.assert_frame_equal(_canonical(table.frame), EXPECTED, check_dtype=False)
    assert table.problems.empty
    assert "undecodable_characters" not in {note.code for note in table.notes}


def test_utf16_excel_unicode_text_is_tab_separated_little_endian() -> None:
    data = TSV.encode("utf-16")
    assert data.startswith(codecs.BOM_UTF16_LE)
    assert load_table(data, "orders").source.file_format == "tsv"


def test_utf16_without_bom_is_recognised() -> None:
    english = "customer_id\torder_date\titem_id\tamount\nC1\t2024-03-05\tS1\t12.5\nC2\t2024-03-06\tS2\t3\n"
    table = load_table(english.encode("utf-16-le"), "orders")
    assert table.source.encoding == "utf-16"
    assert table.frame["amount"].tolist() == [12.5, 3.0]


def test_stray_byte_in_utf8_file_is_counted_not_mojibake() -> None:
    """One broken byte must not make the whole file decode as GB18030 (every header would be garbage)."""
    data = CSV.encode("utf-8").replace("小明".encode(), b"\xff" + "小明".encode())
    table = load_table(data, "orders")
    assert table.source.encoding == "utf-8"
    notes = {note.code: note for note in table.notes}
    assert notes["undecodable_characters"].count == 1
    assert table.mapping["customer_id"] == "会员ID"
    assert table.frame["customer_id"].tolist() == ["会员007", "\ufffd小明", "张三丰"]
    assert table.frame["item_name"].tolist() == EXPECTED["item_name"].tolist()


def test_truncated_multibyte_character_is_counted() -> None:
    broken = "铁观音".encode()[:-1]
    data = CSV.encode("utf-8").replace("铁观音".encode(), broken)
    table = load_table(data, "orders")
    assert table.source.encoding == "utf-8"
    assert {note.code: note.count for note in table.notes}["undecodable_characters"] == 1
    assert table.frame["item_name"].tolist() == ["西湖龙井（特级）", "铁观\ufffd", "西湖龙井（特级）"]


def test_stray_byte_after_bom_is_counted() -> None:
    data = codecs.BOM_UTF8 + CSV.encode("utf-8").replace(b"120", b"120\x80", 1)
    table = load_table(data, "orders")
    assert table.source.encoding == "utf-8-sig"
    assert {note.code: note.count for note in table.notes}["undecodable_characters"] == 1


def test_real_replacement_character_in_file_is_not_counted_as_loss() -> None:
    data = CSV.replace("铁观音", "铁观音\ufffd").encode("utf-8-sig")
    table = load_table(data, "orders")
    assert "undecodable_characters" not in {note.code for note in table.notes}
    assert table.frame["item_name"][1] == "铁观音\ufffd"


def test_latin1_file_falls_back_to_a_single_byte_encoding() -> None:
    data = "customer_id,order_date,item_id,item_name,amount\nC1,2024-01-02,S1,Café crème,3\n".encode("latin-1")
    table = load_table(data, "orders")
    assert table.frame["item_name"].tolist() == ["Café crème"]
    assert table.source.encoding not in {"utf-8", "gb18030"}
