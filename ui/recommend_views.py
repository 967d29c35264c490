"""Views of the Recommendations and coupons page: method choice, one customer, also bought, coupons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts import recommend as charts
from promo_core.coupons import ANY_SEGMENT, COUPON_TYPES, CouponList, CouponRule, coupon_rules_frame
from promo_core.coupons.rules import RULE_COLUMNS
from promo_core.recommend import MODES, Recommender
from ui import cache, state
from ui.data import ActiveTable
from ui.i18n import has_key
from ui.widgets import download_table, guarded, kpi_row, notes_box, show_error

ALGORITHM = "auto"
TOP_N = 10
PREVIEW_ROWS = 200
BUDGET_MAX = 5000.0
DEFAULT_BUDGET = 500.0
RULES_KEY = "rec_rules"
BUDGET_KEY = "rec_budget"
SLIDER_KEY = "rec_budget_slider"
DEFAULT_RULES = (
    CouponRule(ANY_SEGMENT, "percent", 10.0, 0.0),
    CouponRule("at_risk", "percent", 15.0, 0.0),
    CouponRule("cant_lose", "fixed", 10.0, 40.0),
)


@dataclass(frozen=True)
class Inputs:
    """The tables in use and their cache keys ("" when a table is absent)."""

    orders: ActiveTable
    items: pd.DataFrame | None
    items_key: str
    ratings: pd.DataFrame | None
    reviews_key: str

    def keys(self) -> tuple[str, str, str, str]:
        return self.orders.key, self.items_key, self.reviews_key, ALGORITHM


def inputs(orders: ActiveTable, items: ActiveTable | None, reviews: ActiveTable | None) -> Inputs:
    """Orders plus the catalogue and, when reviews carry who rated what, the star ratings."""
    ratings = None
    if reviews is not None and {"customer_id", "item_id", "rating"} <= set(reviews.table.frame.columns):
        ratings = reviews.table.frame[["customer_id", "item_id", "rating"]]
    return Inputs(
        orders,
        items.table.frame if items is not None else None,
        items.key if items is not None else "",
        ratings,
        reviews.key if ratings is not None else "",
    )


def fit(chosen: Inputs) -> Recommender | None:
    """The cached recommender; without the star ratings when they cannot be used."""
    frame = chosen.orders.table.frame
    with st.spinner(state.t("rec.fitting")):
        try:
            return cache.recommender(*chosen.keys(), frame, chosen.items, chosen.ratings)
        except PromoCoreError as error:
            if chosen.ratings is None:
                show_error(error)
                return None
        return guarded(lambda: cache.recommender(chosen.orders.key, chosen.items_key, "", ALGORITHM, frame, chosen.items, None))


# --- words for codes ---------------------------------------------------------------------------


def algorithm_name(code: object) -> str:
    return state.t(f"rec.algo.{code}") if has_key(f"rec.algo.{code}") else str(code)


def segment_name(code: object) -> str:
    if code == ANY_SEGMENT:
        return state.t("rec.segment.any")
    return state.t(f"segment.{code}") if has_key(f"segment.{code}") else str(code)


def reason_text(code: object, params: object) -> str:
    """A recommendation reason in the user's language, with its parameters."""
    values = dict(params) if isinstance(params, Mapping) else {}
    if "segment" in values:
        values["segment"] = segment_name(values["segment"])
    return state.t(f"rec.reason.{code}", **values) if has_key(f"rec.reason.{code}") else str(code)


def choice_text(code: str, params: Mapping[str, object]) -> str:
    values = dict(params)
    for name in ("algorithm", "runner_up"):
        if values.get(name) is not None:
            values[name] = algorithm_name(values[name])
    for name in ("ndcg", "runner_up_ndcg", "popularity_ndcg", "buy_again_ndcg"):
        value = values.get(name)
        values[name] = "–" if value is None or pd.isna(value) else f"{float(value):.3f}"
    if "ndcg" in params and params["ndcg"] is not None:
        values["ndcg"] = float(params["ndcg"])
    return state.t(f"rec.choice.{code}", **values)


def _columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c: state.t(f"rec.col.{c}") for c in frame.columns if has_key(f"rec.col.{c}")})


def notes(*results: object) -> None:
    """The notes of the model and the coupon list, once each, in the user's language."""
    texts = []
    for result in results:
        found = getattr(result, "notes_", None) or getattr(result, "notes", ()) if result is not None else ()
        for note in found:
            details = {k: (", ".join(map(segment_name, v)) if isinstance(v, list) else v) for k, v in dict(note.details).items()}
            key = f"recnote.{note.code}"
            text = state.t(key, **details) if has_key(key) else note.code
            texts.append(text)
    notes_box(state.t("rec.notes"), texts)


# --- sections ------------------------------------------------------------------------------------


