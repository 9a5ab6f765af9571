"""Snowflake SQL on the local engine: names, USE, VARIANT, functions, MERGE, INFORMATION_SCHEMA, SHOW,
binds, result columns, errors and transactions.

The translation (sqlglot Snowflake -> DuckDB) must give Snowflake's answers. Docstrings name the section of
/work/shared/reference/SNOWFLAKE_SEMANTICS.md the behaviour supports (the emulator checklist §6 and the
stream/task rules that depend on it) and, where the rule is general Snowflake SQL, the docs page.
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from caves.local import SnowflakeError


def one(s, sql, params=None):
    return s.execute(sql, params).rows[0]


# --- names and USE ------------------------------------------------------------------------------------


def test_three_part_names_cross_databases(session):
    """§6 (names, ARCHITECTURE.md): DATABASE.SCHEMA.OBJECT names work from any current database; unquoted
    identifiers are upper-cased, so case doesn't matter."""
    session.execute("CREATE DATABASE OTHER_DB")
    session.execute("CREATE SCHEMA OTHER_DB.RAW")
    session.execute("CREATE TABLE other_db.raw.events (id INT)")
    session.execute("INSERT INTO OTHER_DB.RAW.EVENTS VALUES (7)")
    session.execute("USE DATABASE TESTDB")
    assert session.execute("SELECT ID FROM Other_Db.Raw.Events").rows == [(7,)]
    session.execute("CREATE TABLE LOCAL_T AS SELECT ID * 2 AS DOUBLED FROM OTHER_DB.RAW.EVENTS")
    assert session.execute("SELECT DOUBLED FROM TESTDB.PUBLIC.LOCAL_T").rows == [(14,)]


def test_two_part_names_use_the_current_database(session):
    """§6 (names): SCHEMA.OBJECT resolves in the current database."""
    session.execute("CREATE SCHEMA STAGING")
    session.execute("CREATE TABLE STAGING.T (A INT)")
    session.execute("INSERT INTO STAGING.T VALUES (1)")
    session.execute("USE SCHEMA TESTDB.PUBLIC")
    assert session.execute("SELECT A FROM STAGING.T").rows == [(1,)]


def test_use_database_schema_and_pair(session):
    """§6 (session context): USE DATABASE sets PUBLIC; USE SCHEMA s and USE db.s set the schema; one-part
    names then resolve there."""
    session.execute("CREATE SCHEMA S1")
    session.execute("CREATE TABLE S1.T (A INT)")
    session.execute("INSERT INTO S1.T VALUES (1)")
    session.execute("USE DATABASE TESTDB")
    with pytest.raises(SnowflakeError) as err:
        session.execute("SELECT A FROM T")  # TESTDB.PUBLIC.T does not exist
    assert err.value.errno == 2003
    session.execute("USE SCHEMA S1")
    assert session.execute("SELECT A FROM T").rows == [(1,)]
    session.execute("USE TESTDB.PUBLIC")
    with pytest.raises(SnowflakeError):
        session.execute("SELECT A FROM T")
    session.execute("USE TESTDB.S1")
    assert session.execute("SELECT A FROM T").rows == [(1,)]


def test_use_of_unknown_database_or_schema_is_an_error(session):
    """§6: USE of something that does not exist fails with 002003 and leaves the context unchanged."""
    with pytest.raises(SnowflakeError) as err:
        session.execute("USE DATABASE NO_SUCH_DB")
    assert err.value.errno == 2003
    with pytest.raises(SnowflakeError):
        session.execute("USE SCHEMA TESTDB.NO_SUCH_SCHEMA")
    session.execute("CREATE TABLE STILL_HERE (A INT)")
    assert session.execute("SELECT count(*) FROM TESTDB.PUBLIC.STILL_HERE").scalar() == 0


