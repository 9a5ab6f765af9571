"""caves/deploy.py: the deploy planner (what exists, the plan) on fake states and through the Warehouse
protocol; the last test redeploys on the local engine (slow)."""

from __future__ import annotations

import re

import pytest
from pipeline.helpers import DB, ROOTS, T_CURRENT, T_HISTORY, T_PROD_ORDERS, T_RAW_INV, T_RAW_ORDERS, low

from caves import dag, deploy, objects


def full_state(statements, task_state: str = "started") -> deploy.DeployState:
    """Everything of deploy_sql/ exists, every task in `task_state`."""
    tables = {s.name: {c.name for c in s.columns()} for s in statements if s.kind == "table"}
    return deploy.DeployState(
        database_exists=True,
        schemas={s.name for s in statements if s.kind == "schema"},
        tables=tables,
        streams={s.name: deploy.StreamState(s.name) for s in statements if s.kind == "stream"},
        tasks={
            s.name: deploy.TaskState(s.name, task_state, s.task.after)
            for s in statements
            if s.kind == "task" and s.task
        },
    )


def test_plan_on_empty_state_creates_everything_in_file_order(statements):
    plan = deploy.plan_deploy(statements, None)
    expected = [s.sql for s in statements if not s.is_task_control]
    assert plan == expected
    assert not any(low(p).startswith("alter task") for p in plan)


def test_plan_with_resume_all_starts_every_graph_children_first(statements):
    plan = deploy.plan_deploy(statements, None, resume_all=True)
    resumes = [p for p in plan if low(p).endswith(" resume")]
    assert resumes == [f"alter task {name} resume" for name in dag.load_task_graph().children_first_order()]
    assert plan.index(resumes[0]) > max(i for i, p in enumerate(plan) if not low(p).startswith("alter task"))


def test_plan_on_running_pipeline_changes_no_data_object(statements, graph):
    plan = deploy.plan_deploy(statements, full_state(statements))
    text = [low(p) for p in plan]
    for sql in text:
        assert not re.search(r"\bdrop\b", sql), sql
        assert not sql.startswith(
            ("create or replace table", "create or replace stream", "create or replace transient")
        ), sql
        assert not sql.startswith(("create table", "create stream", "create database", "create schema")), sql
        assert not sql.startswith("alter table") or " set data_retention_time_in_days" in sql, sql
    suspends = [i for i, s in enumerate(text) if s.startswith("alter task") and s.endswith(" suspend")]
    creates = [i for i, s in enumerate(text) if s.startswith("create or replace task")]
    resumes = [i for i, s in enumerate(text) if s.startswith("alter task") and s.endswith(" resume")]
    assert [text[i] for i in suspends] == [f"alter task {r.lower()} suspend" for r in ROOTS]  # roots only
    assert len(creates) == len(graph) and max(suspends) < min(creates) and max(creates) < min(resumes)
    assert resumes[-1] == len(text) - 1
    resumed = [text[i].split()[2].upper() for i in resumes]
    assert sorted(resumed) == sorted(graph.nodes)
    for root in graph.roots():  # children before their root, and before their own parents
        for child in graph.descendants(root):
            assert resumed.index(child) < resumed.index(root)
            for parent in graph.parents(child):
                assert resumed.index(child) < resumed.index(parent)
    created = [re.search(r"create or replace task (\S+)", text[i]).group(1).upper() for i in creates]
    assert created == [n for n in graph.topological_order()]  # parents before children


def test_plan_resumes_only_the_graphs_that_were_running(statements):
    state = full_state(statements, "suspended")
    state.tasks[T_RAW_ORDERS].state = "started"
    state.tasks[T_PROD_ORDERS].state = "started"
    plan = [low(p) for p in deploy.plan_deploy(statements, state)]
    alters = [p for p in plan if p.startswith("alter task")]
    assert alters[0] == f"alter task {T_RAW_ORDERS.lower()} suspend"
    assert alters[1:] == [f"alter task {T_PROD_ORDERS.lower()} resume", f"alter task {T_RAW_ORDERS.lower()} resume"]


