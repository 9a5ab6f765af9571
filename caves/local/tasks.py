"""Snowflake tasks: CREATE/ALTER/DROP/EXECUTE/SHOW TASK and task-graph runs (SNOWFLAKE_SEMANTICS.md §2, §3, §6).

Tasks live in ``_CAVES.TASKS``; every run leaves rows in ``_CAVES.TASK_HISTORY`` that
``TABLE(INFORMATION_SCHEMA.TASK_HISTORY(...))`` returns. A graph run evaluates the root's WHEN first
(FALSE: one SKIPPED row, nothing else runs), then runs the tasks in DAG order, each body in its own
autocommit session; a failure stops the failed task's descendants and counts toward the root's
SUSPEND_TASK_AFTER_NUM_FAILURES.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..objects import ObjectSyntaxError, parse_create_task
from ..sqlscript import parse_block
from .errors import ObjectNotFound, SnowflakeError
from .names import INTERNAL_SCHEMA, ObjectName, quote, resolve, split_name
from .result import Result

if TYPE_CHECKING:
    from .engine import Engine, Session

_S = quote(INTERNAL_SCHEMA)

SHOW_TASKS_COLUMNS = [
    "created_on", "name", "id", "database_name", "schema_name", "owner", "comment", "warehouse", "schedule",
    "predecessors", "state", "definition", "condition", "allow_overlapping_execution", "error_integration",
    "last_committed_on", "last_suspended_on", "owner_role_type", "config", "budget", "task_relations",
    "last_suspended_reason",
]  # fmt: skip

_OPTIONS = {
    "WAREHOUSE", "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE", "SCHEDULE", "CONFIG", "ALLOW_OVERLAPPING_EXECUTION",
    "USER_TASK_TIMEOUT_MS", "SUSPEND_TASK_AFTER_NUM_FAILURES", "TASK_AUTO_RETRY_ATTEMPTS", "ERROR_INTEGRATION",
    "COMMENT", "FINALIZE", "OVERLAP_POLICY", "USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS", "TARGET_COMPLETION_INTERVAL",
    "SERVERLESS_TASK_MIN_STATEMENT_SIZE", "SERVERLESS_TASK_MAX_STATEMENT_SIZE", "SUCCESS_INTEGRATION", "LOG_LEVEL",
    "TIMEZONE", "QUERY_TAG",
}  # fmt: skip


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith("$$") and value.endswith("$$"):
        return value[2:-2]
    if value.startswith("'") and value.endswith("'"):
        return value[1:-1].replace("''", "'")
    return value


# --- schedules ----------------------------------------------------------------------------------------

_INTERVAL_RE = re.compile(r"^\s*(\d+)\s*(SECONDS?|MINUTES?|HOURS?|S|M|H)\s*$", re.I)


def parse_schedule(schedule: str) -> tuple[str, object]:
    """``'5 MINUTE'`` -> ("interval", timedelta); ``'USING CRON m h dom mon dow tz'`` -> ("cron", (expr, tz))."""
    text = schedule.strip()
    match = _INTERVAL_RE.match(text)
    if match:
        n, unit = int(match.group(1)), match.group(2).upper()[0]
        seconds = n * {"S": 1, "M": 60, "H": 3600}[unit]
        if seconds < 10 or seconds > 8 * 86400:
            raise SnowflakeError("SCHEDULE must be between 10 seconds and 8 days.", errno=2214)
        return "interval", dt.timedelta(seconds=seconds)
    cron = re.match(r"^\s*USING\s+CRON\s+(.+?)\s+(\S+)\s*$", text, re.I)
    if cron:
        from croniter import croniter

        expr, tz = cron.group(1), cron.group(2)
        if not croniter.is_valid(expr):
            raise SnowflakeError(f"Invalid cron expression in SCHEDULE: {expr}", errno=2214)
        return "cron", (expr, tz)
    raise SnowflakeError(f"Invalid value for SCHEDULE: '{schedule}'", errno=2214)


def next_run_time(schedule: str, anchor: dt.datetime, after: dt.datetime, time_scale: float = 1.0) -> dt.datetime:
    """The first scheduled time strictly after ``after``. Intervals count from ``anchor`` (the last RESUME, §2.1)."""
    kind, spec = parse_schedule(schedule)
    if kind == "interval":
        step = spec / time_scale
        elapsed = max((after - anchor) / step, 0)
        k = int(elapsed) + 1
        return anchor + step * k
    from zoneinfo import ZoneInfo

    from croniter import croniter

    expr, tz = spec
    local_after = after.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(tz))
    nxt = croniter(expr, local_after).get_next(dt.datetime)
    return nxt.astimezone(dt.UTC).replace(tzinfo=None)


# --- the task catalog ---------------------------------------------------------------------------------


@dataclass
class Task:
    id: str
    name: ObjectName
    row: dict

    @property
    def predecessors(self) -> list[str]:
        return json.loads(self.row["PREDECESSORS"] or "[]")

    @property
    def started(self) -> bool:
        return self.row["STATE"] == "started"


def _task_rows(session: Session, where: str = "", params: list | None = None) -> list[Task]:
    with session.cursor() as cur:
        cur.execute(f"SELECT * FROM {_S}.TASKS {where} ORDER BY DATABASE_NAME, SCHEMA_NAME, NAME", params)
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    return [Task(r["ID"], ObjectName(r["DATABASE_NAME"], r["SCHEMA_NAME"], r["NAME"]), r) for r in rows]


def all_tasks(session: Session) -> list[Task]:
    return _task_rows(session)


def get_task(session: Session, name: ObjectName) -> Task | None:
    rows = _task_rows(
        session, "WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?", [name.database, name.schema, name.name]
    )
    return rows[0] if rows else None


def require_task(session: Session, text: str) -> Task:
    try:
        name = resolve(split_name(text), session.database, session.schema)
    except ValueError as exc:
        raise SnowflakeError(str(exc), errno=90105) from None
    task = get_task(session, name)
    if task is None:
        raise ObjectNotFound("Task", name.fqn)
    return task


def root_of(tasks: dict[str, Task], task: Task) -> Task:
    """Follow predecessors up to the root (the first one at each step: all share the same root)."""
    seen = set()
    cur = task
    while cur.predecessors and cur.name.fqn not in seen:
        seen.add(cur.name.fqn)
        parent = tasks.get(cur.predecessors[0])
        if parent is None:
            break
        cur = parent
    return cur


def graph_of(tasks: dict[str, Task], root: Task) -> list[Task]:
    """The root's graph in topological order (parents before children; name order among peers)."""
    children: dict[str, list[Task]] = {}
    for t in tasks.values():
        for p in t.predecessors:
            children.setdefault(p, []).append(t)
    members: dict[str, Task] = {}
    stack = [root]
    while stack:
        t = stack.pop()
        if t.name.fqn in members:
            continue
        members[t.name.fqn] = t
        stack.extend(children.get(t.name.fqn, []))
    order: list[Task] = []
    placed: set[str] = set()
    remaining = sorted(members.values(), key=lambda t: t.name.fqn)
    while remaining:
        ready = [t for t in remaining if all(p in placed or p not in members for p in t.predecessors)]
        if not ready:
            raise SnowflakeError(f"Task graph of {root.name.fqn} has a cycle.", errno=91090)
        for t in ready:
            order.append(t)
            placed.add(t.name.fqn)
        remaining = [t for t in remaining if t.name.fqn not in placed]
    return order + finalizers_of(tasks, root)


