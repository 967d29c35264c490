"""Views of the Segments page: settings, KPI cards, segment, cluster, move and value charts, customer list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from promo_core.charts import segments as charts
from promo_core.clv import CLVResult
from promo_core.segmentation import (
    ClusterResult,
    SegmentationResult,
    customer_membership,
    rules_frame,
)
from promo_core.segmentation.rfm import RULE_COLUMNS
from ui import cache, state
from ui.data import ActiveTable
from ui.widgets import download_table, guarded, kpi_row, notes_box

_CLUSTER_CHOICES = ["auto", 2, 3, 4, 5, 6, 7, 8]
_HORIZONS = [90, 180, 365, 730]
_MOVES_DAYS = [30, 60, 90, 180, 365]
_DEFAULT_MOVES_DAYS = 90
_CHART_WIDTH = 440
"""Charts sit in rows that wrap (``st.container(horizontal=True)``) at this width, in pixels: two side by
side on a wide screen, one under the other on a narrow one, where equal columns would cut their titles
and labels."""
_SLIPPING = ("about_to_sleep", "at_risk", "cant_lose")
_RULES_KEY = "seg_rules"
_BAR_KEY = "seg_bar"
_SCATTER_KEY = "seg_clusters"
_FORMATS = {
    "mean_recency_days": "%,.1f",
    "mean_frequency": "%,.1f",
    "expected_purchases": "%,.2f",
}
"""Display formats of table columns by code; other whole numbers get thousands separators, other
decimals two places (``_number_column``)."""
_PERCENT_COLUMNS = ("share", "revenue_share", "share_of_before", "p_alive")
"""Shares and probabilities, written as percentages with one decimal in every table."""
_PERCENT_STEP = 0.001
"""A percent column's step sets its decimals (0.001 = 0.1%): without it Streamlit writes "29.5%" beside "62.26%"."""
_MONEY_DIGITS = {"revenue": 0, "monetary": 2, "mean_monetary": 2, "predicted_value": 2}
"""Columns of amounts (written in the shop's currency) and their decimals."""


@dataclass(frozen=True)
class Settings:
    """What the user chose; every field is part of the cache keys."""

    as_of: str
    k: int | None
    horizon_days: int
    moves_days: int | None  # None: the orders start too late for any comparison window
    rules: tuple[tuple[object, ...], ...]


def settings(orders: ActiveTable) -> Settings:
    """Analysis date, clusters, CLV horizon, comparison window and the editable segment rules."""
    last = orders.table.frame["order_date"].max()
    default_as_of = (last.normalize() + pd.Timedelta(days=1)).date()
    with st.expander(state.t("seg.settings"), icon=":material/tune:"):
        left, middle, right, far = st.columns(4)
        # Kept per orders table: new data starts again from its own last day.
        as_of = left.date_input(
            state.t("seg.as_of"), help=state.t("seg.as_of_help"), **state.setting(f"seg_as_of_{orders.key[:12]}", default_as_of)
        )
        k = middle.selectbox(
            state.t("seg.k"), _CLUSTER_CHOICES, **state.setting("seg_k", 5, _CLUSTER_CHOICES),
            format_func=lambda choice: state.t("seg.k_auto") if choice == "auto" else str(choice),
        )
        horizon = right.selectbox(state.t("seg.horizon"), _HORIZONS, **state.setting("seg_horizon", 365, _HORIZONS))
        windows = moves_windows(orders, as_of)
        moves_days = None
        if windows:
            default = _DEFAULT_MOVES_DAYS if _DEFAULT_MOVES_DAYS in windows else windows[-1]
            moves_days = int(far.selectbox(
                state.t("seg.moves_days"), windows, **state.setting("seg_moves_days", default, windows),
                help=state.t("seg.moves_days_help"),
            ))
        rules = _rules_editor()
    return Settings(str(as_of), None if k == "auto" else int(k), int(horizon), moves_days, rules)


def first_customer_day(orders: ActiveTable) -> date | None:
    """The day of the first order line with a customer ID: segments can be compared from then on."""
    frame = orders.table.frame
    ids = frame["customer_id"]
    dates = frame.loc[ids.notna() & (ids.astype("string") != ""), "order_date"]
    return None if dates.empty else dates.min().date()


def moves_windows(orders: ActiveTable, as_of: date) -> list[int]:
    """The comparison windows (days before the analysis date) the orders cover.

    A window whose start comes before the first customer order would have no segments to compare
    with, so it is not offered; short histories get shorter windows rather than an error.
    """
    first = first_customer_day(orders)
    if first is None:
        return []
    return [days for days in _MOVES_DAYS if first <= as_of - timedelta(days=days)]


