"""caves/taskctl.py on the local engine: the task list (SHOW TASKS) and the task runs (the catalog query task_runs),
filtered by task and by failure the way ``caves tasks history`` asks for them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caves import taskctl
from caves.catalog import ParameterError
from caves.dag import UnknownTaskError
from caves.deploy import deploy
from caves.ingest import Message, ingest
from caves.local.scheduler import run_started_graphs
from caves.warehouse.local import LocalWarehouse

ORDER = (
    '{"event_id": "e-1", "event_type": "order", "event_timestamp": "2026-12-01T08:00:00Z", "payload": '
    '{"order_id": "o-1", "customer_id": "c-1", "product_id": "p-1", "product_name": "Chablis", '
    '"product_category": "white", "quantity": 1, "unit_price": 20.0, "total_amount": 20.0, '
    '"payment_method": "card", "order_status": "pending", "order_date": "2026-12-01T08:00:00Z"}}'
)


@pytest.fixture
def ran(tmp_path: Path) -> Iterator[LocalWarehouse]:
    """Deployed; one order through the orders graph with its child failing (its target table dropped), then a
    run of every root with nothing to do."""
    warehouse = LocalWarehouse(tmp_path / "taskctl.duckdb")
    deploy(warehouse, resume_new_graphs=True)
    ingest(warehouse, [Message(ORDER, "test", 0, 0)])
    warehouse.execute("DROP TABLE CAVES_ALBERT_DB.PRODUCTION.ORDERS")
    run_started_graphs(warehouse.engine)
    run_started_graphs(warehouse.engine)
    yield warehouse
    warehouse.close()


def test_task_list_is_show_tasks_of_the_database(ran: LocalWarehouse) -> None:
    names = {str(n).split(".")[-1] for n in taskctl.list_tasks(ran)["name"]}
    assert "TASK_RAW_TO_STAGING_ORDERS" in names and "TASK_STAGING_TO_PROD_ORDERS" in names


def test_history_newest_first_with_every_column(ran: LocalWarehouse) -> None:
    runs = taskctl.task_history(ran)
    assert list(runs.columns) == [
        "NAME",
        "STATE",
        "SCHEDULED_TIME",
        "QUERY_START_TIME",
        "COMPLETED_TIME",
        "DURATION_SEC",
        "ERROR_CODE",
        "ERROR_MESSAGE",
        "SCHEDULED_FROM",
        "ATTEMPT_NUMBER",
        "GRAPH_RUN_GROUP_ID",
    ]
    assert runs["SCHEDULED_TIME"].is_monotonic_decreasing
    assert len(taskctl.task_history(ran, limit=2)) == 2


def test_history_of_one_task_short_or_qualified(ran: LocalWarehouse) -> None:
    for name in ("task_raw_to_staging_orders", "CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS"):
        runs = taskctl.task_history(ran, task=name)
        assert set(runs["NAME"]) == {"TASK_RAW_TO_STAGING_ORDERS"}, name
        # the two runs, and the started root's next run listed as SCHEDULED (task_history)
        assert sorted(runs["STATE"] == "SCHEDULED") == [False, False, True], name


def test_history_of_failures_only(ran: LocalWarehouse) -> None:
    everything = taskctl.task_history(ran)
    assert "SUCCEEDED" in set(everything["STATE"])
    failed = taskctl.task_history(ran, errors_only=True)
    # ERROR_ONLY keeps the failed and cancelled runs (https://docs.snowflake.com/en/sql-reference/functions/task_history)
    expected = everything[everything["STATE"].isin({"FAILED", "FAILED_AND_AUTO_SUSPENDED", "CANCELLED"})]
    assert "TASK_STAGING_TO_PROD_ORDERS" in set(failed["NAME"])
    assert list(failed["NAME"]) == list(expected["NAME"]) and list(failed["STATE"]) == list(expected["STATE"])
    child = failed[failed["NAME"] == "TASK_STAGING_TO_PROD_ORDERS"]
    assert child["ERROR_MESSAGE"].str.contains("PRODUCTION.ORDERS").all()


def test_history_refuses_an_unknown_task_and_a_limit_out_of_range(ran: LocalWarehouse) -> None:
    with pytest.raises(UnknownTaskError):
        taskctl.task_history(ran, task="TASK_THAT_DOES_NOT_EXIST")
    for limit in (0, 10_001):
        with pytest.raises(ParameterError, match="limit"):
            taskctl.task_history(ran, limit=limit)
