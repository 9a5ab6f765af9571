"""Each transform of the translator's chain (caves/local/transforms.py), SQL in -> SQL out.

A transform is run alone on a parsed Snowflake statement (identifiers normalised as the translator does) and the
tree is written as DuckDB SQL. The engine-level tests (test_sql.py, test_fidelity.py, tests/conformance) check the
same behaviours end to end; these pin down which transform does what.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

from caves.local import transforms as tf
from caves.local import translate  # noqa: F401  (its sqlglot parser settings: REGEXP_SUBSTR's group)
from caves.local.errors import SnowflakeError, UnsupportedStatement
from caves.local.transforms import Context


def _parse(sql: str):
    return normalize_identifiers(sqlglot.parse_one(sql, read="snowflake"), dialect="snowflake")


def node_sql(transform: tf.NodeTransform, sql: str, ctx: Context | None = None) -> str:
    """Run one node transform over every node of the statement."""
    context = ctx or Context()
    return _parse(sql).transform(lambda n: transform(n, context), copy=False).sql("duckdb")


def statement_sql(transform, sql: str) -> str:
    return transform(_parse(sql)).sql("duckdb")


NODE_CASES = [
    (
        tf.floor_ns_to_us,
        "SELECT t.ts::DATE FROM t",
        Context(ns_columns={"T": frozenset({"TS"})}),
        "SELECT CAST(MAKE_TIMESTAMP_NS(EPOCH_NS(CAST(T.TS AS TIMESTAMP_NS)) - (EPOCH_NS(CAST(T.TS AS TIMESTAMP_NS))"
        " % 1000 + 1000) % 1000) AS DATE) FROM T",
    ),
    (tf.floor_ns_to_us, "SELECT d::DATE FROM t", None, "SELECT CAST(D AS DATE) FROM T"),
    (
        tf.guard_division,
        "SELECT a / b, a / 2 FROM t",
        None,
        "SELECT A / CASE WHEN B = 0 THEN ERROR('Division by zero') ELSE B END, A / 2 FROM T",
    ),
    (
        tf.cast_types,
        "SELECT v:a::NUMBER, v::STRING, 'x'::VARCHAR FROM t",
        None,
        "SELECT CAST(V ->> '$.a' AS INT128), SF_TO_VARCHAR(V), CAST('x' AS TEXT) FROM T",
    ),
    (
        tf.data_types,
        "CREATE TABLE t (v VARIANT, n NUMBER(38,0), d NUMBER(10,2), s STRING, ts TIMESTAMP_NTZ, tz TIMESTAMP_TZ, f FLOAT)",
        None,
        "CREATE TABLE T (V JSON, N INT128, D DECIMAL(10, 2), S TEXT, TS TIMESTAMP_NS, TZ TIMESTAMPTZ_NS, F DOUBLE)",
    ),
    (tf.rename_functions, "SELECT TO_TIMESTAMP_NTZ(s), TYPEOF(v)", None, "SELECT SF_TO_TIMESTAMP_NTZ(S), TYPEOF(V)"),
    (tf.current_task_name, "SELECT SYSTEM$CURRENT_USER_TASK_NAME()", None, "SELECT GETVARIABLE('CAVES_TASK_NAME')"),
    (tf.regexp_like, "SELECT REGEXP_LIKE(s, 'a.*')", None, "SELECT REGEXP_FULL_MATCH(S, 'a.*')"),
    (
        tf.array_size,
        "SELECT ARRAY_SIZE(v)",
        None,
        "SELECT CASE WHEN JSON_TYPE(TO_JSON(V)) = 'ARRAY' THEN JSON_ARRAY_LENGTH(TO_JSON(V)) END",
    ),
    (tf.session_variable, "SELECT $x + 1", None, "SELECT GETVARIABLE('CAVES_VAR_X') + 1"),
    (tf.cast_to_variant, "SELECT 'Kyiv'::VARIANT, 42::VARIANT", None, "SELECT TO_JSON('Kyiv'), TO_JSON(42)"),
    (
        tf.numeric_trunc,
        "SELECT TRUNC(n, s), TRUNC(d, 'month')",
        None,
        "SELECT TRUNC(N * POWER(10, CASE WHEN S > 38 THEN 38 ELSE S END)) / POWER(10, CASE WHEN S > 38 THEN 38 ELSE S END), "
        "DATE_TRUNC('MONTH', D)",
    ),
    (
        tf.epoch_seconds_timestamp,
        "SELECT 1748179630::TIMESTAMP",
        None,
        "SELECT CAST(MAKE_TIMESTAMP(1748179630000000) AS TIMESTAMP_NS)",
    ),
    (
        tf.values_columns,
        "SELECT column1 FROM VALUES (1, 'a'), (2, 'b')",
        None,
        'SELECT COLUMN1 FROM (VALUES (1, \'a\'), (2, \'b\')) AS "VALUES"("COLUMN1", "COLUMN2")',
    ),
    (
        tf.initcap,
        "SELECT INITCAP(s, 'q')",
        None,
        "SELECT (CASE WHEN S IS NULL THEN NULL ELSE coalesce(array_to_string(list_transform(range(length(S)), lambda i: "
        "CASE WHEN (i = 0 OR contains('q', substr(S, i, 1))) AND NOT contains('q', substr(S, i + 1, 1)) THEN "
        "upper(substr(S, i + 1, 1)) ELSE lower(substr(S, i + 1, 1)) END), ''), '') END)",
    ),
    (
        tf.dateadd_inputs,
        "SELECT DATEADD('MINUTE', 3, '2023-04-02 01:15:00'), DATEADD(hour, 1, d::DATE), DATEADD(day, 1, d::DATE)",
        None,
        "SELECT CAST('2023-04-02 01:15:00' AS TIMESTAMP) + INTERVAL 3 MINUTE, "
        "CAST(CAST(D AS DATE) AS TIMESTAMP) + INTERVAL 1 HOUR, CAST(D AS DATE) + INTERVAL 1 DAY",
    ),
    (
        tf.regexp_substr,
        "SELECT REGEXP_SUBSTR(s, '([a-z]+)', 2, 3, 'ie')",
        None,
        "SELECT LIST_EXTRACT(REGEXP_EXTRACT_ALL(SUBSTRING(S, 2), '([a-z]+)', 1, 'i'), 3)",
    ),
    (
        tf.variant_index,
        "SELECT v[0], v['k'], v[i]",
        None,
        "SELECT TO_JSON(V) -> '$[0]', TO_JSON(V) -> '$.\"k\"', TO_JSON(V) -> I",
    ),
    (
        tf.context_functions,
        "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_ACCOUNT()",
        Context(database="DB", schema=None),
        "SELECT 'DB', NULL, 'SYSADMIN', 'LOCAL_WH', 'LOCAL'",
    ),
    (
        tf.date_stays_date,
        "SELECT DATEADD(day, 1, CURRENT_DATE), DATE_TRUNC('month', d::DATE)",
        None,
        "SELECT CAST(CURRENT_DATE + INTERVAL 1 DAY AS DATE), CAST(DATE_TRUNC('MONTH', CAST(D AS DATE)) AS DATE)",
    ),
    (tf.typeof, "SELECT TYPEOF(v) FROM t", None, "SELECT SF_TYPEOF(V) FROM T"),
    (
        tf.to_char,
        "SELECT TO_CHAR(d, 'YYYY-MM-DD HH24:MI'), TO_CHAR(v)",
        None,
        "SELECT STRFTIME(D, '%Y-%m-%d %H:%M'), SF_TO_VARCHAR(V)",
    ),
    (
        tf.object_construct,
        "SELECT OBJECT_CONSTRUCT('a', 1, 'b', x)",
        None,
        "SELECT JSON('{' || CONCAT_WS(',', CASE WHEN NOT 1 IS NULL THEN TO_JSON(CAST('a' AS TEXT)) || ':' || TO_JSON(1) "
        "END, CASE WHEN NOT X IS NULL THEN TO_JSON(CAST('b' AS TEXT)) || ':' || TO_JSON(X) END) || '}')",
    ),
    (
        tf.variant_equals_text,
        "SELECT * FROM t WHERE v:status = 'ok'",
        None,
        "SELECT * FROM T WHERE (V ->> '$.status') = 'ok'",
    ),
    (tf.typeof, "SELECT TYPEOF(v:a) FROM t", None, "SELECT SF_TYPEOF_PATH(V -> '$.a', CAST(V AS TEXT)) FROM T"),
    (
        tf.object_agg,
        "SELECT OBJECT_AGG(k, v) OVER (PARTITION BY g) FROM t",
        None,
        "SELECT JSON(CASE WHEN COUNT(CASE WHEN NOT K IS NULL AND NOT V IS NULL THEN K END) OVER (PARTITION BY G) <> "
        "COUNT(DISTINCT CASE WHEN NOT K IS NULL AND NOT V IS NULL THEN K END) OVER (PARTITION BY G) "
        "THEN ERROR('Duplicate field key in OBJECT_AGG') ELSE '{' || COALESCE(STRING_AGG(CASE WHEN NOT K IS NULL AND "
        "NOT V IS NULL THEN TO_JSON(CAST(K AS TEXT)) || ':' || TO_JSON(V) END, ',') OVER (PARTITION BY G), '') || '}' "
        "END) FROM T",
    ),
    (
        tf.haversine,
        "SELECT HAVERSINE(a, b, c, d)",
        None,
        "SELECT 12742 * ASIN(SQRT(POWER(SIN((RADIANS(CAST(C AS DOUBLE)) - RADIANS(CAST(A AS DOUBLE))) / 2), 2) + "
        "COS(RADIANS(CAST(A AS DOUBLE))) * COS(RADIANS(CAST(C AS DOUBLE))) * "
        "POWER(SIN((RADIANS(CAST(D AS DOUBLE)) - RADIANS(CAST(B AS DOUBLE))) / 2), 2)))",
    ),
    (
        tf.array_construct_compact,
        "SELECT ARRAY_CONSTRUCT_COMPACT(x, 1)",
        None,
        "SELECT JSON('[' || CONCAT_WS(',', CASE WHEN NOT X IS NULL THEN TO_JSON(X) END, "
        "CASE WHEN NOT 1 IS NULL THEN TO_JSON(1) END) || ']')",
    ),
    (
        tf.text_function_inputs,
        "SELECT TRIM(12), UPPER(n), LOWER('a')",
        None,
        "SELECT TRIM(SF_TEXT_INPUT(12)), UPPER(SF_TEXT_INPUT(N)), LOWER('a')",
    ),
    (
        tf.timestamp_with_offset,
        "SELECT '2024-01-01 10:00:00 +09:00'::TIMESTAMP_LTZ, '2024-01-01 10:00:00Z'::TIMESTAMP_TZ, 'x'::TIMESTAMP_TZ",
        None,
        "SELECT CAST('2024-01-01 10:00:00+09:00' AS TIMESTAMPTZ_NS), CAST('2024-01-01 10:00:00+00:00' AS TIMESTAMPTZ_NS), "
        "CAST('x' AS TIMESTAMPTZ)",
    ),
    (
        tf.text_column_inputs,
        "SELECT SUM(t.s), SUM(n), DATEDIFF(day, t.s, t.n) FROM t",
        Context(columns_read={"T": (("S", "N"), frozenset({"S"}))}),
        "SELECT CASE WHEN SUM(ABS(SF_INTEGER_TEXT(T.S))) >= 9007199254740992 THEN ERROR('Unsupported statement in the "
        "local engine: SUM of a VARCHAR column beyond 2**53 (NUMBER and FLOAT sums differ there: cast the column)') "
        "ELSE SUM(SF_INTEGER_TEXT(T.S)) END, SUM(N), DATE_DIFF('DAY', CAST(T.S AS TIMESTAMP), T.N) FROM T",
    ),
    (
        tf.timestamp_with_offset,
        "SELECT CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(s)), CONVERT_TIMEZONE('UTC', '2024-01-01 10:00 +09:00'::TIMESTAMP_TZ)",
        None,
        "SELECT SF_TRY_TO_TIMESTAMP_TZ_INSTANT(S) AT TIME ZONE 'UTC', "
        "CAST('2024-01-01 10:00+09:00' AS TIMESTAMPTZ_NS) AT TIME ZONE 'UTC'",
    ),
]


@pytest.mark.parametrize(("transform", "sql", "ctx", "expected"), NODE_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_node_transform(transform, sql: str, ctx: Context | None, expected: str) -> None:
    assert node_sql(transform, sql, ctx) == expected


STATEMENT_CASES = [
    (tf.refuse_unlisted_statements, "SELECT 1", "SELECT 1"),
    (tf.refuse_unemulated_ddl, "CREATE TABLE t (a INT)", "CREATE TABLE T (A INT)"),
    (
        tf.ctas_column_list,
        "CREATE TABLE t (a INT, b VARCHAR) AS SELECT column1, column2 FROM VALUES (1, 'x')",
        "CREATE TABLE T AS SELECT CAST(A AS INT) AS A, CAST(B AS TEXT) AS B FROM (SELECT COLUMN1, COLUMN2 FROM "
        "(VALUES (1, 'x'))) AS CAVES_CTAS(A, B)",
    ),
    (tf.truncate_as_delete, "TRUNCATE TABLE t", "DELETE FROM T"),
    (
        tf.name_unaliased_columns,
        "SELECT COUNT(*), a, b + 1 AS c, UPPER(s) FROM t",
        'SELECT COUNT(*) AS "COUNT(*)", A, B + 1 AS C, UPPER(S) AS "UPPER(S)" FROM T',
    ),
    (
        tf.parse_json_macros,
        "SELECT PARSE_JSON(s), TRY_PARSE_JSON(s, 'd')",
        "SELECT CAST(SF_PARSE_JSON(S) AS JSON), CAST(SF_TRY_PARSE_JSON_D(S) AS JSON)",
    ),
    (tf.unqualify_set_targets, "UPDATE t SET t.a = 1", "UPDATE T SET A = 1"),
    (
        tf.drop_unenforced_constraints,
        "CREATE TABLE t (a INT PRIMARY KEY, b INT UNIQUE, c INT REFERENCES u(x))",
        "CREATE TABLE T (A INT, B INT, C INT)",
    ),
]


@pytest.mark.parametrize(("transform", "sql", "expected"), STATEMENT_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_statement_transform(transform, sql: str, expected: str) -> None:
    assert statement_sql(transform, sql) == expected


@pytest.mark.parametrize(
    ("transform", "sql"),
    [
        (tf.refuse_seeded_random, "SELECT RANDOM(42)"),
        (tf.refuse_current_version, "SELECT CURRENT_VERSION()"),
        (tf.regexp_substr, "SELECT REGEXP_SUBSTR(s, 'a', 1, 1, 'm')"),
        (tf.session_variable, "SELECT $1 FROM t"),
        (tf.object_construct, "SELECT OBJECT_CONSTRUCT(*) FROM t"),
    ],
)
def test_refusing_node_transforms(transform, sql: str) -> None:
    """What cannot be emulated with Snowflake's semantics is refused, never answered differently."""
    with pytest.raises(UnsupportedStatement):
        node_sql(transform, sql)


