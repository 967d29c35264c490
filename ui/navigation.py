"""The pages of the app in menu order, and the router that runs them inside the app's shell.

app.py builds the navigation from ``PAGES`` and runs the chosen page with ``run_page``; tests walk the
list. Every page starts with ``require_app``: on a fresh server Streamlit runs a deep link such as
``/data?lang=zh`` straight from the ``pages/`` folder (its older multipage mode, left only once the
app's ``st.navigation`` has run), without the sidebar, the language from the address or our menu.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage


@dataclass(frozen=True)
class PageEntry:
    """One page: its file, translated title key, icon and URL path."""

    path: str
    title_key: str
    icon: str
    url_path: str


PAGES = (
    PageEntry("pages/home.py", "nav.home", ":material/home:", "home"),
    PageEntry("pages/data.py", "nav.data", ":material/upload_file:", "data"),
    PageEntry("pages/segments.py", "nav.segments", ":material/groups:", "segments"),
    PageEntry("pages/sentiment.py", "nav.sentiment", ":material/reviews:", "sentiment"),
    PageEntry("pages/recommend.py", "nav.recommend", ":material/redeem:", "recommend"),
    PageEntry("pages/campaign.py", "nav.campaign", ":material/campaign:", "campaign"),
    PageEntry("pages/ads.py", "nav.ads", ":material/ads_click:", "ads"),
)

_ROUTED: ContextVar[bool] = ContextVar("routed", default=False)
_REDIRECTED = "_router_redirected"


def run_page(page: StreamlitPage) -> None:
    """Run the page the navigation chose, marked as started by the app."""
    token = _ROUTED.set(True)
    try:
        page.run()
    finally:
        _ROUTED.reset(token)


def require_app() -> None:
    """Hand a page that the app did not start back to app.py.

    Declaring the navigation switches the server off the ``pages/`` folder mode; the rerun then starts
    from app.py, which draws the shell around the same page. Once per session, so that a page run on
    its own (a test harness) cannot loop.
    """
    if _ROUTED.get() or st.session_state.get(_REDIRECTED):
        return
    st.session_state[_REDIRECTED] = True
    st.navigation(
        [st.Page(entry.path, url_path=entry.url_path, default=position == 0) for position, entry in enumerate(PAGES)],
        position="hidden",
    )
    st.rerun()
