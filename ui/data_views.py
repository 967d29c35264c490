"""Views of the Data page: uploader, column-mapping editor and data report for one kind of table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError
from promo_core.loading import DataReport, LoadedTable
from promo_core.loading.columns import match_columns
from promo_core.loading.schema import ColumnSpec, TableSpec, table_spec
from ui import cache, data, state
from ui.i18n import has_key
from ui.widgets import download_table, kpi_row, show_error, translated_problem_rows

_NONE = "\u2014"
_PREVIEW_ROWS = 200
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


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
        notice = data.failed_upload_notice(kind, on_data_page=True)
        if notice:
            st.warning(notice, icon=":material/warning:")
        else:
            st.info(state.t("data.not_loaded", kind=state.t(f"kind.{kind}")))
        _expected_columns(kind)
        return
    if active.origin == "sample":
        st.info(state.t("data.using_sample", kind=state.t(f"kind.{kind}")), icon=":material/storefront:")
    report_view(active.table, active.report, kind)


def _file_status(kind: str, status: data.FileStatus) -> None:
    outcome = status.outcome
    if outcome.error is None:
        headers = list(outcome.table.source.headers)
        effective = outcome.table.mapping
    else:
        show_error(outcome.error, state.t("data.error_title", name=status.upload.name))
        headers = list(outcome.error.details.get("headers", ()))
        effective = _partial_mapping(kind, headers, state.mapping_for(status.upload.digest))
    if headers:
        mapping_editor(kind, status.upload, headers, effective, expanded=outcome.error is not None)


def _partial_mapping(kind: str, headers: list[str], overrides: dict[str, str | None]) -> dict[str, str]:
    """What was recognised in a file that failed, so the editor shows it instead of blanks."""
    try:
        return match_columns(headers, table_spec(kind), overrides)
    except PromoCoreError:
        return match_columns(headers, table_spec(kind))


def mapping_editor(kind: str, upload: state.Upload, headers: list[str], effective: dict[str, str], expanded: bool) -> None:
    """One select box per canonical column showing the mapping in use; a change reloads the file."""
    spec = table_spec(kind)
    with st.expander(f"{state.t('data.mapping')} · {upload.name}", expanded=expanded):
        st.caption(state.t("data.mapping_help"))
        for alternatives in spec.any_of:
            st.caption(state.t("data.mapping.also_required", rule=_one_of(alternatives)))
        options = [_NONE] + headers
        columns = st.columns(3)
        for position, column in enumerate(spec.columns):
            key = f"map_{kind}_{upload.digest[:12]}_{column.name}"
            st.session_state[key] = effective.get(column.name, _NONE)
            columns[position % 3].selectbox(
                state.t(f"column.{column.name}") + (" *" if column.required else ""),
                options,
                key=key,
                on_change=_remember_choice,
                args=(upload.digest, column.name, key),
                format_func=lambda option: state.t("data.mapping.none") if option == _NONE else option,
            )
        if state.mapping_for(upload.digest) and st.button(state.t("data.mapping.reset"), key=f"reset_{kind}_{upload.digest[:12]}"):
            state.set_mapping(upload.digest, {})
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
    delimiter = state.t(f"data.delimiter.{_DELIMITER_NAMES[source.delimiter]}") if source.delimiter in _DELIMITER_NAMES else "-"
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
        facts.append((state.t("metric.first_date"), f"{report.date_min:%Y-%m-%d}"))
        facts.append((state.t("metric.last_date"), f"{report.date_max:%Y-%m-%d}"))
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
    st.dataframe(_with_display_names(table.frame.head(_PREVIEW_ROWS)), hide_index=True, key=f"preview_{kind}")
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
    download_table(
        state.t("data.download_problems"), translated_problem_rows(table), f"{kind}_problem_rows", key=f"download_problems_{kind}"
    )


def _with_display_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns under their translated names; the file's own columns as they were."""
    return frame.rename(columns={c: state.t(f"column.{c}") for c in frame.columns if has_key(f"column.{c}")})


def _header_examples(name: str, synonyms: tuple[str, ...]) -> list[str]:
    """A few English and Chinese header names the loader recognises for one field."""
    names = list(dict.fromkeys((name,) + synonyms))
    english = [n for n in names if n.isascii()][:3]
    chinese = [n for n in names if not n.isascii()][:2]
    return english + chinese


def _need(spec: TableSpec, column: ColumnSpec) -> str:
    """Required, optional, or an either-or rule: orders need amount, or quantity and unit price."""
    if column.required:
        return state.t("data.required")
    for alternatives in spec.any_of:
        if any(column.name in names for names in alternatives):
            return _one_of(alternatives)
    return state.t("data.optional")


def _one_of(alternatives: tuple[tuple[str, ...], ...]) -> str:
    """``one of: Amount, or Quantity + Unit price`` in the user's language."""
    options = (" + ".join(state.t(f"column.{name}") for name in names) for names in alternatives)
    return state.t("data.one_of", options=state.t("data.one_of.or").join(options))


def _expected_columns(kind: str) -> None:
    spec = table_spec(kind)
    rows = [
        {
            state.t("data.field"): state.t(f"column.{c.name}"),
            state.t("data.header_examples"): ", ".join(_header_examples(c.name, c.synonyms)),
            state.t("data.need"): _need(spec, c),
        }
        for c in spec.columns
    ]
    st.markdown(f"**{state.t('data.formats')}**")
    needed = {state.t("data.need"): st.column_config.TextColumn(width="large")}  # room for the either-or rule
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=needed)
