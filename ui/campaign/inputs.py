"""State seeding and widths of the campaign widgets, so that a choice survives new options and leaving
the page, and a row of inputs wraps on a narrow screen instead of cutting them.

Streamlit drops a widget's state when its page is not drawn and rejects a value that is no longer an
option; each key is seeded before its widget is drawn, from the value kept by ``ui.state``. A choice
gets a widget per language, as ``state.setting`` does: Streamlit keeps a select box's option labels
when only its ``format_func`` changes, so a page switched to Chinese would show English options. Inputs
sit in wrapping rows (``st.container(horizontal=True)``) at a fixed width: equal columns shrink every
input on a narrow screen and cut its value ("contro", "pre_re").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ui import state
from ui.campaign.format import column_labels
from ui.state import t

NONE = "\u2014"
"""Option meaning 'no column'."""
INPUT_WIDTH = 200
"""Pixels of a select or number box: room for a column or group name and a label of a few words; two
fit side by side on an 800 px screen beside the sidebar."""
CHART_WIDTH = 440
"""Pixels of a chart in a pair: side by side on a wide screen, one under the other on a narrow one."""


def choice(name: str, options: Sequence[object], default: object) -> str:
    """Seed a select box's state unless it already holds one of ``options``: with the value the user
    chose on an earlier visit to the page (or in another language) when that is still an option, else
    with ``default``. Returns the widget's key."""
    key = state.language_key(name)
    current = st.session_state.get(key)
    if current in options:
        state.remember(name, current)
        return key
    kept = state.remembered(name, default)
    st.session_state[key] = kept if kept in options else default
    return key


def choices(name: str, options: Sequence[object], default: Sequence[object]) -> str:
    """Seed a multiselect's state, keeping the chosen values that are still options; when the options
    changed under every chosen value (another column), start again from ``default``. A new visit to
    the page (or another language) starts from the values chosen on the last one. Returns the key."""
    key = state.language_key(name)
    chosen = st.session_state.get(key)
    if chosen is None:
        chosen = state.remembered(name, None)
    if chosen is None:
        st.session_state[key] = list(default)
        return key
    kept = [value for value in chosen if value in options]
    st.session_state[key] = kept if kept or not chosen else list(default)
    state.remember(name, st.session_state[key])
    return key


def seed(key: str, value: object) -> None:
    """Seed a number box with ``value``, or with the user's number from an earlier visit."""
    if key in st.session_state:
        state.remember(key, st.session_state[key])
    else:
        st.session_state[key] = state.remembered(key, value)


def none_labels() -> Callable[[object], str]:
    """Labels of column options that include ``NONE``, in this run's language (bound now, see ``column_labels``)."""
    none, label = t("campaign.none"), column_labels()
    return lambda option: none if option == NONE else label(option)
