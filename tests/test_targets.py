"""caves.targets and ``python -m caves deploy --target snowflake``: where the settings come from, and a dry
run that needs no account."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from caves import cli
from caves.deploy import plan_deploy
from caves.objects import load_statements
from caves.targets import EmptyAccount, connection_settings, read_connection_file, warehouse_for
from caves.warehouse.snowflake import SnowflakeWarehouse, WarehouseConnectionError

REPO_ROOT = Path(__file__).resolve().parents[1]
CREATED = re.compile(r"create (?:or replace )?(?:database|schema|table|stream|task|view) (?:if not exists )?([\w.]+)")
OPS = "CAVES_ALBERT_DB.OPS"
SECRETS_TOML = """
[connections.snowflake]
account = "myorg-caves"
user = "CAVES_DEPLOYER"
private_key_file = "/secrets/rsa_key.p8"
role = "CAVES_DEPLOYER"
"""


def _printed(plan: Sequence[str]) -> str:
    """What ``deploy --dry-run`` prints for a plan: each statement ending with ';' and a blank line."""
    return "".join(statement.rstrip().rstrip(";") + ";\n\n" for statement in plan)


def _no_snowflake_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNOWFLAKE_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def test_dry_run_against_snowflake_needs_no_account(tmp_path: Path) -> None:
    """No secrets file (the working directory is empty), no SNOWFLAKE_* variable: the whole deployment is
    planned against an empty account, printed in order, and stderr says why."""
    result = subprocess.run(
        [sys.executable, "-m", "caves", "deploy", "--dry-run", "--target", "snowflake"],
        cwd=tmp_path,
        env=_no_snowflake_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "No Snowflake connection configured: planning against an empty account (everything would be created).\n"
    )
    assert result.stdout == _printed(plan_deploy(load_statements(), None))

    # The order the pipeline needs, whatever the planner's details: containers, tables, streams on them, tasks
    # parents first, then the views; nothing is suspended or resumed (nothing runs in an empty account).
    heads = [s.split("\n", 1)[0] for s in result.stdout.split(";\n\n") if s]
    assert heads[:5] == [
        "create database if not exists CAVES_ALBERT_DB",
        "create schema if not exists CAVES_ALBERT_DB.RAW_DATA",
        "create schema if not exists CAVES_ALBERT_DB.STAGING",
        "create schema if not exists CAVES_ALBERT_DB.PRODUCTION",
        "create schema if not exists CAVES_ALBERT_DB.OPS",
    ]
    created = [m.group(1) for m in map(CREATED.match, heads) if m]
    position = {name: i for i, name in enumerate(created)}
    assert len(position) == len(created)  # each object created once
    assert (
        position["CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM"] < position["CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS"]
    )
    for parent, child in [
        ("TASK_RAW_TO_STAGING_ORDERS", "TASK_STAGING_TO_PROD_ORDERS"),
        ("TASK_RAW_TO_STAGING_INVENTORY", "TASK_STAGING_TO_PROD_INVENTORY_HISTORY"),
        ("TASK_STAGING_TO_PROD_INVENTORY_HISTORY", "TASK_STAGING_TO_PROD_INVENTORY_CURRENT"),
    ]:
        assert position[f"{OPS}.{parent}"] < position[f"{OPS}.{child}"]
    assert position["CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS"] < position[f"{OPS}.TASK_RAW_TO_STAGING_ORDERS"]
    assert not [h for h in heads if h.startswith("alter task")]
    assert not [h for h in heads if h.startswith(("drop", "create or replace table", "create or replace stream"))]


def test_deploy_without_dry_run_needs_a_connection(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("SNOWFLAKE_")]:
        monkeypatch.delenv(name)
    assert cli.main(["deploy", "--target", "snowflake"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no Snowflake connection configured: pass --connection-file")
    assert "Traceback" not in err


class LivePipeline:
    """A Snowflake account where deploy_sql/ is already deployed and every graph is running, as SHOW and
    INFORMATION_SCHEMA describe it to caves.dag.read_state."""

    backend = "snowflake"

    def __init__(self) -> None:
        statements = load_statements()
        self.tables = [(s.name.split("."), [c.name for c in s.columns()]) for s in statements if s.kind == "table"]
        self.streams = [s.name.split(".") for s in statements if s.kind == "stream"]
        self.tasks = [s for s in statements if s.kind == "task"]
        self.executed: list[str] = []

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        text = sql.lower()
        if text.startswith("show schemas"):
            return pd.DataFrame({"name": ["INFORMATION_SCHEMA", "RAW_DATA", "STAGING", "PRODUCTION", "OPS"]})
        if "information_schema.columns" in text:
            rows = [(schema, table, column) for (_, schema, table), cols in self.tables for column in cols]
            return pd.DataFrame(rows, columns=["TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME"])
        if text.startswith("show streams"):
            rows = [(db, schema, name, "false") for db, schema, name in self.streams]
            return pd.DataFrame(rows, columns=["database_name", "schema_name", "name", "stale"])
        if text.startswith("show tasks"):
            rows = [(*s.name.split("."), "started", str(list(s.task.after)).replace("'", '"')) for s in self.tasks]
            return pd.DataFrame(rows, columns=["database_name", "schema_name", "name", "state", "predecessors"])
        raise AssertionError(f"unexpected query {sql!r}")

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.executed.append(sql)

    def close(self) -> None:
        pass


def test_dry_run_with_a_connection_reads_the_real_state(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "conn.toml").write_text(SECRETS_TOML, encoding="utf-8")
    account = LivePipeline()
    seen: list[dict[str, Any]] = []

    def from_settings(settings: dict[str, Any]) -> LivePipeline:
        seen.append(settings)
        return account

    monkeypatch.setattr(SnowflakeWarehouse, "from_settings", staticmethod(from_settings))
    code = cli.main(["deploy", "--dry-run", "--target", "snowflake", "--connection-file", str(tmp_path / "conn.toml")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert seen == [
        {
            "account": "myorg-caves",
            "user": "CAVES_DEPLOYER",
            "private_key_file": "/secrets/rsa_key.p8",
            "role": "CAVES_DEPLOYER",
        }
    ]
    heads = [s.split("\n", 1)[0] for s in out.split(";\n\n") if s]
    # a live pipeline: the running roots are suspended first, nothing that holds data is created again, and
    # the graphs are resumed at the end, children before their root
    assert heads[:3] == [
        f"alter task {OPS}.TASK_RAW_TO_STAGING_ORDERS suspend",
        f"alter task {OPS}.TASK_RAW_TO_STAGING_INVENTORY suspend",
        f"alter task {OPS}.TASK_PURGE_RETENTION suspend",
    ]
    assert not [h for h in heads if h.startswith(("create database", "create schema", "create table", "create stream"))]
    assert heads[-6:] == [
        f"alter task {OPS}.TASK_STAGING_TO_PROD_ORDERS resume",
        f"alter task {OPS}.TASK_RAW_TO_STAGING_ORDERS resume",
        f"alter task {OPS}.TASK_STAGING_TO_PROD_INVENTORY_CURRENT resume",
        f"alter task {OPS}.TASK_STAGING_TO_PROD_INVENTORY_HISTORY resume",
        f"alter task {OPS}.TASK_RAW_TO_STAGING_INVENTORY resume",
        f"alter task {OPS}.TASK_PURGE_RETENTION resume",
    ]
    assert account.executed == []  # a dry run changes nothing


# ------------------------------------------------------------------------------------------ where settings live


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_precedence_file_then_secrets_then_environment(tmp_path: Path) -> None:
    env = {"SNOWFLAKE_ACCOUNT": "from-env", "SNOWFLAKE_USER": "ENV_USER", "SNOWFLAKE_PORT": "8443", "HOME": "/x"}
    assert connection_settings(None, env=env, cwd=tmp_path).settings == {
        "account": "from-env",
        "user": "ENV_USER",
        "port": 8443,
    }
    _write(tmp_path / ".streamlit" / "secrets.toml", SECRETS_TOML)
    found = connection_settings(None, env=env, cwd=tmp_path)
    assert (found.settings["account"], found.source) == ("myorg-caves", ".streamlit/secrets.toml")
    flat = _write(tmp_path / "flat.toml", 'account = "from-file"\nuser = "FILE_USER"\n[other]\nx = 1\n')
    found = connection_settings(flat, env=env, cwd=tmp_path)
    assert found.settings == {"account": "from-file", "user": "FILE_USER"}
    assert found.source == f"--connection-file {flat}"


def test_no_settings_anywhere(tmp_path: Path) -> None:
    assert connection_settings(None, env={}, cwd=tmp_path) is None
    _write(tmp_path / ".streamlit" / "secrets.toml", '[connections.postgres]\nhost = "db"\n')
    assert connection_settings(None, env={}, cwd=tmp_path) is None  # a secrets file without Snowflake in it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "connection file not found"),
        ("account = ", "is not valid TOML"),
        ('user = "X"\n', "no Snowflake account"),
    ],
)
def test_a_bad_connection_file_is_a_readable_error(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "conn.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_connection_file(path)


def test_warehouse_for_local_and_the_empty_account(tmp_path: Path, monkeypatch) -> None:
    local = warehouse_for(argparse.Namespace(target="local", db=str(tmp_path / "wh.duckdb")))
    try:
        assert local.backend == "local"
    finally:
        local.close()
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("SNOWFLAKE_")]:
        monkeypatch.delenv(name)
    empty = warehouse_for(argparse.Namespace(target="snowflake", db=None, dry_run=True, connection_file=None))
    assert isinstance(empty, EmptyAccount) and empty.backend == "snowflake"
    assert empty.query("show schemas in database CAVES_ALBERT_DB").empty
    with pytest.raises(ConnectionError, match="only --dry-run works without one"):
        empty.execute("create database CAVES_ALBERT_DB")
    with pytest.raises(WarehouseConnectionError):
        warehouse_for(argparse.Namespace(target="snowflake", db=None, dry_run=False, connection_file=None))
