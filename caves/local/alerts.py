"""Snowflake alerts on the local engine: CREATE/ALTER/DROP/SHOW/DESCRIBE/EXECUTE ALERT, scheduled runs, ALERT_HISTORY().

Alerts live in ``_CAVES.ALERTS``; every run leaves one row in ``_CAVES.ALERT_HISTORY`` that
``TABLE(INFORMATION_SCHEMA.ALERT_HISTORY(...))`` returns with Snowflake's columns and states, plus one
``SCHEDULED`` row for the next run of each started alert. A run evaluates the condition in a session of
its own (any rows: the action runs), as Snowflake does (references below). Notifications
(``CALL SYSTEM$SEND_EMAIL`` / ``SYSTEM$SEND_SNOWFLAKE_NOTIFICATION``) are recorded in
``_CAVES.NOTIFICATION_OUTBOX`` instead of being sent, readable with the local-only
``TABLE(INFORMATION_SCHEMA.NOTIFICATION_OUTBOX())``.

References:
- https://docs.snowflake.com/en/sql-reference/sql/create-alert (new alerts are suspended; IF (EXISTS (...)) THEN)
- https://docs.snowflake.com/en/sql-reference/sql/execute-alert (runs now, a suspended alert stays suspended)
- https://docs.snowflake.com/en/sql-reference/functions/alert_history (arguments, order, 7 days, next SCHEDULED)
- https://docs.snowflake.com/en/sql-reference/account-usage/alert_history (the STATE values)
- https://docs.snowflake.com/en/sql-reference/functions/last_successful_scheduled_time (CONDITION_FALSE or
  TRIGGERED runs; NULL when there is none)

Stated deviations: EXECUTE ALERT runs the alert before returning (Snowflake schedules it); notifications are
never sent; alerts on new data (no SCHEDULE), ``CLONE`` and tags are refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import uuid
from typing import TYPE_CHECKING, Any

import duckdb

from ..alerting import AlertDef, parse_create_alert
from ..objects import ObjectSyntaxError
from .errors import AlreadyExists, ObjectNotFound, SnowflakeError, UnsupportedStatement
from .names import INTERNAL_SCHEMA, ObjectName, like_matches, quote, resolve, split_name
from .result import Result
from .scope import show_scope
from .taskruns import owner_alive, owner_token, run_body
from .tasks import latest_due, next_run_time, parse_schedule

if TYPE_CHECKING:
    from .engine import Engine, Session

_S = quote(INTERNAL_SCHEMA)
_NAME = r'(?P<name>(?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+)){0,2})'

# Every statement this module answers (the one dispatch branch of caves/local/commands.py).
STATEMENT = re.compile(
    r"^(CREATE\s+(OR\s+REPLACE\s+)?ALERT\b|ALTER\s+ALERT\b|DROP\s+ALERT\b|SHOW\s+(TERSE\s+)?ALERTS\b"
    r"|(DESCRIBE|DESC)\s+ALERT\b|EXECUTE\s+ALERT\b|CALL\s+SYSTEM\$SEND_(EMAIL|SNOWFLAKE_NOTIFICATION)\s*\()",
    re.I | re.S,
)

STATES = (
    "SCHEDULED", "EXECUTING", "FAILED", "CANCELLED", "CONDITION_FALSE", "CONDITION_FAILED", "ACTION_FAILED",
    "TRIGGERED",
)  # fmt: skip

SHOW_ALERTS_COLUMNS = [
    "created_on", "name", "database_name", "schema_name", "owner", "comment", "warehouse", "schedule", "state",
    "condition", "action", "owner_role_type",
]  # fmt: skip

_PARAMS = {"WAREHOUSE", "SCHEDULE", "COMMENT"}
_MINUTES = re.compile(r"^\s*(\d+)\s+MINUTES?\s*$", re.I)

# The engine's tables and the table macros; registered with the INFORMATION_SCHEMA macros
# (caves/local/info_schema.py) so that a new or upgraded warehouse has them before any alert exists.
ALERTS_SQL = f"""
CREATE TABLE IF NOT EXISTS {_S}.ALERTS (
    ID VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR, NAME VARCHAR, CREATED_ON TIMESTAMP, OWNER VARCHAR,
    COMMENT VARCHAR, WAREHOUSE VARCHAR, SCHEDULE VARCHAR, STATE VARCHAR, CONDITION VARCHAR, ACTION VARCHAR,
    SCHEDULE_ANCHOR TIMESTAMP, LAST_SCHEDULED_TIME TIMESTAMP, NEXT_SCHEDULED_TIME TIMESTAMP
);
CREATE TABLE IF NOT EXISTS {_S}.ALERT_HISTORY (
    RUN_ID VARCHAR, ALERT_ID VARCHAR, NAME VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR,
    CONDITION VARCHAR, CONDITION_QUERY_ID VARCHAR, ACTION VARCHAR, ACTION_QUERY_ID VARCHAR, STATE VARCHAR,
    SQL_ERROR_CODE BIGINT, SQL_ERROR_MESSAGE VARCHAR, SCHEDULED_TIME TIMESTAMP, COMPLETED_TIME TIMESTAMP,
    SCHEDULED_FROM VARCHAR, RUNNING_OWNER VARCHAR
);
CREATE TABLE IF NOT EXISTS {_S}.NOTIFICATION_OUTBOX (
    NOTIFICATION_ID VARCHAR, SENT_AT TIMESTAMP, PROCEDURE_NAME VARCHAR, INTEGRATION_NAME VARCHAR,
    RECIPIENTS VARCHAR, SUBJECT VARCHAR, MESSAGE VARCHAR, ALERT_NAME VARCHAR
);
CREATE OR REPLACE MACRO SF_ALERT_HISTORY(
    db, SCHEDULED_TIME_RANGE_START := NULL, SCHEDULED_TIME_RANGE_END := NULL, RESULT_LIMIT := 100,
    ALERT_NAME := NULL
) AS TABLE
    SELECT NAME, DATABASE_NAME, SCHEMA_NAME, CONDITION, CONDITION_QUERY_ID, ACTION, ACTION_QUERY_ID, STATE,
           SQL_ERROR_CODE, SQL_ERROR_MESSAGE, SCHEDULED_TIME, COMPLETED_TIME, SCHEDULED_FROM
    FROM (
        SELECT h.NAME, h.DATABASE_NAME, h.SCHEMA_NAME, h.CONDITION, h.CONDITION_QUERY_ID, h.ACTION,
               h.ACTION_QUERY_ID, h.STATE, h.SQL_ERROR_CODE, h.SQL_ERROR_MESSAGE, h.SCHEDULED_TIME,
               h.COMPLETED_TIME, h.SCHEDULED_FROM
        FROM {_S}.ALERT_HISTORY AS h
        UNION ALL
        -- the next run of each started alert (the function shows it within the next 8 days)
        SELECT a.NAME, a.DATABASE_NAME, a.SCHEMA_NAME, a.CONDITION, NULL, a.ACTION, NULL, 'SCHEDULED', NULL, NULL,
               a.NEXT_SCHEDULED_TIME, NULL, 'SCHEDULE'
        FROM {_S}.ALERTS AS a
        WHERE a.STATE = 'started' AND a.NEXT_SCHEDULED_TIME IS NOT NULL
    ) AS r
    WHERE r.DATABASE_NAME = db
      AND (SCHEDULED_TIME_RANGE_START IS NULL OR r.SCHEDULED_TIME >= CAST(SCHEDULED_TIME_RANGE_START AS TIMESTAMP))
      AND (SCHEDULED_TIME_RANGE_END IS NULL OR r.SCHEDULED_TIME < CAST(SCHEDULED_TIME_RANGE_END AS TIMESTAMP))
      AND (ALERT_NAME IS NULL OR r.NAME = upper(ALERT_NAME))
    ORDER BY r.SCHEDULED_TIME DESC, r.COMPLETED_TIME DESC NULLS FIRST
    LIMIT least(RESULT_LIMIT, 10000);
