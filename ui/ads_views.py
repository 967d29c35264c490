"""Views of the Ads page: the marketer's headline numbers, settings, model quality (statistics for
analysts in an expander), segment heatmaps, budget allocator and exports. Every figure gets its labels
in the user's language; known column and feature names are translated, names from uploads stay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts import ads as charts
from promo_core.ctr import OBJECTIVES, Allocation, ResponseModel
from promo_core.ctr.data import RESERVED
from promo_core.memo import escape_markdown
from promo_core.money import NO_CURRENCY
from ui import cache, state
from ui.data import ActiveTable
from ui.i18n import has_key, translate
from ui.widgets import download_table, guarded, kpi_row, notes_box

TARGETS = ("clicked", "converted")
BOUNDS_KEY = "ads_bounds"
BUDGET_KEY = "ads_budget"
ROAS_KEY = "ads_roas"
_MAX_LEVELS = 50
_INPUT_WIDTH = 220
_CHART_WIDTH = 440
"""Inputs and charts sit in rows that wrap (``st.container(horizontal=True)``) at these widths, in
pixels: two charts side by side on a wide screen, one under the other on a narrow one, where equal
columns would squeeze them."""


@dataclass(frozen=True)
class Settings:
    """What the user chose for the models; every field is part of the cache keys."""

    target: str
    features: tuple[str, ...] | None  # None: every usable column (and the daily volume feature)


def _labels(**keys: str) -> dict[str, str]:
    return {name: state.t(key) for name, key in keys.items()}


def _column_names() -> Callable[[object], str]:
    """Column and feature names in the language of this run: an ad feature the core derives (hour,
    daily volume) or a known column in the user's words, a column the user named as it is."""
    lang = state.lang()

    def name(code: object) -> str:
        key = next((k for k in (f"ads.feature.{code}", f"column.{code}") if has_key(k)), None)
        return translate(key, lang) if key else str(code)

    return name


def model_names() -> dict[str, str]:
    return {code: state.code_name("ads.model", code) for code in ("logistic", "random_forest", "gradient_boosting")}


def feature_options(events: ActiveTable) -> list[str]:
    columns = events.table.frame.columns
    return [c for c in columns if c not in RESERVED] + (["timestamp"] if "timestamp" in columns else [])


def settings(events: ActiveTable) -> Settings:
    """Target (clicks or post-click conversions) and the feature columns, kept across pages."""
    options = feature_options(events)
    with st.expander(state.t("ads.settings"), icon=":material/tune:"):
        row = st.container(horizontal=True)
        target = row.selectbox(
            state.t("ads.target"), TARGETS, **state.setting("ads_target", TARGETS[0], TARGETS),
            format_func=state.option_labels("ads.target"), width=_INPUT_WIDTH,
        )
        chosen = row.multiselect(
            state.t("ads.features"), options, **state.setting("ads_features", options, options),
            format_func=_column_names(), help=state.t("ads.features_help"), wrap=True,
        )
    features = None if list(chosen) == options else tuple(chosen)
    return Settings(str(target), features)


def notes(*results: object) -> None:
    """The analysis notes of every result, once each, in the user's language; a spend in the shop's currency."""
    money = state.currency()
    texts = (
        state.t(f"adsnote.{note.code}", **{k: money.format(v) if k == "spend" else v for k, v in note.details.items()})
        for result in results
        if result is not None
        for note in getattr(result, "notes", ())
    )
    notes_box(state.t("ads.notes"), texts)


def headline(events: ActiveTable) -> None:
    """What a marketer reads first: CTR, CVR, CPA and ROAS of the whole log (those its columns allow)."""
    st.subheader(state.t("ads.section.headline"))
    totals = cache.ads_totals(events.key, events.table.frame)
    cards = [(state.t("ads.kpi.ctr"), _share(totals.ctr))]
    if totals.conversions is not None:
        cards.append((state.t("ads.kpi.cvr"), _share(totals.cvr)))
    if totals.cost is not None and totals.conversions is not None:
        cards.append((state.t("ads.kpi.cpa"), state.currency().format(totals.cpa)))
    if totals.cost is not None and totals.revenue is not None:
        cards.append((state.t("ads.kpi.roas_log"), "–" if totals.roas is None else f"{totals.roas:,.2f}"))
    kpi_row(cards)
    st.caption(state.t("ads.headline_help", impressions=totals.impressions))


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2%}"


