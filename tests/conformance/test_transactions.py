"""DML results and transactions: Snowflake's documented examples (row counts, BEGIN / COMMIT / ROLLBACK)."""

from __future__ import annotations

import pytest

from .cases import ids, ok, run_case

MERGE = "https://docs.snowflake.com/en/sql-reference/sql/merge"
TRUNCATE = "https://docs.snowflake.com/en/sql-reference/sql/truncate-table"
DELETE = "https://docs.snowflake.com/en/sql-reference/sql/delete"
TRANSACTIONS = "https://docs.snowflake.com/en/sql-reference/transactions"
INSERT = "https://docs.snowflake.com/en/sql-reference/sql/insert"

# INSERT's "Insert using OVERWRITE" example: sf_employees emptied, then filled with the San Francisco employees
_OVERWRITE = (
    "CREATE OR REPLACE TABLE employees (first_name VARCHAR, last_name VARCHAR, workphone VARCHAR, city VARCHAR, "
    "postal_code VARCHAR)",
    "INSERT INTO employees VALUES ('May', 'Franklin', '1-650-249-5198', 'San Francisco', '94115'), "
    "('Gillian', 'Patterson', '1-650-859-3954', 'San Francisco', '94115'), "
    "('Lysandra', 'Reeves', '1-212-759-3751', 'New York', '10018'), "
    "('Michael', 'Arnett', '1-650-230-8467', 'San Francisco', '94116')",
    "CREATE OR REPLACE TABLE sf_employees (first_name VARCHAR, last_name VARCHAR, workphone VARCHAR, city VARCHAR, "
    "postal_code VARCHAR)",
    "INSERT INTO sf_employees VALUES ('Mary', 'Smith', '1-650-555-0100', 'San Francisco', '94115')",
)

_MERGE_BASIC = (
    "CREATE OR REPLACE TABLE merge_example_target (id INTEGER, description VARCHAR)",
    "INSERT INTO merge_example_target (id, description) VALUES (10, 'To be updated (this is the old value)')",
    "CREATE OR REPLACE TABLE merge_example_source (id INTEGER, description VARCHAR)",
    "INSERT INTO merge_example_source (id, description) VALUES (10, 'To be updated (this is the new value)')",
)
_MERGE_BASIC_SQL = (
    "MERGE INTO merge_example_target USING merge_example_source ON merge_example_target.id = merge_example_source.id "
    "WHEN MATCHED THEN UPDATE SET merge_example_target.description = merge_example_source.description"
)
_MERGE_MULT = (
    "CREATE OR REPLACE TABLE merge_example_mult_target (id INTEGER, val INTEGER, status VARCHAR)",
    "INSERT INTO merge_example_mult_target (id, val, status) VALUES (1, 10, 'Production'), (2, 20, 'Alpha'), "
    "(3, 30, 'Production')",
    "CREATE OR REPLACE TABLE merge_example_mult_source (id INTEGER, marked VARCHAR, isnewstatus INTEGER, "
    "newval INTEGER, newstatus VARCHAR)",
    "INSERT INTO merge_example_mult_source (id, marked, isnewstatus, newval, newstatus) VALUES "
    "(1, 'Y', 0, 10, 'Production'), (2, 'N', 1, 50, 'Beta'), (3, 'N', 0, 60, 'Deprecated'), (4, 'N', 0, 40, 'Production')",
)
_MERGE_MULT_SQL = (
    "MERGE INTO merge_example_mult_target USING merge_example_mult_source "
    "ON merge_example_mult_target.id = merge_example_mult_source.id "
    "WHEN MATCHED AND merge_example_mult_source.marked = 'Y' THEN DELETE "
    "WHEN MATCHED AND merge_example_mult_source.isnewstatus = 1 THEN UPDATE SET val = merge_example_mult_source.newval, "
    "status = merge_example_mult_source.newstatus "
    "WHEN MATCHED THEN UPDATE SET val = merge_example_mult_source.newval "
    "WHEN NOT MATCHED THEN INSERT (id, val, status) VALUES (merge_example_mult_source.id, "
    "merge_example_mult_source.newval, merge_example_mult_source.newstatus)"
)
_MERGE_DUPLICATES = (
    *_MERGE_BASIC,
    "TRUNCATE table merge_example_target",
    "TRUNCATE table merge_example_source",
    "INSERT INTO merge_example_source (id, description) VALUES "
    "(50, 'This is a duplicate in the source and has no match in target'), "
    "(50, 'This is a duplicate in the source and has no match in target')",
)
_MERGE_DUPLICATES_SQL = (
    "MERGE INTO merge_example_target USING merge_example_source ON merge_example_target.id = merge_example_source.id "
    "WHEN MATCHED THEN UPDATE SET merge_example_target.description = merge_example_source.description "
    "WHEN NOT MATCHED THEN INSERT (id, description) VALUES (merge_example_source.id, merge_example_source.description)"
)
_DUPLICATE = "This is a duplicate in the source and has no match in target"
_TRUNCATE = (
    "CREATE OR REPLACE TABLE temp_test_truncate (i number)",
    "INSERT INTO temp_test_truncate SELECT seq8() FROM table(generator(rowcount=>20)) v",
)
_BICYCLES = (
    "CREATE OR REPLACE TABLE leased_bicycles (bicycle_id INTEGER, customer_id INTEGER)",
    "CREATE OR REPLACE TABLE returned_bicycles (bicycle_id INTEGER)",
    "INSERT INTO leased_bicycles (bicycle_ID, customer_ID) VALUES (101, 1111), (102, 2222), (103, 3333), (104, 4444), "
    "(105, 5555)",
    "INSERT INTO returned_bicycles (bicycle_ID) VALUES (102), (104)",
)

