"""Views of the Campaign effect page: setup, checks, lifts, segments, uplift, counterfactual, power, export.

Every section catches ``PromoCoreError`` once and shows it in the user's language; anything else is a
bug. Expensive steps (the test, uplift fit, causal impact) go through the campaign block of
``ui.cache``, so moving a slider reruns only the cheap parts. Results from the cache are shared:
nothing here mutates them. Names from uploads (groups, segments, columns) go into Markdown only
backslash-escaped, and never into HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import ABTestResult, ABTestSuite, Note, PowerResult, SegmentLiftResult, power_analysis
from promo_core.campaign.abtest import MIN_ARM, MIN_EVENTS
from promo_core.campaign.data import choose_control
from promo_core.charts.campaign import (
    impact_figure,
    lift_figure,
    qini_figure,
    segment_forest_figure,
    uplift_deciles_figure,
)
from promo_core.impact import ImpactResult
from promo_core.memo import LABELS_EN, NOTE_TEXTS_EN, decision_memo, escape_markdown
from promo_core.roi import RoiResult
from promo_core.uplift import METHODS, UpliftResult
from ui import cache, data, state
from ui.i18n import TEXT
from ui.widgets import download_table, kpi_row, show_error

NONE = "\u2014"
"""Option meaning 'no column'."""
ALL = "\u2217"
"""Option meaning 'every variant, pooled'."""
ALPHAS = (0.01, 0.05, 0.1)
CORRECTIONS = ("holm", "bh", "none")
LEARNERS = ("logistic", "hgb")
IMPACT_COLUMNS = ("category", "channel", "country")
_MAX_SPLIT_INPUTS = 12
_LEVEL_ICONS = {"info": ":material/info:", "warning": ":material/warning:", "alert": ":material/error:"}
_SAMPLE_CODES = {"small_sample", "few_conversions", "zero_conversions", "control_mean_zero"}


@dataclass(frozen=True)
class Setup:
    """The user's choices for the test, and the table they apply to."""

    key: str
    group: str
    control: str
    groups: tuple[str, ...]
    metrics: tuple[str, ...]
    covariate: str | None
    alpha: float
    correction: str
    planned_split: tuple[tuple[str, float], ...] | None


@dataclass
class Findings:
    """What the sections computed, collected for the decision memo and the exports."""

    suite: ABTestSuite | None = None
    segments: SegmentLiftResult | None = None
    uplift: UpliftResult | None = None
    roi: RoiResult | None = None
    targeted: pd.DataFrame | None = None
    share: float = 0.0
    impact: ImpactResult | None = None
    power: PowerResult | None = None


# ----------------------------------------------------------------------------- small helpers


def t(key: str, **params: object) -> str:
    return state.t(key, **params)


def md(value: object) -> str:
    """A name from an upload, safe inside Markdown (shown literally)."""
    return escape_markdown(value, line_start=False)


def _raw(key: str) -> str:
    """An untouched template of the translation table (memo labels carry their own placeholders)."""
    entry = TEXT[key]
    return entry.get(state.lang()) or entry["en"]


def _choice(key: str, options: Sequence[object], default: object) -> None:
    """Seed a select box's state unless it already holds one of ``options``: with the value the user
    chose on an earlier visit to the page when that is still an option, else with ``default``."""
    current = st.session_state.get(key)
    if current in options:
        state.remember(key, current)
        return
    kept = state.remembered(key, default)
    st.session_state[key] = kept if kept in options else default


def _choices(key: str, options: Sequence[object], default: Sequence[object]) -> None:
    """Seed a multiselect's state, keeping the chosen values that are still options; when the options
    changed under every chosen value (another column), start again from ``default``. A new visit to
    the page starts from the values chosen on the last one."""
    chosen = st.session_state.get(key)
    if chosen is None:
        chosen = state.remembered(key, None)
    if chosen is None:
        st.session_state[key] = list(default)
        return
    kept = [value for value in chosen if value in options]
    st.session_state[key] = kept if kept or not chosen else list(default)
    state.remember(key, st.session_state[key])


