"""Column recognition across the exports marketers have, explicit mappings and schema errors."""

from __future__ import annotations

import pytest

from promo_core import SchemaError, load_table
from promo_core.loading.columns import fold


def _csv(header: list[str], *rows: list[str]) -> bytes:
    return ("\n".join(",".join(row) for row in [header, *rows]) + "\n").encode()


@pytest.mark.parametrize(
    ("header", "row", "mapping"),
    [
        (
            ["Customer ID", "Order Date", "SKU", "Product Name", "Qty", "Unit Price", "Amount", "Channel", "Coupon"],
            ["C1", "2024-01-02", "S1", "Tea", "2", "1.5", "3", "web", "SPRING"],
            {
                "customer_id": "Customer ID", "order_date": "Order Date", "item_id": "SKU",
                "item_name": "Product Name", "quantity": "Qty", "unit_price": "Unit Price", "amount": "Amount",
                "channel": "Channel", "coupon_code": "Coupon",
            },
        ),
        (
            ["  CUSTOMER_id ", "order-date", "Item ID", "unitprice", "QUANTITY"],
            ["C1", "2024-01-02", "S1", "2", "3"],
            {
                "customer_id": "CUSTOMER_id", "order_date": "order-date", "item_id": "Item ID",
                "quantity": "QUANTITY", "unit_price": "unitprice",
            },
        ),
        (
            ["用户ID", "订单日期", "商品编码", "商品名称", "类目", "购买数量", "商品单价", "实付金额", "渠道", "省份"],
            ["C1", "2024-01-02", "S1", "绿茶", "茶叶", "2", "1.5", "3", "天猫", "浙江"],
            {
                "customer_id": "用户ID", "order_date": "订单日期", "item_id": "商品编码", "item_name": "商品名称",
                "category": "类目", "quantity": "购买数量", "unit_price": "商品单价", "amount": "实付金额",
                "channel": "渠道", "country": "省份",
            },
        ),
        (
            ["会员ＩＤ", "下单时间", "商品编号", "金额"],
            ["C1", "2024-01-02", "S1", "3"],
            {"customer_id": "会员ＩＤ", "order_date": "下单时间", "item_id": "商品编号", "amount": "金额"},
        ),
    ],
    ids=["english", "case-and-spacing", "chinese", "full-width"],
)
def test_orders_headers_are_recognised(header: list[str], row: list[str], mapping: dict[str, str]) -> None:
    table = load_table(_csv(header, row), "orders")
    assert table.mapping == mapping
    expected_amount = 3.0 if "amount" in mapping else 6.0
    assert table.frame["amount"].tolist() == [expected_amount]


def test_fold_ignores_case_width_spacing_and_punctuation() -> None:
    assert fold("Customer ID") == fold("customer_id") == fold("CustomerID") == fold(" customer-id ") == "customerid"
    assert fold("会员ＩＤ") == fold("会员id") == "会员id"
    assert fold("金额（元）") == "金额元"


def test_shopify_export() -> None:
    data = _csv(
        ["Name", "Email", "Created at", "Lineitem quantity", "Lineitem price", "Lineitem sku", "Lineitem name", "Total"],
        ["#1001", "a@x.com", "2024-01-02 10:00:00 +0800", "2", "9.50", "SKU-1", "Green tea", "19"],
        ["#1002", "b@x.com", "2024-01-03 11:00:00 +0800", "1", "5", "SKU-2", "Cake", "5"],
    )
    table = load_table(data, "orders")
    assert table.mapping == {
        "order_id": "Name",
        "customer_id": "Email",
        "order_date": "Created at",
        "item_id": "Lineitem sku",
        "item_name": "Lineitem name",
        "quantity": "Lineitem quantity",
        "unit_price": "Lineitem price",
        "amount": "Total",
    }
    assert table.frame["order_id"].tolist() == ["#1001", "#1002"]
    assert table.frame["quantity"].tolist() == [2.0, 1.0]
    assert [str(d) for d in table.frame["order_date"]] == ["2024-01-02 10:00:00", "2024-01-03 11:00:00"]


def test_taobao_export() -> None:
    data = _csv(
        ["订单编号", "买家会员名", "订单创建时间", "宝贝标题", "宝贝总数量", "商家编码", "买家实际支付金额"],
        ["1234567890123456", "小明", "2024-01-02 10:00:00", "绿茶", "2", "A01", "20.00"],
        ["1234567890123457", "tb_小红", "2024-01-03 10:00:00", "红茶", "1", "A02", "10.50"],
    )
    table = load_table(data, "orders")
    assert table.mapping == {
        "order_id": "订单编号",
        "customer_id": "买家会员名",
        "order_date": "订单创建时间",
        "item_id": "商家编码",
        "item_name": "宝贝标题",
        "quantity": "宝贝总数量",
        "amount": "买家实际支付金额",
    }
    assert table.frame["order_id"].tolist() == ["1234567890123456", "1234567890123457"]
    assert table.frame["amount"].tolist() == [20.0, 10.5]


