"""Per-session context shared by every page: the language and the viewer."""

from __future__ import annotations

import getpass

import streamlit as st

from caves import i18n
from caves.identity import Viewer, resolve_viewer
from components import cache

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


def _login_configured() -> bool:
    """Whether Streamlit's login is configured: an ``[auth]`` table in the secrets (``st.login`` exists since
    Streamlit 1.42; an older Streamlit has no login to configure)."""
    if not callable(getattr(st, "login", None)):
        return False
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all (FileNotFoundError), or one that does not parse: no login
        return False


def _peer(headers: dict[str, str]) -> str | None:
    """The address of the session's connection. ``st.context.ip_address`` (Streamlit 1.45+) is the WebSocket
    peer, None for a loopback one; it is None too when there is no connection at all (a script run without
    a browser), which the request headers tell apart: a real connection always has some."""
    try:
        address = st.context.ip_address
    except AttributeError:  # a Streamlit without st.context.ip_address: the peer is unknown
        return None
    if address:
        return str(address)
    return "127.0.0.1" if headers else None


def _headers() -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in st.context.headers.items()}
    except AttributeError:
        return {}


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def viewer() -> Viewer:
    """Who is looking, from a real source only (:func:`caves.identity.resolve_viewer`): Streamlit in
    Snowflake's user, a user signed in with ``st.login``, a trusted reverse-proxy header when configured, or,
    on a console with no login, the OS account for a browser on this machine. Anyone else is anonymous."""
    headers = _headers()
    return resolve_viewer(
        backend=cache.backend().kind,
        auth=cache.settings().auth,
        os_user=_os_user(),
        streamlit_user=st.user.to_dict(),
        login_configured=_login_configured(),
        headers=headers,
        peer=_peer(headers),
    )


def current_user() -> str | None:
    """The viewer's name, or None for an anonymous viewer."""
    return viewer().name


def login_prompt() -> None:
    """In the sidebar: sign in / sign out with Streamlit's login, when it is configured."""
    if not _login_configured():
        return
    if st.user.get("is_logged_in"):
        st.sidebar.caption(t("auth.signed_in", user=current_user() or ""))
        if st.sidebar.button(t("auth.logout"), icon=":material/logout:", key="auth.logout"):
            st.logout()
    elif st.sidebar.button(t("auth.login"), icon=":material/login:", key="auth.login"):
        st.login()
