"""Formatting and messages shared by the campaign sections: numbers, column names, tables, notes, errors.

A number a result leaves undefined (NaN or None) shows as a dash, not as "nan". A column the app knows
(converted, revenue, group, segment ...) is named in the user's language; a column or value named in
the upload stays as it is, quoted inside sentences. Names from uploads go into Markdown only
backslash-escaped, never into HTML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import Note
from promo_core.loading import LoadedTable
from promo_core.memo import escape_markdown
from promo_core.money import NO_CURRENCY, Currency
from ui import state
from ui.i18n import has_key, translate
from ui.state import t
from ui.widgets import show_error

_LEVEL_ICONS = {"info": ":material/info:", "warning": ":material/warning:", "alert": ":material/error:"}
DROPPED_CODES = frozenset({"missing_outcome_dropped", "missing_group_dropped"})
"""Notes of rows a test left out, shown by ``show_dropped_rows`` with their cause rather than as plain notes."""
DATA_PAGE = "pages/data.py"


def md(value: object) -> str:
    """A name from an upload, safe inside Markdown (shown literally)."""
    return escape_markdown(value, line_start=False)


def column_labels() -> Callable[[object], str]:
    """Labels of columns as options or headings, in this run's language (bound now, as ``state.option_labels``):
    a known column in the user's words, one from the upload as it is."""
    lang = state.lang()

    def label(column: object) -> str:
        key = f"campaign.column.{column}"
        if not has_key(key):
            return str(column)
        text = translate(key, lang)
        return text[:1].upper() + text[1:]

    return label


def column_name(column: object, escape: Callable[[str], str] = md) -> str:
    """A column inside a sentence: a known one in the user's words, one from the upload quoted, so that
    "Lift on conversion by segment" and "Lift on “purchased” by “tier”" both read. ``escape`` suits
    where the sentence goes (Markdown by default, ``html.escape`` for a chart)."""
    key = f"campaign.column.{column}"
    return t(key) if has_key(key) else quoted([column], escape)


def quoted(values: Iterable[object], escape: Callable[[str], str] = md) -> str:
    """Values from an upload (groups, categories) quoted and listed, set apart from the sentence around them."""
    return t("campaign.separator").join(t("campaign.quoted", name=escape(str(value))) for value in values)


MONEY_COLUMNS = frozenset({"revenue", "pre_revenue"})
"""Known columns that hold amounts, written in the shop's currency; other metrics are counts or units."""


def currency_of(column: object) -> Currency:
    """The shop's currency for a column of amounts, none for a count, rate or unknown unit."""
    return state.currency() if column in MONEY_COLUMNS else NO_CURRENCY


def finite(value: float | None) -> bool:
    """Whether a result's number is defined: results mark an undefined one with NaN or None."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def pct(value: float | None, digits: int = 2, signed: bool = False) -> str:
    """A share or rate as a percentage; ``signed`` for changes."""
    if not finite(value):
        return "–"
    return f"{value:+.{digits}%}" if signed else f"{value:.{digits}%}"


def chance(value: float | None, digits: int = 1) -> str:
    """A probability as a percentage that never rounds to a certainty: ">99.9%" and "<0.1%" rather
    than "100.0%" and "0.0%"."""
    if not finite(value):
        return "–"
    edge = 10.0 ** -(digits + 2)
    if value > 1 - edge:
        return f">{1 - edge:.{digits}%}"
    if value < edge:
        return f"<{edge:.{digits}%}"
    return pct(value, digits)


def num(value: float | None, digits: int = 2, signed: bool = False) -> str:
    """A number in the metric's units with thousands separators; ``signed`` for changes."""
    if not finite(value):
        return "–"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def points(value: float | None, signed: bool = False) -> str:
    """A difference of two rates, in percentage points."""
    if not finite(value):
        return "–"
    return t("campaign.unit.pp", value=f"{value * 100:+.2f}" if signed else f"{value * 100:.2f}")


def pval(value: float | None) -> str:
    """A p-value with four decimals; below that, a bound rather than a misleading zero."""
    if not finite(value):
        return "–"
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


def p_is(value: float | None) -> str:
    """'p = 0.0123' or 'p < 0.0001', for running text."""
    text = pval(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def interval(point: str, low: str, high: str) -> str:
    """A formatted estimate with its formatted confidence interval."""
    return f"{point} [{low}, {high}]"


def rows_height(rows: int, per_row: int = 70) -> int:
    """A chart height that fits its rows (variants or segments) instead of plotly's fixed 450 px."""
    return int(min(900, max(260, 130 + per_row * rows)))


def show_table(frame: pd.DataFrame) -> None:
    """A small static table. ``st.table`` renders cells and headers as Markdown, so every cell is
    escaped to show names from uploads (and our own brackets and signs) literally."""

    def escape(value: object) -> str:
        return escape_markdown(value) if isinstance(value, str) else value

    shown = frame.map(escape)
    shown.columns = [escape(str(column)) for column in frame.columns]
    st.table(shown, hide_index=True)


def show_core_error(error: PromoCoreError, title: str | None = None) -> None:
    """A core error in the user's words; codes inside the details are translated first."""
    if error.code == "uplift_too_few" and "arm" in error.details:
        error.details["arm"] = t(f"campaign.arm.{error.details['arm']}")
    show_error(error, title)


def note_text(note: Note) -> str:
    """A core note in the user's language, names escaped for Markdown."""
    details = {key: md(value) if isinstance(value, str) else value for key, value in note.details.items()}
    return t(f"campaign.note.{note.code}", **details)


def show_notes(notes: Sequence[Note], skip: AbstractSet[str] = frozenset()) -> None:
    """Each note once, as loud as its level."""
    seen = set()
    for note in notes:
        signature = (note.code, tuple(sorted((k, str(v)) for k, v in note.details.items())))
        if note.code in skip or signature in seen:
            continue
        seen.add(signature)
        box = {"alert": st.error, "warning": st.warning}.get(note.level, st.info)
        box(note_text(note), icon=_LEVEL_ICONS.get(note.level))


def show_dropped_rows(table: LoadedTable, notes: Sequence[Note]) -> None:
    """Rows a test left out for want of a group or outcome: counted, the column in the user's words, the
    cause when loading emptied the values (an unreadable number, a mixed decimal mark), and a link to
    the Data page, whose problem report lists each row to fix."""
    problems = table.problems
    shown = set()
    for note in notes:
        column = note.details.get("column")
        if note.code not in DROPPED_CODES or column in shown:
            continue
        shown.add(column)
        rows = int(note.details["rows"])
        emptied = problems[(problems["column"] == column) & (problems["action"] == "set_empty")]
        unreadable = len(emptied[["file", "row"]].drop_duplicates())
        params = {"rows": f"{rows:,}", "column": column_name(column)}
        if unreadable:
            reasons = t("campaign.separator").join(dict.fromkeys(state.code_name("reason", code) for code in emptied["reason"]))
            key = "campaign.dropped.unreadable" if unreadable >= rows else "campaign.dropped.partly_unreadable"
            st.warning(t(key, unreadable=f"{unreadable:,}", reasons=md(reasons), **params), icon=":material/warning:")
        else:
            st.warning(t("campaign.dropped.empty", **params), icon=":material/warning:")
    if shown:
        st.page_link(DATA_PAGE, label=t("campaign.dropped.to_data"), icon=":material/upload_file:")
