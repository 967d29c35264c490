"""Recognise which source column holds which canonical column.

Headers are compared after folding case, width (full-width Chinese punctuation), spacing and
punctuation, so ``Customer ID``, ``customer_id`` and ``CustomerID`` are one name. An explicit
mapping from the user always wins; a column is used for one canonical name at most.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence

from promo_core.errors import SchemaError
from promo_core.loading.schema import TableSpec

_FOLD = re.compile(r"[\s_\-./\\:()\[\]（）【】#*]+")


def fold(header: str) -> str:
    """The form in which two spellings of one header are equal."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", str(header)).casefold())


def match_columns(
    headers: Sequence[str], spec: TableSpec, mapping: Mapping[str, str | None] | None = None
) -> dict[str, str]:
    """``{canonical: source}`` for every canonical column found; ``mapping`` overrides.

    A ``None`` in ``mapping`` means "do not use this canonical column", which lets a user undo a
    wrong guess.
    """
    mapping = dict(mapping or {})
    unknown = [name for name in mapping if name not in spec.names]
    if unknown:
        raise SchemaError(
            f"The mapping names {', '.join(map(repr, unknown))}, which a {spec.kind} table does not have; "
            f"use one of {', '.join(spec.names)}.",
            code="unknown_canonical",
            columns=", ".join(unknown),
        )
    missing = [source for source in mapping.values() if source is not None and source not in headers]
    if missing:
        raise SchemaError(
            f"The mapping uses column {missing[0]!r}, which is not in the file. "
            f"Columns found: {', '.join(headers)}.",
            code="mapped_column_missing",
            column=missing[0],
            found=", ".join(headers),
            headers=tuple(headers),
        )
    chosen: dict[str, str] = {name: source for name, source in mapping.items() if source is not None}
    used = set(chosen.values())
    folded = {}
    for header in headers:
        folded.setdefault(fold(header), header)
    for column in spec.columns:
        if column.name in mapping:
            continue
        for synonym in (column.name,) + column.synonyms:
            source = folded.get(fold(synonym))
            if source is not None and source not in used:
                chosen[column.name] = source
                used.add(source)
                break
    return {name: chosen[name] for name in spec.names if name in chosen}


def check_required(headers: Sequence[str], spec: TableSpec, chosen: Mapping[str, str]) -> None:
    """Raise a SchemaError naming every missing column, the columns found and the closest ones."""
    missing = [column.name for column in spec.columns if column.required and column.name not in chosen]
    for alternatives in spec.any_of:
        if not any(all(name in chosen for name in option) for option in alternatives):
            missing.append(" or ".join(" and ".join(option) for option in alternatives))
    if not missing:
        return
    free = [header for header in headers if header not in chosen.values()]
    suggestions = {}
    for name in missing:
        first = name.split(" ")[0]
        close = suggest(first, free, spec)
        if close:
            suggestions[first] = tuple(close)
    hints = [f"{name}: maybe {', '.join(map(repr, close))}" for name, close in suggestions.items()]
    hint_text = f" Closest columns: {'; '.join(hints)}." if hints else ""
    raise SchemaError(
        f"The {spec.kind} table needs column(s) {', '.join(missing)}, which were not recognised. "
        f"Columns found: {', '.join(map(str, headers))}.{hint_text} "
        "Choose the matching column in the mapping, or rename it in the file.",
        code="missing_columns",
        kind=spec.kind,
        missing=", ".join(missing),
        found=", ".join(map(str, headers)),
        hints="; ".join(hints),
        headers=tuple(headers),
        missing_required=tuple(c.name for c in spec.columns if c.required and c.name not in chosen),
        missing_alternatives=tuple(
            alternatives
            for alternatives in spec.any_of
            if not any(all(name in chosen for name in option) for option in alternatives)
        ),
        suggestions=suggestions,
    )


def suggest(canonical: str, headers: Sequence[str], spec: TableSpec, n: int = 3) -> list[str]:
    """Source headers that look most like a canonical column or one of its synonyms."""
    column = spec.column(canonical)
    targets = [fold(s) for s in (column.name,) + column.synonyms]
    scored = []
    for header in headers:
        key = fold(header)
        score = max(difflib.SequenceMatcher(None, key, target).ratio() for target in targets)
        if any(target and (target in key or key in target) for target in targets if len(key) > 1):
            score = max(score, 0.8)
        if score >= 0.6:
            scored.append((score, header))
    return [header for _, header in sorted(scored, key=lambda pair: -pair[0])[:n]]
