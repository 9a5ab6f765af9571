"""Operating the pipeline's task graphs on any backend: list, history, suspend, resume, execute.

Task names come only from the task graph parsed out of deploy_sql/ (caves.dag): a name the DAG does
not know is refused before any SQL is built, and the identifier put into ``ALTER TASK`` /
``EXECUTE TASK`` is the DAG's own fully-qualified name, never user text.
"""

from __future__ import annotations

import pandas as pd

from .catalog import DEFAULT_ROOT, load_query
from .dag import TaskGraph, load_task_graph
from .warehouse.base import Warehouse

DATABASE = "CAVES_ALBERT_DB"
# The one SHOW TASKS of the console (the pipeline service's task list reads it too); SHOW cannot be a catalog
# query (the catalog holds SELECTs), and the database name is a constant identifier, not user text.
SHOW_TASKS_SQL = f"SHOW TASKS IN DATABASE {DATABASE}"
# Task runs are read by the catalog query queries/08_monitoring/task_runs.sql (linted and run on the local engine
# with the rest of the catalog); the CLI reads that one file, not the whole catalog.
TASK_RUNS_QUERY = DEFAULT_ROOT / "08_monitoring" / "task_runs.sql"


def resolve_task(name: str, graph: TaskGraph | None = None) -> str:
    """The DAG's fully-qualified name for ``name`` (short or qualified); UnknownTaskError otherwise."""
    return (graph or load_task_graph()).resolve(name)


def list_tasks(warehouse: Warehouse) -> pd.DataFrame:
    """SHOW TASKS for the pipeline's database (Snowflake's columns)."""
    return warehouse.query(SHOW_TASKS_SQL)


def task_history(
    warehouse: Warehouse, limit: int = 50, task: str | None = None, errors_only: bool = False
) -> pd.DataFrame:
    """The latest runs from TASK_HISTORY(), newest first: the catalog query ``task_runs``, values bound.

    Raises :class:`~caves.catalog.ParameterError` for a ``limit`` outside 1..10000 and
    :class:`~caves.dag.UnknownTaskError` for a task the DAG does not know.
    """
    task_name = resolve_task(task).rsplit(".", 1)[-1] if task else ""
    sql, params = load_query(TASK_RUNS_QUERY).bind({"limit": limit, "task": task_name, "errors_only": errors_only})
    return warehouse.query(sql, params)


def suspend_statements(name: str, graph: TaskGraph | None = None) -> list[str]:
    """Suspending: a root suspends its whole graph, the root first (no new run starts), then its children."""
    graph = graph or load_task_graph()
    fqn = graph.resolve(name)
    names = graph.suspend_order(fqn) if graph.root_of(fqn) == fqn else [fqn]
    return [f"ALTER TASK {n} SUSPEND" for n in names]


def resume_statements(name: str, graph: TaskGraph | None = None) -> list[str]:
    """Resuming: a root resumes its whole graph, children first and the root last (SNOWFLAKE_SEMANTICS.md §2.3).

    Snowflake refuses to resume a child while its root is started, so a root's resume suspends the root first
    (a no-op when it is suspended; a running graph run finishes). A child alone is resumed as asked: with its
    root started, Snowflake's refusal says to suspend the root first.
    """
    graph = graph or load_task_graph()
    fqn = graph.resolve(name)
    if graph.root_of(fqn) != fqn:
        return [f"ALTER TASK {fqn} RESUME"]
    return [f"ALTER TASK {fqn} SUSPEND", *(f"ALTER TASK {n} RESUME" for n in graph.resume_order(fqn))]


def execute_statement(name: str, retry_last: bool = False, graph: TaskGraph | None = None) -> str:
    """EXECUTE TASK on the graph's root (Snowflake refuses a child), optionally RETRY LAST."""
    graph = graph or load_task_graph()
    root = graph.root_of(graph.resolve(name))
    return f"EXECUTE TASK {root}" + (" RETRY LAST" if retry_last else "")


def run(warehouse: Warehouse, statements: list[str]) -> list[str]:
    for statement in statements:
        warehouse.execute(statement)
    return statements
