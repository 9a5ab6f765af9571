"""More numeric, string and conditional functions: Snowflake's documented examples, one case per documented row."""

from __future__ import annotations

import pytest

from .cases import J, fails, ids, ok, refused, run_case

_DOCS = "https://docs.snowflake.com/en/sql-reference/functions/"
FLOOR = _DOCS + "floor"
TRUNC = _DOCS + "trunc"
SUBSTR = _DOCS + "substr"
NULLIF = _DOCS + "nullif"
EQUAL_NULL = _DOCS + "equal_null"
ZEROIFNULL = _DOCS + "zeroifnull"
NULLIFZERO = _DOCS + "nullifzero"
OBJECT_AGG = _DOCS + "object_agg"
HAVERSINE = _DOCS + "haversine"
ARRAY_CONSTRUCT_COMPACT = _DOCS + "array_construct_compact"
CONVERSION = "https://docs.snowflake.com/en/sql-reference/data-type-conversion"  # "Implicit casting (coercion)"

_SCALES = "(-975.975, -1), (-975.975, 0), (-975.975, 2), (135.135, -2), (135.135, 0), (135.135, 1), (135.135, 3), " \
          "(135.135, 50), (135.135, NULL)"  # fmt: skip
_FLOOR_TABLE = (
    "CREATE OR REPLACE TABLE test_floor (n FLOAT, scale INTEGER)",
    f"INSERT INTO test_floor (n, scale) VALUES {_SCALES}",
)
_TRUNC_TABLE = (
    "CREATE OR REPLACE TABLE numeric_trunc_demo (n FLOAT, scale INTEGER)",
    f"INSERT INTO numeric_trunc_demo (n, scale) VALUES {_SCALES}",
)
_SUBSTR_TABLE = (
    "CREATE OR REPLACE TABLE test_substr (base_value VARCHAR, start_value INT, length_value INT) AS SELECT column1, "
    "column2, column3 FROM VALUES ('mystring', -1, 3), ('mystring', -3, 3), ('mystring', -3, 7), ('mystring', -5, 3), "
    "('mystring', -7, 3), ('mystring', 0, 3), ('mystring', 0, 7), ('mystring', 1, 3), ('mystring', 1, 7), "
    "('mystring', 3, 3), ('mystring', 3, 7), ('mystring', 5, 3), ('mystring', 5, 7), ('mystring', 7, 3), "
    "('mystring', NULL, 3), ('mystring', 3, NULL)",
)
_CUSTOMERS = (
    "CREATE OR REPLACE TABLE customer_contact_example (cust_id INT, cust_email VARCHAR, cust_phone VARCHAR, "
    "activation_date VARCHAR) AS SELECT column1, column2, column3, column4 FROM VALUES "
    "(1, 'some_text@example.com', '800-555-0100', '20210320'), "
    "(2, 'some_other_text@example.org', '800-555-0101', '20240509'), "
    "(3, 'some_different_text@example.net', '800-555-0102', '20191017')",
)
_I = (
    "CREATE OR REPLACE TABLE i (a INT, b INT)",
    "INSERT INTO i VALUES (0, 0), (0, 1), (0, NULL), (1, 0), (1, 1), (1, NULL), (NULL, 0), (NULL, 1), (NULL, NULL)",
)
_X = ("CREATE OR REPLACE TABLE x (i NUMBER)", "INSERT INTO x VALUES (1), (2), (NULL)")
_OBJECTAGG = (
    "CREATE OR REPLACE TABLE objectagg_example(g NUMBER, k VARCHAR(30), v VARIANT)",
    "INSERT INTO objectagg_example SELECT 0, 'name', 'Joe'::VARIANT",
    "INSERT INTO objectagg_example SELECT 0, 'age', 21::VARIANT",
    "INSERT INTO objectagg_example SELECT 1, 'name', 'Sue'::VARIANT",
    "INSERT INTO objectagg_example SELECT 1, 'zip', 94401::VARIANT",
)
_STR_TABLE = (
    "CREATE OR REPLACE TABLE str_table (id INT, qty VARCHAR, ts VARCHAR)",
    "INSERT INTO str_table VALUES (1, '2', '2024-01-01 10:00:00'), (2, '40', '2024-01-02 00:00:00'), "
    "(3, '1000', NULL), (4, 'abc', NULL), (5, '1.5', NULL)",
)
_JOE, _SUE = {"age": 21, "name": "Joe"}, {"name": "Sue", "zip": 94401}


