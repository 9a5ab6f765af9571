"""The SQL the administration flows send to Snowflake, statement by statement, through the connector backend,
and what it does there.

The account is the wire server (tests/warehouse/conftest.py) over the real deploy_sql/: what is checked is exactly
what goes over the wire, in order, that nothing else does, and each statement's effect on the task graphs behind
it (SHOW TASKS states, TASK_HISTORY rows) as Snowflake defines it: ALTER TASK
(https://docs.snowflake.com/en/sql-reference/sql/alter-task), EXECUTE TASK [RETRY LAST]
(https://docs.snowflake.com/en/sql-reference/sql/execute-task), TASK_HISTORY
(https://docs.snowflake.com/en/sql-reference/functions/task_history).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
import pytest
from snowflake.connector.errors import ProgrammingError
from wire.server import RunningServer

from caves import taskctl
from caves.dag import UnknownTaskError
from caves.security import audit
from caves.warehouse.snowflake import SnowflakeWarehouse

OPS = "CAVES_ALBERT_DB.OPS"


class Recording:
    """A Warehouse that records every statement and its values before passing it on."""

    backend = "snowflake"

    def __init__(self, inner: SnowflakeWarehouse) -> None:
        self.inner = inner
        self.sent: list[tuple[str, list[Any]]] = []

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        self.sent.append((sql, list(params or [])))
        return self.inner.query(sql, params)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.sent.append((sql, list(params or [])))
        self.inner.execute(sql, params)

    def statements(self) -> list[str]:
        return [sql for sql, _ in self.sent]


@pytest.fixture
def snowflake(settings: dict[str, Any]) -> Iterator[Recording]:
    wh = SnowflakeWarehouse.from_settings(settings)
    yield Recording(wh)
    wh.close()


def states(server: RunningServer) -> dict[str, str]:
    """Each task's state on the engine behind the account (``SHOW TASKS``, names fully qualified)."""
    with server.engine.session() as session:
        rows = session.execute("SHOW TASKS IN DATABASE CAVES_ALBERT_DB").dicts()
    return {f"{OPS}.{r['name']}": r["state"] for r in rows}


def history(server: RunningServer) -> list[dict[str, Any]]:
    """The runs of TASK_HISTORY() behind the account (not the next SCHEDULED ones), oldest first."""
    with server.engine.session() as session:
        return session.execute(
            "select NAME, STATE, ATTEMPT_NUMBER, GRAPH_RUN_GROUP_ID, SCHEDULED_FROM from "
            "table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) where STATE <> 'SCHEDULED' "
            "order by SCHEDULED_TIME, QUERY_START_TIME"
        ).dicts()


def tasks_of(statements: list[str]) -> list[str]:
    return [s.split()[2] for s in statements]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (  # a root suspends first (no new run starts), then its children
            "TASK_RAW_TO_STAGING_INVENTORY",
            [
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_INVENTORY SUSPEND",
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_INVENTORY_HISTORY SUSPEND",
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_INVENTORY_CURRENT SUSPEND",
            ],
        ),
        (
            "caves_albert_db.ops.task_raw_to_staging_orders",
            [
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS SUSPEND",
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_ORDERS SUSPEND",
            ],
        ),
        ("task_staging_to_prod_orders", [f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_ORDERS SUSPEND"]),  # a child alone
    ],
)
def test_suspend_statements(snowflake: Recording, caves_server: RunningServer, name: str, expected: list[str]) -> None:
    assert taskctl.run(snowflake, taskctl.suspend_statements(name)) == expected
    assert snowflake.statements() == expected
    assert {states(caves_server)[task] for task in tasks_of(expected)} == {"suspended"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (  # children first, the root last (SNOWFLAKE_SEMANTICS.md §2.3)
            "TASK_RAW_TO_STAGING_INVENTORY",
            [
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_INVENTORY SUSPEND",  # a child cannot resume under a started root
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_INVENTORY_CURRENT RESUME",
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_INVENTORY_HISTORY RESUME",
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_INVENTORY RESUME",
            ],
        ),
        (
            "TASK_RAW_TO_STAGING_ORDERS",
            [
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS SUSPEND",
                f"ALTER TASK {OPS}.TASK_STAGING_TO_PROD_ORDERS RESUME",
                f"ALTER TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS RESUME",
            ],
        ),
        (  # a graph of one
            "TASK_PURGE_RETENTION",
            [f"ALTER TASK {OPS}.TASK_PURGE_RETENTION SUSPEND", f"ALTER TASK {OPS}.TASK_PURGE_RETENTION RESUME"],
        ),
    ],
)
def test_resume_statements(snowflake: Recording, caves_server: RunningServer, name: str, expected: list[str]) -> None:
    assert taskctl.run(snowflake, taskctl.resume_statements(name)) == expected
    assert snowflake.statements() == expected
    assert {states(caves_server)[task] for task in tasks_of(expected)} == {"started"}  # the whole graph runs


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("TASK_RAW_TO_STAGING_ORDERS", f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS"),
        # Snowflake refuses EXECUTE TASK on a child: its root runs the graph
        ("TASK_STAGING_TO_PROD_INVENTORY_CURRENT", f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_INVENTORY"),
    ],
)
def test_execute_statement(snowflake: Recording, caves_server: RunningServer, name: str, expected: str) -> None:
    before = len(history(caves_server))
    assert taskctl.run(snowflake, [taskctl.execute_statement(name)]) == [expected]
    assert snowflake.statements() == [expected]
    run = history(caves_server)[before]  # the root's run, whatever its WHEN decided (SUCCEEDED or SKIPPED)
    assert (f"{OPS}.{run['NAME']}", run["SCHEDULED_FROM"]) == (expected.split()[-1], "EXECUTE_TASK")


