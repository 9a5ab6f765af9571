"""Snowflake streams over a per-table change log (SNOWFLAKE_SEMANTICS.md §1 and §6).

A table gets change tracking when its first stream is created. From then on every DML statement
on it appends to ``"_CAVES"."LOG:<table>"`` rows ``(_V, _S, _OP, <columns>, METADATA$ROW_ID)``:
``_V`` is the change version of the committing transaction, ``_S`` the statement's order inside it,
``_OP`` one of INS, DEL, UPD_OLD, UPD_NEW. A stream is only ``(source, offset version, mode)``.

Reading a stream is a query over the log entries in ``(offset, read version]`` — work proportional
to the pending changes, never a diff of the whole table. The log is pruned up to the lowest offset
of the table's streams each time one of them is consumed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import duckdb

from ..objects import ObjectSyntaxError, parse_create_stream
from .errors import AlreadyExists, ObjectNotFound, SnowflakeError, UnsupportedStatement
from .model import ROW_ID, ChangePoint, StreamInfo, Translation
from .names import INTERNAL_SCHEMA, ObjectName, like_matches, quote, resolve, split_name
from .result import Result
from .tables import enable_change_tracking, log_floor, log_table, pruned

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)

OP_KEYS = {"DEL": 0, "UPD_OLD": 0, "INS": 1, "UPD_NEW": 1}


def initial_rows_table(stream: ObjectName) -> str:
    return f"{_S}.{quote('INIT:' + stream.fqn)}"


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def offset_sql(stream: ObjectName) -> str:
    return (
        f"(SELECT OFFSET_VERSION FROM {_S}.STREAMS WHERE DATABASE_NAME = {_lit(stream.database)} "
        f"AND SCHEMA_NAME = {_lit(stream.schema)} AND NAME = {_lit(stream.name)})"
    )


# The upper bound of a read: inside an explicit transaction the session pins it to the version at
# the transaction's start (repeatable read, §1.4); otherwise it is the latest committed version.
READ_VERSION_SQL = (
    "COALESCE(getvariable('CAVES_READ_VERSION'), (SELECT last_value FROM duckdb_sequences() "
    f"WHERE schema_name = '{INTERNAL_SCHEMA}' AND sequence_name = 'CHANGE_VERSIONS'))"
)

# §1.5: STALE_AFTER = last consumption + max(DATA_RETENTION_TIME_IN_DAYS, MAX_DATA_EXTENSION_TIME_IN_DAYS);
# with Snowflake's defaults (1, 14) that is 14 days.
STALE_AFTER_DAYS = 14


def _range(stream: StreamInfo) -> str:
    lower = stream.lower_sql or offset_sql(stream.name)
    upper = f"least({stream.upper_sql}, {READ_VERSION_SQL})" if stream.upper_sql else READ_VERSION_SQL
    return f"_V > {lower} AND _V <= {upper}"


def _entries_sql(stream: StreamInfo, initial_pending: bool) -> str:
    cols = ", ".join(quote(c) for c in (*stream.columns, ROW_ID))
    entries = f"SELECT _V, _S, _OP, {cols} FROM {log_table(stream.source)} WHERE {_range(stream)}"
    if initial_pending:
        # Rows present when the stream was created: INSERTs at the offset, netted with later changes.
        entries += f" UNION ALL SELECT _V, _S, _OP, {cols} FROM {initial_rows_table(stream.name)}"
    return entries


def stream_read_sql(stream: StreamInfo) -> str:
    """The DuckDB query returning the stream's rows: source columns + METADATA$ACTION/ISUPDATE/ROW_ID."""
    pending = stream.initial_pending
    cols = ", ".join(quote(c) for c in stream.columns)
    row_id = f"CAST({quote(ROW_ID)} AS VARCHAR) AS {quote(ROW_ID)}"
    if stream.mode == "APPEND_ONLY":
        # §1.2: inserts only. Rows inserted while the table captured inserts only are logged as id
        # ranges and read back from the table (a hash join on ids: work proportional to the changes);
        # rows deleted since, or logged with their values, come from the log itself.
        rid = quote(ROW_ID)
        table_cols = ", ".join(f"t.{quote(c)}" for c in stream.columns)
        from_ranges = (
            f"SELECT {table_cols}, t.{rid} FROM {stream.source.duck} AS t JOIN ("
            f"SELECT DISTINCT unnest(range({rid}, _HI + 1)) AS _RID FROM {log_table(stream.source)} "
            f"WHERE _OP = 'INS_RANGE' AND {_range(stream)}) AS r ON t.{rid} = r._RID"
        )
        with_values = f"SELECT {cols}, {rid} FROM ({_entries_sql(stream, pending)}) WHERE _OP = 'INS'"
        return (
            f'SELECT {cols}, \'INSERT\' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", {row_id} '
            f"FROM ({from_ranges} UNION ALL {with_values})"
        )
    # §1.3 net change per row id: the first entry in the range tells whether the row existed at the
    # offset (DEL/UPD_OLD carry its values then), the last whether it exists now (INS/UPD_NEW).
    order = "_V, _S, CASE WHEN _OP IN ('DEL', 'UPD_OLD') THEN 0 ELSE 1 END"
    window = f"PARTITION BY {quote(ROW_ID)} ORDER BY {order}"
    return f"""SELECT {cols},
    CASE WHEN _RN = 1 AND _FIRST IN ('DEL', 'UPD_OLD') THEN 'DELETE' ELSE 'INSERT' END AS "METADATA$ACTION",
    (_FIRST IN ('DEL', 'UPD_OLD') AND _LAST IN ('INS', 'UPD_NEW')) AS "METADATA$ISUPDATE",
    {row_id}
FROM (
    SELECT e.*,
        first_value(_OP) OVER (
            {window} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS _FIRST,
        last_value(_OP) OVER (
            {window} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS _LAST,
        row_number() OVER ({window}) AS _RN,
        count(*) OVER (PARTITION BY {quote(ROW_ID)}) AS _CNT
    FROM ({_entries_sql(stream, pending)}) AS e
) AS n
WHERE (_RN = 1 AND _FIRST IN ('DEL', 'UPD_OLD')) OR (_RN = _CNT AND _LAST IN ('INS', 'UPD_NEW'))"""


