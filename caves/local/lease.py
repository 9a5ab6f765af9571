"""Sharing one warehouse file between processes.

DuckDB lets one process at a time open a database file. A process holds the file only while it
works (a statement, a transaction, a scheduler tick) and hands it over when another process is
waiting: a waiter drops a marker file next to the warehouse, and the holder closes the file as
soon as its current work ends. The waiter retries with back-off and says that it is waiting.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator

import duckdb

from .errors import DamagedWarehouse, WarehouseBusy, is_damage

log = logging.getLogger("caves.local")

_QUANTUM_S = 0.05
_LOCK_MARKERS = ("Could not set lock on file", "Conflicting lock is held")


def _is_lock_conflict(exc: Exception) -> bool:
    return any(marker in str(exc) for marker in _LOCK_MARKERS)


class Lease:
    """A reference-counted, hand-over-able DuckDB connection to one warehouse file."""

    def __init__(
        self,
        path: str,
        on_open: Callable[[duckdb.DuckDBPyConnection], None],
        *,
        wait_timeout_s: float = 120.0,
        idle_close_s: float = 2.0,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.in_memory = path == ":memory:"
        self._on_open = on_open
        self._on_close = on_close
        self._wait_timeout_s = wait_timeout_s
        self._idle_close_s = idle_close_s
        self._lock = threading.RLock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._last_release = time.monotonic()
        self.generation = 0
        self._closed = False
        self._janitor: threading.Thread | None = None
        self._opened_at = 0.0
        self.wal_at_open = False  # a write-ahead log was pending when the file was last opened
        self.damaged: DamagedWarehouse | None = None

    # --- holding ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def hold(self) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release()

    def acquire(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._closed:
                raise RuntimeError("the engine is closed")
            if self.damaged is not None:
                raise self.damaged
            if self._conn is None:
                self._conn = self._open()
                self._opened_at = time.monotonic()
                self.generation += 1
                try:
                    self._on_open(self._conn)
                except BaseException as exc:
                    # Never keep a connection whose opening checks failed (the next acquire would skip them).
                    self._close_now()
                    if isinstance(exc, DamagedWarehouse):
                        self.damaged = exc
                    raise
                self._start_janitor()
            self._users += 1
            return self._conn

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            self._last_release = time.monotonic()
            # Hand the file over when someone waits, but not before a short quantum of work:
            # closing and reopening after every statement would cost more than it gives.
            held_for = time.monotonic() - self._opened_at
            if self._users == 0 and held_for > _QUANTUM_S and self._others_waiting():
                self._close_now()

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.in_memory:
            return duckdb.connect(":memory:")
        start = time.monotonic()
        marker = f"{self.path}.waiting-{os.getpid()}-{threading.get_ident()}"
        announced = False
        delay = 0.005
        try:
            while True:
                try:
                    self.wal_at_open = os.path.exists(self.path + ".wal")
                    return duckdb.connect(self.path)
                except duckdb.Error as exc:
                    if is_damage(exc):
                        raise DamagedWarehouse(self.path, str(exc)) from None
                    if not isinstance(exc, duckdb.IOException) or not _is_lock_conflict(exc):
                        raise
                    waited = time.monotonic() - start
                    if not announced:
                        with contextlib.suppress(OSError), open(marker, "w"):
                            pass
                    if not announced and waited > 1.0:
                        pid = re.search(r"PID (\d+)", str(exc))
                        holder = f"process {pid.group(1)}" if pid else "another process"
                        log.warning("warehouse %s is busy (held by %s); waiting for it…", self.path, holder)
                        announced = True
                    if waited > self._wait_timeout_s:
                        raise WarehouseBusy(self.path, waited, "held by another process") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.2)
        finally:
            with contextlib.suppress(OSError):
                os.remove(marker)

    def mark_damaged(self, exc: DamagedWarehouse) -> None:
        """The file failed its integrity check while in use: close it and refuse every later use."""
        with self._lock:
            self.damaged = exc
            if self._users == 0:
                self._close_now()

    def _others_waiting(self) -> bool:
        if self.in_memory:
            return False
        mine = f"{self.path}.waiting-{os.getpid()}-"
        return any(not m.startswith(mine) for m in glob.glob(glob.escape(self.path) + ".waiting-*"))

    # --- closing ---------------------------------------------------------------------------------

    def _close_now(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
            if self._on_close is not None:
                with contextlib.suppress(Exception):
                    self._on_close()

    def _start_janitor(self) -> None:
        if self.in_memory or self._janitor is not None:
            return
        self._janitor = threading.Thread(target=self._janitor_loop, name="caves-lease", daemon=True)
        self._janitor.start()

    def _janitor_loop(self) -> None:
        """Close the file when idle, so that another process gets it without waiting long."""
        while not self._closed:
            time.sleep(0.05)
            with self._lock:
                if self._conn is None or self._users:
                    continue
                idle = time.monotonic() - self._last_release
                held_for = time.monotonic() - self._opened_at
                if idle > self._idle_close_s or (held_for > _QUANTUM_S and self._others_waiting()):
                    self._close_now()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._close_now()
