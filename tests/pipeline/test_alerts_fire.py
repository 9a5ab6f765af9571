"""The alerts of deploy_sql/90_alerts.sql fire on hand-made events built to trigger each one, stay silent on a
clean shop, and open / close in the console's board (caves/services/alerts_service.py).

Events go through the real pipeline (RAW -> STAGING -> PRODUCTION by the deployed tasks); rows the pipeline can
never produce (NULL or duplicate keys in PRODUCTION) are written straight into PRODUCTION, as a faulty manual load
would. ALERT rules: https://docs.snowflake.com/en/sql-reference/sql/create-alert (the action runs when the condition
returns rows) and https://docs.snowflake.com/en/sql-reference/sql/execute-alert.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest

from caves import taskctl
from caves.deploy import deploy
from caves.ingest import Message, load_batch
from caves.local.scheduler import run_until_idle
from caves.services import alerts_service
from caves.services.admin_service import AdminService
from caves.settings import Settings
from caves.warehouse.local import LocalWarehouse

DB = "CAVES_ALBERT_DB"
ALERTS = [n.rsplit(".", 1)[-1] for n in alerts_service.alert_names()]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def order(order_id: str, product: str, *, quantity: int = 1, price: float = 10.0, total: float | None = None,
          when: dt.datetime | None = None, status: str = "confirmed") -> str:  # fmt: skip
    when = when or now() - dt.timedelta(minutes=5)
    payload = {
        "order_id": order_id, "customer_id": "CUST-1", "product_id": product, "product_name": f"Vin {product}",
        "product_category": "Rouge", "quantity": quantity, "unit_price": price,
        "total_amount": round(quantity * price, 2) if total is None else total, "currency": "EUR",
        "payment_method": "card", "order_status": status, "order_date": iso(when), "shipping_country": "FR",
    }  # fmt: skip
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "order", "event_timestamp": iso(when),
                       "payload": payload})  # fmt: skip


def adjustment(product: str, change: int, kind: str, when: dt.datetime | None = None) -> str:
    when = when or now() - dt.timedelta(minutes=5)
    payload = {
        "adjustment_id": f"ADJ-{uuid.uuid4()}", "product_id": product, "product_name": f"Vin {product}",
        "product_category": "Rouge", "warehouse_location": "CAVE-A-01", "adjustment_type": kind,
        "quantity_change": change, "reason": "test",
    }  # fmt: skip
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "inventory_adjustment",
                       "event_timestamp": iso(when), "payload": payload})  # fmt: skip


def ingest(w: LocalWarehouse, texts: list[str], ingested_at: dt.datetime | None = None) -> None:
    load_batch(w, [Message(text, "test", 0, k) for k, text in enumerate(texts)], ingested_at=ingested_at)


def run_pipeline(w: LocalWarehouse) -> None:
    run_until_idle(w.engine)


def execute(w: LocalWarehouse, alert: str) -> str:
    w.execute(alerts_service.execute_statement(alert))
    return w.query(
        f"select STATE from table({DB}.INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => ?)) "
        "where STATE <> 'SCHEDULED' order by SCHEDULED_TIME desc limit 1",
        [alert],
    ).iloc[0, 0]


def logged(w: LocalWarehouse, alert: str) -> list[tuple]:
    """What the alert's latest run wrote to OPS.ALERT_LOG: (CHECK_NAME, OBJECT_KEY, DETAIL)."""
    frame = w.query(
        f"select CHECK_NAME, OBJECT_KEY, DETAIL from {DB}.OPS.ALERT_LOG where ALERT_NAME = ? and DETECTED_AT = "
        f"(select max(DETECTED_AT) from {DB}.OPS.ALERT_LOG where ALERT_NAME = ?) order by 1, 2",
        [alert, alert],
    )
    return [tuple(r) for r in frame.itertuples(index=False)]


def open_checks(w: LocalWarehouse) -> set[tuple[str, str]]:
    board = alerts_service.board(w)
    return {(r.ALERT_NAME, r.CHECK_NAME) for r in board.open_alerts.itertuples()}


@pytest.fixture
def shop() -> Iterator[LocalWarehouse]:
    """A deployed warehouse (task graphs and alerts started) with a small clean stock: WINE-OK restocked today."""
    w = LocalWarehouse(":memory:")
    deploy(w, resume_new_graphs=True)
    ingest(w, [adjustment("WINE-OK", 500, "restock"), order("ORD-OK-1", "WINE-OK", quantity=2)])
    run_pipeline(w)
    yield w
    w.close()


def test_a_clean_shop_raises_no_alert(shop: LocalWarehouse) -> None:
    assert {alert: execute(shop, alert) for alert in ALERTS} == dict.fromkeys(ALERTS, "CONDITION_FALSE")
    assert alerts_service.board(shop).open_count == 0


