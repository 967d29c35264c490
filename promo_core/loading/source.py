"""Turn an upload (path, bytes or file-like) into a raw table of source columns, safely.

Every uploaded byte is hostile: binary files and archives are refused by their magic numbers, an
XLSX is opened only after its declared unpacked size is checked (a zip bomb is refused before any
decompression), text is decoded with the encodings real exports use (UTF-8 with or without BOM,
GB18030/GBK from Chinese Excel, UTF-16 from Excel "Unicode text") and a stray byte becomes a counted
replacement character, never a crash. Delimited text is parsed by pyarrow's multi-threaded CSV
reader, which is why loading a million lines takes about a second.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Union

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from promo_core.errors import InputError

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO]
StringColumns = Callable[[list[str]], frozenset[str]]

_DELIMITERS = (",", "\t", ";", "|")
_BLANK = re.compile(rb"[\s\x00]*|\xef\xbb\xbf\s*|(\xff\xfe|\xfe\xff)[\s\x00]*")
_LEADING_BLANK_LINES = re.compile(rb"(?:[ \t]*(?:\r\n|\r|\n))*")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_SNIFF_BYTES = 64 * 1024
# pyarrow may type plain timestamps itself (fast); zoned ones stay text so values.parse_dates keeps
# their wall-clock time instead of converting them to UTC.
_ZONELESS_TIMESTAMPS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_HEADER_SEARCH_ROWS = 20
_MAX_XLSX_UNPACKED = 512 * 1024 * 1024
_MAX_XLSX_RATIO = 200

_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!": "rar",
    b"\xfd7zXZ": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x7fELF": "executable",
    b"MZ": "executable",
    b"\x80\x04\x95": "pickle",
    b"\x80\x05\x95": "pickle",
    b"PAR1": "parquet",
    b"SQLite format 3": "sqlite",
}


@dataclass(frozen=True)
class Limits:
    """Caps that keep one upload from taking the app down; each breach is a clear InputError."""

    max_bytes: int = 200 * 1024 * 1024
    max_columns: int = 500
    max_cell_chars: int = 100_000
    max_rows: int = 2_000_000


@dataclass
class RawTable:
    """Source columns as read, before any mapping; ``row_numbers`` are the rows a user sees in Excel."""

    frame: pd.DataFrame
    row_numbers: np.ndarray
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    replaced_chars: int = 0
    renamed_headers: dict[str, str] = field(default_factory=dict)
    bad_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "value"]))


def read_bytes(source: Source, limits: Limits) -> tuple[bytes, str]:
    """The upload's bytes and a display name, refusing anything larger than ``limits.max_bytes``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), "upload"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"File {str(path)!r} does not exist.", code="file_missing", name=str(path))
        if path.stat().st_size > limits.max_bytes:
            raise _too_large(path.stat().st_size, limits)
        data, name = path.read_bytes(), path.name
    elif hasattr(source, "read"):
        data = source.read(limits.max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = Path(str(getattr(source, "name", "upload"))).name
    else:
        raise InputError(f"Cannot read a {type(source).__name__}; give a path, bytes or a file.", code="bad_source")
    if len(data) > limits.max_bytes:
        raise _too_large(len(data), limits)
    return data, name


def _too_large(size: int, limits: Limits) -> InputError:
    return InputError(
        f"The file is {size / 1e6:.1f} MB, above the {limits.max_bytes / 1e6:.0f} MB limit. "
        "Split it or filter it to the period you need.",
        code="too_large",
        size_mb=round(size / 1e6, 1),
        limit_mb=round(limits.max_bytes / 1e6),
    )


def read_raw(data: bytes, name: str, limits: Limits, string_columns: StringColumns | None = None) -> RawTable:
    """Read bytes as XLSX or delimited text into a frame of source columns.

    ``string_columns`` is told the (de-duplicated) header and names the columns to keep as text, so
    that ids such as ``007`` never become numbers.
    """
    if _BLANK.fullmatch(data):
        raise InputError("The file is empty. Export the table again and upload the file.", code="empty")
    if data.startswith(b"PK\x03\x04"):
        raw = _read_xlsx(data, limits)
    else:
        _refuse_binary(data)
        raw = _read_delimited(data, limits, string_columns)
    _check_shape(raw, limits)
    return raw


def _refuse_binary(data: bytes) -> None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise _binary_error(kind)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "This is an old Excel .xls (or other Office 97) file. Save it as .xlsx or CSV and upload again.",
            code="old_excel",
        )
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head and not _utf16_bom(head) and _utf16_without_bom(head) is None:
        raise _binary_error("binary")


