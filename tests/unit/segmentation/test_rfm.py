"""RFM scores and named segments, checked against a table worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from promo_core import SchemaError, load_table
from promo_core.segmentation import (
    DEFAULT_SEGMENT_RULES,
    UNASSIGNED,
    AnalysisNote,
    SegmentRule,
    rfm_table,
    rules_frame,
    segment_customers,
)
from promo_core.segmentation.rfm import quintile_scores, segment_grid

# customer, order id, date, amount, is_return  (None customer: a guest line; None order id: no id in the file)
LINES = [
    ("A", "a1", "2024-01-01", 10.0, False),
    ("A", "a1", "2024-01-01", 20.0, False),  # second line of the same order
    ("A", "ret1", "2024-01-05", -5.0, True),
    ("A", "a2", "2024-01-10", 30.0, False),
    ("B", "b1", "2024-01-05", 40.0, False),
    ("B", "b2", "2024-01-05", 15.0, False),  # a second order on the same day
    ("C", "ret2", "2024-01-08", -12.0, True),  # only a return
    ("D", "d1", "2024-01-02", 100.0, False),
    ("D", "d2", "2024-01-03", 0.0, False),  # a free gift: zero amount, still an order
    ("E", "e1", "2024-01-09", 5.0, False),
    ("F", None, "2024-01-03", 8.0, False),  # no order ids: orders are purchase days
    ("F", None, "2024-01-03", 7.0, False),
    ("F", None, "2024-01-07", 9.0, False),
    (None, "g1", "2024-01-04", 99.0, False),  # guest checkout
]

# Worked out by hand; default as_of is the day after the last order: 2024-01-11.
# R orders customers by -recency: D(8) B(6) F(4) C(3) E(2) A(1); six customers fill the scores 1 2 3 3 4 5.
# F: C(0) E(1) then frequency 2 by monetary: F(24) B(55) A(55) D(100); B before A because B is less recent.
# M: C(-12) E(5) F(24) B(55) A(55) D(100) with the same tie rule.
EXPECTED = pd.DataFrame({
    "customer_id": ["A", "B", "C", "D", "E", "F"],
    "recency_days": [1, 6, 3, 8, 2, 4],
    "frequency": [2, 2, 0, 2, 1, 2],
    "monetary": [55.0, 55.0, -12.0, 100.0, 5.0, 24.0],
    "r_score": [5, 2, 3, 1, 4, 3],
    "f_score": [4, 3, 1, 5, 2, 3],
    "m_score": [4, 3, 1, 5, 2, 3],
    "segment": ["champions", "at_risk", "about_to_sleep", "cant_lose", "potential_loyalist", "needs_attention"],
    "returns_only": [False, False, True, False, False, False],
})


def tiny_orders() -> pd.DataFrame:
    frame = pd.DataFrame(LINES, columns=["customer_id", "order_id", "order_date", "amount", "is_return"])
    return frame.assign(order_date=pd.to_datetime(frame["order_date"]), item_id="SKU1")


def test_hand_computed_table() -> None:
    table = rfm_table(tiny_orders())
    pd.testing.assert_frame_equal(table, EXPECTED.astype({"customer_id": "str", "segment": "str"}))


def test_hand_computed_notes_and_counts() -> None:
    result = segment_customers(tiny_orders())
    assert result.as_of == pd.Timestamp("2024-01-11")
    assert result.excluded_guest_lines == 1
    assert result.excluded_future_lines == 0
    assert result.notes == (
        AnalysisNote("guest_lines_excluded", {"count": 1}),
        AnalysisNote("zero_amount_lines", {"count": 1}),
        AnalysisNote("returns_only_customers", {"count": 1}),
        AnalysisNote("non_positive_monetary", {"count": 1}),
        AnalysisNote("few_customers_for_scores", {"customers": 6, "minimum": 10}),
    )


def test_same_table_through_the_loader() -> None:
    csv = (
        "order_id,customer_id,order_date,item_id,quantity,amount\n"
        "a1,A,2024-01-01,S,1,10\na1,A,2024-01-01,S,2,20\nret1,A,2024-01-05,S,-1,-5\na2,A,2024-01-10,S,1,30\n"
        "b1,B,2024-01-05,S,1,40\nb2,B,2024-01-05,S,1,15\nret2,C,2024-01-08,S,-1,-12\n"
        "d1,D,2024-01-02,S,1,100\nd2,D,2024-01-03,S,1,0\ne1,E,2024-01-09,S,1,5\n"
        ",F,2024-01-03,S,1,8\n,F,2024-01-03,S,1,7\n,F,2024-01-07,S,1,9\ng1,,2024-01-04,S,1,99\n"
    )
    orders = load_table(csv.encode(), "orders").frame
    table = rfm_table(orders)
    pd.testing.assert_frame_equal(table, EXPECTED.astype({"customer_id": "str", "segment": "str"}))


def test_segment_summary_by_hand() -> None:
    summary = segment_customers(tiny_orders()).summary()
    assert summary["segment"].tolist() == [rule.segment for rule in DEFAULT_SEGMENT_RULES]
    row = summary.set_index("segment").loc["champions"]
    assert row["customers"] == 1
    assert row["share"] == pytest.approx(1 / 6)
    assert row["revenue"] == pytest.approx(55.0)
    assert row["revenue_share"] == pytest.approx(55 / 227)
    assert (row["mean_recency_days"], row["mean_frequency"], row["mean_monetary"]) == (1.0, 2.0, 55.0)
    assert summary["customers"].sum() == 6
    assert summary.set_index("segment").loc["lost", "customers"] == 0


def test_explicit_as_of_is_inclusive_and_later_orders_are_counted() -> None:
    result = segment_customers(tiny_orders(), as_of="2024-01-05")
    table = result.table.set_index("customer_id")
    assert sorted(table.index) == ["A", "B", "D", "F"]  # C's return and E's order come later
    assert table.loc["B", "recency_days"] == 0  # ordered on the analysis date itself
    assert table.loc["A", "monetary"] == 25.0  # 10 + 20 - 5
    assert result.excluded_future_lines == 4  # A on the 10th, C on the 8th, E on the 9th, F on the 7th
    assert AnalysisNote("future_lines_excluded", {"count": 4}) in result.notes


def test_scores_are_equal_fifths_with_heavy_ties() -> None:
    frequency = np.array([1] * 60 + [2] * 25 + [5] * 15)
    scores = quintile_scores(frequency, np.arange(100.0))
    assert np.bincount(scores).tolist() == [0, 20, 20, 20, 20, 20]
    assert scores[frequency == 5].min() == 5 and scores[frequency == 1].max() == 3


def test_scores_of_a_few_customers_spread_around_the_middle() -> None:
    assert quintile_scores(np.array([7.0])).tolist() == [3]
    assert quintile_scores(np.array([1.0, 2.0])).tolist() == [2, 4]
    assert quintile_scores(np.array([3.0, 1.0, 2.0])).tolist() == [5, 1, 3]
    assert quintile_scores(np.array([4.0, 4.0, 4.0])).tolist() == [3, 3, 3]


def test_default_rules_cover_every_cell_once_with_the_eleven_segments() -> None:
    grid = segment_grid(DEFAULT_SEGMENT_RULES)
    assert UNASSIGNED not in grid
    assert sorted(set(grid.ravel())) == sorted(
        ["champions", "loyal", "potential_loyalist", "new", "promising", "needs_attention", "about_to_sleep",
         "at_risk", "cant_lose", "hibernating", "lost"]
    )
    assert grid[4, 4] == "champions" and grid[4, 0] == "new" and grid[0, 0] == "lost" and grid[0, 4] == "cant_lose"


def test_edited_rules_from_a_table_first_match_wins_and_gaps_are_unassigned() -> None:
    edited = pd.DataFrame({
        "segment": ["vip", "recent"],
        "r_min": [4.0, 4],
        "r_max": [5, 5],
        "f_min": [4, 1],
        "f_max": [5, 5],
    })
    result = segment_customers(tiny_orders(), rules=edited)
    assert result.table["segment"].tolist() == ["vip", UNASSIGNED, UNASSIGNED, UNASSIGNED, "recent", UNASSIGNED]
    assert result.summary()["segment"].tolist() == ["vip", "recent", UNASSIGNED]
    assert AnalysisNote("unassigned_customers", {"count": 4}) in result.notes
    assert result.rules == (SegmentRule("vip", 4, 5, 4, 5), SegmentRule("recent", 4, 5, 1, 5))


def test_rules_round_trip_through_the_editable_table() -> None:
    frame = rules_frame()
    assert frame.columns.tolist() == ["segment", "r_min", "r_max", "f_min", "f_max"]
    assert segment_customers(tiny_orders(), rules=frame).rules == DEFAULT_SEGMENT_RULES


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("r_min", 0, "Segment rule 2 has 0 in column 'r_min'; use a whole score from 1 to 5."),
        ("f_max", 2.5, "Segment rule 2 has 2.5 in column 'f_max'; use a whole score from 1 to 5."),
        ("f_min", None, "Segment rule 2 has None in column 'f_min'; use a whole score from 1 to 5."),
        ("segment", " ", "Segment rule 2 has no segment name in column 'segment'"),
        ("r_min", 5, "Segment rule 2 (loyal) has r_min=5 above r_max=4; swap them."),
    ],
)
def test_invalid_rule_cells_name_the_row_and_column(column: str, value: object, message: str) -> None:
    frame = rules_frame()
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = value
    with pytest.raises(SchemaError) as caught:
        segment_customers(tiny_orders(), rules=frame)
    assert caught.value.code == "invalid_segment_rule"
    assert caught.value.details == {"row": 2, "column": column}
    assert message in str(caught.value)


def test_rule_table_without_its_columns_is_rejected() -> None:
    with pytest.raises(SchemaError) as caught:
        segment_customers(tiny_orders(), rules=pd.DataFrame({"segment": ["x"], "r_min": [1]}))
    assert caught.value.code == "invalid_segment_rules"
    assert caught.value.details["columns"] == "r_max, f_min, f_max"


def test_a_purchase_returned_in_full_nets_to_exactly_zero() -> None:
    lines = [
        ("A", "a1", "2024-01-01", 0.1, False), ("A", "a1", "2024-01-01", 0.2, False), ("A", "r1", "2024-01-02", -0.3, True),
    ]
    frame = pd.DataFrame(lines, columns=["customer_id", "order_id", "order_date", "amount", "is_return"])
    assert 0.1 + 0.2 - 0.3 != 0  # 5.6e-17: the float residue a plain sum leaves
    table = rfm_table(frame.assign(order_date=pd.to_datetime(frame["order_date"]), item_id="S"))
    assert table["monetary"].tolist() == [0.0]
