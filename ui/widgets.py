"""Small building blocks shared by pages: sidebar, errors, downloads, KPI cards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.export import to_csv_bytes, to_excel_bytes
from promo_core.loading import LoadedTable
from promo_core.loading.schema import KINDS
from promo_core.money import CURRENCIES
from ui import cache, data, state
from ui.i18n import LANGUAGES, error_text


def sidebar() -> None:
    """Language, currency, sample-data switch and the tables in use, on every page."""
    with st.sidebar:
        languages = list(LANGUAGES)
        st.selectbox(
            state.t("sidebar.language"),
            options=languages,
            index=languages.index(state.lang()),
            format_func=LANGUAGES.__getitem__,
            key=state.WIDGET_PREFIX + state.LANG_KEY,
            on_change=state.keep_widget_value,
            args=(state.LANG_KEY,),
        )
        currencies = list(CURRENCIES)
        currency_widget = state.WIDGET_PREFIX + state.language_key(state.CURRENCY_KEY)
        st.selectbox(
            state.t("sidebar.currency"),
            options=currencies,
            index=currencies.index(state.currency().code),
            format_func=_currency_labels(),
            key=currency_widget,
            on_change=state.keep_widget_value,
            args=(state.CURRENCY_KEY, currency_widget),
            help=state.t("sidebar.currency_help"),
        )
        st.toggle(
            state.t("sidebar.sample"),
            value=state.use_sample(),
            key=state.WIDGET_PREFIX + state.SAMPLE_KEY,
            on_change=state.keep_widget_value,
            args=(state.SAMPLE_KEY,),
            help=state.t("sidebar.sample_help"),
        )
        st.subheader(state.t("sidebar.loaded"))
        tables = data.active_tables()
        if not tables:
            st.caption(state.t("sidebar.none"))
        for kind in KINDS:
            if kind in tables:
                active = tables[kind]
                source = state.t("source.sample") if active.origin == "sample" else active.table.source.name
                st.caption(f"**{state.t(f'kind.{kind}')}** · {state.t('sidebar.rows', rows=len(active.table.frame), source=source)}")
            elif data.failed_upload_notice(kind):
                st.caption(f"**{state.t(f'kind.{kind}')}** · :orange[{state.t('sidebar.unusable')}]")


def _currency_labels() -> Callable[[str], str]:
    """Currency options as "CNY (¥)", and the first as "no symbol", in this run's language."""
    none = state.t("sidebar.currency_none")
    return lambda code: f"{code} ({CURRENCIES[code].symbol})" if code else none


def no_table(kind: str, message_key: str) -> None:
    """Why a page has nothing to analyse: an upload that could not be used (a warning), or none yet."""
    failed = data.failed_upload_notice(kind)
    if failed:
        st.warning(failed, icon=":material/warning:")
    else:
        st.info(state.t(message_key), icon=":material/upload_file:")


Result = TypeVar("Result")


def guarded(compute: Callable[[], Result]) -> Result | None:
    """Run one section's analysis; a PromoCoreError is shown in the user's language and the page goes on."""
    try:
        return compute()
    except PromoCoreError as error:
        show_error(error)
        return None


def show_error(error: PromoCoreError, title: str | None = None) -> None:
    """A core error in the user's language, with its title; never a stack trace."""
    text = error_text(error.code, str(error), _localised_details(error.details), state.lang())
    st.error(f"**{title}**\n\n{text}" if title else text, icon=":material/error:")


_MONEY_DETAILS = ("budget", "cheapest", "low", "high", "low_total", "high_total")
"""Error details that are amounts, written in the shop's currency."""


