"""The pages of the app in menu order; app.py builds the navigation from this list and tests walk it."""

from __future__ import annotations

from dataclasses import dataclass


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