def test_refusing_transforms_refuse() -> None:
    for duckdb_only in ("CREATE MACRO m(x) AS x + 1", "PRAGMA version", "SHOW TABLES"):
        with pytest.raises(UnsupportedStatement):
            statement_sql(tf.refuse_unlisted_statements, duckdb_only)
    for ddl in ("CREATE TABLE t2 CLONE t AT (OFFSET => -60)", "CREATE VIEW v2 CLONE v"):
        with pytest.raises(UnsupportedStatement):
            statement_sql(tf.refuse_unemulated_ddl, ddl)
    with pytest.raises(SnowflakeError, match="Invalid parameter for PARSE_JSON"):
        statement_sql(tf.parse_json_macros, "SELECT PARSE_JSON(s, 'x')")


def test_every_transform_is_tested_and_documented() -> None:
    """The chains are the list of what the translator does: each entry says which behaviour it mirrors."""
    chains = (*tf.STATEMENT_TRANSFORMS, *tf.PRE_NODE_TRANSFORMS, *tf.NODE_TRANSFORMS, *tf.POST_NODE_TRANSFORMS)
    tested = {case[0] for case in NODE_CASES} | {case[0] for case in STATEMENT_CASES}
    tested |= {tf.stream_has_data, tf.refuse_seeded_random, tf.refuse_current_version}
    for transform in chains:
        assert transform.__doc__, transform.__name__
        assert transform in tested, f"{transform.__name__} has no SQL-in/SQL-out case"


