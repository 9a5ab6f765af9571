"""The translator's rewrites, as a chain of small named transforms (Snowflake SQL tree -> DuckDB SQL tree).

Two ordered chains, each listed once at the bottom of this module:

* ``STATEMENT_TRANSFORMS`` run once on the whole statement, before the tables are mapped to storage;
* ``NODE_TRANSFORMS`` run on every node of the tree (``Expression.transform``, parents before children):
  a transform returns the node itself when it does not apply, or its replacement; the first replacement wins
  (sqlglot does not descend into a replacement, so the order is the precedence).

Each transform's docstring names the Snowflake behaviour it mirrors. A transform is a pure function of the
tree, or of the tree and a :class:`Context` (the session's current database and schema, what the tables read
hold) when it needs one. ``tests/local/test_transforms.py`` tests each one SQL in -> SQL out.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from .errors import SnowflakeError, UnsupportedStatement

# --- the context a transform may read ----------------------------------------------------------------


@dataclass
class Context:
    """What a context-needing transform knows: the session's names, and what the statement's tables hold.

    ``stream_has_data`` turns a ``SYSTEM$STREAM_HAS_DATA`` call into its replacement (the translator owns the
    catalog lookups); ``ns_columns`` maps a table alias (or name) to its nanosecond timestamp columns.
    """

    database: str | None = None
    schema: str | None = None
    ns_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    stream_has_data: Callable[[exp.Anonymous], exp.Expression] | None = None


NodeTransform = Callable[[exp.Expression, Context], exp.Expression]


# --- types -------------------------------------------------------------------------------------------

_INT_TYPES = {
    exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT,
    exp.DataType.Type.SMALLINT,
    exp.DataType.Type.TINYINT,
}
JSON_TYPES = {exp.DataType.Type.VARIANT, exp.DataType.Type.OBJECT, exp.DataType.Type.ARRAY}
TEXT_TYPES = {
    exp.DataType.Type.TEXT,
    exp.DataType.Type.VARCHAR,
    exp.DataType.Type.CHAR,
    exp.DataType.Type.NVARCHAR,
    exp.DataType.Type.NCHAR,
}


def map_type(dtype: exp.DataType) -> exp.DataType:
    """Snowflake types as DuckDB stores them: VARIANT -> JSON; NUMBER(p,0) and INT -> BIGINT."""
    t = dtype.this
    if t in JSON_TYPES:
        return exp.DataType.build("JSON")
    if t in _INT_TYPES:
        return exp.DataType.build("BIGINT")
    if t == exp.DataType.Type.DECIMAL:
        return _map_number(dtype)
    if t in TEXT_TYPES:
        return exp.DataType.build("VARCHAR")
    # Snowflake keeps timestamps to the nanosecond (TIMESTAMP_NTZ(9) by default; TIMESTAMP means TIMESTAMP_NTZ):
    # DuckDB's TIMESTAMP keeps microseconds, its TIMESTAMP_NS / TIMESTAMPTZ_NS nanoseconds.
    if t in {exp.DataType.Type.TIMESTAMPLTZ, exp.DataType.Type.TIMESTAMPTZ}:
        return exp.DataType.build("TIMESTAMPTZ_NS", udt=True)  # unknown to sqlglot: written as is
    if t in {exp.DataType.Type.TIMESTAMPNTZ, exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP}:
        return exp.DataType.build("TIMESTAMP_NS", dialect="duckdb")
    if t in {exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE}:
        return exp.DataType.build("DOUBLE")
    return dtype


def _map_number(dtype: exp.DataType) -> exp.DataType:
    params = dtype.expressions
    precision = int(params[0].name) if params else 38
    scale = int(params[1].name) if len(params) > 1 else 0
    if scale == 0:
        return exp.DataType.build("BIGINT" if precision <= 18 else "HUGEINT")
    return exp.DataType.build(f"DECIMAL({min(precision, 38)}, {scale})")


# --- helpers shared by transforms --------------------------------------------------------------------


def as_scalar_extract(node: exp.Expression) -> exp.Expression:
    """``v:path`` used as a scalar: extract the value as text (DuckDB ``->>``), not as JSON."""
    if isinstance(node, exp.JSONExtract):
        return exp.JSONExtractScalar(this=node.this, expression=node.expression)
    return node


def local_user() -> str:
    """CURRENT_USER() locally: the operating-system user, upper-cased as Snowflake reports user names."""
    try:
        return getpass.getuser().upper()
    except (KeyError, OSError):
        return "LOCAL_USER"


_SF_TO_STRFTIME = [
    ("YYYY", "%Y"),
    ("YY", "%y"),
    ("MMMM", "%B"),
    ("MON", "%b"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("DY", "%a"),
    ("HH24", "%H"),
    ("HH12", "%I"),
    ("HH", "%H"),
    ("MI", "%M"),
    ("SS", "%S"),
    ("FF", "%f"),
    ("AM", "%p"),
    ("PM", "%p"),
]


def snowflake_format_to_strftime(fmt: str) -> str:
    """TO_CHAR/TO_VARCHAR format elements -> strftime (the common ones)."""
    out, i = [], 0
    while i < len(fmt):
        for token, repl in _SF_TO_STRFTIME:
            if fmt[i : i + len(token)].upper() == token:
                out.append(repl)
                i += len(token)
                break
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


_TO_US_FUNCTIONS = tuple(
    getattr(exp, name)
    for name in (
        "TsOrDsToDate", "Date", "DateTrunc", "TimestampTrunc", "DayOfWeek", "DayOfWeekIso", "DayOfMonth",
        "DayOfYear", "Day", "LastDay", "Week", "WeekOfYear", "YearOfWeek", "Month", "Quarter", "Year",
    )
    if hasattr(exp, name)
)  # fmt: skip
_TO_US_TYPES = {exp.DataType.Type.DATE, exp.DataType.Type.TIME}
NS_TYPES = {
    exp.DataType.Type.TIMESTAMP,
    exp.DataType.Type.TIMESTAMPNTZ,
    exp.DataType.Type.DATETIME,
    exp.DataType.Type.TIMESTAMPTZ,
    exp.DataType.Type.TIMESTAMPLTZ,
}
DATE_ADD_FUNCTIONS = tuple(
    getattr(exp, name) for name in ("DateAdd", "DateSub", "TimestampAdd", "TimestampSub") if hasattr(exp, name)
)


def _rounds_to_us(node: exp.Expression) -> bool:
    """Whether DuckDB would evaluate this node's timestamp argument at microsecond precision (rounding it)."""
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return node.to.this in _TO_US_TYPES
    if isinstance(node, (exp.DateDiff, exp.TimestampDiff)):
        unit = node.args.get("unit")
        return unit is None or unit.name.upper() not in {"NANOSECOND", "NANOSECONDS", "NS", "NSEC"}
    return isinstance(node, _TO_US_FUNCTIONS)


