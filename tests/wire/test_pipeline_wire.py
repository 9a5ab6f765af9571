"""The whole pipeline through the real connector and the wire server, with the hand-worked known answers.

``caves deploy --target snowflake`` applies the real deploy_sql/ (streams and tasks included) over the wire; the
graphs are resumed with ``caves tasks resume``; each batch of the known-answer case (tests/pipeline/
test_known_answers.py, worked out by hand from DESIGN.md) is landed by ``caves ingest --target snowflake`` (one
array-bound INSERT per batch: the connector's executemany) and moved by ``caves pipeline run --target snowflake``
(EXECUTE TASK on each root, https://docs.snowflake.com/en/sql-reference/sql/execute-task). PRODUCTION is then
read back through the connector.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import snowflake.connector
from pipeline.helpers import DB, caves, keyed, write_lines
from pipeline.test_known_answers import (
    DUP,
    EXPECTED_CURRENT,
    R_INV,
    R_ORD,
    assert_rows,
    batches,
    expected_history,
    expected_orders,
)
from snowflake.connector import DictCursor

from caves.ingest import RAW_TABLE

from .server import RunningServer, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("pipeline") / "warehouse.duckdb") as running:
        yield running


@pytest.fixture(scope="module")
def conn_file(server: RunningServer, tmp_path_factory) -> Path:
    return server.connection_file(tmp_path_factory.mktemp("conn") / "conn.toml")


@pytest.fixture(scope="module")
def deployed(server: RunningServer, conn_file: Path) -> str:
    """``caves deploy --target snowflake`` over the wire, once: its output."""
    return on_snowflake(conn_file, "deploy").stdout


def on_snowflake(conn_file: Path, *args: str, check: bool = True):
    """``python -m caves ARGS --target snowflake --connection-file FILE`` as a child process."""
    return caves(*args, "--target", "snowflake", "--connection-file", str(conn_file), db=None, check=check)


def rows(server: RunningServer, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """A statement's rows through the real connector (a session of its own)."""
    conn = snowflake.connector.connect(**server.account(paramstyle="qmark"))
    try:
        return conn.cursor(DictCursor).execute(sql, params).fetchall()
    finally:
        conn.close()


def engine_tasks(server: RunningServer) -> dict[str, str]:
    """Each task's state as the engine behind the server holds it (SHOW TASKS in a session of its own)."""
    with server.engine.session() as session:
        result = session.execute(f"SHOW TASKS IN DATABASE {DB}")
    return {r["name"]: r["state"] for r in result.dicts()}


def test_deploy_over_the_wire_creates_streams_and_suspended_tasks(server: RunningServer, deployed: str) -> None:
    assert "Deployed:" in deployed
    assert set(engine_tasks(server).values()) == {"suspended"}  # a first deployment leaves the graphs suspended
    assert len(engine_tasks(server)) == 6
    streams = rows(server, f"show streams in database {DB}")
    assert {s["name"] for s in streams} >= {"STREAM_RAW_ORDERS", "STREAM_RAW_INVENTORY", "STREAM_STG_ORDERS"}


