"""State seeding for the campaign widgets, so that a choice survives new options and leaving the page.

Streamlit drops a widget's state when its page is not drawn and rejects a value that is no longer an
option; each key is seeded before its widget is drawn, from the value kept by ``ui.state``.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui import state
from ui.state import t

NONE = "\u2014"
"""Option meaning 'no column'."""


def choice(key: str, options: Sequence[object], default: object) -> None:
    """Seed a select box's state unless it already holds one of ``options``: with the value the user
    chose on an earlier visit to the page when that is still an option, else with ``default``."""
    current = st.session_state.get(key)
    if current in options:
        state.remember(key, current)
        return
    kept = state.remembered(key, default)
    st.session_state[key] = kept if kept in options else default


def choices(key: str, options: Sequence[object], default: Sequence[object]) -> None:
    """Seed a multiselect's state, keeping the chosen values that are still options; when the options
    changed under every chosen value (another column), start again from ``default``. A new visit to
    the page starts from the values chosen on the last one."""
    chosen = st.session_state.get(key)
    if chosen is None:
        chosen = state.remembered(key, None)
    if chosen is None:
        st.session_state[key] = list(default)
        return
    kept = [value for value in chosen if value in options]
    st.session_state[key] = kept if kept or not chosen else list(default)
    state.remember(key, st.session_state[key])


def seed(key: str, value: object) -> None:
    """Seed a number box with ``value``, or with the user's number from an earlier visit."""
    if key in st.session_state:
        state.remember(key, st.session_state[key])
    else:
        st.session_state[key] = state.remembered(key, value)


def none_label(option: str) -> str:
    """The label of an option, with ``NONE`` in the user's language."""
    return t("campaign.none") if option == NONE else option