def test_uci_online_retail() -> None:
    data = _csv(
        ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
        ["536365", "85123A", "WHITE HANGING HEART", "6", "12/1/2010 8:26", "2.55", "17850.0", "United Kingdom"],
        ["C536379", "D", "Discount", "-1", "12/1/2010 9:41", "27.50", "14527.0", "United Kingdom"],
        ["536366", "22633", "HAND WARMER", "6", "12/13/2010 8:28", "1.85", "", "France"],
    )
    table = load_table(data, "orders")
    assert table.mapping == {
        "order_id": "InvoiceNo",
        "customer_id": "CustomerID",
        "order_date": "InvoiceDate",
        "item_id": "StockCode",
        "item_name": "Description",
        "quantity": "Quantity",
        "unit_price": "UnitPrice",
        "country": "Country",
    }
    frame = table.frame
    assert frame["customer_id"].tolist()[:2] == ["17850", "14527"]
    assert frame["item_id"].tolist() == ["85123A", "D", "22633"]
    assert [str(d) for d in frame["order_date"]] == ["2010-12-01 08:26:00", "2010-12-01 09:41:00", "2010-12-13 08:28:00"]
    assert frame["is_return"].tolist() == [False, True, False]


def test_uci_online_retail_ii_variant() -> None:
    data = _csv(
        ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"],
        ["489434", "85048", "LED CANDLE", "12", "2009-12-01 07:45:00", "6.95", "13085.0", "United Kingdom"],
    )
    table = load_table(data, "orders")
    assert table.mapping == {
        "order_id": "Invoice",
        "customer_id": "Customer ID",
        "order_date": "InvoiceDate",
        "item_id": "StockCode",
        "item_name": "Description",
        "quantity": "Quantity",
        "unit_price": "Price",
        "country": "Country",
    }
    assert table.frame["amount"].tolist() == [83.4]


@pytest.mark.parametrize(
    ("kind", "header", "row", "mapping"),
    [
        (
            "reviews",
            ["评价ID", "会员ID", "商品编号", "评分", "评价时间", "评价内容"],
            ["R1", "C1", "S1", "5", "2024-01-02", "很好喝"],
            {
                "review_id": "评价ID", "customer_id": "会员ID", "item_id": "商品编号", "rating": "评分",
                "review_date": "评价时间", "text": "评价内容",
            },
        ),
        (
            "reviews",
            ["Review Text", "Stars", "user_id"],
            ["Great tea", "4", "u1"],
            {"customer_id": "user_id", "rating": "Stars", "text": "Review Text"},
        ),
        (
            "campaign",
            ["user_id", "Group", "Converted", "Revenue", "pre_revenue"],
            ["u1", "treatment", "1", "12.5", "3"],
            {"customer_id": "user_id", "group": "Group", "converted": "Converted", "revenue": "Revenue"},
        ),
        (
            "campaign",
            ["会员ID", "分组", "是否转化"],
            ["C1", "实验组", "是"],
            {"customer_id": "会员ID", "group": "分组", "converted": "是否转化"},
        ),
        (
            "ad_events",
            ["impression_id", "event_time", "click", "conversion", "cost", "device"],
            ["i1", "2024-01-02 10:00:00", "1", "0", "0.5", "ios"],
            {
                "impression_id": "impression_id", "timestamp": "event_time", "clicked": "click",
                "converted": "conversion", "cost": "cost",
            },
        ),
        (
            "ad_events",
            ["曝光ID", "曝光时间", "是否点击", "花费"],
            ["i1", "2024-01-02", "是", "1.2"],
            {"impression_id": "曝光ID", "timestamp": "曝光时间", "clicked": "是否点击", "cost": "花费"},
        ),
        (
            "items",
            ["SKU", "Title", "Category", "Price", "Description"],
            ["S1", "Tea", "drinks", "9.9", "Loose leaf"],
            {"item_id": "SKU", "item_name": "Title", "category": "Category", "price": "Price", "description": "Description"},
        ),
        (
            "items",
            ["商品编号", "商品名称", "类目", "售价", "商品描述"],
            ["S1", "绿茶", "茶叶", "9.9", "明前"],
            {"item_id": "商品编号", "item_name": "商品名称", "category": "类目", "price": "售价", "description": "商品描述"},
        ),
    ],
    ids=["reviews-zh", "reviews-en", "campaign-en", "campaign-zh", "ad-en", "ad-zh", "items-en", "items-zh"],
)
def test_every_kind_is_recognised(kind: str, header: list[str], row: list[str], mapping: dict[str, str]) -> None:
    table = load_table(_csv(header, row), kind)
    assert table.kind == kind
    assert table.mapping == mapping
    extra = [h for h in header if h not in mapping.values()]
    assert [c for c in table.frame.columns if c not in mapping] == extra


def test_items_description_is_not_taken_as_the_name() -> None:
    table = load_table(_csv(["item_id", "description"], ["S1", "Loose leaf"]), "items")
    assert table.mapping == {"item_id": "item_id", "description": "description"}


