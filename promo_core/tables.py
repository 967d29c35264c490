"""Checks every analysis makes on the canonical tables it is handed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from promo_core.errors import SchemaError


def require_columns(
    frame: pd.DataFrame, required: Sequence[str], kind: str = "orders", *, name: str = "", fix: str = ""
) -> None:
    """Raise ``<kind>_columns_missing`` naming every column an analysis needs but ``frame`` lacks.

    ``name`` is what the user calls the table and ``fix`` says what to pass instead; both default to
    the canonical table of ``kind`` and the Data page.
    """
    missing = [c for c in required if c not in frame.columns]
    if missing:
        fix = fix or f"map it on the Data page or load the file with load_table(..., '{kind}')"
        raise SchemaError(
            f"The {name or kind + ' table'} has no {', '.join(missing)} column; {fix}.",
            code=f"{kind}_columns_missing",
            columns=", ".join(missing),
        )
