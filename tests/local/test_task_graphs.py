"""Graph-level run views on the local engine: COMPLETE_TASK_GRAPHS and CURRENT_TASK_GRAPHS ([Fidelity]).

SNOWFLAKE_SEMANTICS.md §3 "Graph views", from the reference pages:
- https://docs.snowflake.com/en/sql-reference/functions/complete_task_graphs: one row per graph run completed in
  the last 60 minutes, newest COMPLETED_TIME first; STATE SUCCEEDED, FAILED (a task failed) or CANCELLED; no row
  when the root run was SKIPPED; FIRST_ERROR_TASK_NAME / _CODE / _MESSAGE name the first task that failed;
  arguments RESULT_LIMIT (default 1000), ROOT_TASK_NAME (unqualified, case-insensitive), ERROR_ONLY.
- https://docs.snowflake.com/en/sql-reference/functions/current_task_graphs: graph runs executing now or scheduled
  within the next 8 days, newest SCHEDULED_TIME first; arguments RESULT_LIMIT and ROOT_TASK_NAME.
The engine's session clock is the wall clock here: the 60-minute window is measured on it.
"""

from __future__ import annotations

COMPLETE_COLUMNS = [
    "ROOT_TASK_NAME", "DATABASE_NAME", "SCHEMA_NAME", "STATE", "SCHEDULED_FROM", "FIRST_ERROR_TASK_NAME",
    "FIRST_ERROR_CODE", "FIRST_ERROR_MESSAGE", "SCHEDULED_TIME", "QUERY_START_TIME", "NEXT_SCHEDULED_TIME",
    "COMPLETED_TIME", "ROOT_TASK_ID", "GRAPH_VERSION", "RUN_ID", "ATTEMPT_NUMBER", "CONFIG", "GRAPH_RUN_GROUP_ID",
]  # fmt: skip
CURRENT_COLUMNS = [
    "ROOT_TASK_NAME", "DATABASE_NAME", "SCHEMA_NAME", "STATE", "SCHEDULED_FROM", "SCHEDULED_TIME",
    "QUERY_START_TIME", "NEXT_SCHEDULED_TIME", "ROOT_TASK_ID", "GRAPH_VERSION", "RUN_ID", "ATTEMPT_NUMBER",
    "CONFIG", "GRAPH_RUN_GROUP_ID",
]  # fmt: skip


def _graph(s) -> None:
    s.execute("CREATE TABLE LOG (NAME VARCHAR)")
    s.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS INSERT INTO LOG VALUES ('root')")
    # CHILD fails while its source table SRC does not exist
    s.execute("CREATE TASK CHILD AFTER ROOT AS INSERT INTO LOG SELECT NAME FROM SRC")
    s.execute("ALTER TASK CHILD RESUME")


def complete(s, args: str = "") -> list[dict]:
    return s.execute(f"SELECT * FROM TABLE(INFORMATION_SCHEMA.COMPLETE_TASK_GRAPHS({args}))").dicts()


def current(s, args: str = "") -> list[dict]:
    return s.execute(f"SELECT * FROM TABLE(INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS({args}))").dicts()


def test_complete_task_graphs_has_one_row_per_graph_run_with_the_first_error(session):
    s = session
    _graph(s)
    s.execute("EXECUTE TASK ROOT")  # CHILD fails
    s.execute("CREATE TABLE SRC (NAME VARCHAR)")
    s.execute("EXECUTE TASK ROOT")  # all succeed
    result = s.execute("SELECT * FROM TABLE(INFORMATION_SCHEMA.COMPLETE_TASK_GRAPHS())")
    assert result.columns == COMPLETE_COLUMNS
    newest, oldest = result.dicts()
    assert (newest["ROOT_TASK_NAME"], newest["STATE"], newest["FIRST_ERROR_TASK_NAME"]) == ("ROOT", "SUCCEEDED", None)
    assert (oldest["STATE"], oldest["FIRST_ERROR_TASK_NAME"]) == ("FAILED", "CHILD")
    assert oldest["FIRST_ERROR_CODE"] == 2003 and "SRC" in oldest["FIRST_ERROR_MESSAGE"]
    assert newest["COMPLETED_TIME"] >= oldest["COMPLETED_TIME"]
    assert {r["SCHEDULED_FROM"] for r in (newest, oldest)} == {"EXECUTE_TASK"}
    assert newest["RUN_ID"] != oldest["RUN_ID"] and newest["DATABASE_NAME"] == "TESTDB"


def test_complete_task_graphs_filters_by_root_errors_and_limit(session):
    s = session
    _graph(s)
    s.execute("CREATE TASK OTHER SCHEDULE = '5 MINUTE' AS SELECT 1")
    s.execute("EXECUTE TASK ROOT")
    s.execute("EXECUTE TASK OTHER")
    assert [r["ROOT_TASK_NAME"] for r in complete(s, "ERROR_ONLY => TRUE")] == ["ROOT"]
    assert [r["ROOT_TASK_NAME"] for r in complete(s, "ROOT_TASK_NAME => 'other'")] == ["OTHER"]
    assert len(complete(s, "RESULT_LIMIT => 1")) == 1
    assert len(complete(s)) == 2


def test_a_skipped_root_leaves_no_graph_run(session):
    s = session
    s.execute("CREATE TABLE SRC (ID INT)")
    s.execute("CREATE STREAM SRC_S ON TABLE SRC")
    s.execute("CREATE TASK GATED SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('SRC_S') AS SELECT 1")
    s.execute("EXECUTE TASK GATED")  # nothing in the stream: the root run is SKIPPED
    assert [r["STATE"] for r in s.execute("SELECT STATE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())").dicts()] == [
        "SKIPPED"
    ]
    assert complete(s) == []


def test_current_task_graphs_lists_the_next_scheduled_run_of_started_roots(session):
    s = session
    _graph(s)
    assert current(s) == []
    s.execute("ALTER TASK ROOT RESUME")
    result = s.execute("SELECT * FROM TABLE(INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS())")
    assert result.columns == CURRENT_COLUMNS
    (row,) = result.dicts()
    assert (row["ROOT_TASK_NAME"], row["STATE"], row["SCHEDULED_FROM"]) == ("ROOT", "SCHEDULED", "SCHEDULE")
    assert row["QUERY_START_TIME"] is None
    assert current(s, "ROOT_TASK_NAME => 'nope'") == []
    s.execute("ALTER TASK ROOT SUSPEND")
    assert current(s) == []


def test_a_completed_run_is_no_longer_current(session):
    s = session
    _graph(s)
    s.execute("EXECUTE TASK ROOT")
    assert current(s) == [] and len(complete(s)) == 1
