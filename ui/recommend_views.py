"""Views of the Recommendations and coupons page: method choice, one customer, also bought, coupons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts import recommend as charts
from promo_core.coupons import ANY_SEGMENT, COUPON_TYPES, CouponList, CouponRule, coupon_rules_frame, margin_basis
from promo_core.coupons.rules import RULE_COLUMNS
from promo_core.memo import escape_markdown
from promo_core.recommend import ALGORITHMS, MODES, Recommender
from promo_core.segmentation import DEFAULT_SEGMENT_RULES, UNASSIGNED
from ui import cache, state
from ui.catalogue import CatalogueNames, catalogue_names
from ui.data import ActiveTable
from ui.i18n import has_key
from ui.widgets import download_table, guarded, kept_file, kpi_row, notes_box, show_error, translated_problem_rows

AUTO = "auto"
TOP_N = 10
PREVIEW_ROWS = 200
BUDGET_MAX = 5000.0
DEFAULT_BUDGET = 500.0
RULES_KEY = "rec_rules"
ITEM_KEY = "rec_item"
OPT_OUT_SLOT = "opt_outs"
BUDGET_KEY = "rec_budget"
SLIDER_KEY = "rec_budget_slider"
DEFAULT_RULES = (
    CouponRule(ANY_SEGMENT, "percent", 10.0, 0.0, 0.0),
    CouponRule("at_risk", "percent", 15.0, 0.0, 0.0),
    CouponRule("cant_lose", "fixed", 10.0, 40.0, 0.0),
)
RULE_SEGMENTS = (ANY_SEGMENT, *(rule.segment for rule in DEFAULT_SEGMENT_RULES), UNASSIGNED)
# Display formats only: the frames keep every digit, and so do the exports built from them.
SHARE = st.column_config.NumberColumn(format="percent")
SIMILARITY = st.column_config.NumberColumn(format="%.2f")
COUNT = st.column_config.NumberColumn(format="%,d")
# Long explanations get a wide column; rows taller than 4rem let st.dataframe wrap their text.
EXPLANATION = st.column_config.TextColumn(width="large")
WRAPPED_ROW_PIXELS = 70
ROW_PIXELS = 35  # st.dataframe's row height, to size a table that shows every row
SUGGESTED_CUSTOMERS = 200
MARGIN_KEY = "shop_margin"  # shared with the Campaign page's uplift targeting: one gross margin for the shop
DEFAULT_MARGIN = 30.0


@dataclass(frozen=True)
class Inputs:
    """The tables in use and their cache keys ("" when a table is absent), and the names to show."""

    orders: ActiveTable
    items: pd.DataFrame | None
    items_key: str
    ratings: pd.DataFrame | None
    reviews_key: str
    names: CatalogueNames
    algorithm: str = AUTO

    def keys(self) -> tuple[str, str, str, str]:
        return self.orders.key, self.items_key, self.reviews_key, self.algorithm


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
        catalogue_names(items.table.frame if items is not None else None),
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
        without = replace(chosen, ratings=None, reviews_key="")
        return guarded(lambda: cache.recommender(*without.keys(), frame, without.items, None))


def method_choice(chosen: Inputs) -> Inputs:
    """The method picked by hand, or "auto" (the best on the holdout, per mode)."""
    options = [AUTO, *(a for a in ALGORITHMS if a != "svd" or chosen.ratings is not None)]
    names = {code: state.t("rec.method.auto") if code == AUTO else algorithm_name(code) for code in options}
    algorithm = st.selectbox(
        state.t("rec.method"), options, **state.setting("rec_algorithm", AUTO, options),
        format_func=names.__getitem__, help=state.t("rec.method_help"),
    )
    return replace(chosen, algorithm=algorithm)


# --- words for codes ---------------------------------------------------------------------------


def algorithm_name(code: object) -> str:
    return state.code_name("rec.algo", code)


def segment_name(code: object) -> str:
    if code == ANY_SEGMENT:
        return state.t("rec.segment.any")
    return state.code_name("segment", code)


def coupon_type_name(code: object) -> str:
    return state.code_name("rec.coupon", code)


def reason_text(code: object, params: object, names: CatalogueNames) -> str:
    """A recommendation reason in the user's language, with its parameters (product and category names too).

    A count of one has its own wording ("Bought once", "1 buyer"), and days ago read as "today" or
    "yesterday", since "Bought 1 times, last 1 days ago" is not English.
    """
    values = dict(params) if isinstance(params, Mapping) else {}
    if "segment" in values:
        values["segment"] = segment_name(values["segment"])
    if "item" in values:
        values["item_name"] = names.item(values["item"], values.get("item_name", values["item"]))
    if "category" in values:
        values["category"] = names.category(values["category"])
    if "days_ago" in values:
        values["when"] = days_ago_text(values["days_ago"])
    singular = f"{code}.one"
    if any(values.get(name) == 1 for name in ("times", "buyers")) and has_key(f"rec.reason.{singular}"):
        return state.code_name("rec.reason", singular, **values)
    return state.code_name("rec.reason", code, **values)


def days_ago_text(days: object) -> str:
    """ "today", "yesterday" or "19 days ago" in the user's language."""
    count = int(days)
    return state.t(f"rec.days_ago.{count}") if count in (0, 1) else state.t("rec.days_ago", days=count)


