"""Sequences and AUTOINCREMENT / IDENTITY columns: Snowflake's documented examples (caves/local/sequences.py)."""

from __future__ import annotations

import pytest

from .cases import fails, ids, ok, refused, run_case

CREATE_SEQUENCE = "https://docs.snowflake.com/en/sql-reference/sql/create-sequence"
ALTER_SEQUENCE = "https://docs.snowflake.com/en/sql-reference/sql/alter-sequence"
DROP_SEQUENCE = "https://docs.snowflake.com/en/sql-reference/sql/drop-sequence"
SHOW_SEQUENCES = "https://docs.snowflake.com/en/sql-reference/sql/show-sequences"
DESC_SEQUENCE = "https://docs.snowflake.com/en/sql-reference/sql/desc-sequence"
CREATE_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/create-table"
SEQUENCES = "https://docs.snowflake.com/en/user-guide/querying-sequences"

_SEQ_01 = ("CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1",
           "CREATE OR REPLACE TABLE sequence_test_table (i INTEGER)")  # fmt: skip
_SEQ_5 = ("CREATE OR REPLACE SEQUENCE seq_5 START = 1 INCREMENT = 5",)
_ABCD = "SELECT seq_5.nextval a, seq_5.nextval b, seq_5.nextval c, seq_5.nextval d"
_SEQ_90 = (
    "DROP TABLE IF EXISTS sequence_demo",  # (the page's script runs once; its default holds the sequence)
    "CREATE OR REPLACE SEQUENCE seq90",
    "CREATE OR REPLACE TABLE sequence_demo (i INTEGER DEFAULT seq90.nextval, dummy SMALLINT)",
    "INSERT INTO sequence_demo (dummy) VALUES (0)",
    *["INSERT INTO sequence_demo (dummy) SELECT dummy FROM sequence_demo"] * 10,  # keep doubling the number of rows
)
_SHOWN = ["name", "database_name", "schema_name", "next_value", "interval", "comment", "ordered"]

