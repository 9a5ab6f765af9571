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
from typing import TYPE_CHECKING

import duckdb

from .errors import SnowflakeError
from .model import ROW_ID, StreamInfo, Translation
from .names import INTERNAL_SCHEMA, ObjectName, quote

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)

OP_KEYS = {"DEL": 0, "UPD_OLD": 0, "INS": 1, "UPD_NEW": 1}


def log_table(table: ObjectName) -> str:
    return f"{_S}.{quote('LOG:' + table.fqn)}"


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
    return f"_V > {offset_sql(stream.name)} AND _V <= {READ_VERSION_SQL}"


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
