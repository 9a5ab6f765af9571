"""Column types as Snowflake spells them, kept per table in ``_CAVES.COLUMNS``.

DuckDB keeps no declared lengths (``VARCHAR(20)`` is a VARCHAR) and no unenforced keys, so the engine records each
table's and view's columns when it creates them: the Snowflake type as DESCRIBE TABLE shows it
(https://docs.snowflake.com/en/sql-reference/sql/desc-table: ``VARCHAR(30)``, ``NUMBER(38,0)``,
``TIMESTAMP_NTZ(9)``), the default as written, the primary key position and constraint name, UNIQUE, the comment.
ALTER TABLE, RENAME, CLONE and DROP keep the record in step. A column with no record (a table made before the record
existed) is described from its DuckDB type by ``SF_SPELLED_TYPE``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import duckdb
from sqlglot import exp

from .errors import UnsupportedStatement
from .model import ROW_ID
from .names import INTERNAL_SCHEMA, ObjectName, quote

_S = quote(INTERNAL_SCHEMA)
_T = exp.DataType.Type

# Snowflake's synonyms (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types): every integer type is
# NUMBER(38,0), every floating type FLOAT, a string without a length the largest VARCHAR, a BINARY the largest BINARY.
_MAX_VARCHAR = 16777216
_MAX_BINARY = 8388608
_INTEGERS = {_T.INT, _T.BIGINT, _T.SMALLINT, _T.TINYINT}
_FLOATS = {_T.DOUBLE, _T.FLOAT}
_TEXTS = {_T.VARCHAR, _T.TEXT, _T.NVARCHAR, _T.CHAR, _T.NCHAR}
_TIMESTAMPS = {
    _T.TIMESTAMP: "TIMESTAMP_NTZ",  # TIMESTAMP_TYPE_MAPPING is TIMESTAMP_NTZ (fixed in the local engine)
    _T.TIMESTAMPNTZ: "TIMESTAMP_NTZ",
    _T.DATETIME: "TIMESTAMP_NTZ",
    _T.TIMESTAMPLTZ: "TIMESTAMP_LTZ",
    _T.TIMESTAMPTZ: "TIMESTAMP_TZ",
}
_PLAIN = {_T.BOOLEAN: "BOOLEAN", _T.DATE: "DATE", _T.VARIANT: "VARIANT", _T.OBJECT: "OBJECT", _T.ARRAY: "ARRAY"}

# The fallback for a column with no record, and the Snowflake type of a computed CTAS / view column: from the DuckDB
# type. Where Snowflake would derive a narrower length or precision from the expression (``'abc'`` is VARCHAR(3),
# ``1`` NUMBER(1,0)), the engine reports the widest one of the type: it does not derive them.
MACROS_SQL = f"""
CREATE OR REPLACE MACRO SF_SPELLED_TYPE(t) AS CASE
    WHEN t = 'VARCHAR' THEN 'VARCHAR({_MAX_VARCHAR})'
    WHEN t IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT', 'UBIGINT', 'UINTEGER') THEN 'NUMBER(38,0)'
    WHEN t LIKE 'DECIMAL(%' THEN 'NUMBER' || substr(t, 8)
    WHEN t IN ('DOUBLE', 'FLOAT') THEN 'FLOAT'
    WHEN t IN ('TIMESTAMP', 'TIMESTAMP_NS') THEN 'TIMESTAMP_NTZ(9)'
    WHEN t IN ('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ_NS') THEN 'TIMESTAMP_TZ(9)'
    WHEN t = 'TIME' THEN 'TIME(9)'
    WHEN t = 'BLOB' THEN 'BINARY({_MAX_BINARY})'
    WHEN t = 'JSON' THEN 'VARIANT'
    ELSE t END;
