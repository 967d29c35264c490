"""A shared link into a page works on a fresh server, before anyone has opened the home page.

Streamlit runs such a link straight from the ``pages/`` folder until the app's own navigation has
run once (for example after a restart or a sleeping cloud app waking up): without the router the page
came without our menu, sidebar or the language from the address.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from .conftest import streamlit_server
from .helpers import ARTIFACTS, RUN_TIMEOUT_MS, nav_link, screenshot, select_box, wait_idle
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES


def test_a_deep_link_on_a_fresh_server_gets_the_app_shell(browser: Browser, artifacts_dir) -> None:
    with streamlit_server(ARTIFACTS / "streamlit_fresh.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        context.set_default_timeout(RUN_TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(f"{url}/data?lang=zh&currency=CNY")
            wait_idle(page)
            expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(translate("data.title", "zh"))
            expect(page.locator('[data-testid="stSidebarNavLink"]')).to_have_count(len(PAGES))
            expect(nav_link(page, translate("nav.data", "zh"))).to_have_attribute("aria-current", "page")
            expect(select_box(page, translate("sidebar.language", "zh"))).to_have_value(LANGUAGES["zh"])
            expect(select_box(page, translate("sidebar.currency", "zh"))).to_have_value("CNY (¥)")
            screenshot(page, "deep_link_fresh_server_zh")
        finally:
            context.close()