def offer_text(coupon_type: object, discount: float, min_spend: float) -> str:
    """A coupon as a customer reads it ("10% off", "¥10 off, from ¥40"), in the user's language and currency."""
    money = state.currency()
    offer = state.code_name("rec.offer", coupon_type, percent=f"{float(discount):g}%", amount=money.format(float(discount)))
    if pd.notna(min_spend) and min_spend > 0:
        return state.t("rec.offer.min_spend", offer=offer, amount=money.format(float(min_spend)))
    return offer


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


def _label(column: str) -> str:
    return state.code_name("rec.col", column)


def _columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=_label)


def show_table(
    frame: pd.DataFrame, key: str, config: Mapping[str, Mapping[str, object]] | None = None,
    labels: Mapping[str, str] | None = None, every_row: bool = False, wrap: bool = False,
) -> None:
    """``frame`` with translated headers (or ``labels``), its columns drawn as ``config`` says (by column code).

    ``wrap``: rows tall enough for st.dataframe to wrap long texts (reasons) instead of cutting them.
    """
    headers = {column: (labels or {}).get(column) or _label(column) for column in frame.columns}
    drawn = {headers[column]: value for column, value in (config or {}).items() if column in headers}
    row = WRAPPED_ROW_PIXELS if wrap else ROW_PIXELS
    height = row * len(frame) + ROW_PIXELS + 3 if every_row else "auto"
    st.dataframe(frame.rename(columns=headers), hide_index=True, key=key, column_config=drawn, height=height,
                 row_height=row if wrap else None)


def notes(*results: object) -> None:
    """The notes of the model and the coupon list, once each, in the user's language."""
    texts = []
    for result in results:
        found = getattr(result, "notes_", None) or getattr(result, "notes", ()) if result is not None else ()
        for note in found:
            details = {k: (", ".join(map(segment_name, v)) if isinstance(v, list) else v) for k, v in dict(note.details).items()}
            texts.append(state.code_name("recnote", note.code, **details))
    notes_box(state.t("rec.notes"), texts)


# --- sections ------------------------------------------------------------------------------------


def algorithm_section(chosen: Inputs) -> tuple[Inputs, Recommender] | None:
    """The method in use per mode and why (auto or by hand), and the comparison with the baselines."""
    st.subheader(state.t("rec.section.algorithms"))
    compared = fit(chosen)
    if compared is None:
        return None
    chosen = method_choice(chosen)
    model = compared if chosen.algorithm == AUTO else fit(chosen)
    if model is None:
        return None
    summary = model.summary()
    table = pd.DataFrame({
        "mode": [state.t(f"rec.mode.{m}") for m in summary["mode"]],
        "algorithm": [algorithm_name(a) for a in summary["algorithm"]],
        "why": [choice_text(r, p) for r, p in zip(summary["reason"], summary["reason_params"])],
    })
    show_table(table, "rec_summary", {"why": EXPLANATION}, every_row=True, wrap=True)
    if compared.evaluation_ is None:
        st.caption(state.t("rec.no_comparison"))
        return chosen, model
    labels = {
        "title": state.t("rec.chart.comparison"),
        "metric": state.t("rec.label.ndcg"),
        "discovery": state.t("rec.mode.discovery"),
        "all": state.t("rec.mode.all"),
        "baseline": state.t("rec.label.baseline"),
        "baseline_legend": state.t("rec.label.baseline_legend"),
    }
    names = {code: algorithm_name(code) for code in compared.evaluation_["algorithm"].unique()}
    st.plotly_chart(charts.algorithm_comparison_figure(compared.evaluation_, labels, names), key="rec_comparison")
    return chosen, model