def _rules_editor() -> tuple[tuple[object, ...], ...]:
    """The segment rules, editable; a fresh visit starts from the rules last seen, so edits survive leaving the page.

    Segments are picked from a list that shows their names in the user's language while the table keeps the codes.
    """
    st.caption(state.t("seg.rules"))
    key, table = state.editor_start(_RULES_KEY, rules_frame())
    # Names to pick from, codes kept in the table: the rules (and the segments they make) stay codes.
    segments = list(dict.fromkeys([*rules_frame()["segment"], *table["segment"].dropna()]))
    edited = st.data_editor(
        table,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "segment": st.column_config.SelectboxColumn(
                state.t("seg.col.segment"), options=segments, format_func=segment_name, required=True,
            ),
            **{
                column: st.column_config.NumberColumn(state.t(f"seg.col.{column}"), min_value=1, max_value=5, step=1, required=True)
                for column in ("r_min", "r_max", "f_min", "f_max")
            },
        },
    )
    if st.button(state.t("seg.rules_reset"), key="seg_rules_reset"):
        state.reset_editor(_RULES_KEY, rules_frame())
        st.rerun()
    rules = edited[list(RULE_COLUMNS)].reset_index(drop=True)
    state.remember(_RULES_KEY, rules)
    return tuple(tuple(row) for row in rules.itertuples(index=False, name=None))


def segment_name(code: object) -> str:
    """A segment code in the user's language (an edited rule's own name stays as typed)."""
    return state.code_name("segment", code)


def segment_names(codes: Iterable[object]) -> dict[str, str]:
    """Display names for segment codes, for figures."""
    return {str(code): segment_name(code) for code in codes}


def cluster_names(result: ClusterResult) -> dict[int, str]:
    """'1 · Frequent high spenders, recent' style names, numbered from 1 for people.

    The trait is there only when another cluster has the same description, so that no two names repeat.
    """
    return {
        cluster: state.t(
            "seg.cluster_name_trait" if trait else "seg.cluster_name",
            number=cluster + 1,
            name=state.t(f"cluster.{code}"),
            trait=state.t(f"cluster_trait.{trait}") if trait else "",
        )
        for cluster, ((code, _params), trait) in enumerate(zip(result.descriptions, result.traits))
    }


def kpis(result: SegmentationResult, value: CLVResult | None, horizon_days: int) -> None:
    """Headline cards: customers, repeat share, revenue, predicted value, customers slipping away.

    A predicted value from a degenerate purchase model is no headline fact: it is left out here and
    shown, with the reason, in the lifetime value section (``value_section``).
    """
    table = result.table
    money = state.currency()
    slipping = int(table["segment"].isin(_SLIPPING).sum())
    cards = [
        (state.t("seg.kpi.customers"), f"{len(table):,}"),
        (state.t("seg.kpi.repeat"), f"{(table['frequency'] > 1).mean():.0%}"),
        (state.t("seg.kpi.revenue"), money.format(table["monetary"].sum(), decimals=0), state.t("seg.kpi.revenue_help")),
    ]
    if value is not None and not rough_value(value):
        cards.append((state.t("seg.kpi.clv", days=horizon_days), money.format(value.table["predicted_value"].sum(), decimals=0)))
    cards.append((state.t("seg.kpi.slipping"), f"{slipping:,} ({slipping / max(len(table), 1):.0%})", state.t("seg.kpi.slipping_help")))
    kpi_row(cards)


def rough_value(value: CLVResult) -> bool:
    """Whether the purchase model learnt nothing about who stops buying (the note "dropout_fit_degenerate")."""
    return value.bgnbd is not None and value.bgnbd.degenerate


def notes(*results: object) -> None:
    """The analysis notes of every result, once each, in the user's language."""
    texts = (
        state.t(f"segnote.{note.code}", **_note_details(note.details))
        for result in results
        if result is not None
        for note in result.notes
    )
    notes_box(state.t("seg.notes"), texts)


def _note_details(details: Mapping[str, object]) -> dict[str, object]:
    """A note's details with a model code (e.g. "mbgnbd") turned into the model's name."""
    out = dict(details)
    if "model" in out:
        out["model"] = state.t(f"seg.model.{out['model']}")
    return out


def _labels(**keys: str) -> dict[str, str]:
    return {name: state.t(key) for name, key in keys.items()}


