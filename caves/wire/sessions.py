"""Snowflake sessions on the local engine: one engine session each, its tokens, and its own worker.

Every statement of a session runs in that session's single worker thread, in the order received: the worker's
queue is the session's lock (two requests of one session never run at once, as the engine's ``Session`` is not
shared between threads), while different sessions run side by side like Snowflake sessions (the engine serialises
their writes and shares the warehouse file between processes through its lease, as it does for any caller).
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import secrets
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..local import Engine, Session
from .queries import QueryRecord, WireError

# Snowflake's defaults: a session token lives an hour, the master token that renews it four.
SESSION_VALIDITY_S = 3_600
MASTER_VALIDITY_S = 14_400

SESSION_GONE = WireError(390_111, "Session no longer exists.  New login required to access the service.", "08001")
SESSION_EXPIRED = WireError(390_112, "Session token expired.", "08001")
MASTER_EXPIRED = WireError(390_114, "Authentication token has expired.  The user must authenticate again.", "08001")


def _token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class WireSession:
    """One Snowflake session: its engine session, tokens, settings, and the worker its statements run in."""

    id: int
    engine: Session
    user: str
    role: str | None = None
    warehouse: str | None = None
    autocommit: bool = True
    multi_statement_count: int = 1
    token: str = field(default_factory=_token)
    master_token: str = field(default_factory=_token)
    token_expires: float = 0.0
    master_expires: float = 0.0
    last_query_id: str | None = None
    worker: ThreadPoolExecutor = field(init=False)
    pending: dict[Future, QueryRecord] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"caves-wire-session-{self.id}")

    def context(self) -> dict[str, Any]:
        """The ``final*Name`` fields of an answer: where the session is now (USE changes it)."""
        return {
            "finalDatabaseName": self.engine.database,
            "finalSchemaName": self.engine.schema,
            "finalWarehouseName": self.warehouse,
            "finalRoleName": self.role,
        }

    def submit(self, record: QueryRecord, work: Any) -> Future:
        """Queue ``work()`` after this session's earlier statements; the record says QUEUED until it starts."""
        future = self.worker.submit(work)
        record.future = future
        self.pending[future] = record
        future.add_done_callback(self._settle)
        return future

    def _settle(self, future: Future) -> None:
        record = self.pending.pop(future, None)
        if record is not None and future.cancelled():
            record.abort()  # dropped before it started: nothing of it ran

    def cancel_queued(self) -> None:
        """Drop every statement still waiting for the worker (a running one finishes)."""
        for future in list(self.pending):
            future.cancel()


class SessionRegistry:
    """The server's sessions by token, created at login and closed at logout (or when the server stops)."""

    def __init__(
        self,
        engine: Engine,
        *,
        session_validity_s: float = SESSION_VALIDITY_S,
        master_validity_s: float = MASTER_VALIDITY_S,
    ) -> None:
        self.engine = engine
        self.session_validity_s = session_validity_s
        self.master_validity_s = master_validity_s
        self._by_token: dict[str, WireSession] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def open(self, user: str, database: str | None, schema: str | None, **settings: Any) -> WireSession:
        """A new session on a new engine session (current database and schema as the login asked)."""
        engine_session = self.engine.session(database=database, schema=schema)
        wire = WireSession(id=next(self._ids), engine=engine_session, user=user, **settings)
        self._stamp(wire)
        with self._lock:
            self._by_token[wire.token] = wire
        return wire

    def _stamp(self, wire: WireSession, *, master: bool = True) -> None:
        now = time.monotonic()
        wire.token_expires = now + self.session_validity_s
        if master:
            wire.master_expires = now + self.master_validity_s

    def _find(self, token: str | None) -> WireSession | None:
        if not token:
            return None
        with self._lock:
            for known, wire in self._by_token.items():
                if hmac.compare_digest(known, token):
                    return wire
        return None

    def by_session_token(self, token: str | None) -> WireSession:
        """The session of a request's session token; Snowflake's error when it is unknown or expired."""
        wire = self._find(token)
        if wire is None:
            raise SESSION_GONE
        if time.monotonic() > wire.token_expires:
            raise SESSION_EXPIRED
        return wire

    def renew(self, master_token: str | None, old_session_token: str | None) -> WireSession:
        """Token renewal: a new session token for the session whose master token this is."""
        wire = self._find(old_session_token)
        if wire is None or not master_token or not hmac.compare_digest(wire.master_token, master_token):
            raise SESSION_GONE
        if time.monotonic() > wire.master_expires:
            raise MASTER_EXPIRED
        with self._lock:
            self._by_token.pop(wire.token, None)
            wire.token = _token()
            self._by_token[wire.token] = wire
        self._stamp(wire, master=False)
        return wire

    def close(self, wire: WireSession) -> None:
        """Log out: queued statements are dropped, the running one finishes, then the engine session closes
        (an open transaction is rolled back, as Snowflake does)."""
        with self._lock:
            self._by_token.pop(wire.token, None)
        wire.cancel_queued()
        done = wire.worker.submit(wire.engine.close)
        wire.worker.shutdown(wait=False)
        with contextlib.suppress(Exception):
            done.result(timeout=30)

    def expire_all(self, *, master: bool = False) -> None:
        """Make every session token (and with ``master`` every master token) expire now: the connector's token
        renewal, and its failure, as after hours of idleness."""
        with self._lock:
            for wire in self._by_token.values():
                wire.token_expires = 0.0
                if master:
                    wire.master_expires = 0.0

    def forget_all(self) -> None:
        """Close every session (the server forgets them all, as after a restart)."""
        with self._lock:
            sessions = list(self._by_token.values())
        for wire in sessions:
            self.close(wire)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_token)
