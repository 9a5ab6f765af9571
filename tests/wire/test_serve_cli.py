"""``python -m caves serve``: the command itself, as a child process, reached by the real connector."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import snowflake.connector
from pipeline.helpers import REPO_ROOT, cli_env

from .server import free_port


def test_serve_answers_the_connector_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "served.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "caves", "serve", "--port", str(port), "--db", str(db)],
        cwd=REPO_ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        conn = None
        deadline = time.monotonic() + 60
        while conn is None:
            try:
                conn = snowflake.connector.connect(
                    account="local", user="caves", password="any", host="127.0.0.1", port=port, protocol="http",
                    login_timeout=5, network_timeout=10,
                )  # fmt: skip
            except snowflake.connector.errors.Error:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        with contextlib.closing(conn):
            cur = conn.cursor()
            cur.execute("create database SERVED")
            cur.execute("create table SERVED.PUBLIC.T (A int)")
            cur.execute("insert into SERVED.PUBLIC.T values (1), (2)")
            assert cur.execute("select sum(A) from SERVED.PUBLIC.T").fetchone() == (3,)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, -15), err
    assert " 500" not in err  # the access log: no request answered with an HTTP 500
    assert "POST /queries/v1/query-request 200" in err
    # the data is in the warehouse file: the engine reads it once the server has let go of it
    from caves.local import Engine

    with Engine(str(db)) as engine, engine.session() as session:
        assert session.execute("select count(*) from SERVED.PUBLIC.T").scalar() == 2


def test_serve_refuses_another_interface_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in cli_env().items() if k != "CAVES_SERVE_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "caves", "serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.duckdb")],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "CAVES_SERVE_TOKEN" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.duckdb").exists()  # refused before anything was opened