def segment_charts(result: SegmentationResult) -> set[str]:
    """Bar chart (clickable), treemap, the segment table and the R x F heatmap; returns the segment codes clicked."""
    st.subheader(state.t("seg.section.segments"))
    names = segment_names(result.segment_summary["segment"])
    row = st.container(horizontal=True)
    labels = _labels(
        title="seg.chart.bars", customers="seg.label.customers_and_share", bar_text="seg.label.bar_text",
        hover="seg.label.bar_hover",
    )
    event = row.plotly_chart(
        charts.segment_bar_figure(result, labels, names), key=_BAR_KEY, on_select="rerun", selection_mode="points",
        width=_CHART_WIDTH,
    )
    labels = _labels(
        title="seg.chart.treemap", customers="seg.label.customers", revenue="seg.label.revenue", revenue_share="seg.label.revenue_share"
    )
    row.plotly_chart(charts.segment_treemap_figure(result, labels, names, state.currency()), key="seg_treemap", width=_CHART_WIDTH)
    # Every segment's figures in one place: the treemap has no room to label its smallest tiles.
    summary = result.segment_summary[result.segment_summary["customers"] > 0].sort_values("revenue", ascending=False)
    with st.expander(state.t("seg.summary"), icon=":material/table:"):
        _table(summary.assign(segment=summary["segment"].map(segment_name)), "seg_summary")
    labels = _labels(
        title="seg.chart.heatmap",
        recency_score="seg.label.recency_score",
        frequency_score="seg.label.frequency_score",
        customers="seg.label.customers",
        mean_monetary="seg.label.mean_monetary",
    )
    st.plotly_chart(charts.rf_heatmap_figure(result, labels, names, state.currency()), key="seg_heatmap")
    return {str(point.get("customdata")) for point in _selected_points(event)}


def _selected_points(event: object) -> list[Mapping[str, object]]:
    """Points of a plotly selection event (a plain dict when a test injects it)."""
    if not event:
        return []
    selection = event.get("selection", {}) if isinstance(event, Mapping) else getattr(event, "selection", {})
    return list(selection.get("points", []) if isinstance(selection, Mapping) else [])


def cluster_section(result: ClusterResult) -> set[int]:
    """Cluster scatter (click or lasso selects clusters), silhouette read-out and profile table."""
    st.subheader(state.t("seg.section.clusters"))
    names = cluster_names(result)
    labels = _labels(
        title="seg.chart.clusters",
        x="seg.col.recency_days",
        y="seg.label.net_spend_log",
        cluster="seg.label.cluster",
        not_shown="seg.label.not_shown",
    )
    event = st.plotly_chart(
        charts.cluster_scatter_figure(result, labels, names, currency=state.currency()),
        key=_SCATTER_KEY,
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
    )
    if not result.silhouette.empty:
        scores = ", ".join(f"k={int(k)}: {s:.2f}" for k, s in result.silhouette[["k", "silhouette"]].itertuples(index=False))
        st.caption(state.t("seg.silhouette", scores=scores))
    profile = result.profile.assign(description=[names[c] for c in result.profile["cluster"]])
    profile = profile[["description"] + [c for c in profile.columns if c not in ("description", "cluster", "trait")]]
    st.markdown(f"**{state.t('seg.profile')}**")
    _table(profile, "seg_profile")
    return {int(point["curve_number"]) for point in _selected_points(event) if "curve_number" in point}


def moves_section(orders: ActiveTable, chosen: Settings) -> None:
    """Sankey of segment moves between the two dates and the from x to table, under their own heading.

    Without a comparison window the orders cover, an info note says why there is nothing to compare;
    an error of the comparison stays in this section rather than at the top of the page.
    """
    st.subheader(state.t("seg.section.moves"))
    if chosen.moves_days is None:
        first = first_customer_day(orders)
        st.info(
            state.t("seg.moves_too_short", first=str(first), as_of=chosen.as_of, minimum=_MOVES_DAYS[0]),
            icon=":material/info:",
        )
        return
    start = str((pd.Timestamp(chosen.as_of) - pd.Timedelta(days=chosen.moves_days)).date())
    frame = orders.table.frame
    moves = guarded(lambda: cache.moves(orders.key, start, chosen.as_of, chosen.rules, frame))
    if moves is None:
        return
    codes = set(moves.customers["from_segment"]) | set(moves.customers["to_segment"])
    labels = _labels(title="seg.chart.sankey", customers="seg.label.customers", start="seg.label.start", end="seg.label.end")
    st.plotly_chart(charts.segment_sankey_figure(moves, labels, segment_names(codes)), key="seg_sankey")
    # One row per move rather than the from x to matrix: eleven segment columns do not fit the page.
    pairs = moves.summary().rename(columns={"share": "share_of_before"})
    pairs[["from_segment", "to_segment"]] = pairs[["from_segment", "to_segment"]].map(segment_name)
    st.markdown(f"**{state.t('seg.moves_table')}**")
    _table(pairs, "seg_moves")


