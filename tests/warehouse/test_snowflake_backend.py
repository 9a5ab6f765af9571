"""caves.warehouse.snowflake: the real snowflake-connector-python against fakesnow's server on 127.0.0.1.

What runs here goes over HTTP exactly as it would to Snowflake: login, qmark binds, array binding, Arrow
results, session loss. The packaged queries run against the tables of deploy_sql/ (created plainly by the
``pipeline_tables`` fixture) filled with a small, hand-checked data set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import fakesnow.server as fakesnow_server
import pandas as pd
import pytest
import snowflake.connector
from starlette.responses import JSONResponse
from starlette.routing import Route

from caves.catalog import load_catalog
from caves.warehouse.base import Warehouse
from caves.warehouse.snowflake import SnowflakeWarehouse, WarehouseConnectionError

# Catalog queries fakesnow cannot run (it has no streams or tasks, see the reference LOCAL_ENGINE.md), with
# why. They are expected to fail (strict: if fakesnow learns them, the test says so and they move back).
FAKESNOW_CANNOT_RUN = {
    "alert_overview": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_failures": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_history_recent": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_runs": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_run_summary": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_cost_runs": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_cost_by_task": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_cost_by_graph": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_cost_by_day": "reads TASK_HISTORY(): fakesnow has no tasks",
    "task_graph_runs": "reads COMPLETE_TASK_GRAPHS(): fakesnow has no tasks",
    "task_graphs_current": "reads CURRENT_TASK_GRAPHS(): fakesnow has no tasks",
    "streams_pending": "calls SYSTEM$STREAM_HAS_DATA: fakesnow has no streams",
    "stream_backlog": "selects from the pipeline's streams: fakesnow has no streams",
    # Snowflake casts the text implicitly; fakesnow's server passes a REAL bind (a float parameter) to DuckDB
    # as a string, and DuckDB refuses the unary minus of `<= -?` on a string.
    "declining_products": "fakesnow passes a float bind as text, DuckDB refuses -'20.0'",
}

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)
TODAY = dt.datetime.combine(NOW.date(), dt.time())  # midnight UTC: "today" whenever the test runs
YESTERDAY = TODAY - dt.timedelta(days=1)
LAST_WEEK = TODAY - dt.timedelta(days=7)

ORDER_COLUMNS = (
    "ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, QUANTITY, UNIT_PRICE, TOTAL_AMOUNT, "
    "PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE, SHIPPING_COUNTRY, LAST_EVENT_ID, LAST_EVENT_TIMESTAMP, "
    "INGESTION_TIMESTAMP, CREATED_AT, UPDATED_AT"
)


def _order(
    order_id: str, customer: str, product: tuple[str, str, str], qty: int, price: int, status: str, when: dt.datetime
) -> tuple[Any, ...]:
    """A PRODUCTION.ORDERS row (ORDER_COLUMNS order); every timestamp is the order's time."""
    payment = "card" if qty % 2 else "paypal"
    total = qty * price
    return (order_id, customer, *product, qty, price, total, payment, status, when, "FR", f"E-{order_id}", *[when] * 4)


MARGAUX = ("P-1", "Château Margaux", "Rouge")
CHABLIS = ("P-2", "Chablis", "Blanc")
SANCERRE = ("P-3", "Sancerre", "Blanc")
ORDERS = [
    _order("O-1", "C-1", MARGAUX, 2, 50, "delivered", TODAY),
    _order("O-2", "C-2", CHABLIS, 1, 30, "confirmed", TODAY),
    _order("O-3", "C-1", MARGAUX, 3, 50, "cancelled", TODAY),  # cancelled: in no KPI
    _order("O-4", "C-3", CHABLIS, 4, 30, "shipped", YESTERDAY),
    _order("O-5", "C-2", SANCERRE, 1, 25, "delivered", LAST_WEEK),
]
STOCK = [  # PRODUCT_ID, NAME, CATEGORY, LOCATION, STOCK, ADJUSTMENTS, LAST_ADJUSTMENT_AT, UPDATED_AT
    (*MARGAUX, "Bordeaux", 5, 2, LAST_WEEK, LAST_WEEK),
    (*CHABLIS, "Beaune", 0, 3, YESTERDAY, YESTERDAY),
    (*SANCERRE, "Beaune", 120, 1, LAST_WEEK, LAST_WEEK),
]


