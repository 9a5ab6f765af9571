"""The sidebar's badge of open alerts, drawn on every page (app.py)."""

from __future__ import annotations

import logging

import streamlit as st

from components import cache
from components.context import t

log = logging.getLogger("caves.console")


def sidebar_badge() -> None:
    """``N alerte(s) ouverte(s)`` in red when one is critical, orange otherwise; a grey line when none is open.

    A warehouse without the alerts deployed (an older deployment) shows nothing rather than an error on every page.
    """
    try:
        board = cache.alerts()
    except Exception as exc:  # the Alertes page shows the error; the other pages go on without a badge
        log.warning("alert badge unavailable: %s", str(exc).splitlines()[0][:200] if str(exc) else exc)
        return
    count = board.open_count
    if count == 0:
        st.sidebar.badge(t("alerts.badge_none"), icon=":material/notifications:", color="gray")
        return
    critical = board.by_severity()["critical"] > 0
    st.sidebar.badge(
        t("alerts.badge", count=count),
        icon=":material/notifications_active:",
        color="red" if critical else "orange",
    )
