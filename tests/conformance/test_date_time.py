"""Date and time functions: Snowflake's documented examples (one case per documented query or result row)."""

from __future__ import annotations

import pytest

from .cases import ids, ok, refused, run_case

_DOCS = "https://docs.snowflake.com/en/sql-reference/functions/"
DATEADD = _DOCS + "dateadd"
DATEDIFF = _DOCS + "datediff"
DATE_TRUNC = _DOCS + "date_trunc"
LAST_DAY = _DOCS + "last_day"
ADD_MONTHS = _DOCS + "add_months"
DATE_FROM_PARTS = _DOCS + "date_from_parts"
DAYNAME = _DOCS + "dayname"
YEAR = _DOCS + "year"
DATETIME = "https://docs.snowflake.com/en/sql-reference/data-types-datetime"  # TIMESTAMP_LTZ / _NTZ / _TZ
TO_TIMESTAMP = _DOCS + "to_timestamp"
CONVERT_TIMEZONE = _DOCS + "convert_timezone"

_TRUNC_SETUP = (
    "CREATE OR REPLACE TABLE test_date_trunc (mydate DATE, mytime TIME, mytimestamp TIMESTAMP)",
    "INSERT INTO test_date_trunc VALUES ('2024-05-09', '08:50:48', '2024-05-09 08:50:57.891')",
)
_DATES = (
    "CREATE OR REPLACE TABLE dates (d DATE)",
    (
        "INSERT INTO dates (d) VALUES ('2024-01-01'::DATE), ('2024-01-02'::DATE), ('2024-01-03'::DATE), "
        "('2024-01-04'::DATE), ('2024-01-05'::DATE), ('2024-01-06'::DATE), ('2024-01-07'::DATE), ('2024-01-08'::DATE)"
    ),
)