CREATE OR REPLACE MACRO SF_NOTIFICATION_OUTBOX(db, RESULT_LIMIT := 100) AS TABLE
    SELECT NOTIFICATION_ID, SENT_AT, PROCEDURE_NAME, INTEGRATION_NAME, RECIPIENTS, SUBJECT, MESSAGE, ALERT_NAME
    FROM {_S}.NOTIFICATION_OUTBOX ORDER BY SENT_AT DESC LIMIT least(RESULT_LIMIT, 10000);
CREATE OR REPLACE MACRO SF_NOTIFICATION_TEXT_PLAIN(m) AS CAST(json_object('text/plain', m) AS VARCHAR);
CREATE OR REPLACE MACRO SF_NOTIFICATION_TEXT_HTML(m) AS CAST(json_object('text/html', m) AS VARCHAR);
CREATE OR REPLACE MACRO SF_NOTIFICATION_APPLICATION_JSON(m) AS CAST(json_object('application/json', m) AS VARCHAR);
CREATE OR REPLACE MACRO SF_NOTIFICATION_INTEGRATION(n) AS CAST(json_object(CAST(n AS VARCHAR), json_object()) AS VARCHAR);
CREATE OR REPLACE MACRO SF_ALERT_SCHEDULED_TIME() AS CASE
    WHEN getvariable('CAVES_ALERT_NAME') IS NULL
        THEN error('SNOWFLAKE.ALERT.SCHEDULED_TIME can only be called from within an alert.')
    ELSE CAST(getvariable('CAVES_ALERT_SCHEDULED_TIME') AS TIMESTAMPTZ) END;