def test_refused_forms_of_the_new_functions() -> None:
    """What Snowflake does that these transforms cannot mirror is refused: a TIMESTAMP_TZ's own non-zero offset,
    OBJECT_AGG with DISTINCT or an ordered window."""
    with pytest.raises(UnsupportedStatement, match="offset"):
        node_sql(tf.timestamp_with_offset, "SELECT '2024-01-01 10:00:00 +09:00'::TIMESTAMP_TZ")
    with pytest.raises(UnsupportedStatement, match="offset"):
        node_sql(tf.timestamp_with_offset, "SELECT TO_TIMESTAMP_TZ('2024-01-01 10:00:00-0700')")
    with pytest.raises(UnsupportedStatement, match="DISTINCT"):
        node_sql(tf.object_agg, "SELECT OBJECT_AGG(DISTINCT k, v) FROM t")
    with pytest.raises(UnsupportedStatement, match="ORDER BY"):
        node_sql(tf.object_agg, "SELECT OBJECT_AGG(k, v) OVER (ORDER BY k) FROM t")


def test_text_columns_are_known_from_the_tables_read() -> None:
    """Only a column the translator knows to be VARCHAR is cast: not one of a CTE, nor an ambiguous one."""
    ctx = Context(columns_read={"T": (("S", "N"), frozenset({"S"})), "U": (("S",), frozenset())})
    assert "SF_INTEGER_TEXT(S)" in node_sql(tf.text_column_inputs, "SELECT SUM(s) FROM t", ctx)
    assert node_sql(tf.text_column_inputs, "SELECT SUM(s) FROM t, u", ctx) == "SELECT SUM(S) FROM T, U"
    assert node_sql(tf.text_column_inputs, "WITH t AS (SELECT 1 s) SELECT SUM(s) FROM t", ctx).endswith(
        "SELECT SUM(S) FROM T"
    )
    with pytest.raises(UnsupportedStatement, match="AVG"):
        node_sql(tf.text_column_inputs, "SELECT AVG(s) FROM t", ctx)


