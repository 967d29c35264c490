"""The Data page in a real browser: GBK upload, mapping fix, report, problem-rows download, language.

The orders file is built here: GBK-encoded, Chinese headers, a customer column whose name
(``会员名称``) is not among the synonyms, one row whose amount is text (with a hostile item name)
and one row without a date. Row numbers are as a spreadsheet shows them (header = row 1).
"""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Locator, Page, expect

from .helpers import choose_option, goto_page, screenshot, select_box

CUSTOMER_HEADER = "会员名称"
HEADERS = ["订单编号", CUSTOMER_HEADER, "下单时间", "商品编码", "商品名称", "数量", "实付金额"]
HOSTILE = '=HYPERLINK("http://x")'
ROWS = [
    ["1001", "张三", "2024-03-01 10:00", "SKU-1", "保温杯", "1", "59.00"],
    ["1002", "李四", "2024-03-02 11:30", "SKU-2", "帆布包", "2", "88.50"],
    ["1003", "王五", "2024-03-03 09:15", "SKU-1", HOSTILE, "1", "abc"],  # row 4: amount is text
    ["1004", "赵六", "", "SKU-3", "雨伞", "1", "45.00"],  # row 5: no date
    ["1005", "张三", "2024-03-05 20:45", "SKU-3", "雨伞", "3", "135.00"],
    ["1006", "钱七", "2024-03-06 08:00", "SKU-2", "帆布包", "1", "44.25"],
]
BAD_ROWS = {"4", "5"}
FILE_NAME = "订单导出_gbk.csv"


def orders_gbk() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADERS, *ROWS])
    data = buffer.getvalue().encode("gbk")
    assert not data.startswith(b"\xef\xbb\xbf")
    return data


def orders_panel(page: Page, uploader_label: str = "Upload Orders files") -> Locator:
    """The Orders tab's panel, found by its uploader (hidden tabs have their own metrics and buttons)."""
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=uploader_label)
    return page.locator('[role="tabpanel"]').filter(has=uploader)


def metric(scope: Locator, label: str) -> Locator:
    """The value of the KPI card labelled exactly ``label``."""
    card = scope.locator('[data-testid="stMetric"]').filter(
        has=scope.page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    return card.locator('[data-testid="stMetricValue"]')


def upload_orders(panel: Locator) -> Locator:
    """Upload the GBK orders file in the Orders panel; returns the error box it must cause."""
    panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": FILE_NAME, "mimeType": "text/csv", "buffer": orders_gbk()}
    )
    error = panel.locator('[data-testid="stAlertContentError"]')
    expect(error).to_be_visible()
    return error


def mapping_expander(panel: Locator) -> Locator:
    expander = panel.locator('[data-testid="stExpander"]').filter(has_text=f" · {FILE_NAME}")
    expect(expander).to_have_count(1)
    return expander


