"""caves.services.startup: a start-up failure said as what to check, without a secret."""

from __future__ import annotations

import pytest

from caves.services.startup import backend_kind, describe
from caves.warehouse.snowflake import SnowflakeWarehouse, WarehouseConnectionError

LABEL = "account 'caves-test', user 'ALBERT', host 127.0.0.1:1"


@pytest.mark.parametrize(
    ("message", "key"),
    [
        (f"cannot connect to Snowflake ({LABEL}): 250001: Could not connect to Snowflake backend", "unreachable"),
        (f"cannot connect to Snowflake ({LABEL}): [Errno 111] Connection refused", "unreachable"),
        (f"cannot connect to Snowflake ({LABEL}): Read timed out", "unreachable"),
        (
            f"cannot connect to Snowflake ({LABEL}): 250001 (08001): Failed to connect to DB: x:443. "
            "Incorrect username or password was specified.",
            "auth",
        ),
        (f"cannot connect to Snowflake ({LABEL}): 390144 (08004): JWT token is invalid.", "auth"),
        ("no Snowflake connection configured: add a [connections.snowflake] table", "config"),
        (f"cannot connect to Snowflake ({LABEL}): 000606: No active warehouse", ""),
    ],
)
def test_snowflake_failures_say_what_to_check(message: str, key: str) -> None:
    problem = describe(WarehouseConnectionError(message), "snowflake")
    assert problem.key == ("startup.snowflake_" + key if key else "startup.snowflake")
    if key in ("unreachable", "auth"):
        assert problem.values["where"] == LABEL


def test_the_detail_never_holds_a_secret() -> None:
    problem = describe(RuntimeError("login failed password=hunter2 token=abc.def\nsecond line"), "snowflake")
    assert "hunter2" not in problem.detail and "abc.def" not in problem.detail
    assert "second line" not in problem.detail


def test_a_closed_port_is_unreachable_for_real() -> None:
    settings = {
        "account": "caves-test",
        "user": "ALBERT",
        "password": "hunter2",
        "host": "127.0.0.1",
        "port": 1,
        "protocol": "http",
        "login_timeout": 5,
    }
    with pytest.raises(WarehouseConnectionError) as caught:
        SnowflakeWarehouse.from_settings(settings)
    problem = describe(caught.value, "snowflake")
    assert problem.key == "startup.snowflake_unreachable"
    assert "hunter2" not in problem.detail + repr(problem.values)


def test_local_sis_and_settings_failures() -> None:
    assert describe(OSError("Is a directory"), "local", db_path="/x").key == "startup.local"
    assert describe(OSError("Is a directory"), "local", db_path="/x").values == {"path": "/x"}
    assert describe(RuntimeError("no session"), "sis").key == "startup.sis"
    assert describe(ValueError("bad yaml"), None).key == "startup.settings"


def test_backend_kind() -> None:
    assert backend_kind(None, {"CAVES_BACKEND": "local"}) == "local"
    assert backend_kind({"connections": {"snowflake": {"account": "a"}}}, {"CAVES_BACKEND": ""}) in ("snowflake", "sis")
    assert backend_kind(None, {"CAVES_BACKEND": "bogus"}) is None
