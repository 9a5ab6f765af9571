"""Task-graph runs: EXECUTE TASK [RETRY LAST] and the runs the scheduler starts (SNOWFLAKE_SEMANTICS.md §2.2-§3).

A graph run evaluates the root's WHEN first (FALSE: one SKIPPED row, nothing else runs), then runs the tasks
in DAG order, each body in its own autocommit session; a failure stops the failed task's descendants and counts
toward the root's SUSPEND_TASK_AFTER_NUM_FAILURES. Every run leaves rows in ``_CAVES.TASK_HISTORY`` that
``TABLE(INFORMATION_SCHEMA.TASK_HISTORY(...))`` returns. One claim per root keeps two processes from running
the same graph at once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..sqlscript import parse_block
from .errors import ObjectNotFound, SnowflakeError
from .names import INTERNAL_SCHEMA, ObjectName, quote
from .result import Result
from .tasks import Task, by_fqn, finalizers_of, graph_of, reconcile_scheduled_runs, require_task

if TYPE_CHECKING:
    from .engine import Engine, Session

_S = quote(INTERNAL_SCHEMA)


@dataclass
class RunOutcome:
    root: str
    state: str  # SUCCEEDED | FAILED | SKIPPED | NOT_RUN
    tasks: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def owner_token() -> str:
    """Who runs a graph (or an alert): this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(token: str | None) -> bool:
    """Whether the process that claimed a run still lives (another host: assumed alive)."""
    if not token:
        return False
    host, _, pid = token.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def _history(session: Session, **values: object) -> None:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    with session.cursor() as cur:
        cur.execute(f"INSERT INTO {_S}.TASK_HISTORY ({cols}) VALUES ({marks})", list(values.values()))


def _history_update(session: Session, query_id: str, **values: object) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    with session.cursor() as cur:
        cur.execute(f"UPDATE {_S}.TASK_HISTORY SET {sets} WHERE QUERY_ID = ?", [*values.values(), query_id])


def _evaluate_condition(session: Session, condition: str) -> bool:
    return bool(session.execute(f"SELECT ({condition})").scalar())


def run_body(session: Session, body: str) -> None:
    """Run a task body: one statement, or a Snowflake Scripting ``BEGIN ... [EXCEPTION WHEN ...] END`` block.

    Scripting support is what task bodies need: statements in order, transactions, and an exception
    handler (``WHEN OTHER`` / ``STATEMENT_ERROR``) whose ``RAISE;`` re-raises the error.
    """
    block = parse_block(body)
    if block is None:
        session.execute(body.strip().rstrip(";").strip())
        return
    try:
        for stmt in block.statements:
            session.execute(stmt)
    except SnowflakeError:
        handler = block.handlers.get("OTHER") or block.handlers.get("STATEMENT_ERROR")
        if handler is None:
            if session.in_transaction:
                session.rollback()
            raise
        for stmt in handler:
            if re.match(r"^RAISE\s*$", stmt, re.I):
                raise
            session.execute(stmt)
        return
    finally:
        if session.in_transaction:
            # Snowflake rolls back a transaction that a block leaves open when it ends.
            session.rollback()


def run_graph(
    engine: Engine,
    root_name: ObjectName,
    *,
    scheduled_time: dt.datetime,
    scheduled_from: str,
    only_failed_of: str | None = None,
) -> RunOutcome:
    """Run one graph now, as Snowflake's scheduler would (§2.2): WHEN first, DAG order, failures stop descendants."""
    control = engine.session(root_name.database, root_name.schema)
    try:
        tasks = by_fqn(control)
        root = tasks.get(root_name.fqn)
        if root is None:
            raise ObjectNotFound("Task", root_name.fqn)
        if not _claim_graph(control, root):
            return RunOutcome(root.name.fqn, "NOT_RUN", error="a run of this graph is already in progress")
        try:
            return _run_claimed(engine, control, tasks, root, scheduled_time, scheduled_from, only_failed_of)
        finally:
            _release_graph(control, root)
    finally:
        control.close()


