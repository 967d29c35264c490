"""The one error family of promo_core.

Pages catch :class:`PromoCoreError` once and show its message; anything else is a bug. Every
message names the column, the row and what to do, because a marketer reads it, not a developer.
"""

from __future__ import annotations


class PromoCoreError(Exception):
    """Base of every error promo_core raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, **details: object) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details


class SchemaError(PromoCoreError, ValueError):
    """The table does not have the columns, types or shape an analysis needs."""

    code = "schema"


class InputError(PromoCoreError, ValueError):
    """The upload itself cannot be read: empty, binary, an archive, too large, unknown format."""

    code = "input"


class InsufficientDataError(PromoCoreError, ValueError):
    """The data is valid but too thin for the method asked for."""

    code = "insufficient"