CREATE OR REPLACE MACRO SF_ALERT_LAST_SUCCESSFUL_SCHEDULED_TIME() AS CASE
    WHEN getvariable('CAVES_ALERT_NAME') IS NULL
        THEN error('SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME can only be called from within an alert.')
    ELSE CAST(getvariable('CAVES_ALERT_LAST_SUCCESS') AS TIMESTAMPTZ) END;
"""

# Functions only alerts may call, and the notification helpers: written as the engine's macros.
_ALERT_FUNCTIONS = re.compile(
    r"\bSNOWFLAKE\s*\.\s*(?:ALERT\s*\.\s*(?P<alert>SCHEDULED_TIME|LAST_SUCCESSFUL_SCHEDULED_TIME)"
    r"|NOTIFICATION\s*\.\s*(?P<note>TEXT_PLAIN|TEXT_HTML|APPLICATION_JSON|INTEGRATION))\s*\(",
    re.I,
)


def _macros(text: str) -> str:
    def swap(match: re.Match) -> str:
        if match.group("alert"):
            return f"SF_ALERT_{match.group('alert').upper()}("
        return f"SF_NOTIFICATION_{match.group('note').upper()}("

    return _ALERT_FUNCTIONS.sub(swap, text)


def _ok(text: str = "Statement executed successfully.") -> Result:
    return Result.message(text)


# --- the alert catalog --------------------------------------------------------------------------------


def _row(session: Session, name: ObjectName) -> dict[str, Any] | None:
    with session.cursor() as cur:
        cur.execute(
            f"SELECT * FROM {_S}.ALERTS WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [name.database, name.schema, name.name],
        )
        cols = [d[0] for d in cur.description]
        found = cur.fetchone()
    return dict(zip(cols, found, strict=True)) if found else None


def _resolve(session: Session, text: str) -> ObjectName:
    try:
        return resolve(split_name(text), session.database, session.schema)
    except ValueError as exc:
        raise SnowflakeError(str(exc), errno=90105) from None


def _require(session: Session, text: str) -> tuple[ObjectName, dict[str, Any]]:
    name = _resolve(session, text)
    row = _row(session, name)
    if row is None:
        raise ObjectNotFound("Alert", name.fqn)
    return name, row


def check_schedule(schedule: str) -> str:
    """An alert's SCHEDULE: ``'<num> MINUTE'`` or ``'USING CRON <expr> <time zone>'`` (create-alert)."""

    minutes = _MINUTES.match(schedule)
    if minutes:
        if not 1 <= int(minutes.group(1)) <= 11520:
            raise SnowflakeError("SCHEDULE must be between 1 and 11520 minutes.", errno=2214)
        return schedule.strip()
    if not re.match(r"^\s*USING\s+CRON\s+", schedule, re.I):
        raise SnowflakeError(f"Invalid value for SCHEDULE: '{schedule}' (<num> MINUTE or USING CRON).", errno=2214)
    parse_schedule(schedule)
    return schedule.strip()