def _localised_details(details: Mapping[str, object]) -> dict[str, object]:
    """Error details with table kinds and canonical column codes turned into the user's words, amounts
    in the shop's currency."""
    out = dict(details)
    money = state.currency()
    for name in _MONEY_DETAILS:
        if isinstance(out.get(name), (int, float)):
            out[name] = money.format(float(out[name]))
    if "kind" in out:
        out["kind"] = state.t(f"kind.{out['kind']}")
    if "canonical" in out:
        out["canonical"] = state.t(f"column.{out['canonical']}")
    if "missing_required" in out:

        def field(name: str) -> str:
            return state.t(f"column.{name}")

        alternatives = [
            state.t("error.part.or").join(state.t("error.part.and").join(map(field, option)) for option in group)
            for group in out.get("missing_alternatives", ())
        ]
        out["missing"] = ", ".join([field(name) for name in out["missing_required"]] + alternatives)
        hints = [
            state.t("error.part.maybe", column=field(name), headers=", ".join(map(repr, close)))
            for name, close in dict(out.get("suggestions", {})).items()
        ]
        out["hints"] = " ".join(hints)
    return out


def notes_box(title: str, texts: Iterable[str]) -> None:
    """What an analysis noticed, each note once and in order, in a bordered box; nothing when empty."""
    unique = list(dict.fromkeys(texts))
    if unique:
        with st.container(border=True):
            st.markdown(f"**{title}**")
            for text in unique:
                st.markdown(f"- {text}")


def kpi_row(metrics: Sequence[tuple[str, str] | tuple[str, str, str]]) -> None:
    """A row of KPI cards from (label, formatted value[, help text]), wrapping onto more rows on narrow screens.

    Equal columns would shrink every card and cut values to "1,2…" below about 1,000 pixels.
    """
    if not metrics:
        return
    with st.container(horizontal=True, gap="medium"):
        for label, value, *help_text in metrics:
            st.metric(label, value, help=help_text[0] if help_text else None)


def translated_problem_rows(table: LoadedTable) -> pd.DataFrame:
    """The problem rows with their reasons in the user's language, ready to fix and re-upload."""
    problems = table.problems
    reason_text = [
        state.t(f"reason.{reason}") + (f" ({state.t(f'column.{column}')})" if column else "")
        for reason, column in zip(problems["reason"], problems["column"])
    ]
    reasons = pd.Series(reason_text, index=problems.index).groupby([problems["file"], problems["row"]]).agg("; ".join)
    rows = table.problem_rows.drop(columns=["reasons"])
    files = rows["file"] if "file" in rows else pd.Series(table.source.name, index=rows.index)
    translated = [reasons.get((file, row), "") for file, row in zip(files, rows["row"])]
    rows = rows.drop(columns=["row"]).assign(**{state.t("problem.row"): rows["row"], state.t("problem.reason"): translated})
    first = [state.t("problem.row"), state.t("problem.reason")]
    return rows[first + [c for c in rows.columns if c not in first]]


def kept_file(label: str, slot: str, types: Sequence[str], help_text: str) -> state.Upload | None:
    """A single-file uploader whose file stays in use across pages until the user removes it.

    Removing also starts a fresh uploader (a new key), since an uploader's file cannot be cleared.
    """
    key = f"upload_{slot}_{state.generation(slot)}"
    st.file_uploader(label, type=list(types), key=key, on_change=_keep_file, args=(slot, key), help=help_text)
    kept = state.uploads(slot)
    if not kept:
        return None
    left, right = st.columns([4, 1])
    left.caption(state.t("widgets.file_in_use", name=kept[0].name))
    if right.button(state.t("widgets.remove_file"), key=f"remove_{slot}"):
        state.set_uploads(slot, [])
        state.next_generation(slot)
        st.rerun()
    return kept[0]


def _keep_file(slot: str, key: str) -> None:
    file = st.session_state.get(key)
    if file is not None:
        payload = file.getvalue()
        state.set_uploads(slot, [state.Upload(file.name, cache.digest(payload), payload)])


def download_table(label: str, frame: pd.DataFrame, file_stem: str, key: str, excel: bool = False) -> None:
    """A download button for a table through the safe exporter; the file is built only on click."""
    if excel:
        build, name = (lambda: to_excel_bytes(frame)), f"{file_stem}.xlsx"
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        build, name, mime = (lambda: to_csv_bytes(frame)), f"{file_stem}.csv", "text/csv"
    st.download_button(label, data=build, file_name=name, mime=mime, key=key, on_click="ignore", icon=":material/download:")
