"""The embedded Snowflake: an Engine (one warehouse file) and its Sessions.

A Session follows Snowflake's session rules: autocommit unless ``BEGIN`` opened a transaction; DDL
commits the open transaction first; an open transaction left when the session ends is rolled back.
Stream offsets advance only when a DML statement that read the stream commits (SNOWFLAKE_SEMANTICS.md
§1.4), inside the same DuckDB transaction as the DML itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from ..sqlscript import statement_texts
from . import commands, identifiers, integrity, jsonfuncs, meta, sequences, variables
from .bulk import executemany
from .dml import run_statement
from .errors import UNSUPPORTED, DamagedWarehouse, SnowflakeError, UnsupportedStatement, is_damage
from .info_schema import MACROS_SQL as INFO_SCHEMA_MACROS
from .info_schema import information_schema_sql
from .lease import Lease
from .model import ROW_ID, Binds, StreamInfo, TableInfo, Translation
from .names import INTERNAL_SCHEMA, ObjectName, quote
from .result import Result
from .streams import advance_offsets, prepare_stream_reads
from .translate import Translator, parse

log = logging.getLogger("caves.local")

_S = quote(INTERNAL_SCHEMA)


_LEADING_COMMENTS = re.compile(r"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*", re.S)


def utc_now() -> dt.datetime:
    """Naive UTC, like Snowflake's TIMESTAMP_NTZ columns in this project."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _duck_error(exc: Exception, path: str) -> SnowflakeError:
    """Present a DuckDB error in Snowflake's shape, keeping DuckDB's explanation."""
    if is_damage(exc):
        return DamagedWarehouse(path, str(exc))
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, duckdb.ParserException):
        return SnowflakeError(f"SQL compilation error: {first}", errno=1003)
    if isinstance(exc, (duckdb.BinderException, duckdb.CatalogException)):
        return SnowflakeError(f"SQL compilation error: {first}", errno=904)
    unsupported = first.find(UNSUPPORTED)
    if unsupported >= 0:  # raised by a macro when the statement runs (meta.MACROS_SQL)
        return UnsupportedStatement(first[unsupported + len(UNSUPPORTED) :])
    if "Unknown TimeZone" in first:
        # Snowflake reports a time zone it does not know as a datetime format error (SQLSTATE 22007).
        return SnowflakeError(f"Invalid time zone: {first}", errno=100000, sqlstate="22007")
    if isinstance(exc, duckdb.InvalidInputException) and first.endswith("Division by zero"):
        return SnowflakeError("Division by zero", errno=100051, sqlstate="22012")  # raised by the guarded divisor
    if isinstance(exc, (duckdb.ConversionException, duckdb.InvalidInputException)):
        return SnowflakeError(f"{first}", errno=100038, sqlstate="22018")
    if isinstance(exc, duckdb.ConstraintException):
        return SnowflakeError(f"{first}", errno=100072, sqlstate="22000")
    return SnowflakeError(first, errno=100000, sqlstate="XX000")


def _widen_timestamps(conn: duckdb.DuckDBPyConnection) -> None:
    """A warehouse made before TIMESTAMP_NTZ/_TZ kept nanoseconds: its microsecond columns become nanosecond ones.

    The tables' columns (and the copies of them in the change logs and initial-row snapshots of streams); the
    engine's own bookkeeping columns keep their types. Views are re-created by the next deployment.
    """
    rows = conn.execute(
        "SELECT c.schema_name, c.table_name, c.column_name, c.data_type FROM duckdb_columns() AS c "
        "JOIN duckdb_tables() AS t ON t.database_name = c.database_name AND t.schema_name = c.schema_name "
        "AND t.table_name = c.table_name "
        "WHERE c.database_name = current_database() "
        "AND c.data_type IN ('TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') "
        "AND (c.schema_name <> ? OR starts_with(c.table_name, 'LOG:') OR starts_with(c.table_name, 'INIT:'))",
        [INTERNAL_SCHEMA],
    ).fetchall()
    for schema, table, column, data_type in rows:
        wider = "TIMESTAMP_NS" if data_type == "TIMESTAMP" else "TIMESTAMPTZ_NS"
        conn.execute(f"ALTER TABLE {quote(schema)}.{quote(table)} ALTER COLUMN {quote(column)} TYPE {wider}")