def _next_time(row: dict[str, Any], after: dt.datetime, time_scale: float) -> dt.datetime:

    return next_run_time(row["SCHEDULE"], row["SCHEDULE_ANCHOR"] or after, after, time_scale)


# --- statements ---------------------------------------------------------------------------------------


def handle(session: Session, text: str, params: Any) -> Result:
    """Answer one alert statement (``STATEMENT`` matched it)."""
    head = " ".join(text.split()[:3]).upper()
    if head.startswith("CREATE"):
        return _create(session, text)
    if head.startswith("ALTER"):
        return _alter(session, text)
    if head.startswith("DROP"):
        return _drop(session, text)
    if head.startswith("SHOW"):
        return _show(session, text)
    if head.startswith(("DESC", "DESCRIBE")):
        match = re.match(r"^(?:DESCRIBE|DESC)\s+ALERT\s+" + _NAME + r"\s*$", text, re.I)
        if not match:
            raise SnowflakeError("SQL compilation error: invalid DESCRIBE ALERT.", errno=1003)
        name = _require(session, match.group("name"))[0]
        return show_alerts(session, name.name, name.database, name.schema)
    if head.startswith("EXECUTE"):
        return _execute(session, text)
    return _send(session, text)


def _create(session: Session, text: str) -> Result:
    try:
        alert: AlertDef = parse_create_alert(text)
    except ObjectSyntaxError as exc:
        if "tags" in str(exc):
            raise UnsupportedStatement("CREATE ALERT ... WITH TAG") from None
        raise SnowflakeError(f"SQL compilation error: {exc}.", errno=1003) from None
    if alert.or_replace and alert.if_not_exists:
        raise SnowflakeError(
            "SQL compilation error: OR REPLACE and IF NOT EXISTS cannot both be specified.", errno=1003
        )
    unknown = sorted(set(alert.params) - _PARAMS)
    if unknown:
        # Never dropped silently: a parameter the engine does not know would change nothing locally.
        raise SnowflakeError(f"not supported by the local engine: alert parameter {', '.join(unknown)}", errno=2214)
    if not alert.schedule:
        raise UnsupportedStatement("an alert without SCHEDULE (alerts on new data)")
    schedule = check_schedule(alert.schedule)
    name = _resolve(session, alert.name)
    exists = session.query_internal(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ? AND database_name = current_database()",
        [name.storage_schema],
    )[0][0]
    if not exists:
        raise ObjectNotFound("Schema", f"{name.database}.{name.schema}")
    existing = _row(session, name)
    if existing is not None and alert.if_not_exists:
        return _ok(f"{name.name} already exists, statement succeeded.")
    if existing is not None and not alert.or_replace:
        raise AlreadyExists("Alert", name.name)

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        cur.execute(f"DELETE FROM {_S}.ALERTS WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
                    [name.database, name.schema, name.name])  # fmt: skip
        # create-alert: "Newly created or cloned alerts are suspended upon creation" (a replaced one too).
        cur.execute(
            f"INSERT INTO {_S}.ALERTS VALUES (?, ?, ?, ?, ?, 'SYSADMIN', ?, ?, ?, 'suspended', ?, ?, NULL, NULL, NULL)",
            [str(uuid.uuid4()), name.database, name.schema, name.name, session.engine.clock(),
             alert.params.get("COMMENT"), alert.params.get("WAREHOUSE"), schedule, alert.condition, alert.action],
        )  # fmt: skip
        return _ok(f"Alert {name.name} successfully created.")

    return session.run_ddl(apply)


