"""Safe CSV and Excel exports of any result table.

A cell that starts with ``= + - @``, a tab or a carriage return is read as a formula by Excel and
other spreadsheets (OWASP "CSV injection"); such text gets a leading apostrophe. Plain numbers
(``-12.5``) are left alone because they cannot be formulas, and numeric columns stay numeric. CSV
is UTF-8 with a BOM so that Excel shows Chinese names correctly on double-click.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from promo_core.errors import InputError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
EXCEL_MAX_ROWS = 1_048_575
EXCEL_MAX_CELL = 32_767


def neutralise(value: object) -> object:
    """The cell as a spreadsheet will show it, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header neutralised; numbers, dates and flags untouched."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[column] = values.map(neutralise).astype(object)
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[column] = values.astype(object).map(neutralise)
    out.columns = [neutralise(str(column)) for column in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM) CSV bytes that Excel opens with Chinese intact and no formula in any cell.

    Lines end in CRLF as RFC 4180 and Excel expect; it also makes the writer quote a lone carriage
    return inside a cell, which would otherwise split the row.
    """
    text = safe_frame(frame).to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "PromoLens") -> bytes:
    """XLSX bytes with real number and date cells; text is never turned into a formula or link."""
    if len(frame) > EXCEL_MAX_ROWS:
        raise InputError(
            f"{len(frame):,} rows do not fit in one Excel sheet ({EXCEL_MAX_ROWS:,} at most). Export CSV instead.",
            code="excel_too_many_rows",
            count=len(frame),
        )
    out = safe_frame(frame)
    for column in out.columns:
        values = out[column]
        if values.dtype == object:
            lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
            if len(lengths) and lengths.max() > EXCEL_MAX_CELL:
                raise InputError(
                    f"Column {column!r}, row {int(lengths.idxmax()) + 2}: a cell has {int(lengths.max()):,} "
                    f"characters; Excel holds {EXCEL_MAX_CELL:,} at most. Export CSV instead.",
                    code="excel_cell_too_long",
                    column=str(column),
                    row=int(lengths.idxmax()) + 2,
                )
        elif isinstance(values.dtype, pd.DatetimeTZDtype):
            out[column] = values.dt.tz_localize(None)
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        out.to_excel(writer, sheet_name=sheet_name[:31], index=False)
        sheet = writer.sheets[sheet_name[:31]]
        for position, column in enumerate(out.columns):
            width = min(60, max(10, len(str(column)) + 2))
            sheet.set_column(position, position, width)
        sheet.freeze_panes(1, 0)
    return buffer.getvalue()
