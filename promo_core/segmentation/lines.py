"""Customer order lines as flat arrays: the shared first step of RFM, segment moves and CLV.

Guest lines (no customer id) and lines after the analysis date are left out and counted, never
dropped silently. Dates are whole days: ``as_of`` is inclusive (orders on that day count) and
defaults to the day after the last order, as the RFM convention has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.tables import require_columns

REQUIRED_COLUMNS = ("customer_id", "order_date", "amount")


@dataclass(frozen=True)
class AnalysisNote:
    """Something an analysis decided or noticed, as a translatable code and its parameters."""

    code: str
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CustomerLines:
    """Per-line arrays of the customer lines up to ``as_of``; ``customer`` indexes ``customer_ids``."""

    customer_ids: pd.Index
    customer: np.ndarray
    day: np.ndarray  # whole days since 1970-01-01
    amount: np.ndarray
    purchase: np.ndarray  # False for returns (is_return or a negative amount)
    new_order: np.ndarray  # True on the first purchase line of each order (order id, or the day without one)
    as_of: pd.Timestamp
    guest_lines: int
    future_lines: int
    zero_amount_lines: int

    @property
    def as_of_day(self) -> int:
        """``as_of`` in the unit of ``day``."""
        return _days(self.as_of)

    def notes(self) -> tuple[AnalysisNote, ...]:
        """What was left out or looks unusual, for the user to see."""
        found = (
            ("guest_lines_excluded", self.guest_lines),
            ("future_lines_excluded", self.future_lines),
            ("zero_amount_lines", self.zero_amount_lines),
        )
        notes = [AnalysisNote(code, {"count": n}) for code, n in found if n]
        days = self.day[self.purchase]
        if days.size and days.min() == days.max():
            notes.append(AnalysisNote("single_order_date", {"date": _date(days[0])}))
        return tuple(notes)


def customer_lines(orders: pd.DataFrame, as_of: object = None) -> CustomerLines:
    """Validate a canonical orders frame and keep the customer lines on or before ``as_of``."""
    require_columns(orders, REQUIRED_COLUMNS)
    dates = _order_dates(orders["order_date"])
    all_days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    as_of_ts = _as_of(as_of, all_days)
    ids = orders["customer_id"]
    guest = (ids.isna() | (ids.astype("str") == "")).to_numpy()
    future = all_days > _days(as_of_ts)
    keep = ~guest & ~future
    if not keep.any():
        raise InsufficientDataError(
            f"No order line has a customer_id on or before {as_of_ts.date()} ({int(guest.sum())} guest lines, "
            f"{int((future & ~guest).sum())} later lines); map the customer column or choose a later analysis date.",
            code="no_customer_orders",
            guest_lines=int(guest.sum()),
            future_lines=int((future & ~guest).sum()),
            as_of=str(as_of_ts.date()),
        )
    amount = _amounts(orders["amount"][keep])
    is_return = orders["is_return"].to_numpy(dtype=bool)[keep] if "is_return" in orders else np.zeros(len(amount), bool)
    purchase = ~is_return & ~(amount < 0)
    day = all_days[keep]
    codes, uniques = pd.factorize(ids[keep].astype("str"), sort=True)
    order_ids = orders["order_id"][keep] if "order_id" in orders else None
    return CustomerLines(
        customer_ids=pd.Index(uniques, name="customer_id"),
        customer=codes.astype(np.int64),
        day=day,
        amount=amount,
        purchase=purchase,
        new_order=_new_orders(order_ids, codes, day, purchase),
        as_of=as_of_ts,
        guest_lines=int(guest.sum()),
        future_lines=int((future & ~guest).sum()),
        zero_amount_lines=int((purchase & (amount == 0)).sum()),
    )


def _order_dates(dates: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise SchemaError(
            f"Column 'order_date' holds {dates.dtype} values, not dates; load the file with load_table so "
            "dates are parsed.",
            code="not_dates",
            column="order_date",
        )
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    _check_complete(dates, "order_date")
    return dates


def _amounts(amount: pd.Series) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(amount) or pd.api.types.is_bool_dtype(amount):
        raise SchemaError(
            f"Column 'amount' holds {amount.dtype} values, not numbers; load the file with load_table so "
            "amounts are parsed.",
            code="not_numbers",
            column="amount",
        )
    _check_complete(amount, "amount")
    return amount.to_numpy(dtype=np.float64)


def _check_complete(values: pd.Series, column: str) -> None:
    empty = values.isna()
    if empty.any():
        row = empty.idxmax()
        raise SchemaError(
            f"Column '{column}' is empty in {int(empty.sum())} lines, first at row {row}; fill or "
            "remove those rows (load_table drops them for you).",
            code="missing_values",
            column=column,
            row=row,
            count=int(empty.sum()),
        )


def _as_of(as_of: object, days: np.ndarray) -> pd.Timestamp:
    if as_of is None:
        if days.size == 0:
            raise InsufficientDataError(
                "The orders table has no rows; upload an orders file with at least one line.",
                code="no_orders",
            )
        return pd.Timestamp(np.datetime64(int(days.max()) + 1, "D"))
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as error:
        raise SchemaError(
            f"The analysis date {as_of!r} is not a date; give it as YYYY-MM-DD.",
            code="bad_date",
            value=str(as_of),
        ) from error
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def _new_orders(order_ids: pd.Series | None, customer: np.ndarray, day: np.ndarray, purchase: np.ndarray) -> np.ndarray:
    """True on the first purchase line of each of a customer's orders: an order id, or a day without one."""
    key = day.min() - day - 1  # negative: days never collide with order id codes
    if order_ids is not None:
        codes = pd.factorize(order_ids)[0]
        key = np.where(codes >= 0, codes, key)
    buys = np.flatnonzero(purchase)
    key = key[buys] - key.min()
    repeated = pd.Series(customer[buys] * (key.max(initial=0) + 1) + key).duplicated().to_numpy()
    first = np.zeros(len(customer), dtype=bool)
    first[buys[~repeated]] = True
    return first


def _days(stamp: pd.Timestamp) -> int:
    return int(np.datetime64(stamp.normalize().to_datetime64(), "D").astype(np.int64))


def _date(day: int | np.integer) -> str:
    return str(np.datetime64(int(day), "D"))
