"""The Snowflake protocol of caves/wire, through the real snowflake-connector-python (no mock anywhere).

Reference for the connector behaviours used here (binding, executemany, multiple statements, asynchronous queries,
describe): https://docs.snowflake.com/en/developer-guide/python-connector/python-connector-example and
https://docs.snowflake.com/en/developer-guide/python-connector/python-connector-api.
"""

from __future__ import annotations

import datetime as dt
import decimal
import threading
import time
from typing import Any

import pandas as pd
import pytest
import requests
import snowflake.connector
from snowflake.connector.constants import QueryStatus
from snowflake.connector.errors import DatabaseError, ProgrammingError

from caves.wire import statements
from caves.wire.server import check_binding, is_loopback

from .server import RunningServer, running_server

DB = "WIRE_DB"


@pytest.fixture(scope="module")
def table(wire_server: RunningServer) -> str:
    """A table of every column type the pipeline uses, created through the wire."""
    conn = snowflake.connector.connect(**wire_server.account())
    try:
        cur = conn.cursor()
        cur.execute(f"create database if not exists {DB}")
        cur.execute(
            f"create or replace table {DB}.PUBLIC.T (N integer, LABEL varchar, AT_NTZ timestamp_ntz, "
            "AMOUNT number(12, 2), DAY date, OK boolean, RATIO float, DOC variant)"
        )
    finally:
        conn.close()
    return f"{DB}.PUBLIC.T"


def record(server: RunningServer, query_id: str) -> dict[str, Any]:
    """The answer the server sent for a query id (statementTypeId, rowtype...)."""
    found = server.wire.queries.get(query_id)
    assert found is not None and found.data is not None
    return found.data


# --- login, session parameters, logout -------------------------------------------------------------------------


def test_login_gives_the_session_parameters_the_connector_reads(connect, wire_server: RunningServer) -> None:
    conn = connect(database=DB.lower(), schema="public")
    params = conn._session_parameters
    assert params["AUTOCOMMIT"] is True
    assert params["TIMEZONE"] == "UTC"
    assert params["CLIENT_STAGE_ARRAY_BINDING_THRESHOLD"] == 0  # binds stay inline: no PUT to a stage
    assert conn.session_id is not None and conn.rest.master_token  # so that close() can log out
    assert (conn.database, conn.schema) == (DB, "PUBLIC")  # unquoted names resolved upper-case
    assert conn.cursor().execute("select current_database(), current_schema()").fetchone() == (DB, "PUBLIC")


def test_close_logs_out_and_ends_the_engine_session(connect, wire_server: RunningServer) -> None:
    before = len(wire_server.wire.sessions)
    conn = connect()
    assert len(wire_server.wire.sessions) == before + 1
    conn.close()
    assert conn.is_closed()
    assert len(wire_server.wire.sessions) == before


def test_heartbeat_and_token_renewal(connect, wire_server: RunningServer) -> None:
    conn = connect()
    assert conn.rest._heartbeat()["success"] is True  # what client_session_keep_alive sends
    old = conn.rest.token
    wire_server.wire.sessions.expire_all()  # the session token expires: 390112, the connector renews it
    assert conn.cursor().execute("select 41 + 1").fetchone() == (42,)
    assert conn.rest.token != old


def test_a_forgotten_session_is_reported_as_gone(connect, wire_server: RunningServer) -> None:
    conn = connect()
    wire_server.wire.sessions.close(wire_server.wire.sessions.by_session_token(conn.rest.token))
    with pytest.raises(ProgrammingError) as caught:
        conn.cursor().execute("select 1")
    assert caught.value.errno == 390111  # caves.warehouse.snowflake logs in again on it


def test_each_snowflake_session_has_its_own_engine_session(connect, table: str) -> None:
    a, b = connect(), connect()
    a.cursor().execute(f"use schema {DB}.PUBLIC")
    assert a.cursor().execute("select current_database()").fetchone() == (DB,)
    assert b.cursor().execute("select current_database()").fetchone() != (DB,)
    # an open transaction is the session's own: uncommitted rows are not seen by the other session
    a.cursor().execute("begin")
    a.cursor().execute(f"insert into {table} (N) values (-1)")
    assert b.cursor().execute(f"select count(*) from {table} where N = -1").fetchone() == (0,)
    a.cursor().execute("rollback")
    assert a.cursor().execute(f"select count(*) from {table} where N = -1").fetchone() == (0,)


