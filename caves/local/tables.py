"""Tables: the engine's table registry, table DDL, and change tracking with its per-table change log.

Snowflake turns CHANGE_TRACKING on for a table when its first stream is created. Here that adds a hidden
row id (``METADATA$ROW_ID``, from a per-table sequence) and the table's change log
``"_CAVES"."LOG:<table>"``: rows ``(_V, _S, _OP, _HI, <columns>, METADATA$ROW_ID)`` where ``_V`` is the change
version of the committing transaction, ``_S`` the statement's order inside it and ``_OP`` one of INS, DEL,
UPD_OLD, UPD_NEW (INS_RANGE: the inserted row ids ``METADATA$ROW_ID.._HI``). dml.py writes the log around each
DML statement; streams.py reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import duckdb

from . import coltypes
from .errors import AlreadyExists
from .model import ROW_ID, TableInfo, Translation
from .names import INTERNAL_SCHEMA, ObjectName, quote
from .result import Result

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)


def log_table(table: ObjectName) -> str:
    """The storage name of ``table``'s change log."""
    return f"{_S}.{quote('LOG:' + table.fqn)}"


# The latest committed change version (the sequence's last value).
COMMITTED_VERSION_SQL = (
    "coalesce((SELECT last_value FROM duckdb_sequences() "
    f"WHERE schema_name = '{INTERNAL_SCHEMA}' AND sequence_name = 'CHANGE_VERSIONS'), 0)"
)


def _raise_floor(
    cur: duckdb.DuckDBPyConnection, table_fqn: str, version: int, since: dt.datetime | None = None
) -> None:
    """Move the start of ``table``'s log forward: after ``version``, and (tracking enabled) not before ``since``."""
    row = cur.execute(
        f"SELECT FLOOR_VERSION, FLOOR_TIME FROM {_S}.LOG_FLOORS WHERE TABLE_FQN = ?", [table_fqn]
    ).fetchone()
    if row is not None:
        version = max(version, row[0] or 0)
        since = max(t for t in (since, row[1]) if t is not None) if (since or row[1]) else None
    cur.execute(f"DELETE FROM {_S}.LOG_FLOORS WHERE TABLE_FQN = ?", [table_fqn])
    cur.execute(f"INSERT INTO {_S}.LOG_FLOORS VALUES (?, ?, ?)", [table_fqn, version, since])


def log_floor(cur: duckdb.DuckDBPyConnection, table_fqn: str) -> tuple[int, dt.datetime | None] | None:
    """Where ``table``'s change log starts: (after this version, from this time); None if it is not tracked."""
    return cur.execute(
        f"SELECT FLOOR_VERSION, FLOOR_TIME FROM {_S}.LOG_FLOORS WHERE TABLE_FQN = ?", [table_fqn]
    ).fetchone()


def pruned(cur: duckdb.DuckDBPyConnection, table_fqn: str, version: int) -> None:
    """The log entries up to ``version`` were deleted: CHANGES can no longer read from before it."""
    _raise_floor(cur, table_fqn, version)


def run_ddl(session: Session, cur: duckdb.DuckDBPyConnection, tr: Translation, binds: list[Any] | None) -> Result:
    """CREATE/DROP/ALTER TABLE or VIEW, keeping the engine's table registry and change logs in step."""
    options = tr.table_options
    from_source = coltypes.source_types(cur, options.get("sources") or {}) if tr.created_table is not None else {}
    dropped_id = None
    if tr.dropped_table is not None and tr.object_kind == "TABLE":
        dropped_id = _forget_table(session, cur, tr.dropped_table, replaced=tr.created_table is not None)
    if tr.dropped_table is not None:
        coltypes.forget(cur, tr.dropped_table)
    # A CREATE that makes a new object (not CREATE ... IF NOT EXISTS of an existing one).
    creates = tr.created_table is not None and (tr.target is None or tr.replaced)
    clone_of = options.get("clone_of")
    if clone_of is None:
        cur.execute(tr.sql, binds)
    elif creates:
        if tr.replaced:
            cur.execute(f"DROP TABLE IF EXISTS {tr.created_table.duck}")  # CREATE OR REPLACE TABLE ... CLONE
        _clone_table(cur, clone_of, tr.created_table, rows=bool(options.get("clone_rows")))
    elif not options.get("if_not_exists"):
        raise AlreadyExists("Table", tr.created_table.name)
    if dropped_id is not None:
        # Only now: the old table's row-id default depended on this sequence.
        cur.execute(f"DROP SEQUENCE IF EXISTS {_row_id_sequence(dropped_id)}")
    if tr.created_table is not None and tr.object_kind == "TABLE":
        if creates and options.get("clone_rows"):
            options = {**options, **_clone_options(cur, clone_of)}
        _register_table(session, cur, tr.created_table, options)
        if options.get("temporary"):
            session.temporary_tables.append(tr.created_table)
    _record_columns(cur, tr, creates, from_source)
    renamed = options.get("renamed_to")
    if renamed is not None and tr.target is not None:
        _rename_table(cur, tr.target, renamed)
        coltypes.rename(cur, tr.target.name, renamed)
    elif options.get("tracked_alter") and tr.target is not None:
        sync_log_columns(cur, tr.target.name)
    session.engine.catalog_changed(cur)
    return Result.message(_ddl_status(tr))


