"""Effect without a control group: a counterfactual for part of the orders (causal impact).

Categories are named as the item catalogue names them in the UI language (``ui.catalogue``, as on
every page), and the chart's dates are written in the UI language too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts.campaign import impact_figure
from ui import cache, data, state
from ui.campaign.export import Findings
from ui.campaign.format import (
    finite,
    pct,
    quoted,
    show_core_error,
    show_notes,
)
from ui.campaign.inputs import INPUT_WIDTH, choice, choices
from ui.catalogue import catalogue_names
from ui.state import t
from ui.widgets import kpi_row, no_table

IMPACT_COLUMNS = ("category", "channel", "country")


def impact_view(findings: Findings) -> None:
    """Effect without a control group: a counterfactual for a category, channel or region from the orders."""
    st.caption(t("campaign.impact.intro"))
    orders = data.active_table("orders")
    if orders is None:
        no_table("orders", "campaign.impact.no_orders")
        return
    frame = orders.table.frame
    columns = cache.campaign_columns(orders.key, frame)
    options = [c for c in IMPACT_COLUMNS if c in columns.levels and len(columns.levels[c]) >= 2]
    if not options or "order_date" not in columns.dates or "amount" not in frame.columns:
        st.info(t("campaign.impact.no_columns"), icon=":material/info:")
        return
    row = st.container(horizontal=True)
    by = row.selectbox(
        t("campaign.impact.by"), options, key=choice("campaign_impact_by", options, options[0]),
        format_func=state.option_labels("column"), width=INPUT_WIDTH,
    )
    values = list(columns.levels[by])
    name = _value_names(by)
    treated = row.multiselect(
        t("campaign.impact.values"), values, key=choices("campaign_impact_values", values, values[:1]),
        format_func=name, help=t("campaign.impact.values_help"), wrap=True,
    )
    first, last = (pd.Timestamp(d).date() for d in columns.dates["order_date"])
    if not isinstance(st.session_state.get("campaign_impact_date"), date) or not first <= st.session_state["campaign_impact_date"] <= last:
        st.session_state["campaign_impact_date"] = max(first, last - timedelta(days=60))
    start = row.date_input(
        t("campaign.impact.date"), min_value=first, max_value=last, key="campaign_impact_date",
        help=t("campaign.impact.date_help"), width=INPUT_WIDTH,
    )
    if not treated:
        st.info(t("campaign.impact.pick_values"), icon=":material/info:")
        return
    try:
        with st.spinner(t("campaign.impact.fitting")):
            result = cache.campaign_impact(orders.key, by, tuple(treated), start.isoformat(), "amount", frame)
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.impact"))
        return
    findings.impact = result
    d = result.summary_details
    money = state.currency()
    summary = t(
        f"campaign.impact.summary.{result.summary_code}", date=f"{result.intervention_date:%Y-%m-%d}",
        series=quoted(map(name, treated)), days=d["days"], relative=pct(d["relative_effect"], 1),
        cum=money.format(d["cumulative_effect"], True, 0), low=money.format(d["cumulative_low"], decimals=0),
        high=money.format(d["cumulative_high"], decimals=0),
        probability=pct(d["probability"], 0), confidence=pct(d["confidence"], 0),
    )
    box = {"impact_positive": st.success, "impact_negative": st.error}.get(result.summary_code, st.info)
    box(summary, icon=":material/timeline:")
    kpi_row([
        (t("campaign.impact.kpi.actual"), money.format(d["average_actual"])),
        (t("campaign.impact.kpi.expected"), money.format(d["average_predicted"])),
        (t("campaign.impact.kpi.effect"), money.format(d["average_effect"], signed=True)),
        (t("campaign.impact.kpi.cumulative"), money.format(d["cumulative_effect"], True, 0)),
        (t("campaign.impact.kpi.relative"), pct(d["relative_effect"], 1, True)),
    ])
    st.plotly_chart(impact_figure(result, impact_labels(), money), key="campaign_impact_chart")
    if finite(result.placebo_share):
        count = len(result.placebos)
        st.caption(t("campaign.impact.placebo", large=round(result.placebo_share * count), count=count))
    show_notes(result.notes)


def impact_labels() -> dict[str, str]:
    """The chart's texts, with date formats in the UI language ("2025年7月", not "Jul 2025")."""
    labels = {key: t(f"campaign.chart.impact.{key}") for key in
              ("title", "actual", "predicted", "interval", "cumulative", "intervention", "y_title", "effect_title")}
    formats = {f"{zoom}_format": t(f"campaign.date.{zoom}") for zoom in ("day", "month", "year")}
    return labels | formats | {"date_format": formats["day_format"]}


def _value_names(column: str) -> Callable[[object], str]:
    """Names of the promoted values: categories as the item catalogue names them in the UI language,
    other values (channels, countries) as the orders hold them."""
    if column != "category":
        return str
    items = data.active_table("items")
    names = catalogue_names(items.table.frame if items is not None else None)
    return lambda value: str(names.category(value))
