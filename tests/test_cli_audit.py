"""The CLI's admin actions are audited like the console's: one OPS.ADMIN_AUDIT_LOG row each, actor = the OS user
of the shell, source = cli; the audit table gains its SOURCE column through the planner's ALTER, never a
replace."""

from __future__ import annotations

import contextlib
import getpass
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from caves.cli import main
from caves.warehouse.local import LocalWarehouse

REPO_ROOT = Path(__file__).resolve().parents[1]
ORDERS = "CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS"
RETENTION = "CAVES_ALBERT_DB.OPS.TASK_PURGE_RETENTION"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "warehouse.duckdb")
    assert run("init", "--db", path)[0] == 0
    yield path


def audit_rows(path: str) -> pd.DataFrame:
    wh = LocalWarehouse(path)
    try:
        return wh.query(
            "select ACTOR, SOURCE, ACTION, TARGET, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT, DETAILS "
            "from CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG order by STARTED_AT"
        )
    finally:
        wh.close()


def test_every_cli_admin_action_writes_one_audit_row(db: str) -> None:
    assert audit_rows(db).empty  # init is the warehouse's creation, not an admin action
    assert run("tasks", "suspend", "TASK_RAW_TO_STAGING_ORDERS", "--db", db)[0] == 0
    assert run("tasks", "resume", "task_raw_to_staging_orders", "--db", db)[0] == 0
    assert run("tasks", "execute", "TASK_STAGING_TO_PROD_ORDERS", "--db", db)[0] == 0  # runs its root's graph
    assert run("tasks", "execute", "TASK_PURGE_RETENTION", "--db", db)[0] == 0
    code, out, _ = run("deploy", "--db", db)
    assert code == 0 and out.startswith("Deployed:")
    assert run("deploy", "--dry-run", "--db", db)[0] == 0  # changes nothing: no row
    assert run("tasks", "list", "--db", db)[0] == 0  # reads: no row

    rows = audit_rows(db)
    assert list(rows["ACTION"]) == ["suspend", "resume", "execute", "retention", "deploy"]
    assert list(rows["TARGET"]) == [ORDERS, ORDERS, ORDERS, RETENTION, "deploy_sql/"]
    assert set(rows["ACTOR"]) == {getpass.getuser()}
    assert set(rows["SOURCE"]) == {"cli"}
    assert set(rows["OUTCOME"]) == {"succeeded"}
    assert (rows["FINISHED_AT"] >= rows["STARTED_AT"]).all()
    assert "ALTER TASK" in rows["DETAILS"].iloc[0]


def test_a_failed_cli_action_is_audited_as_failed_and_exits_non_zero(db: str) -> None:
    code, _, err = run("tasks", "execute", "TASK_RAW_TO_STAGING_ORDERS", "--retry-last", "--db", db)
    assert code == 1
    assert err.startswith("error: retry_last CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS failed:")
    last = audit_rows(db).iloc[-1]
    assert (last["ACTION"], last["OUTCOME"], last["SOURCE"]) == ("retry_last", "failed", "cli")
    assert "did not fail" in last["ERROR_MESSAGE"]


def test_a_child_of_a_running_graph_is_refused_and_the_cli_says_what_to_do(db: str) -> None:
    """Snowflake changes a child only while its root is suspended (alter-task): `caves tasks` says how."""
    code, _, err = run("tasks", "resume", "TASK_STAGING_TO_PROD_ORDERS", "--db", db)
    assert code == 1 and "not suspended" in err
    assert "`caves tasks suspend TASK_RAW_TO_STAGING_ORDERS` first" in err
    assert audit_rows(db).iloc[-1]["OUTCOME"] == "failed"


def test_an_unknown_task_is_refused_before_anything_runs(db: str) -> None:
    code, _, err = run("tasks", "suspend", "X; DROP TABLE Y", "--db", db)
    assert code == 1 and "unknown task" in err
    assert audit_rows(db).empty


def test_a_subprocess_cli_action_is_audited(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caves", "tasks", "suspend", "TASK_RAW_TO_STAGING_INVENTORY", "--db", db],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = audit_rows(db).iloc[-1]
    assert (last["ACTOR"], last["SOURCE"], last["ACTION"]) == (getpass.getuser(), "cli", "suspend")


def test_the_audit_table_gains_its_source_column_by_alter_on_redeploy(db: str) -> None:
    assert run("tasks", "suspend", "TASK_RAW_TO_STAGING_ORDERS", "--db", db)[0] == 0
    # a warehouse deployed before the column existed
    assert run("sql", "alter table CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG drop column SOURCE", "--db", db)[0] == 0
    # its admin actions are still audited, the source kept in DETAILS until the next deployment
    assert run("tasks", "resume", "TASK_RAW_TO_STAGING_ORDERS", "--db", db)[0] == 0
    code, plan, _ = run("deploy", "--dry-run", "--db", db)
    assert code == 0
    assert "alter table CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG add column SOURCE VARCHAR" in plan
    assert "create or replace table caves_albert_db.ops.admin_audit_log" not in plan.lower()
    assert run("deploy", "--db", db)[0] == 0
    rows = audit_rows(db)
    assert list(rows["ACTION"]) == ["suspend", "resume", "deploy"]  # nothing lost
    assert list(rows["SOURCE"].fillna("-")) == ["-", "-", "cli"]  # the older rows have no value to give
    assert json.loads(rows["DETAILS"].iloc[1])["source"] == "cli"