def table_as_of_sql(info_name: ObjectName, columns: tuple[str, ...], version_sql: str) -> str:
    """The rows of a tracked table as they were at a change version (time travel AT/BEFORE, §1.8's log read
    backwards): the rows no later entry touches, plus, for each row a later entry touched, its values before
    that first entry (a DEL or UPD_OLD carries them; a row first inserted later did not exist yet)."""
    cols = ", ".join(quote(c) for c in columns)
    rid = quote(ROW_ID)
    later = f"SELECT * FROM {log_table(info_name)} WHERE _V > {version_sql}"
    order = "_V, _S, CASE WHEN _OP IN ('DEL', 'UPD_OLD') THEN 0 ELSE 1 END"
    return f"""SELECT {cols} FROM {info_name.duck} WHERE {rid} NOT IN (SELECT {rid} FROM ({later}) WHERE {rid} IS NOT NULL)
UNION ALL
SELECT {cols} FROM (
    SELECT *, row_number() OVER (PARTITION BY {rid} ORDER BY {order}) AS _RN FROM ({later})
) WHERE _RN = 1 AND _OP IN ('DEL', 'UPD_OLD')"""


def has_data_variable(index: int) -> str:
    return f"CAVES_HAS_DATA_{index}"


def prepare_stream_reads(session: Session, cur: duckdb.DuckDBPyConnection, tr: Translation) -> None:
    """Before a statement that reads streams or calls SYSTEM$STREAM_HAS_DATA.

    A stream past STALE_AFTER (engine clock) cannot be read (§1.5). SYSTEM$STREAM_HAS_DATA is
    evaluated here, once per call site, so that a FALSE answer can refresh the stream's staleness.
    """
    for name in tr.streams:
        _check_not_stale(session, cur, name)
    for index, (name, sql) in enumerate(tr.has_data):
        _check_not_stale(session, cur, name)
        answer = bool(cur.execute(f"SELECT {sql}").fetchone()[0])
        if not answer:
            cur.execute(
                f"UPDATE {_S}.STREAMS SET LAST_CONSUMED_ON = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
                [session.engine.clock(), name.database, name.schema, name.name],
            )
        cur.execute(f"SET VARIABLE {has_data_variable(index)} = ?", [answer])
    for point in tr.change_points:
        cur.execute(f"SET VARIABLE {point.variable} = ?", [_change_point_version(session, cur, point)])


