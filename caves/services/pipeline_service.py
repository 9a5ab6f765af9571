"""Pipeline health: the task graph and its state, run history, streams, latency grades, reconciliation.

Pure (no Streamlit). Task and stream metadata come from ``SHOW TASKS`` / ``SHOW STREAMS``; everything else
from the catalog's ``08_monitoring`` queries, so the page shows exactly what ``python -m caves query``
prints. :func:`health_snapshot` gathers it all at once, keeping each part's error apart so that one
failing source (say, SHOW STREAMS refused to an owner's-rights app) does not blank the whole page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from caves.objects import parse_predecessors
from caves.services import query_service
from caves.services.format import is_missing
from caves.taskctl import DATABASE, SHOW_TASKS_SQL
from caves.warehouse.base import Warehouse

__all__ = [
    "GRADES",
    "HealthSnapshot",
    "Reconciliation",
    "backlog_lag_seconds",
    "current_lag_seconds",
    "grade",
    "grade_layers",
    "graph_dot",
    "graph_edges",
    "health_snapshot",
    "last_run_states",
    "reconciliation",
    "stream_status",
    "task_list",
    "task_table",
    "worst_by_layer",
]

SHOW_STREAMS_SQL = f"SHOW STREAMS IN DATABASE {DATABASE}"

GRADES = ("ok", "warning", "stale", "unknown")
FAILED_STATES = frozenset({"FAILED", "FAILED_AND_AUTO_SUSPENDED", "CANCELLED"})
# source_to_raw measures the producer's delay (event time -> arrival), which the pipeline does not control:
# it is shown, but not graded against the pipeline's thresholds.
UNGRADED_LAYERS = frozenset({"source_to_raw"})

# Node colours of the task graph (fill, font): wine-list greens and reds, readable on the light theme.
_NODE_STYLE = {
    "succeeded": ("#3F7D3A", "white"),
    "idle": ("#A8C69F", "#1E2B1C"),
    "failed": ("#B0282F", "white"),
    "running": ("#2E5E8C", "white"),
    "suspended": ("#D9D3CC", "#4A4340"),
}


# --------------------------------------------------------------------------------------------------- tasks


def _short(name: str) -> str:
    return str(name).replace('"', "").split(".")[-1].strip().upper()


def _predecessors(value: Any) -> tuple[str, ...]:
    """SHOW TASKS' ``predecessors`` as short names."""
    if value is not None and not isinstance(value, list | tuple | str) and is_missing(value):
        return ()
    return tuple(_short(name) for name in parse_predecessors(value))


def task_list(warehouse: Warehouse) -> pd.DataFrame:
    """The tasks of the database, one row each: ``NAME`` (short), ``SCHEMA_NAME``, ``STATE`` (started /
    suspended), ``SCHEDULE``, ``CONDITION``, ``PREDECESSORS`` (tuple of short names), ``LAST_SUSPENDED_REASON``."""
    raw = query_service.run_sql(warehouse, SHOW_TASKS_SQL, label="SHOW TASKS")
    rows = []
    for record in raw.rename(columns=str.lower).to_dict("records"):
        rows.append(
            {
                "NAME": _short(record["name"]),
                "SCHEMA_NAME": record.get("schema_name"),
                "STATE": str(record.get("state") or "").lower(),
                "SCHEDULE": None if is_missing(record.get("schedule")) else record.get("schedule"),
                "CONDITION": None if is_missing(record.get("condition")) else record.get("condition"),
                "PREDECESSORS": _predecessors(record.get("predecessors")),
                "LAST_SUSPENDED_REASON": None
                if is_missing(record.get("last_suspended_reason"))
                else record.get("last_suspended_reason"),
            }
        )
    columns = ["NAME", "SCHEMA_NAME", "STATE", "SCHEDULE", "CONDITION", "PREDECESSORS", "LAST_SUSPENDED_REASON"]
    return pd.DataFrame(rows, columns=columns).sort_values("NAME", ignore_index=True)


def task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """``task_list`` for a table: predecessors as text (None for a root), and the suspension reason only for a
    task that is suspended (SHOW TASKS keeps the last one after a resume)."""
    return tasks.assign(
        PREDECESSORS=tasks["PREDECESSORS"].map(lambda names: ", ".join(names) or None),
        LAST_SUSPENDED_REASON=tasks["LAST_SUSPENDED_REASON"].where(tasks["STATE"] == "suspended", None),
    )


