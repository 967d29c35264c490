"""Every page of the menu opens from the sidebar, in both languages, without an exception."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import choose_option, goto_page, nav_link, screenshot, select_box, wait_idle
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES

# The heading each page starts with (a translation key); pages not listed only need some heading.
HEADINGS = {"home": "app.title", "data": "data.title", "segments": "seg.title", "sentiment": "sent.title", "ads": "ads.title", "recommend": "rec.title"}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_opens_from_the_sidebar(page: Page, lang: str) -> None:
    if lang != "en":
        choose_option(page, translate("sidebar.language", "en"), LANGUAGES[lang], new_label=translate("sidebar.language", lang))
        expect(nav_link(page, translate(PAGES[0].title_key, lang))).to_be_visible()
    links = page.locator('[data-testid="stSidebarNavLink"]')
    expect(links).to_have_count(len(PAGES))
    # Start from the last page so that the first click (the default page) is a real navigation too.
    for entry in PAGES[1:] + PAGES[:1]:
        title = translate(entry.title_key, lang)
        goto_page(page, title)
        heading = page.locator('[data-testid="stMain"] h1').first
        if entry.url_path in HEADINGS:
            expect(heading).to_have_text(translate(HEADINGS[entry.url_path], lang))
        else:
            expect(heading).to_be_visible()
        screenshot(page, f"page_{entry.url_path}_{lang}")  # waits for the run to end and the page to draw
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_home_shows_its_title(page: Page) -> None:
    heading = page.locator('[data-testid="stMain"] h1').first
    expect(heading).to_have_text(translate("app.title", "en"))
    expect(page.get_by_text(translate("app.tagline", "en"))).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(nav_link(page, translate("nav.home", "en"))).to_have_attribute("aria-current", "page")


def test_the_language_survives_a_refresh(page: Page) -> None:
    choose_option(page, translate("sidebar.language", "en"), LANGUAGES["zh"], new_label=translate("sidebar.language", "zh"))
    goto_page(page, translate("campaign.title", "zh"))
    expect(page).to_have_url(re.compile(r"[?&]lang=zh"))
    page.reload()
    wait_idle(page)
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(translate("campaign.title", "zh"))
    expect(select_box(page, translate("sidebar.language", "zh"))).to_have_value(LANGUAGES["zh"])
    screenshot(page, "language_after_refresh_zh")


def test_the_currency_is_written_before_amounts_and_kept_in_the_address(page: Page) -> None:
    choose_option(page, translate("sidebar.currency", "en"), "CNY (¥)")
    revenue = page.locator('[data-testid="stMetric"]').filter(has_text=translate("home.kpi.revenue", "en"))
    expect(revenue.locator('[data-testid="stMetricValue"]')).to_have_text(re.compile(r"^¥[\d,]+$"))
    expect(page).to_have_url(re.compile(r"[?&]currency=CNY"))
    page.reload()
    wait_idle(page)
    expect(select_box(page, translate("sidebar.currency", "en"))).to_have_value("CNY (¥)")
    expect(revenue.locator('[data-testid="stMetricValue"]')).to_have_text(re.compile(r"^¥[\d,]+$"))
    screenshot(page, "currency_home_cny")