def _change_point_version(session: Session, cur: duckdb.DuckDBPyConnection, point: ChangePoint) -> int:
    """The change version a point in time names (see ChangePoint). A start the table's log does not reach back
    to is refused, as Snowflake refuses a range without change tracking."""
    if point.kind == "OFFSET":
        seconds = float(cur.execute(f"SELECT CAST(({point.value_sql}) AS DOUBLE)").fetchone()[0])
        when = session.engine.clock() + dt.timedelta(seconds=seconds)
    else:
        when = cur.execute(f"SELECT CAST(({point.value_sql}) AS TIMESTAMP)").fetchone()[0]
    compare = "<=" if point.inclusive else "<"
    version = cur.execute(
        f"SELECT coalesce(max(VERSION), 0) FROM {_S}.VERSION_TIMES WHERE TAKEN_AT {compare} ?", [when]
    ).fetchone()[0]
    floor = log_floor(cur, point.table.fqn)
    if floor is None or (point.start and (version < floor[0] or (floor[1] is not None and when < floor[1]))):
        raise SnowflakeError(
            "Change tracking is not enabled or has been missing for the time range requested on table "
            f"'{point.table.fqn}'.",
            errno=2203,
        )
    return version


def stale_after(last_consumed: dt.datetime | None) -> dt.datetime | None:
    return last_consumed + dt.timedelta(days=STALE_AFTER_DAYS) if last_consumed else None


def _check_not_stale(session: Session, cur: duckdb.DuckDBPyConnection, name: ObjectName) -> None:
    row = cur.execute(
        f"SELECT STALE, INVALID_REASON, coalesce(LAST_CONSUMED_ON, CREATED_ON) FROM {_S}.STREAMS "
        "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [name.database, name.schema, name.name],
    ).fetchone()
    if row is None:
        return
    stale, reason, base = row
    limit = stale_after(base)
    if stale or (limit is not None and session.engine.clock() > limit):
        raise SnowflakeError(
            f"Stream {name.fqn} has become stale ({reason or 'unconsumed past its STALE_AFTER time'}); "
            "recreate it with CREATE OR REPLACE STREAM.",
            errno=91901,
        )


def stream_has_data_sql(stream: StreamInfo) -> str:
    """SYSTEM$STREAM_HAS_DATA (§1.6): any log entry past the offset. False positives allowed, never false negatives."""
    if stream.initial_pending:
        return "TRUE"
    only_inserts = " AND _OP IN ('INS', 'INS_RANGE')" if stream.mode == "APPEND_ONLY" else ""
    return f"EXISTS (SELECT 1 FROM {log_table(stream.source)} WHERE {_range(stream)}{only_inserts})"


