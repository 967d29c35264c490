"""The Data page: upload, automatic mapping, mapping fixes, report and problems, via AppTest."""

from __future__ import annotations

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
