"""caves.warehouse.select (which backend, and opening it) and caves.warehouse.sis (the Snowpark session).

Snowpark is not installed here: the Streamlit in Snowflake side is a small fake session object at the true
edge (``session.sql(sql, params=...)`` with ``to_pandas()`` / ``collect()``), or a fake
``snowflake.snowpark.context`` module for ``get_active_session()``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import pytest
import yaml

from caves.warehouse.base import Warehouse
from caves.warehouse.select import choose_backend, open_warehouse, snowflake_settings, snowpark_session_active
from caves.warehouse.sis import SisWarehouse
from caves.warehouse.snowflake import WarehouseConnectionError

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"connections": {"snowflake": {"account": "myorg-caves", "user": "CAVES_APP"}}}


def never() -> bool:
    return False


def always() -> bool:
    return True


# ------------------------------------------------------------------------------------------- choose_backend


@pytest.mark.parametrize(
    ("secrets", "env", "session", "expected"),
    [
        (None, {}, never, "local"),  # nothing configured: the local engine, no account needed
        ({}, {}, never, "local"),
        ({"connections": {"snowflake": {}}}, {}, never, "local"),  # an empty table configures nothing
        ({"connections": {"postgres": {"host": "x"}}}, {}, never, "local"),
        (SECRETS, {}, never, "snowflake"),
        (SECRETS, {}, always, "sis"),  # in Streamlit in Snowflake the session wins over any secrets
        (None, {}, always, "sis"),
        (SECRETS, {"CAVES_BACKEND": "local"}, always, "local"),  # the override wins over everything
        (None, {"CAVES_BACKEND": " Snowflake "}, never, "snowflake"),
        (SECRETS, {"CAVES_BACKEND": ""}, never, "snowflake"),  # empty means unset
    ],
)
def test_choose_backend(secrets: Any, env: dict[str, str], session: Any, expected: str) -> None:
    assert choose_backend(secrets, env, session_active=session) == expected


def test_choose_backend_refuses_an_unknown_override() -> None:
    with pytest.raises(ValueError, match="CAVES_BACKEND='duckdb': expected one of local, snowflake, sis"):
        choose_backend(None, {"CAVES_BACKEND": "duckdb"}, session_active=never)


def test_snowflake_settings_is_a_plain_copy() -> None:
    settings = snowflake_settings(SECRETS)
    assert settings == {"account": "myorg-caves", "user": "CAVES_APP"}
    settings["user"] = "changed"
    assert SECRETS["connections"]["snowflake"]["user"] == "CAVES_APP"
    # st.secrets tables are read-only mappings: nested ones become dicts, as the connector expects
    frozen = MappingProxyType({"account": "a", "session_parameters": MappingProxyType({"QUERY_TAG": "caves"})})
    nested = snowflake_settings({"connections": MappingProxyType({"snowflake": frozen})})
    assert type(nested["session_parameters"]) is dict and nested["session_parameters"] == {"QUERY_TAG": "caves"}


def test_no_snowpark_means_no_session() -> None:
    assert snowpark_session_active() is False  # snowflake-snowpark-python is not installed locally


# ------------------------------------------------------------------------------- the Snowpark session edge


class FakeSnowparkFrame:
    def __init__(self, session: FakeSession, sql: str, params: list[Any] | None) -> None:
        self.session, self.sql, self.params = session, sql, params

    def to_pandas(self) -> pd.DataFrame:
        return pd.DataFrame({"SQL": [self.sql], "PARAMS": [self.params]})

    def collect(self) -> list[tuple[Any, ...]]:
        self.session.collected.append((self.sql, self.params))
        return [(1,)] if self.sql.lower().startswith("insert") else [("Statement executed successfully.",)]


class FakeSession:
    """What SisWarehouse uses of snowflake.snowpark.Session."""

    def __init__(self) -> None:
        self.collected: list[tuple[str, list[Any] | None]] = []

    def sql(self, query: str, params: Sequence[Any] | None = None) -> FakeSnowparkFrame:
        return FakeSnowparkFrame(self, query, None if params is None else list(params))


@pytest.fixture
def fake_snowpark(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSession]:
    """``snowflake.snowpark.context.get_active_session()`` returning a FakeSession, as in Streamlit in Snowflake."""
    session = FakeSession()
    snowpark = types.ModuleType("snowflake.snowpark")
    snowpark.__spec__ = ModuleSpec("snowflake.snowpark", None)
    context = types.ModuleType("snowflake.snowpark.context")
    context.get_active_session = lambda: session
    monkeypatch.setitem(sys.modules, "snowflake.snowpark", snowpark)
    monkeypatch.setitem(sys.modules, "snowflake.snowpark.context", context)
    yield session


def test_an_active_snowpark_session_chooses_sis(fake_snowpark: FakeSession) -> None:
    assert snowpark_session_active() is True
    assert choose_backend(SECRETS, {}) == "sis"
    wh = open_warehouse("sis")
    assert isinstance(wh, SisWarehouse) and wh.session is fake_snowpark


def test_sis_backend_binds_qmark_parameters() -> None:
    session = FakeSession()
    wh = SisWarehouse(session)
    assert isinstance(wh, Warehouse) and wh.backend == "sis"
    frame = wh.query("select * from T where A = ? and B = ?", (1, "x"))
    assert frame.iloc[0].tolist() == ["select * from T where A = ? and B = ?", [1, "x"]]
    assert wh.query("select 1").iloc[0]["PARAMS"] is None  # no params: none sent
    wh.execute("alter task T suspend")
    assert wh.executemany("insert into T (A) values (?)", [(1,), (2,), (3,)]) == 3
    assert session.collected == [
        ("alter task T suspend", None),
        ("insert into T (A) values (?)", [1]),
        ("insert into T (A) values (?)", [2]),
        ("insert into T (A) values (?)", [3]),
    ]


def test_sis_execute_script_returns_the_last_result() -> None:
    frame = SisWarehouse(FakeSession()).execute_script("select ';' as A;\nselect 2 as B;")
    assert frame is not None and frame.iloc[0]["SQL"] == "select 2 as B"


def test_no_active_session_is_a_readable_error() -> None:
    with pytest.raises(WarehouseConnectionError, match="snowflake-snowpark-python is not installed"):
        SisWarehouse()


# ------------------------------------------------------------------------------------------- open_warehouse


def test_open_snowflake_without_settings_says_what_to_configure() -> None:
    with pytest.raises(WarehouseConnectionError, match=r"add a \[connections.snowflake\] table"):
        open_warehouse("snowflake", secrets={})


def test_open_local_opens_the_embedded_engine(tmp_path: Path) -> None:
    wh = open_warehouse("local", db_path=tmp_path / "wh.duckdb")
    try:
        assert wh.backend == "local"
        assert int(wh.query("select 1 as X").iloc[0]["X"]) == 1
    finally:
        wh.close()


def test_open_an_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown backend 'duckdb'"):
        open_warehouse("duckdb")


def test_the_sis_path_imports_nothing_outside_the_snowflake_channel() -> None:
    """In Streamlit in Snowflake only the Snowflake Anaconda channel exists: choosing and using the ``sis``
    backend (and the admin helpers) must not import the local engine or DuckDB."""
    script = textwrap.dedent(
        """
        import sys, types
        from importlib.machinery import ModuleSpec

        class Frame:
            def to_pandas(self):
                import pandas
                return pandas.DataFrame({"X": [1]})
            def collect(self):
                return [(1,)]

        class Session:
            def sql(self, query, params=None):
                return Frame()

        snowpark = types.ModuleType("snowflake.snowpark")
        snowpark.__spec__ = ModuleSpec("snowflake.snowpark", None)
        context = types.ModuleType("snowflake.snowpark.context")
        context.get_active_session = Session
        sys.modules.update({"snowflake.snowpark": snowpark, "snowflake.snowpark.context": context})

        import caves.security
        from caves.warehouse.select import choose_backend, open_warehouse

        wh = open_warehouse(choose_backend(None, {}))
        wh.query("select ?", [1])
        wh.execute_script("select 1; select 2")
        caves.security.audit(wh, "ALBERT", "execute", None, "succeeded", None, __import__("datetime").datetime.now(), None)
        loaded = sorted(m for m in sys.modules if m == "duckdb" or m.startswith(("duckdb.", "caves.local", "caves.warehouse.local")))
        print(wh.backend, loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sis []"


# ------------------------------------------------------------------------------------------------- packaging


def read(name: str) -> str:
    return (REPO_ROOT / name).read_text(encoding="utf-8")


def test_sis_packaging_files() -> None:
    """snowflake.yml publishes what the app needs; environment.yml asks only the Snowflake Anaconda channel."""
    environment = yaml.safe_load(read("environment.yml"))
    assert environment["channels"] == ["snowflake"]
    packages = {re.split(r"[=<> ]", dep, maxsplit=1)[0] for dep in environment["dependencies"]}
    # babel formats every figure (caves/services/format.py); it is on the Snowflake Anaconda channel
    assert packages == {"streamlit", "pandas", "plotly", "pyyaml", "jsonschema", "sqlglot", "babel"}  # no duckdb

    project = yaml.safe_load(read("snowflake.yml"))
    assert project["definition_version"] == 2
    [app] = project["entities"].values()
    assert app["type"] == "streamlit"
    assert app["identifier"] == {"name": "CAVES_CONSOLE", "database": "CAVES_ALBERT_DB", "schema": "OPS"}
    assert app["main_file"] == "app.py"
    for artifact in app["artifacts"]:
        assert (REPO_ROOT / artifact).exists(), artifact
    # every page app.py navigates to is uploaded
    folders = {Path(page).parts[0] + "/" for page in re.findall(r"st\.Page\(\s*\"([^\"]+)\"", read("app.py"))}
    assert folders and folders <= set(app["artifacts"])
    assert {"app.py", "caves/", "queries/", "deploy_sql/", "config/", "environment.yml"} <= set(app["artifacts"])
