"""The Ads page on the sample shop: models, charts, the budget allocator, translated errors."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT

PAGE = "pages/ads.py"


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_page_renders_on_sample_data(app: AppTest) -> None:
    _open(app)
    metrics = _metrics(app)
    assert set(metrics) >= {"AUC (test)", "Calibration error (ECE)", "Expected gain", "Recommended spend"}
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
    assert {"AUC（测试集）", "预期增量"} <= set(_metrics(app))
    comparison = next(frame.value for frame in app.dataframe if "验证集对数损失" in frame.value.columns)
    assert "逻辑回归" in set(comparison["模型"])


def test_budget_changes_the_allocation_within_bounds(app: AppTest) -> None:
    _open(app)
    before = _metrics(app)["Recommended spend"]
    budget = app.number_input(key="ads_budget")
    new_budget = round(float(budget.value) * 1.5, 2)
    # search (row 2) must get at least 12 a day, display (row 0) at most 0.2
    app.session_state["ads_bounds"] = {"edited_rows": {2: {"low": 12.0}, 0: {"high": 0.2}}, "added_rows": [], "deleted_rows": []}
    budget.set_value(new_budget).run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    after = _metrics(app)["Recommended spend"]
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
    import json

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
    app.selectbox(key="ads_target").set_value("converted").run()
    assert not app.exception
    if app.error:
        assert all("Traceback" not in e.value for e in app.error)
    else:
        assert "AUC (test)" in _metrics(app)
        assert any("post-click CVR" in caption.value for caption in app.caption)


def test_budget_outside_the_bounds_is_a_translated_error(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    app.switch_page(PAGE).run()
    app.number_input(key="ads_budget").set_value(100000.0).run()
    assert not app.exception
    assert any("无法在上下限内分配" in e.value for e in app.error)


def test_an_ad_log_without_clicks_shows_a_translated_error(app: AppTest) -> None:
    frame = pd.read_csv(ROOT / "sample_data" / "ad_events.csv").head(3000)
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