_ALTER_RE = re.compile(r"^ALTER\s+ALERT\s+(?P<ie>IF\s+EXISTS\s+)?" + _NAME + r"\s+(?P<action>.+)$", re.I | re.S)


def _alter(session: Session, text: str) -> Result:
    match = _ALTER_RE.match(text)
    if not match:
        raise SnowflakeError("SQL compilation error: invalid ALTER ALERT.", errno=1003)
    try:
        row = _require(session, match.group("name"))[1]
    except ObjectNotFound:
        if match.group("ie"):
            return _ok()
        raise
    action = match.group("action").strip()
    verb = action.split()[0].upper()
    now = session.engine.clock()
    if verb in {"RESUME", "SUSPEND"} and len(action.split()) == 1:
        state = "started" if verb == "RESUME" else "suspended"

        def apply_state(cur: duckdb.DuckDBPyConnection) -> Result:
            if state == "started":
                # Like a task, an interval schedule counts from the RESUME; the next run shows as SCHEDULED.
                anchored = {**row, "SCHEDULE_ANCHOR": now}
                cur.execute(
                    f"UPDATE {_S}.ALERTS SET STATE = 'started', SCHEDULE_ANCHOR = ?, LAST_SCHEDULED_TIME = NULL, "
                    "NEXT_SCHEDULED_TIME = ? WHERE ID = ?",
                    [now, _next_time(anchored, now, 1.0), row["ID"]],
                )
            else:
                cur.execute(
                    f"UPDATE {_S}.ALERTS SET STATE = 'suspended', NEXT_SCHEDULED_TIME = NULL WHERE ID = ?", [row["ID"]]
                )
            return _ok()

        return session.run_ddl(apply_state)
    set_match = re.match(r"^SET\s+(.+)$", action, re.I | re.S)
    if not set_match:
        raise UnsupportedStatement(f"ALTER ALERT action {action[:40]} (RESUME, SUSPEND, SET are emulated)")
    changes: dict[str, Any] = {}
    for key, value in re.findall(r"(\w+)\s*=\s*('(?:[^']|'')*'|\S+)", set_match.group(1)):
        key = key.upper()
        if key not in _PARAMS:
            raise SnowflakeError(f"not supported by the local engine: alert parameter {key}", errno=2214)
        value = value[1:-1].replace("''", "'") if value.startswith("'") else value
        changes[key] = check_schedule(value) if key == "SCHEDULE" else value
    if not changes:
        raise SnowflakeError("SQL compilation error: ALTER ALERT ... SET needs a parameter.", errno=1003)

    def apply_set(cur: duckdb.DuckDBPyConnection) -> Result:
        for column, value in changes.items():
            cur.execute(f"UPDATE {_S}.ALERTS SET {column} = ? WHERE ID = ?", [value, row["ID"]])
        return _ok()

    return session.run_ddl(apply_set)


def _drop(session: Session, text: str) -> Result:
    match = re.match(r"^DROP\s+ALERT\s+(IF\s+EXISTS\s+)?" + _NAME + r"\s*$", text, re.I)
    if not match:
        raise SnowflakeError("SQL compilation error: invalid DROP ALERT.", errno=1003)
    name = _resolve(session, match.group("name"))
    row = _row(session, name)
    if row is None:
        if match.group(1):
            return _ok(f"Drop statement executed successfully ({name.name} already dropped).")
        raise ObjectNotFound("Alert", name.fqn)

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        cur.execute(f"DELETE FROM {_S}.ALERTS WHERE ID = ?", [row["ID"]])
        return _ok(f"{name.name} successfully dropped.")

    return session.run_ddl(apply)