def value_section(value: CLVResult) -> None:
    """Distribution of predicted value, how it was modelled, and the top customers.

    When the purchase model is degenerate the total is given here, in a warning that says why it is rough.
    """
    st.subheader(state.t("seg.section.clv"))
    if rough_value(value):
        total = state.currency().format(value.table["predicted_value"].sum(), decimals=0)
        st.warning(state.t("seg.clv_rough", total=total, days=value.horizon_days), icon=":material/warning:")
    st.caption(state.t(f"seg.clv_method.{value.method}"))
    if value.bgnbd is not None:
        fit = value.bgnbd
        model = state.t(f"seg.model.{fit.model}")
        st.caption(state.t("seg.clv_params", model=model, r=fit.r, alpha=fit.alpha, a=fit.a, b=fit.b))
    labels = _labels(title="seg.chart.clv", predicted_value="seg.label.predicted_value", customers="seg.label.customers")
    row = st.container(horizontal=True)
    row.plotly_chart(charts.clv_histogram_figure(value, labels, currency=state.currency()), key="seg_clv", width=_CHART_WIDTH)
    with row.container(width=_CHART_WIDTH):
        st.markdown(f"**{state.t('seg.top_customers')}**")
        top = value.table.nlargest(10, "predicted_value")[["customer_id", "p_alive", "expected_purchases", "predicted_value"]]
        _table(top, "seg_top")


def customer_section(
    segmentation: SegmentationResult,
    clusters: ClusterResult | None,
    value: CLVResult | None,
    chosen_segments: set[str],
    chosen_clusters: set[int],
) -> None:
    """The customer list filtered by the chart selections, with safe CSV and Excel downloads."""
    st.subheader(state.t("seg.section.customers"))
    members = customer_membership(segmentation, clusters, value)
    names = cluster_names(clusters) if clusters is not None else {}
    members = members.assign(
        segment_name=[segment_name(code) for code in members["segment"]],
        cluster_name=[names.get(int(c), "") if pd.notna(c) else "" for c in members["cluster"]]
        if "cluster" in members
        else "",
    )
    shown = members
    chosen: list[str] = []
    if chosen_segments:
        shown = shown[shown["segment"].isin(chosen_segments)]
        chosen += [segment_name(code) for code in sorted(chosen_segments)]
    if chosen_clusters and "cluster" in shown:
        shown = shown[shown["cluster"].isin(list(chosen_clusters))]
        chosen += [names.get(c, str(c)) for c in sorted(chosen_clusters)]
    if chosen:
        st.info(state.t("seg.filter.some", count=len(shown), selection=", ".join(chosen)), icon=":material/filter_alt:")
        if st.button(state.t("seg.filter.clear"), key="seg_clear"):
            for key in (_BAR_KEY, _SCATTER_KEY):
                st.session_state.pop(key, None)
            st.rerun()
    else:
        st.caption(state.t("seg.filter.none", count=len(shown)))
    display = shown.drop(columns=["segment", "cluster"], errors="ignore")
    display = display.rename(columns={"segment_name": "segment", "cluster_name": "cluster"})
    first = ["customer_id", "segment", "cluster"]
    display = display[first + [c for c in display.columns if c not in first]]
    _table(display, "seg_customers")
    left, right = st.columns(2)
    with left:
        download_table(state.t("seg.download_csv"), shown, "segment_membership", key="seg_download_csv")
    with right:
        download_table(state.t("seg.download_excel"), shown, "segment_membership", key="seg_download_xlsx", excel=True)


def _table(frame: pd.DataFrame, key: str) -> None:
    """A table with translated headers and numbers formatted for reading.

    Only the display is rounded: the frame keeps full values, and downloads are built from the data.
    """
    headers = {c: state.code_name("seg.col", c) for c in frame.columns}
    config = {
        headers[c]: _number_column(frame[c])
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }
    st.dataframe(frame.rename(columns=headers), hide_index=True, key=key, column_config=config)


def _number_column(column: pd.Series) -> object:
    """Percent with one decimal for shares and probabilities, the currency for amounts, thousands
    separators and at most two decimals for the rest."""
    name = str(column.name)
    if name in _PERCENT_COLUMNS:
        return st.column_config.NumberColumn(format="percent", step=_PERCENT_STEP)
    if name in _MONEY_DIGITS:
        return st.column_config.NumberColumn(format=state.currency().column_format(_MONEY_DIGITS[name]))
    return st.column_config.NumberColumn(format=_FORMATS.get(name, "%,d" if pd.api.types.is_integer_dtype(column) else "%,.2f"))
