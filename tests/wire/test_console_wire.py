"""The Streamlit console on its Snowflake backend (a ``[connections.snowflake]`` table in its secrets) pointed at
the wire server: the Administration page's actions, clicked and confirmed as a signed-in administrator, change
the task graphs on the engine behind the server, as they would on Snowflake (ALTER TASK,
https://docs.snowflake.com/en/sql-reference/sql/alter-task; EXECUTE TASK [RETRY LAST],
https://docs.snowflake.com/en/sql-reference/sql/execute-task).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from caves.deploy import deploy
from caves.warehouse.snowflake import SnowflakeWarehouse
from components import cache

from .server import RunningServer, running_server

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN = "margaux.dupont@caves-albert.fr"
DB = "CAVES_ALBERT_DB"
LOGIN_SECRETS = {  # Streamlit's login as AppTest simulates it (placeholders: nothing is sent to a provider)
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "placeholder-not-a-secret",
    "client_id": "caves-console",
    "client_secret": "placeholder-not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("console") / "warehouse.duckdb") as running:
        wh = SnowflakeWarehouse.from_settings(running.account())
        try:
            deploy(wh)
        finally:
            wh.close()
        yield running


@pytest.fixture
def console(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The Administration page, its backend the wire server, for an administrator signed in with st.login."""
    monkeypatch.setattr(cache, "_SETTINGS", dataclasses.replace(cache.settings(), admin_users=(ADMIN,)))
    monkeypatch.delenv("CAVES_BACKEND", raising=False)
    st.cache_resource.clear()  # the process's backend is a cached resource: this test's is Snowflake
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"is_logged_in": True, "email": ADMIN}
    at.secrets.update({"auth": LOGIN_SECRETS, "connections": {"snowflake": server.account()}})
    at.run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    yield at
    st.cache_resource.clear()  # no Snowflake backend left behind for the next test of the process
    st.cache_data.clear()


def confirm(at: AppTest, button: str) -> None:
    at.button(key=button).click().run()
    at.button(key="admin.confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]


def states(server: RunningServer) -> set[str]:
    with server.engine.session() as session:
        return {r["state"] for r in session.execute(f"SHOW TASKS IN DATABASE {DB}").dicts()}


def engine_rows(server: RunningServer, sql: str) -> list[dict[str, Any]]:
    with server.engine.session() as session:
        return session.execute(sql).dicts()


def test_admin_page_acts_on_the_engine_through_the_snowflake_backend(console: AppTest, server: RunningServer) -> None:
    assert states(server) == {"suspended"}  # a first deployment leaves the graphs suspended
    confirm(console, "admin.resume")
    assert states(server) == {"started"}
    confirm(console, "admin.execute")  # the selected root (the first one) runs its graph now
    runs = engine_rows(
        server,
        f"select NAME, SCHEDULED_FROM from table({DB}.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 100)) "
        "where STATE <> 'SCHEDULED'",  # runs that happened (the next scheduled ones are listed too)
    )
    assert runs and {r["SCHEDULED_FROM"] for r in runs} == {"EXECUTE_TASK"}
    confirm(console, "admin.retry")  # its last run did not fail: Snowflake refuses RETRY LAST, the page says so
    assert any("a échoué" in e.value for e in console.error)
    confirm(console, "admin.suspend")
    assert states(server) == {"suspended"}
    audit = engine_rows(
        server, f"select ACTION, OUTCOME, SOURCE, ACTOR from {DB}.OPS.ADMIN_AUDIT_LOG order by STARTED_AT"
    )
    assert [(a["ACTION"], a["OUTCOME"]) for a in audit] == [
        ("resume", "succeeded"), ("execute", "succeeded"), ("retry_last", "failed"), ("suspend", "succeeded"),
    ]  # fmt: skip
    assert {(a["SOURCE"], a["ACTOR"]) for a in audit} == {("console", ADMIN)}