def _ddl_status(tr: Translation) -> str:
    """Snowflake's status text for CREATE / DROP / ALTER of a table or view
    (https://docs.snowflake.com/en/sql-reference/sql/drop-table, "Examples")."""
    name = tr.created_table or tr.dropped_table or (tr.target.name if tr.target else None)
    label = name.name if isinstance(name, ObjectName) else ""
    if tr.created_table is not None:
        if tr.target is not None and not tr.replaced:
            return f"{label} already exists, statement succeeded."  # CREATE ... IF NOT EXISTS
        return f"{tr.object_kind.title()} {label} successfully created."
    if tr.dropped_table is not None:
        if tr.target is None:
            return f"Drop statement executed successfully ({label} already dropped)."  # DROP ... IF EXISTS
        return f"{label} successfully dropped."
    return "Statement executed successfully."


def _record_columns(
    cur: duckdb.DuckDBPyConnection, tr: Translation, creates: bool, from_source: dict[tuple[str, str], str]
) -> None:
    """The declared columns of a new table or view, or an ALTER TABLE's changes to them (coltypes.py)."""
    options = tr.table_options
    if creates and options.get("clone_of") is not None:
        coltypes.copy_record(cur, options["clone_of"], tr.created_table)
    elif creates:
        mapping = options.get("source_mapping") or {}
        typed = options.get("typed_columns") or {}
        coltypes.record_created(cur, tr.created_table, options.get("declared"), from_source, mapping, typed)
        if "text" in options:
            coltypes.record_view_text(cur, tr.created_table, options["text"])
    if options.get("column_changes") and tr.target is not None:
        coltypes.apply_alter(cur, tr.target.name, options["column_changes"], tr.target.columns)


def _clone_table(cur: duckdb.DuckDBPyConnection, source: ObjectName, target: ObjectName, rows: bool) -> None:
    """CREATE TABLE ... CLONE (https://docs.snowflake.com/en/sql-reference/sql/create-clone): a new table with the
    source's columns (types, defaults, NOT NULL) and its current rows (``rows``; CREATE TABLE ... LIKE: none). The
    clone starts with no change history: its change tracking is off and a stream on it sees only the changes made to
    the clone (the hidden row id of a tracked source is not copied)."""
    columns = cur.execute(
        "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? AND column_name <> ? ORDER BY column_index",
        [source.storage_schema, source.name, ROW_ID],
    ).fetchall()
    definitions = ", ".join(
        f"{quote(c)} {t}{f' DEFAULT {d}' if d is not None else ''}{'' if n else ' NOT NULL'}" for c, t, d, n in columns
    )
    names = ", ".join(quote(c) for c, *_ in columns)
    cur.execute(f"CREATE TABLE {target.duck} ({definitions})")
    if rows:
        cur.execute(f"INSERT INTO {target.duck} ({names}) SELECT {names} FROM {source.duck}")


def _clone_options(cur: duckdb.DuckDBPyConnection, source: ObjectName) -> dict:
    """A clone keeps the source's comment and clustering key."""
    row = cur.execute(
        f"SELECT COMMENT, CLUSTER_BY FROM {_S}.TABLES WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [source.database, source.schema, source.name],
    ).fetchone()
    return {"comment": row[0], "cluster_by": row[1]} if row else {}


def _register_table(session: Session, cur: duckdb.DuckDBPyConnection, name: ObjectName, options: dict) -> None:
    exists = cur.execute(
        f"SELECT count(*) FROM {_S}.TABLES WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [name.database, name.schema, name.name],
    ).fetchone()[0]
    if exists:
        return
    cur.execute(
        f"INSERT INTO {_S}.TABLES VALUES (?, ?, ?, 'TABLE', ?, ?, ?, FALSE, 'none', nextval('{INTERNAL_SCHEMA}.TABLE_IDS'))",
        [
            name.database,
            name.schema,
            name.name,
            session.engine.clock(),
            options.get("comment"),
            options.get("cluster_by"),
        ],
    )