def test_plan_keeps_a_deliberately_suspended_child_suspended_and_resumes_a_new_one(statements):
    state = full_state(statements)
    state.tasks[T_HISTORY].state = "suspended"  # suspended on purpose while its graph runs
    del state.tasks[T_CURRENT]  # a task this deploy adds to a running graph
    plan = [low(p) for p in deploy.plan_deploy(statements, state)]
    resumes = [p.split()[2].upper() for p in plan if p.endswith(" resume")]
    assert T_HISTORY not in resumes
    assert resumes.index(T_CURRENT) < resumes.index(T_RAW_INV)


def test_plan_adds_missing_columns_without_replacing(statements):
    state = full_state(statements)
    orders = f"{DB}.STAGING.STG_ORDERS"
    state.tables[orders] -= {"CURRENCY", "STAGED_AT", "SHIPPING_COUNTRY"}
    plan = deploy.plan_deploy(statements, state)
    adds = [p for p in plan if low(p).startswith(f"alter table {orders.lower()} add column")]
    assert [p.split()[5] for p in adds] == ["CURRENCY", "SHIPPING_COUNTRY", "STAGED_AT"]  # table order
    currency, country, staged = (low(p) for p in adds)
    assert "default 'eur'" in currency and "not null" not in currency  # constant default kept, NOT NULL dropped
    assert "default" not in staged  # a non-constant default cannot be added to an existing table
    assert "comment 'iso 3166-1 alpha-2, optional'" in country
    assert not any(low(p).startswith(f"create table if not exists {orders.lower()}") for p in plan)


def test_plan_creates_only_missing_objects(statements):
    state = full_state(statements)
    del state.tables[f"{DB}.OPS.ADMIN_AUDIT_LOG"]
    del state.streams[f"{DB}.STAGING.STREAM_STG_ORDERS"]
    state.schemas.discard(f"{DB}.OPS")
    heads = [
        " ".join(low(p).split()[:6]) for p in deploy.plan_deploy(statements, state) if low(p).startswith("create ")
    ]
    assert [h for h in heads if not h.startswith("create or replace")] == [
        f"create schema if not exists {DB.lower()}.ops",
        f"create table if not exists {DB.lower()}.ops.admin_audit_log",
        f"create stream if not exists {DB.lower()}.staging.stream_stg_orders",
    ]


def test_stale_streams_are_recreated_only_when_asked(statements):
    state = full_state(statements)
    name = f"{DB}.RAW_DATA.STREAM_RAW_ORDERS"
    state.streams[name].stale = True

    def stream_ddl(plan):
        return [" ".join(low(p).split()[:5]) for p in plan if re.match(r"create (or replace )?stream", low(p))]

    assert stream_ddl(deploy.plan_deploy(statements, state)) == []
    assert stream_ddl(deploy.plan_deploy(statements, state, recreate_stale_streams=True)) == [
        f"create or replace stream {name.lower()}"
    ]


def test_state_from_a_plain_mapping(statements):
    state = deploy.DeployState.coerce(
        {
            "tables": {f"{DB}.raw_data.raw_events_stream": ["raw_message"]},
            "streams": [f"{DB}.RAW_DATA.STREAM_RAW_ORDERS"],
            "tasks": {T_RAW_ORDERS: "started", T_PROD_ORDERS: {"state": "started", "predecessors": [T_RAW_ORDERS]}},
        }
    )
    assert state.database_exists and state.tables[f"{DB}.RAW_DATA.RAW_EVENTS_STREAM"] == {"RAW_MESSAGE"}
    assert state.started_roots() == [T_RAW_ORDERS] and state.state_root_of(T_PROD_ORDERS) == T_RAW_ORDERS
    plan = [low(p) for p in deploy.plan_deploy(statements, state)]
    assert plan[0] == f"alter task {T_RAW_ORDERS.lower()} suspend"
    assert f"alter table {DB.lower()}.raw_data.raw_events_stream add column event_data variant comment" in " ".join(
        plan
    )