def _is_ns_valued(node: exp.Expression, ctx: Context) -> bool:
    """A nanosecond column, a cast to TIMESTAMP_NTZ/_TZ, or DATEADD on one of them (statically nanoseconds)."""
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return node.to.this in NS_TYPES
    if isinstance(node, DATE_ADD_FUNCTIONS):
        return _is_ns_valued(node.this, ctx)
    if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
        return False
    if node.table:
        return node.name in ctx.ns_columns.get(node.table, frozenset())
    return any(node.name in cols for cols in ctx.ns_columns.values())


def _floored_to_us(arg: exp.Expression) -> exp.Expression:
    # (cast first: an unqualified name may, in a CTE, be a DATE or a TIMESTAMP of the same name)
    ns = exp.func("epoch_ns", exp.cast(arg.copy(), exp.DataType.build("TIMESTAMP_NS", dialect="duckdb")))
    sub_us = exp.Mod(
        this=exp.paren(exp.Add(this=exp.Mod(this=ns, expression=exp.Literal.number(1000)),
                               expression=exp.Literal.number(1000))),
        expression=exp.Literal.number(1000),
    )  # fmt: skip
    return exp.func("make_timestamp_ns", exp.Sub(this=ns.copy(), expression=sub_us))


def is_date_valued(node: exp.Expression) -> bool:
    """Known statically to be a DATE: a cast to DATE, CURRENT_DATE, TO_DATE(...)."""
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return node.to.this == exp.DataType.Type.DATE
    return isinstance(node, (exp.CurrentDate, exp.TsOrDsToDate, exp.Date, exp.DateFromParts))


# --- node transforms ---------------------------------------------------------------------------------


