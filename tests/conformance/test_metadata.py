"""Metadata: SHOW and INFORMATION_SCHEMA, as Snowflake's reference pages show them."""

from __future__ import annotations

import pytest

from caves.local.transforms import local_user

from .cases import J, ids, ok, refused, run_case

SHOW_SCHEMAS = "https://docs.snowflake.com/en/sql-reference/sql/show-schemas"
SHOW_TABLES = "https://docs.snowflake.com/en/sql-reference/sql/show-tables"
DROP_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/drop-table"
IDENTIFIER = "https://docs.snowflake.com/en/sql-reference/identifier-literal"
INFO_TABLES = "https://docs.snowflake.com/en/sql-reference/info-schema/tables"
DESC_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/desc-table"
DESC_VIEW = "https://docs.snowflake.com/en/sql-reference/sql/desc-view"
NUMERIC = "https://docs.snowflake.com/en/sql-reference/data-types-numeric"
TEXT = "https://docs.snowflake.com/en/sql-reference/data-types-text"
DATETIME = "https://docs.snowflake.com/en/sql-reference/data-types-datetime"
SEMI = "https://docs.snowflake.com/en/sql-reference/data-types-semistructured"
CONSTRAINTS = "https://docs.snowflake.com/en/sql-reference/constraints-overview"
CTAS = "https://docs.snowflake.com/en/sql-reference/sql/create-table"
ALTER_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/alter-table"
SHOW_COLUMNS = "https://docs.snowflake.com/en/sql-reference/sql/show-columns"
SHOW_PKS = "https://docs.snowflake.com/en/sql-reference/sql/show-primary-keys"
INFO_COLUMNS = "https://docs.snowflake.com/en/sql-reference/info-schema/columns"
INFO_DATABASES = "https://docs.snowflake.com/en/sql-reference/info-schema/databases"
INFO_VIEWS = "https://docs.snowflake.com/en/sql-reference/info-schema/views"
SHOW_WAREHOUSES = "https://docs.snowflake.com/en/sql-reference/sql/show-warehouses"
SHOW_USERS = "https://docs.snowflake.com/en/sql-reference/sql/show-users"
SHOW_FUNCTIONS = "https://docs.snowflake.com/en/sql-reference/sql/show-functions"
CONTEXT = "https://docs.snowflake.com/en/sql-reference/functions-context"

_MYTESTDB = ("CREATE OR REPLACE DATABASE mytestdb",)
_MY_SCHEMA = (
    "CREATE OR REPLACE DATABASE my_db",
    "CREATE OR REPLACE SCHEMA my_schema",
    "CREATE OR REPLACE TABLE my_db.my_schema.my_table (c1 number)",
)

# desc-table "Examples": the table the page describes
_DESC_EXAMPLE = (
    "CREATE OR REPLACE TABLE desc_example(c1 INT PRIMARY KEY, c2 INT, c3 INT UNIQUE, "
    "c4 VARCHAR(30) DEFAULT 'Not applicable' COMMENT 'This column is rarely populated', c5 VARCHAR(100))",
)
_DESC_COLUMNS = ["name", "type", "kind", "null?", "default", "primary key", "unique key", "check", "expression",
                 "comment", "policy name", "privacy domain"]  # fmt: skip
_DESCRIBED = [
    ("C1", "NUMBER(38,0)", "COLUMN", "N", None, "Y", "N", None, None, None),
    ("C2", "NUMBER(38,0)", "COLUMN", "Y", None, "N", "N", None, None, None),
    ("C3", "NUMBER(38,0)", "COLUMN", "Y", None, "N", "Y", None, None, None),
    ("C4", "VARCHAR(30)", "COLUMN", "Y", "'Not applicable'", "N", "N", None, None, "This column is rarely populated"),
    ("C5", "VARCHAR(100)", "COLUMN", "Y", None, "N", "N", None, None, None),
]
_DESC_PICK = _DESC_COLUMNS[:10]
_TYPES = ("CREATE OR REPLACE TABLE t_types (ts TIMESTAMP, ntz TIMESTAMP_NTZ, ltz TIMESTAMP_LTZ, tz TIMESTAMP_TZ, "
          "ntz3 TIMESTAMP_NTZ(3), t TIME, d DATE, b BOOLEAN, bin BINARY, v VARIANT, o OBJECT, "
          "a ARRAY)",)  # fmt: skip