CASES = [
    # DATEADD
    ok(DATEADD, "SELECT TO_DATE('2022-05-08') AS original_date, DATEADD(year, 2, TO_DATE('2022-05-08')) AS date_plus_two_years",
       ("2022-05-08", "2024-05-08")),
    ok(DATEADD, "SELECT TO_DATE('2022-05-08') AS original_date, DATEADD(year, -2, TO_DATE('2022-05-08')) AS date_minus_two_years",
       ("2022-05-08", "2020-05-08")),
    ok(DATEADD, "SELECT d AS original_date, DATEADD(year, 2, d) AS date_plus_two_years, TO_TIMESTAMP(d) AS original_timestamp, "
       "DATEADD(hour, 2, d) AS timestamp_plus_two_hours FROM datetest",
       ("2022-04-05", "2024-04-05", "2022-04-05 00:00:00.000", "2022-04-05 02:00:00.000"),
       setup=("CREATE OR REPLACE TABLE datetest (d date)", "INSERT INTO datetest VALUES ('2022-04-05')")),
    ok(DATEADD, "SELECT DATEADD(month, 1, '2023-01-31'::DATE) AS date_plus_one_month", ("2023-02-28",)),
    ok(DATEADD, "SELECT DATEADD(month, 1, '2023-02-28'::DATE) AS date_plus_one_month", ("2023-03-28",)),
    ok(DATEADD, "SELECT TO_TIME('05:00:00') AS original_time, DATEADD(hour, 3, TO_TIME('05:00:00')) AS time_plus_three_hours",
       ("05:00:00", "08:00:00")),
    # DATEDIFF
    ok(DATEDIFF, "SELECT DATEDIFF(year, '2020-04-09 14:39:20'::TIMESTAMP, '2023-05-08 23:39:20'::TIMESTAMP) AS diff_years", (3,)),
    ok(DATEDIFF, "SELECT DATEDIFF(month, '2021-01-01'::DATE, '2021-02-28'::DATE)", (1,)),
    *[
        ok(DATEDIFF, f"SELECT DATEDIFF(hour, column1, column2) diff_hours, DATEDIFF(minute, column1, column2) diff_minutes, "
           f"DATEDIFF(second, column1, column2) diff_seconds FROM VALUES ('{t1}'::TIMESTAMP, '{t2}'::TIMESTAMP)",
           (h, mi, s))
        for t1, t2, h, mi, s in [
            ("2016-01-01 01:59:59", "2016-01-01 02:00:00", 1, 1, 1),
            ("2016-01-01 01:00:00", "2016-01-01 01:59:00", 0, 59, 3540),
            ("2016-01-01 01:00:59", "2016-01-01 02:00:00", 1, 60, 3541),
        ]
    ],
    # DATE_TRUNC
    ok(DATE_TRUNC, "SELECT * FROM test_date_trunc", ("2024-05-09", "08:50:48", "2024-05-09 08:50:57.891"), setup=_TRUNC_SETUP),
    ok(DATE_TRUNC, 'SELECT mydate AS "DATE", DATE_TRUNC(\'year\', mydate) AS "TRUNCATED TO YEAR", '
       'DATE_TRUNC(\'month\', mydate) AS "TRUNCATED TO MONTH", DATE_TRUNC(\'week\', mydate) AS "TRUNCATED TO WEEK", '
       'DATE_TRUNC(\'day\', mydate) AS "TRUNCATED TO DAY" FROM test_date_trunc',
       ("2024-05-09", "2024-01-01", "2024-05-01", "2024-05-06", "2024-05-09"), setup=_TRUNC_SETUP),
    ok(DATE_TRUNC, 'SELECT mytimestamp AS "TIMESTAMP", DATE_TRUNC(\'hour\', mytimestamp) AS "TRUNCATED TO HOUR", '
       'DATE_TRUNC(\'minute\', mytimestamp) AS "TRUNCATED TO MINUTE", DATE_TRUNC(\'second\', mytimestamp) AS "TRUNCATED TO SECOND" '
       "FROM test_date_trunc",
       ("2024-05-09 08:50:57.891", "2024-05-09 08:00:00.000", "2024-05-09 08:50:00.000", "2024-05-09 08:50:57.000"),
       setup=_TRUNC_SETUP),
    ok(DATE_TRUNC, "SELECT DATE_TRUNC('quarter', mytimestamp) AS \"TRUNCATED\", EXTRACT('quarter', mytimestamp) AS \"EXTRACTED\" "
       "FROM test_date_trunc", ("2024-04-01 00:00:00.000", 2), setup=_TRUNC_SETUP),
    # LAST_DAY
    ok(LAST_DAY, "SELECT TO_DATE('2025-05-08T23:39:20.123-07:00') AS \"DATE\", LAST_DAY(\"DATE\") AS \"LAST DAY OF MONTH\"",
       ("2025-05-08", "2025-05-31")),
    ok(LAST_DAY, "SELECT TO_DATE('2024-05-08T23:39:20.123-07:00') AS \"DATE\", LAST_DAY(\"DATE\", 'year') AS \"LAST DAY OF YEAR\"",
       ("2024-05-08", "2024-12-31")),
    # ADD_MONTHS
    ok(ADD_MONTHS, "SELECT ADD_MONTHS('2016-05-15'::timestamp_ntz, 2) AS RESULT", ("2016-07-15 00:00:00.000",)),
    ok(ADD_MONTHS, "SELECT ADD_MONTHS('2016-02-29'::date, 1) AS RESULT", ("2016-03-31",)),
    ok(ADD_MONTHS, "SELECT ADD_MONTHS('2016-05-31'::date, -1) AS RESULT", ("2016-04-30",)),
    # DATE_FROM_PARTS
    ok(DATE_FROM_PARTS, "SELECT DATE_FROM_PARTS(1977, 8, 7)", ("1977-08-07",)),
    ok(DATE_FROM_PARTS, "SELECT DATE_FROM_PARTS(2010, 1, 100), DATE_FROM_PARTS(2010, 1 + 24, 1)", ("2010-04-10", "2012-01-01")),
    ok(DATE_FROM_PARTS, "SELECT DATE_FROM_PARTS(2004, 1, 1), DATE_FROM_PARTS(2004, 0, 1), DATE_FROM_PARTS(2004, -1, 1)",
       ("2004-01-01", "2003-12-01", "2003-11-01")),
    ok(DATE_FROM_PARTS, "SELECT DATE_FROM_PARTS(2004, 2, 1), DATE_FROM_PARTS(2004, 2, 0), DATE_FROM_PARTS(2004, 2, -1)",
       ("2004-02-01", "2004-01-31", "2004-01-30")),
    ok(DATE_FROM_PARTS, "SELECT DATE_FROM_PARTS(2004, -1, -1)", ("2003-10-30",)),
    # YEAR / QUARTER / MONTH / DAY ...
    ok(YEAR, "SELECT '2025-04-11T23:39:20.123-07:00'::TIMESTAMP AS tstamp, YEAR(tstamp) AS \"YEAR\", QUARTER(tstamp) AS \"QUARTER OF YEAR\", "
       "MONTH(tstamp) AS \"MONTH\", DAY(tstamp) AS \"DAY\", DAYOFMONTH(tstamp) AS \"DAY OF MONTH\", "
       "DAYOFYEAR(tstamp) AS \"DAY OF YEAR\"", ("2025-04-11 23:39:20.123", 2025, 2, 4, 11, 11, 101)),
    # WEEK_START and WEEK_OF_YEAR_POLICY other than the defaults change these functions' results: refused.
    refused(YEAR, "ALTER SESSION SET WEEK_OF_YEAR_POLICY = 1"),
    refused(YEAR, "ALTER SESSION SET WEEK_START = 7"),
    ok(YEAR, "ALTER SESSION SET WEEK_OF_YEAR_POLICY = 0", ("Statement executed successfully.",)),
    ok(YEAR, "SELECT '2016-01-02T23:39:20.123-07:00'::TIMESTAMP AS tstamp, WEEK(tstamp) AS \"WEEK\", WEEKISO(tstamp) AS \"WEEK ISO\", "
       "WEEKOFYEAR(tstamp) AS \"WEEK OF YEAR\", YEAROFWEEK(tstamp) AS \"YEAR OF WEEK\", YEAROFWEEKISO(tstamp) AS \"YEAR OF WEEK ISO\"",
       ("2016-01-02 23:39:20.123", 53, 53, 53, 2015, 2015), setup=("ALTER SESSION SET WEEK_OF_YEAR_POLICY = 0",)),
    # DAYNAME
    ok(DAYNAME, "SELECT DAYNAME(TO_DATE('2024-04-01')) AS DAY", ("Mon",)),
    ok(DAYNAME, "SELECT DAYNAME(TO_TIMESTAMP_NTZ('2024-04-02 10:00')) AS DAY", ("Tue",)),
    *[
        ok(DAYNAME, f"SELECT d, DAYNAME(d) FROM dates WHERE d = '2024-01-0{i + 1}' ORDER BY d", (f"2024-01-0{i + 1}", day),
           setup=_DATES)
        for i, day in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"])
    ],
    # A timestamp string with a UTC offset (the page's ts_test examples, in the engine's UTC session):
    # TIMESTAMP_LTZ is the instant, shown in the session's time zone; TIMESTAMP_TZ keeps the offset, which DuckDB's
    # TIMESTAMPTZ cannot: emulated for a zero offset, refused otherwise.
    ok(DATETIME, "SELECT '2024-01-02 16:00:00 +00:00'::TIMESTAMP_NTZ AS ts, HOUR(ts)", ("2024-01-02 16:00:00.000", 16)),
    ok(DATETIME, "SELECT ts, HOUR(ts) FROM ts_test ORDER BY ts", ("2024-01-01 16:00:00.000", 16),
       ("2024-01-02 16:00:00.000", 16), setup=("CREATE OR REPLACE TABLE ts_test(ts TIMESTAMP_NTZ)",
       "INSERT INTO ts_test VALUES('2024-01-01 16:00:00')", "INSERT INTO ts_test VALUES('2024-01-02 16:00:00 +00:00')")),
    ok(DATETIME, "SELECT '2024-01-02 16:00:00 +00:00'::TIMESTAMP_LTZ AS ts, HOUR(ts)", ("2024-01-02 16:00:00.000 +0000", 16)),
    ok(DATETIME, "SELECT '2024-01-01 10:00:00 +09:00'::TIMESTAMP_LTZ", ("2024-01-01 01:00:00.000 +0000",)),
    ok(DATETIME, "SELECT '2024-01-01 10:00:00 +09:00'::TIMESTAMP_LTZ = '2024-01-01 01:00:00 +00:00'::TIMESTAMP_LTZ",
       (True,)),
    ok(DATETIME, "SELECT '2024-01-02 16:00:00 +00:00'::TIMESTAMP_TZ", ("2024-01-02 16:00:00.000 +0000",)),
    ok(TO_TIMESTAMP, "SELECT TO_TIMESTAMP_TZ('2024-01-02 16:00:00Z')", ("2024-01-02 16:00:00.000 +0000",)),
    refused(DATETIME, "SELECT '2024-01-01 10:00:00 +09:00'::TIMESTAMP_TZ"),
    refused(TO_TIMESTAMP, "SELECT TO_TIMESTAMP_TZ('2024-01-01 10:00:00 -07:00')"),
    refused(TO_TIMESTAMP, "SELECT TO_TIMESTAMP_TZ(column1) FROM VALUES ('2024-01-01T10:00:00+0900')"),
    # ... but where only its instant counts (CONVERT_TIMEZONE's 2-argument form), any offset is exact
    ok(CONVERT_TIMEZONE, "SELECT CONVERT_TIMEZONE('UTC', TO_TIMESTAMP_TZ('2024-01-01 10:00:00 +09:00'))::TIMESTAMP_NTZ",
       ("2024-01-01 01:00:00.000",)),
    ok(CONVERT_TIMEZONE, "SELECT CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(column1))::TIMESTAMP_NTZ "
       "FROM VALUES ('2024-01-01T10:00:00-07:00')", ("2024-01-01 17:00:00.000",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