def _claim_graph(session: Session, root: Task) -> bool:
    """No overlapping runs of a graph (§2.2), across processes: a run marker with its owner's pid."""
    token = owner_token()
    with session.engine.write_lock, session.cursor() as cur:
        current = cur.execute(f"SELECT RUNNING_OWNER FROM {_S}.GRAPH_RUNS WHERE ROOT_ID = ?", [root.id]).fetchone()
        if current is not None and current[0] and owner_alive(current[0]):
            return False
        if current is not None and current[0]:
            # The previous owner died mid-run (e.g. SIGKILL): its EXECUTING rows will never finish.
            cur.execute(
                f"UPDATE {_S}.TASK_HISTORY SET STATE = 'CANCELLED', COMPLETED_TIME = ?, "
                "ERROR_MESSAGE = 'the process running the graph ended' WHERE ROOT_TASK_ID = ? AND STATE = 'EXECUTING'",
                [session.engine.clock(), root.id],
            )
        cur.execute(f"DELETE FROM {_S}.GRAPH_RUNS WHERE ROOT_ID = ?", [root.id])
        cur.execute(f"INSERT INTO {_S}.GRAPH_RUNS VALUES (?, ?)", [root.id, token])
    return True


def _release_graph(session: Session, root: Task) -> None:
    with session.engine.write_lock, session.cursor() as cur:
        cur.execute(f"DELETE FROM {_S}.GRAPH_RUNS WHERE ROOT_ID = ?", [root.id])


def _next_run_id(session: Session) -> int:
    with session.engine.write_lock, session.cursor() as cur:
        return cur.execute(f"SELECT nextval('{INTERNAL_SCHEMA}.RUN_IDS')").fetchone()[0]


def _run_claimed(
    engine: Engine,
    control: Session,
    tasks: dict[str, Task],
    root: Task,
    scheduled_time: dt.datetime,
    scheduled_from: str,
    only_failed_of: str | None,
) -> RunOutcome:
    order = graph_of(tasks, root)
    group_id = only_failed_of or str(uuid.uuid4())
    attempt = 1
    rerun: set[str] | None = None
    if only_failed_of:
        attempt, rerun = _retry_plan(control, root, only_failed_of, order)
    run_id = _next_run_id(control)
    outcome = RunOutcome(root.name.fqn, "SUCCEEDED")
    state: dict[str, str] = {}
    finalizers = {t.name.fqn for t in finalizers_of(tasks, root)}
    for task in order:
        fqn = task.name.fqn
        if fqn in finalizers:
            if task.started:  # §2.2: after everything else, success or failure
                outcome.tasks[fqn] = _run_one(
                    engine, control, task, root, scheduled_time, scheduled_from, group_id, run_id, attempt
                )
            continue
        if rerun is not None and fqn not in rerun:
            state[fqn] = "SUCCEEDED"
            continue
        if task is not root:
            if not task.started:
                continue  # a suspended child is not run; its children see no resumed parent
            parents = [p for p in task.predecessors if p in state or (p in tasks and tasks[p].started)]
            if not parents or any(state.get(p) != "SUCCEEDED" for p in parents):
                continue
        task_state = _run_one(engine, control, task, root, scheduled_time, scheduled_from, group_id, run_id, attempt)
        state[fqn] = task_state
        outcome.tasks[fqn] = task_state
        if task is root and task_state == "SKIPPED":
            outcome.state = "SKIPPED"
            return outcome
        if task_state.startswith("FAILED"):
            outcome.state = "FAILED"
    _count_failures(control, root, outcome)
    return outcome


def _retry_plan(control: Session, root: Task, group_id: str, order: list[Task]) -> tuple[int, set[str]]:
    """EXECUTE TASK ... RETRY LAST: re-run the failed tasks of the last graph run and what follows them."""
    with control.cursor() as cur:
        rows = cur.execute(
            f"SELECT NAME, DATABASE_NAME, SCHEMA_NAME, STATE, ATTEMPT_NUMBER FROM {_S}.TASK_HISTORY "
            "WHERE GRAPH_RUN_GROUP_ID = ? ORDER BY ATTEMPT_NUMBER",
            [group_id],
        ).fetchall()
    latest: dict[str, str] = {}
    attempt = 1
    for name, db, schema, st, att in rows:
        latest[f"{db}.{schema}.{name}"] = st
        attempt = max(attempt, att)
    failed = {fqn for fqn, st in latest.items() if st.startswith("FAILED")}
    rerun: set[str] = set()
    for task in order:
        if task.name.fqn in failed or any(p in rerun for p in task.predecessors):
            rerun.add(task.name.fqn)
    return attempt + 1, rerun