def _row_id_sequence(table_id: int) -> str:
    return f"{_S}.{quote(f'ROWID:{table_id}')}"


def _forget_table(session: Session, cur: duckdb.DuckDBPyConnection, name: ObjectName, replaced: bool) -> int | None:
    """Dropping or replacing a table makes its streams stale (SNOWFLAKE_SEMANTICS.md §1.1).

    Returns the engine's id of the table (its row-id sequence is dropped after the table itself).
    """
    row = cur.execute(
        f"SELECT TABLE_ID FROM {_S}.TABLES WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [name.database, name.schema, name.name],
    ).fetchone()
    reason = "base table was replaced" if replaced else "base table was dropped"
    cur.execute(f"UPDATE {_S}.STREAMS SET STALE = TRUE, INVALID_REASON = ? WHERE TABLE_FQN = ?", [reason, name.fqn])
    cur.execute(
        f"DELETE FROM {_S}.TABLES WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [name.database, name.schema, name.name],
    )
    cur.execute(f"DROP TABLE IF EXISTS {log_table(name)}")
    cur.execute(f"DELETE FROM {_S}.LOG_FLOORS WHERE TABLE_FQN = ?", [name.fqn])
    return row[0] if row else None


def _rename_table(cur: duckdb.DuckDBPyConnection, info: TableInfo, new: ObjectName) -> None:
    """Renaming a source is harmless for its streams (§1.1): registry, log and streams follow the name."""
    old = info.name
    cur.execute(
        f"UPDATE {_S}.TABLES SET NAME = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [new.name, old.database, old.schema, old.name],
    )
    cur.execute(f"UPDATE {_S}.STREAMS SET TABLE_FQN = ? WHERE TABLE_FQN = ?", [new.fqn, old.fqn])
    cur.execute(f"UPDATE {_S}.LOG_FLOORS SET TABLE_FQN = ? WHERE TABLE_FQN = ?", [new.fqn, old.fqn])
    if info.tracked:
        cur.execute(f"ALTER TABLE {log_table(old)} RENAME TO {quote('LOG:' + new.fqn)}")


def enable_change_tracking(session: Session, cur: duckdb.DuckDBPyConnection, name: ObjectName, capture: str) -> None:
    """Snowflake turns CHANGE_TRACKING on at the first stream; here that adds the hidden row id and the log."""
    lookup = (
        f"SELECT CHANGE_TRACKING, CAPTURE, TABLE_ID FROM {_S}.TABLES "
        "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?"
    )
    row = cur.execute(lookup, [name.database, name.schema, name.name]).fetchone()
    if row is None:
        _register_table(session, cur, name, {})
        row = cur.execute(lookup, [name.database, name.schema, name.name]).fetchone()
    if not row[0]:
        seq = _row_id_sequence(row[2])
        cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {seq}")
        default = "nextval('" + seq.replace("'", "''") + "')"
        cur.execute(f"ALTER TABLE {name.duck} ADD COLUMN {quote(ROW_ID)} BIGINT DEFAULT {default}")
        cur.execute(
            f"CREATE TABLE {log_table(name)} AS SELECT 0::BIGINT AS _V, 0::BIGINT AS _S, ''::VARCHAR AS _OP, "
            f"NULL::BIGINT AS _HI, * FROM {name.duck} LIMIT 0"
        )
    new_capture = "all" if capture == "all" or row[1] == "all" else "inserts"
    if not row[0] or new_capture != row[1]:
        # The log holds what CHANGES can read from now on: all changes, or (upgraded) updates and deletes too.
        committed = cur.execute(f"SELECT {COMMITTED_VERSION_SQL}").fetchone()[0]
        _raise_floor(cur, name.fqn, committed, session.engine.clock())
    cur.execute(
        f"UPDATE {_S}.TABLES SET CHANGE_TRACKING = TRUE, CAPTURE = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [new_capture, name.database, name.schema, name.name],
    )


def sync_log_columns(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> None:
    """After ALTER TABLE on a tracked table, the log gets the new columns (streams return current columns)."""
    have = {
        r[0]
        for r in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
            [INTERNAL_SCHEMA, "LOG:" + name.fqn],
        ).fetchall()
    }
    for col, dtype in cur.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [name.storage_schema, name.name],
    ).fetchall():
        if col not in have:
            cur.execute(f"ALTER TABLE {log_table(name)} ADD COLUMN {quote(col)} {dtype}")