def test_autocommit_off_keeps_changes_until_commit(connect, table: str) -> None:
    """AUTOCOMMIT=FALSE: a DML statement opens a transaction that COMMIT or ROLLBACK ends
    (https://docs.snowflake.com/en/sql-reference/parameters#autocommit)."""
    conn = connect(autocommit=False)
    assert conn._session_parameters["AUTOCOMMIT"] is False
    cur = conn.cursor()
    cur.execute(f"insert into {table} (N) values (-2)")
    conn.rollback()
    assert cur.execute(f"select count(*) from {table} where N = -2").fetchone() == (0,)
    cur.execute(f"insert into {table} (N) values (-3)")
    conn.commit()
    assert connect().cursor().execute(f"select count(*) from {table} where N = -3").fetchone() == (1,)
    cur.execute(f"delete from {table} where N = -3")
    conn.commit()


# --- binds, array binding, results ------------------------------------------------------------------------------

ROW = (
    7,
    "l'été",
    dt.datetime(1969, 7, 20, 20, 17, 40, 123456),  # before the epoch: the struct's fraction stays positive
    decimal.Decimal("1234567890.25"),
    dt.date(2026, 2, 28),
    True,
    0.125,
)


def test_qmark_binds_of_every_type_come_back_as_sent(connect, table: str) -> None:
    cur = connect(paramstyle="qmark").cursor()
    cur.execute(
        f"insert into {table} (N, LABEL, AT_NTZ, AMOUNT, DAY, OK, RATIO, DOC) select ?, ?, ?, ?, ?, ?, ?, parse_json(?)",
        [*ROW, '{"k": [1, 2]}'],
    )
    assert cur.rowcount == 1
    cur.execute(f"select N, LABEL, AT_NTZ, AMOUNT, DAY, OK, RATIO from {table} where N = ? and LABEL = ?", [7, ROW[1]])
    assert cur.fetchall() == [ROW]
    described = {d.name: d for d in cur.description}
    assert (described["AMOUNT"].precision, described["AMOUNT"].scale) == (12, 2)
    assert described["AT_NTZ"].type_code == 8 and described["AT_NTZ"].scale == 9  # TIMESTAMP_NTZ(9)
    assert described["N"].type_code == 0 and described["LABEL"].type_code == 2  # FIXED, TEXT
    cur.execute(f"select DOC:k[1]::int as K, DOC from {table} where N = 7")
    k, doc = cur.fetchone()
    assert k == 2 and '"k"' in doc  # VARIANT arrives as its JSON text
    cur.execute(f"delete from {table} where N = 7")


def test_pyformat_binds_are_interpolated_by_the_connector(connect, table: str) -> None:
    cur = connect().cursor()  # the connector's default paramstyle
    cur.execute(f"insert into {table} (N, LABEL) values (%s, %s)", (8, "it's"))
    assert cur.execute(f"select LABEL from {table} where N = %(n)s", {"n": 8}).fetchone() == ("it's",)
    cur.execute(f"delete from {table} where N = 8")


def test_executemany_is_one_array_binding_with_nulls(connect, table: str, wire_server: RunningServer) -> None:
    cur = connect(paramstyle="qmark").cursor()
    rows = [
        (100 + i, None if i % 3 == 0 else f"row {i}", None if i % 4 == 0 else decimal.Decimal(i) / 4) for i in range(50)
    ]
    cur.executemany(f"insert into {table} (N, LABEL, AMOUNT) values (?, ?, ?)", rows)
    assert cur.rowcount == 50
    data = record(wire_server, cur.sfqid)
    assert data["statementTypeId"] == statements.INSERT and data["queryResultFormat"] == "json"  # a row count
    back = cur.execute(f"select N, LABEL, AMOUNT from {table} where N >= 100 order by N").fetchall()
    assert back == [
        (n, label, None if amount is None else decimal.Decimal(amount).quantize(decimal.Decimal("0.01")))
        for n, label, amount in rows
    ]
    cur.execute(f"update {table} set LABEL = 'x' where N >= ?", [140])
    assert cur.rowcount == 10 and record(wire_server, cur.sfqid)["statementTypeId"] == statements.UPDATE
    cur.execute(f"delete from {table} where N >= ?", [100])
    assert cur.rowcount == 50 and record(wire_server, cur.sfqid)["statementTypeId"] == statements.DELETE