def advance_offsets(
    cur: duckdb.DuckDBPyConnection, consumed: Iterable[ObjectName], read_version: int, now: dt.datetime
) -> bool:
    """§1.4: on commit, each stream a DML statement read moves its offset to the transaction's read version.

    The sources' logs are then pruned up to their streams' lowest offset, and a consumed SHOW_INITIAL_ROWS
    snapshot is dropped. Returns whether the catalog changed (a snapshot table was dropped).
    """
    sources: set[str] = set()
    dropped_initial = False
    for stream in consumed:
        row = cur.execute(
            f"UPDATE {_S}.STREAMS SET OFFSET_VERSION = ?, LAST_CONSUMED_ON = ?, INITIAL_PENDING = FALSE "
            "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ? RETURNING TABLE_FQN, INITIAL_PENDING",
            [read_version, now, stream.database, stream.schema, stream.name],
        ).fetchone()
        if row is None:
            continue
        sources.add(row[0])
        if cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [INTERNAL_SCHEMA, "INIT:" + stream.fqn],
        ).fetchone()[0]:
            cur.execute(f"DROP TABLE {initial_rows_table(stream)}")
            dropped_initial = True
    for fqn in sources:
        prune_log(cur, fqn)
    return dropped_initial


def prune_log(cur: duckdb.DuckDBPyConnection, table_fqn: str) -> None:
    """Drop the log entries every stream on the table has consumed (up to their lowest offset)."""
    low = cur.execute(f"SELECT min(OFFSET_VERSION) FROM {_S}.STREAMS WHERE TABLE_FQN = ?", [table_fqn]).fetchone()[0]
    if low is not None:
        cur.execute(f"DELETE FROM {log_table(ObjectName(*table_fqn.split('.', 2)))} WHERE _V <= ?", [low])
        pruned(cur, table_fqn, low)


# --- DDL and SHOW ----------------------------------------------------------------------------------


SHOW_STREAMS_COLUMNS = [
    "created_on", "name", "database_name", "schema_name", "owner", "comment", "table_name", "source_type",
    "base_tables", "type", "stale", "mode", "stale_after", "invalid_reason", "owner_role_type",
]  # fmt: skip


def show_streams(session: Session, like: str | None, database: str | None, schema: str | None, terse: bool) -> Result:
    now = session.engine.clock()
    rows = session.query_internal(
        f"SELECT CREATED_ON, NAME, DATABASE_NAME, SCHEMA_NAME, COMMENT, TABLE_FQN, MODE, STALE, INVALID_REASON, "
        f"coalesce(LAST_CONSUMED_ON, CREATED_ON) FROM {_S}.STREAMS ORDER BY DATABASE_NAME, SCHEMA_NAME, NAME"
    )
    out = []
    for created, name, db, sch, comment, table, mode, stale, reason, consumed in rows:
        if (database and db != database) or (schema and sch != schema) or not like_matches(name, like):
            continue
        limit = stale_after(consumed)
        is_stale = bool(stale) or (limit is not None and now > limit)
        out.append(
            (created, name, db, sch, "SYSADMIN", comment or "", table, "Table", table, "DELTA",
             "true" if is_stale else "false", mode, limit, reason or "N/A", "ROLE")
        )  # fmt: skip
    if terse:
        return Result.of(
            ["created_on", "name", "kind", "database_name", "schema_name", "tableOn"],
            # show-streams, TERSE: "kind (rename of type column ...)", "tableOn (rename of table_name ...)"
            [(r[0], r[1], r[9], r[2], r[3], r[6]) for r in out],
        )
    return Result.of(SHOW_STREAMS_COLUMNS, out)


def _stream_row(session: Session, name: ObjectName) -> tuple | None:
    rows = session.query_internal(
        f"SELECT TABLE_FQN, OFFSET_VERSION, MODE FROM {_S}.STREAMS WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? "
        "AND NAME = ?",
        [name.database, name.schema, name.name],
    )
    return rows[0] if rows else None