def _raw(offset: int, order: tuple[Any, ...]) -> tuple[Any, ...]:
    """The RAW row an order event arrived as (RAW_MESSAGE and EVENT_DATA are the same JSON text)."""
    event = json.dumps({"event_id": f"E-{order[0]}"})
    when = order[10]
    return (event, event, f"E-{order[0]}", "order", when.isoformat(), "orders", 0, offset, when, f"R-{offset}")


RAW = [_raw(i, order) for i, order in enumerate(ORDERS)]


@pytest.fixture(scope="module")
def shop(pipeline_tables: None, fake_account: dict[str, Any]) -> Iterator[SnowflakeWarehouse]:
    """A warehouse whose PRODUCTION tables hold the data set above, loaded with executemany."""
    wh = SnowflakeWarehouse.from_settings(fake_account)
    for table in ("PRODUCTION.ORDERS", "PRODUCTION.INVENTORY_CURRENT", "RAW_DATA.RAW_EVENTS_STREAM"):
        wh.execute(f"delete from CAVES_ALBERT_DB.{table}")
    wh.executemany(
        f"insert into CAVES_ALBERT_DB.PRODUCTION.ORDERS ({ORDER_COLUMNS}) values ({', '.join(['?'] * 17)})", ORDERS
    )
    wh.executemany(
        "insert into CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT (PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, "
        "WAREHOUSE_LOCATION, CURRENT_STOCK_LEVEL, ADJUSTMENT_COUNT, LAST_ADJUSTMENT_AT, UPDATED_AT) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        STOCK,
    )
    wh.executemany(
        "insert into CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM (RAW_MESSAGE, EVENT_DATA, EVENT_ID, EVENT_TYPE, "
        "EVENT_TIMESTAMP, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, INGESTION_TIMESTAMP, RAW_ID) "
        "select ?, parse_json(?), ?, ?, ?, ?, ?, ?, ?, ?",
        RAW,
    )
    yield wh
    wh.close()


CATALOG = load_catalog()

# fakesnow's own noise, from inside the server: it copies DuckDB results to Arrow
pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")


