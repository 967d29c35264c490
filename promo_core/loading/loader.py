"""``load_table``: from an upload to a validated canonical frame, with every problem accounted for.

Rows are dropped only when a value the analysis cannot do without is missing or unreadable; other
unreadable values are emptied, and an unreadable amount is recomputed as quantity × unit price when
the row has both. All are listed in ``problems`` (row, column, value, reason, and the action that
finally happened) so a marketer can download them, fix the export and upload again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from promo_core.errors import SchemaError
from promo_core.loading.columns import check_required, match_columns
from promo_core.loading.schema import TableSpec, table_spec
from promo_core.loading.source import Limits, RawTable, Source, read_bytes, read_raw
from promo_core.loading.values import PARSERS

PROBLEM_COLUMNS = ["file", "row", "column", "source_column", "value", "reason", "action"]
_TEXT_TYPES = frozenset({"id", "text", "category", "bool"})
_REASONS = {
    "number": "not_a_number",
    "date": "not_a_date",
    "bool": "not_yes_no",
    "id": "invalid",
    "text": "invalid",
    "category": "invalid",
}


@dataclass(frozen=True)
class Note:
    """Something the loader decided or noticed that the user should know, as a translatable code."""

    code: str
    count: int = 0
    column: str = ""


@dataclass(frozen=True, eq=False)
class SourceInfo:
    """How the file was read."""

    name: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    rows_read: int
    headers: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class LoadedTable:
    """A validated canonical table, how it was read, and every row problem.

    ``frame`` holds canonical columns (typed) first, then the file's other columns unchanged.
    ``row_numbers`` gives, for each frame row, its row number in the file as a spreadsheet shows it.
    ``problem_rows`` holds the original cells of every row that has a problem, for download.
    """

    kind: str
    frame: pd.DataFrame
    mapping: dict[str, str]
    problems: pd.DataFrame
    problem_rows: pd.DataFrame
    source: SourceInfo
    notes: tuple[Note, ...] = ()
    row_numbers: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @property
    def rows_dropped(self) -> int:
        """Rows of the file that are not in ``frame``."""
        dropped = self.problems[self.problems["action"] == "dropped"]
        return int(dropped[["file", "row"]].drop_duplicates().shape[0])


def load_table(
    source: Source,
    kind: str = "orders",
    mapping: Mapping[str, str | None] | None = None,
    *,
    limits: Limits | None = None,
    name: str | None = None,
) -> LoadedTable:
    """Read a CSV/TSV/XLSX upload as a canonical table of ``kind``.

    ``source`` is a path, bytes or a binary file object. ``mapping`` (``{canonical: source column}``)
    overrides the automatic column recognition. Raises ``InputError`` when the file cannot be read
    and ``SchemaError`` when required columns are missing or a mapped column holds no usable value.
    """
    limits = limits or Limits()
    spec = table_spec(kind)
    data, file_name = read_bytes(source, limits)
    file_name = name or file_name

    def text_columns(headers: list[str]) -> frozenset[str]:
        chosen = match_columns(headers, spec, mapping)
        return frozenset(src for canon, src in chosen.items() if spec.column(canon).type in _TEXT_TYPES)

    raw = read_raw(data, file_name, limits, text_columns)
    headers = [str(h) for h in raw.frame.columns]
    chosen = match_columns(headers, spec, mapping)
    check_required(headers, spec, chosen)
    return _canonicalise(raw, spec, chosen, file_name)


def _canonicalise(raw: RawTable, spec: TableSpec, chosen: dict[str, str], file_name: str) -> LoadedTable:
    source_frame, rows = raw.frame, raw.row_numbers
    empty_rows = source_frame.isna().all(axis=1).to_numpy()
    notes = [Note("empty_rows_skipped", int(empty_rows.sum()))] if empty_rows.any() else []
    frame, problems, parse_notes = _parse_columns(raw, spec, chosen, empty_rows, file_name)
    frame, extra_problems, extra_notes = _apply_semantics(spec.kind, frame, rows, file_name)
    problems += extra_problems
    drop, missing = _rows_to_drop(frame, spec, chosen, raw, empty_rows, _combine_problems(problems), file_name)
    problem_table = _settle_actions(_combine_problems([*problems, *missing, _unparsed_rows(raw, file_name)]), frame, rows, drop)
    extras = source_frame[[c for c in source_frame.columns if c not in chosen.values()]]
    extras = extras.rename(columns={c: f"{c}_source" for c in extras.columns if c in frame.columns})
    frame = pd.concat([frame, extras], axis=1)
    kept = ~drop
    return LoadedTable(
        kind=spec.kind,
        frame=frame[kept].reset_index(drop=True) if drop.any() else frame,
        mapping=dict(chosen),
        problems=problem_table,
        problem_rows=_problem_rows(source_frame, rows, problem_table),
        source=SourceInfo(
            name=file_name,
            file_format=raw.file_format,
            encoding=raw.encoding,
            delimiter=raw.delimiter,
            sheet=raw.sheet,
            rows_read=int(len(source_frame) - empty_rows.sum() + len(raw.bad_rows)),
            headers=tuple(str(h) for h in source_frame.columns),
        ),
        notes=(*notes, *parse_notes, *extra_notes, *_source_notes(raw)),
        row_numbers=rows[kept],
    )


def _parse_columns(
    raw: RawTable, spec: TableSpec, chosen: dict[str, str], empty_rows: np.ndarray, file_name: str
) -> tuple[pd.DataFrame, list[pd.DataFrame], list[Note]]:
    """Each mapped column in its type, and its unreadable cells (emptied for now: see ``_settle_actions``)."""
    source_frame, rows = raw.frame, raw.row_numbers
    columns: dict[str, pd.Series] = {}
    problems: list[pd.DataFrame] = []
    notes: list[Note] = []
    for canon, src in chosen.items():
        value_type = spec.column(canon).type
        values = source_frame[src]
        parsed = PARSERS[value_type](values)
        bad = parsed.bad & ~empty_rows
        nonblank = int((values.notna().to_numpy() & ~empty_rows).sum())
        if nonblank and bad.sum() == nonblank:
            _raise_unusable(canon, src, values, bad, rows, value_type, tuple(map(str, source_frame.columns)))
        columns[canon] = parsed.values
        if parsed.note:
            notes.append(Note(parsed.note, 0, canon))
        if bad.any():
            reasons = parsed.reasons(bad, _REASONS[value_type])
            problems.append(_problem_frame(file_name, rows[bad], canon, src, values[bad], reasons, "set_empty"))
    return pd.DataFrame(columns, index=source_frame.index), problems, notes


def _rows_to_drop(
    frame: pd.DataFrame,
    spec: TableSpec,
    chosen: dict[str, str],
    raw: RawTable,
    empty_rows: np.ndarray,
    listed: pd.DataFrame,
    file_name: str,
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Rows without a value the analysis cannot do without, and a problem for each not ``listed`` yet."""
    rows = raw.row_numbers
    drop = empty_rows.copy()
    missing_values: list[pd.DataFrame] = []
    for canon in frame.columns:
        if canon not in spec.names or not spec.column(canon).drop_if_missing:
            continue
        missing = frame[canon].isna().to_numpy() & ~empty_rows
        if (missing | empty_rows).all() and not empty_rows.all():
            _raise_nothing_usable(canon, chosen.get(canon, ""), rows[~empty_rows], tuple(map(str, raw.frame.columns)))
        new = missing & ~np.isin(rows, listed.loc[listed["column"] == canon, "row"].to_numpy())
        if new.any():
            source = chosen.get(canon, "")
            missing_values.append(_problem_frame(file_name, rows[new], canon, source, frame[canon][new], "missing_value", "dropped"))
        drop |= missing
    return drop, missing_values


