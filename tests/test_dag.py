"""caves/dag.py: the task graph of deploy_sql/ (roots, children, orders, name checks) and the task bodies."""

from __future__ import annotations

import logging
import re

import pytest
import sqlglot
from pipeline.helpers import (
    DB,
    OPS,
    ROOTS,
    T_CURRENT,
    T_HISTORY,
    T_PROD_ORDERS,
    T_RAW_INV,
    T_RAW_ORDERS,
    T_RETENTION,
    low,
)
from sqlglot import exp

from caves import dag, objects, sqlscript


def _parse(sql: str) -> exp.Expression:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    return sqlglot.parse_one(sql, read="snowflake")


def test_every_task_body_statement_parses_with_sqlglot(graph):
    control = {"begin transaction", "commit", "rollback", "raise"}
    for task in graph.nodes.values():
        inner = sqlscript.parse_block(task.body).statements
        assert low(inner[0]) == "begin transaction" and low(inner[-1]) == "commit", task.name
        assert re.search(r"exception\s+when\s+other\s+then\s+rollback;\s*raise;\s*end$", low(task.body)), task.name
        work = [sql for sql in inner if low(sql) not in control]
        assert work, task.name
        for sql in work:
            tree = _parse(sql)
            assert isinstance(tree, (exp.Insert, exp.Merge, exp.Delete)), (task.name, sql[:60])


def test_graph_is_the_designed_dag(graph):
    assert graph.validate() == []
    assert set(graph.edges) == {(T_RAW_ORDERS, T_PROD_ORDERS), (T_RAW_INV, T_HISTORY), (T_HISTORY, T_CURRENT)}
    assert graph.roots() == ROOTS
    for root in (T_RAW_ORDERS, T_RAW_INV):
        task = graph.nodes[root]
        assert task.schedule == "1 MINUTE"
        assert "SUSPEND_TASK_AFTER_NUM_FAILURES" in task.params
        assert task.params.get("USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE") == "XSMALL" and task.warehouse is None

    # A root runs when RAW has new rows, or when a later step of its graph still has pending rows
    # (a child that failed and was repaired must not wait for the next RAW message).
    def when(task: str) -> str:
        return " ".join(graph.nodes[task].when.split())

    assert when(T_RAW_ORDERS) == (
        f"SYSTEM$STREAM_HAS_DATA('{DB}.RAW_DATA.STREAM_RAW_ORDERS') "
        f"or SYSTEM$STREAM_HAS_DATA('{DB}.STAGING.STREAM_STG_ORDERS')"
    )
    assert when(T_RAW_INV) == (
        f"SYSTEM$STREAM_HAS_DATA('{DB}.RAW_DATA.STREAM_RAW_INVENTORY') "
        f"or SYSTEM$STREAM_HAS_DATA('{DB}.STAGING.STREAM_STG_INVENTORY') "
        f"or SYSTEM$STREAM_HAS_DATA('{DB}.PRODUCTION.STREAM_INVENTORY_HISTORY')"
    )
    assert graph.nodes[T_RETENTION].schedule.startswith("USING CRON ")
    assert {name.rsplit(".", 1)[0] for name in graph.nodes} == {OPS}  # one schema for every task


def test_graph_orders(graph):
    assert graph.topological_order() == [T_RAW_ORDERS, T_PROD_ORDERS, T_RAW_INV, T_HISTORY, T_CURRENT, T_RETENTION]
    assert graph.children_first_order() == [T_PROD_ORDERS, T_RAW_ORDERS, T_CURRENT, T_HISTORY, T_RAW_INV, T_RETENTION]
    assert graph.descendants(T_RAW_INV) == [T_HISTORY, T_CURRENT]
    assert graph.ancestors(T_CURRENT) == [T_RAW_INV, T_HISTORY]
    assert graph.descendants(T_CURRENT) == []
    assert graph.root_of("task_staging_to_prod_inventory_current") == T_RAW_INV
    assert graph.resume_order(T_HISTORY) == [T_CURRENT, T_HISTORY, T_RAW_INV]
    assert graph.suspend_order(T_RAW_ORDERS) == [T_RAW_ORDERS, T_PROD_ORDERS]
    assert graph.children(T_RAW_INV) == [T_HISTORY] and graph.parents(T_CURRENT) == [T_HISTORY]
    assert "digraph" in graph.to_dot() and '"TASK_RAW_TO_STAGING_INVENTORY" -> ' in graph.to_dot()


@pytest.mark.parametrize("name", [T_RAW_ORDERS, "TASK_RAW_TO_STAGING_ORDERS", "ops.task_raw_to_staging_orders"])
def test_known_task_names_resolve(graph, name):
    assert graph.is_known(name) and graph.resolve(name) == T_RAW_ORDERS


@pytest.mark.parametrize(
    "name",
    [
        "TASK_NOPE",
        f"{DB}.RAW_DATA.TASK_RAW_TO_STAGING_ORDERS",  # right name, wrong schema
        "TASK_RAW_TO_STAGING_ORDERS; DROP TABLE X",
        "TASK_RAW_TO_STAGING_ORDERS SUSPEND",
        '"task_raw_to_staging_orders"',  # quoted: case-sensitive
        "",
        "a.b.c.d",
    ],
)
def test_unknown_task_names_are_refused(graph, name):
    assert not graph.is_known(name)
    with pytest.raises(dag.UnknownTaskError):
        graph.resolve(name)
    with pytest.raises(dag.UnknownTaskError):
        graph.descendants(name)


def test_graph_validation_catches_broken_graphs():
    def task(name, schedule=None, params=None, **kw):
        options = dict(params or {}) | ({"SCHEDULE": schedule} if schedule else {})
        return objects.TaskDef(name=name, params=options, **kw)

    broken = dag.TaskGraph(
        [
            task("D.S.ROOT"),  # no schedule
            task("D.S.CHILD", after=("D.S.ROOT",), schedule="1 MINUTE"),  # schedule on a child
            task("D.X.OTHER", after=("D.S.ROOT",)),  # another schema
            task("D.S.ORPHAN", after=("D.S.MISSING",)),
        ]
    )
    problems = " | ".join(broken.validate())
    for fragment in ("needs a SCHEDULE", "cannot have a SCHEDULE", "another schema", "not a task of deploy_sql"):
        assert fragment in problems
    cyclic = dag.TaskGraph([task("D.S.A", after=("D.S.B",)), task("D.S.B", after=("D.S.A",))])
    assert any("cycle" in p for p in cyclic.validate())