class EngineCatalog:
    """Answers the translator's questions from DuckDB's catalog and the engine's own."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cur = cursor

    def table(self, name: ObjectName) -> TableInfo | None:
        rows = self.cur.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [name.storage_schema, name.name],
        ).fetchall()
        if not rows:
            return None
        columns = tuple(r[0] for r in rows if r[0] != ROW_ID)
        ns_columns = frozenset(r[0] for r in rows if r[1] in ("TIMESTAMP_NS", "TIMESTAMPTZ_NS"))
        dates = frozenset(r[0] for r in rows if r[1] == "DATE")
        texts = frozenset(r[0] for r in rows if r[1] == "VARCHAR")
        is_view = self.cur.execute(
            "SELECT count(*) FROM duckdb_views() WHERE schema_name = ? AND view_name = ?",
            [name.storage_schema, name.name],
        ).fetchone()[0]
        if is_view:
            return TableInfo(
                name=name, columns=columns, kind="VIEW", ns_columns=ns_columns, date_columns=dates, text_columns=texts
            )
        row = self.cur.execute(
            f"SELECT CHANGE_TRACKING, CAPTURE FROM {_S}.TABLES "
            "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [name.database, name.schema, name.name],
        ).fetchone()
        tracked = bool(row and row[0])
        return TableInfo(
            name=name,
            columns=columns,
            tracked=tracked,
            capture=(row[1] if row and tracked else "none"),
            ns_columns=ns_columns,
            date_columns=dates,
            text_columns=texts,
        )

    def stream(self, name: ObjectName) -> StreamInfo | None:
        row = self.cur.execute(
            f"SELECT TABLE_FQN, MODE, INITIAL_PENDING, STALE, INVALID_REASON FROM {_S}.STREAMS "
            "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [name.database, name.schema, name.name],
        ).fetchone()
        if row is None:
            return None
        if row[3]:
            raise SnowflakeError(
                f"Stream {name.fqn} is stale ({row[4] or 'its source table was replaced'}); "
                "recreate it with CREATE OR REPLACE STREAM.",
                errno=91901,
            )
        source = ObjectName(*row[0].split(".", 2))
        info = self.table(source)
        if info is None:
            raise SnowflakeError(f"Base table '{source.fqn}' of stream {name.fqn} does not exist.", errno=91902)
        return StreamInfo(
            name=name,
            source=source,
            mode=row[1],
            columns=info.columns,
            initial_pending=bool(row[2]),
            ns_columns=info.ns_columns,
        )

    def database_exists(self, name: str) -> bool:
        return bool(self.cur.execute(f"SELECT count(*) FROM {_S}.DATABASES WHERE NAME = ?", [name]).fetchone()[0])

    def sequence(self, name: ObjectName) -> str | None:
        return sequences.lookup(self.cur, name)


class Engine:
    """One local warehouse (a DuckDB file) emulating a Snowflake account's data and its streams & tasks."""

    def __init__(
        self,
        path: str = ":memory:",
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        wait_timeout_s: float = 120.0,
        idle_close_s: float = 2.0,
    ) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no .caves/ yet
        self.clock = clock
        # How fast schedules run (1.0 = as written): the local Scheduler driving this engine sets its
        # accelerated-demo factor here, so that the SCHEDULED rows of TASK_HISTORY show when runs really come.
        self.schedule_scale = 1.0
        # Serialises this process's writing statements (DuckDB would otherwise report write conflicts
        # between, say, the scheduler thread and an admin action); explicit transactions do not hold it
        # between statements, so two sessions may interleave as in Snowflake.
        self.write_lock = threading.RLock()
        self._inflight: set[int] = set()
        self._version_lock = threading.Lock()
        self._translations: dict[tuple, Translation] = {}
        self._catalog_version = -1
        self._cache_lock = threading.Lock()
        self._functions_attached = False
        self.lease = Lease(
            self.path,
            self._on_open,
            wait_timeout_s=wait_timeout_s,
            idle_close_s=idle_close_s,
            on_close=self._on_close,
        )
        with self.lease.hold():
            pass

    # --- connection lifecycle --------------------------------------------------------------------

    def _on_open(self, conn: duckdb.DuckDBPyConnection) -> None:
        jsonfuncs.attach(conn, self.path)  # before anything can call the PARSE_JSON macros (detached on close)
        self._functions_attached = True
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET enable_progress_bar = false")
        conn.execute("SET checkpoint_threshold = '256MB'")
        # Bounded so that the engine and the app fit a small machine; DuckDB spills beyond it.
        conn.execute("SET memory_limit = ?", [os.environ.get("CAVES_MEMORY_LIMIT", "1GB")])
        # Before anything is written: a damaged file is refused (integrity.py says what is checked).
        exists = integrity.check(conn, self.path, size_checked=not self.lease.in_memory and not self.lease.wal_at_open)
        stored = conn.execute(f"SELECT SCHEMA_VERSION FROM {_S}.STATE").fetchone()[0] if exists else None
        if stored != meta.SCHEMA_VERSION:
            # A new warehouse, or one made by an older engine: (re)create the engine's objects.

            conn.execute("BEGIN")
            conn.execute(meta.BOOTSTRAP_SQL)
            conn.execute(meta.MACROS_SQL)
            conn.execute(INFO_SCHEMA_MACROS)
            start = conn.execute(f"SELECT coalesce(max(CHANGE_VERSION), 0) + 1 FROM {_S}.STATE").fetchone()[0]
            conn.execute(f"CREATE SEQUENCE IF NOT EXISTS {_S}.CHANGE_VERSIONS START WITH {int(start)}")
            for (log_name,) in conn.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? AND starts_with(table_name, 'LOG:') "
                "AND table_name NOT IN (SELECT table_name FROM duckdb_columns() WHERE schema_name = ? AND column_name = '_HI')",
                [INTERNAL_SCHEMA, INTERNAL_SCHEMA],
            ).fetchall():
                conn.execute(f"ALTER TABLE {_S}.{quote(log_name)} ADD COLUMN _HI BIGINT")
            if stored is not None and stored < meta.NANOSECOND_TIMESTAMPS_SINCE:
                _widen_timestamps(conn)
            # Each database's INFORMATION_SCHEMA views, as this engine defines them.
            for (database,) in conn.execute(f"SELECT NAME FROM {_S}.DATABASES").fetchall():
                conn.execute(information_schema_sql(database))
            conn.execute(f"UPDATE {_S}.STATE SET SCHEMA_VERSION = ?", [meta.SCHEMA_VERSION])
            conn.execute("COMMIT")
        version = conn.execute(f"SELECT CATALOG_VERSION FROM {_S}.STATE").fetchone()[0]
        with self._cache_lock:
            if version != self._catalog_version:
                # Another process may have changed the catalog while we did not hold the file.
                self._translations.clear()
                self._catalog_version = version

    def _on_close(self) -> None:
        if self._functions_attached:
            self._functions_attached = False
            jsonfuncs.detach(self.path)

    def catalog_changed(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Record a DDL change (inside the DDL's transaction) and drop cached translations."""
        version = cur.execute(
            f"UPDATE {_S}.STATE SET CATALOG_VERSION = CATALOG_VERSION + 1 RETURNING CATALOG_VERSION"
        ).fetchone()[0]
        with self._cache_lock:
            self._translations.clear()
            self._catalog_version = version

    # --- change versions -----------------------------------------------------------------------------

    def allocate_version(self, cur: duckdb.DuckDBPyConnection) -> int:
        with self._version_lock:
            version = cur.execute(f"SELECT nextval('{INTERNAL_SCHEMA}.CHANGE_VERSIONS')").fetchone()[0]
            self._inflight.add(version)
        # In the writing transaction: a rollback forgets the time with the version.
        cur.execute(f"INSERT INTO {_S}.VERSION_TIMES VALUES (?, ?)", [version, self.clock()])
        return version

    def release_version(self, version: int) -> None:
        with self._version_lock:
            self._inflight.discard(version)

    def read_boundary(self, cur: duckdb.DuckDBPyConnection) -> int:
        """The highest change version whose changes are all committed (no older transaction in flight).

        In-flight versions are this process's only: another process cannot hold an open transaction
        on the file while this one holds it.
        """
        with self._version_lock:
            if self._inflight:
                return min(self._inflight) - 1
            row = cur.execute(
                "SELECT last_value FROM duckdb_sequences() WHERE schema_name = ? AND sequence_name = 'CHANGE_VERSIONS' "
                "AND database_name = current_database()",
                [INTERNAL_SCHEMA],
            ).fetchone()
            return int(row[0] or 0) if row else 0

    def session(self, database: str | None = None, schema: str | None = None) -> Session:
        return Session(self, database=database, schema=schema)

    def close(self) -> None:
        self.lease.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- translation cache -----------------------------------------------------------------------

    def translate(
        self, cur: duckdb.DuckDBPyConnection, sql: str, database: str | None, schema: str | None
    ) -> Translation:
        key = (sql, database, schema)
        with self._cache_lock:
            cached = self._translations.get(key)
        if cached is not None:
            return cached
        tree = parse(sql)
        translation = Translator(EngineCatalog(cur), database, schema).translate(tree)
        if translation.created_table is not None and translation.object_kind == "VIEW":
            # INFORMATION_SCHEMA.VIEWS: the statement as written (without a terminating semicolon)
            translation.table_options["text"] = sql.strip().removesuffix(";").rstrip()
        with self._cache_lock:
            self._translations[key] = translation
        return translation


class Session:
    """A Snowflake session on the local engine. Not shared between threads (like a connection)."""

    def __init__(self, engine: Engine, database: str | None = None, schema: str | None = None) -> None:
        self.engine = engine
        self.database = database
        self.schema = schema
        self.in_transaction = False
        self.task_name: str | None = None
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._generation = -1
        self._held = False
        self._txn_read_version: int | None = None
        self._txn_write_version: int | None = None
        self._txn_statement = 0
        self._txn_consumed: dict[ObjectName, None] = {}
        self._txn_log: list[tuple[str, Any]] = []
        self.temporary_tables: list[ObjectName] = []
        self._closed = False

    # --- public API ------------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        """Run one Snowflake statement, with ``?`` binds."""

        if self._closed:
            raise SnowflakeError("Session is closed.", errno=390_114)
        text = _LEADING_COMMENTS.sub("", sql).strip().rstrip(";").strip()
        if not text:
            raise SnowflakeError("Empty SQL statement.", errno=900)
        text, params = identifiers.bind_identifiers(self, text, params)  # IDENTIFIER(?) / IDENTIFIER($var)
        handler = commands.find(text)
        try:
            if handler is not None:
                return handler(self, text, params)
            return self._execute_sql(text, params)
        except DamagedWarehouse as exc:
            self.engine.lease.mark_damaged(exc)  # nothing more is written to this file
            raise

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Result:
        """Array binding: one statement for many parameter rows, in one transaction."""
        return executemany(self, sql, rows)

    def execute_script(self, text: str) -> list[Result]:
        """Run statements one by one in this session (as ``snowsql -f`` does); stop at the first error."""

        return [self.execute(stmt) for stmt in statement_texts(text)]

    def close(self) -> None:
        """End the session: an open transaction is rolled back (Snowflake does the same)."""
        if self._closed:
            return
        if self.in_transaction:
            with contextlib.suppress(Exception):
                self.rollback()
        for table in self.temporary_tables:
            with contextlib.suppress(Exception):
                self.execute(f"DROP TABLE IF EXISTS {quote(table.database)}.{quote(table.schema)}.{quote(table.name)}")
        self._closed = True
        self._release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connection --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The session's DuckDB cursor, holding the warehouse file for the duration."""
        if self._held:
            yield self._cursor
            return
        conn = self.engine.lease.acquire()
        try:
            if self._cursor is None or self._generation != self.engine.lease.generation:
                self._cursor = conn.cursor()
                self._generation = self.engine.lease.generation
            self._held = True
            yield self._cursor
        except DamagedWarehouse as exc:
            self.engine.lease.mark_damaged(exc)
            raise
        except duckdb.Error as exc:
            if not is_damage(exc):
                raise
            damaged = DamagedWarehouse(self.engine.path, str(exc))
            self.engine.lease.mark_damaged(damaged)
            raise damaged from None
        finally:
            self._held = self.in_transaction
            if not self._held:
                self.engine.lease.release()

    def _release(self) -> None:
        if self._held:
            self._held = False
            self.engine.lease.release()

    # --- transactions ------------------------------------------------------------------------------
    #
    # Change versions come from a DuckDB sequence (never a contended row), taken at a transaction's
    # first tracked write. A transaction reads streams up to its *read version*, fixed at BEGIN:
    # one less than the oldest version still in flight, so every change at or below it is committed
    # and visible to its snapshot. Consuming moves the offset there (§1.4: the transaction's start).

    def begin(self) -> Result:
        if self.in_transaction:
            return Result.message("Statement executed successfully.")
        conn = self.engine.lease.acquire()
        self._held = True
        self.in_transaction = True  # from here on, _end_txn_state releases the file
        try:
            if self._cursor is None or self._generation != self.engine.lease.generation:
                self._cursor = conn.cursor()
                self._generation = self.engine.lease.generation
            self._cursor.execute("BEGIN TRANSACTION")
            self._txn_read_version = self.engine.read_boundary(self._cursor)
            self._txn_write_version = None
            self._txn_statement = 0
            self._txn_consumed = {}
            self._txn_log = []
            self._cursor.execute("SET VARIABLE CAVES_READ_VERSION = ?", [self._txn_read_version])
        except duckdb.Error as exc:
            self._end_txn_state()
            raise _duck_error(exc, self.engine.path) from None
        except BaseException:
            self._end_txn_state()
            raise
        return Result.message("Statement executed successfully.")

    def commit(self) -> Result:
        if not self.in_transaction:
            return Result.message("Statement executed successfully.")
        try:
            self._advance_consumed(self._cursor)
            self._cursor.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self._cursor.execute("ROLLBACK")
            self._end_txn_state()
            if isinstance(exc, duckdb.Error):
                raise _duck_error(exc, self.engine.path) from None
            raise
        self._end_txn_state()
        return Result.message("Statement executed successfully.")

    def rollback(self) -> Result:
        if not self.in_transaction:
            return Result.message("Statement executed successfully.")
        try:
            self._cursor.execute("ROLLBACK")
        finally:
            self._end_txn_state()
        return Result.message("Statement executed successfully.")

    @property
    def read_version(self) -> int | None:
        return self._txn_read_version

    def _end_txn_state(self) -> None:
        if self._txn_write_version is not None:
            self.engine.release_version(self._txn_write_version)
        self.in_transaction = False
        self._txn_read_version = self._txn_write_version = None
        self._txn_consumed = {}
        self._txn_log = []
        if self._cursor is not None:
            with contextlib.suppress(Exception):
                self._cursor.execute("RESET VARIABLE CAVES_READ_VERSION")
        self._release()

    @contextlib.contextmanager
    def _autocommit_txn(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A statement's own transaction: the statement, its change capture and stream offsets commit together."""
        self.begin()
        try:
            yield self._cursor
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def write_version(self, cur: duckdb.DuckDBPyConnection) -> int:
        """The change version of the current transaction, taken at its first tracked write."""
        if self._txn_write_version is None:
            self._txn_write_version = self.engine.allocate_version(cur)
        return self._txn_write_version

    def _advance_consumed(self, cur: duckdb.DuckDBPyConnection) -> None:
        """§1.4: the offset of every stream a committed DML read moves to the transaction's start version."""
        if self._txn_consumed and advance_offsets(cur, self._txn_consumed, self._txn_read_version, self.engine.clock()):
            self.engine.catalog_changed(cur)

    # --- SQL statements ----------------------------------------------------------------------------

    def _execute_sql(self, text: str, params: Sequence[Any] | None) -> Result:
        with self.cursor() as cur:
            translation = self.engine.translate(cur, text, self.database, self.schema)
        variables.before_statement(self, translation)  # $name values; AUTOCOMMIT = FALSE opens a transaction
        result = self._run_translation(translation, text, params)
        sequences.after_statement(self, translation)  # the steps several NEXTVAL skip (sequences.skip_sql)
        return result

    def _run_translation(self, translation: Translation, text: str, params: Sequence[Any] | None) -> Result:
        if translation.kind == "select" and not (
            translation.streams or translation.has_data or translation.change_points
        ):
            return self._run_query(translation.sql, params)
        if translation.kind == "ddl" and self.in_transaction:
            self.commit()  # Snowflake: DDL commits the open transaction first.
        if self.in_transaction:
            with self.engine.write_lock, self.cursor() as cur:
                return self._run_recoverable(cur, translation, text, params)
        with self.engine.write_lock, self._autocommit_txn() as cur:
            return self._run_in_txn(cur, translation, params)

    def _run_query(self, sql: str, params: Sequence[Any] | None) -> Result:
        with self.cursor() as cur:
            try:
                cur.execute(sql, list(params) if params else None)
                rows = cur.fetchall()
            except duckdb.Error as exc:
                raise self._after_error(exc) from None
            desc = cur.description or []
        return Result(columns=[d[0] for d in desc], rows=rows, types=[str(d[1]) for d in desc])

    def _after_error(self, exc: duckdb.Error) -> SnowflakeError:
        """A DuckDB error aborts its whole transaction; Snowflake only fails the statement (see _recover)."""
        if self.in_transaction:
            self._recover()
        return _duck_error(exc, self.engine.path)

    def _run_in_txn(self, cur: duckdb.DuckDBPyConnection, tr: Translation, params: Binds) -> Result:

        self._txn_statement += 1
        try:
            prepare_stream_reads(self, cur, tr)
            result = run_statement(self, cur, tr, params)
        except duckdb.Error as exc:
            raise _duck_error(exc, self.engine.path) from None
        if tr.consumes_streams:
            for stream in tr.streams:
                self._txn_consumed[stream] = None
        return result

    def _run_recoverable(self, cur: duckdb.DuckDBPyConnection, tr: Translation, text: str, params: Binds) -> Result:
        """A statement inside an explicit transaction: if it fails, the transaction goes on without it."""
        try:
            result = self._run_in_txn(cur, tr, params)
        except SnowflakeError:
            self._recover()
            raise
        self._txn_log.append((text, params))
        return result

    def _recover(self) -> None:
        """Undo the failed statement only: roll DuckDB back and replay the transaction's earlier statements.

        The replay runs under the same write version and read version, in the same process that holds
        the warehouse file, so it rebuilds the same state (defaults such as UUID_STRING() aside).
        """
        replay = list(self._txn_log)
        cur = self._cursor
        with contextlib.suppress(duckdb.Error):
            cur.execute("ROLLBACK")
        try:
            cur.execute("BEGIN TRANSACTION")
            cur.execute("SET VARIABLE CAVES_READ_VERSION = ?", [self._txn_read_version])
            self._txn_statement = 0
            self._txn_consumed = {}
            self._txn_log = []
            for text, params in replay:
                tr = self.engine.translate(cur, text, self.database, self.schema)
                self._run_in_txn(cur, tr, params)
                self._txn_log.append((text, params))
        except Exception:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
            self._end_txn_state()
            raise SnowflakeError(
                "The transaction could not be restored after a failed statement and was rolled back.", errno=90233
            ) from None

    @property
    def statement_index(self) -> int:
        return self._txn_statement

    # --- helpers used by commands ------------------------------------------------------------------

    def run_ddl(self, fn: Callable[[duckdb.DuckDBPyConnection], Result]) -> Result:
        """Run engine-level DDL (streams, tasks, databases) in its own transaction, committing any open one."""
        if self.in_transaction:
            self.commit()
        with self.engine.write_lock, self._autocommit_txn() as cur:
            try:
                result = fn(cur)
                self.engine.catalog_changed(cur)
                return result
            except duckdb.Error as exc:
                raise _duck_error(exc, self.engine.path) from None

    def query_internal(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, list(params) if params else None).fetchall()
