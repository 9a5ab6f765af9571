"""The console's Snowflake backend (caves/warehouse/snowflake.py) and the CLI's ``--target snowflake`` acting on the
task graphs through the wire server: each action's effect is read on the engine behind it (its task states and
TASK_HISTORY), not on what was sent.

Snowflake's rules checked: ALTER TASK ... SUSPEND / RESUME (https://docs.snowflake.com/en/sql-reference/sql/alter-task;
a child resumes only while its root is suspended), EXECUTE TASK and EXECUTE TASK ... RETRY LAST (only after a failed
run; the retried tasks keep the run's GRAPH_RUN_GROUP_ID with the next ATTEMPT_NUMBER,
https://docs.snowflake.com/en/sql-reference/sql/execute-task), TASK_HISTORY
(https://docs.snowflake.com/en/sql-reference/functions/task_history).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pipeline.helpers import DB, caves, write_lines

from caves.identity import Viewer
from caves.services.admin_service import AdminService
from caves.settings import Settings
from caves.warehouse.snowflake import SnowflakeWarehouse

from .server import RunningServer, running_server

OPS = f"{DB}.OPS"
R_ORD, C_ORD = "TASK_RAW_TO_STAGING_ORDERS", "TASK_STAGING_TO_PROD_ORDERS"
R_INV = "TASK_RAW_TO_STAGING_INVENTORY"
ADMIN = Viewer("margaux.dupont@caves-albert.fr", "oidc")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("admin") / "warehouse.duckdb") as running:
        yield running


@pytest.fixture(scope="module")
def conn_file(server: RunningServer, tmp_path_factory) -> Path:
    path = server.connection_file(tmp_path_factory.mktemp("conn") / "conn.toml")
    caves("deploy", "--target", "snowflake", "--connection-file", str(path), db=None)
    return path


@pytest.fixture
def console(server: RunningServer, conn_file: Path) -> Iterator[AdminService]:
    """The Administration page's service on the Snowflake backend, for an administrator of the allow-list."""
    wh = SnowflakeWarehouse.from_settings(server.account())
    settings = dataclasses.replace(Settings(), admin_users=(ADMIN.name,))
    yield AdminService(wh, settings, "snowflake", source="console")
    wh.close()


def states(server: RunningServer) -> dict[str, str]:
    with server.engine.session() as session:
        return {r["name"]: r["state"] for r in session.execute(f"SHOW TASKS IN DATABASE {DB}").dicts()}


def history(server: RunningServer) -> list[dict[str, Any]]:
    """The runs of TASK_HISTORY() on the engine (not the next SCHEDULED ones), oldest first."""
    with server.engine.session() as session:
        result = session.execute(
            f"select NAME, STATE, ATTEMPT_NUMBER, GRAPH_RUN_GROUP_ID, ERROR_MESSAGE, SCHEDULED_FROM "
            f"from table({DB}.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1000)) where STATE <> 'SCHEDULED' order by SCHEDULED_TIME, QUERY_START_TIME"
        )
    return result.dicts()


def ingest_examples(conn_file: Path, tmp_path: Path) -> None:
    """The contract's example events into RAW through ``caves ingest --target snowflake`` (a root then has work)."""
    with open(Path(__file__).resolve().parents[2] / "contracts" / "examples.jsonl", encoding="utf-8") as fh:
        events = [line.rstrip("\n") for line in fh if line.strip()]
    caves("ingest", str(write_lines(tmp_path / "events.jsonl", events)), "--target", "snowflake",
          "--connection-file", str(conn_file), db=None)  # fmt: skip


def run(admin: AdminService, action) -> list[str]:
    result = admin.run(action, ADMIN)
    assert result.ok, result.error
    return list(result.applied)


def test_resume_then_suspend_change_the_engine_task_states(server: RunningServer, console: AdminService) -> None:
    applied = run(console, console.plan_task("resume", R_INV))
    assert applied[-1] == f"ALTER TASK {OPS}.{R_INV} RESUME"  # the root last, its children before it
    graph = {R_INV, "TASK_STAGING_TO_PROD_INVENTORY_HISTORY", "TASK_STAGING_TO_PROD_INVENTORY_CURRENT"}
    assert {name for name, state in states(server).items() if state == "started"} == graph
    run(console, console.plan_task("suspend", R_INV))
    assert {name for name, state in states(server).items() if state == "started"} == set()
    # a child cannot be changed while its root is started: Snowflake refuses, and so does the engine behind the wire
    run(console, console.plan_task("resume", R_ORD))
    refused = console.run(console.plan_task("resume", C_ORD), ADMIN)
    assert not refused.ok and R_ORD in (refused.error or "")
    assert states(server)[R_ORD] == states(server)[C_ORD] == "started"