def create_stream(session: Session, text: str) -> Result:
    """CREATE [OR REPLACE] STREAM ... ON TABLE (§1): a new offset on the table's change log."""
    try:
        spec = parse_create_stream(text)
    except ObjectSyntaxError as exc:
        raise SnowflakeError(f"SQL compilation error: {exc}.", errno=1003) from None
    if spec.or_replace and spec.if_not_exists:
        raise SnowflakeError(
            "SQL compilation error: OR REPLACE and IF NOT EXISTS cannot both be specified.", errno=1003
        )
    if spec.time_travel is not None:
        raise UnsupportedStatement(
            f"CREATE STREAM ... {spec.time_travel}: only AT(STREAM => ...) (no time travel locally)"
        )
    if spec.insert_only and spec.source_type == "TABLE":
        raise SnowflakeError("Streams of type INSERT_ONLY can only be created on external tables.", errno=2211)
    if spec.source_type != "TABLE":
        raise SnowflakeError(f"Streams on {spec.source_type} are not supported by the local engine.", errno=1003)
    unknown = sorted(set(spec.params) - {"APPEND_ONLY", "SHOW_INITIAL_ROWS", "INSERT_ONLY", "COMMENT"})
    if unknown:
        raise UnsupportedStatement(f"CREATE STREAM option {', '.join(unknown)}")
    name = resolve(split_name(spec.name), session.database, session.schema)
    table = resolve(split_name(spec.on_table), session.database, session.schema)
    existing = _stream_row(session, name)
    if existing is not None and spec.if_not_exists:
        return Result.message(f"{name.name} already exists, statement succeeded.")
    if existing is not None and not spec.or_replace:
        raise AlreadyExists("Stream", name.name)
    keep_offset = None
    if spec.at_stream is not None:
        other = resolve(split_name(spec.at_stream), session.database, session.schema)
        row = _stream_row(session, other)
        if row is None:
            raise ObjectNotFound("Stream", other.fqn)
        keep_offset = row[1]

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        exists = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [table.storage_schema, table.name],
        ).fetchone()[0]
        if not exists:
            raise ObjectNotFound("Table", table.fqn)
        enable_change_tracking(session, cur, table, "inserts" if spec.append_only else "all")
        now_version = session.read_version
        cur.execute(
            f"DELETE FROM {_S}.STREAMS WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [name.database, name.schema, name.name],
        )
        cur.execute(f"DROP TABLE IF EXISTS {initial_rows_table(name)}")
        offset = keep_offset if keep_offset is not None else now_version
        cur.execute(
            f"INSERT INTO {_S}.STREAMS VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, FALSE, NULL)",
            [
                name.database, name.schema, name.name, table.fqn, "APPEND_ONLY" if spec.append_only else "DEFAULT",
                spec.show_initial_rows, spec.show_initial_rows, offset, session.engine.clock(), spec.comment,
            ],
        )  # fmt: skip
        if spec.show_initial_rows:
            # §1.3: the first read returns the rows present now, as INSERTs.
            cur.execute(
                f"CREATE TABLE {initial_rows_table(name)} AS SELECT CAST({offset} AS BIGINT) AS _V, "
                f"0::BIGINT AS _S, 'INS' AS _OP, * FROM {table.duck}"
            )
        return Result.message(f"Stream {name.name} successfully created.")

    return session.run_ddl(apply)


def drop_stream(session: Session, name_text: str, if_exists: bool) -> Result:
    """DROP STREAM: the offset goes; the source's log is pruned to the lowest remaining offset."""
    name = resolve(split_name(name_text), session.database, session.schema)
    row = _stream_row(session, name)
    if row is None:
        if if_exists:
            return Result.message("Statement executed successfully.")
        raise ObjectNotFound("Stream", name.fqn)

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        cur.execute(
            f"DELETE FROM {_S}.STREAMS WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [name.database, name.schema, name.name],
        )
        cur.execute(f"DROP TABLE IF EXISTS {initial_rows_table(name)}")
        prune_log(cur, row[0])
        return Result.message(f"{name.name} successfully dropped.")

    return session.run_ddl(apply)