def _top_customers(model: Recommender, limit: int = SUGGESTED_CUSTOMERS) -> list[str]:
    counts = pd.Series(model.interactions_.counts.sum(axis=1).A1, index=model.interactions_.customer_ids)
    return counts.sort_values(ascending=False, kind="stable").index[:limit].astype(str).tolist()


def customer_in_data(typed: str, orders: pd.DataFrame) -> str | None:
    """The orders' customer id the user typed (exactly, else ignoring case when that names one customer)."""
    wanted = typed.strip()
    ids = pd.Series(orders["customer_id"].dropna().astype("str").unique())
    if (ids == wanted).any():
        return wanted
    same = ids[ids.str.casefold() == wanted.casefold()]
    return str(same.iloc[0]) if len(same) == 1 else None


def customer_picker(chosen: Inputs, model: Recommender) -> str | None:
    """A customer of the data: one of the most active (the suggestions) or any id typed in, such as one
    from the coupon list; an id the orders do not have is a warning, not a list of favourites."""
    suggestions = _top_customers(model)
    if not suggestions:
        return None
    typed = st.selectbox(
        state.t("rec.customer"), suggestions, key="rec_customer", accept_new_options=True,
        placeholder=state.t("rec.customer_placeholder"), help=state.t("rec.customer_help", count=len(suggestions)),
    )
    if typed is None:
        return None
    customer = customer_in_data(str(typed), chosen.orders.table.frame)
    if customer is None:
        st.warning(state.t("rec.customer_unknown", customer=escape_markdown(str(typed).strip(), line_start=False)), icon=":material/person_search:")
    return customer


def customer_section(chosen: Inputs, model: Recommender) -> None:
    """One customer's recommendations with reasons (full width, so the reasons can be read), then their history."""
    st.subheader(state.t("rec.section.customer"))
    left, right = st.columns([2, 3])
    with left:
        customer = customer_picker(chosen, model)
    # Translated labels as the options (not format_func): the key carries the language, so a switch starts afresh.
    labels = [state.t(f"rec.mode.{m}") for m in MODES]
    mode = MODES[labels.index(right.radio(state.t("rec.mode"), labels, key=f"rec_mode_{state.lang()}", horizontal=True))]
    if customer is None:
        return
    st.markdown(f"**{state.t('rec.recommendations')}**")
    found = guarded(lambda: cache.recommend_customer(*chosen.keys(), customer, TOP_N, mode, model))
    if found is not None:
        shown = pd.DataFrame({
            "rank": found["rank"],
            "item_id": found["item_id"],
            "item_name": [chosen.names.item(i, n) for i, n in zip(found["item_id"], found["item_name"])],
            "reason": [reason_text(c, p, chosen.names) for c, p in zip(found["reason"], found["reason_params"])],
        })
        show_table(shown, "rec_recommendations", {"reason": EXPLANATION}, every_row=True)
    st.markdown(f"**{state.t('rec.history')}**")
    bought = model.history(customer)
    if bought.empty:
        st.caption(state.t("rec.no_history"))
        return
    bought = bought.assign(
        item_name=[chosen.names.item(i, n) for i, n in zip(bought["item_id"], bought["item_name"])],
        category=bought["category"].map(chosen.names.category),
        last_purchase=bought["last_purchase"].dt.date,
    )
    show_table(bought, "rec_history")


def also_bought_section(chosen: Inputs, model: Recommender) -> None:
    """'Customers who bought this also bought' for a product picked from the list."""
    st.subheader(state.t("rec.section.also_bought"))
    data = model.interactions_
    buyers = pd.Series(data.buyers(), index=data.item_ids.astype(str))
    items = buyers.sort_values(ascending=False, kind="stable").index.tolist()
    names = {i: chosen.names.item(i, n) for i, n in zip(data.item_ids.astype(str), data.item_names)}
    kept = state.remembered(ITEM_KEY, None)
    # The language in the key: a select box keeps showing its old labels when only format_func changes.
    item = st.selectbox(
        state.t("rec.item"), items, index=items.index(kept) if kept in items else 0, key=f"{ITEM_KEY}_{state.lang()}",
        format_func=lambda i: f"{names.get(i, i)} ({i})",
    )
    state.remember(ITEM_KEY, item)
    found = guarded(lambda: model.also_bought(item, TOP_N))
    if found is None:
        return
    if found.empty:
        st.caption(state.t("rec.no_also_bought"))
        return
    st.caption(state.t(f"rec.basis.{found['basis'].iloc[0]}"))
    shown = found.drop(columns=["basis"]).assign(
        item_name=[chosen.names.item(i, n) for i, n in zip(found["item_id"], found["item_name"])],
        category=found["category"].map(chosen.names.category),
    )
    show_table(shown, "rec_also_bought", {"similarity": SIMILARITY})


