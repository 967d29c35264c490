"""The Data page: upload, automatic mapping, mapping fixes, report and problems, via AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

ORDERS_GBK = (
    "订单编号,顾客,下单时间,商品编号,商品名称,数量,单价\n"
    "A1,C001,2024-03-05,S1,绿茶,2,12.5\n"
    "A2,C002,2024-03-06,S2,茶杯,1,abc\n"
    "A3,C001,,S1,绿茶,1,12.5\n"
    "A4,C003,2024/3/8,S3,茶壶,-1,88\n"
).encode("gbk")


def _upload(app: AppTest, kind: str, name: str, payload: bytes) -> AppTest:
    app.switch_page("pages/data.py").run()
    app.file_uploader(key=f"upload_{kind}").set_value((name, payload, "text/csv")).run()
    assert not app.exception
    return app


def _metrics(app: AppTest, tab: int | None = None) -> dict[str, str]:
    """Metric cards by label: of one Data-page tab, or of the whole page."""
    scope = app if tab is None else app.tabs[tab]
    return {metric.label: metric.value for metric in scope.metric}


def test_gbk_upload_is_recognised_and_reported(app: AppTest) -> None:
    _upload(app, "orders", "orders_gbk.csv", ORDERS_GBK)
    assert not app.error
    metrics = _metrics(app, tab=0)
    assert metrics["Rows read"] == "4"
    assert metrics["Rows kept"] == "2"
    assert metrics["Rows dropped"] == "2"
    assert metrics["Customers"] == "2"
    assert metrics["Return lines"] == "1"
    assert any("GB18030" in caption.value for caption in app.tabs[0].caption)
    reasons = next(frame.value for frame in app.tabs[0].dataframe if "Reason" in frame.value.columns)
    assert set(reasons["Reason"]) == {"not a number", "required value missing"}


def test_unrecognised_column_is_fixed_in_the_mapping(app: AppTest) -> None:
    payload = b"member,when,sku,total\nm1,2024-01-02,s1,10\nm2,2024-01-03,s2,20\n"
    _upload(app, "orders", "odd.csv", payload)
    assert "customer_id" in app.error[0].value or "Customer" in app.error[0].value
    key = next(box.key for box in app.selectbox if box.key and box.key.endswith("_customer_id"))
    app.selectbox(key=key).set_value("member").run()
    key = next(box.key for box in app.selectbox if box.key and box.key.endswith("_order_date"))
    app.selectbox(key=key).set_value("when").run()
    assert not app.exception
    assert not app.error
    assert _metrics(app, tab=0)["Rows kept"] == "2"


def test_wrong_mapping_choice_names_the_column(app: AppTest) -> None:
    payload = b"customer_id,order_date,item_id,amount,note\nc1,2024-01-02,s1,10,hello\n"
    _upload(app, "orders", "o.csv", payload)
    key = next(box.key for box in app.selectbox if box.key and box.key.endswith("_amount"))
    app.selectbox(key=key).set_value("note").run()
    assert not app.exception
    assert "'note'" in app.error[0].value


def test_binary_upload_is_refused_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _upload(app, "reviews", "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert "不是表格" in app.error[0].value


def test_uploads_survive_a_page_change(app: AppTest) -> None:
    _upload(app, "orders", "orders_gbk.csv", ORDERS_GBK)
    app.switch_page("pages/home.py").run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Orders"] == "1"
    assert metrics["Customers"] == "1"
    assert metrics["Returned share of sales"] == "352.0%"


# Amounts "abc" and "n/a" beside a quantity and unit price, "12,50 €" in a file of "10.00"-style
# amounts, one row without a date, one unreadable amount without a quantity (rows 2-8 of the file).
UNREADABLE_AMOUNTS = (
    "order_id,customer_id,order_date,item_id,quantity,unit_price,amount\n"
    "1,C1,2024-01-01,S1,2,5,10.00\n"
    "2,C2,2024-01-02,S2,3,4,abc\n"
    "3,C3,2024-01-03,S3,1,2.5,n/a\n"
    "4,C4,,S4,1,9,9.00\n"
    "5,C5,2024-01-05,S5,,7,what\n"
    '6,C6,2024-01-06,S6,4,1.5,"12,50 €"\n'
    "7,C7,2024-01-07,S7,2,8,\n"
).encode()


def _problems_by_reason(app: AppTest) -> list[list[object]]:
    frame = next(frame.value for frame in app.tabs[0].dataframe if "Reason" in frame.value.columns)
    return frame[["Reason", "Column", "What happened", "Rows"]].values.tolist()


def test_recomputed_amounts_are_reported_as_kept_and_the_counts_add_up(app: AppTest) -> None:
    _upload(app, "orders", "amounts.csv", UNREADABLE_AMOUNTS)
    metrics = _metrics(app, tab=0)
    assert (metrics["Rows read"], metrics["Rows kept"], metrics["Rows dropped"], metrics["Values emptied"]) == ("7", "5", "2", "0")
    recomputed = "value recomputed as quantity × unit price, row kept"
    assert _problems_by_reason(app) == [
        ["not a number", "Amount", recomputed, 2],
        ["required value missing", "Order date", "row dropped", 1],
        ["not a number", "Amount", "row dropped", 1],
        ["decimal mark unlike the rest of the column (12,50 among 12.50)", "Amount", recomputed, 1],
    ]
    notes = [block.value for block in app.tabs[0].markdown]
    assert "- 4 empty or unreadable amounts computed as quantity × unit price." in notes
    preview = next(frame.value for frame in app.tabs[0].dataframe if "Order ID" in frame.value.columns)
    assert preview["Order ID"].tolist() == ["1", "2", "3", "6", "7"]
    assert preview["Amount"].tolist() == [10.0, 12.0, 2.5, 6.0, 16.0]


def test_recomputed_amounts_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _upload(app, "orders", "amounts.csv", UNREADABLE_AMOUNTS)
    frame = next(frame.value for frame in app.tabs[0].dataframe if "原因" in frame.value.columns)
    assert frame["处理方式"].tolist()[0] == "按 数量 × 单价 重新计算，保留该行"
    assert "小数点写法与该列其他值不一致（如 12.50 中混有 12,50）" in frame["原因"].tolist()


def _expected_columns(app: AppTest, field: str, need: str) -> dict[str, str]:
    frame = next(frame.value for frame in app.tabs[0].dataframe if field in frame.value.columns)
    return dict(zip(frame[field], frame[need]))


def test_expected_columns_state_that_orders_need_amount_or_quantity_and_unit_price(app: AppTest) -> None:
    app.session_state["use_sample"] = False
    app.switch_page("pages/data.py").run()
    needed = _expected_columns(app, "Field", "Needed")
    rule = "one of: Amount, or Quantity + Unit price"
    assert (needed["Amount"], needed["Quantity"], needed["Unit price"]) == (rule, rule, rule)
    assert (needed["Customer ID"], needed["Channel"]) == ("required", "optional")
    app.session_state["lang"] = "zh"
    app.run()
    needed = _expected_columns(app, "字段", "是否必填")
    assert needed["金额"] == needed["单价"] == "至少其一：金额，或 数量 + 单价"
    assert needed["客户ID"] == "必填"


def test_mapping_editor_states_the_amount_rule(app: AppTest) -> None:
    _upload(app, "orders", "odd.csv", b"member,when,sku,total\nm1,2024-01-02,s1,10\n")
    captions = [caption.value for caption in app.tabs[0].caption]
    assert "Also required, one of: Amount, or Quantity + Unit price." in captions


def test_failed_upload_says_the_sample_is_not_used_in_its_place(app: AppTest) -> None:
    _upload(app, "orders", "odd.csv", b"member,when,sku,total\nm1,2024-01-02,s1,10\n")
    assert [warning.value for warning in app.tabs[0].warning] == [
        (
            "Orders: the uploaded file could not be used (odd.csv), so there is nothing to analyse, and the sample shop "
            "is not used in its place. Fix the column mapping above, or remove the upload."
        )
    ]
    app.session_state["lang"] = "zh"
    app.run()
    assert app.tabs[0].warning[0].value.startswith("订单：上传的文件无法使用（odd.csv）")
    assert app.tabs[0].warning[0].value.endswith("请修正上方的列映射，或移除该上传。")


@pytest.mark.parametrize("payload", [b"", b"customer_id,order_date,item_id,amount\n"], ids=["empty", "header_only"])
def test_an_empty_file_is_not_sent_to_the_column_mapping(app: AppTest, payload: bytes) -> None:
    _upload(app, "orders", "empty.csv", payload)
    assert app.tabs[0].warning[0].value.endswith("Upload a corrected file above, or remove the upload.")
    app.switch_page("pages/home.py").run()
    assert "column mapping" not in app.warning[0].value
    assert app.warning[0].value.endswith("Upload a corrected file on the Data page (tab “Orders”), or remove the upload.")


def test_after_a_failed_upload_home_says_why_orders_are_missing(app: AppTest) -> None:
    _upload(app, "orders", "odd.csv", b"member,when,sku,total\nm1,2024-01-02,s1,10\n")
    app.switch_page("pages/home.py").run()
    assert not app.exception
    assert app.warning[0].value.startswith("Orders: the uploaded file could not be used (odd.csv)")
    assert app.warning[0].value.endswith("Fix the column mapping on the Data page (tab “Orders”), or remove the upload.")
    assert not app.info  # the sidebar's line is checked in the browser test: AppTest drops it after a page switch


@pytest.mark.parametrize(("page", "kind", "payload"), [
    ("pages/recommend.py", "orders", b"member,when,sku,total\nm1,2024-01-02,s1,10\n"),
    ("pages/sentiment.py", "reviews", b"stars,when\n5,2024-01-02\n"),
    ("pages/ads.py", "ad_events", b"cost,channel\n0.5,search\n"),
    ("pages/campaign.py", "campaign", b"member,arm\nm1,control\n"),
])
def test_pages_say_the_upload_could_not_be_used(app: AppTest, page: str, kind: str, payload: bytes) -> None:
    _upload(app, kind, "odd.csv", payload)
    app.switch_page(page).run()
    assert not app.exception
    assert "the uploaded file could not be used (odd.csv)" in app.warning[0].value
