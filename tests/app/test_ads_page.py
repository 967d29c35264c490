"""The Ads page on the sample shop: models, charts, the budget allocator, translated errors."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import NumberInput

from promo_core import load_table
from promo_core.ctr import OBJECTIVES, Allocation, allocate_budget, daily_history, fit_response_curves
from tests.app.conftest import ROOT

PAGE = "pages/ads.py"
LOG = ROOT / "sample_data" / "ad_events.csv"


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _budget(app: AppTest) -> NumberInput:
    """The daily budget box (its key names the ad log the budget belongs to)."""
    return next(box for box in app.number_input if box.key.startswith("widget_ads_budget_"))


def test_page_renders_on_sample_data(app: AppTest) -> None:
    _open(app)
    metrics = _metrics(app)
    assert set(metrics) >= {"AUC (test)", "Calibration error (ECE)", "Expected gain per day", "Recommended daily spend"}
    assert float(metrics["AUC (test)"]) > 0.6
    assert len(app.get("plotly_chart")) == 9
    comparison = next(frame.value for frame in app.dataframe if "Validation log-loss" in frame.value.columns)
    assert set(comparison["Model"]) == {"Logistic regression", "Random forest", "Gradient boosting"}
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Download scored impressions (CSV)", "Download the allocation (CSV)"]


def test_page_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.title[0].value == "广告：点击、转化与预算"
    assert {"AUC（测试集）", "预期每日增量"} <= set(_metrics(app))
    comparison = next(frame.value for frame in app.dataframe if "验证集对数损失" in frame.value.columns)
    assert "逻辑回归" in set(comparison["模型"])


def test_budget_changes_the_allocation_within_bounds(app: AppTest) -> None:
    _open(app)
    before = _metrics(app)["Recommended daily spend"]
    budget = _budget(app)
    new_budget = round(float(budget.value) * 1.5, 2)
    # search (row 2) must get at least 12 a day, display (row 0) at most 0.2
    app.session_state["ads_bounds"] = {"edited_rows": {2: {"low": 12.0}, 0: {"high": 0.2}}, "added_rows": [], "deleted_rows": []}
    budget.set_value(new_budget).run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    after = _metrics(app)["Recommended daily spend"]
    assert after != before
    assert float(after.replace(",", "")) == pytest.approx(new_budget, abs=0.01)
    table = _allocation_table(app)
    assert table["recommended_spend"].sum() == pytest.approx(new_budget, rel=1e-6)
    search = table.set_index("channel").loc["search"]
    display = table.set_index("channel").loc["display"]
    assert search["recommended_spend"] >= 12.0 - 1e-9
    assert display["recommended_spend"] <= 0.2 + 1e-9
    assert (table["recommended_spend"] >= table["low"] - 1e-9).all()
    assert (table["recommended_spend"] <= table["high"] + 1e-9).all()


def _allocation_table(app: AppTest) -> pd.DataFrame:
    """The allocation behind the bar chart: channel, current and recommended spend, read from its figure."""
    chart = next(c for c in app.get("plotly_chart") if '"Recommended"' in c.proto.spec and '"bar"' in c.proto.spec)
    rec = next(trace for trace in json.loads(chart.proto.spec)["data"] if trace.get("name") == "Recommended")
    bounds = _array(rec["customdata"]).reshape(-1, 2)
    return pd.DataFrame({
        "channel": list(rec["x"]), "recommended_spend": _array(rec["y"]), "low": bounds[:, 0], "high": bounds[:, 1],
    })


def _array(value: object) -> np.ndarray:
    """A plotly JSON array: a plain list or a typed array ({"dtype", "bdata", "shape"})."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).astype(float)
    return np.asarray(value, dtype=float)


