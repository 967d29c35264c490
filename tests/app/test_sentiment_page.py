"""The Sentiment page on the sample shop: charts, filters, grouping, extra words, translations of core codes."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.cache
from promo_core.sentiment import FLAGS, LABELS, LANGS, aspect_codes
from promo_core.sentiment.trends import ALL
from ui.i18n import TEXT
from ui.sentiment_views import default_promotions, export_frame

PAGE = "pages/sentiment.py"
ROOT = Path(__file__).resolve().parents[2]


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error
    return app


def _reviews_table(app: AppTest, text_column: str = "Review") -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if text_column in frame.value.columns)


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _figures(app: AppTest) -> dict[str, dict]:
    """Each chart's figure as the page sends it (plotly JSON), by title."""
    specs = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def test_page_shows_every_chart_and_the_negative_reviews(app: AppTest) -> None:
    _open(app)
    assert _metrics(app)["Reviews shown"] == "8,000"
    assert any("8,000 of 8,000 reviews match" in caption.value for caption in app.caption)
    assert len(app.get("plotly_chart")) == 5  # shares, trend, aspects, keywords en + zh
    table = _reviews_table(app)
    assert len(table) == 200
    assert table["Score"].is_monotonic_increasing
    assert (table["Sentiment"] == "Negative").all()
    assert table["Words that drove the score"].str.len().gt(0).mean() > 0.9
    assert any("How accurate" in expander.label for expander in app.expander)
    accuracy = " ".join(md.value for md in app.markdown)
    assert "0.634" in accuracy and "0.818" in accuracy and "below our 0.85 target" in accuracy
    assert "This page uses the **word list**" in accuracy


def test_charts_share_the_kpi_units_and_show_their_counts(app: AppTest) -> None:
    _open(app)
    metrics = _metrics(app)
    assert metrics["Net sentiment"] == "+24%"
    shares = [int(metrics[label].rstrip("%")) for label in ("Positive", "Neutral", "Negative")]
    assert shares[1] > 0 and abs(sum(shares) - 100) <= 1  # neutral reviews are counted, not hidden
    figures = _figures(app)
    trend = figures["Net sentiment over time (promotions shaded)"]["layout"]["yaxis"]
    assert (trend["tickformat"], trend["range"]) == ("+.0%", [-1.05, 1.05])  # net in % like the card, not -1..1
    shares = figures["Sentiment share by Product"]["layout"]
    assert shares["xaxis"]["range"] == [0, 1] and shares["xaxis"]["tickvals"][-1] == 1
    assert all(re.fullmatch(r".+ \(n=[\d,]+\)", tick) for tick in shares["yaxis"]["ticktext"])
    english, chinese = (figures[f"Keywords: {language}"]["layout"]["xaxis"]["range"] for language in ("English", "Chinese"))
    assert english == chinese == [-chinese[1], chinese[1]]  # one symmetric scale for both languages


def test_main_complaint_is_the_aspect_with_most_negative_mentions(app: AppTest) -> None:
    _open(app)
    assert _metrics(app)["Main complaint"] == "Quality"  # not Performance, 48% negative of only 264 mentions
    assert any(caption.value == "897 negative mentions (36% of 2,498)" for caption in app.caption)


def test_measure_labels_are_short_and_explained_in_help(app: AppTest) -> None:
    _open(app)
    measure = app.selectbox(key="widget_sent_metric")
    assert measure.options == ["Net sentiment", "Share positive", "Share negative", "Average score"]
    assert "from -100% to +100%" in measure.help


