"""INFORMATION_SCHEMA views per database, and the task table functions.

Snowflake's ``DB.INFORMATION_SCHEMA`` is stored as DuckDB schema ``"DB.INFORMATION_SCHEMA"`` holding
views over DuckDB's catalog, created with the database. ``TABLE(DB.INFORMATION_SCHEMA.TASK_HISTORY(...))``
and ``TASK_DEPENDENTS`` are DuckDB table macros taking the database as first argument (the translator
adds it) and Snowflake's argument names.
"""

from __future__ import annotations

from .alerts import ALERTS_SQL
from .coltypes import MACROS_SQL as COLTYPES_SQL
from .model import ROW_ID
from .names import INTERNAL_SCHEMA, quote

_S = quote(INTERNAL_SCHEMA)

MACROS_SQL = (
    f"""
CREATE OR REPLACE MACRO SF_TASK_HISTORY(
    db, SCHEDULED_TIME_RANGE_START := NULL, SCHEDULED_TIME_RANGE_END := NULL, RESULT_LIMIT := 100,
    TASK_NAME := NULL, ERROR_ONLY := FALSE, ROOT_TASK_ID := NULL
) AS TABLE
    -- Columns are qualified: an unqualified name equal to a macro argument (ROOT_TASK_ID,
    -- TASK_NAME) would be replaced by the argument's value.
    SELECT h.QUERY_ID, h.NAME, h.DATABASE_NAME, h.SCHEMA_NAME, h.QUERY_TEXT, h.CONDITION_TEXT, h.STATE,
           h.ERROR_CODE, h.ERROR_MESSAGE, h.SCHEDULED_TIME, h.QUERY_START_TIME, h.NEXT_SCHEDULED_TIME,
           h.COMPLETED_TIME, h.ROOT_TASK_ID, h.GRAPH_VERSION, h.RUN_ID, h.RETURN_VALUE, h.SCHEDULED_FROM,
           h.ATTEMPT_NUMBER, h.CONFIG, h.GRAPH_RUN_GROUP_ID
    FROM {_S}.TASK_HISTORY AS h
    WHERE h.DATABASE_NAME = db
      AND (SCHEDULED_TIME_RANGE_START IS NULL OR h.SCHEDULED_TIME >= CAST(SCHEDULED_TIME_RANGE_START AS TIMESTAMP))
      AND (SCHEDULED_TIME_RANGE_END IS NULL OR h.SCHEDULED_TIME < CAST(SCHEDULED_TIME_RANGE_END AS TIMESTAMP))
      AND (TASK_NAME IS NULL OR h.NAME = upper(TASK_NAME))
      AND (NOT ERROR_ONLY OR h.STATE IN ('FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED'))
      AND (ROOT_TASK_ID IS NULL OR h.ROOT_TASK_ID = ROOT_TASK_ID)
    ORDER BY h.SCHEDULED_TIME DESC, h.RUN_ID DESC, h.QUERY_START_TIME DESC NULLS LAST
    LIMIT least(RESULT_LIMIT, 10000);

-- One row per completed graph run of the last 60 minutes, newest completed first (complete_task_graphs):
-- SUCCEEDED unless a task failed (FAILED) or was cancelled (CANCELLED); no row when the root was skipped.
CREATE OR REPLACE MACRO SF_COMPLETE_TASK_GRAPHS(
    db, RESULT_LIMIT := 1000, ROOT_TASK_NAME := NULL, ERROR_ONLY := FALSE
) AS TABLE
    WITH runs AS (
        SELECT h.ROOT_TASK_ID AS root_id, h.RUN_ID AS run_id,
               bool_or(h.STATE = 'EXECUTING') AS executing,
               bool_or(h.TASK_ID = h.ROOT_TASK_ID AND h.STATE = 'SKIPPED') AS root_skipped,
               bool_or(h.STATE LIKE 'FAILED%') AS failed,
               bool_or(h.STATE = 'CANCELLED') AS cancelled,
               arg_min(h.NAME, h.COMPLETED_TIME) FILTER (WHERE h.STATE LIKE 'FAILED%') AS first_error_task,
               arg_min(h.ERROR_CODE, h.COMPLETED_TIME) FILTER (WHERE h.STATE LIKE 'FAILED%') AS first_error_code,
               arg_min(h.ERROR_MESSAGE, h.COMPLETED_TIME) FILTER (WHERE h.STATE LIKE 'FAILED%') AS first_error_message,
               min(h.SCHEDULED_TIME) AS scheduled_time, min(h.QUERY_START_TIME) AS query_start_time,
               max(h.COMPLETED_TIME) AS completed_time, any_value(h.SCHEDULED_FROM) AS scheduled_from,
               max(h.GRAPH_VERSION) AS graph_version, max(h.ATTEMPT_NUMBER) AS attempt_number,
               any_value(h.CONFIG) AS config, any_value(h.GRAPH_RUN_GROUP_ID) AS graph_run_group_id,
               any_value(h.DATABASE_NAME) AS database_name, any_value(h.SCHEMA_NAME) AS schema_name,
               any_value(h.NAME) FILTER (WHERE h.TASK_ID = h.ROOT_TASK_ID) AS root_name
        FROM {_S}.TASK_HISTORY AS h
        WHERE h.DATABASE_NAME = db AND h.STATE <> 'SCHEDULED'
        GROUP BY h.ROOT_TASK_ID, h.RUN_ID
    )
    SELECT coalesce(r.root_name, t.NAME) AS ROOT_TASK_NAME, r.database_name AS DATABASE_NAME,
           r.schema_name AS SCHEMA_NAME,
           CASE WHEN r.failed THEN 'FAILED' WHEN r.cancelled THEN 'CANCELLED' ELSE 'SUCCEEDED' END AS STATE,
           r.scheduled_from AS SCHEDULED_FROM, r.first_error_task AS FIRST_ERROR_TASK_NAME,
           TRY_CAST(r.first_error_code AS BIGINT) AS FIRST_ERROR_CODE, r.first_error_message AS FIRST_ERROR_MESSAGE,
           r.scheduled_time AS SCHEDULED_TIME, r.query_start_time AS QUERY_START_TIME,
           NULL::TIMESTAMP AS NEXT_SCHEDULED_TIME, r.completed_time AS COMPLETED_TIME, r.root_id AS ROOT_TASK_ID,
           r.graph_version AS GRAPH_VERSION, r.run_id AS RUN_ID, r.attempt_number AS ATTEMPT_NUMBER,
           r.config AS CONFIG, r.graph_run_group_id AS GRAPH_RUN_GROUP_ID
    FROM runs AS r
    LEFT JOIN {_S}.TASKS AS t ON t.ID = r.root_id
    WHERE NOT r.executing AND NOT r.root_skipped
      AND r.completed_time >= CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) - INTERVAL 60 MINUTE
      AND (ROOT_TASK_NAME IS NULL OR upper(coalesce(r.root_name, t.NAME)) = upper(ROOT_TASK_NAME))
      AND (NOT ERROR_ONLY OR r.failed OR r.cancelled)
    ORDER BY r.completed_time DESC
    LIMIT least(RESULT_LIMIT, 10000);

-- Graph runs executing now, and each started root's next SCHEDULED run within 8 days (current_task_graphs),
-- newest scheduled first.
CREATE OR REPLACE MACRO SF_CURRENT_TASK_GRAPHS(db, RESULT_LIMIT := 1000, ROOT_TASK_NAME := NULL) AS TABLE
    WITH runs AS (
        SELECT h.ROOT_TASK_ID AS root_id, h.RUN_ID AS run_id,
               CASE WHEN bool_or(h.STATE = 'SCHEDULED') THEN 'SCHEDULED' ELSE 'EXECUTING' END AS state,
               min(h.SCHEDULED_TIME) AS scheduled_time, min(h.QUERY_START_TIME) AS query_start_time,
               any_value(h.SCHEDULED_FROM) AS scheduled_from, max(h.GRAPH_VERSION) AS graph_version,
               max(h.ATTEMPT_NUMBER) AS attempt_number, any_value(h.CONFIG) AS config,
               any_value(h.GRAPH_RUN_GROUP_ID) AS graph_run_group_id,
               any_value(h.DATABASE_NAME) AS database_name, any_value(h.SCHEMA_NAME) AS schema_name
        FROM {_S}.TASK_HISTORY AS h
        WHERE h.DATABASE_NAME = db
        GROUP BY h.ROOT_TASK_ID, h.RUN_ID  -- a SCHEDULED row has no RUN_ID yet: a run of its own
        HAVING bool_or(h.STATE IN ('SCHEDULED', 'EXECUTING'))
    )
    SELECT t.NAME AS ROOT_TASK_NAME, r.database_name AS DATABASE_NAME, r.schema_name AS SCHEMA_NAME,
           r.state AS STATE, r.scheduled_from AS SCHEDULED_FROM, r.scheduled_time AS SCHEDULED_TIME,
           r.query_start_time AS QUERY_START_TIME, NULL::TIMESTAMP AS NEXT_SCHEDULED_TIME,
           r.root_id AS ROOT_TASK_ID, r.graph_version AS GRAPH_VERSION, r.run_id AS RUN_ID,
           r.attempt_number AS ATTEMPT_NUMBER, r.config AS CONFIG, r.graph_run_group_id AS GRAPH_RUN_GROUP_ID
    FROM runs AS r
    JOIN {_S}.TASKS AS t ON t.ID = r.root_id
    WHERE r.scheduled_time <= CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) + INTERVAL 8 DAY
      AND (ROOT_TASK_NAME IS NULL OR upper(t.NAME) = upper(ROOT_TASK_NAME))
    ORDER BY r.scheduled_time DESC
    LIMIT least(RESULT_LIMIT, 10000);

CREATE OR REPLACE MACRO SF_GENERATOR(db, ROWCOUNT := 0, TIMELIMIT := NULL) AS TABLE
    SELECT range AS SEQ FROM range(ROWCOUNT);

CREATE OR REPLACE MACRO SF_TASK_DEPENDENTS(db, TASK_NAME := NULL, RECURSIVE := TRUE) AS TABLE
    WITH RECURSIVE
    root AS (
        SELECT * FROM {_S}.TASKS
        WHERE DATABASE_NAME || '.' || SCHEMA_NAME || '.' || NAME = upper(TASK_NAME)
           OR (DATABASE_NAME = db AND NAME = upper(TASK_NAME))
        LIMIT 1
    ),
    walk(ID, DEPTH) AS (
        SELECT ID, 0 FROM root
        UNION ALL
        SELECT t.ID, w.DEPTH + 1
        FROM walk AS w
        JOIN {_S}.TASKS AS p ON p.ID = w.ID
        JOIN {_S}.TASKS AS t
          ON list_contains(
                CAST(json_extract_string(t.PREDECESSORS, '$[*]') AS VARCHAR[]),
                p.DATABASE_NAME || '.' || p.SCHEMA_NAME || '.' || p.NAME)
        WHERE RECURSIVE OR w.DEPTH = 0
    )
    SELECT t.CREATED_ON AS created_on, t.NAME AS name, t.ID AS id, t.DATABASE_NAME AS database_name,
           t.SCHEMA_NAME AS schema_name, t.OWNER AS owner, t.COMMENT AS comment, t.WAREHOUSE AS warehouse,
           t.SCHEDULE AS schedule, t.PREDECESSORS AS predecessors, t.STATE AS state,
           t.DEFINITION AS definition, t.CONDITION AS condition
    FROM (SELECT ID, min(DEPTH) AS DEPTH FROM walk GROUP BY ID) AS w
    JOIN {_S}.TASKS AS t ON t.ID = w.ID
    ORDER BY w.DEPTH, t.NAME;
"""
    + COLTYPES_SQL
    + ALERTS_SQL
)  # spelled column types (caves/local/coltypes.py); alert tables, ALERT_HISTORY(), NOTIFICATION_OUTBOX() (caves/local/alerts.py)