def model_section(model: ResponseModel) -> None:
    """How well the model ranks impressions in plain words, lift and feature importance; the statistics
    (AUC, calibration, log-loss, candidate settings, ROC) in an expander for analysts."""
    st.subheader(state.t("ads.section.model"))
    top = model.lift.iloc[0]
    st.markdown(state.t(f"ads.plain.{model.target}", share=top["cumulative_share"], lift=top["lift"],
                        gain=top["cumulative_gain"]))
    names = _column_names()
    row = st.container(horizontal=True)
    labels = _labels(title="ads.chart.lift", x_title="ads.label.decile", y_title="ads.label.lift", lift="ads.label.lift",
                     gain="ads.label.gain", gain_title="ads.label.gain")
    row.plotly_chart(charts.lift_figure(model, labels), key="ads_lift", width=_CHART_WIDTH)
    labels = _labels(title="ads.chart.importance", x_title="ads.label.auc_drop")
    features = {feature: names(feature) for feature in model.importance["feature"]}
    row.plotly_chart(charts.importance_figure(model, labels, feature_names=features), key="ads_importance",
                     width=_CHART_WIDTH)
    with st.expander(state.t("ads.details"), icon=":material/query_stats:"):
        _model_details(model)


def _model_details(model: ResponseModel) -> None:
    """KPI cards, the chosen model, the candidate table with log-loss, ROC and calibration."""
    m = model.metrics
    kpi_row([
        (state.t("ads.kpi.auc"), f"{m['auc']:.3f}"),
        (state.t("ads.kpi.ece"), f"{m['ece']:.4f}"),
        (state.t("ads.kpi.observed"), f"{m['observed_rate']:.2%}"),
        (state.t("ads.kpi.predicted"), f"{m['predicted_rate']:.2%}"),
    ])
    st.caption(state.t(
        "ads.chosen", model=state.code_name("ads.model", model.model_name), split=state.t(f"ads.split.{model.split}"),
        calibration=state.code_name("ads.calibration", model.calibration),
    ))
    if model.target == "converted":
        st.caption(state.t("ads.selection_bias"))
    names = model_names()
    table = model.summary().assign(model=lambda t: [names.get(c, c) for c in t["model"]])
    st.dataframe(
        table.rename(columns={c: state.t(f"ads.col.{c}") for c in table.columns}), hide_index=True, key="ads_comparison"
    )
    row = st.container(horizontal=True)
    labels = _labels(title="ads.chart.comparison", x_title="ads.label.model", y_title="ads.label.log_loss")
    row.plotly_chart(charts.model_comparison_figure(model, labels, names), key="ads_comparison_chart", width=_CHART_WIDTH)
    labels = _labels(title="ads.chart.roc", x_title="ads.label.fpr", y_title="ads.label.tpr", chance="ads.label.chance",
                     validation="ads.label.validation", test="ads.label.test")
    row.plotly_chart(charts.roc_figure(model, labels, names), key="ads_roc", width=_CHART_WIDTH)
    labels = _labels(title="ads.chart.calibration", x_title="ads.label.predicted", y_title="ads.label.observed",
                     perfect="ads.label.perfect", model="ads.label.model")
    row.plotly_chart(charts.calibration_figure(model, labels), key="ads_calibration", width=_CHART_WIDTH)


def segment_columns(events: ActiveTable, model: ResponseModel) -> list[str]:
    frame = events.table.frame
    return [c for c in model.features if c in frame.columns and frame[c].nunique(dropna=True) <= _MAX_LEVELS
            and not pd.api.types.is_float_dtype(frame[c].dtype)]


def segments_section(events: ActiveTable, chosen: Settings, model: ResponseModel) -> None:
    """Observed beside predicted CTR/CVR per cell of two chosen columns, on one colour scale, each map naming its rate."""
    st.subheader(state.t("ads.section.segments"))
    options = segment_columns(events, model)
    if len(options) < 2:
        return
    left, right = st.columns(2)
    names = _column_names()
    rows = left.selectbox(
        state.t("ads.rows"), options, **state.setting("ads_seg_rows", options[0], options), format_func=names
    )
    columns = right.selectbox(
        state.t("ads.columns"), options, **state.setting("ads_seg_columns", options[1], options), format_func=names
    )
    if rows == columns:
        st.info(state.t("ads.same_columns"))
        return
    frame = events.table.frame
    table = guarded(lambda: cache.ads_segments(events.key, chosen.target, chosen.features, (rows, columns), frame))
    if table is None:
        return
    rate = state.t(f"ads.rate.{model.target}")
    titles = {value: state.t(f"ads.chart.heatmap_{value}", rate=rate) for value in ("observed", "predicted")}
    row = st.container(horizontal=True)
    for value, other in (("observed", "predicted"), ("predicted", "observed")):
        labels = {"title": titles[value], "x_title": names(columns), "y_title": names(rows),
                  "colorbar": state.t(f"ads.rate_short.{model.target}"), "other": titles[other]}
        row.plotly_chart(charts.segment_heatmap_figure(table, rows, columns, labels, value=value),
                         key=f"ads_heatmap_{value}", width=_CHART_WIDTH)
    st.caption(state.t("ads.heatmap_scale", rate=rate))


