"""Running translated statements inside a transaction, with change capture for tracked tables.

DuckDB has no triggers, so the engine itself writes the change log of a tracked table around each
DML statement (see streams.py for the log's shape):

* INSERT: new rows are those whose hidden row id is above the table's highest before the insert
  (ids come from a sequence), so they are copied to the log without leaving DuckDB;
* UPDATE / DELETE: the rows the statement will touch are read first (its own sources and condition)
  as the "before" images; after an UPDATE the same row ids give the "after" images;
* MERGE: the same "before" read, and the statement returns (merge_action, row id) to tell which rows
  it updated, deleted or left alone.

Tables whose streams are all APPEND_ONLY capture inserts only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from .model import ROW_ID, TableInfo, Translation
from .names import INTERNAL_SCHEMA, ObjectName, quote
from .result import Result
from .streams import log_table

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)
_PRE = '"_caves_pre_image"'


def run_statement(session: Session, cur: duckdb.DuckDBPyConnection, tr: Translation, params) -> Result:
    binds = list(params) if params else None
    if tr.kind == "ddl":
        return run_ddl(session, cur, tr, binds)
    if tr.is_dml and tr.target is not None and tr.target.tracked:
        return _run_tracked_dml(session, cur, tr, binds)
    cur.execute(tr.sql, binds)
    if tr.kind == "select":
        rows = cur.fetchall()
        desc = cur.description or []
        return Result(columns=[d[0] for d in desc], rows=rows, types=[str(d[1]) for d in desc])
    if tr.kind == "merge":
        actions = [r[0] for r in cur.fetchall()]
        result = _dml_result("merge", actions.count("INSERT"), actions.count("UPDATE"), actions.count("DELETE"))
        return _merge_columns(result, tr)
    if tr.is_dml:
        count = cur.fetchone()[0]
        return _dml_result(tr.kind, count)
    return Result.message("Statement executed successfully.")


def _dml_result(kind: str, count: int, updated: int = 0, deleted: int = 0) -> Result:
    """Snowflake's answer to DML: the affected row counts, one column per action."""
    if kind == "insert":
        return Result(columns=["number of rows inserted"], rows=[(count,)], rowcount=count)
    if kind == "update":
        return Result(
            columns=["number of rows updated", "number of multi-joined rows updated"], rows=[(count, 0)], rowcount=count
        )
    if kind == "delete":
        return Result(columns=["number of rows deleted"], rows=[(count,)], rowcount=count)
    return Result(
        columns=["number of rows inserted", "number of rows updated", "number of rows deleted"],
        rows=[(count, updated, deleted)],
        rowcount=count + updated + deleted,
    )


def _merge_columns(result: Result, tr: Translation) -> Result:
    """A MERGE shows one count column per kind of action it has (an UPDATE-only MERGE: "number of rows updated")."""
    kinds = tr.merge_actions or ("INSERT", "UPDATE", "DELETE")
    keep = [i for i, kind in enumerate(("INSERT", "UPDATE", "DELETE")) if kind in kinds]
    result.columns = [result.columns[i] for i in keep]
    result.rows = [tuple(row[i] for i in keep) for row in result.rows]
    return result


def _cols(info: TableInfo) -> str:
    return ", ".join(quote(c) for c in (*info.columns, ROW_ID))


def _log_from(cur, info: TableInfo, version: int, stmt: int, op: str, source_sql: str, binds=None) -> None:
    cols = _cols(info)
    cur.execute(
        f"INSERT INTO {log_table(info.name)} (_V, _S, _OP, {cols}) SELECT {version}, {stmt}, '{op}', {cols} "
        f"FROM {source_sql}",
        binds,
    )


def _max_row_id(cur, info: TableInfo) -> int:
    return cur.execute(f"SELECT coalesce(max({quote(ROW_ID)}), 0) FROM {info.name.duck}").fetchone()[0]


