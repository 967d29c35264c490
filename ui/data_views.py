"""Views of the Data page: uploader, column-mapping editor and data report for one kind of table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from promo_core.loading import DataReport, LoadedTable
from promo_core.loading.schema import table_spec
from ui import cache, data, state
from ui.widgets import download_table, kpi_row, show_error

_NONE = "\u2014"
_PREVIEW_ROWS = 200


def uploader(kind: str) -> None:
    """File uploader whose files replace the kind's files in use (kept across pages)."""
    st.file_uploader(
        state.t("data.upload", kind=state.t(f"kind.{kind}")),
        type=["csv", "tsv", "txt", "xlsx"],
        accept_multiple_files=True,
        key=f"upload_{kind}",
        on_change=_take_uploads,
        args=(kind,),
        help=state.t(f"kind_help.{kind}"),
    )


def _take_uploads(kind: str) -> None:
    files = st.session_state.get(f"upload_{kind}") or []
    uploads = []
    for file in files:
        payload = file.getvalue()
        uploads.append(state.Upload(file.name, cache.digest(payload), payload))
    state.set_uploads(kind, uploads)


def kind_section(kind: str) -> None:
    """Everything about one kind: upload, files and mapping, report, problems, preview."""
    st.caption(state.t(f"kind_help.{kind}"))
    uploader(kind)
    statuses = data.file_statuses(kind)
    for status in statuses:
        _file_status(kind, status)
    if statuses and st.button(state.t("data.remove", kind=state.t(f"kind.{kind}")), key=f"remove_{kind}"):
        state.set_uploads(kind, [])
        st.rerun()
    active = data.active_table(kind)
    if active is None:
        if not statuses:
            st.info(state.t("data.not_loaded", kind=state.t(f"kind.{kind}")))
        _expected_columns(kind)
        return
    if active.origin == "sample":
        st.info(state.t("data.using_sample", kind=state.t(f"kind.{kind}")), icon=":material/storefront:")
    report_view(active.table, active.report, kind)


def _file_status(kind: str, status: data.FileStatus) -> None:
    outcome = status.outcome
    if outcome.error is not None:
        show_error(outcome.error, state.t("data.error_title", name=status.upload.name))
        headers = list(outcome.error.details.get("headers", ()))
        current: dict[str, str] = {}
    else:
        headers = list(outcome.table.source.headers)
        current = outcome.table.mapping
    if headers:
        mapping_editor(kind, status.upload, headers, current, expanded=outcome.error is not None)


def mapping_editor(kind: str, upload: state.Upload, headers: list[str], current: dict[str, str], expanded: bool) -> None:
    """One select box per canonical column; a change is stored and the file reloaded."""
    spec = table_spec(kind)
    overrides = state.mapping_for(upload.digest)
    with st.expander(f"{state.t('data.mapping')} · {upload.name}", expanded=expanded):
        st.caption(state.t("data.mapping_help"))
        options = [_NONE] + headers
        columns = st.columns(3)
        for position, column in enumerate(spec.columns):
            chosen = overrides[column.name] if column.name in overrides else current.get(column.name)
            label = state.t(f"column.{column.name}") + (" *" if column.required else "")
            key = f"map_{kind}_{upload.digest[:12]}_{column.name}"
            columns[position % 3].selectbox(
                label,
                options,
                index=options.index(chosen) if chosen in options else 0,
                key=key,
                on_change=_remember_choice,
                args=(upload.digest, column.name, key),
                format_func=lambda option: state.t("data.mapping.none") if option == _NONE else option,
            )
        if overrides and st.button(state.t("data.mapping.reset"), key=f"reset_{kind}_{upload.digest[:12]}"):
            state.set_mapping(upload.digest, {})
            for column in spec.columns:
                st.session_state.pop(f"map_{kind}_{upload.digest[:12]}_{column.name}", None)
            st.rerun()


def _remember_choice(file_digest: str, canonical: str, key: str) -> None:
    choice = st.session_state[key]
    mapping = state.mapping_for(file_digest)
    mapping[canonical] = None if choice == _NONE else choice
    state.set_mapping(file_digest, mapping)


def report_view(table: LoadedTable, report: DataReport, kind: str) -> None:
    """KPI cards, notes, problems by reason with downloads, and a preview of the clean table."""
    st.subheader(state.t("data.report"))
    source = table.source
    delimiter = state.t("data.delimiter.tab") if source.delimiter == "\t" else (source.delimiter or "-")
    st.caption(state.t("data.read_as", format=source.file_format.upper(), encoding=(source.encoding or "-").upper(), delimiter=delimiter))
    cards = [
        (state.t("metric.rows_read"), f"{report.rows_read:,}"),
        (state.t("metric.rows_kept"), f"{report.rows_kept:,}"),
        (state.t("metric.rows_dropped"), f"{report.rows_dropped:,}"),
        (state.t("metric.values_emptied"), f"{report.values_emptied:,}"),
    ]
    kpi_row(cards)
    facts = []
    if report.date_min is not None:
        facts.append((state.t("metric.date_range"), f"{report.date_min:%Y-%m-%d} – {report.date_max:%Y-%m-%d}"))
    for code in ("customers", "items", "returns"):
        value = getattr(report, code)
        if value is not None:
            facts.append((state.t(f"metric.{code}"), f"{value:,}"))
    kpi_row(facts)
    if table.notes:
        with st.container(border=True):
            st.markdown(f"**{state.t('data.notes')}**")
            for note in table.notes:
                column = state.t(f"column.{note.column}") if note.column and "->" not in note.column else note.column
                st.markdown(f"- {state.t(f'note.{note.code}', count=note.count, column=column)}")
    _problems_view(table, report, kind)
    st.markdown(f"**{state.t('data.preview', n=_PREVIEW_ROWS)}**")
    st.dataframe(table.frame.head(_PREVIEW_ROWS), hide_index=True, key=f"preview_{kind}")
    download_table(state.t("data.download_clean"), table.frame, f"{kind}_clean", key=f"download_clean_{kind}")


def _problems_view(table: LoadedTable, report: DataReport, kind: str) -> None:
    st.markdown(f"**{state.t('data.problems')}**")
    if table.problems.empty:
        st.success(state.t("data.no_problems"), icon=":material/check_circle:")
        return
    by_reason = report.problems_by_reason
    shown = pd.DataFrame(
        {
            state.t("problem.reason"): [state.t(f"reason.{code}") for code in by_reason["reason"]],
            state.t("problem.column"): [state.t(f"column.{c}") if c else "" for c in by_reason["column"]],
            state.t("problem.action"): [state.t(f"action.{code}") for code in by_reason["action"]],
            state.t("problem.rows"): by_reason["rows"],
            state.t("problem.example_row"): by_reason["example_row"],
            state.t("problem.example_value"): by_reason["example_value"],
        }
    )
    st.dataframe(shown, hide_index=True, key=f"problems_{kind}")
    download_table(state.t("data.download_problems"), table.problem_rows, f"{kind}_problem_rows", key=f"download_problems_{kind}")


def _expected_columns(kind: str) -> None:
    spec = table_spec(kind)
    rows = [
        {
            state.t("problem.column"): state.t(f"column.{c.name}"),
            "name": c.name,
            "": state.t("data.required") if c.required else state.t("data.optional"),
        }
        for c in spec.columns
    ]
    st.markdown(f"**{state.t('data.formats')}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True)
