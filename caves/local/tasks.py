"""Snowflake tasks: CREATE/ALTER/DROP/SHOW TASK, schedules and the task graph (SNOWFLAKE_SEMANTICS.md §2, §6).

Tasks live in ``_CAVES.TASKS``; taskruns.py runs their graphs. The graph rules (a child is changed only while
its root is suspended, finalizers, standalone tasks) are checked here, before any change is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from ..dag import GraphCycleError, topological_order
from ..objects import ObjectSyntaxError, TaskDef, parse_create_task
from .errors import ObjectNotFound, SnowflakeError
from .names import INTERNAL_SCHEMA, ObjectName, like_matches, quote, resolve, split_name
from .result import Result

if TYPE_CHECKING:
    from .engine import Session

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


def reconcile_scheduled_runs(cur: duckdb.DuckDBPyConnection, now: dt.datetime, time_scale: float = 1.0) -> None:
    """§3: each started root with a SCHEDULE shows its next run in TASK_HISTORY as one SCHEDULED row.

    Snowflake's TASK_HISTORY lists a graph's next run (STATE SCHEDULED, no QUERY_ID yet) until it starts;
    suspending, dropping or replacing the root removes it. Called after every change of task state and at
    every scheduler tick, this keeps exactly those rows: it writes only what differs.
    """
    roots = cur.execute(
        f"SELECT ID, DATABASE_NAME, SCHEMA_NAME, NAME, SCHEDULE, SCHEDULE_ANCHOR, LAST_SCHEDULED_TIME, DEFINITION, "
        f"CONDITION, GRAPH_VERSION, CONFIG FROM {_S}.TASKS WHERE STATE = 'started' AND SCHEDULE IS NOT NULL "
        "AND (PREDECESSORS IS NULL OR PREDECESSORS = '[]') AND FINALIZE IS NULL"
    ).fetchall()
    wanted = {}
    for task_id, db, schema, name, schedule, anchor, last, definition, condition, version, config in roots:
        anchor = anchor or now
        when = next_run_time(schedule, anchor, last or anchor, time_scale)
        wanted[task_id] = (name, db, schema, definition, condition, when, task_id, version, config, task_id)
    have = dict(
        cur.execute(f"SELECT ROOT_TASK_ID, SCHEDULED_TIME FROM {_S}.TASK_HISTORY WHERE STATE = 'SCHEDULED'").fetchall()
    )
    for task_id, when in have.items():
        if task_id not in wanted or wanted[task_id][5] != when:
            cur.execute(f"DELETE FROM {_S}.TASK_HISTORY WHERE STATE = 'SCHEDULED' AND ROOT_TASK_ID = ?", [task_id])
    for task_id, values in wanted.items():
        if have.get(task_id) != values[5]:
            cur.execute(
                f"INSERT INTO {_S}.TASK_HISTORY (NAME, DATABASE_NAME, SCHEMA_NAME, QUERY_TEXT, CONDITION_TEXT, "
                "STATE, SCHEDULED_TIME, ROOT_TASK_ID, GRAPH_VERSION, SCHEDULED_FROM, ATTEMPT_NUMBER, CONFIG, "
                "TASK_ID) VALUES (?, ?, ?, ?, ?, 'SCHEDULED', ?, ?, ?, 'SCHEDULE', 1, ?, ?)",
                list(values),
            )


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
    """The root's graph in topological order (parents before children; name order among peers), then its
    finalizer (§2.2)."""
    children: dict[str, list[Task]] = {}
    for t in tasks.values():
        for p in t.predecessors:
            children.setdefault(p, []).append(t)
    members: dict[str, Task] = {}
    stack = [root]
    while stack:
        t = stack.pop()
        if t.name.fqn not in members:
            members[t.name.fqn] = t
            stack.extend(children.get(t.name.fqn, []))
    try:
        order = topological_order({fqn: members[fqn].predecessors for fqn in sorted(members)})
    except GraphCycleError:
        raise SnowflakeError(f"Task graph of {root.name.fqn} has a cycle.", errno=91090) from None
    return [members[fqn] for fqn in order] + finalizers_of(tasks, root)


def finalizers_of(tasks: dict[str, Task], root: Task) -> list[Task]:
    """The finalizer of a root (FINALIZE = root): part of its graph, run after everything else (§2.2)."""
    return [t for t in tasks.values() if t.row.get("FINALIZE") == root.name.fqn]


def by_fqn(session: Session) -> dict[str, Task]:
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


def _check_options(task: TaskDef, name: ObjectName) -> None:
    """The option rules of CREATE TASK that need no catalog (create-task: parameters, SCHEDULE, FINALIZE)."""
    if task.or_replace and task.if_not_exists:
        raise SnowflakeError(
            "SQL compilation error: OR REPLACE and IF NOT EXISTS cannot both be specified.", errno=1003
        )
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
    if "FINALIZE" in opts and ("SCHEDULE" in opts or task.after):
        raise SnowflakeError("A finalizer task (FINALIZE) cannot have a SCHEDULE or predecessors.", errno=2214)


def _check_replace(task: TaskDef, name: ObjectName, tasks: dict[str, Task]) -> Task | None:
    """The task CREATE replaces, if any; refused unless OR REPLACE, and a graph's task only while its root is
    suspended (a started standalone task may be replaced: the new one is suspended; create-task, "OR REPLACE")."""
    existing = tasks.get(name.fqn)
    if existing is None:
        return None
    if not task.or_replace:
        raise SnowflakeError(f"Object '{name.name}' already exists.", errno=2002)
    if not is_singleton(tasks, existing):
        _require_root_suspended(tasks, existing, "replace")
    return existing


def _check_finalizer(name: ObjectName, finalize: str, tasks: dict[str, Task]) -> None:
    """§2.2: a finalizer finalizes one suspended root, which has no other finalizer."""
    if finalize not in tasks or tasks[finalize].predecessors:
        raise SnowflakeError(f"FINALIZE must name a root task: {finalize}.", errno=2214)
    others = [t for t in finalizers_of(tasks, tasks[finalize]) if t.name.fqn != name.fqn]
    if others:
        raise SnowflakeError(f"Root task {finalize} already has a finalizer task ({others[0].name.name}).", errno=2214)
    _require_root_suspended(tasks, tasks[finalize], "add a finalizer to")


def _check_predecessor(name: ObjectName, predecessor: str, tasks: dict[str, Task]) -> None:
    """AFTER: an existing task of the same schema, not a finalizer, in a suspended graph."""
    parent = tasks.get(predecessor)
    if parent is None:
        raise ObjectNotFound("Task", predecessor)
    if parent.row.get("FINALIZE"):
        raise SnowflakeError(
            f"Task {parent.name.name} is a finalizer task: a finalizer cannot have child tasks.", errno=2214
        )
    if ObjectName(*predecessor.split(".", 2)).storage_schema != name.storage_schema:
        raise SnowflakeError("All tasks in a task graph must be in the same schema.", errno=2214)
    _require_root_suspended(tasks, parent, "add a predecessor to")


def create_task(session: Session, sql: str) -> Result:
    """CREATE [OR REPLACE | IF NOT EXISTS] TASK: a new task, suspended (§2.1)."""
    try:
        task = parse_create_task(sql)
    except ObjectSyntaxError as exc:
        raise SnowflakeError(f"SQL compilation error: {exc}.", errno=1003) from None
    name = resolve(split_name(task.name), session.database, session.schema)
    _check_options(task, name)
    opts = task.params
    finalize = resolve(split_name(opts["FINALIZE"]), name.database, name.schema).fqn if "FINALIZE" in opts else None
    preds = [resolve(split_name(p), name.database, name.schema).fqn for p in task.after]

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        tasks = by_fqn(session)
        if name.fqn in tasks and task.if_not_exists:
            return Result.message(f"{name.name} already exists, statement succeeded.")
        existing = _check_replace(task, name, tasks)
        if finalize is not None:
            _check_finalizer(name, finalize, tasks)
        for p in preds:
            _check_predecessor(name, p, tasks)
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
        reconcile_scheduled_runs(cur, now, session.engine.schedule_scale)
        return Result.message(f"Task {name.name} successfully created.")

    return session.run_ddl(apply)


def drop_task(session: Session, text: str, if_exists: bool) -> Result:
    try:
        task = require_task(session, text)
    except ObjectNotFound:
        if if_exists:
            return Result.message(f"Drop statement executed successfully ({text} already dropped).")
        raise

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
        tasks = by_fqn(session)
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
        reconcile_scheduled_runs(cur, session.engine.clock(), session.engine.schedule_scale)
        return Result.message(f"{task.name.name} successfully dropped.")

    return session.run_ddl(apply)


def set_state(session: Session, task: Task, state: str, reason: str | None = None) -> None:
    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
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
        reconcile_scheduled_runs(cur, now, session.engine.schedule_scale)
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
    tasks = by_fqn(session)
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

    def apply(cur: duckdb.DuckDBPyConnection) -> Result:
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
    tasks = by_fqn(session)
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
        if like and not like_matches(t.name.name, like):
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
