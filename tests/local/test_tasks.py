"""Tasks on the local engine: lifecycle, graph rules, graph runs, failures, retries, history, scheduler.

Each test mirrors a rule of /work/shared/reference/SNOWFLAKE_SEMANTICS.md §2 (tasks), §3 (monitoring)
and the emulator checklist §6; the docstring names the section. EXECUTE TASK runs the graph before
returning (the engine's stated deviation), so history can be read right after it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from caves.local import SnowflakeError, scheduler

SHOW_TASKS_COLUMNS = [
    "created_on", "name", "id", "database_name", "schema_name", "owner", "comment", "warehouse", "schedule",
    "predecessors", "state", "definition", "condition", "allow_overlapping_execution", "error_integration",
    "last_committed_on", "last_suspended_on", "owner_role_type", "config", "budget", "task_relations",
    "last_suspended_reason",
]  # fmt: skip


def log_body(name: str) -> str:
    """A task body appending (next sequence number, name) to LOG, so tests can see the run order."""
    return f"INSERT INTO LOG SELECT COALESCE(MAX(SEQ), 0) + 1, '{name}' FROM LOG"


def log_names(s) -> list[str]:
    return [r[0] for r in s.execute("SELECT NAME FROM LOG ORDER BY SEQ").rows]


def history(s, args: str = "", where: str = "", *, scheduled: bool = False) -> list[dict]:
    """TASK_HISTORY rows; the SCHEDULED row of a started root's next run only when ``scheduled``."""
    sql = f"SELECT * FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY({args}))"
    conditions = [c for c in (where, "" if scheduled else "STATE <> 'SCHEDULED'") if c]
    if conditions:
        sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
    return s.execute(sql).dicts()


def states(s, args: str = "") -> dict[str, list[str]]:
    """NAME -> list of STATEs, oldest run first (RUN_ID grows with each graph run)."""
    out: dict[str, list[str]] = {}
    rows = sorted(history(s, args), key=lambda r: (r["RUN_ID"], r["ATTEMPT_NUMBER"]))
    for row in rows:
        out.setdefault(row["NAME"], []).append(row["STATE"])
    return out


def show_task(s, name: str) -> dict:
    rows = [d for d in s.execute("SHOW TASKS").dicts() if d["name"] == name]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def ts(session):
    """A session with LOG (SEQ, NAME) for task bodies to write to."""
    session.execute("CREATE TABLE LOG (SEQ INT, NAME VARCHAR)")
    return session


# --- §2.3 lifecycle -----------------------------------------------------------------------------------


def test_new_task_is_created_suspended(ts):
    """§2.3 / §6.12: new tasks are suspended; RESUME starts them, SUSPEND suspends them (USER_SUSPENDED)."""
    ts.execute(f"CREATE TASK T1 WAREHOUSE = WH SCHEDULE = '1 MINUTE' AS {log_body('T1')}")
    assert show_task(ts, "T1")["state"] == "suspended"
    ts.execute("ALTER TASK T1 RESUME")
    assert show_task(ts, "T1")["state"] == "started"
    ts.execute("ALTER TASK T1 SUSPEND")
    row = show_task(ts, "T1")
    assert row["state"] == "suspended"
    assert row["last_suspended_reason"] == "USER_SUSPENDED"
    assert isinstance(row["last_suspended_on"], dt.datetime)


def test_replaced_task_is_suspended_again(ts):
    """§2.3: replaced tasks are suspended."""
    ts.execute(f"CREATE TASK T1 SCHEDULE = '1 MINUTE' AS {log_body('T1')}")
    ts.execute("ALTER TASK T1 RESUME")
    ts.execute("ALTER TASK T1 SUSPEND")
    ts.execute(f"CREATE OR REPLACE TASK T1 SCHEDULE = '2 MINUTE' AS {log_body('T1b')}")
    row = show_task(ts, "T1")
    assert row["state"] == "suspended"
    assert row["schedule"] == "2 MINUTE"


def test_show_tasks_columns_exactly(ts):
    """§3 / §6.11: SHOW TASKS has exactly Snowflake's columns, in order, with started/suspended states."""
    ts.execute(f"CREATE TASK ROOT WAREHOUSE = WH SCHEDULE = '5 MINUTE' COMMENT = 'the root' AS {log_body('R')}")
    ts.execute(f"CREATE TASK CHILD AFTER ROOT WHEN 1 = 1 AS {log_body('C')}")
    r = ts.execute("SHOW TASKS")
    assert r.columns == SHOW_TASKS_COLUMNS
    root, child = show_task(ts, "ROOT"), show_task(ts, "CHILD")
    assert (root["database_name"], root["schema_name"]) == ("TESTDB", "PUBLIC")
    assert root["warehouse"] == "WH"
    assert root["schedule"] == "5 MINUTE"
    assert root["comment"] == "the root"
    assert root["definition"] == log_body("R")
    assert json.loads(root["predecessors"]) == []
    assert json.loads(child["predecessors"]) == ["TESTDB.PUBLIC.ROOT"]
    assert child["schedule"] is None
    assert child["condition"] == "1 = 1"
    assert {root["state"], child["state"]} == {"suspended"}
    assert root["id"] != child["id"]


