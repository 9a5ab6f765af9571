"""The standalone Snowflake backend: snowflake-connector-python with qmark binds.

Built from the ``[connections.snowflake]`` keys of ``.streamlit/secrets.toml`` (:meth:`SnowflakeWarehouse.
from_settings`, every key goes to ``snowflake.connector.connect()``, key-pair auth included) or around a
connection someone else opened (:meth:`SnowflakeWarehouse.from_connection`, e.g.
``st.connection("snowflake").raw_connection``).

A session that Snowflake dropped (expired after hours of idleness, or a connection that was closed) is
reopened once and the statement retried: Snowflake rejects a statement on a dead session before running it,
so the retry can never run anything twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import pandas as pd
import snowflake.connector
from snowflake.connector.errors import Error as ConnectorError
from snowflake.connector.errors import NotSupportedError

from ..redact import redact

log = logging.getLogger("caves.warehouse.snowflake")

T = TypeVar("T")

# Error numbers meaning "this session is gone, log in again": 390111 session no longer exists, 390112 session
# expired, 390114 authentication token expired (the connector raises these once its own token renewal
# failed), 250002 connection is closed, 290401 HTTP 401 (the server no longer accepts the session token).
SESSION_GONE_ERRNOS = frozenset({390111, 390112, 390114, 250002, 290401})

# Fail a login in seconds rather than the connector's two minutes: the console is interactive.
DEFAULT_LOGIN_TIMEOUT = 30


class WarehouseConnectionError(ConnectionError):
    """The warehouse cannot be reached or logged into. The message is safe to show: it never holds a secret."""


def _connection_label(settings: Mapping[str, Any]) -> str:
    """Who connects where, for messages: account, user and host are not secrets and help fix a setting."""
    parts = [f"account {settings.get('account')!r}" if settings.get("account") else "no account set"]
    if settings.get("user"):
        parts.append(f"user {settings['user']!r}")
    if settings.get("host"):
        parts.append(f"host {settings['host']}:{settings.get('port', 443)}")
    return ", ".join(parts)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


class SnowflakeWarehouse:
    """Warehouse protocol over one snowflake-connector-python connection (``paramstyle="qmark"``).

    Safe to share between threads (the connector's connection is; each call uses its own cursor). Results come
    back as pandas DataFrames with Snowflake's column names (upper-case for unquoted aliases).
    """

    backend = "snowflake"

    def __init__(self, connection: Any) -> None:
        if getattr(connection, "is_pyformat", False):
            # '?' placeholders would be sent as text; st.connection("snowflake") already opens qmark connections
            raise ValueError("the Snowflake connection uses the pyformat paramstyle; open it with paramstyle='qmark'")
        self.connection = connection
        self._reconnect_lock = threading.Lock()
        self._generation = 0  # bumped by each reconnect, so threads that saw the same dead session reopen it once

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SnowflakeWarehouse:
        """Connect with ``snowflake.connector.connect(**settings)`` (the ``[connections.snowflake]`` keys).

        ``paramstyle`` is forced to ``qmark``; ``login_timeout`` defaults to 30 s. Key-pair auth: give
        ``private_key_file`` (and ``private_key_file_pwd`` for an encrypted key); the connector then uses
        ``SNOWFLAKE_JWT``. Raises :class:`WarehouseConnectionError` with a readable, secret-free message.
        """
        params = {key: value for key, value in settings.items() if value is not None and value != ""}
        params["paramstyle"] = "qmark"
        params.setdefault("login_timeout", DEFAULT_LOGIN_TIMEOUT)
        try:
            connection = snowflake.connector.connect(**params)
        except Exception as exc:  # the connector raises its own errors, OSError (key file), TypeError (bad key)
            raise WarehouseConnectionError(
                f"cannot connect to Snowflake ({_connection_label(params)}): {redact(_first_line(exc))}"
            ) from None  # the chained exception could carry the settings into a traceback
        return cls(connection)

    @classmethod
    def from_connection(cls, connection: Any) -> SnowflakeWarehouse:
        """Wrap a connection opened elsewhere (``st.connection("snowflake").raw_connection``). It is reopened
        with its own settings if Snowflake drops the session."""
        return cls(connection)

    # --- the session -------------------------------------------------------------------------------------

    def _reconnect(self, seen: int) -> None:
        """Reopen the connection with its own settings, unless another thread already did since ``seen``."""
        with self._reconnect_lock:
            if self._generation != seen:
                return
            try:
                self.connection.close(retry=False)  # the server may already have forgotten the session
            except Exception:  # closing a dead session may fail; logging in again is what matters
                log.debug("closing the stale Snowflake session failed", exc_info=True)
            try:
                self.connection.connect()
            except Exception as exc:
                raise WarehouseConnectionError(
                    f"the Snowflake session was lost and logging in again failed: {redact(_first_line(exc))}"
                ) from None
            self._generation += 1

    def _run(self, work: Callable[[Any], T]) -> T:
        """``work(connection)``, reconnecting once when the session is gone."""
        seen = self._generation
        if self.connection.is_closed():
            log.info("Snowflake connection closed: reconnecting")
            self._reconnect(seen)
            seen = self._generation
        try:
            return work(self.connection)
        except ConnectorError as exc:
            if exc.errno not in SESSION_GONE_ERRNOS:
                raise
            log.info("Snowflake session lost (%s): reconnecting and retrying once", exc.errno)
            self._reconnect(seen)
            return work(self.connection)

    # --- the Warehouse protocol --------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a statement and return its result set (an empty frame when it has none)."""

        def work(connection: Any) -> pd.DataFrame:
            with connection.cursor() as cursor:
                cursor.execute(sql, list(params) if params else None)
                return _frame(cursor)

        return self._run(work)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""

        def work(connection: Any) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, list(params) if params else None)

        self._run(work)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """One INSERT for many rows with the connector's array binding (one round trip, or a stage upload for
        very large batches); returns the rows inserted."""
        batch = [tuple(row) for row in rows]
        if not batch:
            return 0

        def work(connection: Any) -> int:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
                return cursor.rowcount or 0

        return self._run(work)

    def execute_script(self, text: str) -> pd.DataFrame | None:
        """Run the statements of ``text`` one by one in this session; return the last result set."""
        from ..sqlscript import split_statements  # sqlglot's Snowflake tokenizer: ';' in strings and $$ bodies kept

        result = None
        for _, statement in split_statements(text):
            result = self.query(statement)
        return result

    def close(self) -> None:
        """Log out (errors ignored: the session may already be gone)."""
        try:
            self.connection.close()
        except Exception:  # already gone is fine
            log.debug("closing the Snowflake connection failed", exc_info=True)


def _frame(cursor: Any) -> pd.DataFrame:
    """The cursor's result as a DataFrame: Arrow when Snowflake sent Arrow (typed columns), rows otherwise."""
    if cursor.description is None:
        return pd.DataFrame()
    columns = [column.name for column in cursor.description]
    try:
        frame = cursor.fetch_pandas_all()
    except NotSupportedError:  # JSON result sets (DML counts, some SHOW commands) have no Arrow form
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    return frame if len(frame.columns) else pd.DataFrame(columns=columns)
