"""Per-session context shared by every page: the language and the viewer."""

from __future__ import annotations

import getpass

import streamlit as st

from caves import i18n

LANG_KEY = "lang"


def lang() -> str:
    """The session's language (``fr`` until the viewer switches)."""
    return st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)


def t(key: str, **values: object) -> str:
    """A console text in the session's language."""
    return i18n.t(key, lang(), **values)


def language_switch() -> str:
    """The FR / EN switch in the sidebar; returns the chosen language."""
    # One label in both languages: a label that changed with the language would make a new widget.
    st.sidebar.radio(
        "Langue · Language",
        i18n.LANGUAGES,
        format_func=str.upper,
        horizontal=True,
        key=LANG_KEY,
    )
    return lang()


def current_user() -> str:
    """Who is looking: the Streamlit user (Streamlit in Snowflake's ``user_name``, or the e-mail of a
    signed-in user), else the operating-system account running the local console."""
    for field in ("user_name", "email", "name"):
        value = st.user.get(field)
        if value:
            return str(value)
    return getpass.getuser()
