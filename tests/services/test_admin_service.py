"""caves.services.admin_service: planned, ordered, validated and audited admin actions."""

from __future__ import annotations

import dataclasses

import pytest

from caves.services import pipeline_service
from caves.services.admin_service import AdminService, UnknownTaskError, task_graph
from caves.settings import Settings
from caves.warehouse.local import LocalWarehouse

DB = "CAVES_ALBERT_DB.OPS."
ROOTS = {f"{DB}TASK_RAW_TO_STAGING_ORDERS", f"{DB}TASK_RAW_TO_STAGING_INVENTORY", f"{DB}TASK_PURGE_RETENTION"}


def service(warehouse: LocalWarehouse, **settings: object) -> AdminService:
    return AdminService(warehouse, dataclasses.replace(Settings(), **settings), "local")


def names(statements: tuple[str, ...]) -> list[str]:
    return [s.split()[2] for s in statements]


def audit(warehouse: LocalWarehouse):
    return warehouse.query(
        "select ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT "
        "from CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG order by STARTED_AT"
    )


def test_suspend_stops_each_root_first_and_resume_starts_it_last(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    suspend = names(admin.plan_suspend_all().statements)
    resume_plan = admin.plan_resume_all().statements
    resume = names(tuple(s for s in resume_plan if s.endswith(" RESUME")))
    graph = task_graph()
    assert sorted(suspend) == sorted(resume) == sorted(graph.nodes)  # the whole graph, each task once
    # Snowflake refuses to resume a child while its root is started: each graph's resume suspends its root first
    for root in graph.roots():
        assert resume_plan.index(f"ALTER TASK {root} SUSPEND") < min(
            resume_plan.index(f"ALTER TASK {name} RESUME") for name in graph.graph_of(root)
        )
    for root in ROOTS:
        for child in graph.descendants(root):
            assert suspend.index(root) < suspend.index(child)
            assert resume.index(child) < resume.index(root)
    history, current = f"{DB}TASK_STAGING_TO_PROD_INVENTORY_HISTORY", f"{DB}TASK_STAGING_TO_PROD_INVENTORY_CURRENT"
    assert suspend.index(history) < suspend.index(current)
    assert resume.index(current) < resume.index(history)


def test_suspend_and_resume_run_and_are_audited(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    result = admin.run(admin.plan_suspend_all(), "alice")
    assert result.ok and result.finished_at >= result.started_at
    assert set(pipeline_service.task_list(deployed)["STATE"]) == {"suspended"}
    assert admin.run(admin.plan_resume_all(), "alice").ok
    assert set(pipeline_service.task_list(deployed)["STATE"]) == {"started"}
    rows = audit(deployed)
    assert rows[["ACTOR", "ACTION", "TARGET", "OUTCOME"]].values.tolist() == [
        ["alice", "suspend", "graph", "succeeded"],
        ["alice", "resume", "graph", "succeeded"],
    ]
    assert rows["FINISHED_AT"].notna().all()
    assert "ALTER TASK" in rows.iloc[0]["DETAILS"]  # the statements run, as JSON


def test_graphs_run_from_their_root_and_names_come_from_the_dag(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    assert admin.plan_execute("task_raw_to_staging_orders").statements == (
        f"EXECUTE TASK {DB}TASK_RAW_TO_STAGING_ORDERS",
    )
    # a child runs through its root (Snowflake refuses EXECUTE TASK on a child)
    assert admin.plan_execute("TASK_STAGING_TO_PROD_ORDERS").target == f"{DB}TASK_RAW_TO_STAGING_ORDERS"
    retry = admin.plan_retry_last("TASK_RAW_TO_STAGING_INVENTORY")
    assert retry.statements == (f"EXECUTE TASK {DB}TASK_RAW_TO_STAGING_INVENTORY RETRY LAST",)
    assert retry.target == f"{DB}TASK_RAW_TO_STAGING_INVENTORY"
    assert admin.plan_retention().statements == (f"EXECUTE TASK {DB}TASK_PURGE_RETENTION",)
    assert f"{DB}TASK_PURGE_RETENTION" not in admin.roots()  # it has its own action
    for bad in ("NO_SUCH_TASK", "X; DROP TABLE Y", "TASK_RAW_TO_STAGING_ORDERS --", ""):
        with pytest.raises(UnknownTaskError):
            admin.plan_execute(bad)
    with pytest.raises(ValueError, match="unknown admin action"):
        admin.plan("drop_everything")


def test_a_failing_statement_is_reported_and_audited(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    result = admin.run(admin.plan_retry_last("TASK_RAW_TO_STAGING_ORDERS"), "bob")  # nothing failed: refused
    assert result.outcome == "failed" and "did not fail" in (result.error or "")
    last = audit(deployed).iloc[-1]
    assert (last["ACTION"], last["OUTCOME"]) == ("retry_last", "failed")
    assert last["ERROR_MESSAGE"] == result.error


def test_a_child_of_a_running_graph_is_refused_with_its_root_named(deployed: LocalWarehouse) -> None:
    """Snowflake changes a child only while its root is suspended (alter-task): the refusal is audited and the
    result names the root to act on instead; once the root is suspended the same action succeeds."""
    admin = service(deployed, admin_users=("bob",))
    child = admin.plan_task("resume", "TASK_STAGING_TO_PROD_ORDERS")
    result = admin.run(child, "bob")
    assert result.outcome == "failed" and "not suspended" in (result.error or "")
    assert result.blocked_by_root == "TASK_RAW_TO_STAGING_ORDERS"
    assert audit(deployed).iloc[-1]["OUTCOME"] == "failed"
    assert admin.run(admin.plan_task("suspend", "TASK_RAW_TO_STAGING_ORDERS"), "bob").ok
    retried = admin.run(child, "bob")
    assert retried.ok and retried.blocked_by_root is None


def test_execute_and_retention_run(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    assert admin.run(admin.plan_execute("TASK_RAW_TO_STAGING_ORDERS"), "carol").ok
    assert admin.run(admin.plan_retention(), "carol").ok
    history = deployed.query(
        "select NAME, STATE from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 50))"
    )
    assert "TASK_PURGE_RETENTION" in set(history["NAME"])


def test_deploy_previews_then_applies(deployed: LocalWarehouse) -> None:
    admin = service(deployed)
    preview = admin.plan_deploy()
    assert any(s.startswith("create or replace task") for s in preview.statements)
    assert not any("create or replace table" in s.lower() for s in preview.statements)  # tables are kept
    result = admin.run(preview, "dana")
    assert result.ok and result.applied
    assert set(pipeline_service.task_list(deployed)["STATE"]) == {"started"}  # running graphs resumed


def test_a_viewer_who_is_not_admin_is_refused_and_audited(deployed: LocalWarehouse) -> None:
    admin = service(deployed, local_is_admin=False, admin_users=("Alice",))
    refused = admin.run(admin.plan_suspend_all(), "mallory")
    assert refused.outcome == "refused"
    assert set(pipeline_service.task_list(deployed)["STATE"]) == {"started"}  # nothing ran
    assert audit(deployed).iloc[-1]["OUTCOME"] == "refused"
    assert admin.run(admin.plan_suspend_all(), "alice").ok  # listed (case-insensitive)


def test_who_is_an_admin(deployed: LocalWarehouse) -> None:
    assert service(deployed).allowed("anyone")  # local backend: the developer's own machine
    listed = dataclasses.replace(Settings(), admin_users=("ops.lead",), local_is_admin=False)
    on_snowflake = AdminService(deployed, listed, "sis")
    assert on_snowflake.allowed("OPS.LEAD")
    assert not on_snowflake.allowed("someone")
    assert not AdminService(deployed, Settings(), "sis").allowed("anyone")  # local_is_admin is local only