def test_a_failed_task_fires_and_stays_open_until_acknowledged(shop: LocalWarehouse) -> None:
    """The failure is in the real graph: the orders child's body is replaced by one that fails, then an order
    arrives. The alert looks at failures since its last successful check: the next run finds none (CONDITION_FALSE)
    but the failure stays open on the board until acknowledged, and the acknowledgement is audited."""
    root, child = f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS", f"{DB}.OPS.TASK_STAGING_TO_PROD_ORDERS"
    taskctl.run(shop, taskctl.suspend_statements(root))
    shop.execute(f"alter task {child} modify as select 1 / 0")
    taskctl.run(shop, taskctl.resume_statements(root))
    ingest(shop, [order("ORD-FAIL-1", "WINE-OK")])
    run_pipeline(shop)
    assert execute(shop, "ALERT_TASK_FAILURES") == "TRIGGERED"
    [(check, key, detail)] = logged(shop, "ALERT_TASK_FAILURES")
    assert check == "TASK_FAILED" and key.startswith("TASK_STAGING_TO_PROD_ORDERS @ ") and "Division by zero" in detail
    assert execute(shop, "ALERT_TASK_FAILURES") == "CONDITION_FALSE"
    assert ("ALERT_TASK_FAILURES", "TASK_FAILED") in open_checks(shop)

    service = AdminService(shop, Settings(), "local", source="cli")
    result = alerts_service.acknowledge(service, "ops-user", "ALERT_TASK_FAILURES", "TASK_FAILED", note="fixed")
    assert result.ok
    assert ("ALERT_TASK_FAILURES", "TASK_FAILED") not in open_checks(shop)
    audit = shop.query(
        f"select ACTOR, ACTION, TARGET, OUTCOME, SOURCE from {DB}.OPS.ADMIN_AUDIT_LOG order by STARTED_AT desc limit 1"
    ).iloc[0]
    assert tuple(audit) == ("ops-user", "acknowledge", "ALERT_TASK_FAILURES.TASK_FAILED", "succeeded", "cli")


def test_an_auto_suspended_root_fires(shop: LocalWarehouse) -> None:
    root = f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS"
    taskctl.run(shop, taskctl.suspend_statements(root))
    shop.execute(f"alter task {root} set SUSPEND_TASK_AFTER_NUM_FAILURES = 1")
    shop.execute(f"alter task {root} modify as select 1 / 0")
    taskctl.run(shop, taskctl.resume_statements(root))
    ingest(shop, [order("ORD-FAIL-2", "WINE-OK")])
    run_pipeline(shop)
    assert execute(shop, "ALERT_TASK_FAILURES") == "TRIGGERED"
    assert [c for c, *_ in logged(shop, "ALERT_TASK_FAILURES")] == ["TASK_AUTO_SUSPENDED"]


