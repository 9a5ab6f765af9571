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
