"""fakesnow's HTTP server on 127.0.0.1 standing in for Snowflake behind the real snowflake-connector-python.

One server for the whole run (its databases live in one shared in-memory DuckDB, see fakesnow/server.py).
It is started like ``fakesnow.server()`` does, with uvicorn in a thread, but from the ``fakesnow.server``
module: importing that module replaces the ``fakesnow.server`` function on the package, so the function
cannot be relied on once anything has imported the module. The tests reach into the module (its session
table, its routes) to make Snowflake drop a session, and its login answers with a master token as Snowflake's
does.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import fakesnow.server as fakesnow_server
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from caves.objects import load_statements
from caves.warehouse.snowflake import SnowflakeWarehouse


async def _login_with_master_token(request: Request) -> Response:
    """fakesnow's login, plus the master token Snowflake always returns: without one the connector cannot log
    out (``close()`` fails silently and leaves the connection open), so a closed connection could not be
    tested."""
    response = await fakesnow_server.login_request(request)
    body = json.loads(response.body)
    if body.get("success"):
        body["data"]["masterToken"] = "fake-master-token"
    return JSONResponse(body, status_code=response.status_code)


def _free_port() -> int:
    with contextlib.closing(socket.socket(type=socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fakesnow_port() -> Iterator[int]:
    """The port of a running fakesnow server (stopped at the end of the run)."""
    port = _free_port()
    routes = fakesnow_server.app.router.routes
    login = next(r for r in routes if getattr(r, "path", None) == "/session/v1/login-request")
    routes[routes.index(login)] = Route(login.path, _login_with_master_token, methods=["POST"])
    server = uvicorn.Server(uvicorn.Config(fakesnow_server.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="fakesnow server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("fakesnow server did not start")
    yield port
    server.should_exit = True
    thread.join(timeout=10)
    routes[routes.index(next(r for r in routes if getattr(r, "path", None) == login.path))] = login


@pytest.fixture(scope="session")
def fake_account(fakesnow_port: int) -> dict[str, Any]:
    """The ``[connections.snowflake]`` keys that reach the fake account (it accepts any credentials)."""
    return {
        "account": "fakesnow",
        "user": "fake",
        "password": "snow",
        "host": "localhost",
        "port": fakesnow_port,
        "protocol": "http",
        # fakesnow defines its Snowflake functions (e.g. TO_TIMESTAMP) per database and finds them through the
        # session's current database, so sessions start there, as a secrets.toml would have them
        "database": "CAVES_ALBERT_DB",
        "schema": "OPS",
        # no telemetry requests, and no connector retry loop hiding a failure for minutes
        "session_parameters": {"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        "network_timeout": 5,
        "login_timeout": 5,
    }


@pytest.fixture
def settings(fake_account: dict[str, Any]) -> dict[str, Any]:
    """A copy of :func:`fake_account` a test may change."""
    return {**fake_account, "session_parameters": dict(fake_account["session_parameters"])}


@pytest.fixture
def warehouse(settings: dict[str, Any]) -> Iterator[SnowflakeWarehouse]:
    wh = SnowflakeWarehouse.from_settings(settings)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def pipeline_tables(fake_account: dict[str, Any]) -> None:
    """The database, schemas and tables of deploy_sql/ created in fakesnow with plain CREATE TABLE statements
    (column names and types only: fakesnow has no streams or tasks, and the tests bind every value), plus
    the views, which fakesnow runs as written."""
    wh = SnowflakeWarehouse.from_settings(fake_account)
    try:
        statements = load_statements()
        for stmt in statements:
            if stmt.kind in ("database", "schema"):
                wh.execute(stmt.sql)
            elif stmt.kind == "table":
                columns = ", ".join(f"{c.name} {c.type_sql}" for c in stmt.columns())
                wh.execute(f"create or replace table {stmt.name} ({columns})")
        for stmt in statements:
            if stmt.kind == "view":
                wh.execute(stmt.sql)
    finally:
        wh.close()
