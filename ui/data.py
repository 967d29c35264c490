"""The one place pages get validated tables from: uploads when there are any, else the sample shop."""

from __future__ import annotations

from dataclasses import dataclass

from promo_core.errors import SchemaError
from promo_core.loading import DataReport, LoadedTable
from promo_core.loading.schema import KINDS
from ui import cache, state


@dataclass(frozen=True)
class FileStatus:
    """One uploaded file and what loading it gave."""

    upload: state.Upload
    outcome: cache.LoadOutcome


@dataclass(frozen=True)
class ActiveTable:
    """The table a page analyses, where it came from, and its data report."""

    kind: str
    table: LoadedTable
    report: DataReport
    origin: str
    key: str


def file_statuses(kind: str) -> list[FileStatus]:
    """Every uploaded file of ``kind``, loaded with the user's mapping fixes (cached)."""
    statuses = []
    for upload in state.uploads(kind):
        mapping = tuple(sorted(state.mapping_for(upload.digest).items()))
        outcome = cache.load_upload(upload.digest, kind, mapping, upload.name, upload.data)
        statuses.append(FileStatus(upload, outcome))
    return statuses


def active_table(kind: str) -> ActiveTable | None:
    """The uploads of ``kind`` combined, the sample when nothing was uploaded, or None.

    When files were uploaded but none can be used, the sample is not shown in their place: the
    user would otherwise analyse the wrong shop without noticing.
    """
    statuses = file_statuses(kind)
    loaded = [s for s in statuses if s.outcome.table is not None]
    if loaded:
        key = "|".join(f"{s.upload.digest}:{sorted(s.outcome.table.mapping.items())}" for s in loaded)
        tables = tuple(s.outcome.table for s in loaded)
        table = tables[0] if len(tables) == 1 else cache.combine(kind, key, tables)
        return ActiveTable(kind, table, cache.report(f"{kind}:{key}", table), "upload", key)
    if statuses or not state.use_sample():
        return None
    sample = cache.load_sample(kind)
    if sample is None:
        return None
    return ActiveTable(kind, sample, cache.report(f"sample:{kind}", sample), "sample", f"sample:{kind}")


def failed_upload_notice(kind: str, on_data_page: bool = False) -> str | None:
    """Why there is no ``kind`` table although files were uploaded, or None when that is not the case.

    ``active_table`` then returns None, like when nothing was uploaded; without this notice a page
    would ask for an upload that was made, and the sample shop would vanish without a word. The
    advice fits the cause: a mapping can fix missing columns, not an empty or unreadable file.
    """
    statuses = file_statuses(kind)
    if not statuses or any(s.outcome.table is not None for s in statuses):
        return None
    names = ", ".join(s.upload.name for s in statuses)
    cause = "mapping" if any(isinstance(s.outcome.error, SchemaError) for s in statuses) else "file"
    label = state.t(f"kind.{kind}")
    advice = state.t(f"data.advice.{cause}{'_here' if on_data_page else ''}", kind=label)
    return state.t("data.upload_unusable", kind=label, names=names, advice=advice)


def active_tables() -> dict[str, ActiveTable]:
    """Every kind that has a table in use."""
    found = {kind: active_table(kind) for kind in KINDS}
    return {kind: table for kind, table in found.items() if table is not None}
