"""The backend-neutral warehouse interface used by services, the app and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd


@runtime_checkable
class Warehouse(Protocol):
    """One Snowflake-compatible warehouse: the local engine, standalone Snowflake, or Streamlit in Snowflake.

    SQL is Snowflake SQL; parameters are ``?`` binds (qmark); column names come back upper-case.
    """

    backend: str

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a statement and return its result set."""
        ...

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""
        ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run one INSERT for many parameter rows (array binding); returns the rows affected."""
        ...

    def execute_script(self, text: str) -> pd.DataFrame | None:
        """Run statements one by one in one session; return the last result set."""
        ...

    def close(self) -> None: ...
