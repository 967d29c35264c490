"""Views of the Sentiment page: extra words, filters, KPI cards, shares, trend, aspects, keywords, reviews.

The slow steps (training on the star ratings, scoring, aspects, keywords) go through ``ui.cache``
and each runs under a spinner that names it, so a first visit, which trains a model and scores every
review, shows progress instead of a still page; what remains here is joining names to the scored
reviews, filtering rows and drawing. Review text is only ever shown in plain dataframe cells and chart data,
never as HTML or markdown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.charts import sentiment as charts
from promo_core.segmentation import rules_frame
from promo_core.segmentation.rfm import RULE_COLUMNS
from promo_core.sentiment import (
    LABELS,
    LANGS,
    AspectResult,
    flag_counts,
    sentiment_shares,
    sentiment_trend,
)
from promo_core.sentiment.aspects import MIN_COMPLAINTS
from promo_core.sentiment.scoring import scorers
from ui import cache, data, state
from ui.cache import ExtraWords
from ui.catalogue import catalogue_names
from ui.data import ActiveTable
from ui.i18n import has_key
from ui.widgets import download_table, kept_file, kpi_row, show_error

TOP_GROUPS = 15
TABLE_ROWS = 200
KEYWORDS_TOP = 20
_SALES = (("11.11", "11-01", "11-11"), ("6.18", "06-01", "06-18"))
"""The sample shop's sale periods (month-day start and end), offered as default promotion dates."""
PROMOTIONS_KEY = "sent_promotions"
_EXPORT_COLUMNS = (
    "review_id", "customer_id", "item_id", "product", "category", "segment", "rating", "review_date", "text",
    "lang", "score", "label", "drivers", "scorer", "flags",
)


@dataclass(frozen=True)
class Filters:
    """What the user chose to look at."""

    langs: tuple[str, ...]
    labels: tuple[str, ...]
    products: tuple[str, ...]
    ratings: tuple[float, float] | None
    dates: tuple[pd.Timestamp, pd.Timestamp] | None


def _names(prefix: str, codes: object) -> dict[str, str]:
    """Display names of option codes, fixed at draw time (AppTest calls format functions outside a run)."""
    return {code: state.code_name(prefix, code) for code in codes}


def _labels(**keys: str) -> dict[str, str]:
    return {name: state.t(key) for name, key in keys.items()}


# --- inputs -------------------------------------------------------------------------------------


def extra_words() -> ExtraWords:
    """The optional upload of a shop's own lexicon words (CSV word,valence); re-scores every review."""
    with st.expander(state.t("sent.extra.title"), icon=":material/dictionary:"):
        st.caption(state.t("sent.extra.help"))
        upload = kept_file(state.t("sent.extra.upload"), "sent_lexicon", ("csv", "txt"), state.t("sent.extra.upload_help"))
        if upload is None:
            return ()
        outcome = cache.sentiment_extra_words(upload.digest, upload.data)
        if outcome.unreadable:
            st.error(state.t("sent.extra.unreadable"), icon=":material/error:")
            return ()
        if outcome.error is not None:
            show_error(outcome.error, state.t("sent.extra.rejected"))
            return ()
        st.success(state.t("sent.extra.in_use", count=len(outcome.words)), icon=":material/check:")
        return outcome.words


def scored_reviews(reviews: ActiveTable, extra: ExtraWords) -> pd.DataFrame:
    """The scored reviews (cached) with product, category and customer segment joined for display."""
    frame = reviews.table.frame
    with st.spinner(state.t("sent.progress.lexicon")):
        scorers()  # jieba's dictionary and the lexicons, built once per process
    rated = int(frame["rating"].notna().sum()) if "rating" in frame.columns else 0
    with st.spinner(state.t("sent.progress.model", count=rated)):
        cache.sentiment_model(reviews.key, frame)
    with st.spinner(state.t("sent.progress.scoring", count=len(frame))):
        scored = cache.sentiment_scored(reviews.key, extra, frame)
    out = scored.copy()
    items = data.active_table("items")
    if "item_id" in out.columns:
        names = catalogue_names(items.table.frame if items is not None else None)
        out["product"] = [names.item(item_id) for item_id in out["item_id"]]
        if names.category_of:
            out["category"] = [names.item_category(item_id) for item_id in out["item_id"]]
    segments = _customer_segments()
    if segments is not None and "customer_id" in out.columns:
        out["segment"] = out["customer_id"].map(segments)
    return out


