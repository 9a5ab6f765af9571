"""Empty states and readable error boxes (never a traceback on screen)."""

from __future__ import annotations

import streamlit as st

from caves.redact import redact
from components.context import t


def empty_state(message: str | None = None) -> None:
    """A quiet note where a chart or a table has nothing to show."""
    st.info(message or t("common.empty"), icon=":material/inbox:")


def error_box(title: str, error: BaseException | str) -> None:
    """A failure explained in one readable line under a title (secrets masked: a connection error may
    quote its settings)."""
    text = redact(str(error).strip().splitlines()[0]) if str(error).strip() else type(error).__name__
    st.error(f"**{title}**  \n{text}", icon=":material/error:")
