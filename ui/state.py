"""Session state of one browser session: language, currency, sample switch, page settings, uploads, mapping fixes.

Uploaded bytes and settings are copied here from their widgets, because a widget's state is dropped
when the user moves to another page or its label changes language; this module is the one place that
reads or writes these keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from promo_core.money import CURRENCIES, NO_CURRENCY, Currency
from ui.i18n import LANGUAGES, has_key, translate

LANG_KEY = "lang"
CURRENCY_KEY = "currency"
SAMPLE_KEY = "use_sample"
WIDGET_PREFIX = "widget_"
_UPLOADS = "uploads"
_MAPPINGS = "mappings"
_UPLIFT = "uplift_scores"
_REMEMBERED = "remembered_settings"
_GENERATIONS = "uploader_generations"
_EDITOR_START = "_start"


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name, content hash (the cache key) and bytes."""

    name: str
    digest: str
    data: bytes


def lang() -> str:
    """The UI language code chosen in the sidebar."""
    value = st.session_state.get(LANG_KEY, "en")
    return value if value in LANGUAGES else "en"


def currency() -> Currency:
    """The shop's currency chosen in the sidebar (none until the user picks one)."""
    return CURRENCIES.get(st.session_state.get(CURRENCY_KEY, ""), NO_CURRENCY)


def money_label(label: str) -> str:
    """A label of an amount input or column with the currency's symbol ("Budget (¥)"), so the user
    knows the unit while typing."""
    symbol = currency().symbol
    return t("money_label", label=label, symbol=symbol) if symbol else label


_ADDRESS_SETTINGS = ((LANG_KEY, "en", LANGUAGES), (CURRENCY_KEY, "", CURRENCIES))


def sync_settings_with_address() -> None:
    """Keep the language and currency in the address (``?lang=zh&currency=CNY``), so a refresh or a
    shared link keeps them.

    A new session takes them from the address; every run writes the session's values back, since
    moving to another page clears the address's parameters. Defaults leave the address clean.
    """
    for key, default, allowed in _ADDRESS_SETTINGS:
        wanted = st.query_params.get(key)
        if key not in st.session_state and wanted in allowed:
            st.session_state[key] = wanted
        current = st.session_state.get(key, default)
        current = current if current in allowed else default
        if current == default:
            if key in st.query_params:
                del st.query_params[key]
        elif wanted != current:
            st.query_params[key] = current


def t(key: str, **params: object) -> str:
    """Translate a key into the session's language."""
    return translate(key, lang(), **params)


def code_name(prefix: str, code: object, **params: object) -> str:
    """A code in the user's words (translation key ``prefix.code``); a code without one, such as a
    name from an upload or an edited rule's own name, stays as it is."""
    key = f"{prefix}.{code}"
    return t(key, **params) if has_key(key) else str(code)


def use_sample() -> bool:
    """Whether tables that were not uploaded fall back to the sample shop."""
    return bool(st.session_state.get(SAMPLE_KEY, True))


def keep_widget_value(setting: str, widget: str | None = None) -> None:
    """Copy a settings widget's value (key ``widget``, by default ``widget_<setting>``) into a plain
    session key.

    Streamlit forgets a widget's value when the widget is not drawn in a run; settings such as the
    language must survive that, so widgets write through to keys they do not own.
    """
    st.session_state[setting] = st.session_state[widget or WIDGET_PREFIX + setting]


def setting(name: str, default: object, options: Sequence[object] | None = None) -> dict[str, object]:
    """Widget arguments (``key``, ``on_change``, ``args``) of a page setting that survives leaving the page.

    The widget's key is given the remembered value on every run, and every change is remembered; pass
    no ``value``, ``index`` or ``default``. Every run, because a widget with the same key on another
    page (one setting shared by two pages) is another widget to Streamlit, which would start it at its
    minimum. A value no longer allowed by ``options`` (new data without that product or column) falls
    back to ``default``, checked on every run since options can change while the page is drawn; a list
    or tuple (a multiselect's choices, a range's ends) needs every item allowed.
    """
    widget = _widget_key(name)
    kept = remembered(name, st.session_state.get(widget, default))
    st.session_state[widget] = kept if _allowed(kept, options) else default
    return {"key": widget, "on_change": _remember_widget, "args": (name,)}


