"""Ads in a real browser: upload an impression log, open Ads, move the budget, download the allocation,
then hold spend to a ROAS target."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from ui.i18n import translate

from .helpers import ROOT, choose_option, goto_page, screenshot, select_box, wait_idle

LOG = ROOT / "sample_data" / "ad_events.csv"


def _metric(page: Page, label: str):
    card = page.locator('[data-testid="stMain"] [data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    return card.locator('[data-testid="stMetricValue"]')


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_upload_log_move_budget_and_download_allocation(page: Page) -> None:
    goto_page(page, "Data")
    tab = page.get_by_role("tab", name=translate("kind.ad_events", "en"))
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.locator('[role="tabpanel"]').filter(
        has=page.locator('[data-testid="stFileUploader"]').filter(has_text=translate("data.upload", "en", kind="Ad events"))
    )
    panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "impressions.csv", "mimeType": "text/csv", "buffer": LOG.read_bytes()}
    )
    wait_idle(page)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("impressions.csv")).to_be_visible(timeout=30_000)

    goto_page(page, "Ads")
    main = page.locator('[data-testid="stMain"]')
    log = list(csv.DictReader(io.StringIO(LOG.read_text(encoding="utf-8"))))
    ctr = sum(row["clicked"] == "1" for row in log) / len(log)
    expect(_metric(page, "Click-through rate (CTR)")).to_have_text(f"{ctr:.2%}", timeout=60_000)  # leads the page
    details = main.locator('[data-testid="stExpander"]').filter(has_text="Details for analysts")
    expect(details).to_be_visible(timeout=60_000)
    expect(_metric(page, "AUC (test)")).to_be_hidden()  # the statistics wait in a closed expander
    details.locator("summary").click()
    expect(_metric(page, "AUC (test)")).to_be_visible()
    spend = _metric(page, "Recommended daily spend")
    expect(spend).to_be_visible(timeout=60_000)
    before = spend.inner_text()
    screenshot(page, "ads_01_overview")

    budget = main.locator('[data-testid="stNumberInput"] input[aria-label="Total daily budget"]')
    expect(budget).to_have_count(1)
    new_budget = round(float(budget.input_value()) * 1.5, 2)
    budget.fill(f"{new_budget:.2f}")
    budget.press("Enter")
    expect(spend).not_to_have_text(before, timeout=30_000)
    wait_idle(page)
    assert float(spend.inner_text().replace(",", "")) == new_budget
    screenshot(page, "ads_02_budget")

    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Download the allocation (CSV)")
    with page.expect_download() as download_info:
        button.click()
    payload = download_info.value.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))
    assert {row["channel"] for row in rows} == {"display", "email", "search", "social", "video"}
    assert abs(sum(float(row["recommended_spend"]) for row in rows) - new_budget) < 1e-6
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell)]

    wait_idle(page)  # the download button reruns the page
    select_box(page, "Objective").scroll_into_view_if_needed()  # a dropdown opened while scrolling closes again
    choose_option(page, "Objective", "Revenue at a ROAS target")
    target = main.locator('[data-testid="stNumberInput"] input[aria-label="ROAS target (revenue per unit of spend)"]')
    expect(target).to_have_count(1)
    target.fill("40")
    target.press("Enter")
    expect(_metric(page, "Expected ROAS")).to_have_text("40.00", timeout=30_000)  # today's ROAS is about 27
    wait_idle(page)
    assert float(spend.inner_text().replace(",", "")) < new_budget
    expect(main.get_by_text(re.compile(r"To keep ROAS at 40\.0, spend is limited to"))).to_be_visible()
    screenshot(page, "ads_03_roas_target")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