def test_show_tasks_like_and_in_schema(ts):
    """§3: SHOW TASKS LIKE / IN SCHEMA filter."""
    ts.execute("CREATE SCHEMA OTHER")  # becomes the current schema, as in Snowflake
    ts.execute("USE SCHEMA TESTDB.PUBLIC")
    ts.execute("CREATE TASK OTHER.FAR_AWAY AS SELECT 1")
    ts.execute("CREATE TASK NEARBY AS SELECT 1")
    assert [d["name"] for d in ts.execute("SHOW TASKS LIKE 'near%'").dicts()] == ["NEARBY"]
    assert [d["name"] for d in ts.execute("SHOW TASKS IN SCHEMA TESTDB.OTHER").dicts()] == ["FAR_AWAY"]


def test_schedule_on_a_child_is_rejected(ts):
    """§2.2 / §6.12: the root is scheduled; children have only AFTER (CREATE and ALTER ... SET SCHEDULE)."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK CHILD SCHEDULE = '1 MINUTE' AFTER ROOT AS SELECT 1")
    ts.execute("CREATE TASK CHILD AFTER ROOT AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("ALTER TASK CHILD SET SCHEDULE = '5 MINUTE'")
    assert show_task(ts, "CHILD")["schedule"] is None


def test_task_auto_retry_attempts_on_a_child_is_rejected(ts):
    """§2.1 / §6.12: TASK_AUTO_RETRY_ATTEMPTS is root only."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK CHILD TASK_AUTO_RETRY_ATTEMPTS = 2 AFTER ROOT AS SELECT 1")


def test_schedule_outside_ten_seconds_to_eight_days_is_rejected(ts):
    """§2.1: SCHEDULE is 10 s to 8 days; cron needs 5 fields and a time zone."""
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK TOO_FAST SCHEDULE = '5 SECONDS' AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK TOO_SLOW SCHEDULE = '200 HOURS' AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK BAD_CRON SCHEDULE = 'USING CRON not a cron UTC' AS SELECT 1")
    ts.execute("CREATE TASK OK_CRON SCHEDULE = 'USING CRON 0 9 * * MON-FRI Europe/Paris' AS SELECT 1")
    ts.execute("CREATE TASK OK_SECONDS SCHEDULE = '10 SECONDS' AS SELECT 1")


def test_replacing_a_task_while_its_root_is_started_is_rejected(ts):
    """§2.3 / §6.13: the root must be suspended before any task of its graph is replaced."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK CHILD AFTER ROOT AS SELECT 1")
    ts.execute("ALTER TASK ROOT RESUME")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE OR REPLACE TASK CHILD AFTER ROOT AS SELECT 2")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE OR REPLACE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 2")
    assert show_task(ts, "CHILD")["definition"] == "SELECT 1"
    ts.execute("ALTER TASK ROOT SUSPEND")
    ts.execute("CREATE OR REPLACE TASK CHILD AFTER ROOT AS SELECT 2")
    assert show_task(ts, "CHILD")["definition"] == "SELECT 2"


def test_changing_after_links_while_the_root_is_started_is_rejected(ts):
    """§2.3 / §6.13: ADD/REMOVE AFTER, and a new child under a started root, need the root suspended."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK A AFTER ROOT AS SELECT 1")
    ts.execute("CREATE TASK B AFTER ROOT AS SELECT 1")
    ts.execute("ALTER TASK ROOT RESUME")
    with pytest.raises(SnowflakeError):
        ts.execute("ALTER TASK B ADD AFTER A")
    with pytest.raises(SnowflakeError):
        ts.execute("ALTER TASK B REMOVE AFTER ROOT")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK C AFTER A AS SELECT 1")
    ts.execute("ALTER TASK ROOT SUSPEND")
    ts.execute("ALTER TASK B ADD AFTER A")
    assert sorted(json.loads(show_task(ts, "B")["predecessors"])) == ["TESTDB.PUBLIC.A", "TESTDB.PUBLIC.ROOT"]


def test_removing_every_predecessor_makes_the_task_a_root(ts):
    """§2.3: removing every predecessor makes a task a root, suspended with reason CHILD_BECAME_ROOT."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK CHILD AFTER ROOT AS SELECT 1")
    ts.execute("ALTER TASK CHILD RESUME")
    ts.execute("ALTER TASK CHILD REMOVE AFTER ROOT")
    row = show_task(ts, "CHILD")
    assert json.loads(row["predecessors"]) == []
    assert row["state"] == "suspended"
    assert row["last_suspended_reason"] == "CHILD_BECAME_ROOT"


def test_execute_task_on_a_child_is_rejected(ts):
    """§2.3 / §6.14: EXECUTE TASK naming a child is an error; nothing runs."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('R')}")
    ts.execute(f"CREATE TASK CHILD AFTER ROOT AS {log_body('C')}")
    with pytest.raises(SnowflakeError):
        ts.execute("EXECUTE TASK CHILD")
    assert log_names(ts) == []
    assert history(ts) == []


