"""DDL: Snowflake's documented statuses and results for CREATE / DROP / ALTER / TRUNCATE, and what stays refused."""

from __future__ import annotations

import pytest

from .cases import ids, ok, refused, run_case

DROP_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/drop-table"
CREATE_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/create-table"
ALTER_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/alter-table"
CREATE_SEQUENCE = "https://docs.snowflake.com/en/sql-reference/sql/create-sequence"
MERGE = "https://docs.snowflake.com/en/sql-reference/sql/merge"
TRUNCATE = "https://docs.snowflake.com/en/sql-reference/sql/truncate-table"
IDENTIFIER = "https://docs.snowflake.com/en/sql-reference/identifier-literal"
VALUES = "https://docs.snowflake.com/en/sql-reference/constructs/values"

_T2 = ("CREATE DATABASE IF NOT EXISTS TESTDB", "USE SCHEMA TESTDB.PUBLIC", "CREATE OR REPLACE TABLE t2 (a INT)")

CASES = [
    ok(DROP_TABLE, "SHOW TABLES LIKE 't2%'", ("T2", "TESTDB", "PUBLIC", "TABLE"), setup=_T2,
       pick=["name", "database_name", "schema_name", "kind"]),
    ok(DROP_TABLE, "DROP TABLE t2", ("T2 successfully dropped.",), setup=_T2, columns=["status"]),
    ok(DROP_TABLE, "SHOW TABLES LIKE 't2%'", setup=(*_T2, "DROP TABLE t2")),
    ok(DROP_TABLE, "DROP TABLE IF EXISTS t2", ("Drop statement executed successfully (T2 already dropped).",),
       setup=(*_T2, "DROP TABLE t2")),
    ok(CREATE_TABLE, "CREATE OR REPLACE TABLE mytable (amount NUMBER)", ("Table MYTABLE successfully created.",)),
    ok(CREATE_TABLE, "CREATE TABLE IF NOT EXISTS mytable (amount NUMBER)", ("MYTABLE already exists, statement succeeded.",),
       setup=("CREATE OR REPLACE TABLE mytable (amount NUMBER)",)),
    ok(ALTER_TABLE, "ALTER TABLE mytable ADD COLUMN b INT", ("Statement executed successfully.",),
       setup=("CREATE OR REPLACE TABLE mytable (amount NUMBER)",)),
    # TRUNCATE TABLE then a count (also in test_transactions); TRUNCATE is DML in Snowflake
    ok(TRUNCATE, "SELECT COUNT (*) FROM temp_test_truncate", (0,),
       setup=("CREATE OR REPLACE TABLE temp_test_truncate (i number)",
              "INSERT INTO temp_test_truncate SELECT seq8() FROM table(generator(rowcount=>20)) v",
              "TRUNCATE TABLE temp_test_truncate")),
    # IDENTIFIER('<name>') names an object by a constant
    # FROM VALUES: the columns are COLUMN1, COLUMN2, ...
    ok(VALUES, "SELECT * FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))", (1, "one"), (2, "two"), (3, "three"),
       columns=["COLUMN1", "COLUMN2"]),
    ok(VALUES, "SELECT c1, c2 FROM (VALUES (1, 'one'), (2, 'two')) AS v1 (c1, c2)", (1, "one"), (2, "two"),
       columns=["C1", "C2"]),
    refused(VALUES, "SELECT column1, $2 FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))"),  # columns by position
    # IDENTIFIER('<name>'): the object named by a constant, a session variable (test_identifiers.py) or a bind
    ok(IDENTIFIER, "CREATE OR REPLACE TABLE IDENTIFIER('my_db.my_schema.my_table') (c1 number)",
       ("Table MY_TABLE successfully created.",),
       setup=("CREATE OR REPLACE DATABASE my_db", "CREATE OR REPLACE SCHEMA my_db.my_schema")),
    ok(IDENTIFIER, "CREATE OR REPLACE TABLE IDENTIFIER('\"my_table\"') (c1 number)", ("Table my_table successfully created.",)),
    ok(IDENTIFIER, "SELECT * FROM IDENTIFIER($table_name) ORDER BY 1",
            setup=("CREATE OR REPLACE TABLE my_table (c1 number)", "SET table_name = 'my_table'")),
    # Not emulated: refused, never run differently
    refused(MERGE, "CREATE OR REPLACE TABLE merge_example_target_clone CLONE merge_example_target_orig",
            setup=("CREATE OR REPLACE TABLE merge_example_target_orig (k NUMBER, v NUMBER)",)),
    # sequences and AUTOINCREMENT / IDENTITY columns are emulated (test_sequences.py)
    ok(CREATE_SEQUENCE, "CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1", ("Sequence SEQ_01 successfully created.",)),
    ok(CREATE_TABLE, "CREATE OR REPLACE TABLE t_ai (id INT AUTOINCREMENT, v VARCHAR)", ("Table T_AI successfully created.",)),
    ok(CREATE_TABLE, "CREATE OR REPLACE TABLE t_id (id INT IDENTITY(1, 1), v VARCHAR)", ("Table T_ID successfully created.",)),
    refused(ALTER_TABLE, "ALTER TABLE mytable ADD COLUMN a1 INT, a2 VARCHAR",
            setup=("CREATE OR REPLACE TABLE mytable (amount NUMBER)",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
