"""deploy_sql/ and caves/dag.py: statement splitting, the task graph, the deploy plan, the hand-made pipeline cases.

Everything here is fast and needs no engine, except the last section, which runs deploy_sql/ and the pipeline
cases on the local engine (marked slow, a few seconds).
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import json
import logging
import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from caves import dag, deploy, objects, sqlscript

DB = "CAVES_ALBERT_DB"
OPS = f"{DB}.OPS"
T_RAW_ORDERS = f"{OPS}.TASK_RAW_TO_STAGING_ORDERS"
T_PROD_ORDERS = f"{OPS}.TASK_STAGING_TO_PROD_ORDERS"
T_RAW_INV = f"{OPS}.TASK_RAW_TO_STAGING_INVENTORY"
T_HISTORY = f"{OPS}.TASK_STAGING_TO_PROD_INVENTORY_HISTORY"
T_CURRENT = f"{OPS}.TASK_STAGING_TO_PROD_INVENTORY_CURRENT"
T_RETENTION = f"{OPS}.TASK_PURGE_RETENTION"
ROOTS = [T_RAW_ORDERS, T_RAW_INV, T_RETENTION]

CASES_DIR = Path(__file__).resolve().parent / "pipeline_cases"
CASES = sorted(p.name[: -len(".jsonl")] for p in CASES_DIR.glob("*.jsonl"))


@pytest.fixture(scope="module")
def statements() -> list[objects.DeployStatement]:
    return objects.load_statements()


@pytest.fixture(scope="module")
def graph() -> dag.TaskGraph:
    return dag.load_task_graph()


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


def low(sql: str) -> str:
    return " ".join(sql.lower().split())


# ---------------------------------------------------------------------------------------------------------------
# Splitting and classifying deploy_sql/
# ---------------------------------------------------------------------------------------------------------------


def test_files_statement_counts_and_kinds(statements):
    counts = collections.Counter((s.file, s.kind) for s in statements)
    assert counts == {
        ("00_database.sql", "database"): 1,
        ("00_database.sql", "schema"): 4,
        ("10_raw.sql", "table"): 1,
        ("20_staging.sql", "table"): 4,
        ("30_production.sql", "table"): 3,
        ("40_ops.sql", "table"): 2,  # ADMIN_AUDIT_LOG, SIMULATED_SHOP
        ("50_streams.sql", "stream"): 5,
        ("60_tasks.sql", "other"): 2,  # ALTER TASK IF EXISTS <root> SUSPEND
        ("60_tasks.sql", "task"): 5,
        ("70_views.sql", "view"): 3,
        ("80_retention.sql", "other"): 10,  # ALTER TASK ... SUSPEND + 9 x ALTER TABLE ... SET DATA_RETENTION
        ("80_retention.sql", "task"): 1,
        ("90_alerts.sql", "table"): 3,  # ALERT_SETTINGS, ALERT_LOG, ALERT_ACKNOWLEDGEMENTS
        ("90_alerts.sql", "other"): 7,  # ALTER ALERT IF EXISTS <alert> SUSPEND
        ("90_alerts.sql", "view"): 3,  # VW_PIPELINE_CHECKS, VW_STOCK_CHECKS, VW_DATA_QUALITY_CHECKS
        ("90_alerts.sql", "alert"): 7,
    }
    files = [s.file for s in statements]
    assert files == sorted(files)  # file order kept


def test_names_are_fully_qualified_and_as_designed(statements):
    by_kind = collections.defaultdict(list)
    for s in statements:
        by_kind[s.kind].append(s.name)
    assert by_kind["database"] == [DB]
    assert by_kind["schema"] == [f"{DB}.RAW_DATA", f"{DB}.STAGING", f"{DB}.PRODUCTION", f"{DB}.OPS"]
    assert set(by_kind["table"]) == {
        f"{DB}.RAW_DATA.RAW_EVENTS_STREAM",
        f"{DB}.STAGING.STG_ORDERS",
        f"{DB}.STAGING.STG_INVENTORY_ADJUSTMENTS",
        f"{DB}.STAGING.REJECTED_EVENTS",
        f"{DB}.STAGING.EVENT_ROUTING_LOG",
        f"{DB}.PRODUCTION.ORDERS",
        f"{DB}.PRODUCTION.INVENTORY_HISTORY",
        f"{DB}.PRODUCTION.INVENTORY_CURRENT",
        f"{DB}.OPS.ADMIN_AUDIT_LOG",
        f"{DB}.OPS.SIMULATED_SHOP",
        f"{DB}.OPS.ALERT_SETTINGS",
        f"{DB}.OPS.ALERT_LOG",
        f"{DB}.OPS.ALERT_ACKNOWLEDGEMENTS",
    }
    assert set(by_kind["view"]) == {
        f"{DB}.PRODUCTION.VW_DAILY_KPI",
        f"{DB}.PRODUCTION.VW_PRODUCT_PERFORMANCE",
        f"{DB}.PRODUCTION.VW_INVENTORY_ALERTS",
        f"{DB}.OPS.VW_PIPELINE_CHECKS",
        f"{DB}.OPS.VW_STOCK_CHECKS",
        f"{DB}.PRODUCTION.VW_DATA_QUALITY_CHECKS",
    }
    assert [name.rsplit(".", 1)[-1] for name in by_kind["alert"]] == [
        "ALERT_TASK_FAILURES", "ALERT_PIPELINE_LATENCY", "ALERT_STREAM_BACKLOG", "ALERT_RECONCILIATION",
        "ALERT_REJECTED_RATE", "ALERT_STOCKOUT", "ALERT_DATA_QUALITY",
    ]  # fmt: skip
    for s in statements:
        if s.kind == "other":
            assert s.verb == "ALTER" and s.object_type in {"TABLE", "TASK", "ALERT"}, s.sql
            assert s.name.startswith(f"{DB}.") and s.name.count(".") == 2


def test_tables_and_streams_are_never_replaced(statements):
    for s in statements:
        if s.kind in {"database", "schema", "table", "stream"}:
            assert s.if_not_exists and not s.or_replace, s.sql
        if s.kind in {"task", "view"}:
            assert s.or_replace, s.sql
    assert not any(re.search(r"\bdrop\b", low(s.sql)) for s in statements)


def test_table_contract_columns(statements):
    cols = {s.name: [c.name for c in s.columns()] for s in statements if s.kind == "table"}
    # RAW exactly as DESIGN.md, in order; RAW_ID (the ledger's key) is appended
    assert cols[f"{DB}.RAW_DATA.RAW_EVENTS_STREAM"] == [
        "RAW_MESSAGE", "EVENT_DATA", "EVENT_ID", "EVENT_TYPE", "EVENT_TIMESTAMP", "SOURCE_TOPIC", "SOURCE_PARTITION",
        "SOURCE_OFFSET", "INGESTION_TIMESTAMP", "RAW_ID",
    ]  # fmt: skip
    assert cols[f"{DB}.STAGING.REJECTED_EVENTS"][:6] == [
        "RAW_MESSAGE", "EVENT_ID", "EVENT_TYPE", "REJECT_REASON", "INGESTION_TIMESTAMP", "REJECTED_AT",
    ]  # fmt: skip
    assert cols[f"{DB}.PRODUCTION.ORDERS"] == [
        "ORDER_ID", "CUSTOMER_ID", "PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "QUANTITY", "UNIT_PRICE",
        "TOTAL_AMOUNT", "PAYMENT_METHOD", "ORDER_STATUS", "ORDER_DATE", "SHIPPING_COUNTRY", "LAST_EVENT_ID",
        "LAST_EVENT_TIMESTAMP", "INGESTION_TIMESTAMP", "CREATED_AT", "UPDATED_AT",
    ]  # fmt: skip
    assert {
        "ADJUSTMENT_ID", "EVENT_ID", "PRODUCT_ID", "WAREHOUSE_LOCATION", "ADJUSTMENT_TYPE", "QUANTITY_CHANGE", "REASON",
        "EVENT_TIMESTAMP", "INGESTION_TIMESTAMP", "LOADED_AT",
    } <= set(cols[f"{DB}.PRODUCTION.INVENTORY_HISTORY"])  # fmt: skip
    assert {
        "PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "WAREHOUSE_LOCATION", "CURRENT_STOCK_LEVEL",
        "LAST_ADJUSTMENT_AT", "UPDATED_AT",
    } <= set(cols[f"{DB}.PRODUCTION.INVENTORY_CURRENT"])  # fmt: skip
    assert cols[f"{DB}.OPS.ADMIN_AUDIT_LOG"] == [
        "AUDIT_ID", "ACTOR", "ACTION", "TARGET", "DETAILS", "OUTCOME", "ERROR_MESSAGE", "STARTED_AT", "FINISHED_AT",
        "SOURCE",  # console or cli; added last, so an existing table gets it by ALTER TABLE ... ADD COLUMN
    ]  # fmt: skip
    for s in statements:
        if s.kind == "table":
            for c in s.columns():
                is_time = c.name.endswith(("_TIMESTAMP", "_AT", "ORDER_DATE"))
                if is_time and not (c.name == "EVENT_TIMESTAMP" and "RAW_DATA" in s.name):  # RAW keeps the text
                    assert c.type_sql.upper() in {"TIMESTAMPNTZ", "TIMESTAMP_NTZ"}, (s.name, c)


def test_streams(statements):
    streams = {s.name: s.stream for s in statements if s.kind == "stream"}
    raw = f"{DB}.RAW_DATA.RAW_EVENTS_STREAM"
    assert {n: st.on_table for n, st in streams.items()} == {
        f"{DB}.RAW_DATA.STREAM_RAW_ORDERS": raw,
        f"{DB}.RAW_DATA.STREAM_RAW_INVENTORY": raw,
        f"{DB}.STAGING.STREAM_STG_ORDERS": f"{DB}.STAGING.STG_ORDERS",
        f"{DB}.STAGING.STREAM_STG_INVENTORY": f"{DB}.STAGING.STG_INVENTORY_ADJUSTMENTS",
        f"{DB}.PRODUCTION.STREAM_INVENTORY_HISTORY": f"{DB}.PRODUCTION.INVENTORY_HISTORY",
    }
    assert all(st.append_only for st in streams.values())  # retention deletes never flow downstream


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("select 1; select 2;", ["select 1", "select 2"]),
        ("select ';' as a; select 'it''s; fine'", ["select ';' as a", "select 'it''s; fine'"]),
        ("select $$ a; b $$; select 2", ["select $$ a; b $$", "select 2"]),
        ("-- a; comment\nselect 1 -- trailing; comment\n; /* x; y */ select 2", ["select 1", "select 2"]),
        ("select case when a then ';' end from t; select 2", ["select case when a then ';' end from t", "select 2"]),
        (
            "create task t as begin begin transaction; insert into x select case when 1 = 1 then 2 end; commit; "
            "exception when other then rollback; raise; end; select 3",
            [
                "create task t as begin begin transaction; insert into x select case when 1 = 1 then 2 end; commit; "
                "exception when other then rollback; raise; end",
                "select 3",
            ],
        ),
        (
            "execute immediate $$ declare x int; begin if (x > 1) then return 1; end if; end; $$; select 4",
            ["execute immediate $$ declare x int; begin if (x > 1) then return 1; end if; end; $$", "select 4"],
        ),
        (
            "begin let n := 1; if (n = 1) then select 1; end if; for i in 1 to 2 do select 2; end for; end; select 5",
            [
                "begin let n := 1; if (n = 1) then select 1; end if; for i in 1 to 2 do select 2; end for; end",
                "select 5",
            ],
        ),
        ("begin transaction; commit; begin; rollback", ["begin transaction", "commit", "begin", "rollback"]),
        ("select 1", ["select 1"]),
        ("  \n-- only a comment\n", []),
    ],
)
def test_split_statements(text, expected):
    assert [sql for _, sql in sqlscript.split_statements(text)] == expected


def test_split_reports_line_numbers():
    assert [line for line, _ in sqlscript.split_statements("\n\nselect 1;\n-- c\nselect\n 2;")] == [3, 5]


def test_task_option_parser():
    stmt = objects.parse_statement(
        "create or replace task DB1.S1.CHILD warehouse = wh_1 comment = 'it''s a task' "
        "user_task_timeout_ms = 1000 after ROOT_A, s1.root_b, DB1.S1.ROOT_C "
        "when system$stream_has_data('DB1.S1.ST') and (1 = 1) as insert into T select 1"
    )
    assert stmt.kind == "task" and stmt.name == "DB1.S1.CHILD"
    task = stmt.task
    assert task.after == ("DB1.S1.ROOT_A", "DB1.S1.ROOT_B", "DB1.S1.ROOT_C")
    assert task.warehouse == "WH_1" and task.comment == "it's a task"
    assert task.params == {"WAREHOUSE": "wh_1", "COMMENT": "it's a task", "USER_TASK_TIMEOUT_MS": "1000"}
    assert task.when == "system$stream_has_data('DB1.S1.ST') and (1 = 1)"
    assert task.body == "insert into T select 1" and task.schedule is None


def test_unqualified_objects_are_refused():
    with pytest.raises(objects.DeployError, match="fully qualified"):
        objects.parse_statement("create table if not exists T (A int)")
    with pytest.raises(objects.DeployError, match="fully qualified"):
        objects.parse_statement("create or replace task S.T schedule = '1 MINUTE' as select 1")


def _parse(sql: str) -> exp.Expression:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    return sqlglot.parse_one(sql, read="snowflake")


def test_every_statement_parses_with_sqlglot(statements):
    """sqlglot parses every statement but CREATE STREAM / CREATE TASK (dag.py parses those; the task bodies' own
    statements are checked below) and CREATE ALERT (caves/alerting.py parses those); ALTER TASK and ALTER ALERT are
    its generic Commands."""
    for s in statements:
        if s.kind in {"stream", "task", "alert"}:
            continue
        tree = _parse(s.sql)
        assert isinstance(tree, exp.Command) == (s.is_task_control or s.is_alert_control), s.sql[:60]


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


# ---------------------------------------------------------------------------------------------------------------
# The task graph
# ---------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------
# The deploy plan
# ---------------------------------------------------------------------------------------------------------------


def test_plan_on_empty_state_creates_everything_in_file_order(statements):
    plan = deploy.plan_deploy(statements, None)
    expected = [s.sql for s in statements if not (s.is_task_control or s.is_alert_control)]
    assert plan == expected
    assert not any(low(p).startswith("alter task") for p in plan)


def test_plan_with_resume_all_starts_every_graph_children_first(statements):
    plan = deploy.plan_deploy(statements, None, resume_all=True)
    resumes = [p for p in plan if low(p).endswith(" resume")]
    alerts = [s.name for s in statements if s.kind == "alert"]
    assert resumes == [f"alter task {name} resume" for name in dag.load_task_graph().children_first_order()] + [
        f"alter alert {name} resume" for name in alerts
    ]
    assert plan.index(resumes[0]) > max(
        i for i, p in enumerate(plan) if not low(p).startswith(("alter task", "alter alert"))
    )


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


# ---------------------------------------------------------------------------------------------------------------
# The SQL's business rules (static checks)
# ---------------------------------------------------------------------------------------------------------------

OWNERSHIP = (
    "coalesce( is_object(r.event_data) and iff(is_varchar(r.event_data:event_type), "
    "r.event_data:event_type::varchar, null) = 'inventory_adjustment', false )"
)


def test_every_raw_row_has_exactly_one_owner(graph):
    """Both RAW->STAGING tasks use the same ownership expression, negated for orders: complementary, never NULL."""
    orders, inventory = low(graph.nodes[T_RAW_ORDERS].body), low(graph.nodes[T_RAW_INV].body)
    assert orders.count("and not " + OWNERSHIP) == 1 and OWNERSHIP not in orders.replace("and not " + OWNERSHIP, "")
    assert inventory.count("and " + OWNERSHIP) == 1 and "not " + OWNERSHIP not in inventory


def test_stream_reads_are_transactional_and_insert_only(graph):
    for task in graph.nodes.values():
        body = low(task.body)
        for stream in re.findall(r"from (caves_albert_db\.\w+\.stream_\w+) as (\w+)", body):
            assert f"{stream[1]}.metadata$action = 'insert'" in body, (task.name, stream)


# ---------------------------------------------------------------------------------------------------------------
# The hand-made pipeline cases (data checks; their answers are written by hand)
# ---------------------------------------------------------------------------------------------------------------


def load_case(name: str) -> tuple[list[str], dict]:
    lines = (CASES_DIR / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and "" not in lines[:-1]  # one message per line, no empty line
    return lines[:-1], json.loads((CASES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_cases_exist():
    assert set(CASES) >= {"orders_lifecycle", "orders_cancelled_kpi", "inventory_out_of_order", "rejected_messages"}


@pytest.mark.parametrize("name", CASES)
def test_case_is_self_consistent(name):
    lines, expected = load_case(name)
    assert sum(expected["batches"]) == len(lines) == expected["raw_rows"]
    rejected_lines = [r["line"] for r in expected["rejected"]]
    assert len(set(rejected_lines)) == len(rejected_lines) and all(1 <= n <= len(lines) for n in rejected_lines)
    staged = len(expected["staged_orders"]) + len(expected["staged_adjustments"])
    assert staged + len(rejected_lines) == len(lines)
    rec = expected["reconciliation"]
    assert rec == {
        "RAW_ROWS": len(lines),
        "STAGED_ORDERS": len(expected["staged_orders"]),
        "STAGED_ADJUSTMENTS": len(expected["staged_adjustments"]),
        "REJECTED": len(rejected_lines),
        "UNACCOUNTED": 0,
    }
    for r in expected["rejected"]:
        if r["reason"] == "duplicate event_id":  # a redelivery repeats an earlier line verbatim
            assert lines[r["line"] - 1] in lines[: r["line"] - 1]


@pytest.mark.parametrize("name", CASES)
def test_case_reasons_agree_with_the_reference_validator(name):
    """The SQL's REJECT_REASON vocabulary and rule order are those of caves/events.py validate_message."""
    events = pytest.importorskip("caves.events")
    lines, expected = load_case(name)
    by_line = {r["line"]: r for r in expected["rejected"]}
    for number, text in enumerate(lines, start=1):
        r = by_line.get(number)
        if r is None or r["reason"] == "duplicate event_id":
            assert events.validate_message(text) is None, (number, text[:80])
        elif r.get("beyond_contract"):
            assert events.validate_message(text) is None, number
        else:
            assert events.validate_message(text) == r["reason"], (number, text[:80])