def finalizers_of(tasks: dict[str, Task], root: Task) -> list[Task]:
    """The finalizer of a root (FINALIZE = root): part of its graph, run after everything else (§2.2)."""
    return [t for t in tasks.values() if t.row.get("FINALIZE") == root.name.fqn]


def _by_fqn(session: Session) -> dict[str, Task]:
    return {t.name.fqn: t for t in all_tasks(session)}


def graph_root(tasks: dict[str, Task], task: Task) -> Task:
    """The root of the graph ``task`` belongs to: its root, or for a finalizer the root it finalizes."""
    finalized = task.row.get("FINALIZE")
    if finalized and finalized in tasks:
        return tasks[finalized]
    return root_of(tasks, task)


def is_singleton(tasks: dict[str, Task], task: Task) -> bool:
    """A standalone task: no predecessor, no child, no finalizer, not a finalizer itself."""
    if task.predecessors or task.row.get("FINALIZE"):
        return False
    if finalizers_of(tasks, task):
        return False
    return not any(task.name.fqn in other.predecessors for other in tasks.values())


def _require_root_suspended(tasks: dict[str, Task], task: Task, action: str) -> None:
    """§2.3: the root must be suspended before any task of its graph is changed, replaced or re-linked."""
    root = graph_root(tasks, task)
    if root.started:
        raise SnowflakeError(
            f"Unable to {action} task {task.name.fqn}: its root task {root.name.fqn} is not suspended. "
            "Suspend the root task first.",
            errno=91095,
        )


