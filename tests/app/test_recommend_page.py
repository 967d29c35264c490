"""The Recommendations and coupons page on the sample shop: method choice, one customer, budget, rule errors."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]

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


def _coupons(app: AppTest):
    return _frame(app, "Code")


def test_a_method_chosen_by_hand_is_used_and_the_comparison_stays(app: AppTest) -> None:
    _open(app)
    box = app.selectbox(key="widget_rec_algorithm")
    assert box.value == "auto" and {"Popularity", "Star ratings (SVD)"} <= set(box.options)
    box.set_value("popularity").run()
    assert not app.exception and not app.error
    summary = _frame(app, "Mode")
    assert set(summary["Method"]) == {"Popularity"}
    assert summary["Why"].str.contains("chosen by hand").all()
    assert len(app.get("plotly_chart")) == 2  # the comparison with the baselines is still drawn
    # Popularity gives every customer the same favourites: the coupon items collapse to a few products.
    assert _coupons(app)["Item"].nunique() <= 12


def test_recent_buyers_and_coupon_count_per_customer(app: AppTest) -> None:
    _open(app)
    app.number_input(key="rec_budget").set_value(3000.0).run()
    base = _coupons(app)
    assert base["Customer"].is_unique
    app.number_input(key="widget_rec_max_per_customer").set_value(3).run()
    assert not app.exception and not app.error
    several = _coupons(app)
    assert several.groupby("Customer").size().max() > 1
    assert several.groupby("Customer").size().max() <= 3
    app.number_input(key="widget_rec_recent_days").set_value(30).run()
    assert not app.exception and not app.error
    orders = pd.read_csv(ROOT / "sample_data" / "orders.csv", parse_dates=["order_date"])
    purchases = orders[~orders["order_id"].astype(str).str.startswith("C")]  # a return is not a purchase
    since = orders["order_date"].max().normalize() - pd.Timedelta(days=29)
    recent = set(purchases.loc[purchases["order_date"] >= since, "customer_id"])
    kept = _coupons(app)
    assert len(kept) > 0 and not set(kept["Customer"]) & recent
    caption = " ".join(c.value for c in app.caption)
    assert re.search(r"[\d,]+ customers left out: [\d,]+ bought recently", caption)
    labels = [button.proto.label for button in app.get("download_button")]
    assert "Download the customers left out (CSV)" in labels


def test_discovery_coupons_offer_only_new_items(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_rec_coupon_mode").set_value("discovery").run()
    assert not app.exception and not app.error
    coupons = _coupons(app)
    orders = pd.read_csv(ROOT / "sample_data" / "orders.csv", dtype=str)
    bought = set(zip(orders["customer_id"], orders["item_id"]))
    assert len(coupons) > 0
    assert not {pair for pair in zip(coupons["Customer"], coupons["Item"])} & bought


def test_an_uploaded_opt_out_list_leaves_those_customers_out(app: AppTest) -> None:
    _open(app)
    first = _coupons(app)["Customer"].head(5).tolist()
    payload = ("客户ID\n" + "\n".join(first + first[:2] + [""]) + "\n").encode("utf-8")
    app.file_uploader(key="upload_opt_outs_0").set_value(("退订.csv", payload, "text/csv")).run()
    assert not app.exception and not app.error
    assert not set(_coupons(app)["Customer"]) & set(first)
    caption = " ".join(c.value for c in app.caption)
    assert "5 customers on the opt-out list" in caption and "In use: 退订.csv" in caption
    assert "5 opted out" in caption
    notes = " ".join(m.value for m in app.markdown)
    assert "2 duplicate opt-out ids were ignored" in notes


def test_an_opt_out_list_without_ids_is_a_translated_error(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    app.file_uploader(key="upload_opt_outs_0").set_value(("list.csv", b"colour,size\nred,10\n", "text/csv")).run()
    assert not app.exception
    message = app.error[0].value
    assert "无法使用退订名单" in message and "客户" in message
    assert len(_frame(app, "券码")) > 0  # the coupon list is still produced


def test_settings_survive_leaving_the_page(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="widget_rec_algorithm").set_value("buy_again").run()
    app.number_input(key="widget_rec_recent_days").set_value(14).run()
    app.session_state["rec_rules"] = {"edited_rows": {0: {"discount": 12.0}}, "added_rows": [], "deleted_rows": []}
    app.run()
    app.switch_page("pages/home.py").run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="widget_rec_algorithm").value == "buy_again"
    assert app.number_input(key="widget_rec_recent_days").value == 14
    assert 12.0 in set(_coupons(app)["Discount"])


def test_negative_uplift_from_the_campaign_page_is_left_out(app: AppTest) -> None:
    app.switch_page("pages/campaign.py").run()
    assert not app.exception
    scores = app.session_state["uplift_scores"].scores
    negative = set(scores.loc[scores["uplift"] < 0, "customer_id"].astype(str))
    assert negative
    _open(app)
    box = app.checkbox(key="widget_rec_use_uplift")
    assert box.value
    app.number_input(key="rec_budget").set_value(3000.0).run()
    coupons = _coupons(app)
    assert len(coupons) > 0 and not set(coupons["Customer"]) & negative
    assert "would not move them (negative uplift)" in " ".join(c.value for c in app.caption)
    box.uncheck().run()
    assert set(_coupons(app)["Customer"]) & negative


def test_removing_the_opt_out_list_gives_a_fresh_uploader(app: AppTest) -> None:
    _open(app)
    customer = _coupons(app)["Customer"].iloc[0]
    app.file_uploader(key="upload_opt_outs_0").set_value(("optout.csv", f"customer_id\n{customer}\n".encode(), "text/csv")).run()
    assert customer not in set(_coupons(app)["Customer"])
    app.button(key="remove_opt_outs").click().run()
    assert not app.exception
    assert customer in set(_coupons(app)["Customer"])
    assert app.file_uploader(key="upload_opt_outs_1").value is None