def _run_tracked_dml(session: Session, cur, tr: Translation, binds) -> Result:
    info = tr.target
    version = session.write_version(cur)
    stmt = session.statement_index
    rid = quote(ROW_ID)
    table = info.name.duck
    if tr.pre_image_sql is not None:
        lo, hi = tr.pre_image_params
        pre_binds = binds[lo:hi] if binds else None
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {_PRE} AS {tr.pre_image_sql}", pre_binds or None)
    before_max = _max_row_id(cur, info) if tr.kind in {"insert", "merge"} else 0

    cur.execute(tr.sql, binds)
    if tr.kind == "merge":
        actions = cur.fetchall()
        updated = [r[1] for r in actions if r[0] == "UPDATE"] if tr.pre_image_sql else []
        deleted = [r[1] for r in actions if r[0] == "DELETE"] if tr.pre_image_sql else []
        inserted = sum(1 for r in actions if r[0] == "INSERT")
        n_updated = sum(1 for r in actions if r[0] == "UPDATE")
        n_deleted = sum(1 for r in actions if r[0] == "DELETE")
    else:
        count = cur.fetchone()[0]
        updated, deleted, inserted = [], [], count

    if tr.kind in {"insert", "merge"} and info.capture == "inserts":
        _log_insert_range(cur, info, version, stmt, before_max)
    elif tr.kind in {"insert", "merge"}:
        _log_from(cur, info, version, stmt, "INS", f"{table} WHERE {rid} > ?", [before_max])
    if info.capture == "inserts" and tr.pre_image_sql is not None:
        _keep_deleted_pending_rows(cur, info, deleted if tr.kind == "merge" else None)
    elif tr.kind == "update" and tr.pre_image_sql is not None:
        _log_from(cur, info, version, stmt, "UPD_OLD", _PRE)
        _log_from(cur, info, version, stmt, "UPD_NEW", f"{table} WHERE {rid} IN (SELECT {rid} FROM {_PRE})")
    if tr.kind == "delete" and tr.pre_image_sql is not None:
        _log_from(cur, info, version, stmt, "DEL", _PRE)
    if tr.kind == "merge" and tr.pre_image_sql is not None:
        _log_merge_changes(cur, info, version, stmt, updated, deleted)
    if tr.pre_image_sql is not None:
        cur.execute(f"DROP TABLE IF EXISTS {_PRE}")
    if tr.kind == "merge":
        return _merge_columns(_dml_result("merge", inserted, n_updated, n_deleted), tr)
    return _dml_result(tr.kind, inserted)


def _log_insert_range(cur, info: TableInfo, version: int, stmt: int, before_max: int) -> None:
    """Inserts-only capture logs the new rows' id range, not their values: row ids come from a
    sequence, so the rows a statement added are those above the table's highest id before it."""
    rid = quote(ROW_ID)
    lo, hi = cur.execute(
        f"SELECT min({rid}), max({rid}) FROM {info.name.duck} WHERE {rid} > ?", [before_max]
    ).fetchone()
    if lo is not None:
        cur.execute(
            f"INSERT INTO {log_table(info.name)} (_V, _S, _OP, {rid}, _HI) VALUES (?, ?, 'INS_RANGE', ?, ?)",
            [version, stmt, lo, hi],
        )


def _keep_deleted_pending_rows(cur, info: TableInfo, merge_deleted: list | None) -> None:
    """Rows deleted before an append-only stream returned them keep their values in the log, under
    their insert's version (§1.2: "insert 10 then delete 5 before consuming: all 10 are returned")."""
    rid = quote(ROW_ID)
    cols = _cols(info)
    source = _PRE
    if merge_deleted is not None:
        if not merge_deleted:
            return
        cur.execute('CREATE OR REPLACE TEMP TABLE "_caves_ids" (ID BIGINT)')
        cur.executemany('INSERT INTO "_caves_ids" VALUES (?)', [[i] for i in merge_deleted])
        source = f'(SELECT * FROM {_PRE} WHERE {rid} IN (SELECT ID FROM "_caves_ids"))'
    log = log_table(info.name)
    cur.execute(
        f"INSERT INTO {log} (_V, _S, _OP, {cols}) "
        f"SELECT r._V, r._S, 'INS', {', '.join('p.' + quote(c) for c in (*info.columns, ROW_ID))} "
        f"FROM {source} AS p JOIN (SELECT _V, _S, unnest(range({rid}, _HI + 1)) AS _RID FROM {log} "
        f"WHERE _OP = 'INS_RANGE') AS r ON p.{rid} = r._RID"
    )


