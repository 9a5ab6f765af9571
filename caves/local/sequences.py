"""Sequences: CREATE / ALTER / DROP / SHOW / DESCRIBE SEQUENCE, ``<seq>.NEXTVAL``, AUTOINCREMENT / IDENTITY columns.

A Snowflake sequence (https://docs.snowflake.com/en/sql-reference/sql/create-sequence) is a schema object: its
values come from a DuckDB sequence in the object's storage schema ``"DB.SCHEMA"`` (so it goes with its schema or
database), under a name of its own (``CAVES_SEQ_<key>``: DuckDB cannot rename a sequence, ALTER SEQUENCE ... RENAME
changes the Snowflake name only). ``_CAVES.SEQUENCES`` maps the Snowflake name to it and keeps the comment and the
ORDER flag. DuckDB keeps the next value and the interval.

Values, as the reference page shows them: ``NEXTVAL`` increases by the interval at each call, rolled-back calls are not
given back; several ``NEXTVAL`` of one sequence in a statement take distinct values, and the next statement starts
``interval * <number of NEXTVAL>`` higher than the last value returned (the CREATE SEQUENCE page, "Examples": 1, 6,
11, 16 then 36, 41, 46, 51). One NEXTVAL per statement gives gap-free values (1, 2, 3; the ``DEFAULT seq.NEXTVAL``
example numbers 1024 rows 1 to 1024). Values are in increasing order (a valid NOORDER answer too).

Refused (never answered differently): DROP, CREATE OR REPLACE or SET INCREMENT of a sequence that a column default
uses (DuckDB holds the default to that sequence), RENAME into another schema, ALTER ... SET ORDER, AUTOINCREMENT or a
``DEFAULT seq.NEXTVAL`` added by ALTER TABLE.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb
from sqlglot import exp

from .errors import AlreadyExists, ObjectNotFound, SnowflakeError, UnsupportedStatement
from .names import INTERNAL_SCHEMA, ObjectName, like_matches, quote, resolve, split_name
from .result import Result
from .scope import show_scope

if TYPE_CHECKING:
    from .engine import Session
    from .model import Translation

Handler = Callable[["Session", str, Any], Result]

_S = quote(INTERNAL_SCHEMA)
_PART = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_NAME = rf"(?P<name>{_PART}(?:\s*\.\s*{_PART}){{0,2}})"
_INT64 = "MINVALUE -9223372036854775808 MAXVALUE 9223372036854775807"

_CREATE_RE = re.compile(
    r"^CREATE\s+(?P<replace>OR\s+REPLACE\s+)?SEQUENCE\s+(?P<ine>IF\s+NOT\s+EXISTS\s+)?" + _NAME + r"(?P<rest>.*)$",
    re.I | re.S,
)
_ALTER_RE = re.compile(r"^ALTER\s+SEQUENCE\s+(?P<ie>IF\s+EXISTS\s+)?" + _NAME + r"\s+(?P<rest>.+)$", re.I | re.S)
_DROP_RE = re.compile(r"^DROP\s+SEQUENCE\s+(?P<ie>IF\s+EXISTS\s+)?" + _NAME + r"(\s+(CASCADE|RESTRICT))?\s*$", re.I)
_SHOW_RE = re.compile(
    r"^SHOW\s+SEQUENCES(?:\s+LIKE\s+'(?P<like>(?:[^']|'')*)')?"
    r"(?:\s+IN\s+(?:(?P<scope>ACCOUNT|DATABASE|SCHEMA)\b)?\s*(?P<target>[\w$.\"]+)?)?\s*$",
    re.I | re.S,
)
_DESCRIBE_RE = re.compile(r"^(?:DESCRIBE|DESC)\s+SEQUENCE\s+" + _NAME + r"\s*$", re.I)
# The options of CREATE SEQUENCE and ALTER SEQUENCE ... SET, one at a time.
_OPTION_RE = re.compile(
    r"\s*(?:(?P<with>WITH)\b|START\s+(?:WITH\s+)?(?:=\s*)?(?P<start>[+-]?\d+)"
    r"|INCREMENT\s+(?:BY\s+)?(?:=\s*)?(?P<increment>[+-]?\d+)|(?P<order>NOORDER|ORDER)\b"
    r"|COMMENT\s*=\s*'(?P<comment>(?:[^']|'')*)')",
    re.I,
)

# SHOW SEQUENCES / DESCRIBE SEQUENCE columns (https://docs.snowflake.com/en/sql-reference/sql/show-sequences)
COLUMNS = ["created_on", "name", "schema_name", "database_name", "next_value", "interval", "owner",
           "owner_role_type", "comment", "ordered"]  # fmt: skip


def _ok(message: str = "Statement executed successfully.") -> Result:
    return Result.message(message)


def _options(text: str, allowed: set[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    pos = 0
    while pos < len(text.rstrip()):
        match = _OPTION_RE.match(text, pos)
        if not match or match.end() == pos:
            raise SnowflakeError(f"SQL compilation error: syntax error near {text[pos:].strip()[:40]!r}.", errno=1003)
        for key, value in match.groupdict().items():
            if value is None or key == "with":
                continue
            if key not in allowed:
                raise SnowflakeError(f"SQL compilation error: {key.upper()} cannot be given here.", errno=1003)
            options[key] = (
                value.replace("''", "'") if key == "comment" else value.upper() if key == "order" else int(value)
            )
        pos = match.end()
    if options.get("increment") == 0:
        raise SnowflakeError("Sequence interval must not be 0.", errno=2210, sqlstate="22023")
    return options


def _name(session: Session, written: str) -> ObjectName:
    try:
        return resolve(split_name(written), session.database, session.schema)
    except ValueError as exc:
        raise SnowflakeError(str(exc), errno=90105, sqlstate="22000") from exc


def storage(name: ObjectName, key: str) -> str:
    """The DuckDB sequence drawing the values of Snowflake sequence ``name``."""
    return f"{quote(name.storage_schema)}.{quote(key)}"


def lookup(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> str | None:
    """The DuckDB sequence of ``name``, or None when there is no such sequence."""
    row = cur.execute(
        f"SELECT s.STORAGE_NAME FROM {_S}.SEQUENCES AS s JOIN duckdb_sequences() AS d "
        "ON d.schema_name = s.DATABASE_NAME || '.' || s.SCHEMA_NAME AND d.sequence_name = s.STORAGE_NAME "
        "WHERE s.DATABASE_NAME = ? AND s.SCHEMA_NAME = ? AND s.NAME = ? AND d.database_name = current_database()",
        [name.database, name.schema, name.name],
    ).fetchone()
    return row[0] if row else None


def _next_value(cur: duckdb.DuckDBPyConnection, name: ObjectName, key: str) -> tuple[int, int]:
    """(the value NEXTVAL gives next, the interval)."""
    start, step, last = cur.execute(
        "SELECT start_value, increment_by, last_value FROM duckdb_sequences() "
        "WHERE database_name = current_database() AND schema_name = ? AND sequence_name = ?",
        [name.storage_schema, key],
    ).fetchone()
    return (start if last is None else last + step), step


def _create_storage(cur: duckdb.DuckDBPyConnection, name: ObjectName, start: int, step: int) -> str:
    key = "CAVES_SEQ_" + uuid.uuid4().hex[:16]
    cur.execute(f"CREATE SEQUENCE {storage(name, key)} START WITH {int(start)} INCREMENT BY {int(step)} {_INT64}")
    return key


def _drop_storage(cur: duckdb.DuckDBPyConnection, name: ObjectName, key: str, what: str) -> None:
    try:
        cur.execute(f"DROP SEQUENCE {storage(name, key)}")
    except duckdb.DependencyException:
        raise UnsupportedStatement(f"{what} {name.fqn}: a column default uses the sequence") from None


def _schema_exists(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> bool:
    return bool(
        cur.execute(
            "SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = ?",
            [name.storage_schema],
        ).fetchone()[0]
    )


def _create(session: Session, text: str, params: Any) -> Result:
    match = _CREATE_RE.match(text)
    replace, if_not_exists = bool(match.group("replace")), bool(match.group("ine"))
    if replace and if_not_exists:
        raise SnowflakeError("SQL compilation error: OR REPLACE and IF NOT EXISTS cannot both be given.", errno=1003)
    name = _name(session, match.group("name"))
    options = _options(match.group("rest"), {"start", "increment", "order", "comment"})

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        if not _schema_exists(cur, name):
            raise ObjectNotFound("Schema", f"{name.database}.{name.schema}")
        existing = lookup(cur, name)
        if existing is not None and if_not_exists:
            return _ok(f"{name.name} already exists, statement succeeded.")
        if existing is not None and not replace:
            raise AlreadyExists("Sequence", name.name)
        if existing is not None:
            _drop_storage(cur, name, existing, "CREATE OR REPLACE SEQUENCE")
        _forget(cur, name)
        key = _create_storage(cur, name, options.get("start", 1), options.get("increment", 1))
        cur.execute(
            f"INSERT INTO {_S}.SEQUENCES VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name.database, name.schema, name.name, key, options.get("order") == "ORDER", options.get("comment"),
             session.engine.clock()],
        )  # fmt: skip
        return _ok(f"Sequence {name.name} successfully created.")

    return session.run_ddl(apply)


def _forget(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> None:
    cur.execute(
        f"DELETE FROM {_S}.SEQUENCES WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
        [name.database, name.schema, name.name],
    )


def _alter(session: Session, text: str, params: Any) -> Result:
    """ALTER SEQUENCE ... RENAME TO | [SET] INCREMENT | SET NOORDER | SET / UNSET COMMENT
    (https://docs.snowflake.com/en/sql-reference/sql/alter-sequence)."""
    match = _ALTER_RE.match(text)
    name = _name(session, match.group("name"))
    rest = match.group("rest").strip()
    rename = re.fullmatch(r"RENAME\s+TO\s+" + _NAME, rest, re.I | re.S)
    unset = re.fullmatch(r"UNSET\s+COMMENT", rest, re.I)
    options = (
        {} if rename or unset else _options(re.sub(r"^SET\b", "", rest, flags=re.I), {"increment", "order", "comment"})
    )
    if options.get("order") == "ORDER":
        raise UnsupportedStatement(
            "ALTER SEQUENCE ... SET ORDER (a sequence can be changed from ORDER to NOORDER only)"
        )

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        key = lookup(cur, name)
        if key is None:
            if match.group("ie"):
                return _ok()
            raise ObjectNotFound("Sequence", name.fqn)
        where = ("WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?", [name.database, name.schema, name.name])
        if rename:
            new = _name(session, rename.group("name"))
            if len(split_name(rename.group("name"))) == 1:
                new = ObjectName(name.database, name.schema, new.name)
            if (new.database, new.schema) != (name.database, name.schema):
                raise UnsupportedStatement("ALTER SEQUENCE ... RENAME TO another schema")
            if lookup(cur, new) is not None:
                raise AlreadyExists("Sequence", new.name)
            cur.execute(f"UPDATE {_S}.SEQUENCES SET NAME = ? {where[0]}", [new.name, *where[1]])
        if unset:
            cur.execute(f"UPDATE {_S}.SEQUENCES SET COMMENT = NULL {where[0]}", where[1])
        if "comment" in options:
            cur.execute(f"UPDATE {_S}.SEQUENCES SET COMMENT = ? {where[0]}", [options["comment"], *where[1]])
        if options.get("order") == "NOORDER":
            cur.execute(f"UPDATE {_S}.SEQUENCES SET ORDERED = FALSE {where[0]}", where[1])
        if "increment" in options:
            # DuckDB cannot change a sequence's increment: a new one continues from the next value.
            next_value, _ = _next_value(cur, name, key)
            new_key = _create_storage(cur, name, next_value, options["increment"])
            _drop_storage(cur, name, key, "ALTER SEQUENCE ... SET INCREMENT on")
            cur.execute(f"UPDATE {_S}.SEQUENCES SET STORAGE_NAME = ? {where[0]}", [new_key, *where[1]])
        return _ok()

    return session.run_ddl(apply)


def _drop(session: Session, text: str, params: Any) -> Result:
    match = _DROP_RE.match(text)
    name = _name(session, match.group("name"))

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        key = lookup(cur, name)
        if key is None:
            if match.group("ie"):
                return _ok(f"Drop statement executed successfully ({name.name} already dropped).")
            raise ObjectNotFound("Sequence", name.fqn)
        _drop_storage(cur, name, key, "DROP SEQUENCE")
        _forget(cur, name)
        return _ok(f"{name.name} successfully dropped.")

    return session.run_ddl(apply)


def _rows(session: Session, where: str, args: list[Any]) -> list[tuple]:
    rows = session.query_internal(
        "SELECT s.CREATED_ON, s.NAME, s.SCHEMA_NAME, s.DATABASE_NAME, "
        "coalesce(d.last_value + d.increment_by, d.start_value), d.increment_by, s.COMMENT, s.ORDERED "
        f"FROM {_S}.SEQUENCES AS s JOIN duckdb_sequences() AS d "
        "ON d.schema_name = s.DATABASE_NAME || '.' || s.SCHEMA_NAME AND d.sequence_name = s.STORAGE_NAME "
        f"AND d.database_name = current_database() WHERE {where} ORDER BY s.DATABASE_NAME, s.SCHEMA_NAME, s.NAME",
        args,
    )
    return [(c, n, sch, db, nxt, step, "SYSADMIN", "ROLE", cm or "", "Y" if o else "N")
            for c, n, sch, db, nxt, step, cm, o in rows]  # fmt: skip


def _show(session: Session, text: str, params: Any) -> Result:
    """SHOW SEQUENCES [LIKE '...'] [IN ACCOUNT | DATABASE [db] | [SCHEMA] [db.]schema]."""
    match = _SHOW_RE.match(text)
    if not match:
        raise UnsupportedStatement(f"{text[:60]} (this SHOW SEQUENCES form)")
    database, schema = show_scope(session, match.group("scope"), match.group("target"))
    clauses, args = ["TRUE"], []
    for column, value in (("s.DATABASE_NAME", database), ("s.SCHEMA_NAME", schema)):
        if value:
            clauses.append(f"{column} = ?")
            args.append(value)
    rows = [r for r in _rows(session, " AND ".join(clauses), args) if like_matches(r[1], match.group("like"))]
    return Result.of(COLUMNS, rows)


def _describe(session: Session, text: str, params: Any) -> Result:
    """DESCRIBE SEQUENCE: the sequence's row, as SHOW SEQUENCES gives it
    (https://docs.snowflake.com/en/sql-reference/sql/desc-sequence)."""
    name = _name(session, _DESCRIBE_RE.match(text).group("name"))
    rows = _rows(
        session, "s.DATABASE_NAME = ? AND s.SCHEMA_NAME = ? AND s.NAME = ?", [name.database, name.schema, name.name]
    )
    if not rows:
        raise ObjectNotFound("Sequence", name.fqn)
    return Result.of(COLUMNS, rows)


# Checked by commands.find before its own handlers (SHOW SEQUENCES before the generic SHOW).
HANDLERS: list[tuple[re.Pattern, Handler]] = [
    (re.compile(r"^CREATE\s+(OR\s+REPLACE\s+)?SEQUENCE\b", re.I), _create),
    (re.compile(r"^ALTER\s+SEQUENCE\b", re.I), _alter),
    (re.compile(r"^DROP\s+SEQUENCE\b", re.I), _drop),
    (re.compile(r"^SHOW\s+SEQUENCES\b", re.I), _show),
    (re.compile(r"^(DESCRIBE|DESC)\s+SEQUENCE\b", re.I), _describe),
]


# --- in statements: NEXTVAL and identity columns ---------------------------------------------------------


def _nextval(reference: str) -> exp.Expression:
    return exp.Anonymous(this="nextval", expressions=[exp.Literal.string(reference)])


def rewrite_nextval(
    tree: exp.Expression, resolve_name: Callable[[list[str]], ObjectName], find: Callable[[ObjectName], str | None]
) -> dict[str, int]:
    """``<seq>.NEXTVAL`` (also ``db.schema.seq.NEXTVAL``) -> DuckDB's ``nextval`` of the sequence's storage; a bare
    ``SELECT seq.NEXTVAL`` column is named NEXTVAL, as Snowflake names it. A qualifier naming a table of the
    statement (and is not a sequence) is a column ``NEXTVAL`` of that table, left as it is.

    Returns, per DuckDB sequence, how many NEXTVAL the statement has (see :func:`after_statement`)."""
    tables = {t.alias_or_name.upper() for t in tree.find_all(exp.Table)} | {
        cte.alias_or_name.upper() for cte in tree.find_all(exp.CTE)
    }
    counts: dict[str, int] = {}
    for column in list(tree.find_all(exp.Column)):
        if column.name.upper() != "NEXTVAL" or not column.table or column.this.quoted:
            continue
        parts = [p.name for p in (column.args.get("catalog"), column.args.get("db"), column.args.get("table")) if p]
        if len(parts) == 1 and parts[0].upper() in tables:
            continue
        name = resolve_name(parts)
        key = find(name)
        if key is None and parts[-1].upper() in tables:
            continue  # schema.table.NEXTVAL: a column of a table of the statement
        if key is None:
            raise ObjectNotFound("Sequence", name.fqn)
        reference = storage(name, key)
        in_default = column.find_ancestor(exp.ColumnConstraint) is not None
        if in_default and isinstance(tree, exp.Alter):
            # what a new column's sequence default gives the existing rows is not documented: not guessed
            raise UnsupportedStatement(f"ALTER TABLE ... DEFAULT {name.name}.NEXTVAL (a sequence default added later)")
        if not in_default:  # a DEFAULT draws one value per row when it is used
            counts[reference] = counts.get(reference, 0) + 1
        call = _nextval(reference)
        if isinstance(column.parent, exp.Select) and column in column.parent.expressions:
            call = exp.alias_(call, exp.to_identifier("NEXTVAL", quoted=True))
        column.replace(call)
    return counts


def skip_sql(counts: dict[str, int]) -> tuple[str, ...]:
    """After a statement with k > 1 NEXTVAL of a sequence, the next statement starts ``interval * k`` above the last
    value returned: the sequence skips ``k - 1`` steps (the CREATE SEQUENCE page's seq_5 example)."""
    return tuple(
        f"SELECT max(nextval({exp.Literal.string(ref).sql('duckdb')})) FROM range({k - 1})"
        for ref, k in counts.items()
        if k > 1
    )


def after_statement(session: Session, translation: Translation) -> None:
    """Run the skips :func:`skip_sql` wrote for the statement that just ran."""
    if translation.after_sql:
        with session.cursor() as cur:
            for sql in translation.after_sql:
                cur.execute(sql)


def identity_columns(tree: exp.Expression, table: ObjectName) -> str:
    """``id INT AUTOINCREMENT`` / ``IDENTITY(start, step)`` / ``AUTOINCREMENT START n INCREMENT m [ORDER|NOORDER]``: a
    column whose default is the next value of a sequence of its own, from ``start`` (default 1) by ``step`` (default
    1), given when an INSERT omits the column (https://docs.snowflake.com/en/sql-reference/sql/create-table).

    Rewrites the constraints in place into DEFAULT nextval(...); returns the DuckDB statements creating the
    sequences (run before the CREATE TABLE, in its transaction)."""
    constraints = list(tree.find_all(exp.AutoIncrementColumnConstraint, exp.GeneratedAsIdentityColumnConstraint))
    if not constraints:
        return ""
    if not isinstance(tree, exp.Create):
        raise UnsupportedStatement(f"{constraints[0].sql('snowflake')} added by ALTER TABLE (AUTOINCREMENT / IDENTITY)")
    prelude = []
    for constraint in constraints:
        start, step = 1, 1
        if isinstance(constraint, exp.GeneratedAsIdentityColumnConstraint):
            values = []
            for key in ("start", "increment"):
                value = constraint.args.get(key)
                text = value.sql("snowflake") if value is not None else "1"
                if not re.fullmatch(r"[+-]?\d+", text.replace(" ", "")):
                    raise UnsupportedStatement(f"{constraint.sql('snowflake')} (constant start and step expected)")
                values.append(int(text.replace(" ", "")))
            start, step = values
        if step == 0:
            raise SnowflakeError("Sequence interval must not be 0.", errno=2210, sqlstate="22023")
        key = "CAVES_IDENTITY_" + uuid.uuid4().hex[:16]
        prelude.append(f"CREATE SEQUENCE {storage(table, key)} START WITH {start} INCREMENT BY {step} {_INT64};")
        constraint.parent.set("kind", exp.DefaultColumnConstraint(this=_nextval(storage(table, key))))
    return " ".join(prelude) + " "
