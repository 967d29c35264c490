"""The Campaign effect page via AppTest: renders in both languages, lift table, choices, bad choices,
power calculator, caching of the slow steps, and every campaign-core code translated."""

from __future__ import annotations

import json
import math
import re
import string
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize
from streamlit.testing.v1 import AppTest

from promo_core import load_table
from promo_core.campaign import ab_test_many
from promo_core.export import to_csv_bytes
from promo_core.memo import LABELS_EN, NOTE_TEXTS_EN, decision_memo, escape_markdown
from promo_core.uplift import fit_uplift
from ui import cache
from ui.campaign.export import Findings, build_memo, targeted_table
from ui.campaign.format import p_is
from ui.campaign.inputs import NONE
from ui.i18n import LANGUAGES, TEXT, translate

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/campaign.py"
CORE_FILES = [*sorted((ROOT / "promo_core" / "campaign").glob("*.py"))] + [
    ROOT / "promo_core" / name for name in ("uplift.py", "impact.py", "roi.py", "memo.py")
]


def _open(app: AppTest, lang: str = "en") -> AppTest:
    app.session_state["lang"] = lang
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A static table as the user reads it: the page backslash-escapes every cell for Markdown."""

    def unescape(value: object) -> object:
        return re.sub(r"\\(.)", r"\1", value) if isinstance(value, str) else value

    shown = frame.map(unescape)
    shown.columns = [unescape(str(column)) for column in frame.columns]
    return shown


def _lift_tables(app: AppTest, lang: str = "en") -> list[pd.DataFrame]:
    """The lift tables (one per metric), found by their variant and verdict headers."""
    variant, verdict = translate("campaign.col.variant", lang), translate("campaign.col.verdict", lang)
    tables = [_plain(table.value) for table in app.table]
    return [table for table in tables if {variant, verdict} <= set(table.columns)]


def _detail_tables(app: AppTest, lang: str = "en") -> list[pd.DataFrame]:
    """The tests behind the verdicts (one table per metric, in the analysts' expander)."""
    variant, adjusted = translate("campaign.col.variant", lang), translate("campaign.col.p_adjusted", lang)
    verdict = translate("campaign.col.verdict", lang)
    tables = [_plain(table.value) for table in app.table]
    return [table for table in tables if {variant, adjusted} <= set(table.columns) and verdict not in table.columns]


LIFT = "Lift [95% interval, unadjusted]"
RELATIVE = "Relative lift [95% interval, unadjusted]"


def _texts(elements) -> str:
    return "\n".join(element.value for element in elements)


def _shop() -> pd.DataFrame:
    return load_table(ROOT / "sample_data" / "campaign.csv", "campaign").frame


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_page_renders_on_sample_data(app: AppTest, lang: str) -> None:
    _open(app, lang)
    assert app.title[0].value == translate("campaign.title", lang)
    assert not app.error, _texts(app.error)
    tables = _lift_tables(app, lang)
    assert len(tables) == 2  # converted and revenue
    for table in tables:
        assert table[translate("campaign.col.variant", lang)].tolist() == ["coupon_10", "coupon_20"]
    # lift charts (2), segment forest, Qini, deciles, counterfactual
    assert len(app.get("plotly_chart")) == 6
    srm = ab_test_many(_shop(), ["converted"]).results[0].srm
    assert translate("campaign.srm_ok", lang, chi2=f"{srm.chi2:.2f}", p=p_is(srm.p_value)) in _texts(app.success)
    assert [tab.label for tab in app.tabs] == [translate(f"campaign.tab.{k}", lang) for k in ("segments", "uplift", "impact", "power")]
    buttons = [button.label for button in app.get("download_button")]
    assert translate("campaign.export.memo_md", lang) in buttons
    assert translate("campaign.export.targeted_button", lang) in buttons


def test_lift_table_matches_the_core(app: AppTest) -> None:
    _open(app)
    suite = ab_test_many(_shop(), ["converted", "revenue"], covariates={"converted": "pre_revenue", "revenue": "pre_revenue"})
    conversion = _lift_tables(app)[0].set_index("Variant")
    row = suite["converted"].table.set_index("variant").loc["coupon_20"]
    assert conversion.loc["coupon_20", "Mean (CUPED)"] == f"{row['mean']:.2%}"
    assert conversion.loc["coupon_20", "Control (CUPED)"] == f"{row['control_mean']:.2%}"
    assert conversion.loc["coupon_20", LIFT] == (
        f"{row['abs_lift'] * 100:+.2f} [{row['abs_lift_low'] * 100:.2f}, {row['abs_lift_high'] * 100:.2f}] pp"
    )
    assert conversion.loc["coupon_20", "Verdict"] == "↑ significant gain"
    details = _detail_tables(app)
    assert len(details) == 2
    assert details[0].set_index("Variant").loc["coupon_20", "Customers"] == f"{int(row['n']):,}"
    adjusted = suite["revenue"].table.set_index("variant")["p_adjusted"]
    assert details[1].set_index("Variant").loc["coupon_10", "Adjusted p"] == f"{adjusted['coupon_10']:.4f}"
    assert "CUPED" in _texts(app.caption)


def test_changing_metric_control_and_covariate(app: AppTest) -> None:
    _open(app)
    app.multiselect(key="campaign_metrics").set_value(["revenue"]).run()
    assert not app.exception and not app.error
    tables = _lift_tables(app)
    assert len(tables) == 1 and "9.28" in tables[0]["Mean (CUPED)"].tolist()

    app.selectbox(key="campaign_control").set_value("coupon_10").run()
    assert not app.exception and not app.error
    assert _lift_tables(app)[0]["Variant"].tolist() == ["control", "coupon_20"]

    app.selectbox(key="campaign_covariate").set_value(NONE).run()
    assert not app.exception and not app.error
    table = _lift_tables(app)[0]
    assert "Mean" in table.columns and "Mean (CUPED)" not in table.columns
    assert "Balance not checked" in _texts(app.info)
    raw = _shop().groupby("group")["revenue"].mean()
    assert table.set_index("Variant").loc["control", "Mean"] == f"{raw['control']:,.2f}"


def test_segment_and_counterfactual_choices(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="campaign_segment").set_value("channel").run()
    app.selectbox(key="campaign_segment_metric").set_value("revenue").run()
    assert not app.exception and not app.error
    segments = next(frame.value for frame in app.dataframe if "Segment" in frame.value.columns)
    assert set(segments["Segment"]) == {"app_push", "email", "sms"}

    app.selectbox(key="campaign_impact_by").set_value("channel").run()
    assert not app.exception and not app.error
    assert app.multiselect(key="campaign_impact_values").value == ["app"]  # reseeded for the new column
    app.multiselect(key="campaign_impact_values").set_value(["app", "web"]).run()
    assert not app.exception and not app.error
    assert "sales of “app”, “web”" in _texts(app.info) + _texts(app.success) + _texts(app.error)
    app.multiselect(key="campaign_impact_values").set_value(["app", "marketplace", "mini-program", "web"]).run()
    assert "Every value of column 'channel' got the promotion" in _texts(app.error)


def test_one_group_is_a_translated_error(app: AppTest) -> None:
    payload = "customer_id,group,converted,revenue\n" + "".join(f"c{i},coupon,{i % 3 == 0:d},{i % 7}\n" for i in range(60))
    app.session_state["lang"] = "zh"
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_campaign").set_value(("one_group.csv", payload.encode(), "text/csv")).run()
    assert not app.exception
    app.switch_page(PAGE).run()
    assert not app.exception
    errors = _texts(app.error)
    assert "只有一个分组" in errors and "'coupon'" in errors and "'group'" in errors
    assert "only one group" not in errors  # the Chinese text, not the core's English message


def test_names_from_uploads_are_shown_literally(app: AppTest) -> None:
    """st.table and alerts render Markdown: group names must arrive escaped, never as formatting."""
    names = ["control", "**vip**", "[deal](http://e.x)"]
    rows = "".join(f"c{i},{names[i % 3]},{'ab'[i % 2]},{int(i % 5 == 0 or (i % 3 and i % 4 == 0))},{i % 11}\n" for i in range(900))
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_campaign").set_value(("names.csv", ("customer_id,group,tier,converted,revenue\n" + rows).encode(), "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception and not app.error, _texts(app.error)
    raw = next(table.value for table in app.table if "Verdict" in table.value.columns)
    assert raw["Variant"].tolist() == [escape_markdown(name) for name in sorted(names[1:])]
    assert _lift_tables(app)[0]["Variant"].tolist() == sorted(names[1:])
    verdicts = _texts(app.info) + _texts(app.success)  # the heterogeneity verdict per variant, by tier
    assert f"**{escape_markdown('**vip**', line_start=False)}**:" in verdicts
    assert f"**{escape_markdown('[deal](http://e.x)', line_start=False)}**:" in verdicts


def test_customers_on_two_rows_and_in_two_groups_are_an_alert(app: AppTest) -> None:
    shop = _shop()
    twice = pd.concat([shop, shop.iloc[:4].assign(group=shop["group"].iloc[4:8].to_numpy())], ignore_index=True)
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_campaign").set_value(("twice.csv", twice.to_csv(index=False).encode(), "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception
    crossed = int((twice.groupby("customer_id")["group"].nunique() > 1).sum())
    assert f"4 customers appear on more than one row (8 rows), {crossed} of them in more than one group" in _texts(app.error)


def test_non_binary_outcome_for_uplift_is_a_translated_error(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="campaign_uplift_outcome").set_value("revenue").run()
    assert not app.exception
    assert "'revenue' must hold 0/1" in _texts(app.error)
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    assert "列 'revenue' 必须是 0/1" in _texts(app.error)
    _lift_tables(app, "zh")  # the rest of the page still works
    assert len(_lift_tables(app, "zh")) == 2


def test_bad_planned_split_and_start_date_are_translated_errors(app: AppTest) -> None:
    _open(app)
    app.number_input(key="campaign_split_0").set_value(0.0).run()
    assert not app.exception
    assert "planned split must give a positive share" in _texts(app.error)
    app.number_input(key="campaign_split_0").set_value(2.0).run()
    assert not app.exception
    assert "Sample ratio mismatch" in _texts(app.error)  # 1667 control customers where 2/4 were planned

    app.date_input(key="campaign_impact_date").set_value(date(2025, 7, 5)).run()
    assert not app.exception
    assert "at least 14 are needed" in _texts(app.error)


def test_power_calculator_gives_the_statsmodels_number(app: AppTest) -> None:
    _open(app)
    app.number_input(key="campaign_power_baseline").set_value(10.0).run()
    app.number_input(key="campaign_power_mde_pp").set_value(2.0).run()
    app.number_input(key="campaign_power_variants").set_value(2).run()
    assert not app.exception
    expected = math.ceil(NormalIndPower().solve_power(proportion_effectsize(0.12, 0.10), alpha=0.05, power=0.8, ratio=1.0))
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Control customers"] == f"{expected:,}"
    assert metrics["Customers in all"] == f"{3 * expected:,}"

    app.radio(key="campaign_power_solve").set_value("mde").run()
    app.number_input(key="campaign_power_n").set_value(5000).run()
    assert not app.exception
    effect = NormalIndPower().solve_power(nobs1=5000, alpha=0.05, power=0.8, ratio=1.0)
    mde = math.sin(math.asin(math.sqrt(0.10)) + effect / 2) ** 2 - 0.10
    assert {m.label: m.value for m in app.metric}["Detectable lift"] == f"{mde * 100:.2f} pp"

    app.radio(key="campaign_power_metric").set_value("mean").run()
    app.number_input(key="campaign_power_sd").set_value(40.0).run()
    assert not app.exception
    effect = NormalIndPower().solve_power(nobs1=5000, alpha=0.05, power=0.8, ratio=1.0)
    assert {m.label: m.value for m in app.metric}["Detectable lift"] == f"{effect * 40:,.4f}"


def test_slider_and_costs_do_not_refit_the_uplift_model(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return fit_uplift(*args, **kwargs)

    monkeypatch.setattr(cache, "fit_uplift", counting)
    cache.campaign_uplift.clear()
    _open(app)
    assert len(calls) == 1
    before = {m.label: m.value for m in app.metric}["Customers targeted"]
    app.slider(key="campaign_top_share").set_value(50).run()
    app.number_input(key="campaign_discount").set_value(20.0).run()
    assert not app.exception
    assert len(calls) == 1
    metrics = {m.label: m.value for m in app.metric}
    assert before == "1,000" and metrics["Customers targeted"] == "2,500"
    app.selectbox(key="campaign_uplift_learner").set_value("hgb").run()
    assert len(calls) == 2


def test_without_campaign_table_the_page_points_to_data(app: AppTest) -> None:
    app.session_state["use_sample"] = False
    _open(app)
    assert "Data page" in _texts(app.info)
    assert not app.error
    assert "Control customers" in [m.label for m in app.metric]  # the power calculator still works


def test_every_campaign_core_code_is_translated() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in CORE_FILES)
    errors = set(re.findall(r'code="([a-z_]+)"', source))
    roles = set(re.findall(r'numeric_values\([^)]*"([a-z]+)"\)', source))
    if 'code=f"{role}_not_numeric"' in source:
        errors |= {f"{role}_not_numeric" for role in roles}
    notes = set(re.findall(r'Note\(\s*"([a-z_]+)"', source))
    summaries = set(re.findall(r'"(impact_(?:positive|negative|unclear))"', source))
    assert {"one_group", "outcome_not_binary", "metric_not_numeric", "covariate_not_numeric"} <= errors
    assert {"srm", "cuped_applied", "seasonality_dropped"} <= notes and len(summaries) == 3
    assert sorted(e for e in errors if f"error.{e}" not in TEXT) == []
    assert sorted(n for n in notes | set(NOTE_TEXTS_EN) if f"campaign.note.{n}" not in TEXT) == []
    assert sorted(s for s in summaries if f"campaign.impact.summary.{s}" not in TEXT) == []
    assert sorted(k for k in LABELS_EN if f"campaign.memo.{k}" not in TEXT) == []
    for name in ("title", "srm_ok", "roi_line"):
        assert TEXT[f"campaign.memo.{name}"]["zh"] != LABELS_EN[name]


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("prefix, source", [("campaign.memo.", LABELS_EN), ("campaign.note.", NOTE_TEXTS_EN)])
def test_memo_templates_use_the_core_placeholders(prefix: str, source: dict[str, str]) -> None:
    for name, english in source.items():
        for lang in LANGUAGES:
            assert _fields(TEXT[prefix + name][lang]) <= _fields(english), (name, lang)


def test_memo_labels_name_the_outcomes_in_the_users_words() -> None:
    def script() -> None:
        import json

        import streamlit as st

        from ui.campaign.export import memo_labels

        st.session_state["lang"] = "zh"
        st.text(json.dumps(memo_labels(), ensure_ascii=False))

    labels = json.loads(AppTest.from_function(script).run().text[0].value)
    assert labels["metric_converted"] == "转化" and labels["metric_revenue"] == "收入"
    assert labels["results"] == "结果：{metric}"


def test_chinese_memo_and_targeted_list() -> None:
    shop = _shop()
    suite = ab_test_many(shop, ["converted", "revenue"], covariates={"revenue": "pre_revenue"})
    uplift = fit_uplift(shop, "group", "converted", ["segment", "channel", "country", "pre_revenue"], revenue="revenue")
    findings = Findings(suite=suite, uplift=uplift, roi=uplift.policy(0.2, discount_rate=0.1), share=0.2,
                        targeted=uplift.targeted_customers(0.2))
    labels = {name: TEXT[f"campaign.memo.{name}"]["zh"] for name in LABELS_EN}
    notes = {code: TEXT[f"campaign.note.{code}"]["zh"] for code in NOTE_TEXTS_EN}
    memo = build_memo(findings, "html", labels, notes)
    assert memo.startswith("<!DOCTYPE html>") and "<h1>活动决策备忘录</h1>" in memo
    assert "coupon_20：建议上线" in memo and "增益定向" in memo and "投资回报" in memo
    assert memo == decision_memo(suite, uplift=uplift, roi=findings.roi, fmt="html", labels=labels, note_texts=notes)
    targeted = targeted_table(pd.DataFrame({"customer_id": ["=1+1", "U1"], "uplift": [0.2, -0.1], "rank": [1, 2]}))
    payload = to_csv_bytes(targeted)
    assert payload.startswith(b"\xef\xbb\xbf")
    assert payload.decode("utf-8-sig").splitlines() == ["Customer ID,Predicted uplift,Rank", "'=1+1,0.2,1", "U1,-0.1,2"]


def test_settings_survive_leaving_the_page_and_switching_language(app: AppTest) -> None:
    _open(app)
    app.multiselect(key="campaign_metrics").set_value(["revenue"]).run()
    app.selectbox(key="campaign_control").set_value("coupon_10").run()
    app.selectbox(key="campaign_segment").set_value("channel").run()
    app.switch_page("pages/home.py").run()
    app.session_state["lang"] = "zh"
    app.switch_page(PAGE).run()
    assert not app.exception and not app.error
    # Each choice has a widget per language (Streamlit keeps a select box's labels otherwise).
    assert app.multiselect(key="campaign_metrics_zh").value == ["revenue"]
    assert app.selectbox(key="campaign_control_zh").value == "coupon_10"
    assert app.selectbox(key="campaign_segment_zh").value == "channel"
    assert app.selectbox(key="campaign_segment_zh").options == ["细分", "渠道", "国家/地区"]


def _figures(app: AppTest) -> dict[str, dict]:
    """The page's plotly figures (as JSON) by title."""
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return {figure["layout"]["title"]["text"]: figure for figure in figures}


def _suite():
    return ab_test_many(_shop(), ["converted", "revenue"], covariates={"converted": "pre_revenue", "revenue": "pre_revenue"})


def test_each_metric_leads_with_a_plain_verdict(app: AppTest) -> None:
    """A 98% chance to beat the control beside "not significant" must read as likely, not as no effect."""
    _open(app)
    revenue = _suite()["revenue"].table.set_index("variant").loc["coupon_20"]
    assert not revenue["significant"] and revenue["prob_beat_control"] >= 0.9
    chance = f"{revenue['prob_beat_control']:.0%}"
    text = _texts(app.markdown)
    assert "- **coupon\\_20** raises conversion: proven at the 95% confidence level." in text
    assert (f"- **coupon\\_20** likely raises revenue ({chance} chance to beat the control), "
            "but this is not proven at the 95% level") in text
    assert _lift_tables(app)[1].set_index("Variant").loc["coupon_20", "Verdict"] == "↗ likely gain, not proven"
    app.session_state["lang"] = "zh"
    app.run()
    text = _texts(app.markdown)
    assert "- **coupon\\_20** 提升了转化：已在 95% 置信水平下得到证实。" in text
    assert f"- **coupon\\_20** 很可能提升了收入（胜过对照组的概率为 {chance}），但在 95% 置信水平下尚未得到证实" in text
    assert _lift_tables(app, "zh")[1].set_index("实验组").loc["coupon_20", "结论"] == "↗ 可能提升，未证实"


def test_rate_lifts_are_labelled_in_percentage_points(app: AppTest) -> None:
    _open(app)
    figures = _figures(app)
    conversion = figures["Lift on conversion with unadjusted 95% interval"]["layout"]["xaxis"]
    assert conversion["title"]["text"] == "Lift over control (pp)" and "tickformat" not in conversion
    assert figures["Lift on revenue with unadjusted 95% interval"]["layout"]["xaxis"]["title"]["text"] == "Lift over control"
    assert figures["Lift on conversion by segment"]["layout"]["xaxis"]["title"]["text"] == "Lift over control (pp)"
    app.session_state["lang"] = "zh"
    app.run()
    assert _figures(app)["转化的提升及 95% 区间（未校正）"]["layout"]["xaxis"]["title"]["text"] == "相对对照组的提升（个百分点）"


def test_chinese_sentences_name_known_columns_and_quote_the_uploads(app: AppTest) -> None:
    _open(app, "zh")
    assert {"按细分的转化提升", "转化的提升及 95% 区间（未校正）", "收入的提升及 95% 区间（未校正）"} <= set(_figures(app))
    assert "**各组均衡**（实验前收入）" in _texts(app.success)
    assert "“服饰”的" in _texts(app.info) + _texts(app.success) + _texts(app.error)  # the catalogue's name
    assert app.selectbox(key="campaign_group_zh").options == ["分组", "细分", "渠道", "国家/地区"]
    assert app.selectbox(key="campaign_group_zh").value == "group"  # the value stays the column
    # A table with its own column names: they stay as they are, quoted inside sentences.
    shop = _shop().rename(columns={"segment": "tier", "pre_revenue": "pre_spend"})
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_campaign").set_value(("own.csv", to_csv_bytes(shop), "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception and not app.error, _texts(app.error)
    assert app.selectbox(key="campaign_segment_zh").value == "tier"
    assert "按“tier”的转化提升" in _figures(app)
    assert "**各组均衡**（“pre\\_spend”）" in _texts(app.success)
    assert app.selectbox(key="campaign_covariate_zh").options == ["— 无 —", "收入", "pre_spend"]


def test_statistics_wait_in_closed_expanders_for_analysts(app: AppTest) -> None:
    _open(app)
    headline = _texts(app.info) + _texts(app.success) + _texts(app.warning)
    assert "Cochran" not in headline and "z = " not in headline
    details = [expander for expander in app.expander if expander.label == "Details for analysts"]
    assert len(details) == 3 and not any(expander.proto.expanded for expander in details)
    lifts, segments, uplift = details
    cuped = [c.value for c in app.caption if "theta" in c.value]
    assert len(cuped) == 2 and cuped == [c.value for c in lifts.get("caption")]  # converted, revenue
    assert "Cochran's Q" in segments.get("table")[0].value.columns
    assert [m.label for m in app.metric].count("Qini area") == 1
    assert {"Qini area", "p vs random targeting"} <= {m.label for m in uplift.get("metric")}
    conversions = {m.label: m.value for m in app.metric}["Incremental conversions"]
    assert re.fullmatch(r"[\d,]+", conversions), conversions  # a count of customers, not "88.0"


def test_uplift_margin_is_the_shops_one_setting(app: AppTest) -> None:
    """The gross margin of uplift targeting is the setting the Recommendations page's coupons use."""
    _open(app)
    box = app.number_input(key="widget_shop_margin")
    assert box.label == "Gross margin (%)" and box.value == 30.0
    assert "30% margin" in _texts(app.caption)
    box.set_value(45.0).run()
    assert not app.exception
    assert app.session_state["remembered_settings"]["shop_margin"] == 45.0
    assert "45% margin" in _texts(app.caption)


def test_margin_set_on_another_page_is_used_here(app: AppTest) -> None:
    app.session_state["remembered_settings"] = {"shop_margin": 60.0}  # as the Recommendations page keeps it
    _open(app, "zh")
    assert app.number_input(key="widget_shop_margin_zh").value == 60.0
    assert "60% 毛利率" in _texts(app.caption)


def test_lift_intervals_agree_and_say_they_are_unadjusted(app: AppTest) -> None:
    """coupon_20's revenue lift excludes zero on its own; its relative lift must too, and the page must
    say why the verdict is still "not proven"."""
    _open(app)
    row = _suite()["revenue"].table.set_index("variant").loc["coupon_20"]
    revenue = _lift_tables(app)[1].set_index("Variant").loc["coupon_20"]
    assert revenue[LIFT] == f"{row['abs_lift']:+,.2f} [{row['abs_lift_low']:,.2f}, {row['abs_lift_high']:,.2f}]"
    assert revenue[RELATIVE] == f"{row['rel_lift']:+.1%} [{row['rel_lift_low']:.1%}, {row['rel_lift_high']:.1%}]"
    assert row["abs_lift_low"] > 0 and row["rel_lift_low"] > 0
    assert revenue["Verdict"] == "↗ likely gain, not proven"
    text = _texts(app.markdown)
    assert (f"On its own its interval excludes no effect (p = {row['p_value']:.4f}), but not after adjusting for "
            f"testing several variants and metrics (adjusted p = {row['p_adjusted']:.4f}).") in text
    assert "not adjusted for testing several variants and metrics" in _texts(app.caption)
    app.session_state["lang"] = "zh"
    app.run()
    assert "相对提升 [95% 区间，未校正]" in _lift_tables(app, "zh")[1].columns
    assert "针对多个实验组和指标校正后不再显著" in _texts(app.markdown)


def test_lift_table_is_short_and_the_tests_wait_for_analysts(app: AppTest) -> None:
    """Six columns fit an 800 px screen; p-values, chance and detectable lift are in the expander."""
    _open(app)
    for table in _lift_tables(app):
        assert list(table.columns) == ["Variant", "Mean (CUPED)", "Control (CUPED)", LIFT, RELATIVE, "Verdict"]
    details = next(expander for expander in app.expander if expander.label == "Details for analysts")
    inside = [_plain(table.value) for table in details.get("table")]
    assert [list(table.columns) for table in inside] == [
        ["Variant", "Customers", "p-value", "Adjusted p", "Chance to beat control", "Detectable lift"]
    ] * 2
    assert inside[0].set_index("Variant").loc["coupon_20", "Chance to beat control"] == ">99.9%"
    assert "differ slightly from the raw means in the Groups table" in _texts(app.caption)


def test_chances_never_round_to_certainty() -> None:
    from ui.campaign.format import chance

    assert [chance(v) for v in (0.99999, 0.9991, 0.999, 0.5, 0.001, 0.0004, float("nan"))] == [
        ">99.9%", ">99.9%", "99.9%", "50.0%", "0.1%", "<0.1%", "–"]
    assert chance(0.996, 0) == ">99%" and chance(0.004, 0) == "<1%" and chance(0.98, 0) == "98%"


def _mixed_decimal_marks() -> bytes:
    """The sample shop with every fifth revenue written with a decimal comma: the loader empties them."""
    shop = _shop()
    revenue = [f"{v:.2f}".replace(".", ",") if i % 5 == 0 else f"{v:.2f}" for i, v in enumerate(shop["revenue"])]
    return to_csv_bytes(shop.assign(revenue=revenue))


@pytest.mark.parametrize("lang, expected", [
    ("en", "**1,000 rows left out**: their revenue could not be read (decimal mark unlike the rest of the column"),
    ("zh", "**已排除 1,000 行**：这些行的收入无法读取（小数点写法与该列其他值不一致"),
])
def test_rows_left_out_are_explained_with_a_link_to_the_data_page(app: AppTest, lang: str, expected: str) -> None:
    app.session_state["lang"] = lang
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="upload_campaign").set_value(("mixed.csv", _mixed_decimal_marks(), "text/csv")).run()
    app.switch_page(PAGE).run()
    assert not app.exception and not app.error, _texts(app.error)
    warnings = re.sub(r"\\(.)", r"\1", _texts(app.warning))
    assert expected in warnings
    assert "'revenue'" not in warnings and "1000" not in warnings
    links = [link.proto for link in app.get("page_link")]
    assert [(link.page, link.label) for link in links] == [("data", translate("campaign.dropped.to_data", lang))]