_SHOW_RE = re.compile(
    r"^SHOW\s+(?P<terse>TERSE\s+)?ALERTS(?:\s+LIKE\s+'(?P<like>(?:[^']|'')*)')?"
    r"(?:\s+IN\s+(?:(?P<scope>ACCOUNT|DATABASE|SCHEMA)\b)?\s*(?P<target>[\w$.\"]+)?)?"
    r"(?:\s+STARTS\s+WITH\s+'(?P<starts>[^']*)')?(?:\s+LIMIT\s+(?P<limit>\d+))?\s*$",
    re.I | re.S,
)


def _show(session: Session, text: str) -> Result:
    match = _SHOW_RE.match(text)
    if not match:
        raise SnowflakeError(f"Unsupported SHOW statement in the local engine: {text[:60]}", errno=1003)
    database, schema = show_scope(session, match.group("scope"), match.group("target"))
    result = show_alerts(session, match.group("like"), database, schema, starts=match.group("starts"))
    if match.group("limit"):
        result.rows = result.rows[: int(match.group("limit"))]
    if match.group("terse"):
        return Result.of(
            ["created_on", "name", "kind", "database_name", "schema_name"],
            [(r[0], r[1], "ALERT", r[2], r[3]) for r in result.rows],
        )
    return result


def show_alerts(
    session: Session, like: str | None, database: str | None, schema: str | None, *, starts: str | None = None
) -> Result:
    """SHOW ALERTS rows (Snowflake's columns), alerts of ``database``/``schema`` (None: any)."""
    rows = session.query_internal(
        f"SELECT CREATED_ON, NAME, DATABASE_NAME, SCHEMA_NAME, OWNER, COMMENT, WAREHOUSE, SCHEDULE, STATE, CONDITION, "
        f"ACTION FROM {_S}.ALERTS ORDER BY DATABASE_NAME, SCHEMA_NAME, NAME"
    )
    out = [
        (*r[:5], r[5] or "", r[6] or "", r[7], r[8], r[9], r[10], "ROLE")
        for r in rows
        if (not database or r[2] == database)
        and (not schema or r[3] == schema)
        and like_matches(r[1], like)
        and (not starts or r[1].startswith(starts))
    ]
    return Result.of(SHOW_ALERTS_COLUMNS, out)


def _execute(session: Session, text: str) -> Result:
    """EXECUTE ALERT: runs the alert now, whatever its state; a suspended alert stays suspended (execute-alert).

    Deviation, stated: Snowflake schedules the run and returns; the local engine runs it before returning.
    """
    match = re.match(r"^EXECUTE\s+ALERT\s+" + _NAME + r"\s*$", text, re.I)
    if not match:
        raise SnowflakeError("SQL compilation error: invalid EXECUTE ALERT.", errno=1003)
    name = _require(session, match.group("name"))[0]
    if session.in_transaction:
        session.commit()
    run_alert(session.engine, name, scheduled_time=session.engine.clock(), scheduled_from="EXECUTE ALERT")
    return _ok(f"Alert {name.name} is scheduled to run immediately.")


# --- notifications --------------------------------------------------------------------------------------


def _call_arguments(text: str) -> str:
    start = text.index("(")
    depth = 0
    in_string = False
    for k in range(start, len(text)):
        ch = text[k]
        if ch == "'":
            in_string = not in_string
        elif not in_string and ch == "(":
            depth += 1
        elif not in_string and ch == ")":
            depth -= 1
            if depth == 0:
                if text[k + 1 :].strip():
                    break
                return text[start + 1 : k]
    raise SnowflakeError("SQL compilation error: invalid CALL of a notification procedure.", errno=1003)


