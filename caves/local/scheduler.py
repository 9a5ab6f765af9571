"""The task scheduler: runs started task graphs on their schedules (SNOWFLAKE_SEMANTICS.md §2, §6.20).

Interval schedules count from the root's last RESUME; cron schedules use their stated time zone.
``time_scale`` shrinks intervals so a demo can run ``1 MINUTE`` tasks every few seconds. Scheduled
times that pass while a graph runs are skipped, never queued (§2.2), and two runs of one graph never
overlap, even across processes (see taskruns.run_graph).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from . import alerts
from .engine import Engine
from .names import INTERNAL_SCHEMA, ObjectName, quote
from .taskruns import RunOutcome, run_graph
from .tasks import latest_due, reconcile_scheduled_runs

log = logging.getLogger("caves.scheduler")

_S = quote(INTERNAL_SCHEMA)


@dataclass(frozen=True)
class DueRun:
    root: ObjectName
    scheduled_time: dt.datetime


def _started_roots(engine: Engine) -> list[tuple]:
    with engine.session() as s:
        return s.query_internal(
            f"SELECT DATABASE_NAME, SCHEMA_NAME, NAME, SCHEDULE, SCHEDULE_ANCHOR, LAST_SCHEDULED_TIME, CONDITION "
            f"FROM {_S}.TASKS WHERE STATE = 'started' AND (PREDECESSORS IS NULL OR PREDECESSORS = '[]') "
            "AND FINALIZE IS NULL "
            "ORDER BY DATABASE_NAME, SCHEMA_NAME, NAME"
        )


def due_runs(engine: Engine, now: dt.datetime, time_scale: float = 1.0) -> list[DueRun]:
    runs = []
    for database, schema, name, schedule, anchor, last, _condition in _started_roots(engine):
        if not schedule:
            continue  # a root without SCHEDULE runs only through EXECUTE TASK
        due = latest_due(schedule, anchor or now, last, now, time_scale)
        if due is not None:
            runs.append(DueRun(ObjectName(database, schema, name), due))
    return runs


def _mark_scheduled(engine: Engine, root: ObjectName, when: dt.datetime) -> None:
    """The run at ``when`` starts now: its SCHEDULED row gives way to the run's rows, the next one is listed."""
    with engine.session() as s, engine.write_lock, s.cursor() as cur:
        cur.execute(
            f"UPDATE {_S}.TASKS SET LAST_SCHEDULED_TIME = ? WHERE DATABASE_NAME = ? AND SCHEMA_NAME = ? AND NAME = ?",
            [when, root.database, root.schema, root.name],
        )
        reconcile_scheduled_runs(cur, engine.clock(), engine.schedule_scale)


def _reconcile(engine: Engine) -> None:
    with engine.session() as s, engine.write_lock, s.cursor() as cur:
        reconcile_scheduled_runs(cur, engine.clock(), engine.schedule_scale)


def tick(engine: Engine, now: dt.datetime | None = None, time_scale: float = 1.0) -> list[RunOutcome]:
    """Run every graph whose scheduled time has come."""
    now = now or engine.clock()
    if engine.schedule_scale != time_scale:
        # The SCHEDULED rows written so far (a RESUME, a deploy) counted at the old pace: list them at this one.
        engine.schedule_scale = time_scale
        _reconcile(engine)
    outcomes = []
    for due in due_runs(engine, now, time_scale):
        _mark_scheduled(engine, due.root, due.scheduled_time)
        outcome = run_graph(engine, due.root, scheduled_time=due.scheduled_time, scheduled_from="SCHEDULE")
        log.info("task graph %s: %s", due.root.fqn, outcome.state)
        outcomes.append(outcome)
    alerts.tick(engine, now, time_scale)  # started alerts whose schedule has come (caves/local/alerts.py)
    return outcomes


def run_started_graphs(engine: Engine, only: set[ObjectName] | None = None) -> list[RunOutcome]:
    """Run every started graph now (or those in ``only``), as the scheduler would at its next tick."""
    now = engine.clock()
    outcomes = []
    for database, schema, name, *_rest in _started_roots(engine):
        root = ObjectName(database, schema, name)
        if only is not None and root not in only:
            continue
        _mark_scheduled(engine, root, now)
        outcomes.append(run_graph(engine, root, scheduled_time=now, scheduled_from="SCHEDULE"))
    return outcomes


def run_until_idle(engine: Engine, max_rounds: int = 1000) -> list[RunOutcome]:
    """Run the started graphs, then again those gated by a WHEN condition, until every WHEN says idle.

    A root without WHEN (say, a nightly retention task) runs once: it has no notion of "more work".
    """
    gated = {ObjectName(d, s, n) for d, s, n, *_r, condition in _started_roots(engine) if condition}
    outcomes = run_started_graphs(engine)
    last = outcomes
    pending = _pending_streams(engine)
    for _ in range(max_rounds):
        if any(o.state.startswith("FAILED") for o in last):
            break  # a failing graph would fail again; stop and let the caller report it
        busy = {ObjectName(*o.root.split(".", 2)) for o in last if o.state == "SUCCEEDED"} & gated
        if not busy:
            break
        last = run_started_graphs(engine, only=busy)
        outcomes = [*outcomes, *last]
        now_pending = _pending_streams(engine)
        if now_pending == pending:
            # The graphs ran but the same streams still wait (say, behind a suspended child): no progress to make.
            break
        pending = now_pending
    return outcomes


def _pending_streams(engine: Engine) -> set[str]:
    """The streams that have data now (SYSTEM$STREAM_HAS_DATA)."""
    with engine.session() as s:
        names = [
            f"{d}.{sc}.{n}"
            for d, sc, n in s.query_internal(f"SELECT DATABASE_NAME, SCHEMA_NAME, NAME FROM {_S}.STREAMS")
        ]
        # The function takes a literal name (it is resolved when the statement is compiled); these names
        # come from the engine's own catalog, quotes doubled.
        return {
            name
            for name in names
            if s.execute(f"SELECT SYSTEM$STREAM_HAS_DATA('{name.replace(chr(39), chr(39) * 2)}')").scalar()
        }


class Scheduler:
    """A background thread calling ``tick`` every ``poll_s`` seconds until stopped."""

    def __init__(self, engine: Engine, *, time_scale: float = 1.0, poll_s: float = 0.5) -> None:
        self.engine = engine
        self.time_scale = time_scale
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        self.last_tick: dt.datetime | None = None

    def start(self) -> Scheduler:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="caves-scheduler", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                tick(self.engine, time_scale=self.time_scale)
                self.last_error = None
            except Exception as exc:  # the scheduler must outlive any one failure; runs record their own errors
                self.last_error = str(exc)
                log.warning("scheduler tick failed: %s", exc)
            self.last_tick = self.engine.clock()
            self._stop.wait(self.poll_s)