def test_explicit_mapping_overrides_and_none_unmaps() -> None:
    data = _csv(
        ["buyer", "date", "paid at", "sku", "qty", "price", "total"],
        ["C1", "2024-01-01", "2024-01-05", "S1", "3", "2.5", "99"],
    )
    automatic = load_table(data, "orders")
    assert automatic.mapping["order_date"] == "date"
    assert automatic.mapping["amount"] == "total"
    assert automatic.frame["amount"].tolist() == [99.0]
    table = load_table(data, "orders", mapping={"order_date": "paid at", "amount": None})
    assert table.mapping == {
        "customer_id": "buyer", "order_date": "paid at", "item_id": "sku", "quantity": "qty", "unit_price": "price",
    }
    assert str(table.frame["order_date"][0]) == "2024-01-05 00:00:00"
    assert table.frame["amount"].tolist() == [7.5]
    assert table.frame["total"].tolist() == [99]
    assert str(table.frame["date"][0]) == "2024-01-01"


def test_unmapping_a_required_column_raises() -> None:
    data = _csv(["customer_id", "order_date", "item_id", "amount"], ["C1", "2024-01-01", "S1", "3"])
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders", mapping={"customer_id": None})
    assert caught.value.code == "missing_columns"
    assert "customer_id" in str(caught.value)


def test_mapping_to_a_column_that_does_not_exist() -> None:
    data = _csv(["customer_id", "order_date", "item_id", "amount"], ["C1", "2024-01-01", "S1", "3"])
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders", mapping={"amount": "Umsatz"})
    assert caught.value.code == "mapped_column_missing"
    assert "'Umsatz'" in str(caught.value)
    assert "customer_id, order_date, item_id, amount" in str(caught.value)
    assert caught.value.details["column"] == "Umsatz"


def test_mapping_with_an_unknown_canonical_name() -> None:
    data = _csv(["customer_id", "order_date", "item_id", "amount"], ["C1", "2024-01-01", "S1", "3"])
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders", mapping={"revenue_total": "amount"})
    assert caught.value.code == "unknown_canonical"
    assert "'revenue_total'" in str(caught.value)


def test_missing_required_columns_are_named_with_found_and_closest() -> None:
    data = _csv(["buyer name", "order day", "article number", "qty"], ["C1", "2024-01-01", "S1", "3"])
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders")
    error = caught.value
    message = str(error)
    assert error.code == "missing_columns"
    assert "customer_id, order_date, item_id, amount or quantity and unit_price" in message
    assert "Columns found: buyer name, order day, article number, qty." in message
    assert "customer_id: maybe 'buyer name'" in message
    assert "order_date: maybe 'order day'" in message
    assert "item_id: maybe 'article number'" in message
    assert error.details["missing"] == "customer_id, order_date, item_id, amount or quantity and unit_price"


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("reviews", ["stars", "user"], "text"),
        ("campaign", ["customer", "variant"], "converted or revenue"),
        ("ad_events", ["id", "device"], "clicked"),
        ("items", ["name", "price"], "item_id"),
    ],
)
def test_missing_required_column_for_each_kind(kind: str, header: list[str], missing: str) -> None:
    with pytest.raises(SchemaError) as caught:
        load_table(_csv(header, ["1", "2"]), kind)
    assert caught.value.code == "missing_columns"
    assert caught.value.details["missing"] == missing
    assert f"The {kind} table needs column(s) {missing}," in str(caught.value)


def test_duplicate_headers_are_kept_with_a_suffix_and_noted() -> None:
    data = _csv(
        ["customer_id", "order_date", "item_id", "amount", "note", "note", ""],
        ["C1", "2024-01-01", "S1", "3", "first", "second", "third"],
    )
    table = load_table(data, "orders")
    assert table.source.headers == ("customer_id", "order_date", "item_id", "amount", "note", "note (2)", "column_7")
    assert table.frame["note"].tolist() == ["first"]
    assert table.frame["note (2)"].tolist() == ["second"]
    assert table.frame["column_7"].tolist() == ["third"]
    assert [(n.code, n.column) for n in table.notes if n.code == "duplicate_header_renamed"] == [
        ("duplicate_header_renamed", "note -> note (2)")
    ]


def test_duplicate_header_can_be_chosen_in_the_mapping() -> None:
    data = _csv(["customer_id", "order_date", "item_id", "amount", "amount"], ["C1", "2024-01-01", "S1", "3", "4"])
    assert load_table(data, "orders").frame["amount"].tolist() == [3.0]
    table = load_table(data, "orders", mapping={"amount": "amount (2)"})
    assert table.frame["amount"].tolist() == [4.0]
    assert table.frame["amount_source"].tolist() == [3]


def test_a_source_column_is_used_once() -> None:
    """``date`` is a synonym of both order_date and others; only the first canonical column gets it."""
    data = _csv(["user", "date", "sku", "price"], ["u1", "2024-01-01", "S1", "3"])
    with pytest.raises(SchemaError) as caught:
        load_table(data, "orders")
    assert caught.value.details["missing"] == "amount or quantity and unit_price"