def _customer_segments() -> pd.Series | None:
    """customer_id -> RFM segment code on the standard rules, when orders are loaded (else None)."""
    orders = data.active_table("orders")
    if orders is None:
        return None
    frame = orders.table.frame
    as_of = str((frame["order_date"].max().normalize() + pd.Timedelta(days=1)).date())
    rules = tuple(tuple(row) for row in rules_frame()[list(RULE_COLUMNS)].itertuples(index=False, name=None))
    try:
        result = cache.segments(orders.key, as_of, rules, frame)
    except PromoCoreError:
        return None
    return result.table.set_index("customer_id")["segment"]


def filters(scored: pd.DataFrame) -> Filters:
    """Language, sentiment, product, rating and date filters, kept across pages (reset when the data lacks a choice)."""
    with st.container(border=True):
        st.markdown(f"**{state.t('sent.filters')}**")
        top = st.columns([2, 3, 3])
        langs = [code for code in LANGS if (scored["lang"] == code).any()]
        chosen_langs = top[0].multiselect(
            state.t("sent.filter.lang"), langs, **state.setting("sent_lang", langs, langs),
            format_func=_names("sent.lang", langs).__getitem__,
        )
        chosen_labels = top[1].multiselect(
            state.t("sent.filter.label"), list(LABELS), **state.setting("sent_label", list(LABELS), LABELS),
            format_func=_names("sent.label", LABELS).__getitem__,
        )
        products: list[str] = []
        if "item_id" in scored.columns:
            counts = scored["item_id"].dropna().astype(str).value_counts()
            names = scored.drop_duplicates("item_id").set_index(scored.drop_duplicates("item_id")["item_id"].astype(str))["product"]
            products = top[2].multiselect(
                state.t("sent.filter.product"), list(counts.index), **state.setting("sent_product", [], list(counts.index)),
                format_func=lambda c: f"{names.get(c, c)} ({counts[c]:,})", placeholder=state.t("sent.filter.all_products"),
            )
        bottom = st.columns(2)
        ratings = None
        if "rating" in scored.columns and scored["rating"].notna().any():
            picked = bottom[0].slider(state.t("sent.filter.rating"), 1, 5, step=1, **state.setting("sent_rating", (1, 5)))
            ratings = None if tuple(picked) == (1, 5) else (float(picked[0]), float(picked[1]))
        dates = None
        if "review_date" in scored.columns and scored["review_date"].notna().any():
            first, last = scored["review_date"].min().date(), scored["review_date"].max().date()
            days = list(pd.date_range(first, last).date)  # where a remembered range may start and end
            picked_dates = bottom[1].date_input(
                state.t("sent.filter.dates"), min_value=first, max_value=last, **state.setting("sent_dates", (first, last), days)
            )
            if isinstance(picked_dates, tuple) and len(picked_dates) == 2 and picked_dates != (first, last):
                dates = (pd.Timestamp(picked_dates[0]), pd.Timestamp(picked_dates[1]))
    return Filters(tuple(chosen_langs), tuple(chosen_labels), tuple(products), ratings, dates)


def apply_filters(scored: pd.DataFrame, chosen: Filters) -> pd.DataFrame:
    """The reviews that pass every filter (a filter left at 'everything' keeps rows without a value)."""
    keep = scored["lang"].astype(str).isin(chosen.langs)
    if set(chosen.labels) != set(LABELS):
        keep &= scored["label"].astype(str).isin(chosen.labels)
    if chosen.products:
        keep &= scored["item_id"].astype(str).isin(chosen.products)
    if chosen.ratings is not None:
        keep &= scored["rating"].between(*chosen.ratings)
    if chosen.dates is not None:
        keep &= scored["review_date"].between(chosen.dates[0], chosen.dates[1] + pd.Timedelta(days=1) - pd.Timedelta(seconds=1))
    return scored[keep]


# --- sections -----------------------------------------------------------------------------------


