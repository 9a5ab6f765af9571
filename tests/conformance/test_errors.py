"""Errors: Snowflake's documented error codes and SQLSTATEs, and what the engine refuses as not emulated."""

from __future__ import annotations

import pytest

from .cases import fails, ids, ok, refused, run_case

DIV0 = "https://docs.snowflake.com/en/sql-reference/functions/div0"
MISSING = (
    "https://docs.snowflake.com/en/release-notes/bcr-bundles/un-bundled/bcr-1858"  # 002003 (42S02) ... does not exist
)
RANDOM = "https://docs.snowflake.com/en/sql-reference/functions/random"
CURRENT_VERSION = "https://docs.snowflake.com/en/sql-reference/functions/current_version"
SESSION_VARIABLES = "https://docs.snowflake.com/en/sql-reference/session-variables"
SAMPLE = "https://docs.snowflake.com/en/sql-reference/constructs/sample"
SELECT = "https://docs.snowflake.com/en/sql-reference/sql/select"
CONVERT_TIMEZONE = "https://docs.snowflake.com/en/sql-reference/functions/convert_timezone"
_SAMPLE_T = ("CREATE OR REPLACE TABLE sample_t AS SELECT SEQ4() AS i FROM TABLE(GENERATOR(ROWCOUNT => 50))",)
TYPEOF = "https://docs.snowflake.com/en/sql-reference/functions/typeof"

CASES = [
    # 100051 (22012): Division by zero — and DIV0's answer instead
    fails(DIV0, "select 1/0", 100051, "22012"),
    ok(DIV0, "SELECT 1/2", (0.5,)),
    ok(DIV0, "SELECT DIV0(1, 2)", (0.5,)),
    ok(DIV0, "SELECT DIV0(1, 0)", (0,)),
    # 002003 (42S02): the object does not exist or is not authorized
    fails(MISSING, "SELECT * FROM mytable_that_does_not_exist", 2003, "42S02"),
    fails(MISSING, "SELECT * FROM CONFORMANCE.NO_SUCH_SCHEMA.T", 2003, "42S02"),
    fails(MISSING, "DELETE FROM no_such_table", 2003, "42S02"),
    fails(MISSING, "INSERT INTO no_such_table VALUES (1)", 2003, "42S02"),
    fails(MISSING, "DROP TABLE no_such_table", 2003, "42S02"),
    # A session variable that was never SET
    fails(SESSION_VARIABLES, "SELECT $never_set_variable", 2211, "42000"),
    # What the local engine does not emulate is refused (0A000), never answered differently
    refused(RANDOM, "SELECT RANDOM(4711) FROM TABLE(GENERATOR(ROWCOUNT => 3))"),  # Snowflake's own seeded sequence
    refused(CURRENT_VERSION, "SELECT CURRENT_VERSION()"),  # the local engine is not a Snowflake release
    # SAMPLE / TABLESAMPLE: BERNOULLI / ROW sampling is emulated (a probability 0 gives no row, 100 every row,
    # n ROWS exactly n rows unless the table holds fewer); a seeded or a SYSTEM / BLOCK sample is refused.
    ok(SAMPLE, "SELECT * FROM testtable SAMPLE (10)", setup=("CREATE OR REPLACE TABLE testtable (i INT)",)),
    ok(SAMPLE, "SELECT * FROM testtable TABLESAMPLE BERNOULLI (20.3)", setup=("CREATE OR REPLACE TABLE testtable (i INT)",)),
    ok(SAMPLE, "SELECT * FROM testtable SAMPLE ROW (0)", setup=("CREATE OR REPLACE TABLE testtable (i INT)",)),
    ok(SAMPLE, "SELECT COUNT(*) FROM sample_t SAMPLE ROW (0)", (0,), setup=_SAMPLE_T),
    ok(SAMPLE, "SELECT COUNT(*) FROM sample_t SAMPLE (100)", (50,), setup=_SAMPLE_T),
    ok(SAMPLE, "SELECT COUNT(*) FROM sample_t SAMPLE (10 ROWS)", (10,), setup=_SAMPLE_T),
    ok(SAMPLE, "SELECT COUNT(*) FROM sample_t TABLESAMPLE BERNOULLI (80 ROWS)", (50,), setup=_SAMPLE_T),
    ok(SAMPLE, "SELECT COUNT(*) FROM (SELECT * FROM sample_t) SAMPLE (5 ROWS)", (5,), setup=_SAMPLE_T),
    refused(SAMPLE, "SELECT * FROM sample_t SAMPLE SYSTEM (3) SEED (82)", setup=_SAMPLE_T),
    refused(SAMPLE, "SELECT * FROM sample_t SAMPLE BERNOULLI (3) REPEATABLE (82)", setup=_SAMPLE_T),
    refused(SAMPLE, "SELECT * FROM sample_t SAMPLE BLOCK (50)", setup=_SAMPLE_T),
    # DuckDB-only statements are not Snowflake SQL: refused, never passed through
    refused(SELECT, "CREATE MACRO plus_one(x) AS x + 1"),
    refused(SELECT, "PRAGMA version"),
    refused(SELECT, "INSTALL httpfs"),
    refused("https://docs.snowflake.com/en/sql-reference/sql/show-functions", "SHOW FUNCTIONS"),  # not emulated yet
    refused("https://docs.snowflake.com/en/sql-reference/sql/show-procedures", "SHOW PROCEDURES"),  # not emulated yet
    # A time zone Snowflake does not know: a datetime error, SQLSTATE 22007 (its error number is not documented)
    fails(CONVERT_TIMEZONE, "SELECT CONVERT_TIMEZONE('Mars/Olympus', 'UTC', '2024-01-01 10:00:00'::TIMESTAMP_NTZ)",
          100000, "22007"),
    fails(CONVERT_TIMEZONE, "SELECT CONVERT_TIMEZONE('Mars/Olympus', '2024-01-01 10:00:00'::TIMESTAMP_TZ)", 100000, "22007"),
    # TYPEOF of a real read by path from a VARIANT holding an exponent: DOUBLE or DECIMAL cannot be told locally
    refused(TYPEOF, "SELECT TYPEOF(PARSE_JSON('{\"a\": 1.912e2}'):a)"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
