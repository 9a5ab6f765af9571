"""The Alertes page and the sidebar badge under ``streamlit.testing.v1.AppTest``, on a warehouse of their own
where a real pipeline task fails (the shared seeded warehouse of the other page tests stays untouched).

The page reads the alerts' state through caves/services/alerts_service.py; the failure is found by running the
deployed ALERT_TASK_FAILURES alert (EXECUTE ALERT, https://docs.snowflake.com/en/sql-reference/sql/execute-alert).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from caves import taskctl
from caves.deploy import deploy
from caves.ingest import Message, load_batch
from caves.local.scheduler import run_until_idle
from caves.services import alerts_service
from caves.warehouse.local import LocalWarehouse
from components import cache

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT_S = 60
DB = "CAVES_ALBERT_DB"
ADMIN = "test@example.com"
LOGIN_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "placeholder-not-a-secret",
        "client_id": "caves-console",
        "client_secret": "placeholder-not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def _order(order_id: str) -> str:
    payload = {
        "order_id": order_id, "customer_id": "CUST-1", "product_id": "WINE-0001", "product_name": "Vin",
        "product_category": "Rouge", "quantity": 1, "unit_price": 10.0, "total_amount": 10.0, "currency": "EUR",
        "payment_method": "card", "order_status": "confirmed", "order_date": "2026-12-01T10:00:00Z",
        "shipping_country": "FR",
    }  # fmt: skip
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "order",
                       "event_timestamp": "2026-12-01T10:00:00Z", "payload": payload})  # fmt: skip


def inject_task_failure(path: Path) -> None:
    """Deploy, make the orders graph's child fail (its body divides by zero), let an order arrive, run the graph and
    the alert."""
    w = LocalWarehouse(path)
    try:
        deploy(w, resume_new_graphs=True)
        root, child = f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS", f"{DB}.OPS.TASK_STAGING_TO_PROD_ORDERS"
        taskctl.run(w, taskctl.suspend_statements(root))
        w.execute(f"alter task {child} modify as select 1 / 0")
        taskctl.run(w, taskctl.resume_statements(root))
        load_batch(w, [Message(_order("ORD-1"), "test", 0, 0)])
        run_until_idle(w.engine)
        w.execute(alerts_service.execute_statement("ALERT_TASK_FAILURES"))
    finally:
        w.close()


@pytest.fixture
def failed_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "failed.duckdb"
    inject_task_failure(path)
    monkeypatch.setenv("CAVES_DB", str(path))
    monkeypatch.setenv("CAVES_BACKGROUND", "off")
    monkeypatch.setattr(cache, "_SETTINGS", dataclasses.replace(cache.settings(), admin_users=(ADMIN,)))
    cache.backend.clear()  # the backend is a process-wide resource: this test's warehouse, then the shared one again
    cache.clear()
    yield path
    cache.backend.clear()
    cache.clear()


def open_alerts_page(language: str = "fr", signed_in: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if signed_in:
        at.user = {"is_logged_in": True, "email": ADMIN}
        at.secrets.update(LOGIN_SECRETS)
    at.run()
    if language != "fr":
        at.sidebar.radio[0].set_value(language).run()
    at.switch_page("app_pages/alerts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_badge_counts_the_open_alert_on_every_page(failed_shop: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    badges = [m.value for m in at.sidebar.markdown if "alerte" in m.value]
    assert any("1 alerte(s) ouverte(s)" in b for b in badges), badges
    at.switch_page("app_pages/stock.py").run()
    assert any("1 alerte(s) ouverte(s)" in m.value for m in at.sidebar.markdown)


def test_the_page_shows_the_failed_task_by_severity_with_its_rows(failed_shop: Path) -> None:
    at = open_alerts_page()
    assert [m.value for m in at.metric] == ["1", "0", "0"]  # critical, warning, info
    titles = [e.label for e in at.expander]
    assert titles == ["Critique · Tâche en échec — Tâches en échec · 1 ligne(s)"], titles
    rows = at.dataframe[0].value
    assert rows["OBJECT_KEY"].iloc[0].startswith("TASK_STAGING_TO_PROD_ORDERS @ ")
    assert "Division by zero" in rows["DETAIL"].iloc[0]
    assert not [b for b in at.button if b.label == "Acquitter"]  # an anonymous viewer cannot acknowledge
    assert any("administrateur" in c.value for c in at.caption)


def test_the_page_in_english(failed_shop: Path) -> None:
    at = open_alerts_page("en")
    assert at.title[0].value == "Alerts"
    assert [e.label for e in at.expander] == ["Critical · Task failed — Task failures · 1 row(s)"]
    assert any("1 open alert(s)" in m.value for m in at.sidebar.markdown)


def test_an_admin_acknowledges_with_audit_and_the_alert_closes(failed_shop: Path) -> None:
    at = open_alerts_page(signed_in=True)
    at.text_input[0].input("relancée à la main")
    [ack] = [b for b in at.button if b.label == "Acquitter"]
    ack.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("acquittée" in s.value for s in at.success)
    assert not at.expander
    assert any("Aucune alerte ouverte" in m.value for m in at.sidebar.markdown)
    w = LocalWarehouse(failed_shop)
    try:
        audit = w.query(
            f"select ACTOR, ACTION, TARGET, OUTCOME, SOURCE from {DB}.OPS.ADMIN_AUDIT_LOG "
            "order by STARTED_AT desc limit 1"
        ).iloc[0]
        ack = w.query(f"select ACKNOWLEDGED_BY, NOTE from {DB}.OPS.ALERT_ACKNOWLEDGEMENTS").iloc[0]
    finally:
        w.close()
    assert tuple(audit) == (ADMIN, "acknowledge", "ALERT_TASK_FAILURES.TASK_FAILED", "succeeded", "console")
    assert tuple(ack) == (ADMIN, "relancée à la main")


def test_the_admin_page_executes_an_alert_like_a_task(failed_shop: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.user = {"is_logged_in": True, "email": ADMIN}
    at.secrets.update(LOGIN_SECRETS)
    at.run()
    at.switch_page("app_pages/admin.py").run()
    at.selectbox(key="admin.alert").set_value(f"{DB}.OPS.ALERT_STOCKOUT").run()
    at.button(key="admin.alert_suspend").click().run()
    at.button(key="admin.confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    w = LocalWarehouse(failed_shop)
    try:
        states = dict(alerts_service.list_alerts(w)[["NAME", "STATE"]].itertuples(index=False))
        last = w.query(f"select ACTION, TARGET, OUTCOME from {DB}.OPS.ADMIN_AUDIT_LOG order by STARTED_AT desc limit 1")
    finally:
        w.close()
    assert states["ALERT_STOCKOUT"] == "suspended" and states["ALERT_TASK_FAILURES"] == "started"
    assert tuple(last.iloc[0]) == ("alert_suspend", f"{DB}.OPS.ALERT_STOCKOUT", "succeeded")
