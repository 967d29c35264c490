"""Parse the values real exports contain into canonical types, and say which ones failed.

Every parser takes a column as read (strings, numbers or Excel datetimes) and returns the parsed
column plus a mask of cells that had a value but could not be read, so the loader can list them.
Strings are parsed once per distinct value (``factorize``), which keeps a million-row column with a
few thousand distinct prices or dates fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

_CURRENCY = re.compile(r"(?:RMB|CNY|USD|EUR|GBP|HKD|JPY)|[¥￥$€£₩₹元円\s\u00a0'’]", re.IGNORECASE)
# A thousands separator is only ever followed by exactly three digits ("1,234", "1.234.567"; in the
# Indian grouping "1,23,456" only the last group has three). So "12,50" or "1,2345" can only be
# decimal commas, and "12.50" only a decimal point.
_DOT_DECIMAL = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|,\d+)")
_UNCLEAR_DECIMAL_MARK = "unclear_decimal_mark"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_ZONE_SUFFIX = re.compile(r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M:%S",
    "%Y年%m月%d日%H时%M分",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_TRUE = {"1", "1.0", "true", "t", "yes", "y", "是", "对", "真", "已转化", "已点击", "converted", "clicked"}
_FALSE = {"0", "0.0", "false", "f", "no", "n", "否", "不是", "错", "假", "未转化", "未点击"}


@dataclass(frozen=True)
class Parsed:
    """A parsed column, the cells that held something unreadable, and what was assumed.

    ``unclear`` marks the bad cells that are numbers in the decimal convention the rest of the
    column does not use: they get their own reason, since the fix differs from a typo.
    """

    values: pd.Series
    bad: np.ndarray
    note: str | None = None
    unclear: np.ndarray | None = None

    def reasons(self, cells: np.ndarray, default: str) -> np.ndarray:
        """The problem code of each of ``cells`` (a subset of ``bad``)."""
        codes = np.full(int(cells.sum()), default, dtype=object)
        if self.unclear is not None:
            codes[self.unclear[cells]] = _UNCLEAR_DECIMAL_MARK
        return codes


def _blank(values: pd.Series) -> np.ndarray:
    """Cells that hold nothing: NA or only white space."""
    return values.isna().to_numpy() | _spaces_only(values)


def _spaces_only(values: pd.Series) -> np.ndarray:
    """Cells that hold text made of white space only (and that should count as empty)."""
    if _is_text(values):
        return values.str.isspace().to_numpy(dtype=bool, na_value=False)
    if values.dtype.kind == "O":
        present = values.notna().to_numpy()
        return present & (values.astype("str").str.strip() == "").to_numpy()
    return np.zeros(len(values), dtype=bool)


def _is_text(values: pd.Series) -> bool:
    """A column of the string dtype read by pyarrow, which already turned empty cells into NA.

    Its ``.str`` tests run in C++; regular expressions are avoided on whole columns because
    pyarrow runs them string by string, some 20x slower than ``strip`` or ``isspace``.
    """
    return values.dtype != object and pd.api.types.is_string_dtype(values.dtype)


def _per_distinct(values: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised parser to the distinct values only, then spread the results back."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _spread(parse(pd.Series(uniques, dtype="str")), codes, values.index)


def _spread(parsed: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Results per distinct value back onto the rows (``codes`` from ``pd.factorize``, -1 for NA)."""
    out = parsed.to_numpy()
    result = np.empty(len(codes), dtype=out.dtype)
    if out.dtype.kind == "M":
        result[:] = np.datetime64("NaT")
    elif out.dtype.kind == "f":
        result[:] = np.nan
    found = codes >= 0
    result[found] = out[codes[found]]
    if out.dtype.kind == "b":
        return pd.Series(pd.array(result, dtype="boolean"), index=index).mask(~found)
    return pd.Series(result, index=index)


def parse_ids(values: pd.Series) -> Parsed:
    """Identifiers as trimmed strings; Excel's ``17850.0`` becomes ``17850``."""
    if values.dtype.kind == "f":
        whole = values.dropna()
        if (whole == np.floor(whole)).all():
            values = values.astype("Int64")
    if values.dtype.kind in "iub" or str(values.dtype) == "Int64":
        text = values.astype("str").where(values.notna())
    else:
        values = _whole_numbers_as_ints(values) if values.dtype == object else values
        text = values if _is_text(values) else values.astype("str").where(values.notna())
        text = text.str.strip()
        spaces = _spaces_only(values)
        text = text.where(~spaces) if spaces.any() else text
        text = text.str.replace(r"\.0$", "", regex=True) if _looks_like_float_ids(text) else text
    return Parsed(text, np.zeros(len(values), dtype=bool))


