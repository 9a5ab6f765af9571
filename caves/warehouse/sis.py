"""The Streamlit in Snowflake backend: the app's Snowpark session (``get_active_session()``).

In Streamlit in Snowflake the app runs as its owner's role on its ``query_warehouse`` (owner's rights), with
no credentials to manage. Snowpark is imported lazily: it exists there, not in the local environment, and
nothing here may pull in the local engine (DuckDB is not in the Snowflake Anaconda channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .snowflake import WarehouseConnectionError


def active_session() -> Any:
    """The Snowpark session Streamlit in Snowflake gives the app; WarehouseConnectionError outside it."""
    try:
        from snowflake.snowpark.context import get_active_session
    except ImportError:
        raise WarehouseConnectionError(
            "Streamlit in Snowflake backend: snowflake-snowpark-python is not installed (not running in Snowflake?)"
        ) from None
    try:
        return get_active_session()
    except Exception as exc:  # Snowpark raises its own SnowparkSessionException when there is none
        raise WarehouseConnectionError(f"Streamlit in Snowflake backend: no active Snowpark session ({exc})") from None


class SisWarehouse:
    """Warehouse protocol over a Snowpark session: ``session.sql(sql, params=[...])`` with ``?`` binds."""

    backend = "sis"

    def __init__(self, session: Any | None = None) -> None:
        self.session = session if session is not None else active_session()

    def _sql(self, sql: str, params: Sequence[Any] | None) -> Any:
        # Snowpark binds qmark parameters server-side, like the connector with paramstyle="qmark"
        return self.session.sql(sql, params=list(params) if params else None)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a statement and return its result set."""
        return self._sql(sql, params).to_pandas()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""
        self._sql(sql, params).collect()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """One statement per row: Snowpark has no array binding. The app only writes a few rows at a time
        (audit, admin actions); bulk loads go through the CLI or the consumer, on the connector."""
        inserted = 0
        for row in rows:
            result = self._sql(sql, row).collect()
            # DML returns one row whose first value is the count ("number of rows inserted")
            inserted += int(result[0][0]) if result else 0
        return inserted

    def execute_script(self, text: str) -> pd.DataFrame | None:
        """Run the statements of ``text`` one by one in this session; return the last result set."""
        from ..sqlscript import split_statements  # sqlglot's Snowflake tokenizer, as for every other backend

        result = None
        for _, statement in split_statements(text):
            result = self.query(statement)
        return result

    def close(self) -> None:
        """Nothing to do: the session belongs to Streamlit in Snowflake and outlives the app's use of it."""
