"""Snowflake ALERT objects on the local engine: each test states the Snowflake rule it checks and cites the page.

References (Snowflake documentation):
- CREATE ALERT: https://docs.snowflake.com/en/sql-reference/sql/create-alert
- EXECUTE ALERT: https://docs.snowflake.com/en/sql-reference/sql/execute-alert
- ALERT_HISTORY table function: https://docs.snowflake.com/en/sql-reference/functions/alert_history
- ALERT_HISTORY states (Account Usage view): https://docs.snowflake.com/en/sql-reference/account-usage/alert_history
- LAST_SUCCESSFUL_SCHEDULED_TIME: https://docs.snowflake.com/en/sql-reference/functions/last_successful_scheduled_time
- SCHEDULED_FROM column: https://docs.snowflake.com/en/release-notes/bcr-bundles/2025_02/bcr-1894
- SYSTEM$SEND_EMAIL: https://docs.snowflake.com/en/user-guide/notifications/email-stored-procedures
- SYSTEM$SEND_SNOWFLAKE_NOTIFICATION: https://docs.snowflake.com/en/user-guide/notifications/snowflake-notifications
"""

from __future__ import annotations

import datetime as dt

import pytest

from caves.local import Engine
from caves.local import alerts as alert_engine
from caves.local.errors import SnowflakeError
from caves.local.scheduler import tick