def floor_ns_to_us(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Snowflake truncates a TIMESTAMP_NTZ(9) to a coarser unit; DuckDB *rounds* a TIMESTAMP_NS to microseconds.

    DATE_TRUNC, ::DATE, DATEDIFF, DAYOFWEEK... read a nanosecond column floored to its microsecond first
    (23:59:59.999999900 stays on its day), which DuckDB then converts exactly. Changes the node in place.
    """
    if not _rounds_to_us(node):
        return node
    for key in ("this", "expression"):
        arg = node.args.get(key)
        if arg is not None and _is_ns_valued(arg, ctx):
            node.set(key, _floored_to_us(arg))
    return node


def guard_division(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Snowflake raises "Division by zero" where DuckDB answers inf or NULL: the divisor is checked first.

    DuckDB evaluates a CASE lazily, so DIV0 / DIV0NULL / IFF(b = 0, ...) around a division keep their meaning.
    """
    if not isinstance(node, exp.Div):
        return node
    divisor = node.expression
    if isinstance(divisor, exp.Literal) and not divisor.is_string and float(divisor.this) != 0:
        return node  # a non-zero constant: nothing to check
    check = exp.If(
        this=exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)),
        true=exp.func("error", exp.Literal.string("Division by zero")),
    )
    node.set("expression", exp.Case(ifs=[check], default=divisor))
    return node