# --- DDL ----------------------------------------------------------------------------------------------


def create_task(session: Session, sql: str) -> Result:
    try:
        task = parse_create_task(sql)
    except ObjectSyntaxError as exc:
        raise SnowflakeError(f"SQL compilation error: {exc}.", errno=1003) from None
    if task.or_replace and task.if_not_exists:
        raise SnowflakeError(
            "SQL compilation error: OR REPLACE and IF NOT EXISTS cannot both be specified.", errno=1003
        )
    name = resolve(split_name(task.name), session.database, session.schema)
    opts = task.params
    unknown = sorted(set(opts) - _OPTIONS)
    if unknown:
        # Never dropped silently: a parameter the engine does not know would change nothing locally.
        raise SnowflakeError(f"not supported by the local engine: task parameter {', '.join(unknown)}", errno=2214)
    if "WAREHOUSE" in opts and "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE" in opts:
        raise SnowflakeError("Cannot set both WAREHOUSE and USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE.", errno=2214)
    if task.after and "SCHEDULE" in opts:
        raise SnowflakeError(f"Task {name.name} cannot have both a SCHEDULE and predecessors (AFTER).", errno=2214)
    if task.after and "TASK_AUTO_RETRY_ATTEMPTS" in opts:
        raise SnowflakeError("TASK_AUTO_RETRY_ATTEMPTS can only be set on a root task.", errno=2214)
    if "SCHEDULE" in opts:
        parse_schedule(opts["SCHEDULE"])
    finalize = None
    if "FINALIZE" in opts:
        if "SCHEDULE" in opts or task.after:
            raise SnowflakeError("A finalizer task (FINALIZE) cannot have a SCHEDULE or predecessors.", errno=2214)
        finalize = resolve(split_name(opts["FINALIZE"]), name.database, name.schema).fqn
    preds = [resolve(split_name(p), name.database, name.schema).fqn for p in task.after]

    def apply(cur) -> Result:
        tasks = _by_fqn(session)
        existing = tasks.get(name.fqn)
        if existing is not None:
            if task.if_not_exists:
                return Result.message(f"{name.name} already exists, statement succeeded.")
            if not task.or_replace:
                raise SnowflakeError(f"Object '{name.name}' already exists.", errno=2002)
            if not is_singleton(tasks, existing):
                # A started standalone task may be replaced (the new one is suspended); a task of a graph
                # only while the graph's root is suspended (create-task, "OR REPLACE").
                _require_root_suspended(tasks, existing, "replace")
        if finalize is not None:
            if finalize not in tasks or tasks[finalize].predecessors:
                raise SnowflakeError(f"FINALIZE must name a root task: {finalize}.", errno=2214)
            others = [t for t in finalizers_of(tasks, tasks[finalize]) if t.name.fqn != name.fqn]
            if others:
                raise SnowflakeError(
                    f"Root task {finalize} already has a finalizer task ({others[0].name.name}).", errno=2214
                )
            _require_root_suspended(tasks, tasks[finalize], "add a finalizer to")
        for p in preds:
            parent = tasks.get(p)
            if parent is None:
                raise ObjectNotFound("Task", p)
            if parent.row.get("FINALIZE"):
                raise SnowflakeError(
                    f"Task {parent.name.name} is a finalizer task: a finalizer cannot have child tasks.", errno=2214
                )
            if ObjectName(*p.split(".", 2)).storage_schema != name.storage_schema:
                raise SnowflakeError("All tasks in a task graph must be in the same schema.", errno=2214)
            _require_root_suspended(tasks, parent, "add a predecessor to")
        now = session.engine.clock()
        if existing is not None:
            cur.execute(f"DELETE FROM {_S}.TASKS WHERE ID = ?", [existing.id])
        cur.execute(
            f"INSERT INTO {_S}.TASKS (ID, DATABASE_NAME, SCHEMA_NAME, NAME, CREATED_ON, OWNER, COMMENT, WAREHOUSE, "
            "SCHEDULE, PREDECESSORS, STATE, DEFINITION, CONDITION, ALLOW_OVERLAPPING_EXECUTION, "
            "SUSPEND_TASK_AFTER_NUM_FAILURES, TASK_AUTO_RETRY_ATTEMPTS, USER_TASK_TIMEOUT_MS, CONFIG, FINALIZE, "
            "LAST_COMMITTED_ON, CONSECUTIVE_FAILURES, GRAPH_VERSION) "
            "VALUES (?, ?, ?, ?, ?, 'SYSADMIN', ?, ?, ?, ?, 'suspended', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)",
            [
                existing.id if existing is not None else str(uuid.uuid4()),
                name.database,
                name.schema,
                name.name,
                now,
                opts.get("COMMENT"),
                opts.get("WAREHOUSE"),
                opts.get("SCHEDULE"),
                json.dumps(preds),
                task.body,
                task.when,
                opts.get("ALLOW_OVERLAPPING_EXECUTION", "FALSE").upper() == "TRUE",
                int(opts.get("SUSPEND_TASK_AFTER_NUM_FAILURES", 10)),
                int(opts.get("TASK_AUTO_RETRY_ATTEMPTS", 0)),
                int(opts.get("USER_TASK_TIMEOUT_MS", 3_600_000)),
                opts.get("CONFIG"),
                finalize,
                now,
            ],
        )
        return Result.message(f"Task {name.name} successfully created.")

    return session.run_ddl(apply)


