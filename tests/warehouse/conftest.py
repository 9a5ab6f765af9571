"""Snowflake behind the real snowflake-connector-python, on 127.0.0.1: the project's own Snowflake-protocol server.

``caves_server`` is caves/wire over a local warehouse where the real deploy_sql/ is deployed through the
connector (streams, tasks and task history included): the Snowflake backend's statements have their Snowflake
effect there, and ``account`` / ``settings`` / ``warehouse`` reach it. The server fails the run if it ever
answers an HTTP 5xx (tests/wire/server.py).

fakesnow's HTTP server stays for what the wire server does not do: answering a dropped session with HTTP 401
(``fake_account``, used by one reconnection test).

fakesnow: one server for the whole run (its databases live in one shared in-memory DuckDB, see fakesnow/server.py).
It is started like ``fakesnow.server()`` does, with uvicorn in a thread, but from the ``fakesnow.server``
module: importing that module replaces the ``fakesnow.server`` function on the package, so the function
cannot be relied on once anything has imported the module. The tests reach into the module (its session
table, its routes) to make Snowflake drop a session, and its login answers with a master token as Snowflake's
does.
"""

from __future__ import annotations

import json
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
from wire.server import RunningServer, free_port, running_server

from caves.deploy import deploy
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


@pytest.fixture(scope="session")
def fakesnow_port() -> Iterator[int]:
    """The port of a running fakesnow server (stopped at the end of the run)."""
    port = free_port()  # the worktree's own port range
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


@pytest.fixture(scope="session")
def caves_server(tmp_path_factory) -> Iterator[RunningServer]:
    """The wire server over a warehouse where deploy_sql/ was deployed through the connector (graphs suspended,
    as a first deployment leaves them)."""
    with running_server(tmp_path_factory.mktemp("snowflake") / "warehouse.duckdb") as server:
        wh = SnowflakeWarehouse.from_settings(server.account())
        try:
            deploy(wh)
        finally:
            wh.close()
        yield server


@pytest.fixture(scope="session")
def account(caves_server: RunningServer) -> dict[str, Any]:
    """The ``[connections.snowflake]`` keys that reach the deployed account (any credentials on loopback)."""
    return caves_server.account(database="CAVES_ALBERT_DB", schema="OPS", network_timeout=30, login_timeout=10)


@pytest.fixture
def settings(account: dict[str, Any]) -> dict[str, Any]:
    """A copy of :func:`account` a test may change."""
    return {**account, "session_parameters": dict(account["session_parameters"])}


@pytest.fixture
def warehouse(settings: dict[str, Any]) -> Iterator[SnowflakeWarehouse]:
    wh = SnowflakeWarehouse.from_settings(settings)
    yield wh
    wh.close()
