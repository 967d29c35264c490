"""Notes: what an analysis noticed and did, as codes plus numbers, so the UI can translate them.

A note is not an error: the analysis ran. ``level`` says how loudly to show it: ``info`` (what was
done), ``warning`` (read the result with care) and ``alert`` (do not trust the result, e.g. a
sample-ratio mismatch).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import pandas as pd

Level = Literal["info", "warning", "alert"]


@dataclass(frozen=True)
class Note:
    """One finding: a stable ``code``, a ``level`` and the numbers the message needs."""

    code: str
    level: Level = "info"
    details: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))


def notes_frame(notes: tuple[Note, ...]) -> pd.DataFrame:
    """Notes as a table (code, level, details) for display or export."""
    return pd.DataFrame(
        {"code": [n.code for n in notes], "level": [n.level for n in notes], "details": [dict(n.details) for n in notes]}
    )
