"""The Recommendations and coupons page on the sample shop: method choice, one customer, budget, rules, names."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from promo_core.coupons import COUPON_TYPES, MARGIN_BASES, SEGMENT_STATUSES
from promo_core.export import to_excel_bytes
from promo_core.recommend import ALGORITHMS
from ui import recommend_views as views
from ui.catalogue import catalogue_names
from ui.i18n import TEXT

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


def _config(app: AppTest, column: str) -> dict:
    """The column configuration of the table (or editor) that has ``column``, by column."""
    return json.loads(next(frame.proto.columns for frame in app.dataframe if column in frame.value.columns))


def _recommendations(app: AppTest):
    return next(frame.value for frame in app.dataframe if {"Why", "Rank"} <= set(frame.value.columns))


def _markdown(app: AppTest) -> str:
    return " ".join(m.value for m in app.markdown)


CHINESE = re.compile(r"[\u4e00-\u9fff]")
# The columns to decide on first (they fit a 1400-pixel screen), then price, item id and the reason.
PREVIEW_COLUMNS = ["Code", "Customer", "Segment", "Name", "Offer", "Chance to buy", "Expected cost", "Expected margin",
                   "Price", "Item", "Why"]
OFFER = re.compile(r"^(\d+(\.\d+)?% off( two)?|[\d.,]+ off|Free shipping \(worth [\d.,]+\))(, from [\d.,]+)?$")


def test_page_renders_on_the_sample_shop(app: AppTest) -> None:
    _open(app)
    assert app.title[0].value == "Recommendations and coupons"
    summary = _frame(app, "Mode")
    assert len(summary) == 2 and summary["Why"].str.contains("NDCG@10").all()
    assert len(app.get("plotly_chart")) == 2
    assert _metric(app, "Expected cost") <= _metric(app, "Budget") == 500
    preview = _frame(app, "Code")
    assert len(preview) > 0 and preview["Code"].is_unique
    # One segment column (names, no codes), one product name column, the offer in words.
    assert list(preview.columns) == PREVIEW_COLUMNS
    assert not preview["Segment"].str.contains("_").any()
    assert preview["Offer"].str.match(OFFER).all() and "10% off" in set(preview["Offer"])
    assert f"Preview of the coupon list (all {len(preview)} rows)" in _markdown(app)
    # Decimals are rounded on screen only: the values stay whole.
    config = _config(app, "Code")
    assert config["Chance to buy"]["type_config"]["format"] == "percent"
    assert config["Expected cost"]["type_config"]["format"] == "%,.2f"
    assert config["Expected margin"]["help"] == "Expected margin (not incremental)"  # the short header's full name
    assert (preview["Expected cost"] != preview["Expected cost"].round(2)).any()
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Coupon list for your systems (CSV)", "Coupon list to read (Excel, English)"]


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
    recs = _recommendations(app)
    history = _frame(app, "Last purchase")
    assert len(recs) == 10 and len(history) > 0
    assert not set(recs["Item"]) & set(history["Item"])  # discovery leaves out what they bought
    assert not recs["Why"].str.startswith(("similar_to", "buy_again", "popular")).any()
    app.radio(key="rec_mode_en").set_value("All (includes buying again)").run()
    recs = _recommendations(app)
    assert recs["Why"].str.startswith("Bought ").any()


def test_also_bought_explorer(app: AppTest) -> None:
    _open(app)
    box = app.selectbox(key="rec_item_en")
    assert len(box.options) > 5
    code = box.options[5].rsplit("(", 1)[1].rstrip(")")
    box.set_value(code).run()
    assert not app.exception
    shared = _frame(app, "Shared buyers")
    assert len(shared) > 0 and code not in set(shared["Item"])
    assert _config(app, "Shared buyers")["Similarity"]["type_config"]["format"] == "%.2f"
    app.session_state["lang"] = "zh"
    app.run()  # a new box (its labels are in Chinese) on the same product
    assert app.selectbox(key="rec_item_zh").value == code
    assert _frame(app, "共同购买人数")["商品编号"].tolist() == shared["Item"].tolist()


def test_page_in_chinese(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    assert app.title[0].value == "商品推荐与优惠券"
    assert "预期成本" in [metric.label for metric in app.metric]
    summary = _frame(app, "模式")
    assert set(summary["模式"]) == {"发现新品（仅未买过的商品）", "全部（含再次购买）"}
    assert summary["原因"].str.contains("NDCG@10").all()
    preview = _frame(app, "券码")
    assert preview["分群"].isin(["冠军客户", "忠诚客户", "潜在忠诚客户", "有流失风险", "不能失去", "即将沉睡", "需要关注", "新客户", "有潜力客户", "休眠客户", "已流失"]).all()
    assert not preview["推荐理由"].str.contains("{", regex=False).any()
    assert "item_name_zh" not in preview.columns and "分群名称" not in preview.columns
    assert preview["名称"].str.contains(CHINESE).all()  # the catalogue's item_name_zh
    assert preview["优惠"].str.match(r"^(满 [\d.,]+ )?(优惠 \d+%|立减 [\d.,]+|包邮（价值 [\d.,]+）|两件优惠 \d+%)$").all()
    assert "优惠券名单预览（全部" in _markdown(app)


def test_product_and_category_names_are_chinese_in_the_chinese_ui(app: AppTest) -> None:
    app.session_state["lang"] = "zh"
    _open(app)
    recs = _frame(app, "推荐理由")
    assert recs["名称"].str.contains(CHINESE).all()
    similar = recs.loc[recs["推荐理由"].str.startswith("常与“"), "推荐理由"]
    assert len(similar) > 0 and similar.str.contains(r"常与“[^”]*[\u4e00-\u9fff][^”]*”").all()
    history = _frame(app, "最近购买")
    assert history["名称"].str.contains(CHINESE).all() and history["品类"].str.contains(CHINESE).all()
    options = app.selectbox(key="rec_item_zh").options
    assert all(CHINESE.search(option) for option in options[:20])
    also = _frame(app, "共同购买人数")
    assert also["名称"].str.contains(CHINESE).all() and also["品类"].str.contains(CHINESE).all()
    app.session_state["lang"] = "en"
    app.run()
    assert not _recommendations(app)["Name"].str.contains(CHINESE).any()


def test_the_value_says_it_is_not_incremental_and_where_to_get_uplift(app: AppTest) -> None:
    _open(app)
    labels = [metric.label for metric in app.metric]
    assert "Expected margin (not incremental)" in labels and "Expected value" not in labels
    assert "would have bought without a coupon" in " ".join(c.value for c in app.caption)
    link = app.get("page_link")[0].proto
    assert link.page == "campaign" and "uplift model" in link.label
    assert "Expected margin" in _frame(app, "Share of budget").columns  # short, so that the table fits
    assert _config(app, "Share of budget")["Expected margin"]["help"] == "Expected margin (not incremental)"


def test_every_segment_status_coupon_type_and_value_basis_has_words() -> None:
    keys = [f"rec.status.{s}" for s in SEGMENT_STATUSES] + [f"rec.coupon.{c}" for c in COUPON_TYPES]
    keys += [f"rec.algo.{a}" for a in ALGORITHMS] + [f"rec.offer.{c}" for c in COUPON_TYPES]
    keys += [f"rec.margin_basis.{b}" for b in MARGIN_BASES] + [f"rec.value_short.{b}" for b in ("propensity", "uplift", "mixed")]
    keys += [f"rec.{kind}.{basis}" for kind in ("value", "value_help") for basis in ("propensity", "uplift", "mixed")]
    assert [key for key in keys if key not in TEXT] == []


def test_the_summary_by_segment_says_why_a_segment_got_nothing_and_a_reserve_reaches_it(app: AppTest) -> None:
    _open(app)
    summary = _frame(app, "Share of budget").set_index("Segment")
    assert summary.loc["Total", "Coupons"] == len(_coupons(app))
    assert summary.loc["At risk", "Coupons"] == 0 and summary.loc["Can't lose", "Coupons"] == 0
    assert summary.loc["At risk", "Coupons, or why none"] == "None: budget ran out"
    assert summary.loc["Champions", "Coupons, or why none"] == "Got coupons"
    # Reserve 30% of the budget for At risk (row 2 of the default rules).
    app.session_state["rec_rules"] = {"edited_rows": {1: {"budget_share": 30.0}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception and not app.error
    summary = _frame(app, "Share of budget").set_index("Segment")
    assert summary.loc["At risk", "Coupons"] > 0 and summary.loc["At risk", "Coupons, or why none"] == "Got coupons"
    assert 0.25 < summary.loc["At risk", "Share of budget"] <= 0.30 + 1e-9
    assert _metric(app, "Expected cost") <= 500
    assert "At risk" in set(_coupons(app)["Segment"])


def test_reserves_above_the_whole_budget_are_a_translated_error(app: AppTest) -> None:
    _open(app)
    edits = {"edited_rows": {0: {"budget_share": 60.0}, 1: {"budget_share": 50.0}}, "added_rows": [], "deleted_rows": []}
    app.session_state["rec_rules"] = edits
    app.run()
    assert not app.exception
    assert "reserve 110% of the budget" in app.error[0].value
    app.session_state["lang"] = "zh"
    app.run()
    app.session_state["rec_rules"] = edits
    app.run()
    assert "合计预留了 110% 的预算" in app.error[0].value


def test_the_rules_editor_shows_names_and_keeps_codes(app: AppTest) -> None:
    _open(app)
    rules = _frame(app, "budget_share")
    assert rules["segment"].tolist() == ["*", "at_risk", "cant_lose"]
    assert rules["coupon_type"].tolist() == ["percent", "percent", "fixed"]
    config = _config(app, "budget_share")
    segments = {o["value"]: o["label"] for o in config["segment"]["type_config"]["options"]}
    types = {o["value"]: o["label"] for o in config["coupon_type"]["type_config"]["options"]}
    assert segments["*"] == "Every other segment" and segments["at_risk"] == "At risk" and len(segments) >= 12
    assert types == {"percent": "Percent off", "fixed": "Fixed amount off", "free_shipping": "Free shipping",
                     "bundle": "Bundle (two items)"}
    assert not any(c.value.startswith("percent:") for c in app.caption)  # no legend of codes
    app.session_state["rec_rules"] = {"edited_rows": {}, "deleted_rows": [],
                                      "added_rows": [{"segment": "champions", "coupon_type": "free_shipping", "discount": 5.0}]}
    app.run()
    assert not app.exception and not app.error
    assert _coupons(app).loc[lambda f: f["Segment"] == "Champions", "Offer"].str.startswith("Free shipping (worth").all()
    app.session_state["lang"] = "zh"
    app.run()
    config = _config(app, "budget_share")
    segments = {o["value"]: o["label"] for o in config["segment"]["type_config"]["options"]}
    assert segments["at_risk"] == "有流失风险" and config["coupon_type"]["type_config"]["options"][0]["label"] == "百分比折扣"


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
    assert len(base) == 200 and re.search(r"first 200 of [\d,]+ rows", _markdown(app))
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
    assert "12% off" in set(_coupons(app)["Offer"])


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
    labels = {metric.label for metric in app.metric}
    assert labels & {"Expected incremental value", "Expected value (partly incremental)"}
    assert "Expected margin (not incremental)" not in labels
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


# --- review fixes: the margin behind the value, any customer, exports for people, readable reasons ----------------


def _margin_box(app: AppTest):
    return app.number_input(key="widget_shop_margin")


def _captions(app: AppTest) -> str:
    return " ".join(c.value for c in app.caption)


def test_the_assumed_gross_margin_is_shown_editable_and_moves_the_value(app: AppTest) -> None:
    _open(app)
    box = _margin_box(app)
    assert box.label == "Gross margin (%)" and box.value == 30.0 and not box.disabled
    assert "every product is assumed to leave a 30% gross margin" in _captions(app)
    help_text = {metric.label: metric.proto.help for metric in app.metric}["Expected margin (not incremental)"]
    assert "30% gross margin" in help_text
    before = _metric(app, "Expected margin (not incremental)")
    box.set_value(60.0).run()
    assert not app.exception and not app.error
    assert "every product is assumed to leave a 60% gross margin" in _captions(app)
    assert _metric(app, "Expected margin (not incremental)") > 1.5 * before
    # One setting of the shop, remembered under the name the Campaign page uses too.
    assert app.session_state["remembered_settings"]["shop_margin"] == 60.0
    app.switch_page("pages/home.py").run()
    _open(app)
    assert _margin_box(app).value == 60.0


def test_the_gross_margin_set_on_the_campaign_page_is_the_one_used(app: AppTest) -> None:
    app.switch_page("pages/campaign.py").run()
    _margin_box(app).set_value(42.0).run()  # the uplift targeting's margin, the same setting
    _open(app)
    assert _margin_box(app).value == 42.0 and "42% gross margin" in _captions(app)


def test_a_catalogue_with_costs_sets_the_margin_and_says_so(app: AppTest) -> None:
    items = pd.read_csv(ROOT / "sample_data" / "items.csv")
    payload = items.assign(cost=(items["price"] * 0.4).round(2)).to_csv(index=False).encode()
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_items").set_value(("items_with_cost.csv", payload, "text/csv")).run()
    assert not app.exception
    _open(app)
    box = _margin_box(app)
    assert not box.disabled and "from the catalogue’s cost column" in _captions(app)
    assert "products without a cost use the gross margin setting (30%)" in _captions(app)
    assert "assumed" not in _captions(app)


def _type(app: AppTest, text: str) -> None:
    """Type a new option into the customer box: the browser adds it to the options and sends it."""
    box = app.selectbox(key="rec_customer")
    box.options.append(text)
    box.set_value(text)


def test_any_customer_of_the_data_can_be_looked_up_by_typing_the_id(app: AppTest) -> None:
    _open(app)
    box = app.selectbox(key="rec_customer")
    assert len(box.options) == 200 and box.proto.accept_new_options
    customer = next(c for c in _coupons(app)["Customer"] if c not in box.options)  # got a coupon, not a top customer
    _type(app, customer.lower())  # in the wrong case
    app.run()
    assert not app.exception and not app.warning
    assert len(_recommendations(app)) == 10 and len(_frame(app, "Last purchase")) > 0


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "No customer with ID “NOBODY-42” in the orders: check the ID"),
    ("zh", "订单中没有编号为“NOBODY-42”的客户"),
])
def test_an_unknown_customer_id_is_a_translated_warning(app: AppTest, lang: str, message: str) -> None:
    app.session_state["lang"] = lang
    _open(app)
    _type(app, "  NOBODY-42 ")
    app.run()
    assert not app.exception and not app.error
    assert app.warning[0].value.startswith(message)
    assert not [frame for frame in app.dataframe if "Last purchase" in frame.value.columns or "最近购买" in frame.value.columns]
    assert len(_frame(app, "Code" if lang == "en" else "券码")) > 0  # the rest of the page goes on


def test_long_reasons_get_room_to_be_read(app: AppTest) -> None:
    _open(app)
    summary = next(frame for frame in app.dataframe if "Mode" in frame.value.columns)
    assert json.loads(summary.proto.columns)["Why"]["width"] == "large" and summary.proto.row_height >= 64  # wraps
    assert _config(app, "Rank")["Why"]["width"] == "large"
    assert _config(app, "Code")["Why"]["width"] == "large"
    # The recommendations take the full width (no longer squeezed beside the history).
    assert _recommendations(app)["Why"].str.len().max() > 25


def test_the_comparison_legend_says_what_colours_and_hatching_mean(app: AppTest) -> None:
    _open(app)
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    legend = [(t["name"], t["marker"]["pattern"]["shape"]) for t in spec["data"] if t.get("showlegend", True)]
    assert legend == [("Discovery (new products only)", ""), ("All (includes buying again)", ""),
                      ("Hatched: simple baseline to beat", "/")]


def test_counts_in_the_segment_summary_have_thousands_separators(app: AppTest) -> None:
    _open(app)
    config = _config(app, "Share of budget")
    assert {config[c]["type_config"]["format"] for c in ("Eligible customers", "Customers reached", "Coupons")} == {"%,d"}
    assert _frame(app, "Share of budget").set_index("Segment").loc["Total", "Eligible customers"] >= 1000


def test_reasons_say_once_today_and_yesterday() -> None:
    names = catalogue_names(None)
    assert views.reason_text("buy_again", {"times": 1, "days_ago": 19}, names) == "Bought once, 19 days ago"
    assert views.reason_text("buy_again", {"times": 3, "days_ago": 1}, names) == "Bought 3 times, most recently yesterday"
    assert views.reason_text("buy_again", {"times": 1200, "days_ago": 0}, names) == "Bought 1,200 times, most recently today"
    assert views.reason_text("bought_category_often", {"category": "tea", "times": 1}, names) == "Bought from tea once"
    assert views.reason_text("popular", {"buyers": 1}, names) == "Bought by 1 customer so far"
    assert views.reason_text("popular", {"buyers": 1500}, names) == "Popular: 1,500 buyers"
    assert views.reason_text("popular_recently", {"buyers": 1, "days": 30}, names) == "Trending: 1 buyer in the last 30 days"
    singular = [key for key in TEXT if key.startswith("rec.reason.") and key.endswith(".one")]
    assert all(key.removesuffix(".one") in TEXT for key in singular)


def test_the_excel_coupon_list_is_for_people_and_the_csv_for_systems() -> None:
    export = pd.DataFrame({
        "code": ["=ABC234DEF567", "XYZ234DEF567"], "customer_id": ["U1", "U2"], "segment": ["at_risk", "champions"],
        "segment_name": ["At risk", "Champions"], "item_id": ["SKU1", "SKU2"], "item_name": ["Tea", "Pot"],
        "coupon_type": ["percent", "fixed"], "discount": [15.0, 10.0], "min_spend": [0.0, 40.0],
        "price": [12.3456, 50.0], "propensity": [0.123456, 0.9], "expected_cost": [0.2222222, 3.3333333],
        "expected_value": [1.23456, 10.987654], "value_basis": ["propensity"] * 2, "reason": ["Popular: 9 buyers"] * 2,
    })
    people = views.people_frame(export, catalogue_names(None), "Expected margin (not incremental)")
    assert list(people.columns) == ["Code", "Customer", "Segment", "Item", "Name", "Coupon type", "Offer", "Price",
                                    "Chance to buy (%)", "Expected cost", "Expected margin (not incremental)", "Why"]
    assert people["Code"].tolist() == export["code"].tolist()  # codes intact; the exporter neutralises, not this
    assert people["Segment"].tolist() == ["At risk", "Champions"]
    assert people["Coupon type"].tolist() == ["Percent off", "Fixed amount off"]
    assert people["Offer"].tolist() == ["15% off", "10.00 off, from 40.00"]
    assert people["Chance to buy (%)"].tolist() == [12.3, 90.0]
    assert people["Price"].tolist() == [12.35, 50.0] and people["Expected cost"].tolist() == [0.22, 3.33]
    workbook = pd.read_excel(io.BytesIO(to_excel_bytes(people)), dtype={"Code": str}, engine="openpyxl")
    assert workbook["Code"].tolist() == ["'=ABC234DEF567", "XYZ234DEF567"]  # the safe exporter still applies
