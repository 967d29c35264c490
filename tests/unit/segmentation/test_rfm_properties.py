"""Properties of the RFM table on any orders: checked against a plain per-customer recount."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promo_core.segmentation import DEFAULT_SEGMENT_RULES, segment_customers

START = pd.Timestamp("2024-03-01")


@st.composite
def orders(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    n = draw(st.integers(1, 60))
    customers = draw(st.lists(st.sampled_from(["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", None]), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    amounts = draw(st.lists(st.sampled_from([-20.0, -3.5, 0.0, 1.0, 9.99, 50.0, 120.0]), min_size=n, max_size=n))
    order_ids = draw(st.lists(st.sampled_from(["o1", "o2", "o3", "o4", None]), min_size=n, max_size=n))
    frame = pd.DataFrame({
        "customer_id": pd.array(customers, dtype="str"),
        "order_id": pd.array(order_ids, dtype="str"),
        "order_date": START + pd.to_timedelta(days, unit="D") + pd.Timedelta(hours=13),
        "item_id": "SKU",
        "amount": amounts,
        "is_return": np.array(amounts) < 0,
    })
    if frame["customer_id"].isna().all():
        frame.loc[0, "customer_id"] = "c1"
    as_of = draw(st.none() | st.integers(min(days), 45).map(lambda d: START + pd.Timedelta(days=d)))
    if as_of is not None and not (frame["customer_id"].notna() & (frame["order_date"].dt.normalize() <= as_of)).any():
        as_of = None
    return frame, as_of


def recount(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Frequency and monetary by a per-customer loop, the slow obvious way."""
    rows = []
    known = frame[frame["customer_id"].notna() & (frame["order_date"].dt.normalize() <= as_of)]
    for customer, lines in known.groupby("customer_id"):
        buys = lines[~lines["is_return"]]
        keys = {oid if isinstance(oid, str) else f"day {d.date()}" for oid, d in zip(buys["order_id"], buys["order_date"])}
        rows.append((customer, len(keys), lines["amount"].sum()))
    return pd.DataFrame(rows, columns=["customer_id", "frequency", "monetary"])


@settings(max_examples=100, deadline=None)
@given(orders())
def test_rfm_table_properties(drawn: tuple[pd.DataFrame, pd.Timestamp | None]) -> None:
    frame, as_of = drawn
    result = segment_customers(frame, as_of=as_of)
    table = result.table
    cutoff = result.as_of
    expected = recount(frame, cutoff)

    assert table["customer_id"].tolist() == expected["customer_id"].tolist()  # one row per customer, sorted
    assert table["frequency"].tolist() == expected["frequency"].tolist()  # purchases only
    np.testing.assert_allclose(table["monetary"], expected["monetary"])  # net of returns
    customer_lines = frame["customer_id"].notna() & (frame["order_date"].dt.normalize() <= cutoff)
    assert table["monetary"].sum() == pytest.approx(frame.loc[customer_lines, "amount"].sum())
    for score in ("r_score", "f_score", "m_score"):
        values = table[score]
        assert values.notna().all() and values.between(1, 5).all()
        counts = np.bincount(values, minlength=6)[1:]
        assert values.nunique() == 1 or counts.max() - counts.min() <= 1  # equal fifths, or all 3
    assert (table["recency_days"] >= 0).all()
    assert table["segment"].isin([rule.segment for rule in DEFAULT_SEGMENT_RULES]).all()
    assert table["returns_only"].tolist() == (table["frequency"] == 0).tolist()
    assert result.excluded_guest_lines == int(frame["customer_id"].isna().sum())
    later = frame["customer_id"].notna() & (frame["order_date"].dt.normalize() > cutoff)
    assert result.excluded_future_lines == int(later.sum())
    assert result.summary()["customers"].sum() == len(table)