def test_known_answers_through_the_connector(
    server: RunningServer, conn_file: Path, deployed: str, tmp_path: Path
) -> None:
    for root in (R_ORD, R_INV):
        applied = on_snowflake(conn_file, "tasks", "resume", root).stdout.split()
        assert applied.count("RESUME") >= 2  # children first, then the root
    assert set(engine_tasks(server).values()) - {"suspended"} == {"started"}
    assert engine_tasks(server)[R_ORD] == engine_tasks(server)[R_INV] == "started"

    today = dt.datetime.now(dt.UTC).date().isoformat()
    plan = batches(today)
    for number, batch in enumerate(plan, start=1):
        path = write_lines(tmp_path / f"batch{number}.jsonl", [text for text, _ in batch])
        assert f"Ingested {len(batch)} messages" in on_snowflake(conn_file, "ingest", str(path)).stdout
        executed = on_snowflake(conn_file, "pipeline", "run").stdout
        assert f"EXECUTE TASK {DB}.OPS.{R_ORD}" in executed and f"EXECUTE TASK {DB}.OPS.{R_INV}" in executed
        current = keyed(rows(server, f"select * from {DB}.PRODUCTION.INVENTORY_CURRENT"), "PRODUCT_ID")
        assert_rows(current, EXPECTED_CURRENT[number], f"INVENTORY_CURRENT after batch {number}")

    # each batch landed as ONE statement for all its rows (array binding), as Snowflake receives executemany
    inserts = [
        r for r in server.wire.queries.records() if r.sql.lstrip().upper().startswith(f"INSERT INTO {RAW_TABLE}")
    ]
    assert [int(r.data["rowset"][0][0]) for r in inserts] == [len(b) for b in plan]

    raw = rows(server, f"select RAW_ID, SOURCE_TOPIC, SOURCE_OFFSET, INGESTION_TIMESTAMP from {RAW_TABLE}")
    batch_time = {}
    for r in raw:
        batch_time.setdefault(
            int(r["SOURCE_TOPIC"].removeprefix("file:batch").removesuffix(".jsonl")), r["INGESTION_TIMESTAMP"]
        )
    assert len(raw) == 61 and batch_time[1] < batch_time[2] < batch_time[3]

    routed = rows(
        server,
        f"select (select count(*) from {DB}.STAGING.STG_ORDERS) as O, "
        f"(select count(*) from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS) as A, "
        f"(select count(*) from {DB}.STAGING.REJECTED_EVENTS) as R, "
        f"(select count(*) from {DB}.STAGING.REJECTED_EVENTS where REJECT_REASON = ?) as D",
        [DUP],
    )[0]
    assert routed == {"O": 13, "A": 10, "R": 38, "D": sum(1 for b in plan for _, w in b if w[1:2] == (DUP,))}

    want_orders = expected_orders(today)
    for row in want_orders.values():
        row["INGESTION_TIMESTAMP"] = batch_time[row["INGESTION_TIMESTAMP"]]
    assert_rows(keyed(rows(server, f"select * from {DB}.PRODUCTION.ORDERS"), "ORDER_ID"), want_orders, "ORDERS")
    want_history = expected_history()
    for row in want_history.values():
        row["INGESTION_TIMESTAMP"] = batch_time[row["INGESTION_TIMESTAMP"]]
    history = keyed(rows(server, f"select * from {DB}.PRODUCTION.INVENTORY_HISTORY"), "ADJUSTMENT_ID")
    assert_rows(history, want_history, "INVENTORY_HISTORY")

    # the catalog through the CLI on the Snowflake target: same known answers as on the local engine
    kpi = json.loads(on_snowflake(conn_file, "query", "kpi_today", "--format", "json").stdout)
    assert kpi == [
        {"ORDERS_TODAY": 1, "REVENUE_TODAY": 18.9, "CUSTOMERS_TODAY": 1, "AVG_BASKET_TODAY": 18.9, "UNITS_TODAY": 1}
    ]
    top = json.loads(on_snowflake(conn_file, "query", "top_products_by_revenue", "--format", "json").stdout)
    assert [(r["PRODUCT_ID"], r["UNITS_SOLD"], r["REVENUE"]) for r in top] == [
        ("WINE-C", 6, 216.0), ("WINE-B", 4, 75.6), ("WINE-A", 2, 51.0),
    ]  # fmt: skip
    runs = json.loads(on_snowflake(conn_file, "tasks", "history", "--limit", "100", "--format", "json").stdout)
    runs = [
        r for r in runs if r["STATE"] != "SCHEDULED"
    ]  # the next scheduled runs of the started graphs are listed too
    assert {r["STATE"] for r in runs} == {"SUCCEEDED"}
    assert {r["NAME"] for r in runs} == {R_ORD, R_INV, "TASK_STAGING_TO_PROD_ORDERS",
                                         "TASK_STAGING_TO_PROD_INVENTORY_HISTORY", "TASK_STAGING_TO_PROD_INVENTORY_CURRENT"}  # fmt: skip
    audit = rows(server, f"select ACTION, OUTCOME, SOURCE from {DB}.OPS.ADMIN_AUDIT_LOG order by STARTED_AT")
    assert [(a["ACTION"], a["OUTCOME"], a["SOURCE"]) for a in audit] == [
        ("deploy", "succeeded", "cli"), ("resume", "succeeded", "cli"), ("resume", "succeeded", "cli"),
    ]  # fmt: skip
    assert server.server_errors() == []