_SRC = ("CREATE OR REPLACE TABLE src (v VARCHAR(20) COMMENT 'a code', n NUMBER(10,2) NOT NULL)",
        "INSERT INTO src VALUES ('a', 1.5), ('b', 2)")  # fmt: skip

CASES = [
    # SHOW SCHEMAS in a new database: INFORMATION_SCHEMA and PUBLIC (current)
    ok(SHOW_SCHEMAS, "SHOW SCHEMAS", ("INFORMATION_SCHEMA", "N", "N", "MYTESTDB"), ("PUBLIC", "N", "Y", "MYTESTDB"),
       setup=_MYTESTDB, pick=["name", "is_default", "is_current", "database_name"]),
    # SHOW TABLES ... LIKE / IN SCHEMA
    ok(DROP_TABLE, "SHOW TABLES LIKE 't2%'", ("T2", "MYTESTDB", "PUBLIC", "TABLE", ""),
       setup=(*_MYTESTDB, "CREATE TABLE t2 (a INT)"), pick=["name", "database_name", "schema_name", "kind", "comment"]),
    ok(IDENTIFIER, "SHOW TABLES IN SCHEMA my_schema", ("MY_TABLE", "MY_DB", "MY_SCHEMA", "TABLE"), setup=_MY_SCHEMA,
       pick=["name", "database_name", "schema_name", "kind"]),
    refused(IDENTIFIER, "SHOW TABLES IN SCHEMA IDENTIFIER('my_schema')", setup=_MY_SCHEMA),
    # STARTS WITH: a case-sensitive prefix of the name; LIMIT: at most that many rows
    ok(SHOW_TABLES, "SHOW TABLES IN SCHEMA my_schema STARTS WITH 'MY'", ("MY_TABLE",), setup=_MY_SCHEMA, pick=["name"]),
    ok(SHOW_TABLES, "SHOW TABLES IN SCHEMA my_schema STARTS WITH 'my'", setup=_MY_SCHEMA),
    ok(SHOW_TABLES, "SHOW TABLES IN SCHEMA my_schema LIMIT 1", ("MY_TABLE",),
       setup=(*_MY_SCHEMA, "CREATE TABLE my_db.my_schema.my_table2 (c1 number)"), pick=["name"]),
    # INFORMATION_SCHEMA.TABLES and COLUMNS
    ok(INFO_TABLES, "SELECT table_schema, table_name, table_type FROM my_db.INFORMATION_SCHEMA.TABLES "
       "WHERE table_schema != 'INFORMATION_SCHEMA'", ("MY_SCHEMA", "MY_TABLE", "BASE TABLE"), setup=_MY_SCHEMA),
    ok(DESC_TABLE, "SELECT column_name, data_type, numeric_precision, numeric_scale FROM my_db.INFORMATION_SCHEMA.COLUMNS "
       "WHERE table_name = 'MY_TABLE'", ("C1", "NUMBER", 38, 0), setup=_MY_SCHEMA),
    # DESCRIBE TABLE: an INT column is NUMBER(38,0)
    ok(DESC_TABLE, "DESCRIBE TABLE my_db.my_schema.my_table", ("C1", "COLUMN", "Y", None), setup=_MY_SCHEMA,
       pick=["name", "kind", "null?", "default"]),
    ok(DESC_TABLE, "DESCRIBE TABLE my_db.my_schema.my_table", ("C1", "NUMBER(38,0)"), setup=_MY_SCHEMA,
       pick=["name", "type"]),
    # desc-table "Examples": types as Snowflake spells them, the keys, the default as written, the comment; a
    # PRIMARY KEY column is NOT NULL (null? N)
    ok(DESC_TABLE, "DESCRIBE TABLE desc_example", *_DESCRIBED, setup=_DESC_EXAMPLE, pick=_DESC_PICK),
    ok(DESC_TABLE, "DESC TABLE desc_example", *_DESCRIBED, setup=_DESC_EXAMPLE, pick=_DESC_PICK),
    ok(DESC_TABLE, "DESC TABLE desc_example TYPE = COLUMNS", *_DESCRIBED, setup=_DESC_EXAMPLE, pick=_DESC_PICK),
    refused(DESC_TABLE, "DESC TABLE desc_example TYPE = STAGE", setup=_DESC_EXAMPLE),
    ok(DESC_TABLE, "DESCRIBE TABLE desc_example", *[(*r, None, None) for r in _DESCRIBED], setup=_DESC_EXAMPLE,
       columns=_DESC_COLUMNS),
    # desc-view: DESCRIBE VIEW; a column that is a column of the table keeps its declared type
    ok(DESC_VIEW, "DESCRIBE VIEW v_desc", ("C4", "VARCHAR(30)"), ("C1", "NUMBER(38,0)"),
       setup=(*_DESC_EXAMPLE, "CREATE OR REPLACE VIEW v_desc AS SELECT c4, c1 FROM desc_example"),
       pick=["name", "type"]),
    ok(DESC_VIEW, "DESC VIEW v_desc", ("NOTE", "VARCHAR(30)"),
       setup=(*_DESC_EXAMPLE, "CREATE OR REPLACE VIEW v_desc (note) AS SELECT c4 FROM desc_example"),
       pick=["name", "type"]),
    # data-types-numeric "Examples": DESC TABLE of NUMBER / DECIMAL / NUMERIC / INT / INTEGER columns
    ok(NUMERIC, "DESC TABLE test_number", ("NUM", "NUMBER(38,0)"), ("NUM10", "NUMBER(10,1)"),
       ("DEC", "NUMBER(20,2)"), ("NUMERIC", "NUMBER(30,3)"), ("INT", "NUMBER(38,0)"), ("INTEGER", "NUMBER(38,0)"),
       setup=("CREATE OR REPLACE TABLE test_number (num NUMBER, num10 NUMBER(10,1), dec DECIMAL(20,2), "
              "numeric NUMERIC(30,3), int INT, integer INTEGER)",), pick=["name", "type"]),
    ok(NUMERIC, "DESC TABLE test_float", ("DOUBLE1", "FLOAT"), ("FLOAT1", "FLOAT"), ("DP1", "FLOAT"),
       ("REAL1", "FLOAT"),
       setup=("CREATE OR REPLACE TABLE test_float (double1 DOUBLE, float1 FLOAT, dp1 DOUBLE PRECISION, real1 REAL)",),
       pick=["name", "type"]),
    ok(NUMERIC, "DESC TABLE t_ints", ("B", "NUMBER(38,0)"), ("S", "NUMBER(38,0)"), ("T", "NUMBER(38,0)"),
       ("BT", "NUMBER(38,0)"), ("N7", "NUMBER(7,0)"),
       setup=("CREATE OR REPLACE TABLE t_ints (b BIGINT, s SMALLINT, t TINYINT, bt BYTEINT, n7 NUMBER(7))",),
       pick=["name", "type"]),
    # data-types-text "Examples": a string without a length is VARCHAR(16777216); CHAR is VARCHAR(1)
    ok(TEXT, "DESC TABLE test_text", ("VD", "VARCHAR(16777216)"), ("V50", "VARCHAR(50)"), ("C", "VARCHAR(1)"),
       ("C10", "VARCHAR(10)"), ("S", "VARCHAR(16777216)"), ("S20", "VARCHAR(20)"), ("T", "VARCHAR(16777216)"),
       ("T30", "VARCHAR(30)"),
       setup=("CREATE OR REPLACE TABLE test_text (vd VARCHAR, v50 VARCHAR(50), c CHAR, c10 CHAR(10), s STRING, "
              "s20 STRING(20), t TEXT, t30 TEXT(30))",), pick=["name", "type"]),
    # data-types-datetime / -text (BINARY: 8 MB by default) / -semistructured
    ok(DATETIME, "DESC TABLE t_types", ("TS", "TIMESTAMP_NTZ(9)"), ("NTZ", "TIMESTAMP_NTZ(9)"),
       ("LTZ", "TIMESTAMP_LTZ(9)"), ("TZ", "TIMESTAMP_TZ(9)"), ("NTZ3", "TIMESTAMP_NTZ(3)"), ("T", "TIME(9)"),
       ("D", "DATE"), ("B", "BOOLEAN"), ("BIN", "BINARY(8388608)"), ("V", "VARIANT"),
       ("O", "OBJECT"), ("A", "ARRAY"), setup=_TYPES, pick=["name", "type"]),
    # constraints: a named table-level PRIMARY KEY of two columns makes both NOT NULL
    ok(CONSTRAINTS, "DESC TABLE t_pk2", ("A", "N", "Y"), ("B", "N", "Y"), ("C", "Y", "N"),
       setup=("CREATE OR REPLACE TABLE t_pk2 (a INT, b VARCHAR(5), c INT, CONSTRAINT pk_ab PRIMARY KEY (a, b))",),
       pick=["name", "null?", "primary key"]),
    # the declared types follow ALTER TABLE ... ADD / RENAME / DROP COLUMN
    ok(ALTER_TABLE, "DESC TABLE desc_example", ("C1", "NUMBER(38,0)"), ("C2", "NUMBER(38,0)"),
       ("NOTE", "VARCHAR(30)"), ("C5", "VARCHAR(100)"), ("C6", "VARCHAR(8)"), ("C7", "NUMBER(5,2)"),
       setup=(*_DESC_EXAMPLE, "ALTER TABLE desc_example ADD COLUMN c6 VARCHAR(8), c7 NUMBER(5,2)",
              "ALTER TABLE desc_example RENAME COLUMN c4 TO note", "ALTER TABLE desc_example DROP COLUMN c3"),
       pick=["name", "type"]),
    ok(ALTER_TABLE, "DESC TABLE desc_example", ("C1", "NUMBER(38,0)"), ("C2", "NUMBER(38,0)"),
       ("C4", "VARCHAR(50)"), ("C5", "VARCHAR(100)"),
       setup=(*_DESC_EXAMPLE, "ALTER TABLE desc_example DROP COLUMN c3",
              "ALTER TABLE desc_example ALTER COLUMN c4 SET DATA TYPE VARCHAR(50)"), pick=["name", "type"]),
    # CREATE OR REPLACE: the new definition's types
    ok(CTAS, "DESC TABLE desc_example", ("K", "VARCHAR(3)"),
       setup=(*_DESC_EXAMPLE, "CREATE OR REPLACE TABLE desc_example (k VARCHAR(3))"), pick=["name", "type"]),
    # CTAS: a column copied from the source keeps its declared type
    ok(CTAS, "DESC TABLE t_ctas", ("V", "VARCHAR(20)", "Y"), ("N", "NUMBER(10,2)", "Y"),
       setup=(*_SRC, "CREATE OR REPLACE TABLE t_ctas AS SELECT v, n FROM src"), pick=["name", "type", "null?"]),
    ok(CTAS, "DESC TABLE t_ctas", ("V", "VARCHAR(20)"), ("N", "NUMBER(10,2)"),
       setup=(*_SRC, "CREATE OR REPLACE TABLE t_ctas AS SELECT * FROM src"), pick=["name", "type"]),
    ok(CTAS, "DESC TABLE t_ctas", ("CODE", "VARCHAR(5)"), ("AMOUNT", "NUMBER(12,2)"),
       setup=(*_SRC, "CREATE OR REPLACE TABLE t_ctas (code VARCHAR(5), amount NUMBER(12,2)) AS SELECT v, n FROM src"),
       pick=["name", "type"]),
    # a cast's type, a string literal's length; a view over a join keeps the declared types of qualified columns
    ok(CTAS, "DESC TABLE t_ctas", ("A", "VARCHAR(3)"), ("B", "VARCHAR(5)"), ("C", "NUMBER(6,1)"),
       setup=(*_SRC, "CREATE OR REPLACE TABLE t_ctas AS SELECT 'abc' AS a, v::VARCHAR(5) AS b, "
              "CAST(n AS NUMBER(6,1)) AS c FROM src"), pick=["name", "type"]),
    ok(DESC_VIEW, "DESC VIEW v_join", ("V", "VARCHAR(20)"), ("N", "NUMBER(10,2)"),
       setup=(*_SRC, "CREATE OR REPLACE VIEW v_join AS SELECT a.v, b.n FROM src AS a JOIN src AS b ON a.v = b.v"),
       pick=["name", "type"]),
    # SHOW COLUMNS: data_type as JSON; without IN, the current database's columns
    ok(SHOW_COLUMNS, "SHOW COLUMNS IN TABLE desc_example",
       ("DESC_EXAMPLE", "PUBLIC", "C1", J({"type": "FIXED", "precision": 38, "scale": 0, "nullable": False}),
        "false", "COLUMN", "CONFORMANCE"),
       ("DESC_EXAMPLE", "PUBLIC", "C2", J({"type": "FIXED", "precision": 38, "scale": 0, "nullable": True}),
        "true", "COLUMN", "CONFORMANCE"),
       ("DESC_EXAMPLE", "PUBLIC", "C3", J({"type": "FIXED", "precision": 38, "scale": 0, "nullable": True}),
        "true", "COLUMN", "CONFORMANCE"),
       ("DESC_EXAMPLE", "PUBLIC", "C4", J({"type": "TEXT", "length": 30, "byteLength": 120, "nullable": True,
                                           "fixed": False}), "true", "COLUMN", "CONFORMANCE"),
       ("DESC_EXAMPLE", "PUBLIC", "C5", J({"type": "TEXT", "length": 100, "byteLength": 400, "nullable": True,
                                           "fixed": False}), "true", "COLUMN", "CONFORMANCE"),
       setup=_DESC_EXAMPLE,
       pick=["table_name", "schema_name", "column_name", "data_type", "null?", "kind", "database_name"]),
    ok(SHOW_COLUMNS, "SHOW COLUMNS", ("MY_TABLE", "MY_SCHEMA", "C1", "MY_DB"), setup=_MY_SCHEMA,
       pick=["table_name", "schema_name", "column_name", "database_name"]),
    ok(SHOW_COLUMNS, "SHOW COLUMNS LIKE 'C4%' IN SCHEMA", ("DESC_EXAMPLE", "C4"), setup=_DESC_EXAMPLE,
       pick=["table_name", "column_name"]),
    # SHOW PRIMARY KEYS: one row per key column, in key order, with the constraint's name
    ok(SHOW_PKS, "SHOW PRIMARY KEYS IN TABLE t_pk2", ("CONFORMANCE", "PUBLIC", "T_PK2", "A", 1, "PK_AB"),
       ("CONFORMANCE", "PUBLIC", "T_PK2", "B", 2, "PK_AB"),
       setup=("CREATE OR REPLACE TABLE t_pk2 (a INT, b VARCHAR(5), c INT, CONSTRAINT pk_ab PRIMARY KEY (a, b))",),
       pick=["database_name", "schema_name", "table_name", "column_name", "key_sequence", "constraint_name"]),
    ok(SHOW_PKS, "SHOW PRIMARY KEYS", ("DESC_EXAMPLE", "C1", 1), setup=(*_DESC_EXAMPLE, "DROP TABLE IF EXISTS t_pk2"),
       pick=["table_name", "column_name", "key_sequence"]),
    ok(SHOW_PKS, "SHOW TERSE PRIMARY KEYS IN TABLE", ("DESC_EXAMPLE", "C1", 1),
       setup=(*_DESC_EXAMPLE, "DROP TABLE IF EXISTS t_pk2"), pick=["table_name", "column_name", "key_sequence"]),
    # INFORMATION_SCHEMA.COLUMNS from the declared types
    ok(INFO_COLUMNS, "SELECT column_name, data_type, character_maximum_length, character_octet_length, "
       "numeric_precision, numeric_precision_radix, numeric_scale, is_nullable, column_default, comment "
       "FROM INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'DESC_EXAMPLE' ORDER BY ordinal_position",
       ("C1", "NUMBER", None, None, 38, 10, 0, "NO", None, None),
       ("C2", "NUMBER", None, None, 38, 10, 0, "YES", None, None),
       ("C3", "NUMBER", None, None, 38, 10, 0, "YES", None, None),
       ("C4", "TEXT", 30, 120, None, None, None, "YES", "'Not applicable'", "This column is rarely populated"),
       ("C5", "TEXT", 100, 400, None, None, None, "YES", None, None), setup=_DESC_EXAMPLE),
    ok(INFO_COLUMNS, "SELECT column_name, data_type FROM INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'T_TYPES' "
       "ORDER BY ordinal_position", ("TS", "TIMESTAMP_NTZ"), ("NTZ", "TIMESTAMP_NTZ"), ("LTZ", "TIMESTAMP_LTZ"),
       ("TZ", "TIMESTAMP_TZ"), ("NTZ3", "TIMESTAMP_NTZ"), ("T", "TIME"), ("D", "DATE"), ("B", "BOOLEAN"),
       ("BIN", "BINARY"), ("V", "VARIANT"), ("O", "OBJECT"), ("A", "ARRAY"), setup=_TYPES),
    ok(INFO_COLUMNS, "SELECT column_name, numeric_precision, numeric_scale FROM INFORMATION_SCHEMA.COLUMNS "
       "WHERE table_name = 'SRC' ORDER BY ordinal_position", ("V", None, None), ("N", 10, 2), setup=_SRC),
    # INFORMATION_SCHEMA.DATABASES: every database of the account, from any database's INFORMATION_SCHEMA
    ok(INFO_DATABASES, "SELECT database_name, database_owner, comment, type FROM my_db.INFORMATION_SCHEMA.DATABASES "
       "WHERE database_name IN ('MY_DB', 'MYTESTDB') ORDER BY 1", ("MYTESTDB", "SYSADMIN", "test", "STANDARD"),
       ("MY_DB", "SYSADMIN", None, "STANDARD"),
       setup=("CREATE OR REPLACE DATABASE mytestdb COMMENT = 'test'", *_MY_SCHEMA)),
    # INFORMATION_SCHEMA.VIEWS: VIEW_DEFINITION is the CREATE VIEW statement as written
    ok(INFO_VIEWS, "SELECT table_schema, table_name, view_definition FROM INFORMATION_SCHEMA.VIEWS "
       "WHERE table_name = 'V_DESC'",
       ("PUBLIC", "V_DESC", "CREATE OR REPLACE VIEW v_desc AS SELECT c4, c1 FROM desc_example"),
       setup=(*_DESC_EXAMPLE, "CREATE OR REPLACE VIEW v_desc AS SELECT c4, c1 FROM desc_example")),
    ok(INFO_TABLES, "SELECT table_name, table_owner, table_type, comment FROM INFORMATION_SCHEMA.TABLES "
       "WHERE table_name IN ('DESC_EXAMPLE', 'V_DESC') ORDER BY 1", ("DESC_EXAMPLE", "SYSADMIN", "BASE TABLE", "kept"),
       ("V_DESC", "SYSADMIN", "VIEW", None),
       setup=("CREATE OR REPLACE TABLE desc_example (c1 INT) COMMENT = 'kept'",
              "CREATE OR REPLACE VIEW v_desc AS SELECT c1 FROM desc_example")),
    # identifier-literal: "DESCRIBE TABLE IDENTIFIER('mytable')" names the table by a string literal
    ok(IDENTIFIER, "DESCRIBE TABLE IDENTIFIER('my_db.my_schema.my_table')", ("C1", "COLUMN"), setup=_MY_SCHEMA,
       pick=["name", "kind"]),
    # SHOW WAREHOUSES / SHOW USERS: the one warehouse CURRENT_WAREHOUSE() reports, the one user CURRENT_USER() reports
    ok(SHOW_WAREHOUSES, "SHOW WAREHOUSES", ("LOCAL_WH", "STARTED", "STANDARD", "Y", "Y"),
       pick=["name", "state", "type", "is_default", "is_current"]),
    ok(CONTEXT, "SELECT CURRENT_WAREHOUSE()", ("LOCAL_WH",)),
    ok(SHOW_WAREHOUSES, "SHOW WAREHOUSES LIKE 'nothing%'"),
    ok(SHOW_USERS, "SHOW USERS", (local_user(), local_user(), "false", "SYSADMIN"),
       pick=["name", "login_name", "disabled", "default_role"]),
    ok(CONTEXT, "SELECT CURRENT_USER()", (local_user(),)),
    ok(SHOW_USERS, "SHOW TERSE USERS", (local_user(), local_user()), pick=["name", "display_name"]),
    # SHOW FUNCTIONS would list Snowflake's built-in functions, of which the engine emulates a part: refused
    refused(SHOW_FUNCTIONS, "SHOW USER FUNCTIONS"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