def _send(session: Session, text: str) -> Result:
    """``CALL SYSTEM$SEND_EMAIL(integration, recipients, subject, body)`` or
    ``CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(message, integrations)``: evaluated, then recorded in the outbox."""
    procedure = re.match(r"^CALL\s+(SYSTEM\$\w+)", text, re.I).group(1).upper()
    values = session.execute("SELECT " + _macros(_call_arguments(text))).rows[0]
    integration = recipients = subject = None
    if procedure == "SYSTEM$SEND_EMAIL":
        if len(values) not in (4, 5):
            raise SnowflakeError("SYSTEM$SEND_EMAIL takes 4 or 5 arguments.", errno=1044)
        integration, recipients, subject, message = values[0], values[1], values[2], values[3]
    else:
        if len(values) != 2:
            raise SnowflakeError("SYSTEM$SEND_SNOWFLAKE_NOTIFICATION takes 2 arguments.", errno=1044)
        message = values[0]
        try:
            targets = json.loads(values[1]) if isinstance(values[1], str) else values[1]
            json.loads(message) if isinstance(message, str) else message
        except (TypeError, ValueError):
            raise SnowflakeError("Invalid JSON in the notification's message or integration.", errno=100069) from None
        names = list(targets) if isinstance(targets, dict) else []
        integration = ",".join(names)
        first = targets.get(names[0]) if names else None
        if isinstance(first, dict):
            subject = first.get("subject")
            recipients = ",".join(first.get("toAddress") or []) or None
    if not integration:
        raise SnowflakeError("A notification needs a notification integration.", errno=1044)
    alert_name = getattr(session, "alert_name", None)
    with session.engine.write_lock, session.cursor() as cur:
        cur.execute(
            f"INSERT INTO {_S}.NOTIFICATION_OUTBOX VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [str(uuid.uuid4()), session.engine.clock(), procedure, str(integration).upper(), recipients, subject,
             None if message is None else str(message), alert_name],
        )  # fmt: skip
    return Result.of([procedure], [("Notification recorded in the local outbox (not sent).",)])


# --- runs ---------------------------------------------------------------------------------------------


def _last_success(session: Session, alert_id: str) -> dt.datetime | None:
    rows = session.query_internal(
        f"SELECT max(SCHEDULED_TIME) FROM {_S}.ALERT_HISTORY WHERE ALERT_ID = ? "
        "AND STATE IN ('CONDITION_FALSE', 'TRIGGERED')",
        [alert_id],
    )
    return rows[0][0] if rows else None


def _claim(session: Session, row: dict[str, Any], values: dict[str, Any]) -> bool:
    """One run of an alert at a time, across processes; a run left EXECUTING by a dead process is CANCELLED."""
    with session.engine.write_lock, session.cursor() as cur:
        running = cur.execute(
            f"SELECT RUN_ID, RUNNING_OWNER FROM {_S}.ALERT_HISTORY WHERE ALERT_ID = ? AND STATE = 'EXECUTING'",
            [row["ID"]],
        ).fetchall()
        for run_id, owner in running:
            if owner_alive(owner):
                return False
            cur.execute(
                f"UPDATE {_S}.ALERT_HISTORY SET STATE = 'CANCELLED', COMPLETED_TIME = ?, "
                "SQL_ERROR_MESSAGE = 'the process running the alert ended' WHERE RUN_ID = ?",
                [session.engine.clock(), run_id],
            )
        cols = ", ".join(values)
        cur.execute(
            f"INSERT INTO {_S}.ALERT_HISTORY ({cols}) VALUES ({', '.join('?' for _ in values)})", list(values.values())
        )
    return True


