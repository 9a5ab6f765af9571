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
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from .errors import UNSUPPORTED, SnowflakeError, UnsupportedStatement

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
    variables: list[str] = field(default_factory=list)  # the session variables read, in order
    date_columns: dict[str, frozenset[str]] = field(default_factory=dict)  # DATE columns, by table alias
    # Each table read, by alias: its columns and its VARCHAR columns (text_column_inputs)
    columns_read: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)

    def rewrite_args(self, node: exp.Expression) -> exp.Expression:
        """Run the node chain over ``node``'s arguments, in place, before a transform replaces ``node``.

        sqlglot does not descend into a replacement, so a transform that wraps or rebuilds a node from its
        arguments (``v[0]::STRING`` -> ``SF_TO_VARCHAR(...)``) has them rewritten first.
        """
        for key, value in list(node.args.items()):
            if isinstance(value, exp.Expression):
                node.set(key, _rewrite_tree(value, self))
            elif isinstance(value, list):
                node.set(key, [_rewrite_tree(v, self) if isinstance(v, exp.Expression) else v for v in value])
        return node


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


def is_date_valued(node: exp.Expression, ctx: Context | None = None) -> bool:
    """Known statically to be a DATE: a cast to DATE, CURRENT_DATE, TO_DATE(...), a DATE column of a table read."""
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return node.to.this == exp.DataType.Type.DATE
    if isinstance(node, exp.Column) and isinstance(node.this, exp.Identifier) and ctx is not None:
        if node.table:
            return node.name in ctx.date_columns.get(node.table, frozenset())
        # An unqualified name is a DATE only when every table read that has it holds it as a DATE.
        holders = [cols for cols in ctx.date_columns.values() if node.name in cols]
        return bool(holders) and not any(node.name in cols for cols in ctx.ns_columns.values())
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
        return exp.func("SF_TO_VARCHAR", ctx.rewrite_args(node).this)
    node.set("to", map_type(to))
    return node


# Snowflake reads an integer given to a timestamp conversion as seconds since the epoch when it is below this (larger
# ones are milliseconds, microseconds...) (https://docs.snowflake.com/en/sql-reference/functions/to_timestamp).
_SECONDS_LIMIT = 31_536_000_000


