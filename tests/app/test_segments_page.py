"""The Segments page on the sample shop: KPIs, charts, chart selections filtering the customer list."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from promo_core.errors import InsufficientDataError
from promo_core.segmentation import AnalysisNote
from tests.app.conftest import ROOT
from ui import cache
from ui.i18n import translate

PAGE = "pages/segments.py"
ORDERS = ROOT / "sample_data" / "orders.csv"


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error
    return app


def _table(app: AppTest, column: str) -> Dataframe:
    """The first table with ``column`` among its headers."""
    return next(frame for frame in app.dataframe if column in frame.value.columns)


def _customer_table(app: AppTest) -> pd.DataFrame:
    return _table(app, "Days since last purchase").value


def _profile(app: AppTest) -> Dataframe:
    """The cluster profile table (its first column is the cluster's description)."""
    return next(frame for frame in app.dataframe if frame.value.columns[0] in ("Description", "描述"))


def _config(frame: Dataframe) -> dict[str, dict]:
    """The column configuration per column header (what the browser is told to draw)."""
    return json.loads(frame.proto.columns)


def _formats(frame: Dataframe) -> dict[str, str]:
    """Display format per column header, from the table's column configuration."""
    return {name: column["type_config"]["format"] for name, column in _config(frame).items() if "format" in column.get("type_config", {})}


def _walk(node: object) -> list[object]:
    """Every element under ``node`` in page order."""
    found = []
    for position in sorted(getattr(node, "children", None) or {}):
        child = node.children[position]
        found += [child, *_walk(child)]
    return found


def _recent_orders(app: AppTest, days: int) -> None:
    """Use the sample shop's last ``days`` days of orders as an upload: a shop with a short history."""
    orders = pd.read_csv(ORDERS)
    dates = pd.to_datetime(orders["order_date"])
    recent = orders[dates > dates.max() - pd.Timedelta(days=days)]
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_orders").set_value((f"last_{days}_days.csv", recent.to_csv(index=False).encode(), "text/csv")).run()


def test_page_shows_kpis_and_every_chart(app: AppTest) -> None:
    _open(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Customers"] == "5,000"
    assert set(metrics) >= {"Repeat customers", "Predicted value (365 days)", "Slipping away"}
    # Home counts every line (1,248,021); customer analysis leaves out the 190 lines without a customer id
    assert metrics["Net revenue (identified customers)"] == "1,242,336"
    assert any("190 order lines without a customer ID" in text.value and "on Home" in text.value for text in app.markdown)
    assert len(app.get("plotly_chart")) == 6
    assert len(_customer_table(app)) == 5000
    helps = {metric.label: metric.help for metric in app.metric}
    assert helps["Net revenue (identified customers)"].endswith("count on Home only.")
    assert helps["Slipping away"] == "Customers in About to sleep, At risk and Can't lose."


def test_lost_one_time_buyers_are_no_longer_shown_as_certainly_active(app: AppTest) -> None:
    _open(app)
    table = _customer_table(app)
    lost = table[table["Segment"] == "Lost"]
    assert len(lost) == 350 and (lost["Orders"] == 1).all()
    assert lost["Probability still active"].max() < 0.02  # was exactly 1 under BG/NBD
    captions = [caption.value for caption in app.caption]
    assert any(text.startswith("Model: MBG/NBD") for text in captions)
    assert any(text.startswith("Fitted MBG/NBD: r = 12.538") for text in captions)
    assert not any("no difference between customers" in text.value for text in app.markdown)  # the fit is sound


def test_the_degenerate_dropout_note_reads_in_both_languages() -> None:
    """The note the BG/NBD fit on the sample shop raises (a = 13,339, b = 2,957,632; see tests/unit/clv)."""
    note = AnalysisNote("dropout_fit_degenerate", {"a_plus_b": 2_970_971.4, "dropout": 0.00449})
    english = translate(f"segnote.{note.code}", "en", **note.details)
    chinese = translate(f"segnote.{note.code}", "zh", **note.details)
    assert "a + b = 2,970,971" in english and "same 0.45% chance" in english
    assert "a + b = 2,970,971" in chinese and "0.45% 流失概率" in chinese


def test_tables_show_percent_separators_and_few_decimals(app: AppTest) -> None:
    _open(app)
    profile = _profile(app)
    assert _formats(profile) == {
        "Customers": "%,d", "Share of customers": "percent", "Revenue": "%,.0f", "Share of revenue": "percent",
        "Mean days since last purchase": "%,.1f", "Mean orders": "%,.1f", "Mean spend": "%,.2f",
    }
    assert (profile.value["Revenue"] % 1 != 0).any()  # the data keeps its cents: only the display rounds
    top = _table(app, "Expected purchases")
    assert _formats(top) == {
        "Probability still active": "percent", "Expected purchases": "%,.2f", "Predicted value": "%,.2f",
    }
    customers = _formats(_table(app, "Days since last purchase"))
    assert customers["Net spend"] == "%,.2f" and customers["Orders"] == "%,d"
    assert customers["Probability still active"] == "percent"


def test_every_percent_column_has_one_decimal(app: AppTest) -> None:
    """Streamlit's percent format trims zeros ("29.5%" beside "62.26%") unless a step sets the decimals."""
    _open(app)
    for frame in app.dataframe:
        for name, column in _config(frame).items():
            if column.get("type_config", {}).get("format") == "percent":
                assert column["type_config"]["step"] == 0.001, (frame.key, name)  # 0.1% -> one decimal
    shares = _config(_profile(app))["Share of customers"]["type_config"]
    assert shares == {"type": "number", "format": "percent", "step": 0.001}


def test_every_segment_has_its_figures_in_a_table(app: AppTest) -> None:
    """The treemap hides the labels of its smallest tiles; the table beside it names every segment."""
    _open(app)
    summary = next(frame.value for frame in app.dataframe if frame.value.columns[:2].tolist() == ["Segment", "Customers"])
    assert summary.columns[:5].tolist() == ["Segment", "Customers", "Share of customers", "Revenue", "Share of revenue"]
    assert summary["Customers"].sum() == 5000 and len(summary) == 11
    assert {"New", "Promising", "Can't lose"} <= set(summary["Segment"])  # the smallest tiles
    assert summary["Revenue"].is_monotonic_decreasing

def test_segment_moves_table_lists_each_move_with_its_share(app: AppTest) -> None:
    _open(app)
    moves = _table(app, "Share of the 'before' segment")
    table = moves.value
    assert table.columns.tolist() == ["Before", "Now", "Customers", "Share of the 'before' segment"]
    assert table["Customers"].sum() == 5000
    assert table.groupby("Before")["Share of the 'before' segment"].sum().round(9).eq(1.0).all()
    assert "Hibernating" in set(table["Now"])  # full names, no matrix column to cut off
    assert table.iloc[0]["Before"] == "Not yet a customer"
    assert _formats(moves)["Share of the 'before' segment"] == "percent"


def test_segment_bar_labels_and_titles_are_short_enough_for_a_narrow_chart() -> None:
    """At 800 px the chart is about 440 px wide: a label of more than a dozen characters is cut."""
    for lang in ("en", "zh"):
        text = translate("seg.label.bar_text", lang)
        assert len(text.format(customers=1_234, share=0.43)) <= 14
        for key in ("seg.chart.bars", "seg.chart.treemap"):
            title = translate(key, lang)
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in title)  # a CJK character is about two Latin ones wide
            assert width <= 44, (lang, key, title)


def test_cluster_names_never_repeat(app: AppTest) -> None:
    _open(app)
    names = _profile(app).value["Description"].tolist()
    assert names == [
        "1 · Frequent high spenders, recent",
        "2 · Frequent high spenders, longer inactive",
        "3 · Lapsed occasional buyers, higher spend",
        "4 · Recent newcomers",
        "5 · Lapsed occasional buyers, lower spend",
    ]
    app.session_state["lang"] = "zh"
    app.run()
    names = _profile(app).value["描述"].tolist()
    assert names[:2] == ["1 · 高频高消费（近期活跃）", "2 · 高频高消费（沉寂更久）"]
    assert len(set(names)) == 5


def test_clicking_a_segment_bar_filters_the_customers(app: AppTest) -> None:
    _open(app)
    app.session_state["seg_bar"] = {"selection": {"points": [{"customdata": "champions"}], "point_indices": [0]}}
    app.run()
    assert not app.exception
    table = _customer_table(app)
    assert 0 < len(table) < 5000
    assert set(table["Segment"]) == {"Champions"}
    assert any("Champions" in info.value for info in app.info)


def test_selecting_a_cluster_filters_the_customers(app: AppTest) -> None:
    _open(app)
    app.session_state["seg_clusters"] = {"selection": {"points": [{"curve_number": 0, "customdata": "x"}]}}
    app.run()
    table = _customer_table(app)
    assert 0 < len(table) < 5000
    assert table["Cluster"].str.startswith("1 · ").all()


def test_choosing_the_number_of_clusters(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_seg_k").set_value(3).run()
    assert not app.exception
    profile = _profile(app).value
    assert len(profile) == 3
    app.selectbox(key="widget_seg_horizon").set_value(180).run()
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    app.switch_page(PAGE).run()  # back in another language: the settings are kept
    assert not app.exception
    assert app.selectbox(key="widget_seg_k_zh").value == 3  # a Chinese widget of its own (state._widget_key)
    assert app.selectbox(key="widget_seg_horizon_zh").value == 180


def test_an_impossible_rule_is_a_translated_error_not_a_crash(app: AppTest) -> None:
    _open(app)
    app.session_state["seg_rules"] = {"edited_rows": {0: {"r_min": 5, "r_max": 1}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert "Segment rule 1" in app.error[0].value


def _rules(app: AppTest) -> pd.DataFrame:
    """The rules the segment rules editor starts from (its key is seg_rules_zh in Chinese)."""
    return next(frame.value for frame in app.dataframe if frame.key in ("seg_rules", "seg_rules_zh"))


def test_edited_rules_survive_leaving_the_page_and_switching_language(app: AppTest) -> None:
    _open(app)
    champions = (_customer_table(app)["Segment"] == "Champions").sum()
    app.session_state["seg_rules"] = {"edited_rows": {0: {"r_min": 4}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception and not app.error
    edited = (_customer_table(app)["Segment"] == "Champions").sum()
    assert edited > champions
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    _open(app)  # back in another language: the editor starts from the edited rules
    assert _rules(app).loc[0, "r_min"] == 4
    table = next(frame.value for frame in app.dataframe if "距上次购买天数" in frame.value.columns)
    assert (table["分群"] == "冠军客户").sum() == edited
    app.button(key="seg_rules_reset").click().run()
    assert not app.exception
    assert _rules(app).loc[0, "r_min"] == 5
    table = next(frame.value for frame in app.dataframe if "距上次购买天数" in frame.value.columns)
    assert (table["分群"] == "冠军客户").sum() == champions


def test_a_remembered_analysis_date_is_not_carried_to_other_orders(app: AppTest) -> None:
    _open(app)
    as_of = next(box for box in app.date_input if box.key.startswith("widget_seg_as_of_"))
    as_of.set_value(date(2026, 6, 30)).run()
    assert not app.exception
    payload = b"customer_id,order_date,item_id,amount\nc1,2024-01-02,s1,10\nc2,2024-03-05,s2,20\nc1,2024-03-09,s3,15\n"
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_orders").set_value(("other_shop.csv", payload, "text/csv")).run()
    app.switch_page(PAGE).run()  # a date after these orders would count every customer as long gone
    assert not app.exception
    [as_of] = [box for box in app.date_input if box.key.startswith("widget_seg_as_of_")]
    assert as_of.value == date(2024, 3, 10)
    assert {metric.label: metric.value for metric in app.metric}["Customers"] == "2"


def test_segments_page_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.title[0].value == "客户分群与客户价值"
    assert {"客户数", "净销售额（可识别客户）"} <= {metric.label for metric in app.metric}
    table = next(frame.value for frame in app.dataframe if "距上次购买天数" in frame.value.columns)
    assert "冠军客户" in set(table["分群"])


def test_thin_data_keeps_the_page_working(app: AppTest) -> None:
    payload = b"customer_id,order_date,item_id,amount\nc1,2024-01-02,s1,10\nc2,2024-01-02,s2,20\n"
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_orders").set_value(("two.csv", payload, "text/csv")).run()
    _open_with_errors = app.switch_page(PAGE).run()
    assert not _open_with_errors.exception
    assert {metric.label: metric.value for metric in app.metric}["Customers"] == "2"
    assert any("clusters" in error.value for error in app.error)


def test_the_rule_editor_shows_segment_names_and_keeps_codes(app: AppTest) -> None:
    _open(app)
    editor = next(frame for frame in app.dataframe if frame.key == "seg_rules")
    assert editor.value.columns.tolist() == ["segment", "r_min", "r_max", "f_min", "f_max"]  # no headless name column
    assert editor.value.loc[0, "segment"] == "champions"  # what is kept and used is the code
    segment = _config(editor)["segment"]
    assert segment["label"] == "Segment" and segment["type_config"]["type"] == "selectbox"
    assert {"value": "potential_loyalist", "label": "Potential loyalist"} in segment["type_config"]["options"]
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    _open(app)
    editor = next(frame for frame in app.dataframe if frame.key == "seg_rules_zh")
    options = _config(editor)["segment"]["type_config"]["options"]
    assert {"value": "champions", "label": "冠军客户"} in options and _config(editor)["segment"]["label"] == "分群"


def test_a_short_history_gets_a_comparison_window_it_covers(app: AppTest) -> None:
    """80 days of orders: the 90-day default would start before the first order; 60 days is offered instead."""
    _recent_orders(app, 80)
    _open(app)  # no error at all, let alone one without a heading at the top of the page
    window = app.selectbox(key="widget_seg_moves_days")
    assert window.options == ["30", "60"] and window.value == 60
    elements = _walk(app.main)
    heading = next(i for i, e in enumerate(elements) if e.type == "subheader" and e.value == "Segment moves")
    assert not [e for e in elements if e.type in ("error", "info")]
    moves = next(i for i, e in enumerate(elements) if isinstance(e, Dataframe) and "Before" in e.value.columns)
    assert moves > heading and elements[moves].value["Customers"].sum() == window_customers(app)


def window_customers(app: AppTest) -> int:
    """Customers at the end of the comparison: everyone the segments count."""
    return int(app.metric[0].value.replace(",", ""))


def test_a_history_shorter_than_any_window_says_why_under_its_heading(app: AppTest) -> None:
    _recent_orders(app, 20)
    _open(app)
    assert not [box for box in app.selectbox if box.key and box.key.startswith("widget_seg_moves_days")]
    elements = _walk(app.main)
    heading = next(i for i, e in enumerate(elements) if e.type == "subheader" and e.value == "Segment moves")
    after = elements[heading + 1]
    assert after.type == "info" and "your customer orders start on 2026-09-" in after.value
    assert "less than 30 days before the analysis date 2026-10-01" in after.value
    app.session_state["lang"] = "zh"
    app.run()
    assert any("无法显示分群变化" in info.value for info in app.info)


def test_a_moves_error_stays_in_its_section(app: AppTest, monkeypatch) -> None:
    def fail(*args: object) -> None:
        raise InsufficientDataError("none", code="no_customers_at_start", start="2025-06-08")

    monkeypatch.setattr(cache, "moves", fail)
    app.switch_page(PAGE).run()
    assert not app.exception
    elements = _walk(app.main)
    [error] = [i for i, e in enumerate(elements) if e.type == "error" and "2025-06-08" in e.value]
    heading = next(i for i, e in enumerate(elements) if e.type == "subheader" and e.value == "Segment moves")
    assert error == heading + 1
    assert "Compare with a more recent date" in elements[error].value


def test_a_degenerate_purchase_model_keeps_its_total_out_of_the_headline(app: AppTest) -> None:
    """90 days of orders: the MBG/NBD fit finds no spread in dropout (a + b in the tens of thousands)."""
    _recent_orders(app, 90)
    _open(app)
    metrics = {metric.label for metric in app.metric}
    assert "Customers" in metrics and not [label for label in metrics if label.startswith("Predicted value")]
    assert any("no difference between customers" in text.value for text in app.markdown)  # the note
    [warning] = app.warning
    assert warning.value.startswith("Predicted value over 365 days: ") and "only as a rough figure" in warning.value
    elements = _walk(app.main)
    heading = next(i for i, e in enumerate(elements) if e.type == "subheader" and e.value == "Customer lifetime value")
    assert elements[heading + 1].type == "warning"
    app.session_state["lang"] = "zh"
    app.run()
    assert "粗略" in app.warning[0].value and not [m for m in app.metric if m.label.startswith("预测价值")]


def test_the_sample_shop_keeps_its_predicted_value_card(app: AppTest) -> None:
    _open(app)
    assert "Predicted value (365 days)" in {metric.label for metric in app.metric}
    assert not app.warning
