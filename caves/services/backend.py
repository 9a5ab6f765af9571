"""Which warehouse the console talks to: chosen once, in :func:`get_backend`.

The choice itself is :func:`caves.warehouse.select.choose_backend` (``CAVES_BACKEND``, then an active
Snowpark session — Streamlit in Snowflake —, then ``[connections.snowflake]`` in the secrets, else the
local engine). The local backend comes with its :class:`caves.runtime.LocalRuntime` (deploy and seed on
first start, task scheduler, live simulator); it is imported only when chosen, because DuckDB does not
exist in Streamlit in Snowflake.

Environment (local backend):

* ``CAVES_DB`` — the local warehouse file (default ``.caves/warehouse.duckdb``);
* ``CAVES_BACKGROUND=off`` — do not start the task scheduler and the live simulator (tests, screenshots:
  the data then stays put while it is checked).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from caves.settings import Settings, default_db_path
from caves.warehouse.base import Warehouse
from caves.warehouse.select import choose_backend, open_warehouse

if TYPE_CHECKING:  # only for the annotation: importing it loads DuckDB
    from caves.runtime import LocalRuntime

__all__ = ["Backend", "background_enabled", "get_backend"]

Progress = Callable[[float, str], None]


def background_enabled() -> bool:
    """False when ``CAVES_BACKGROUND`` is ``off`` / ``0`` / ``false`` / ``no``."""
    return os.environ.get("CAVES_BACKGROUND", "on").strip().lower() not in {"off", "0", "false", "no"}


@dataclass
class Backend:
    """A warehouse and what keeps it alive. ``kind`` is ``local``, ``snowflake`` or ``sis``; ``key``
    identifies the warehouse in cache keys (two backends never share cached results)."""

    kind: str
    warehouse: Warehouse
    key: str
    runtime: LocalRuntime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ready: bool = field(default=False, repr=False)

    @property
    def ready(self) -> bool:
        return self._ready

    def prepare(self, progress: Progress) -> None:
        """First start, once per process: deploy and seed the local warehouse if needed, then start the
        scheduler and the live simulator. Concurrent sessions wait for the first one to finish. Nothing to
        do on Snowflake: its deployment is an admin action, its scheduler is Snowflake's."""
        with self._lock:
            if self._ready:
                return
            if self.runtime is not None:
                # With the background off, an existing shop is not caught up either: the figures stay put.
                self.runtime.prepare(progress, catch_up=background_enabled())
                if background_enabled():
                    self.runtime.start_background()
            self._ready = True


def get_backend(settings: Settings, secrets: Mapping[str, Any] | None = None) -> Backend:
    """The console's backend. The one place where the app makes the choice; ``secrets`` are Streamlit's
    (None when there is no secrets file)."""
    kind = choose_backend(secrets, os.environ)
    if kind == "local":
        from caves.runtime import LocalRuntime

        path = default_db_path()
        runtime = LocalRuntime(path, settings.local)
        return Backend(kind="local", warehouse=runtime.warehouse, key=f"local:{path}", runtime=runtime)
    return Backend(kind=kind, warehouse=open_warehouse(kind, secrets=secrets), key=kind)
