"""What the pipeline's task runs cost in Snowflake credits, and what a change of schedule, size or compute model
would cost instead. Pure functions over run intervals (no Streamlit, no warehouse access).

The runs come from ``TASK_HISTORY()`` (the ``08_monitoring/task_cost_runs`` catalog query, or any frame with its
columns). This module holds the one copy of the formulas; the catalog queries only provide intervals and counts.

Billing rules, each from the Snowflake documentation page cited beside it:

* a user-managed warehouse is billed per second while it runs, with a 60-second minimum each time it starts or
  resumes; it runs from its resume until ``AUTO_SUSPEND`` seconds after its last query, so runs closer together
  than that share one resume (and one minimum), and the idle tail is billed too;
* a serverless task is billed for the compute it actually uses, per second, no minimum; Snowflake sizes it
  itself, so the estimate takes the size the task starts with (``USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE``,
  ``XSMALL`` in ``deploy_sql/60_tasks.sql``) and a multiplier from the settings. On a real account the billed
  figures are read from ``SERVERLESS_TASK_HISTORY`` instead (:mod:`caves.services.cost_service`);
* a SKIPPED run (the WHEN condition was false) uses no warehouse: ``SYSTEM$STREAM_HAS_DATA`` is evaluated by the
  cloud services layer, whose usage is billed only above 10 % of the day's compute, so it is counted as 0.

What-if assumptions (stated, and configurable where a number is involved):

* another schedule: the runs of a task that fall in one interval of the new schedule become one run at the end
  of that interval. The work of a run is taken as proportional to the changes it processes, so the new run does
  the work of the runs it absorbs, and the fixed per-run overhead (the shortest working run of the task, i.e. a
  run that moved almost nothing, unless the settings give a value) is paid once instead of once per run;
* another warehouse size: each size step doubles the compute power and the credits per hour (Snowflake: "each
  increase in size ... approximately doubles the computing power and the number of credits billed per full
  hour"); by Amdahl's law the parallelisable share ``p`` of a run's duration halves per step and the rest does
  not: ``d' = d * (p / 2**steps + (1 - p))``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

__all__ = [
    "COMPUTE_MODELS",
    "CREDITS_PER_HOUR",
    "DOCS",
    "MINIMUM_BILLED_SECONDS",
    "SIZES",
    "SKIPPED_STATES",
    "CostModel",
    "Summary",
    "TaskRun",
    "WarehouseSession",
    "aggregate",
    "credits_per_hour",
    "normalize_size",
    "parse_interval",
    "per_run_overhead",
    "reschedule",
    "resize",
    "run_credits",
    "run_table",
    "runs_from_frame",
    "serverless_credits",
    "serverless_run_credits",
    "summary",
    "warehouse_credits",
    "warehouse_run_credits",
    "warehouse_sessions",
]

# The pages every constant below is taken from.
DOCS = {
    # Warehouse sizes and their credits per hour (Gen1 standard warehouses).
    "warehouse_sizes": "https://docs.snowflake.com/en/user-guide/warehouses-overview",
    # Per-second billing, 60-second minimum each time a warehouse starts or resumes; sizes double the rate.
    "compute_cost": "https://docs.snowflake.com/en/user-guide/cost-understanding-compute",
    # Serverless tasks: Snowflake-managed compute, sized from the task's recent runs.
    "tasks": "https://docs.snowflake.com/en/user-guide/tasks-intro",
    # Billed serverless credits per task (what a real account reads instead of the estimate).
    "serverless_task_history": "https://docs.snowflake.com/en/sql-reference/functions/serverless_task_history",
    "serverless_task_history_view": "https://docs.snowflake.com/en/sql-reference/account-usage/serverless_task_history",
    # WHEN SYSTEM$STREAM_HAS_DATA: a false condition skips the run and avoids resuming a warehouse.
    "stream_has_data": "https://docs.snowflake.com/en/sql-reference/functions/system_stream_has_data",
    # Cloud services are billed only above 10 % of the day's compute usage.
    "cloud_services": "https://docs.snowflake.com/en/user-guide/admin-usage-billing",
    # Since bundle 2024_06, a scheduled task with a stream WHEN runs only when the stream has data (fewer SKIPPED).
    "fewer_skipped": "https://docs.snowflake.com/en/release-notes/bcr-bundles/2024_06/bcr-1710",
}

# Credits per hour of a standard (Gen1) warehouse by size: https://docs.snowflake.com/en/user-guide/warehouses-overview
# (table "Warehouse size"), also https://docs.snowflake.com/en/user-guide/cost-understanding-compute.
CREDITS_PER_HOUR: dict[str, float] = {
    "XSMALL": 1,
    "SMALL": 2,
    "MEDIUM": 4,
    "LARGE": 8,
    "XLARGE": 16,
    "XXLARGE": 32,
    "XXXLARGE": 64,
    "X4LARGE": 128,
    "X5LARGE": 256,
    "X6LARGE": 512,
}
SIZES = tuple(CREDITS_PER_HOUR)
_SIZE_ALIASES = {
    "XS": "XSMALL", "X-SMALL": "XSMALL", "S": "SMALL", "M": "MEDIUM", "L": "LARGE", "XL": "XLARGE",
    "X-LARGE": "XLARGE", "2XLARGE": "XXLARGE", "2X-LARGE": "XXLARGE", "2XL": "XXLARGE", "3XLARGE": "XXXLARGE",
    "3X-LARGE": "XXXLARGE", "3XL": "XXXLARGE", "4XLARGE": "X4LARGE", "4X-LARGE": "X4LARGE", "4XL": "X4LARGE",
    "5XLARGE": "X5LARGE", "5X-LARGE": "X5LARGE", "5XL": "X5LARGE", "6XLARGE": "X6LARGE", "6X-LARGE": "X6LARGE",
    "6XL": "X6LARGE",
}  # fmt: skip

# "Credits are billed per-second, with a 60-second (i.e. 1-minute) minimum: each time a warehouse is started or
# resumed, the warehouse is billed for 1 minute's worth of usage":
# https://docs.snowflake.com/en/user-guide/cost-understanding-compute
MINIMUM_BILLED_SECONDS = 60.0

# A run in these states used no warehouse: the WHEN condition was false (cloud services only, see DOCS).
SKIPPED_STATES = frozenset({"SKIPPED"})
COMPUTE_MODELS = ("serverless", "warehouse")
_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class CostModel:
    """How runs are billed: the inputs of every formula of this module (from ``CostSettings``)."""

    compute_model: str = "serverless"
    warehouse_size: str = "XSMALL"
    auto_suspend_seconds: float = 60.0
    serverless_multiplier: float = 1.0
    serverless_size: str = "XSMALL"
    price_per_credit: float = 3.0
    # None: estimated per task from the history (its shortest working run); see per_run_overhead().
    per_run_overhead_seconds: float | None = None
    parallel_fraction: float = 1.0

    def __post_init__(self) -> None:
        if self.compute_model not in COMPUTE_MODELS:
            raise ValueError(f"compute model must be one of {', '.join(COMPUTE_MODELS)}, not {self.compute_model!r}")
        object.__setattr__(self, "warehouse_size", normalize_size(self.warehouse_size))
        object.__setattr__(self, "serverless_size", normalize_size(self.serverless_size))
        if self.auto_suspend_seconds <= 0:
            # Snowflake reads AUTO_SUSPEND = 0 (or NULL) as "never suspend", which this model does not cover.
            raise ValueError("auto_suspend_seconds must be > 0 (AUTO_SUSPEND = 0 means never suspend)")
        if self.serverless_multiplier <= 0 or self.price_per_credit < 0:
            raise ValueError("serverless_multiplier must be > 0 and price_per_credit >= 0")
        if self.per_run_overhead_seconds is not None and self.per_run_overhead_seconds < 0:
            raise ValueError("per_run_overhead_seconds must be >= 0")
        if not 0.0 <= self.parallel_fraction <= 1.0:
            raise ValueError("parallel_fraction must be between 0 and 1")

    def with_changes(self, **changes: Any) -> CostModel:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class TaskRun:
    """One row of TASK_HISTORY: a run of a task (``graph`` is its root task's name, when known)."""

    name: str
    state: str
    scheduled_time: dt.datetime
    query_start_time: dt.datetime | None = None
    completed_time: dt.datetime | None = None
    graph: str | None = None

    @property
    def did_work(self) -> bool:
        """The run executed its body (it was not skipped and has a start and an end)."""
        return (
            self.state not in SKIPPED_STATES and self.query_start_time is not None and self.completed_time is not None
        )

    @property
    def duration_s(self) -> float:
        """Seconds from query start to completion (0 for a skipped run)."""
        if not self.did_work:
            return 0.0
        assert self.query_start_time is not None and self.completed_time is not None
        return max(0.0, (self.completed_time - self.query_start_time).total_seconds())


@dataclass(frozen=True)
class WarehouseSession:
    """The warehouse running once: resumed at ``start``, suspended ``auto_suspend`` seconds after ``last_end``."""

    start: dt.datetime
    last_end: dt.datetime
    suspended_at: dt.datetime
    runs: tuple[int, ...]  # indexes into the runs given to warehouse_sessions()

    @property
    def billed_seconds(self) -> float:
        """Running time, at least the 60-second minimum of a resume."""
        return max(MINIMUM_BILLED_SECONDS, (self.suspended_at - self.start).total_seconds())


# ------------------------------------------------------------------------------------------------- inputs


def normalize_size(size: str) -> str:
    """``XS``, ``X-Small``, ``xsmall`` → ``XSMALL`` (Snowflake's WAREHOUSE_SIZE names); ValueError if unknown."""
    key = str(size).strip().upper().replace("_", "").replace(" ", "")
    key = _SIZE_ALIASES.get(key, key)
    if key not in CREDITS_PER_HOUR:
        raise ValueError(f"unknown warehouse size {size!r}; one of {', '.join(SIZES)}")
    return key


def credits_per_hour(size: str) -> float:
    """Credits per full hour of a standard warehouse of ``size`` (XSMALL = 1, each step doubles)."""
    return CREDITS_PER_HOUR[normalize_size(size)]


def parse_interval(text: str) -> float:
    """A schedule interval in seconds: ``5m``, ``5 MINUTE``, ``90s``, ``1h``, or a bare number of minutes."""
    raw = str(text).strip().lower()
    units = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "minute": 60, "minutes": 60}
    units |= {"h": 3600, "hour": 3600, "hours": 3600}
    number = raw.rstrip("abcdefghijklmnopqrstuvwxyz ").strip()
    unit = raw[len(number) :].strip() or "minute"
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a schedule interval: {text!r} (say 5m, 90s or 1h)") from None
    if unit not in units or value <= 0:
        raise ValueError(f"not a schedule interval: {text!r} (say 5m, 90s or 1h)")
    return value * units[unit]