def _same(a: str, b: str) -> str:
    return f"{a} IS NOT DISTINCT FROM {b}"


def _v(text: str) -> int | None:
    return None if text == "NULL" else int(text)


_SCALE_ROWS = [
    (-975.975, "-1"), (-975.975, "0"), (-975.975, "2"), (135.135, "-2"), (135.135, "0"), (135.135, "1"),
    (135.135, "3"), (135.135, "50"), (135.135, "NULL"),
]  # fmt: skip
_FLOORS = [-980, -976, -975.98, 100, 135, 135.1, 135.135, 135.135, None]
_TRUNCS = [-970, -975, -975.97, 100, 135, 135.1, 135.135, 135.135, None]
_SUBSTRS = [
    (-1, 3, "g"), (-3, 3, "ing"), (-3, 7, "ing"), (-5, 3, "tri"), (-7, 3, "yst"), (0, 3, "mys"), (0, 7, "mystrin"),
    (1, 3, "mys"), (1, 7, "mystrin"), (3, 3, "str"), (3, 7, "string"), (5, 3, "rin"), (5, 7, "ring"), (7, 3, "ng"),
    (None, 3, None), (3, None, None),
]  # fmt: skip
_NULLIFS = [
    ("0", "0", None), ("0", "1", 0), ("0", "NULL", 0), ("1", "0", 1), ("1", "1", None), ("1", "NULL", 1),
    ("NULL", "0", None), ("NULL", "1", None), ("NULL", "NULL", None),
]  # fmt: skip
_PAIRS = [(a, b) for a in ("1", "2", "NULL") for b in ("1", "2", "NULL")]


def _equal(a: str, b: str) -> bool | None:
    return None if "NULL" in (a, b) else a == b


