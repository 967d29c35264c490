"""The one caching module: every expensive call of the UI goes through here.

Keys are content hashes plus every parameter, never a DataFrame hashed on each rerun: bytes arrive
with their SHA-256 digest and are passed as an unhashed ``_data`` argument. Results are shared
objects (``cache_resource``), so callers must treat them as read-only. Errors are cached as values
so a bad file is not re-parsed on every rerun. Nothing here reads ``st.session_state``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from promo_core import PromoCoreError, load_table
from promo_core.overview import ShopOverview, shop_overview
from promo_core.loading import DataReport, LoadedTable, combine_tables, describe_table

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass(frozen=True)
class LoadOutcome:
    """A loaded table, or the error that explains why the file cannot be used."""

    table: LoadedTable | None
    error: PromoCoreError | None


def digest(data: bytes) -> str:
    """The content hash that identifies an upload in every cache key."""
    return hashlib.sha256(data).hexdigest()


@st.cache_resource(max_entries=64, show_spinner=False)
def load_upload(file_digest: str, kind: str, mapping: tuple[tuple[str, str | None], ...], name: str, _data: bytes) -> LoadOutcome:
    """Load one uploaded file of ``kind`` with the user's mapping fixes."""
    try:
        return LoadOutcome(load_table(_data, kind, dict(mapping) or None, name=name), None)
    except PromoCoreError as error:
        return LoadOutcome(None, error)


@st.cache_resource(max_entries=16, show_spinner=False)
def combine(kind: str, key: str, _tables: tuple[LoadedTable, ...]) -> LoadedTable:
    """Several uploads of one kind as one table, keyed by their digests and mappings."""
    return combine_tables(list(_tables))


@st.cache_resource(show_spinner=False)
def load_sample(kind: str) -> LoadedTable | None:
    """The sample shop's table of ``kind``, or None when the sample has no such file."""
    path = SAMPLE_DIR / f"{kind}.csv"
    return load_table(path, kind) if path.is_file() else None


@st.cache_resource(max_entries=64, show_spinner=False)
def report(key: str, _table: LoadedTable) -> DataReport:
    """The data report of a loaded table, keyed like the table itself."""
    return describe_table(_table)


@st.cache_resource(max_entries=16, show_spinner=False)
def overview(key: str, _orders: pd.DataFrame) -> ShopOverview:
    """Headline KPIs of the orders table identified by ``key``."""
    return shop_overview(_orders)