def rules_editor() -> tuple[tuple[object, ...], ...]:
    """The coupon rules per segment, editable; the rows as hashable tuples for the cache key.

    Segments and coupon types are picked from lists that show their names while the table keeps the
    codes. The editor's state holds edits against the table it started from; on a fresh visit it
    starts from the rules the user last saw, so edits survive leaving the page.
    """
    st.caption(state.t("rec.rules"))
    key, table = state.editor_start(RULES_KEY, coupon_rules_frame(DEFAULT_RULES))
    segments = list(dict.fromkeys([*RULE_SEGMENTS, *table["segment"].dropna()]))
    edited = st.data_editor(
        table,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "segment": st.column_config.SelectboxColumn(
                state.t("rec.col.segment"), options=segments, format_func=segment_name, required=True,
            ),
            "coupon_type": st.column_config.SelectboxColumn(
                state.t("rec.col.coupon_type"), options=list(COUPON_TYPES), format_func=coupon_type_name, required=True,
            ),
            "discount": st.column_config.NumberColumn(
                state.t("rec.col.discount"), min_value=0.0, required=True, help=state.t("rec.discount_help"),
            ),
            "min_spend": st.column_config.NumberColumn(state.money_label(state.t("rec.col.min_spend")), min_value=0.0, default=0.0),
            "budget_share": st.column_config.NumberColumn(
                state.t("rec.col.budget_share"), min_value=0.0, max_value=100.0, default=0.0,
                help=state.t("rec.budget_share_help"),
            ),
        },
    )
    if st.button(state.t("rec.rules_reset"), key="rec_rules_reset"):
        state.reset_editor(RULES_KEY, coupon_rules_frame(DEFAULT_RULES))
        st.rerun()
    state.remember(RULES_KEY, edited[list(RULE_COLUMNS)].reset_index(drop=True))
    return tuple(
        tuple(None if pd.isna(v) else v for v in row) for row in edited[list(RULE_COLUMNS)].itertuples(index=False, name=None)
    )


@dataclass(frozen=True)
class Exclusions:
    """The settings with the ids and scores they name."""

    settings: cache.CouponSettings
    opted_out: tuple[str, ...] = ()
    uplift: pd.DataFrame | None = None
    margin: float = DEFAULT_MARGIN  # the shop's gross margin (%), for a catalogue without cost or margin


def coupon_settings(basis: str) -> Exclusions:
    """Mode, coupons per customer, recent buyers, margin floor, gross margin, opt-out list and uplift,
    kept across pages; ``basis`` (``margin_basis`` of the catalogue) says whether the gross margin is used."""
    with st.expander(state.t("rec.settings"), icon=":material/tune:"):
        row = st.columns(4)
        modes = {m: state.t(f"rec.mode.{m}") for m in MODES}
        mode = row[0].selectbox(
            state.t("rec.coupon_mode"), list(MODES), **state.setting("rec_coupon_mode", "all", MODES),
            format_func=modes.__getitem__, help=state.t("rec.coupon_mode_help"),
        )
        per_customer = row[1].number_input(
            state.t("rec.max_per_customer"), min_value=1, max_value=5, step=1, **state.setting("rec_max_per_customer", 1),
        )
        recent = row[2].number_input(
            state.t("rec.recent_days"), min_value=0, max_value=365, step=1,
            **state.setting("rec_recent_days", 0), help=state.t("rec.recent_days_help"),
        )
        floor = row[3].slider(
            state.t("rec.margin_floor"), min_value=0, max_value=90, step=5, format="%d%%",
            **state.setting("rec_margin_floor", 0), help=state.t("rec.margin_floor_help"),
        )
        margin = margin_input(basis)
        opted_out, opt_out_key = opt_out_list()
        uplift, uplift_key = uplift_choice()
    settings = cache.CouponSettings(mode, int(per_customer), int(recent), floor / 100, opt_out_key, uplift_key, margin / 100)
    return Exclusions(settings, opted_out, uplift, margin)