def drop_task(session: Session, text: str, if_exists: bool) -> Result:
    try:
        task = require_task(session, text)
    except ObjectNotFound:
        if if_exists:
            return Result.message(f"Drop statement executed successfully ({text} already dropped).")
        raise

    def apply(cur) -> Result:
        tasks = _by_fqn(session)
        if task.predecessors:
            _require_root_suspended(tasks, task, "drop")
        cur.execute(f"DELETE FROM {_S}.TASKS WHERE ID = ?", [task.id])
        # Children of a dropped task lose that predecessor; with none left they become roots.
        for child in tasks.values():
            if task.name.fqn in child.predecessors:
                preds = [p for p in child.predecessors if p != task.name.fqn]
                reason = "CHILD_BECAME_ROOT" if not preds else child.row["LAST_SUSPENDED_REASON"]
                cur.execute(
                    f"UPDATE {_S}.TASKS SET PREDECESSORS = ?, STATE = 'suspended', LAST_SUSPENDED_REASON = ? "
                    "WHERE ID = ?",
                    [json.dumps(preds), reason, child.id],
                )
        return Result.message(f"{task.name.name} successfully dropped.")

    return session.run_ddl(apply)


def set_state(session: Session, task: Task, state: str, reason: str | None = None) -> None:
    def apply(cur) -> Result:
        now = session.engine.clock()
        if state == "started":
            cur.execute(
                f"UPDATE {_S}.TASKS SET STATE = 'started', SCHEDULE_ANCHOR = ?, LAST_SCHEDULED_TIME = NULL, "
                "CONSECUTIVE_FAILURES = 0 WHERE ID = ?",
                [now, task.id],
            )
        else:
            cur.execute(
                f"UPDATE {_S}.TASKS SET STATE = 'suspended', LAST_SUSPENDED_ON = ?, LAST_SUSPENDED_REASON = ? "
                "WHERE ID = ?",
                [now, reason or "USER_SUSPENDED", task.id],
            )
        return Result.message("Statement executed successfully.")

    session.run_ddl(apply)


_ALTER_RE = re.compile(r"^\s*ALTER\s+TASK\s+(?P<ie>IF\s+EXISTS\s+)?(?P<name>[\w$.\"]+)\s+(?P<action>.*)$", re.I | re.S)


