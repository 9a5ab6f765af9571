"""Other Snowflake clients against the wire server: the Snowflake CLI (``snow``) and dbt-snowflake.

Optional (marker ``clients``): each test runs only when its tool is installed, found as ``$CAVES_SNOW`` /
``$CAVES_DBT`` or on the PATH, and is skipped otherwise. They may live in virtual environments of their own (their
pins can conflict with the project's): ``python3 -m venv /tmp/snowcli-venv && /tmp/snowcli-venv/bin/pip install
snowflake-cli``, then ``CAVES_SNOW=/tmp/snowcli-venv/bin/snow``. Tried with Snowflake CLI 3.30.0 and dbt-core
1.10.23 / dbt-snowflake 1.10.8 (see README, "Use the local engine from other Snowflake tools").

Snowflake CLI connection settings: https://docs.snowflake.com/en/developer-guide/snowflake-cli/connecting/configure-connections;
dbt-snowflake profile: https://docs.getdbt.com/docs/core/connect-data-platform/snowflake-setup.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import snowflake.connector

from .server import RunningServer, running_server

pytestmark = pytest.mark.clients


def tool(env: str, name: str) -> str | None:
    """The tool's executable: ``$ENV`` or on the PATH; None when it is not installed."""
    found = os.environ.get(env) or shutil.which(name)
    return found if found and Path(found).exists() else None


SNOW, DBT = tool("CAVES_SNOW", "snow"), tool("CAVES_DBT", "dbt")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("clients") / "warehouse.duckdb") as running:
        yield running


def run(
    argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}, cwd=cwd)
    assert proc.returncode == 0, f"{argv} exited {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.mark.skipif(SNOW is None, reason="snow is not installed (set CAVES_SNOW to its path to run this test)")
def test_snowflake_cli(server: RunningServer, tmp_path: Path) -> None:
    """``snow sql`` (a file of statements), ``snow connection test``, ``snow object list``."""
    snow = str(SNOW)
    home = tmp_path / "snowflake"
    home.mkdir()
    config = home / "config.toml"
    config.write_text(
        "[connections.local]\n"
        'account = "local"\nuser = "caves"\npassword = "local"\nhost = "127.0.0.1"\n'
        f'port = {server.port}\nprotocol = "http"\ndatabase = "SNOW_DB"\nschema = "PUBLIC"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)  # snow refuses a connection file others can read
    env = {"SNOWFLAKE_HOME": str(home)}
    script = tmp_path / "script.sql"
    script.write_text(
        "create database if not exists SNOW_DB;\n"
        "create or replace table SNOW_DB.PUBLIC.WINES (ID varchar, PRICE number(6, 2));\n"
        "insert into SNOW_DB.PUBLIC.WINES values ('WINE-A', 25.50), ('WINE-B', 18.90);\n"
        "select count(*) as N, sum(PRICE) as TOTAL from SNOW_DB.PUBLIC.WINES;\n",
        encoding="utf-8",
    )
    results = json.loads(run([snow, "sql", "-c", "local", "-f", str(script), "--format", "json"], env).stdout)
    assert results[-1] == [{"N": 2, "TOTAL": "44.40"}]  # snow prints a NUMBER(p, 2) (a Decimal) as its text
    assert "OK" in run([snow, "connection", "test", "-c", "local"], env).stdout  # it USEs the connection's database
    listed = json.loads(
        run(
            [snow, "object", "list", "table", "-c", "local", "--in", "schema", "PUBLIC", "--format", "json"], env
        ).stdout
    )
    assert [t["name"] for t in listed] == ["WINES"]
    assert server.server_errors() == []


@pytest.mark.skipif(DBT is None, reason="dbt is not installed (set CAVES_DBT to its path to run this test)")
def test_dbt_debug_seed_run_test(server: RunningServer, tmp_path: Path) -> None:
    """``dbt debug``, then ``seed``, ``run`` and ``test`` on a small project: dbt-snowflake logs in, reads
    ``show objects`` (kind, is_dynamic, is_iceberg), loads a CSV, builds a view on it and runs two data tests."""
    dbt = str(DBT)
    (tmp_path / "dbt_project.yml").write_text(
        'name: caves_local\nversion: "1.0"\nprofile: caves_local\n', encoding="utf-8"
    )
    (tmp_path / "profiles.yml").write_text(
        "caves_local:\n  target: local\n  outputs:\n    local:\n      type: snowflake\n      account: local\n"
        "      user: caves\n      password: local\n      host: 127.0.0.1\n"
        f"      port: {server.port}\n      protocol: http\n      role: SYSADMIN\n      database: DBT_DB\n"
        "      warehouse: LOCAL_WH\n      schema: ANALYTICS\n      threads: 1\n",
        encoding="utf-8",
    )
    out = run([dbt, "debug", "--profiles-dir", str(tmp_path), "--project-dir", str(tmp_path)], cwd=tmp_path).stdout
    assert "Connection test: [OK connection ok]" in out.replace("\x1b[32m", "").replace("\x1b[0m", "")
    with snowflake.connector.connect(**server.account()) as conn:
        conn.cursor().execute("create database if not exists DBT_DB")  # dbt creates the schema, not the database
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "wines.csv").write_text("id,name,price\n1,Chablis,20.5\n2,Margaux,80\n3,Sancerre,25\n")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "expensive_wines.sql").write_text(
        "select id, name, price from {{ ref('wines') }} where price > 24"
    )
    (tmp_path / "models" / "schema.yml").write_text(
        "version: 2\nmodels:\n  - name: expensive_wines\n    columns:\n      - name: id\n"
        "        tests: [unique, not_null]\n"
    )
    for command, passed in (("seed", "PASS=1"), ("run", "PASS=1"), ("test", "PASS=2")):
        done = run([dbt, command, "--profiles-dir", str(tmp_path), "--project-dir", str(tmp_path)], cwd=tmp_path)
        assert passed in done.stdout and "ERROR=0" in done.stdout, done.stdout[-2000:]
    assert server.server_errors() == []