def kpis(scored: pd.DataFrame, shown: pd.DataFrame) -> None:
    """Reviews shown, positive, neutral, negative and net share, average rating; input problems counted."""
    labels = shown["label"].astype(str)
    rated = max(int(shown["label"].notna().sum()), 1)
    positive, negative = (labels == "positive").sum() / rated, (labels == "negative").sum() / rated
    neutral = (labels == "neutral").sum() / rated
    cards = [
        (state.t("sent.kpi.reviews"), f"{len(shown):,}"),
        (state.t("sent.kpi.positive"), f"{positive:.0%}"),
        (state.t("sent.kpi.neutral"), f"{neutral:.0%}"),
        (state.t("sent.kpi.negative"), f"{negative:.0%}"),
        (state.t("sent.kpi.net"), f"{positive - negative:+.0%}"),
    ]
    if "rating" in shown.columns and shown["rating"].notna().any():
        cards.append((state.t("sent.kpi.rating"), f"{shown['rating'].mean():.2f}"))
    kpi_row(cards)
    flags = flag_counts(scored)
    found = [f"{state.code_name('sent.flag', row.flag)}: {row.reviews:,}" for row in flags.itertuples(index=False) if row.reviews]
    caption = state.t("sent.kpi.reviews_value", shown=len(shown), total=len(scored))
    st.caption(caption + (" " + state.t("sent.flags", flags=" · ".join(found)) if found else ""))


def accuracy_note(reviews: ActiveTable) -> None:
    """How accurate is this: published benchmark figures, the shop's own comparison, the scorer used."""
    outcome = cache.sentiment_model(reviews.key, reviews.table.frame)
    with st.expander(state.t("sent.accuracy.title"), icon=":material/verified:"):
        st.markdown(state.t("sent.accuracy.benchmarks"))
        if outcome.error is not None:
            show_error(outcome.error, state.t("sent.accuracy.no_model"))
        elif outcome.choice is None:
            st.caption(state.t("sent.accuracy.no_ratings"))
        else:
            table = outcome.choice.summary()
            st.markdown(f"**{state.t('sent.accuracy.shop')}**")
            for row in table.itertuples(index=False):
                st.markdown("- " + state.t(
                    "sent.accuracy.row", language=state.code_name("sent.lang", row.lang), reviews=row.reviews,
                    model=row.model_accuracy, lexicon=row.lexicon_accuracy,
                    scorer=state.code_name("sent.scorer", row.better), reason=state.code_name("sent.reason", row.reason),
                ))
        st.caption(state.t("sent.accuracy.labels"))


def _group_options(shown: pd.DataFrame) -> list[str]:
    options = [c for c in ("item_id", "category", "segment") if c in shown.columns and shown[c].notna().any()]
    return options + ["lang"]


def _group_names(by: str, shown: pd.DataFrame) -> dict[str, str]:
    names = {"all": state.t("sent.group.all"), "(missing)": state.t("sent.group.missing")}
    if by == "item_id":
        pairs = shown.drop_duplicates("item_id")[["item_id", "product"]].dropna()
        names.update({str(code): str(name) for code, name in pairs.itertuples(index=False)})
    elif by == "segment":
        names.update({str(code): state.code_name("segment", code) for code in shown["segment"].dropna().unique()})
    elif by == "lang":
        names.update({code: state.code_name("sent.lang", code) for code in LANGS})
    return names


def share_section(shown: pd.DataFrame) -> None:
    """Stacked share bars by product, category, customer segment or language (most reviewed first)."""
    st.subheader(state.t("sent.section.shares"))
    options = _group_options(shown)
    left, right = st.columns([1, 3])
    by = left.radio(
        state.t("sent.group.by"), options, **state.setting("sent_group", options[0], options),
        format_func=_names("sent.group", options).__getitem__,
    )
    left.caption(state.t("sent.group.top", top=TOP_GROUPS))
    result = sentiment_shares(shown, by=by, top=TOP_GROUPS)
    labels = _labels(
        title="sent.chart.shares", negative="sent.label.negative", neutral="sent.label.neutral",
        positive="sent.label.positive", share="sent.axis.share", reviews="sent.axis.reviews",
    )
    labels["title"] = state.t("sent.chart.shares", by=state.t(f"sent.group.{by}"))
    figure = charts.sentiment_share_figure(result, labels, _group_names(by, shown))
    figure.update_layout(height=max(340, 120 + 30 * len(result.table)))
    right.plotly_chart(figure, key="sent_shares_chart")


def default_promotions(shown: pd.DataFrame) -> pd.DataFrame:
    """The sample shop's sale periods (11.11 and 6.18) in every year the reviews span."""
    rows = []
    if "review_date" in shown.columns and shown["review_date"].notna().any():
        first, last = shown["review_date"].min(), shown["review_date"].max()
        for year in range(first.year, last.year + 1):
            for name, start, end in _SALES:
                begin, finish = pd.Timestamp(f"{year}-{start}"), pd.Timestamp(f"{year}-{end}")
                if finish >= first and begin <= last:
                    rows.append((name, begin, finish))
    frame = pd.DataFrame(rows, columns=["name", "start", "end"])
    frame["start"], frame["end"] = pd.to_datetime(frame["start"]), pd.to_datetime(frame["end"])
    return frame.sort_values("start").reset_index(drop=True)