class FakeWarehouse:
    """The Warehouse protocol's query() over canned result sets (lists of records)."""

    def __init__(self, results: dict[str, list[dict]], missing: bool = False) -> None:
        self.results, self.missing, self.seen = results, missing, []

    def query(self, sql, params=None):
        self.seen.append(sql)
        if self.missing:
            raise RuntimeError("002003 (02000): Database 'CAVES_ALBERT_DB' does not exist or not authorized.")
        for key, rows in self.results.items():
            if key in sql.lower():
                return rows
        raise AssertionError(sql)


def test_read_state_through_the_warehouse_protocol():
    wh = FakeWarehouse(
        {
            "show schemas": [{"name": "RAW_DATA"}, {"name": "INFORMATION_SCHEMA"}],
            "information_schema.columns": [
                {"TABLE_SCHEMA": "RAW_DATA", "TABLE_NAME": "RAW_EVENTS_STREAM", "COLUMN_NAME": "RAW_MESSAGE"},
                {"TABLE_SCHEMA": "RAW_DATA", "TABLE_NAME": "RAW_EVENTS_STREAM", "COLUMN_NAME": "EVENT_DATA"},
            ],
            "show streams": [
                {
                    "name": "STREAM_RAW_ORDERS",
                    "schema_name": "RAW_DATA",
                    "database_name": DB,
                    "table_name": f"{DB}.RAW_DATA.RAW_EVENTS_STREAM",
                    "mode": "APPEND_ONLY",
                    "stale": "true",
                },
            ],
            "show tasks": [
                {
                    "name": "TASK_RAW_TO_STAGING_ORDERS",
                    "schema_name": "OPS",
                    "database_name": DB,
                    "state": "started",
                    "predecessors": "[]",
                },
                {
                    "name": "TASK_STAGING_TO_PROD_ORDERS",
                    "schema_name": "OPS",
                    "database_name": DB,
                    "state": "suspended",
                    "predecessors": f'[\n  "{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS"\n]',
                },
            ],
        }
    )
    state = deploy.read_state(wh)
    assert state.database_exists and state.schemas == {f"{DB}.RAW_DATA", f"{DB}.INFORMATION_SCHEMA"}
    assert state.tables == {f"{DB}.RAW_DATA.RAW_EVENTS_STREAM": {"RAW_MESSAGE", "EVENT_DATA"}}
    assert state.streams[f"{DB}.RAW_DATA.STREAM_RAW_ORDERS"].stale is True
    assert state.tasks[T_PROD_ORDERS].predecessors == (T_RAW_ORDERS,) and not state.tasks[T_PROD_ORDERS].started
    assert state.started_roots() == [T_RAW_ORDERS]
    assert deploy.read_state(FakeWarehouse({}, missing=True)) == deploy.DeployState()
    assert deploy.read_state(FakeWarehouse({"show schemas": []})) == deploy.DeployState()


@pytest.mark.slow
def test_redeploy_on_the_local_engine_is_a_no_op_for_data(local_warehouse_factory):
    wh = local_warehouse_factory()
    try:
        state = deploy.read_state(wh)
        statements = objects.load_statements()
        assert set(state.tables) >= {s.name for s in statements if s.kind == "table"}
        assert set(state.streams) == {s.name for s in statements if s.kind == "stream"}
        assert all(t.started for t in state.tasks.values()) and len(state.tasks) == 6
        plan = deploy.plan_deploy(statements, state)
        assert not [p for p in plan if low(p).startswith(("create table", "create stream", "alter table cav"))
                    and " set " not in low(p)]  # fmt: skip
        for sql in plan:
            wh.execute(sql)
        assert all(t.started for t in deploy.read_state(wh).tasks.values())
    finally:
        wh.close()