def test_current_database_and_schema_follow_use(session):
    """§6 (session context): CURRENT_DATABASE() and CURRENT_SCHEMA() return the session's current names."""
    session.execute("CREATE SCHEMA S1")
    session.execute("USE SCHEMA TESTDB.S1")
    assert one(session, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()") == ("TESTDB", "S1")


def test_session_without_a_database_cannot_resolve_one_part_names(engine):
    """§6 (names): with no current database a one-part name is an error, a three-part name works."""
    with engine.session() as s:
        s.execute("CREATE DATABASE X")
    with engine.session() as fresh:
        with pytest.raises(SnowflakeError):
            fresh.execute("CREATE TABLE T (A INT)")
        fresh.execute("CREATE TABLE X.PUBLIC.T (A INT)")
        assert fresh.execute("SELECT count(*) FROM X.PUBLIC.T").scalar() == 0


def test_rename_table(session):
    """§1.1 relies on it ('renaming the source is harmless'): ALTER TABLE t RENAME TO t2 works."""
    session.execute("CREATE TABLE OLD_NAME (A INT)")
    session.execute("INSERT INTO OLD_NAME VALUES (1)")
    session.execute("ALTER TABLE OLD_NAME RENAME TO NEW_NAME")
    assert session.execute("SELECT A FROM NEW_NAME").rows == [(1,)]
    with pytest.raises(SnowflakeError):
        session.execute("SELECT A FROM OLD_NAME")


# --- VARIANT ------------------------------------------------------------------------------------------


@pytest.fixture
def variant(session):
    session.execute("CREATE TABLE EV (ID INT, V VARIANT)")
    session.execute(
        "INSERT INTO EV SELECT 1, PARSE_JSON(?)",
        ['{"order": {"id": "A-1", "total": 12.5, "qty": 3, "paid": true}, "lines": [{"sku": "w1"}, {"sku": "w2"}],'
         ' "customer": {"name": "Albert"}}'],
    )  # fmt: skip
    return session


def test_variant_colon_path_with_cast_gives_unquoted_values(variant):
    """§6 (VARIANT): v:path::TYPE extracts the scalar: strings come back without JSON quotes, numbers typed."""
    row = one(
        variant,
        "SELECT V:order.id::STRING, V:order.qty::INT, V:order.total::FLOAT, V:order.paid::BOOLEAN, "
        "V:customer:name::VARCHAR, V:lines[1].sku::STRING FROM EV",
    )
    assert row == ("A-1", 3, 12.5, True, "Albert", "w2")


def test_variant_path_without_cast_is_still_variant(variant):
    """§6 (VARIANT): without a cast the path is a VARIANT (JSON text, strings keep their quotes)."""
    value = one(variant, "SELECT V:order.id FROM EV")[0]
    assert value == '"A-1"'


def test_variant_path_compares_to_a_string_literal(variant):
    """§6 (VARIANT): v:path = 'text' compares the string value, as Snowflake does."""
    assert variant.execute("SELECT ID FROM EV WHERE V:order.id = 'A-1'").rows == [(1,)]
    assert variant.execute("SELECT ID FROM EV WHERE V:order.id::STRING = 'A-1'").rows == [(1,)]


def test_variant_missing_path_is_null(variant):
    """§6 (VARIANT): a missing path is NULL, cast or not."""
    assert one(variant, "SELECT V:nope.deeper::STRING, V:nope FROM EV") == (None, None)


def test_parse_json_and_try_parse_json(session):
    """§6 (VARIANT): PARSE_JSON of malformed text is an error; TRY_PARSE_JSON returns NULL instead."""
    assert one(session, "SELECT TRY_PARSE_JSON('not json'), TRY_PARSE_JSON('{\"k\": 1}'):k::INT") == (None, 1)
    with pytest.raises(SnowflakeError):
        session.execute("SELECT PARSE_JSON('not json')")
    assert one(session, "SELECT PARSE_JSON('[1, 2, 3]')[2]::INT") == (3,)


def test_typeof_and_is_type_functions(session):
    """§6 (VARIANT): TYPEOF and the IS_<type> predicates name JSON values Snowflake's way."""
    session.execute("CREATE TABLE J (V VARIANT)")
    session.execute(
        'INSERT INTO J SELECT PARSE_JSON(\'{"s": "x", "i": 3, "d": 1.5, "b": true, "o": {}, "a": [], "n": null}\')'
    )
    assert one(
        session,
        "SELECT TYPEOF(V:s), TYPEOF(V:i), TYPEOF(V:d), TYPEOF(V:b), TYPEOF(V:o), TYPEOF(V:a), TYPEOF(V:n) FROM J",
    ) == ("VARCHAR", "INTEGER", "DECIMAL", "BOOLEAN", "OBJECT", "ARRAY", "NULL_VALUE")
    assert one(
        session,
        "SELECT IS_VARCHAR(V:s), IS_INTEGER(V:i), IS_INTEGER(V:s), IS_DECIMAL(V:d), IS_BOOLEAN(V:b), "
        "IS_OBJECT(V:o), IS_ARRAY(V:a), IS_NULL_VALUE(V:n), IS_OBJECT(V:a) FROM J",
    ) == (True, True, False, True, True, True, True, True, False)


# --- functions ----------------------------------------------------------------------------------------


def test_iff(session):
    """§6 (functions): IFF(cond, a, b); a NULL condition takes the else branch."""
    assert one(session, "SELECT IFF(1 > 0, 'yes', 'no'), IFF(NULL, 1, 2), IFF(1 < 0, 'yes', 'no')") == (
        "yes",
        2,
        "no",
    )


def test_dateadd_datediff_date_trunc_values(session):
    """§6 (functions): DATEADD/DATEDIFF/DATE_TRUNC with Snowflake's argument order and boundary counting."""
    row = one(
        session,
        "SELECT DATEDIFF(day, '2024-01-01'::DATE, '2024-03-01'::DATE), "
        "DATEDIFF(month, '2024-01-31'::DATE, '2024-02-01'::DATE), "
        "DATEDIFF(year, '2023-12-31'::DATE, '2024-01-01'::DATE), "
        "DATEDIFF(minute, '2024-01-01 10:00:00'::TIMESTAMP_NTZ, '2024-01-01 12:30:00'::TIMESTAMP_NTZ), "
        "DATEADD(hour, 2, '2024-01-01 10:00:00'::TIMESTAMP_NTZ), "
        "DATE_TRUNC('month', '2024-03-15 10:11:12'::TIMESTAMP_NTZ), "
        "DATE_TRUNC('hour', '2024-03-15 10:11:12'::TIMESTAMP_NTZ)",
    )
    assert row == (
        60,
        1,
        1,
        150,
        dt.datetime(2024, 1, 1, 12, 0),
        dt.datetime(2024, 3, 1, 0, 0),
        dt.datetime(2024, 3, 15, 10, 0),
    )


def test_dateadd_and_date_trunc_on_a_date_return_a_date(session):
    """§6 (functions): on a DATE input with a day-or-larger part, DATEADD and DATE_TRUNC return a DATE
    (Snowflake docs, DATEADD/DATE_TRUNC return types); month arithmetic clamps to the month's last day."""
    row = one(
        session,
        "SELECT DATEADD(day, 3, '2024-01-30'::DATE), DATEADD(month, 1, '2024-01-31'::DATE), "
        "DATE_TRUNC('month', '2024-03-15'::DATE)",
    )
    assert row == (dt.date(2024, 2, 2), dt.date(2024, 2, 29), dt.date(2024, 3, 1))
    assert all(type(v) is dt.date for v in row)


def test_qualify(session):
    """§6 (translation): QUALIFY filters on a window function (latest row per key)."""
    session.execute("CREATE TABLE V (K VARCHAR, VER INT, VAL VARCHAR)")
    session.execute("INSERT INTO V VALUES ('a', 1, 'a1'), ('a', 2, 'a2'), ('b', 1, 'b1')")
    rows = session.execute(
        "SELECT K, VAL FROM V QUALIFY ROW_NUMBER() OVER (PARTITION BY K ORDER BY VER DESC) = 1 ORDER BY K"
    ).rows
    assert rows == [("a", "a2"), ("b", "b1")]


# --- MERGE --------------------------------------------------------------------------------------------


@pytest.fixture
def merge_tables(session):
    session.execute("CREATE TABLE TGT (ID INT, NAME VARCHAR, QTY INT)")
    session.execute("INSERT INTO TGT VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)")
    session.execute("CREATE TABLE CHG (ID INT, NAME VARCHAR, QTY INT, OP VARCHAR)")
    session.execute("INSERT INTO CHG VALUES (1, 'A', 10, 'U'), (2, NULL, NULL, 'D'), (4, 'd', 4, 'I')")
    return session


MERGE_SQL = """
MERGE INTO TGT t USING CHG s ON t.ID = s.ID
  WHEN MATCHED AND s.OP = 'D' THEN DELETE
  WHEN MATCHED AND s.OP = 'U' THEN UPDATE SET t.NAME = s.NAME, t.QTY = s.QTY
  WHEN NOT MATCHED THEN INSERT (ID, NAME, QTY) VALUES (s.ID, s.NAME, s.QTY)
"""


def test_merge_with_several_when_clauses_and_qualified_set_targets(merge_tables):
    """§1.4 / §6 (translation): MERGE with several WHEN clauses and Snowflake's ``UPDATE SET t.col = ...``."""
    merge_tables.execute(MERGE_SQL)
    assert merge_tables.execute("SELECT * FROM TGT ORDER BY ID").rows == [(1, "A", 10), (3, "c", 3), (4, "d", 4)]


def test_merge_reports_inserted_updated_deleted_counts(merge_tables):
    """§6 (results): MERGE answers with one row of counts: rows inserted, updated, deleted."""
    r = merge_tables.execute(MERGE_SQL)
    assert r.columns == ["number of rows inserted", "number of rows updated", "number of rows deleted"]
    assert r.rows == [(1, 1, 1)]


def test_merge_counts_are_the_same_on_a_table_with_a_stream(merge_tables):
    """§1.3 / §6.2: a stream on the target changes nothing about the MERGE's answer."""
    merge_tables.execute("CREATE STREAM TGT_S ON TABLE TGT")
    assert merge_tables.execute(MERGE_SQL).rows == [(1, 1, 1)]


def test_update_with_qualified_set_target_and_from(merge_tables):
    """§6 (translation): UPDATE t SET t.col = s.col FROM s WHERE ... (DuckDB refuses a qualified SET target)."""
    r = merge_tables.execute("UPDATE TGT t SET t.QTY = s.QTY FROM CHG s WHERE t.ID = s.ID AND s.OP = 'U'")
    assert r.rows == [(1, 0)]
    assert merge_tables.execute("SELECT QTY FROM TGT WHERE ID = 1").scalar() == 10


# --- INFORMATION_SCHEMA and SHOW ----------------------------------------------------------------------


def test_information_schema_tables_and_columns(session):
    """§6 (catalog): DB.INFORMATION_SCHEMA.TABLES/COLUMNS list the database's tables with Snowflake type names,
    and hide the engine's change-tracking columns."""
    session.execute("CREATE SCHEMA RAW")
    session.execute("CREATE TABLE RAW.EVENTS (ID NUMBER(38,0), PAYLOAD VARIANT, NOTE VARCHAR, TS TIMESTAMP_NTZ)")
    session.execute("CREATE STREAM RAW.EVENTS_S ON TABLE RAW.EVENTS")
    session.execute("CREATE VIEW RAW.V_EVENTS AS SELECT ID FROM RAW.EVENTS")
    tables = session.execute(
        "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM TESTDB.INFORMATION_SCHEMA.TABLES "
        "WHERE TABLE_SCHEMA = 'RAW' ORDER BY TABLE_NAME"
    ).rows
    assert tables == [("RAW", "EVENTS", "BASE TABLE"), ("RAW", "V_EVENTS", "VIEW")]
    cols = session.execute(
        "SELECT COLUMN_NAME, DATA_TYPE, ORDINAL_POSITION FROM TESTDB.INFORMATION_SCHEMA.COLUMNS "
        "WHERE TABLE_SCHEMA = 'RAW' AND TABLE_NAME = 'EVENTS' ORDER BY ORDINAL_POSITION"
    ).rows
    assert cols == [("ID", "NUMBER", 1), ("PAYLOAD", "VARIANT", 2), ("NOTE", "TEXT", 3), ("TS", "TIMESTAMP_NTZ", 4)]


def test_unqualified_information_schema_uses_the_current_database(session):
    """§6 (catalog): INFORMATION_SCHEMA.<view> without a database means the current database's."""
    session.execute("CREATE TABLE HERE_T (A INT)")
    session.execute("CREATE DATABASE ELSEWHERE")
    session.execute("CREATE TABLE THERE_T (A INT)")
    session.execute("USE DATABASE TESTDB")
    names = [r[0] for r in session.execute("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES").rows]
    assert "HERE_T" in names and "THERE_T" not in names


def test_show_tables_schemas_databases(session):
    """§6.11 (SHOW): SHOW TABLES / SCHEMAS / DATABASES list the objects with Snowflake's column names."""
    session.execute("CREATE SCHEMA RAW")
    session.execute("CREATE TABLE RAW.EVENTS (ID INT)")
    session.execute("CREATE STREAM RAW.EVENTS_S ON TABLE RAW.EVENTS")
    session.execute("USE SCHEMA TESTDB.PUBLIC")
    session.execute("CREATE TABLE PLAIN (ID INT)")

    tables = session.execute("SHOW TABLES IN SCHEMA TESTDB.RAW")
    assert tables.columns[:4] == ["created_on", "name", "database_name", "schema_name"]
    assert "change_tracking" in tables.columns
    assert [(d["name"], d["database_name"], d["schema_name"], d["change_tracking"]) for d in tables.dicts()] == [
        ("EVENTS", "TESTDB", "RAW", "ON")
    ]
    assert [d["name"] for d in session.execute("SHOW TABLES").dicts()] == ["PLAIN"]
    assert [d["name"] for d in session.execute("SHOW TABLES LIKE 'ev%' IN DATABASE TESTDB").dicts()] == ["EVENTS"]

    schemas = session.execute("SHOW SCHEMAS IN DATABASE TESTDB")
    assert schemas.columns[:2] == ["created_on", "name"]
    names = [d["name"] for d in schemas.dicts()]
    assert {"PUBLIC", "RAW", "INFORMATION_SCHEMA"} <= set(names)
    assert {d["name"]: d["is_current"] for d in schemas.dicts()}["PUBLIC"] == "Y"

    dbs = session.execute("SHOW DATABASES").dicts()
    assert [d["name"] for d in dbs] == ["TESTDB"]


def test_describe_table(session):
    """§6.11 (SHOW/DESCRIBE): DESCRIBE TABLE lists name, type, null? with the types as Snowflake spells them
    (an INT is NUMBER(38,0): https://docs.snowflake.com/en/sql-reference/sql/desc-table)."""
    session.execute("CREATE TABLE D (ID INT NOT NULL, V VARIANT)")
    rows = session.execute("DESCRIBE TABLE D").dicts()
    assert [(r["name"], r["type"], r["null?"]) for r in rows] == [("ID", "NUMBER(38,0)", "N"), ("V", "VARIANT", "Y")]


# --- binds, result columns, errors ---------------------------------------------------------------------


def test_bound_parameters_of_each_type(session):
    """ARCHITECTURE.md API / §6: ``?`` binds (qmark paramstyle) for numbers, text, NULL, dates, timestamps."""
    session.execute("CREATE TABLE B (I INT, F FLOAT, S VARCHAR, D DATE, T TIMESTAMP_NTZ, N NUMBER(10,2))")
    values = [42, 1.5, "it's", dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 23, 59, 1), decimal.Decimal("12.34")]
    session.execute("INSERT INTO B VALUES (?, ?, ?, ?, ?, ?)", values)
    session.execute("INSERT INTO B (I, S) VALUES (?, ?)", [None, None])
    assert session.execute("SELECT * FROM B WHERE I = ?", [42]).rows == [tuple(values)]
    assert session.execute("SELECT count(*) FROM B WHERE S = ? AND D = ?", ["it's", dt.date(2024, 2, 29)]).scalar() == 1
    assert session.execute("SELECT count(*) FROM B WHERE I IS NULL").scalar() == 1


