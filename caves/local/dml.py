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

from typing import TYPE_CHECKING, Any

import duckdb

from .model import OVERWRITE_ROWS, ROW_ID, Binds, TableInfo, Translation
from .names import INTERNAL_SCHEMA, quote
from .result import Result
from .tables import log_table, run_ddl

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)
_PRE = '"_caves_pre_image"'


def run_statement(session: Session, cur: duckdb.DuckDBPyConnection, tr: Translation, params: Binds) -> Result:
    binds = list(params) if params else None
    if tr.kind == "ddl":
        return run_ddl(session, cur, tr, binds)
    if tr.overwrite_sql is not None:  # INSERT OVERWRITE: its rows first (they may read the table), then empty it
        cur.execute(tr.overwrite_sql, binds)
        binds = None
        if not tr.target.tracked:
            cur.execute(f"DELETE FROM {tr.target.name.duck}")
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
        if tr.overwrite_sql is not None:
            cur.execute(f"DROP TABLE IF EXISTS {OVERWRITE_ROWS}")
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


def _log_from(
    cur: duckdb.DuckDBPyConnection,
    info: TableInfo,
    version: int,
    stmt: int,
    op: str,
    source_sql: str,
    binds: list[Any] | None = None,
) -> None:
    cols = _cols(info)
    cur.execute(
        f"INSERT INTO {log_table(info.name)} (_V, _S, _OP, {cols}) SELECT {version}, {stmt}, '{op}', {cols} "
        f"FROM {source_sql}",
        binds,
    )


def _max_row_id(cur: duckdb.DuckDBPyConnection, info: TableInfo) -> int:
    return cur.execute(f"SELECT coalesce(max({quote(ROW_ID)}), 0) FROM {info.name.duck}").fetchone()[0]


def _run_tracked_dml(
    session: Session, cur: duckdb.DuckDBPyConnection, tr: Translation, binds: list[Any] | None
) -> Result:
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
    if tr.overwrite_sql is not None:  # the table's rows are in the pre-image: logged below as TRUNCATE logs them
        cur.execute(f"DELETE FROM {table}")

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
    if (tr.kind == "delete" or tr.overwrite_sql is not None) and tr.pre_image_sql is not None:
        _log_from(cur, info, version, stmt, "DEL", _PRE)
    if tr.kind == "merge" and tr.pre_image_sql is not None:
        _log_merge_changes(cur, info, version, stmt, updated, deleted)
    if tr.pre_image_sql is not None:
        cur.execute(f"DROP TABLE IF EXISTS {_PRE}")
    if tr.overwrite_sql is not None:
        cur.execute(f"DROP TABLE IF EXISTS {OVERWRITE_ROWS}")
    if tr.kind == "merge":
        return _merge_columns(_dml_result("merge", inserted, n_updated, n_deleted), tr)
    return _dml_result(tr.kind, inserted)


def _log_insert_range(
    cur: duckdb.DuckDBPyConnection, info: TableInfo, version: int, stmt: int, before_max: int
) -> None:
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


def _keep_deleted_pending_rows(cur: duckdb.DuckDBPyConnection, info: TableInfo, merge_deleted: list | None) -> None:
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


def _log_merge_changes(
    cur: duckdb.DuckDBPyConnection, info: TableInfo, version: int, stmt: int, updated: list, deleted: list
) -> None:
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