def _run_one(
    engine: Engine,
    control: Session,
    task: Task,
    root: Task,
    scheduled_time: dt.datetime,
    scheduled_from: str,
    group_id: str,
    run_id: int,
    attempt: int,
) -> str:
    query_id = str(uuid.uuid4())
    common = dict(
        NAME=task.name.name,
        DATABASE_NAME=task.name.database,
        SCHEMA_NAME=task.name.schema,
        QUERY_TEXT=task.row["DEFINITION"],
        CONDITION_TEXT=task.row["CONDITION"],
        SCHEDULED_TIME=scheduled_time,
        ROOT_TASK_ID=root.id,
        GRAPH_VERSION=task.row["GRAPH_VERSION"],
        RUN_ID=run_id,
        SCHEDULED_FROM=scheduled_from,
        ATTEMPT_NUMBER=attempt,
        CONFIG=root.row["CONFIG"],
        GRAPH_RUN_GROUP_ID=group_id,
        TASK_ID=task.id,
    )
    worker = engine.session(task.name.database, task.name.schema)
    worker.task_name = task.name.fqn
    try:
        if task.row["CONDITION"]:
            try:
                proceed = _evaluate_condition(worker, task.row["CONDITION"])
            except SnowflakeError as exc:
                _history(
                    control, QUERY_ID=None, STATE="FAILED", ERROR_CODE=str(exc.errno), ERROR_MESSAGE=exc.msg,
                    QUERY_START_TIME=engine.clock(), COMPLETED_TIME=engine.clock(), **common,
                )  # fmt: skip
                return "FAILED"
            if not proceed:
                _history(
                    control, QUERY_ID=None, STATE="SKIPPED", ERROR_CODE=None,
                    ERROR_MESSAGE="Conditional expression for task evaluated to false.",
                    COMPLETED_TIME=engine.clock(), **common,
                )  # fmt: skip
                return "SKIPPED"
        started = engine.clock()
        _history(control, QUERY_ID=query_id, STATE="EXECUTING", QUERY_START_TIME=started, **common)
        with worker.cursor() as cur:
            cur.execute("SET VARIABLE CAVES_TASK_NAME = ?", [task.name.fqn])
        try:
            run_body(worker, task.row["DEFINITION"])
        except SnowflakeError as exc:
            _history_update(
                control, query_id, STATE="FAILED", ERROR_CODE=str(exc.errno), ERROR_MESSAGE=exc.msg,
                COMPLETED_TIME=engine.clock(),
            )  # fmt: skip
            return "FAILED"
        except Exception as exc:  # a bug or resource error in the body still fails the run, never the scheduler
            _history_update(
                control, query_id, STATE="FAILED", ERROR_CODE="100000", ERROR_MESSAGE=str(exc)[:2000],
                COMPLETED_TIME=engine.clock(),
            )  # fmt: skip
            return "FAILED"
        _history_update(control, query_id, STATE="SUCCEEDED", COMPLETED_TIME=engine.clock())
        return "SUCCEEDED"
    finally:
        worker.close()


