"""Query records: one per statement the server was asked to run, its state and its answer, found by query id.

A record is what ``/monitoring/queries/{id}``, ``GET /queries/{id}/result``, ``RESULT_SCAN('{id}')`` and the abort
requests read. Records are kept server-wide (Snowflake lets any session of the user read a result by query id),
the most recent :data:`KEEP` of them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from ..local import Result

KEEP = 2_000

QUEUED, RUNNING, SUCCESS, FAILED, ABORTED = "QUEUED", "RUNNING", "SUCCESS", "FAILED_WITH_ERROR", "ABORTED"


@dataclass
class WireError(Exception):
    """A statement's failure as Snowflake reports it: a numeric code, a message and a SQLSTATE."""

    code: int
    message: str
    sqlstate: str = "42000"

    def __str__(self) -> str:
        return f"{self.code:06d} ({self.sqlstate}): {self.message}"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class QueryRecord:
    """One query: its text, who ran it, its state, and its answer (``data`` of the response) once done."""

    sql: str
    session_id: int
    request_id: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = QUEUED
    started_ms: int = field(default_factory=now_ms)
    ended_ms: int | None = None
    data: dict[str, Any] | None = None
    result: Result | None = None  # kept for RESULT_SCAN
    error: WireError | None = None
    future: Future | None = None

    @property
    def done(self) -> bool:
        return self.status in (SUCCESS, FAILED, ABORTED)

    def succeed(self, data: dict[str, Any], result: Result | None) -> None:
        self.data, self.result, self.status, self.ended_ms = data, result, SUCCESS, now_ms()

    def fail(self, error: WireError) -> None:
        self.error, self.status, self.ended_ms = error, FAILED, now_ms()

    def abort(self) -> None:
        self.error = WireError(604, "SQL execution canceled", "57014")
        self.status, self.ended_ms = ABORTED, now_ms()

    def monitoring(self) -> dict[str, Any]:
        """The entry of ``/monitoring/queries/{id}`` (the connector reads ``status``, ``errorCode``, ...)."""
        entry: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "state": self.status,
            "sqlText": self.sql,
            "startTime": self.started_ms,
            "endTime": self.ended_ms or 0,
            "totalDuration": (self.ended_ms or now_ms()) - self.started_ms,
            "sessionId": self.session_id,
        }
        if self.error is not None:
            entry["errorCode"] = f"{self.error.code:06d}"
            entry["errorMessage"] = self.error.message
        return entry


class QueryStore:
    """The server's query records by id (thread-safe; the oldest finished ones are forgotten past :data:`KEEP`)."""

    def __init__(self, keep: int = KEEP) -> None:
        self._records: OrderedDict[str, QueryRecord] = OrderedDict()
        self._by_request: dict[tuple[int, str], str] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def add(self, record: QueryRecord) -> QueryRecord:
        with self._lock:
            self._records[record.id] = record
            if record.request_id:
                self._by_request[(record.session_id, record.request_id)] = record.id
            while len(self._records) > self._keep:
                oldest = next(iter(self._records.values()))
                if not oldest.done:
                    break
                self._records.popitem(last=False)
                if oldest.request_id:
                    self._by_request.pop((oldest.session_id, oldest.request_id), None)
        return record

    def get(self, query_id: str) -> QueryRecord | None:
        with self._lock:
            return self._records.get(query_id)

    def by_request(self, session_id: int, request_id: str | None) -> QueryRecord | None:
        """The record of a request already received (the connector retries a request with the same id)."""
        if not request_id:
            return None
        with self._lock:
            query_id = self._by_request.get((session_id, request_id))
            return self._records.get(query_id) if query_id else None

    def records(self) -> list[QueryRecord]:
        """Every record kept, oldest first."""
        with self._lock:
            return list(self._records.values())
