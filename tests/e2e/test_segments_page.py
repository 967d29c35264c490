"""Segments in a real browser: open on the sample shop, click a segment bar, download the membership."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Locator, Page, expect

from .helpers import choose_option, goto_page, screenshot, wait_drawn, wait_idle


def _assert_fits(charts: Locator) -> None:
    """No chart title runs past its chart, and no bar label past the bar chart's plot area."""
    for position in range(charts.count()):
        chart = charts.nth(position)
        frame = chart.locator(".main-svg").first.bounding_box()
        title = chart.locator("text.gtitle")
        if frame is None or not title.count():
            continue
        box = title.first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, title.first.text_content()
    labels = charts.first.locator("text.bartext")
    plot_area = charts.first.locator("rect.nsewdrag").first.bounding_box()
    assert plot_area is not None and labels.count()
    for position in range(labels.count()):
        box = labels.nth(position).bounding_box()
        assert box is not None and box["x"] + box["width"] <= plot_area["x"] + plot_area["width"], labels.nth(position).text_content()


def test_click_a_segment_and_download_its_members(page: Page) -> None:
    goto_page(page, "Segments")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stMetric"]').first).to_be_visible()
    expect(main.get_by_text("Showing all 5,000 customers.")).to_be_visible()
    expect(main.locator('[data-testid="stMetric"]').filter(has_text="Net revenue (identified customers)")).to_be_visible()
    charts = main.locator('[data-testid="stPlotlyChart"]')
    expect(charts.first.locator(".main-svg").first).to_be_visible()
    # each bar says customers and share of revenue, and every label ends before the axis does (none clipped)
    expect(charts.first.locator("text.bartext").filter(has_text="952 · 28%")).to_be_visible()
    _assert_fits(charts)
    screenshot(page, "segments_01_overview")

    bars = charts.first.locator("g.trace.bars g.point path")
    expect(bars.first).to_be_visible()
    top_bar = bars.last  # bars are sorted by revenue: the top one is the most valuable segment
    box = top_bar.bounding_box()
    assert box is not None
    # Plotly's drag layer sits over the bars and does its own hit testing: click where a person would.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    info = main.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Showing")
    expect(info).to_be_visible(timeout=20_000)
    shown = info.inner_text()
    assert "5,000" not in shown
    segment = shown.split(" in: ")[1].rstrip(".").strip()
    screenshot(page, "segments_02_filtered")

    button = main.locator('[data-testid="stDownloadButton"] button').filter(has_text="Download membership (CSV)")
    with page.expect_download() as download_info:
        button.click()
    payload = download_info.value.path().read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))
    assert rows and {row["segment_name"] for row in rows} == {segment}
    assert f"{len(rows):,}" in shown
    assert {"customer_id", "segment", "cluster", "r_score", "predicted_value"} <= set(rows[0])
    assert not [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "@")]
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_charts_fit_a_narrow_screen_in_both_languages(page: Page) -> None:
    """At 800 px the segment charts stack instead of sharing the width; titles, labels and the cluster plot keep their room."""
    page.set_viewport_size({"width": 800, "height": 1000})
    goto_page(page, "Segments")
    charts = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
    expect(charts.first.locator(".main-svg").first).to_be_visible()
    _assert_narrow_layout(page, charts, "segments_800_en")
    choose_option(page, "Language", "简体中文", new_label="语言")
    expect(charts.first.locator("text.gtitle")).to_have_text("各分群客户数（收入高的在上）")
    _assert_narrow_layout(page, charts, "segments_800_zh")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def _assert_narrow_layout(page: Page, charts: Locator, name: str) -> None:
    wait_drawn(page)
    _assert_fits(charts)
    bars, treemap = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert bars is not None and treemap is not None and treemap["y"] >= bars["y"] + bars["height"] - 1  # stacked
    scatter = charts.nth(3)  # bars, treemap, R x F heatmap, clusters
    plot, frame = scatter.locator("rect.nsewdrag").first.bounding_box(), scatter.locator(".main-svg").first.bounding_box()
    assert plot is not None and frame is not None and plot["width"] > 0.7 * frame["width"]  # the legend is below
    screenshot(page, name)
