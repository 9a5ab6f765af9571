"""Timestamps keep nanoseconds on the local engine, as in Snowflake.

Snowflake (https://docs.snowflake.com/en/sql-reference/data-types-datetime): TIMESTAMP_NTZ, TIMESTAMP_LTZ and
TIMESTAMP_TZ take a fractional-seconds precision of 0 to 9 digits, 9 (nanoseconds) by default, and TIMESTAMP is
TIMESTAMP_NTZ unless TIMESTAMP_TYPE_MAPPING says otherwise. DuckDB's TIMESTAMP keeps microseconds, so two events
800 ns apart used to compare equal; the engine stores TIMESTAMP_NS / TIMESTAMPTZ_NS instead.
(Python's datetime holds microseconds only: like Snowflake's Python connector, results fetched as datetimes
are truncated to the microsecond; comparisons and ordering inside SQL are exact.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from caves.local import Engine

EARLY = "2026-11-20T10:00:00.000000100Z"
LATE = "2026-11-20T10:00:00.000000900Z"


def test_timestamp_ntz_orders_nanoseconds(session):
    """TIMESTAMP_NTZ(9): 100 ns and 900 ns past the same microsecond are two different, ordered instants."""
    session.execute("CREATE TABLE E (ID STRING, TS TIMESTAMP_NTZ)")
    session.execute(
        "INSERT INTO E SELECT 'z-early', ? UNION ALL SELECT 'a-late', ?",
        [EARLY.rstrip("Z"), LATE.rstrip("Z")],
    )
    assert session.execute("SELECT ID FROM E ORDER BY TS DESC, ID DESC LIMIT 1").rows == [("a-late",)]
    assert session.execute("SELECT COUNT(DISTINCT TS) FROM E").rows == [(2,)]
    assert session.execute("SELECT DATEDIFF(nanosecond, MIN(TS), MAX(TS)) FROM E").rows == [(800,)]
    assert session.execute("SELECT DATE_PART(nanosecond, MAX(TS)) FROM E").rows == [(900,)]
    # DESCRIBE reports the Snowflake type.
    types = {r[0]: r[1] for r in session.execute("DESCRIBE TABLE E").rows}
    assert types["TS"] == "TIMESTAMP_NTZ(9)"


def test_timestamp_tz_conversion_keeps_nanoseconds(session):
    """TRY_TO_TIMESTAMP_TZ / CONVERT_TIMEZONE / ::TIMESTAMP_NTZ keep the 9 digits (the pipeline's UTC conversion)."""
    expr = "CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REPLACE(UPPER(?), 'Z', '+00:00')))::TIMESTAMP_NTZ"
    late_offset = "2026-11-20T12:00:00.000000900+02:00"
    row = session.execute(
        f"SELECT DATEDIFF(nanosecond, {expr}, {expr}), {expr} = {expr}, DATE_PART(nanosecond, {expr})",
        [EARLY, LATE, LATE, late_offset, late_offset],
    ).rows[0]
    assert row == (800, True, 900)
    assert session.execute(
        "SELECT DATE_PART(nanosecond, TO_TIMESTAMP_NTZ(?))", ["2026-11-20 10:00:00.123456789"]
    ).rows == [(123456789,)]


def test_date_arithmetic_on_nanosecond_timestamps(session):
    """DATEADD keeps the fraction, DATE_TRUNC cuts it, comparisons with a bound datetime still work."""
    session.execute("CREATE TABLE E (TS TIMESTAMP_NTZ)")
    session.execute("INSERT INTO E SELECT TO_TIMESTAMP_NTZ('2026-11-20 10:00:00.000000900')")
    assert session.execute(
        "SELECT DATE_PART(nanosecond, DATEADD(day, 1, TS)), DATEADD(day, 1, TS)::DATE FROM E"
    ).rows == [(900, dt.date(2026, 11, 21))]
    assert session.execute("SELECT DATE_TRUNC('second', TS) FROM E").rows == [(dt.datetime(2026, 11, 20, 10, 0),)]
    assert session.execute("SELECT TS > ? FROM E", [dt.datetime(2026, 11, 20, 10, 0)]).rows == [(True,)]
    assert session.execute("SELECT DATEDIFF(second, TS, TO_TIMESTAMP_NTZ('2026-11-20 10:00:05')) FROM E").rows == [(5,)]
    # Fetched into Python, the value is a datetime to the microsecond (as the Snowflake connector returns it).
    assert session.execute("SELECT TS FROM E").rows == [(dt.datetime(2026, 11, 20, 10, 0),)]


def test_an_older_warehouse_is_widened_to_nanoseconds(tmp_path: Path):
    """A warehouse written by an engine that stored microseconds gets nanosecond columns when first reopened."""
    path = tmp_path / "old.duckdb"
    engine = Engine(str(path))
    with engine.session() as s:
        s.execute("CREATE DATABASE D")
        s.execute("CREATE TABLE D.PUBLIC.T (ID STRING, TS TIMESTAMP_NTZ, TZ TIMESTAMP_TZ)")
        s.execute("CREATE STREAM D.PUBLIC.S ON TABLE D.PUBLIC.T")
    engine.close()
    # Make it look like a version-7 file: microsecond columns everywhere.
    con = duckdb.connect(str(path))
    for schema, table, column, data_type in con.execute(
        "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE data_type IN ('TIMESTAMP_NS', 'TIMESTAMPTZ_NS')"
    ).fetchall():
        old = "TIMESTAMP" if data_type == "TIMESTAMP_NS" else "TIMESTAMPTZ"
        con.execute(f'ALTER TABLE "{schema}"."{table}" ALTER COLUMN "{column}" TYPE {old}')
    con.execute('UPDATE "_CAVES".STATE SET SCHEMA_VERSION = 7')
    con.close()

    engine = Engine(str(path))
    try:
        with engine.session() as s:
            s.execute(
                "INSERT INTO D.PUBLIC.T SELECT 'late', ?, ? UNION ALL SELECT 'early', ?, ?", [LATE, LATE, EARLY, EARLY]
            )
            assert s.execute("SELECT ID FROM D.PUBLIC.T ORDER BY TS DESC LIMIT 1").rows == [("late",)]
            assert s.execute("SELECT ID FROM D.PUBLIC.S ORDER BY TZ DESC LIMIT 1").rows == [("late",)]
            assert s.execute("SELECT DATEDIFF(nanosecond, MIN(TS), MAX(TS)) FROM D.PUBLIC.S").rows == [(800,)]
    finally:
        engine.close()


def test_a_timestamp_just_before_midnight_stays_on_its_day(session):
    """Snowflake truncates to the unit: 23:59:59.999999900 is on its day, in its second (DATE_TRUNC, ::DATE,
    TO_DATE, DAYOFWEEKISO, DATEDIFF count boundaries crossed). DuckDB would round it to the microsecond first (the
    next day); the engine floors a nanosecond column to its microsecond before such a function reads it."""
    session.execute("CREATE TABLE E (TS TIMESTAMP_NTZ)")
    session.execute("INSERT INTO E SELECT TO_TIMESTAMP_NTZ('2026-01-01 23:59:59.999999900')")
    row = session.execute(
        "SELECT TS::DATE, TO_DATE(TS), DATE_TRUNC('day', E.TS), DATE_TRUNC('second', TS), DAYOFWEEKISO(TS), "
        "DATEDIFF(second, TS, TO_TIMESTAMP_NTZ('2026-01-02 00:00:00')), "
        "DATEDIFF(nanosecond, TS, TO_TIMESTAMP_NTZ('2026-01-02 00:00:00')) FROM E"
    ).rows[0]
    assert row == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 1),
        dt.datetime(2026, 1, 1),
        dt.datetime(2026, 1, 1, 23, 59, 59),
        4,  # Thursday
        1,
        100,
    )
    # A cast to TIMESTAMP_NTZ or a DATEADD of one is nanoseconds too.
    assert session.execute(
        "SELECT DATEADD(second, 1, DATEADD(second, -1, TS))::DATE, "
        "'2026-01-01 23:59:59.999999900'::TIMESTAMP_NTZ::DATE FROM E"
    ).rows == [(dt.date(2026, 1, 1), dt.date(2026, 1, 1))]