def _unparsed_rows(raw: RawTable, file_name: str) -> pd.DataFrame:
    """Lines with the wrong number of fields: never parsed, so dropped."""
    return pd.DataFrame(
        {
            "file": file_name,
            "row": raw.bad_rows["row"].astype("int64"),
            "column": "",
            "source_column": "",
            "value": raw.bad_rows["value"].astype("str"),
            "reason": "wrong_field_count",
            "action": "dropped",
        }
    )


def _settle_actions(problems: pd.DataFrame, frame: pd.DataFrame, rows: np.ndarray, drop: np.ndarray) -> pd.DataFrame:
    """Each problem's action as it finally turned out, so that the report never contradicts the table.

    Parsing cannot know it: an unreadable amount may then be recomputed as quantity × unit price
    (its row kept), and a value emptied in a row later dropped for a missing date was not kept.
    """
    at = pd.Series(np.arange(len(rows)), index=rows).reindex(problems["row"]).to_numpy()
    located = ~np.isnan(at)
    action = problems["action"].to_numpy(copy=True)
    for column in problems.loc[located, "column"].unique():
        mine = located & (problems["column"] == column).to_numpy()
        here = at[mine].astype(np.int64)
        recomputed = frame[column].notna().to_numpy()[here]
        action[mine] = np.where(drop[here], "dropped", np.where(recomputed, "recomputed", "set_empty"))
    return problems.assign(action=action)