def test_execute_runs_the_graph_and_writes_task_history(
    server: RunningServer, console: AdminService, conn_file: Path, tmp_path: Path
) -> None:
    ingest_examples(conn_file, tmp_path)
    before = len(history(server))
    assert run(console, console.plan_execute(R_ORD)) == [f"EXECUTE TASK {OPS}.{R_ORD}"]
    runs = history(server)[before:]
    assert [(r["NAME"], r["STATE"], r["SCHEDULED_FROM"]) for r in runs] == [
        (R_ORD, "SUCCEEDED", "EXECUTE_TASK"), (C_ORD, "SUCCEEDED", "EXECUTE_TASK"),
    ]  # fmt: skip
    assert len({r["GRAPH_RUN_GROUP_ID"] for r in runs}) == 1


def test_retry_last_reruns_the_failed_task_of_the_same_graph_run(
    server: RunningServer, console: AdminService, conn_file: Path, tmp_path: Path
) -> None:
    wh = console.warehouse
    run(console, console.plan_execute(R_ORD))
    refused = console.run(console.plan_retry_last(R_ORD), ADMIN)  # the last run did not fail: nothing to retry
    assert not refused.ok
    ingest_examples(conn_file, tmp_path)
    wh.execute(f"alter table {DB}.PRODUCTION.ORDERS rename to ORDERS_AWAY")
    try:
        before = len(history(server))
        run(console, console.plan_execute(R_ORD))
        failed = history(server)[before:]
        assert [(r["NAME"], r["STATE"]) for r in failed] == [(R_ORD, "SUCCEEDED"), (C_ORD, "FAILED")]
        assert "ORDERS" in failed[1]["ERROR_MESSAGE"]
    finally:
        wh.execute(f"alter table {DB}.PRODUCTION.ORDERS_AWAY rename to ORDERS")
    assert run(console, console.plan_retry_last(R_ORD)) == [f"EXECUTE TASK {OPS}.{R_ORD} RETRY LAST"]
    retried = history(server)[before + 2 :]
    assert [(r["NAME"], r["STATE"], r["ATTEMPT_NUMBER"]) for r in retried] == [(C_ORD, "SUCCEEDED", 2)]
    assert retried[0]["GRAPH_RUN_GROUP_ID"] == failed[1]["GRAPH_RUN_GROUP_ID"]
    audit = wh.query(f"select ACTION, OUTCOME, SOURCE, ACTOR from {OPS}.ADMIN_AUDIT_LOG where SOURCE = 'console'")
    assert {"suspend", "resume", "execute", "retry_last"} <= set(audit["ACTION"])
    assert set(audit["ACTOR"]) == {ADMIN.name}


def test_cli_tasks_on_snowflake_act_on_the_engine(server: RunningServer, conn_file: Path, tmp_path: Path) -> None:
    target = ["--target", "snowflake", "--connection-file", str(conn_file)]
    caves("tasks", "suspend", R_ORD, *target, db=None)
    assert states(server)[R_ORD] == "suspended"
    listed = {
        t["NAME"]: t["STATE"] for t in json.loads(caves("tasks", "list", *target, "--format", "json", db=None).stdout)
    }
    assert listed == states(server)
    caves("tasks", "resume", R_ORD, *target, db=None)
    assert states(server)[R_ORD] == states(server)[C_ORD] == "started"
    ingest_examples(conn_file, tmp_path)
    before = len(history(server))
    caves("tasks", "execute", C_ORD, *target, db=None)  # a child: Snowflake runs graphs from their root
    assert [(r["NAME"], r["STATE"], r["SCHEDULED_FROM"]) for r in history(server)[before:]] == [
        (R_ORD, "SUCCEEDED", "EXECUTE_TASK"), (C_ORD, "SUCCEEDED", "EXECUTE_TASK"),
    ]  # fmt: skip
    unknown = caves("tasks", "suspend", "TASK_NOPE", *target, db=None, check=False)
    assert unknown.returncode == 1 and "TASK_NOPE" in unknown.stderr
