"""Sentiment in a real browser: the sample shop in English and Chinese; Chinese reviews uploaded (GBK),
filtered to negative and exported."""

from __future__ import annotations

import csv
import io
import re
import time

from playwright.sync_api import Locator, Page, expect

from .helpers import (
    choose_option,
    goto_page,
    nav_link,
    screenshot,
    select_box,
    wait_drawn,
    wait_idle,
)

HEADERS = ["评价内容", "评分", "评价时间", "商品编号"]
HOSTILE = "=HYPERLINK(\"http://x\") 质量太差了，退货"
REVIEWS = [
    ("物流很快，包装完好，质量很好，好评！", 5, "2025-10-28", "SKU0001"),
    ("质量太差了，用了两天就坏了，差评", 1, "2025-10-29", "SKU0001"),
    ("性价比很高，非常划算，推荐购买", 5, "2025-10-30", "SKU0002"),
    ("客服态度很差，不回复消息", 1, "2025-10-31", "SKU0002"),
    ("双十一买的，价格便宜，质量不错", 4, "2025-11-02", "SKU0003"),
    ("快递太慢了，等了一个星期", 2, "2025-11-03", "SKU0003"),
    ("正品，做工精致，很满意", 5, "2025-11-04", "SKU0001"),
    ("假货，和描述不符，非常失望", 1, "2025-11-05", "SKU0002"),
    ("包装很精美，送人很有面子", 5, "2025-11-06", "SKU0003"),
    ("尺码偏小，穿着不舒服，不推荐", 2, "2025-11-08", "SKU0001"),
    ("东西不错，就是物流有点慢", 4, "2025-11-10", "SKU0002"),
    ("颜色很漂亮，质量也很好", 5, "2025-11-11", "SKU0003"),
    (HOSTILE, 1, "2025-11-12", "SKU0001"),
    ("味道很好，孩子很喜欢吃", 5, "2025-11-14", "SKU0002"),
    ("不太好用，有点失望", 2, "2025-11-16", "SKU0003"),
    ("服务周到，发货迅速，五星好评", 5, "2025-11-18", "SKU0001"),
    ("价格太贵了，不值这个价", 1, "2025-11-20", "SKU0002"),
    ("非常好，下次还来买", 5, "2025-11-22", "SKU0003"),
    ("-差评，质量很差，掉色严重", 1, "2025-11-24", "SKU0001"),
    ("还可以吧，一般般", 3, "2025-11-26", "SKU0002"),
]
FILE_NAME = "评价导出_gbk.csv"
FIRST_VISIT_MS = 120_000
"""A fresh server trains on 8,000 star ratings and scores every review on the first visit (10-25 s here)."""


def reviews_gbk() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADERS, *REVIEWS])
    return buffer.getvalue().encode("gbk")


def metric(scope: Locator, label: str) -> Locator:
    card = scope.locator('[data-testid="stMetric"]').filter(
        has=scope.page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    return card.locator('[data-testid="stMetricValue"]')


def remove_choice(scope: Locator, label: str, choice: str) -> None:
    """Remove one chosen option (a tag) from the multiselect labelled ``label``."""
    box = scope.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    tag = box.locator(f'[data-tag][aria-label="{choice}"]')
    expect(tag).to_have_count(1)
    box.locator(f'[aria-label="Remove {choice}"]').click()
    expect(tag).to_have_count(0)
    wait_idle(scope.page)


def tick_texts(chart: Locator, axis: str) -> list[str]:
    """The tick labels of a plotly chart's ``axis`` ("x" or "y") as drawn."""
    return chart.locator(f".{axis}tick text").all_text_contents()


def test_sample_shop_in_english_and_chinese(page: Page) -> None:
    started = time.monotonic()
    nav_link(page, "Sentiment").click()
    main = page.locator('[data-testid="stMain"]')
    charts = main.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(5, timeout=FIRST_VISIT_MS)
    wait_idle(page, timeout=FIRST_VISIT_MS)
    wait_drawn(page)
    print(f"Sentiment page on the sample shop drawn after {time.monotonic() - started:.1f} s")
    assert tick_texts(charts.filter(has_text="Sentiment share by Product"), "x")[-1] == "100%"
    english, chinese = (tick_texts(charts.filter(has_text=f"Keywords: {name}"), "x") for name in ("English", "Chinese"))
    assert english == chinese and english[0] == "\u2212" + english[-1]  # one symmetric scale, e.g. -10 .. 10
    measure = select_box(page, "Measure")
    expect(measure).to_have_value("Net sentiment")
    assert measure.evaluate("box => box.scrollWidth <= box.clientWidth")  # the whole label shows
    expect(metric(main, "Main complaint")).to_have_text("Quality")
    screenshot(page, "sentiment_03_sample_en")

    choose_option(page, "Language", "简体中文", new_label="语言")
    expect(main.locator("h1").first).to_have_text("评价情感分析")
    wait_drawn(page)
    months = tick_texts(charts.filter(has_text="净情感趋势"), "x")
    assert months and all(re.fullmatch(r"\d{4}年\d{1,2}月", tick) for tick in months)
    expect(metric(main, "主要抱怨")).to_have_text("质量")
    expect(select_box(page, "指标")).to_have_value("净情感")  # the chosen option follows the language too
    screenshot(page, "sentiment_04_sample_zh")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_chinese_reviews_upload_filter_and_export(page: Page) -> None:
    goto_page(page, "Data")
    page.get_by_role("tab", name="Reviews").click()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload Reviews files")
    panel = page.locator('[role="tabpanel"]').filter(has=uploader)
    panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": FILE_NAME, "mimeType": "text/csv", "buffer": reviews_gbk()}
    )
    expect(panel.locator('[data-testid="stMetric"]').first).to_be_visible()
    wait_idle(page)

    goto_page(page, "Sentiment")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_have_text("Review sentiment")
    expect(metric(main, "Reviews shown")).to_have_text("20")
    expect(main.get_by_text("20 of 20 reviews match the filters.", exact=False)).to_be_visible()
    charts = main.locator('[data-testid="stPlotlyChart"]')
    expect(charts.first.locator(".main-svg").first).to_be_visible()
    assert charts.count() >= 3  # shares, trend, aspects (+ keywords when enough words)
    expect(main.get_by_text("Sentiment over time", exact=True)).to_be_visible()
    wait_drawn(page)
    screenshot(page, "sentiment_01_chinese_upload")

    remove_choice(main, "Sentiment", "Positive")
    remove_choice(main, "Sentiment", "Neutral")
    expect(metric(main, "Positive")).to_have_text("0%")
    expect(metric(main, "Negative")).to_have_text("100%")
    count = int(metric(main, "Reviews shown").inner_text())
    assert 0 < count < 20
    screenshot(page, "sentiment_02_negative")

    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Download scored reviews (CSV)")
    with page.expect_download() as download_info:
        button.click()
    payload = download_info.value.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))
    assert len(rows) == count
    assert {row["label"] for row in rows} == {"negative"}
    texts = " ".join(row["text"] for row in rows)
    assert "质量太差了" in texts and "差评" in texts
    assert {"text", "lang", "score", "label", "drivers", "rating", "review_date"} <= set(rows[0])

    def is_number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    dangerous = [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@") and not is_number(cell)]
    assert not dangerous
    assert any("HYPERLINK" in row["text"] for row in rows)  # the hostile review is kept, neutralised
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