_MAX_VARCHAR = 16777216
# The columns each page lists as "Not applicable for Snowflake": always NULL.
_NOT_APPLICABLE_TABLES = "".join(
    f"NULL::VARCHAR AS {c}, "
    for c in ("SELF_REFERENCING_COLUMN_NAME", "REFERENCE_GENERATION", "USER_DEFINED_TYPE_CATALOG",
              "USER_DEFINED_TYPE_SCHEMA", "USER_DEFINED_TYPE_NAME", "IS_INSERTABLE_INTO", "IS_TYPED", "COMMIT_ACTION")
)  # fmt: skip
_NOT_APPLICABLE_COLUMNS = "".join(
    f"NULL::{'BIGINT' if c.endswith(('PRECISION', 'CARDINALITY')) else 'VARCHAR'} AS {c}, "
    for c in ("DATETIME_PRECISION", "INTERVAL_TYPE", "INTERVAL_PRECISION", "CHARACTER_SET_CATALOG",
              "CHARACTER_SET_SCHEMA", "CHARACTER_SET_NAME", "COLLATION_CATALOG", "COLLATION_SCHEMA", "COLLATION_NAME",
              "DOMAIN_CATALOG", "DOMAIN_SCHEMA", "DOMAIN_NAME", "UDT_CATALOG", "UDT_SCHEMA", "UDT_NAME",
              "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_NAME", "MAXIMUM_CARDINALITY", "DTD_IDENTIFIER")
)  # fmt: skip


