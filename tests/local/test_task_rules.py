"""Snowflake's task-graph rules on the local engine: what may change while a graph runs ([Fidelity]).

Each test states the documented Snowflake behaviour it mirrors (SNOWFLAKE_SEMANTICS.md §2.1-§2.3):
- https://docs.snowflake.com/en/sql-reference/sql/alter-task and
  https://docs.snowflake.com/en/user-guide/tasks-graphs: the root must be suspended before a task of its graph
  is resumed, suspended, modified or re-linked ("Unable to update graph with root task ... since that root task
  is not suspended");
- https://docs.snowflake.com/release-notes/bcr-bundles/2026_06/bcr-2363 (pending): before that bundle, ALTER TASK
  on a resumed standalone task returns an error, and a task of a graph always needs its root suspended;
- https://docs.snowflake.com/en/sql-reference/sql/create-task: a finalizer has no schedule and no children, one per
  root; CREATE OR REPLACE makes a new, suspended task;
- https://docs.snowflake.com/en/sql-reference/sql/execute-task: RETRY LAST re-runs the last graph run only when it
  failed or was cancelled.
"""

from __future__ import annotations

import pytest

from caves.local import SnowflakeError


@pytest.fixture
def graph(session):
    session.execute("CREATE TABLE LOG (NAME VARCHAR)")
    session.execute("CREATE TASK ROOT SCHEDULE = '1 MINUTE' AS INSERT INTO LOG VALUES ('root')")
    # CHILD fails while its source table SRC does not exist
    session.execute("CREATE TASK CHILD AFTER ROOT AS INSERT INTO LOG SELECT NAME FROM SRC")
    session.execute("CREATE TASK SOLO SCHEDULE = '5 MINUTE' AS INSERT INTO LOG VALUES ('solo')")
    session.execute("ALTER TASK CHILD RESUME")
    session.execute("ALTER TASK ROOT RESUME")
    session.execute("ALTER TASK SOLO RESUME")
    return session


def state(session, name: str) -> str:
    return next(d["state"] for d in session.execute("SHOW TASKS").dicts() if d["name"] == name)


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TASK CHILD SUSPEND",
        "ALTER TASK CHILD RESUME",
        "ALTER TASK CHILD MODIFY AS INSERT INTO LOG VALUES ('x')",
        "ALTER TASK CHILD SET COMMENT = 'x'",
        "ALTER TASK CHILD MODIFY WHEN 1 = 1",
        "ALTER TASK ROOT SET SCHEDULE = '2 MINUTE'",
        "ALTER TASK ROOT MODIFY AS SELECT 1",
        "CREATE OR REPLACE TASK CHILD AFTER ROOT AS SELECT 1",
    ],
)
def test_a_running_graph_cannot_be_changed(graph, statement):
    """alter-task / tasks-graphs: with the root started, changing (or resuming, suspending) a task of its
    graph is refused, and the error says what to do instead: suspend the root first."""
    with pytest.raises(SnowflakeError, match="Suspend the root task first"):
        graph.execute(statement)
    assert state(graph, "CHILD") == "started" and state(graph, "ROOT") == "started"


def test_with_the_root_suspended_the_graph_can_change(graph):
    """alter-task: suspend the root, change the children, resume them, then the root (children first)."""
    graph.execute("ALTER TASK ROOT SUSPEND")
    graph.execute("ALTER TASK CHILD SUSPEND")
    graph.execute("ALTER TASK CHILD SET COMMENT = 'changed'")
    graph.execute("ALTER TASK ROOT SET SCHEDULE = '2 MINUTE'")
    graph.execute("ALTER TASK CHILD RESUME")
    graph.execute("ALTER TASK ROOT RESUME")
    assert (state(graph, "ROOT"), state(graph, "CHILD")) == ("started", "started")


def test_a_started_standalone_task(graph):
    """bcr-2363 (pending): ALTER TASK ... SET on a resumed standalone task is an error until the bundle; it may
    be suspended and resumed at will, and CREATE OR REPLACE gives a new, suspended task."""
    with pytest.raises(SnowflakeError, match="Suspend the root task first"):
        graph.execute("ALTER TASK SOLO SET SCHEDULE = '10 MINUTE'")
    graph.execute("CREATE OR REPLACE TASK SOLO SCHEDULE = '10 MINUTE' AS INSERT INTO LOG VALUES ('solo2')")
    assert state(graph, "SOLO") == "suspended"


def test_finalizer_rules(graph):
    """create-task FINALIZE: a finalizer has no children; ALTER TASK ... SET FINALIZE follows the same rules and
    needs the root suspended; a root has one finalizer."""
    graph.execute("ALTER TASK ROOT SUSPEND")
    graph.execute("CREATE TASK FIN AS INSERT INTO LOG VALUES ('fin')")
    graph.execute("ALTER TASK FIN SET FINALIZE = ROOT")
    assert next(d for d in graph.execute("SHOW TASKS").dicts() if d["name"] == "FIN")["predecessors"] in ("[]", None)
    with pytest.raises(SnowflakeError, match="a finalizer cannot have child tasks"):
        graph.execute("CREATE TASK AFTER_FIN AFTER FIN AS SELECT 1")
    graph.execute("CREATE TASK FIN2 AS SELECT 1")
    with pytest.raises(SnowflakeError, match="already has a finalizer"):
        graph.execute("ALTER TASK FIN2 SET FINALIZE = ROOT")
    with pytest.raises(SnowflakeError, match="cannot have a SCHEDULE or predecessors"):
        graph.execute("ALTER TASK CHILD SET FINALIZE = ROOT")
    graph.execute("ALTER TASK FIN RESUME")
    graph.execute("ALTER TASK ROOT RESUME")
    with pytest.raises(SnowflakeError, match="Suspend the root task first"):
        graph.execute("ALTER TASK FIN SUSPEND")
    graph.execute("EXECUTE TASK ROOT")
    assert [r[0] for r in graph.execute("SELECT NAME FROM LOG").rows][-1] == "fin"


def test_retry_last_only_after_a_failed_run(graph):
    """execute-task RETRY LAST: after a failed run it re-runs the failed task (attempt 2); once that retry has
    succeeded, the last graph run no longer failed and a further RETRY LAST is refused, recording nothing."""
    graph.execute("ALTER TASK ROOT SUSPEND")
    with pytest.raises(SnowflakeError, match="did not fail"):
        graph.execute("EXECUTE TASK ROOT RETRY LAST")  # no run yet
    graph.execute("EXECUTE TASK ROOT")  # CHILD fails: no SRC
    graph.execute("CREATE TABLE SRC (NAME VARCHAR)")
    graph.execute("EXECUTE TASK ROOT RETRY LAST")
    runs = graph.execute(
        "SELECT NAME, STATE, ATTEMPT_NUMBER FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY()) "
        "ORDER BY ATTEMPT_NUMBER, NAME"
    ).rows
    assert ("CHILD", "FAILED", 1) in runs and ("CHILD", "SUCCEEDED", 2) in runs
    before = len(runs)
    with pytest.raises(SnowflakeError, match="did not fail"):
        graph.execute("EXECUTE TASK ROOT RETRY LAST")
    after = graph.execute("SELECT COUNT(*) FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY())").scalar()
    assert after == before
