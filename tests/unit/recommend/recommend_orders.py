"""Tiny canonical orders for hand-checked cases (a plain module: conftest files are not importable)."""

from __future__ import annotations

import pandas as pd


def tiny_orders(rows: list[tuple[str, str, str]], **extra: list) -> pd.DataFrame:
    """Canonical orders from (customer_id, item_id, date) triples, one order per triple."""
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id", "order_date"])
    frame = frame.assign(
        order_id=[f"O{i}" for i in range(len(frame))],
        order_date=pd.to_datetime(frame["order_date"]),
        quantity=1.0,
        amount=10.0,
        is_return=False,
        **extra,
    )
    return frame.astype({"customer_id": "str", "item_id": "str", "order_id": "str"})
