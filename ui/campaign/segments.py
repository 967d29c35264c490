"""Lift per segment and whether the effect differs between segments (heterogeneity): a plain verdict
per variant, the test statistics (Cochran's Q, I²) in an expander for analysts."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import SegmentLiftResult
from promo_core.charts.campaign import segment_forest_figure
from ui import cache, data, state
from ui.campaign.abtest import interval_headers, lift_cell
from ui.campaign.format import (
    column_labels,
    column_name,
    currency_of,
    finite,
    md,
    num,
    pct,
    pval,
    rows_height,
    show_core_error,
    show_notes,
    show_table,
)
from ui.campaign.inputs import choice
from ui.campaign.setup import Setup
from ui.state import t


def segments_view(active: data.ActiveTable, setup: Setup) -> SegmentLiftResult | None:
    """Lift per segment (forest plot) and whether the effect differs between segments."""
    st.caption(t("campaign.segments.intro"))
    columns = cache.campaign_columns(active.key, active.table.frame)
    options = [c for c in columns.levels if c != setup.group and c not in columns.binary]
    if not options:
        st.info(t("campaign.segments.none"), icon=":material/info:")
        return None
    left, right = st.columns(2)
    label = column_labels()
    default = "segment" if "segment" in options else options[0]
    segment = left.selectbox(
        t("campaign.segments.column"), options, key=choice("campaign_segment", options, default), format_func=label
    )
    metric = right.selectbox(
        t("campaign.segments.metric"), setup.metrics, key=choice("campaign_segment_metric", setup.metrics, setup.metrics[0]),
        format_func=label,
    )
    try:
        result = cache.campaign_segments(
            setup.key, metric, segment, setup.group, setup.control, setup.alpha, setup.correction, active.table.frame
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.segments"))
        return None
    for h in result.heterogeneity.itertuples():
        if not finite(h.q):
            st.info(t("campaign.segments.too_few", variant=md(h.variant)), icon=":material/info:")
        elif h.differs:
            st.info(t("campaign.segments.differs", variant=md(h.variant)), icon=":material/call_split:")
        else:
            st.success(t("campaign.segments.same", variant=md(h.variant)), icon=":material/check_circle:")
    labels = {"title": t("campaign.chart.forest_title", segment=column_name(segment, html.escape),
                         metric=column_name(metric, html.escape)),
              "x_title": t("campaign.chart.abs_lift_pp" if result.kind == "binary" else "campaign.chart.abs_lift")}
    names = segment_names(segment, result.table["segment"].unique())
    forest = segment_forest_figure(result, labels, segment_names=names, currency=currency_of(result.metric))
    forest.update_layout(height=rows_height(result.table["segment"].nunique(), per_row=45 + 12 * len(result.variants)))
    st.plotly_chart(forest, key="campaign_forest_chart")
    st.dataframe(_segment_table(result, names), hide_index=True, key="campaign_segment_table")
    show_notes(result.notes, skip={"missing_outcome_dropped", "missing_group_dropped"})
    with st.expander(t("campaign.details"), icon=":material/query_stats:"):
        st.caption(t("campaign.segments.heterogeneity_help"))
        show_table(_heterogeneity_table(result))
    return result


def _heterogeneity_table(result: SegmentLiftResult) -> pd.DataFrame:
    """Cochran's Q per variant: does the lift differ between segments more than chance would make it."""
    h = result.heterogeneity
    return pd.DataFrame({
        t("campaign.col.variant"): h["variant"],
        t("campaign.col.q"): [num(v) for v in h["q"]],
        t("campaign.col.df"): [f"{v:.0f}" if finite(v) else "–" for v in h["df"]],
        t("campaign.col.p_value"): [pval(v) for v in h["p_value"]],
        t("campaign.col.i2"): [pct(v, 0) for v in h["i2"]],
    })


def segment_names(column: str, codes: Iterable[object]) -> dict[object, str]:
    """Display names of segments: the known segment column's codes ("at_risk") as the Segments page
    names them; values of any other column, or codes it has no name for, stay as they are."""
    if column != "segment":
        return {}
    return {code: state.code_name("segment", code) for code in codes}


def _segment_table(result: SegmentLiftResult, names: Mapping[object, str]) -> pd.DataFrame:
    """The forest plot's numbers as a table, for reading exact values and intervals."""
    binary = result.kind == "binary"
    fmt = pct if binary else currency_of(result.metric).format
    return pd.DataFrame({
        t("campaign.col.segment"): [names.get(code, code) for code in result.table["segment"]],
        t("campaign.col.variant"): result.table["variant"],
        t("campaign.col.customers"): result.table["n"].astype(int),
        t("campaign.col.mean"): [fmt(v) for v in result.table["mean"]],
        t("campaign.col.control_mean"): [fmt(v) for v in result.table["control_mean"]],
        interval_headers(result.alpha)[0]: [
            lift_cell(result.metric, binary, v, lo, hi)
            for v, lo, hi in zip(result.table["abs_lift"], result.table["abs_lift_low"], result.table["abs_lift_high"])
        ],
        t("campaign.col.p_adjusted"): [pval(v) for v in result.table["p_adjusted"]],
        t("campaign.col.significant"): [t("campaign.yes") if s else "" for s in result.table["significant"]],
    })
