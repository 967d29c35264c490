"""Recommendations and coupons in a real browser: set a budget, preview the list, download it safely, Chinese UI."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from playwright.sync_api import Page, expect

from .helpers import choose_option, goto_page, screenshot, select_box, wait_idle

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
_EXCEL_HEADERS = ["Code", "Customer", "Segment", "Item", "Name", "Coupon type", "Offer", "Price", "Chance to buy (%)",
                  "Expected cost", "Expected margin (not incremental)", "Why"]
_EXPORT_HEADERS = ["code", "customer_id", "segment", "segment_name", "item_id", "item_name", "item_name_zh", "coupon_type",
                   "discount", "min_spend", "price", "propensity", "expected_cost", "expected_value", "value_basis", "reason"]


def test_set_a_budget_preview_and_download_the_coupons(page: Page) -> None:
    goto_page(page, "Recommendations and coupons")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_have_text("Recommendations and coupons")
    expect(main.get_by_text("Coupons within a budget")).to_be_visible()

    budget = main.locator('[data-testid="stNumberInput"]').filter(has_text="Budget: expected cost").locator("input")
    expect(budget).to_have_value("500.00")
    budget.fill("250")
    budget.press("Enter")
    wait_idle(page)
    cost = main.locator('[data-testid="stMetric"]').filter(has_text="Budget")
    expect(cost.first).to_contain_text("250.00")
    used_card = main.locator('[data-testid="stMetric"]').filter(has_text="Expected cost").first
    used = float(used_card.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
    assert 0 < used <= 250
    expect(main.get_by_text(re.compile(r"Preview of the coupon list \(all [\d,]+ rows\)"))).to_be_visible()
    expect(main.get_by_text("Coupons by segment, and why a segment got none")).to_be_visible()
    expect(main.locator('[data-testid="stMetric"]').filter(has_text="Expected margin (not incremental)")).to_have_count(1)
    margin = main.locator('[data-testid="stMetric"]').filter(has_text="Expected margin (not incremental)")
    expect(main.get_by_text(re.compile(r"every product is assumed to leave a 30% gross margin")).last).to_be_visible()
    screenshot(page, "recommend_01_budget")
    # The comparison chart's legend explains the hatching.
    expect(main.locator('[data-testid="stPlotlyChart"] .legendtext').filter(has_text="Hatched: simple baseline to beat")).to_have_count(1)

    # The gross margin the value rests on is a setting: doubling it raises the expected margin.
    value = margin.locator('[data-testid="stMetricValue"]')
    shown = value.inner_text()
    main.get_by_text("Coupon settings: who may get one, gross margin").click()
    box = main.locator('[data-testid="stNumberInput"]').filter(has_text="Gross margin (%)").locator("input")
    expect(box).to_have_value("30.00")
    box.fill("60")
    box.press("Enter")
    expect(value).not_to_have_text(shown)
    wait_idle(page)
    expect(main.get_by_text(re.compile(r"assumed to leave a 60% gross margin")).last).to_be_visible()
    assert float(value.inner_text().replace(",", "")) > 1.5 * float(shown.replace(",", ""))

    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Coupon list for your systems (CSV)")
    with page.expect_download() as download_info:
        button.click()
    payload = download_info.value.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(payload.decode("utf-8-sig")))
    rows = list(reader)
    assert rows and reader.fieldnames == _EXPORT_HEADERS
    assert any(len(row["expected_cost"].partition(".")[2]) > 2 for row in rows)  # full values, rounded on screen only
    assert {row["value_basis"] for row in rows} == {"propensity"}
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes)
    assert sum(float(row["expected_cost"]) for row in rows) <= 250 + 0.01 * len(rows)
    assert any(re.search(r"[\u4e00-\u9fff]", row.get("item_name_zh", "")) for row in rows)
    bad = [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@") and not _NUMBER.match(cell)]
    assert not bad

    # The Excel file is for people: English headers and names, chances in %, amounts rounded, the same codes.
    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Coupon list to read (Excel, English)")
    with page.expect_download() as download_info:
        button.click()
    assert download_info.value.suggested_filename == "coupon_list_en.xlsx"
    sheet = pd.read_excel(download_info.value.path(), dtype={"Code": str, "Customer": str}, engine="openpyxl")
    assert list(sheet.columns) == _EXCEL_HEADERS
    assert set(sheet["Code"]) == set(codes)
    assert not sheet["Segment"].str.contains("_").any() and sheet["Offer"].str.contains(" off").all()
    assert sheet["Chance to buy (%)"].between(0, 100).all() and (sheet["Chance to buy (%)"] > 1).any()
    assert (sheet["Expected cost"] == sheet["Expected cost"].round(2)).all()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)

    # One gross margin for the shop: the Campaign page's uplift targeting starts from the same 60%
    # (last: that page's uplift scores would then feed the coupon list).
    goto_page(page, "Campaign effect")
    page.get_by_role("tab", name="Uplift targeting").click()
    campaign_box = main.locator('[data-testid="stNumberInput"]').filter(has_text="Gross margin (%)").locator("input")
    expect(campaign_box).to_have_value("60.00")


def _download_rows(page: Page, main) -> list[dict[str, str]]:
    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Coupon list for your systems (CSV)")
    with page.expect_download() as download_info:
        button.click()
    return list(csv.DictReader(io.StringIO(download_info.value.path().read_bytes().decode("utf-8-sig"))))


def test_opt_out_upload_and_recent_buyers_leave_customers_out(page: Page) -> None:
    goto_page(page, "Recommendations and coupons")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Coupons within a budget")).to_be_visible()
    before = _download_rows(page, main)
    opted = [row["customer_id"] for row in before[:3]]

    main.get_by_text("Coupon settings: who may get one, gross margin").click()
    settings = main.locator('[data-testid="stExpander"]').filter(has_text="Coupon settings: who may get one, gross margin")
    settings.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "opt_out.csv", "mimeType": "text/csv", "buffer": ("email\n" + "\n".join(opted) + "\n").encode()}
    )
    wait_idle(page)
    expect(main.get_by_text("3 customers on the opt-out list are never offered a coupon", exact=False)).to_be_visible()
    recent = settings.locator('[data-testid="stNumberInput"]').filter(has_text="Leave out buyers of the last N days")
    recent.locator("input").fill("30")
    recent.locator("input").press("Enter")
    wait_idle(page)
    expect(main.get_by_text(re.compile(r"customers left out: 3 opted out; [\d,]+ bought recently|bought recently; 3 opted out"))).to_be_visible()
    screenshot(page, "recommend_02_exclusions")

    after = _download_rows(page, main)
    assert after and not {row["customer_id"] for row in after} & set(opted)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_the_page_in_chinese_shows_chinese_names_and_an_honest_value(page: Page) -> None:
    goto_page(page, "Recommendations and coupons")
    choose_option(page, "Language", "简体中文", new_label="语言")
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_have_text("商品推荐与优惠券")
    expect(main.locator('[data-testid="stMetric"]').filter(has_text="预期毛利（非增量）")).to_have_count(1)
    expect(main.get_by_text("各分群的优惠券及未发券原因")).to_be_visible()
    expect(main.get_by_text(re.compile(r"优惠券名单预览（全部 [\d,]+ 行）"))).to_be_visible()
    expect(main.locator('[data-testid="stPageLink"]').filter(has_text="活动效果")).to_have_count(1)
    expect(select_box(page, "推荐算法")).to_have_value("自动（留出期表现最好的）")  # not the English label kept over
    product = select_box(page, "商品")
    expect(product).to_have_value(re.compile(r"[\u4e00-\u9fff].*\(SKU\d+\)"))
    # Any customer id can be typed in, and an unknown one says so in Chinese.
    customer = select_box(page, "客户（按活跃度排序，或输入任意编号）")
    customer.click()
    customer.fill("NOBODY-42")
    customer.press("Enter")
    wait_idle(page)
    expect(main.get_by_text("订单中没有编号为“NOBODY-42”的客户", exact=False)).to_be_visible()
    screenshot(page, "recommend_03_chinese")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
