"""Uplift: who to treat (extra conversions by share targeted, uplift by decile) and what treating the
top share would earn; the model's statistics (Qini area, AUUC, permutation test) in an expander."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts.campaign import qini_figure, uplift_deciles_figure
from promo_core.uplift import METHODS, UpliftResult
from ui import cache, data, state
from ui.campaign.export import Findings
from ui.campaign.format import (
    DROPPED_CODES,
    column_labels,
    num,
    p_is,
    pct,
    pval,
    show_core_error,
    show_dropped_rows,
    show_notes,
    show_table,
)
from ui.campaign.inputs import (
    CHART_WIDTH,
    INPUT_WIDTH,
    NONE,
    choice,
    choices,
    none_labels,
    seed,
)
from ui.campaign.setup import Setup
from ui.state import t
from ui.widgets import kpi_row

ALL = "\u2217"
"""Option meaning 'every variant, pooled'."""
LEARNERS = ("logistic", "hgb")


def uplift_view(active: data.ActiveTable, setup: Setup, findings: Findings) -> None:
    """Who to treat: Qini curve, uplift by decile, and what treating the top X% would earn."""
    st.caption(t("campaign.uplift.intro"))
    frame = active.table.frame
    columns = cache.campaign_columns(active.key, frame)
    outcome_options = [c for c in columns.numeric if c != setup.group]
    if not outcome_options:
        st.info(t("campaign.uplift.no_outcome"), icon=":material/info:")
        return
    default_outcome = next((c for c in ("converted", *columns.binary) if c in outcome_options), outcome_options[0])
    variants = [g for g in setup.groups if g != setup.control]
    label, all_variants = column_labels(), t("campaign.uplift.all_variants")
    row = st.container(horizontal=True)
    outcome = row.selectbox(
        t("campaign.uplift.outcome"), outcome_options, key=choice("campaign_uplift_outcome", outcome_options, default_outcome),
        format_func=label, help=t("campaign.uplift.outcome_help"), width=INPUT_WIDTH,
    )
    treated = row.selectbox(
        t("campaign.uplift.treated"), [ALL, *variants], key=choice("campaign_uplift_treated", [ALL, *variants], ALL),
        format_func=lambda v: all_variants if v == ALL else v, width=INPUT_WIDTH,
    )
    revenue_options = [NONE] + [c for c in columns.numeric if c not in columns.binary and c != setup.group]
    revenue = row.selectbox(
        t("campaign.uplift.revenue"), revenue_options,
        key=choice("campaign_uplift_revenue", revenue_options, "revenue" if "revenue" in revenue_options else NONE),
        format_func=none_labels(), help=t("campaign.uplift.revenue_help"), width=INPUT_WIDTH,
    )
    feature_options = [c for c in frame.columns if c not in {"customer_id", setup.group, outcome}]
    default_features = [c for c in feature_options if c not in setup.metrics and c != revenue and c not in columns.binary]
    row = st.container(horizontal=True)
    features = row.multiselect(
        t("campaign.uplift.features"), feature_options,
        key=choices("campaign_uplift_features", feature_options, default_features), format_func=label,
        help=t("campaign.uplift.features_help"), wrap=True,
    )
    method = row.selectbox(
        t("campaign.uplift.method"), METHODS, key=choice("campaign_uplift_method", METHODS, METHODS[0]),
        format_func=state.option_labels("campaign.method"), width=INPUT_WIDTH,
    )
    learner = row.selectbox(
        t("campaign.uplift.learner"), LEARNERS, key=choice("campaign_uplift_learner", LEARNERS, LEARNERS[0]),
        format_func=state.option_labels("campaign.learner"), width=INPUT_WIDTH,
    )
    if not features:
        st.info(t("campaign.uplift.pick_features"), icon=":material/info:")
        return
    try:
        with st.spinner(t("campaign.uplift.fitting")):
            result = cache.campaign_uplift(
                setup.key, setup.group, outcome, tuple(features), setup.control,
                None if treated == ALL else (treated,), None if revenue == NONE else revenue, method, learner, frame,
            )
        findings.uplift = result
        fit_key = "|".join(map(str, (setup.key, outcome, features, setup.control, treated, revenue, method, learner)))
        state.set_uplift_scores(state.UpliftScores(fit_key, result.scores[["customer_id", "uplift"]]))
        _uplift_results(active, result)
        _targeting(result, findings)
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.uplift"))


def _uplift_results(active: data.ActiveTable, result: UpliftResult) -> None:
    """Whether the model's ranking beats random targeting, in plain words; its charts; the statistics
    behind the verdict for analysts."""
    beats = result.qini_random_p < 0.05
    (st.success if beats else st.warning)(t("campaign.uplift.beats_random" if beats else "campaign.uplift.not_better"))
    qini_labels = {"title": t("campaign.chart.qini_title"), "x_title": t("campaign.chart.share_treated"),
                   "y_title": t("campaign.chart.incremental"), "model": t("campaign.chart.model"),
                   "random": t("campaign.chart.random")}
    decile_labels = {"title": t("campaign.chart.deciles_title"), "x_title": t("campaign.chart.decile"),
                     "y_title": t("campaign.chart.uplift"), "observed": t("campaign.chart.observed"),
                     "predicted": t("campaign.chart.predicted")}
    qini = qini_figure(result, qini_labels)
    # The curve rises from the bottom left: the top left corner is free for the legend.
    qini.update_layout(legend={"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.7)"})
    row = st.container(horizontal=True)
    row.plotly_chart(qini, key="campaign_qini_chart", width=CHART_WIDTH)
    row.plotly_chart(uplift_deciles_figure(result, decile_labels), key="campaign_deciles_chart", width=CHART_WIDTH)
    with st.expander(t("campaign.details"), icon=":material/query_stats:"):
        kpi_row([
            (t("campaign.uplift.kpi.customers"), f"{result.n_customers:,}"),
            (t("campaign.uplift.kpi.qini"), f"{result.qini_area:,.2f}"),
            (t("campaign.uplift.kpi.auuc"), f"{result.auuc:,.2f}"),
            (t("campaign.uplift.kpi.random_p"), pval(result.qini_random_p)),
        ])
        st.caption(t("campaign.uplift.random_test", p=p_is(result.qini_random_p), z=f"{result.qini_random_z:.1f}",
                     folds=result.folds))
        st.markdown(f"**{t('campaign.uplift.compare')}**")
        show_table(pd.DataFrame({
            t("campaign.uplift.method"): [t(f"campaign.method.{m}") for m in result.comparison["method"]],
            t("campaign.uplift.kpi.qini"): [f"{v:,.2f}" for v in result.comparison["qini_area"]],
            t("campaign.uplift.kpi.auuc"): [f"{v:,.2f}" for v in result.comparison["auuc"]],
            t("campaign.uplift.kpi.random_p"): [pval(v) for v in result.comparison["qini_random_p"]],
        }))
    show_dropped_rows(active.table, result.notes)
    show_notes(result.notes, skip=DROPPED_CODES)


def _targeting(result: UpliftResult, findings: Findings) -> None:
    """What treating the top share would cost and earn, at the user's order value, discount, coupon and margin."""
    st.markdown(f"##### {t('campaign.target.title')}")
    money = state.currency()
    with st.container(border=True):
        share = st.slider(
            t("campaign.target.share"), min_value=1, max_value=100, value=20, step=1, format="%d%%",
            key="campaign_top_share", help=t("campaign.target.share_help"),
        ) / 100
        row = st.container(horizontal=True)
        seed("campaign_order_value", round(float(result.order_value or 50.0), 2))
        order_value = row.number_input(
            state.money_label(t("campaign.target.order_value")), min_value=0.01, step=1.0, key="campaign_order_value",
            help=t("campaign.target.order_value_help", value=money.format(result.order_value)), width=INPUT_WIDTH,
        )
        discount = row.number_input(
            t("campaign.target.discount"), min_value=0.0, max_value=99.0, value=10.0, step=1.0, key="campaign_discount",
            width=INPUT_WIDTH,
        )
        coupon = row.number_input(
            state.money_label(t("campaign.target.coupon_value")), min_value=0.0, value=0.0, step=0.5, key="campaign_coupon_value",
            help=t("campaign.target.coupon_value_help"), width=INPUT_WIDTH,
        )
        # One margin for the shop: the Recommendations page's coupon margin is the same setting.
        margin = row.number_input(
            t("campaign.target.margin"), min_value=1.0, max_value=100.0, step=1.0, help=t("campaign.target.margin_help"),
            width=INPUT_WIDTH, **state.setting("shop_margin", 30.0),
        )
        roi = result.policy(share, order_value, discount_rate=discount / 100, coupon_value=coupon, margin=margin / 100)
        kpi_row([
            (t("campaign.target.kpi.customers"), f"{roi.n_targeted:,.0f}"),
            (t("campaign.target.kpi.conversions"), num(roi.incremental_conversions, 0)),
            (t("campaign.target.kpi.revenue"), money.format(roi.incremental_revenue)),
        ])
        kpi_row([
            (t("campaign.target.kpi.cost"), money.format(roi.total_cost)),
            (t("campaign.target.kpi.profit"), money.format(roi.incremental_profit)),
            (t("campaign.target.kpi.roi"), pct(roi.roi, 1)),
        ])
        st.caption(t("campaign.target.explain", discount=money.format(roi.discount_cost), coupons=money.format(roi.coupon_cost),
                     break_even=pct(roi.break_even_discount, 1), margin=f"{margin:.0f}%"))
    findings.roi = roi
    findings.share = share
    findings.targeted = result.targeted_customers(share)
