"""The one caching module: every expensive call of the UI goes through here.

Keys are content hashes plus every parameter, never a DataFrame hashed on each rerun: bytes arrive
with their SHA-256 digest and are passed as an unhashed ``_data`` argument. Results are shared
objects (``cache_resource``), so callers must treat them as read-only. Errors are cached as values
so a bad file is not re-parsed on every rerun. Nothing here reads ``st.session_state``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError, load_table
from promo_core.clv import CLVResult, customer_value
from promo_core.loading import DataReport, LoadedTable, combine_tables, describe_table
from promo_core.overview import ShopOverview, shop_overview
from promo_core.segmentation import (
    ClusterResult,
    SegmentationResult,
    SegmentMoves,
    cluster_customers,
    segment_customers,
    segment_moves,
)
from promo_core.segmentation.rfm import RULE_COLUMNS

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass(frozen=True)
class LoadOutcome:
    """A loaded table, or the error that explains why the file cannot be used."""

    table: LoadedTable | None
    error: PromoCoreError | None


def digest(data: bytes) -> str:
    """The content hash that identifies an upload in every cache key."""
    return hashlib.sha256(data).hexdigest()


@st.cache_resource(max_entries=64, show_spinner=False)
def load_upload(file_digest: str, kind: str, mapping: tuple[tuple[str, str | None], ...], name: str, _data: bytes) -> LoadOutcome:
    """Load one uploaded file of ``kind`` with the user's mapping fixes."""
    try:
        return LoadOutcome(load_table(_data, kind, dict(mapping) or None, name=name), None)
    except PromoCoreError as error:
        return LoadOutcome(None, error)


@st.cache_resource(max_entries=16, show_spinner=False)
def combine(kind: str, key: str, _tables: tuple[LoadedTable, ...]) -> LoadedTable:
    """Several uploads of one kind as one table, keyed by their digests and mappings."""
    return combine_tables(list(_tables))


@st.cache_resource(show_spinner=False)
def load_sample(kind: str) -> LoadedTable | None:
    """The sample shop's table of ``kind``, or None when the sample has no such file."""
    path = SAMPLE_DIR / f"{kind}.csv"
    return load_table(path, kind) if path.is_file() else None


@st.cache_resource(max_entries=64, show_spinner=False)
def report(key: str, _table: LoadedTable) -> DataReport:
    """The data report of a loaded table, keyed like the table itself."""
    return describe_table(_table)


@st.cache_resource(max_entries=16, show_spinner=False)
def segments(key: str, as_of: str, rules: tuple[tuple[object, ...], ...], _orders: pd.DataFrame) -> SegmentationResult:
    """RFM segments of the orders table ``key`` at ``as_of`` under the given rule rows."""
    return segment_customers(_orders, as_of=as_of, rules=_rules(rules))


@st.cache_resource(max_entries=16, show_spinner=False)
def clusters(key: str, as_of: str, rules: tuple[tuple[object, ...], ...], k: int | None, _rfm: pd.DataFrame) -> ClusterResult:
    """Behavioural clusters of the customers of one segmentation (same key, date and rules)."""
    return cluster_customers(_rfm, k=k)


@st.cache_resource(max_entries=16, show_spinner=False)
def lifetime_value(key: str, as_of: str, horizon_days: int, _orders: pd.DataFrame) -> CLVResult:
    """MBG/NBD + Gamma-Gamma lifetime value over ``horizon_days`` from ``as_of``."""
    return customer_value(_orders, horizon_days=horizon_days, as_of=as_of)


@st.cache_resource(max_entries=16, show_spinner=False)
def moves(key: str, start: str, end: str, rules: tuple[tuple[object, ...], ...], _orders: pd.DataFrame) -> SegmentMoves:
    """Segment transitions between two dates."""
    return segment_moves(_orders, start, end, rules=_rules(rules))


# --- Sentiment (issue 5): every cached sentiment computation lives in this block. ---------------
# Keys: the reviews table's key (ui.data.ActiveTable.key), the extra words as a tuple of pairs and,
# for filtered subsets, a digest of the chosen rows; frames come in unhashed as ``_reviews`` etc.
# Slow steps (training, scoring, aspects, keywords) are cached; errors are cached as values.

from promo_core.sentiment import (
    AspectResult,
    KeywordResult,
    ScorerChoice,
    choose_scorer,
    extract_keywords,
    fit_sentiment_model,
    review_aspects,
    score_reviews,
)
from promo_core.sentiment.scoring import scorers as _sentiment_scorers

ExtraWords = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class SentimentModelOutcome:
    """The scorer choice from a model trained on the star ratings, or why none could be trained."""

    choice: ScorerChoice | None
    error: PromoCoreError | None


