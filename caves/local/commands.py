"""Statements the engine answers itself rather than through DuckDB SQL.

Session and transaction control, databases and schemas (DuckDB schemas ``"DB.SCHEMA"``), SHOW and
DESCRIBE, streams and tasks. Each handler takes ``(session, text, params)`` and returns a Result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb

from . import account, describe, sequences, streams, taskruns, variables
from . import alerts as alert_cmds
from . import tasks as task_cmds
from .errors import AlreadyExists, ObjectNotFound, SnowflakeError, UnsupportedStatement
from .info_schema import information_schema_sql
from .model import Binds
from .names import INTERNAL_SCHEMA, like_matches, quote, resolve, split_name
from .result import Result
from .scope import database_exists, show_scope
from .tables import enable_change_tracking

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)
_NAME = r'(?P<name>(?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+)){0,2})'

Handler = Callable[["Session", str, Any], Result]
_HANDLERS: list[tuple[re.Pattern, Handler]] = []


def command(pattern: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS.append((re.compile(pattern, re.I | re.S), fn))
        return fn

    return register


def find(text: str) -> Handler | None:
    if alert_cmds.STATEMENT.match(text):  # alerts and the notification procedures: caves/local/alerts.py
        return alert_cmds.handle
    for pattern, fn in (*variables.HANDLERS, *sequences.HANDLERS, *_HANDLERS):
        if pattern.match(text):
            return fn
    return None


def _ok() -> Result:
    return Result.message("Statement executed successfully.")


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- transactions -------------------------------------------------------------------------------------


@command(r"^(BEGIN|START)(\s+(TRANSACTION|WORK))?(\s+NAME\s+\S+)?\s*$")
def _begin(session: Session, text: str, params: Binds) -> Result:
    return session.begin()


@command(r"^COMMIT(\s+WORK)?\s*$")
def _commit(session: Session, text: str, params: Binds) -> Result:
    return session.commit()


@command(r"^ROLLBACK(\s+WORK)?\s*$")
def _rollback(session: Session, text: str, params: Binds) -> Result:
    return session.rollback()


# --- session context ----------------------------------------------------------------------------------


@command(r"^USE\s+(ROLE|WAREHOUSE|SECONDARY\s+ROLES)\b")
def _use_noop(session: Session, text: str, params: Binds) -> Result:
    return _ok()  # roles and warehouses do not exist locally


@command(r"^USE\s+(DATABASE\s+|SCHEMA\s+)?" + _NAME + r"\s*$")
def _use(session: Session, text: str, params: Binds) -> Result:
    match = re.match(r"^USE\s+(DATABASE\s+|SCHEMA\s+)?(.+)$", text, re.I | re.S)
    kind = (match.group(1) or "").strip().upper()
    parts = split_name(match.group(2))
    if kind == "DATABASE" or (not kind and len(parts) == 1 and database_exists(session, parts[0])):
        if len(parts) != 1:
            raise SnowflakeError("USE DATABASE takes a database name.", errno=1003)
        if not database_exists(session, parts[0]):
            raise ObjectNotFound("Database", parts[0])
        session.database, session.schema = parts[0], "PUBLIC"
        return _ok()
    if len(parts) == 2:
        database, schema = parts
    elif len(parts) == 1 and session.database:
        database, schema = session.database, parts[0]
    else:
        raise SnowflakeError("Cannot use a schema: this session does not have a current database.", errno=90105)
    if not _schema_exists(session, database, schema):
        raise ObjectNotFound("Schema", f"{database}.{schema}")
    session.database, session.schema = database, schema
    return _ok()


@command(
    r"^(ALTER\s+SESSION|ALTER\s+WAREHOUSE|CREATE\s+(OR\s+REPLACE\s+)?WAREHOUSE|GRANT|REVOKE|CREATE\s+(OR\s+REPLACE\s+)?ROLE)\b"
)
def _noop(session: Session, text: str, params: Binds) -> Result:
    return _ok()  # access control and compute have no local counterpart


# --- databases and schemas ----------------------------------------------------------------------------


def _schema_exists(session: Session, database: str, schema: str) -> bool:
    return bool(
        session.query_internal(
            "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ? AND database_name = current_database()",
            [f"{database}.{schema}"],
        )[0][0]
    )


def _refuse_clone(kind: str, rest: str | None) -> None:
    """A database or schema clone copies every object in it (streams, tasks, views ...): not emulated."""
    if rest and re.match(r"\s*CLONE\b", rest, re.I):
        raise UnsupportedStatement(f"CREATE {kind} ... CLONE")


@command(r"^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?DATABASE\b")
def _create_database(session: Session, text: str, params: Binds) -> Result:
    match = re.match(
        r"^CREATE\s+(OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?DATABASE\s+(IF\s+NOT\s+EXISTS\s+)?" + _NAME + r"(.*)$",
        text,
        re.I | re.S,
    )
    if not match:
        raise SnowflakeError("SQL compilation error: invalid CREATE DATABASE.", errno=1003)
    replace, if_not_exists, name = bool(match.group(1)), bool(match.group(2)), split_name(match.group("name"))[0]
    _refuse_clone("DATABASE", match.group(4))
    comment = re.search(r"COMMENT\s*=\s*'((?:[^']|'')*)'", match.group(4) or "", re.I)

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        exists = database_exists(session, name)
        if exists and if_not_exists:
            return Result.message(f"{name} already exists, statement succeeded.")
        if exists and not replace:
            raise AlreadyExists("Database", name)
        if exists:
            _drop_database(session, cur, name)
        cur.execute(
            f"INSERT INTO {_S}.DATABASES VALUES (?, ?, ?)",
            [name, session.engine.clock(), comment.group(1) if comment else None],
        )
        cur.execute(f"CREATE SCHEMA {quote(name + '.PUBLIC')}")
        cur.execute(information_schema_sql(name))
        return Result.message(f"Database {name} successfully created.")

    result = session.run_ddl(apply)
    session.database, session.schema = name, "PUBLIC"
    return result


def _drop_database(session: Session, cur: duckdb.DuckDBPyConnection, name: str) -> None:
    for (schema,) in cur.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE starts_with(schema_name, ?) "
        "AND database_name = current_database()",
        [name + "."],
    ).fetchall():
        cur.execute(f"DROP SCHEMA {quote(schema)} CASCADE")
    for table in ("STREAMS", "TASKS", "TABLES", "COLUMNS", "VIEW_TEXTS", "SEQUENCES"):
        cur.execute(f"DELETE FROM {_S}.{table} WHERE DATABASE_NAME = ?", [name])
    cur.execute(f"DELETE FROM {_S}.DATABASES WHERE NAME = ?", [name])


@command(r"^DROP\s+DATABASE\b")
def _drop_database_cmd(session: Session, text: str, params: Binds) -> Result:
    match = re.match(r"^DROP\s+DATABASE\s+(IF\s+EXISTS\s+)?" + _NAME + r"(\s+(CASCADE|RESTRICT))?\s*$", text, re.I)
    name = split_name(match.group("name"))[0]
    if not database_exists(session, name):
        if match.group(1):
            return _ok()
        raise ObjectNotFound("Database", name)

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        _drop_database(session, cur, name)
        return Result.message(f"{name} successfully dropped.")

    result = session.run_ddl(apply)
    if session.database == name:
        session.database = session.schema = None
    return result


@command(r"^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?SCHEMA\b")
def _create_schema(session: Session, text: str, params: Binds) -> Result:
    match = re.match(
        r"^CREATE\s+(OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?SCHEMA\s+(IF\s+NOT\s+EXISTS\s+)?" + _NAME + r"(.*)$",
        text,
        re.I | re.S,
    )
    if not match:
        raise SnowflakeError("SQL compilation error: invalid CREATE SCHEMA.", errno=1003)
    _refuse_clone("SCHEMA", match.group(4))
    parts = split_name(match.group("name"))
    database = parts[0] if len(parts) == 2 else session.database
    schema = parts[-1]
    if not database:
        raise SnowflakeError("Cannot create a schema: this session does not have a current database.", errno=90105)
    if not database_exists(session, database):
        raise ObjectNotFound("Database", database)
    replace, if_not_exists = bool(match.group(1)), bool(match.group(2))

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        exists = _schema_exists(session, database, schema)
        if exists and if_not_exists:
            return Result.message(f"{schema} already exists, statement succeeded.")
        if exists and not replace:
            raise AlreadyExists("Schema", schema)
        if exists:
            cur.execute(f"DROP SCHEMA {quote(database + '.' + schema)} CASCADE")
        cur.execute(f"CREATE SCHEMA {quote(database + '.' + schema)}")
        cur.execute(f"INSERT INTO {_S}.SCHEMAS VALUES (?, ?, ?, NULL)", [database, schema, session.engine.clock()])
        return Result.message(f"Schema {schema} successfully created.")

    result = session.run_ddl(apply)
    session.database, session.schema = database, schema
    return result


@command(r"^DROP\s+SCHEMA\b")
def _drop_schema(session: Session, text: str, params: Binds) -> Result:
    match = re.match(r"^DROP\s+SCHEMA\s+(IF\s+EXISTS\s+)?" + _NAME + r"(\s+(CASCADE|RESTRICT))?\s*$", text, re.I)
    parts = split_name(match.group("name"))
    database = parts[0] if len(parts) == 2 else session.database
    schema = parts[-1]
    if not database or not _schema_exists(session, database, schema):
        if match.group(1):
            return _ok()
        raise ObjectNotFound("Schema", f"{database}.{schema}")

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        cur.execute(f"DROP SCHEMA {quote(database + '.' + schema)} CASCADE")
        for table in ("STREAMS", "TASKS", "TABLES", "COLUMNS", "VIEW_TEXTS", "SEQUENCES"):
            cur.execute(f"DELETE FROM {_S}.{table} WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ?", [database, schema])
        return Result.message(f"{schema} successfully dropped.")

    return session.run_ddl(apply)


# --- ALTER TABLE options without a local effect -----------------------------------------------------


@command(r"^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?\S+\s+(SET|UNSET)\s+")
def _alter_table_set(session: Session, text: str, params: Binds) -> Result:
    """Storage options (retention, clustering, comments) have no local effect; CHANGE_TRACKING is honoured."""
    match = re.match(r"^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?" + _NAME + r"\s+(SET|UNSET)\s+(.*)$", text, re.I | re.S)
    name = resolve(split_name(match.group("name")), session.database, session.schema)
    if re.search(r"CHANGE_TRACKING\s*=\s*TRUE", match.group(4), re.I):
        session.run_ddl(lambda cur: (enable_change_tracking(session, cur, name, "all"), _ok())[1])
    return _ok()


@command(
    r"^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?\S+\s+(CLUSTER\s+BY|DROP\s+CLUSTERING|SUSPEND\s+RECLUSTER|RESUME\s+RECLUSTER)"
)
def _alter_table_cluster(session: Session, text: str, params: Binds) -> Result:
    return _ok()


# --- SHOW and DESCRIBE --------------------------------------------------------------------------------

_SHOW_RE = re.compile(
    r"^SHOW\s+(?P<terse>TERSE\s+)?(?P<what>DATABASES|SCHEMAS|TABLES|VIEWS|STREAMS|TASKS|OBJECTS|COLUMNS|PRIMARY\s+KEYS)"
    r"(?:\s+LIKE\s+'(?P<like>(?:[^']|'')*)')?"
    r"(?:\s+IN\s+(?:(?P<scope>ACCOUNT|DATABASE|SCHEMA|TABLE|VIEW)\b)?\s*(?P<target>[\w$.\"]+)?)?"
    r"(?:\s+STARTS\s+WITH\s+'(?P<starts>(?:[^']|'')*)')?(?:\s+LIMIT\s+(?P<limit>\d+))?\s*$",
    re.I | re.S,
)


@command(account.SHOW_WAREHOUSES.pattern)
def _show_warehouses(session: Session, text: str, params: Binds) -> Result:
    return account.show_warehouses(text)


@command(account.SHOW_USERS.pattern)
def _show_users(session: Session, text: str, params: Binds) -> Result:
    return account.show_users(text)


@command(r"^SHOW\s+")
def _show(session: Session, text: str, params: Binds) -> Result:
    match = _SHOW_RE.match(text)
    if not match:
        raise UnsupportedStatement(f"{text[:60]} (this SHOW command)")
    result = _show_all(session, match)
    starts, limit = match.group("starts"), match.group("limit")
    if starts is None and limit is None:
        return result
    if "name" not in result.columns:
        raise SnowflakeError(
            "SQL compilation error: STARTS WITH / LIMIT do not apply to this SHOW command.", errno=1003
        )
    # STARTS WITH: a case-sensitive prefix of the name; LIMIT: at most that many rows
    index = result.columns.index("name")
    rows = [r for r in result.rows if starts is None or str(r[index]).startswith(starts.replace("''", "'"))]
    return Result.of(result.columns, rows[: int(limit)] if limit is not None else rows)


def _show_all(session: Session, match: re.Match) -> Result:
    """The rows of a SHOW, before STARTS WITH and LIMIT."""
    what = " ".join(match.group("what").upper().split())
    like = match.group("like")
    terse = bool(match.group("terse"))
    if what == "DATABASES":
        rows = session.query_internal(f"SELECT CREATED_ON, NAME, COMMENT FROM {_S}.DATABASES ORDER BY NAME")
        cols = [
            "created_on",
            "name",
            "is_default",
            "is_current",
            "origin",
            "owner",
            "comment",
            "options",
            "retention_time",
        ]
        return Result.of(
            cols,
            [
                (c, n, "N", "Y" if n == session.database else "N", "", "SYSADMIN", cm or "", "", "1")
                for c, n, cm in rows
                if like_matches(n, like)
            ],
        )
    if what in {"COLUMNS", "PRIMARY KEYS"}:
        return _show_column_info(session, what, like, match.group("scope"), match.group("target"))
    database, schema = show_scope(session, match.group("scope"), match.group("target"))
    if what == "SCHEMAS":
        rows = session.query_internal(
            "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() "
            "AND schema_name LIKE '%.%' ORDER BY schema_name"
        )
        out = []
        for (storage,) in rows:
            db, _, sch = storage.partition(".")
            if (database and db != database) or not like_matches(sch, like):
                continue
            out.append(
                (
                    None,
                    sch,
                    "N",
                    "Y" if (db, sch) == (session.database, session.schema) else "N",
                    db,
                    "SYSADMIN",
                    "",
                    "",
                    "1",
                )
            )
        cols = [
            "created_on",
            "name",
            "is_default",
            "is_current",
            "database_name",
            "owner",
            "comment",
            "options",
            "retention_time",
        ]
        return Result.of(cols, out)
    if what in {"TABLES", "VIEWS", "OBJECTS"}:
        return _show_tables(session, what, like, database, schema, terse)
    if what == "STREAMS":
        return streams.show_streams(session, like, database, schema, terse)
    return task_cmds.show_tasks(session, like, database, schema, terse)


def _show_tables(
    session: Session, what: str, like: str | None, database: str | None, schema: str | None, terse: bool
) -> Result:
    rows = session.query_internal(
        "SELECT schema_name, table_name, 'TABLE', estimated_size, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name LIKE '%.%' "
        "UNION ALL SELECT schema_name, view_name, 'VIEW', NULL, comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name LIKE '%.%' AND NOT internal "
        "ORDER BY 1, 2"
    )
    meta = {
        (d, s, n): (created, cluster, tracked)
        for d, s, n, created, cluster, tracked in session.query_internal(
            f"SELECT DATABASE_NAME, SCHEMA_NAME, NAME, CREATED_ON, CLUSTER_BY, CHANGE_TRACKING FROM {_S}.TABLES"
        )
    }
    out = []
    for storage, name, kind, size, comment in rows:
        db, _, sch = storage.partition(".")
        if sch == "INFORMATION_SCHEMA" or (database and db != database) or (schema and sch != schema):
            continue
        if (
            not like_matches(name, like)
            or (what == "TABLES" and kind != "TABLE")
            or (what == "VIEWS" and kind != "VIEW")
        ):
            continue
        created, cluster, tracked = meta.get((db, sch, name), (None, None, False))
        if what == "VIEWS":
            out.append((created, name, "", db, sch, "SYSADMIN", comment or "", None, "false", "false"))
        elif what == "OBJECTS":
            # show-objects: kind TABLE or VIEW; owner_role_type after owner (bcr-747); is_iceberg (bcr-1842) and
            # is_dynamic / is_hybrid (Y/N): the engine has only plain tables and views
            out.append(
                (created, name, db, sch, kind, comment or "", cluster or "", size or 0, None, "SYSADMIN", "1",
                 "ROLE", None, "N", "N", "N")
            )  # fmt: skip
        else:
            out.append(
                (created, name, db, sch, "TABLE", comment or "", cluster or "", size or 0, None, "SYSADMIN", "1",
                 "ON" if tracked else "OFF")
            )  # fmt: skip
    if what == "VIEWS":
        cols = ["created_on", "name", "reserved", "database_name", "schema_name", "owner", "comment", "text",
                "is_secure", "is_materialized"]  # fmt: skip
    elif what == "OBJECTS":
        cols = ["created_on", "name", "database_name", "schema_name", "kind", "comment", "cluster_by", "rows",
                "bytes", "owner", "retention_time", "owner_role_type", "budget", "is_hybrid", "is_dynamic",
                "is_iceberg"]  # fmt: skip
    else:
        cols = ["created_on", "name", "database_name", "schema_name", "kind", "comment", "cluster_by", "rows",
                "bytes", "owner", "retention_time", "change_tracking"]  # fmt: skip
    if terse:
        return Result.of(
            ["created_on", "name", "kind", "database_name", "schema_name"],
            [(r[0], r[1], r[4] if what == "OBJECTS" else "TABLE", r[2], r[3]) for r in out],
        )
    return Result.of(cols, out)


def _show_column_info(session: Session, what: str, like: str | None, scope: str | None, target: str | None) -> Result:
    """SHOW COLUMNS / PRIMARY KEYS: IN TABLE | VIEW <name> (or a bare name), or the scope (IN TABLE without a name:
    the current schema, https://docs.snowflake.com/en/sql-reference/sql/show-primary-keys); without IN, the current
    database (the account when none is in use)."""
    kind = (scope or "").upper()
    table = None
    if kind in {"TABLE", "VIEW"} and not target:
        database, schema = session.database, session.schema  # IN TABLE without a name: the current schema
    elif kind in {"TABLE", "VIEW"} or (target and not kind and not database_exists(session, split_name(target)[0])):
        table = resolve(split_name(target), session.database, session.schema)
        database = schema = None
    elif scope is None and target is None:
        database, schema = session.database, None
    else:
        database, schema = show_scope(session, scope, target)
    if what == "COLUMNS":
        return describe.show_columns(session, like, database, schema, table)
    return describe.show_primary_keys(session, database, schema, table)


_IDENTIFIER_LITERAL = re.compile(r"^IDENTIFIER\s*\(\s*'((?:[^']|'')+)'\s*\)$", re.I)


@command(r"^(DESCRIBE|DESC)\s+(TABLE|VIEW|STREAM|TASK)\s+")
def _describe(session: Session, text: str, params: Binds) -> Result:
    match = re.match(
        r"^(?:DESCRIBE|DESC)\s+(TABLE|VIEW|STREAM|TASK)\s+(?P<name>.+?)(?:\s+TYPE\s*=\s*(?P<type>\w+))?\s*$",
        text,
        re.I | re.S,
    )
    kind = match.group(1).upper()
    if (match.group("type") or "COLUMNS").upper() != "COLUMNS" or (match.group("type") and kind != "TABLE"):
        # desc-table: TYPE = STAGE lists the table's stage properties (the engine has no stages)
        raise UnsupportedStatement(f"DESCRIBE {kind} ... TYPE = {match.group('type').upper()}")
    written = match.group("name")
    literal = _IDENTIFIER_LITERAL.match(written)  # identifier-literal: IDENTIFIER('db.schema.name')
    written = literal.group(1).replace("''", "'") if literal else written
    if not re.fullmatch(_NAME, written):
        raise SnowflakeError(f"SQL compilation error: invalid object name {written[:60]!r}.", errno=1003)
    name = resolve(split_name(written), session.database, session.schema)
    if kind in {"TABLE", "VIEW"}:
        return describe.describe_table(session, name)
    if kind == "STREAM":
        return streams.show_streams(session, name.name, name.database, name.schema, False)
    return task_cmds.show_tasks(session, name.name, name.database, name.schema, False)


# --- streams ------------------------------------------------------------------------------------------


@command(r"^CREATE\s+(OR\s+REPLACE\s+)?STREAM\b")
def _create_stream(session: Session, text: str, params: Binds) -> Result:
    return streams.create_stream(session, text)


@command(r"^DROP\s+STREAM\b")
def _drop_stream(session: Session, text: str, params: Binds) -> Result:
    match = re.match(r"^DROP\s+STREAM\s+(IF\s+EXISTS\s+)?" + _NAME + r"\s*$", text, re.I)
    return streams.drop_stream(session, match.group("name"), bool(match.group(1)))


@command(r"^UNDROP\s+")
def _undrop(session: Session, text: str, params: Binds) -> Result:
    # undrop-table: Snowflake restores the latest dropped version from Time Travel; the local engine keeps
    # no history of dropped objects, so it refuses rather than say the object does not exist.
    raise UnsupportedStatement(f"{' '.join(text.split()[:2]).upper()} (no history of dropped objects is kept)")


# --- tasks --------------------------------------------------------------------------------------------


@command(r"^CREATE\s+(OR\s+REPLACE\s+)?TASK\b")
def _create_task(session: Session, text: str, params: Binds) -> Result:
    return task_cmds.create_task(session, text)


@command(r"^ALTER\s+TASK\b")
def _alter_task(session: Session, text: str, params: Binds) -> Result:
    return task_cmds.alter_task(session, text)


@command(r"^DROP\s+TASK\b")
def _drop_task(session: Session, text: str, params: Binds) -> Result:
    match = re.match(r"^DROP\s+TASK\s+(IF\s+EXISTS\s+)?" + _NAME + r"\s*$", text, re.I)
    return task_cmds.drop_task(session, match.group("name"), bool(match.group(1)))


@command(r"^EXECUTE\s+TASK\b")
def _execute_task(session: Session, text: str, params: Binds) -> Result:
    return taskruns.execute_task(session, text)


@command(r"^SELECT\s+SYSTEM\$TASK_DEPENDENTS_ENABLE\s*\(\s*'[^']+'\s*\)\s*$")
def _task_dependents_enable(session: Session, text: str, params: Binds) -> Result:
    name = re.search(r"'([^']+)'", text).group(1)
    return task_cmds.task_dependents_enable(session, name)
