"""The Recommendations and coupons page on the sample shop: method choice, one customer, budget, rule errors."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE = "pages/recommend.py"


def _open(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    assert not app.error
    return app


def _metric(app: AppTest, label: str) -> float:
    value = {metric.label: metric.value for metric in app.metric}[label]
    return float(value.split()[0].replace(",", ""))


def _frame(app: AppTest, column: str):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def test_page_renders_on_the_sample_shop(app: AppTest) -> None:
    _open(app)
    assert app.title[0].value == "Recommendations and coupons"
    summary = _frame(app, "Mode")
    assert len(summary) == 2 and summary["Why"].str.contains("NDCG@10").all()
    assert len(app.get("plotly_chart")) == 2
    assert _metric(app, "Expected cost") <= _metric(app, "Budget") == 500
    preview = _frame(app, "Code")
    assert len(preview) > 0 and preview["Code"].is_unique
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Download coupon list (CSV)", "Download coupon list (Excel)"]


def test_changing_the_budget_changes_the_cost_and_never_exceeds_it(app: AppTest) -> None:
    _open(app)
    used = {}
    for budget in (100.0, 300.0, 1200.0):
        app.number_input(key="rec_budget").set_value(budget).run()
        assert not app.exception and not app.error
        assert _metric(app, "Budget") == budget
        used[budget] = _metric(app, "Expected cost")
        assert 0 < used[budget] <= budget
        assert app.slider(key="rec_budget_slider").value == budget
    assert used[100.0] < used[300.0] < used[1200.0]
    app.slider(key="rec_budget_slider").set_value(200.0).run()
    assert _metric(app, "Budget") == 200.0 and _metric(app, "Expected cost") <= 200.0


def test_a_tiny_or_zero_budget_is_a_translated_error(app: AppTest) -> None:
    _open(app)
    app.number_input(key="rec_budget").set_value(0.01).run()
    assert not app.exception
    assert "cheapest coupon" in app.error[0].value
    app.session_state["lang"] = "zh"
    app.run()
    assert "最便宜一张优惠券" in app.error[0].value


def test_a_discount_above_100_is_a_translated_error(app: AppTest) -> None:
    _open(app)
    app.session_state["rec_rules"] = {"edited_rows": {0: {"discount": 150.0}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert "cannot exceed 100%" in app.error[0].value
    app.session_state["lang"] = "zh"
    app.run()  # the editor's columns are relabelled, so its edits start afresh
    app.session_state["rec_rules"] = {"edited_rows": {0: {"discount": 150.0}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert "折扣不能超过 100%" in app.error[0].value
    # The rest of the page still works.
    assert len(_frame(app, "推荐理由")) > 0


def test_customer_lookup_shows_recommendations_with_reasons(app: AppTest) -> None:
    _open(app)
    customers = app.selectbox(key="rec_customer").options
    app.selectbox(key="rec_customer").set_value(customers[3]).run()
    recs = next(frame.value for frame in app.dataframe if "Why" in frame.value.columns and "Rank" in frame.value.columns)
    history = _frame(app, "Last purchase")
    assert len(recs) == 10 and len(history) > 0
    assert not set(recs["Item"]) & set(history["Item"])  # discovery leaves out what they bought
    assert not recs["Why"].str.startswith(("similar_to", "buy_again", "popular")).any()
    app.radio(key="rec_mode_en").set_value("All (includes buying again)").run()
    recs = next(frame.value for frame in app.dataframe if "Why" in frame.value.columns and "Rank" in frame.value.columns)
    assert recs["Why"].str.startswith("Bought ").any()


def test_also_bought_explorer(app: AppTest) -> None:
    _open(app)
    box = app.selectbox(key="rec_item")
    assert len(box.options) > 5
    code = box.options[5].rsplit("(", 1)[1].rstrip(")")
    box.set_value(code).run()
    assert not app.exception
    assert len(_frame(app, "Shared buyers")) > 0


def test_page_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.title[0].value == "商品推荐与优惠券"
    assert "预期成本" in [metric.label for metric in app.metric]
    summary = _frame(app, "模式")
    assert set(summary["模式"]) == {"发现新品（仅未买过的商品）", "全部（含再次购买）"}
    assert summary["原因"].str.contains("NDCG@10").all()
    preview = _frame(app, "券码")
    assert preview["分群名称"].isin(["冠军客户", "忠诚客户", "潜在忠诚客户", "有流失风险", "不能失去", "即将沉睡", "需要关注", "新客户", "有潜力客户", "休眠客户", "已流失"]).any()
    assert not preview["推荐理由"].str.contains("{", regex=False).any()