def _moment(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.to_pydatetime()


def runs_from_frame(frame: pd.DataFrame) -> list[TaskRun]:
    """TaskRuns from a TASK_HISTORY-shaped frame (``NAME, STATE, SCHEDULED_TIME, QUERY_START_TIME,
    COMPLETED_TIME``, optional ``GRAPH_NAME``); runs still SCHEDULED or EXECUTING are left out."""
    runs = []
    has_graph = "GRAPH_NAME" in frame.columns
    for row in frame.itertuples(index=False):
        state = str(row.STATE)
        if state in ("SCHEDULED", "EXECUTING"):
            continue
        scheduled = _moment(row.SCHEDULED_TIME)
        if scheduled is None:
            continue
        graph = row.GRAPH_NAME if has_graph else None
        runs.append(
            TaskRun(
                name=str(row.NAME),
                state=state,
                scheduled_time=scheduled,
                query_start_time=_moment(row.QUERY_START_TIME),
                completed_time=_moment(row.COMPLETED_TIME),
                graph=None if graph is None or (isinstance(graph, float) and math.isnan(graph)) else str(graph),
            )
        )
    return runs


# ------------------------------------------------------------------------------------------------- warehouse


def warehouse_sessions(runs: Sequence[TaskRun], auto_suspend_s: float) -> list[WarehouseSession]:
    """Simulate the warehouse's resume/suspend timeline over the runs that did work.

    The warehouse resumes at the first start; it stays up while runs overlap or follow each other within
    ``auto_suspend_s`` seconds of the last end, and suspends ``auto_suspend_s`` seconds after the last end of
    its session. Skipped runs never resume it. ``auto_suspend_s = 0`` is the idealisation of a warehouse that
    suspends the instant it is idle (Snowflake itself reads ``AUTO_SUSPEND = 0`` as "never suspend"). The idle
    tail of the last session is billed in full, even past the end of the history.
    """
    working = sorted(
        (i for i, run in enumerate(runs) if run.did_work),
        key=lambda i: (runs[i].query_start_time, runs[i].completed_time),
    )
    idle = dt.timedelta(seconds=auto_suspend_s)
    sessions: list[WarehouseSession] = []
    start: dt.datetime | None = None
    last_end: dt.datetime | None = None
    members: list[int] = []
    for i in working:
        run_start, run_end = runs[i].query_start_time, runs[i].completed_time
        assert run_start is not None and run_end is not None
        if start is None or last_end is None or run_start > last_end + idle:
            if start is not None and last_end is not None:
                sessions.append(WarehouseSession(start, last_end, last_end + idle, tuple(members)))
            start, last_end, members = run_start, run_end, []
        last_end = max(last_end, run_end)
        members.append(i)
    if start is not None and last_end is not None:
        sessions.append(WarehouseSession(start, last_end, last_end + idle, tuple(members)))
    return sessions


def warehouse_run_credits(runs: Sequence[TaskRun], size: str, auto_suspend_s: float) -> list[float]:
    """Credits of each run on a user-managed warehouse: each session's billed credits (minimum and idle tail
    included) shared among its runs in proportion to their durations (equally if all last 0 s)."""
    rate = credits_per_hour(size) / _SECONDS_PER_HOUR
    out = [0.0] * len(runs)
    for session in warehouse_sessions(runs, auto_suspend_s):
        credits = session.billed_seconds * rate
        busy = [runs[i].duration_s for i in session.runs]
        total = sum(busy)
        for i, seconds in zip(session.runs, busy, strict=True):
            out[i] = credits * (seconds / total if total > 0 else 1 / len(session.runs))
    return out


def warehouse_credits(runs: Sequence[TaskRun], size: str, auto_suspend_s: float) -> float:
    """Credits billed for the runs on one user-managed warehouse of ``size`` with ``AUTO_SUSPEND`` seconds."""
    rate = credits_per_hour(size) / _SECONDS_PER_HOUR
    return sum(session.billed_seconds for session in warehouse_sessions(runs, auto_suspend_s)) * rate


# ------------------------------------------------------------------------------------------------- serverless


def serverless_run_credits(runs: Sequence[TaskRun], multiplier: float, size: str = "XSMALL") -> list[float]:
    """Estimated credits of each run as a serverless task: its duration at ``size``'s hourly rate, times the
    serverless multiplier; per second, no minimum; 0 for a skipped run."""
    rate = credits_per_hour(size) * multiplier / _SECONDS_PER_HOUR
    return [run.duration_s * rate for run in runs]


def serverless_credits(runs: Sequence[TaskRun], multiplier: float, size: str = "XSMALL") -> float:
    """Estimated credits of the runs as serverless tasks (see :func:`serverless_run_credits`)."""
    return sum(serverless_run_credits(runs, multiplier, size))


# ------------------------------------------------------------------------------------------------- the model


def run_credits(runs: Sequence[TaskRun], model: CostModel) -> list[float]:
    """Each run's credits under ``model`` (serverless or one shared warehouse)."""
    if model.compute_model == "warehouse":
        return warehouse_run_credits(runs, model.warehouse_size, model.auto_suspend_seconds)
    return serverless_run_credits(runs, model.serverless_multiplier, model.serverless_size)


def run_table(runs: Sequence[TaskRun], model: CostModel) -> pd.DataFrame:
    """One row per run: ``DAY, NAME, GRAPH_NAME, STATE, DID_WORK, DURATION_SEC, CREDITS, COST``."""
    credits = run_credits(runs, model)
    return pd.DataFrame(
        {
            "DAY": [run.scheduled_time.date() for run in runs],
            "NAME": [run.name for run in runs],
            "GRAPH_NAME": [run.graph or run.name for run in runs],
            "STATE": [run.state for run in runs],
            "DID_WORK": [run.did_work for run in runs],
            "DURATION_SEC": [run.duration_s for run in runs],
            "CREDITS": credits,
            "COST": [c * model.price_per_credit for c in credits],
        },
        columns=["DAY", "NAME", "GRAPH_NAME", "STATE", "DID_WORK", "DURATION_SEC", "CREDITS", "COST"],
    )


def aggregate(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Totals of a :func:`run_table` per ``DAY``, ``NAME`` (task) or ``GRAPH_NAME``: ``RUNS, WORK_RUNS, SKIPPED_RUNS,
    SKIPPED_PCT, BUSY_SEC, CREDITS, COST``, dearest first (days in date order)."""
    if by not in ("DAY", "NAME", "GRAPH_NAME"):
        raise ValueError("aggregate by DAY, NAME or GRAPH_NAME")
    columns = [by, "RUNS", "WORK_RUNS", "SKIPPED_RUNS", "SKIPPED_PCT", "BUSY_SEC", "CREDITS", "COST"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    grouped = table.groupby(by, sort=True)
    out = pd.DataFrame(
        {
            "RUNS": grouped.size(),
            "WORK_RUNS": grouped["DID_WORK"].sum().astype(int),
            "BUSY_SEC": grouped["DURATION_SEC"].sum(),
            "CREDITS": grouped["CREDITS"].sum(),
            "COST": grouped["COST"].sum(),
        }
    ).reset_index()
    out["SKIPPED_RUNS"] = out["RUNS"] - out["WORK_RUNS"]
    out["SKIPPED_PCT"] = out["SKIPPED_RUNS"] * 100.0 / out["RUNS"]
    out = out[columns]
    if by != "DAY":
        out = out.sort_values(["CREDITS", by], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """The totals of a history under one model; ``per_day`` scales them to 24 hours of the window."""

    credits: float
    cost: float
    runs: int
    work_runs: int
    skipped_runs: int
    busy_seconds: float
    window_days: float

    @property
    def skipped_share(self) -> float:
        """Share of the runs that were skipped (0–1)."""
        return self.skipped_runs / self.runs if self.runs else 0.0

    @property
    def credits_per_day(self) -> float:
        return self.credits / self.window_days if self.window_days > 0 else 0.0

    @property
    def cost_per_day(self) -> float:
        return self.cost / self.window_days if self.window_days > 0 else 0.0


def summary(runs: Sequence[TaskRun], model: CostModel, window_days: float) -> Summary:
    """Totals of the runs under ``model`` over a window of ``window_days`` days."""
    credits = sum(run_credits(runs, model))
    work = sum(1 for run in runs if run.did_work)
    return Summary(
        credits=credits,
        cost=credits * model.price_per_credit,
        runs=len(runs),
        work_runs=work,
        skipped_runs=len(runs) - work,
        busy_seconds=sum(run.duration_s for run in runs),
        window_days=window_days,
    )


# ------------------------------------------------------------------------------------------------- what-if


def per_run_overhead(runs: Iterable[TaskRun]) -> dict[str, float]:
    """The fixed part of a run, per task: its shortest working run over the history (a run that processed the
    fewest changes is almost all overhead). Tasks without a working run are absent."""
    out: dict[str, float] = {}
    for run in runs:
        if run.did_work:
            out[run.name] = min(out.get(run.name, math.inf), run.duration_s)
    return out


def reschedule(
    runs: Sequence[TaskRun], interval_s: float, overhead_s: float | None = None, *, anchor: dt.datetime | None = None
) -> list[TaskRun]:
    """The same history under a schedule of every ``interval_s`` seconds.

    The runs of a task scheduled within one interval ``[anchor + k*I, anchor + (k+1)*I)`` become one run
    scheduled at the end of the interval. If any of them did work, the new run works for
    ``overhead + sum(duration - overhead)`` over the working runs it absorbs (work proportional to the changes,
    the fixed overhead paid once); it starts as long after its scheduled time as the first absorbed working run
    did. Otherwise it is one SKIPPED run. ``overhead_s`` defaults to :func:`per_run_overhead` per task.
    """
    if interval_s <= 0:
        raise ValueError("the schedule interval must be positive")
    if not runs:
        return []
    start = anchor or min(run.scheduled_time for run in runs)
    overheads = per_run_overhead(runs) if overhead_s is None else {}
    step = dt.timedelta(seconds=interval_s)
    buckets: dict[tuple[str, int], list[TaskRun]] = {}
    for run in runs:
        k = math.floor((run.scheduled_time - start) / step)
        buckets.setdefault((run.name, k), []).append(run)
    out: list[TaskRun] = []
    for (name, k), members in sorted(buckets.items(), key=lambda item: (item[0][1], item[0][0])):
        scheduled = start + step * (k + 1)
        working = sorted((r for r in members if r.did_work), key=lambda r: r.scheduled_time)
        graph = members[0].graph
        if not working:
            out.append(TaskRun(name, "SKIPPED", scheduled, None, scheduled, graph))
            continue
        overhead = overhead_s if overhead_s is not None else overheads.get(name, 0.0)
        seconds = overhead + sum(max(0.0, r.duration_s - overhead) for r in working)
        first = working[0]
        assert first.query_start_time is not None
        begin = scheduled + (first.query_start_time - first.scheduled_time)
        out.append(TaskRun(name, "SUCCEEDED", scheduled, begin, begin + dt.timedelta(seconds=seconds), graph))
    return out


def resize(runs: Sequence[TaskRun], from_size: str, to_size: str, parallel_fraction: float = 1.0) -> list[TaskRun]:
    """The same runs on a warehouse of ``to_size`` instead of ``from_size``: each duration becomes
    ``d * (p / 2**steps + (1 - p))`` (Amdahl, ``p`` = ``parallel_fraction``; steps may be negative). Start times
    are kept; the ends move."""
    if not 0.0 <= parallel_fraction <= 1.0:
        raise ValueError("parallel_fraction must be between 0 and 1")
    steps = SIZES.index(normalize_size(to_size)) - SIZES.index(normalize_size(from_size))
    factor = parallel_fraction / (2.0**steps) + (1.0 - parallel_fraction)
    out = []
    for run in runs:
        if not run.did_work:
            out.append(run)
            continue
        assert run.query_start_time is not None
        end = run.query_start_time + dt.timedelta(seconds=run.duration_s * factor)
        out.append(replace(run, completed_time=end))
    return out