def cast_types(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``x::TYPE``: Snowflake's type names mapped to DuckDB's; ``v:path::TYPE`` reads the scalar, not JSON;
    a VARIANT cast to text loses its JSON quotes (``'"a"'::VARIANT::STRING`` is ``a``)."""
    if not isinstance(node, exp.Cast):
        return node
    to = node.args["to"]
    inner = node.this
    if isinstance(inner, exp.JSONExtract) and to.this not in JSON_TYPES:
        node.set("this", as_scalar_extract(inner))
    elif to.this in TEXT_TYPES and not isinstance(inner, (exp.Literal, exp.JSONExtractScalar)):
        # SF_TO_VARCHAR strips the quotes of JSON values and is a plain cast (folded away) for every other type.
        return exp.func("SF_TO_VARCHAR", inner)
    node.set("to", map_type(to))
    return node


def data_types(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Column and cast types (``CREATE TABLE t (v VARIANT, n NUMBER(38,0))``) as DuckDB stores them."""
    if isinstance(node, exp.DataType):
        return map_type(node)
    return node


# Snowflake name -> macro from meta.MACROS_SQL (sqlglot leaves these as anonymous functions).
FUNCTION_RENAMES = {
    "TYPEOF": "SF_TYPEOF",
    "TRY_TO_TIMESTAMP_TZ": "SF_TRY_TO_TIMESTAMP_TZ",
    "TRY_TO_TIMESTAMP_NTZ": "SF_TRY_TO_TIMESTAMP_NTZ",
    "TRY_TO_TIMESTAMP": "SF_TRY_TO_TIMESTAMP_NTZ",
    "TO_TIMESTAMP_TZ": "SF_TO_TIMESTAMP_TZ",
    "TO_TIMESTAMP_NTZ": "SF_TO_TIMESTAMP_NTZ",
    "TRY_TO_DATE": "SF_TRY_TO_DATE",
}


def rename_functions(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Snowflake functions sqlglot does not model, called by the name of the engine's macro that mirrors them."""
    if isinstance(node, exp.Anonymous) and node.name.upper() in FUNCTION_RENAMES:
        node.set("this", FUNCTION_RENAMES[node.name.upper()])
    return node


def stream_has_data(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``SYSTEM$STREAM_HAS_DATA('s')``: whether the stream has changes to return (evaluated before the statement)."""
    if isinstance(node, exp.Anonymous) and node.name.upper() == "SYSTEM$STREAM_HAS_DATA":
        if ctx.stream_has_data is None:
            raise UnsupportedStatement("SYSTEM$STREAM_HAS_DATA here")
        return ctx.stream_has_data(node)
    return node


def current_task_name(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``SYSTEM$CURRENT_USER_TASK_NAME()``: the name of the task running the statement (NULL outside a task)."""
    if isinstance(node, exp.Anonymous) and node.name.upper() == "SYSTEM$CURRENT_USER_TASK_NAME":
        return sqlglot.parse_one("getvariable('CAVES_TASK_NAME')", read="duckdb")
    return node


def regexp_like(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``REGEXP_LIKE(s, p)`` is true when the pattern matches the *whole* subject (implicitly anchored)."""
    if isinstance(node, exp.Anonymous) and node.name.upper() == "REGEXP_LIKE":
        return exp.func("regexp_full_match", *node.expressions)
    return node


def array_size(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``ARRAY_SIZE(a)``: the number of elements of an ARRAY."""
    if isinstance(node, exp.ArraySize):
        return exp.func("json_array_length", node.this)
    if isinstance(node, exp.Anonymous) and node.name.upper() == "ARRAY_SIZE":
        return exp.func("json_array_length", *node.expressions)
    return node


def context_functions(node: exp.Expression, ctx: Context) -> exp.Expression:
    """CURRENT_DATABASE(), CURRENT_SCHEMA() (NULL when none is in use), CURRENT_USER(), CURRENT_ROLE(), ...

    The local engine has one user (the operating-system one), the role SYSADMIN, the warehouse LOCAL_WH and the
    account LOCAL.
    """
    if isinstance(node, exp.CurrentDatabase):
        return exp.Literal.string(ctx.database) if ctx.database else exp.null()
    if isinstance(node, exp.CurrentSchema):
        return exp.Literal.string(ctx.schema) if ctx.schema else exp.null()
    constants = {
        exp.CurrentRole: "SYSADMIN",
        exp.CurrentWarehouse: "LOCAL_WH",
        exp.CurrentAccount: "LOCAL",
    }
    if isinstance(node, exp.CurrentUser):
        return exp.Literal.string(local_user())
    for kind, value in constants.items():
        if isinstance(node, kind):
            return exp.Literal.string(value)
    return node


def date_stays_date(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Snowflake keeps a DATE a DATE (``DATEADD(day, 1, d)``, ``DATE_TRUNC('month', d)``); DuckDB widens it."""
    if isinstance(node, (exp.DateAdd, exp.TimestampTrunc, exp.DateTrunc)) and is_date_valued(node.this):
        return exp.cast(node, exp.DataType.build("DATE"))
    return node


def typeof(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TYPEOF(v)``: the VARIANT's Snowflake type name (INTEGER, DECIMAL, VARCHAR, OBJECT, NULL_VALUE, ...)."""
    if isinstance(node, exp.Typeof):
        return exp.func("SF_TYPEOF", node.this)
    return node


def to_char(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TO_CHAR(x [, fmt])``: without a format, TO_VARCHAR; with a constant date/time format, strftime."""
    if not isinstance(node, exp.ToChar):
        return node
    fmt = node.args.get("format")
    if fmt is None:
        return exp.func("SF_TO_VARCHAR", node.this)
    if isinstance(fmt, exp.Literal):
        return exp.func("strftime", node.this, exp.Literal.string(snowflake_format_to_strftime(fmt.name)))
    return node


def object_construct(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``OBJECT_CONSTRUCT('k', v, ...)``: a JSON object of the key-value pairs."""
    if not isinstance(node, exp.Struct):
        return node
    args: list[exp.Expression] = []
    for item in node.expressions:
        if isinstance(item, exp.PropertyEQ):
            args.extend([item.this, item.expression])
    return exp.func("json_object", *args)


def variant_equals_text(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``v:path = 'text'`` compares the VARIANT's string value with the text (not its JSON form with quotes)."""
    compares_variant_to_text = (
        isinstance(node, (exp.EQ, exp.NEQ))
        and isinstance(node.this, exp.JSONExtract)
        and isinstance(node.expression, exp.Literal)
        and node.expression.is_string
    )
    if compares_variant_to_text:
        node.set("this", as_scalar_extract(node.this))
    return node


# --- statement transforms ----------------------------------------------------------------------------


def truncate_as_delete(tree: exp.Expression) -> exp.Expression:
    """TRUNCATE [TABLE] [IF EXISTS] t is DML in Snowflake: a standard stream records the rows as deleted, an
    append-only stream ignores them (https://docs.snowflake.com/en/sql-reference/sql/truncate-table) — which is
    what DELETE FROM t does to the change log."""
    if not isinstance(tree, exp.TruncateTable):
        return tree
    tables = tree.expressions
    if len(tables) != 1 or not isinstance(tables[0], exp.Table) or tree.args.get("is_database"):
        raise UnsupportedStatement(tree.sql("snowflake")[:80])
    return exp.Delete(this=tables[0])


def refuse_insert_overwrite(tree: exp.Expression) -> exp.Expression:
    """INSERT OVERWRITE truncates and inserts in one statement: not emulated (refused, never half-done)."""
    if isinstance(tree, exp.Insert) and tree.args.get("overwrite"):
        raise UnsupportedStatement("INSERT OVERWRITE (truncate and insert in one statement)")
    return tree


def name_unaliased_columns(tree: exp.Expression) -> exp.Expression:
    """Snowflake names an unaliased expression column by its text, upper-cased (``COUNT(*)``)."""
    if not isinstance(tree, exp.Select):
        return tree
    for i, proj in enumerate(tree.expressions):
        if isinstance(proj, (exp.Alias, exp.Column, exp.Star)) or proj.find(exp.Star) is proj:
            continue
        name = proj.sql(dialect="snowflake").upper()
        tree.expressions[i] = exp.alias_(proj, exp.to_identifier(name, quoted=True))
    return tree


def parse_json_macros(tree: exp.Expression) -> exp.Expression:
    """Every PARSE_JSON / TRY_PARSE_JSON -> the macro applying Snowflake's duplicate-key rule ('s' refuses a
    duplicate key, 'd' keeps the last value). Run before the node chain, which does not look inside the nodes it
    replaces (a PARSE_JSON under a ``::STRING`` would otherwise keep sqlglot's form)."""
    for node in list(tree.find_all(exp.ParseJSON)):
        if node is tree:
            raise SnowflakeError("PARSE_JSON is not a statement.", errno=1003)
        node.replace(_parse_json(node))
    return tree


def _parse_json(node: exp.ParseJSON) -> exp.Expression:
    parameter = node.args.get("expression")
    mode = "s"
    if parameter is not None:
        if not (isinstance(parameter, exp.Literal) and parameter.is_string and parameter.name in {"d", "s"}):
            # Snowflake accepts only the string constants 'd' and 's' here.
            raise SnowflakeError(
                f"Invalid parameter for {'TRY_' if node.args.get('safe') else ''}PARSE_JSON: "
                f"{parameter.sql('snowflake')} (expected 'd' or 's').",
                errno=100069,
                sqlstate="22023",
            )
        mode = parameter.name
    name = ("SF_TRY_PARSE_JSON" if node.args.get("safe") else "SF_PARSE_JSON") + ("_D" if mode == "d" else "")
    # Typed JSON for sqlglot: ``v[2]`` on a JSON value keeps Snowflake's 0-based index (on a list it adds 1).
    return exp.cast(exp.func(name, node.this), exp.DataType.build("JSON"))


def unqualify_set_targets(tree: exp.Expression) -> exp.Expression:
    """Snowflake allows ``UPDATE t SET t.col = ...`` (in UPDATE and MERGE); DuckDB wants the bare column."""
    for eq in tree.find_all(exp.EQ):
        parent = eq.parent
        in_set = isinstance(parent, exp.Update) and eq in parent.expressions
        in_merge_update = isinstance(parent, exp.Update) and isinstance(parent.parent, exp.When)
        if (in_set or in_merge_update) and isinstance(eq.this, exp.Column) and eq.this.table:
            eq.set("this", exp.Column(this=eq.this.this))
    return tree


def drop_unenforced_constraints(tree: exp.Expression) -> exp.Expression:
    """Snowflake does not enforce PRIMARY KEY / UNIQUE / FOREIGN KEY; DuckDB would (and would index them)."""
    unenforced = (exp.PrimaryKeyColumnConstraint, exp.UniqueColumnConstraint, exp.Reference)
    for node in list(tree.find_all(exp.ColumnConstraint)):
        if isinstance(node.kind, (unenforced, exp.CommentColumnConstraint)):
            node.pop()
    for node in list(tree.find_all(exp.PrimaryKey, exp.UniqueColumnConstraint, exp.ForeignKey)):
        if isinstance(node.parent, exp.Schema):
            node.pop()
    return tree


# --- the chains, in order ----------------------------------------------------------------------------

# Whole-statement rewrites before the statement is classified (Translator.translate).
STATEMENT_TRANSFORMS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (
    truncate_as_delete,
    refuse_insert_overwrite,
)

# Whole-statement rewrites after the tables are mapped, before the node chain.
PRE_NODE_TRANSFORMS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (parse_json_macros,)

# Per-node rewrites, in precedence order.
NODE_TRANSFORMS: tuple[NodeTransform, ...] = (
    floor_ns_to_us,  # in place; the node goes on down the chain
    guard_division,
    cast_types,
    data_types,
    rename_functions,
    stream_has_data,
    current_task_name,
    regexp_like,
    array_size,
    context_functions,
    date_stays_date,
    typeof,
    to_char,
    object_construct,
    variant_equals_text,
)

# Whole-statement rewrites after the node chain (DML only).
POST_NODE_TRANSFORMS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (unqualify_set_targets,)


def apply_node_chain(node: exp.Expression, ctx: Context, chain: tuple[NodeTransform, ...] = NODE_TRANSFORMS):
    """Run ``chain`` on one node: the first transform that returns a replacement wins."""
    for transform in chain:
        result = transform(node, ctx)
        if result is not node:
            return result
    return node


def rewrite_expressions(tree: exp.Expression, ctx: Context) -> exp.Expression:
    """The node chain over a whole tree (after PRE_NODE_TRANSFORMS)."""
    for transform in PRE_NODE_TRANSFORMS:
        tree = transform(tree)
    return tree.transform(lambda node: apply_node_chain(node, ctx), copy=False)