def test_counterfactual_in_chinese_uses_catalogue_names_and_chinese_dates(app: AppTest) -> None:
    _open(app, "zh")
    values = app.multiselect(key="campaign_impact_values_zh")
    assert values.value == ["apparel"] and "服饰" in values.options and "apparel" not in values.options
    figure = _figures(app)["实际值与无促销时的预期值"]
    stops = [stop["value"] for stop in figure["layout"]["xaxis"]["tickformatstops"]]
    assert stops == ["%Y年%-m月%-d日", "%Y年%-m月", "%Y年"]
    assert figure["layout"]["xaxis"]["hoverformat"] == "%Y年%-m月%-d日"
    placebo = next(c.value for c in app.caption if c.value.startswith("安慰剂检验"))
    assert re.search(r"5 次中有 \d 次出现了同样大的效果", placebo), placebo


def test_segments_are_named_as_the_segments_page_names_them(app: AppTest) -> None:
    _open(app)
    table = next(frame.value for frame in app.dataframe if "Segment" in frame.value.columns)
    assert {"At risk", "Loyal", "Lost", "New"} <= set(table["Segment"]) and "at_risk" not in set(table["Segment"])
    forest = _figures(app)["Lift on conversion by segment"]
    assert "At risk" in forest["data"][0]["y"]
    app.session_state["lang"] = "zh"
    app.run()
    table = next(frame.value for frame in app.dataframe if "细分" in frame.value.columns)
    assert "有流失风险" in set(table["细分"])
