"""Deploying the alerts (deploy_sql/90_alerts.sql) is safe on a live pipeline, like the tasks: a started alert is
suspended before it is replaced and resumed afterwards; a new alert is created suspended (create-alert: "Newly
created or cloned alerts are suspended upon creation", https://docs.snowflake.com/en/sql-reference/sql/create-alert)
and stays so unless the deployment starts new objects (the local default). The notification integration is the
configured one."""

from __future__ import annotations

import pytest

from caves.alerting import parse_create_alert, render_notification_integration
from caves.deploy import plan_deploy
from caves.objects import ObjectSyntaxError, load_statements
from caves.services import alerts_service

STATEMENTS = load_statements()
ALERTS = [s.name for s in STATEMENTS if s.kind == "alert"]


def test_deploy_sql_has_the_seven_alerts_each_with_schedule_condition_and_action() -> None:
    assert [a.rsplit(".", 1)[-1] for a in ALERTS] == [
        "ALERT_TASK_FAILURES", "ALERT_PIPELINE_LATENCY", "ALERT_STREAM_BACKLOG", "ALERT_RECONCILIATION",
        "ALERT_REJECTED_RATE", "ALERT_STOCKOUT", "ALERT_DATA_QUALITY",
    ]  # fmt: skip
    for stmt in STATEMENTS:
        if stmt.kind == "alert":
            alert = parse_create_alert(stmt.sql)
            assert alert.schedule and alert.condition and alert.action
            assert "ALERT_LOG" in alert.action and "SYSTEM$SEND_SNOWFLAKE_NOTIFICATION" in alert.action


def test_first_deployment_leaves_new_alerts_suspended() -> None:
    plan = plan_deploy(STATEMENTS, None)
    assert not [p for p in plan if p.startswith("alter alert")]
    assert [p.split()[4] for p in plan if p.startswith("create or replace alert")] == ALERTS
    started = plan_deploy(STATEMENTS, None, resume_new_alerts=True)
    assert [p for p in started if p.startswith("alter alert")] == [f"alter alert {a} resume" for a in ALERTS]


def test_redeploying_suspends_the_started_alerts_first_and_resumes_them_last() -> None:
    state = {
        "database_exists": True,
        "alerts": {ALERTS[0]: "started", ALERTS[1]: "suspended"},
    }
    plan = plan_deploy(STATEMENTS, state)
    assert plan[0] == f"alter alert {ALERTS[0]} suspend"
    assert plan[-1] == f"alter alert {ALERTS[0]} resume"
    assert f"alter alert {ALERTS[1]} resume" not in plan  # suspended on purpose: it stays suspended
    replaced = next(k for k, p in enumerate(plan) if p.startswith(f"create or replace alert {ALERTS[0]}"))
    assert 0 < replaced < len(plan) - 1
    assert not [p for p in plan if p.lower().startswith(("drop", "alter alert if exists"))]


def test_the_configured_integration_is_written_into_the_alerts() -> None:
    plan = plan_deploy(STATEMENTS, None, notification_integration="OPS_EMAIL")
    alerts = [p for p in plan if p.startswith("create or replace alert")]
    assert all("INTEGRATION('OPS_EMAIL')" in p and "CAVES_ALERTS_NOTIFY" not in p for p in alerts)
    with pytest.raises(ValueError, match="plain identifier"):
        render_notification_integration(alerts[0], "x'); drop table t; --")


def test_a_malformed_alert_is_a_readable_error() -> None:
    with pytest.raises(ObjectSyntaxError, match="THEN"):
        parse_create_alert("create alert A schedule = '1 MINUTE' if (exists (select 1))")


def test_alert_names_only_come_from_deploy_sql() -> None:
    assert alerts_service.resolve_alert("alert_stockout") == "CAVES_ALBERT_DB.OPS.ALERT_STOCKOUT"
    with pytest.raises(alerts_service.UnknownAlertError, match="unknown alert"):
        alerts_service.plan_alert_action("alert_execute", "ALERT_STOCKOUT; drop table x")
    action = alerts_service.plan_alert_action("alert_suspend", "ALERT_STOCKOUT")
    assert action.statements == ("ALTER ALERT CAVES_ALBERT_DB.OPS.ALERT_STOCKOUT SUSPEND",)
