"""The start-up error: one readable box saying what failed and what to check (never a traceback)."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from caves import i18n
from caves.services import startup
from caves.settings import default_db_path


def _secrets() -> dict[str, Any] | None:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file, or one that does not parse: the choice then falls back to local
        return None


def startup_error(exc: BaseException, lang: str = i18n.DEFAULT_LANGUAGE, *, settings: bool = False) -> None:
    """Show why the backend could not be chosen, opened or prepared (``settings``: why the settings could
    not be read), and what to check."""
    kind = None if settings else startup.backend_kind(_secrets(), os.environ)
    problem = startup.describe(exc, kind, db_path=default_db_path())
    st.error(
        f"**{i18n.t('startup.title', lang)}**  \n{i18n.t(problem.key, lang, **problem.values)}  \n"
        + i18n.t("startup.detail", lang, detail=problem.detail),
        icon=":material/error:",
    )