def margin_input(basis: str) -> float:
    """The shop's gross margin (%), one setting with the Campaign page's uplift targeting, and which
    margin the values rest on: it, or the catalogue's cost or margin column (then it only fills the
    products the column leaves empty)."""
    left, right = st.columns([1, 3], vertical_alignment="center")
    margin = left.number_input(
        state.t("rec.gross_margin"), min_value=1.0, max_value=100.0, step=1.0, **state.setting(MARGIN_KEY, DEFAULT_MARGIN),
        help=state.t("rec.gross_margin_help"),
    )
    right.caption(margin_note(basis, float(margin)))
    return float(margin)


def margin_note(basis: str, margin: float) -> str:
    return state.t(f"rec.margin_basis.{basis}", margin=margin)


def opt_out_list() -> tuple[tuple[str, ...], str]:
    """The uploaded opt-out ids (read like any upload, problems counted and downloadable) and their key."""
    upload = kept_file(state.t("rec.optout.upload"), OPT_OUT_SLOT, ("csv", "txt", "tsv", "xlsx"), state.t("kind_help.opt_outs"))
    if upload is None:
        return (), ""
    outcome = cache.load_upload(upload.digest, OPT_OUT_SLOT, (), upload.name, upload.data)
    if outcome.error is not None:
        show_error(outcome.error, state.t("rec.optout.rejected"))
        return (), ""
    table = outcome.table
    ids = table.frame["customer_id"].astype("str")
    st.caption(state.t("rec.optout.loaded", count=ids.nunique(), dropped=table.rows_dropped))
    if not table.problem_rows.empty:
        download_table(state.t("data.download_problems"), translated_problem_rows(table), "opt_out_problem_rows",
                       key="rec_optout_problems")
    return tuple(ids), upload.digest


def uplift_choice() -> tuple[pd.DataFrame | None, str]:
    """Leave out customers the Campaign page's uplift model says a coupon would not move."""
    scores = state.uplift_scores()
    if scores is None:
        st.caption(state.t("rec.uplift.none"))
        return None, ""
    use = st.checkbox(
        state.t("rec.uplift.use", customers=len(scores.scores)), **state.setting("rec_use_uplift", True),
        help=state.t("rec.uplift.help"),
    )
    return (scores.scores, scores.key) if use else (None, "")