def test_bind_values_are_data_not_sql(session):
    """§6: a bound value is never parsed as SQL."""
    session.execute("CREATE TABLE B (S VARCHAR)")
    session.execute("INSERT INTO B VALUES (?)", ["x'); DROP TABLE B; --"])
    assert session.execute("SELECT S FROM B").rows == [("x'); DROP TABLE B; --",)]


def test_executemany_inserts_every_row(session):
    """§6.1 (every insert reaches the change log) / ARCHITECTURE.md API: executemany runs one INSERT for many
    parameter rows (array binding), and a stream on the table sees every row."""
    session.execute("CREATE TABLE M (ID INT, V VARIANT)")
    session.execute("CREATE STREAM M_S ON TABLE M")
    r = session.executemany("INSERT INTO M (ID, V) SELECT ?, PARSE_JSON(?)", [(i, f'{{"n": {i}}}') for i in range(50)])
    assert r.rowcount == 50
    assert one(session, "SELECT count(*), sum(V:n::INT) FROM M") == (50, sum(range(50)))
    assert one(session, "SELECT count(*), count(DISTINCT ID) FROM M_S WHERE METADATA$ACTION = 'INSERT'") == (50, 50)


def test_result_columns_are_upper_case_like_snowflake(session):
    """§6 (results): unquoted identifiers and aliases come back upper-case; quoted aliases keep their case;
    an unaliased expression is named by its text."""
    session.execute("CREATE TABLE lower_t (id INT, name VARCHAR)")
    session.execute("INSERT INTO lower_t VALUES (1, 'x')")
    assert session.execute("SELECT * FROM lower_t").columns == ["ID", "NAME"]
    assert session.execute("select id as my_id, name from lower_t").columns == ["MY_ID", "NAME"]
    assert session.execute('select id as "myId" from lower_t').columns == ["myId"]
    assert session.execute("select count(*) from lower_t").columns == ["COUNT(*)"]