def algorithm_section(model: Recommender) -> None:
    """Per mode the method in use and why, and the comparison with the baselines."""
    st.subheader(state.t("rec.section.algorithms"))
    summary = model.summary()
    table = pd.DataFrame({
        "mode": [state.t(f"rec.mode.{m}") for m in summary["mode"]],
        "algorithm": [algorithm_name(a) for a in summary["algorithm"]],
        "why": [choice_text(r, p) for r, p in zip(summary["reason"], summary["reason_params"])],
    })
    st.dataframe(_columns(table), hide_index=True, key="rec_summary")
    if model.evaluation_ is None:
        st.caption(state.t("rec.no_comparison"))
        return
    labels = {
        "title": state.t("rec.chart.comparison"),
        "metric": state.t("rec.label.ndcg"),
        "discovery": state.t("rec.mode.discovery"),
        "all": state.t("rec.mode.all"),
        "baseline": state.t("rec.label.baseline"),
    }
    names = {code: algorithm_name(code) for code in model.evaluation_["algorithm"].unique()}
    st.plotly_chart(charts.algorithm_comparison_figure(model.evaluation_, labels, names), key="rec_comparison")


def _top_customers(model: Recommender, limit: int = 200) -> list[str]:
    counts = pd.Series(model.interactions_.counts.sum(axis=1).A1, index=model.interactions_.customer_ids)
    return counts.sort_values(ascending=False, kind="stable").index[:limit].astype(str).tolist()


def customer_section(chosen: Inputs, model: Recommender) -> None:
    """One customer's history and recommendations, in either mode, with reasons."""
    st.subheader(state.t("rec.section.customer"))
    left, right = st.columns([2, 3])
    customers = _top_customers(model)
    if not customers:
        return
    customer = left.selectbox(state.t("rec.customer"), customers, key="rec_customer")
    # Translated labels as the options (not format_func): the key carries the language, so a switch starts afresh.
    labels = [state.t(f"rec.mode.{m}") for m in MODES]
    mode = MODES[labels.index(right.radio(state.t("rec.mode"), labels, key=f"rec_mode_{state.lang()}", horizontal=True))]
    history, recs = st.columns(2)
    with history:
        st.markdown(f"**{state.t('rec.history')}**")
        bought = model.history(customer)
        if bought.empty:
            st.caption(state.t("rec.no_history"))
        else:
            bought = bought.assign(last_purchase=bought["last_purchase"].dt.date)
            st.dataframe(_columns(bought), hide_index=True, key="rec_history")
    with recs:
        st.markdown(f"**{state.t('rec.recommendations')}**")
        found = guarded(lambda: cache.recommend_customer(*chosen.keys(), str(customer), TOP_N, mode, model))
        if found is not None:
            shown = pd.DataFrame({
                "rank": found["rank"],
                "item_id": found["item_id"],
                "item_name": found["item_name"],
                "reason": [reason_text(c, p) for c, p in zip(found["reason"], found["reason_params"])],
            })
            st.dataframe(_columns(shown), hide_index=True, key="rec_recommendations")


def also_bought_section(model: Recommender) -> None:
    """'Customers who bought this also bought' for a product picked from the list."""
    st.subheader(state.t("rec.section.also_bought"))
    data = model.interactions_
    buyers = pd.Series(data.buyers(), index=data.item_ids.astype(str))
    items = buyers.sort_values(ascending=False, kind="stable").index.tolist()
    names = dict(zip(data.item_ids.astype(str), data.item_names))
    item = st.selectbox(state.t("rec.item"), items, key="rec_item", format_func=lambda i: f"{names.get(i, i)} ({i})")
    found = guarded(lambda: model.also_bought(item, TOP_N))
    if found is None:
        return
    if found.empty:
        st.caption(state.t("rec.no_also_bought"))
        return
    st.caption(state.t(f"rec.basis.{found['basis'].iloc[0]}"))
    st.dataframe(_columns(found.drop(columns=["basis"])), hide_index=True, key="rec_also_bought")


def rules_editor() -> tuple[tuple[object, ...], ...]:
    """The coupon rules per segment, editable; the rows as hashable tuples for the cache key."""
    st.caption(state.t("rec.rules"))
    table = coupon_rules_frame(DEFAULT_RULES)
    edited = st.data_editor(
        table.assign(segment_name=[segment_name(code) for code in table["segment"]]),
        key=RULES_KEY,
        num_rows="dynamic",
        hide_index=True,
        disabled=["segment_name"],
        column_config={
            "segment": st.column_config.TextColumn(state.t("rec.col.segment"), required=True),
            "segment_name": st.column_config.TextColumn(state.t("rec.col.segment_name")),
            "coupon_type": st.column_config.SelectboxColumn(state.t("rec.col.coupon_type"), options=list(COUPON_TYPES), required=True),
            "discount": st.column_config.NumberColumn(state.t("rec.col.discount"), min_value=0.0, required=True),
            "min_spend": st.column_config.NumberColumn(state.t("rec.col.min_spend"), min_value=0.0),
        },
    )
    st.caption(" · ".join(f"{code}: {state.t(f'rec.coupon.{code}')}" for code in COUPON_TYPES))
    if st.button(state.t("rec.rules_reset"), key="rec_rules_reset"):
        st.session_state.pop(RULES_KEY, None)
        st.rerun()
    return tuple(
        tuple(None if pd.isna(v) else v for v in row) for row in edited[list(RULE_COLUMNS)].itertuples(index=False, name=None)
    )


