"""customer_value from orders: summary by hand, the sample shop, a time holdout, thin data and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from promo_core import SchemaError, clv, load_table
from promo_core.charts.segments import clv_histogram_figure
from promo_core.clv import CLVResult, customer_value, purchase_summary
from promo_core.segmentation import AnalysisNote, segment_customers

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
COLUMNS = [
    "customer_id", "frequency", "recency", "T", "monetary_value", "net_revenue", "p_alive", "expected_purchases",
    "expected_aov", "predicted_value",
]


def orders(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount", "is_return"])
    return frame.assign(order_date=pd.to_datetime(frame["order_date"], format="ISO8601"), item_id="S")


TINY = orders(
    ("A", "2024-01-01 09:00", 10.0, False),
    ("A", "2024-01-01 18:00", 5.0, False),  # same day: one purchase of 15
    ("A", "2024-01-08", 40.0, False),
    ("A", "2024-01-15", 20.0, False),
    ("A", "2024-01-20", -15.0, True),  # returns 15 of A's 75 gross: keeps 80%
    ("B", "2024-01-10", 30.0, False),
    ("C", "2024-01-12", -5.0, True),  # returns only
    (None, "2024-01-13", 8.0, False),
)


@pytest.fixture(scope="module")
def shop() -> pd.DataFrame:
    return load_table(SAMPLE / "orders.csv", "orders").frame


@pytest.fixture(scope="module")
def shop_value(shop: pd.DataFrame) -> CLVResult:
    return customer_value(shop)


def test_purchase_summary_by_hand() -> None:
    summary = purchase_summary(TINY, as_of="2024-01-22", time_unit="day").set_index("customer_id")
    assert summary.index.tolist() == ["A", "B"]
    a, b = summary.loc["A"], summary.loc["B"]
    assert (a["frequency"], a["recency"], a["T"]) == (2, 14.0, 21.0)
    assert a["monetary_value"] == pytest.approx((40 + 20) / 2 * 0.8)
    assert a["net_revenue"] == pytest.approx(60.0)
    assert (b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (0, 0.0, 12.0, 0.0)
    weeks = purchase_summary(TINY, as_of="2024-01-22").set_index("customer_id")
    assert weeks.loc["A", "T"] == pytest.approx(3.0)


def test_thin_data_falls_back_to_history_by_hand() -> None:
    result = customer_value(TINY, horizon_days=28, as_of="2024-01-22", time_unit="day")
    assert result.method == "historical_average"
    assert result.bgnbd is None and result.gamma_gamma is None
    assert result.notes == (
        AnalysisNote("guest_lines_excluded", {"count": 1}),
        AnalysisNote("returns_only_customers", {"count": 1}),
        AnalysisNote("clv_fallback_few_repeat_buyers", {"count": 1, "minimum": 30}),
    )
    table = result.table.set_index("customer_id")
    assert table.columns.tolist() == COLUMNS[1:]
    # the shop's repeat rate: 2 repeats (A) in 21 + 12 customer-days; spend: A 60 net / 3 purchases, B 30
    assert table["expected_purchases"].tolist() == pytest.approx([2 / 33 * 28] * 2)
    assert table["expected_aov"].tolist() == pytest.approx([20.0, 30.0])
    assert table.loc["B", "predicted_value"] == pytest.approx(2 / 33 * 28 * 30)
    assert table["p_alive"].isna().all()


def test_sample_shop_value(shop_value: CLVResult) -> None:
    table = shop_value.table
    assert shop_value.method == "mbgnbd_gamma_gamma"
    assert shop_value.bgnbd.converged and shop_value.gamma_gamma.converged
    assert shop_value.notes == (AnalysisNote("guest_lines_excluded", {"count": 190}),)
    assert table.columns.tolist() == COLUMNS
    assert len(table) == 5000 and shop_value.excluded_guest_lines == 190
    assert table[COLUMNS[1:]].notna().all().all()
    assert table["p_alive"].between(0, 1).all()
    assert (table["expected_purchases"] > 0).all() and (table["expected_aov"] > 0).all()
    np.testing.assert_allclose(table["predicted_value"], table["expected_purchases"] * table["expected_aov"])
    direct = shop_value.bgnbd.expected_purchases(365 / 7, table["frequency"], table["recency"], table["T"])
    np.testing.assert_allclose(table["expected_purchases"], direct)
    summary = shop_value.summary().set_index("metric")["value"]
    assert summary["customers"] == 5000
    assert summary["total_predicted_value"] == pytest.approx(table["predicted_value"].sum())


def test_a_fit_near_its_poisson_limit_still_predicts(shop: pd.DataFrame) -> None:
    """80 days of the sample shop: MBG/NBD drifts towards r, alpha, b in the 10^5-10^6 (no dropout seen),
    where scipy's hyp2f1 gives NaN; the predictions are those of the limit, Poisson purchases at
    (r + x) / (alpha + T) per week for customers still alive."""
    recent = shop[shop["order_date"] > shop["order_date"].max() - pd.Timedelta(days=80)]
    result = customer_value(recent, horizon_days=28)
    fit, table = result.bgnbd, result.table
    assert fit.r > 1e4 and fit.alpha > 1e5 and result.method == "mbgnbd_gamma_gamma"
    poisson = (fit.r + table["frequency"]) / (fit.alpha + table["T"]) * 4 * table["p_alive"]
    assert np.isfinite(table["predicted_value"]).all()
    assert table["expected_purchases"].to_numpy() == pytest.approx(poisson.to_numpy(), rel=0.02)


def test_a_purchase_model_without_finite_predictions_falls_back_to_history(shop: pd.DataFrame, monkeypatch) -> None:
    monkeypatch.setattr(clv, "_hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.nan))
    result = customer_value(shop)
    assert result.method == "historical_average" and result.bgnbd is None
    assert np.isfinite(result.table["predicted_value"]).all()
    assert result.notes[-1] == AnalysisNote("clv_fallback_unstable_model", {"model": "mbgnbd", "count": len(result.table)})


def test_hyp2f1_sums_the_series_where_scipy_gives_up() -> None:
    # 2F1(a, b; b; z) = (1 - z)^-a, here with a = 10^5 where scipy returns NaN
    assert clv._hyp2f1(1e5, 3e3, 3e3, 1e-5) == pytest.approx((1 - 1e-5) ** -1e5, rel=1e-9)
    assert clv._hyp2f1(np.array([2.0, 1e5]), 3.0, 3.0, np.array([0.5, 1e-5])) == pytest.approx([4.0, (1 - 1e-5) ** -1e5])


def test_one_time_buyers_long_gone_are_no_longer_certainly_active(shop: pd.DataFrame, shop_value: CLVResult) -> None:
    """The review's P0: 'Lost' customers (one order, 288+ days ago) showed P(alive) = 1 under BG/NBD."""
    lost = segment_customers(shop).table.query("segment == 'lost'")["customer_id"]
    table = shop_value.table.set_index("customer_id")
    assert len(lost) == 350 and (table.loc[lost, "frequency"] == 0).all()
    assert table.loc[lost, "p_alive"].max() < 0.02  # measured 0.0014-0.014, mean 0.006
    fit = shop_value.bgnbd
    assert fit.log_likelihood == pytest.approx(-58391.7, abs=0.5)
    assert not fit.degenerate and fit.mean_dropout == pytest.approx(0.367, abs=0.005)  # the shop plants 38% one-time or lost
    old = customer_value(shop, purchase_model="bgnbd")
    assert old.table.set_index("customer_id").loc[lost, "p_alive"].eq(1.0).all()
    assert old.bgnbd.degenerate and old.bgnbd.a > 1e4 and old.bgnbd.b > 1e6  # a = 13,339, b = 2,957,632
    assert old.bgnbd.log_likelihood < fit.log_likelihood - 800  # -59,246 against -58,392
    [note] = [n for n in old.notes if n.code == "dropout_fit_degenerate"]
    assert note.details["a_plus_b"] == pytest.approx(old.bgnbd.a + old.bgnbd.b)
    assert note.details["dropout"] == pytest.approx(0.0045, abs=1e-4)


