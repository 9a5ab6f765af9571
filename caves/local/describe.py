"""DESCRIBE TABLE / VIEW, SHOW COLUMNS and SHOW PRIMARY KEYS, from the engine's record of declared columns
(caves/local/coltypes.py) over DuckDB's catalog."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from . import coltypes
from .errors import ObjectNotFound
from .names import INTERNAL_SCHEMA, ObjectName, like_matches, quote
from .result import Result

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)

# https://docs.snowflake.com/en/sql-reference/sql/desc-table ("Output")
DESCRIBE_COLUMNS = ["name", "type", "kind", "null?", "default", "primary key", "unique key", "check", "expression",
                    "comment", "policy name", "privacy domain"]  # fmt: skip
# https://docs.snowflake.com/en/sql-reference/sql/show-columns ("Output")
SHOW_COLUMNS = ["table_name", "schema_name", "column_name", "data_type", "null?", "default", "kind", "expression",
                "comment", "database_name", "autoincrement", "schema_evolution_record"]  # fmt: skip
# https://docs.snowflake.com/en/sql-reference/sql/show-primary-keys ("Output")
SHOW_PRIMARY_KEYS = ["created_on", "database_name", "schema_name", "table_name", "column_name", "key_sequence",
                     "constraint_name", "rely", "comment"]  # fmt: skip


def _columns(session: Session, name: ObjectName) -> list[tuple]:
    sql, params = coltypes.column_sql(name.storage_schema, name.name, name.database, name.schema)
    return session.query_internal(sql, params)


def describe_table(session: Session, name: ObjectName) -> Result:
    """DESCRIBE TABLE / VIEW: one row per column, its type as Snowflake spells it and its keys."""
    rows = _columns(session, name)
    if not rows:
        raise ObjectNotFound("Table", name.fqn)
    out = [
        (c, t, "COLUMN", "Y" if nullable else "N", default, "Y" if pk else "N", "Y" if unique else "N", None, None,
         comment, None, None)
        for c, t, nullable, default, pk, _, unique, comment in rows
    ]  # fmt: skip
    return Result.of(DESCRIBE_COLUMNS, out)


def type_json(spelled: str, nullable: bool) -> str:
    """SHOW COLUMNS ``data_type``: the type as the JSON Snowflake's drivers read (type, length / precision, scale)."""
    match = re.fullmatch(r"(\w+)(?:\((\d+)(?:,(\d+))?\))?", spelled)
    base, first, second = (match.group(1), match.group(2), match.group(3)) if match else (spelled, None, None)
    if base == "NUMBER":
        out: dict = {"type": "FIXED", "precision": int(first), "scale": int(second or 0)}
    elif base == "VARCHAR":
        length = int(first)
        out = {"type": "TEXT", "length": length, "byteLength": min(4 * length, 16777216)}
    elif base == "BINARY":
        out = {"type": "BINARY", "length": int(first), "byteLength": int(first)}
    elif base == "FLOAT":
        out = {"type": "REAL"}
    elif base in {"TIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ"}:
        out = {"type": base, "precision": 0, "scale": int(first)}
    else:
        out = {"type": base}
    out["nullable"] = nullable
    if base in {"VARCHAR", "BINARY"}:
        out["fixed"] = base == "BINARY"
    return json.dumps(out, separators=(",", ":"))


def _objects(session: Session, database: str | None, schema: str | None) -> list[ObjectName]:
    rows = session.query_internal(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name LIKE '%.%' UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name LIKE '%.%' AND NOT internal ORDER BY 1, 2"
    )
    out = []
    for storage, table in rows:
        db, _, sch = storage.partition(".")
        if sch != "INFORMATION_SCHEMA" and (database is None or db == database) and (schema is None or sch == schema):
            out.append(ObjectName(db, sch, table))
    return out


def show_columns(
    session: Session, like: str | None, database: str | None, schema: str | None, table: ObjectName | None
) -> Result:
    """SHOW COLUMNS [LIKE] [IN ACCOUNT | DATABASE | SCHEMA | TABLE | VIEW]; without IN, the current database
    (the account when none is in use)."""
    objects = [table] if table is not None else _objects(session, database, schema)
    out = []
    for name in objects:
        rows = _columns(session, name)
        if table is not None and not rows:
            raise ObjectNotFound("Table", name.fqn)
        for c, t, nullable, default, *_, comment in rows:
            if like_matches(c, like):
                out.append((name.name, name.schema, c, type_json(t, bool(nullable)), "true" if nullable else "false",
                            default or "", "COLUMN", "", comment or "", name.database, "", None))  # fmt: skip
    return Result.of(SHOW_COLUMNS, out)


def show_primary_keys(session: Session, database: str | None, schema: str | None, table: ObjectName | None) -> Result:
    """SHOW PRIMARY KEYS [IN ACCOUNT | DATABASE | SCHEMA | TABLE]: one row per key column, in key order."""
    rows = session.query_internal(
        f"SELECT t.CREATED_ON, c.DATABASE_NAME, c.SCHEMA_NAME, c.TABLE_NAME, c.COLUMN_NAME, c.PK_SEQ, c.PK_NAME "
        f"FROM {_S}.COLUMNS AS c LEFT JOIN {_S}.TABLES AS t ON t.DATABASE_NAME = c.DATABASE_NAME "
        "AND t.SCHEMA_NAME = c.SCHEMA_NAME AND t.NAME = c.TABLE_NAME WHERE c.PK_SEQ IS NOT NULL "
        "ORDER BY 2, 3, 4, 6"
    )
    out = []
    for created, db, sch, tbl, column, seq, constraint in rows:
        if table is not None and (db, sch, tbl) != (table.database, table.schema, table.name):
            continue
        if (database is not None and db != database) or (schema is not None and sch != schema):
            continue
        out.append((created, db, sch, tbl, column, seq, constraint, "false", None))
    return Result.of(SHOW_PRIMARY_KEYS, out)