CASES = [
    # INSERT OVERWRITE: "the target table should be truncated before inserting the values"
    ok(INSERT, "INSERT OVERWRITE INTO sf_employees SELECT * FROM employees WHERE city = 'San Francisco'", (3,),
       setup=_OVERWRITE, columns=["number of rows inserted"]),
    ok(INSERT, "SELECT first_name, last_name FROM sf_employees ORDER BY last_name", ("Michael", "Arnett"),
       ("May", "Franklin"), ("Gillian", "Patterson"),
       setup=(*_OVERWRITE, "INSERT OVERWRITE INTO sf_employees SELECT * FROM employees WHERE city = 'San Francisco'")),
    # MERGE: one count column per kind of action the statement has
    ok(MERGE, "SELECT * FROM merge_example_target", (10, "To be updated (this is the old value)"), setup=_MERGE_BASIC),
    ok(MERGE, _MERGE_BASIC_SQL, (1,), setup=_MERGE_BASIC, columns=["number of rows updated"]),
    ok(MERGE, "SELECT * FROM merge_example_target", (10, "To be updated (this is the new value)"),
       setup=(*_MERGE_BASIC, _MERGE_BASIC_SQL)),
    ok(MERGE, "SELECT * FROM merge_example_source", (10, "To be updated (this is the new value)"),
       setup=(*_MERGE_BASIC, _MERGE_BASIC_SQL)),
    ok(MERGE, "SELECT * FROM merge_example_mult_target ORDER BY id", (1, 10, "Production"), (2, 20, "Alpha"),
       (3, 30, "Production"), setup=_MERGE_MULT),
    ok(MERGE, "SELECT * FROM merge_example_mult_source ORDER BY id", (1, "Y", 0, 10, "Production"), (2, "N", 1, 50, "Beta"),
       (3, "N", 0, 60, "Deprecated"), (4, "N", 0, 40, "Production"), setup=_MERGE_MULT),
    ok(MERGE, _MERGE_MULT_SQL, (1, 2, 1), setup=_MERGE_MULT,
       columns=["number of rows inserted", "number of rows updated", "number of rows deleted"]),
    ok(MERGE, "SELECT * FROM merge_example_mult_target ORDER BY id", (2, 50, "Beta"), (3, 60, "Production"),
       (4, 40, "Production"), setup=(*_MERGE_MULT, _MERGE_MULT_SQL)),
    ok(MERGE, "SELECT * FROM merge_example_source", (50, _DUPLICATE), (50, _DUPLICATE), setup=_MERGE_DUPLICATES),
    ok(MERGE, _MERGE_DUPLICATES_SQL, (2, 0), setup=_MERGE_DUPLICATES,
       columns=["number of rows inserted", "number of rows updated"]),
    ok(MERGE, "SELECT * FROM merge_example_target", (50, _DUPLICATE), (50, _DUPLICATE),
       setup=(*_MERGE_DUPLICATES, _MERGE_DUPLICATES_SQL)),
    # TRUNCATE TABLE
    ok(TRUNCATE, "SELECT COUNT (*) FROM temp_test_truncate", (20,), setup=_TRUNCATE),
    ok(TRUNCATE, "SELECT COUNT (*) FROM temp_test_truncate", (0,),
       setup=(*_TRUNCATE, "TRUNCATE TABLE IF EXISTS temp_test_truncate")),
    # DELETE, and DELETE ... USING inside BEGIN WORK / COMMIT WORK
    ok(DELETE, "DELETE FROM leased_bicycles WHERE bicycle_ID = 105", (1,), setup=_BICYCLES,
       columns=["number of rows deleted"]),
    ok(DELETE, "SELECT * FROM leased_bicycles ORDER BY bicycle_ID", (101, 1111), (102, 2222), (103, 3333), (104, 4444),
       setup=(*_BICYCLES, "DELETE FROM leased_bicycles WHERE bicycle_ID = 105")),
    ok(DELETE, "SELECT * FROM leased_bicycles ORDER BY bicycle_ID", (101, 1111), (103, 3333),
       setup=(*_BICYCLES, "DELETE FROM leased_bicycles WHERE bicycle_ID = 105", "BEGIN WORK",
              "DELETE FROM leased_bicycles USING returned_bicycles "
              "WHERE leased_bicycles.bicycle_ID = returned_bicycles.bicycle_ID",
              "TRUNCATE TABLE returned_bicycles", "COMMIT WORK")),
    ok(DELETE, "SELECT * FROM leased_bicycles ORDER BY bicycle_ID", (101, 1111),
       setup=(*_BICYCLES, "DELETE FROM leased_bicycles WHERE bicycle_ID = 105", "BEGIN WORK",
              "DELETE FROM leased_bicycles USING returned_bicycles "
              "WHERE leased_bicycles.bicycle_ID = returned_bicycles.bicycle_ID",
              "TRUNCATE TABLE returned_bicycles", "COMMIT WORK",
              "INSERT INTO returned_bicycles (bicycle_ID) VALUES (103)", "BEGIN WORK",
              "DELETE FROM leased_bicycles USING (SELECT bicycle_ID AS bicycle_ID FROM returned_bicycles) AS returned "
              "WHERE leased_bicycles.bicycle_ID = returned.bicycle_ID",
              "TRUNCATE TABLE returned_bicycles", "COMMIT WORK")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