def show_table(frame: pd.DataFrame) -> None:
    """A small static table. ``st.table`` renders cells and headers as Markdown, so every cell is
    escaped to show names from uploads (and our own brackets and signs) literally."""

    def escape(value: object) -> str:
        return escape_markdown(value) if isinstance(value, str) else value

    shown = frame.map(escape)
    shown.columns = [escape(str(column)) for column in frame.columns]
    st.table(shown, hide_index=True)


def _seed(key: str, value: object) -> None:
    """Seed a number box with ``value``, or with the user's number from an earlier visit."""
    if key in st.session_state:
        state.remember(key, st.session_state[key])
    else:
        st.session_state[key] = state.remembered(key, value)


def _none_label(option: str) -> str:
    return t("campaign.none") if option == NONE else option


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def pct(value: float | None, digits: int = 2, signed: bool = False) -> str:
    if not _finite(value):
        return "–"
    return f"{value:+.{digits}%}" if signed else f"{value:.{digits}%}"


def num(value: float | None, digits: int = 2, signed: bool = False) -> str:
    if not _finite(value):
        return "–"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def points(value: float | None, signed: bool = False) -> str:
    """A difference of two rates, in percentage points."""
    if not _finite(value):
        return "–"
    return t("campaign.unit.pp", value=f"{value * 100:+.2f}" if signed else f"{value * 100:.2f}")


def pval(value: float | None) -> str:
    if not _finite(value):
        return "–"
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