def test_gbk_upload_mapping_fix_report_download_and_language(page: Page) -> None:
    goto_page(page, "Data")
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Data")
    expect(page.get_by_role("tab", name="Orders")).to_have_attribute("aria-selected", "true")
    panel = orders_panel(page)
    expect(panel).to_have_count(1)

    # 1. Upload: the customer column is not recognised, so the file cannot be used yet.
    error = upload_orders(panel)
    expect(error).to_contain_text(f"{FILE_NAME} could not be used")
    expect(error).to_contain_text("The Orders table needs Customer ID")
    expect(error).to_contain_text(f"For Customer ID, maybe: '{CUSTOMER_HEADER}'")
    expect(error).to_contain_text(CUSTOMER_HEADER)  # listed among the columns found, with the Chinese text intact
    expect(panel.locator('[data-testid="stMetric"]')).to_have_count(0)
    unusable = panel.locator('[data-testid="stAlertContentWarning"]')
    expect(unusable).to_contain_text(f"the uploaded file could not be used ({FILE_NAME})")
    expect(unusable).to_contain_text("the sample shop is not used in its place")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("Orders · the upload could not be used: see the Data page")
    expander = mapping_expander(panel)
    expect(expander).to_contain_text(f"Column mapping · {FILE_NAME}")
    expect(expander).to_contain_text("Also required, one of: Amount, or Quantity + Unit price.")
    expect(select_box(page, "Customer ID *", expander)).to_have_value("— not in file —")
    screenshot(page, "data_01_upload_missing_column")

    # 2. Fix the mapping: the report appears with the exact counts.
    if not select_box(page, "Customer ID *", expander).is_visible():
        expander.locator("summary").click()
    choose_option(page, "Customer ID *", CUSTOMER_HEADER, scope=expander)
    expect(metric(panel, "Rows read")).to_have_text("6")
    expect(metric(panel, "Rows kept")).to_have_text("4")
    expect(metric(panel, "Rows dropped")).to_have_text("2")
    expect(metric(panel, "Customers")).to_have_text("3")  # 张三 twice, 李四, 钱七
    expect(error).to_have_count(0)
    expect(unusable).to_have_count(0)
    expect(sidebar).not_to_contain_text("the upload could not be used")
    expect(select_box(page, "Customer ID *", expander)).to_have_value(CUSTOMER_HEADER)
    expect(panel.get_by_text("Read as CSV, encoding GB18030", exact=False)).to_be_visible()
    screenshot(page, "data_02_report")

    # 3. Download the problem rows: UTF-8 with BOM, bad rows with their original (Chinese) cells, no formula.
    button = panel.locator('[data-testid="stDownloadButton"] button').filter(has_text="Download problem rows (CSV)")
    expect(button).to_be_visible()
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "orders_problem_rows.csv"
    payload = download.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    text = payload.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header, body = table[0], table[1:]
    assert set(HEADERS) <= set(header), header
    assert header[:2] == ["Row", "Reason"]
    assert {line[0] for line in body} == BAD_ROWS
    assert {line[1] for line in body} == {"not a number (Amount)", "required value missing (Order date)"}
    cells = [cell for line in table for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]
    item_names = [line[header.index("商品名称")] for line in body]
    assert "'" + HOSTILE in item_names
    assert "雨伞" in item_names  # GBK Chinese text survives the round trip
    assert "abc" in [line[header.index("实付金额")] for line in body]

    # 4. Switch the language: the page, the tabs and the report are in Chinese.
    choose_option(page, "Language", "简体中文", new_label="语言")
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("数据")
    expect(page.get_by_role("tab", name="订单")).to_have_attribute("aria-selected", "true")
    panel_zh = orders_panel(page, "上传订单文件")
    expect(metric(panel_zh, "读取行数")).to_have_text("6")
    expect(metric(panel_zh, "丢弃行数")).to_have_text("2")
    expect(panel_zh.locator('[data-testid="stDownloadButton"] button').filter(has_text="下载问题行（CSV）")).to_be_visible()
    expect(select_box(page, "语言")).to_have_value("简体中文")
    screenshot(page, "data_03_chinese")
    with page.expect_download() as download_info:
        panel_zh.locator('[data-testid="stDownloadButton"] button').filter(has_text="下载问题行（CSV）").click()
    chinese = list(csv.reader(io.StringIO(download_info.value.path().read_bytes().decode("utf-8-sig"))))
    assert chinese[0][:2] == ["行号", "原因"]
    assert {line[1] for line in chinese[1:]} == {"不是数字 (金额)", "缺少必填值 (下单日期)"}
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_missing_column_error_in_chinese(page: Page) -> None:
    choose_option(page, "Language", "简体中文", new_label="语言")
    goto_page(page, "数据")
    panel = orders_panel(page, "上传订单文件")
    error = upload_orders(panel)
    expect(error).to_contain_text(f"{FILE_NAME} 无法使用")
    expect(error).to_contain_text("请在下方的列映射中选择对应的列")
    expect(error).to_contain_text("订单表需要“客户ID”")
    expect(error).to_contain_text(f"客户ID 可能是：'{CUSTOMER_HEADER}'")
    expect(panel.locator('[data-testid="stAlertContentWarning"]')).to_contain_text(f"订单：上传的文件无法使用（{FILE_NAME}）")
    expect(mapping_expander(panel)).to_contain_text(f"列映射 · {FILE_NAME}")
    screenshot(page, "data_04_missing_column_chinese")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_mapping_editor_shows_recognised_columns_while_one_is_missing(page: Page) -> None:
    goto_page(page, "Data")
    panel = orders_panel(page)
    upload_orders(panel)
    expander = mapping_expander(panel)
    expect(select_box(page, "Order date *", expander)).to_have_value("下单时间", timeout=3_000)
    expect(select_box(page, "Item ID *", expander)).to_have_value("商品编码", timeout=3_000)
