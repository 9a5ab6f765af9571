"""Administration of the pipeline: deploy, suspend / resume the task graph, execute, retry, retention.

Pure (no Streamlit). Every action is first *planned*, i.e. turned into the exact statements it will run,
so the console can show them before the user confirms; then *run*, and written to
``OPS.ADMIN_AUDIT_LOG`` (who, what, target, outcome, error, start and end times) with
:func:`caves.security.audit`; the viewer's right to act is :func:`caves.security.is_admin`, checked again
when the action runs, whatever the page showed.

The statements come from :mod:`caves.taskctl`: task names are identifiers and cannot be bound, so every
name that reaches ``ALTER TASK`` or ``EXECUTE TASK`` is resolved against the task graph of ``deploy_sql/``
(:mod:`caves.dag`) and written with the graph's own fully-qualified name, never with the caller's text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from caves import security, taskctl
from caves.dag import TaskGraph, UnknownTaskError, load_task_graph
from caves.deploy import deploy
from caves.identity import Viewer
from caves.services import pipeline_service, query_service
from caves.settings import Settings
from caves.warehouse.base import Warehouse

__all__ = [
    "ACTIONS",
    "RETENTION_TASK",
    "AdminAction",
    "AdminResult",
    "AdminService",
    "AuditError",
    "UnknownTaskError",
    "task_graph",
]

RETENTION_TASK = "TASK_PURGE_RETENTION"
ACTIONS = ("deploy", "suspend", "resume", "execute", "retry_last", "retention")

_AUDIT_READ_SQL = (
    "select STARTED_AT, FINISHED_AT, ACTOR, SOURCE, ACTION, TARGET, OUTCOME, ERROR_MESSAGE "
    f"from {security.AUDIT_TABLE} order by STARTED_AT desc limit 200"
)


@functools.lru_cache(maxsize=1)
def task_graph() -> TaskGraph:
    """The task graph of deploy_sql/, parsed once per process."""
    return load_task_graph()


def _utc_now() -> dt.datetime:
    # TIMESTAMP_NTZ in UTC, like every timestamp of the warehouse
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _readable(exc: Exception) -> str:
    """One line, without secrets (a Snowflake error may quote a connection string)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return security.redact(lines[0] if lines else type(exc).__name__)


class AuditError(RuntimeError):
    """An admin action ran (or failed) but its row of ``OPS.ADMIN_AUDIT_LOG`` could not be written."""


def as_viewer(actor: Viewer | str) -> Viewer:
    """``actor`` as a :class:`~caves.identity.Viewer`. A bare name is the OS account of the shell that runs
    the code (the CLI, a script, a test): the console always passes the session's resolved viewer."""
    if isinstance(actor, Viewer):
        return actor
    name = str(actor).strip()
    return Viewer(name, "cli") if name else Viewer(None, "anonymous")


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
    # A child task's suspend/resume refused because its graph's root is started (Snowflake: the root must be
    # suspended first): the root to suspend, so that the console and the CLI can say what to do instead.
    blocked_by_root: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"


