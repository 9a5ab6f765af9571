"""caves/local/optimize.py: result-preserving rewrites of translated statements (issue 16).

SQL in -> SQL out for each rewrite, then the same statements run with and without it on DuckDB and through the
engine: the results must be identical (JSON null kept apart from an absent key, strings unquoted by ``->>``).
Snowflake semantics of the paths read here: https://docs.snowflake.com/en/user-guide/querying-semistructured
(a path to an absent key is NULL; a key holding JSON null gives a VARIANT null).
"""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from caves.local.optimize import multi_path_extraction, optimize


def _opt(sql: str) -> str:
    return multi_path_extraction(sqlglot.parse_one(sql, read="duckdb")).sql(dialect="duckdb")


# --- SQL in -> SQL out -------------------------------------------------------------------------------------------


def test_reads_of_one_column_in_a_select_list_become_one_extraction():
    out = _opt("SELECT R.J -> '$.a' AS A, R.J -> '$.b.c' AS B, json_type(R.J -> '$.a') AS T FROM X AS R")
    assert out == (
        "SELECT LIST_EXTRACT(R.J -> ['$.a', '$.b.c'], 1) AS A, LIST_EXTRACT(R.J -> ['$.a', '$.b.c'], 2) AS B, "
        "JSON_TYPE(LIST_EXTRACT(R.J -> ['$.a', '$.b.c'], 1)) AS T FROM X AS R"
    )


def test_text_reads_are_grouped_apart_from_json_reads():
    out = _opt("SELECT J ->> '$.a' AS A, J ->> '$.b' AS B, J -> '$.c' AS C FROM X")
    assert out == (
        "SELECT LIST_EXTRACT(J ->> ['$.a', '$.b'], 1) AS A, LIST_EXTRACT(J ->> ['$.a', '$.b'], 2) AS B, "
        "J -> '$.c' AS C FROM X"
    )


def test_columns_are_grouped_separately():
    out = _opt("SELECT A.J -> '$.x' AS X1, B.J -> '$.x' AS X2, A.J -> '$.y' AS Y1 FROM A, B")
    assert out == (
        "SELECT LIST_EXTRACT(A.J -> ['$.x', '$.y'], 1) AS X1, B.J -> '$.x' AS X2, "
        "LIST_EXTRACT(A.J -> ['$.x', '$.y'], 2) AS Y1 FROM A, B"
    )


@pytest.mark.parametrize(
    "sql",
    [
        # one path only: nothing to share
        "SELECT J -> '$.a' AS A, J -> '$.a' AS A2 FROM X",
        # reads outside the SELECT list (DuckDB shares a value only within one operator)
        "SELECT 1 FROM X WHERE J -> '$.a' = '1' AND J -> '$.b' = '2'",
        # a path that is not a constant
        "SELECT J -> P AS A, J -> '$.b' AS B FROM X",
    ],
)
def test_left_alone(sql):
    assert _opt(sql) == sqlglot.parse_one(sql, read="duckdb").sql(dialect="duckdb")


def test_a_nested_query_is_its_own_scope():
    out = _opt("SELECT J -> '$.a' AS A, (SELECT Y.J -> '$.b' FROM Y) AS B, J -> '$.c' AS C FROM X")
    assert "(SELECT Y.J -> '$.b' FROM Y)" in out
    assert "LIST_EXTRACT(J -> ['$.a', '$.c'], 1) AS A" in out and "LIST_EXTRACT(J -> ['$.a', '$.c'], 2) AS C" in out


# --- results unchanged -------------------------------------------------------------------------------------------

DOCS = [
    '{"a": 1, "b": {"c": "x", "d": null}, "s": "t\\"q", "n": null, "arr": [1, {"k": 2}]}',
    '{"a": "1", "b": [1, 2]}',
    '{"b": {"c": {"deep": true}}}',
    "[1, 2, 3]",
    '"just a string"',
    None,
]
QUERY = """
SELECT ID,
    J -> '$.a' AS A, J -> '$.b.c' AS BC, J -> '$.b.d' AS BD, J -> '$.n' AS N, J -> '$.missing' AS M,
    J -> '$.arr[1].k' AS K, json_type(J -> '$.b') AS TB,
    J ->> '$.a' AS SA, J ->> '$.s' AS SS, J ->> '$.b.c' AS SBC, J ->> '$.n' AS SN, J ->> '$.b' AS SB
FROM DOCS ORDER BY ID
"""