def _sync(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def budget_input() -> float:
    """A slider and a number box for the same budget, kept in step."""
    st.session_state.setdefault(BUDGET_KEY, DEFAULT_BUDGET)
    st.session_state.setdefault(SLIDER_KEY, min(float(st.session_state[BUDGET_KEY]), BUDGET_MAX))
    left, right = st.columns([3, 1])
    left.slider(
        state.t("rec.budget_slider"), min_value=0.0, max_value=BUDGET_MAX, step=10.0, key=SLIDER_KEY,
        on_change=_sync, args=(SLIDER_KEY, BUDGET_KEY),
    )
    right.number_input(state.t("rec.budget"), min_value=0.0, step=10.0, key=BUDGET_KEY, on_change=_budget_typed)
    return float(st.session_state[BUDGET_KEY])


def _budget_typed() -> None:
    st.session_state[SLIDER_KEY] = min(float(st.session_state[BUDGET_KEY]), BUDGET_MAX)


def coupon_section(chosen: Inputs, model: Recommender) -> CouponList | None:
    """Rules, budget, live cost and coverage, budget by segment, preview and downloads."""
    st.subheader(state.t("rec.section.coupons"))
    rules = rules_editor()
    budget = budget_input()
    frame = chosen.orders.table.frame
    coupons = guarded(lambda: cache.coupon_list(*chosen.keys(), rules, budget, model, frame, chosen.items))
    if coupons is None:
        return None
    by_segment = coupons.by_segment
    reached, eligible = int(by_segment["customers"].sum()), int(by_segment["eligible_customers"].sum())
    kpi_row([
        (state.t("rec.kpi.used"), f"{coupons.budget_used:,.2f}"),
        (state.t("rec.kpi.budget"), f"{coupons.budget:,.2f}"),
        (state.t("rec.kpi.coupons"), f"{len(coupons.table):,}"),
        (state.t("rec.kpi.coverage"), f"{reached:,} ({reached / max(eligible, 1):.0%})"),
        (state.t("rec.kpi.value"), f"{by_segment['expected_value'].sum():,.2f}"),
    ])
    labels = {
        "title": state.t("rec.chart.budget"),
        "expected_cost": state.t("rec.col.expected_cost"),
        "expected_value": state.t("rec.col.expected_value"),
        "customers": state.t("rec.label.customers"),
    }
    names = {code: segment_name(code) for code in by_segment["segment"]}
    st.plotly_chart(charts.coupon_budget_figure(coupons, labels, names), key="rec_budget_chart")
    if len(coupons.excluded):
        st.caption(state.t("rec.excluded", count=len(coupons.excluded)))
    export = export_frame(coupons, chosen.items)
    st.markdown(f"**{state.t('rec.preview', shown=min(PREVIEW_ROWS, len(export)), total=len(export))}**")
    st.dataframe(_columns(export.head(PREVIEW_ROWS)), hide_index=True, key="rec_preview")
    left, right = st.columns(2)
    with left:
        download_table(state.t("rec.download_csv"), export, "coupon_list", key="rec_download_csv")
    with right:
        download_table(state.t("rec.download_excel"), export, "coupon_list", key="rec_download_xlsx", excel=True)
    return coupons


def export_frame(coupons: CouponList, items: pd.DataFrame | None) -> pd.DataFrame:
    """The coupon list to send: codes, customers, offers, the reason in words, Chinese names kept."""
    table = coupons.table
    out = pd.DataFrame({
        "code": table["code"],
        "customer_id": table["customer_id"],
        "segment": table["segment"],
        "segment_name": [segment_name(code) for code in table["segment"]],
        "item_id": table["item_id"],
        "item_name": table["item_name"],
    })
    if items is not None and "item_name_zh" in items.columns:
        zh = items.drop_duplicates("item_id").set_index(items.drop_duplicates("item_id")["item_id"].astype(str))["item_name_zh"]
        out["item_name_zh"] = table["item_id"].astype(str).map(zh)
    out = out.assign(
        coupon_type=table["coupon_type"],
        discount=table["discount"],
        min_spend=table["min_spend"],
        price=table["price"],
        propensity=table["propensity"].round(4),
        expected_cost=table["expected_cost"].round(2),
        expected_value=table["expected_value"].round(2),
        reason=[reason_text(c, p) for c, p in zip(table["reason"], table["reason_params"])],
    )
    return out