class AdminService:
    """Plans and runs admin actions on one warehouse, audited. ``settings``, ``backend_kind`` and the
    viewer's ``roles`` decide who is an administrator (:func:`caves.security.is_admin`).

    ``source`` is where the actions are taken, written in each audit row: ``console`` (the Administration
    page: the allow-list is checked again at each run) or ``cli`` (a shell holding the warehouse file or the
    Snowflake credentials: the connection's own grants decide, as they would for ``snow sql``; the action is
    audited with the shell's OS user as its actor)."""

    def __init__(
        self,
        warehouse: Warehouse,
        settings: Settings,
        backend_kind: str,
        *,
        roles: Sequence[str] = (),
        graph: TaskGraph | None = None,
        source: str = "console",
    ) -> None:
        if source not in security.AUDIT_SOURCES:
            raise ValueError(f"unknown audit source {source!r}")
        self.warehouse = warehouse
        self.settings = settings
        self.backend_kind = backend_kind
        self.roles = tuple(roles)
        self.graph = graph or task_graph()
        self.source = source

    def allowed(self, actor: Viewer | str | None) -> bool:
        """Whether ``actor`` may act: an anonymous viewer never may (:func:`caves.security.is_admin`)."""
        viewer = as_viewer(actor or "")
        if viewer.anonymous:
            return False
        return security.is_admin(
            viewer.name, self.roles, self.settings, backend=self.backend_kind, local_viewer=viewer.local
        )

    # --- names --------------------------------------------------------------------------------------------

    def roots(self) -> list[str]:
        """The roots of the pipeline graphs that can be executed (the retention task has its own action)."""
        retention = self.graph.resolve(RETENTION_TASK)
        return [root for root in self.graph.roots() if root != retention]

    # --- plans --------------------------------------------------------------------------------------------

    def plan_suspend_all(self) -> AdminAction:
        """Every graph, each root first (a suspended root starts no new run), then its children."""
        statements = [s for root in self.graph.roots() for s in taskctl.suspend_statements(root, self.graph)]
        return AdminAction("suspend", "graph", tuple(statements))

    def plan_resume_all(self) -> AdminAction:
        """Every graph, children first and the root last (Snowflake refuses to resume a child whose root is
        started, and a root started first would run an incomplete graph)."""
        statements = [s for root in self.graph.roots() for s in taskctl.resume_statements(root, self.graph)]
        return AdminAction("resume", "graph", tuple(statements))

    def plan_execute(self, task: str) -> AdminAction:
        """Run the graph of ``task`` (its root) once, now, whether it is started or suspended."""
        statement = taskctl.execute_statement(task, graph=self.graph)
        return AdminAction("execute", statement.split()[-1], (statement,))

    def plan_retry_last(self, task: str) -> AdminAction:
        """Re-run the failed tasks of the last run of ``task``'s graph, and what depends on them."""
        statement = taskctl.execute_statement(task, retry_last=True, graph=self.graph)
        return AdminAction("retry_last", statement.split()[2], (statement,))

    def plan_retention(self) -> AdminAction:
        """Run the retention purge now instead of waiting for its nightly schedule."""
        statement = taskctl.execute_statement(RETENTION_TASK, graph=self.graph)
        return AdminAction("retention", statement.split()[-1], (statement,))

    def plan_deploy(self) -> AdminAction:
        """The deployment plan (dry run): what deploying now would run."""
        return AdminAction("deploy", "deploy_sql/", tuple(deploy(self.warehouse, dry_run=True)))

    def plan_task(self, kind: str, task: str, *, retry_last: bool = False) -> AdminAction:
        """The CLI's ``tasks suspend|resume|execute NAME``: one task, or a root and its whole graph.

        ``execute`` runs the graph of ``task``'s root (``retry_last``: only what failed in its last run);
        executing the retention task is the ``retention`` action, as on the console."""
        fqn = self.graph.resolve(task)
        if kind == "suspend":
            return AdminAction("suspend", fqn, tuple(taskctl.suspend_statements(fqn, self.graph)))
        if kind == "resume":
            return AdminAction("resume", fqn, tuple(taskctl.resume_statements(fqn, self.graph)))
        if kind == "execute":
            statement = taskctl.execute_statement(fqn, retry_last=retry_last, graph=self.graph)
            root = self.graph.root_of(fqn)
            if retry_last:
                return AdminAction("retry_last", root, (statement,))
            kind = "retention" if root == self.graph.resolve(RETENTION_TASK) else "execute"
            return AdminAction(kind, root, (statement,))
        raise ValueError(f"unknown task action {kind!r} (suspend, resume or execute)")

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

    def _audit(
        self,
        actor: str,
        action: AdminAction,
        outcome: str,
        error: str | None,
        started: dt.datetime,
        finished: dt.datetime,
        details: dict[str, object],
    ) -> str:
        try:
            return security.audit(
                self.warehouse,
                actor,
                action.kind,
                action.target,
                outcome,
                error,
                started,
                finished,
                details,
                source=self.source,
            )
        except Exception as exc:  # the action's own outcome must not be lost behind the audit's failure
            said = f"{action.kind} {outcome}" + (f": {error}" if error else "")
            raise AuditError(f"{said}; its audit row could not be written: {_readable(exc)}") from None

    def run(self, action: AdminAction, actor: Viewer | str) -> AdminResult:
        """Run ``action`` as ``actor``, audited. Never raises for a failing statement: the result says
        ``failed`` with the error (the audit row too); statements stop at the first failure. On the console,
        an actor who is not an administrator (an anonymous viewer included) is refused, and that is audited
        too. Raises :class:`AuditError` when the audit row cannot be written."""
        viewer = as_viewer(actor)
        actor = viewer.label
        started = _utc_now()
        details = {"statements": [statement.splitlines()[0][:200] for statement in action.statements]}
        if self.source == "console" and not self.allowed(viewer):
            error = "not an administrator"
            audit_id = self._audit(actor, action, "refused", error, started, started, details)
            return AdminResult(action, actor, "refused", error, started, started, audit_id)
        applied: Sequence[str] = ()
        error: str | None = None
        try:
            if action.kind == "deploy":
                applied = deploy(self.warehouse)  # planned again: the warehouse may have changed since the preview
            else:
                applied = taskctl.run(self.warehouse, list(action.statements))
        except Exception as exc:  # each backend raises its own errors; the user gets one readable line
            error = _readable(exc)
        outcome = "failed" if error else "succeeded"
        finished = _utc_now()
        audit_id = self._audit(actor, action, outcome, error, started, finished, details)
        blocked_by = self._root_started(action) if error else None
        return AdminResult(action, actor, outcome, error, started, finished, audit_id, tuple(applied), blocked_by)

    def _root_started(self, action: AdminAction) -> str | None:
        """The root of a child whose suspend/resume failed while that root is started, else None."""
        if action.kind not in {"suspend", "resume"} or action.target not in self.graph:
            return None
        root = self.graph.root_of(action.target)
        if root == self.graph.resolve(action.target):
            return None
        try:
            tasks = pipeline_service.task_list(self.warehouse)
        except Exception:  # the hint is a courtesy: without the task list the error stands alone
            return None
        short = root.rsplit(".", 1)[-1]
        started = tasks.loc[tasks["NAME"] == short, "STATE"].eq("started").any() if not tasks.empty else False
        return short if started else None

    def audit_log(self) -> pd.DataFrame:
        """The latest 200 audit rows, newest first."""
        return query_service.run_sql(self.warehouse, _AUDIT_READ_SQL, label="ADMIN_AUDIT_LOG")
