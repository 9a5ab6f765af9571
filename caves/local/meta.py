"""The engine's own catalog, kept in the warehouse file in the DuckDB schema ``_CAVES``.

It holds what DuckDB has no notion of: Snowflake databases, the change-version counter, tracked
tables and their change logs, streams and their offsets, tasks and their run history. Living in
the same DuckDB file as the data is what makes "advance the offset when the consuming DML
commits" a single atomic DuckDB transaction.
"""

from __future__ import annotations

from .names import INTERNAL_SCHEMA, quote

SCHEMA_VERSION = 13  # 9: alerts (caves/local/alerts.py); 10: SCHEDULED rows, graph views, change-log times;
# 11: declared column types and view texts (caves/local/coltypes.py), fuller INFORMATION_SCHEMA views
# 12: sequences (caves/local/sequences.py)
# 13: PARSE_JSON / TYPEOF / TO_TIMESTAMP_TZ macros (exponent numbers are DOUBLE, flat objects checked natively)
# From this version on, TIMESTAMP_NTZ / TIMESTAMP_TZ columns are stored with nanoseconds (TIMESTAMP_NS /
# TIMESTAMPTZ_NS): an older warehouse's microsecond columns are widened when the engine first opens it.
NANOSECOND_TIMESTAMPS_SINCE = 8

_S = quote(INTERNAL_SCHEMA)

