"""The Campaign effect page in a real browser: upload a campaign CSV, pick columns, read the lift
table, download the decision memo and the targeted list.

The campaign file is built here: three arms (``control``, ``coupon_10`` and a Chinese-named
``八折券``), a tier segment, a pre-period spend column (``pre_spend``, which the page must suggest
for CUPED) and customer ids that look like spreadsheet formulas (they must come out neutralised).
Every expected number is computed with promo_core on the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import re

import numpy as np
from playwright.sync_api import Locator, Page, expect

from promo_core import load_table
from promo_core.campaign import ab_test_many
from promo_core.memo import escape_markdown

from .helpers import choose_option, goto_page, screenshot, select_box, wait_idle

FILE_NAME = "coupon_test.csv"
ARMS = ["control", "coupon_10", "八折券"]
HOSTILE_IDS = ['=HYPERLINK("http://x")', "+1+2", "@SUM(A1)", "-cmd"]
N = 2400
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def campaign_csv(n: int = N, seed: int = 7) -> bytes:
    rng = np.random.default_rng(seed)
    arm = np.array(ARMS)[np.arange(n) % 3]
    tier = rng.choice(["gold", "silver", "bronze"], n, p=[0.2, 0.3, 0.5])
    pre_spend = np.round(rng.gamma(2.0, 30.0, n), 2)
    # The coupons work for bronze customers, a little for silver, not at all for gold: uplift to find.
    lift = np.select([arm == "coupon_10", arm == "八折券"], [0.05, 0.10], 0.0) * np.select(
        [tier == "bronze", tier == "silver"], [2.0, 0.6], 0.0
    )
    p = np.clip(0.08 + 0.0012 * pre_spend + lift, 0, 0.95)
    purchased = (rng.random(n) < p).astype(int)
    revenue = np.round(purchased * rng.gamma(4.0, 12.0, n), 2)
    ids = [f"U{i:05d}" for i in range(n)]
    ids[: len(HOSTILE_IDS)] = HOSTILE_IDS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["user_id", "variant", "tier", "pre_spend", "purchased", "revenue"])
    writer.writerows(zip(ids, arm, tier, pre_spend, purchased, revenue))
    return buffer.getvalue().encode("utf-8")


def main(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"]')


def lift_table(page: Page) -> Locator:
    """The first lift table (the one with a Verdict column)."""
    table = main(page).locator('[data-testid="stTable"] table').filter(has=page.locator("th", has_text="Verdict")).first
    expect(table).to_be_visible()
    return table


def cell(table: Locator, row_label: str, column: str) -> Locator:
    """The cell of ``table`` in the row whose first data cell is ``row_label``, under header ``column``."""
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    index = headers.index(column)
    row = table.locator("tbody tr").filter(has=table.page.locator("td, th", has_text=re.compile(rf"^\s*{re.escape(row_label)}\s*$")))
    expect(row).to_have_count(1)
    return row.locator("td, th").nth(index)


def remove_tag(page: Page, label: str, tag: str) -> None:
    """Remove the chip ``tag`` from the Streamlit multiselect labelled ``label``."""
    box = main(page).locator('[data-testid="stMultiSelect"]').filter(has=page.locator(f'input[aria-label="{label}"]'))
    remove = box.get_by_role("button", name=f"Remove {tag}", exact=True)
    expect(remove).to_have_count(1)
    remove.click()
    expect(remove).to_have_count(0)
    wait_idle(page)


def download(page: Page, label: str) -> tuple[str, bytes]:
    button = main(page).locator('[data-testid="stDownloadButton"] button').filter(has_text=label)
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    return info.value.suggested_filename, info.value.path().read_bytes()


def test_upload_pick_read_and_export(page: Page) -> None:
    payload = campaign_csv()
    frame = load_table(payload, "campaign", name=FILE_NAME).frame
    assert len(frame) == N

    # 1. Upload the file on the Data page, tab "Campaign results".
    goto_page(page, "Data")
    page.get_by_role("tab", name="Campaign results").click()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload Campaign results files")
    uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": FILE_NAME, "mimeType": "text/csv", "buffer": payload}
    )
    panel = page.locator('[role="tabpanel"]').filter(has=uploader)
    expect(panel.get_by_text(f"Column mapping · {FILE_NAME}")).to_be_visible()
    expect(panel.locator('[data-testid="stMetric"]').filter(has_text="Rows kept")).to_contain_text(f"{N:,}")
    screenshot(page, "campaign_01_upload")

    # 2. The Campaign page: the file is used, pre_spend is suggested for CUPED; keep only conversion.
    goto_page(page, "Campaign effect")
    expect(main(page).get_by_text(f"Campaign table: {N:,} customers · {FILE_NAME}")).to_be_visible()
    expect(select_box(page, "Group column")).to_have_value("Group")
    expect(select_box(page, "Control group")).to_have_value("control")
    expect(select_box(page, "Pre-period covariate (CUPED)")).to_have_value("pre_spend")
    remove_tag(page, "Metrics", "Revenue")
    choose_option(page, "Control group", "control")
    expect(main(page).locator('[data-testid="stTable"] table').filter(has=page.locator("th", has_text="Verdict"))).to_have_count(1)

    # 3. Read the lift table: the numbers are the core's; the tests behind them in the analysts' expander.
    suite = ab_test_many(frame, ["converted"], covariates={"converted": "pre_spend"})
    result = suite["converted"]
    table = lift_table(page)
    rows = result.table.set_index("variant")
    details = main(page).locator('[data-testid="stExpander"]').filter(has_text="Details for analysts").first
    details.locator("summary").click()
    tests = details.locator('[data-testid="stTable"] table').first
    expect(tests).to_be_visible()
    for variant in ("coupon_10", "八折券"):
        row = rows.loc[variant]
        lift = f"{row['abs_lift'] * 100:+.2f} [{row['abs_lift_low'] * 100:.2f}, {row['abs_lift_high'] * 100:.2f}] pp"
        expect(cell(table, variant, "Lift [95% interval, unadjusted]")).to_have_text(lift)
        expect(cell(tests, variant, "Customers")).to_have_text(f"{int(row['n']):,}")
    expect(main(page).get_by_text("Sample ratio OK")).to_be_visible()
    expect(main(page).get_by_text("Groups balanced on “pre_spend”")).to_be_visible()
    screenshot(page, "campaign_02_checks_and_lifts")

    # On an 800 px screen the lift table shows every column up to the verdict, without scrolling.
    page.set_viewport_size({"width": 800, "height": 1000})
    wait_idle(page)
    box = table.locator("thead th").filter(has_text="Verdict").bounding_box()  # no scrolling: as first shown
    assert box is not None and box["x"] + box["width"] <= 800, box
    screenshot(page, "campaign_02b_lifts_800")
    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_idle(page)

    # 4. Uplift tab: treat everyone (slider to 100%) so the formula-like ids are in the list.
    page.get_by_role("tab", name="Uplift targeting").click()
    thumb = main(page).get_by_role("slider", name=re.compile("Treat the top X%"))
    expect(thumb).to_be_visible()
    thumb.focus()
    thumb.press("End")
    expect(thumb).to_have_value("100")
    wait_idle(page)
    expect(main(page).locator('[data-testid="stMetric"]').filter(has_text="Customers targeted")).to_contain_text(f"{N:,}")
    screenshot(page, "campaign_03_uplift")

    page.get_by_role("tab", name="Without a control group").click()
    impact = page.get_by_role("tabpanel", name="Without a control group")
    expect(impact.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    expect(impact.locator('[data-testid="stAlertContainer"]').first).to_contain_text("From ")
    screenshot(page, "campaign_04_counterfactual")

    page.get_by_role("tab", name="Power calculator").click()
    power = page.get_by_role("tabpanel", name="Power calculator")
    expect(power.locator('[data-testid="stMetric"]').filter(has_text="Control customers")).to_be_visible()
    screenshot(page, "campaign_05_power")

    # 5. The memo, Markdown and HTML: variant names (escaped) and the numbers of the test.
    name, markdown = download(page, "Memo (Markdown)")
    assert name == "campaign_memo.md"
    text = markdown.decode("utf-8")
    assert text.startswith("# Campaign decision memo")
    for variant in ("coupon_10", "八折券"):
        row = rows.loc[variant]
        lift = f"{row['abs_lift']:.2%} [{row['abs_lift_low']:.2%}, {row['abs_lift_high']:.2%}]"
        assert f"| {escape_markdown(variant, False)} |" in text
        assert escape_markdown(lift, False) in text
    assert f"chi-square {result.srm.chi2:.2f}" in text and f"theta = {result.theta:.4g}" in text
    assert "Uplift targeting" in text and f"Treating {N:,} customers" in text
    name, page_html = download(page, "Memo (HTML)")
    assert name == "campaign_memo.html"
    document = page_html.decode("utf-8")
    assert document.startswith("<!DOCTYPE html>") and "<td>八折券</td>" in document
    assert html.escape(f"{rows.loc['八折券', 'abs_lift']:.2%}") in document

    # 6. The targeted list: BOM, translated header, every customer, no cell that starts a formula.
    name, data = download(page, "Download the targeted list (CSV)")
    assert name == "targeted_customers.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == ["Customer ID", "Predicted uplift", "Rank"]
    body = lines[1:]
    assert len(body) == N and [line[2] for line in body[:3]] == ["1", "2", "3"]
    risky = [c for line in lines for c in line if c[:1] in ("=", "+", "-", "@") and not PLAIN_NUMBER.fullmatch(c)]
    assert risky == []
    ids = {line[0] for line in body}
    assert {"'" + hostile for hostile in HOSTILE_IDS} <= ids
    screenshot(page, "campaign_06_export")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
