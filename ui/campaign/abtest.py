"""The A/B test: checks (sample ratio, sample size, covariate balance), then the lifts per metric."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import ABTestResult, ABTestSuite
from promo_core.campaign.abtest import MIN_ARM, MIN_EVENTS
from promo_core.charts.campaign import lift_figure
from ui import cache, data
from ui.campaign.format import (
    interval,
    md,
    num,
    p_is,
    pct,
    points,
    pval,
    rows_height,
    show_core_error,
    show_notes,
    show_table,
)
from ui.campaign.setup import Setup
from ui.state import t

_SAMPLE_CODES = {"small_sample", "few_conversions", "zero_conversions", "control_mean_zero"}


def test_view(active: data.ActiveTable, setup: Setup) -> ABTestSuite | None:
    """Checks first (sample ratio, sample size, balance), then the lift table and chart per metric."""
    frame = active.table.frame
    st.subheader(t("campaign.checks"))
    try:
        suite = cache.campaign_test(
            setup.key, setup.metrics, setup.group, setup.control, setup.covariate, setup.alpha, setup.correction,
            setup.planned_split, frame,
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.test"))
        return None
    _checks(active, setup, suite)
    _lifts(suite)
    return suite


def _checks(active: data.ActiveTable, setup: Setup, suite: ABTestSuite) -> None:
    """Sample ratio, sample size and balance side by side, so a broken test is seen before its lifts."""
    first = suite.results[0]
    srm, sample, balance = st.columns(3)
    with srm:
        params = {"chi2": f"{first.srm.chi2:.2f}", "p": p_is(first.srm.p_value)}
        if first.srm.mismatch:
            st.error(t("campaign.srm_bad", **params), icon=":material/error:")
        else:
            st.success(t("campaign.srm_ok", **params), icon=":material/check_circle:")
    notes = [note for result in suite.results for note in result.notes]
    with sample:
        if any(note.code in _SAMPLE_CODES for note in notes):
            show_notes([n for n in notes if n.code in _SAMPLE_CODES])
        else:
            st.success(t("campaign.sample_ok", minimum=MIN_ARM, events=MIN_EVENTS), icon=":material/check_circle:")
    with balance:
        balance_result = _balance_status(active, setup)
    others = [n for n in notes if n.code not in _SAMPLE_CODES and n.code not in {"srm", "cuped_applied"}]
    show_notes(others)
    arms, covariate = st.columns([3, 2]) if balance_result is not None else (st.container(), None)
    with arms:
        st.markdown(f"**{t('campaign.arms')}**")
        show_table(_arms_table(suite))
    if balance_result is not None and covariate is not None:
        with covariate:
            st.markdown(f"**{t('campaign.balance_table', column=md(setup.covariate))}**")
            show_table(_balance_table(balance_result))


def _balance_status(active: data.ActiveTable, setup: Setup) -> ABTestResult | None:
    """Whether the covariate was balanced before the test: an imbalance there would bias every lift."""
    if setup.covariate is None:
        st.info(t("campaign.balance_none"), icon=":material/info:")
        return None
    try:
        result = cache.campaign_balance(
            setup.key, setup.group, setup.control, setup.covariate, setup.alpha, setup.correction, active.table.frame
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.balance"))
        return None
    unbalanced = [md(v) for v, s in zip(result.table["variant"], result.table["significant"]) if s]
    if unbalanced:
        st.warning(
            t("campaign.balance_bad", column=md(setup.covariate), groups=", ".join(unbalanced)), icon=":material/warning:"
        )
    else:
        st.success(t("campaign.balance_ok", column=md(setup.covariate)), icon=":material/check_circle:")
    return result


def _arms_table(suite: ABTestSuite) -> pd.DataFrame:
    """Customers and share per group against the planned share, with each metric's mean."""
    groups = suite.results[0].groups
    table = pd.DataFrame({
        t("campaign.col.group"): groups["group"],
        t("campaign.col.assigned"): [f"{int(v):,}" for v in groups["assigned"]],
        t("campaign.col.share"): [pct(v, 1) for v in groups["share"]],
        t("campaign.col.planned_share"): [pct(v, 1) for v in groups["planned_share"]],
    })
    for result in suite.results:
        fmt = pct if result.kind == "binary" else num
        table[t("campaign.col.metric_mean", metric=result.metric)] = [fmt(v) for v in result.groups["mean"]]
    return table


