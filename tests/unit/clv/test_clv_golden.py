"""CDNOW golden numbers: the published BG/NBD, MBG/NBD and Gamma-Gamma fits (data and sources in tests/golden/cdnow/)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from promo_core.clv import (
    customer_value,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    purchase_summary,
)

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "cdnow"
PUBLISHED = json.loads((GOLDEN / "published.json").read_text())


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    raw = pd.read_csv(
        GOLDEN / "CDNOW_sample.txt", sep=r"\s+", header=None, names=["master_id", "id", "date", "cds", "amount"],
        dtype={"date": "str"},
    )
    return pd.DataFrame({
        "customer_id": raw["id"].astype("str"),
        "order_date": pd.to_datetime(raw["date"], format="%Y%m%d"),
        "item_id": "cd",
        "amount": raw["amount"].astype(float),
        "quantity": raw["cds"].astype(float),
        "is_return": False,
    })


def test_bgnbd_reproduces_the_published_cdnow_fit(summary: pd.DataFrame) -> None:
    published = PUBLISHED["bgnbd"]
    fit = fit_bgnbd(summary["x"], summary["t_x"], summary["T"])
    assert fit.n_customers == published["customers"] == 2357
    assert fit.converged
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit, name) == pytest.approx(published[name], abs=1e-3), name
    assert fit.log_likelihood == pytest.approx(published["log_likelihood"], abs=0.05)


def test_bgnbd_summary_file_gives_the_same_fit(summary: pd.DataFrame) -> None:
    other = pd.read_csv(GOLDEN / "cdnow_customers_summary.csv")
    assert other[["frequency", "recency", "T"]].to_numpy().tolist() == summary[["x", "t_x", "T"]].to_numpy().tolist()


def test_conditional_expectation_of_the_worked_example(summary: pd.DataFrame) -> None:
    example = PUBLISHED["bgnbd_conditional_expectation"]
    fit = fit_bgnbd(summary["x"], summary["t_x"], summary["T"])
    expected = fit.expected_purchases(example["t"], example["frequency"], example["recency"], example["T"])
    assert float(expected) == pytest.approx(example["expected_purchases"], abs=5e-4)


def test_gamma_gamma_reproduces_the_published_spend_model(summary: pd.DataFrame) -> None:
    published = PUBLISHED["gamma_gamma"]
    fit = fit_gamma_gamma(summary["x"], summary["zbar"])
    assert fit.n_customers == published["customers"] == 946
    assert fit.converged
    for name in ("p", "q", "v"):
        assert getattr(fit, name) == pytest.approx(published[name], abs=0.01), name


def test_summary_from_raw_transactions_matches_the_published_summary(
    transactions: pd.DataFrame, summary: pd.DataFrame
) -> None:
    ours = purchase_summary(transactions, as_of="1997-09-30", time_unit="week")
    theirs = summary.assign(ID=summary["ID"].astype("str")).set_index("ID").loc[ours["customer_id"]]
    assert len(ours) == 2357
    assert ours["frequency"].tolist() == theirs["x"].tolist()
    # the published file rounds weeks and dollars to 2 decimals
    assert (ours["recency"].to_numpy() - theirs["t_x"].to_numpy()) == pytest.approx(0, abs=0.005)
    assert (ours["T"].to_numpy() - theirs["T"].to_numpy()) == pytest.approx(0, abs=0.005)
    assert (ours["monetary_value"].to_numpy() - theirs["zbar"].to_numpy()) == pytest.approx(0, abs=0.0051)


def test_mbgnbd_reproduces_the_btydplus_cdnow_fit(summary: pd.DataFrame) -> None:
    fit = fit_mbgnbd(summary["x"], summary["t_x"], summary["T"])
    assert fit.model == "mbgnbd" and fit.converged and not fit.degenerate
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit, name) == pytest.approx(PUBLISHED["mbgnbd"][name], abs=1e-3), name
    bgnbd = fit_bgnbd(summary["x"], summary["t_x"], summary["T"])
    assert fit.log_likelihood == pytest.approx(-9582.13, abs=0.01)  # measured; BG/NBD's is -9582.43
    assert fit.log_likelihood > bgnbd.log_likelihood


def test_mbgnbd_lets_one_time_buyers_drop_out(summary: pd.DataFrame) -> None:
    """P(alive) of a one-time buyer 38.86 weeks after the first purchase: 1 under BG/NBD, below 1 under MBG/NBD."""
    mbgnbd = fit_mbgnbd(summary["x"], summary["t_x"], summary["T"])
    bgnbd = fit_bgnbd(summary["x"], summary["t_x"], summary["T"])
    r, alpha, a, b = (PUBLISHED["mbgnbd"][n] for n in ("r", "alpha", "a", "b"))
    by_hand = 1 / (1 + a / b * ((alpha + 38.86) / alpha) ** r)  # Batislam et al. (2007), appendix A, eq. 5
    assert float(mbgnbd.p_alive(0, 0.0, 38.86)) == pytest.approx(by_hand, abs=1e-3) == pytest.approx(0.390, abs=1e-3)
    assert float(bgnbd.p_alive(0, 0.0, 38.86)) == 1.0
    example = PUBLISHED["bgnbd_conditional_expectation"]
    expected = mbgnbd.expected_purchases(example["t"], example["frequency"], example["recency"], example["T"])
    assert float(expected) == pytest.approx(1.263, abs=1e-3)  # lifetimes checks it within 0.05 of BG/NBD's 1.226


def test_customer_value_end_to_end_on_cdnow(transactions: pd.DataFrame) -> None:
    published = PUBLISHED["bgnbd"]
    result = customer_value(
        transactions, horizon_days=39 * 7, as_of="1997-09-30", time_unit="week", purchase_model="bgnbd"
    )
    assert result.method == "bgnbd_gamma_gamma"
    assert result.excluded_future_lines == 1959  # the 39 weeks after the calibration period
    for name in ("r", "alpha", "a", "b"):
        assert getattr(result.bgnbd, name) == pytest.approx(published[name], abs=1e-3), name
    assert result.gamma_gamma.q == pytest.approx(PUBLISHED["gamma_gamma"]["q"], abs=0.01)
    one = result.table.set_index("customer_id").loc["1"]  # x=2, t_x=30.43, T=38.86: the worked example
    assert one["expected_purchases"] == pytest.approx(PUBLISHED["bgnbd_conditional_expectation"]["expected_purchases"], abs=1e-3)


def test_customer_value_uses_mbgnbd_by_default(transactions: pd.DataFrame) -> None:
    result = customer_value(transactions, horizon_days=39 * 7, as_of="1997-09-30", time_unit="week")
    assert result.method == "mbgnbd_gamma_gamma" and result.bgnbd.model == "mbgnbd"
    for name in ("r", "alpha", "a", "b"):
        value = PUBLISHED["mbgnbd"][name]
        assert getattr(result.bgnbd, name) == pytest.approx(value, abs=1e-3), name
    one_time = result.table.loc[result.table["frequency"] == 0, "p_alive"]
    assert len(one_time) == 1411  # 2357 customers, 946 repeat buyers
    assert one_time.min() == pytest.approx(0.390, abs=1e-3) and one_time.max() == pytest.approx(0.428, abs=1e-3)