def test_conversions_target_works(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_ads_target").set_value("converted").run()
    assert not app.exception
    if app.error:
        assert all("Traceback" not in e.value for e in app.error)
    else:
        assert "AUC (test)" in _metrics(app)
        assert any("post-click CVR" in caption.value for caption in app.caption)


def test_budget_outside_the_bounds_is_a_translated_error(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    app.switch_page(PAGE).run()
    _budget(app).set_value(100000.0).run()
    assert not app.exception
    assert any("无法在上下限内分配" in e.value for e in app.error)


def test_an_ad_log_without_clicks_shows_a_translated_error(app: AppTest) -> None:
    frame = pd.read_csv(LOG).head(3000)
    frame["clicked"] = 0
    frame["converted"] = 0
    payload = frame.to_csv(index=False).encode()
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_ad_events").set_value(("no_clicks.csv", payload, "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert any("has no positive rows" in text for text in errors), errors
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    assert any("没有任何正例" in e.value for e in app.error)


def _upload(app: AppTest, frame: pd.DataFrame, name: str) -> None:
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_ad_events").set_value((name, frame.to_csv(index=False).encode(), "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception


def _page_allocation(objective: str, roas_target: float | None) -> Allocation:
    """What the page computes for the sample shop: default budget and bounds as the widgets show them (2 decimals)."""
    curves = fit_response_curves(daily_history(load_table(LOG, "ad_events").frame), OBJECTIVES[objective])
    default = allocate_budget(curves, None, None, objective, roas_target=roas_target)
    bounds = {c: (low, high) for c, low, high in default.table[["channel", "low", "high"]].round(2).itertuples(index=False)}
    budget = round(float(default.table["current_spend"].sum()), 2)
    return allocate_budget(curves, budget, bounds, objective, roas_target=roas_target)


def test_roas_target_objective_shows_the_allocators_numbers(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_ads_objective").set_value("roas_target").run()
    app.number_input(key="widget_ads_roas").set_value(40.0).run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    expected = _page_allocation("roas_target", 40.0)
    assert expected.spend < expected.budget  # a target above today's ROAS (about 27) holds spend back
    metrics = _metrics(app)
    assert metrics["Recommended daily spend"] == f"{expected.spend:,.2f}" == "6.38"
    assert metrics["Current revenue per day"] == f"{expected.current_outcome:,.2f}"
    assert metrics["Expected revenue per day"] == f"{expected.expected_outcome:,.2f}"
    assert metrics["Expected gain per day"] == f"{expected.gain:+,.2f}"
    assert metrics["Expected ROAS"] == "40.00"
    assert any("To keep ROAS at 40.0, spend is limited to 6.38 per day." in m.value for m in app.markdown)
    table = _allocation_table(app).set_index("channel")
    shown = table.loc[expected.table["channel"], "recommended_spend"].to_numpy()
    np.testing.assert_allclose(shown, expected.table["recommended_spend"], rtol=1e-9)
    assert (table["recommended_spend"] <= table["high"] + 1e-9).all()
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    assert _metrics(app)["预期 ROAS"] == "40.00"
    assert any("为保持 ROAS 达到 40.0，每日花费限制为 6.38。" in m.value for m in app.markdown)


def test_roas_target_below_todays_return_spends_the_whole_budget(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_ads_objective").set_value("roas_target").run()
    assert not app.error, [e.value for e in app.error]
    expected = _page_allocation("roas_target", 3.0)
    metrics = _metrics(app)
    assert metrics["Recommended daily spend"] == f"{expected.spend:,.2f}" == f"{expected.budget:,.2f}"
    assert metrics["Expected ROAS"] == f"{expected.expected_outcome / expected.spend:,.2f}"
    assert float(metrics["Expected ROAS"]) > 3.0


def test_an_ad_log_without_cost_says_the_allocator_needs_it(app: AppTest) -> None:
    _upload(app, pd.read_csv(LOG).drop(columns=["cost"]), "no_cost.csv")
    assert "AUC (test)" in _metrics(app)  # the models do not need the cost
    [message] = [e.value for e in app.error]
    assert message == "The budget allocator needs the ad cost of every impression: map a column to 'cost' on the Data page."
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Download scored impressions (CSV)"]
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    [message] = [e.value for e in app.error]
    assert "“cost”" in message and "“数据”页" in message and "花费" in message


def test_a_log_cut_at_noon_notes_the_partial_day(app: AppTest) -> None:
    frame = pd.read_csv(LOG, parse_dates=["timestamp"])
    last = frame["timestamp"].dt.normalize().max()
    _upload(app, frame[frame["timestamp"] < last + pd.Timedelta(hours=12)], "cut_at_noon.csv")
    assert not app.error, [e.value for e in app.error]
    notes = " ".join(m.value for m in app.markdown)
    assert f"The log holds only part of {last:%Y-%m-%d} (about 3" in notes and "scaled up to a whole day" in notes
    app.session_state["lang"] = "zh"
    app.run()
    assert f"日志只包含 {last:%Y-%m-%d} 的一部分" in " ".join(m.value for m in app.markdown)


def _bounds(app: AppTest) -> pd.DataFrame:
    """The per-channel bounds the bounds editor starts from, by channel (key ads_bounds_zh in Chinese)."""
    return next(frame.value for frame in app.dataframe if frame.key in ("ads_bounds", "ads_bounds_zh")).set_index("channel")


def test_settings_survive_leaving_the_page_and_switching_language(app: AppTest) -> None:
    _open(app)
    features = [c for c in app.multiselect(key="widget_ads_features").value if c != "placement"]
    app.multiselect(key="widget_ads_features").set_value(features).run()
    app.selectbox(key="widget_ads_seg_rows").set_value("device").run()
    app.selectbox(key="widget_ads_seg_columns").set_value("audience").run()
    app.selectbox(key="widget_ads_objective").set_value("roas_target").run()
    app.number_input(key="widget_ads_roas").set_value(20.0).run()
    budget = round(float(_budget(app).value) * 0.8, 2)
    _budget(app).set_value(budget).run()
    app.session_state["ads_bounds"] = {"edited_rows": {0: {"high": 0.2}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    shown = [metric.value for metric in app.metric]
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    _open(app)  # back in another language, where each setting has a widget of its own
    assert app.multiselect(key="widget_ads_features_zh").value == features
    assert app.selectbox(key="widget_ads_seg_rows_zh").value == "device"
    assert app.selectbox(key="widget_ads_seg_columns_zh").value == "audience"
    assert app.selectbox(key="widget_ads_objective_zh").value == "roas_target"
    assert app.number_input(key="widget_ads_roas_zh").value == 20.0
    assert _budget(app).value == budget
    assert _bounds(app).loc["display", "high"] == 0.2
    assert [metric.value for metric in app.metric] == shown  # the same models and allocation
    assert "预期 ROAS" in _metrics(app)


def test_remembered_settings_the_new_log_lacks_fall_back_to_the_defaults(app: AppTest) -> None:
    _open(app)
    app.multiselect(key="widget_ads_features").set_value(["channel", "device", "creative"]).run()
    app.selectbox(key="widget_ads_seg_rows").set_value("device").run()
    _budget(app).set_value(1.0).run()
    app.session_state["ads_bounds"] = {"edited_rows": {0: {"high": 0.2}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    # Another log: no device column, and a video channel instead of display.
    frame = pd.read_csv(LOG).drop(columns=["device"]).replace({"channel": {"display": "video"}})
    _upload(app, frame, "other_log.csv")
    assert not app.error, [e.value for e in app.error]
    features = app.multiselect(key="widget_ads_features")
    assert len(features.value) == len(features.options) and "device" not in features.value
    rows = app.selectbox(key="widget_ads_seg_rows")
    assert rows.index == 0 and rows.value != "device"
    objective = next(iter(OBJECTIVES))  # the page's default
    history = daily_history(load_table(frame.to_csv(index=False).encode(), "ad_events").frame)
    default = allocate_budget(fit_response_curves(history, OBJECTIVES[objective]), None, None, objective)
    assert _budget(app).value == round(float(default.table["current_spend"].sum()), 2)
    pd.testing.assert_frame_equal(_bounds(app), default.table[["channel", "low", "high"]].round(2).set_index("channel"))


def _figure(app: AppTest, title: str) -> dict:
    """The plotly figure (as JSON) whose title is ``title``."""
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return next(f for f in figures if f["layout"].get("title", {}).get("text") == title)


def test_marketer_kpis_lead_and_statistics_wait_in_closed_expanders(app: AppTest) -> None:
    _open(app)
    log = pd.read_csv(LOG)
    clicks, conversions = log["clicked"].sum(), log["converted"].sum()
    lead = [(metric.label, metric.value) for metric in app.metric][:4]
    assert lead == [
        ("Click-through rate (CTR)", f"{clicks / len(log):.2%}"),
        ("Conversion rate after a click (CVR)", f"{(log['clicked'] & log['converted']).sum() / clicks:.2%}"),
        ("Cost per conversion (CPA)", f"{log['cost'].sum() / conversions:,.2f}"),
        ("Return on ad spend (ROAS)", f"{log['revenue'].sum() / log['cost'].sum():,.2f}"),
    ]
    expanders = {expander.label: expander for expander in app.expander}
    assert not expanders["Model settings"].proto.expanded
    details = expanders["Details for analysts"]
    assert not details.proto.expanded
    assert {m.label for m in details.get("metric")} == {"AUC (test)", "Calibration error (ECE)", "Observed rate", "Predicted rate"}
    assert "Settings" in details.get("dataframe")[0].value.columns
    assert len(details.get("plotly_chart")) == 3  # log-loss, ROC, calibration
    outside = {m.label for m in app.metric} - {m.label for m in details.get("metric")}
    assert "AUC (test)" not in outside and "Current conversions per day" in outside
    plain = " ".join(m.value for m in app.markdown)
    assert re.search(r"the top 10% of impressions click \d+\.\d× as often as the average", plain)


def test_chinese_page_translates_known_feature_and_column_names(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.selectbox(key="widget_ads_seg_rows_zh").value == "channel"
    assert app.selectbox(key="widget_ads_seg_columns_zh").options[:2] == ["渠道", "创意"]
    assert app.selectbox(key="widget_ads_seg_columns_zh").value == "creative"  # the value stays the column's code
    assert {"客户分群", "时间"} <= set(app.multiselect(key="widget_ads_features_zh").options)
    importance = _figure(app, "特征重要性（打乱后 AUC 的下降）")["data"][0]
    assert {"渠道当日曝光量", "客户分群", "星期几"} <= set(importance["y"])
    assert "daily_volume" in list(importance["customdata"])
    heatmap = _figure(app, "实际点击率（CTR）")
    assert heatmap["layout"]["xaxis"]["title"]["text"] == "创意"
    assert {"点击率（CTR）", "单次转化成本（CPA）", "当前每日转化"} <= set(_metrics(app))


def test_columns_the_user_named_keep_their_names(app: AppTest) -> None:
    frame = pd.read_csv(LOG).rename(columns={"creative": "hero_image"})
    _upload(app, frame, "renamed.csv")
    assert not app.error, [e.value for e in app.error]
    assert app.selectbox(key="widget_ads_seg_columns").options[:2] == ["Channel", "hero_image"]
    assert "hero_image" in app.multiselect(key="widget_ads_features").options


def test_observed_and_predicted_maps_share_one_colour_scale_and_name_their_rate(app: AppTest) -> None:
    _open(app)
    observed = _figure(app, "Observed click-through rate (CTR)")["data"][0]
    predicted = _figure(app, "Predicted click-through rate (CTR)")["data"][0]
    assert (observed["zmin"], observed["zmax"]) == (predicted["zmin"], predicted["zmax"])
    rates = np.concatenate([_array(observed["z"]).ravel(), _array(predicted["z"]).ravel()])
    assert observed["zmin"] == pytest.approx(np.nanmin(rates)) and observed["zmax"] == pytest.approx(np.nanmax(rates))
    assert observed["colorbar"]["title"]["text"] == "CTR"
    assert "Predicted click-through rate (CTR): %{customdata[1]:.2%}" in observed["hovertemplate"]
    assert any("share one colour scale" in caption.value for caption in app.caption)
    app.selectbox(key="widget_ads_target").set_value("converted").run()
    assert not app.exception
    converted = _figure(app, "Predicted conversion rate after a click (CVR)")["data"][0]
    assert converted["colorbar"]["title"]["text"] == "CVR"
    app.session_state["lang"] = "zh"
    app.run()
    assert _figure(app, "预测点击后转化率（CVR）")["data"][0]["colorbar"]["title"]["text"] == "转化率"


def _split_table(app: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if "Marginal return (conversions per extra 1)" in frame.value.columns)


def test_the_allocation_is_a_table_too_with_reasons_for_a_channel_left_out(app: AppTest) -> None:
    _open(app)
    expected = _page_allocation("conversions", None).table.set_index("channel")
    table = _split_table(app).set_index("Channel")
    assert table.columns.tolist() == ["Current daily spend", "Recommended daily spend", "Change",
                                      "Expected conversions per day", "Marginal return (conversions per extra 1)"]
    np.testing.assert_allclose(table["Recommended daily spend"], expected["recommended_spend"], rtol=1e-9)
    np.testing.assert_allclose(table["Marginal return (conversions per extra 1)"], expected["marginal_return"], rtol=1e-9)
    search = expected.loc["search"]
    assert table.loc["search", "Change"] == f"{search['change']:+,.2f}"
    dropped = expected[expected["recommended_spend"] < 0.005]
    assert len(dropped) >= 1  # on the sample shop at least one channel gets nothing
    funded = expected[expected["recommended_spend"] >= 0.005]
    texts = " ".join(m.value for m in app.markdown)
    for channel, row in dropped.iterrows():
        assert (f"**{channel}** gets no budget: on its fitted curve even its first 1 brings only "
                f"{row['marginal_return']:,.3g} conversions, less than the {funded['marginal_return'].min():,.3g}") in texts
        assert row["marginal_return"] < funded["marginal_return"].min()


def test_the_allocation_table_writes_amounts_in_the_shops_currency(app: AppTest) -> None:
    app.session_state["currency"] = "EUR"
    app.session_state["lang"] = "zh"
    _open(app)
    frame = next(f for f in app.dataframe if "边际回报（每多花 €1 的转化）" in f.value.columns)
    config = json.loads(frame.proto.columns)
    assert config["当前每日花费"]["type_config"]["format"] == "€%,.2f"
    assert config["建议每日花费"]["type_config"]["format"] == "€%,.2f"
    assert all(text[0] in "+-" and "€" in text for text in frame.value["变化"])