-- INFORMATION_SCHEMA.COLUMNS.DATA_TYPE of a spelled type (https://docs.snowflake.com/en/sql-reference/info-schema/columns)
CREATE OR REPLACE MACRO SF_DATA_TYPE(s) AS CASE
    WHEN s LIKE 'VARCHAR%' THEN 'TEXT'
    ELSE regexp_replace(s, '\\(.*$', '') END;
CREATE OR REPLACE MACRO SF_TYPE_ARG(s, i) AS TRY_CAST(nullif(regexp_extract(s, '\\((\\d+)(?:,(\\d+))?\\)', i), '') AS BIGINT);
"""


def spelled(dtype: exp.DataType) -> str:
    """The type as DESCRIBE TABLE shows it, for a type written in a Snowflake column definition."""
    kind = dtype.this
    args = [p.name for p in dtype.expressions]
    if kind in _INTEGERS:
        return "NUMBER(38,0)"
    if kind == _T.DECIMAL:
        precision, scale = (*args, "0")[:2] if args else ("38", "0")
        return f"NUMBER({precision},{scale})"
    if kind in _FLOATS:
        return "FLOAT"
    if kind in _TEXTS:
        default = 1 if kind in {_T.CHAR, _T.NCHAR} else _MAX_VARCHAR  # CHAR is VARCHAR(1)
        return f"VARCHAR({args[0] if args else default})"
    if kind in {_T.BINARY, _T.VARBINARY}:
        return f"BINARY({args[0] if args else _MAX_BINARY})"
    if kind in _TIMESTAMPS:
        return f"{_TIMESTAMPS[kind]}({args[0] if args else 9})"
    if kind == _T.TIME:
        return f"TIME({args[0] if args else 9})"
    if kind in _PLAIN:
        return _PLAIN[kind]
    return dtype.sql("snowflake").upper()


@dataclass(frozen=True)
class Declared:
    """A column as its CREATE TABLE / ALTER TABLE ADD COLUMN wrote it."""

    name: str
    type: str
    default: str | None = None
    pk_seq: int | None = None
    pk_name: str | None = None
    unique: bool = False
    comment: str | None = None


def _constraint(definition: exp.ColumnDef, kind: type) -> exp.Expression | None:
    for c in definition.args.get("constraints") or []:
        if isinstance(c.kind, kind):
            return c.kind
    return None


def _identity_text(constraint: exp.Expression) -> str:
    """An AUTOINCREMENT / IDENTITY column's default as DESCRIBE TABLE shows it: ``IDENTITY START 1 INCREMENT 1
    NOORDER``. Without ORDER or NOORDER, NOORDER_SEQUENCE_AS_DEFAULT (TRUE by default) makes it NOORDER
    (https://docs.snowflake.com/en/sql-reference/sql/create-table, AUTOINCREMENT | IDENTITY)."""
    start, step = constraint.args.get("start"), constraint.args.get("increment")
    order = constraint.args.get("order")
    return (
        f"IDENTITY START {start.sql('snowflake') if start is not None else 1} "
        f"INCREMENT {step.sql('snowflake') if step is not None else 1} {'ORDER' if order else 'NOORDER'}"
    )


def _declared(definition: exp.ColumnDef, pk: dict[str, tuple[int, str]], unique: set[str]) -> Declared:
    name = definition.this.name
    default = _constraint(definition, exp.DefaultColumnConstraint)
    identity = _constraint(definition, exp.AutoIncrementColumnConstraint) or _constraint(
        definition, exp.GeneratedAsIdentityColumnConstraint
    )
    comment = _constraint(definition, exp.CommentColumnConstraint)
    seq, pk_name = pk.get(name, (None, None))
    return Declared(
        name=name,
        type=spelled(definition.args["kind"]),
        default=_identity_text(identity)
        if identity is not None
        else default.this.sql("snowflake")
        if default
        else None,
        pk_seq=seq,
        pk_name=pk_name,
        unique=name in unique or _constraint(definition, exp.UniqueColumnConstraint) is not None,
        comment=comment.this.name if comment is not None else None,
    )


def _system_constraint_name() -> str:
    # Snowflake names an unnamed constraint SYS_CONSTRAINT_<uuid> (SHOW PRIMARY KEYS, constraint_name)
    return f"SYS_CONSTRAINT_{uuid.uuid4()}"


def declared_columns(tree: exp.Expression) -> list[Declared] | None:
    """The columns a CREATE TABLE lists (None: it lists none, e.g. CTAS without a column list, or not a CREATE).

    A PRIMARY KEY column is NOT NULL in Snowflake (https://docs.snowflake.com/en/sql-reference/constraints-overview):
    a NOT NULL constraint is added to it here, before the unenforced key is dropped."""
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return None
    # A view's column list names its columns without types: they are the query's (record_created).
    definitions = [c for c in tree.this.expressions if isinstance(c, exp.ColumnDef) and c.args.get("kind")]
    if not definitions:
        return None
    pk: dict[str, tuple[int, str]] = {}
    unique: set[str] = set()
    for item in tree.this.expressions:
        named = item.this.name if isinstance(item, exp.Constraint) else None
        for key in [item] if not isinstance(item, exp.Constraint) else item.expressions:
            if isinstance(key, exp.PrimaryKey):
                name = named or _system_constraint_name()
                pk.update({c.name: (i, name) for i, c in enumerate(key.expressions, start=1)})
            elif isinstance(key, exp.UniqueColumnConstraint) and isinstance(key.this, exp.Schema):
                unique.update(c.name for c in key.this.expressions)
    for d in definitions:
        if _constraint(d, exp.PrimaryKeyColumnConstraint) is not None and d.this.name not in pk:
            pk[d.this.name] = (1, _system_constraint_name())
    declared = [_declared(d, pk, unique) for d in definitions]
    for d in definitions:
        if d.this.name in pk and _constraint(d, exp.NotNullColumnConstraint) is None:
            d.append("constraints", exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    return declared


def alter_changes(tree: exp.Expression) -> list[tuple]:
    """What an ALTER TABLE does to the columns: ("add", Declared) / ("drop", name) / ("rename", old, new) /
    ("type", name, spelled type) / ("comment", name, text), in the statement's order."""
    changes: list[tuple] = []
    if not isinstance(tree, exp.Alter):
        return changes
    for action in tree.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef):
            changes.append(("add", _declared(action, {}, set())))
        elif isinstance(action, exp.Drop) and str(action.args.get("kind") or "").upper() == "COLUMN":
            changes.extend(("drop", c.name) for c in action.args.get("tables") or [])
        elif isinstance(action, exp.RenameColumn):
            changes.append(("rename", action.this.name, action.args["to"].name))
        elif isinstance(action, exp.AlterColumn):
            if action.args.get("dtype") is not None:
                changes.append(("type", action.this.name, spelled(action.args["dtype"])))
            if action.args.get("default") is not None:
                changes.append(("default", action.this.name, action.args["default"].sql("snowflake")))
            if action.args.get("drop"):
                changes.append(("default", action.this.name, None))
            if action.args.get("comment") is not None:
                changes.append(("comment", action.this.name, action.args["comment"].name))
        elif isinstance(action, exp.AddConstraint):
            # DuckDB would enforce an added key (Snowflake does not), and its NOT NULL rule is not emulated
            raise UnsupportedStatement(f"{tree.sql('snowflake')[:80]} (ALTER TABLE ... ADD CONSTRAINT)")
    return changes


def _expression_type(expression: exp.Expression) -> str | None:
    """The Snowflake type of a computed column, where it is certain: a cast's type, a string literal's length."""
    if isinstance(expression, exp.Cast) and expression.to.this != _T.USERDEFINED:
        return spelled(expression.to)
    if isinstance(expression, exp.Literal) and expression.is_string and expression.this:
        return f"VARCHAR({len(expression.this)})"
    return None


@dataclass(frozen=True)
class Sources:
    """Where a CTAS's / view's columns come from: the tables it reads, by alias; per output column that is a plain
    column of one of them, (alias, column) — Snowflake keeps ``VARCHAR(20)`` through ``SELECT v FROM t`` — and the
    columns whose type the expression says (``CAST(x AS VARCHAR(5))``, ``'abc'``). ``*`` maps every column of a
    single table."""

    tables: dict[str, exp.Table]
    columns: dict[str, tuple[str, str]]
    typed: dict[str, str]


def _read_tables(query: exp.Select) -> dict[str, exp.Table]:
    source = query.args.get("from_") or query.args.get("from")
    items = [source.this] if source is not None else []
    items += [j.this for j in query.args.get("joins") or []]
    tables: dict[str, exp.Table] = {}
    for item in items:
        if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
            tables[item.alias_or_name] = item
    return tables


def source_columns(tree: exp.Expression) -> Sources | None:
    query = tree.expression if isinstance(tree, exp.Create) else None
    if not isinstance(query, exp.Select):
        return None
    tables = _read_tables(query)
    single = next(iter(tables)) if len(tables) == 1 and not query.args.get("joins") else None
    # A view's column list (``CREATE VIEW v (a, b) AS SELECT ...``) names the query's columns by position.
    listed = [c.name for c in tree.this.expressions] if isinstance(tree.this, exp.Schema) else []
    columns: dict[str, tuple[str, str]] = {}
    typed: dict[str, str] = {}
    for i, projection in enumerate(query.expressions):
        if isinstance(projection, exp.Star) and single is not None:
            columns["*"] = (single, "*")
            continue
        name = listed[i] if i < len(listed) else projection.alias_or_name
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(inner, exp.Column) and isinstance(inner.this, exp.Identifier):
            alias = inner.table or single  # an unqualified column of a join: its table is not known here
            if alias in tables:
                columns[name] = (alias, inner.name)
        elif (known := _expression_type(inner)) is not None:
            typed[name] = known
    return Sources(tables, columns, typed)


# --- the record ---------------------------------------------------------------------------------------------


def _duck_columns(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> list[tuple[str, str]]:
    return cur.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "AND column_name <> ? ORDER BY column_index",
        [name.storage_schema, name.name, ROW_ID],
    ).fetchall()


def recorded(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> dict[str, Declared]:
    rows = cur.execute(
        f"SELECT COLUMN_NAME, DATA_TYPE, DEFAULT_TEXT, PK_SEQ, PK_NAME, UNIQUE_KEY, COMMENT FROM {_S}.COLUMNS "
        "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND TABLE_NAME = ?",
        [name.database, name.schema, name.name],
    ).fetchall()
    return {r[0]: Declared(*r) for r in rows}


def _insert(cur: duckdb.DuckDBPyConnection, name: ObjectName, column: Declared) -> None:
    cur.execute(
        f"INSERT INTO {_S}.COLUMNS VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [name.database, name.schema, name.name, column.name, column.type, column.default, column.pk_seq,
         column.pk_name, column.unique, column.comment],
    )  # fmt: skip


def forget(cur: duckdb.DuckDBPyConnection, name: ObjectName) -> None:
    """The object was dropped or replaced: its record goes."""
    where = "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND {} = ?"
    cur.execute(f"DELETE FROM {_S}.COLUMNS {where.format('TABLE_NAME')}", [name.database, name.schema, name.name])
    cur.execute(f"DELETE FROM {_S}.VIEW_TEXTS {where.format('NAME')}", [name.database, name.schema, name.name])


def source_types(cur: duckdb.DuckDBPyConnection, sources: dict[str, ObjectName]) -> dict[tuple[str, str], str]:
    """The spelled types of the columns of the tables a CTAS / view reads, by (alias, column) (read before a
    CREATE OR REPLACE of one of them forgets them)."""
    types = {}
    for alias, source in sources.items():
        sql, params = column_sql(source.storage_schema, source.name, source.database, source.schema)
        types.update({(alias, r[0]): r[1] for r in cur.execute(sql, params).fetchall()})
    return types


def record_created(
    cur: duckdb.DuckDBPyConnection,
    name: ObjectName,
    declared: list[Declared] | None,
    from_source: dict[tuple[str, str], str],
    mapping: dict[str, tuple[str, str]],
    typed: dict[str, str],
) -> None:
    """Record a new table's or view's columns: as declared, else the source column's type or the expression's,
    else from DuckDB's."""
    by_name = {d.name: d for d in declared or []}
    for column, duck_type in _duck_columns(cur, name):
        if column in by_name:
            _insert(cur, name, by_name[column])
            continue
        origin = mapping.get(column) or ((mapping["*"][0], column) if "*" in mapping else None)
        if origin is not None and origin in from_source:
            spelled_type = from_source[origin]
        elif column in typed:
            spelled_type = typed[column]
        else:
            spelled_type = cur.execute("SELECT SF_SPELLED_TYPE(?)", [duck_type]).fetchone()[0]
        _insert(cur, name, Declared(name=column, type=spelled_type))


def record_view_text(cur: duckdb.DuckDBPyConnection, name: ObjectName, text: str) -> None:
    cur.execute(f"INSERT INTO {_S}.VIEW_TEXTS VALUES (?, ?, ?, ?)", [name.database, name.schema, name.name, text])


def copy_record(cur: duckdb.DuckDBPyConnection, source: ObjectName, target: ObjectName) -> None:
    """A clone's columns are the source's, with their types, keys and comments."""
    have = recorded(cur, source)
    for column, duck_type in _duck_columns(cur, target):
        found = have.get(column)
        if found is None:
            found = Declared(column, cur.execute("SELECT SF_SPELLED_TYPE(?)", [duck_type]).fetchone()[0])
        _insert(cur, target, found)


def apply_alter(
    cur: duckdb.DuckDBPyConnection, name: ObjectName, changes: list[tuple], before: tuple[str, ...]
) -> None:
    """Keep the record in step with an ALTER TABLE whose table had the columns ``before`` (a column without a record
    keeps being described from DuckDB)."""
    where = "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?"
    key = [name.database, name.schema, name.name]
    for change in changes:
        if change[0] == "add":
            if change[1].name not in before:  # ADD COLUMN IF NOT EXISTS of a column it has: nothing added
                _insert(cur, name, change[1])
        elif change[0] == "drop":
            cur.execute(f"DELETE FROM {_S}.COLUMNS {where}", [*key, change[1]])
        elif change[0] == "rename":
            cur.execute(f"UPDATE {_S}.COLUMNS SET COLUMN_NAME = ? {where}", [change[2], *key, change[1]])
        elif change[0] == "type":
            cur.execute(f"UPDATE {_S}.COLUMNS SET DATA_TYPE = ? {where}", [change[2], *key, change[1]])
        elif change[0] == "default":
            cur.execute(f"UPDATE {_S}.COLUMNS SET DEFAULT_TEXT = ? {where}", [change[2], *key, change[1]])
        elif change[0] == "comment":
            cur.execute(f"UPDATE {_S}.COLUMNS SET COMMENT = ? {where}", [change[2], *key, change[1]])


def rename(cur: duckdb.DuckDBPyConnection, old: ObjectName, new: ObjectName) -> None:
    for table, column in (("COLUMNS", "TABLE_NAME"), ("VIEW_TEXTS", "NAME")):
        cur.execute(
            f"UPDATE {_S}.{table} SET DATABASE_NAME = ?, SCHEMA_NAME = ?, {column} = ? "
            f"WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND {column} = ?",
            [new.database, new.schema, new.name, old.database, old.schema, old.name],
        )


def column_sql(storage_schema: str, table: str, database: str, schema: str) -> tuple[str, list]:
    """Per column of one object: name, spelled type, nullable, default, pk seq, pk name, unique, comment."""
    return (
        "SELECT c.column_name, coalesce(r.DATA_TYPE, SF_SPELLED_TYPE(c.data_type)), c.is_nullable, "
        "CASE WHEN r.COLUMN_NAME IS NOT NULL THEN r.DEFAULT_TEXT ELSE c.column_default END, r.PK_SEQ, r.PK_NAME, "
        "coalesce(r.UNIQUE_KEY, FALSE), r.COMMENT "
        f"FROM duckdb_columns() AS c LEFT JOIN {_S}.COLUMNS AS r ON r.DATABASE_NAME = ? AND r.SCHEMA_NAME = ? "
        "AND r.TABLE_NAME = c.table_name AND r.COLUMN_NAME = c.column_name "
        "WHERE c.schema_name = ? AND c.table_name = ? AND c.column_name <> ? ORDER BY c.column_index",
        [database, schema, storage_schema, table, ROW_ID],
    )
