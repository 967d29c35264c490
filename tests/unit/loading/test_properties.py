"""Property tests: any small orders table round-trips through CSV and XLSX, amounts in either decimal
convention read exactly, and no row is lost silently."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promo_core import load_table

# Cells the CSV reader treats as missing, and float-looking ids that the loader deliberately
# turns from Excel's "17850.0" into "17850": neither is a value a round trip can keep.
_NULL_TOKENS = {"NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"}
_FLOAT_ID = re.compile(r"\d+\.0")

_CHARACTERS = st.one_of(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)
IDS = st.text(_CHARACTERS, min_size=1, max_size=12).filter(
    lambda s: s == s.strip() and s not in _NULL_TOKENS and not _FLOAT_ID.fullmatch(s)
)
NAMES = st.text(st.one_of(_CHARACTERS, st.sampled_from(",;|\"'\t\n")), min_size=1, max_size=20).filter(
    lambda s: s.strip() != "" and s.strip() not in _NULL_TOKENS and "\r" not in s
)
AMOUNTS = st.integers(min_value=-10**8, max_value=10**8).map(lambda cents: cents / 100)
DATES = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2035, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日 %H:%M:%S")
ORDER_ROWS = st.lists(st.tuples(IDS, DATES, IDS, NAMES, AMOUNTS), min_size=1, max_size=12)
HEADER = ["customer_id", "order_date", "item_id", "item_name", "amount"]

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _csv(rows: list[list[object]], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([HEADER, *rows])
    return buffer.getvalue()


@SETTINGS
@given(
    rows=ORDER_ROWS,
    date_format=st.sampled_from(DATE_FORMATS),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_orders_table_round_trips_through_csv(
    rows: list[tuple[str, dt.datetime, str, str, float]], date_format: str, newline: str, encoding: str
) -> None:
    text = _csv([[c, d.strftime(date_format), i, n, repr(a)] for c, d, i, n, a in rows], newline)
    table = load_table(text.encode(encoding), "orders")
    frame = table.frame
    assert table.problems.empty
    assert len(frame) == len(rows)
    assert table.row_numbers.tolist() == list(range(2, len(rows) + 2))
    assert frame["customer_id"].tolist() == [r[0] for r in rows]
    assert frame["order_date"].tolist() == [pd.Timestamp(r[1]) for r in rows]
    assert frame["item_id"].tolist() == [r[2] for r in rows]
    assert frame["item_name"].tolist() == [r[3] for r in rows]
    assert frame["amount"].tolist() == [r[4] for r in rows]
    assert frame["is_return"].tolist() == [r[4] < 0 for r in rows]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ORDER_ROWS)
def test_any_orders_table_round_trips_through_xlsx(rows: list[tuple[str, dt.datetime, str, str, float]]) -> None:
    source = pd.DataFrame([list(r) for r in rows], columns=HEADER)
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        source.to_excel(writer, index=False)
    table = load_table(buffer.getvalue(), "orders")
    frame = table.frame
    assert table.problems.empty
    assert len(frame) == len(rows)
    assert frame["customer_id"].tolist() == [r[0] for r in rows]
    assert frame["order_date"].tolist() == [pd.Timestamp(r[1]) for r in rows]
    assert frame["item_id"].tolist() == [r[2] for r in rows]
    assert frame["item_name"].tolist() == [r[3] for r in rows]
    assert frame["amount"].tolist() == [r[4] for r in rows]


def _written(cents: int, decimal: str, currency: str) -> str:
    """An amount as an export writes it: thousands grouped, two decimals, ``decimal`` as the mark."""
    us = f"{abs(cents) / 100:,.2f}"
    text = us if decimal == "." else us.replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if cents < 0 else "") + currency.format(text)


def _prices_csv(prices: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["item_id", "price"], *([f"S{n}", p] for n, p in enumerate(prices))])
    return buffer.getvalue().encode()


@SETTINGS
@given(
    cents=st.lists(st.integers(min_value=-10**9, max_value=10**9), min_size=3, max_size=12),
    decimal=st.sampled_from([".", ","]),
    currency=st.sampled_from(["{}", "¥{}", "{} €", "€{}", "EUR {}", "{}元"]),
    stray=st.integers(min_value=0, max_value=11),
)
def test_amounts_in_either_convention_are_read_exactly_and_a_stray_one_is_listed(
    cents: list[int], decimal: str, currency: str, stray: int
) -> None:
    """Every amount written like most of its column round-trips; one written the other way is listed, never scaled."""
    stray %= len(cents)
    other = "," if decimal == "." else "."
    written = [_written(c, other if n == stray else decimal, currency) for n, c in enumerate(cents)]
    table = load_table(_prices_csv(written), "items")
    prices = table.frame["price"].tolist()
    assert [p for n, p in enumerate(prices) if n != stray] == [c / 100 for n, c in enumerate(cents) if n != stray]
    assert pd.isna(prices[stray])
    assert table.problems[["row", "value", "reason"]].values.tolist() == [[stray + 2, written[stray], "unclear_decimal_mark"]]


# A defect spoils one cell of a row, or the row's shape; "ok" leaves it alone.
DEFECTS = st.sampled_from(
    ["ok", "ok", "ok", "no_customer", "no_date", "bad_date", "no_item", "bad_amount", "no_amount", "extra_field", "short_row"]
)
DROPPING = {"no_date", "bad_date", "no_item", "bad_amount", "no_amount", "extra_field", "short_row"}


def _spoil(row: list[str], defect: str) -> list[str]:
    cells = {
        "no_customer": (0, ""),
        "no_date": (1, ""),
        "bad_date": (1, "yesterday"),
        "no_item": (2, ""),
        "bad_amount": (4, "about ten"),
        "no_amount": (4, ""),
    }
    if defect in cells:
        position, value = cells[defect]
        row = row.copy()
        row[position] = value
    if defect == "extra_field":
        row = [*row, "surplus"]
    if defect == "short_row":
        row = row[:3]
    return row


@SETTINGS
@given(rows=ORDER_ROWS, defects=st.lists(DEFECTS, min_size=12, max_size=12))
def test_nothing_is_lost_silently(rows: list[tuple[str, dt.datetime, str, str, float]], defects: list[str]) -> None:
    defects = ["ok", *defects[: len(rows) - 1]]
    written = [
        _spoil([c, d.strftime("%Y-%m-%d %H:%M:%S"), i, f"row {n}", repr(a)], defect)
        for n, ((c, d, i, _, a), defect) in enumerate(zip(rows, defects))
    ]
    table = load_table(_csv(written, "\n").encode(), "orders")
    spreadsheet_rows = list(range(2, len(rows) + 2))
    expected_kept = [row for row, defect in zip(spreadsheet_rows, defects) if defect not in DROPPING]
    dropped = sorted(set(table.problems.loc[table.problems["action"] == "dropped", "row"]))

    assert table.source.rows_read == len(rows)
    assert len(table.frame) + table.rows_dropped == table.source.rows_read
    assert table.row_numbers.tolist() == expected_kept
    assert dropped == [row for row in spreadsheet_rows if row not in expected_kept]
    assert table.frame["item_name"].tolist() == [f"row {row - 2}" for row in expected_kept]
    assert set(table.problem_rows["row"]) == set(table.problems["row"])
    without_customer = sum(1 for row, d in zip(spreadsheet_rows, defects) if d == "no_customer")
    notes = {note.code: note.count for note in table.notes}
    assert notes.get("rows_without_customer", 0) == without_customer