@dataclass(frozen=True)
class ExtraWordsOutcome:
    """A shop's extra lexicon words, or why the uploaded list cannot be used."""

    words: ExtraWords
    error: PromoCoreError | None
    unreadable: bool = False


@st.cache_resource(max_entries=8, show_spinner=False)
def sentiment_model(key: str, _reviews: pd.DataFrame) -> SentimentModelOutcome:
    """Train on the reviews' star ratings (when there are any) and choose model or lexicon per language."""
    if "rating" not in _reviews.columns:
        return SentimentModelOutcome(None, None)
    try:
        return SentimentModelOutcome(choose_scorer(fit_sentiment_model(_reviews["text"], _reviews["rating"])), None)
    except PromoCoreError as error:
        return SentimentModelOutcome(None, error)


@st.cache_resource(max_entries=16, show_spinner=False)
def sentiment_extra_words(file_digest: str, _data: bytes) -> ExtraWordsOutcome:
    """An uploaded CSV of ``word,valence`` rows, checked by the core (row-level errors name the row)."""
    import io

    frame = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            frame = pd.read_csv(io.BytesIO(_data), dtype=str, keep_default_na=False, encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
            break
    if frame is None:
        return ExtraWordsOutcome((), None, unreadable=True)
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    try:
        _sentiment_scorers(frame)  # validates every row (SchemaError names the row and column)
    except PromoCoreError as error:
        return ExtraWordsOutcome((), error)
    return ExtraWordsOutcome(tuple((str(w).strip(), float(v)) for w, v in zip(frame["word"], frame["valence"])), None)


@st.cache_resource(max_entries=8, show_spinner=False)
def sentiment_scored(key: str, extra: ExtraWords, _reviews: pd.DataFrame) -> pd.DataFrame:
    """The reviews with lang, score, label, drivers, scorer and flags (the chosen scorer per language)."""
    outcome = sentiment_model(key, _reviews)
    model = outcome.choice.model if outcome.choice is not None else None
    scored = score_reviews(_reviews["text"], model=model, extra_lexicon=dict(extra) or None)
    return _reviews.drop(columns=[c for c in scored.columns if c in _reviews.columns]).join(scored)


@st.cache_resource(max_entries=8, show_spinner=False)
def sentiment_aspects(key: str, extra: ExtraWords, _texts: pd.Series) -> AspectResult:
    """Aspect mentions per clause of every review (the page filters the rows, not the texts)."""
    return review_aspects(_texts, extra_lexicon=dict(extra) or None)


@st.cache_resource(max_entries=32, show_spinner=False)
def sentiment_keywords(key: str, extra: ExtraWords, rows: str, top_n: int, _texts: tuple[str, ...], _labels: tuple[str, ...]) -> KeywordResult:
    """Keywords of the positive and negative reviews among the chosen ``rows`` (a digest of their index)."""
    return extract_keywords(_texts, top_n=top_n, labels=_labels)


# --- Recommendations and coupons (issue 6): every cached recommender computation lives here. ------
# Keys: the orders table's key (ui.data.ActiveTable.key), the items and reviews keys ("" when absent)
# and every parameter as hashable tuples; frames come in unhashed as ``_orders`` etc. Core errors
# propagate (the page shows them per section).

from promo_core.coupons import CouponList, build_coupon_list  # noqa: E402
from promo_core.recommend import Recommender, fit_recommender  # noqa: E402

CouponRuleRows = tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class CouponSettings:
    """Who may get a coupon and how many; hashable, so the settings key the cached list.

    The opt-out list and uplift scores are named by their keys; their ids and scores come unhashed.
    """

    mode: str = "all"
    max_per_customer: int = 1
    recent_days: int = 0  # 0: recent buyers are not left out
    margin_floor: float = 0.0
    opt_out_key: str = ""
    uplift_key: str = ""
    margin_rate: float = 0.3  # the shop's gross margin, for products without a cost or margin in the catalogue


@st.cache_resource(max_entries=8, show_spinner=False)
def recommend_segments(key: str, _orders: pd.DataFrame) -> pd.DataFrame:
    """customer_id and RFM segment of every customer of the orders table ``key`` (standard rules)."""
    return segment_customers(_orders).table[["customer_id", "segment"]].copy()


@st.cache_resource(max_entries=8, show_spinner=False)
def recommender(
    key: str, items_key: str, reviews_key: str, algorithm: str,
    _orders: pd.DataFrame, _items: pd.DataFrame | None, _ratings: pd.DataFrame | None,
) -> Recommender:
    """The fitted recommender ("auto" compares every method on a time holdout: the slow step)."""
    return fit_recommender(_orders, algorithm, items=_items, ratings=_ratings, segments=recommend_segments(key, _orders))


@st.cache_resource(max_entries=32, show_spinner=False)
def recommend_customer(
    key: str, items_key: str, reviews_key: str, algorithm: str, customer_id: str, n: int, mode: str, _model: Recommender
) -> pd.DataFrame:
    """One customer's top ``n`` in ``mode``."""
    return _model.recommend([customer_id], n, mode)


@st.cache_resource(max_entries=32, show_spinner=False)
def coupon_list(
    key: str, items_key: str, reviews_key: str, algorithm: str, rules: CouponRuleRows, budget: float,
    settings: CouponSettings, _model: Recommender, _orders: pd.DataFrame, _items: pd.DataFrame | None,
    _opted_out: tuple[str, ...], _uplift: pd.DataFrame | None,
) -> CouponList:
    """Coupons within ``budget`` under the rule rows (segment, coupon_type, discount, min_spend, budget_share)."""
    from promo_core.coupons.rules import RULE_COLUMNS as COUPON_RULE_COLUMNS

    rule_frame = pd.DataFrame(list(rules), columns=list(COUPON_RULE_COLUMNS))
    return build_coupon_list(
        _model, recommend_segments(key, _orders), rule_frame, budget, orders=_orders, items=_items,
        mode=settings.mode, max_per_customer=settings.max_per_customer,
        exclude_bought_within_days=settings.recent_days or None, margin_floor=settings.margin_floor,
        opted_out=_opted_out, uplift=_uplift, margin_rate=settings.margin_rate,
    )


# --- Ads (issue 7): every cached ad-model and budget computation lives in this block. ------------
# Keys: the ad events table's key (ui.data.ActiveTable.key) plus every parameter as a hashable value
# (features and bounds as tuples); the frame comes in unhashed as ``_events``. Core errors propagate
# (their checks run before any fitting, so re-raising them on a rerun is cheap).

from promo_core.ctr import (  # noqa: E402
    OBJECTIVES as _AD_OBJECTIVES,
)
from promo_core.ctr import (
    AdTotals,
    Allocation,
    ResponseCurves,
    ResponseModel,
    ad_totals,
    allocate_budget,
    daily_history,
    fit_response_curves,
    fit_response_model,
    score_impressions,
    segment_rates,
)

AdBounds = tuple[tuple[str, float | None, float | None], ...]


@st.cache_data(max_entries=8, show_spinner=False)
def ads_totals(key: str, _events: pd.DataFrame) -> AdTotals:
    """CTR, CVR, CPA and ROAS of the whole log."""
    return ad_totals(_events)


@st.cache_resource(max_entries=8, show_spinner=False)
def ads_model(key: str, target: str, features: tuple[str, ...] | None, _events: pd.DataFrame) -> ResponseModel:
    """The selected, calibrated model of ``target`` (clicked or converted) on the chosen features."""
    return fit_response_model(_events, target=target, features=list(features) if features is not None else None)


@st.cache_resource(max_entries=8, show_spinner=False)
def ads_scored(key: str, targets: tuple[str, ...], features: tuple[str, ...] | None, _events: pd.DataFrame) -> pd.DataFrame:
    """Predicted CTR, CVR and expected value per impression from the models of ``targets``."""
    models = [ads_model(key, target, features, _events) for target in targets]
    return score_impressions(models, _events)


@st.cache_resource(max_entries=32, show_spinner=False)
def ads_segments(key: str, target: str, features: tuple[str, ...] | None, by: tuple[str, ...], _events: pd.DataFrame) -> pd.DataFrame:
    """Observed beside predicted rate per cell of the ``by`` columns (held-out rows)."""
    return segment_rates(ads_model(key, target, features, _events), _events, list(by))


@st.cache_resource(max_entries=8, show_spinner=False)
def ads_curves(key: str, objective: str, _events: pd.DataFrame) -> ResponseCurves:
    """Saturating spend-response curves per channel for the outcome behind ``objective``."""
    return fit_response_curves(daily_history(_events), _AD_OBJECTIVES[objective])


@st.cache_resource(max_entries=32, show_spinner=False)
def ads_allocation(
    key: str, objective: str, budget: float | None, bounds: AdBounds, roas_target: float | None, _events: pd.DataFrame
) -> Allocation:
    """The recommended daily split of ``budget`` within ``bounds`` (channel, low, high)."""
    curves = ads_curves(key, objective, _events)
    limits = {channel: (low, high) for channel, low, high in bounds} or None
    return allocate_budget(curves, budget, limits, objective, roas_target=roas_target)


def _rules(rows: tuple[tuple[object, ...], ...]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(RULE_COLUMNS))


@st.cache_resource(max_entries=16, show_spinner=False)
def overview(key: str, _orders: pd.DataFrame) -> ShopOverview:
    """Headline KPIs of the orders table identified by ``key``."""
    return shop_overview(_orders)


# --- Campaign effect (issue 4): every cached campaign computation lives in this block. -----------
# Keys: the table's key (ui.data.ActiveTable.key) plus every parameter as a hashable value; frames
# come in unhashed as ``_frame`` / ``_orders``. Core errors propagate (they are cheap to re-raise:
# every check runs before any fitting).

from collections.abc import Mapping  # noqa: E402

from promo_core.campaign import ABTestResult, ABTestSuite, SegmentLiftResult, ab_test, ab_test_many, segment_lifts  # noqa: E402
from promo_core.impact import ImpactResult, causal_impact, daily_series  # noqa: E402
from promo_core.uplift import UpliftResult, fit_uplift  # noqa: E402

CAMPAIGN_MAX_LEVELS = 50
"""Columns with at most this many distinct values can serve as groups or segments."""


@dataclass(frozen=True)
class CampaignColumns:
    """What each column of a table can be used for on the Campaign page."""

    numeric: tuple[str, ...]  # numbers and yes/no columns (metrics, covariates)
    binary: tuple[str, ...]  # numeric columns holding only 0/1 (conversion outcomes)
    levels: Mapping[str, tuple[str, ...]]  # column -> its distinct values as text, for low-cardinality columns
    dates: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]]  # date column -> (first, last)