CASES = [
    # CREATE SEQUENCE, "Examples": one NEXTVAL a statement gives 1, 2, then 3 in an INSERT
    ok(CREATE_SEQUENCE, "CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1",
       ("Sequence SEQ_01 successfully created.",), columns=["status"]),
    ok(CREATE_SEQUENCE, "SELECT seq_01.nextval", (1,), setup=_SEQ_01, columns=["NEXTVAL"]),
    ok(CREATE_SEQUENCE, "SELECT seq_01.nextval", (2,), setup=(*_SEQ_01, "SELECT seq_01.nextval")),
    ok(CREATE_SEQUENCE, "SELECT i FROM sequence_test_table", (3,),
       setup=(*_SEQ_01, "SELECT seq_01.nextval", "SELECT seq_01.nextval",
              "INSERT INTO sequence_test_table (i) VALUES (seq_01.nextval)")),
    # several NEXTVAL in one statement: distinct values; the next statement starts 20 (5 * 4) higher
    ok(CREATE_SEQUENCE, _ABCD, (1, 6, 11, 16), setup=_SEQ_5, columns=["A", "B", "C", "D"]),
    ok(CREATE_SEQUENCE, _ABCD, (36, 41, 46, 51), setup=(*_SEQ_5, _ABCD)),
    # a sequence as a column default: 1024 rows numbered 1 to 1024
    ok(CREATE_SEQUENCE, "SELECT i FROM sequence_demo ORDER BY i LIMIT 10", *[(i,) for i in range(1, 11)], setup=_SEQ_90),
    ok(CREATE_SEQUENCE, "SELECT COUNT(i), COUNT(DISTINCT i) FROM sequence_demo", (1024, 1024), setup=_SEQ_90),
    # START WITH / INCREMENT BY spellings, a negative interval, IF NOT EXISTS, resolution by database.schema
    ok(CREATE_SEQUENCE, "SELECT s_neg.nextval, s_neg.nextval", (10, 7),
       setup=("CREATE OR REPLACE SEQUENCE s_neg WITH START WITH 10 INCREMENT BY -3 NOORDER",)),
    ok(CREATE_SEQUENCE, "CREATE SEQUENCE IF NOT EXISTS seq_01", ("SEQ_01 already exists, statement succeeded.",),
       setup=_SEQ_01),
    ok(CREATE_SEQUENCE, "SELECT CONFORMANCE.PUBLIC.seq_01.nextval, PUBLIC.seq_01.nextval", (1, 2), setup=_SEQ_01),
    fails(CREATE_SEQUENCE, "CREATE SEQUENCE seq_01", 2002, "42710", setup=_SEQ_01),
    fails(CREATE_SEQUENCE, "SELECT no_such_seq.nextval", 2003, "42S02"),
    # SHOW SEQUENCES / DESCRIBE SEQUENCE: Snowflake's columns; next_value and interval as the sequence stands
    ok(SHOW_SEQUENCES, "SHOW SEQUENCES LIKE 'seq_01'", ("SEQ_01", "CONFORMANCE", "PUBLIC", 3, 1, "ids", "Y"),
       setup=("CREATE OR REPLACE SEQUENCE seq_01 START 1 INCREMENT 1 ORDER COMMENT = 'ids'",
              "SELECT seq_01.nextval", "SELECT seq_01.nextval"), pick=_SHOWN),
    ok(SHOW_SEQUENCES, "SHOW SEQUENCES LIKE 'SEQ_01' IN SCHEMA CONFORMANCE.PUBLIC", ("SEQ_01", 1), setup=_SEQ_01,
       columns=["created_on", "name", "schema_name", "database_name", "next_value", "interval", "owner",
                "owner_role_type", "comment", "ordered"], pick=["name", "next_value"]),
    ok(DESC_SEQUENCE, "DESC SEQUENCE seq_5", ("SEQ_5", "CONFORMANCE", "PUBLIC", 36, 5, "", "N"),
       setup=(*_SEQ_5, _ABCD), pick=_SHOWN),
    # ALTER SEQUENCE: RENAME, SET INCREMENT (from the next value), SET / UNSET COMMENT
    ok(ALTER_SEQUENCE, "ALTER SEQUENCE IF EXISTS seq_01 RENAME TO seq_02", ("Statement executed successfully.",),
       setup=_SEQ_01),
    ok(ALTER_SEQUENCE, "SHOW SEQUENCES LIKE 'seq_02'", ("SEQ_02", 1),
       setup=(*_SEQ_01, "DROP SEQUENCE IF EXISTS seq_02", "ALTER SEQUENCE seq_01 RENAME TO seq_02"),
       pick=["name", "next_value"]),
    ok(ALTER_SEQUENCE, "SHOW SEQUENCES LIKE 'seq_5'", ("SEQ_5", 11, 2, "by two"),
       setup=(*_SEQ_5, "SELECT seq_5.nextval", "SELECT seq_5.nextval", "ALTER SEQUENCE seq_5 SET INCREMENT = 2",
              "ALTER SEQUENCE seq_5 SET COMMENT = 'by two'"), pick=["name", "next_value", "interval", "comment"]),
    ok(ALTER_SEQUENCE, "SELECT seq_5.nextval", (13,),
       setup=(*_SEQ_5, "SELECT seq_5.nextval", "SELECT seq_5.nextval", "ALTER SEQUENCE seq_5 INCREMENT BY 2",
              "SELECT seq_5.nextval")),
    ok(ALTER_SEQUENCE, "SHOW SEQUENCES LIKE 'seq_5'", ("SEQ_5", ""),
       setup=(*_SEQ_5, "ALTER SEQUENCE seq_5 SET COMMENT = 'x'", "ALTER SEQUENCE seq_5 UNSET COMMENT"),
       pick=["name", "comment"]),
    refused(ALTER_SEQUENCE, "ALTER SEQUENCE seq_5 SET ORDER", setup=_SEQ_5),
    # DROP SEQUENCE, and a sequence goes with its schema
    ok(DROP_SEQUENCE, "DROP SEQUENCE seq_01", ("SEQ_01 successfully dropped.",), setup=_SEQ_01),
    ok(DROP_SEQUENCE, "DROP SEQUENCE IF EXISTS seq_01", ("Drop statement executed successfully (SEQ_01 already dropped).",),
       setup=(*_SEQ_01, "DROP SEQUENCE seq_01")),
    ok(DROP_SEQUENCE, "SHOW SEQUENCES IN SCHEMA CONFORMANCE.SEQ_GONE",
       setup=("CREATE OR REPLACE SCHEMA CONFORMANCE.SEQ_GONE", "CREATE SEQUENCE CONFORMANCE.SEQ_GONE.s1",
              "DROP SCHEMA CONFORMANCE.SEQ_GONE", "CREATE SCHEMA CONFORMANCE.SEQ_GONE", "USE SCHEMA CONFORMANCE.PUBLIC")),
    ok(DROP_SEQUENCE, "SHOW SEQUENCES LIKE 'S_IN_DB' IN ACCOUNT",
       setup=("CREATE OR REPLACE DATABASE seq_db", "CREATE SEQUENCE seq_db.public.s_in_db", "DROP DATABASE seq_db",
              "USE SCHEMA CONFORMANCE.PUBLIC")),
    ok(SHOW_SEQUENCES, "SHOW SEQUENCES IN DATABASE seq_db2", ("S2", "SEQ_DB2", "OTHER"),
       setup=("CREATE OR REPLACE DATABASE seq_db2", "CREATE SCHEMA seq_db2.other", "CREATE SEQUENCE seq_db2.other.s2",
              "USE SCHEMA CONFORMANCE.PUBLIC"), pick=["name", "database_name", "schema_name"]),
    # the sequence of a column default cannot go while DuckDB holds the default to it: refused, not half-done
    refused(DROP_SEQUENCE, "DROP SEQUENCE seq90", setup=_SEQ_90[:3]),
    refused(CREATE_SEQUENCE, "CREATE OR REPLACE SEQUENCE seq90", setup=_SEQ_90[:3]),
    # AUTOINCREMENT / IDENTITY columns (CREATE TABLE: start and step default to 1)
    ok(CREATE_TABLE, "SELECT id, v FROM t_ai ORDER BY id", (1, "a"), (2, "b"), (3, "c"),
       setup=("CREATE OR REPLACE TABLE t_ai (id INT AUTOINCREMENT, v VARCHAR)",
              "INSERT INTO t_ai (v) VALUES ('a'), ('b')", "INSERT INTO t_ai (v) SELECT 'c'")),
    ok(CREATE_TABLE, "SELECT id, v FROM t_id ORDER BY id", (10, "a"), (15, "b"),
       setup=("CREATE OR REPLACE TABLE t_id (id INT IDENTITY(10, 5), v VARCHAR)",
              "INSERT INTO t_id (v) VALUES ('a')", "INSERT INTO t_id (v) VALUES ('b')")),
    ok(CREATE_TABLE, "SELECT id, v FROM t_si ORDER BY id", (1, "a"), (2, "b"),
       setup=("CREATE OR REPLACE TABLE t_si (id NUMBER AUTOINCREMENT START 1 INCREMENT 1 ORDER, v VARCHAR)",
              "INSERT INTO t_si (v) VALUES ('a'), ('b')")),
    # "Manually inserting values into an AUTOINCREMENT or IDENTITY column" is allowed (duplicates may follow)
    ok(CREATE_TABLE, "SELECT id, v FROM t_mi ORDER BY v", (5, "a"), (1, "b"),
       setup=("CREATE OR REPLACE TABLE t_mi (id INT IDENTITY NOORDER, v VARCHAR)",
              "INSERT INTO t_mi (id, v) VALUES (5, 'a')", "INSERT INTO t_mi (v) VALUES ('b')")),
    ok(CREATE_TABLE, "SELECT id FROM t_ai", (1,),
       setup=("CREATE OR REPLACE TABLE t_ai (id INT AUTOINCREMENT, v VARCHAR)", "INSERT INTO t_ai (v) VALUES ('a')",
              "CREATE OR REPLACE TABLE t_ai (id INT AUTOINCREMENT, v VARCHAR)", "INSERT INTO t_ai (v) VALUES ('a')")),
    # DESCRIBE TABLE shows an identity column's default as IDENTITY START n INCREMENT m ORDER|NOORDER (without either,
    # NOORDER_SEQUENCE_AS_DEFAULT, TRUE by default, makes it NOORDER)
    ok(CREATE_TABLE, "DESC TABLE t_desc", ("ID", "IDENTITY START 1 INCREMENT 1 NOORDER"),
       ("J", "IDENTITY START 10 INCREMENT 5 NOORDER"), ("K", "IDENTITY START 3 INCREMENT 4 ORDER"), ("V", None),
       setup=("CREATE OR REPLACE TABLE t_desc (id INT AUTOINCREMENT, j INT IDENTITY(10, 5), "
              "k INT AUTOINCREMENT START 3 INCREMENT 4 ORDER, v VARCHAR)",), pick=["name", "default"]),
    refused(CREATE_TABLE, "ALTER TABLE t_plain ADD COLUMN id INT IDENTITY(1, 1)",
            setup=("CREATE OR REPLACE TABLE t_plain (v VARCHAR)",)),
    refused(CREATE_TABLE, "ALTER TABLE t_plain ADD COLUMN id INT DEFAULT seq_01.nextval",
            setup=(*_SEQ_01, "CREATE OR REPLACE TABLE t_plain (v VARCHAR)")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