def test_every_expected_reason_is_one_the_sql_can_produce(graph):
    sql = (graph.nodes[T_RAW_ORDERS].body + graph.nodes[T_RAW_INV].body).replace("''", "'")
    for name in CASES:
        for r in load_case(name)[1]["rejected"]:
            rule = r["reason"]
            if rule.startswith("unknown "):  # the SQL appends the offending value
                rule = " ".join(rule.split(" ")[:2])
            rule = re.sub(r" for a \w+$", " for a ", rule)
            assert f"'{rule}'" in sql or f"'{rule}' ||" in sql, r["reason"]


# ---------------------------------------------------------------------------------------------------------------
# On the local engine (slow: a few seconds)
# ---------------------------------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _same(got, want) -> bool:
    if isinstance(want, str) and isinstance(got, dt.datetime):
        return got == dt.datetime.fromisoformat(want)
    if isinstance(want, float) or isinstance(got, float):
        return got is not None and want is not None and abs(float(got) - float(want)) < 1e-9
    return got == want


@pytest.fixture(scope="module")
def local_warehouse_factory():
    pytest.importorskip("caves.local")
    from caves.warehouse.local import LocalWarehouse

    logging.getLogger("sqlglot").setLevel(logging.ERROR)

    def make():
        wh = LocalWarehouse(":memory:")
        for sql in deploy.plan_deploy(objects.load_statements(), deploy.read_state(wh), resume_all=True):
            wh.execute(sql)
        return wh

    return make


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


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_case_on_the_local_engine(local_warehouse_factory, name):
    from caves.ingest import Message, ingest
    from caves.local.scheduler import run_until_idle

    lines, expected = load_case(name)
    wh = local_warehouse_factory()

    def rows(table: str, key: str) -> dict:
        frame = wh.query(f"select * from {DB}.{table}")
        return {_plain(r[key]): {k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")}

    def check(section: str, table: str, key: str, wanted: dict) -> None:
        got = rows(table, key)
        for ident, columns in wanted.items():
            assert ident in got, (section, ident)
            for column, value in columns.items():
                assert _same(got[ident][column], value), (section, ident, column, got[ident][column], value)

    try:
        done = 0
        for number, size in enumerate(expected["batches"], start=1):
            ingest(wh, [Message(text, "case", 0, done + i) for i, text in enumerate(lines[done : done + size])])
            done += size
            outcomes = run_until_idle(wh.engine)
            assert not [o for o in outcomes if o.state.startswith("FAILED")], outcomes
            for checkpoint in expected.get("checkpoints", []):
                if checkpoint["after_batch"] == number:
                    check("checkpoint orders", "PRODUCTION.ORDERS", "ORDER_ID", checkpoint.get("orders", {}))
                    check("checkpoint stock", "PRODUCTION.INVENTORY_CURRENT", "PRODUCT_ID",
                          checkpoint.get("inventory_current", {}))  # fmt: skip

        def ids(table):
            return sorted(wh.query(f"select EVENT_ID from {DB}.{table}")["EVENT_ID"])

        assert len(wh.query(f"select 1 from {DB}.RAW_DATA.RAW_EVENTS_STREAM")) == expected["raw_rows"]
        assert ids("STAGING.STG_ORDERS") == sorted(expected["staged_orders"])
        assert ids("STAGING.STG_INVENTORY_ADJUSTMENTS") == sorted(expected["staged_adjustments"])
        rejected = wh.query(
            f"select RAW_MESSAGE, REJECT_REASON, REJECTED_BY, EVENT_ID from {DB}.STAGING.REJECTED_EVENTS"
        )
        got = sorted(zip(rejected["RAW_MESSAGE"], rejected["REJECT_REASON"], rejected["REJECTED_BY"], strict=True))
        want = sorted((lines[r["line"] - 1], r["reason"], r["rejected_by"]) for r in expected["rejected"])
        assert got == want
        event_ids = {m: _plain(e) for m, e in zip(rejected["RAW_MESSAGE"], rejected["EVENT_ID"], strict=True)}
        for r in expected["rejected"]:
            if "event_id" in r:
                assert event_ids[lines[r["line"] - 1]] == r["event_id"], r
        ledger = wh.query(f"select RAW_ID from {DB}.STAGING.EVENT_ROUTING_LOG")["RAW_ID"]
        assert len(ledger) == len(set(ledger)) == expected["raw_rows"]  # every RAW row routed exactly once

        for section, table, key in [
            ("stg_orders", "STAGING.STG_ORDERS", "EVENT_ID"),
            ("orders", "PRODUCTION.ORDERS", "ORDER_ID"),
            ("inventory_history", "PRODUCTION.INVENTORY_HISTORY", "ADJUSTMENT_ID"),
            ("inventory_current", "PRODUCTION.INVENTORY_CURRENT", "PRODUCT_ID"),
            ("product_performance", "PRODUCTION.VW_PRODUCT_PERFORMANCE", "PRODUCT_ID"),
            ("inventory_alerts", "PRODUCTION.VW_INVENTORY_ALERTS", "PRODUCT_ID"),
        ]:
            if section in expected:
                check(section, table, key, expected[section])
            for absent in expected.get(section + "_absent", []):
                assert absent not in rows(table, key), (section, absent)
        if "inventory_history_rows" in expected:
            assert len(rows("PRODUCTION.INVENTORY_HISTORY", "ADJUSTMENT_ID")) == expected["inventory_history_rows"]
        if "daily_kpi" in expected:
            kpi = rows("PRODUCTION.VW_DAILY_KPI", "ORDER_DAY")
            assert sorted(kpi) == sorted(k["ORDER_DAY"] for k in expected["daily_kpi"])
            check(
                "daily_kpi", "PRODUCTION.VW_DAILY_KPI", "ORDER_DAY", {k["ORDER_DAY"]: k for k in expected["daily_kpi"]}
            )
    finally:
        wh.close()


@pytest.mark.slow
def test_retention_purges_only_processed_rows(local_warehouse_factory):
    """Old (40-day) rows: routed RAW rows and merged staging rows go; unrouted RAW and unmerged staging rows stay.

    Expected values worked out by hand from orders_lifecycle.jsonl (see its expected file for the events).
    """
    from caves.ingest import Message, load_batch
    from caves.local.scheduler import run_until_idle

    lines, _ = load_case("orders_lifecycle")
    old = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=40)
    wh = local_warehouse_factory()

    def ingest(first: int, last: int) -> None:  # lines first+1..last, ingested 40 days ago
        load_batch(wh, [Message(t, "case", 0, first + i) for i, t in enumerate(lines[first:last])], old)

    def count(table: str) -> int:
        return len(wh.query(f"select 1 from {DB}.{table}"))

    def ids(table: str) -> list[str]:
        return sorted(wh.query(f"select EVENT_ID from {DB}.{table}")["EVENT_ID"])

    def purge() -> None:
        wh.execute(f"execute task {T_RETENTION}")

    try:
        wh.execute(f"alter task {T_RETENTION} suspend")  # run it only when the test says so
        ingest(0, 5)  # E-O1-1, E-O1-2, E-O1-1 again, E-O2-2, E-O2-1: routed and merged
        run_until_idle(wh.engine)
        # A child is suspended only while its root is (SNOWFLAKE_SEMANTICS.md §2.3): root, child, root again.
        wh.execute(f"alter task {T_RAW_ORDERS} suspend")
        wh.execute(f"alter task {T_PROD_ORDERS} suspend")
        wh.execute(f"alter task {T_RAW_ORDERS} resume")
        ingest(5, 8)  # E-O1-3, E-O2-1 again, E-O3-1: routed, not merged
        run_until_idle(wh.engine)
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 8
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 0  # all were routed
        # E-O3-1 is not in PRODUCTION yet: kept. E-O1-3 (09:00) is older than ORD-1's E-O1-2 (09:05): nothing to do.
        assert ids("STAGING.STG_ORDERS") == ["E-O3-1"]
        assert ids("STAGING.REJECTED_EVENTS") == ["E-O1-1", "E-O2-1"]  # 40 days < 90

        wh.execute(f"alter task {T_RAW_ORDERS} suspend")
        ingest(8, 11)  # E-O1-4, E-O3-2, E-O1-2 again: not routed yet
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == 3  # unrouted: kept however old
        wh.execute(f"alter task {T_PROD_ORDERS} resume")
        wh.execute(f"alter task {T_RAW_ORDERS} resume")
        run_until_idle(wh.engine)
        # E-O1-2's ledger row went with its RAW row: its redelivery is staged again, and changes nothing
        assert ids("STAGING.STG_ORDERS") == ["E-O1-2", "E-O1-4", "E-O3-1", "E-O3-2"]
        orders = wh.query(f"select ORDER_ID, ORDER_STATUS, LAST_EVENT_ID from {DB}.PRODUCTION.ORDERS order by 1")
        assert [tuple(r) for r in orders.itertuples(index=False)] == [
            ("ORD-1", "delivered", "E-O1-4"),
            ("ORD-2", "shipped", "E-O2-2"),
            ("ORD-3", "cancelled", "E-O3-2"),
        ]
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 0
        assert count("STAGING.STG_ORDERS") == 0  # every staged event is now reflected in PRODUCTION.ORDERS
        assert count("PRODUCTION.ORDERS") == 3
    finally:
        wh.close()
