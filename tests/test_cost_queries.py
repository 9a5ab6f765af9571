"""The cost catalog queries (queries/08_monitoring/task_cost_*.sql) on the local engine over a simulated warehouse.

The warehouse's TASK_HISTORY is written by hand, the way the engine's scheduler writes it (a root's row, its
children's rows sharing its ROOT_TASK_ID and SCHEDULED_TIME, SKIPPED rows without a start), so the intervals are
known to the second: the counts the queries return and the credits caves.cost computes from them are checked
against figures computed by hand. A second history comes from the real scheduler and the CLI (``caves cost``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pipeline.helpers import caves

from caves import cost
from caves.cost import CostModel
from caves.local.names import INTERNAL_SCHEMA
from caves.services import cost_service, query_service
from caves.warehouse.local import LocalWarehouse

HOUR = 3600.0
DB = "CAVES_ALBERT_DB"
ORDERS, ORDERS_CHILD, INVENTORY = (
    "TASK_RAW_TO_STAGING_ORDERS",
    "TASK_STAGING_TO_PROD_ORDERS",
    "TASK_RAW_TO_STAGING_INVENTORY",
)


def _base() -> dt.datetime:
    """Two hours ago, moved back so that the whole history (~11 minutes) falls on one UTC day."""
    base = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) - dt.timedelta(hours=2)
    if (base + dt.timedelta(minutes=15)).date() != base.date():
        base -= dt.timedelta(minutes=30)
    return base


BASE = _base()

# (name, root id, state, scheduled, start, end) in seconds after BASE; None: no start (a skipped run).
HISTORY = [
    (ORDERS, "1", "SUCCEEDED", 0, 1, 11),  # 10 s
    (ORDERS_CHILD, "1", "SUCCEEDED", 0, 11, 41),  # 30 s
    (ORDERS, "1", "SKIPPED", 60, None, 60.05),
    (ORDERS, "1", "SUCCEEDED", 120, 121, 126),  # 5 s
    (ORDERS_CHILD, "1", "SUCCEEDED", 120, 126, 131),  # 5 s
    (INVENTORY, "2", "SKIPPED", 0, None, 0.05),
    (INVENTORY, "2", "SKIPPED", 60, None, 60.05),
    (INVENTORY, "2", "SUCCEEDED", 600, 601, 603),  # 2 s
]


def at(seconds: float | None) -> dt.datetime | None:
    return None if seconds is None else BASE + dt.timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> LocalWarehouse:
    """A local warehouse holding the database and the hand-written TASK_HISTORY above."""
    wh = LocalWarehouse(tmp_path_factory.mktemp("cost_queries") / "warehouse.duckdb")
    wh.execute(f"create database if not exists {DB}")
    with wh.engine.session() as session, session.cursor() as cur:
        for i, (name, root, state, scheduled, start, end) in enumerate(HISTORY):
            cur.execute(
                f'INSERT INTO "{INTERNAL_SCHEMA}".TASK_HISTORY (QUERY_ID, NAME, DATABASE_NAME, SCHEMA_NAME, STATE, '
                "SCHEDULED_TIME, QUERY_START_TIME, COMPLETED_TIME, ROOT_TASK_ID, RUN_ID, SCHEDULED_FROM, "
                "ATTEMPT_NUMBER) VALUES (?, ?, ?, 'OPS', ?, ?, ?, ?, ?, ?, 'SCHEDULE', 1)",
                [None if start is None else f"q{i}", name, DB, state, at(scheduled), at(start), at(end), root, i],
            )
    yield wh
    wh.close()


def by(frame, column):
    return frame.set_index(column)


def test_runs_query_gives_the_intervals_and_their_graph(simulated: LocalWarehouse):
    frame = query_service.run_query(simulated, "task_cost_runs", {"days": 1})
    assert len(frame) == len(HISTORY)
    assert set(frame["GRAPH_NAME"]) == {ORDERS, INVENTORY}
    assert set(frame.loc[frame["NAME"] == ORDERS_CHILD, "GRAPH_NAME"]) == {ORDERS}
    assert frame["DID_WORK"].tolist().count(False) == 3
    assert frame["DURATION_SEC"].sum() == pytest.approx(52.0)


def test_per_task_per_graph_and_per_day_counts(simulated: LocalWarehouse):
    tasks = by(query_service.run_query(simulated, "task_cost_by_task", {"days": 1}), "NAME")
    assert tasks.loc[ORDERS, ["RUNS", "WORK_RUNS", "SKIPPED_RUNS"]].tolist() == [3, 2, 1]
    assert tasks.loc[ORDERS, "BUSY_SEC"] == pytest.approx(15.0)
    assert tasks.loc[ORDERS, "AVG_WORK_SEC"] == pytest.approx(7.5)
    assert tasks.loc[ORDERS_CHILD, ["RUNS", "WORK_RUNS", "SKIPPED_RUNS"]].tolist() == [2, 2, 0]
    assert tasks.loc[INVENTORY, "SKIPPED_PCT"] == pytest.approx(66.7)
    graphs = by(query_service.run_query(simulated, "task_cost_by_graph", {"days": 1}), "GRAPH_NAME")
    assert graphs.loc[ORDERS, ["GRAPH_RUNS", "WORK_GRAPH_RUNS", "SKIPPED_GRAPH_RUNS", "TASK_RUNS"]].tolist() == [
        3,
        2,
        1,
        5,
    ]
    assert graphs.loc[ORDERS, "BUSY_SEC"] == pytest.approx(50.0)
    assert graphs.loc[INVENTORY, ["GRAPH_RUNS", "WORK_GRAPH_RUNS", "SKIPPED_GRAPH_RUNS", "TASK_RUNS"]].tolist() == [
        3,
        1,
        2,
        3,
    ]
    days = query_service.run_query(simulated, "task_cost_by_day", {"days": 7})
    assert days["RUNS"].tolist() == [8] and days["SKIPPED_RUNS"].tolist() == [3]
    assert days["BUSY_SEC"].sum() == pytest.approx(52.0)


def test_the_model_prices_the_query_results_by_hand(simulated: LocalWarehouse):
    """Serverless XSMALL at multiplier 1: 52 s of work = 52/3600 credit. A warehouse XSMALL with AUTO_SUSPEND 60:
    the orders graph runs 1–41 s, then 121–131 s (80 s apart: the warehouse suspended at 101 s), the inventory run
    601–603 s: sessions of 100 s, 70 s and 62 s = 232/3600 credit. Skipped rows add nothing."""
    runs = cost_service.load_runs(simulated, 1)
    assert cost.serverless_credits(runs, 1.0) == pytest.approx(52 / HOUR)
    sessions = cost.warehouse_sessions(runs, 60)
    assert [s.billed_seconds for s in sessions] == pytest.approx([100, 70, 62])
    assert cost.warehouse_credits(runs, "XSMALL", 60) == pytest.approx(232 / HOUR)
    report = cost_service.cost_report(simulated, CostModel(compute_model="warehouse", price_per_credit=3.0), 1)
    assert report.summary.credits == pytest.approx(232 / HOUR)
    assert report.cost_per_day == pytest.approx(3.0 * 232 / HOUR)
    # the Python aggregates count what the catalog queries count
    tasks = by(query_service.run_query(simulated, "task_cost_by_task", {"days": 1}), "NAME")
    model_tasks = by(report.by_task, "NAME")
    for name in (ORDERS, ORDERS_CHILD, INVENTORY):
        assert model_tasks.loc[name, "RUNS"] == tasks.loc[name, "RUNS"]
        assert model_tasks.loc[name, "SKIPPED_RUNS"] == tasks.loc[name, "SKIPPED_RUNS"]
        assert model_tasks.loc[name, "BUSY_SEC"] == pytest.approx(tasks.loc[name, "BUSY_SEC"])
    # what if every 5 minutes: the orders runs scheduled at 0 and 120 s coalesce (overhead: the shortest run of
    # each task, 5 s), so the orders root works 5 + (10 - 5) + 0 = 10 s and its child 5 + 25 + 0 = 30 s
    moved = {(r.name, r.state): r for r in cost.reschedule(runs, 300)}
    assert moved[(ORDERS, "SUCCEEDED")].duration_s == pytest.approx(10)
    assert moved[(ORDERS_CHILD, "SUCCEEDED")].duration_s == pytest.approx(30)


def test_caves_cost_on_a_pipeline_run(tmp_path: Path):
    """The CLI over a warehouse the real scheduler ran: JSON figures, a what-if, and readable refusals."""
    db = tmp_path / "warehouse.duckdb"
    events = tmp_path / "events.jsonl"
    caves("simulate", "--days", "1", "--orders-per-day", "30", "--seed", "7", "--output", str(events), db=None)
    caves("init", db=db)
    caves("ingest", str(events), db=db)
    caves("pipeline", "run", "--until-idle", db=db)
    result = caves("cost", "--format", "json", "--what-if", "model=warehouse", db=db)
    data = json.loads(result.stdout)
    assert data["SOURCE"] == "estimate" and data["COMPUTE_MODEL"] == "serverless"
    assert data["WORK_RUNS"] > 0 and data["CREDITS"] > 0
    assert {row["NAME"] for row in data["BY_TASK"]} >= {ORDERS, INVENTORY}
    # an XSMALL warehouse bills every busy second at 1 credit/hour, plus minimums and idle tails
    busy = sum(row["BUSY_SEC"] for row in data["BY_TASK"])
    assert data["WHAT_IF"]["CREDITS_PER_DAY"] >= busy / HOUR / data["DAYS"]
    table = caves("cost", "--what-if", "schedule=5m", db=db).stdout
    assert "Per task:" in table and "What if schedule=5m" in table
    refused = caves("cost", "--what-if", "colour=red", db=db, check=False)
    assert refused.returncode != 0 and "--what-if expects" in refused.stderr and "Traceback" not in refused.stderr
