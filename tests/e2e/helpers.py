"""Helpers shared by the real-browser tests: waits, navigation, select boxes, screenshots."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "streamlit.log"
# Generous: the first run of a page loads the sample shop and imports pandas/plotly in the server.
RUN_TIMEOUT_MS = 30_000
expect.set_options(timeout=20_000)


def wait_idle(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the script run is over and no spinner is left.

    A rerun triggered by the last action may not have started yet when this is called, so callers
    also wait for the element they expect from that action.
    """
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=timeout)
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=timeout)


def wait_drawn(page: Page) -> None:
    """Wait until lazily loaded elements (data grids, charts) have replaced their skeletons."""
    wait_idle(page)
    expect(page.locator('[data-testid="stMain"] [data-testid="stSkeleton"]')).to_have_count(0)
    grids = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]:visible')
    for position in range(grids.count()):
        expect(grids.nth(position).locator("canvas").first).to_be_attached()
    charts = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]:visible')
    for position in range(charts.count()):
        expect(charts.nth(position).locator(".main-svg").first).to_be_attached()


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar navigation link whose label is ``title`` (the icon's ligature text is ignored)."""
    return page.locator('[data-testid="stSidebarNavLink"]').filter(has=page.locator(f"span[label={css_string(title)}]"))


def goto_page(page: Page, title: str) -> None:
    """Open a page from the sidebar navigation by its (translated) title and wait for its run."""
    link = nav_link(page, title)
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    if href:  # the app may add its language (?lang=zh) once the page has run
        page.wait_for_url(re.compile(re.escape(href) + r"(\?.*)?$"))
    wait_idle(page)


def select_box(page: Page, label: str, scope: Locator | None = None) -> Locator:
    """The input of the Streamlit select box labelled exactly ``label`` (within ``scope``)."""
    root = scope if scope is not None else page
    return root.locator(f'[data-testid="stSelectbox"] input[role="combobox"][aria-label={css_string(label)}]')


def choose_option(page: Page, label: str, option: str, scope: Locator | None = None, new_label: str | None = None) -> None:
    """Pick ``option`` in the Streamlit select box labelled ``label`` and wait until it shows it.

    ``new_label`` is the box's label after the choice, when the choice changes it (the language).
    """
    box = select_box(page, label, scope)
    expect(box).to_have_count(1)
    box.click()
    listbox = page.locator('[data-testid="stSelectboxVirtualDropdown"]')
    expect(listbox).to_be_visible()
    listbox.locator('[role="option"]').filter(has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).click()
    expect(listbox).to_be_hidden()
    expect(select_box(page, new_label or label, scope)).to_have_value(option)


# How much taller than the viewport the page's own scroll areas are (main area and its ancestors,
# and the sidebar), ignoring inner scrollers such as data grids.
_OVERFLOW_JS = """() => {
    const areas = [document.querySelector('[data-testid="stSidebarContent"]')];
    for (let el = document.querySelector('[data-testid="stMain"]'); el; el = el.parentElement) areas.push(el);
    let extra = 0;
    for (const el of areas) {
        if (el) extra = Math.max(extra, el.scrollHeight - el.clientHeight);
    }
    return extra;
}"""
_MAX_SHOT_HEIGHT = 8000


def screenshot(page: Page, name: str) -> Path:
    """A screenshot of the whole page, including the scrolled-away part of the main area.

    Streamlit scrolls inside its main container, so Playwright's ``full_page`` alone only captures
    the viewport: the viewport is made tall enough for the content while the picture is taken.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    wait_drawn(page)
    size = page.viewport_size
    extra = page.evaluate(_OVERFLOW_JS)
    if size and extra:
        page.set_viewport_size({"width": size["width"], "height": min(_MAX_SHOT_HEIGHT, size["height"] + extra)})
        page.wait_for_timeout(300)  # let charts and data grids redraw at the new size
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size and extra:
            page.set_viewport_size(size)
    return path


def css_string(text: str) -> str:
    """``text`` as a quoted CSS attribute value."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
