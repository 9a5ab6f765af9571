"""Fixtures of the wire tests: a Snowflake-protocol server (caves/wire) over a fresh local warehouse, and the real
snowflake-connector-python pointed at it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import snowflake.connector

from .server import RunningServer, running_server

logging.getLogger("sqlglot").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def wire_server(tmp_path_factory) -> Iterator[RunningServer]:
    """One server for the protocol tests, over an empty warehouse file."""
    with running_server(tmp_path_factory.mktemp("wire") / "warehouse.duckdb") as server:
        yield server


@pytest.fixture
def connect(wire_server: RunningServer) -> Iterator[Callable[..., Any]]:
    """``connect(**keys)``: a connector connection to the server (closed after the test)."""
    opened = []

    def open_connection(server: RunningServer | None = None, **keys: Any):
        conn = snowflake.connector.connect(**(server or wire_server).account(**keys))
        opened.append(conn)
        return conn

    yield open_connection
    for conn in opened:
        conn.close()