def test_chinese_trend_ticks_are_chinese_dates(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    trend = _figures(app)["净情感趋势（阴影为促销期）"]
    stops = [stop["value"] for stop in trend["layout"]["xaxis"]["tickformatstops"]]
    assert stops == ["%Y年%-m月%-d日", "%Y年%-m月", "%Y年"]
    assert trend["data"][0]["hovertemplate"].startswith("%{x|%Y年%-m月%-d日}")
    assert _metrics(app)["主要抱怨"] == "质量"


def test_slow_steps_show_progress_and_a_chart_setting_recomputes_none(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    spinner = st.spinner

    def recorded(text: str = "", **kwargs: object) -> object:
        messages.append(text)
        return spinner(text, **kwargs)

    monkeypatch.setattr(st, "spinner", recorded)
    _open(app)
    assert messages == [
        "Loading the word lists and the Chinese dictionary (first visit only) ...",
        "Learning from the star ratings of 8,000 reviews ...",
        "Scoring 8,000 reviews ...",
        "Finding what 8,000 reviews talk about ...",
        "Comparing the words of 8,000 reviews ...",
    ]

    def recomputed(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chart setting recomputed a cached step")

    for name in ("fit_sentiment_model", "score_reviews", "review_aspects", "extract_keywords"):
        monkeypatch.setattr(ui.cache, name, recomputed)
    app.selectbox(key="widget_sent_metric").set_value("share_negative").run()
    app.radio(key="widget_sent_group").set_value("category").run()
    assert not app.exception and not app.error
    assert len(app.get("plotly_chart")) == 5


def test_filtering_to_one_sentiment_changes_the_table(app: AppTest) -> None:
    _open(app)
    app.multiselect(key="widget_sent_label").set_value(["positive"]).run()
    assert not app.exception
    table = _reviews_table(app)
    assert set(table["Sentiment"]) == {"Positive"}
    positive_count = _metrics(app)["Reviews shown"]
    app.multiselect(key="widget_sent_label").set_value(["negative"]).run()
    assert set(_reviews_table(app)["Sentiment"]) == {"Negative"}
    assert _metrics(app)["Reviews shown"] != positive_count
    assert _metrics(app)["Positive"] == "0%"
    app.multiselect(key="widget_sent_lang").set_value(["zh"]).run()
    assert set(_reviews_table(app)["Language"]) == {"Chinese"}


def test_rating_and_product_filters(app: AppTest) -> None:
    _open(app)
    app.slider(key="widget_sent_rating").set_value((5, 5)).run()
    assert not app.exception
    assert set(_reviews_table(app)["Rating"]) == {5.0}
    product = app.multiselect(key="widget_sent_product").options[0]
    app.multiselect(key="widget_sent_product").select(product).run()
    assert not app.exception
    assert _reviews_table(app)["Product"].nunique() == 1


@pytest.mark.parametrize("group", ["category", "segment", "lang", "item_id"])
def test_grouping_change_works(app: AppTest, group: str) -> None:
    _open(app)
    app.radio(key="widget_sent_group").set_value(group).run()
    assert not app.exception
    assert not app.error
    assert len(app.get("plotly_chart")) == 5


def test_trend_settings_and_bad_promotion_dates(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_sent_freq").set_value("M").run()
    app.selectbox(key="widget_sent_metric").set_value("share_negative").run()
    app.toggle(key="widget_sent_trend_lang").set_value(True).run()
    assert not app.exception and not app.error
    app.session_state["sent_promotions"] = {
        "edited_rows": {0: {"end": "2020-01-01"}}, "added_rows": [], "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    assert any("has no valid dates" in error.value for error in app.error)
    assert len(app.get("plotly_chart")) == 4  # the other sections still draw


def test_edited_promotions_survive_leaving_the_page_and_switching_language(app: AppTest) -> None:
    _open(app)
    app.session_state["sent_promotions"] = {
        "edited_rows": {0: {"name": "Double 11"}}, "added_rows": [], "deleted_rows": [],
    }
    app.run()
    assert any("Double 11" in caption.value for caption in app.caption)
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    _open(app)
    promotions = next(frame.value for frame in app.dataframe if frame.key == "sent_promotions_zh")
    assert promotions["name"].tolist()[0] == "Double 11"
    assert any("Double 11" in caption.value for caption in app.caption)


def test_default_promotions_follow_the_data() -> None:
    frame = pd.DataFrame({"review_date": pd.to_datetime(["2025-07-04", "2026-09-30"])})
    promotions = default_promotions(frame)
    assert promotions["name"].tolist() == ["11.11", "6.18"]
    assert promotions["start"].dt.strftime("%Y-%m-%d").tolist() == ["2025-11-01", "2026-06-01"]
    assert default_promotions(pd.DataFrame({"review_date": pd.to_datetime(["2025-01-05", "2025-02-01"])})).empty


def test_extra_words_rescore_the_reviews(app: AppTest) -> None:
    _open(app)
    before = _metrics(app)["Positive"]
    words = "word,valence\nquality,-4\nprice,-4\n质量,-4\n价格,-4\n".encode()
    app.file_uploader(key="upload_sent_lexicon_0").set_value(("words.csv", words, "text/csv")).run()
    assert not app.exception and not app.error
    assert any("4 extra words in use" in s.value for s in app.success)
    assert _metrics(app)["Positive"] != before
    changed = _metrics(app)["Positive"]
    app.switch_page("pages/home.py").run()
    _open(app)  # the words are still in use after leaving the page
    assert any("4 extra words in use" in s.value for s in app.success)
    assert _metrics(app)["Positive"] == changed


def test_a_bad_word_list_is_a_translated_error(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    bad = "word,valence\n好评,3\n差评,abc\n".encode()
    app.file_uploader(key="upload_sent_lexicon_0").set_value(("bad.csv", bad, "text/csv")).run()
    assert not app.exception
    message = app.error[0].value
    assert "自定义词表第 2 行" in message and "词表未被采用" in message
    assert len(app.get("plotly_chart")) == 5  # scored without the rejected words

    app.file_uploader(key="upload_sent_lexicon_0").set_value(("cols.csv", b"term,score\nx,1\n", "text/csv")).run()
    assert "缺少“word”" in app.error[0].value


def _settings(app: AppTest, lang: str = "en") -> tuple[object, ...]:
    """Every filter and chart setting of the page, in drawing order (Chinese widgets have keys of their own)."""
    suffix = "" if lang == "en" else f"_{lang}"
    return (
        app.multiselect(key=f"widget_sent_lang{suffix}").value, app.multiselect(key=f"widget_sent_label{suffix}").value,
        app.multiselect(key=f"widget_sent_product{suffix}").value, app.slider(key=f"widget_sent_rating{suffix}").value,
        app.date_input(key=f"widget_sent_dates{suffix}").value, app.radio(key=f"widget_sent_group{suffix}").value,
        app.selectbox(key=f"widget_sent_freq{suffix}").value, app.selectbox(key=f"widget_sent_metric{suffix}").value,
        app.toggle(key=f"widget_sent_trend_lang{suffix}").value,
    )


def test_filters_and_settings_survive_leaving_the_page_and_switching_language(app: AppTest) -> None:
    half_year = (date(2026, 1, 1), date(2026, 6, 30))
    _open(app)
    app.multiselect(key="widget_sent_lang").set_value(["zh"]).run()
    app.multiselect(key="widget_sent_label").set_value(["negative", "neutral"]).run()
    app.slider(key="widget_sent_rating").set_value((1, 3)).run()
    app.date_input(key="widget_sent_dates").set_value(half_year).run()
    app.radio(key="widget_sent_group").set_value("category").run()
    app.selectbox(key="widget_sent_freq").set_value("M").run()
    app.selectbox(key="widget_sent_metric").set_value("share_negative").run()
    app.toggle(key="widget_sent_trend_lang").set_value(True).run()
    assert not app.exception and not app.error
    chosen = (["zh"], ["negative", "neutral"], [], (1, 3), half_year, "category", "M", "share_negative", True)
    assert _settings(app) == chosen
    shown = _metrics(app)["Reviews shown"]
    assert 0 < int(shown.replace(",", "")) < 8000
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    _open(app)  # back in another language
    assert _settings(app, "zh") == chosen
    assert _metrics(app)["显示的评价"] == shown
    table = _reviews_table(app, "评价内容")
    assert set(table["语言"]) == {"中文"} and set(table["情感"]) <= {"负面", "中性"} and table["评分"].max() <= 3
    app.session_state["lang"] = "en"
    app.run()  # and a switch on the page itself
    assert not app.exception
    assert _settings(app) == chosen and _metrics(app)["Reviews shown"] == shown


def test_remembered_filters_the_new_reviews_lack_fall_back_to_the_defaults(app: AppTest) -> None:
    _open(app)
    app.multiselect(key="widget_sent_lang").set_value(["zh"]).run()
    app.multiselect(key="widget_sent_product").set_value(["SKU0228"]).run()
    app.date_input(key="widget_sent_dates").set_value((date(2026, 1, 1), date(2026, 6, 30))).run()
    app.radio(key="widget_sent_group").set_value("segment").run()
    assert not app.exception and not app.error
    # Other reviews: English only, other products, an earlier year, no customers (so no segments).
    english = pd.read_csv(ROOT / "sample_data" / "reviews.csv").query("text.str.isascii()").head(400)
    new = english.drop(columns=["customer_id"]).assign(
        item_id=[f"NEW{i % 5}" for i in range(len(english))],
        review_date=pd.date_range("2024-01-01", periods=len(english), freq="D").strftime("%Y-%m-%d"),
    )
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_reviews").set_value(("other_shop.csv", new.to_csv(index=False).encode(), "text/csv")).run()
    _open(app)
    langs = app.multiselect(key="widget_sent_lang")
    assert "zh" not in langs.value and len(langs.value) == len(langs.options)
    assert app.multiselect(key="widget_sent_product").value == []
    assert app.date_input(key="widget_sent_dates").value == (date(2024, 1, 1), date(2025, 2, 3))
    assert app.radio(key="widget_sent_group").value == "item_id"
    assert _metrics(app)["Reviews shown"] == "400"


def test_sentiment_page_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.title[0].value == "评价情感分析"
    assert "显示的评价" in _metrics(app)
    table = _reviews_table(app, "评价内容")
    assert set(table["情感"]) == {"负面"}
    assert set(table["语言"]) <= {"中文", "英文", "纯表情"}
    assert "低于我们 0.85 的目标" in " ".join(md.value for md in app.markdown)


def test_no_reviews_is_an_info_not_an_error(app: AppTest) -> None:
    app.session_state["use_sample"] = False
    app.run()
    _open(app)
    assert app.info and "No reviews loaded" in app.info[0].value


def test_export_keeps_codes_and_plain_values() -> None:
    frame = pd.DataFrame({
        "review_id": ["r1"], "text": ["=cmd"], "lang": pd.Categorical(["zh"]), "label": pd.Categorical([None], categories=list(LABELS)),
        "score": [float("nan")], "drivers": [""], "scorer": pd.Categorical(["none"]), "flags": [""], "extra": [1],
    })
    out = export_frame(frame)
    assert list(out.columns) == ["review_id", "text", "lang", "score", "label", "drivers", "scorer", "flags"]
    assert out.loc[0, "label"] == "" and out.loc[0, "lang"] == "zh"


def _codes_raised(pattern: str) -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "promo_core" / "sentiment").glob("*.py"))
    return set(re.findall(pattern, source))


def test_every_core_code_the_page_shows_is_translated() -> None:
    errors = _codes_raised(r'code="(sentiment_[a-z_]+)"')
    assert len(errors) >= 10
    keys = (
        [f"error.{code}" for code in errors]
        + [f"sent.lang.{code}" for code in LANGS]
        + [f"sent.label.{code}" for code in LABELS]
        + [f"sent.flag.{code}" for code in FLAGS]
        + [f"sent.aspect.{code}" for code in aspect_codes()]
        + [f"sent.reason.{code}" for code in ("model_more_accurate", "lexicon_as_accurate")]
        + [f"sent.scorer.{code}" for code in ("lexicon", "model", "none")]
        + [f"sent.group.{ALL}", "sent.group.missing"]
    )
    missing = [key for key in keys if key not in TEXT or not {"en", "zh"} <= set(TEXT[key])]
    assert not missing
    reasons = _codes_raised(r'"reason": "(\w+)"|else "(\w+)"')
    assert reasons  # the reasons found in model.py are among the translated ones
    sentiment_keys = [key for key in TEXT if key.startswith(("sent.", "error.sentiment_"))]
    assert all(TEXT[key]["zh"] and TEXT[key]["en"] for key in sentiment_keys)