def test_syntax_error_is_snowflake_error_1003(session):
    """§6 (errors): a syntax error is SnowflakeError 001003 (42000), 'SQL compilation error'."""
    with pytest.raises(SnowflakeError) as err:
        session.execute("SELEC 1")
    assert err.value.errno == 1003
    assert err.value.sqlstate == "42000"
    assert "syntax error" in str(err.value)


def test_unknown_object_is_snowflake_error_2003(session):
    """§6 (errors): a missing table is 002003 'does not exist or not authorized'."""
    with pytest.raises(SnowflakeError) as err:
        session.execute("SELECT * FROM NO_SUCH_TABLE")
    assert err.value.errno == 2003
    assert "does not exist or not authorized" in str(err.value)


def test_execute_script_runs_statements_in_order_and_keeps_semicolons_in_strings(session):
    """§6: a script runs statement by statement in one session; a ';' inside a string or comment does not split."""
    results = session.execute_script(
        "CREATE TABLE SC (S VARCHAR);\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO SC VALUES ('a;b');\n"
        "SELECT S FROM SC;"
    )
    assert len(results) == 3
    assert results[-1].rows == [("a;b",)]


# --- transactions ---------------------------------------------------------------------------------------


def test_begin_rollback_undoes_and_commit_keeps(session):
    """§1.4 / §6.7: BEGIN opens an explicit transaction; ROLLBACK undoes its statements, COMMIT keeps them."""
    session.execute("CREATE TABLE TX (A INT)")
    session.execute("BEGIN")
    session.execute("INSERT INTO TX VALUES (1)")
    session.execute("UPDATE TX SET A = 2")
    assert session.execute("SELECT A FROM TX").rows == [(2,)]  # the transaction sees its own writes
    session.execute("ROLLBACK")
    assert session.execute("SELECT count(*) FROM TX").scalar() == 0
    session.execute("BEGIN TRANSACTION")
    session.execute("INSERT INTO TX VALUES (3)")
    session.execute("COMMIT")
    assert session.execute("SELECT A FROM TX").rows == [(3,)]