@st.cache_resource(max_entries=16, show_spinner=False)
def campaign_columns(key: str, _frame: pd.DataFrame) -> CampaignColumns:
    """Column roles of the table ``key`` (profiled once per table, not on every rerun)."""
    numeric, binary, levels, dates = [], [], {}, {}
    for column in _frame.columns:
        series = _frame[column]
        is_bool = pd.api.types.is_bool_dtype(series.dtype)
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            if series.notna().any():
                dates[column] = (series.min(), series.max())
            continue
        if is_bool or pd.api.types.is_numeric_dtype(series.dtype):
            numeric.append(column)
            if is_bool or series.dropna().isin([0, 1]).all():
                binary.append(column)
            if is_bool or pd.api.types.is_float_dtype(series.dtype):
                continue
        if column == "customer_id":
            continue
        distinct = series.dropna().unique()
        if 0 < len(distinct) <= CAMPAIGN_MAX_LEVELS:
            levels[column] = tuple(sorted({str(value) for value in distinct}))
    return CampaignColumns(tuple(numeric), tuple(binary), levels, dates)


@st.cache_resource(max_entries=32, show_spinner=False)
def campaign_test(
    key: str,
    metrics: tuple[str, ...],
    group: str,
    control: str,
    covariate: str | None,
    alpha: float,
    correction: str,
    planned_split: tuple[tuple[str, float], ...] | None,
    _frame: pd.DataFrame,
) -> ABTestSuite:
    """A/B/n test of every metric (CUPED on ``covariate`` when given), p-values adjusted jointly."""
    covariates = {metric: covariate for metric in metrics} if covariate else None
    split = dict(planned_split) if planned_split else None
    return ab_test_many(_frame, list(metrics), group, control, covariates, alpha, correction, split)