def epoch_seconds_timestamp(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``1748179630::TIMESTAMP`` / ``'1748179630'::TIMESTAMP_NTZ``: an integer (or a string of digits) is a number
    of seconds since 1970-01-01 (https://docs.snowflake.com/en/sql-reference/functions/to_timestamp, "Usage
    notes"); a larger one (milliseconds and finer) is refused."""
    if not isinstance(node, exp.Cast) or node.to.this not in {
        exp.DataType.Type.TIMESTAMP,
        exp.DataType.Type.TIMESTAMPNTZ,
    }:
        return node
    inner = node.this
    if not isinstance(inner, exp.Literal) or not inner.name.isdigit():
        return node
    if int(inner.name) >= _SECONDS_LIMIT:
        raise UnsupportedStatement(f"{node.sql('snowflake')} (an epoch in milliseconds or finer)")
    micros = exp.Literal.number(int(inner.name) * 1_000_000)
    return exp.cast(exp.func("make_timestamp", micros), exp.DataType.build("TIMESTAMP_NS", dialect="duckdb"))


def values_columns(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``SELECT ... FROM VALUES (...), (...)``: the columns are COLUMN1, COLUMN2, ... unless the alias names them
    (https://docs.snowflake.com/en/sql-reference/constructs/values). Changes the node in place."""
    in_from = isinstance(node.parent, (exp.From, exp.Join, exp.Subquery, exp.Paren))
    if not isinstance(node, exp.Values) or not in_from or not node.expressions:
        return node
    alias = node.args.get("alias")
    if alias is not None and alias.columns:
        return node
    first = node.expressions[0]
    width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
    columns = [exp.to_identifier(f"COLUMN{i}", quoted=True) for i in range(1, width + 1)]
    name = alias.this if alias is not None and alias.this else exp.to_identifier("VALUES", quoted=True)
    node.set("alias", exp.TableAlias(this=name, columns=columns))
    return node


def cast_to_variant(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``x::VARIANT`` wraps the value as it is: a string becomes a VARIANT string (it is not parsed as JSON, that is
    PARSE_JSON's job), a number a VARIANT number (https://docs.snowflake.com/en/sql-reference/data-types-semistructured,
    "VARIANT"). DuckDB's cast to JSON would parse the text."""
    if not isinstance(node, exp.Cast) or node.to.this != exp.DataType.Type.VARIANT:
        return node
    inner = node.this
    if isinstance(inner, exp.JSONExtract) or (
        isinstance(inner, exp.Anonymous) and inner.name.upper().startswith("SF_")
    ):
        return node  # already a VARIANT (a path read, PARSE_JSON)
    ctx.rewrite_args(node)
    return exp.func("to_json", node.this)


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
    "TO_TIMESTAMP": "SF_TO_TIMESTAMP_NTZ",  # TIMESTAMP_TYPE_MAPPING's default is TIMESTAMP_NTZ
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
        return exp.func("regexp_full_match", *ctx.rewrite_args(node).expressions)
    return node


def array_size(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``ARRAY_SIZE(a)``: the number of elements of an ARRAY; NULL when the value is not an ARRAY (an OBJECT, a
    scalar) (https://docs.snowflake.com/en/sql-reference/functions/array_size)."""
    if isinstance(node, exp.ArraySize):
        arg = ctx.rewrite_args(node).this
    elif isinstance(node, exp.Anonymous) and node.name.upper() == "ARRAY_SIZE" and len(node.expressions) == 1:
        arg = ctx.rewrite_args(node).expressions[0]
    else:
        return node
    as_json = exp.func("to_json", arg)
    is_array = exp.EQ(this=exp.func("json_type", as_json), expression=exp.Literal.string("ARRAY"))
    return exp.Case(ifs=[exp.If(this=is_array, true=exp.func("json_array_length", as_json.copy()))])


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
    if isinstance(node, (exp.DateAdd, exp.TimestampTrunc, exp.DateTrunc)) and is_date_valued(node.this, ctx):
        if isinstance(node, exp.DateAdd) and _unit_name(node) in _TIME_UNITS:
            return node  # DATEADD(hour, 1, d): a TIMESTAMP (dateadd_inputs)
        return exp.cast(ctx.rewrite_args(node), exp.DataType.build("DATE"))
    return node


def typeof(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TYPEOF(v)``: the VARIANT's Snowflake type name (INTEGER, DECIMAL, DOUBLE for a number written with an
    exponent, VARCHAR, OBJECT, NULL_VALUE, ...) (https://docs.snowflake.com/en/sql-reference/functions/typeof)."""
    if not isinstance(node, exp.Typeof):
        return node
    arg = ctx.rewrite_args(node).this
    if isinstance(arg, exp.JSONExtract):
        # DuckDB rewrites a value read by path: 1.5e3 comes out as 1500.0, DOUBLE and DECIMAL alike. A real read
        # from a VARIANT whose text holds an exponent is refused when the statement runs (SF_TYPEOF_PATH).
        return exp.func("SF_TYPEOF_PATH", arg, exp.cast(_innermost_variant(arg).copy(), exp.DataType.build("VARCHAR")))
    return exp.func("SF_TYPEOF", arg)


def to_char(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TO_CHAR(x [, fmt])``: without a format, TO_VARCHAR; with a constant date/time format, strftime."""
    if not isinstance(node, exp.ToChar):
        return node
    fmt = node.args.get("format")
    if fmt is None:
        return exp.func("SF_TO_VARCHAR", ctx.rewrite_args(node).this)
    if isinstance(fmt, exp.Literal):
        pattern = exp.Literal.string(snowflake_format_to_strftime(fmt.name))
        return exp.func("strftime", ctx.rewrite_args(node).this, pattern)
    return node


# Units smaller than a day: DATEADD of one of them to a DATE gives a TIMESTAMP (the date at midnight plus it).
_TIME_UNITS = {
    "HOUR", "HOURS", "H", "HR", "HRS", "MINUTE", "MINUTES", "M", "MI", "MIN", "MINS", "SECOND", "SECONDS", "S", "SEC",
    "SECS", "MILLISECOND", "MILLISECONDS", "MS", "MSEC", "MICROSECOND", "MICROSECONDS", "US", "USEC", "NANOSECOND",
    "NANOSECONDS", "NS", "NSEC", "NANOSEC", "NSECOND", "NANOSECS", "NSECONDS",
}  # fmt: skip


def _unit_name(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    return unit.name.upper() if unit is not None else "DAY"


def dateadd_inputs(node: exp.Expression, ctx: Context) -> exp.Expression:
    """DATEADD on a string literal reads it as a TIMESTAMP (``DATEADD('MINUTE', 3, '2023-04-02 01:15:00')`` is
    01:18, not the date's 00:03); on a DATE with an hour-or-smaller unit it gives a TIMESTAMP from midnight
    (https://docs.snowflake.com/en/sql-reference/functions/dateadd, "Returns"). Changes the node in place."""
    if not isinstance(node, exp.DateAdd):
        return node
    inner = node.this
    literal = isinstance(inner, exp.Literal) and inner.is_string
    if literal or (is_date_valued(inner, ctx) and _unit_name(node) in _TIME_UNITS):
        node.set("this", exp.cast(inner.copy(), exp.DataType.build("TIMESTAMP")))
    return node


def session_variable(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``$name`` reads the session variable SET earlier (https://docs.snowflake.com/en/sql-reference/session-variables);
    the session sets its value just before the statement runs. ``$1`` (a staged file's column) is refused."""
    if not isinstance(node, exp.Parameter):
        return node
    if not isinstance(node.this, exp.Var):
        raise UnsupportedStatement(f"{node.sql('snowflake')} (columns by position)")
    name = node.this.name.upper()
    ctx.variables.append(name)
    return exp.func("getvariable", exp.Literal.string("CAVES_VAR_" + name))


def refuse_seeded_random(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``RANDOM(seed)`` repeats Snowflake's own generator sequence, which the local engine cannot reproduce:
    refused (``RANDOM()`` without a seed is emulated)."""
    if isinstance(node, exp.Rand) and node.this is not None:
        raise UnsupportedStatement(f"{node.sql('snowflake')}: RANDOM with a seed (Snowflake's generator sequence)")
    return node


def refuse_current_version(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``CURRENT_VERSION()`` names a Snowflake release; the local engine is none (DuckDB's version would lie)."""
    if isinstance(node, exp.CurrentVersion):
        raise UnsupportedStatement("CURRENT_VERSION() (the local engine is not a Snowflake release)")
    return node


def _int_literal(node: exp.Expression | None, default: int) -> int | None:
    if node is None:
        return default
    if isinstance(node, exp.Literal) and not node.is_string and node.name.isdigit():
        return int(node.name)
    return None


def regexp_substr(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``REGEXP_SUBSTR(s, p [, position [, occurrence [, params [, group]]]])``: NULL when there is no match;
    'e' without a group extracts group 1; position and occurrence are honoured; 'c' / 'i' set the case
    (https://docs.snowflake.com/en/sql-reference/functions/regexp_substr). Other parameters are refused."""
    if not isinstance(node, exp.RegexpExtract):
        return node
    params = node.args.get("parameters")
    flags = params.name if isinstance(params, exp.Literal) and params.is_string else "c" if params is None else None
    position = _int_literal(node.args.get("position"), 1)
    occurrence = _int_literal(node.args.get("occurrence"), 1)
    if flags is None or set(flags) - set("cie") or position is None or occurrence is None:
        raise UnsupportedStatement(f"{node.sql('snowflake')}: only constant position, occurrence and 'c'/'i'/'e'")
    ctx.rewrite_args(node)
    group = node.args.get("group")
    if group is None:
        group = exp.Literal.number(1 if "e" in flags else 0)
    case = "i" if flags.replace("e", "").endswith("i") else "c"  # the last of c / i wins
    subject = node.this if position == 1 else exp.func("substr", node.this, exp.Literal.number(position))
    matches = exp.func("regexp_extract_all", subject, node.expression, group, exp.Literal.string(case))
    # (list_extract is 1-based and NULL past the end; an exp.Bracket would get sqlglot's index offset)
    return exp.Anonymous(this="list_extract", expressions=[matches, exp.Literal.number(occurrence)])


def variant_index(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``v[0]`` / ``v['key']`` on an ARRAY, OBJECT or VARIANT: 0-based, and the element is a VARIANT
    (https://docs.snowflake.com/en/user-guide/querying-semistructured). DuckDB lists are 1-based."""
    if not isinstance(node, exp.Bracket) or len(node.expressions) != 1:
        return node
    ctx.rewrite_args(node)
    index = node.expressions[0]
    as_json = exp.func("to_json", node.this)
    if isinstance(index, exp.Literal) and index.is_string:
        path = '$."' + index.name.replace('"', '\\"') + '"'
    elif isinstance(index, exp.Literal) and index.name.lstrip("-").isdigit():
        path = f"$[{index.name}]"
    else:
        return exp.JSONExtract(this=as_json, expression=index)
    return exp.JSONExtract(this=as_json, expression=exp.Literal.string(path))


# INITCAP's default word separators (https://docs.snowflake.com/en/sql-reference/functions/initcap), as DuckDB text.
_INITCAP_DELIMITERS = "(' !?@\"^#$&~_,.:;+-*%/|\\[](){}<>' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12))"


def initcap(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``INITCAP(s [, delimiters])``: each non-delimiter after a delimiter (by default whitespace and
    ``! ? @ " ^ # $ & ~ _ , . : ; + - * % / | \\ [ ] ( ) { } < >``) upper-cased, every other letter lower-cased;
    ``''`` as delimiters makes the whole text one word (https://docs.snowflake.com/en/sql-reference/functions/initcap).

    Written with DuckDB's ``lambda`` syntax (sqlglot would write the deprecated ``->`` form)."""
    if not isinstance(node, exp.Initcap):
        return node
    ctx.rewrite_args(node)
    text = node.this.sql("duckdb")
    delimiters = node.args.get("expression")
    delims = delimiters.sql("duckdb") if delimiters is not None else _INITCAP_DELIMITERS
    chars = (
        f"list_transform(range(length({text})), lambda i: CASE WHEN (i = 0 OR contains({delims}, "
        f"substr({text}, i, 1))) AND NOT contains({delims}, substr({text}, i + 1, 1)) "
        f"THEN upper(substr({text}, i + 1, 1)) ELSE lower(substr({text}, i + 1, 1)) END)"
    )
    raw = f"(CASE WHEN {text} IS NULL THEN NULL ELSE coalesce(array_to_string({chars}, ''), '') END)"
    return exp.Var(this=raw)  # written as is


def numeric_trunc(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TRUNC(n, scale)`` / ``TRUNCATE(n, scale)`` on a number: towards zero at ``scale`` digits after the point
    (negative: before it); NULL when either is NULL (https://docs.snowflake.com/en/sql-reference/functions/trunc).
    The date form, ``TRUNC(d, 'month')``, is left to DATE_TRUNC."""
    is_trunc = isinstance(node, exp.Anonymous) and node.name.upper() in {"TRUNC", "TRUNCATE"}
    if not is_trunc or len(node.expressions) != 2:
        return node
    if isinstance(node.expressions[1], exp.Literal) and node.expressions[1].is_string:
        return node
    ctx.rewrite_args(node)
    value, scale = node.expressions
    # (a CASE, not least(): DuckDB's least() skips a NULL scale, Snowflake's answer is then NULL)
    capped = exp.Case(
        ifs=[exp.If(this=exp.GT(this=scale.copy(), expression=exp.Literal.number(38)), true=exp.Literal.number(38))],
        default=scale.copy(),
    )
    factor = exp.func("pow", exp.Literal.number(10), capped)
    scaled = exp.func("trunc", exp.Mul(this=value.copy(), expression=factor))
    return exp.Div(this=scaled, expression=factor.copy())


def object_construct(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``OBJECT_CONSTRUCT('k', v, ...)``: an OBJECT of the pairs whose value is not SQL NULL (a JSON null, such
    as ``PARSE_JSON('null')``, is kept) (https://docs.snowflake.com/en/sql-reference/functions/object_construct).

    Written as the object's JSON text: ``concat_ws`` skips the NULL pairs."""
    if isinstance(node, exp.StarMap):
        raise UnsupportedStatement("OBJECT_CONSTRUCT(*)")
    if not isinstance(node, exp.Struct):
        return node
    ctx.rewrite_args(node)
    pairs: list[exp.Expression] = []
    for item in node.expressions:
        if not isinstance(item, exp.PropertyEQ):
            raise UnsupportedStatement(f"{node.sql('snowflake')[:60]} (OBJECT_CONSTRUCT(*))")
        pairs.append(_unless_null(item.expression, _json_pair(item.this, item.expression)))
    return exp.func("json", _json_text("{", pairs, "}"))


def _unless_null(value: exp.Expression, then: exp.Expression) -> exp.Expression:
    """``CASE WHEN value IS NOT NULL THEN then END``."""
    return exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Is(this=value.copy(), expression=exp.null())), true=then)])


def _json_text(opening: str, parts: list[exp.Expression], closing: str) -> exp.Expression:
    """``opening || concat_ws(',', parts...) || closing``: DuckDB's own concat_ws skips the NULL parts (sqlglot's
    ConcatWs would make the whole text NULL when one part is)."""
    body = (
        exp.Anonymous(this="concat_ws", expressions=[exp.Literal.string(","), *parts])
        if parts
        else exp.Literal.string("")
    )
    return _enclosed(opening, body, closing)


def _enclosed(opening: str, body: exp.Expression, closing: str) -> exp.Expression:
    return exp.DPipe(
        this=exp.DPipe(this=exp.Literal.string(opening), expression=body), expression=exp.Literal.string(closing)
    )


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


def _json_pair(key: exp.Expression, value: exp.Expression) -> exp.Expression:
    """``"key":value`` as JSON text (the key as a JSON string, the value as its JSON form)."""
    json_key = exp.func("to_json", exp.cast(key, exp.DataType.build("VARCHAR")))
    return exp.DPipe(
        this=exp.DPipe(this=json_key, expression=exp.Literal.string(":")), expression=exp.func("to_json", value)
    )


def _both_present(key: exp.Expression, value: exp.Expression) -> exp.Expression:
    return exp.and_(
        exp.Not(this=exp.Is(this=key.copy(), expression=exp.null())),
        exp.Not(this=exp.Is(this=value.copy(), expression=exp.null())),
    )


def object_agg(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``OBJECT_AGG(key, value)`` (and its window form ``OVER (PARTITION BY ...)``): one OBJECT per group of the
    (key, value) pairs, pairs with a NULL key or value ignored, a key found twice in a group an error
    "Duplicate field key" (https://docs.snowflake.com/en/sql-reference/functions/object_agg, "Usage notes").

    Written as the object's JSON text: ``string_agg`` of the pairs, after a check that no key repeats. DISTINCT,
    and an ORDER BY or a frame in OVER (which Snowflake does not accept here), are refused."""
    window = node if isinstance(node, exp.Window) and isinstance(node.this, exp.ObjectAgg) else None
    agg = window.this if window is not None else node
    if not isinstance(agg, exp.ObjectAgg) or (window is None and isinstance(node.parent, exp.Window)):
        return node
    if isinstance(agg.this, exp.Distinct) or agg.expression is None:
        raise UnsupportedStatement(f"{agg.sql('snowflake')[:60]} (OBJECT_AGG with DISTINCT)")
    if window is not None and (window.args.get("order") or window.args.get("spec")):
        raise UnsupportedStatement(f"{window.sql('snowflake')[:60]} (OBJECT_AGG OVER with ORDER BY or a frame)")
    ctx.rewrite_args(agg)
    key, value = agg.this, agg.expression
    present = _both_present(key, value)

    def over(call: exp.Expression) -> exp.Expression:
        if window is None:
            return call
        return exp.Window(this=call, partition_by=[p.copy() for p in window.args.get("partition_by") or []])

    kept_key = exp.Case(ifs=[exp.If(this=present.copy(), true=key.copy())])
    pairs = over(
        exp.Anonymous(
            this="string_agg",
            expressions=[
                exp.Case(ifs=[exp.If(this=present.copy(), true=_json_pair(key, value))]),
                exp.Literal.string(","),
            ],
        )
    )
    repeated = exp.NEQ(
        this=over(exp.Count(this=kept_key.copy())),
        expression=over(exp.Count(this=exp.Distinct(expressions=[kept_key.copy()]))),
    )
    text = _enclosed("{", exp.func("coalesce", pairs, exp.Literal.string("")), "}")
    checked = exp.Case(
        ifs=[exp.If(this=repeated, true=exp.func("error", exp.Literal.string("Duplicate field key in OBJECT_AGG")))],
        default=text,
    )
    return exp.func("json", checked)


# Snowflake's HAVERSINE uses a spherical Earth of this radius, in km: its documented New York - Los Angeles example,
# 3936.385096389 km (https://docs.snowflake.com/en/sql-reference/functions/haversine), is 6371 km to every digit shown.
_EARTH_RADIUS_KM = 6371


def haversine(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``HAVERSINE(lat1, lon1, lat2, lon2)``: the great-circle distance in km between two points given in decimal
    degrees, by the haversine formula (https://docs.snowflake.com/en/sql-reference/functions/haversine); a FLOAT."""
    if not (isinstance(node, exp.Anonymous) and node.name.upper() == "HAVERSINE" and len(node.expressions) == 4):
        return node
    lat1, lon1, lat2, lon2 = (
        exp.func("radians", exp.cast(a, exp.DataType.build("DOUBLE"))) for a in ctx.rewrite_args(node).expressions
    )

    def half_sin_squared(a: exp.Expression, b: exp.Expression) -> exp.Expression:
        half = exp.Div(this=exp.paren(exp.Sub(this=b, expression=a)), expression=exp.Literal.number(2))
        return exp.func("pow", exp.func("sin", half), exp.Literal.number(2))

    inner = exp.Add(
        this=half_sin_squared(lat1, lat2),
        expression=exp.Mul(
            this=exp.Mul(this=exp.func("cos", lat1.copy()), expression=exp.func("cos", lat2.copy())),
            expression=half_sin_squared(lon1, lon2),
        ),
    )
    return exp.Mul(this=exp.Literal.number(2 * _EARTH_RADIUS_KM), expression=exp.func("asin", exp.func("sqrt", inner)))


def array_construct_compact(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``ARRAY_CONSTRUCT_COMPACT(e1, e2, ...)``: an ARRAY of the values that are not SQL NULL, of any types (a
    JSON null, ``PARSE_JSON('null')``, is a value and is kept)
    (https://docs.snowflake.com/en/sql-reference/functions/array_construct_compact, "Usage notes").

    Written as the array's JSON text: ``concat_ws`` skips the NULL elements (a DuckDB list needs one type)."""
    if not isinstance(node, exp.ArrayConstructCompact):
        return node
    ctx.rewrite_args(node)
    items = [_unless_null(e, exp.func("to_json", e)) for e in node.expressions]
    return exp.func("json", _json_text("[", items, "]"))


_TEXT_FUNCTIONS = (exp.Upper, exp.Lower, exp.Trim)


def text_function_inputs(node: exp.Expression, ctx: Context) -> exp.Expression:
    """``TRIM(12)``, ``UPPER(n)``, ``LTRIM(1.50)``: Snowflake casts a number given to a string function to
    VARCHAR (https://docs.snowflake.com/en/sql-reference/data-type-conversion, "Implicit casting"). The argument
    goes through ``SF_TEXT_INPUT``, a plain cast for text, numbers (integers and fixed-point, written alike by both
    engines), booleans and dates; any other type (a FLOAT, a timestamp: written differently) is refused when the
    statement runs. Changes the node in place."""
    if not isinstance(node, _TEXT_FUNCTIONS):
        return node
    for key in ("this", "expression"):
        arg = node.args.get(key)
        if arg is None or (isinstance(arg, exp.Literal) and arg.is_string) or isinstance(arg, exp.Placeholder):
            continue
        if isinstance(arg, exp.Anonymous) and arg.name.upper() == "SF_TEXT_INPUT":
            continue
        node.set(key, exp.Anonymous(this="SF_TEXT_INPUT", expressions=[arg]))
    return node


# A timestamp string's trailing UTC offset: after the seconds (or minutes), ``+09:00``, ``-0700``, ``+09`` or ``Z``.
_OFFSET = re.compile(r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$")
_ZERO_OFFSETS = {"Z", "+00", "-00", "+00:00", "-00:00", "+0000", "-0000"}


def _literal_offset(text: str) -> str | None:
    """The UTC offset a timestamp string ends with (``+09:00``, ``-0700``, ``Z``), else None."""
    match = _OFFSET.search(text.strip())
    return match.group(1) if match else None


def timestamp_with_offset(node: exp.Expression, ctx: Context) -> exp.Expression:
    """A timestamp string with a UTC offset (``'2024-01-01 10:00:00 +09:00'``) cast to a timestamp type:

    * ``::TIMESTAMP_LTZ`` is that instant, shown in the session's time zone (UTC locally)
      (https://docs.snowflake.com/en/sql-reference/data-types-datetime, TIMESTAMP_LTZ): emulated;
    * ``::TIMESTAMP_TZ`` / ``TO_TIMESTAMP_TZ(...)`` keep the offset in the value (TIMESTAMP_TZ): DuckDB's TIMESTAMPTZ
      keeps the instant only, so a non-zero offset is refused; a zero one (``Z``, ``+00:00``) is emulated.

    Only the instant counts in ``CONVERT_TIMEZONE(tz, <timestamp_tz>)`` (the pipeline's conversion to UTC): there any
    offset is emulated (``SF_*TO_TIMESTAMP_TZ_INSTANT``). DuckDB wants no space before the offset: the literal is
    rewritten. (``::TIMESTAMP_NTZ`` ignores the offset, as DuckDB's cast does.)"""
    parent = node.parent
    instant_only = isinstance(parent, exp.ConvertTimezone) and parent.args.get("source_tz") is None
    name = node.name.upper() if isinstance(node, exp.Anonymous) else ""
    if isinstance(node, exp.Cast):
        target, text = node.to.this, node.this
    elif name in {"TO_TIMESTAMP_TZ", "TRY_TO_TIMESTAMP_TZ", "TO_TIMESTAMP_LTZ"} and len(node.expressions) == 1:
        target = exp.DataType.Type.TIMESTAMPLTZ if name == "TO_TIMESTAMP_LTZ" else exp.DataType.Type.TIMESTAMPTZ
        text = node.expressions[0]
    else:
        return node
    if target not in {exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ}:
        return node
    if not (isinstance(text, exp.Literal) and text.is_string):
        if name in {"TO_TIMESTAMP_TZ", "TRY_TO_TIMESTAMP_TZ"} and instant_only:
            return exp.func(f"SF_{name}_INSTANT", ctx.rewrite_args(node).expressions[0])
        return node  # the SF_*TO_TIMESTAMP_TZ macros refuse a non-zero offset when the statement runs
    offset = _literal_offset(text.name)
    if offset is None:
        return node
    if target == exp.DataType.Type.TIMESTAMPTZ and offset not in _ZERO_OFFSETS and not instant_only:
        raise UnsupportedStatement(
            f"{node.sql('snowflake')[:80]} (a TIMESTAMP_TZ keeps its offset {offset}; the local engine keeps UTC only)"
        )
    stripped = text.name.strip()
    normalised = stripped[: len(stripped) - len(offset)].rstrip() + ("+00:00" if offset == "Z" else offset)
    cast = exp.TryCast if name.startswith("TRY_") or isinstance(node, exp.TryCast) else exp.Cast
    return cast(this=exp.Literal.string(normalised), to=exp.DataType.build("TIMESTAMPTZ_NS", udt=True))


def is_text_column(node: exp.Expression, ctx: Context) -> bool:
    """A column known to be a VARCHAR column of a table read: qualified by that table's alias, or unqualified in a
    SELECT whose every source is a table read (no CTE, no derived table) and exactly one of them has it."""
    if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
        return False
    if node.table:
        entry = ctx.columns_read.get(node.table)
        return entry is not None and node.name in entry[1]
    select = node.find_ancestor(exp.Select)
    from_ = select.args.get("from_") if select is not None else None
    if from_ is None:
        return False
    sources = [from_.this, *(j.this for j in select.args.get("joins") or [])]
    ctes = {cte.alias_or_name for cte in node.root().find_all(exp.CTE)}
    names = [s.alias_or_name for s in sources]
    known = all(
        isinstance(s, (exp.Table, exp.Subquery)) and n in ctx.columns_read and n not in ctes
        for s, n in zip(sources, names, strict=True)
    )
    holders = [ctx.columns_read[n] for n in names if known and node.name in ctx.columns_read[n][0]]
    return len(holders) == 1 and node.name in holders[0][1]


# Below 2**53 in absolute value, a sum of integers is the same in NUMBER and in FLOAT arithmetic.
_EXACT_INTEGER_SUM = 2**53


def text_column_inputs(node: exp.Expression, ctx: Context) -> exp.Expression:
    """Snowflake casts a VARCHAR column where a number or a timestamp is expected
    (https://docs.snowflake.com/en/sql-reference/data-type-conversion, "Implicit casting (coercion)"):

    * ``SUM(<varchar>)`` of integer texts: their sum (exact, whatever number type Snowflake casts to, while the sum
      of their absolute values stays below 2**53); a text that is no number fails as on Snowflake ("Numeric value
      'abc' is not recognized", 100038 / 22018); one with a fraction or an exponent, or a larger sum, is refused
      (NUMBER or FLOAT arithmetic would differ); ``AVG(<varchar>)`` and ``SUM(<varchar>) OVER (...)`` are refused;
    * ``DATEADD`` / ``DATEDIFF`` on a VARCHAR column read it as a TIMESTAMP, as they read a string literal.

    Only a column the translator knows to be a VARCHAR column is touched (``is_text_column``); MIN / MAX of text
    compare text on Snowflake too and are left alone."""
    if isinstance(node, exp.Avg) and is_text_column(node.this, ctx):
        raise UnsupportedStatement(f"{node.sql('snowflake')} (AVG of a VARCHAR column: cast it, e.g. ::NUMBER(38, 2))")
    if isinstance(node, exp.Sum) and is_text_column(node.this, ctx):
        if isinstance(node.parent, (exp.Window, exp.Filter)):
            raise UnsupportedStatement(f"{node.parent.sql('snowflake')[:60]} (SUM of a VARCHAR column OVER / FILTER)")
        value = exp.func("SF_INTEGER_TEXT", node.this.copy())
        too_large = exp.GTE(
            this=exp.Sum(this=exp.func("abs", value.copy())), expression=exp.Literal.number(_EXACT_INTEGER_SUM)
        )
        refusal = exp.func(
            "error",
            exp.Literal.string(
                UNSUPPORTED
                + "SUM of a VARCHAR column beyond 2**53 (NUMBER and FLOAT sums differ there: cast the column)"
            ),
        )
        return exp.Case(ifs=[exp.If(this=too_large, true=refusal)], default=exp.Sum(this=value))
    if isinstance(node, (exp.DateAdd, exp.DateDiff)):
        keys = ("this",) if isinstance(node, exp.DateAdd) else ("this", "expression")
        for key in keys:
            arg = node.args.get(key)
            if arg is not None and is_text_column(arg, ctx):
                node.set(key, exp.cast(arg.copy(), exp.DataType.build("TIMESTAMP")))
    return node


def _innermost_variant(node: exp.Expression) -> exp.Expression:
    while isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)):
        node = node.this
    return node


# The largest fixed-size sample Snowflake accepts (https://docs.snowflake.com/en/sql-reference/constructs/sample).
_MAX_SAMPLE_ROWS = 1_000_000


def row_sample(sample: exp.TableSample) -> exp.TableSample:
    """``SAMPLE`` / ``TABLESAMPLE`` on a table (the translator applies it to the table as stored): ``[BERNOULLI | ROW]
    (p)`` keeps each row with probability p/100 (0: no row, 100: every row), ``(n ROWS)`` exactly n rows unless the
    table holds fewer (https://docs.snowflake.com/en/sql-reference/constructs/sample): DuckDB's bernoulli and
    reservoir samples. Refused: ``SYSTEM`` / ``BLOCK`` (Snowflake's blocks are not DuckDB's), ``SEED`` /
    ``REPEATABLE`` (Snowflake's own sequence), and a probability or count that is not a constant in range."""
    method = (sample.text("method") or "BERNOULLI").upper()
    text = sample.sql("snowflake").strip()
    if sample.args.get("seed") is not None:
        raise UnsupportedStatement(f"{text} (a seeded sample repeats Snowflake's own sequence)")
    if method not in {"BERNOULLI", "ROW"}:
        raise UnsupportedStatement(f"{text} (SYSTEM / BLOCK sampling: Snowflake's blocks are not the local engine's)")
    percent, size = sample.args.get("percent"), sample.args.get("size")
    unsupported = {k for k, v in sample.args.items() if v is not None} - {"method", "percent", "size"}
    constant_percent = isinstance(percent, exp.Literal) and not percent.is_string and not unsupported
    if constant_percent and 0 <= float(percent.name) <= 100:
        return exp.TableSample(method=exp.var("BERNOULLI"), percent=percent.copy())
    constant_size = isinstance(size, exp.Literal) and size.name.isdigit() and not unsupported
    if constant_size and int(size.name) <= _MAX_SAMPLE_ROWS:
        return exp.TableSample(method=exp.var("RESERVOIR"), size=size.copy())
    raise UnsupportedStatement(f"{text} (only a constant probability 0-100 or a number of ROWS up to 1000000)")


# --- statement transforms ----------------------------------------------------------------------------


# The statement kinds that reach the translator (the session's own commands, commands.py, come first). Anything
# else is DuckDB's or unknown, and is refused rather than passed through (CREATE MACRO, PRAGMA, INSTALL ...).
ALLOWED_STATEMENTS: tuple[type[exp.Expression], ...] = (
    exp.Select,
    exp.Union,
    exp.Intersect,
    exp.Except,
    exp.Values,
    exp.Subquery,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
)


def refuse_unlisted_statements(tree: exp.Expression) -> exp.Expression:
    """Only Snowflake statements the engine emulates run: an allow-list of statement kinds, never a pass-through of
    text DuckDB happens to accept (code that works locally must work on Snowflake)."""
    if not isinstance(tree, ALLOWED_STATEMENTS):
        words = " ".join(tree.sql("snowflake").split()[:3])
        raise UnsupportedStatement(f"{words} ... (not supported by the local engine: {type(tree).__name__.upper()})")
    return tree


def refuse_unemulated_ddl(tree: exp.Expression) -> exp.Expression:
    """DDL the engine would run differently from Snowflake is refused: CLONE of anything but a table's current
    state (AT / BEFORE time travel; a view). (AUTOINCREMENT / IDENTITY columns: sequences.identity_columns.)"""
    clone = tree.args.get("clone") if isinstance(tree, exp.Create) else None
    if clone is not None and (clone.this.args.get("when") is not None or str(tree.args.get("kind")).upper() != "TABLE"):
        raise UnsupportedStatement(f"CREATE ... CLONE {clone.this.sql('snowflake')} (time travel, or not a table)")
    return tree


def ctas_column_list(tree: exp.Expression) -> exp.Expression:
    """``CREATE TABLE t (a INT, b VARCHAR) AS SELECT ...``: the query's columns, by position, take the listed names and
    types (https://docs.snowflake.com/en/sql-reference/sql/create-table, CREATE TABLE ... AS SELECT); DuckDB has no
    column list on CTAS, so the query is wrapped: ``SELECT CAST(a AS INT) AS a, ... FROM (<query>) AS q(a, b)``."""
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema) or tree.expression is None:
        return tree
    definitions = [c for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
    if not definitions or not isinstance(tree.expression, exp.Query):
        return tree
    names = [d.this.copy() for d in definitions]
    alias = exp.TableAlias(this=exp.to_identifier("CAVES_CTAS"), columns=names)
    source = exp.Subquery(this=tree.expression.copy(), alias=alias)
    projections = [
        exp.alias_(
            exp.cast(exp.column(d.this.copy()), d.args["kind"].copy())
            if d.args.get("kind")
            else exp.column(d.this.copy()),
            d.this.copy(),
        )
        for d in definitions
    ]
    tree.set("expression", exp.select(*projections).from_(source))
    tree.set("this", tree.this.this)
    return tree


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


def name_unaliased_columns(tree: exp.Expression) -> exp.Expression:
    """Snowflake names an unaliased expression column by its text, upper-cased (``COUNT(*)``)."""
    if not isinstance(tree, exp.Select):
        return tree
    for i, proj in enumerate(tree.expressions):
        if isinstance(proj, (exp.Alias, exp.Column, exp.Star)) or proj.find(exp.Star) is proj:
            continue
        name = proj.sql(dialect="snowflake").upper()
        tree.expressions[i] = exp.alias_(proj, exp.to_identifier(name, quoted=True))
    tree.set("expressions", list(tree.expressions))  # the new aliases' parent is the SELECT (transforms look up)
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
    refuse_unlisted_statements,
    refuse_unemulated_ddl,
    ctas_column_list,
    truncate_as_delete,
)

# Whole-statement rewrites after the tables are mapped, before the node chain.
PRE_NODE_TRANSFORMS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (parse_json_macros,)

# Per-node rewrites, in precedence order.
NODE_TRANSFORMS: tuple[NodeTransform, ...] = (
    floor_ns_to_us,  # in place; the node goes on down the chain
    session_variable,
    refuse_seeded_random,
    refuse_current_version,
    dateadd_inputs,  # in place
    guard_division,
    values_columns,  # in place
    timestamp_with_offset,
    epoch_seconds_timestamp,
    cast_to_variant,
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
    initcap,
    numeric_trunc,
    object_construct,
    regexp_substr,
    variant_index,
    variant_equals_text,
    object_agg,
    haversine,
    array_construct_compact,
    text_function_inputs,  # in place
    text_column_inputs,
)

# Whole-statement rewrites after the node chain (DML only).
POST_NODE_TRANSFORMS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (unqualify_set_targets,)


def apply_node_chain(
    node: exp.Expression, ctx: Context, chain: tuple[NodeTransform, ...] = NODE_TRANSFORMS
) -> exp.Expression:
    """Run ``chain`` on one node: the first transform that returns a replacement wins."""
    for transform in chain:
        result = transform(node, ctx)
        if result is not node:
            return result
    return node


def _rewrite_tree(tree: exp.Expression, ctx: Context) -> exp.Expression:
    return tree.transform(lambda node: apply_node_chain(node, ctx), copy=False)


def rewrite_expressions(tree: exp.Expression, ctx: Context) -> exp.Expression:
    """The node chain over a whole tree (after PRE_NODE_TRANSFORMS)."""
    for transform in PRE_NODE_TRANSFORMS:
        tree = transform(tree)
    return _rewrite_tree(tree, ctx)
