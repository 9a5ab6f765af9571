"""Metadata: SHOW and INFORMATION_SCHEMA, as Snowflake's reference pages show them."""

from __future__ import annotations

import pytest

from .cases import ids, ok, refused, run_case

SHOW_SCHEMAS = "https://docs.snowflake.com/en/sql-reference/sql/show-schemas"
SHOW_TABLES = "https://docs.snowflake.com/en/sql-reference/sql/show-tables"
DROP_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/drop-table"
IDENTIFIER = "https://docs.snowflake.com/en/sql-reference/identifier-literal"
INFO_TABLES = "https://docs.snowflake.com/en/sql-reference/info-schema/tables"
DESC_TABLE = "https://docs.snowflake.com/en/sql-reference/sql/desc-table"

_MYTESTDB = ("CREATE OR REPLACE DATABASE mytestdb",)
_MY_SCHEMA = (
    "CREATE OR REPLACE DATABASE my_db",
    "CREATE OR REPLACE SCHEMA my_schema",
    "CREATE OR REPLACE TABLE my_db.my_schema.my_table (c1 number)",
)

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
    # INFORMATION_SCHEMA.TABLES and COLUMNS
    ok(INFO_TABLES, "SELECT table_schema, table_name, table_type FROM my_db.INFORMATION_SCHEMA.TABLES "
       "WHERE table_schema != 'INFORMATION_SCHEMA'", ("MY_SCHEMA", "MY_TABLE", "BASE TABLE"), setup=_MY_SCHEMA),
    ok(DESC_TABLE, "SELECT column_name, data_type, numeric_precision, numeric_scale FROM my_db.INFORMATION_SCHEMA.COLUMNS "
       "WHERE table_name = 'MY_TABLE'", ("C1", "NUMBER", 38, 0), setup=_MY_SCHEMA),
    # DESCRIBE TABLE: an INT column is NUMBER(38,0) (the type as Snowflake spells it is not kept yet: not compared)
    ok(DESC_TABLE, "DESCRIBE TABLE my_db.my_schema.my_table", ("C1", "COLUMN", "Y", None), setup=_MY_SCHEMA,
       pick=["name", "kind", "null?", "default"]),
    # identifier-literal: "DESCRIBE TABLE IDENTIFIER('mytable')" names the table by a string literal
    ok(IDENTIFIER, "DESCRIBE TABLE IDENTIFIER('my_db.my_schema.my_table')", ("C1", "COLUMN"), setup=_MY_SCHEMA,
       pick=["name", "kind"]),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
