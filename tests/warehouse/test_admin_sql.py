"""The SQL the administration flows send to Snowflake, statement by statement, through the connector backend.

fakesnow has no tasks, so its session turns ``ALTER TASK`` / ``EXECUTE TASK`` into no-ops (``nop_regexes``):
what is checked is exactly what goes over the wire, in order, and that nothing else does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
import pytest

from caves import taskctl
from caves.dag import UnknownTaskError
from caves.security import audit
from caves.warehouse.snowflake import SnowflakeWarehouse

OPS = "CAVES_ALBERT_DB.OPS"

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")


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
def snowflake(settings: dict[str, Any], pipeline_tables: None) -> Iterator[Recording]:
    settings["session_parameters"]["nop_regexes"] = [r"^ALTER TASK ", r"^EXECUTE TASK "]
    wh = SnowflakeWarehouse.from_settings(settings)
    yield Recording(wh)
    wh.close()


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
def test_suspend_statements(snowflake: Recording, name: str, expected: list[str]) -> None:
    assert taskctl.run(snowflake, taskctl.suspend_statements(name)) == expected
    assert snowflake.statements() == expected


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
def test_resume_statements(snowflake: Recording, name: str, expected: list[str]) -> None:
    assert taskctl.run(snowflake, taskctl.resume_statements(name)) == expected
    assert snowflake.statements() == expected


@pytest.mark.parametrize(
    ("name", "retry_last", "expected"),
    [
        ("TASK_RAW_TO_STAGING_ORDERS", False, f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS"),
        # Snowflake refuses EXECUTE TASK on a child: its root runs the graph
        ("TASK_STAGING_TO_PROD_INVENTORY_CURRENT", False, f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_INVENTORY"),
        ("TASK_RAW_TO_STAGING_ORDERS", True, f"EXECUTE TASK {OPS}.TASK_RAW_TO_STAGING_ORDERS RETRY LAST"),
    ],
)
def test_execute_statement(snowflake: Recording, name: str, retry_last: bool, expected: str) -> None:
    assert taskctl.run(snowflake, [taskctl.execute_statement(name, retry_last=retry_last)]) == [expected]
    assert snowflake.statements() == [expected]


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