def _log_merge_changes(cur, info: TableInfo, version: int, stmt: int, updated: list, deleted: list) -> None:
    rid = quote(ROW_ID)
    if updated:
        cur.execute('CREATE OR REPLACE TEMP TABLE "_caves_ids" (ID BIGINT)')
        cur.executemany('INSERT INTO "_caves_ids" VALUES (?)', [[i] for i in updated])
        ids = '(SELECT ID FROM "_caves_ids")'
        _log_from(cur, info, version, stmt, "UPD_OLD", f"{_PRE} WHERE {rid} IN {ids}")
        _log_from(cur, info, version, stmt, "UPD_NEW", f"{info.name.duck} WHERE {rid} IN {ids}")
    if deleted:
        cur.execute('CREATE OR REPLACE TEMP TABLE "_caves_ids" (ID BIGINT)')
        cur.executemany('INSERT INTO "_caves_ids" VALUES (?)', [[i] for i in deleted])
        _log_from(cur, info, version, stmt, "DEL", f'{_PRE} WHERE {rid} IN (SELECT ID FROM "_caves_ids")')
    cur.execute('DROP TABLE IF EXISTS "_caves_ids"')


# --- DDL -------------------------------------------------------------------------------------------


def run_ddl(session: Session, cur, tr: Translation, binds) -> Result:
    """CREATE/DROP/ALTER TABLE or VIEW, keeping the engine's table registry and change logs in step."""
    dropped_id = None
    if tr.dropped_table is not None and tr.object_kind == "TABLE":
        dropped_id = _forget_table(session, cur, tr.dropped_table, replaced=tr.created_table is not None)
    cur.execute(tr.sql, binds)
    if dropped_id is not None:
        # Only now: the old table's row-id default depended on this sequence.
        cur.execute(f"DROP SEQUENCE IF EXISTS {_row_id_sequence(dropped_id)}")
    if tr.created_table is not None and tr.object_kind == "TABLE":
        _register_table(session, cur, tr.created_table, tr.table_options)
        if tr.table_options.get("temporary"):
            session.temporary_tables.append(tr.created_table)
    renamed = tr.table_options.get("renamed_to")
    if renamed is not None and tr.target is not None:
        _rename_table(cur, tr.target, renamed)
    elif tr.table_options.get("tracked_alter") and tr.target is not None:
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


def _register_table(session: Session, cur, name: ObjectName, options: dict) -> None:
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


def _forget_table(session: Session, cur, name: ObjectName, replaced: bool) -> int | None:
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
    return row[0] if row else None


def _rename_table(cur, info: TableInfo, new: ObjectName) -> None:
    """Renaming a source is harmless for its streams (§1.1): registry, log and streams follow the name."""
    old = info.name
    cur.execute(
        f"UPDATE {_S}.TABLES SET NAME = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [new.name, old.database, old.schema, old.name],
    )
    cur.execute(f"UPDATE {_S}.STREAMS SET TABLE_FQN = ? WHERE TABLE_FQN = ?", [new.fqn, old.fqn])
    if info.tracked:
        cur.execute(f"ALTER TABLE {log_table(old)} RENAME TO {quote('LOG:' + new.fqn)}")


def enable_change_tracking(session: Session, cur, name: ObjectName, capture: str) -> None:
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
    cur.execute(
        f"UPDATE {_S}.TABLES SET CHANGE_TRACKING = TRUE, CAPTURE = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [new_capture, name.database, name.schema, name.name],
    )


def sync_log_columns(cur, name: ObjectName) -> None:
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