def test_execute_task_runs_a_suspended_root_without_resuming_it_and_skips_suspended_children(ts):
    """§2.3 / §6.14: EXECUTE TASK runs a suspended task without resuming it, and skips suspended children."""
    ts.execute(f"CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK ON_CHILD AFTER ROOT AS {log_body('ON_CHILD')}")
    ts.execute(f"CREATE TASK OFF_CHILD AFTER ROOT AS {log_body('OFF_CHILD')}")
    ts.execute("ALTER TASK ON_CHILD RESUME")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == ["ROOT", "ON_CHILD"]
    assert show_task(ts, "ROOT")["state"] == "suspended"
    assert states(ts) == {"ROOT": ["SUCCEEDED"], "ON_CHILD": ["SUCCEEDED"]}
    assert {r["SCHEDULED_FROM"] for r in history(ts)} == {"EXECUTE_TASK"}


def test_task_dependents_enable_resumes_the_whole_graph(ts):
    """§2.3 / §6.14: SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('db.s.root') resumes the root and every task of its graph."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK A AFTER ROOT AS SELECT 1")
    ts.execute("CREATE TASK B AFTER A AS SELECT 1")
    ts.execute("CREATE TASK LONER AS SELECT 1")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    assert {d["name"]: d["state"] for d in ts.execute("SHOW TASKS").dicts()} == {
        "ROOT": "started",
        "A": "started",
        "B": "started",
        "LONER": "suspended",
    }


def test_suspending_the_root_leaves_children_states_alone(ts):
    """§2.3: suspending the root cancels future runs and leaves the children's states alone."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK A AFTER ROOT AS SELECT 1")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("ALTER TASK ROOT SUSPEND")
    assert show_task(ts, "ROOT")["state"] == "suspended"
    assert show_task(ts, "A")["state"] == "started"


def test_task_dependents_lists_the_root_first_then_its_graph(ts):
    """§3 helpers: TABLE(INFORMATION_SCHEMA.TASK_DEPENDENTS(TASK_NAME => 'db.s.root')) returns the root first."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK A AFTER ROOT AS SELECT 1")
    ts.execute("CREATE TASK B AFTER ROOT AS SELECT 1")
    ts.execute("CREATE TASK C AFTER A, B AS SELECT 1")
    ts.execute("CREATE TASK UNRELATED AS SELECT 1")
    rows = ts.execute(
        "SELECT * FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_DEPENDENTS(TASK_NAME => 'TESTDB.PUBLIC.ROOT'))"
    ).dicts()
    names = [r["name"] for r in rows]
    assert names[0] == "ROOT"
    assert sorted(names) == ["A", "B", "C", "ROOT"]
    assert names.index("C") > max(names.index("A"), names.index("B"))


# --- §2.1 WHEN, §2.2 graph runs --------------------------------------------------------------------------


def test_when_false_writes_skipped_and_descendants_do_not_run(ts):
    """§2.1 / §6.15: WHEN evaluates FALSE -> the run is SKIPPED (one history row) and descendants don't run."""
    ts.execute("CREATE TABLE SRC (ID INT)")
    ts.execute("CREATE STREAM SRC_S ON TABLE SRC")
    ts.execute(f"CREATE TASK ROOT WHEN SYSTEM$STREAM_HAS_DATA('TESTDB.PUBLIC.SRC_S') AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK CHILD AFTER ROOT AS {log_body('CHILD')}")
    ts.execute("ALTER TASK CHILD RESUME")
    ts.execute("EXECUTE TASK ROOT")
    rows = history(ts)
    assert [(r["NAME"], r["STATE"]) for r in rows] == [("ROOT", "SKIPPED")]
    assert rows[0]["CONDITION_TEXT"] == "SYSTEM$STREAM_HAS_DATA('TESTDB.PUBLIC.SRC_S')"
    assert rows[0]["QUERY_ID"] is None  # §3: NULL until the run starts; a skipped run never starts
    assert log_names(ts) == []


def test_when_true_runs_the_graph(ts):
    """§2.1: a WHEN on SYSTEM$STREAM_HAS_DATA lets the run proceed once the stream has data; the body consumes it."""
    ts.execute("CREATE TABLE SRC (ID INT)")
    ts.execute("CREATE TABLE DST (ID INT)")
    ts.execute("CREATE STREAM SRC_S ON TABLE SRC")
    ts.execute(
        "CREATE TASK ROOT WHEN SYSTEM$STREAM_HAS_DATA('SRC_S') AS "
        "INSERT INTO DST SELECT ID FROM SRC_S WHERE METADATA$ACTION = 'INSERT'"
    )
    ts.execute(f"CREATE TASK CHILD AFTER ROOT AS {log_body('CHILD')}")
    ts.execute("ALTER TASK CHILD RESUME")
    ts.execute("INSERT INTO SRC VALUES (1), (2)")
    ts.execute("EXECUTE TASK ROOT")
    assert states(ts) == {"ROOT": ["SUCCEEDED"], "CHILD": ["SUCCEEDED"]}
    assert sorted(ts.execute("SELECT ID FROM DST").rows) == [(1,), (2,)]
    assert ts.execute("SELECT SYSTEM$STREAM_HAS_DATA('SRC_S')").scalar() is False
    ts.execute("EXECUTE TASK ROOT")
    assert states(ts)["ROOT"] == ["SUCCEEDED", "SKIPPED"]


