"""The engine's record of declared column types (caves/local/coltypes.py): kept in step with DDL, and an older
warehouse without it is still described (from DuckDB's types) after the upgrade."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from caves.local import Engine
from caves.local.errors import SnowflakeError, UnsupportedStatement


def _types(session, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in session.execute(f"DESCRIBE TABLE {table}").rows]


def test_several_actions_in_one_alter_table_are_all_or_nothing(session):
    """ALTER TABLE t ADD COLUMN a ..., b ...: when one column cannot be added, none is."""
    session.execute("CREATE TABLE T (AMOUNT NUMBER(10,2))")
    with pytest.raises(SnowflakeError):
        session.execute("ALTER TABLE T ADD COLUMN X VARCHAR(5), AMOUNT INT")
    assert _types(session, "T") == [("AMOUNT", "NUMBER(10,2)")]
    assert session.execute("SELECT * FROM T").columns == ["AMOUNT"]


def test_a_clone_of_a_tracked_table_has_only_the_users_columns(session):
    """A table with a stream carries a hidden row id; its clone starts untracked, without it."""
    session.execute("CREATE TABLE T (ID INT PRIMARY KEY, NAME VARCHAR(12) NOT NULL DEFAULT 'n/a')")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("INSERT INTO T (ID) VALUES (1)")
    session.execute("CREATE TABLE C CLONE T")
    assert session.execute("SELECT * FROM C").rows == [(1, "n/a")]
    assert session.execute("SHOW TABLES LIKE 'C'").rows[0][-1] == "OFF"  # change_tracking
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in session.execute("DESC TABLE C").rows] == [
        ("ID", "NUMBER(38,0)", "N", None, "Y"),
        ("NAME", "VARCHAR(12)", "N", "'n/a'", "N"),
    ]
    session.execute("INSERT INTO C (ID) VALUES (2)")  # the clone keeps the default
    assert session.execute("SELECT NAME FROM C WHERE ID = 2").rows == [("n/a",)]
    with pytest.raises(SnowflakeError):
        session.execute("INSERT INTO C (NAME) VALUES ('x')")  # and NOT NULL on the key column


def test_the_record_follows_renames_and_drops(session):
    session.execute("CREATE TABLE T (V VARCHAR(7))")
    session.execute("ALTER TABLE T RENAME TO U")
    assert _types(session, "U") == [("V", "VARCHAR(7)")]
    session.execute("DROP TABLE U")
    session.execute("CREATE TABLE U (V STRING)")
    assert _types(session, "U") == [("V", "VARCHAR(16777216)")]
    session.execute("CREATE SCHEMA OTHER")
    session.execute("CREATE TABLE OTHER.W (V VARCHAR(3))")
    session.execute("DROP SCHEMA OTHER")
    session.execute("CREATE SCHEMA OTHER")
    session.execute("CREATE TABLE OTHER.W AS SELECT 'abc' AS V, UPPER('abc') AS U")
    # a string literal's length; another computed column: the widest VARCHAR (the engine derives no length)
    assert _types(session, "OTHER.W") == [("V", "VARCHAR(3)"), ("U", "VARCHAR(16777216)")]


def test_an_older_warehouse_is_described_from_duckdb_types(tmp_path: Path):
    """A warehouse made before the record (schema 10): its tables are described from DuckDB's types, and its
    INFORMATION_SCHEMA views are re-created with the new column sets."""
    path = tmp_path / "old.duckdb"
    engine = Engine(str(path))
    with engine.session() as s:
        s.execute("CREATE DATABASE D")
        s.execute("CREATE TABLE D.PUBLIC.T (V VARCHAR(20), N NUMBER(10,2), I INT)")
    engine.close()
    con = duckdb.connect(str(path))
    con.execute('DROP TABLE "_CAVES".COLUMNS')
    con.execute('DROP TABLE "_CAVES".VIEW_TEXTS')
    con.execute('DROP VIEW "D.INFORMATION_SCHEMA".DATABASES')
    con.execute('UPDATE "_CAVES".STATE SET SCHEMA_VERSION = 10')
    con.close()

    engine = Engine(str(path))
    try:
        with engine.session() as s:
            s.execute("USE DATABASE D")
            assert _types(s, "T") == [("V", "VARCHAR(16777216)"), ("N", "NUMBER(10,2)"), ("I", "NUMBER(38,0)")]
            assert s.execute("SELECT DATABASE_NAME FROM INFORMATION_SCHEMA.DATABASES").rows == [("D",)]
            s.execute("ALTER TABLE T ADD COLUMN W VARCHAR(4)")
            assert _types(s, "T")[-1] == ("W", "VARCHAR(4)")
    finally:
        engine.close()


def test_alter_column_defaults_and_added_constraints(session):
    """SET / DROP DEFAULT follow into DESCRIBE; ADD COLUMN IF NOT EXISTS of an existing column changes nothing; an
    out-of-line ADD CONSTRAINT is refused (DuckDB would enforce the key, Snowflake does not)."""
    session.execute("CREATE TABLE T (A INT, B VARCHAR(5) DEFAULT 'x')")
    session.execute("ALTER TABLE T ALTER COLUMN B SET DEFAULT 'y'")
    assert session.execute("DESC TABLE T").rows[1][4] == "'y'"
    session.execute("ALTER TABLE T ALTER COLUMN B DROP DEFAULT")
    assert session.execute("DESC TABLE T").rows[1][4] is None
    session.execute("ALTER TABLE T ADD COLUMN IF NOT EXISTS B INT")
    assert _types(session, "T") == [("A", "NUMBER(38,0)"), ("B", "VARCHAR(5)")]
    with pytest.raises(UnsupportedStatement):
        session.execute("ALTER TABLE T ADD CONSTRAINT PK PRIMARY KEY (A)")


def test_create_or_replace_from_itself_keeps_the_types(session):
    session.execute("CREATE TABLE T (V VARCHAR(7))")
    session.execute("CREATE OR REPLACE TABLE T AS SELECT * FROM T")
    assert _types(session, "T") == [("V", "VARCHAR(7)")]
