"""Confirmation before an action: a modal dialog that shows what will happen, then Confirm / Cancel.

The request to act is kept in the session until the viewer answers, so the dialog survives reruns (and
works the same under ``AppTest``). Typical use on a page::

    done = confirm.take_confirmed("admin")        # a confirmed request, once
    if done: ... run it ...
    if st.button("Suspend"): confirm.ask("admin", {"kind": "suspend"})
    confirm.dialog("admin", "Confirm", body=lambda payload: st.code(...))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.context import t

_PENDING = "confirm.pending.{}"
_CONFIRMED = "confirm.confirmed.{}"


def ask(key: str, payload: Any) -> None:
    """Request confirmation of ``payload`` (what to do) under ``key``."""
    st.session_state[_PENDING.format(key)] = payload


def pending(key: str) -> Any:
    """The request waiting for an answer under ``key``, if any."""
    return st.session_state.get(_PENDING.format(key))


def take_confirmed(key: str) -> Any:
    """The request the viewer just confirmed under ``key`` (returned once), else None."""
    return st.session_state.pop(_CONFIRMED.format(key), None)


def _drop(key: str) -> None:
    st.session_state.pop(_PENDING.format(key), None)


def dialog(key: str, title: str, body: Callable[[Any], bool]) -> None:
    """While a request is pending under ``key``, show it in a modal: ``body(payload)`` draws what will happen
    and returns whether it can go ahead (False disables Confirm). Closing the modal cancels."""
    payload = pending(key)
    if payload is None:
        return

    @st.dialog(title, width="large", on_dismiss=lambda: _drop(key))
    def _modal() -> None:
        can_go = body(payload)
        confirm_col, cancel_col = st.columns(2)
        if confirm_col.button(t("admin.confirm"), type="primary", disabled=not can_go, key=f"{key}.confirm"):
            _drop(key)
            st.session_state[_CONFIRMED.format(key)] = payload
            st.rerun()
        if cancel_col.button(t("admin.cancel"), key=f"{key}.cancel"):
            _drop(key)
            st.rerun()

    _modal()