def test_when_false_on_a_child_skips_it_and_its_descendants(ts):
    """§2.1 / §6.15: a child whose WHEN is FALSE is SKIPPED, and the tasks after it don't run."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK GATE AFTER ROOT WHEN 1 = 0 AS {log_body('GATE')}")
    ts.execute(f"CREATE TASK BEHIND AFTER GATE AS {log_body('BEHIND')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == ["ROOT"]
    assert states(ts) == {"ROOT": ["SUCCEEDED"], "GATE": ["SKIPPED"]}


def test_graph_runs_in_dag_order_and_a_task_with_two_parents_waits_for_both(ts):
    """§2.2 / §6.16: tasks run in DAG order; a task with several parents starts after all of them succeeded."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK Z_SLOW_PARENT AFTER ROOT AS {log_body('Z_SLOW_PARENT')}")
    ts.execute(f"CREATE TASK A_PARENT AFTER ROOT AS {log_body('A_PARENT')}")
    ts.execute(f"CREATE TASK JOIN_TASK AFTER A_PARENT, Z_SLOW_PARENT AS {log_body('JOIN_TASK')}")
    ts.execute(f"CREATE TASK AFTER_JOIN AFTER JOIN_TASK AS {log_body('AFTER_JOIN')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    order = log_names(ts)
    assert sorted(order) == sorted(["ROOT", "Z_SLOW_PARENT", "A_PARENT", "JOIN_TASK", "AFTER_JOIN"])
    assert order[0] == "ROOT"
    assert order.index("JOIN_TASK") > max(order.index("A_PARENT"), order.index("Z_SLOW_PARENT"))
    assert order[-1] == "AFTER_JOIN"
    rows = history(ts)
    assert {r["STATE"] for r in rows} == {"SUCCEEDED"}
    assert len({r["GRAPH_RUN_GROUP_ID"] for r in rows}) == 1
    assert len({r["RUN_ID"] for r in rows}) == 1


def test_a_failed_parent_stops_a_child_with_two_parents(ts):
    """§2.2: a task with several parents runs only if every resumed parent succeeded."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute("CREATE TASK BAD_PARENT AFTER ROOT AS INSERT INTO NO_SUCH_TABLE VALUES (1)")
    ts.execute(f"CREATE TASK GOOD_PARENT AFTER ROOT AS {log_body('GOOD_PARENT')}")
    ts.execute(f"CREATE TASK JOIN_TASK AFTER BAD_PARENT, GOOD_PARENT AS {log_body('JOIN_TASK')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == ["ROOT", "GOOD_PARENT"]
    assert states(ts) == {"ROOT": ["SUCCEEDED"], "BAD_PARENT": ["FAILED"], "GOOD_PARENT": ["SUCCEEDED"]}


def test_a_suspended_parent_counts_as_success(ts):
    """§2.2: a suspended child counts as a success: a task with several parents runs if at least one parent is
    resumed and every resumed parent succeeded."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK OFF_PARENT AFTER ROOT AS {log_body('OFF_PARENT')}")
    ts.execute(f"CREATE TASK ON_PARENT AFTER ROOT AS {log_body('ON_PARENT')}")
    ts.execute(f"CREATE TASK JOIN_TASK AFTER OFF_PARENT, ON_PARENT AS {log_body('JOIN_TASK')}")
    ts.execute("ALTER TASK ON_PARENT RESUME")
    ts.execute("ALTER TASK JOIN_TASK RESUME")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == ["ROOT", "ON_PARENT", "JOIN_TASK"]


