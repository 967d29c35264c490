"""The one translation table of PromoLens (English and Simplified Chinese).

Keys are dotted codes; the core returns codes (kinds, columns, problem reasons, notes, error codes)
and this table turns them into words. The entries live in per-page sections under ``ui/texts`` and
are joined into ``TEXT`` here. ``translate`` is pure so it can be tested without streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

from ui.texts import ads, campaign, data, recommend, segments, sentiment, shell

LANGUAGES = {"en": "English", "zh": "简体中文"}


def _joined(*sections: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table from the per-page sections; a key defined twice is a bug, caught here at import."""
    table: dict[str, dict[str, str]] = {}
    for section in sections:
        clash = table.keys() & section.keys()
        if clash:
            raise KeyError(f"translation keys defined twice: {sorted(clash)}")
        table.update(section)
    return table


TEXT = _joined(shell.TEXT, data.TEXT, segments.TEXT, campaign.TEXT, sentiment.TEXT, recommend.TEXT, ads.TEXT)


def translate(key: str, lang: str, **params: object) -> str:
    """The text for ``key`` in ``lang`` (English when missing), formatted with ``params``."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, ValueError, IndexError):
        return template


def has_key(key: str) -> bool:
    """Whether the table knows ``key``."""
    return key in TEXT


def error_text(code: str, message: str, details: Mapping[str, object], lang: str) -> str:
    """A core error in the user's language; the core's own (English) message when no entry fits."""
    entry = TEXT.get(f"error.{code}")
    if entry is None or lang not in entry:
        return message
    try:
        return entry[lang].format(**details)
    except (KeyError, ValueError, IndexError):
        return message
