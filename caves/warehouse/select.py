"""Which backend to use, and opening it: the one place that knows all three.

``choose_backend`` is pure (secrets and environment in, a name out; no Streamlit import) so the app, the CLI
and the tests decide the same way. ``open_warehouse`` imports each backend only when it is chosen: in
Streamlit in Snowflake nothing outside the Snowflake Anaconda channel may be imported, so the local engine
(``caves.local``, DuckDB) is never loaded on the ``sis`` path, nor the connector's settings on the local one.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .base import Warehouse

BACKENDS = ("local", "snowflake", "sis")
OVERRIDE_VARIABLE = "CAVES_BACKEND"


def snowpark_session_active() -> bool:
    """Whether a Snowpark session is active (always the case in Streamlit in Snowflake)."""
    try:
        if importlib.util.find_spec("snowflake.snowpark") is None:
            return False
    except ModuleNotFoundError:  # not even the ``snowflake`` namespace package
        return False
    try:
        from snowflake.snowpark.context import get_active_session

        get_active_session()
    except Exception:  # no session: Snowpark raises its own exception type
        return False
    return True


def snowflake_settings(secrets: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The ``[connections.snowflake]`` table of Streamlit secrets as a plain dict, or None when absent/empty."""
    if not secrets:
        return None
    connections = secrets.get("connections")
    table = connections.get("snowflake") if isinstance(connections, Mapping) else None
    if not isinstance(table, Mapping) or not table:
        return None
    return _plain(table)


def _plain(table: Mapping[str, Any]) -> dict[str, Any]:
    # st.secrets tables are read-only mappings; the connector type-checks some values (session_parameters) as dict
    return {str(key): _plain(value) if isinstance(value, Mapping) else value for key, value in table.items()}


def choose_backend(
    secrets: Mapping[str, Any] | None,
    env: Mapping[str, str],
    *,
    session_active: Callable[[], bool] = snowpark_session_active,
) -> str:
    """``"sis"``, ``"snowflake"`` or ``"local"``.

    ``CAVES_BACKEND`` in ``env`` wins when set (ValueError if it names no backend). Otherwise ``"sis"`` when a
    Snowpark session is active (``session_active``, injectable for tests), ``"snowflake"`` when ``secrets``
    (``st.secrets`` or any mapping of the same shape) has a non-empty ``[connections.snowflake]``, else
    ``"local"``, which needs no account. Pass ``secrets=None`` when the app has no secrets file (reading
    ``st.secrets`` then raises).
    """
    override = (env.get(OVERRIDE_VARIABLE) or "").strip().lower()
    if override:
        if override not in BACKENDS:
            raise ValueError(f"{OVERRIDE_VARIABLE}={override!r}: expected one of {', '.join(BACKENDS)}")
        return override
    if session_active():
        return "sis"
    if snowflake_settings(secrets) is not None:
        return "snowflake"
    return "local"


def open_warehouse(
    kind: str,
    *,
    secrets: Mapping[str, Any] | None = None,
    connection: Any | None = None,
    session: Any | None = None,
    db_path: str | Path | None = None,
) -> Warehouse:
    """Open the backend ``kind`` (from :func:`choose_backend`).

    * ``sis``: the given Snowpark ``session``, or the active one;
    * ``snowflake``: the given connector ``connection`` (e.g. ``st.connection("snowflake").raw_connection``),
      else a new one from ``secrets["connections"]["snowflake"]``; WarehouseConnectionError when neither;
    * ``local``: the embedded engine on ``db_path`` (default ``$CAVES_DB`` or ``.caves/warehouse.duckdb``).
    """
    if kind == "sis":
        from .sis import SisWarehouse

        return SisWarehouse(session)
    if kind == "snowflake":
        from .snowflake import SnowflakeWarehouse, WarehouseConnectionError

        if connection is not None:
            return SnowflakeWarehouse.from_connection(connection)
        settings = snowflake_settings(secrets)
        if settings is None:
            raise WarehouseConnectionError(
                "no Snowflake connection configured: add a [connections.snowflake] table to .streamlit/secrets.toml"
            )
        return SnowflakeWarehouse.from_settings(settings)
    if kind == "local":
        from ..settings import default_db_path
        from .local import LocalWarehouse

        return LocalWarehouse(db_path or default_db_path())
    raise ValueError(f"unknown backend {kind!r}: expected one of {', '.join(BACKENDS)}")
