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
CLONE = "https://docs.snowflake.com/en/sql-reference/sql/create-clone"

_ORIG = ("CREATE OR REPLACE TABLE merge_example_target_orig (k NUMBER, v VARCHAR(10) COMMENT 'value')",
         "INSERT INTO merge_example_target_orig VALUES (0, 'zero'), (1, 'one')")  # fmt: skip
_CLONED = (*_ORIG, "CREATE OR REPLACE TABLE merge_example_target_clone CLONE merge_example_target_orig")
_MULTI = ("CREATE OR REPLACE TABLE mytable (amount NUMBER)", "INSERT INTO mytable VALUES (1)")
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
    # CREATE TABLE ... CLONE: a new table with the source's columns, types, comments and current rows
    ok(MERGE, "CREATE OR REPLACE TABLE merge_example_target_clone CLONE merge_example_target_orig",
       ("Table MERGE_EXAMPLE_TARGET_CLONE successfully created.",), setup=_ORIG),
    ok(CLONE, "SELECT k, v FROM merge_example_target_clone ORDER BY k", (0, "zero"), (1, "one"), setup=_CLONED),
    ok(CLONE, "DESC TABLE merge_example_target_clone", ("K", "NUMBER(38,0)", None), ("V", "VARCHAR(10)", "value"),
       setup=_CLONED, pick=["name", "type", "comment"]),
    ok(CLONE, "CREATE TABLE IF NOT EXISTS merge_example_target_clone CLONE merge_example_target_orig",
       ("MERGE_EXAMPLE_TARGET_CLONE already exists, statement succeeded.",), setup=_CLONED),
    # the clone and its source are independent tables: a change to one is not seen in the other
    ok(CLONE, "SELECT k FROM merge_example_target_clone ORDER BY k", (0,), (1,),
       setup=(*_CLONED, "INSERT INTO merge_example_target_orig VALUES (2, 'two')")),
    ok(CLONE, "SELECT count(*) FROM merge_example_target_orig", (2,),
       setup=(*_CLONED, "DELETE FROM merge_example_target_clone")),
    # a clone has no change history: a stream on it starts empty, and records the clone's own changes
    ok(CLONE, "SELECT SYSTEM$STREAM_HAS_DATA('clone_stream')", (False,),
       setup=(*_CLONED, "CREATE OR REPLACE STREAM clone_stream ON TABLE merge_example_target_clone")),
    ok(CLONE, "SELECT k, METADATA$ACTION FROM clone_stream", (5, "INSERT"),
       setup=(*_CLONED, "CREATE OR REPLACE STREAM clone_stream ON TABLE merge_example_target_clone",
              "INSERT INTO merge_example_target_clone VALUES (5, 'five')")),
    # CREATE TABLE ... LIKE: the column definitions, no rows
    ok(CREATE_TABLE, "CREATE TABLE mytable_copy LIKE merge_example_target_orig", ("Table MYTABLE_COPY successfully created.",),
       setup=(*_ORIG, "DROP TABLE IF EXISTS mytable_copy")),
    ok(CREATE_TABLE, "SELECT count(*) FROM mytable_copy", (0,),
       setup=(*_ORIG, "CREATE OR REPLACE TABLE mytable_copy LIKE merge_example_target_orig")),
    ok(CREATE_TABLE, "DESC TABLE mytable_copy", ("K", "NUMBER(38,0)"), ("V", "VARCHAR(10)"),
       setup=(*_ORIG, "CREATE OR REPLACE TABLE mytable_copy LIKE merge_example_target_orig"), pick=["name", "type"]),
    # ALTER TABLE ... ADD COLUMN a, b / DROP COLUMN a, b: several columns in one statement
    ok(ALTER_TABLE, "ALTER TABLE mytable ADD COLUMN a1 INT, a2 VARCHAR", ("Statement executed successfully.",),
       setup=_MULTI),
    ok(ALTER_TABLE, "SELECT * FROM mytable", (1, None, None), setup=(*_MULTI, "ALTER TABLE mytable ADD COLUMN a1 INT, a2 VARCHAR"),
       columns=["AMOUNT", "A1", "A2"]),
    ok(ALTER_TABLE, "SELECT * FROM mytable", (1,),
       setup=(*_MULTI, "ALTER TABLE mytable ADD COLUMN a1 INT, a2 VARCHAR", "ALTER TABLE mytable DROP COLUMN a1, a2"),
       columns=["AMOUNT"]),
    # Not emulated: refused, never run differently
    refused(CLONE, "CREATE TABLE t_back CLONE merge_example_target_orig AT (OFFSET => -60)", setup=_ORIG),
    refused(CLONE, "CREATE TABLE t_back CLONE merge_example_target_orig BEFORE (STATEMENT => '8e5d0ca9-005e-44e6-b858-a8f5b37c5726')",
            setup=_ORIG),
    refused(CLONE, "CREATE SCHEMA cloned_schema CLONE public"),
    refused(CLONE, "CREATE DATABASE cloned_db CLONE conformance"),
    refused(CLONE, "CREATE VIEW v_clone CLONE v_orig",
            setup=(*_ORIG, "CREATE OR REPLACE VIEW v_orig AS SELECT k FROM merge_example_target_orig")),
    refused(CLONE, "CREATE TABLE t_clone CLONE v_orig",
            setup=(*_ORIG, "CREATE OR REPLACE VIEW v_orig AS SELECT k FROM merge_example_target_orig")),
    # ADD a, ADD b (the keyword repeated) is not the page's syntax (ADD [COLUMN] a <type>, b <type>)
    refused(ALTER_TABLE, "ALTER TABLE mytable ADD a1 INT, ADD a2 VARCHAR", setup=_MULTI),
    # sequences and AUTOINCREMENT / IDENTITY columns are emulated (test_sequences.py)
    ok(CREATE_SEQUENCE, "CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1", ("Sequence SEQ_01 successfully created.",)),
    ok(CREATE_TABLE, "CREATE OR REPLACE TABLE t_ai (id INT AUTOINCREMENT, v VARCHAR)", ("Table T_AI successfully created.",)),
    ok(CREATE_TABLE, "CREATE OR REPLACE TABLE t_id (id INT IDENTITY(1, 1), v VARCHAR)", ("Table T_ID successfully created.",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
