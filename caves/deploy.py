"""The deploy planner: what exists, what deploy_sql/ wants, and the statements that take one to the other.

``plan_deploy(statements, state)`` turns the desired deployment (caves.objects.load_statements) and what exists
(:class:`DeployState`, read with :func:`read_state` through the Warehouse protocol) into the list of statements
to run, so that deploying again on a live pipeline loses nothing:

* databases, schemas, tables and streams are only created when missing: never replaced, never dropped
  (a replaced table would lose its data, a replaced stream its offset); a table that exists but lacks
  columns gets ``ALTER TABLE ... ADD COLUMN``;
* tasks and views are replaced (``CREATE OR REPLACE``); Snowflake refuses to change a graph whose root
  is started, so the plan first suspends the started roots of the graphs it replaces, and at the end
  resumes, for the graphs that were running, the children first and the root last.

:func:`deploy` reads the state, plans and runs the plan in order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .dag import TaskGraph
from .objects import (
    DATABASE,
    Column,
    DeployError,
    DeployStatement,
    load_statements,
    normalize_name,
    parse_predecessors,
)
from .warehouse.base import Warehouse

log = logging.getLogger("caves.deploy")


@dataclass
class TaskState:
    """A task as SHOW TASKS reports it."""

    name: str
    state: str = "suspended"  # 'started' | 'suspended'
    predecessors: tuple[str, ...] = ()

    @property
    def started(self) -> bool:
        return self.state.lower() == "started"


@dataclass
class StreamState:
    """A stream as SHOW STREAMS reports it."""

    name: str
    table_name: str | None = None
    mode: str | None = None
    stale: bool = False


@dataclass
class DeployState:
    """What already exists in the warehouse (fully-qualified upper-case names)."""

    database_exists: bool = False
    schemas: set[str] = field(default_factory=set)
    tables: dict[str, set[str]] = field(default_factory=dict)  # table -> its column names
    streams: dict[str, StreamState] = field(default_factory=dict)
    tasks: dict[str, TaskState] = field(default_factory=dict)

    @classmethod
    def coerce(cls, state: DeployState | Mapping[str, Any] | None) -> DeployState:
        """Accept a DeployState, None (nothing exists) or a plain mapping, e.g.::

        {"database_exists": True, "schemas": ["CAVES_ALBERT_DB.OPS"],
         "tables": {"CAVES_ALBERT_DB.OPS.T": ["A", "B"]},
         "streams": ["CAVES_ALBERT_DB.RAW_DATA.S"],           # or {name: {"stale": False, ...}}
         "tasks": {"CAVES_ALBERT_DB.OPS.ROOT": "started",      # or {"state": ..., "predecessors": [...]}
                   "CAVES_ALBERT_DB.OPS.CHILD": {"state": "started", "predecessors": ["CAVES_ALBERT_DB.OPS.ROOT"]}}}
        """
        if state is None:
            return cls()
        if isinstance(state, DeployState):
            return state
        tables = {normalize_name(k): {c.upper() for c in v} for k, v in dict(state.get("tables") or {}).items()}
        raw_streams = state.get("streams") or {}
        streams: dict[str, StreamState] = {}
        for key in raw_streams:
            info = raw_streams[key] if isinstance(raw_streams, Mapping) else {}
            info = info if isinstance(info, Mapping) else {}
            streams[normalize_name(key)] = StreamState(
                name=normalize_name(key),
                table_name=info.get("table_name"),
                mode=info.get("mode"),
                stale=_truthy(info.get("stale")),
            )
        tasks: dict[str, TaskState] = {}
        for key, info in dict(state.get("tasks") or {}).items():
            if isinstance(info, str):
                info = {"state": info}
            tasks[normalize_name(key)] = TaskState(
                name=normalize_name(key),
                state=str(info.get("state", "suspended")),
                predecessors=tuple(normalize_name(p) for p in info.get("predecessors") or ()),
            )
        schemas = {normalize_name(s) for s in state.get("schemas") or ()}
        database_exists = bool(state.get("database_exists", bool(schemas or tables or streams or tasks)))
        return cls(database_exists=database_exists, schemas=schemas, tables=tables, streams=streams, tasks=tasks)

    def state_root_of(self, name: str) -> str:
        """The root of ``name``'s graph as it exists now (following predecessors)."""
        node = name
        seen = {node}
        while node in self.tasks and self.tasks[node].predecessors:
            node = self.tasks[node].predecessors[0]
            if node in seen:
                break
            seen.add(node)
        return node

    def started_roots(self) -> list[str]:
        return [n for n, t in self.tasks.items() if t.started and not t.predecessors]


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