def _finish(session: Session, run_id: str, **values: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    with session.engine.write_lock, session.cursor() as cur:
        cur.execute(f"UPDATE {_S}.ALERT_HISTORY SET {sets} WHERE RUN_ID = ?", [*values.values(), run_id])


def run_alert(
    engine: Engine, name: ObjectName, *, scheduled_time: dt.datetime, scheduled_from: str = "SCHEDULE"
) -> str:
    """Run one alert now: the condition (any row returned: the action runs), one ALERT_HISTORY row; its state."""

    control = engine.session(name.database, name.schema)
    try:
        row = _row(control, name)
        if row is None:
            raise ObjectNotFound("Alert", name.fqn)
        run_id = str(uuid.uuid4())
        condition_id = str(uuid.uuid4())
        last_success = _last_success(control, row["ID"])
        started = dict(
            RUN_ID=run_id, ALERT_ID=row["ID"], NAME=name.name, DATABASE_NAME=name.database, SCHEMA_NAME=name.schema,
            CONDITION=row["CONDITION"], CONDITION_QUERY_ID=condition_id, ACTION=row["ACTION"], STATE="EXECUTING",
            SCHEDULED_TIME=scheduled_time, SCHEDULED_FROM=scheduled_from, RUNNING_OWNER=owner_token(),
        )  # fmt: skip
        claimed = _claim(control, row, started)
        if not claimed:
            return "NOT_RUN"
        worker = engine.session(name.database, name.schema)
        worker.alert_name = name.fqn  # type: ignore[attr-defined]  # read by the notification procedures
        state, error_code, error_message, action_id = "TRIGGERED", None, None, None
        try:
            with worker.cursor() as cur:
                cur.execute("SET VARIABLE CAVES_ALERT_NAME = ?", [name.fqn])
                cur.execute("SET VARIABLE CAVES_ALERT_SCHEDULED_TIME = ?", [scheduled_time])
                cur.execute("SET VARIABLE CAVES_ALERT_LAST_SUCCESS = ?", [last_success])
            try:
                found = bool(worker.execute(_macros(row["CONDITION"])).rows)
            except SnowflakeError as exc:
                state, error_code, error_message = "CONDITION_FAILED", exc.errno, exc.msg
                found = False
            if state == "TRIGGERED" and not found:
                state = "CONDITION_FALSE"
            if found:
                action_id = str(uuid.uuid4())
                try:
                    run_body(worker, _macros(row["ACTION"]))
                except SnowflakeError as exc:
                    state, error_code, error_message = "ACTION_FAILED", exc.errno, exc.msg
        except Exception as exc:  # anything else (a bug, a resource error) fails the run, never the scheduler
            state, error_code, error_message = "FAILED", 100000, str(exc)[:2000]
        finally:
            with contextlib.suppress(Exception), worker.cursor() as cur:
                cur.execute("RESET VARIABLE CAVES_ALERT_NAME")
            worker.close()
        _finish(
            control, run_id, STATE=state, SQL_ERROR_CODE=error_code, SQL_ERROR_MESSAGE=error_message,
            ACTION_QUERY_ID=action_id, COMPLETED_TIME=engine.clock(), RUNNING_OWNER=None,
        )  # fmt: skip
        return state
    finally:
        control.close()


def due_alerts(engine: Engine, now: dt.datetime, time_scale: float = 1.0) -> list[tuple[ObjectName, dt.datetime]]:
    """The started alerts whose scheduled time has come: (name, latest scheduled time in (last, now])."""

    with engine.session() as s:
        rows = s.query_internal(
            f"SELECT DATABASE_NAME, SCHEMA_NAME, NAME, SCHEDULE, SCHEDULE_ANCHOR, LAST_SCHEDULED_TIME FROM {_S}.ALERTS "
            "WHERE STATE = 'started' ORDER BY DATABASE_NAME, SCHEMA_NAME, NAME"
        )
    due = []
    for database, schema, name, schedule, anchor, last in rows:
        when = latest_due(schedule, anchor or now, last, now, time_scale)
        if when is not None:
            due.append((ObjectName(database, schema, name), when))
    return due


def tick(engine: Engine, now: dt.datetime | None = None, time_scale: float = 1.0) -> list[tuple[str, str]]:
    """Run every started alert whose scheduled time has come (the scheduler calls it at each tick).

    Scheduled times that passed while the alert could not run are skipped, never queued, as for tasks.
    """
    now = now or engine.clock()
    outcomes = []
    for name, when in due_alerts(engine, now, time_scale):
        with engine.session() as s, engine.write_lock, s.cursor() as cur:
            row = _row(s, name)
            if row is None:
                continue
            cur.execute(
                f"UPDATE {_S}.ALERTS SET LAST_SCHEDULED_TIME = ?, NEXT_SCHEDULED_TIME = ? WHERE ID = ?",
                [when, _next_time(row, when, time_scale), row["ID"]],
            )
        outcomes.append((name.fqn, run_alert(engine, name, scheduled_time=when)))
    return outcomes