def _whole_numbers_as_ints(values: pd.Series) -> pd.Series:
    """An Excel id column mixes text and numbers (``85123A`` beside ``22633.0``); the number is ``22633``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    fixed = np.array([int(v) if isinstance(v, float) and v.is_integer() else v for v in uniques], dtype=object)
    result = np.full(len(values), None, dtype=object)
    result[codes >= 0] = fixed[codes[codes >= 0]]
    return pd.Series(result, index=values.index, dtype=object)


def _looks_like_float_ids(text: pd.Series) -> bool:
    sample = text.dropna().head(1000)
    return bool(len(sample)) and bool(sample.str.fullmatch(r"\d+\.0").all())


def parse_text(values: pd.Series) -> Parsed:
    """Free text as strings, blank cells as missing."""
    text = values if _is_text(values) else values.astype("str").where(values.notna())
    spaces = _spaces_only(values)
    return Parsed(text.where(~spaces) if spaces.any() else text, np.zeros(len(values), dtype=bool))


def parse_numbers(values: pd.Series) -> Parsed:
    """Amounts such as ``¥1,234.50``, ``$12``, ``1.234,50``, ``12,50 €``, ``(12.00)`` and ``12%`` as floats.

    The decimal mark is decided once for the column, by the rows whose value can only be read one
    way (``12.50``, ``1,234.56`` or ``12,50``, ``1.234,56``); the majority wins, a point on a tie.
    Values that only the other convention can read are not guessed at but marked ``unclear``: a
    ``12,50`` among ``12.50`` was once read as 1250. ``1,234`` and ``1.234`` follow the column.
    """
    if values.dtype.kind in "iufb":
        return Parsed(values.astype("float64"), np.zeros(len(values), dtype=bool))
    blank = _blank(values)
    codes, uniques = pd.factorize(values.where(~blank), use_na_sentinel=True)
    readings = _read_both_ways(pd.Series(uniques, dtype="str"))
    rows = np.bincount(codes[codes >= 0], minlength=len(uniques))
    comma_decimal = _comma_is_decimal(readings, rows)
    chosen, other = (readings["comma"], readings["dot"]) if comma_decimal else (readings["dot"], readings["comma"])
    parsed = _spread(chosen, codes, values.index)
    bad = parsed.isna().to_numpy() & ~blank
    unclear = _spread(chosen.isna() & other.notna(), codes, values.index).fillna(False).to_numpy(dtype=bool)
    note = "comma_decimal" if comma_decimal else None
    return Parsed(parsed.astype("float64"), bad, note, unclear)


def _comma_is_decimal(readings: pd.DataFrame, rows: np.ndarray) -> bool:
    """Whether more rows can only be read with a decimal comma than only with a decimal point."""
    dot, comma = readings["dot"].notna().to_numpy(), readings["comma"].notna().to_numpy()
    return bool(rows[comma & ~dot].sum() > rows[dot & ~comma].sum())


def _read_both_ways(uniques: pd.Series) -> pd.DataFrame:
    """Each distinct cell read with a decimal point (``dot``) and with a decimal comma (``comma``); NaN where it cannot be."""
    text = uniques.str.strip()
    negative = (text.str.match(r"^\(.*\)$") | text.str.endswith("-")).to_numpy()
    percent = text.str.endswith("%").to_numpy()
    text = text.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.rstrip("%-").str.replace(_CURRENCY, "", regex=True)
    dot = text.where(text.str.fullmatch(_DOT_DECIMAL)).str.replace(",", "", regex=False)
    comma = text.where(text.str.fullmatch(_COMMA_DECIMAL)).str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    sign, scale = np.where(negative, -1.0, 1.0), np.where(percent, 100.0, 1.0)
    return pd.DataFrame({"dot": _floats(dot) * sign / scale, "comma": _floats(comma) * sign / scale})


def _floats(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text, errors="coerce").astype("float64")


def parse_bools(values: pd.Series) -> Parsed:
    """Yes/no flags: ``1/0``, ``yes/no``, ``true/false``, ``是/否``, ``Y/N``; anything else is bad."""
    if values.dtype.kind == "b":
        return Parsed(values.astype("boolean"), np.zeros(len(values), dtype=bool))
    if values.dtype.kind in "iuf":
        valid = values.isin([0, 1]).to_numpy()
        out = pd.array(np.where(valid, values.fillna(0).to_numpy() == 1, False), dtype="boolean")
        out[~valid] = pd.NA
        return Parsed(pd.Series(out, index=values.index), ~valid & values.notna().to_numpy())
    blank = _blank(values)

    def read(uniques: pd.Series) -> pd.Series:
        key = uniques.str.strip().str.lower()
        return pd.Series(np.where(key.isin(_TRUE), 1.0, np.where(key.isin(_FALSE), 0.0, np.nan)))

    numeric = _per_distinct(values.where(~blank), read)
    flags = pd.array(numeric.to_numpy() == 1.0, dtype="boolean")
    flags[np.isnan(numeric.to_numpy())] = pd.NA
    bad = np.isnan(numeric.to_numpy()) & ~blank
    return Parsed(pd.Series(flags, index=values.index), bad)


def parse_dates(values: pd.Series) -> Parsed:
    """Dates and times in the formats exports use, as naive timestamps.

    ISO, ``2024/3/5``, ``2024年3月5日``, day-first or month-first (decided once per column from the
    values that can only be one; month-first when nothing tells, and then said in the note), Excel
    serial numbers and Unix seconds or milliseconds. A zone suffix (``+08:00``, ``Z``) is dropped and
    the wall-clock time as written is kept: a shop's day is its local day, and converting a Shanghai
    order at 23:30 to UTC would move it to another date.
    """
    if values.dtype.kind == "M":
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        return Parsed(values.astype("datetime64[ns]"), np.zeros(len(values), dtype=bool))
    if values.dtype.kind in "iuf":
        parsed, note = _dates_from_numbers(values)
        return Parsed(parsed, parsed.isna().to_numpy() & values.notna().to_numpy(), note)
    blank = _blank(values)
    notes: list[str] = []
    parsed = _per_distinct(values.where(~blank), lambda u: _parse_date_strings(u, notes))
    bad = parsed.isna().to_numpy() & ~blank
    return Parsed(parsed.astype("datetime64[ns]"), bad, notes[0] if notes else None)


def _dates_from_numbers(values: pd.Series) -> tuple[pd.Series, str | None]:
    number = values.astype("float64")
    middle = number.median()
    if 20_000 <= middle <= 80_000:
        days = number.where((number >= 1) & (number <= 2_958_465))
        return (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]"), "excel_serial"
    if 1e11 <= middle <= 4.2e12:
        return pd.to_datetime(number, unit="ms", errors="coerce").astype("datetime64[ns]"), "unix_ms"
    if 1e8 <= middle <= 4.2e9:
        return pd.to_datetime(number, unit="s", errors="coerce").astype("datetime64[ns]"), "unix_seconds"
    if 19_000_101 <= middle <= 21_001_231:
        text = number.astype("Int64").astype("str")
        return pd.to_datetime(text, format="%Y%m%d", errors="coerce").astype("datetime64[ns]"), None
    return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]"), None


def _parse_date_strings(uniques: pd.Series, notes: list[str]) -> pd.Series:
    text = uniques.str.strip().str.replace(r"\s+", " ", regex=True)
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS + _slash_formats(text, notes):
        todo = result.isna()
        if not todo.any():
            break
        result[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = result.isna()
    if todo.any():
        result[todo] = _zoned_or_numeric(text[todo], notes)
    return result


def _slash_formats(text: pd.Series, notes: list[str]) -> tuple[str, ...]:
    """``05/03/2024`` is May in a US file and March in a European one: decide by the values."""
    parts = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")
    parts = parts.dropna().astype(int)
    day_first = bool((parts[0] > 12).any())
    month_first = bool((parts[1] > 12).any())
    if day_first and not month_first:
        orders = ("%d", "%m")
    else:
        orders = ("%m", "%d")
        if not month_first and len(parts):
            notes.append("ambiguous_month_first")
    formats = []
    for sep in "/.-":
        for year in ("%Y", "%y"):
            stem = f"{orders[0]}{sep}{orders[1]}{sep}{year}"
            formats += [stem, f"{stem} %H:%M:%S", f"{stem} %H:%M", f"{stem} %I:%M %p", f"{stem} %I:%M:%S %p"]
    return tuple(formats)


def _zoned_or_numeric(text: pd.Series, notes: list[str]) -> pd.Series:
    """ISO strings with a zone (kept at their wall time), and Excel serials or Unix times that arrived as text."""
    wall = text.str.replace(_ZONE_SUFFIX, "", regex=True)
    result = pd.to_datetime(wall, format="ISO8601", errors="coerce").astype("datetime64[ns]")
    numeric = pd.to_numeric(text.where(result.isna()), errors="coerce")
    if numeric.notna().any():
        from_numbers, note = _dates_from_numbers(numeric)
        result = result.fillna(from_numbers)
        notes += [note] if note else []
    return result


PARSERS: dict[str, Callable[[pd.Series], Parsed]] = {
    "id": parse_ids,
    "text": parse_text,
    "category": parse_text,
    "number": parse_numbers,
    "date": parse_dates,
    "bool": parse_bools,
}
