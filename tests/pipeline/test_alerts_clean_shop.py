"""The simulated shop's 90 days, through the real pipeline: no data-quality alert, no pipeline alert, and the
stock-out alert names exactly the simulator's discontinued wines (the supplier no longer delivers them, they sell
out). EXECUTE ALERT runs each alert now: https://docs.snowflake.com/en/sql-reference/sql/execute-alert
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caves.runtime import LocalRuntime
from caves.services import alerts_service
from caves.settings import LocalSettings
from caves.simulate import CATALOGUE
from caves.warehouse.local import LocalWarehouse

DB = "CAVES_ALBERT_DB"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWarehouse]:
    path = tmp_path_factory.mktemp("shop90") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=90, seed_orders_per_day=200, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    warehouse = LocalWarehouse(Path(path))  # prepare() ran each alert once (the console's start-up check)
    yield warehouse
    warehouse.close()


def _states(shop: LocalWarehouse) -> dict[str, str]:
    history = alerts_service.alert_history(shop, limit=100)
    ran = history[history["STATE"] != "SCHEDULED"]
    return dict(zip(ran["NAME"], ran["STATE"], strict=True))


def test_ninety_simulated_days_raise_no_data_quality_or_pipeline_alert(shop: LocalWarehouse) -> None:
    states = _states(shop)
    assert states.pop("ALERT_STOCKOUT") == "TRIGGERED"
    assert states == {
        "ALERT_TASK_FAILURES": "CONDITION_FALSE",
        "ALERT_PIPELINE_LATENCY": "CONDITION_FALSE",
        "ALERT_STREAM_BACKLOG": "CONDITION_FALSE",
        "ALERT_RECONCILIATION": "CONDITION_FALSE",
        "ALERT_REJECTED_RATE": "CONDITION_FALSE",
        "ALERT_DATA_QUALITY": "CONDITION_FALSE",
    }
    assert shop.query(f"select count(*) from {DB}.PRODUCTION.VW_DATA_QUALITY_CHECKS").iloc[0, 0] == 0


def test_the_discontinued_wines_raise_the_stock_out_alert(shop: LocalWarehouse) -> None:
    discontinued = {wine.product_id for wine in CATALOGUE if wine.discontinued}
    assert len(discontinued) == 6
    board = alerts_service.board(shop)
    items = board.items_of("ALERT_STOCKOUT", "STOCK_OUT")
    # the alert names exactly the wines at zero stock: the discontinued ones, and any other a late restock emptied
    # at this moment of the simulated day (the shop's history ends now, so which one varies from run to run)
    empty = shop.query(f"select PRODUCT_ID from {DB}.PRODUCTION.INVENTORY_CURRENT where CURRENT_STOCK_LEVEL <= 0")
    assert set(items["OBJECT_KEY"]) == set(empty["PRODUCT_ID"])
    assert discontinued <= set(items["OBJECT_KEY"])
    assert set(board.open_alerts["CHECK_NAME"]) <= {"STOCK_OUT", "STOCKOUT_FORECAST"}
    assert board.by_severity()["critical"] == 1  # one open alert: the stock-outs, critical
    # the notification went to the configured integration, recorded in the local outbox
    outbox = alerts_service.outbox(shop)
    assert list(outbox["ALERT_NAME"]) == ["ALERT_STOCKOUT"]
    assert list(outbox["INTEGRATION_NAME"]) == ["CAVES_ALERTS_NOTIFY"]