def _balance_table(result: ABTestResult) -> pd.DataFrame:
    """The covariate per group, with its difference from the control and adjusted p-value."""
    groups = result.groups
    lifts = result.table.set_index("variant")
    rows = []
    for name, mean, sd in zip(groups["group"], groups["mean"], groups["sd"]):
        row = lifts.loc[name] if name in lifts.index else None
        rows.append({
            t("campaign.col.group"): name,
            t("campaign.col.mean"): num(mean),
            t("campaign.col.sd"): num(sd),
            t("campaign.col.difference"): "–" if row is None else num(row["abs_lift"], signed=True),
            t("campaign.col.p_adjusted"): "–" if row is None else pval(row["p_adjusted"]),
        })
    return pd.DataFrame(rows)


def lift_cell(binary: bool, value: float, low: float, high: float) -> str:
    """An absolute lift with its interval: percentage points for rates, the metric's units otherwise."""
    if binary:
        return t("campaign.unit.pp", value=interval(f"{value * 100:+.2f}", f"{low * 100:.2f}", f"{high * 100:.2f}"))
    return interval(num(value, signed=True), num(low), num(high))


def lift_table(result: ABTestResult) -> pd.DataFrame:
    """The per-variant lifts with translated headers and formatted numbers (what the page shows)."""
    binary = result.kind == "binary"
    fmt = pct if binary else num
    diff = points if binary else num
    mean = t("campaign.col.mean_adjusted" if result.theta is not None else "campaign.col.mean")
    rows = []
    for r in result.table.itertuples():
        verdict = "up" if r.significant and r.abs_lift > 0 else "down" if r.significant else "none"
        rows.append({
            t("campaign.col.variant"): r.variant,
            t("campaign.col.customers"): f"{int(r.n):,}",
            mean: fmt(r.mean),
            t("campaign.col.control_mean"): fmt(r.control_mean),
            t("campaign.col.abs_lift"): lift_cell(binary, r.abs_lift, r.abs_lift_low, r.abs_lift_high),
            t("campaign.col.rel_lift"): interval(pct(r.rel_lift, 1, True), pct(r.rel_lift_low, 1), pct(r.rel_lift_high, 1)),
            t("campaign.col.p_value"): pval(r.p_value),
            t("campaign.col.p_adjusted"): pval(r.p_adjusted),
            t("campaign.col.prob_beat"): pct(r.prob_beat_control, 1),
            t("campaign.col.mde"): diff(r.mde),
            t("campaign.col.verdict"): t(f"campaign.verdict.{verdict}"),
        })
    return pd.DataFrame(rows)


def _lifts(suite: ABTestSuite) -> None:
    """One lift table per metric, then the lift charts, absolute or relative as the user chose."""
    st.subheader(t("campaign.lifts"))
    st.caption(t("campaign.lifts_help", correction=t(f"campaign.correction.{suite.correction}")))
    relative = st.toggle(t("campaign.relative"), key="campaign_relative")
    for result in suite.results:
        kind = t(f"campaign.kind.{result.kind}")
        st.markdown(f"**{md(result.metric)}** · {kind} · {t('campaign.control_is', control=md(result.control))}")
        show_table(lift_table(result))
        if result.theta is not None:
            st.caption(t("campaign.cuped", column=md(result.covariate), theta=f"{result.theta:.4g}",
                         reduction=pct(result.variance_reduction, 1)))
    charts = st.columns(min(len(suite.results), 2))
    for position, result in enumerate(suite.results):
        labels = {
            "title": t("campaign.chart.lift_title", metric=html.escape(result.metric)),
            "x_title": t("campaign.chart.rel_lift" if relative else "campaign.chart.abs_lift"),
            "lift": t("campaign.chart.lift"),
        }
        figure = lift_figure(result, labels, relative=relative)
        figure.update_layout(height=rows_height(len(result.variants)), margin={"t": 50, "b": 40})
        with charts[position % len(charts)]:
            st.plotly_chart(figure, key=f"campaign_lift_chart_{position}")
