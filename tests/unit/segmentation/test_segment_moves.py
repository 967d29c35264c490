"""Segment moves between two dates: consistent with RFM at each date, counts add up, bad dates refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from promo_core import InsufficientDataError, SchemaError, load_table
from promo_core.segmentation import NOT_YET_CUSTOMER, DEFAULT_SEGMENT_RULES, rfm_table, segment_moves

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"


@pytest.fixture(scope="module")
def shop() -> pd.DataFrame:
    return load_table(SAMPLE / "orders.csv", "orders").frame


def test_moves_match_rfm_at_each_date(shop: pd.DataFrame) -> None:
    moves = segment_moves(shop, "2026-07-02", "2026-09-30")
    before = rfm_table(shop, as_of="2026-07-02").set_index("customer_id")["segment"]
    after = rfm_table(shop, as_of="2026-09-30").set_index("customer_id")["segment"]
    table = moves.customers.set_index("customer_id")
    assert table.index.tolist() == after.index.tolist()
    assert table["to_segment"].tolist() == after.tolist()
    assert table["from_segment"].loc[before.index].tolist() == before.tolist()
    newcomers = table.index.difference(before.index)
    assert len(newcomers) > 100
    assert (table.loc[newcomers, "from_segment"] == NOT_YET_CUSTOMER).all()
    assert (moves.start, moves.end) == (pd.Timestamp("2026-07-02"), pd.Timestamp("2026-09-30"))


def test_matrix_counts_add_up(shop: pd.DataFrame) -> None:
    moves = segment_moves(shop, "2026-07-02", "2026-09-30")
    codes = [rule.segment for rule in DEFAULT_SEGMENT_RULES]
    assert moves.matrix.index.tolist() == [NOT_YET_CUSTOMER, *codes]
    assert moves.matrix.columns.tolist() == codes
    assert int(moves.matrix.to_numpy().sum()) == len(moves.customers) == 5000
    counted = moves.customers.groupby(["from_segment", "to_segment"]).size()
    summary = moves.summary().set_index(["from_segment", "to_segment"])["customers"]
    assert summary.sort_index().tolist() == counted.sort_index().tolist()
    assert moves.matrix.loc[NOT_YET_CUSTOMER].sum() == (moves.customers["from_segment"] == NOT_YET_CUSTOMER).sum()


def test_by_hand() -> None:
    frame = pd.DataFrame({
        "customer_id": ["A", "A", "B", "C"],
        "order_id": ["1", "2", "3", "4"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-02-10"]),
        "amount": [10.0, 20.0, 5.0, 7.0],
        "is_return": False,
        "item_id": "S",
    })
    moves = segment_moves(frame, "2024-01-10", "2024-02-20")
    # 10 Jan, two customers score 2 or 4: A (9 days, 1 order, 10) R2 F4 at_risk; B (5 days, 1 order, 5) R4 F2
    # 20 Feb, three customers score 1, 3 or 5: A (19 days, 2 orders) R3 F5 loyal; B (46 days) R1 F1 lost;
    # C (10 days, 1 order of 7 > B's 5) R5 F3 potential_loyalist
    assert moves.customers.to_dict("list") == {
        "customer_id": ["A", "B", "C"],
        "from_segment": ["at_risk", "potential_loyalist", NOT_YET_CUSTOMER],
        "to_segment": ["loyal", "lost", "potential_loyalist"],
    }


def test_start_not_before_end(shop: pd.DataFrame) -> None:
    with pytest.raises(SchemaError) as caught:
        segment_moves(shop, "2026-09-30", "2026-09-30")
    assert caught.value.code == "start_not_before_end"
    assert caught.value.details == {"start": "2026-09-30", "end": "2026-09-30"}
    assert "pick an earlier start" in str(caught.value)


def test_start_before_the_first_order(shop: pd.DataFrame) -> None:
    with pytest.raises(InsufficientDataError) as caught:
        segment_moves(shop, "2020-01-01", "2026-09-30")
    assert caught.value.code == "no_customers_at_start"
    assert "No customer ordered on or before the start date 2020-01-01; pick a later start." == str(caught.value)