def graph_edges(tasks: pd.DataFrame) -> list[tuple[str, str]]:
    """``(parent, child)`` pairs from the tasks' predecessors, in a stable order."""
    return sorted((parent, row.NAME) for row in tasks.itertuples() for parent in row.PREDECESSORS)


def last_run_states(history: pd.DataFrame) -> dict[str, str]:
    """Each task's latest run state that says something: a SKIPPED run (WHEN was false, nothing to do)
    does not hide the success or failure before it, and the SCHEDULED row of a root's next run (not a run
    yet) is not a state. ``history`` is newest first (task_history_recent)."""
    states: dict[str, str] = {}
    skipped: set[str] = set()
    for name, state in zip(history["NAME"], history["STATE"], strict=True):
        if name in states or state == "SCHEDULED":
            continue
        if state == "SKIPPED":
            skipped.add(name)
            continue
        states[name] = state
    for name in skipped - states.keys():
        states[name] = "SKIPPED"
    return states


def _node_style(task_state: str, run_state: str | None) -> tuple[str, str]:
    if task_state != "started":
        return _NODE_STYLE["suspended"]
    if run_state in FAILED_STATES:
        return _NODE_STYLE["failed"]
    if run_state in {"EXECUTING", "SCHEDULED"}:
        return _NODE_STYLE["running"]
    if run_state == "SUCCEEDED":
        return _NODE_STYLE["succeeded"]
    return _NODE_STYLE["idle"]


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def graph_dot(
    tasks: pd.DataFrame,
    run_states: Mapping[str, str],
    state_label: Callable[[str], str] = str,
    schedule_label: Callable[[str], str] = str,
) -> str:
    """The task graph as a Graphviz DOT string: one box per task, coloured by its state and its latest
    meaningful run, labelled with its name, state, schedule and last run (``state_label`` names a task state
    and a run state alike, ``schedule_label`` a schedule); edges parent -> child."""
    lines = [
        "digraph tasks {",
        "  rankdir=LR;",
        '  bgcolor="transparent";',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, margin="0.2,0.1"];',
        '  edge [color="#7A6E69", arrowsize=0.7];',
    ]
    for row in tasks.itertuples():
        run_state = run_states.get(row.NAME)
        fill, font = _node_style(row.STATE, run_state)
        details = [state_label(row.STATE)]
        if not is_missing(row.SCHEDULE):
            details.append(schedule_label(str(row.SCHEDULE)))
        label = "\\n".join([_dot_text(row.NAME), _dot_text(" · ".join(details))])
        if run_state:
            label += "\\n" + _dot_text(state_label(run_state))
        lines.append(f'  "{_dot_text(row.NAME)}" [label="{label}", fillcolor="{fill}", fontcolor="{font}"];')
    for parent, child in graph_edges(tasks):
        lines.append(f'  "{_dot_text(parent)}" -> "{_dot_text(child)}";')
    lines.append("}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- latency


def grade(seconds: Any, warning: float, stale: float) -> str:
    """``ok`` below ``warning`` seconds, ``warning`` below ``stale``, else ``stale``; ``unknown`` when
    there is no measure."""
    if is_missing(seconds):
        return "unknown"
    value = float(seconds)
    if value < warning:
        return "ok"
    if value < stale:
        return "warning"
    return "stale"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def current_lag_seconds(
    latency: pd.DataFrame, now: dt.datetime | None = None, backlog: pd.DataFrame | None = None
) -> float | None:
    """How far PRODUCTION is behind, measured at ``now`` (UTC, so a cached result still ages). With
    ``stream_backlog``: how long the oldest change not consumed yet has waited (0 when nothing waits), so one
    message arriving after a quiet hour is 2 s behind, not an hour. Without it, from ``pipeline_latency``: 0 when
    caught up, else the time since production last moved while newer RAW data waits. None on an empty
    warehouse."""
    if backlog is not None and not backlog.empty:
        return backlog_lag_seconds(backlog, now)
    if latency.empty:
        return None
    row = latency.iloc[0]
    if is_missing(row["LAST_RAW_INGESTION"]):
        return None
    caught_up = row["IS_CAUGHT_UP"]
    if not is_missing(caught_up) and bool(caught_up):
        return 0.0
    since = row["LAST_PROD_UPDATE"] if not is_missing(row["LAST_PROD_UPDATE"]) else row["LAST_RAW_INGESTION"]
    return max(0.0, ((now or _utc_now()) - pd.Timestamp(since).to_pydatetime()).total_seconds())


def backlog_lag_seconds(backlog: pd.DataFrame, now: dt.datetime | None = None) -> float:
    """The age at ``now`` of the oldest change waiting in any stream of ``stream_backlog``; 0 when none waits."""
    oldest = pd.to_datetime(backlog.loc[backlog["PENDING_CHANGES"] > 0, "OLDEST_PENDING_AT"]).dropna()
    if oldest.empty:
        return 0.0
    return max(0.0, ((now or _utc_now()) - oldest.min().to_pydatetime()).total_seconds())


def grade_layers(latency_per_layer: pd.DataFrame, warning: float, stale: float) -> pd.DataFrame:
    """``latency_per_layer`` with a ``GRADE`` column: each layer's *maximum* latency over the window against
    the thresholds (the worst event is what a user waited for); the producer's own delay is ``unknown``."""
    graded = latency_per_layer.copy()
    graded["GRADE"] = [
        "unknown" if layer in UNGRADED_LAYERS else grade(value, warning, stale)
        for layer, value in zip(graded["LAYER"], graded["MAX_LATENCY_SEC"], strict=True)
    ]
    return graded


def worst_by_layer(graded: pd.DataFrame) -> pd.DataFrame:
    """One row per layer (in pipeline order): the largest latency across flows and its grade."""
    rank = {name: i for i, name in enumerate(("ok", "unknown", "warning", "stale"))}
    rows = []
    for layer, group in graded.sort_values("LAYER_ORDER").groupby("LAYER", sort=False):
        worst = max(group["GRADE"], key=rank.__getitem__)
        rows.append({"LAYER": layer, "MAX_LATENCY_SEC": group["MAX_LATENCY_SEC"].max(), "GRADE": worst})
    return pd.DataFrame(rows, columns=["LAYER", "MAX_LATENCY_SEC", "GRADE"])


# ------------------------------------------------------------------------------------------------- streams


def stream_status(pending: pd.DataFrame, streams: pd.DataFrame) -> pd.DataFrame:
    """``stream_backlog`` (pending changes and the age of the oldest, which table, which consumer) joined with
    SHOW STREAMS' staleness (``STALE``, ``STALE_AFTER``: the date after which an unconsumed stream can no longer
    be read)."""
    if streams.empty:
        return pending.assign(STALE=pd.NA, STALE_AFTER=pd.NaT)
    show = streams.rename(columns=str.lower)
    meta = pd.DataFrame(
        {
            "STREAM_NAME": show["name"].map(_short),
            "STALE": show["stale"].map(lambda v: str(v).strip().lower() == "true"),
            "STALE_AFTER": pd.to_datetime(show["stale_after"], errors="coerce"),
        }
    )
    return pending.merge(meta, on="STREAM_NAME", how="left")


# ------------------------------------------------------------------------------------------ reconciliation


@dataclass(frozen=True)
class Reconciliation:
    """Where every RAW message went (within the reconciliation window), and what production holds."""

    raw_rows: int
    staged_orders: int
    staged_adjustments: int
    rejected: int
    unaccounted: int
    status: str
    window_start: pd.Timestamp | None
    production_orders: int | None
    production_adjustments: int | None
    in_flight: int = 0
    in_flight_seconds: float | None = None

    @property
    def balanced(self) -> bool:
        """Every message older than the in-flight threshold landed exactly once (staged or rejected); younger
        ones may still be on their way."""
        return self.unaccounted == 0


def reconciliation(recon: pd.DataFrame, row_counts: pd.DataFrame) -> Reconciliation | None:
    """Combine ``pipeline_reconciliation`` (RAW vs STAGING vs REJECTED) with ``pipeline_row_counts``
    (PRODUCTION tables). None when the reconciliation query returned nothing."""
    if recon.empty:
        return None
    row = recon.iloc[0]
    counts = dict(zip(row_counts["TABLE_NAME"], row_counts["ROW_COUNT"], strict=True)) if not row_counts.empty else {}

    def count(value: Any) -> int:
        return 0 if is_missing(value) else int(value)

    def optional(table: str) -> int | None:
        return int(counts[table]) if table in counts and not is_missing(counts[table]) else None

    window = row.get("WINDOW_START")
    return Reconciliation(
        raw_rows=count(row["RAW_ROWS"]),
        staged_orders=count(row["STAGED_ORDERS"]),
        staged_adjustments=count(row["STAGED_ADJUSTMENTS"]),
        rejected=count(row["REJECTED"]),
        unaccounted=count(row["UNACCOUNTED"]),
        status=str(row.get("STATUS") or ""),
        window_start=None if is_missing(window) else pd.Timestamp(window),
        production_orders=optional("ORDERS"),
        production_adjustments=optional("INVENTORY_HISTORY"),
        in_flight=count(row.get("IN_FLIGHT")),
        in_flight_seconds=None if is_missing(row.get("IN_FLIGHT_SECONDS")) else float(row["IN_FLIGHT_SECONDS"]),
    )


# ------------------------------------------------------------------------------------------------ snapshot


@dataclass
class HealthSnapshot:
    """Everything the pipeline-health page shows, read at ``as_of`` (UTC). ``errors`` maps a part's name to
    a readable message when that part could not be read; its frame is then empty."""

    as_of: dt.datetime
    hours: int
    tasks: pd.DataFrame
    history: pd.DataFrame
    run_summary: pd.DataFrame
    streams: pd.DataFrame
    latency: pd.DataFrame
    current: pd.DataFrame
    reconciliation: Reconciliation | None
    rejected: pd.DataFrame
    row_counts: pd.DataFrame
    graph_runs: pd.DataFrame = field(default_factory=pd.DataFrame)  # COMPLETE_TASK_GRAPHS: the last hour
    graphs_current: pd.DataFrame = field(default_factory=pd.DataFrame)  # CURRENT_TASK_GRAPHS: running, next
    errors: dict[str, str] = field(default_factory=dict)

    def run_states(self) -> dict[str, str]:
        return last_run_states(self.history) if not self.history.empty else {}


def health_snapshot(
    warehouse: Warehouse,
    *,
    hours: int = 24,
    warning_seconds: float = 120.0,
    stale_seconds: float = 300.0,
    history_limit: int = 1000,
) -> HealthSnapshot:
    """Read the whole pipeline-health picture once. ``hours`` is the window of the run summary, the latency
    per layer and the rejected events; ``history_limit`` the number of recent runs read (TASK_HISTORY)."""
    errors: dict[str, str] = {}

    def part(name: str, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        try:
            return read()
        except (query_service.QueryFailed, query_service.ParameterError) as exc:
            errors[name] = str(exc)
            return pd.DataFrame()

    def catalog_query(query_id: str, **params: Any) -> pd.DataFrame:
        return part(query_id, lambda: query_service.run_query(warehouse, query_id, params))

    as_of = _utc_now()
    tasks = part("tasks", lambda: task_list(warehouse))
    history = catalog_query("task_history_recent", limit=history_limit)
    run_summary = catalog_query("task_run_summary", hours=hours)
    pending = catalog_query("stream_backlog")
    show_streams = part("streams", lambda: query_service.run_sql(warehouse, SHOW_STREAMS_SQL, label="SHOW STREAMS"))
    latency = catalog_query("latency_per_layer", hours=hours)
    current = catalog_query("pipeline_latency")
    recon = catalog_query("pipeline_reconciliation")
    rejected = catalog_query("rejected_events_by_reason", hours=hours)
    row_counts = catalog_query("pipeline_row_counts")
    graph_runs = catalog_query("task_graph_runs")
    graphs_current = catalog_query("task_graphs_current")
    return HealthSnapshot(
        as_of=as_of,
        hours=hours,
        tasks=tasks,
        history=history,
        run_summary=run_summary,
        streams=stream_status(pending, show_streams) if not pending.empty else pending,
        latency=grade_layers(latency, warning_seconds, stale_seconds) if not latency.empty else latency,
        current=current,
        reconciliation=reconciliation(recon, row_counts) if not recon.empty else None,
        rejected=rejected,
        row_counts=row_counts,
        graph_runs=graph_runs,
        graphs_current=graphs_current,
        errors=errors,
    )
