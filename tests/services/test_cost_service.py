"""The cost service: the catalog's run intervals priced by caves.cost; on Snowflake the billed history instead.

There is no Snowflake account in CI, so the true edge is tested with a fake warehouse that records the SQL and the
bound values it is given and answers with frames: on any backend but ``local`` with serverless tasks,
``INFORMATION_SCHEMA.SERVERLESS_TASK_HISTORY`` (https://docs.snowflake.com/en/sql-reference/functions/
serverless_task_history) is read, falling back to ``SNOWFLAKE.ACCOUNT_USAGE.SERVERLESS_TASK_HISTORY``
(https://docs.snowflake.com/en/sql-reference/account-usage/serverless_task_history), and its credits replace the
estimate. Locally the estimate is computed over a real TASK_HISTORY written by the engine's scheduler.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest

from caves import cost
from caves.cost import CostModel
from caves.ingest import Message, ingest
from caves.local.scheduler import run_started_graphs
from caves.services import cost_service
from caves.services.query_service import QueryFailed
from caves.taskctl import DATABASE
from caves.warehouse.local import LocalWarehouse

HOUR = 3600.0
T0 = dt.datetime(2026, 12, 1, 8, 0, 0)


def history_frame() -> pd.DataFrame:
    """What task_cost_runs returns: a working graph run (root 36 s, child 18 s) and a skipped root run."""
    return pd.DataFrame(
        {
            "NAME": ["TASK_A", "TASK_A_CHILD", "TASK_A"],
            "GRAPH_NAME": ["TASK_A", "TASK_A", "TASK_A"],
            "STATE": ["SUCCEEDED", "SUCCEEDED", "SKIPPED"],
            "SCHEDULED_TIME": [T0, T0, T0 + dt.timedelta(minutes=1)],
            "QUERY_START_TIME": [T0, T0 + dt.timedelta(seconds=36), None],
            "COMPLETED_TIME": [
                T0 + dt.timedelta(seconds=36),
                T0 + dt.timedelta(seconds=54),
                T0 + dt.timedelta(minutes=1, seconds=1),
            ],
            "DURATION_SEC": [36.0, 18.0, 0.0],
            "DID_WORK": [True, True, False],
        }
    )


class FakeSnowflake:
    """A Warehouse that records every statement and its binds, and answers from canned frames."""

    backend = "snowflake"

    def __init__(self, billed: pd.DataFrame, refuse_table_function: bool = False) -> None:
        self.billed = billed
        self.refuse_table_function = refuse_table_function
        self.calls: list[tuple[str, list[Any]]] = []

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        self.calls.append((sql, list(params or [])))
        if "SERVERLESS_TASK_HISTORY" in sql:
            if self.refuse_table_function and "INFORMATION_SCHEMA.SERVERLESS_TASK_HISTORY" in sql:
                raise RuntimeError("Insufficient privileges to operate on account 'XY12345'")
            return self.billed
        if "TASK_HISTORY(" in sql:
            return history_frame()
        raise AssertionError(f"unexpected SQL: {sql}")

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        raise AssertionError("the cost report only reads")

    def close(self) -> None:
        pass


BILLED = pd.DataFrame(
    {"TASK_NAME": ["TASK_A", "TASK_A_CHILD"], "DAY": [T0.date(), T0.date()], "CREDITS_USED": ["0.0125", "0.0040"]}
)
NOW = dt.datetime(2026, 12, 1, 12, 0, 0, tzinfo=dt.UTC)


def test_on_snowflake_the_billed_serverless_history_replaces_the_estimate():
    """The report reads SERVERLESS_TASK_HISTORY with the range start bound (never in the SQL text) and its credits
    become the headline; the estimate from TASK_HISTORY is kept alongside."""
    wh = FakeSnowflake(BILLED)
    report = cost_service.cost_report(wh, CostModel(price_per_credit=2.0), days=1, now=NOW)
    billed_calls = [(sql, params) for sql, params in wh.calls if "SERVERLESS_TASK_HISTORY" in sql]
    assert len(billed_calls) == 1
    sql, params = billed_calls[0]
    assert f"{DATABASE}.INFORMATION_SCHEMA.SERVERLESS_TASK_HISTORY(DATE_RANGE_START => cast(? as timestamp_ltz))" in sql
    assert params == ["2026-11-30 12:00:00 +00:00"]
    assert "2026-11-30" not in sql
    assert report.source == "billed"
    window = report.summary.window_days
    assert report.credits_per_day == pytest.approx(0.0165 / window)
    assert report.cost_per_day == pytest.approx(2.0 * 0.0165 / window)
    # the estimate: 36 + 18 s of XSMALL serverless compute at multiplier 1
    assert report.summary.credits == pytest.approx(54 / HOUR)
    assert list(report.billed["CREDITS_USED"]) == pytest.approx([0.0125, 0.0040])


def test_a_refused_table_function_falls_back_to_account_usage():
    """Without MONITOR USAGE on the table function, the Account Usage view is read, database and start bound."""
    wh = FakeSnowflake(BILLED, refuse_table_function=True)
    frame = cost_service.billed_serverless(wh, days=2, now=NOW)
    sql, params = wh.calls[-1]
    assert "SNOWFLAKE.ACCOUNT_USAGE.SERVERLESS_TASK_HISTORY" in sql
    assert "SH.DATABASE_NAME = ?" in sql and params == [DATABASE, "2026-11-29 12:00:00 +00:00"]
    assert frame["CREDITS_USED"].sum() == pytest.approx(0.0165)


def test_both_refusals_are_one_readable_error():
    class Refusing(FakeSnowflake):
        def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
            if "SERVERLESS_TASK_HISTORY" in sql:
                raise RuntimeError("Object 'SNOWFLAKE.ACCOUNT_USAGE.SERVERLESS_TASK_HISTORY' does not exist")
            return super().query(sql, params)

    with pytest.raises(QueryFailed, match="does not exist"):
        cost_service.billed_serverless(Refusing(BILLED), days=1, now=NOW)


def test_a_warehouse_model_on_snowflake_is_estimated():
    """Billed serverless credits say nothing of a user-managed warehouse: that model stays an estimate."""
    wh = FakeSnowflake(BILLED)
    report = cost_service.cost_report(wh, CostModel(compute_model="warehouse"), days=1, now=NOW)
    assert report.source == "estimate" and report.billed is None
    assert not any("SERVERLESS_TASK_HISTORY" in sql for sql, _ in wh.calls)
    # one session: 0 → 54 s, + AUTO_SUSPEND 60 = 114 s on XSMALL
    assert report.summary.credits == pytest.approx(114 / HOUR)


def test_what_ifs_are_parsed_and_applied():
    runs = cost.runs_from_frame(history_frame())
    model = CostModel()
    assert cost_service.parse_what_if("schedule=5m") == ("schedule", "5m")
    assert cost_service.parse_what_if("size=small") == ("size", "SMALL")
    assert cost_service.parse_what_if("model=Warehouse") == ("model", "warehouse")
    for bad in ("schedule", "colour=red", "size=HUGE", "model=cloud", "auto_suspend=0", "schedule=soon"):
        with pytest.raises(ValueError):
            cost_service.parse_what_if(bad)
    _, warehouse = cost_service.apply_what_if(runs, model, "model", "warehouse")
    assert warehouse.compute_model == "warehouse"
    resized, small = cost_service.apply_what_if(runs, model, "size", "SMALL")
    assert small.serverless_size == "SMALL" and resized[0].duration_s == pytest.approx(18)
    # fully parallel work: twice the rate for half the time, the same serverless credits
    assert cost.serverless_credits(resized, 1.0, "SMALL") == pytest.approx(cost.serverless_credits(runs, 1.0))
    _, suspend = cost_service.apply_what_if(runs, model.with_changes(compute_model="warehouse"), "auto_suspend", "5")
    assert suspend.auto_suspend_seconds == 5


def test_report_with_a_what_if_and_as_json_data():
    wh = FakeSnowflake(BILLED)
    report = cost_service.cost_report(wh, CostModel(compute_model="warehouse"), days=1, what_if="auto_suspend=1")
    assert report.what_if is not None
    # AUTO_SUSPEND 1: the 0 → 54 + 1 s session is billed the 60-s minimum instead of 114 s
    assert report.what_if.summary.credits == pytest.approx(60 / HOUR)
    assert report.what_if.saving(report.summary) == pytest.approx((114 - 60) / HOUR / report.summary.window_days)
    data = cost_service.report_dict(report)
    assert data["WHAT_IF"]["KIND"] == "auto_suspend" and data["SKIPPED_RUNS"] == 1
    assert {row["NAME"] for row in data["BY_TASK"]} == {"TASK_A", "TASK_A_CHILD"}
    with pytest.raises(ValueError, match="between 1 and 7"):
        cost_service.cost_report(wh, CostModel(), days=8)


# ------------------------------------------------------------------------------------------- the local engine


def test_local_estimate_over_a_real_task_history(deployed: LocalWarehouse):
    """Locally, the scheduler's TASK_HISTORY is read through the catalog: a graph run with work (an order message
    landed) and skipped runs (nothing pending); the serverless estimate is the sum of the working durations, and
    no billed history is asked for."""
    message = (
        '{"event_id": "e-1", "event_type": "order", "event_timestamp": "2026-12-01T08:00:00Z", "payload": '
        '{"order_id": "o-1", "customer_id": "c-1", "product_id": "p-1", "product_name": "Chablis", '
        '"product_category": "white", "quantity": 1, "unit_price": 20.0, "total_amount": 20.0, '
        '"payment_method": "card", "order_status": "pending", "order_date": "2026-12-01T08:00:00Z"}}'
    )
    ingest(deployed, [Message(message, "test", 0, 0)])
    run_started_graphs(deployed.engine)  # both roots see the new RAW row (one stream each on RAW) and work
    run_started_graphs(deployed.engine)  # nothing left: both roots skipped
    report = cost_service.cost_report(deployed, CostModel(serverless_multiplier=1.0), days=1)
    assert report.source == "estimate" and report.billed is None
    by_task = report.by_task.set_index("NAME")
    assert by_task.loc["TASK_RAW_TO_STAGING_ORDERS", "WORK_RUNS"] == 1
    assert by_task.loc["TASK_RAW_TO_STAGING_ORDERS", "SKIPPED_RUNS"] == 1
    assert by_task.loc["TASK_STAGING_TO_PROD_ORDERS", "WORK_RUNS"] == 1
    assert by_task.loc["TASK_RAW_TO_STAGING_INVENTORY", "WORK_RUNS"] == 1
    assert by_task.loc["TASK_RAW_TO_STAGING_INVENTORY", "SKIPPED_RUNS"] == 1
    by_graph = report.by_graph.set_index("GRAPH_NAME")
    assert by_graph.loc["TASK_RAW_TO_STAGING_ORDERS", "RUNS"] == 3  # root twice, child once
    busy = sum(run.duration_s for run in report.runs)
    assert busy > 0
    assert report.summary.credits == pytest.approx(busy / HOUR)
    assert report.summary.skipped_runs == 2