def budget_section(events: ActiveTable) -> Allocation | None:
    """Objective, total budget, per-channel bounds; current vs recommended split and response curves.

    The budget is kept per ad log (new data starts again from its own current spend); the bounds are
    kept while the log has the same channels.
    """
    st.subheader(state.t("ads.section.budget"))
    frame = events.table.frame
    objectives = list(OBJECTIVES)
    row = st.container(horizontal=True)
    objective = row.selectbox(
        state.t("ads.objective"), objectives, **state.setting("ads_objective", objectives[0], objectives),
        format_func=state.option_labels("ads.objective"), width=_INPUT_WIDTH,
    )
    roas = None
    if objective == "roas_target":
        roas = row.number_input(state.t("ads.roas_target"), min_value=0.0, step=0.5, width=_INPUT_WIDTH,
                                **state.setting(ROAS_KEY, 3.0))
    default = guarded(lambda: cache.ads_allocation(events.key, objective, None, (), roas, frame))
    if default is None:
        return None
    current_total = round(float(default.table["current_spend"].sum()), 2)
    budget = row.number_input(
        state.money_label(state.t("ads.budget")), min_value=0.0, step=1.0, format="%.2f", width=_INPUT_WIDTH,
        **state.setting(f"{BUDGET_KEY}_{events.key[:12]}", current_total),
    )
    st.caption(state.t("ads.bounds"))
    base = default.table[["channel", "low", "high"]].round(2)
    key, start = state.editor_start(BOUNDS_KEY, base, lambda kept: kept["channel"].tolist() == base["channel"].tolist())
    edited = st.data_editor(
        start, key=key, hide_index=True, disabled=["channel"], num_rows="fixed",
        column_config={
            "channel": st.column_config.TextColumn(state.t("ads.col.channel")),
            "low": st.column_config.NumberColumn(state.money_label(state.t("ads.col.low")), min_value=0.0, format="%.2f"),
            "high": st.column_config.NumberColumn(state.money_label(state.t("ads.col.high")), min_value=0.0, format="%.2f"),
        },
    )
    if st.button(state.t("ads.bounds_reset"), key="ads_bounds_reset"):
        state.reset_editor(BOUNDS_KEY, base)
        st.rerun()
    state.remember(BOUNDS_KEY, edited[["channel", "low", "high"]].reset_index(drop=True))
    bounds = tuple(
        (str(channel), None if pd.isna(low) else float(low), None if pd.isna(high) else float(high))
        for channel, low, high in edited[["channel", "low", "high"]].itertuples(index=False, name=None)
    )
    allocation = guarded(lambda: cache.ads_allocation(events.key, objective, float(budget), bounds, roas, frame))
    if allocation is None:
        return None
    outcome = state.t(f"ads.outcome.{OBJECTIVES[objective]}")
    money = state.currency()
    result = money if OBJECTIVES[objective] == "revenue" else NO_CURRENCY
    kpis = [
        (state.t("ads.kpi.current", outcome=outcome), result.format(allocation.current_outcome)),
        (state.t("ads.kpi.expected", outcome=outcome), result.format(allocation.expected_outcome)),
        (state.t("ads.kpi.gain"), result.format(allocation.gain, signed=True)),
        (state.t("ads.kpi.spend"), money.format(allocation.spend)),
    ]
    if roas is not None and allocation.spend > 0:
        kpis.append((state.t("ads.kpi.roas"), f"{allocation.expected_outcome / allocation.spend:,.2f}"))
    kpi_row(kpis)
    st.markdown(state.t("ads.gain_interval", gain=result.format(allocation.gain), outcome=outcome, level=allocation.interval,
                        low=result.format(allocation.gain_low), high=result.format(allocation.gain_high),
                        spend=money.format(allocation.spend)))
    notes(allocation)
    labels = _labels(title="ads.chart.allocation", x_title="ads.label.channel", y_title="ads.label.spend",
                     current="ads.label.current", recommended="ads.label.recommended")
    st.plotly_chart(charts.allocation_figure(allocation, labels, money), key="ads_allocation")
    allocation_table(allocation, outcome)
    labels = _labels(title="ads.chart.curves", x_title="ads.label.spend", history="ads.label.history",
                     curve="ads.label.curve", current="ads.label.current", recommended="ads.label.recommended")
    labels["y_title"] = state.t("ads.label.outcome", outcome=outcome)
    st.plotly_chart(charts.response_curves_figure(allocation, labels, currency=money), key="ads_curves")
    return allocation


