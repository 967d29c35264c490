"""PromoLens analytics core: promotion analytics for e-commerce marketers, with no UI dependency."""

from promo_core.errors import InputError, InsufficientDataError, PromoCoreError, SchemaError
from promo_core.loading import Limits, LoadedTable, load_table

__all__ = [
    "InputError",
    "InsufficientDataError",
    "Limits",
    "LoadedTable",
    "PromoCoreError",
    "SchemaError",
    "load_table",
]