def _source_notes(raw: RawTable) -> tuple[Note, ...]:
    notes = []
    if raw.replaced_chars:
        notes.append(Note("undecodable_characters", raw.replaced_chars))
    for unique, original in raw.renamed_headers.items():
        notes.append(Note("duplicate_header_renamed", 0, f"{original} -> {unique}"))
    return tuple(notes)


def _raise_unusable(
    canon: str, src: str, values: pd.Series, bad: np.ndarray, rows: np.ndarray, kind: str, headers: tuple[str, ...]
) -> None:
    examples = ", ".join(f"row {r}: {str(v)[:30]!r}" for r, v in zip(rows[bad][:3], values[bad][:3]))
    raise SchemaError(
        f"Column {src!r} was used as {canon}, but none of its values can be read as a {kind} "
        f"({examples}). Choose another column for {canon} in the mapping, or fix the file.",
        code="column_unusable",
        column=src,
        canonical=canon,
        examples=examples,
        headers=headers,
    )


def _raise_nothing_usable(canon: str, src: str, rows: np.ndarray, headers: tuple[str, ...]) -> None:
    """A required column that is empty everywhere would silently drop every row."""
    where = f"column {src!r}" if src else "the file"
    raise SchemaError(
        f"No row has a usable {canon}: in {where}, rows {rows[0]}-{rows[-1]} are all empty or unreadable. "
        f"Choose another column for {canon} in the mapping, or fill it in the file.",
        code="column_empty",
        column=src,
        canonical=canon,
        headers=headers,
    )


def _problem_frame(
    file_name: str, rows: np.ndarray, canon: str, src: str, values: pd.Series, reason: str | np.ndarray, action: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": file_name,
            "row": np.asarray(rows, dtype=np.int64),
            "column": canon,
            "source_column": src,
            "value": values.astype("str").fillna("").to_numpy(),
            "reason": reason,
            "action": action,
        }
    )


def _combine_problems(problems: Sequence[pd.DataFrame]) -> pd.DataFrame:
    found = [p for p in problems if len(p)]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in PROBLEM_COLUMNS})
    table = pd.concat(found, ignore_index=True)[PROBLEM_COLUMNS]
    return table.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)