def test_retry_last_statement_reruns_the_failed_task(snowflake: Recording, caves_server: RunningServer) -> None:
    """RETRY LAST is refused unless the graph's last run failed; after a failure it re-runs the failed task in
    the same graph run group, with the next attempt number."""
    expected = f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS RETRY LAST"
    inner = snowflake.inner
    taskctl.run(inner, taskctl.resume_statements("TASK_RAW_TO_STAGING_ORDERS"))  # the child runs with its root
    inner.execute(
        "insert into CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM (RAW_MESSAGE, EVENT_DATA, SOURCE_TOPIC) "
        "select ?, try_parse_json(?), ?",
        ["{}", "{}", "admin-sql-test"],
    )  # work for the root: it runs rather than skipping
    inner.execute("alter table CAVES_ALBERT_DB.PRODUCTION.ORDERS rename to ORDERS_AWAY")
    try:
        before = len(history(caves_server))
        taskctl.run(inner, [taskctl.execute_statement("TASK_RAW_TO_STAGING_ORDERS")])
        failed = history(caves_server)[before:]
        assert [(r["NAME"], r["STATE"]) for r in failed] == [
            ("TASK_RAW_TO_STAGING_ORDERS", "SUCCEEDED"), ("TASK_STAGING_TO_PROD_ORDERS", "FAILED"),
        ]  # fmt: skip
    finally:
        inner.execute("alter table CAVES_ALBERT_DB.PRODUCTION.ORDERS_AWAY rename to ORDERS")
    assert taskctl.run(snowflake, [taskctl.execute_statement("TASK_RAW_TO_STAGING_ORDERS", retry_last=True)]) == [
        expected
    ]
    assert snowflake.statements() == [expected]
    [retried] = history(caves_server)[before + 2 :]
    assert (retried["NAME"], retried["STATE"], retried["ATTEMPT_NUMBER"]) == (
        "TASK_STAGING_TO_PROD_ORDERS",
        "SUCCEEDED",
        2,
    )
    assert retried["GRAPH_RUN_GROUP_ID"] == failed[1]["GRAPH_RUN_GROUP_ID"]
    with pytest.raises(ProgrammingError):  # the last run succeeded: nothing to retry
        taskctl.run(inner, [taskctl.execute_statement("TASK_RAW_TO_STAGING_ORDERS", retry_last=True)])


@pytest.mark.parametrize(
    "name", ["TASK_NOPE", "TASK_RAW_TO_STAGING_ORDERS; DROP DATABASE CAVES_ALBERT_DB", "OPS.TASK_X SUSPEND --"]
)
def test_a_name_outside_the_dag_sends_nothing(snowflake: Recording, name: str) -> None:
    for build in (taskctl.suspend_statements, taskctl.resume_statements, taskctl.execute_statement):
        with pytest.raises(UnknownTaskError):
            build(name)
    assert snowflake.sent == []


def test_audit_row_is_bound_and_lands_in_the_audit_table(snowflake: Recording) -> None:
    started = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # 08:30 UTC
    finished = dt.datetime(2026, 3, 1, 8, 30, 5)  # naive: UTC already
    audit_id = audit(
        snowflake,
        actor="ALBERT",
        action="suspend",
        target=f"{OPS}.TASK_RAW_TO_STAGING_ORDERS",
        outcome="failed",
        error="login failed: password=hunter2",
        started_at=started,
        finished_at=finished,
        details={"statements": ["ALTER TASK ... SUSPEND"], "token": "abc"},
    )
    [(sql, params)] = snowflake.sent
    assert sql == (
        "insert into CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG "
        "(AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT, SOURCE) "
        "select ?, ?, ?, ?, parse_json(?), ?, ?, ?, ?, ?"
    )
    assert params[0] == audit_id
    row = snowflake.inner.query(
        "select ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT, SOURCE "
        "from CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG where AUDIT_ID = ?",
        [audit_id],
    ).iloc[0]
    assert (row["ACTOR"], row["ACTION"], row["TARGET"], row["OUTCOME"], row["SOURCE"]) == (
        "ALBERT",
        "suspend",
        f"{OPS}.TASK_RAW_TO_STAGING_ORDERS",
        "failed",
        "console",
    )
    assert row["ERROR_MESSAGE"] == "login failed: password=***"
    assert json.loads(row["DETAILS"]) == {"statements": ["ALTER TASK ... SUSPEND"], "token": "***"}
    assert pd.Timestamp(row["STARTED_AT"]) == pd.Timestamp("2026-03-01 08:30:00")
    assert pd.Timestamp(row["FINISHED_AT"]) == pd.Timestamp("2026-03-01 08:30:05")