def _binary_error(kind: str) -> InputError:
    return InputError(
        f"This looks like a {kind} file, not a table. Upload a CSV, TSV or XLSX export "
        "(unpack archives first).",
        code="binary",
        kind=kind,
    )


def _utf16_bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without BOM shows as NUL in every other byte of ASCII text."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str | None, str, int]:
    """Pick the encoding; return (text or None when the bytes are valid UTF-8 as they are, encoding, replaced).

    Valid UTF-8 is left as bytes so pyarrow parses it without a copy. Otherwise the text is decoded,
    and characters that fit no encoding are replaced and counted.
    """
    head = data[:_SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        return _decode_counting(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    utf16 = _utf16_bom(head) or _utf16_without_bom(head)
    if utf16:
        return _decode_counting(data, utf16, "utf-16")
    try:
        data.decode("utf-8")
        return None, "utf-8", 0
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(head):
        return _decode_counting(data, "utf-8", "utf-8")
    try:
        return data.decode("gb18030"), "gb18030", 0
    except UnicodeDecodeError:
        pass
    guess = _guess_encoding(head)
    return _decode_counting(data, guess, guess)


def _mostly_utf8(head: bytes) -> bool:
    """UTF-8 with a few broken bytes, not GBK: valid multi-byte characters outnumber the broken ones.

    GB18030 decodes almost any byte string, so trying it first would turn a UTF-8 file with one
    stray byte into mojibake in every Chinese cell and header.
    """
    text = head.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - broken > 4 * broken


def _guess_encoding(head: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None or best.encoding in {"utf_8", "ascii"}:
        return "gb18030"
    return best.encoding


def _decode_counting(data: bytes, codec: str, label: str) -> tuple[str, str, int]:
    text = data.decode(codec, errors="replace")
    return text, label, text.count("\ufffd") - _count_literal_replacements(data, codec)


def _count_literal_replacements(data: bytes, codec: str) -> int:
    """U+FFFD that the file really contains is not a decoding loss."""
    marker = "\ufffd".encode(codec.replace("-sig", ""), errors="ignore")
    return data.count(marker) if marker and codec.startswith("utf-8") else 0


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most columns, most consistently."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        mode, agreeing = Counter(widths).most_common(1)[0]
        if mode < 2:
            continue
        score = (agreeing / len(widths), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_delimited(data: bytes, limits: Limits, string_columns: StringColumns | None) -> RawTable:
    text, encoding, replaced = decode(data)
    if text is not None:
        data = text.encode("utf-8")
    del text
    blank_lines = _LEADING_BLANK_LINES.match(data).end()
    leading = len(_LINE_BREAK.findall(data, 0, blank_lines))
    data = data[blank_lines:] if blank_lines else data
    sample = data[:_SNIFF_BYTES].decode("utf-8", errors="ignore")
    delimiter = sniff_delimiter(sample)
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    names, renamed = unique_headers(header)
    if len(names) > limits.max_columns:
        raise _too_many_columns(len(names), limits)
    keep_text = string_columns(names) if string_columns else frozenset()
    as_text = {raw for raw, name in zip(header, names) if name in keep_text}
    table, bad_rows = _parse_csv(data, delimiter, as_text, keep_empty_lines=len(names) > 1)
    if table.num_columns == len(names):
        table = table.rename_columns(names)
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    del table
    pa.default_memory_pool().release_unused()
    # Empty lines come back as skipped rows so that the row numbers count them, as a spreadsheet does.
    row_numbers = _row_numbers(len(frame), bad_rows["row"].to_numpy(dtype=np.int64)) + leading
    bad_rows = bad_rows[bad_rows["value"] != ""].assign(row=lambda rows: rows["row"] + leading).reset_index(drop=True)
    return RawTable(
        frame=frame,
        row_numbers=row_numbers,
        file_format="tsv" if delimiter == "\t" else "csv",
        encoding=encoding,
        delimiter=delimiter,
        replaced_chars=replaced,
        renamed_headers=renamed,
        bad_rows=bad_rows,
    )


def _parse_csv(data: bytes, delimiter: str, as_text: set[str], keep_empty_lines: bool) -> tuple[pa.Table, pd.DataFrame]:
    """pyarrow parse; retried single-threaded (for line numbers) or multi-line only when needed.

    ``keep_empty_lines``: empty lines reach the invalid-row handler (one field where the header has
    more), so they are numbered like rows and skipped; a one-column file cannot tell them apart.
    """
    bad: list[tuple[int, str]] = []

    def skip(row: pa_csv.InvalidRow) -> str:
        bad.append((row.number if row.number is not None else -1, row.text))
        return "skip"

    convert = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in as_text},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=["", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"],
        true_values=["\x00true"],
        false_values=["\x00false"],
        timestamp_parsers=list(_ZONELESS_TIMESTAMPS),
    )
    for threads, multiline in ((True, False), (False, False), (False, True)):
        bad.clear()
        read = pa_csv.ReadOptions(use_threads=threads)
        parse = pa_csv.ParseOptions(
            delimiter=delimiter, newlines_in_values=multiline, ignore_empty_lines=not keep_empty_lines, invalid_row_handler=skip
        )
        try:
            table = pa_csv.read_csv(io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert)
        except pa.ArrowInvalid as error:
            if "out of sync" in str(error) or "newlines_in_values" in str(error):
                continue
            raise InputError(f"The file could not be parsed as a table: {error}", code="unparseable") from error
        if threads and any(number < 0 for number, _ in bad):
            continue
        return table, pd.DataFrame(bad, columns=["row", "value"])
    raise InputError("The file could not be parsed as a table.", code="unparseable")


def _row_numbers(kept: int, skipped_lines: np.ndarray) -> np.ndarray:
    """Spreadsheet row numbers of kept records, given the line numbers pyarrow skipped."""
    skipped_records = np.sort(skipped_lines[skipped_lines > 1]) - 2
    if len(skipped_records) == 0:
        return np.arange(2, kept + 2, dtype=np.int64)
    every = np.arange(kept + len(skipped_records), dtype=np.int64)
    return np.setdiff1d(every, skipped_records, assume_unique=True)[:kept] + 2


def unique_headers(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """Clean header names; blank and repeated names get a suffix so that no column is lost."""
    names: list[str] = []
    renamed: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for position, raw in enumerate(header, start=1):
        name = str(raw).strip().lstrip("\ufeff") or f"column_{position}"
        seen[name] += 1
        if seen[name] > 1:
            unique = f"{name} ({seen[name]})"
            renamed[unique] = name
            name = unique
        names.append(name)
    return names, renamed


def _too_many_columns(count: int, limits: Limits) -> InputError:
    return InputError(
        f"The file has {count} columns; at most {limits.max_columns} are read. Remove unused columns.",
        code="too_many_columns",
        count=count,
        limit=limits.max_columns,
    )


def _read_xlsx(data: bytes, limits: Limits) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _binary_error("damaged zip") from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _binary_error("zip archive")
    unpacked = sum(member.file_size for member in members)
    if unpacked > _MAX_XLSX_UNPACKED or unpacked > _MAX_XLSX_RATIO * max(len(data), 1):
        raise InputError(
            "The Excel file unpacks to an implausible size and was not opened. Save it again as CSV.",
            code="xlsx_bomb",
        )
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_name, rows = _first_table_sheet(book)
    except InputError:
        raise
    except Exception as error:
        raise InputError(f"The Excel file could not be read: {error}", code="unparseable") from error
    return _rows_to_raw(rows, sheet_name, limits)


def _first_table_sheet(book: object) -> tuple[str, list[list[object]]]:
    for name in book.sheet_names:  # type: ignore[attr-defined]
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)  # type: ignore[attr-defined]
        if any(any(cell not in ("", None) for cell in row) for row in rows):
            return name, rows
    raise InputError("The Excel file has no sheet with data.", code="empty")


def _header_row(rows: list[list[object]]) -> int:
    """The first row filled more than half as wide as the widest near the top.

    Chinese back-office reports put a title ("2024年3月订单报表") and an export date above the header.
    """
    first = next(i for i, row in enumerate(rows) if any(cell not in ("", None) for cell in row))
    filled = [sum(cell not in ("", None) for cell in row) for row in rows[first : first + _HEADER_SEARCH_ROWS]]
    widest = max(filled)
    return first + next(i for i, count in enumerate(filled) if count * 2 > widest)


def _rows_to_raw(rows: list[list[object]], sheet: str, limits: Limits) -> RawTable:
    start = _header_row(rows)
    header = [("" if cell is None else str(cell)) for cell in rows[start]]
    while header and header[-1] == "":
        header.pop()
    names, renamed = unique_headers(header)
    if len(names) > limits.max_columns:
        raise _too_many_columns(len(names), limits)
    body = [row[: len(names)] + [None] * (len(names) - len(row)) for row in rows[start + 1 :]]
    numbers = np.arange(start + 2, start + 2 + len(body), dtype=np.int64)
    keep = np.array([any(cell not in ("", None) for cell in row) for row in body], dtype=bool)
    frame = pd.DataFrame([row for row, k in zip(body, keep) if k], columns=names, dtype=object)
    frame = frame.replace({"": None})
    return RawTable(
        frame=frame.infer_objects(),
        row_numbers=numbers[keep] if len(body) else numbers,
        file_format="xlsx",
        sheet=sheet,
        renamed_headers=renamed,
    )


def _check_shape(raw: RawTable, limits: Limits) -> None:
    frame = raw.frame
    if frame.shape[1] == 0:
        raise InputError("The file has no columns. Check that it is a table export.", code="empty")
    if len(frame) == 0 and raw.bad_rows.empty:
        raise InputError(
            "The file has a header but no data rows (columns: "
            f"{', '.join(map(str, frame.columns[:12]))}). Export the rows too.",
            code="header_only",
            columns=", ".join(map(str, frame.columns[:12])),
        )
    if len(frame) > limits.max_rows:
        raise InputError(
            f"The file has {len(frame):,} rows; at most {limits.max_rows:,} are read. Filter it first.",
            code="too_many_rows",
            count=len(frame),
            limit=limits.max_rows,
        )
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "biufcmM" or _fits_in_bytes(values, limits.max_cell_chars):
            continue
        lengths = values.astype("str").str.len() if values.dtype == object else values.str.len()
        longest = lengths.max()
        if pd.notna(longest) and longest > limits.max_cell_chars:
            position = int(np.argmax(lengths.fillna(0).to_numpy()))
            raise InputError(
                f"Column {column!r}, row {int(raw.row_numbers[position])}: a cell has {int(longest):,} "
                f"characters, above the limit of {limits.max_cell_chars:,}. Shorten or remove it.",
                code="cell_too_long",
                column=str(column),
                row=int(raw.row_numbers[position]),
                limit=limits.max_cell_chars,
            )


def _fits_in_bytes(values: pd.Series, max_chars: int) -> bool:
    """True when no cell can exceed ``max_chars``: a character takes at least one UTF-8 byte.

    Byte lengths of a pyarrow string column come from its offsets, without decoding a character.
    """
    if values.dtype == object or not pd.api.types.is_string_dtype(values.dtype):
        return False
    longest = pc.max(pc.binary_length(pa.array(values))).as_py()
    return longest is None or longest <= max_chars
