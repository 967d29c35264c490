"""The Segments page on the sample shop: KPIs, charts, chart selections filtering the customer list."""

from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

PAGE = "pages/segments.py"


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error
    return app


def _customer_table(app: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if "Days since last purchase" in frame.value.columns)


def test_page_shows_kpis_and_every_chart(app: AppTest) -> None:
    _open(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Customers"] == "5,000"
    assert set(metrics) >= {"Repeat customers", "Net revenue", "Predicted value (365 days)", "Slipping away"}
    assert len(app.get("plotly_chart")) == 6
    assert len(_customer_table(app)) == 5000


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
    profile = next(frame.value for frame in app.dataframe if "Share of revenue" in frame.value.columns and "Description" in frame.value.columns)
    assert len(profile) == 3
    app.selectbox(key="widget_seg_horizon").set_value(180).run()
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    app.switch_page(PAGE).run()  # back in another language: the settings are kept
    assert not app.exception
    assert app.selectbox(key="widget_seg_k").value == 3
    assert app.selectbox(key="widget_seg_horizon").value == 180


def test_an_impossible_rule_is_a_translated_error_not_a_crash(app: AppTest) -> None:
    _open(app)
    app.session_state["seg_rules"] = {"edited_rows": {0: {"r_min": 5, "r_max": 1}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert "Segment rule 1" in app.error[0].value


def _rules(app: AppTest) -> pd.DataFrame:
    """The rules the segment rules editor starts from."""
    return next(frame.value for frame in app.dataframe if frame.key == "seg_rules")


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
    assert "客户数" in [metric.label for metric in app.metric]
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