def add_column_sql(table: str, column: Column) -> str:
    """``ALTER TABLE ... ADD COLUMN`` for a column missing from an existing table.

    NOT NULL is left out (the table already has rows) and so is a non-constant default (Snowflake only
    accepts constant defaults when adding a column): existing rows get NULL, new rows get what the tasks write.
    """
    sql = f"alter table {table} add column {column.name} {column.type_sql}"
    if column.default_sql is not None and column.default_is_constant:
        sql += f" default {column.default_sql}"
    if column.comment:
        escaped = column.comment.replace("'", "''")
        sql += f" comment '{escaped}'"
    return sql


def _replace_stream_sql(stmt: DeployStatement) -> str:
    """CREATE OR REPLACE for a stale stream (its offset is lost anyway; only exit from STALE)."""
    return re.sub(
        r"^\s*create\s+stream\s+if\s+not\s+exists\s+",
        "create or replace stream ",
        stmt.sql,
        count=1,
        flags=re.IGNORECASE,
    )


def plan_deploy(
    statements: Sequence[DeployStatement],
    state: DeployState | Mapping[str, Any] | None = None,
    *,
    resume_all: bool = False,
    recreate_stale_streams: bool = False,
) -> list[str]:
    """The statements to run, in order, to bring the warehouse described by ``state`` to ``statements``.

    1. ``alter task <root> suspend`` for every started root whose graph is about to be replaced;
    2. deploy_sql/ in file order: database/schema/table/stream created only when missing (an existing table
       gets ``ADD COLUMN`` for its missing columns), tasks (parents before children) and views replaced,
       other statements (``ALTER TABLE ... SET``) as written; the ``ALTER TASK ... SUSPEND`` lines of the
       scripts are skipped, the plan handles task state itself;
    3. for each graph that was running (or every graph with ``resume_all``), ``alter task ... resume``
       children first and the root last. A child that exists and was suspended while its graph ran stays
       suspended (it was suspended on purpose); a new child of a running graph is resumed.

    Never emitted: ``DROP``, ``CREATE OR REPLACE TABLE``, ``CREATE OR REPLACE STREAM`` (except, when
    ``recreate_stale_streams`` is set, for a stream that SHOW STREAMS reports stale: its offset is already
    lost, and the pipeline's consumers are idempotent, see 50_streams.sql).
    """
    current = DeployState.coerce(state)
    graph = TaskGraph.from_statements(statements)
    problems = graph.validate()
    if problems:
        raise DeployError("invalid task graph: " + "; ".join(problems))
    return [
        *_suspend_replaced_graphs(graph, current),
        *_object_statements(statements, graph, current, recreate_stale_streams),
        *_resume_graphs(graph, current, resume_all),
    ]


def _suspend_replaced_graphs(graph: TaskGraph, current: DeployState) -> list[str]:
    """``alter task <root> suspend`` for every started root of a graph holding a task about to be replaced
    (every task of deploy_sql/ is replaced), in graph order."""
    existing_graph_roots = {current.state_root_of(name) for name in graph.nodes if name in current.tasks}
    order = {name: k for k, name in enumerate(graph.topological_order())}
    to_suspend = sorted(
        (r for r in current.started_roots() if r in existing_graph_roots), key=lambda r: (order.get(r, len(order)), r)
    )
    return [f"alter task {root} suspend" for root in to_suspend]


def _data_object_sql(stmt: DeployStatement, current: DeployState, recreate_stale_streams: bool) -> list[str]:
    """A database, schema, table or stream: created only when missing; a table gets its missing columns; a
    stale stream is recreated only when asked."""
    if stmt.kind == "database":
        return [] if current.database_exists else [stmt.sql]
    if stmt.kind == "schema":
        return [] if stmt.name in current.schemas else [stmt.sql]
    if stmt.kind == "table":
        if stmt.name not in current.tables:
            return [stmt.sql]
        have = current.tables[stmt.name]
        return [add_column_sql(stmt.name, c) for c in stmt.columns() if c.name not in have]
    existing = current.streams.get(stmt.name)
    if existing is None:
        return [stmt.sql]
    return [_replace_stream_sql(stmt)] if existing.stale and recreate_stale_streams else []


_DATA_OBJECTS = frozenset({"database", "schema", "table", "stream"})


def _object_statements(
    statements: Sequence[DeployStatement], graph: TaskGraph, current: DeployState, recreate_stale_streams: bool
) -> list[str]:
    """deploy_sql/ in file order: data objects only when missing, tasks parents first, views and other
    statements as written; the scripts' own ALTER TASK lines are skipped (the plan handles task state)."""
    task_statements = {s.name: s for s in statements if s.kind == "task"}
    emitted_tasks: set[str] = set()
    plan: list[str] = []
    for stmt in statements:
        if stmt.kind in _DATA_OBJECTS:
            plan.extend(_data_object_sql(stmt, current, recreate_stale_streams))
        elif stmt.kind == "task":
            # parents before children, whatever the file order
            for name in [*graph.ancestors(stmt.name), stmt.name]:
                if name not in emitted_tasks:
                    plan.append(task_statements[name].sql)
                    emitted_tasks.add(name)
        elif not stmt.is_task_control or stmt.kind == "view":
            plan.append(stmt.sql)
    return plan