def test_row_sample() -> None:
    """SAMPLE / TABLESAMPLE: BERNOULLI / ROW fractions and fixed sizes as DuckDB samples; the rest refused."""

    def sample(sql: str) -> str:
        return tf.row_sample(_parse(sql).find(sqlglot.exp.TableSample)).sql("duckdb")

    assert sample("SELECT * FROM t SAMPLE (10)") == "TABLESAMPLE BERNOULLI (10 PERCENT)"
    assert sample("SELECT * FROM t TABLESAMPLE ROW (0.5)") == "TABLESAMPLE BERNOULLI (0.5 PERCENT)"
    assert sample("SELECT * FROM t SAMPLE (10 ROWS)") == "TABLESAMPLE RESERVOIR (10 ROWS)"
    for sql in (
        "SELECT * FROM t SAMPLE (10) SEED (1)",
        "SELECT * FROM t SAMPLE SYSTEM (10)",
        "SELECT * FROM t SAMPLE BLOCK (10) REPEATABLE (3)",
        "SELECT * FROM t SAMPLE (101)",
        "SELECT * FROM t SAMPLE (2000000 ROWS)",
    ):
        with pytest.raises(UnsupportedStatement):
            sample(sql)


def test_stream_has_data_asks_the_context() -> None:
    """SYSTEM$STREAM_HAS_DATA is answered by the translator (it owns the catalog), outside of it refused."""
    ctx = Context(stream_has_data=lambda node: sqlglot.exp.Literal.string("checked"))
    assert node_sql(tf.stream_has_data, "SELECT SYSTEM$STREAM_HAS_DATA('S')", ctx) == "SELECT 'checked'"
    with pytest.raises(UnsupportedStatement):
        node_sql(tf.stream_has_data, "SELECT SYSTEM$STREAM_HAS_DATA('S')")


def test_first_replacement_wins() -> None:
    """The chain's order is its precedence: a cast to text becomes SF_TO_VARCHAR before any type mapping."""
    tree = _parse("SELECT v::STRING, 1 / x FROM t")
    out = tree.transform(lambda n: tf.apply_node_chain(n, Context()), copy=False).sql("duckdb")
    assert out == "SELECT SF_TO_VARCHAR(V), 1 / CASE WHEN X = 0 THEN ERROR('Division by zero') ELSE X END FROM T"