BOOTSTRAP_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {_S};
CREATE TABLE IF NOT EXISTS {_S}.STATE (
    SCHEMA_VERSION INTEGER, CHANGE_VERSION BIGINT, CATALOG_VERSION BIGINT, STATEMENT_SEQ BIGINT
);
CREATE TABLE IF NOT EXISTS {_S}.DATABASES (NAME VARCHAR, CREATED_ON TIMESTAMP, COMMENT VARCHAR);
CREATE TABLE IF NOT EXISTS {_S}.SCHEMAS (DATABASE_NAME VARCHAR, NAME VARCHAR, CREATED_ON TIMESTAMP, COMMENT VARCHAR);
CREATE TABLE IF NOT EXISTS {_S}.TABLES (
    DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, KIND VARCHAR, CREATED_ON TIMESTAMP,
    COMMENT VARCHAR, CLUSTER_BY VARCHAR, CHANGE_TRACKING BOOLEAN, CAPTURE VARCHAR, TABLE_ID BIGINT
);
CREATE TABLE IF NOT EXISTS {_S}.STREAMS (
    DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, TABLE_FQN VARCHAR, MODE VARCHAR,
    SHOW_INITIAL_ROWS BOOLEAN, INITIAL_PENDING BOOLEAN, OFFSET_VERSION BIGINT, CREATED_ON TIMESTAMP,
    LAST_CONSUMED_ON TIMESTAMP, COMMENT VARCHAR, STALE BOOLEAN, INVALID_REASON VARCHAR
);
CREATE TABLE IF NOT EXISTS {_S}.TASKS (
    ID VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, CREATED_ON TIMESTAMP,
    OWNER VARCHAR, COMMENT VARCHAR, WAREHOUSE VARCHAR, SCHEDULE VARCHAR, PREDECESSORS VARCHAR,
    STATE VARCHAR, DEFINITION VARCHAR, CONDITION VARCHAR, ALLOW_OVERLAPPING_EXECUTION BOOLEAN,
    SUSPEND_TASK_AFTER_NUM_FAILURES INTEGER, TASK_AUTO_RETRY_ATTEMPTS INTEGER, USER_TASK_TIMEOUT_MS BIGINT,
    CONFIG VARCHAR, FINALIZE VARCHAR, LAST_COMMITTED_ON TIMESTAMP, LAST_SUSPENDED_ON TIMESTAMP,
    LAST_SUSPENDED_REASON VARCHAR, SCHEDULE_ANCHOR TIMESTAMP, LAST_SCHEDULED_TIME TIMESTAMP,
    CONSECUTIVE_FAILURES INTEGER, GRAPH_VERSION INTEGER
);
CREATE TABLE IF NOT EXISTS {_S}.TASK_HISTORY (
    QUERY_ID VARCHAR, NAME VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, QUERY_TEXT VARCHAR,
    CONDITION_TEXT VARCHAR, STATE VARCHAR, ERROR_CODE VARCHAR, ERROR_MESSAGE VARCHAR,
    SCHEDULED_TIME TIMESTAMP, QUERY_START_TIME TIMESTAMP, NEXT_SCHEDULED_TIME TIMESTAMP,
    COMPLETED_TIME TIMESTAMP, ROOT_TASK_ID VARCHAR, GRAPH_VERSION INTEGER, RUN_ID BIGINT,
    RETURN_VALUE VARCHAR, SCHEDULED_FROM VARCHAR, ATTEMPT_NUMBER INTEGER, CONFIG VARCHAR,
    GRAPH_RUN_GROUP_ID VARCHAR, TASK_ID VARCHAR
);
CREATE TABLE IF NOT EXISTS {_S}.GRAPH_RUNS (ROOT_ID VARCHAR, RUNNING_OWNER VARCHAR);
-- When each change version was taken (CHANGES ... AT/END(TIMESTAMP|OFFSET) reads the log between two times).
CREATE TABLE IF NOT EXISTS {_S}.VERSION_TIMES (VERSION BIGINT, TAKEN_AT TIMESTAMP);
-- Per tracked table, where its change log starts: after FLOOR_VERSION (entries pruned up to it) and at
-- FLOOR_TIME (tracking enabled, or extended to all changes).
CREATE TABLE IF NOT EXISTS {_S}.LOG_FLOORS (TABLE_FQN VARCHAR, FLOOR_VERSION BIGINT, FLOOR_TIME TIMESTAMP);
-- Per column of a table or view, as its DDL declared it (caves/local/coltypes.py): DuckDB keeps no lengths or keys.
CREATE TABLE IF NOT EXISTS {_S}.COLUMNS (
    DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, TABLE_NAME VARCHAR, COLUMN_NAME VARCHAR, DATA_TYPE VARCHAR,
    DEFAULT_TEXT VARCHAR, PK_SEQ INTEGER, PK_NAME VARCHAR, UNIQUE_KEY BOOLEAN, COMMENT VARCHAR
);
-- A view's CREATE VIEW statement as the user wrote it (INFORMATION_SCHEMA.VIEWS.VIEW_DEFINITION).
CREATE TABLE IF NOT EXISTS {_S}.VIEW_TEXTS (DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, TEXT VARCHAR);
CREATE SEQUENCE IF NOT EXISTS {_S}.TABLE_IDS;
CREATE SEQUENCE IF NOT EXISTS {_S}.RUN_IDS;
INSERT INTO {_S}.STATE SELECT {SCHEMA_VERSION}, 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM {_S}.STATE);
-- Snowflake sequences (caves/local/sequences.py): the DuckDB sequence STORAGE_NAME in schema "DB.SCHEMA" draws the
-- values; the Snowflake name, the ORDER flag and the comment are kept here.
CREATE TABLE IF NOT EXISTS {_S}.SEQUENCES (
    DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, STORAGE_NAME VARCHAR, ORDERED BOOLEAN, COMMENT VARCHAR,
    CREATED_ON TIMESTAMP
);
"""

# Snowflake functions DuckDB lacks, as macros. They live in DuckDB's default schema so that the
# translated SQL can call them unqualified. Names that clash with DuckDB built-ins get an SF_ prefix.
MACROS_SQL = """
CREATE OR REPLACE MACRO SF_TYPEOF(j) AS CASE
    WHEN j IS NULL THEN NULL
    WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN 'INTEGER'
    WHEN json_type(j) = 'DOUBLE' THEN CASE WHEN regexp_matches(CAST(j AS VARCHAR), '[eE]') THEN 'DOUBLE'
                                           ELSE 'DECIMAL' END
    WHEN json_type(j) = 'NULL' THEN 'NULL_VALUE'
    ELSE json_type(j) END;