def test_a_stopped_pipeline_fires_latency_backlog_and_reconciliation_then_clears(shop: LocalWarehouse) -> None:
    """Messages that landed 15 minutes ago while the graphs were suspended: older than the stale latency (300 s),
    the stream backlog (600 s) and the in-flight threshold (120 s). Once the pipeline catches up, the next runs
    find the conditions false and the state alerts close."""
    for root in [f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS", f"{DB}.OPS.TASK_RAW_TO_STAGING_INVENTORY"]:
        taskctl.run(shop, taskctl.suspend_statements(root))
    ingest(shop, [order("ORD-LATE-1", "WINE-OK"), order("ORD-LATE-2", "WINE-OK")], now() - dt.timedelta(minutes=15))
    assert execute(shop, "ALERT_PIPELINE_LATENCY") == "TRIGGERED"
    assert execute(shop, "ALERT_STREAM_BACKLOG") == "TRIGGERED"
    assert execute(shop, "ALERT_RECONCILIATION") == "TRIGGERED"
    assert [c for c, *_ in logged(shop, "ALERT_PIPELINE_LATENCY")] == ["LATENCY_STALE"]
    assert [(c, k) for c, k, _ in logged(shop, "ALERT_STREAM_BACKLOG")] == [("STREAM_BACKLOG", "STREAM_RAW_ORDERS")]
    assert len(logged(shop, "ALERT_RECONCILIATION")) == 2  # one row per unaccounted RAW row, keyed by RAW_ID
    assert {"ALERT_PIPELINE_LATENCY", "ALERT_STREAM_BACKLOG", "ALERT_RECONCILIATION"} <= {
        a for a, _ in open_checks(shop)
    }
    for root in [f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS", f"{DB}.OPS.TASK_RAW_TO_STAGING_INVENTORY"]:
        taskctl.run(shop, taskctl.resume_statements(root))
    run_pipeline(shop)
    for alert in ("ALERT_PIPELINE_LATENCY", "ALERT_STREAM_BACKLOG", "ALERT_RECONCILIATION"):
        assert execute(shop, alert) == "CONDITION_FALSE"
    assert open_checks(shop) == set()


def test_a_burst_of_rejected_messages_fires(shop: LocalWarehouse) -> None:
    ingest(shop, [f"not json {k}" for k in range(25)])
    run_pipeline(shop)
    assert execute(shop, "ALERT_REJECTED_RATE") == "TRIGGERED"
    [(check, key, reason)] = logged(shop, "ALERT_REJECTED_RATE")
    assert (check, key, reason) == ("REJECTED_RATE", "LAST_HOUR", "not valid JSON")


def test_stock_out_and_a_stockout_forecast_without_restock_fire(shop: LocalWarehouse) -> None:
    """WINE-GONE sold its last bottles; WINE-LOW has 3 days of stock left (30 sold in 30 days) and its last
    delivery was 20 days ago; WINE-COMING is as low but a delivery arrived yesterday: not an alert."""
    t20 = now() - dt.timedelta(days=20)
    events = [adjustment("WINE-GONE", 10, "restock", t20), adjustment("WINE-GONE", -10, "sale")]
    for product, restock in (("WINE-LOW", 33), ("WINE-COMING", 32)):
        events.append(adjustment(product, restock, "restock", t20))
        for k in range(3):
            events.append(order(f"ORD-{product}-{k}", product, quantity=10, when=now() - dt.timedelta(days=5 + k)))
            events.append(adjustment(product, -10, "sale", now() - dt.timedelta(days=5 + k)))
    events.append(adjustment("WINE-COMING", 1, "restock", now() - dt.timedelta(days=1)))
    ingest(shop, events)
    run_pipeline(shop)
    assert execute(shop, "ALERT_STOCKOUT") == "TRIGGERED"
    assert [(c, k) for c, k, _ in logged(shop, "ALERT_STOCKOUT")] == [
        ("STOCKOUT_FORECAST", "WINE-LOW"),
        ("STOCK_OUT", "WINE-GONE"),
    ]
    # the console reads each measure in its unit: days of stock left (3 bottles at 1 a day), bottles in stock
    board = alerts_service.board(shop)
    forecast = board.items_of("ALERT_STOCKOUT", "STOCKOUT_FORECAST")
    assert "MEASURED_VALUE" not in forecast.columns
    assert forecast["DAYS_OF_STOCK_LEFT"].dtype == float
    assert forecast["DAYS_OF_STOCK_LEFT"].tolist() == pytest.approx([3.0])
    assert board.items_of("ALERT_STOCKOUT", "STOCK_OUT")["CURRENT_STOCK_LEVEL"].tolist() == [0.0]


def test_each_data_quality_check_fires_on_its_own_faulty_rows(shop: LocalWarehouse) -> None:
    later = now() + dt.timedelta(days=2)
    ingest(
        shop,
        [
            order("ORD-DISCOUNT", "WINE-OK", quantity=2, price=10.0, total=5.0),  # 75 % off: more than any discount
            order("ORD-UNKNOWN", "WINE-NOBODY-KNOWS"),
            order("ORD-FUTURE", "WINE-OK", when=later),
            adjustment("WINE-NEG", 5, "restock"),
            adjustment("WINE-NEG", -8, "sale"),
        ],
    )
    run_pipeline(shop)
    # Rows no pipeline step writes: a manual load that duplicated an order (Snowflake enforces no PRIMARY KEY or
    # UNIQUE), an order whose customer was blanked after someone relaxed the NOT NULL constraint, and a table not
    # loaded for 7 hours.
    shop.execute(f"insert into {DB}.PRODUCTION.ORDERS select * from {DB}.PRODUCTION.ORDERS where ORDER_ID = 'ORD-OK-1'")
    shop.execute(f"alter table {DB}.PRODUCTION.ORDERS alter column CUSTOMER_ID drop not null")
    shop.execute(f"update {DB}.PRODUCTION.ORDERS set CUSTOMER_ID = null where ORDER_ID = 'ORD-DISCOUNT'")
    shop.execute(f"update {DB}.PRODUCTION.INVENTORY_CURRENT set UPDATED_AT = dateadd(hour, -7, UPDATED_AT)")
    assert execute(shop, "ALERT_DATA_QUALITY") == "TRIGGERED"
    found = logged(shop, "ALERT_DATA_QUALITY")
    by_check: dict[str, set[str]] = {}
    for check, key, _detail in found:
        by_check.setdefault(check, set()).add(key)
    assert by_check == {
        "DQ_TOTAL_MISMATCH": {"ORD-DISCOUNT"},
        "DQ_UNKNOWN_PRODUCT": {"ORD-UNKNOWN"},
        "DQ_FUTURE_DATE": {"ORD-FUTURE"},
        "DQ_NEGATIVE_STOCK": {"WINE-NEG"},
        "DQ_NULL_KEY": {"ORD-DISCOUNT"},
        "DQ_DUPLICATE_KEY": {"ORD-OK-1"},
        "DQ_FRESHNESS": {"PRODUCTION.INVENTORY_CURRENT"},
    }
    assert {(a, c) for a, c in open_checks(shop) if a == "ALERT_DATA_QUALITY"} == {
        ("ALERT_DATA_QUALITY", check) for check in by_check
    }