def trend_section(shown: pd.DataFrame) -> None:
    """Sentiment per week (or day, month) with the promotion periods shaded and named."""
    st.subheader(state.t("sent.section.trend"))
    if "review_date" not in shown.columns or shown["review_date"].isna().all():
        st.info(state.t("sent.trend.no_dates"))
        return
    chart, settings = st.columns([3, 1])
    freqs, metrics = ["W", "M", "D"], list(charts.TREND_METRICS)
    freq = settings.selectbox(
        state.t("sent.trend.freq"), freqs, **state.setting("sent_freq", freqs[0], freqs),
        format_func=_names("sent.freq", freqs).__getitem__,
    )
    metric = settings.selectbox(
        state.t("sent.trend.metric"), metrics, **state.setting("sent_metric", metrics[0], metrics),
        format_func=_names("sent.metric", metrics).__getitem__, help=state.t("sent.trend.metric_help"),
    )
    split = settings.toggle(state.t("sent.trend.by_lang"), **state.setting("sent_trend_lang", False))
    promotions_box = st.expander(state.t("sent.trend.promotions"), icon=":material/sell:")
    key, start = state.editor_start(PROMOTIONS_KEY, default_promotions(shown))
    edited = promotions_box.data_editor(
        start,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(state.t("sent.col.promotion")),
            "start": st.column_config.DateColumn(state.t("sent.col.start"), format="YYYY-MM-DD"),
            "end": st.column_config.DateColumn(state.t("sent.col.end"), format="YYYY-MM-DD"),
        },
    )
    state.remember(PROMOTIONS_KEY, edited.reset_index(drop=True))
    promotions = edited.dropna(how="all")
    promotions = promotions.assign(name=promotions["name"].fillna("").astype(str))
    result = sentiment_trend(shown, freq=freq, by="lang" if split else None, promotions=promotions)
    labels = _labels(
        period="sent.axis.period", reviews="sent.axis.reviews", net="sent.metric.net",
        share_positive="sent.metric.share_positive", share_negative="sent.metric.share_negative", mean_score="sent.metric.mean_score",
        day_format="sent.date.day", month_format="sent.date.month", year_format="sent.date.year", date_format="sent.date.day",
    )
    labels["title"] = state.t("sent.chart.trend", metric=state.t(f"sent.metric.{metric}"))
    names = {"all": state.t("sent.group.all"), **{code: state.code_name("sent.lang", code) for code in LANGS}}
    figure = charts.sentiment_trend_figure(result, labels, names, metric=metric)
    chart.plotly_chart(figure, key="sent_trend_chart")
    if len(result.promotions):
        settings.caption(state.t("sent.trend.marked", names=", ".join(dict.fromkeys(result.promotions["name"]))))


def aspect_section(reviews: ActiveTable, extra: ExtraWords, shown: pd.DataFrame) -> None:
    """Aspect x sentiment heatmap of the filtered reviews, with the most complained-about aspect named."""
    st.subheader(state.t("sent.section.aspects"))
    texts = reviews.table.frame["text"]
    with st.spinner(state.t("sent.progress.aspects", count=len(texts))):
        full = cache.sentiment_aspects(reviews.key, extra, texts)
    table = full.table[full.table["review"].isin(shown.index)]
    if table.empty:
        st.info(state.t("sent.aspects.none"))
        return
    result = AspectResult(table.reset_index(drop=True), len(shown), int(table["review"].nunique()))
    summary = result.summary()
    names = {code: state.code_name("sent.aspect", code) for code in summary["aspect"]}
    labels = _labels(
        title="sent.chart.aspects", negative="sent.label.negative", neutral="sent.label.neutral",
        positive="sent.label.positive", share="sent.axis.share_mentions", mentions="sent.axis.mentions",
    )
    chart, note = st.columns([3, 1])
    chart.plotly_chart(charts.aspect_heatmap_figure(result, labels, names), key="sent_aspects_chart")
    complaints = result.complaints()
    if not complaints.empty:
        worst = complaints.iloc[0]
        note.metric(
            state.t("sent.aspects.worst"), names[worst["aspect"]], help=state.t("sent.aspects.worst_help", min=MIN_COMPLAINTS)
        )
        note.caption(state.t(
            "sent.aspects.worst_detail", negative=worst["negative"], mentions=worst["mentions"], share=worst["share_negative"]
        ))
    note.caption(state.t("sent.aspects.coverage", reviews=result.reviews_with_aspect, total=result.reviews))