@contextlib.contextmanager
def unused_port() -> Iterator[int]:
    """A localhost port that refuses connections (bound by this test, never listening)."""
    with contextlib.closing(socket.socket(type=socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    "query_id",
    [
        pytest.param(q.id, marks=pytest.mark.xfail(strict=True, reason=FAKESNOW_CANNOT_RUN[q.id]))
        if q.id in FAKESNOW_CANNOT_RUN
        else q.id
        for q in CATALOG
    ],
)
def test_catalog_query_runs_with_its_declared_columns(shop: SnowflakeWarehouse, query_id: str) -> None:
    query = CATALOG.get(query_id)
    sql, params = query.bind()
    frame = shop.query(sql, params)
    assert set(query.columns) <= set(frame.columns), f"{query_id}: missing {set(query.columns) - set(frame.columns)}"


def _run(wh: Warehouse, query_id: str, **values: Any) -> pd.DataFrame:
    sql, params = CATALOG.get(query_id).bind(values)
    return wh.query(sql, params)


def test_kpi_today_excludes_cancelled_orders(shop: SnowflakeWarehouse) -> None:
    row = _run(shop, "kpi_today").iloc[0]
    assert int(row["ORDERS_TODAY"]) == 2  # O-1, O-2 (O-3 is cancelled, O-4 was yesterday)
    assert float(row["REVENUE_TODAY"]) == 130.0
    assert int(row["CUSTOMERS_TODAY"]) == 2
    assert float(row["AVG_BASKET_TODAY"]) == 65.0


def test_top_products_by_revenue_is_ordered_and_bound(shop: SnowflakeWarehouse) -> None:
    frame = _run(shop, "top_products_by_revenue", limit=2)
    # over every date: Chablis 30 + 120, Margaux 100 (the cancelled 150 excluded), Sancerre 25 cut by limit=2
    assert frame["PRODUCT_ID"].tolist() == ["P-2", "P-1"]
    assert [float(v) for v in frame["REVENUE"]] == [150.0, 100.0]


def test_stock_alerts_use_the_bound_threshold(shop: SnowflakeWarehouse) -> None:
    assert _run(shop, "low_stock_alerts")["PRODUCT_ID"].tolist() == ["P-2", "P-1"]  # below 50, lowest first
    assert _run(shop, "low_stock_alerts", threshold=1)["PRODUCT_ID"].tolist() == ["P-2"]
    assert _run(shop, "out_of_stock")["PRODUCT_ID"].tolist() == ["P-2"]


def test_pipeline_row_counts(shop: SnowflakeWarehouse) -> None:
    counts = dict(zip(*_run(shop, "pipeline_row_counts")[["TABLE_NAME", "ROW_COUNT"]].T.values, strict=True))
    assert {name: int(n) for name, n in counts.items()} == {
        "RAW_EVENTS_STREAM": 5,
        "STG_ORDERS": 0,
        "STG_INVENTORY_ADJUSTMENTS": 0,
        "REJECTED_EVENTS": 0,
        "ORDERS": 5,
        "INVENTORY_HISTORY": 0,
        "INVENTORY_CURRENT": 3,
    }


def test_executemany_binds_an_array_and_counts_rows(shop: SnowflakeWarehouse) -> None:
    shop.execute(
        "create or replace table CAVES_ALBERT_DB.OPS.T_BULK (N integer, LABEL varchar, EVENT_AT timestamp_ntz)"
    )
    rows = [(i, None if i % 3 == 0 else f"row {i}", TODAY + dt.timedelta(minutes=i)) for i in range(250)]
    assert shop.executemany("insert into CAVES_ALBERT_DB.OPS.T_BULK (N, LABEL, EVENT_AT) values (?, ?, ?)", rows) == 250
    back = shop.query("select N, LABEL, EVENT_AT from CAVES_ALBERT_DB.OPS.T_BULK where N in (?, ?) order by N", [3, 4])
    assert back["N"].tolist() == [3, 4]
    assert back["LABEL"].isna().tolist() == [True, False]  # None bound as NULL
    assert pd.Timestamp(back["EVENT_AT"].iloc[1]) == pd.Timestamp(TODAY + dt.timedelta(minutes=4))
    assert shop.executemany("insert into CAVES_ALBERT_DB.OPS.T_BULK (N) values (?)", []) == 0


def test_query_results_have_upper_case_columns_and_bound_values(warehouse: SnowflakeWarehouse) -> None:
    frame = warehouse.query("select ? as answer, ? as label, ? is null as nothing", [42, "l'été", None])
    assert frame.columns.tolist() == ["ANSWER", "LABEL", "NOTHING"]
    assert frame.iloc[0].tolist() == [42, "l'été", True]


def test_execute_script_runs_in_order_and_returns_the_last_result(warehouse: SnowflakeWarehouse) -> None:
    frame = warehouse.execute_script(
        "create or replace table CAVES_ALBERT_DB.OPS.T_SCRIPT (A varchar);\n"
        "insert into CAVES_ALBERT_DB.OPS.T_SCRIPT (A) values ('x;y'), ('z');  -- a ';' inside a string\n"
        "select count(*) as N from CAVES_ALBERT_DB.OPS.T_SCRIPT;"
    )
    assert frame is not None and int(frame.iloc[0]["N"]) == 2
    assert warehouse.execute_script("-- nothing to run\n") is None


def test_reconnects_when_the_connection_was_closed(warehouse: SnowflakeWarehouse, caplog) -> None:
    warehouse.connection.close()
    with caplog.at_level(logging.INFO, logger="caves.warehouse.snowflake"):
        assert int(warehouse.query("select 1 as X").iloc[0]["X"]) == 1
    assert not warehouse.connection.is_closed()
    assert "Snowflake connection closed: reconnecting" in caplog.messages


def test_reconnects_when_the_server_forgot_the_session(warehouse: SnowflakeWarehouse, caplog) -> None:
    """The server drops every session (a restart, an expiry): HTTP 401 on the next request."""
    fakesnow_server.sessions.clear()
    with caplog.at_level(logging.INFO, logger="caves.warehouse.snowflake"):
        assert int(warehouse.query("select 2 as X").iloc[0]["X"]) == 2
    assert "Snowflake session lost (290401): reconnecting and retrying once" in caplog.messages


def test_reconnects_once_on_an_expired_session_and_retries_the_statement(
    warehouse: SnowflakeWarehouse, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    """Snowflake's expiry, as the connector sees it: the statement gets 390112 (session expired), the
    connector tries to renew the session and is told 390114 (token expired), and raises that. The backend
    logs in again and runs the statement once more."""
    token_request = Route(
        "/session/token-request",
        lambda _: JSONResponse({"success": False, "code": "390114", "message": "Authentication token has expired."}),
        methods=["POST"],
    )
    expired = iter([True])
    real_to_conn = fakesnow_server.to_conn

    def to_conn(token: str):
        if next(expired, False):
            raise fakesnow_server.ServerError(status_code=200, code="390112", message="Session token expired.")
        return real_to_conn(token)

    monkeypatch.setattr(fakesnow_server, "to_conn", to_conn)
    fakesnow_server.app.router.routes.append(token_request)
    try:
        with caplog.at_level(logging.INFO, logger="caves.warehouse.snowflake"):
            assert int(warehouse.query("select 3 as X").iloc[0]["X"]) == 3
    finally:
        fakesnow_server.app.router.routes.remove(token_request)
    assert "Snowflake session lost (390114): reconnecting and retrying once" in caplog.messages


def test_a_statement_error_is_not_retried(warehouse: SnowflakeWarehouse) -> None:
    with pytest.raises(snowflake.connector.errors.ProgrammingError, match="does not exist"):
        warehouse.query("select * from CAVES_ALBERT_DB.OPS.NO_SUCH_TABLE")


def test_an_unreachable_account_gives_a_readable_error_without_the_password(settings: dict[str, Any]) -> None:
    with unused_port() as port:
        settings.update(port=port, password="hunter2-do-not-print", login_timeout=1, network_timeout=1)
        with pytest.raises(WarehouseConnectionError) as caught:
            SnowflakeWarehouse.from_settings(settings)
    message = str(caught.value)
    assert message.startswith("cannot connect to Snowflake (account 'fakesnow', user 'fake', host localhost:")
    assert "hunter2" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # nothing chained to a traceback


def test_a_missing_private_key_file_is_named_and_its_passphrase_is_not(settings: dict[str, Any], tmp_path) -> None:
    del settings["password"]
    settings.update(private_key_file=str(tmp_path / "rsa_key.p8"), private_key_file_pwd="passphrase-do-not-print")
    with pytest.raises(WarehouseConnectionError) as caught:
        SnowflakeWarehouse.from_settings(settings)
    assert "rsa_key.p8" in str(caught.value)
    assert "passphrase-do-not-print" not in str(caught.value)


def test_a_connection_from_elsewhere_must_use_qmark(settings: dict[str, Any]) -> None:
    pyformat = snowflake.connector.connect(**settings)  # the connector's default paramstyle
    try:
        with pytest.raises(ValueError, match="qmark"):
            SnowflakeWarehouse.from_connection(pyformat)
    finally:
        pyformat.close()
    qmark = snowflake.connector.connect(**settings, paramstyle="qmark")  # what st.connection("snowflake") opens
    wh = SnowflakeWarehouse.from_connection(qmark)
    try:
        assert wh.backend == "snowflake"
        assert int(wh.query("select ? + 1 as X", [1]).iloc[0]["X"]) == 2
    finally:
        wh.close()