def alter_task(session: Session, sql: str) -> Result:
    match = _ALTER_RE.match(sql)
    if not match:
        raise SnowflakeError("SQL compilation error: invalid ALTER TASK.", errno=1003)
    try:
        task = require_task(session, match.group("name"))
    except ObjectNotFound:
        if match.group("ie"):
            return Result.message("Statement executed successfully.")
        raise
    action = match.group("action").strip()
    verb = action.split()[0].upper()
    tasks = _by_fqn(session)
    if verb in {"RESUME", "SUSPEND"}:
        if graph_root(tasks, task).name.fqn != task.name.fqn:
            # A child or a finalizer changes state only while its graph's root is suspended (alter-task).
            _require_root_suspended(tasks, task, verb.lower())
        if verb == "RESUME":
            set_state(session, task, "started")
        else:
            set_state(session, task, "suspended", "USER_SUSPENDED")
        return Result.message("Statement executed successfully.")
    # SET / UNSET / MODIFY / ADD|REMOVE AFTER: the graph's root (a standalone task: the task itself) must be
    # suspended (alter-task; bundle 2026_06, still pending, would lift this for standalone tasks only).
    _require_root_suspended(tasks, task, "alter")
    column, value = _alter_change(session, task, tasks, action)

    def apply(cur) -> Result:
        now = session.engine.clock()
        cur.execute(
            f"UPDATE {_S}.TASKS SET {column} = ?, LAST_COMMITTED_ON = ?, GRAPH_VERSION = GRAPH_VERSION + 1 "
            "WHERE ID = ?",
            [value, now, task.id],
        )
        if column == "PREDECESSORS" and task.predecessors and value == "[]":
            # §2.3: removing every predecessor makes the task a root, suspended.
            cur.execute(
                f"UPDATE {_S}.TASKS SET STATE = 'suspended', LAST_SUSPENDED_ON = ?, "
                "LAST_SUSPENDED_REASON = 'CHILD_BECAME_ROOT' WHERE ID = ?",
                [now, task.id],
            )
        return Result.message("Statement executed successfully.")

    return session.run_ddl(apply)


_SETTABLE = {
    "SCHEDULE": "SCHEDULE",
    "WAREHOUSE": "WAREHOUSE",
    "COMMENT": "COMMENT",
    "SUSPEND_TASK_AFTER_NUM_FAILURES": "SUSPEND_TASK_AFTER_NUM_FAILURES",
    "USER_TASK_TIMEOUT_MS": "USER_TASK_TIMEOUT_MS",
    "ALLOW_OVERLAPPING_EXECUTION": "ALLOW_OVERLAPPING_EXECUTION",
    "TASK_AUTO_RETRY_ATTEMPTS": "TASK_AUTO_RETRY_ATTEMPTS",
    "CONFIG": "CONFIG",
}


def _alter_change(session: Session, task: Task, tasks: dict[str, Task], action: str) -> tuple[str, object]:
    upper = action.upper()
    if upper.startswith("MODIFY AS"):
        return "DEFINITION", action[len("MODIFY AS") :].strip()
    if upper.startswith("MODIFY WHEN"):
        return "CONDITION", action[len("MODIFY WHEN") :].strip()
    if upper.startswith("REMOVE WHEN"):
        return "CONDITION", None
    link = re.match(r"^(ADD|REMOVE)\s+AFTER\s+(.+)$", action, re.I | re.S)
    if link:
        _require_root_suspended(tasks, task, "change the predecessors of")
        names = [
            resolve(split_name(n.strip()), task.name.database, task.name.schema).fqn for n in link.group(2).split(",")
        ]
        preds = list(task.predecessors)
        if link.group(1).upper() == "ADD":
            for n in names:
                if n not in tasks:
                    raise ObjectNotFound("Task", n)
                _require_root_suspended(tasks, tasks[n], "add a predecessor to")
                if n not in preds:
                    preds.append(n)
        else:
            preds = [p for p in preds if p not in names]
        return "PREDECESSORS", json.dumps(preds)
    setting = re.match(r"^(SET|UNSET)\s+(\w+)\s*(?:=\s*(.+))?$", action, re.I | re.S)
    if setting and setting.group(2).upper() == "FINALIZE":
        return "FINALIZE", _finalize_target(task, tasks, setting.group(1).upper(), setting.group(3))
    if setting and setting.group(2).upper() in _SETTABLE:
        key = setting.group(2).upper()
        if setting.group(1).upper() == "UNSET":
            return _SETTABLE[key], None
        value = _unquote(setting.group(3) or "")
        if key == "SCHEDULE":
            if task.predecessors:
                raise SnowflakeError("A child task cannot have a SCHEDULE.", errno=2214)
            parse_schedule(value)
        return _SETTABLE[key], value
    raise SnowflakeError(f"Unsupported ALTER TASK action in the local engine: {action[:60]}", errno=1003)