def test_uncommitted_writes_are_invisible_to_other_sessions(engine, session):
    """§1.4: other sessions read committed data only."""
    session.execute("CREATE TABLE TX (A INT)")
    other = engine.session("TESTDB", "PUBLIC")
    try:
        session.execute("BEGIN")
        session.execute("INSERT INTO TX VALUES (1)")
        assert other.execute("SELECT count(*) FROM TX").scalar() == 0
        session.execute("COMMIT")
        assert other.execute("SELECT count(*) FROM TX").scalar() == 1
    finally:
        other.close()


def test_ddl_commits_the_open_transaction(session):
    """§6.8: DDL is an implicit commit: statements before it in the open transaction are committed."""
    session.execute("CREATE TABLE TX (A INT)")
    session.execute("BEGIN")
    session.execute("INSERT INTO TX VALUES (1)")
    session.execute("CREATE TABLE OTHER_T (B INT)")
    session.execute("ROLLBACK")
    assert session.execute("SELECT count(*) FROM TX").scalar() == 1
    assert session.execute("SELECT count(*) FROM OTHER_T").scalar() == 0


def test_a_failed_statement_does_not_abort_the_open_transaction(session):
    """§6.8 (error leaves state alone): in Snowflake a statement that fails inside BEGIN…COMMIT is rolled
    back alone; the transaction stays open and its earlier and later statements commit."""
    session.execute("CREATE TABLE TX (A INT)")
    session.execute("BEGIN")
    session.execute("INSERT INTO TX VALUES (1)")
    with pytest.raises(SnowflakeError):
        session.execute("INSERT INTO TX SELECT CAST('x' AS INT)")
    session.execute("INSERT INTO TX VALUES (2)")
    session.execute("COMMIT")
    assert session.execute("SELECT A FROM TX ORDER BY A").rows == [(1,), (2,)]


def test_closing_a_session_rolls_back_its_open_transaction(engine, session):
    """§6.8: a session that ends inside an explicit transaction is rolled back."""
    session.execute("CREATE TABLE TX (A INT)")
    s2 = engine.session("TESTDB", "PUBLIC")
    s2.execute("BEGIN")
    s2.execute("INSERT INTO TX VALUES (1)")
    s2.close()
    assert session.execute("SELECT count(*) FROM TX").scalar() == 0