def allocation_table(allocation: Allocation, outcome: str) -> None:
    """The split per channel in numbers (the bar chart has none), and why a channel gets nothing.

    Amounts are in the shop's currency, and so is the outcome when it is revenue; the marginal return
    is the outcome the next unit of spend brings at the recommended spend.
    """
    money = state.currency()
    revenue = OBJECTIVES[allocation.objective] == "revenue"
    unit = money.format(1, decimals=0)
    t = allocation.table
    headers = {
        "channel": state.t("ads.col.channel"),
        "current_spend": state.t("ads.col.current_spend"),
        "recommended_spend": state.t("ads.col.recommended_spend"),
        "change": state.t("ads.col.change"),
        "recommended_outcome": state.t("ads.col.expected_outcome", outcome=outcome),
        "marginal_return": state.t("ads.col.marginal_return", outcome=outcome, unit=unit),
    }
    shown = t[list(headers)].assign(change=[money.format(v, signed=True) for v in t["change"]])
    spend = st.column_config.NumberColumn(format=money.column_format())
    config = {
        headers["current_spend"]: spend,
        headers["recommended_spend"]: spend,
        headers["recommended_outcome"]: st.column_config.NumberColumn(
            format=money.column_format() if revenue else "%,.2f"
        ),
        headers["marginal_return"]: st.column_config.NumberColumn(
            format="%,.3f", help=state.t("ads.marginal_return_help", outcome=outcome, unit=unit)
        ),
    }
    st.markdown(f"**{state.t('ads.allocation_table')}**")
    st.dataframe(shown.rename(columns=headers), hide_index=True, key="ads_allocation_table", column_config=config)
    for reason in zero_reasons(allocation, outcome):
        st.markdown(f"- {reason}")


def zero_reasons(allocation: Allocation, outcome: str) -> list[str]:
    """Why each channel that gets no budget gets none (``Allocation.unfunded``), in the user's words."""
    money = state.currency()
    revenue = OBJECTIVES[allocation.objective] == "revenue"
    unit = money.format(1, decimals=0)

    def amount(value: float) -> str:
        return money.format(value) if revenue else f"{value:,.3g}"

    reasons = []
    for row in allocation.unfunded().itertuples(index=False):
        channel = escape_markdown(row.channel, line_start=False)  # a name from the upload, shown literally
        if row.reason == "bound":
            reasons.append(state.t("ads.zero.bound", channel=channel))
        else:
            reasons.append(state.t("ads.zero.return", channel=channel, unit=unit, outcome=outcome,
                                   first=amount(row.first_return), level=amount(row.level)))
    return reasons


def exports(events: ActiveTable, chosen: Settings, allocation: Allocation | None) -> None:
    """Scored impressions (CTR, CVR, expected value) and the allocation, through the safe exporter."""
    st.subheader(state.t("ads.section.export"))
    frame = events.table.frame
    left, right = st.columns(2)
    with left:
        targets = tuple(t for t in TARGETS if _fits(events, t, chosen.features))
        if targets:
            scored = guarded(lambda: cache.ads_scored(events.key, targets, chosen.features, frame))
            if scored is not None:
                download_table(state.t("ads.download_scored"), scored, "scored_impressions", key="ads_download_scored")
    with right:
        if allocation is not None:
            download_table(state.t("ads.download_allocation"), allocation.table, "budget_allocation", key="ads_download_allocation")


def _fits(events: ActiveTable, target: str, features: tuple[str, ...] | None) -> bool:
    try:
        cache.ads_model(events.key, target, features, events.table.frame)
    except PromoCoreError:
        return False
    return True