def test_p_alive_separates_the_planted_segments(shop_value: CLVResult) -> None:
    truth = pd.read_csv(SAMPLE / "truth" / "customers.csv", usecols=["customer_id", "true_segment"])
    alive = shop_value.table.merge(truth, on="customer_id").groupby("true_segment")["p_alive"].mean()
    assert alive[["champion", "loyal", "bargain"]].min() > 0.95  # measured 0.98-0.99
    assert alive[["lost", "one_time"]].max() < 0.15  # measured 0.02 and 0.10 (BG/NBD: 0.99 and 1.00)


def test_discounting_lowers_value_step_by_step(shop: pd.DataFrame, shop_value: CLVResult) -> None:
    discounted = customer_value(shop, discount_rate=0.2)
    ratio = discounted.table["predicted_value"] / shop_value.table["predicted_value"]
    assert ratio.between(1 / 1.2, 1.0).all() and ratio.max() < 1.0
    assert discounted.bgnbd == shop_value.bgnbd


def test_days_and_weeks_give_the_same_predictions(shop: pd.DataFrame, shop_value: CLVResult) -> None:
    days = customer_value(shop, time_unit="day")
    np.testing.assert_allclose(days.table["expected_purchases"], shop_value.table["expected_purchases"], rtol=1e-3)