T0 = dt.datetime(2026, 12, 1, 8, 0, 0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def s(clock: Clock):
    engine = Engine(":memory:", clock=clock)
    session = engine.session()
    session.execute_script(
        "create database D; create schema D.S; create table D.S.T (A int); create table D.S.OUT (A int, NOTE varchar);"
    )
    yield session
    session.close()
    engine.close()


def history(s, **where: str) -> list[tuple]:
    return s.execute(
        "select NAME, STATE, SQL_ERROR_MESSAGE, SCHEDULED_TIME, SCHEDULED_FROM "
        "from table(D.INFORMATION_SCHEMA.ALERT_HISTORY(RESULT_LIMIT => 100))"
    ).rows


def create(s, name: str = "A1", condition: str = "select A from D.S.T where A > 0", action: str | None = None):
    action = action or "insert into D.S.OUT select A, 'fired' from D.S.T"
    s.execute(f"create alert D.S.{name} schedule = '1 MINUTE' if (exists ({condition})) then {action}")


# --- CREATE / SHOW / ALTER / DROP ------------------------------------------------------------------------


def test_a_new_alert_is_suspended(s) -> None:
    """create-alert: "Newly created or cloned alerts are suspended upon creation"."""
    create(s)
    row = s.execute("show alerts in schema D.S").dicts()[0]
    assert (row["name"], row["state"], row["schedule"]) == ("A1", "suspended", "1 MINUTE")
    assert row["condition"] == "select A from D.S.T where A > 0"
    assert row["action"] == "insert into D.S.OUT select A, 'fired' from D.S.T"


def test_show_alerts_has_snowflakes_columns_and_filters(s) -> None:
    """SHOW ALERTS [LIKE] [IN ...]: created_on, name, database_name, schema_name, owner, comment, warehouse,
    schedule, state, condition, action (create-alert links SHOW ALERTS; columns as Snowflake lists them)."""
    create(s, "A1")
    create(s, "B2")
    result = s.execute("show alerts like 'a%' in database D")
    assert result.columns[:11] == [
        "created_on", "name", "database_name", "schema_name", "owner", "comment", "warehouse", "schedule", "state",
        "condition", "action",
    ]  # fmt: skip
    assert [r[1] for r in result.rows] == ["A1"]
    assert [r[1] for r in s.execute("show terse alerts in account").rows] == ["A1", "B2"]
    assert s.execute("describe alert D.S.B2").rows[0][1] == "B2"


def test_create_alert_rules(s) -> None:
    """create-alert: OR REPLACE and IF NOT EXISTS are exclusive; a second CREATE of the same name fails; IF NOT
    EXISTS keeps the existing alert; SCHEDULE is '<num> MINUTE' or 'USING CRON <expr> <time zone>'."""
    create(s)
    with pytest.raises(SnowflakeError, match="already exists"):
        create(s)
    s.execute("create alert if not exists D.S.A1 schedule = '5 MINUTE' if (exists (select 1)) then select 1")
    assert s.execute("show alerts").rows[0][7] == "1 MINUTE"
    with pytest.raises(SnowflakeError, match="cannot both"):
        s.execute(
            "create or replace alert if not exists D.S.A1 schedule = '1 MINUTE' if (exists (select 1)) then select 1"
        )
    with pytest.raises(SnowflakeError, match="SCHEDULE"):
        s.execute("create alert D.S.X schedule = '30 SECONDS' if (exists (select 1)) then select 1")
    s.execute("create alert D.S.C schedule = 'USING CRON 0 3 * * * UTC' if (exists (select 1)) then select 1")
    with pytest.raises(SnowflakeError, match="alert parameter"):
        s.execute("create alert D.S.Y schedule = '1 MINUTE' budget = 'B' if (exists (select 1)) then select 1")
    with pytest.raises(SnowflakeError, match="IF \\(EXISTS"):
        s.execute("create alert D.S.Z schedule = '1 MINUTE' then select 1")


def test_an_alert_without_schedule_is_refused_not_ignored(s) -> None:
    """create-alert: without SCHEDULE an alert runs on new data, which the local engine does not emulate."""
    with pytest.raises(SnowflakeError, match=r"Unsupported statement.*without SCHEDULE"):
        s.execute("create alert D.S.N if (exists (select 1)) then select 1")


def test_or_replace_makes_a_new_suspended_alert(s) -> None:
    """create-alert: the replaced alert is a new alert, suspended upon creation."""
    create(s)
    s.execute("alter alert D.S.A1 resume")
    s.execute("create or replace alert D.S.A1 schedule = '5 MINUTE' if (exists (select 1)) then select 1")
    assert s.execute("show alerts").dicts()[0]["state"] == "suspended"


def test_alter_resume_suspend_set_and_drop(s) -> None:
    """ALTER ALERT ... RESUME | SUSPEND | SET SCHEDULE/COMMENT; DROP ALERT [IF EXISTS] (create-alert, See also)."""
    create(s)
    s.execute("alter alert D.S.A1 resume")
    assert s.execute("show alerts").dicts()[0]["state"] == "started"
    s.execute("alter alert D.S.A1 set schedule = '10 MINUTE' comment = 'every ten'")
    row = s.execute("show alerts").dicts()[0]
    assert (row["schedule"], row["comment"]) == ("10 MINUTE", "every ten")
    s.execute("alter alert D.S.A1 suspend")
    assert s.execute("show alerts").dicts()[0]["state"] == "suspended"
    with pytest.raises(SnowflakeError, match="Unsupported"):
        s.execute("alter alert D.S.A1 modify condition exists (select 2)")
    s.execute("alter alert if exists D.S.NOPE suspend")
    s.execute("drop alert D.S.A1")
    assert s.execute("show alerts").rows == []
    s.execute("drop alert if exists D.S.A1")
    with pytest.raises(SnowflakeError, match="does not exist"):
        s.execute("drop alert D.S.A1")


# --- runs and ALERT_HISTORY ------------------------------------------------------------------------------


def test_execute_alert_runs_a_suspended_alert_and_leaves_it_suspended(s) -> None:
    """execute-alert: "If the alert is currently suspended, the EXECUTE ALERT command executes the alert but does not
    resume the alert. The alert remains suspended." SCHEDULED_FROM is 'EXECUTE ALERT' (bcr-1894)."""
    s.execute("insert into D.S.T values (1)")
    create(s)
    s.execute("execute alert D.S.A1")
    assert s.execute("select count(*) from D.S.OUT").scalar() == 1
    assert s.execute("show alerts").dicts()[0]["state"] == "suspended"
    name, state, error, _when, source = history(s)[0]
    assert (name, state, error, source) == ("A1", "TRIGGERED", None, "EXECUTE ALERT")


def test_condition_without_rows_is_condition_false_and_the_action_does_not_run(s) -> None:
    """ALERT_HISTORY STATE CONDITION_FALSE: "The condition was evaluated successfully but returned no data. As a
    result, the action was not executed." (account-usage/alert_history)"""
    create(s)
    s.execute("execute alert D.S.A1")
    assert history(s)[0][1] == "CONDITION_FALSE"
    assert s.execute("select count(*) from D.S.OUT").scalar() == 0


def test_condition_and_action_failures_have_their_own_states(s) -> None:
    """ALERT_HISTORY STATE CONDITION_FAILED (the condition could not be evaluated) and ACTION_FAILED (the condition
    held but the action failed), with the error in SQL_ERROR_MESSAGE (functions/alert_history)."""
    s.execute("insert into D.S.T values (1)")
    create(s, "BAD_CONDITION", condition="select * from D.S.MISSING")
    create(s, "BAD_ACTION", action="insert into D.S.MISSING values (1)")
    s.execute("execute alert D.S.BAD_CONDITION")
    s.execute("execute alert D.S.BAD_ACTION")
    states = {name: (state, error) for name, state, error, *_ in history(s)}
    assert states["BAD_CONDITION"][0] == "CONDITION_FAILED" and "MISSING" in states["BAD_CONDITION"][1]
    assert states["BAD_ACTION"][0] == "ACTION_FAILED" and "MISSING" in states["BAD_ACTION"][1]


def test_a_run_that_cannot_execute_is_failed(s, monkeypatch: pytest.MonkeyPatch) -> None:
    """ALERT_HISTORY STATE FAILED: "Either the alert condition or alert action encountered an error that prevented it
    from being executed" (here: the engine itself fails while running it; the scheduler must outlive it)."""
    create(s)

    def broken(*_args, **_kwargs):
        raise RuntimeError("resource exhausted")

    monkeypatch.setattr(alert_engine, "_macros", broken)  # any Python-level failure while running it
    s.execute("execute alert D.S.A1")
    assert history(s)[0][1:3] == ("FAILED", "resource exhausted")


def test_a_run_left_executing_by_a_dead_process_is_cancelled(s) -> None:
    """ALERT_HISTORY STATE EXECUTING while a run is in progress, CANCELLED when it was cancelled: a run whose
    process died (no one will finish it) is cancelled when the alert runs next."""
    create(s)
    engine = s.engine
    with engine.session() as other, other.cursor() as cur:
        (alert_id,) = cur.execute('SELECT ID FROM "_CAVES".ALERTS').fetchone()
        cur.execute(
            'INSERT INTO "_CAVES".ALERT_HISTORY (RUN_ID, ALERT_ID, NAME, DATABASE_NAME, SCHEMA_NAME, STATE, '
            "SCHEDULED_TIME, SCHEDULED_FROM, RUNNING_OWNER) VALUES ('r0', ?, 'A1', 'D', 'S', 'EXECUTING', ?, "
            "'SCHEDULE', ?)",
            [alert_id, T0 - dt.timedelta(minutes=1), "this-host-is-gone:1"],
        )
    assert history(s)[0][1] == "EXECUTING"  # another host's run: still running as far as we know
    with engine.session() as other, other.cursor() as cur:
        import socket

        cur.execute('UPDATE "_CAVES".ALERT_HISTORY SET RUNNING_OWNER = ?', [f"{socket.gethostname()}:999999999"])
    s.execute("execute alert D.S.A1")
    states = [r[1] for r in history(s)]
    assert states == ["CONDITION_FALSE", "CANCELLED"]


def test_the_action_sees_its_run_executing(s) -> None:
    """ALERT_HISTORY STATE EXECUTING: "The condition or action of the alert is currently executing"."""
    s.execute("insert into D.S.T values (1)")
    create(
        s,
        action="insert into D.S.OUT select 0, STATE from table(D.INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'A1'))",
    )
    s.execute("execute alert D.S.A1")
    assert s.execute("select NOTE from D.S.OUT").rows == [("EXECUTING",)]


def test_history_arguments_order_and_the_next_scheduled_run(s, clock: Clock) -> None:
    """functions/alert_history: ALERT_NAME is case-insensitive and unqualified; RESULT_LIMIT caps the rows (the most
    recent kept); rows come in descending SCHEDULED_TIME; a started alert shows its next run as SCHEDULED."""
    create(s, "A1")
    create(s, "B2")
    for _ in range(3):
        s.execute("execute alert D.S.A1")
        clock.advance(seconds=10)
    s.execute("execute alert D.S.B2")
    rows = s.execute(
        "select NAME, STATE, SCHEDULED_TIME from table(D.INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'a1'))"
    ).rows
    assert [r[0] for r in rows] == ["A1"] * 3
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    assert len(s.execute("select * from table(D.INFORMATION_SCHEMA.ALERT_HISTORY(RESULT_LIMIT => 2))").rows) == 2
    s.execute("alter alert D.S.B2 resume")
    scheduled = s.execute(
        "select STATE, SCHEDULED_TIME, COMPLETED_TIME from table(D.INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'B2'))"
    ).rows[0]
    assert scheduled == ("SCHEDULED", clock.now + dt.timedelta(minutes=1), None)


def test_a_failed_action_is_not_a_successful_evaluation(s, clock: Clock) -> None:
    """last_successful_scheduled_time counts CONDITION_FALSE and TRIGGERED runs only: after an ACTION_FAILED run,
    the next run still sees the scheduled time of the last successful one."""
    s.execute("create table D.S.FLAG (ON_ BOOLEAN)")
    s.execute("insert into D.S.FLAG values (false)")
    create(
        s,
        condition="select 1",
        action="begin insert into D.S.OUT select 1, coalesce(to_varchar(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME()),"
        " 'none') from D.S.FLAG where not ON_; select 1 / iff((select ON_ from D.S.FLAG), 0, 1); end",
    )
    s.execute("execute alert D.S.A1")  # TRIGGERED at T0
    s.execute("update D.S.FLAG set ON_ = true")
    clock.advance(minutes=1)
    s.execute("execute alert D.S.A1")  # ACTION_FAILED
    s.execute("update D.S.FLAG set ON_ = false")
    clock.advance(minutes=1)
    s.execute("execute alert D.S.A1")  # sees T0, not T0 + 1 min
    assert [r[1] for r in history(s)] == ["TRIGGERED", "ACTION_FAILED", "TRIGGERED"]
    notes = [r[0] for r in s.execute("select NOTE from D.S.OUT").rows]
    assert notes[0] == "none" and notes[1].startswith("2026-12-01 08:00:00")


def test_last_successful_scheduled_time(s, clock: Clock) -> None:
    """last_successful_scheduled_time: the scheduled time of the latest run whose state is CONDITION_FALSE or
    TRIGGERED, NULL before any; only callable from within an alert. SCHEDULED_TIME: this run's scheduled time."""
    create(
        s,
        condition="select 1",
        action="insert into D.S.OUT select 1, coalesce(to_varchar(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME()), "
        "'none') || ' / ' || to_varchar(SNOWFLAKE.ALERT.SCHEDULED_TIME())",
    )
    s.execute("execute alert D.S.A1")
    first = clock.now
    clock.advance(minutes=1)
    s.execute("execute alert D.S.A1")
    notes = [r[0] for r in s.execute("select NOTE from D.S.OUT").rows]
    assert notes[0].startswith("none / 2026-12-01 08:00:00")
    assert notes[1].startswith(f"{first:%Y-%m-%d %H:%M:%S}")
    with pytest.raises(SnowflakeError):  # only callable from within an alert
        s.execute("select SNOWFLAKE.ALERT.SCHEDULED_TIME()")


def test_the_scheduler_runs_started_alerts_on_their_schedule(s, clock: Clock) -> None:
    """create-alert SCHEDULE: a started alert's condition is evaluated on its schedule (here every minute, counted
    from the RESUME like a task's interval); a suspended alert does not run; missed times are not queued."""
    s.execute("insert into D.S.T values (1)")
    create(s, "A1")
    create(s, "SLEEPING")
    s.execute("alter alert D.S.A1 resume")
    clock.advance(seconds=59)
    tick(s.engine)
    assert history(s) and history(s)[0][1] == "SCHEDULED"
    clock.advance(seconds=1)
    tick(s.engine)
    runs = [r for r in history(s) if r[1] != "SCHEDULED"]
    assert [(r[0], r[1], r[3], r[4]) for r in runs] == [("A1", "TRIGGERED", T0 + dt.timedelta(minutes=1), "SCHEDULE")]
    clock.advance(minutes=10)  # ten scheduled times passed: one run, at the latest
    tick(s.engine)
    runs = [r for r in history(s) if r[1] != "SCHEDULED"]
    assert len(runs) == 2 and runs[0][3] == T0 + dt.timedelta(minutes=11)
    assert not [r for r in history(s) if r[0] == "SLEEPING"]


# --- notifications ---------------------------------------------------------------------------------------


def test_notifications_are_recorded_in_the_outbox_not_sent(s) -> None:
    """SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(message, integration) with SNOWFLAKE.NOTIFICATION.TEXT_PLAIN /
    INTEGRATION, and SYSTEM$SEND_EMAIL(integration, recipients, subject, body): recorded with the alert that sent
    them (snowflake-notifications, email-stored-procedures)."""
    create(
        s,
        condition="select 1",
        action="begin "
        "call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(SNOWFLAKE.NOTIFICATION.TEXT_PLAIN('Stock ' || 'out'), "
        "SNOWFLAKE.NOTIFICATION.INTEGRATION('my_int')); "
        "call SYSTEM$SEND_EMAIL('mail_int', 'a@example.com', 'Subject', 'Body'); end",
    )
    s.execute("execute alert D.S.A1")
    rows = s.execute(
        "select PROCEDURE_NAME, INTEGRATION_NAME, RECIPIENTS, SUBJECT, MESSAGE, ALERT_NAME "
        "from table(D.INFORMATION_SCHEMA.NOTIFICATION_OUTBOX()) order by PROCEDURE_NAME"
    ).rows
    assert rows == [
        ("SYSTEM$SEND_EMAIL", "MAIL_INT", "a@example.com", "Subject", "Body", "D.S.A1"),
        ("SYSTEM$SEND_SNOWFLAKE_NOTIFICATION", "MY_INT", None, None, '{"text/plain":"Stock out"}', "D.S.A1"),
    ]
    assert history(s)[0][1] == "TRIGGERED"