def _sync(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def _money_column() -> dict:
    """A table column of amounts in the shop's currency."""
    return st.column_config.NumberColumn(format=state.currency().column_format())


def value_column(value_label: str) -> dict:
    """The expected value's column: a short header for the table to fit, the full name (what it counts) as its help."""
    return st.column_config.NumberColumn(format=state.currency().column_format(), help=value_label)


def budget_input() -> float:
    """A slider and a number box for the same budget, kept in step."""
    st.session_state.setdefault(BUDGET_KEY, DEFAULT_BUDGET)
    st.session_state.setdefault(SLIDER_KEY, min(float(st.session_state[BUDGET_KEY]), BUDGET_MAX))
    left, right = st.columns([3, 1])
    left.slider(
        state.money_label(state.t("rec.budget_slider")), min_value=0.0, max_value=BUDGET_MAX, step=10.0, key=SLIDER_KEY,
        on_change=_sync, args=(SLIDER_KEY, BUDGET_KEY),
    )
    right.number_input(state.money_label(state.t("rec.budget")), min_value=0.0, step=10.0, key=BUDGET_KEY, on_change=_budget_typed)
    return float(st.session_state[BUDGET_KEY])


def _budget_typed() -> None:
    st.session_state[SLIDER_KEY] = min(float(st.session_state[BUDGET_KEY]), BUDGET_MAX)


def coupon_section(chosen: Inputs, model: Recommender) -> CouponList | None:
    """Rules, budget, live cost and coverage, budget by segment and why, preview and downloads."""
    st.subheader(state.t("rec.section.coupons"))
    rules = rules_editor()
    basis = margin_basis(chosen.items)
    exclusions = coupon_settings(basis)
    budget = budget_input()
    frame = chosen.orders.table.frame
    coupons = guarded(lambda: cache.coupon_list(
        chosen.orders.key, chosen.items_key, chosen.reviews_key, chosen.algorithm, rules, budget, exclusions.settings,
        model, frame, chosen.items, exclusions.opted_out, exclusions.uplift,
    ))
    if coupons is None:
        return None
    by_segment = coupons.by_segment
    reached, eligible = int(by_segment["customers"].sum()), int(by_segment["eligible_customers"].sum())
    value_label = state.t(f"rec.value.{coupons.value_basis}")
    money = state.currency()
    kpi_row([
        (state.t("rec.kpi.used"), money.format(coupons.budget_used)),
        (state.t("rec.kpi.budget"), money.format(coupons.budget)),
        (state.t("rec.kpi.coupons"), f"{len(coupons.table):,}"),
        (state.t("rec.kpi.coverage"), f"{reached:,} ({reached / max(eligible, 1):.0%})"),
        (value_label, money.format(by_segment["expected_value"].sum()), margin_note(basis, exclusions.margin)),
    ])
    value_help(coupons.value_basis, margin_note(basis, exclusions.margin))
    labels = {
        "title": state.t("rec.chart.budget"),
        "expected_cost": state.t("rec.col.expected_cost"),
        "expected_value": value_label,
        "customers": state.t("rec.label.customers"),
    }
    names = {code: segment_name(code) for code in by_segment["segment"]}
    st.plotly_chart(charts.coupon_budget_figure(coupons, labels, names, money), key="rec_budget_chart")
    segment_summary(coupons, value_label)
    excluded_view(coupons)
    export = export_frame(coupons, chosen.names)
    shown = min(PREVIEW_ROWS, len(export))
    title = state.t("rec.preview_all", total=len(export)) if shown == len(export) else \
        state.t("rec.preview", shown=shown, total=len(export))
    st.markdown(f"**{title}**")
    amount = _money_column()
    preview_columns = {
        "price": amount, "propensity": SHARE, "uplift": SHARE, "expected_cost": amount,
        "expected_value": value_column(value_label),
        "reason": EXPLANATION,
    }
    show_table(preview_frame(export.head(PREVIEW_ROWS), chosen.names), "rec_preview", preview_columns,
               {"expected_value": state.t(f"rec.value_short.{coupons.value_basis}")})
    downloads(export, chosen.names, value_label)
    return coupons


def downloads(export: pd.DataFrame, names: CatalogueNames, value_label: str) -> None:
    """The coupon list twice: CSV for systems (code headers, every digit), Excel for people (their language, rounded)."""
    left, right = st.columns(2)
    with left:
        download_table(state.t("rec.download_csv"), export, "coupon_list", key="rec_download_csv")
    with right:
        download_table(state.t("rec.download_excel", language=state.t("rec.language")),
                       people_frame(export, names, value_label), f"coupon_list_{state.lang()}", key="rec_download_xlsx",
                       excel=True)
    st.caption(state.t("rec.downloads_help", language=state.t("rec.language")))


def value_help(basis: str, margin: str) -> None:
    """What the expected value counts and the margin it rests on; without uplift, where to get the incremental one."""
    st.caption(f"{state.t(f'rec.value_help.{basis}')} {margin}")
    if basis != "uplift":
        st.page_link("pages/campaign.py", label=state.t("rec.value.to_campaign"), icon=":material/campaign:")


def segment_summary(coupons: CouponList, value_label: str) -> None:
    """Per segment: who was eligible, what they got and, for a segment without coupons, why."""
    summary = coupons.summary()
    total = summary["segment"] == "total"
    summary = pd.concat([summary[~total].sort_values(["expected_cost", "segment"], ascending=[False, True]), summary[total]])
    st.markdown(f"**{state.t('rec.by_segment')}**")
    if (summary["status"] == "budget_ran_out").any():
        st.caption(state.t("rec.by_segment_help"))
    shown = summary.assign(
        segment=[state.t("rec.total") if is_total else segment_name(code) for code, is_total in zip(summary["segment"], total)],
        status=[state.t(f"rec.status.{code}") if code else "" for code in summary["status"]],
    )
    shown = shown[["segment", "status", "eligible_customers", "customers", "coupons", "expected_cost", "share_of_budget",
                   "expected_value"]]
    config = {
        "status": st.column_config.TextColumn(help=state.t("rec.status_help")),
        "eligible_customers": COUNT, "customers": COUNT, "coupons": COUNT,
        "expected_cost": _money_column(), "expected_value": value_column(value_label), "share_of_budget": SHARE,
    }
    show_table(shown, "rec_by_segment", config, {"expected_value": state.t(f"rec.value_short.{coupons.value_basis}")},
               every_row=True)


def excluded_view(coupons: CouponList) -> None:
    """How many customers each exclusion left out, and the list to check."""
    if coupons.excluded.empty:
        return
    counts = coupons.excluded["reason"].value_counts()
    labels = {reason: state.t(f"rec.exclusion.{reason}") for reason in counts.index}
    parts = [state.t("rec.excluded.part", count=int(count), reason=labels[reason]) for reason, count in counts.items()]
    st.caption(state.t("rec.excluded", count=len(coupons.excluded), parts="; ".join(parts)))
    shown = coupons.excluded.assign(reason=coupons.excluded["reason"].map(labels))
    download_table(state.t("rec.download_excluded"), _columns(shown), "excluded_customers", key="rec_download_excluded")


def export_frame(coupons: CouponList, names: CatalogueNames) -> pd.DataFrame:
    """The coupon list to send, full values under stable code headers: the segment as code and name,
    the catalogue's name and (when it has one) its Chinese name, the reason in the user's language."""
    table = coupons.table
    out = pd.DataFrame({
        "code": table["code"],
        "customer_id": table["customer_id"],
        "segment": table["segment"],
        "segment_name": [segment_name(code) for code in table["segment"]],
        "item_id": table["item_id"],
        "item_name": table["item_name"],
    })
    if names.items_zh:
        out["item_name_zh"] = table["item_id"].astype(str).map(names.items_zh)
    columns = ["coupon_type", "discount", "min_spend", "price", "propensity", "uplift", "expected_cost", "expected_value"]
    if coupons.value_basis == "propensity":
        columns.remove("uplift")
    return out.assign(
        **{column: table[column] for column in columns},
        value_basis=table["value_basis"],
        reason=[reason_text(c, p, names) for c, p in zip(table["reason"], table["reason_params"])],
    )


def preview_frame(export: pd.DataFrame, names: CatalogueNames) -> pd.DataFrame:
    """Export rows as the user reads them, the columns to decide on first so that they fit a 1400-pixel
    screen without scrolling (code, customer, segment, product, offer, chance, cost, value), then the
    price, the item's id and the reason; one product name in the UI language, the offer in words."""
    out = pd.DataFrame({
        "code": export["code"],
        "customer_id": export["customer_id"],
        "segment": export["segment_name"],
        "item_name": [names.item(i, n) for i, n in zip(export["item_id"], export["item_name"])],
        "offer": [offer_text(*row) for row in zip(export["coupon_type"], export["discount"], export["min_spend"])],
        "propensity": export["propensity"],
    })
    if "uplift" in export:
        out["uplift"] = export["uplift"]
    return out.assign(
        expected_cost=export["expected_cost"], expected_value=export["expected_value"], price=export["price"],
        item_id=export["item_id"], reason=export["reason"],
    )


def people_frame(export: pd.DataFrame, names: CatalogueNames, value_label: str) -> pd.DataFrame:
    """The coupon list for people (the Excel file): headers, segments, coupon types, offers and product
    names in the UI language, chances in percent, amounts rounded to the currency's digits; the codes
    and ids are the CSV's, unchanged."""
    digits = state.currency().decimals

    def amount(column: str) -> pd.Series:
        return export[column].astype("float64").round(digits)

    def percent(column: str) -> pd.Series:
        return (export[column].astype("float64") * 100).round(1)

    columns = {
        _label("code"): export["code"],
        _label("customer_id"): export["customer_id"],
        _label("segment"): export["segment_name"],
        _label("item_id"): export["item_id"],
        _label("item_name"): [names.item(i, n) for i, n in zip(export["item_id"], export["item_name"])],
        _label("coupon_type"): export["coupon_type"].map(coupon_type_name),
        _label("offer"): [offer_text(*row) for row in zip(export["coupon_type"], export["discount"], export["min_spend"])],
        state.money_label(_label("price")): amount("price"),
        state.t("rec.percent_label", label=_label("propensity")): percent("propensity"),
    }
    if "uplift" in export:
        columns[state.t("rec.percent_label", label=_label("uplift"))] = percent("uplift")
    columns[state.money_label(_label("expected_cost"))] = amount("expected_cost")
    columns[state.money_label(value_label)] = amount("expected_value")
    columns[_label("reason")] = export["reason"]
    return pd.DataFrame(columns)
