"""Every page in the navigation renders on the sample shop, in both languages, with no exception."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT
from ui.navigation import PAGES


@pytest.mark.parametrize("entry", PAGES, ids=lambda entry: entry.url_path)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders(app: AppTest, entry, lang: str) -> None:
    app.session_state["lang"] = lang
    app.switch_page(entry.path).run()
    assert not app.exception
    assert app.title, f"{entry.path} has no title"


def test_home_shows_sample_shop_kpis(app: AppTest) -> None:
    labels = [metric.label for metric in app.metric]
    assert "Net revenue" in labels and "Customers" in labels
    assert len(app.get("plotly_chart")) == 1


def test_sidebar_lists_sample_tables(app: AppTest) -> None:
    captions = " ".join(caption.value for caption in app.sidebar.caption)
    assert "Orders" in captions and "sample" in captions


def test_language_switch_translates_the_shell(app: AppTest) -> None:
    app.sidebar.selectbox(key="widget_lang").set_value("zh").run()
    assert not app.exception
    assert app.title[0].value == "PromoLens 促销透镜"
    assert "净销售额" in [metric.label for metric in app.metric]


def _opened_at(**params: str) -> AppTest:
    """A new session opened at an address with these parameters (``?lang=zh``), after its first run."""
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        fresh.query_params[name] = value
    fresh.run()
    assert not fresh.exception
    return fresh


def test_a_new_session_takes_the_language_from_the_address() -> None:
    fresh = _opened_at(lang="zh")
    assert fresh.title[0].value == "PromoLens 促销透镜"
    assert fresh.sidebar.selectbox(key="widget_lang").value == "zh"


def test_an_unknown_language_in_the_address_is_ignored() -> None:
    fresh = _opened_at(lang="fr")
    assert fresh.title[0].value == "PromoLens"
    assert "lang" not in fresh.query_params


def test_the_currency_from_the_sidebar_is_written_before_every_amount(app: AppTest) -> None:
    app.sidebar.selectbox(key="widget_currency").set_value("EUR").run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Net revenue"].startswith("€") and metrics["Average order value"].startswith("€")
    assert metrics["Orders"][0].isdigit()
    app.switch_page("pages/segments.py").run()
    assert {metric.label: metric.value for metric in app.metric}["Net revenue (identified customers)"].startswith("€")


@pytest.mark.parametrize(
    ("page", "amounts", "plain"),
    [
        ("pages/recommend.py", ["Budget", "Expected cost"], ["Coupons"]),
        ("pages/ads.py", ["Cost per conversion (CPA)", "Recommended daily spend"], ["Return on ad spend (ROAS)"]),
        ("pages/campaign.py", ["Incremental revenue", "Promotion cost"], ["Customers targeted"]),
    ],
)
def test_amounts_on_each_page_carry_the_currency_and_ratios_do_not(app: AppTest, page, amounts, plain) -> None:
    app.session_state["currency"] = "USD"
    app.switch_page(page).run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert all(metrics[label].startswith("$") for label in amounts), metrics
    assert not any("$" in metrics[label] for label in plain), metrics


def test_a_new_session_takes_the_currency_from_the_address() -> None:
    fresh = _opened_at(currency="CNY", lang="zh")
    assert fresh.sidebar.selectbox(key="widget_currency_zh").value == "CNY"
    assert {metric.label: metric.value for metric in fresh.metric}["净销售额"].startswith("¥")


def test_an_unknown_currency_in_the_address_is_ignored() -> None:
    fresh = _opened_at(currency="<b>XYZ</b>")
    assert "currency" not in fresh.query_params
    assert {metric.label: metric.value for metric in fresh.metric}["Net revenue"][0].isdigit()


def test_sample_switch_off_leaves_pages_empty_but_working(app: AppTest) -> None:
    app.sidebar.toggle(key="widget_use_sample").set_value(False).run()
    assert not app.exception
    assert any("No orders loaded" in info.value for info in app.info)