CASES = [
    ok(FLOOR, "SELECT FLOOR(135.135), FLOOR(-975.975)", (135, -976)),
    *[
        ok(FLOOR, f"SELECT n, scale, FLOOR(n, scale) FROM test_floor WHERE n = {n} AND {_same('scale', sc)}",
           (n, _v(sc), want), setup=_FLOOR_TABLE)
        for (n, sc), want in zip(_SCALE_ROWS, _FLOORS, strict=True)
    ],
    ok(TRUNC, "SELECT DISTINCT n, TRUNCATE(n) FROM numeric_trunc_demo ORDER BY n", (-975.975, -975), (135.135, 135),
       setup=_TRUNC_TABLE),
    *[
        ok(TRUNC, f"SELECT n, scale, TRUNC(n, scale) FROM numeric_trunc_demo WHERE n = {n} AND {_same('scale', sc)}",
           (n, _v(sc), want), setup=_TRUNC_TABLE)
        for (n, sc), want in zip(_SCALE_ROWS, _TRUNCS, strict=True)
    ],
    ok(SUBSTR, "SELECT SUBSTR('testing 1 2 3', 9, 3)", ("1 2",)),
    *[
        ok(SUBSTR, f"SELECT base_value, start_value, length_value, SUBSTR(base_value, start_value, length_value) AS substring "
           f"FROM test_substr WHERE {_same('start_value', 'NULL' if s is None else str(s))} "
           f"AND {_same('length_value', 'NULL' if n is None else str(n))}", ("mystring", s, n, want), setup=_SUBSTR_TABLE)
        for s, n, want in _SUBSTRS
    ],
    ok(SUBSTR, "SELECT cust_id, cust_email, SUBSTR(cust_email, POSITION('@' IN cust_email) + 1) AS domain "
       "FROM customer_contact_example ORDER BY cust_id",
       (1, "some_text@example.com", "example.com"), (2, "some_other_text@example.org", "example.org"),
       (3, "some_different_text@example.net", "example.net"), setup=_CUSTOMERS),
    ok(SUBSTR, "SELECT cust_id, cust_phone, SUBSTR(cust_phone, 1, 3) AS area_code FROM customer_contact_example ORDER BY cust_id",
       (1, "800-555-0100", "800"), (2, "800-555-0101", "800"), (3, "800-555-0102", "800"), setup=_CUSTOMERS),
    ok(SUBSTR, "SELECT cust_id, cust_phone, SUBSTR(cust_phone, 5) AS phone_without_area_code FROM customer_contact_example "
       "ORDER BY cust_id",
       (1, "800-555-0100", "555-0100"), (2, "800-555-0101", "555-0101"), (3, "800-555-0102", "555-0102"), setup=_CUSTOMERS),
    ok(SUBSTR, "SELECT cust_id, activation_date, SUBSTR(activation_date, 1, 4) AS year, SUBSTR(activation_date, 5, 2) AS month, "
       "SUBSTR(activation_date, 7, 2) AS day FROM customer_contact_example ORDER BY cust_id",
       (1, "20210320", "2021", "03", "20"), (2, "20240509", "2024", "05", "09"), (3, "20191017", "2019", "10", "17"),
       setup=_CUSTOMERS),
    *[
        ok(NULLIF, f"SELECT a, b, NULLIF(a,b) FROM i WHERE {_same('a', a)} AND {_same('b', b)}", (_v(a), _v(b), want), setup=_I)
        for a, b, want in _NULLIFS
    ],
    ok(EQUAL_NULL, "SELECT x1.i x1_i, x2.i x2_i FROM x x1, x x2 WHERE x1.i = x2.i ORDER BY 1", (1, 1), (2, 2), setup=_X),
    ok(EQUAL_NULL, "SELECT x1.i x1_i, x2.i x2_i FROM x x1, x x2 WHERE EQUAL_NULL(x1.i, x2.i)", (1, 1), (2, 2), (None, None),
       setup=_X, ordered=False),
    *[
        ok(EQUAL_NULL, f"SELECT x1.i x1_i, x2.i x2_i, x1.i = x2.i, IFF(x1.i = x2.i, 'Selected', 'Not') \"SELECT IF X1.I=X2.I\", "
           f"x1.i <> x2.i, IFF(NOT(x1.i = x2.i), 'Selected', 'Not') \"SELECT IF X1.I<>X2.I\" FROM x x1, x x2 "
           f"WHERE {_same('x1.i', a)} AND {_same('x2.i', b)}",
           (_v(a), _v(b), _equal(a, b), "Selected" if _equal(a, b) else "Not",
            None if _equal(a, b) is None else not _equal(a, b), "Selected" if _equal(a, b) is False else "Not"),
           setup=_X)
        for a, b in _PAIRS
    ],
    *[
        ok(EQUAL_NULL, f"SELECT x1.i x1_i, x2.i x2_i, EQUAL_NULL(x1.i, x2.i), IFF(EQUAL_NULL(x1.i, x2.i), 'Selected', 'Not') "
           f"\"SELECT IF EQUAL_NULL(X1.I,X2.I)\", NOT EQUAL_NULL(x1.i, x2.i), IFF(NOT EQUAL_NULL(x1.i, x2.i), 'Selected', 'Not') "
           f"\"SELECT IF NOT(EQUAL_NULL(X1.I,X2.I))\" FROM x x1, x x2 WHERE {_same('x1.i', a)} AND {_same('x2.i', b)}",
           (_v(a), _v(b), a == b, "Selected" if a == b else "Not", a != b, "Not" if a == b else "Selected"), setup=_X)
        for a, b in _PAIRS
    ],
    *[
        ok(ZEROIFNULL, f"SELECT column1, ZEROIFNULL(column1) FROM VALUES (1), (null), (5), (0), (3.14159) "
           f"WHERE {_same('column1', v)}", (None if v == "NULL" else float(v), want))
        for v, want in [("1", 1), ("NULL", 0), ("5", 5), ("0", 0), ("3.14159", 3.14159)]
    ],
    ok(NULLIFZERO, "SELECT NULLIFZERO(0)", (None,)),
    ok(NULLIFZERO, "SELECT NULLIFZERO(52)", (52,)),
    ok(NULLIFZERO, "SELECT NULLIFZERO(3.14159)", (3.14159,)),
    # OBJECT_AGG: the page's table and aggregate example; the window form of its syntax; NULL keys and values ignored
    ok(OBJECT_AGG, "SELECT * FROM objectagg_example ORDER BY g, k",
       (0, "age", J(21)), (0, "name", J("Joe")), (1, "name", J("Sue")), (1, "zip", J(94401)), setup=_OBJECTAGG),
    ok(OBJECT_AGG, "SELECT OBJECT_AGG(k, v) FROM objectagg_example GROUP BY g", (J(_SUE),), (J(_JOE),),
       setup=_OBJECTAGG, ordered=False),
    ok(OBJECT_AGG, "SELECT g, OBJECT_AGG(k, v) OVER (PARTITION BY g) FROM objectagg_example ORDER BY g, k",
       (0, J(_JOE)), (0, J(_JOE)), (1, J(_SUE)), (1, J(_SUE)), setup=_OBJECTAGG),
    ok(OBJECT_AGG, "SELECT OBJECT_AGG(k, v):name::VARCHAR, TYPEOF(OBJECT_AGG(k, v)) FROM objectagg_example "
       "GROUP BY g ORDER BY g", ("Joe", "OBJECT"), ("Sue", "OBJECT"), setup=_OBJECTAGG),
    ok(OBJECT_AGG, "SELECT OBJECT_AGG(column1, column2::VARIANT) FROM VALUES ('a', 1), (NULL, 2), ('c', NULL)",
       (J({"a": 1}),)),
    refused(OBJECT_AGG, "SELECT OBJECT_AGG(DISTINCT k, v) FROM objectagg_example GROUP BY g", setup=_OBJECTAGG),
    refused(OBJECT_AGG, "SELECT OBJECT_AGG(k, v) OVER (PARTITION BY g ORDER BY k) FROM objectagg_example",
            setup=_OBJECTAGG),  # Snowflake accepts no ORDER BY here
    # HAVERSINE: the page's two examples (km, then m), to the digits shown
    ok(HAVERSINE, "SELECT HAVERSINE(40.7127, -74.0059, 34.0500, -118.2500) AS distance_in_kilometers",
       (3936.385096389,), columns=["DISTANCE_IN_KILOMETERS"]),
    ok(HAVERSINE, "SELECT HAVERSINE(40.7127, -74.0059, 34.0500, -118.2500) * 1000 AS distance_in_meters",
       (3936385.09638929,)),
    # ARRAY_CONSTRUCT_COMPACT: the page's example; SQL NULLs skipped ("Usage notes"), a JSON null is a value
    ok(ARRAY_CONSTRUCT_COMPACT, "SELECT ARRAY_CONSTRUCT_COMPACT(null,'hello',3::double,4,5)", (J(["hello", 3, 4, 5]),)),
    ok(ARRAY_CONSTRUCT_COMPACT, "SELECT ARRAY_CONSTRUCT_COMPACT(PARSE_JSON('null'), NULL, 1)", (J([None, 1]),)),
    ok(ARRAY_CONSTRUCT_COMPACT, "SELECT ARRAY_CONSTRUCT_COMPACT(NULL, NULL)", (J([]),)),
    # Implicit casts of a number to text: the page's || example; string functions given numbers
    ok(CONVERSION, "SELECT 17 || '76'", ("1776",)),
    ok(CONVERSION, "SELECT TRIM(12), LTRIM(-3), RTRIM(1.50), UPPER(7), LOWER(NULL)", ("12", "-3", "1.50", "7", None)),
    ok(CONVERSION, "SELECT LENGTH(TRIM(n)) FROM x WHERE i = 2", (4,),
       setup=("CREATE OR REPLACE TABLE x (i NUMBER, n NUMBER(4, 1))", "INSERT INTO x VALUES (2, 12.5)")),
    refused(CONVERSION, "SELECT UPPER(1.5::FLOAT)"),  # a FLOAT's text form differs between the engines
    # ... and of a VARCHAR column to a number (SUM) or a timestamp (DATEADD / DATEDIFF)
    ok(CONVERSION, "SELECT SUM(qty) FROM str_table WHERE id < 3", (42,), setup=_STR_TABLE),
    ok(CONVERSION, "SELECT SUM(t.qty), MIN(t.qty), MAX(t.qty) FROM str_table t WHERE id < 4", (1042, "1000", "40"),
       setup=_STR_TABLE),  # MIN / MAX of text compare text
    ok(CONVERSION, "SELECT DATEDIFF(day, ts, '2024-01-10'), DATEADD(hour, 2, ts) FROM str_table WHERE id = 1",
       (9, "2024-01-01 12:00:00.000"), setup=_STR_TABLE),
    fails(CONVERSION, "SELECT SUM(qty) FROM str_table", 100038, "22018", setup=_STR_TABLE),  # 'abc'
    refused(CONVERSION, "SELECT SUM(qty) FROM str_table WHERE id = 5", setup=_STR_TABLE),  # '1.5': NUMBER or FLOAT?
    refused(CONVERSION, "SELECT AVG(qty) FROM str_table WHERE id < 3", setup=_STR_TABLE),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