def keyword_section(reviews: ActiveTable, extra: ExtraWords, shown: pd.DataFrame) -> None:
    """Words that lean positive or negative, one chart per language (solid bars differ significantly)."""
    st.subheader(state.t("sent.section.keywords"))
    rows = hashlib.sha256(pd.util.hash_pandas_object(shown.index, index=False).to_numpy().tobytes()).hexdigest()
    texts = tuple(shown["text"].fillna("").astype(str))
    label_values = tuple(str(v) if pd.notna(v) else "" for v in shown["label"])
    with st.spinner(state.t("sent.progress.keywords", count=len(texts))):
        result = cache.sentiment_keywords(reviews.key, extra, rows, KEYWORDS_TOP, texts, label_values)
    langs = [code for code in ("en", "zh") if (result.differences["lang"] == code).any()]
    st.caption(state.t("sent.keywords.help"))
    for column, code in zip(st.columns(max(len(langs), 1)), langs):
        labels = _labels(
            positive="sent.label.positive", negative="sent.label.negative", z_score="sent.axis.z_score",
            reviews_positive="sent.axis.reviews_positive", reviews_negative="sent.axis.reviews_negative",
        )
        labels["title"] = state.t("sent.chart.keywords", language=state.code_name("sent.lang", code))
        tested = int((result.differences["lang"] == code).sum())
        if tested < 3:
            column.info(state.t("sent.keywords.few", language=labels["title"], words=tested))
            continue
        figure = charts.keyword_bars_figure(result, labels, top_n=15, lang=code)
        bars = sum(len(trace.y) for trace in figure.data)
        figure.update_layout(height=max(300, 140 + 26 * bars))
        column.plotly_chart(figure, key=f"sent_keywords_{code}")


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes turned into words and columns into the user's language (plain values only)."""
    out = frame.copy()
    for column, prefix in (("label", "sent.label"), ("lang", "sent.lang"), ("scorer", "sent.scorer")):
        if column in out:
            out[column] = [state.code_name(prefix, v) if pd.notna(v) else "" for v in out[column].astype(object)]
    if "segment" in out:
        out["segment"] = [state.code_name("segment", v) if pd.notna(v) else "" for v in out["segment"]]
    if "flags" in out:
        out["flags"] = [", ".join(state.code_name("sent.flag", f) for f in str(v).split(",") if f) for v in out["flags"]]
    if "review_date" in out:
        out["review_date"] = out["review_date"].dt.date
    return out.rename(columns={c: state.t(f"sent.col.{c}") for c in out.columns if has_key(f"sent.col.{c}")})


def negative_table(shown: pd.DataFrame) -> None:
    """The most negative reviews among the filtered ones, with the words that drove each score."""
    st.subheader(state.t("sent.section.reviews"))
    ranked = shown.sort_values("score", na_position="last", kind="stable").head(TABLE_ROWS)
    st.caption(state.t("sent.reviews.caption", shown=len(ranked), total=len(shown)))
    columns = [c for c in ("text", "drivers", "score", "label", "rating", "product", "review_date", "lang", "flags") if c in ranked]
    st.dataframe(
        _display(ranked[columns]),
        hide_index=True,
        key="sent_reviews_table",
        column_config={state.t("sent.col.text"): st.column_config.TextColumn(width="large")},
    )


def export_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The filtered scored reviews as exported: codes kept (stable for other tools), plain values."""
    out = shown[[c for c in _EXPORT_COLUMNS if c in shown.columns]].copy()
    for column in ("lang", "label", "scorer"):
        if column in out:
            out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    return out


def export_section(shown: pd.DataFrame) -> None:
    """Safe CSV and Excel downloads of the filtered scored reviews."""
    st.subheader(state.t("sent.section.export"))
    frame = export_frame(shown)
    st.caption(state.t("sent.export.caption", count=len(frame)))
    left, right = st.columns(2)
    with left:
        download_table(state.t("sent.download_csv"), frame, "scored_reviews", key="sent_download_csv")
    with right:
        download_table(state.t("sent.download_excel"), frame, "scored_reviews", key="sent_download_xlsx", excel=True)
