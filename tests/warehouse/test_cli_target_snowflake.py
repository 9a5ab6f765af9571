"""`--target snowflake` on the CLI's data commands, through the real connector against the wire server (caves/wire
over the real deploy_sql/, tests/warehouse/conftest.py).

DESIGN.md's CLI contract: every command takes `--target local|snowflake`; `sql` and `query` print the same
formats on both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caves import cli


def _connection_file(tmp_path: Path, account: dict[str, Any]) -> Path:
    lines = ["[connections.snowflake]"]
    for key, value in account.items():
        if isinstance(value, dict):
            continue  # session parameters: not needed for these statements
        lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "conn.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def conn_file(tmp_path: Path, account: dict[str, Any]) -> Path:
    return _connection_file(tmp_path, account)


def test_sql_runs_on_snowflake(conn_file: Path, capsys) -> None:
    """`caves sql "..." --target snowflake --format json` prints the statement's result as JSON."""
    code = cli.main(
        [
            "sql",
            "SELECT 1 AS A, 'x' AS B",
            "--target",
            "snowflake",
            "--connection-file",
            str(conn_file),
            "--format",
            "json",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == [{"A": 1, "B": "x"}]


def test_query_runs_on_snowflake_with_bound_parameters(conn_file: Path, capsys) -> None:
    """`caves query ID --param k=v --target snowflake`: the catalog query, its parameter bound, its columns."""
    code = cli.main(
        ["query", "low_stock_alerts", "--param", "threshold=20", "--target", "snowflake",
         "--connection-file", str(conn_file), "--format", "json"]
    )  # fmt: skip
    assert code == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing was ingested: the deployed tables are empty


def test_init_on_snowflake_is_refused_readably(conn_file: Path, capsys) -> None:
    """`init` creates the local warehouse: on Snowflake the CLI says to deploy instead."""
    assert cli.main(["init", "--target", "snowflake", "--connection-file", str(conn_file)]) == 1
    assert "caves deploy --target snowflake" in capsys.readouterr().err
