"""The shipped sample shop: determinism, sizes, coherence and recoverable planted truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, roc_auc_score

from promo_core.sample import SampleShop, generate_shop, write_shop
from promo_core.sample.campaign import CONVERSION_LIFT
from promo_core.sample.customers import SEGMENT_NAMES, SEGMENT_SHARES
from promo_core.sample.phrases import EDGE_CASES

ANALYSIS_DATE = pd.Timestamp("2026-10-01")


@pytest.fixture(scope="module")
def shop() -> SampleShop:
    return generate_shop(seed=7)


@pytest.fixture(scope="module")
def folder(shop: SampleShop, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_data")
    write_shop(shop, out)
    return out


def _purchases(orders: pd.DataFrame) -> pd.DataFrame:
    return orders[(orders["quantity"] > 0) & orders["customer_id"].notna()]


def test_same_seed_gives_identical_bytes_and_other_seed_differs(folder: Path, tmp_path: Path) -> None:
    again = write_shop(generate_shop(seed=7), tmp_path / "again")
    assert len(again) == 14
    for path in again:
        assert path.read_bytes() == (folder / path.relative_to(tmp_path / "again")).read_bytes(), path
    other = write_shop(generate_shop(seed=8), tmp_path / "other")
    assert other[1].read_bytes() != (folder / "orders.csv").read_bytes()


def test_folder_has_every_file_and_stays_small(folder: Path) -> None:
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == sorted([
        "README.md", "ad_events.csv", "campaign.csv", "items.csv", "orders.csv", "reviews.csv",
        "truth/ad_daily.csv", "truth/ad_model.csv", "truth/ad_probabilities.csv",
        "truth/campaign_customers.csv", "truth/campaign_effects.csv", "truth/customers.csv",
        "truth/items.csv", "truth/reviews.csv",
    ])
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert total < 15_000_000
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name in names[1:]:
        assert name in readme


def test_csv_round_trip_keeps_columns_and_chinese_text(shop: SampleShop, folder: Path) -> None:
    items = pd.read_csv(folder / "items.csv")
    assert list(items.columns) == [
        "item_id", "item_name", "item_name_zh", "category", "category_zh", "price", "description"
    ]
    pd.testing.assert_frame_equal(items, shop.items)
    assert items["item_name_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    assert (folder / "orders.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "order_id,customer_id,order_date,item_id,item_name,category,quantity,unit_price,amount,"
        "channel,coupon_code,country"
    )
    reviews = pd.read_csv(folder / "reviews.csv")
    assert len(reviews) == len(shop.reviews)
    assert reviews["text"].tolist()[:50] == shop.reviews["text"].tolist()[:50]


def test_sizes_of_the_shop(shop: SampleShop) -> None:
    assert len(shop.truth_customers) == 5000
    assert shop.truth_customers["customer_id"].is_unique
    assert 200 <= len(shop.items) <= 260
    assert shop.items["category"].nunique() == 10
    assert shop.items["item_id"].is_unique
    assert (shop.items["price"] > 0).all()
    dates = shop.orders["order_date"]
    assert dates.min() >= pd.Timestamp("2025-07-01")
    assert dates.max().normalize() == pd.Timestamp("2026-09-30")
    assert dates.dt.to_period("M").nunique() == 15
    assert 30_000 <= len(shop.orders) <= 50_000
    assert 6000 <= len(shop.reviews) <= 10_000
    assert len(shop.campaign) == 5000
    assert 40_000 <= len(shop.ad_events) <= 60_000


def test_segments_are_planted_in_their_shares(shop: SampleShop) -> None:
    counts = shop.truth_customers["true_segment"].value_counts()
    expected = pd.Series(np.round(SEGMENT_SHARES * 5000), index=SEGMENT_NAMES)
    assert counts.reindex(SEGMENT_NAMES).tolist() == expected.astype(int).tolist()
    assert (shop.campaign["segment"].to_numpy() == shop.truth_customers["true_segment"].to_numpy()).all()


def test_amounts_are_quantity_times_unit_price(shop: SampleShop) -> None:
    o = shop.orders
    assert np.allclose(o["amount"], o["quantity"] * o["unit_price"], atol=0.006)
    assert (o["quantity"] != 0).all()
    assert o.groupby("order_id")["customer_id"].nunique(dropna=False).max() == 1
    assert (o.groupby("order_id").size() > 1).mean() > 0.2  # many multi-line orders


def test_returns_are_negative_c_lines_of_an_earlier_purchase(shop: SampleShop) -> None:
    o = shop.orders
    is_return = o["quantity"] < 0
    assert 0.025 < is_return.mean() < 0.035
    assert (o.loc[is_return, "order_id"].str.startswith("C")).all()
    assert not o.loc[~is_return, "order_id"].str.startswith("C").any()
    assert (o.loc[is_return, "amount"] < 0).all()
    returns = o[is_return]
    buys = _purchases(o)[["customer_id", "item_id", "order_date"]].rename(columns={"order_date": "bought"})
    matched = returns.merge(buys, on=["customer_id", "item_id"])
    matched = matched[matched["bought"] < matched["order_date"]]
    assert matched["order_id"].nunique() == len(returns)


def test_guest_checkouts_have_no_customer(shop: SampleShop) -> None:
    guests = shop.orders["customer_id"].isna()
    assert 0.003 < guests.mean() < 0.008
    assert (shop.orders.loc[guests, "quantity"] > 0).all()


def test_seasonality_has_singles_day_peak_and_new_year_dip(shop: SampleShop) -> None:
    daily = _purchases(shop.orders).groupby(shop.orders["order_date"].dt.normalize())["amount"].sum()
    assert daily[pd.Timestamp("2025-11-11")] > 3 * daily.median()
    lines = shop.orders.groupby(shop.orders["order_date"].dt.normalize()).size()
    new_year = lines["2026-02-10":"2026-02-24"].mean()
    january = lines["2026-01-05":"2026-01-31"].mean()
    assert new_year < 0.7 * january


def test_truth_customers_match_the_order_history(shop: SampleShop) -> None:
    buys = _purchases(shop.orders)
    n_orders = buys.groupby("customer_id")["order_id"].nunique()
    truth = shop.truth_customers.set_index("customer_id")
    assert (n_orders.reindex(truth.index).to_numpy() == truth["n_orders"].to_numpy()).all()
    last = buys.groupby("customer_id")["order_date"].max().dt.normalize()
    assert (last.reindex(truth.index).to_numpy() == truth["last_order_date"].to_numpy()).all()
    recency = (ANALYSIS_DATE - truth["last_order_date"]).dt.days
    by_segment = recency.groupby(truth["true_segment"])
    assert by_segment.max()["champion"] <= 15
    assert by_segment.min()["at_risk"] >= 121
    assert by_segment.max()["new"] <= 61
    assert (truth.loc[truth["true_segment"] == "one_time", "n_orders"] == 1).all()


def test_kmeans_on_log_rfm_recovers_planted_segments(shop: SampleShop) -> None:
    known = shop.orders[shop.orders["customer_id"].notna()]
    buys = _purchases(shop.orders)
    rfm = pd.DataFrame({
        "recency": (ANALYSIS_DATE - buys.groupby("customer_id")["order_date"].max()).dt.days,
        "frequency": buys.groupby("customer_id")["order_id"].nunique(),
        "monetary": known.groupby("customer_id")["amount"].sum().clip(lower=0),
    })
    x = np.log1p(rfm.to_numpy(dtype=float))
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    clusters = KMeans(n_clusters=7, n_init=10, random_state=0).fit_predict(x)
    truth = shop.truth_customers.set_index("customer_id").loc[rfm.index, "true_segment"]
    assert adjusted_rand_score(truth, clusters) > 0.4


def test_personal_history_beats_popularity_on_a_time_holdout(shop: SampleShop) -> None:
    buys = _purchases(shop.orders)
    cut = pd.Timestamp("2026-08-01")
    train, test = buys[buys["order_date"] < cut], buys[buys["order_date"] >= cut]
    test = test[test["customer_id"].isin(train["customer_id"])]
    popular = set(train["item_id"].value_counts().index[:10])
    own = train.groupby(["customer_id", "item_id"]).size().rename("n").reset_index()
    own = own.sort_values(["customer_id", "n", "item_id"], ascending=[True, False, True])
    personal = own.groupby("customer_id")["item_id"].apply(lambda s: set(s.iloc[:10]))
    bought = test.groupby("customer_id")["item_id"].apply(set)
    hit_popular = np.mean([bool(items & popular) for items in bought])
    hit_personal = np.mean([bool(items & personal[c]) for c, items in bought.items()])
    assert len(bought) > 1000
    assert hit_personal > hit_popular + 0.15


def test_reviews_come_from_buyers_in_both_languages(shop: SampleShop) -> None:
    r = shop.reviews.merge(shop.truth_reviews, on="review_id")
    share = r["lang"].value_counts(normalize=True)
    assert 0.50 < share["en"] < 0.60
    assert 0.40 < share["zh"] < 0.50
    buys = _purchases(shop.orders)
    pairs = set(zip(buys["customer_id"], buys["item_id"]))
    assert all(pair in pairs for pair in zip(r["customer_id"], r["item_id"]))
    assert r["text"].nunique() > 0.9 * len(r)
    assert r["review_date"].is_monotonic_increasing
    zh = r.loc[r["lang"] == "zh", "text"]
    assert zh.str.contains("但是|不过|就是|可惜|好在").sum() > 100
    assert zh.str.contains("不太|不是很|没有想象中").sum() > 100
    en = r.loc[r["lang"] == "en", "text"]
    assert en.str.contains(r"\bbut\b|However|[Aa]lthough").sum() > 100
    assert en.str.contains(r"\bnot\b|n't").sum() > 500


def test_review_edge_cases_are_present(shop: SampleShop) -> None:
    r = shop.reviews.merge(shop.truth_reviews, on="review_id")
    edges = r[r["edge_case"].notna()]
    assert sorted(edges["edge_case"]) == sorted([kind for kind, *_ in EDGE_CASES] + ["long"])
    texts = set(edges["text"])
    assert {"👍👍👍", ".", "<b>great</b> quality, fast delivery<br>would buy again", "+1 would buy again"} <= texts
    assert edges.loc[edges["edge_case"] == "long", "text"].str.len().iloc[0] > 1500
    assert set(edges.loc[edges["edge_case"] == "traditional", "lang"]) == {"zh-Hant"}


def test_rating_follows_the_true_polarity_with_noise(shop: SampleShop) -> None:
    r = shop.reviews.merge(shop.truth_reviews, on="review_id")
    mean = r.groupby("true_polarity")["rating"].mean()
    assert mean["positive"] - mean["negative"] > 2.0
    agree = ((r["rating"] >= 4) == (r["true_polarity"] == "positive"))[r["true_polarity"] != "neutral"]
    assert 0.8 < agree.mean() < 0.98  # related, not a copy
    assert 0.05 < r["is_mixed"].mean() < 0.25


def test_campaign_split_and_pooled_effect(shop: SampleShop) -> None:
    c = shop.campaign
    assert sorted(c["group"].value_counts().tolist()) == [1666, 1667, 1667]
    assert ((c["revenue"] > 0) == (c["converted"] == 1)).all()
    rate = c.groupby("group")["converted"].mean()
    effects = shop.truth_campaign_effects.set_index(["segment", "variant"])
    for variant in ("coupon_10", "coupon_20"):
        true_lift = effects.loc[("all", variant), "conversion_lift"]
        assert rate[variant] - rate["control"] == pytest.approx(true_lift, abs=0.04)


def test_campaign_truth_is_the_planted_lift(shop: SampleShop) -> None:
    effects = shop.truth_campaign_effects.set_index(["segment", "variant"])
    for k, segment in enumerate(SEGMENT_NAMES):
        assert effects.loc[(segment, "coupon_10"), "conversion_lift"] == pytest.approx(CONVERSION_LIFT[k, 0], abs=2e-3)
        assert effects.loc[(segment, "coupon_20"), "conversion_lift"] == pytest.approx(CONVERSION_LIFT[k, 1], abs=2e-3)
    assert effects.loc[("champion", "coupon_20"), "revenue_lift"] < 0
    assert effects.loc[("at_risk", "coupon_20"), "revenue_lift"] > 2
    customers = shop.truth_campaign_customers
    assert (customers["p_coupon_20"] - customers["p_control"]).groupby(shop.campaign["segment"]).mean()[
        "bargain"
    ] == pytest.approx(0.14, abs=1e-3)


def test_cuped_covariate_removes_a_large_share_of_variance(shop: SampleShop) -> None:
    c = shop.campaign
    rho = np.corrcoef(c["pre_revenue"], c["revenue"])[0, 1]
    assert rho**2 > 0.2
    pre = shop.orders[(shop.orders["order_date"] >= "2026-07-03") & shop.orders["customer_id"].notna()]
    expected = pre.groupby("customer_id")["amount"].sum().clip(lower=0)
    got = c.set_index("customer_id")["pre_revenue"]
    assert np.allclose(expected.reindex(got.index, fill_value=0.0), got, atol=0.011)


def test_click_model_is_the_documented_one(shop: SampleShop) -> None:
    a = shop.ad_events.merge(shop.truth_ad_probabilities, on="impression_id")
    model = shop.truth_ad_model[shop.truth_ad_model["model"] == "click"]
    coef = {(t, lv): c for t, lv, c in zip(model["term"], model["level"].fillna(""), model["coefficient"])}
    daily = shop.truth_ad_daily.assign(date=pd.to_datetime(shop.truth_ad_daily["date"]))
    day = a[["timestamp", "channel"]].assign(date=a["timestamp"].dt.normalize()).merge(
        daily, on=["date", "channel"], how="left"
    )
    hour = (a["timestamp"] - a["timestamp"].dt.normalize()).dt.total_seconds() / 3600
    logit = (
        coef[("intercept", "")]
        + a["channel"].map(lambda v: coef[("channel", v)])
        + a["creative"].map(lambda v: coef[("creative", v)])
        + a["device"].map(lambda v: coef[("device", v)])
        + a["audience"].map(lambda v: coef[("audience", v)])
        + (a["channel"] + ":" + a["device"]).map(lambda v: coef.get(("channel:device", v), 0.0))
        + coef[("hour_amplitude", "")] * np.cos(2 * np.pi * (hour - coef[("hour_peak", "")]) / 24)
        + coef[("numeric", "relevance_score (centred at 5.5)")] * (a["relevance_score"] - 5.5)
        - np.log1p(day["impressions"].to_numpy() / day["half_saturation"].to_numpy())
    )
    assert np.allclose(1 / (1 + np.exp(-logit)), a["p_click"], atol=1e-4)


def test_clicks_follow_the_true_probabilities(shop: SampleShop) -> None:
    a = shop.ad_events.merge(shop.truth_ad_probabilities, on="impression_id")
    ctr = a["clicked"].mean()
    assert 0.03 < ctr < 0.06
    assert a["p_click"].mean() == pytest.approx(ctr, abs=0.003)
    assert roc_auc_score(a["clicked"], a["p_click"]) > 0.7
    assert (a.loc[a["converted"] == 1, "clicked"] == 1).all()
    clicked = a[a["clicked"] == 1]
    assert clicked["p_convert_given_click"].mean() == pytest.approx(clicked["converted"].mean(), abs=0.03)
    assert (a.loc[a["converted"] == 0, "revenue"] == 0).all()
    assert a["timestamp"].dt.normalize().nunique() == 60
    spend = shop.truth_ad_daily.groupby("channel")["spend"]
    assert (spend.max() > 2 * spend.min()).all()  # daily budgets vary enough to fit response curves