def test_holdout_purchases_are_predicted_in_aggregate(shop: pd.DataFrame) -> None:
    calibration = customer_value(shop, horizon_days=92, as_of="2026-06-30")
    later = shop[(shop["order_date"] > "2026-06-30") & ~shop["is_return"] & shop["customer_id"].notna()]
    known = later[later["customer_id"].isin(calibration.table["customer_id"])]
    actual = known.assign(day=known["order_date"].dt.normalize()).groupby("customer_id")["day"].nunique().sum()
    predicted = calibration.table["expected_purchases"].sum()
    assert predicted == pytest.approx(actual, rel=0.05)  # measured -0.7% (BG/NBD: +6.6%)


def test_spend_model_falls_back_when_repeat_spend_is_all_returned() -> None:
    rows = []
    for i in range(40):
        rows += [(f"c{i}", "2024-01-01", 10.0, False), (f"c{i}", f"2024-02-{1 + i % 20:02d}", 10.0 + i, False)]
        if i >= 5:
            rows.append((f"c{i}", "2024-03-01", -(20.0 + i), True))
    rows += [(f"n{i}", f"2024-01-{1 + i % 28:02d}", 12.0, False) for i in range(60)]
    result = customer_value(orders(*rows), as_of="2024-03-31")
    assert result.method == "mbgnbd_gamma_gamma"
    assert result.gamma_gamma is None
    assert AnalysisNote("spend_model_fallback", {"count": 5, "minimum": 30}) in result.notes
    table = result.table.set_index("customer_id")
    assert table.loc["c0", "expected_aov"] == pytest.approx(10.0)  # (10 + 10) net over 2 purchases
    assert table.loc["c7", "expected_aov"] == 0.0  # all returned


def test_spend_model_with_no_finite_mean_falls_back_to_history() -> None:
    spend = np.round(np.exp(np.random.default_rng(3).normal(2, 3, 40)), 2) + 0.01  # wildly spread spend
    rows = [(f"c{i}", "2024-01-01", 10.0, False) for i in range(40)]
    rows += [(f"c{i}", "2024-01-10", float(amount), False) for i, amount in enumerate(spend)]
    result = customer_value(orders(*rows), as_of="2024-01-31")
    assert result.gamma_gamma.q < 1
    assert AnalysisNote("spend_model_heavy_tail", {"q": round(result.gamma_gamma.q, 3)}) in result.notes
    table = result.table.set_index("customer_id")
    assert table["expected_aov"].tolist() == pytest.approx((table["net_revenue"] / 2).tolist())  # 2 purchases each


def test_one_customer_on_one_day() -> None:
    result = customer_value(orders(("A", "2024-01-01", 10.0, False), ("A", "2024-01-01", 5.0, False)))
    assert result.method == "historical_average"
    assert AnalysisNote("single_order_date", {"date": "2024-01-01"}) in result.notes
    row = result.table.iloc[0]
    assert (row["frequency"], row["T"], row["expected_purchases"], row["expected_aov"]) == (0, 1 / 7, 0.0, 15.0)


DEFAULTS = {"horizon_days": 365, "discount_rate": 0.0, "min_repeat_buyers": 30, "purchase_model": "mbgnbd"}


@pytest.mark.parametrize(
    ("kwargs", "code", "detail"),
    [
        ({"time_unit": "month"}, "invalid_time_unit", {"time_unit": "month"}),
        ({"horizon_days": 0}, "invalid_clv_settings", {**DEFAULTS, "horizon_days": 0}),
        ({"discount_rate": -0.1}, "invalid_clv_settings", {**DEFAULTS, "discount_rate": -0.1}),
        ({"purchase_model": "pareto"}, "invalid_clv_settings", {**DEFAULTS, "purchase_model": "pareto"}),
    ],
)
def test_invalid_settings(kwargs: dict, code: str, detail: dict) -> None:
    with pytest.raises(SchemaError) as caught:
        customer_value(TINY, **kwargs)
    assert caught.value.code == code
    assert caught.value.details == detail


def test_histogram_of_predicted_value(shop_value: CLVResult) -> None:
    labels = {"title": "客户价值", "predicted_value": "预测价值", "customers": "客户数"}
    figure = clv_histogram_figure(shop_value, labels)
    assert len(figure.data) == 1
    bars = figure.data[0]
    assert bars.name == "预测价值" and bars.nbinsx == 40
    assert list(bars.x) == pytest.approx(shop_value.table["predicted_value"].tolist())
    assert figure.layout.title.text == "客户价值" and figure.layout.yaxis.title.text == "客户数"
