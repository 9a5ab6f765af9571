"""``python -m caves serve``: the Snowflake-protocol server on a host and port, over one warehouse file.

Loopback (127.0.0.1, ::1, localhost) by default, where any credentials are accepted, as the local engine has no
users. Bound to any other address, the server refuses to start without a token (``CAVES_SERVE_TOKEN``), and a login
must then present it as its password (or as a programmatic access token).
"""

from __future__ import annotations

import ipaddress
import logging
import os

from ..local import Engine
from .app import WireServer, create_app

log = logging.getLogger("caves.wire")

TOKEN_ENV = "CAVES_SERVE_TOKEN"
DEFAULT_PORT = 8080


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def configured_token(env: dict[str, str] | None = None) -> str | None:
    """The login token of ``CAVES_SERVE_TOKEN`` (None when unset or empty)."""
    value = (os.environ if env is None else env).get(TOKEN_ENV, "")
    return value or None


def check_binding(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token: the warehouse would be open to the network."""
    if not is_loopback(host) and token is None:
        raise ValueError(
            f"--host {host} is reachable from other machines: set {TOKEN_ENV} to the token logins must present "
            "(as their password), or bind to 127.0.0.1"
        )


def serve(db: str, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, token: str | None = None) -> None:
    """Run the server until interrupted (Ctrl-C / SIGTERM), then close its sessions and the warehouse."""
    import uvicorn

    check_binding(host, token)
    engine = Engine(db)
    server = WireServer(engine, token=token)
    log.info(
        "Snowflake-protocol server for %s on http://%s:%d (%s)",
        db,
        host,
        port,
        "token required" if token else "loopback, any login",
    )
    try:
        uvicorn.run(create_app(server), host=host, port=port, log_level="warning", access_log=False)
    finally:
        server.close()
        engine.close()
