"""Checks every analysis makes on the canonical tables it is handed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from promo_core.errors import SchemaError


def require_columns(frame: pd.DataFrame, required: Sequence[str], kind: str = "orders") -> None:
    """Raise ``<kind>_columns_missing`` naming every canonical column the analysis needs but lacks."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"The {kind} table has no {', '.join(missing)} column; map it on the Data page or load the file "
            f"with load_table(..., '{kind}').",
            code=f"{kind}_columns_missing",
            columns=", ".join(missing),
        )
