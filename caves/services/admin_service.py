"""Administration of the pipeline: deploy, suspend / resume the task graph, execute, retry, retention.

Pure (no Streamlit). Every action is first *planned*, i.e. turned into the exact statements it will run,
so the console can show them before the user confirms; then *run*, and written to
``OPS.ADMIN_AUDIT_LOG`` (who, what, target, outcome, error, start and end times): a ``started`` row before
the first statement, completed with ``succeeded`` or ``failed`` afterwards, so an action that never
finished still leaves its trace.

Task names are identifiers and cannot be bound: every name that reaches ``ALTER TASK`` or
``EXECUTE TASK`` is resolved against the task graph of ``deploy_sql/`` (:mod:`caves.dag`), and the SQL
is written with the graph's own fully-qualified name, never with the caller's text. Audit values are
bound parameters.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from caves.dag import TaskGraph, UnknownTaskError, load_task_graph
from caves.deploy import deploy
from caves.services import query_service
from caves.settings import Settings
from caves.warehouse.base import Warehouse

__all__ = [
    "ACTIONS",
    "AUDIT_TABLE",
    "RETENTION_TASK",
    "AdminAction",
    "AdminResult",
    "AdminService",
    "UnknownTaskError",
    "is_admin",
    "task_graph",
]

AUDIT_TABLE = "CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG"
RETENTION_TASK = "TASK_PURGE_RETENTION"
ACTIONS = ("deploy", "suspend", "resume", "execute", "retry_last", "retention")

_AUDIT_START_SQL = (
    f"insert into {AUDIT_TABLE} (AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, STARTED_AT) "
    "select ?, ?, ?, ?, parse_json(?), 'started', ?"
)
_AUDIT_END_SQL = f"update {AUDIT_TABLE} set OUTCOME = ?, ERROR_MESSAGE = ?, FINISHED_AT = ? where AUDIT_ID = ?"
_AUDIT_REFUSED_SQL = (
    f"insert into {AUDIT_TABLE} (AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, "
    "FINISHED_AT) select ?, ?, ?, ?, parse_json(?), 'refused', ?, ?, ?"
)
_AUDIT_READ_SQL = (
    "select STARTED_AT, FINISHED_AT, ACTOR, ACTION, TARGET, OUTCOME, ERROR_MESSAGE "
    f"from {AUDIT_TABLE} order by STARTED_AT desc limit 200"
)


@functools.lru_cache(maxsize=1)
def task_graph() -> TaskGraph:
    """The task graph of deploy_sql/, parsed once per process."""
    return load_task_graph()


def is_admin(user: str | None, settings: Settings, backend_kind: str) -> bool:
    """Whether ``user`` may use the administration page: on the local backend, anyone when
    ``local_is_admin`` is set (it is the developer's own machine); otherwise only the users listed in the
    settings (``admin.users``), compared case-insensitively. Snowflake roles cannot decide it: in Streamlit
    in Snowflake every viewer runs with the owner's role."""
    if backend_kind == "local" and settings.local_is_admin:
        return True
    if not user:
        return False
    return user.strip().lower() in {u.strip().lower() for u in settings.admin_users}


def _utc_now() -> dt.datetime:
    # TIMESTAMP_NTZ in UTC, like every timestamp of the warehouse
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _readable(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


@dataclass(frozen=True)
class AdminAction:
    """What an action will do. ``statements`` are exactly the statements that will run, in order (for a
    deploy, the dry-run plan: it is planned again when applied, in case the warehouse changed meanwhile)."""

    kind: str
    target: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class AdminResult:
    """How an action went. ``outcome`` is ``succeeded``, ``failed`` or ``refused``."""

    action: AdminAction
    actor: str
    outcome: str
    error: str | None
    started_at: dt.datetime
    finished_at: dt.datetime
    audit_id: str
    applied: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"


class AdminService:
    """Plans and runs admin actions on one warehouse, audited. ``settings`` and ``backend_kind`` decide
    who is an administrator (:func:`is_admin`); the check is made again when an action runs, whatever the
    page showed."""

    def __init__(
        self, warehouse: Warehouse, settings: Settings, backend_kind: str, graph: TaskGraph | None = None
    ) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self.backend_kind = backend_kind
        self.graph = graph or task_graph()

    def allowed(self, actor: str | None) -> bool:
        return is_admin(actor, self.settings, self.backend_kind)

    # --- names --------------------------------------------------------------------------------------------

    def roots(self) -> list[str]:
        """The roots of the pipeline graphs that can be executed (the retention task has its own action)."""
        retention = self.graph.resolve(RETENTION_TASK)
        return [root for root in self.graph.roots() if root != retention]

    def _root(self, name: str) -> str:
        full = self.graph.resolve(name)  # raises UnknownTaskError for anything that is not a task
        if full not in self.graph.roots():
            raise UnknownTaskError(f"{name!r} is not a root task: execute its root instead")
        return full

    # --- plans --------------------------------------------------------------------------------------------

    def plan_suspend_all(self) -> AdminAction:
        """Every task, roots first (a suspended root stops its graph at once), then the children."""
        roots = self.graph.roots()
        children = [name for root in roots for name in self.graph.suspend_order(root) if name != root]
        statements = [f"alter task {name} suspend" for name in [*roots, *children]]
        return AdminAction("suspend", "graph", tuple(statements))

    def plan_resume_all(self) -> AdminAction:
        """Every task, children first and the roots last (Snowflake refuses to resume a child whose root is
        started, and a root started first would run an incomplete graph)."""
        roots = self.graph.roots()
        children = [name for root in roots for name in self.graph.resume_order(root) if name != root]
        statements = [f"alter task {name} resume" for name in [*children, *roots]]
        return AdminAction("resume", "graph", tuple(statements))

    def plan_execute(self, root: str) -> AdminAction:
        """Run the graph of ``root`` once, now (whether it is started or suspended)."""
        full = self._root(root)
        return AdminAction("execute", full, (f"execute task {full}",))

    def plan_retry_last(self, root: str) -> AdminAction:
        """Re-run the failed tasks of ``root``'s last graph run, and what depends on them."""
        full = self._root(root)
        return AdminAction("retry_last", full, (f"execute task {full} retry last",))

    def plan_retention(self) -> AdminAction:
        """Run the retention purge now instead of waiting for its nightly schedule."""
        full = self.graph.resolve(RETENTION_TASK)
        return AdminAction("retention", full, (f"execute task {full}",))

    def plan_deploy(self) -> AdminAction:
        """The deployment plan (dry run): what deploying now would run."""
        return AdminAction("deploy", "deploy_sql/", tuple(deploy(self.warehouse, dry_run=True)))

    def plan(self, kind: str, target: str | None = None) -> AdminAction:
        """The plan of an action by kind (``target`` is the root task for execute and retry_last)."""
        if kind == "deploy":
            return self.plan_deploy()
        if kind == "suspend":
            return self.plan_suspend_all()
        if kind == "resume":
            return self.plan_resume_all()
        if kind == "retention":
            return self.plan_retention()
        if kind in ("execute", "retry_last"):
            if not target:
                raise UnknownTaskError(f"{kind} needs a root task")
            return self.plan_execute(target) if kind == "execute" else self.plan_retry_last(target)
        raise ValueError(f"unknown admin action {kind!r} (one of {', '.join(ACTIONS)})")

    # --- running ------------------------------------------------------------------------------------------

    def run(self, action: AdminAction, actor: str) -> AdminResult:
        """Run ``action`` as ``actor``, audited. Never raises for a failing statement: the result says
        ``failed`` with the error (the audit row too). Statements stop at the first failure. An actor who
        is not an administrator is refused (and that is audited too)."""
        if not self.allowed(actor):
            return self._refuse(action, actor, "not an administrator")
        audit_id = str(uuid.uuid4())
        started = _utc_now()
        details = json.dumps({"statements": [s.splitlines()[0][:200] for s in action.statements]})
        self.warehouse.execute(_AUDIT_START_SQL, [audit_id, actor, action.kind, action.target, details, started])
        applied: Sequence[str] = ()
        error: str | None = None
        try:
            if action.kind == "deploy":
                applied = deploy(self.warehouse)
            else:
                for statement in action.statements:
                    self.warehouse.execute(statement)
                applied = action.statements
        except Exception as exc:  # each backend raises its own errors; the user gets one readable line
            error = _readable(exc)
        outcome = "failed" if error else "succeeded"
        finished = _utc_now()
        self.warehouse.execute(_AUDIT_END_SQL, [outcome, error, finished, audit_id])
        return AdminResult(action, actor, outcome, error, started, finished, audit_id, tuple(applied))

    def _refuse(self, action: AdminAction, actor: str, reason: str) -> AdminResult:
        """Record an action that was not allowed, without running any of its statements."""
        audit_id = str(uuid.uuid4())
        now = _utc_now()
        details = json.dumps({"reason": reason})
        self.warehouse.execute(
            _AUDIT_REFUSED_SQL, [audit_id, actor, action.kind, action.target, details, reason, now, now]
        )
        return AdminResult(action, actor, "refused", reason, now, now, audit_id)

    def audit_log(self) -> pd.DataFrame:
        """The latest 200 audit rows, newest first."""
        return query_service.run_sql(self.warehouse, _AUDIT_READ_SQL, label="ADMIN_AUDIT_LOG")

    def last_failed_roots(self, history: pd.DataFrame) -> list[str]:
        """The roots whose latest graph run has a failed task, from ``task_history_recent`` (newest first):
        the candidates for "retry the last failure"."""
        failed: list[str] = []
        for root in self.roots():
            members = {name.split(".")[-1] for name in self.graph.graph_of(root)}
            runs = history[history["NAME"].isin(members) & (history["STATE"] != "SKIPPED")]
            if not runs.empty and str(runs.iloc[0]["STATE"]).startswith("FAILED"):
                failed.append(root)
        return failed