def test_arrow_results_decode_to_pandas_with_snowflake_dtypes(connect, wire_server: RunningServer) -> None:
    cur = connect().cursor()
    cur.execute(
        "select 1 as I, 2.50::number(10, 2) as D, 0.5::float as F, 'x' as S, true as B, "
        "'2024-01-01 10:00:00.123456'::timestamp_ntz as NTZ, "
        "to_timestamp_tz('2024-01-01 10:00:00') as TZ, '2024-02-29'::date as DAY, null as NOTHING"
    )
    assert record(wire_server, cur.sfqid)["statementTypeId"] == statements.SELECT
    frame = cur.fetch_pandas_all()
    assert pd.api.types.is_integer_dtype(frame["I"]) and frame["I"].iloc[0] == 1
    assert frame["D"].iloc[0] == 2.5 and pd.api.types.is_float_dtype(frame["D"])  # scaled FIXED -> float64
    assert frame["NTZ"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00.123456")
    assert frame["TZ"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00", tz="UTC")
    assert frame["NOTHING"].isna().all()


def test_a_timestamp_tz_bind_is_the_same_instant(connect) -> None:
    """A TIMESTAMP_TZ bind (epoch nanoseconds and offset) comes back as the same instant; the engine keeps
    TIMESTAMP_TZ in UTC (DuckDB's TIMESTAMPTZ has no per-value offset), so the offset read back is +00:00."""
    cur = connect(paramstyle="qmark").cursor()
    paris = dt.datetime(2025, 3, 2, 23, 30, 0, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    (value,) = cur.execute("select ? as AT", [("TIMESTAMP_TZ", paris)]).fetchone()
    assert value == paris and value.utcoffset() == dt.timedelta(0)


# --- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "errno", "sqlstate"),
    [
        (
            "select * from WIRE_DB.PUBLIC.NO_SUCH_TABLE",
            2003,
            "42S02",
        ),  # object does not exist (Snowflake: 002003, SQLSTATE 42S02)
        ("select 1/0", 100051, "22012"),  # division by zero
        ("selec 1", 1003, "42000"),  # syntax error
        ("", None, None),  # the connector sends nothing for an empty statement
    ],
)
def test_a_bad_statement_gives_snowflake_code_and_sqlstate(
    connect, sql: str, errno: int | None, sqlstate: str | None
) -> None:
    cur = connect().cursor()
    if errno is None:
        assert cur.execute(sql) is None
        return
    with pytest.raises(ProgrammingError) as caught:
        cur.execute(sql)
    assert (caught.value.errno, caught.value.sqlstate) == (errno, sqlstate)
    assert caught.value.sfqid  # the failed query has an id, as on Snowflake


def test_failures_are_http_200_never_500(wire_server: RunningServer) -> None:
    base = f"http://127.0.0.1:{wire_server.port}"
    answers = [
        requests.post(f"{base}/queries/v1/query-request", json={"sqlText": "select 1"}, timeout=10),  # no token
        requests.post(f"{base}/session/v1/login-request", data=b"{not json", timeout=10),
        requests.get(f"{base}/queries/00000000-0000-0000-0000-000000000000/result", timeout=10),
        requests.post(f"{base}/session/token-request", json={"oldSessionToken": "nope"}, timeout=10),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert all(a.json()["success"] is False and a.json()["code"] for a in answers)
    assert answers[0].json()["code"] == "390111"
    assert wire_server.server_errors() == []


# --- multi-statement, describe, async, long queries, abort ------------------------------------------------------


def test_multi_statement_runs_in_order_with_a_result_each(connect, table: str) -> None:
    """MULTI_STATEMENT_COUNT: 1 by default (one statement), 0 any number, N exactly N
    (https://docs.snowflake.com/en/sql-reference/parameters#multi-statement-count)."""
    cur = connect(paramstyle="qmark").cursor()
    cur.execute(
        f"insert into {table} (N) values (?); select count(*) from {table} where N = ?; select 'end'",
        [900, 900],
        num_statements=3,
    )
    assert cur.rowcount == 1
    assert cur.nextset() and cur.fetchall() == [(1,)]
    assert cur.nextset() and cur.fetchall() == [("end",)]
    assert cur.nextset() is None
    with pytest.raises(ProgrammingError) as caught:
        cur.execute("select 1; select 2")
    assert caught.value.errno == 8 and "did not match the desired statement count 1" in caught.value.msg
    cur.execute("alter session set MULTI_STATEMENT_COUNT = 0")  # the session's default: any number
    assert cur.execute("select 'a'; select 'b'").fetchall() == [("a",)]
    assert cur.nextset() and cur.fetchall() == [("b",)]
    cur.execute(f"delete from {table} where N = 900")


def test_describe_only_runs_nothing(connect, table: str) -> None:
    cur = connect(paramstyle="qmark").cursor()
    columns = cur.describe(f"select N, AMOUNT from {table} where N = ?", [1])
    assert [(c.name, c.type_code, c.precision, c.scale) for c in columns] == [("N", 0, 38, 0), ("AMOUNT", 0, 12, 2)]
    before = cur.execute(f"select count(*) from {table}").fetchone()
    inserted = cur.describe(f"insert into {table} (N) values (?)", [1])
    assert [c.name for c in inserted] == ["number of rows inserted"]
    assert cur.execute(f"select count(*) from {table}").fetchone() == before


def test_async_query_monitoring_and_result(connect) -> None:
    cur = connect().cursor()
    started = cur.execute_async("select count(*) as N from table(generator(rowcount => 20000))")
    query_id = started["queryId"]
    conn = cur.connection
    deadline = time.monotonic() + 30
    while conn.is_still_running(conn.get_query_status(query_id)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert conn.get_query_status(query_id) == QueryStatus.SUCCESS
    cur.get_results_from_sfqid(query_id)  # runs SELECT * FROM TABLE(RESULT_SCAN('<id>'))
    assert cur.fetchall() == [(20000,)]
    failed = cur.execute_async("select * from WIRE_DB.PUBLIC.MISSING")["queryId"]
    while conn.is_still_running(conn.get_query_status(failed)):
        time.sleep(0.05)
    with pytest.raises(ProgrammingError) as caught:
        conn.get_query_status_throw_if_error(failed)
    assert caught.value.errno == 2003


def test_a_query_longer_than_the_wait_is_fetched_by_its_result_url(tmp_path) -> None:
    """Snowflake answers "in progress" (333333) to a long query; the connector then GETs /queries/{id}/result."""
    with running_server(tmp_path / "slow.duckdb", result_wait_s=0.0) as server:
        conn = snowflake.connector.connect(**server.account())
        try:
            cur = conn.cursor()
            assert cur.execute("select count(*) from table(generator(rowcount => 200000))").fetchone() == (200000,)
            assert any(line.startswith("GET /queries/") for line in server.log_lines)
        finally:
            conn.close()


def test_abort_drops_a_queued_query(connect, table: str, wire_server: RunningServer) -> None:
    cur = connect().cursor()
    conn = cur.connection
    # Hold the session's worker (its queue is the session's lock) so that the next statements wait their turn.
    gate = threading.Event()
    wire_server.wire.sessions.by_session_token(conn.rest.token).worker.submit(gate.wait, 30)
    queued = cur.execute_async(f"insert into {table} (N) values (555)")["queryId"]
    assert conn.get_query_status(queued) == QueryStatus.QUEUED
    assert cur.abort_query(queued) is True
    gate.set()
    assert conn.get_query_status(queued) == QueryStatus.ABORTED
    assert cur.execute(f"select count(*) from {table} where N = 555").fetchone() == (0,)  # it never ran
    assert cur.abort_query(cur.sfqid) is False  # a finished query is not executing any more


def test_a_retried_request_is_not_run_twice(connect, table: str, wire_server: RunningServer) -> None:
    """The connector retries a request with the same requestId; Snowflake answers it without running it again."""
    conn = connect()
    body = {"sqlText": f"insert into {table} (N) values (777)", "sequenceId": 1}
    url = f"http://127.0.0.1:{wire_server.port}/queries/v1/query-request?requestId=11111111-2222-3333-4444-555555555555"
    headers = {"Authorization": f'Snowflake Token="{conn.rest.token}"', "Accept": "application/snowflake"}
    first = requests.post(url, json=body, headers=headers, timeout=10).json()
    again = requests.post(url, json=body, headers=headers, timeout=10).json()
    assert first["data"]["queryId"] == again["data"]["queryId"]
    assert conn.cursor().execute(f"select count(*) from {table} where N = 777").fetchone() == (1,)
    conn.cursor().execute(f"delete from {table} where N = 777")


# --- who may log in --------------------------------------------------------------------------------------------------


def test_a_configured_token_is_required_at_login(tmp_path) -> None:
    with running_server(tmp_path / "guarded.duckdb", token="s3cret-token") as server:
        with pytest.raises(DatabaseError) as caught:
            snowflake.connector.connect(**server.account(password="wrong"))
        assert caught.value.errno == 390100
        conn = snowflake.connector.connect(**server.account(password="s3cret-token"))
        try:
            assert conn.cursor().execute("select 1").fetchone() == (1,)
        finally:
            conn.close()


def test_only_loopback_without_a_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("caves.example.com")
    check_binding("127.0.0.1", None)
    check_binding("0.0.0.0", "a-token")
    with pytest.raises(ValueError, match="CAVES_SERVE_TOKEN"):
        check_binding("0.0.0.0", None)