def _resume_graphs(graph: TaskGraph, current: DeployState, resume_all: bool) -> list[str]:
    """For each graph that was running (or every graph with ``resume_all``): children first, the root last. A
    child suspended while its graph ran stays suspended (on purpose); a new child of a running graph resumes."""
    running_roots = set(current.started_roots())

    def was_running(root: str) -> bool:
        """Some task of this graph belongs, today, to a graph whose root is started."""
        return any(
            current.state_root_of(member) in running_roots for member in graph.graph_of(root) if member in current.tasks
        )

    plan: list[str] = []
    for root in graph.roots():
        if not (resume_all or was_running(root)):
            continue
        for name in graph.resume_order(root):
            before = current.tasks.get(name)
            if name != root and (resume_all or before is None or before.started):
                plan.append(f"alter task {name} resume")
        plan.append(f"alter task {root} resume")
    return plan


# ---------------------------------------------------------------------------------------------------------------
# Reading what exists through the Warehouse protocol
# ---------------------------------------------------------------------------------------------------------------


def _records(frame: Any) -> list[dict[str, Any]]:
    """Rows of a query result (pandas DataFrame or list of mappings) with lower-case column names."""
    if frame is None:
        return []
    rows = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    return [{str(k).lower(): v for k, v in row.items()} for row in rows]


def _missing_database(exc: Exception) -> bool:
    text = str(exc).lower()
    return "does not exist" in text or "not found" in text or "not authorized" in text


def read_state(warehouse: Any, database: str = DATABASE) -> DeployState:
    """What exists in ``database``, read with SHOW SCHEMAS/STREAMS/TASKS and INFORMATION_SCHEMA.COLUMNS.

    ``warehouse`` follows the Warehouse protocol (``query(sql) -> DataFrame``). A missing database gives an
    empty state (everything will be created).
    """
    try:
        schema_rows = _records(warehouse.query(f"show schemas in database {database}"))
    except Exception as exc:  # the warehouse's own error types differ by backend
        if _missing_database(exc):
            return DeployState()
        raise
    if not schema_rows:  # a Snowflake database always lists at least INFORMATION_SCHEMA
        return DeployState()
    state = DeployState(database_exists=True)
    state.schemas = {normalize_name(f"{database}.{r['name']}") for r in schema_rows if r.get("name")}
    column_rows = _records(
        warehouse.query(
            f"select C.TABLE_SCHEMA, C.TABLE_NAME, C.COLUMN_NAME "
            f"from {database}.INFORMATION_SCHEMA.COLUMNS as C "
            f"inner join {database}.INFORMATION_SCHEMA.TABLES as T "
            f"on C.TABLE_SCHEMA = T.TABLE_SCHEMA and C.TABLE_NAME = T.TABLE_NAME "
            f"where T.TABLE_TYPE = 'BASE TABLE' and C.TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"
        )
    )
    for r in column_rows:
        table = normalize_name(f"{database}.{r['table_schema']}.{r['table_name']}")
        state.tables.setdefault(table, set()).add(str(r["column_name"]).upper())
    for r in _records(warehouse.query(f"show streams in database {database}")):
        name = normalize_name(f"{r.get('database_name') or database}.{r['schema_name']}.{r['name']}")
        state.streams[name] = StreamState(
            name=name,
            table_name=r.get("table_name"),
            mode=r.get("mode"),
            stale=_truthy(r.get("stale")),
        )
    for r in _records(warehouse.query(f"show tasks in database {database}")):
        name = normalize_name(f"{r.get('database_name') or database}.{r['schema_name']}.{r['name']}")
        state.tasks[name] = TaskState(
            name=name,
            state=str(r.get("state") or "suspended").lower(),
            predecessors=parse_predecessors(r.get("predecessors")),
        )
    return state


def deploy(warehouse: Warehouse, *, dry_run: bool = False, resume_new_graphs: bool = False) -> list[str]:
    """Plan and (unless ``dry_run``) apply deploy_sql/; returns the statements in order.

    Safe on a live pipeline: tables and streams are only created when missing, running graphs are
    suspended before their tasks are replaced and resumed afterwards, children first. With
    ``resume_new_graphs``, a warehouse that has no task yet gets its graphs started (the local default).
    """
    state = read_state(warehouse)
    plan = plan_deploy(load_statements(), state, resume_all=resume_new_graphs and not state.tasks)
    if not dry_run:
        for statement in plan:
            log.debug("deploy: %s", statement.splitlines()[0][:100])
            warehouse.execute(statement)
    return plan