def test_results_are_unchanged_on_duckdb():
    con = duckdb.connect()
    con.execute("CREATE TABLE DOCS (ID INTEGER, J JSON)")
    con.executemany("INSERT INTO DOCS VALUES (?, ?)", list(enumerate(DOCS)))
    rewritten = optimize(sqlglot.parse_one(QUERY, read="duckdb")).sql(dialect="duckdb")
    assert "LIST_EXTRACT" in rewritten
    assert con.execute(rewritten).fetchall() == con.execute(QUERY).fetchall()
    con.close()


def test_results_through_the_engine_are_those_of_single_reads(session):
    """Snowflake SQL through the engine (optimised) gives what one read per path gives (the same SQL, one path per
    statement, where the optimisation cannot apply)."""
    session.execute("CREATE TABLE T (ID NUMBER, V VARIANT)")
    session.executemany(
        "INSERT INTO T (ID, V) SELECT ?, TRY_PARSE_JSON(?)", [(i, d) for i, d in enumerate(DOCS) if d is not None]
    )
    paths = ["V:a", "V:b.c", "V:b.d", "V:n", "V:missing", "V:arr[1].k", "V:a::STRING", "V:s::STRING", "V:b.c::STRING"]
    together = session.execute(f"SELECT {', '.join(paths)} FROM T ORDER BY ID").rows
    with session.cursor() as cur:
        translated = session.engine.translate(cur, f"SELECT {', '.join(paths)} FROM T", "TESTDB", "PUBLIC").sql
    assert "LIST_EXTRACT" in translated
    one_by_one = [session.execute(f"SELECT {p} FROM T ORDER BY ID").rows for p in paths]
    assert together == [tuple(col[i][0] for col in one_by_one) for i in range(len(together))]


# --- TYPEOF(v) IN (the number types) -----------------------------------------------------------------------------


def test_typeof_number_test_reads_json_type():
    from caves.local.optimize import typeof_number_test

    sql = (
        "SELECT SF_TYPEOF(X) IN ('INTEGER', 'DECIMAL', 'DOUBLE') AS A, NOT SF_TYPEOF(Y) IN ('DOUBLE', 'DECIMAL') AS B,"
        " SF_TYPEOF(Z) IN ('DOUBLE') AS C, SF_TYPEOF(W) IN ('VARCHAR', 'NULL_VALUE') AS D FROM T"
    )
    out = typeof_number_test(sqlglot.parse_one(sql, read="duckdb")).sql(dialect="duckdb")
    assert out == (
        "SELECT JSON_TYPE(X) IN ('DOUBLE', 'BIGINT', 'UBIGINT') AS A, NOT JSON_TYPE(Y) IN ('DOUBLE') AS B, "
        # DOUBLE alone: SF_TYPEOF's regular expression tells it from DECIMAL, so it stays
        "SF_TYPEOF(Z) IN ('DOUBLE') AS C, JSON_TYPE(W) IN ('NULL', 'VARCHAR') AS D FROM T"
    )


VALUES = ["1", "-7", "2.5", "1e3", "1.5E-2", '"1"', "true", "null", "{}", "[]", "18446744073709551615"]


def test_typeof_tests_through_the_engine_match_typeof(session):
    """TYPEOF(v) IN (...) (optimised) agrees with TYPEOF(v) itself, value by value
    (https://docs.snowflake.com/en/sql-reference/functions/typeof)."""
    session.execute("CREATE TABLE V (ID NUMBER, J VARIANT)")
    session.executemany("INSERT INTO V (ID, J) SELECT ?, PARSE_JSON(?)", list(enumerate(VALUES)))
    session.execute("INSERT INTO V (ID, J) SELECT 99, NULL")
    rows = session.execute(
        "SELECT TYPEOF(J), TYPEOF(J) IN ('INTEGER', 'DECIMAL', 'DOUBLE'), TYPEOF(J) NOT IN ('INTEGER', 'DECIMAL', "
        "'DOUBLE'), TYPEOF(J) IN ('VARCHAR', 'BOOLEAN', 'NULL_VALUE', 'OBJECT', 'ARRAY') FROM V ORDER BY ID"
    ).rows
    with session.cursor() as cur:
        translated = session.engine.translate(
            cur, "SELECT TYPEOF(J) IN ('INTEGER', 'DECIMAL', 'DOUBLE') FROM V", "TESTDB", "PUBLIC"
        ).sql
    assert "JSON_TYPE(J) IN" in translated.upper()
    for kind, number, not_number, other in rows:
        expected = None if kind is None else kind in {"INTEGER", "DECIMAL", "DOUBLE"}
        assert number is expected and not_number is (None if kind is None else not expected), kind
        assert other is (None if kind is None else kind in {"VARCHAR", "BOOLEAN", "NULL_VALUE", "OBJECT", "ARRAY"})
