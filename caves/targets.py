"""``--target local|snowflake`` for the command line: the Warehouse a command works on.

Snowflake connection settings (the keys ``snowflake.connector.connect()`` takes, as in the
``[connections.snowflake]`` table of ``.streamlit/secrets.toml``) come from the first of:

1. ``--connection-file PATH``: a TOML file, either secrets-shaped (``[connections.snowflake]``) or a flat
   table of connector keys;
2. ``.streamlit/secrets.toml`` in the current directory (what ``streamlit run`` reads);
3. ``SNOWFLAKE_ACCOUNT`` and the other ``SNOWFLAKE_*`` variables of :data:`ENV_KEYS`.

Sources are not merged: half the credentials from one place and half from another is a mistake waiting
to happen. ``deploy --dry-run --target snowflake`` needs no account: with no settings anywhere it plans
against an empty account (everything would be created) and says so on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .settings import default_db_path
from .warehouse.base import Warehouse

log = logging.getLogger("caves.targets")

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
ENV_KEYS = {
    "SNOWFLAKE_ACCOUNT": "account",
    "SNOWFLAKE_USER": "user",
    "SNOWFLAKE_PASSWORD": "password",
    "SNOWFLAKE_AUTHENTICATOR": "authenticator",
    "SNOWFLAKE_PRIVATE_KEY_FILE": "private_key_file",
    "SNOWFLAKE_PRIVATE_KEY_FILE_PWD": "private_key_file_pwd",
    "SNOWFLAKE_ROLE": "role",
    "SNOWFLAKE_WAREHOUSE": "warehouse",
    "SNOWFLAKE_DATABASE": "database",
    "SNOWFLAKE_SCHEMA": "schema",
    "SNOWFLAKE_HOST": "host",
    "SNOWFLAKE_PORT": "port",
    "SNOWFLAKE_PROTOCOL": "protocol",
}
_NO_CONNECTION_HELP = (
    "no Snowflake connection configured: pass --connection-file, add [connections.snowflake] to "
    ".streamlit/secrets.toml, or set SNOWFLAKE_ACCOUNT (and SNOWFLAKE_USER, ...)"
)


@dataclass(frozen=True)
class ConnectionSettings:
    """Connector keyword arguments and where they were found (for messages; never the values)."""

    settings: dict[str, Any]
    source: str


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from None


def _snowflake_table(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """``[connections.snowflake]`` of a secrets-shaped document."""
    connections = data.get("connections")
    table = connections.get("snowflake") if isinstance(connections, Mapping) else None
    return dict(table) if isinstance(table, Mapping) and table else None


def read_connection_file(path: str | Path) -> dict[str, Any]:
    """The connector settings of a TOML file: its ``[connections.snowflake]`` table, else its top-level keys."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"connection file not found: {path}")
    data = _read_toml(path)
    table = _snowflake_table(data)
    if table is None:
        table = {key: value for key, value in data.items() if not isinstance(value, Mapping)}
    if not table.get("account"):
        raise ValueError(f"{path}: no Snowflake account in [connections.snowflake] nor at the top level")
    return table


def connection_settings(
    connection_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> ConnectionSettings | None:
    """The Snowflake settings to use (see the module docstring for the order), or None when there are none."""
    if connection_file:
        return ConnectionSettings(read_connection_file(connection_file), f"--connection-file {connection_file}")
    secrets = Path(cwd or Path.cwd()) / SECRETS_FILE
    if secrets.is_file():
        table = _snowflake_table(_read_toml(secrets))
        if table is not None:
            return ConnectionSettings(table, str(SECRETS_FILE))
    env = os.environ if env is None else env
    if env.get("SNOWFLAKE_ACCOUNT"):
        settings: dict[str, Any] = {key: env[name] for name, key in ENV_KEYS.items() if env.get(name)}
        if "port" in settings:
            settings["port"] = int(settings["port"])
        return ConnectionSettings(settings, "SNOWFLAKE_* environment variables")
    return None


class EmptyAccount:
    """A Snowflake account where nothing exists yet: what a dry run plans against when there is no connection.

    Every query returns no row (so the deploy planner sees no database and plans to create everything);
    anything that would change the account is refused.
    """

    backend = "snowflake"

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """No row: nothing exists."""
        return pd.DataFrame()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Refused: there is no account to change."""
        raise ConnectionError(f"{_NO_CONNECTION_HELP} (only --dry-run works without one)")

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Refused, like :meth:`execute`."""
        self.execute(sql)
        return 0

    def execute_script(self, text: str) -> pd.DataFrame | None:
        """Refused, like :meth:`execute`."""
        self.execute(text)
        return None

    def close(self) -> None:
        """Nothing to close."""


def warehouse_for(args: argparse.Namespace) -> Warehouse:
    """The Warehouse for ``args.target``: the local engine on ``--db``, or Snowflake with the settings found
    by :func:`connection_settings` (``--connection-file`` when the command has it). For a dry run with no
    Snowflake settings, an :class:`EmptyAccount` (and a notice on stderr); otherwise no settings is an error.
    """
    if args.target == "local":
        from .warehouse.local import LocalWarehouse

        return LocalWarehouse(args.db or default_db_path())
    if args.target != "snowflake":
        raise ValueError(f"unknown --target {args.target!r}: expected local or snowflake")
    from .warehouse.snowflake import SnowflakeWarehouse, WarehouseConnectionError

    found = connection_settings(getattr(args, "connection_file", None))
    if found is None:
        if getattr(args, "dry_run", False):
            print(
                "No Snowflake connection configured: planning against an empty account (everything would be created).",
                file=sys.stderr,
            )
            return EmptyAccount()
        raise WarehouseConnectionError(_NO_CONNECTION_HELP)
    log.info("Connecting to Snowflake with the settings of %s", found.source)
    return SnowflakeWarehouse.from_settings(found.settings)
