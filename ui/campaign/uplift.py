"""Uplift: who to treat (Qini curve, uplift by decile) and what treating the top share would earn."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts.campaign import qini_figure, uplift_deciles_figure
from promo_core.uplift import METHODS, UpliftResult
from ui import cache, data, state
from ui.campaign.export import Findings
from ui.campaign.format import num, p_is, pct, pval, show_core_error, show_notes, show_table
from ui.campaign.inputs import NONE, choice, choices, none_label, seed
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
    row1 = st.columns(3)
    choice("campaign_uplift_outcome", outcome_options, default_outcome)
    outcome = row1[0].selectbox(
        t("campaign.uplift.outcome"), outcome_options, key="campaign_uplift_outcome", help=t("campaign.uplift.outcome_help")
    )
    choice("campaign_uplift_treated", [ALL, *variants], ALL)
    treated = row1[1].selectbox(
        t("campaign.uplift.treated"), [ALL, *variants], key="campaign_uplift_treated",
        format_func=lambda v: t("campaign.uplift.all_variants") if v == ALL else v,
    )
    revenue_options = [NONE] + [c for c in columns.numeric if c not in columns.binary and c != setup.group]
    choice("campaign_uplift_revenue", revenue_options, "revenue" if "revenue" in revenue_options else NONE)
    revenue = row1[2].selectbox(
        t("campaign.uplift.revenue"), revenue_options, key="campaign_uplift_revenue", format_func=none_label,
        help=t("campaign.uplift.revenue_help"),
    )
    feature_options = [c for c in frame.columns if c not in {"customer_id", setup.group, outcome}]
    default_features = [c for c in feature_options if c not in setup.metrics and c != revenue and c not in columns.binary]
    row2 = st.columns([2, 1, 1])
    choices("campaign_uplift_features", feature_options, default_features)
    features = row2[0].multiselect(
        t("campaign.uplift.features"), feature_options, key="campaign_uplift_features",
        help=t("campaign.uplift.features_help"),
    )
    choice("campaign_uplift_method", METHODS, METHODS[0])
    method = row2[1].selectbox(
        t("campaign.uplift.method"), METHODS, key="campaign_uplift_method", format_func=lambda m: t(f"campaign.method.{m}")
    )
    choice("campaign_uplift_learner", LEARNERS, LEARNERS[0])
    learner = row2[2].selectbox(
        t("campaign.uplift.learner"), LEARNERS, key="campaign_uplift_learner", format_func=lambda m: t(f"campaign.learner.{m}")
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
        _uplift_results(result)
        _targeting(result, findings)
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.uplift"))


def _uplift_results(result: UpliftResult) -> None:
    """How well the model ranks customers, and whether that beats a random ranking."""
    kpi_row([
        (t("campaign.uplift.kpi.customers"), f"{result.n_customers:,}"),
        (t("campaign.uplift.kpi.qini"), f"{result.qini_area:,.2f}"),
        (t("campaign.uplift.kpi.auuc"), f"{result.auuc:,.2f}"),
        (t("campaign.uplift.kpi.random_p"), pval(result.qini_random_p)),
    ])
    key = "campaign.uplift.beats_random" if result.qini_random_p < 0.05 else "campaign.uplift.not_better"
    (st.success if result.qini_random_p < 0.05 else st.warning)(
        t(key, p=p_is(result.qini_random_p), z=f"{result.qini_random_z:.1f}", folds=result.folds)
    )
    left, right = st.columns(2)
    qini_labels = {"title": t("campaign.chart.qini_title"), "x_title": t("campaign.chart.share_treated"),
                   "y_title": t("campaign.chart.incremental"), "model": t("campaign.chart.model"),
                   "random": t("campaign.chart.random")}
    decile_labels = {"title": t("campaign.chart.deciles_title"), "x_title": t("campaign.chart.decile"),
                     "y_title": t("campaign.chart.uplift"), "observed": t("campaign.chart.observed"),
                     "predicted": t("campaign.chart.predicted")}
    qini = qini_figure(result, qini_labels)
    # The curve rises from the bottom left: the top left corner is free for the legend.
    qini.update_layout(legend={"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.7)"})
    left.plotly_chart(qini, key="campaign_qini_chart")
    right.plotly_chart(uplift_deciles_figure(result, decile_labels), key="campaign_deciles_chart")
    with st.expander(t("campaign.uplift.compare")):
        show_table(pd.DataFrame({
            t("campaign.uplift.method"): [t(f"campaign.method.{m}") for m in result.comparison["method"]],
            t("campaign.uplift.kpi.qini"): [f"{v:,.2f}" for v in result.comparison["qini_area"]],
            t("campaign.uplift.kpi.auuc"): [f"{v:,.2f}" for v in result.comparison["auuc"]],
            t("campaign.uplift.kpi.random_p"): [pval(v) for v in result.comparison["qini_random_p"]],
        }))
    show_notes(result.notes)


def _targeting(result: UpliftResult, findings: Findings) -> None:
    """What treating the top share would cost and earn, at the user's order value, discount, coupon and margin."""
    st.markdown(f"##### {t('campaign.target.title')}")
    with st.container(border=True):
        share = st.slider(
            t("campaign.target.share"), min_value=1, max_value=100, value=20, step=1, format="%d%%",
            key="campaign_top_share", help=t("campaign.target.share_help"),
        ) / 100
        inputs = st.columns(4)
        seed("campaign_order_value", round(float(result.order_value or 50.0), 2))
        order_value = inputs[0].number_input(
            t("campaign.target.order_value"), min_value=0.01, step=1.0, key="campaign_order_value",
            help=t("campaign.target.order_value_help", value=num(result.order_value)),
        )
        discount = inputs[1].number_input(
            t("campaign.target.discount"), min_value=0.0, max_value=99.0, value=10.0, step=1.0, key="campaign_discount"
        )
        coupon = inputs[2].number_input(
            t("campaign.target.coupon_value"), min_value=0.0, value=0.0, step=0.5, key="campaign_coupon_value",
            help=t("campaign.target.coupon_value_help"),
        )
        margin = inputs[3].number_input(
            t("campaign.target.margin"), min_value=1.0, max_value=100.0, value=40.0, step=1.0, key="campaign_margin",
            help=t("campaign.target.margin_help"),
        )
        roi = result.policy(share, order_value, discount_rate=discount / 100, coupon_value=coupon, margin=margin / 100)
        kpi_row([
            (t("campaign.target.kpi.customers"), f"{roi.n_targeted:,.0f}"),
            (t("campaign.target.kpi.conversions"), f"{roi.incremental_conversions:,.1f}"),
            (t("campaign.target.kpi.revenue"), num(roi.incremental_revenue)),
        ])
        kpi_row([
            (t("campaign.target.kpi.cost"), num(roi.total_cost)),
            (t("campaign.target.kpi.profit"), num(roi.incremental_profit)),
            (t("campaign.target.kpi.roi"), pct(roi.roi, 1)),
        ])
        st.caption(t("campaign.target.explain", discount=num(roi.discount_cost), coupons=num(roi.coupon_cost),
                     break_even=pct(roi.break_even_discount, 1), margin=f"{margin:.0f}%"))
    findings.roi = roi
    findings.share = share
    findings.targeted = result.targeted_customers(share)
