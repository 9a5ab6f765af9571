"""The Snowflake-protocol server (caves/wire) run for a test: uvicorn in a thread of the test process, on 127.0.0.1.

Every request's HTTP status is read from the server's access log (logger ``caves.wire.access``). When a server
stops, the test that used it fails if any request got an HTTP 5xx: the connector retries a 500 for minutes, so
the server must answer every failure as Snowflake does, HTTP 200 with a code and a SQLSTATE. Every test that
starts a server goes through here, so the whole suite's requests are checked.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from caves.local import Engine
from caves.wire import WireServer, create_app

PORTS = range(8700, 8720)  # this worktree's ports


def free_port() -> int:
    """A port of :data:`PORTS` that nothing listens on."""
    for port in PORTS:
        with contextlib.closing(socket.socket(type=socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class _Statuses(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(level=logging.INFO)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@dataclass
class RunningServer:
    """A started server: where it listens, its engine and wire state, and the access log so far."""

    port: int
    engine: Engine
    wire: WireServer
    log_lines: list[str] = field(default_factory=list)

    def account(self, **extra: Any) -> dict[str, Any]:
        """``snowflake.connector.connect()`` keys that reach this server."""
        return {
            "account": "local",
            "user": "caves",
            "password": "local",
            "host": "127.0.0.1",
            "port": self.port,
            "protocol": "http",
            "session_parameters": {"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
            "network_timeout": 30,
            "login_timeout": 10,
            **extra,
        }

    def server_errors(self) -> list[str]:
        """Access-log lines of requests answered with an HTTP 5xx."""
        return [line for line in self.log_lines if line.rsplit(" ", 1)[-1].startswith("5")]

    def connection_file(self, path: Path, **extra: Any) -> Path:
        """A ``--connection-file`` for the CLI's ``--target snowflake``."""
        keys = {k: v for k, v in self.account(**extra).items() if not isinstance(v, dict)}
        lines = ["[connections.snowflake]"] + [f"{k} = {_toml(v)}" for k, v in keys.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextlib.contextmanager
def running_server(db: str | Path, **options: Any) -> Iterator[RunningServer]:
    """A server over the warehouse file ``db`` for the duration; fails on exit if any request got an HTTP 5xx."""
    engine = Engine(str(db))
    wire = WireServer(engine, **options)
    port = free_port()
    running = RunningServer(port=port, engine=engine, wire=wire)
    handler = _Statuses(running.log_lines)
    access = logging.getLogger("caves.wire.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    # Kept off the root logger: a test calling cli.main() points the root's handler at its captured stderr,
    # closed once that test ends, while this server goes on logging from its own thread.
    propagate, access.propagate = access.propagate, False
    server = uvicorn.Server(uvicorn.Config(create_app(wire), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"caves wire server :{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("the wire server did not start")
    try:
        yield running
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        access.removeHandler(handler)
        access.propagate = propagate
        engine.close()
    assert not running.server_errors(), f"HTTP 5xx answered: {running.server_errors()}"