def _finalize_target(task: Task, tasks: dict[str, Task], verb: str, value: str | None) -> str | None:
    """ALTER TASK t SET FINALIZE = root / UNSET FINALIZE: the finalizer rules of create-task (§2.1)."""
    if verb == "UNSET":
        return None
    if task.predecessors or task.row.get("SCHEDULE"):
        raise SnowflakeError("A finalizer task (FINALIZE) cannot have a SCHEDULE or predecessors.", errno=2214)
    if any(task.name.fqn in other.predecessors for other in tasks.values()):
        raise SnowflakeError(f"Task {task.name.name} has child tasks: it cannot be a finalizer.", errno=2214)
    root_name = resolve(split_name(_unquote(value or "")), task.name.database, task.name.schema).fqn
    root = tasks.get(root_name)
    if root is None or root.predecessors:
        raise SnowflakeError(f"FINALIZE must name a root task: {root_name}.", errno=2214)
    others = [t for t in finalizers_of(tasks, root) if t.name.fqn != task.name.fqn]
    if others:
        raise SnowflakeError(f"Root task {root_name} already has a finalizer task ({others[0].name.name}).", errno=2214)
    _require_root_suspended(tasks, root, "add a finalizer to")
    return root_name


def task_dependents_enable(session: Session, text: str) -> Result:
    """SYSTEM$TASK_DEPENDENTS_ENABLE: resume the root and every task of its graph (children first)."""
    task = require_task(session, text)
    tasks = _by_fqn(session)
    for t in reversed(graph_of(tasks, task)):
        set_state(session, t, "started")
    return Result(columns=["SYSTEM$TASK_DEPENDENTS_ENABLE"], rows=[("",)])


# --- SHOW ---------------------------------------------------------------------------------------------


def show_tasks(session: Session, like: str | None, database: str | None, schema: str | None, terse: bool) -> Result:
    tasks = all_tasks(session)
    rows = []
    for t in tasks:
        r = t.row
        if database and t.name.database != database:
            continue
        if schema and t.name.schema != schema:
            continue
        if like and not _like(t.name.name, like):
            continue
        rows.append(
            (
                r["CREATED_ON"], t.name.name, t.id, t.name.database, t.name.schema, r["OWNER"], r["COMMENT"] or "",
                r["WAREHOUSE"], r["SCHEDULE"], json.dumps(t.predecessors, indent=2) if t.predecessors else "[]",
                r["STATE"], r["DEFINITION"], r["CONDITION"],
                "true" if r["ALLOW_OVERLAPPING_EXECUTION"] else "false", None, r["LAST_COMMITTED_ON"],
                r["LAST_SUSPENDED_ON"], "ROLE", r["CONFIG"], None,
                json.dumps({"Predecessors": t.predecessors}), r["LAST_SUSPENDED_REASON"],
            )
        )  # fmt: skip
    if terse:
        cols = ["created_on", "name", "kind", "database_name", "schema_name", "schedule"]
        return Result.of(cols, [(r[0], r[1], "TASK", r[3], r[4], r[8]) for r in rows])
    return Result.of(SHOW_TASKS_COLUMNS, rows)


def _like(value: str, pattern: str) -> bool:
    regex = "^" + re.escape(pattern).replace("%", ".*").replace("_", ".") + "$"
    return re.match(regex, value, re.I) is not None


# --- graph runs -------------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    root: str
    state: str  # SUCCEEDED | FAILED | SKIPPED | NOT_RUN
    tasks: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def _owner_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_alive(token: str | None) -> bool:
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


def _history(session: Session, **values) -> None:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    with session.cursor() as cur:
        cur.execute(f"INSERT INTO {_S}.TASK_HISTORY ({cols}) VALUES ({marks})", list(values.values()))


def _history_update(session: Session, query_id: str, **values) -> None:
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
        tasks = _by_fqn(control)
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
    token = _owner_token()
    with session.engine.write_lock, session.cursor() as cur:
        current = cur.execute(f"SELECT RUNNING_OWNER FROM {_S}.GRAPH_RUNS WHERE ROOT_ID = ?", [root.id]).fetchone()
        if current is not None and current[0] and _owner_alive(current[0]):
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
        tasks = _by_fqn(session)
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
