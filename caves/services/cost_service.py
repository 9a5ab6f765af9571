"""What the pipeline costs: the task runs read through the catalog, priced by :mod:`caves.cost`, and a what-if.

Pure (no Streamlit): the console's cost section (``components/cost.py``) and ``caves cost`` both call
:func:`cost_report`. The run intervals come from the ``task_cost_runs`` catalog query (TASK_HISTORY, so the same
text runs on the local engine and on Snowflake); the formulas live in :mod:`caves.cost` only.

On Snowflake (any backend but ``local``) with serverless tasks, the credits actually billed are read from
``INFORMATION_SCHEMA.SERVERLESS_TASK_HISTORY`` (falling back to ``SNOWFLAKE.ACCOUNT_USAGE.SERVERLESS_TASK_HISTORY``
when the table function is refused) and replace the estimate; the estimate still drives the what-if.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from caves import cost
from caves.cost import CostModel, Summary, TaskRun
from caves.services import query_service
from caves.taskctl import DATABASE
from caves.warehouse.base import Warehouse

__all__ = [
    "BILLED_ACCOUNT_USAGE_SQL",
    "BILLED_INFO_SCHEMA_SQL",
    "WHAT_IF_KINDS",
    "CostReport",
    "WhatIf",
    "apply_what_if",
    "billed_serverless",
    "cost_report",
    "load_runs",
    "observed_days",
    "parse_what_if",
    "report_dict",
]

WHAT_IF_KINDS = ("schedule", "size", "model", "auto_suspend")

# The billed credits of serverless tasks, per task and hour window (https://docs.snowflake.com/en/sql-reference/
# functions/serverless_task_history). The start of the range is a bound value, never pasted into the text.
BILLED_INFO_SCHEMA_SQL = f"""
with

BILLED as (

    select
        SH.TASK_NAME,
        SH.START_TIME,
        SH.CREDITS_USED
    from table({DATABASE}.INFORMATION_SCHEMA.SERVERLESS_TASK_HISTORY(DATE_RANGE_START => cast(? as timestamp_ltz))) as SH

)

select
    TASK_NAME,
    convert_timezone('UTC', START_TIME)::date as DAY,
    sum(CREDITS_USED::float) as CREDITS_USED
from BILLED
group by TASK_NAME, DAY
order by DAY asc, TASK_NAME asc
""".strip()

# The same from the Account Usage view (up to 3 hours late, one year kept):
# https://docs.snowflake.com/en/sql-reference/account-usage/serverless_task_history
BILLED_ACCOUNT_USAGE_SQL = """
with

BILLED as (

    select
        SH.TASK_NAME,
        SH.START_TIME,
        SH.CREDITS_USED
    from SNOWFLAKE.ACCOUNT_USAGE.SERVERLESS_TASK_HISTORY as SH
    where
        SH.DATABASE_NAME = ?
        and SH.START_TIME >= cast(? as timestamp_ltz)

)

select
    TASK_NAME,
    convert_timezone('UTC', START_TIME)::date as DAY,
    sum(CREDITS_USED::float) as CREDITS_USED
