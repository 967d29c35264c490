"""The decision memo holds every number and check, and escapes names that came from uploads."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from promo_core.campaign import ab_test, ab_test_many, power_analysis, segment_lifts
from promo_core.impact import causal_impact
from promo_core.memo import decision_memo, escape_markdown
from promo_core.money import CURRENCIES
from promo_core.roi import roi_from_ab

HOSTILE = "<script>alert('x')</script>"
SEGMENT = "<img src=x onerror=alert(1)>|**vip**"


@pytest.fixture(scope="module")
def hostile() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = 3000
    group = rng.choice(["control", HOSTILE], n)
    return pd.DataFrame({
        "group": group, "segment": rng.choice([SEGMENT, "- 1. list"], n),
        "converted": (rng.random(n) < np.where(group == HOSTILE, 0.2, 0.1)).astype(int),
        "pre": rng.gamma(2, 10, n),
    })


def test_html_escapes_every_uploaded_name(hostile) -> None:
    ab = ab_test(hostile, "converted", covariate="pre")
    memo = decision_memo(ab, segments=segment_lifts(hostile, "converted", "segment"), fmt="html")
    assert "<script>" not in memo and "<img" not in memo
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in memo
    assert "&lt;img src=x onerror=alert(1)&gt;|**vip**" in memo
    assert memo.startswith("<!DOCTYPE html>") and memo.count("<table>") == 3  # arms, lifts, segments


def test_markdown_escapes_every_uploaded_name(hostile) -> None:
    memo = decision_memo(ab_test(hostile, "converted"), segments=segment_lifts(hostile, "converted", "segment"))
    assert re.search(r"(?<!\\)[<>]", memo) is None  # every angle bracket is backslash-escaped
    assert escape_markdown(HOSTILE) in memo and escape_markdown(SEGMENT, line_start=False) in memo
    assert "| - 1. list |" in memo  # inside a table cell nothing can start a list
    assert "\\<script\\>alert\\('x'\\)\\</script\\>: Cochran's Q" in memo
    assert escape_markdown("12. x") == "12\\. x" and escape_markdown("a|b") == "a\\|b"


def test_memo_has_numbers_checks_and_assumptions(shop_campaign) -> None:
    suite = ab_test_many(shop_campaign, ["converted", "revenue"], covariates={"revenue": "pre_revenue"})
    conversion = suite["converted"]
    row = conversion.table.set_index("variant").loc["coupon_20"]
    roi = roi_from_ab(conversion, "coupon_20", order_value=50.0, discount_rate=0.2)
    power = power_analysis(baseline=0.13, mde=0.02)
    memo = decision_memo(suite, roi=roi, power=power)
    for cell in (f"{row['abs_lift']:.2%} [{row['abs_lift_low']:.2%}, {row['abs_lift_high']:.2%}]",
                 f"{row['rel_lift']:.2%} [{row['rel_lift_low']:.2%}, {row['rel_lift_high']:.2%}]",
                 f"{row['prob_beat_control']:.2%}"):
        assert f"| {escape_markdown(cell, line_start=False)} |" in memo, cell
    for text in (f"chi-square {conversion.srm.chi2:.2f}", f"theta = {suite['revenue'].theta:.4g}",
                 f"{power.n_control:,} control", f"Break-even discount: {roi.break_even_discount:.1%}",
                 f"{roi.incremental_conversions:.1f} ({roi.incremental_conversions_low:.1f} to "
                 f"{roi.incremental_conversions_high:.1f}) incremental conversions"):
        assert escape_markdown(text, line_start=False) in memo, text
    assert "coupon\\_20: ship" in memo
    assert "Assumptions" in memo and "across variants and metrics" in memo and "CUPED: the covariate" in memo


def test_memo_writes_amounts_in_the_shops_currency(shop_campaign) -> None:
    suite = ab_test_many(shop_campaign, ["converted", "revenue"], covariates={"revenue": "pre_revenue"})
    roi = roi_from_ab(suite["converted"], "coupon_20", order_value=50.0, discount_rate=0.2)
    revenue = suite["revenue"].table.set_index("variant").loc["coupon_20"]
    memo = decision_memo(suite, roi=roi, currency=CURRENCIES["CNY"])
    assert f"incremental revenue {CURRENCIES['CNY'].format(roi.incremental_revenue)}, costs ¥" in memo
    assert f"| ¥{revenue['mean']:,.2f} | ¥{revenue['control_mean']:,.2f} |" in memo  # revenue is money
    conversion = suite["converted"].table.set_index("variant").loc["coupon_20"]
    rate = escape_markdown(f"{conversion['mean']:.2%}", line_start=False)
    assert f"| {rate} |" in memo  # a rate is not
    plain = decision_memo(suite, roi=roi)
    assert "¥" not in plain and f"incremental revenue {roi.incremental_revenue:,.2f}," in plain


def test_memo_shouts_about_srm_and_translates(shop_campaign) -> None:
    keep = ~((shop_campaign["group"] == "coupon_20") & (np.arange(len(shop_campaign)) % 4 == 0))
    result = ab_test(shop_campaign[keep], "converted")
    memo = decision_memo(result, labels={"title": "活动决策备忘录"}, note_texts={"srm": "样本比例不匹配（{column}）"})
    assert memo.startswith("# 活动决策备忘录")
    assert "SAMPLE RATIO MISMATCH" in memo and "样本比例不匹配（group）" in memo
    assert "coupon\\_20: no decision" in memo


def test_memo_names_a_metric_in_the_readers_words(shop_campaign) -> None:
    result = ab_test(shop_campaign, "converted")
    assert "## Results: converted" in decision_memo(result)  # a code without a name stays as it is
    memo = decision_memo(result, labels={"results": "结果：{metric}", "metric_converted": "转化"})
    assert "## 结果：转化" in memo and "converted" not in memo.split("## Decision")[1]


def test_memo_with_causal_impact() -> None:
    index = pd.date_range("2025-01-01", periods=120, freq="D")
    rng = np.random.default_rng(0)
    x = 100 + np.cumsum(rng.normal(0, 1, 120))
    y = pd.Series(x + rng.normal(0, 1, 120) + np.r_[np.zeros(90), np.full(30, 8.0)], index)
    impact = causal_impact(y, index[90], pd.DataFrame({"c": x}, index), n_simulations=200)
    frame = pd.DataFrame({"group": ["control", "b"] * 100, "converted": [0, 1, 1, 0] * 50})
    memo = decision_memo(ab_test(frame, "converted"), impact=impact, fmt="html")
    assert "The campaign raised the series." in memo and "From 2025-04-01: 30 days" in memo
    assert f"{impact.cumulative_effect:.2f}" in memo


def test_every_note_code_has_an_english_text() -> None:
    from pathlib import Path

    from promo_core.memo import NOTE_TEXTS_EN

    root = Path(__file__).resolve().parents[3] / "promo_core"
    sources = [*root.joinpath("campaign").glob("*.py"), root / "uplift.py", root / "impact.py"]
    codes = {c for path in sources for c in re.findall(r'Note\("([a-z_]+)"', path.read_text())}
    assert len(codes) == 19 and codes <= set(NOTE_TEXTS_EN)


def test_memo_and_page_share_the_verdict_of_a_likely_but_unproven_lift() -> None:
    frame = pd.DataFrame({"group": ["control"] * 1000 + ["b"] * 1000,
                          "converted": [1] * 100 + [0] * 900 + [1] * 125 + [0] * 875})
    result = ab_test(frame, "converted")
    assert result.verdicts == ["likely_up"]
    chance = result.table["prob_beat_control"].iloc[0]
    expected = f"b: likely better on converted ({chance:.0%} chance to beat control) but not proven"
    assert escape_markdown(expected, line_start=False) in decision_memo(result)