def _problem_rows(source_frame: pd.DataFrame, rows: np.ndarray, problems: pd.DataFrame) -> pd.DataFrame:
    """The original cells of every problem row, with the reasons first, for download."""
    if problems.empty:
        return pd.DataFrame(columns=["row", "reasons"])
    reasons = (
        problems.assign(text=lambda p: p["reason"] + np.where(p["column"] != "", " (" + p["column"] + ")", ""))
        .groupby("row", sort=True)["text"]
        .agg("; ".join)
    )
    position = pd.Series(np.arange(len(rows)), index=rows)
    in_frame = reasons.index[reasons.index.isin(position.index)]
    original = source_frame.iloc[position.loc[in_frame].to_numpy()].copy()
    original.insert(0, "reasons", reasons.loc[in_frame].to_numpy())
    original.insert(0, "row", in_frame.to_numpy())
    unparsed = problems[problems["reason"] == "wrong_field_count"]
    if len(unparsed):
        lines = pd.DataFrame({"row": unparsed["row"], "reasons": "wrong_field_count", "raw_line": unparsed["value"]})
        original = pd.concat([original, lines], ignore_index=True)
    return original.sort_values("row", kind="stable").reset_index(drop=True)


def _apply_semantics(
    kind: str, frame: pd.DataFrame, rows: np.ndarray, file_name: str
) -> tuple[pd.DataFrame, list[pd.DataFrame], list[Note]]:
    if kind == "orders":
        return _orders_semantics(frame)
    if kind == "reviews" and "rating" in frame:
        outside = (frame["rating"] < 0) | (frame["rating"] > 5)
        if outside.any():
            bad = outside.to_numpy()
            problem = _problem_frame(file_name, rows[bad], "rating", "rating", frame["rating"][bad], "out_of_range", "set_empty")
            frame = frame.assign(rating=frame["rating"].mask(outside))
            return frame, [problem], []
    return frame, [], []


_UCI_CANCELLATION = re.compile(r"^[Cc]\d+$")


def _orders_semantics(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[pd.DataFrame], list[Note]]:
    """Derive amounts and mark returns (negative quantity, negative amount, or a UCI ``C`` order id)."""
    notes: list[Note] = []
    if "quantity" in frame and "unit_price" in frame:
        derived = frame["quantity"] * frame["unit_price"]
        if "amount" not in frame:
            frame = frame.assign(amount=derived.round(2))
            notes.append(Note("amount_derived", int(derived.notna().sum())))
        else:
            fill = frame["amount"].isna() & derived.notna()
            if fill.any():
                frame = frame.assign(amount=frame["amount"].where(~fill, derived.round(2)))
                notes.append(Note("amount_filled", int(fill.sum()), "amount"))
    is_return = frame["amount"].lt(0).to_numpy(dtype=bool, na_value=False)
    if "quantity" in frame:
        is_return = is_return | frame["quantity"].lt(0).to_numpy(dtype=bool, na_value=False)
    if "order_id" in frame and _uses_cancellation_prefix(frame["order_id"]):
        is_return = is_return | frame["order_id"].str.match(_UCI_CANCELLATION).to_numpy(dtype=bool, na_value=False)
    frame = frame.assign(is_return=is_return)
    if is_return.any():
        frame = frame.assign(amount=frame["amount"].abs().where(~is_return, -frame["amount"].abs()))
        if "quantity" in frame:
            frame = frame.assign(quantity=frame["quantity"].abs().where(~is_return, -frame["quantity"].abs()))
        notes.append(Note("returns_marked", int(is_return.sum())))
    if "customer_id" in frame:
        anonymous = int(frame["customer_id"].isna().sum())
        if anonymous:
            notes.append(Note("rows_without_customer", anonymous, "customer_id"))
    if "order_date" in frame:
        future = int((frame["order_date"] > pd.Timestamp.now().normalize() + pd.Timedelta(days=1)).sum())
        if future:
            notes.append(Note("future_dates", future, "order_date"))
    return frame, [], notes


def _uses_cancellation_prefix(order_ids: pd.Series) -> bool:
    """Only a file whose other ids are plain numbers uses ``C123`` for cancellations (UCI style)."""
    sample = order_ids.dropna().head(20_000)
    if sample.empty or not sample.str.startswith(("C", "c")).any():
        return False
    cancelled = sample.str.match(_UCI_CANCELLATION)
    numeric = sample.str.fullmatch(r"\d+")
    return bool(cancelled.any()) and bool(numeric.mean() > 0.5)