@st.cache_resource(max_entries=32, show_spinner=False)
def campaign_balance(
    key: str, group: str, control: str, covariate: str, alpha: float, correction: str, _frame: pd.DataFrame
) -> ABTestResult:
    """Balance check: the pre-period covariate compared between the groups like an outcome."""
    return ab_test(_frame, covariate, group, control, alpha=alpha, correction=correction, kind="continuous")


@st.cache_resource(max_entries=32, show_spinner=False)
def campaign_segments(
    key: str, metric: str, segment: str, group: str, control: str, alpha: float, correction: str, _frame: pd.DataFrame
) -> SegmentLiftResult:
    """Lift per value of ``segment`` with the heterogeneity test."""
    return segment_lifts(_frame, metric, segment, group, control, alpha, correction)


@st.cache_resource(max_entries=16, show_spinner=False)
def campaign_uplift(
    key: str,
    group: str,
    outcome: str,
    features: tuple[str, ...],
    control: str,
    treated: tuple[str, ...] | None,
    revenue: str | None,
    method: str,
    learner: str,
    _frame: pd.DataFrame,
) -> UpliftResult:
    """Cross-fitted uplift model (the slow step: a slider move must not refit it)."""
    return fit_uplift(
        _frame, group, outcome, list(features), control=control, treated=list(treated) if treated else None,
        revenue=revenue, method=method, learner=learner,
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def campaign_impact(
    key: str, by: str, treated_values: tuple[str, ...], intervention_date: str, value: str, _orders: pd.DataFrame
) -> ImpactResult:
    """Causal impact on the daily ``value`` of the orders whose ``by`` is in ``treated_values``,
    with the other values' daily total as the control series."""
    series = daily_series(_orders, by, list(treated_values), value=value)
    return causal_impact(series["treated"], intervention_date, series[["control"]])