def _allowed(value: object, options: Sequence[object] | None) -> bool:
    items = value if isinstance(value, (list, tuple)) else (value,)
    return options is None or all(item in options for item in items)


def language_key(name: str) -> str:
    """``name`` in English, ``name_zh`` in Chinese: a widget key per language, since Streamlit keeps a
    select box's option labels when only its ``format_func`` changes (they would stay in English)."""
    return name if lang() == "en" else f"{name}_{lang()}"


def option_labels(prefix: str) -> Callable[[object], str]:
    """Labels of coded options (translation keys ``prefix.<code>``) in this run's language; bound now
    rather than on each call, since a test harness formats a select box's options after the run."""
    current = lang()
    return lambda code: translate(f"{prefix}.{code}", current)


def _widget_key(name: str) -> str:
    return WIDGET_PREFIX + language_key(name)


def _remember_widget(name: str) -> None:
    remember(name, st.session_state[_widget_key(name)])


def remember(key: str, value: object) -> None:
    """Note a page setting's current value, to restore it when the user comes back to the page."""
    kept = dict(st.session_state.get(_REMEMBERED, {}))
    kept[key] = value
    st.session_state[_REMEMBERED] = kept


def remembered(key: str, default: object) -> object:
    """The value a page setting had when the user last saw it, else ``default``."""
    return st.session_state.get(_REMEMBERED, {}).get(key, default)


def editor_start(
    name: str, default: pd.DataFrame, fits: Callable[[pd.DataFrame], bool] | None = None
) -> tuple[str, pd.DataFrame]:
    """The key of the data editor ``name`` in this run's language, and the table it starts from.

    Streamlit drops an editor's edits when it is not drawn (another page, or the other language's
    editor), and the edits it keeps are row by row against the table it was given; so a visit starts
    from the table last seen (``default`` when none was, or when it no longer ``fits`` the data) and
    keeps that start while the editor is drawn. Callers remember the edited table under ``name``.
    """
    key = language_key(name)
    start = key + _EDITOR_START
    if key not in st.session_state or start not in st.session_state:
        kept = remembered(name, default)
        st.session_state[start] = kept if fits is None or fits(kept) else default
    return key, st.session_state[start]


def reset_editor(name: str, table: pd.DataFrame) -> None:
    """Drop the data editor's edits and start it again from ``table``."""
    key = language_key(name)
    for entry in (key, key + _EDITOR_START):
        st.session_state.pop(entry, None)
    remember(name, table)


@dataclass(frozen=True)
class UpliftScores:
    """Per-customer uplift from the Campaign page, for coupon exclusions; ``key`` identifies the fit."""

    key: str
    scores: pd.DataFrame  # customer_id, uplift


def set_uplift_scores(scores: UpliftScores) -> None:
    """Keep the latest uplift model's scores for the other pages."""
    st.session_state[_UPLIFT] = scores


def uplift_scores() -> UpliftScores | None:
    """The latest uplift scores fitted on the Campaign page in this session, if any."""
    return st.session_state.get(_UPLIFT)


def uploads(kind: str) -> list[Upload]:
    """The files in use for a kind of table."""
    return list(st.session_state.get(_UPLOADS, {}).get(kind, []))


def set_uploads(kind: str, files: list[Upload]) -> None:
    """Replace the files in use for a kind of table."""
    registry = dict(st.session_state.get(_UPLOADS, {}))
    registry[kind] = files
    st.session_state[_UPLOADS] = registry


def generation(slot: str) -> int:
    """How many times the user removed the file of a single-file uploader (part of its widget key)."""
    return int(st.session_state.get(_GENERATIONS, {}).get(slot, 0))


def next_generation(slot: str) -> None:
    generations = dict(st.session_state.get(_GENERATIONS, {}))
    generations[slot] = generations.get(slot, 0) + 1
    st.session_state[_GENERATIONS] = generations


def mapping_for(digest: str) -> dict[str, str | None]:
    """The user's column-mapping fixes for one file (``{canonical: source or None}``)."""
    return dict(st.session_state.get(_MAPPINGS, {}).get(digest, {}))


def set_mapping(digest: str, mapping: dict[str, str | None]) -> None:
    """Store the user's column-mapping fixes for one file."""
    mappings = dict(st.session_state.get(_MAPPINGS, {}))
    mappings[digest] = mapping
    st.session_state[_MAPPINGS] = mappings