def p_is(value: float | None) -> str:
    """'p = 0.0123' or 'p < 0.0001', for running text."""
    text = pval(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def interval(point: str, low: str, high: str) -> str:
    return f"{point} [{low}, {high}]"


def show_core_error(error: PromoCoreError, title: str | None = None) -> None:
    """A core error in the user's words; codes inside the details are translated first."""
    if error.code == "uplift_too_few" and "arm" in error.details:
        error.details["arm"] = t(f"campaign.arm.{error.details['arm']}")
    show_error(error, title)


def note_text(note: Note) -> str:
    """A core note in the user's language, names escaped for Markdown."""
    details = {key: md(value) if isinstance(value, str) else value for key, value in note.details.items()}
    return t(f"campaign.note.{note.code}", **details)


def show_notes(notes: Sequence[Note], skip: set[str] = frozenset()) -> None:
    """Each note once, as loud as its level."""
    seen = set()
    for note in notes:
        signature = (note.code, tuple(sorted((k, str(v)) for k, v in note.details.items())))
        if note.code in skip or signature in seen:
            continue
        seen.add(signature)
        box = {"alert": st.error, "warning": st.warning}.get(note.level, st.info)
        box(note_text(note), icon=_LEVEL_ICONS.get(note.level))


# ----------------------------------------------------------------------------- setup


def setup_panel(active: data.ActiveTable) -> Setup | None:
    """Group column, control, metrics and covariate (auto-suggested), plus test settings."""
    frame = active.table.frame
    columns = cache.campaign_columns(active.key, frame)
    source = t("source.sample") if active.origin == "sample" else active.table.source.name
    st.caption(t("campaign.table", rows=len(frame), source=md(source)))
    group_options = [c for c in columns.levels if c not in columns.binary] or list(columns.levels)
    if not group_options:
        st.warning(t("campaign.no_group_column"), icon=":material/warning:")
        return None
    with st.container(border=True):
        left, middle, right, last = st.columns([1, 1, 1.3, 1])
        _choice("campaign_group", group_options, "group" if "group" in group_options else group_options[0])
        group = left.selectbox(t("campaign.group"), group_options, key="campaign_group", help=t("campaign.group_help"))
        names = list(columns.levels[group])
        _choice("campaign_control", names, _default_control(names, group))
        control = middle.selectbox(
            t("campaign.control"), names, key="campaign_control", help=t("campaign.control_help")
        )
        metric_options = [c for c in columns.numeric if c != group]
        preferred = [m for m in ("converted", "revenue") if m in metric_options] or metric_options[:1]
        _choices("campaign_metrics", metric_options, preferred)
        metrics = right.multiselect(
            t("campaign.metrics"), metric_options, key="campaign_metrics", help=t("campaign.metrics_help")
        )
        covariate_options = [NONE] + [c for c in columns.numeric if c != group and c not in columns.binary]
        _choice("campaign_covariate", covariate_options, suggest_covariate(covariate_options))
        covariate = last.selectbox(
            t("campaign.covariate"), covariate_options, key="campaign_covariate", format_func=_none_label,
            help=t("campaign.covariate_help"),
        )
        with st.expander(t("campaign.settings")):
            first, second = st.columns(2)
            _choice("campaign_alpha", ALPHAS, 0.05)
            alpha = first.selectbox(
                t("campaign.alpha"), ALPHAS, key="campaign_alpha", format_func=lambda a: f"{1 - a:.0%}",
                help=t("campaign.alpha_help"),
            )
            _choice("campaign_correction", CORRECTIONS, "holm")
            correction = second.selectbox(
                t("campaign.correction"), CORRECTIONS, key="campaign_correction",
                format_func=lambda c: t(f"campaign.correction.{c}"), help=t("campaign.correction_help"),
            )
            split = _planned_split(names)
    if not metrics:
        st.info(t("campaign.pick_metric"), icon=":material/info:")
        return None
    return Setup(
        key=active.key, group=group, control=control, groups=tuple(names), metrics=tuple(metrics),
        covariate=None if covariate == NONE else covariate, alpha=float(alpha), correction=correction,
        planned_split=split,
    )


def _rows_height(rows: int, per_row: int = 70) -> int:
    """A chart height that fits its rows (variants or segments) instead of plotly's fixed 450 px."""
    return int(min(900, max(260, 130 + per_row * rows)))


def _default_control(names: list[str], group: str) -> str:
    try:
        return choose_control(names, None, group)
    except PromoCoreError:
        return names[0]


def suggest_covariate(options: Sequence[str]) -> str:
    """A pre-period column (``pre_*``) when there is one: CUPED needs a number measured before the test."""
    for option in options:
        if option != NONE and str(option).lower().startswith(("pre_", "pre-", "pre ")):
            return option
    return NONE


def _planned_split(names: list[str]) -> tuple[tuple[str, float], ...] | None:
    """Planned share per group as relative weights; None when equal (the default)."""
    st.markdown(f"**{t('campaign.split')}**")
    if len(names) > _MAX_SPLIT_INPUTS:
        st.caption(t("campaign.split_too_many", count=len(names)))
        return None
    st.caption(t("campaign.split_help"))
    weights = []
    for position, (column, name) in enumerate(zip(st.columns(min(len(names), 6)) * 2, names)):
        weights.append(column.number_input(md(name), min_value=0.0, value=1.0, step=0.5, key=f"campaign_split_{position}"))
    if len(set(weights)) == 1 and weights[0] > 0:
        return None
    return tuple(zip(names, map(float, weights)))


# ----------------------------------------------------------------------------- checks and lifts


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
        figure.update_layout(height=_rows_height(len(result.variants)), margin={"t": 50, "b": 40})
        with charts[position % len(charts)]:
            st.plotly_chart(figure, key=f"campaign_lift_chart_{position}")


# ----------------------------------------------------------------------------- segments


def segments_view(active: data.ActiveTable, setup: Setup) -> SegmentLiftResult | None:
    """Lift per segment (forest plot) and whether the effect differs between segments."""
    st.caption(t("campaign.segments.intro"))
    columns = cache.campaign_columns(active.key, active.table.frame)
    options = [c for c in columns.levels if c != setup.group and c not in columns.binary]
    if not options:
        st.info(t("campaign.segments.none"), icon=":material/info:")
        return None
    left, right = st.columns(2)
    _choice("campaign_segment", options, "segment" if "segment" in options else options[0])
    segment = left.selectbox(t("campaign.segments.column"), options, key="campaign_segment")
    _choice("campaign_segment_metric", setup.metrics, setup.metrics[0])
    metric = right.selectbox(t("campaign.segments.metric"), setup.metrics, key="campaign_segment_metric")
    try:
        result = cache.campaign_segments(
            setup.key, metric, segment, setup.group, setup.control, setup.alpha, setup.correction, active.table.frame
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.segments"))
        return None
    for h in result.heterogeneity.itertuples():
        if not _finite(h.q):
            st.info(t("campaign.segments.too_few", variant=md(h.variant)), icon=":material/info:")
            continue
        params = {"variant": md(h.variant), "q": f"{h.q:.2f}", "df": int(h.df), "p": p_is(h.p_value), "i2": pct(h.i2, 0)}
        if h.differs:
            st.info(t("campaign.segments.differs", **params), icon=":material/call_split:")
        else:
            st.success(t("campaign.segments.same", **params), icon=":material/check_circle:")
    labels = {"title": t("campaign.chart.forest_title", segment=html.escape(segment), metric=html.escape(metric)),
              "x_title": t("campaign.chart.abs_lift")}
    forest = segment_forest_figure(result, labels)
    forest.update_layout(height=_rows_height(result.table["segment"].nunique(), per_row=45 + 12 * len(result.variants)))
    st.plotly_chart(forest, key="campaign_forest_chart")
    st.dataframe(_segment_table(result), hide_index=True, key="campaign_segment_table")
    show_notes(result.notes, skip={"missing_outcome_dropped", "missing_group_dropped"})
    return result


def _segment_table(result: SegmentLiftResult) -> pd.DataFrame:
    binary = result.kind == "binary"
    fmt = pct if binary else num
    return pd.DataFrame({
        t("campaign.col.segment"): result.table["segment"],
        t("campaign.col.variant"): result.table["variant"],
        t("campaign.col.customers"): result.table["n"].astype(int),
        t("campaign.col.mean"): [fmt(v) for v in result.table["mean"]],
        t("campaign.col.control_mean"): [fmt(v) for v in result.table["control_mean"]],
        t("campaign.col.abs_lift"): [
            lift_cell(binary, v, lo, hi)
            for v, lo, hi in zip(result.table["abs_lift"], result.table["abs_lift_low"], result.table["abs_lift_high"])
        ],
        t("campaign.col.p_adjusted"): [pval(v) for v in result.table["p_adjusted"]],
        t("campaign.col.significant"): [t("campaign.yes") if s else "" for s in result.table["significant"]],
    })


# ----------------------------------------------------------------------------- uplift


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
    _choice("campaign_uplift_outcome", outcome_options, default_outcome)
    outcome = row1[0].selectbox(
        t("campaign.uplift.outcome"), outcome_options, key="campaign_uplift_outcome", help=t("campaign.uplift.outcome_help")
    )
    _choice("campaign_uplift_treated", [ALL, *variants], ALL)
    treated = row1[1].selectbox(
        t("campaign.uplift.treated"), [ALL, *variants], key="campaign_uplift_treated",
        format_func=lambda v: t("campaign.uplift.all_variants") if v == ALL else v,
    )
    revenue_options = [NONE] + [c for c in columns.numeric if c not in columns.binary and c != setup.group]
    _choice("campaign_uplift_revenue", revenue_options, "revenue" if "revenue" in revenue_options else NONE)
    revenue = row1[2].selectbox(
        t("campaign.uplift.revenue"), revenue_options, key="campaign_uplift_revenue", format_func=_none_label,
        help=t("campaign.uplift.revenue_help"),
    )
    feature_options = [c for c in frame.columns if c not in {"customer_id", setup.group, outcome}]
    default_features = [c for c in feature_options if c not in setup.metrics and c != revenue and c not in columns.binary]
    row2 = st.columns([2, 1, 1])
    _choices("campaign_uplift_features", feature_options, default_features)
    features = row2[0].multiselect(
        t("campaign.uplift.features"), feature_options, key="campaign_uplift_features",
        help=t("campaign.uplift.features_help"),
    )
    _choice("campaign_uplift_method", METHODS, METHODS[0])
    method = row2[1].selectbox(
        t("campaign.uplift.method"), METHODS, key="campaign_uplift_method", format_func=lambda m: t(f"campaign.method.{m}")
    )
    _choice("campaign_uplift_learner", LEARNERS, LEARNERS[0])
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
    st.markdown(f"##### {t('campaign.target.title')}")
    with st.container(border=True):
        share = st.slider(
            t("campaign.target.share"), min_value=1, max_value=100, value=20, step=1, format="%d%%",
            key="campaign_top_share", help=t("campaign.target.share_help"),
        ) / 100
        inputs = st.columns(4)
        _seed("campaign_order_value", round(float(result.order_value or 50.0), 2))
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


# ----------------------------------------------------------------------------- counterfactual


def impact_view(findings: Findings) -> None:
    """Effect without a control group: a counterfactual for a category, channel or region from the orders."""
    st.caption(t("campaign.impact.intro"))
    orders = data.active_table("orders")
    if orders is None:
        st.info(t("campaign.impact.no_orders"), icon=":material/info:")
        return
    frame = orders.table.frame
    columns = cache.campaign_columns(orders.key, frame)
    options = [c for c in IMPACT_COLUMNS if c in columns.levels and len(columns.levels[c]) >= 2]
    if not options or "order_date" not in columns.dates or "amount" not in frame.columns:
        st.info(t("campaign.impact.no_columns"), icon=":material/info:")
        return
    left, middle, right = st.columns([1, 2, 1])
    _choice("campaign_impact_by", options, options[0])
    by = left.selectbox(t("campaign.impact.by"), options, key="campaign_impact_by", format_func=lambda c: t(f"column.{c}"))
    values = list(columns.levels[by])
    _choices("campaign_impact_values", values, values[:1])
    treated = middle.multiselect(
        t("campaign.impact.values"), values, key="campaign_impact_values", help=t("campaign.impact.values_help")
    )
    first, last = (pd.Timestamp(d).date() for d in columns.dates["order_date"])
    if not isinstance(st.session_state.get("campaign_impact_date"), date) or not first <= st.session_state["campaign_impact_date"] <= last:
        st.session_state["campaign_impact_date"] = max(first, last - timedelta(days=60))
    start = right.date_input(
        t("campaign.impact.date"), min_value=first, max_value=last, key="campaign_impact_date",
        help=t("campaign.impact.date_help"),
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
    summary = t(
        f"campaign.impact.summary.{result.summary_code}", date=f"{result.intervention_date:%Y-%m-%d}",
        series=md(", ".join(treated)), days=d["days"], relative=pct(d["relative_effect"], 1),
        cum=num(d["cumulative_effect"], 0, True), low=num(d["cumulative_low"], 0), high=num(d["cumulative_high"], 0),
        probability=pct(d["probability"], 0), confidence=pct(d["confidence"], 0),
    )
    box = {"impact_positive": st.success, "impact_negative": st.error}.get(result.summary_code, st.info)
    box(summary, icon=":material/timeline:")
    kpi_row([
        (t("campaign.impact.kpi.actual"), num(d["average_actual"])),
        (t("campaign.impact.kpi.expected"), num(d["average_predicted"])),
        (t("campaign.impact.kpi.effect"), num(d["average_effect"], signed=True)),
        (t("campaign.impact.kpi.cumulative"), num(d["cumulative_effect"], 0, True)),
        (t("campaign.impact.kpi.relative"), pct(d["relative_effect"], 1, True)),
    ])
    labels = {key: t(f"campaign.chart.impact.{key}") for key in
              ("title", "actual", "predicted", "interval", "cumulative", "intervention", "y_title", "effect_title")}
    st.plotly_chart(impact_figure(result, labels), key="campaign_impact_chart")
    if _finite(result.placebo_share):
        st.caption(t("campaign.impact.placebo", share=pct(result.placebo_share, 0), count=len(result.placebos)))
    show_notes(result.notes)


# ----------------------------------------------------------------------------- power


def power_view(suite: ABTestSuite | None, findings: Findings) -> None:
    """Sample size for a minimum detectable effect, or the effect a given sample can detect."""
    st.caption(t("campaign.power.intro"))
    baseline_rate, baseline_mean, baseline_sd, variants = _power_defaults(suite)
    row = st.columns(3)
    _choice("campaign_power_metric", ("proportion", "mean"), "proportion")
    metric = row[0].radio(
        t("campaign.power.metric"), ("proportion", "mean"), key="campaign_power_metric", horizontal=True,
        format_func=lambda m: t(f"campaign.power.metric.{m}"),
    )
    _choice("campaign_power_solve", ("n", "mde"), "n")
    solve = row[1].radio(
        t("campaign.power.solve"), ("n", "mde"), key="campaign_power_solve", horizontal=True,
        format_func=lambda s: t(f"campaign.power.solve.{s}"),
    )
    relative = row[2].toggle(t("campaign.power.relative"), key="campaign_power_relative", help=t("campaign.power.relative_help"))
    inputs = iter(st.columns(4 if metric == "proportion" else 5))
    sd = None
    if metric == "proportion":
        _seed("campaign_power_baseline", baseline_rate)
        baseline = next(inputs).number_input(
            t("campaign.power.baseline_rate"), min_value=0.01, max_value=99.99, step=0.5, format="%.2f",
            key="campaign_power_baseline",
        ) / 100
    else:
        _seed("campaign_power_mean", baseline_mean)
        _seed("campaign_power_sd", baseline_sd)
        baseline = next(inputs).number_input(t("campaign.power.baseline_mean"), step=1.0, key="campaign_power_mean")
        sd = next(inputs).number_input(t("campaign.power.sd"), min_value=0.0001, step=1.0, key="campaign_power_sd")
    mde = n_control = None
    target = next(inputs)
    if solve == "n":
        if relative:
            mde = target.number_input(t("campaign.power.mde_rel"), min_value=0.1, value=10.0, step=1.0,
                                      key="campaign_power_mde_rel") / 100
        elif metric == "proportion":
            mde = target.number_input(t("campaign.power.mde_pp"), min_value=0.01, value=2.0, step=0.5,
                                      key="campaign_power_mde_pp") / 100
        else:
            mde = target.number_input(t("campaign.power.mde_abs"), min_value=0.0001, value=1.0, step=0.5,
                                      key="campaign_power_mde_abs")
    else:
        n_control = int(target.number_input(t("campaign.power.n_control"), min_value=2, value=1000, step=100,
                                             key="campaign_power_n"))
    _seed("campaign_power_variants", variants)
    n_variants = int(next(inputs).number_input(t("campaign.power.variants"), min_value=1, max_value=20, step=1,
                                            key="campaign_power_variants"))
    power = next(inputs).slider(t("campaign.power.power"), min_value=50, max_value=99, value=80, step=1, format="%d%%",
                             key="campaign_power_power") / 100
    alpha = float(st.session_state.get("campaign_alpha", 0.05))
    try:
        result = power_analysis(
            metric, baseline=baseline, mde=mde, n_control=n_control, sd=sd, relative=relative and mde is not None,
            alpha=alpha, power=power, n_variants=n_variants,
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.power"))
        return
    findings.power = result
    absolute = points(result.mde_abs) if metric == "proportion" else num(result.mde_abs, 4)
    kpi_row([
        (t("campaign.power.kpi.n_control"), f"{result.n_control:,}"),
        (t("campaign.power.kpi.n_variant"), f"{result.n_variant:,}"),
        (t("campaign.power.kpi.n_total"), f"{result.n_total:,}"),
        (t("campaign.power.kpi.mde_abs"), absolute),
        (t("campaign.power.kpi.mde_rel"), pct(result.mde_rel, 1)),
    ])
    st.caption(t("campaign.power.explain", alpha=f"{alpha:g}", confidence=pct(1 - alpha, 0), power=pct(power, 0)))


def _power_defaults(suite: ABTestSuite | None) -> tuple[float, float, float, int]:
    """Baseline conversion (%), mean and sd of the control, and the number of variants, from the test."""
    rate, mean, sd, variants = 10.0, 50.0, 50.0, 1
    if suite is None:
        return rate, mean, sd, variants
    for result in suite.results:
        variants = max(variants, len(result.variants))
        control = result.groups.set_index("group").loc[result.control]
        if result.kind == "binary" and 0 < control["mean"] < 1:
            rate = round(float(control["mean"]) * 100, 2)
        elif result.kind == "continuous" and control["sd"] > 0:
            mean, sd = round(float(control["mean"]), 2), round(float(control["sd"]), 2)
    return rate, mean, sd, variants


# ----------------------------------------------------------------------------- export


def memo_labels() -> dict[str, str]:
    """The memo's texts in the user's language (templates with the core's placeholders)."""
    return {name: _raw(f"campaign.memo.{name}") for name in LABELS_EN}


def memo_note_texts() -> dict[str, str]:
    return {code: _raw(f"campaign.note.{code}") for code in NOTE_TEXTS_EN}


def build_memo(findings: Findings, fmt: str, labels: Mapping[str, str], note_texts: Mapping[str, str]) -> str:
    """The decision memo with every result the page computed (pure: it may run outside the script)."""
    return decision_memo(
        findings.suite, segments=findings.segments, uplift=findings.uplift, impact=findings.impact,
        roi=findings.roi, power=findings.power, fmt=fmt, labels=labels, note_texts=note_texts,
    )


def targeted_table(targeted: pd.DataFrame) -> pd.DataFrame:
    """The targeted customers with translated headers, ready for the safe CSV export."""
    return pd.DataFrame({
        t("column.customer_id"): targeted["customer_id"].to_numpy(),
        t("campaign.col.uplift"): targeted["uplift"].round(6).to_numpy(),
        t("campaign.col.rank"): targeted["rank"].to_numpy(),
    })


def export_view(findings: Findings) -> None:
    """One click for the memo (Markdown or HTML) and the targeted list (safe CSV)."""
    st.subheader(t("campaign.export"))
    if findings.suite is None:
        st.info(t("campaign.export.none"), icon=":material/info:")
        return
    st.caption(t("campaign.export.help"))
    # Texts are resolved now: the memo itself is built on click, outside this run (no session there).
    labels, note_texts = memo_labels(), memo_note_texts()
    memo, targeted = st.columns(2)
    with memo:
        st.markdown(f"**{t('campaign.export.memo')}**")
        buttons = st.columns(2)
        for column, (fmt, extension, mime) in zip(buttons, (("markdown", "md", "text/markdown"), ("html", "html", "text/html"))):
            column.download_button(
                t(f"campaign.export.memo_{extension}"), data=_deferred(build_memo, findings, fmt, labels, note_texts),
                file_name=f"campaign_memo.{extension}", mime=mime, key=f"campaign_memo_{extension}",
                on_click="ignore", icon=":material/description:",
            )
    with targeted:
        st.markdown(f"**{t('campaign.export.targeted')}**")
        if findings.targeted is None or findings.targeted.empty:
            st.caption(t("campaign.export.no_targeted"))
        else:
            st.caption(t("campaign.export.targeted_help", n=len(findings.targeted), share=pct(findings.share, 0)))
            download_table(t("campaign.export.targeted_button"), targeted_table(findings.targeted), "targeted_customers",
                           key="campaign_download_targeted")


def _deferred(build: Callable[..., str], *args: object) -> Callable[[], str]:
    return lambda: build(*args)
