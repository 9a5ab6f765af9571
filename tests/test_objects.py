"""caves.objects: CREATE TASK / CREATE STREAM read once, for the planner, the graph and the local engine."""

from __future__ import annotations

import collections
import logging
import re

import pytest
import sqlglot
from pipeline.helpers import DB, low
from sqlglot import exp

from caves import objects
from caves.local import Engine
from caves.local.errors import SnowflakeError
from caves.objects import ObjectSyntaxError, parse_create_stream, parse_create_task, parse_predecessors


def test_create_task_as_written():
    """Names keep their qualification as written (the engine resolves them against the session); every
    KEY = value option is kept, unquoted; WHEN and the body are the text between the keywords."""
    task = parse_create_task(
        "CREATE OR REPLACE TASK ops.child WAREHOUSE = wh COMMENT = 'it''s mine' "
        "AFTER ops.root, \"Other\" WHEN SYSTEM$STREAM_HAS_DATA('S') AS INSERT INTO T SELECT 1;"
    )
    assert (task.name, task.after, task.or_replace, task.if_not_exists) == (
        "OPS.CHILD",
        ("OPS.ROOT", '"Other"'),
        True,
        False,
    )
    assert task.params == {"WAREHOUSE": "wh", "COMMENT": "it's mine"}
    assert task.warehouse == "WH" and task.comment == "it's mine" and task.schedule is None
    assert task.when == "SYSTEM$STREAM_HAS_DATA('S')"
    assert task.body == "INSERT INTO T SELECT 1"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TASK T SCHEDULE = '1 MINUTE'",  # no body
        "CREATE TASK T SCHEDULE = '1 MINUTE' WITH TAG (A = 'B') AS SELECT 1",  # a clause we do not read
        "CREATE TABLE T (A INT)",
    ],
)
def test_create_task_that_cannot_be_read_is_refused(sql):
    with pytest.raises(ObjectSyntaxError):
        parse_create_task(sql)


def test_create_stream_options_and_time_travel():
    stream = parse_create_stream(
        "CREATE STREAM IF NOT EXISTS S COPY GRANTS ON TABLE raw.T AT(STREAM => 'OLD') APPEND_ONLY = TRUE"
    )
    assert (stream.name, stream.on_table, stream.append_only, stream.if_not_exists) == ("S", "RAW.T", True, True)
    assert stream.at_stream == "OLD" and stream.time_travel is None
    travel = parse_create_stream("CREATE STREAM S ON TABLE T BEFORE(OFFSET => -60)")
    assert travel.time_travel == "BEFORE(OFFSET => -60)"


def test_the_engine_refuses_what_it_would_otherwise_ignore(tmp_path):
    """The emulator never lies: a task parameter or a stream option the engine does not emulate, and time
    travel on CREATE STREAM, are refused with an error instead of being dropped."""
    engine = Engine(str(tmp_path / "w.duckdb"))
    try:
        with engine.session() as s:
            s.execute("CREATE DATABASE D")
            s.execute("CREATE SCHEMA D.S")
            s.execute("CREATE TABLE D.S.T (A INT)")
            with pytest.raises(SnowflakeError, match="not supported by the local engine: task parameter STATEMENT_X"):
                s.execute("CREATE TASK D.S.K SCHEDULE = '1 MINUTE' STATEMENT_X = 5 AS SELECT 1")
            with pytest.raises(SnowflakeError, match="CREATE STREAM option FOO"):
                s.execute("CREATE STREAM D.S.ST ON TABLE D.S.T FOO = 1")
            with pytest.raises(SnowflakeError, match="no time travel"):
                s.execute("CREATE STREAM D.S.ST ON TABLE D.S.T AT(TIMESTAMP => CURRENT_TIMESTAMP())")
            s.execute("CREATE TASK D.S.K SCHEDULE = '1 MINUTE' COMMENT = 'ok' AS SELECT 1")
            assert s.execute("SHOW TASKS IN SCHEMA D.S").to_pandas()["comment"].tolist() == ["ok"]
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["DB.S.A","DB.S.B"]', ("DB.S.A", "DB.S.B")),
        ("[]", ()),
        ("", ()),
        (None, ()),
        (float("nan"), ()),
        (["db.s.a"], ("DB.S.A",)),
        ("[db.s.a, db.s.b]", ("DB.S.A", "DB.S.B")),
    ],
)
def test_predecessors_in_every_shape_show_tasks_gives(value, expected):
    assert parse_predecessors(value) == expected


# deploy_sql/ read into DeployStatements (moved from test_dag.py)


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
    }
    assert set(by_kind["view"]) == {
        f"{DB}.PRODUCTION.VW_DAILY_KPI",
        f"{DB}.PRODUCTION.VW_PRODUCT_PERFORMANCE",
        f"{DB}.PRODUCTION.VW_INVENTORY_ALERTS",
    }
    for s in statements:
        if s.kind == "other":
            assert s.verb == "ALTER" and s.object_type in {"TABLE", "TASK"}, s.sql
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
    statements are checked below); ALTER TASK is one of its generic Commands."""
    for s in statements:
        if s.kind in {"stream", "task"}:
            continue
        tree = _parse(s.sql)
        assert isinstance(tree, exp.Command) == s.is_task_control, s.sql[:60]