from BILLED
group by TASK_NAME, DAY
order by DAY asc, TASK_NAME asc
""".strip()


@dataclass(frozen=True)
class WhatIf:
    """One change to the history: ``kind`` in WHAT_IF_KINDS, ``value`` as given (``5m``, ``SMALL``...)."""

    kind: str
    value: str
    model: CostModel
    summary: Summary
    by_task: pd.DataFrame

    def saving(self, baseline: Summary) -> float:
        """Credits saved per day against ``baseline`` (negative: the change costs more)."""
        return baseline.credits_per_day - self.summary.credits_per_day


@dataclass(frozen=True)
class CostReport:
    """The cost of the pipeline over the last ``days`` days under ``model``.

    ``source`` is ``estimate`` (computed from the run intervals) or ``billed`` (SERVERLESS_TASK_HISTORY on a real
    account). ``summary`` is always the estimate; ``billed`` holds the billed credits per task and day when read.
    """

    model: CostModel
    days: int
    source: str
    runs: list[TaskRun]
    summary: Summary
    by_day: pd.DataFrame
    by_task: pd.DataFrame
    by_graph: pd.DataFrame
    billed: pd.DataFrame | None = None
    what_if: WhatIf | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def observed_days(self) -> float:
        """How much of the window the history covers (see :func:`observed_days`)."""
        return observed_days(self.runs, self.days)

    @property
    def credits_per_day(self) -> float:
        """The headline figure: billed credits per day when known, else the estimate."""
        if self.billed is not None:
            return (
                float(self.billed["CREDITS_USED"].sum()) / self.summary.window_days if self.summary.window_days else 0.0
            )
        return self.summary.credits_per_day

    @property
    def cost_per_day(self) -> float:
        return self.credits_per_day * self.model.price_per_credit


def load_runs(warehouse: Warehouse, days: int) -> list[TaskRun]:
    """The finished task runs of the last ``days`` days (the ``task_cost_runs`` catalog query)."""
    return cost.runs_from_frame(query_service.run_query(warehouse, "task_cost_runs", {"days": days}))


def observed_days(runs: list[TaskRun], days: int) -> float:
    """The part of the window the history covers, in days: from the first scheduled run to the last completion,
    at most ``days`` (a young warehouse has less than the window asked for)."""
    if not runs:
        return float(days)
    first = min(run.scheduled_time for run in runs)
    last = max(run.completed_time or run.scheduled_time for run in runs)
    span = (last - first).total_seconds() / 86400.0
    return min(float(days), max(span, 1.0 / 1440.0))


def billed_serverless(warehouse: Warehouse, days: int, now: dt.datetime | None = None) -> pd.DataFrame:
    """Credits billed for the serverless tasks of the database over the last ``days`` days, per task and UTC day
    (``TASK_NAME, DAY, CREDITS_USED``): the table function first, the Account Usage view if it is refused."""
    moment = now or dt.datetime.now(dt.UTC)
    moment = (moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)) - dt.timedelta(
        days=days
    )
    since = moment.strftime("%Y-%m-%d %H:%M:%S +00:00")  # explicit UTC: the session's time zone may be another
    try:
        frame = query_service.run_sql(warehouse, BILLED_INFO_SCHEMA_SQL, [since], label="serverless_task_history")
    except query_service.QueryFailed:
        frame = query_service.run_sql(
            warehouse, BILLED_ACCOUNT_USAGE_SQL, [DATABASE, since], label="account_usage.serverless_task_history"
        )
    frame = frame.rename(columns=str.upper)
    if not frame.empty:
        frame = frame.assign(CREDITS_USED=pd.to_numeric(frame["CREDITS_USED"], errors="coerce").fillna(0.0))
    return frame


def parse_what_if(text: str) -> tuple[str, str]:
    """``schedule=5m`` → (``schedule``, ``5m``); kinds: schedule, size, model, auto_suspend. ValueError if bad."""
    kind, sep, value = str(text).partition("=")
    kind, value = kind.strip().lower().replace("-", "_"), value.strip()
    if not sep or kind not in WHAT_IF_KINDS or not value:
        raise ValueError(f"--what-if expects one of {', '.join(k + '=…' for k in WHAT_IF_KINDS)}; got {text!r}")
    if kind == "schedule":
        cost.parse_interval(value)
    elif kind == "size":
        value = cost.normalize_size(value)
    elif kind == "model":
        value = value.lower()
        if value not in cost.COMPUTE_MODELS:
            raise ValueError(f"model must be one of {', '.join(cost.COMPUTE_MODELS)}")
    else:
        try:
            if float(value) <= 0:
                raise ValueError
        except ValueError:
            raise ValueError("auto_suspend expects a number of seconds > 0 (0 means never suspend)") from None
    return kind, value


def apply_what_if(runs: list[TaskRun], model: CostModel, kind: str, value: str) -> tuple[list[TaskRun], CostModel]:
    """The runs and the model after one change (see :mod:`caves.cost` for the assumptions)."""
    kind, value = parse_what_if(f"{kind}={value}")
    if kind == "schedule":
        return cost.reschedule(runs, cost.parse_interval(value), model.per_run_overhead_seconds), model
    if kind == "size":
        if model.compute_model == "warehouse":
            resized = cost.resize(runs, model.warehouse_size, value, model.parallel_fraction)
            return resized, model.with_changes(warehouse_size=value)
        resized = cost.resize(runs, model.serverless_size, value, model.parallel_fraction)
        return resized, model.with_changes(serverless_size=value)
    if kind == "model":
        return runs, model.with_changes(compute_model=value)
    return runs, model.with_changes(auto_suspend_seconds=float(value))


def _tables(runs: list[TaskRun], model: CostModel) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    table = cost.run_table(runs, model)
    return cost.aggregate(table, "DAY"), cost.aggregate(table, "NAME"), cost.aggregate(table, "GRAPH_NAME")


def cost_report(
    warehouse: Warehouse,
    model: CostModel,
    days: int = 1,
    what_if: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> CostReport:
    """The pipeline's cost over the last ``days`` days (1–7, TASK_HISTORY's reach), and optionally a what-if
    (``schedule=5m``, ``size=SMALL``, ``model=warehouse``, ``auto_suspend=300``)."""
    if not 1 <= int(days) <= 7:
        raise ValueError("days must be between 1 and 7 (TASK_HISTORY keeps 7 days)")
    change = parse_what_if(what_if) if what_if else None
    runs = load_runs(warehouse, int(days))
    # Per day means over the window asked for: a young warehouse (or one whose history was loaded in a burst) is
    # not extrapolated; observed_days() tells how much of the window the history covers.
    window = float(days)
    by_day, by_task, by_graph = _tables(runs, model)
    notes = []
    billed = None
    source = "estimate"
    if getattr(warehouse, "backend", "local") != "local" and model.compute_model == "serverless":
        billed = billed_serverless(warehouse, int(days), now)
        source = "billed"
        notes.append("billed")
    if not any(run.did_work for run in runs):
        notes.append("no_work")
    report_what_if = None
    if change is not None:
        new_runs, new_model = apply_what_if(runs, model, *change)
        table = cost.run_table(new_runs, new_model)
        report_what_if = WhatIf(
            kind=change[0],
            value=change[1],
            model=new_model,
            summary=cost.summary(new_runs, new_model, window),
            by_task=cost.aggregate(table, "NAME"),
        )
    return CostReport(
        model=model,
        days=int(days),
        source=source,
        runs=runs,
        summary=cost.summary(runs, model, window),
        by_day=by_day,
        by_task=by_task,
        by_graph=by_graph,
        billed=billed,
        what_if=report_what_if,
        notes=notes,
    )


def report_dict(report: CostReport) -> dict[str, Any]:
    """The report as plain data (the CLI's ``--format json``)."""

    def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
        if frame is None:
            return []
        out = frame.copy()
        for column in out.columns:
            if out[column].dtype == object:
                out[column] = out[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
        return out.to_dict(orient="records")

    s = report.summary
    data: dict[str, Any] = {
        "SOURCE": report.source,
        "COMPUTE_MODEL": report.model.compute_model,
        "DAYS": report.days,
        "OBSERVED_DAYS": report.observed_days,
        "RUNS": s.runs,
        "WORK_RUNS": s.work_runs,
        "SKIPPED_RUNS": s.skipped_runs,
        "SKIPPED_PCT": s.skipped_share * 100,
        "CREDITS": s.credits,
        "CREDITS_PER_DAY": report.credits_per_day,
        "COST_PER_DAY": report.cost_per_day,
        "PRICE_PER_CREDIT": report.model.price_per_credit,
        "BY_TASK": records(report.by_task),
        "BY_GRAPH": records(report.by_graph),
        "BY_DAY": records(report.by_day),
    }
    if report.billed is not None:
        data["BILLED"] = records(report.billed)
    if report.what_if is not None:
        w = report.what_if
        data["WHAT_IF"] = {
            "KIND": w.kind,
            "VALUE": w.value,
            "CREDITS_PER_DAY": w.summary.credits_per_day,
            "COST_PER_DAY": w.summary.cost_per_day,
            "SAVING_CREDITS_PER_DAY": w.saving(s),
            "RUNS": w.summary.runs,
            "WORK_RUNS": w.summary.work_runs,
            "BY_TASK": records(w.by_task),
        }
    return data