CREATE OR REPLACE MACRO IS_INTEGER(j) AS json_type(j) IN ('BIGINT', 'UBIGINT');
CREATE OR REPLACE MACRO IS_DECIMAL(j) AS CASE json_type(j)
    WHEN 'BIGINT' THEN TRUE WHEN 'UBIGINT' THEN TRUE
    WHEN 'DOUBLE' THEN NOT regexp_matches(CAST(j AS VARCHAR), '[eE]') ELSE FALSE END;
CREATE OR REPLACE MACRO IS_DOUBLE(j) AS json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE');
CREATE OR REPLACE MACRO IS_REAL(j) AS json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE');
CREATE OR REPLACE MACRO IS_VARCHAR(j) AS json_type(j) = 'VARCHAR';
CREATE OR REPLACE MACRO IS_BOOLEAN(j) AS json_type(j) = 'BOOLEAN';
CREATE OR REPLACE MACRO IS_OBJECT(j) AS json_type(j) = 'OBJECT';
CREATE OR REPLACE MACRO IS_ARRAY(j) AS json_type(j) = 'ARRAY';
CREATE OR REPLACE MACRO IS_NULL_VALUE(j) AS json_type(j) = 'NULL';
-- A timestamp text's UTC offset ('+09:00', '-0700'), and the text as DuckDB reads it (no space before the offset).
CREATE OR REPLACE MACRO SF_TS_OFFSET(t) AS regexp_extract(t, '\\d:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?\\s*([+-]\\d{2}(?::?\\d{2})?)$', 1);
CREATE OR REPLACE MACRO SF_TS_TEXT(t) AS regexp_replace(t, '\\s+([+-]\\d{2}(:?\\d{2})?)$', '\\1');
-- A TIMESTAMP_TZ keeps the offset it was given; DuckDB's TIMESTAMPTZ keeps the instant only: refused unless 0.
CREATE OR REPLACE MACRO SF_TZ_TEXT(t) AS CASE
    WHEN regexp_matches(SF_TS_OFFSET(t), '[1-9]') THEN error(concat('Unsupported statement in the local engine: ',
        'TIMESTAMP_TZ of ', chr(39), t, chr(39), ' (a TIMESTAMP_TZ keeps its UTC offset; the local engine keeps UTC only)'))
    ELSE SF_TS_TEXT(t) END;
CREATE OR REPLACE MACRO SF_TRY_TO_TIMESTAMP_TZ(s) AS TRY_CAST(SF_TZ_TEXT(CAST(s AS VARCHAR)) AS TIMESTAMPTZ_NS);
-- Where only the instant counts (CONVERT_TIMEZONE(tz, TO_TIMESTAMP_TZ(...))), any offset is exact.
CREATE OR REPLACE MACRO SF_TRY_TO_TIMESTAMP_TZ_INSTANT(s) AS TRY_CAST(SF_TS_TEXT(CAST(s AS VARCHAR)) AS TIMESTAMPTZ_NS);
CREATE OR REPLACE MACRO SF_TO_TIMESTAMP_TZ_INSTANT(s) AS CAST(SF_TS_TEXT(CAST(s AS VARCHAR)) AS TIMESTAMPTZ_NS);
CREATE OR REPLACE MACRO SF_TRY_TO_TIMESTAMP_NTZ(s) AS TRY_CAST(CAST(s AS VARCHAR) AS TIMESTAMP_NS);
CREATE OR REPLACE MACRO SF_TO_TIMESTAMP_TZ(s) AS CAST(SF_TZ_TEXT(CAST(s AS VARCHAR)) AS TIMESTAMPTZ_NS);
CREATE OR REPLACE MACRO SF_TO_TIMESTAMP_NTZ(s) AS CAST(CAST(s AS VARCHAR) AS TIMESTAMP_NS);
CREATE OR REPLACE MACRO SF_TRY_TO_NUMBER(s) AS TRY_CAST(CAST(s AS VARCHAR) AS DOUBLE);
CREATE OR REPLACE MACRO SF_TRY_TO_DATE(s) AS TRY_CAST(CAST(s AS VARCHAR) AS DATE);
CREATE OR REPLACE MACRO SF_UUID_STRING() AS CAST(uuid() AS VARCHAR);
CREATE OR REPLACE MACRO SF_JSON_BLANK(s) AS trim(CAST(s AS VARCHAR), ' ' || chr(9) || chr(10) || chr(13)) = '';
-- Whether a valid JSON text may hold a key twice in one object (then CAVES_JSON_DUPLICATE_KEY, in Python, says):
-- not without an object; for a flat object (its one '{'), DuckDB's json_keys answers without Python.
CREATE OR REPLACE MACRO SF_JSON_MAY_REPEAT_KEY(s) AS CASE
    WHEN NOT contains(s, '{') THEN FALSE
    WHEN length(s) - length(replace(s, '{', '')) = 1 AND json_type(s) = 'OBJECT'
        THEN len(json_keys(s)) <> len(list_distinct(json_keys(s)))
    ELSE TRUE END;