def test_failure_stops_descendants_and_leaves_the_stream_unconsumed(ts):
    """§2.2 / §1.4: a failure stops every task after it, and the failed task's consuming DML leaves the
    stream's offset unchanged (the changes are still there for the next run)."""
    ts.execute("CREATE TABLE SRC (ID INT, V VARCHAR)")
    ts.execute("CREATE TABLE DST (ID INT)")
    ts.execute("CREATE STREAM SRC_S ON TABLE SRC")
    ts.execute("INSERT INTO SRC VALUES (1, 'not-a-number')")
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute("CREATE TASK LOAD AFTER ROOT AS INSERT INTO DST SELECT CAST(V AS INT) FROM SRC_S")
    ts.execute(f"CREATE TASK AFTER_LOAD AFTER LOAD AS {log_body('AFTER_LOAD')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert states(ts) == {"ROOT": ["SUCCEEDED"], "LOAD": ["FAILED"]}
    assert log_names(ts) == ["ROOT"]
    assert ts.execute("SELECT count(*) FROM DST").scalar() == 0
    assert ts.execute("SELECT ID, V, METADATA$ACTION FROM SRC_S").rows == [(1, "not-a-number", "INSERT")]
    assert ts.execute("SELECT SYSTEM$STREAM_HAS_DATA('TESTDB.PUBLIC.SRC_S')").scalar() is True


def test_failed_run_records_error_code_and_message(ts):
    """§3 / §6.18: a FAILED TASK_HISTORY row takes ERROR_CODE and ERROR_MESSAGE from the exception."""
    ts.execute("CREATE TASK BROKEN AS INSERT INTO NO_SUCH_TABLE VALUES (1)")
    with pytest.raises(SnowflakeError) as direct:
        ts.execute("INSERT INTO NO_SUCH_TABLE VALUES (1)")
    ts.execute("EXECUTE TASK BROKEN")
    (row,) = history(ts)
    assert row["STATE"] == "FAILED"
    assert direct.value.errno == 2003
    assert int(row["ERROR_CODE"]) == direct.value.errno
    assert "NO_SUCH_TABLE" in row["ERROR_MESSAGE"]
    assert row["QUERY_ID"] is not None
    assert row["QUERY_TEXT"] == "INSERT INTO NO_SUCH_TABLE VALUES (1)"
    assert row["COMPLETED_TIME"] is not None and row["QUERY_START_TIME"] is not None


def test_task_history_arguments_and_columns(ts):
    """§3 / §6.18: TASK_HISTORY(RESULT_LIMIT, TASK_NAME, ERROR_ONLY) and its documented columns."""
    ts.execute(f"CREATE TASK GOOD AS {log_body('GOOD')}")
    ts.execute("CREATE TASK BAD AS INSERT INTO NO_SUCH_TABLE VALUES (1)")
    for _ in range(3):
        ts.execute("EXECUTE TASK GOOD")
    ts.execute("EXECUTE TASK BAD")
    r = ts.execute("SELECT * FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY())")
    for column in (
        "QUERY_ID", "NAME", "DATABASE_NAME", "SCHEMA_NAME", "QUERY_TEXT", "CONDITION_TEXT", "STATE", "ERROR_CODE",
        "ERROR_MESSAGE", "SCHEDULED_TIME", "QUERY_START_TIME", "NEXT_SCHEDULED_TIME", "COMPLETED_TIME",
        "ROOT_TASK_ID", "GRAPH_VERSION", "RUN_ID", "RETURN_VALUE", "SCHEDULED_FROM", "ATTEMPT_NUMBER", "CONFIG",
        "GRAPH_RUN_GROUP_ID",
    ):  # fmt: skip
        assert column in r.columns
    assert len(r.rows) == 4
    assert len(history(ts, "RESULT_LIMIT => 2")) == 2
    assert [x["NAME"] for x in history(ts, "TASK_NAME => 'GOOD'")] == ["GOOD"] * 3
    assert [(x["NAME"], x["STATE"]) for x in history(ts, "ERROR_ONLY => TRUE")] == [("BAD", "FAILED")]
    good_id = show_task(ts, "GOOD")["id"]
    assert {x["ROOT_TASK_ID"] for x in history(ts, "TASK_NAME => 'GOOD'")} == {good_id}


# --- §2.1 SUSPEND_TASK_AFTER_NUM_FAILURES, §2.3 RETRY LAST -----------------------------------------------


def test_consecutive_failures_auto_suspend_the_root(ts):
    """§2.1 / §6.17: at SUSPEND_TASK_AFTER_NUM_FAILURES consecutive failed runs the run is recorded as
    FAILED_AND_AUTO_SUSPENDED, the root is suspended, and SHOW TASKS says SUSPENDED_DUE_TO_ERRORS."""
    ts.execute(
        "CREATE TASK FLAKY SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 2 AS INSERT INTO NOPE VALUES (1)"
    )
    ts.execute("ALTER TASK FLAKY RESUME")
    ts.execute("EXECUTE TASK FLAKY")
    assert show_task(ts, "FLAKY")["state"] == "started"
    ts.execute("EXECUTE TASK FLAKY")
    assert states(ts) == {"FLAKY": ["FAILED", "FAILED_AND_AUTO_SUSPENDED"]}
    row = show_task(ts, "FLAKY")
    assert row["state"] == "suspended"
    assert row["last_suspended_reason"] == "SUSPENDED_DUE_TO_ERRORS"
    assert sorted(x["STATE"] for x in history(ts, "ERROR_ONLY => TRUE")) == ["FAILED", "FAILED_AND_AUTO_SUSPENDED"]
    # a suspended root has no next run: its SCHEDULED row goes with the auto-suspension (task_history)
    assert [x["STATE"] for x in history(ts, where="STATE = 'SCHEDULED'", scheduled=True)] == []


def test_a_failing_child_counts_toward_the_roots_failure_limit(ts):
    """§2.1 / §6.17: failures anywhere in the graph count for the root's SUSPEND_TASK_AFTER_NUM_FAILURES."""
    ts.execute(f"CREATE TASK ROOT SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 1 AS {log_body('ROOT')}")
    ts.execute("CREATE TASK CHILD AFTER ROOT AS INSERT INTO NOPE VALUES (1)")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert show_task(ts, "ROOT")["state"] == "suspended"
    assert show_task(ts, "ROOT")["last_suspended_reason"] == "SUSPENDED_DUE_TO_ERRORS"
    assert states(ts)["CHILD"] == ["FAILED_AND_AUTO_SUSPENDED"]


def test_only_consecutive_failures_count_and_skips_do_not(ts):
    """§2.1: the count is of consecutive failed runs; a success resets it; skipped runs don't count."""
    ts.execute("CREATE TABLE SWITCH (FAIL BOOLEAN, RUN BOOLEAN)")
    ts.execute("INSERT INTO SWITCH VALUES (TRUE, TRUE)")
    ts.execute("CREATE TABLE SRC (ID INT)")
    ts.execute("CREATE STREAM SRC_S ON TABLE SRC")
    ts.execute(
        "CREATE TASK T SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 2 "
        "AS INSERT INTO LOG SELECT 1, CAST(CASE WHEN FAIL THEN 'x' ELSE '1' END AS INT) FROM SWITCH"
    )
    ts.execute("ALTER TASK T RESUME")
    ts.execute("EXECUTE TASK T")  # failure 1
    ts.execute("UPDATE SWITCH SET FAIL = FALSE")
    ts.execute("EXECUTE TASK T")  # success: resets the count
    ts.execute("UPDATE SWITCH SET FAIL = TRUE")
    ts.execute("EXECUTE TASK T")  # failure 1 again
    assert show_task(ts, "T")["state"] == "started"
    ts.execute("ALTER TASK T SUSPEND")
    ts.execute("ALTER TASK T MODIFY WHEN SYSTEM$STREAM_HAS_DATA('SRC_S')")
    ts.execute("ALTER TASK T RESUME")
    ts.execute("EXECUTE TASK T")  # skipped: does not count
    assert show_task(ts, "T")["state"] == "started"
    assert states(ts)["T"] == ["FAILED", "SUCCEEDED", "FAILED", "SKIPPED"]


def test_retry_last_reruns_only_the_failed_part_of_the_graph(ts):
    """§2.3 / §6.17: EXECUTE TASK r RETRY LAST re-runs the failed tasks (and what follows them) of the last
    graph run, keeping GRAPH_RUN_GROUP_ID and setting ATTEMPT_NUMBER + 1; succeeded tasks don't run again."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK SIDE AFTER ROOT AS {log_body('SIDE')}")
    ts.execute("CREATE TASK NEEDS_TABLE AFTER ROOT AS INSERT INTO LOG SELECT 100, NAME FROM LATE_TABLE")
    ts.execute(f"CREATE TASK AFTER_IT AFTER NEEDS_TABLE AS {log_body('AFTER_IT')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("ALTER TASK ROOT SUSPEND")
    ts.execute("EXECUTE TASK ROOT")
    first = history(ts)
    assert {(r["NAME"], r["STATE"]) for r in first} == {
        ("ROOT", "SUCCEEDED"),
        ("SIDE", "SUCCEEDED"),
        ("NEEDS_TABLE", "FAILED"),
    }
    group = {r["GRAPH_RUN_GROUP_ID"] for r in first}
    assert len(group) == 1

    ts.execute("CREATE TABLE LATE_TABLE (NAME VARCHAR)")  # fix the data, not the graph
    ts.execute("INSERT INTO LATE_TABLE VALUES ('NEEDS_TABLE')")
    ts.execute("EXECUTE TASK ROOT RETRY LAST")

    retry = [r for r in history(ts) if r["ATTEMPT_NUMBER"] == 2]
    assert sorted((r["NAME"], r["STATE"]) for r in retry) == [("AFTER_IT", "SUCCEEDED"), ("NEEDS_TABLE", "SUCCEEDED")]
    assert {r["GRAPH_RUN_GROUP_ID"] for r in retry} == group
    assert {r["SCHEDULED_FROM"] for r in retry} == {"MANUAL RETRY"}
    assert sorted(log_names(ts)) == sorted(["ROOT", "SIDE", "NEEDS_TABLE", "AFTER_IT"])  # ROOT and SIDE ran once


def test_retry_last_when_the_last_run_did_not_fail_is_rejected(ts):
    """§2.3: RETRY LAST re-runs the failed tasks of the last graph run; with no failed run there is nothing to retry."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    with pytest.raises(SnowflakeError):
        ts.execute("EXECUTE TASK ROOT RETRY LAST")
    ts.execute("EXECUTE TASK ROOT")
    with pytest.raises(SnowflakeError):
        ts.execute("EXECUTE TASK ROOT RETRY LAST")
    assert log_names(ts) == ["ROOT"]


def test_retry_last_after_the_graph_changed_is_rejected(ts):
    """§2.3: RETRY LAST re-runs the failed tasks of an *unchanged* graph; after ALTER TASK ... MODIFY AS the
    graph is a new version and the retry is refused."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute("CREATE TASK CHILD AFTER ROOT AS INSERT INTO NOPE VALUES (1)")
    ts.execute("ALTER TASK CHILD RESUME")
    ts.execute("EXECUTE TASK ROOT")
    ts.execute(f"ALTER TASK CHILD MODIFY AS {log_body('CHILD')}")
    with pytest.raises(SnowflakeError):
        ts.execute("EXECUTE TASK ROOT RETRY LAST")


# --- §2.2 finalizer --------------------------------------------------------------------------------------


def test_finalizer_runs_last_even_after_a_failure(ts):
    """§2.2 / §6.16: the finalizer (FINALIZE = root) runs after everything else has finished, success or failure."""
    ts.execute(f"CREATE TASK ROOT AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK WORK AFTER ROOT AS {log_body('WORK')}")
    ts.execute("CREATE TASK BROKEN AFTER WORK AS INSERT INTO NOPE VALUES (1)")
    ts.execute(f"CREATE TASK CLEANUP FINALIZE = ROOT AS {log_body('CLEANUP')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == ["ROOT", "WORK", "CLEANUP"]
    assert states(ts)["CLEANUP"] == ["SUCCEEDED"]


def test_finalizer_does_not_run_when_the_root_is_skipped(ts):
    """§2.2: the finalizer doesn't run if the root was skipped."""
    ts.execute(f"CREATE TASK ROOT WHEN 1 = 0 AS {log_body('ROOT')}")
    ts.execute(f"CREATE TASK CLEANUP FINALIZE = ROOT AS {log_body('CLEANUP')}")
    ts.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.ROOT')")
    ts.execute("EXECUTE TASK ROOT")
    assert log_names(ts) == []
    assert states(ts) == {"ROOT": ["SKIPPED"]}


def test_finalizer_rules_one_per_root_and_no_schedule(ts):
    """§2.1 / §6.12: one finalizer per root; a finalizer has no SCHEDULE."""
    ts.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS SELECT 1")
    ts.execute("CREATE TASK FIN FINALIZE = ROOT AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK FIN2 FINALIZE = ROOT AS SELECT 1")
    with pytest.raises(SnowflakeError):
        ts.execute("CREATE TASK FIN3 SCHEDULE = '1 MINUTE' FINALIZE = ROOT AS SELECT 1")


# --- §2.1 body ------------------------------------------------------------------------------------------


def test_scripting_block_body_runs_each_statement_with_task_name(ts):
    """§2.1 body / §6.19: a BEGIN…END block runs statement by statement; SYSTEM$CURRENT_USER_TASK_NAME()
    returns the running task's fully qualified name."""
    ts.execute(
        "CREATE TASK BLOCKY AS\nBEGIN\n"
        f"  {log_body('first')};\n"
        "  INSERT INTO LOG SELECT 2, SYSTEM$CURRENT_USER_TASK_NAME();\n"
        "END"
    )
    ts.execute("EXECUTE TASK BLOCKY")
    assert log_names(ts) == ["first", "TESTDB.PUBLIC.BLOCKY"]
    assert states(ts) == {"BLOCKY": ["SUCCEEDED"]}


# --- §6.20 the scheduler on a virtual clock ----------------------------------------------------------------


@pytest.fixture
def sched_session(clocked_session):
    clocked_session.execute("CREATE TABLE LOG (SEQ INT, NAME VARCHAR)")
    return clocked_session


def test_scheduler_runs_a_started_root_on_its_interval_counted_from_resume(sched_session, clock):
    """§2.1 / §6.20: an interval schedule counts from RESUME; a tick before the first interval runs nothing,
    a tick after it runs the graph once, with SCHEDULED_FROM = SCHEDULE and the scheduled time."""
    s = sched_session
    s.execute(f"CREATE TASK EVERY_MINUTE SCHEDULE = '1 MINUTE' AS {log_body('tick')}")
    resumed = clock.now
    s.execute("ALTER TASK EVERY_MINUTE RESUME")
    assert scheduler.tick(s.engine, resumed + dt.timedelta(seconds=30)) == []
    assert len(scheduler.tick(s.engine, resumed + dt.timedelta(seconds=61))) == 1
    assert scheduler.tick(s.engine, resumed + dt.timedelta(seconds=62)) == []
    (row,) = history(s)
    assert row["STATE"] == "SUCCEEDED"
    assert row["SCHEDULED_FROM"] == "SCHEDULE"
    assert row["SCHEDULED_TIME"] == resumed + dt.timedelta(minutes=1)


def test_a_started_root_lists_its_next_run_as_scheduled(sched_session, clock):
    """§3 (task_history: STATE "SCHEDULED"): a started root's next run is one SCHEDULED row, with no query id,
    until it runs; then the run's rows appear and the following run is SCHEDULED; suspending removes it.
    https://docs.snowflake.com/en/sql-reference/functions/task_history"""
    s = sched_session
    s.execute(f"CREATE TASK EVERY_MINUTE SCHEDULE = '1 MINUTE' AS {log_body('tick')}")
    assert history(s, scheduled=True) == []
    resumed = clock.now
    s.execute("ALTER TASK EVERY_MINUTE RESUME")
    (row,) = history(s, scheduled=True)
    assert (row["NAME"], row["STATE"], row["QUERY_ID"]) == ("EVERY_MINUTE", "SCHEDULED", None)
    assert row["SCHEDULED_TIME"] == resumed + dt.timedelta(minutes=1)
    assert row["ROOT_TASK_ID"] == show_task(s, "EVERY_MINUTE")["id"]
    scheduler.tick(s.engine, resumed + dt.timedelta(seconds=61))
    rows = history(s, scheduled=True)
    assert sorted((r["STATE"], r["SCHEDULED_TIME"]) for r in rows) == [
        ("SCHEDULED", resumed + dt.timedelta(minutes=2)),
        ("SUCCEEDED", resumed + dt.timedelta(minutes=1)),
    ]
    s.execute("ALTER TASK EVERY_MINUTE SUSPEND")
    assert [r["STATE"] for r in history(s, scheduled=True)] == ["SUCCEEDED"]


def test_a_child_or_a_task_without_schedule_has_no_scheduled_row(sched_session, clock):
    """§3: only a graph's root is scheduled; a root without SCHEDULE runs only by EXECUTE TASK."""
    s = sched_session
    s.execute("CREATE TASK ROOT SCHEDULE = '5 MINUTE' AS SELECT 1")
    s.execute("CREATE TASK CHILD AFTER ROOT AS SELECT 1")
    s.execute("CREATE TASK MANUAL AS SELECT 1")
    s.execute("ALTER TASK CHILD RESUME")
    s.execute("ALTER TASK ROOT RESUME")
    s.execute("ALTER TASK MANUAL RESUME")
    assert [(r["NAME"], r["STATE"]) for r in history(s, scheduled=True)] == [("ROOT", "SCHEDULED")]
    s.execute("ALTER TASK ROOT SUSPEND")
    s.execute("DROP TASK MANUAL")
    assert history(s, scheduled=True) == []


def test_scheduler_skips_missed_scheduled_times_instead_of_queueing(sched_session, clock):
    """§2.2: scheduled times that pass while nothing runs are skipped, not queued: one run for the latest."""
    s = sched_session
    s.execute(f"CREATE TASK EVERY_MINUTE SCHEDULE = '1 MINUTE' AS {log_body('tick')}")
    resumed = clock.now
    s.execute("ALTER TASK EVERY_MINUTE RESUME")
    assert len(scheduler.tick(s.engine, resumed + dt.timedelta(minutes=5, seconds=30))) == 1
    assert [r["SCHEDULED_TIME"] for r in history(s)] == [resumed + dt.timedelta(minutes=5)]
    assert log_names(s) == ["tick"]


def test_scheduler_ignores_suspended_roots(sched_session, clock):
    """§2.3: suspending the root cancels future runs."""
    s = sched_session
    s.execute(f"CREATE TASK EVERY_MINUTE SCHEDULE = '1 MINUTE' AS {log_body('tick')}")
    s.execute("ALTER TASK EVERY_MINUTE RESUME")
    s.execute("ALTER TASK EVERY_MINUTE SUSPEND")
    assert scheduler.tick(s.engine, clock.now + dt.timedelta(minutes=3)) == []
    assert history(s) == []


def test_scheduler_resume_restarts_interval_counting(sched_session, clock):
    """§2.1 / §6.20: RESUME restarts interval counting."""
    s = sched_session
    s.execute(f"CREATE TASK EVERY_TEN SCHEDULE = '10 MINUTE' AS {log_body('tick')}")
    s.execute("ALTER TASK EVERY_TEN RESUME")
    clock.advance(minutes=7)
    s.execute("ALTER TASK EVERY_TEN SUSPEND")
    s.execute("ALTER TASK EVERY_TEN RESUME")
    resumed = clock.now
    # 10 minutes after the first RESUME is only 3 minutes after the second: not due.
    assert scheduler.tick(s.engine, resumed + dt.timedelta(minutes=3, seconds=1)) == []
    assert len(scheduler.tick(s.engine, resumed + dt.timedelta(minutes=10, seconds=1))) == 1
    assert [r["SCHEDULED_TIME"] for r in history(s)] == [resumed + dt.timedelta(minutes=10)]


def test_scheduler_cron_uses_its_stated_time_zone(sched_session, clock):
    """§2.1 / §6.20: a cron schedule fires in its stated time zone (09:00 Europe/Paris = 08:00 UTC in winter)."""
    s = sched_session
    s.execute(f"CREATE TASK MORNING SCHEDULE = 'USING CRON 0 9 * * * Europe/Paris' AS {log_body('morning')}")
    s.execute("ALTER TASK MORNING RESUME")
    assert scheduler.tick(s.engine, dt.datetime(2024, 1, 2, 7, 59)) == []
    assert len(scheduler.tick(s.engine, dt.datetime(2024, 1, 2, 8, 0, 30))) == 1
    assert [r["SCHEDULED_TIME"] for r in history(s)] == [dt.datetime(2024, 1, 2, 8, 0)]


def test_scheduled_run_with_false_when_is_skipped(sched_session, clock):
    """§2.1 / §6.15: a scheduled run whose WHEN is FALSE leaves a SKIPPED row and runs nothing."""
    s = sched_session
    s.execute("CREATE TABLE SRC (ID INT)")
    s.execute("CREATE STREAM SRC_S ON TABLE SRC")
    s.execute(f"CREATE TASK GATED SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('SRC_S') AS {log_body('ran')}")
    s.execute("ALTER TASK GATED RESUME")
    scheduler.tick(s.engine, clock.now + dt.timedelta(seconds=61))
    assert [(r["STATE"], r["SCHEDULED_FROM"]) for r in history(s)] == [("SKIPPED", "SCHEDULE")]
    assert log_names(s) == []
