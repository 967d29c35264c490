"""Reading uploads into canonical tables: sources, encodings, column recognition, value parsing."""

from promo_core.loading.loader import LoadedTable, Note, SourceInfo, load_table
from promo_core.loading.report import DataReport, combine_tables, describe_table
from promo_core.loading.source import Limits

__all__ = [
    "DataReport",
    "LoadedTable",
    "Limits",
    "Note",
    "SourceInfo",
    "combine_tables",
    "describe_table",
    "load_table",
]