def _count_failures(control: Session, root: Task, outcome: RunOutcome) -> None:
    """§2.1 SUSPEND_TASK_AFTER_NUM_FAILURES: consecutive failed graph runs suspend the root."""
    with control.engine.write_lock, control.cursor() as cur:
        if outcome.state != "FAILED":
            cur.execute(f"UPDATE {_S}.TASKS SET CONSECUTIVE_FAILURES = 0 WHERE ID = ?", [root.id])
            return
        failures = cur.execute(
            f"UPDATE {_S}.TASKS SET CONSECUTIVE_FAILURES = CONSECUTIVE_FAILURES + 1 WHERE ID = ? "
            "RETURNING CONSECUTIVE_FAILURES, SUSPEND_TASK_AFTER_NUM_FAILURES, STATE",
            [root.id],
        ).fetchone()
        count, limit, state = failures
        if limit and count >= limit and state == "started":
            cur.execute(
                f"UPDATE {_S}.TASKS SET STATE = 'suspended', LAST_SUSPENDED_ON = ?, "
                "LAST_SUSPENDED_REASON = 'SUSPENDED_DUE_TO_ERRORS' WHERE ID = ?",
                [control.engine.clock(), root.id],
            )
            cur.execute(
                f"UPDATE {_S}.TASK_HISTORY SET STATE = 'FAILED_AND_AUTO_SUSPENDED' WHERE QUERY_ID = ("
                f"SELECT QUERY_ID FROM {_S}.TASK_HISTORY WHERE ROOT_TASK_ID = ? AND STATE = 'FAILED' "
                "ORDER BY COMPLETED_TIME DESC LIMIT 1)",
                [root.id],
            )
            reconcile_scheduled_runs(cur, control.engine.clock(), control.engine.schedule_scale)  # no next run
            outcome.state = "FAILED_AND_AUTO_SUSPENDED"


def execute_task(session: Session, text: str) -> Result:
    """EXECUTE TASK <root> [RETRY LAST]: runs the graph now (§2.3), without resuming it.

    Deviation, stated: Snowflake queues the run and returns at once; the local engine runs it before
    returning, so that a script can read TASK_HISTORY right after.
    """
    match = re.match(r"^\s*EXECUTE\s+TASK\s+([\w$.\"]+)\s*(RETRY\s+LAST)?\s*$", text, re.I)
    if not match:
        raise SnowflakeError("SQL compilation error: invalid EXECUTE TASK.", errno=1003)
    task = require_task(session, match.group(1))
    if task.predecessors:
        raise SnowflakeError(
            f"Cannot execute task {task.name.name}: it is not a root task. Execute its root task instead.", errno=91091
        )
    retry_group = None
    scheduled_from = "EXECUTE_TASK"
    if match.group(2):
        with session.cursor() as cur:
            # The latest graph run's outcome is each task's latest attempt: after a retry that succeeded,
            # there is nothing left to retry (execute-task, RETRY LAST: "the last failed or cancelled run").
            row = cur.execute(
                f"WITH RUNS AS (SELECT GRAPH_RUN_GROUP_ID, NAME, STATE, SCHEDULED_TIME, row_number() OVER "
                f"(PARTITION BY GRAPH_RUN_GROUP_ID, NAME ORDER BY ATTEMPT_NUMBER DESC) AS N FROM {_S}.TASK_HISTORY "
                "WHERE ROOT_TASK_ID = ? AND STATE NOT IN ('SCHEDULED', 'EXECUTING')) "
                "SELECT GRAPH_RUN_GROUP_ID, bool_or(N = 1 AND (STATE LIKE 'FAILED%' OR STATE = 'CANCELLED')), "
                "max(SCHEDULED_TIME) FROM RUNS GROUP BY GRAPH_RUN_GROUP_ID ORDER BY max(SCHEDULED_TIME) DESC LIMIT 1",
                [task.id],
            ).fetchone()
        if row is None or not row[1]:
            raise SnowflakeError(
                f"Cannot retry task {task.name.name}: its last graph run did not fail or was not cancelled.",
                errno=91092,
            )
        tasks = by_fqn(session)
        changed = [
            t.name.name
            for t in graph_of(tasks, task)
            if t.row["LAST_COMMITTED_ON"] is not None and t.row["LAST_COMMITTED_ON"] > row[2]
        ]
        if changed:
            raise SnowflakeError(
                f"Cannot retry task {task.name.name}: the task graph was modified since its last run "
                f"({', '.join(changed)}). Execute it instead.",
                errno=91093,
            )
        retry_group = row[0]
        scheduled_from = "MANUAL RETRY"
    if session.in_transaction:
        session.commit()
    run_graph(
        session.engine,
        task.name,
        scheduled_time=session.engine.clock(),
        scheduled_from=scheduled_from,
        only_failed_of=retry_group,
    )
    return Result.message(f"Task {task.name.name} is scheduled to run immediately.")