-- A number written with an exponent anywhere in the text (a DOUBLE in Snowflake's VARIANT), or a string like one.
CREATE OR REPLACE MACRO SF_JSON_EXPONENT(s) AS regexp_matches(s, '[0-9][eE][+-]?[0-9]');
-- What json() would not read as Snowflake does: a number written with an exponent (after '[', ':' or ','), a
-- trailing comma (Snowflake keeps an undefined element), NaN / Infinity. Such texts go through Python.
CREATE OR REPLACE MACRO SF_JSON_SPECIAL(s) AS
    regexp_matches(s, '(^|[\\[:,])\\s*-?[0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]|,\\s*[\\]}]|NaN|Infinity');
-- The text as Snowflake shows it (CAVES_JSON_SNOWFLAKE_TEXT refuses lenient JSON); NaN / Infinity / 1e400 are no JSON.
CREATE OR REPLACE MACRO SF_JSON_SNOWFLAKE(s) AS CAST(coalesce(CAVES_JSON_SNOWFLAKE_TEXT(s), error(concat(
    'Error parsing JSON: not strict JSON (NaN, Infinity or a number out of range): ', left(s, 60)))) AS JSON);
-- (A blank text is no valid JSON: it is looked for only in an invalid one. The conditions of one WHEN are evaluated
-- in order, each on the rows the previous ones kept: the Python functions run on few rows.)
CREATE OR REPLACE MACRO SF_PARSE_JSON(s) AS CASE
    WHEN s IS NULL THEN NULL
    WHEN NOT json_valid(s) THEN CASE WHEN SF_JSON_BLANK(s) THEN NULL ELSE json(s) END
    WHEN SF_JSON_MAY_REPEAT_KEY(s) AND CAVES_JSON_DUPLICATE_KEY(s) IS NOT NULL
        THEN error(concat('Error parsing JSON: duplicate field key ', chr(39), CAVES_JSON_DUPLICATE_KEY(s), chr(39)))
    WHEN SF_JSON_SPECIAL(s) THEN SF_JSON_SNOWFLAKE(s)
    ELSE json(s) END;
CREATE OR REPLACE MACRO SF_PARSE_JSON_D(s) AS CASE
    WHEN s IS NULL THEN NULL
    WHEN NOT json_valid(s) THEN CASE WHEN SF_JSON_BLANK(s) THEN NULL ELSE json(s) END
    WHEN SF_JSON_SPECIAL(s) THEN SF_JSON_SNOWFLAKE(s)
    WHEN SF_JSON_MAY_REPEAT_KEY(s) AND CAVES_JSON_DUPLICATE_KEY(s) IS NOT NULL THEN json(CAVES_JSON_LAST_WINS(s))
    ELSE json(s) END;
-- TRY_PARSE_JSON keeps the text as given (TYPEOF sees its exponents); one Python call checks what DuckDB cannot.
CREATE OR REPLACE MACRO SF_TRY_PARSE_JSON(s) AS CASE
    WHEN s IS NULL OR NOT json_valid(s) THEN NULL
    WHEN SF_JSON_MAY_REPEAT_KEY(s) THEN CASE WHEN CAVES_JSON_TRY_OK(s) THEN CAST(s AS JSON) END
    WHEN SF_JSON_SPECIAL(s) THEN CAST(CAVES_JSON_TRY_TEXT(s) AS JSON)
    ELSE CAST(s AS JSON) END;
CREATE OR REPLACE MACRO SF_TRY_PARSE_JSON_D(s) AS CASE
    WHEN s IS NULL OR NOT json_valid(s) THEN NULL
    WHEN SF_JSON_MAY_REPEAT_KEY(s) AND NOT CAVES_JSON_TRY_OK(s) THEN CAST(CAVES_JSON_TRY_TEXT_D(s) AS JSON)
    WHEN SF_JSON_MAY_REPEAT_KEY(s) THEN CAST(s AS JSON)
    WHEN SF_JSON_SPECIAL(s) THEN CAST(CAVES_JSON_TRY_TEXT_D(s) AS JSON)
    ELSE CAST(s AS JSON) END;
-- TYPEOF(v:path): DuckDB rewrites a real read by path (1.5e3 -> 1500.0), so DOUBLE and DECIMAL look alike; when the
-- VARIANT read holds an exponent anywhere, TYPEOF of a real read from it is refused rather than guessed.
CREATE OR REPLACE MACRO SF_TYPEOF_PATH(j, src) AS CASE
    WHEN json_type(j) = 'DOUBLE' AND SF_JSON_EXPONENT(src) THEN error('Unsupported statement in the local engine: '
        || 'TYPEOF of a number read by path from a VARIANT holding a number with an exponent (DOUBLE or DECIMAL)')
    ELSE SF_TYPEOF(j) END;
-- A number, boolean or date given to a string function (TRIM(12)) is cast to text, as Snowflake casts it; FLOAT and
-- timestamps (whose text differs between the engines) are refused.
CREATE OR REPLACE MACRO SF_TEXT_INPUT(x) AS CASE
    WHEN typeof(x) IN ('VARCHAR', 'JSON', '"NULL"', 'BOOLEAN', 'DATE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT',
                       'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT') OR starts_with(typeof(x), 'DECIMAL')
        THEN CAST(x AS VARCHAR)
    ELSE error(concat('Unsupported statement in the local engine: a ', typeof(x), ' given to a string function '
                      || '(its text form differs from Snowflake''s; convert it with TO_VARCHAR and a format)')) END;
-- SUM(<varchar column>): an integer text as a number; a text that is no number fails as on Snowflake; one with a
-- fraction or an exponent is refused (Snowflake's number type for it, NUMBER or FLOAT, is not emulated).
CREATE OR REPLACE MACRO SF_INTEGER_TEXT(t) AS CASE
    WHEN t IS NULL THEN NULL
    WHEN regexp_full_match(t, '[+-]?[0-9]{1,18}') THEN CAST(t AS HUGEINT)
    WHEN TRY_CAST(t AS DOUBLE) IS NULL THEN error(concat('Numeric value ', chr(39), t, chr(39), ' is not recognized'))
    ELSE error(concat('Unsupported statement in the local engine: SUM of the VARCHAR ', chr(39), t, chr(39),
                      ' (a fraction or an exponent: cast the column to the number type meant)')) END;
CREATE OR REPLACE MACRO SF_TO_VARCHAR(x) AS CASE WHEN typeof(x) = 'JSON' THEN json_extract_string(CAST(x AS VARCHAR), '$')
                                             ELSE CAST(x AS VARCHAR) END;
"""
