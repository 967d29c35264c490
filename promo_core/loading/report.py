"""The data report a marketer reads after an upload: what was read, kept, dropped and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from promo_core.errors import SchemaError
from promo_core.loading.loader import PROBLEM_COLUMNS, LoadedTable, Note, SourceInfo

_DATE_COLUMNS = ("order_date", "review_date", "timestamp")


@dataclass(frozen=True, eq=False)
class DataReport:
    """Counts behind one loaded table; metric codes are translated by the UI."""

    kind: str
    rows_read: int
    rows_kept: int
    rows_dropped: int
    values_emptied: int
    date_min: pd.Timestamp | None
    date_max: pd.Timestamp | None
    customers: int | None
    items: int | None
    rows_without_customer: int | None
    returns: int | None
    problems_by_reason: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """One row per metric (code, value) for display."""
        metrics = {
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_dropped": self.rows_dropped,
            "values_emptied": self.values_emptied,
            "date_min": self.date_min,
            "date_max": self.date_max,
            "customers": self.customers,
            "items": self.items,
            "rows_without_customer": self.rows_without_customer,
            "returns": self.returns,
        }
        return pd.DataFrame(
            [(code, value) for code, value in metrics.items() if value is not None],
            columns=["metric", "value"],
        )


def describe_table(table: LoadedTable) -> DataReport:
    """Summarise a loaded table: row counts, date range, customers, items, problems by reason."""
    frame = table.frame
    date_column = next((c for c in _DATE_COLUMNS if c in frame), None)
    dates = frame[date_column].dropna() if date_column else pd.Series(dtype="datetime64[ns]")
    problems = table.problems
    by_reason = (
        problems.assign(file_row=problems["file"] + ":" + problems["row"].astype("str"))
        .groupby(["reason", "column", "action"], dropna=False)
        .agg(rows=("file_row", "nunique"), example_row=("row", "min"), example_value=("value", "first"))
        .reset_index()
        .sort_values("rows", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return DataReport(
        kind=table.kind,
        rows_read=table.source.rows_read,
        rows_kept=len(frame),
        rows_dropped=table.rows_dropped,
        values_emptied=int((problems["action"] == "set_empty").sum()),
        date_min=dates.min() if len(dates) else None,
        date_max=dates.max() if len(dates) else None,
        customers=int(frame["customer_id"].nunique()) if "customer_id" in frame else None,
        items=int(frame["item_id"].nunique()) if "item_id" in frame else None,
        rows_without_customer=int(frame["customer_id"].isna().sum()) if "customer_id" in frame else None,
        returns=int(frame["is_return"].sum()) if "is_return" in frame else None,
        problems_by_reason=by_reason,
    )


def combine_tables(tables: Sequence[LoadedTable]) -> LoadedTable:
    """Several uploads of one kind as one table (e.g. a year of monthly order exports)."""
    if len(tables) == 1:
        return tables[0]
    kinds = sorted({t.kind for t in tables})
    if len(kinds) != 1:
        raise SchemaError(f"Tables of different kinds cannot be combined: {', '.join(kinds)}.", code="mixed_kinds")
    problems = pd.concat([t.problems for t in tables], ignore_index=True)[PROBLEM_COLUMNS]
    with_problems = [t.problem_rows.assign(file=t.source.name) for t in tables if len(t.problem_rows)]
    problem_rows = pd.concat(with_problems, ignore_index=True) if with_problems else tables[0].problem_rows
    notes: tuple[Note, ...] = tuple(note for t in tables for note in t.notes)
    mapping: dict[str, str] = {}
    for t in tables:
        for canon, src in t.mapping.items():
            mapping.setdefault(canon, src)
    return LoadedTable(
        kind=tables[0].kind,
        frame=pd.concat([t.frame for t in tables], ignore_index=True),
        mapping=mapping,
        problems=problems,
        problem_rows=problem_rows,
        source=SourceInfo(
            name=", ".join(t.source.name for t in tables),
            file_format="+".join(sorted({t.source.file_format for t in tables})),
            encoding="+".join(sorted({t.source.encoding or "-" for t in tables})),
            delimiter=None,
            sheet=None,
            rows_read=sum(t.source.rows_read for t in tables),
            headers=tuple(dict.fromkeys(h for t in tables for h in t.source.headers)),
        ),
        notes=notes,
        row_numbers=np.concatenate([t.row_numbers for t in tables]),
    )
