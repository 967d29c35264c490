"""The A/B test: checks (sample ratio, sample size, covariate balance), then the lifts per metric, each
led by a plain verdict per variant. The lift table holds what a marketer decides on (lifts, intervals,
verdict) and fits an 800 px screen; p-values, chance to beat the control, detectable lift and CUPED's
statistics wait in an expander for analysts."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import ABTestResult, ABTestSuite
from promo_core.campaign.abtest import MIN_ARM, MIN_EVENTS
from promo_core.charts.campaign import lift_figure
from ui import cache, data
from ui.campaign.format import (
    DROPPED_CODES,
    chance,
    column_labels,
    column_name,
    currency_of,
    interval,
    md,
    p_is,
    pct,
    points,
    pval,
    quoted,
    rows_height,
    show_core_error,
    show_dropped_rows,
    show_notes,
    show_table,
)
from ui.campaign.setup import Setup
from ui.state import t

_SAMPLE_CODES = {"small_sample", "few_conversions", "zero_conversions", "control_mean_zero"}
"""Chance to beat the control from which a lift that is not proven is still called likely (9 in 10)."""


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
    """Sample ratio, sample size and balance one under the other (full-width lines read on any screen,
    where three cards side by side wrap one word per line), so a broken test is seen before its lifts."""
    first = suite.results[0]
    params = {"chi2": f"{first.srm.chi2:.2f}", "p": p_is(first.srm.p_value)}
    if first.srm.mismatch:
        st.error(t("campaign.srm_bad", **params), icon=":material/error:")
    else:
        st.success(t("campaign.srm_ok", **params), icon=":material/check_circle:")
    notes = [note for result in suite.results for note in result.notes]
    if any(note.code in _SAMPLE_CODES for note in notes):
        show_notes([n for n in notes if n.code in _SAMPLE_CODES])
    else:
        st.success(t("campaign.sample_ok", minimum=MIN_ARM, events=MIN_EVENTS), icon=":material/check_circle:")
    balance_result = _balance_status(active, setup)
    show_dropped_rows(active.table, notes)
    others = [n for n in notes if n.code not in _SAMPLE_CODES | DROPPED_CODES | {"srm", "cuped_applied"}]
    show_notes(others)
    with st.container(horizontal=True, gap="large"):
        with st.container(width="content"):
            st.markdown(f"**{t('campaign.arms')}**")
            show_table(_arms_table(suite))
        if balance_result is not None:
            with st.container(width="content"):
                st.markdown(f"**{t('campaign.balance_table', column=md(column_labels()(setup.covariate)))}**")
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
    unbalanced = [v for v, s in zip(result.table["variant"], result.table["significant"]) if s]
    column = column_name(setup.covariate)
    if unbalanced:
        st.warning(t("campaign.balance_bad", column=column, groups=quoted(unbalanced)), icon=":material/warning:")
    else:
        st.success(t("campaign.balance_ok", column=column), icon=":material/check_circle:")
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
    label = column_labels()
    for result in suite.results:
        fmt = pct if result.kind == "binary" else currency_of(result.metric).format
        table[t("campaign.col.metric_mean", metric=label(result.metric))] = [fmt(v) for v in result.groups["mean"]]
    return table


def _balance_table(result: ABTestResult) -> pd.DataFrame:
    """The covariate per group, with its difference from the control and adjusted p-value."""
    groups = result.groups
    lifts = result.table.set_index("variant")
    money = currency_of(result.metric)
    rows = []
    for name, mean, sd in zip(groups["group"], groups["mean"], groups["sd"]):
        row = lifts.loc[name] if name in lifts.index else None
        rows.append({
            t("campaign.col.group"): name,
            t("campaign.col.mean"): money.format(mean),
            t("campaign.col.sd"): money.format(sd),
            t("campaign.col.difference"): "–" if row is None else money.format(row["abs_lift"], signed=True),
            t("campaign.col.p_adjusted"): "–" if row is None else pval(row["p_adjusted"]),
        })
    return pd.DataFrame(rows)


def lift_cell(metric: str, binary: bool, value: float, low: float, high: float) -> str:
    """An absolute lift with its interval: percentage points for rates, the metric's units (the shop's
    currency for amounts) otherwise."""
    if binary:
        return t("campaign.unit.pp", value=interval(f"{value * 100:+.2f}", f"{low * 100:.2f}", f"{high * 100:.2f}"))
    money = currency_of(metric)
    return interval(money.format(value, signed=True), money.format(low), money.format(high))


def _verdict_lines(result: ABTestResult) -> list[str]:
    """One plain sentence per variant for marketers (in Markdown): what the test shows about the metric.
    A lift whose own interval excludes no effect but that the adjustment leaves unproven says so, or
    the interval would seem to contradict the verdict."""
    params = {"metric": column_name(result.metric), "level": pct(1 - result.alpha, 0)}
    lines = []
    for r, verdict in zip(result.table.itertuples(), result.verdicts):
        line = t(f"campaign.plain.{verdict}", variant=md(r.variant), chance=chance(r.prob_beat_control, 0), **params)
        if verdict.startswith("likely") and r.p_value < result.alpha:
            line += " " + t("campaign.plain.adjusted_away", p=p_is(r.p_value), adjusted=p_is(r.p_adjusted))
        lines.append(line)
    return lines


def interval_headers(alpha: float) -> tuple[str, str]:
    """Headers of the absolute and relative lift columns: the level, and that intervals are unadjusted."""
    level = pct(1 - alpha, 0)
    return t("campaign.col.abs_lift", level=level), t("campaign.col.rel_lift", level=level)


def lift_table(result: ABTestResult) -> pd.DataFrame:
    """The per-variant lifts a marketer decides on: means, lifts with intervals and the verdict; narrow
    enough for an 800 px screen (the tests behind them are in ``lift_details``)."""
    binary = result.kind == "binary"
    fmt = pct if binary else currency_of(result.metric).format
    adjusted = result.theta is not None
    mean = t("campaign.col.mean_adjusted" if adjusted else "campaign.col.mean")
    control = t("campaign.col.control_adjusted" if adjusted else "campaign.col.control_mean")
    absolute, relative = interval_headers(result.alpha)
    rows = []
    for r, verdict in zip(result.table.itertuples(), result.verdicts):
        rows.append({
            t("campaign.col.variant"): r.variant,
            mean: fmt(r.mean),
            control: fmt(r.control_mean),
            absolute: lift_cell(result.metric, binary, r.abs_lift, r.abs_lift_low, r.abs_lift_high),
            relative: interval(pct(r.rel_lift, 1, True), pct(r.rel_lift_low, 1), pct(r.rel_lift_high, 1)),
            t("campaign.col.verdict"): t(f"campaign.verdict.{verdict}"),
        })
    return pd.DataFrame(rows)


def lift_details(result: ABTestResult) -> pd.DataFrame:
    """The tests behind each verdict, for analysts: customers analysed, raw and adjusted p-values,
    chance to beat the control and the lift these group sizes could detect."""
    diff = points if result.kind == "binary" else currency_of(result.metric).format
    return pd.DataFrame({
        t("campaign.col.variant"): result.table["variant"],
        t("campaign.col.customers"): [f"{int(n):,}" for n in result.table["n"]],
        t("campaign.col.p_value"): [pval(v) for v in result.table["p_value"]],
        t("campaign.col.p_adjusted"): [pval(v) for v in result.table["p_adjusted"]],
        t("campaign.col.prob_beat"): [chance(v) for v in result.table["prob_beat_control"]],
        t("campaign.col.mde"): [diff(v) for v in result.table["mde"]],
    })


def _lifts(suite: ABTestSuite) -> None:
    """Per metric: the plain verdicts, the lift table and chart (absolute or relative as the user chose);
    then the tests and CUPED's statistics for analysts."""
    st.subheader(t("campaign.lifts"))
    first = suite.results[0]
    st.caption(t("campaign.lifts_help", level=pct(1 - first.alpha, 0), correction=t(f"campaign.correction.{suite.correction}")))
    adjusted = next((result for result in suite.results if result.theta is not None), None)
    if adjusted is not None:
        st.caption(t("campaign.cuped_means", column=column_name(adjusted.covariate)))
    relative = st.toggle(t("campaign.relative"), key="campaign_relative")
    label = column_labels()
    for position, result in enumerate(suite.results):
        kind = t(f"campaign.kind.{result.kind}")
        control = t("campaign.control_is", control=md(result.control))
        st.markdown(f"**{md(label(result.metric))}** · {kind} · {control}")
        st.markdown("\n".join(f"- {line}" for line in _verdict_lines(result)))
        show_table(lift_table(result))
        st.plotly_chart(_lift_chart(result, relative), key=f"campaign_lift_chart_{position}")
    with st.expander(t("campaign.details"), icon=":material/query_stats:"):
        for result in suite.results:
            st.markdown(f"**{t('campaign.lift_details', metric=md(label(result.metric)))}**")
            show_table(lift_details(result))
            if result.theta is not None:
                st.caption(t("campaign.cuped", metric=column_name(result.metric), column=column_name(result.covariate),
                             theta=f"{result.theta:.4g}", reduction=pct(result.variance_reduction, 1)))


def _lift_chart(result: ABTestResult, relative: bool) -> go.Figure:
    """The lift chart of one metric; a conversion rate's absolute lift is in percentage points."""
    unit = "rel_lift" if relative else "abs_lift_pp" if result.kind == "binary" else "abs_lift"
    labels = {
        "title": t("campaign.chart.lift_title", metric=column_name(result.metric, html.escape), level=pct(1 - result.alpha, 0)),
        "x_title": t(f"campaign.chart.{unit}"),
        "lift": t("campaign.chart.lift"),
    }
    figure = lift_figure(result, labels, relative=relative, currency=currency_of(result.metric))
    figure.update_layout(height=rows_height(len(result.variants)), margin={"t": 50, "b": 40})
    return figure
