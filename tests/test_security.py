"""caves.security: the admin allow-list, identifier quoting, and the audit statement (redaction: test_redact.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from caves.security import audit, audit_statement, is_admin, quote_identifier
from caves.settings import Settings, load_settings

# ------------------------------------------------------------------------------------------------ allow-list

ALLOW = Settings(admin_users=("albert", "Margaux.Dupont"), admin_roles=("CAVES_ADMIN",), local_is_admin=False)


@pytest.mark.parametrize(
    ("user", "roles", "backend", "expected"),
    [
        ("albert", [], "snowflake", True),
        ("ALBERT", [], "sis", True),  # user names are case-insensitive, as in Snowflake
        (" margaux.dupont ", [], "snowflake", True),
        ("bob", [], "snowflake", False),
        ("bob", ["CAVES_VIEWER", "caves_admin"], "snowflake", True),  # a listed role, any case
        ("bob", ["CAVES_ADMIN"], "local", True),
        # owner's rights: in SiS every viewer has the owner's role, so a role proves nothing
        ("bob", ["CAVES_ADMIN"], "sis", False),
        (None, ["CAVES_ADMIN"], "sis", False),
        (None, [], "snowflake", False),
        ("", [], "local", False),  # local_is_admin is off here
        ("albert", ["CAVES_ADMIN"], None, True),  # a listed user needs no backend
        ("bob", ["CAVES_ADMIN"], None, False),  # unknown backend: roles are not trusted
        ("bob", ["CAVES_ADMIN"], "postgres", False),
    ],
)
def test_is_admin_allow_list(user: str | None, roles: list[str], backend: str | None, expected: bool) -> None:
    assert is_admin(user, roles, ALLOW, backend=backend) is expected


def test_local_is_admin_applies_only_to_the_local_viewer_of_the_local_backend() -> None:
    settings = Settings(local_is_admin=True)
    assert is_admin("albert", [], settings, backend="local", local_viewer=True) is True
    # an anonymous or remote viewer of the local console is not the developer at the keyboard
    assert is_admin(None, [], settings, backend="local") is False
    assert is_admin(None, [], settings, backend="local", local_viewer=True) is False
    assert is_admin("albert", [], settings, backend="local") is False
    assert is_admin("albert", [], settings, backend="snowflake", local_viewer=True) is False
    assert is_admin("albert", [], settings, backend="sis", local_viewer=True) is False
    assert is_admin("albert", [], settings, local_viewer=True) is False  # no backend given: fail closed


def test_allow_list_comes_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "caves.yaml"
    path.write_text("admin:\n  users: [albert]\n  roles: [caves_admin]\n  local_is_admin: false\n", encoding="utf-8")
    settings = load_settings(path)
    assert is_admin("Albert", [], settings, backend="sis")
    assert is_admin("bob", ["CAVES_ADMIN"], settings, backend="snowflake")
    assert not is_admin("bob", [], settings, backend="local")


# ---------------------------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("task_raw_to_staging_orders", '"TASK_RAW_TO_STAGING_ORDERS"'),  # unquoted means upper case
        ("A$1_b", '"A$1_B"'),
        ("_x", '"_X"'),
        ('"Ma Cave"', '"Ma Cave"'),  # quoted: exact
        ('"say ""cheese"""', '"say ""cheese"""'),
        ("caves_albert_db.ops.admin_audit_log", '"CAVES_ALBERT_DB"."OPS"."ADMIN_AUDIT_LOG"'),
        ('db."a.b".c', '"DB"."a.b"."C"'),  # a dot inside quotes does not split
        ("x" * 255, '"' + "X" * 255 + '"'),
    ],
)
def test_quote_identifier(name: str, quoted: str) -> None:
    assert quote_identifier(name) == quoted


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        " ",
        "a b",
        "x; drop table y",
        "t--",
        "t/*",
        "1abc",
        "$a",
        "a-b",
        "a..b",
        ".a",
        "a.",
        "a.b.c.d",
        '"unterminated',
        'a"b',
        '""',
        "tâche",  # unquoted identifiers are ASCII only
        "x\x00",
        '"new\nline"',
        "x" * 256,
        None,
        42,
    ],
)
def test_quote_identifier_refuses_garbage(garbage: Any) -> None:
    with pytest.raises(ValueError):
        quote_identifier(garbage)


# ----------------------------------------------------------------------------------------------------- audit


class Recorder:
    backend = "local"

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Any]]] = []

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.sent.append((sql, list(params or [])))


def test_audit_sends_one_bound_insert() -> None:
    wh = Recorder()
    started = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    audit_id = audit(
        wh, "albert", "deploy", "deploy_sql/", "succeeded", None, started, started + dt.timedelta(seconds=3), {"n": 84}
    )
    assert wh.sent == [
        (
            "insert into CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG "
            "(AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT, SOURCE) "
            "select ?, ?, ?, ?, parse_json(?), ?, ?, ?, ?, ?",
            [
                audit_id,
                "albert",
                "deploy",
                "deploy_sql/",
                '{"n": 84}',
                "succeeded",
                None,
                dt.datetime(2026, 3, 1, 8, 0),  # TIMESTAMP_NTZ in UTC
                dt.datetime(2026, 3, 1, 8, 0, 3),
                "console",  # SOURCE: the Administration page unless the caller says cli
            ],
        )
    ]


def test_audit_records_the_cli_as_its_source() -> None:
    wh = Recorder()
    audit(wh, "albert", "suspend", "T", "succeeded", None, dt.datetime(2026, 3, 1), None, source="cli")
    assert wh.sent[0][1][-1] == "cli"
    with pytest.raises(ValueError, match="source must be one of console, cli"):
        audit(wh, "albert", "suspend", "T", "succeeded", None, dt.datetime(2026, 3, 1), None, source="web")


def test_audit_redacts_errors_and_details() -> None:
    now = dt.datetime(2026, 3, 1, 8, 0)
    sql, params = audit_statement(
        "albert",
        "sql",
        None,
        "failed",
        "connect failed password=hunter2",
        now,
        None,
        {"settings": {"user": "albert", "password": "hunter2"}, "note": "token=abc", "at": now},
    )
    assert params[6] == "connect failed password=***"
    assert json.loads(params[4]) == {
        "at": "2026-03-01 08:00:00",
        "note": "token=***",
        "settings": {"password": "***", "user": "albert"},
    }
    assert params[8] is None
    assert "hunter2" not in sql + repr(params)


@pytest.mark.parametrize(
    ("actor", "action", "outcome", "message"),
    [
        ("", "deploy", "succeeded", "actor is required"),
        ("  ", "deploy", "succeeded", "actor is required"),
        ("albert", "", "succeeded", "action is required"),
        ("albert", "deploy", "done", "outcome must be one of started, succeeded, failed, refused"),
    ],
)
def test_audit_refuses_an_incomplete_row(actor: str, action: str, outcome: str, message: str) -> None:
    wh = Recorder()
    with pytest.raises(ValueError, match=message):
        audit(wh, actor, action, None, outcome, None, dt.datetime(2026, 3, 1), None)
    assert wh.sent == []