def information_schema_sql(database: str) -> str:
    """The INFORMATION_SCHEMA views of one database."""
    schema = quote(f"{database}.INFORMATION_SCHEMA")
    db = "'" + database.replace("'", "''") + "'"
    prefix = "'" + database.replace("'", "''") + ".'"

    def owned(alias: str = "") -> str:
        a = f"{alias}." if alias else ""
        return (
            f"starts_with({a}schema_name, {prefix}) AND {a}schema_name <> {prefix} || 'INFORMATION_SCHEMA'"
            f" AND {a}database_name = current_database()"
        )

    rid = "'" + ROW_ID + "'"
    return f"""
CREATE SCHEMA IF NOT EXISTS {schema};
CREATE OR REPLACE VIEW {schema}.SCHEMATA AS
    SELECT {db} AS CATALOG_NAME, substr(schema_name, length({prefix}) + 1) AS SCHEMA_NAME,
           NULL::VARCHAR AS SCHEMA_OWNER, NULL::TIMESTAMP AS CREATED, NULL::VARCHAR AS COMMENT
    FROM duckdb_schemas() WHERE starts_with(schema_name, {prefix}) AND database_name = current_database();
CREATE OR REPLACE VIEW {schema}.DATABASES AS
    -- https://docs.snowflake.com/en/sql-reference/info-schema/databases: every database of the account
    SELECT NAME AS DATABASE_NAME, 'SYSADMIN' AS DATABASE_OWNER, COMMENT, CREATED_ON AS CREATED,
           1 AS RETENTION_TIME, 'STANDARD' AS TYPE, 'ROLE' AS OWNER_ROLE_TYPE
    FROM {_S}.DATABASES;
CREATE OR REPLACE VIEW {schema}.TABLES AS
    -- https://docs.snowflake.com/en/sql-reference/info-schema/tables ("Not applicable" columns are NULL)
    SELECT {db} AS TABLE_CATALOG, substr(t.schema_name, length({prefix}) + 1) AS TABLE_SCHEMA,
           t.table_name AS TABLE_NAME, 'SYSADMIN' AS TABLE_OWNER, 'BASE TABLE' AS TABLE_TYPE,
           t.estimated_size AS ROW_COUNT, NULL::BIGINT AS BYTES, 1 AS RETENTION_TIME, {_NOT_APPLICABLE_TABLES}
           r.CREATED_ON AS CREATED, coalesce(r.COMMENT, t.comment) AS COMMENT
    FROM duckdb_tables() AS t
    LEFT JOIN {_S}.TABLES AS r ON r.DATABASE_NAME = {db} AND t.schema_name = {prefix} || r.SCHEMA_NAME
        AND r.NAME = t.table_name
    WHERE {owned("t")}
    UNION ALL
    SELECT {db}, substr(schema_name, length({prefix}) + 1), view_name, 'SYSADMIN', 'VIEW', NULL, NULL, NULL,
           {_NOT_APPLICABLE_TABLES} NULL, comment
    FROM duckdb_views() WHERE {owned()} AND NOT internal;
CREATE OR REPLACE VIEW {schema}.VIEWS AS
    -- https://docs.snowflake.com/en/sql-reference/info-schema/views: VIEW_DEFINITION is the CREATE VIEW statement
    -- as written (NULL for a view made before the engine recorded it)
    SELECT {db} AS TABLE_CATALOG, substr(v.schema_name, length({prefix}) + 1) AS TABLE_SCHEMA,
           v.view_name AS TABLE_NAME, 'SYSADMIN' AS TABLE_OWNER, x.TEXT AS VIEW_DEFINITION,
           v.comment AS COMMENT
    FROM duckdb_views() AS v
    LEFT JOIN {_S}.VIEW_TEXTS AS x ON x.DATABASE_NAME = {db} AND v.schema_name = {prefix} || x.SCHEMA_NAME
        AND x.NAME = v.view_name
    WHERE {owned("v")} AND NOT v.internal;
CREATE OR REPLACE VIEW {schema}.COLUMNS AS
    -- https://docs.snowflake.com/en/sql-reference/info-schema/columns, from the declared types (coltypes.py)
    WITH c AS (
        SELECT c.schema_name, c.table_name, c.column_name, c.column_index, c.is_nullable,
               CASE WHEN r.COLUMN_NAME IS NOT NULL THEN r.DEFAULT_TEXT ELSE c.column_default END AS column_default,
               coalesce(r.DATA_TYPE, SF_SPELLED_TYPE(c.data_type)) AS spelled, r.COMMENT AS comment
        FROM duckdb_columns() AS c
        LEFT JOIN {_S}.COLUMNS AS r ON r.DATABASE_NAME = {db} AND c.schema_name = {prefix} || r.SCHEMA_NAME
            AND r.TABLE_NAME = c.table_name AND r.COLUMN_NAME = c.column_name
        WHERE {owned("c")} AND c.column_name <> {rid}
    )
    SELECT {db} AS TABLE_CATALOG, substr(schema_name, length({prefix}) + 1) AS TABLE_SCHEMA,
           table_name AS TABLE_NAME, column_name AS COLUMN_NAME,
           row_number() OVER (PARTITION BY schema_name, table_name ORDER BY column_index) AS ORDINAL_POSITION,
           column_default AS COLUMN_DEFAULT, CASE WHEN is_nullable THEN 'YES' ELSE 'NO' END AS IS_NULLABLE,
           SF_DATA_TYPE(spelled) AS DATA_TYPE,
           CASE WHEN SF_DATA_TYPE(spelled) IN ('TEXT', 'BINARY') THEN SF_TYPE_ARG(spelled, 1) END
               AS CHARACTER_MAXIMUM_LENGTH,
           -- a character takes up to 4 bytes, within the largest string's 16 MB
           CASE WHEN SF_DATA_TYPE(spelled) = 'TEXT' THEN least(4 * SF_TYPE_ARG(spelled, 1), {_MAX_VARCHAR})
                WHEN SF_DATA_TYPE(spelled) = 'BINARY' THEN SF_TYPE_ARG(spelled, 1) END AS CHARACTER_OCTET_LENGTH,
           CASE WHEN SF_DATA_TYPE(spelled) = 'NUMBER' THEN SF_TYPE_ARG(spelled, 1) END AS NUMERIC_PRECISION,
           CASE WHEN SF_DATA_TYPE(spelled) = 'NUMBER' THEN 10 END AS NUMERIC_PRECISION_RADIX,
           CASE WHEN SF_DATA_TYPE(spelled) = 'NUMBER' THEN SF_TYPE_ARG(spelled, 2) END AS NUMERIC_SCALE,
           {_NOT_APPLICABLE_COLUMNS}
           comment AS COMMENT
    FROM c;
"""
