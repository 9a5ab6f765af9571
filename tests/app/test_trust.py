"""The console under AppTest: who may act, what a link can break, and what a start-up failure says.

Under AppTest there is no browser connection: ``components.context`` then knows no peer, and a viewer who
has not signed in is anonymous. The loopback case patches the peer the component reads; the real peer (a
browser on loopback, a remote one) is tested in tests/e2e/test_identity_browser.py.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import components.context
from caves.services.backend import get_backend
from caves.warehouse.local import LocalWarehouse
from components import cache

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT_S = 60
ADMIN_BUTTONS = {"admin.deploy", "admin.suspend", "admin.resume", "admin.execute", "admin.retry", "admin.retention"}


@pytest.fixture(autouse=True)
def fresh_cache(seeded_db: Path) -> None:
    cache.clear()


@pytest.fixture
def server_account_is_admin(monkeypatch: pytest.MonkeyPatch) -> str:
    """The issue's set-up: admin.users lists the OS account the console runs as; local_is_admin is on."""
    me = getpass.getuser()
    settings = dataclasses.replace(cache.settings(), admin_users=(me,), local_is_admin=True)
    monkeypatch.setattr(cache, "_SETTINGS", settings)
    return me


def admin_page(prepare: Callable[[AppTest], Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if prepare:
        prepare(at)
    at.run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def admin_buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("admin.")}


# ------------------------------------------------------------------------------------------------- identity


def test_an_anonymous_viewer_sees_no_admin_action(server_account_is_admin: str) -> None:
    at = admin_page()  # no login, no loopback connection: Streamlit's default st.user e-mail is no identity
    assert any("Vous n'êtes pas identifié" in w.value for w in at.warning)
    assert admin_buttons(at) == set()
    assert not at.dataframe  # not even the audit log


def test_an_anonymous_remote_viewer_of_an_admins_server_sees_no_admin_action(
    server_account_is_admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(components.context, "_peer", lambda headers: "203.0.113.9")
    at = admin_page()
    assert any("Vous n'êtes pas identifié" in w.value for w in at.warning)
    assert admin_buttons(at) == set()
    assert not any(server_account_is_admin in c.value for c in at.caption)


def test_a_loopback_viewer_on_the_local_default_is_the_local_user(
    monkeypatch: pytest.MonkeyPatch, warehouse: LocalWarehouse
) -> None:
    monkeypatch.setattr(components.context, "_peer", lambda headers: "127.0.0.1")
    at = admin_page()
    me = getpass.getuser()
    assert any(c.value == f"Connecté en tant que {me}" for c in at.caption)
    assert admin_buttons(at) >= ADMIN_BUTTONS  # local_is_admin: the developer's own machine
    at.button(key="admin.suspend").click().run()
    at.button(key="admin.confirm").click().run()
    assert not at.exception
    try:
        last = warehouse.query(
            "select ACTOR, SOURCE, ACTION, OUTCOME from CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG order by STARTED_AT desc"
        ).iloc[0]
        assert (last["ACTOR"], last["SOURCE"], last["ACTION"], last["OUTCOME"]) == (
            me,
            "console",
            "suspend",
            "succeeded",
        )
    finally:
        at.button(key="admin.resume").click().run()
        at.button(key="admin.confirm").click().run()


def test_a_signed_in_user_is_admin_only_when_listed(signed_in: Callable[..., Any], admin_email: str) -> None:
    at = admin_page(lambda at: signed_in(at, admin_email))
    assert admin_buttons(at) >= ADMIN_BUTTONS
    assert any(c.value == f"Connecté en tant que {admin_email}" for c in at.caption)

    at = admin_page(lambda at: signed_in(at, "someone.else@example.com"))
    assert any("someone.else@example.com n'en fait pas partie" in w.value for w in at.warning)
    assert admin_buttons(at) == set()


def test_a_signed_in_user_is_not_the_local_user(signed_in: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # local_is_admin is for the OS account at the keyboard, not for whoever signs in (even on loopback)
    monkeypatch.setattr(components.context, "_peer", lambda headers: "127.0.0.1")
    at = admin_page(lambda at: signed_in(at, "visitor@example.com"))
    assert admin_buttons(at) == set()


def test_with_a_login_configured_a_loopback_viewer_who_has_not_signed_in_is_anonymous(
    signed_in: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(components.context, "_peer", lambda headers: "127.0.0.1")

    def signed_out(at: AppTest) -> None:
        signed_in(at)
        at.user = {"is_logged_in": False}

    at = admin_page(signed_out)
    assert admin_buttons(at) == set()
    assert any(b.key == "auth.login" for b in at.sidebar.button)  # the way in


# -------------------------------------------------------------------------------------------- crafted links


def explorer(params: dict[str, str], lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/explorer.py")
    at.query_params.update(params)
    at.run()
    return at


@pytest.mark.parametrize("value", ["today-99999999999", "today-3000000", "today+3000000", "today-999999999999999999"])
def test_an_overflowing_date_in_the_url_renders_the_explorer_with_a_french_message(value: str) -> None:
    at = explorer({"q": "daily_sales_report", "report_date": value})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Explorateur"
    messages = [e.value for e in at.error]
    assert messages == [
        f"**Paramètre invalide**  \n« Jour (UTC) » (report_date) : « {value} » est hors des valeurs possibles."
    ]
    assert at.dataframe, "the default date stands in and the query runs"


def test_the_message_follows_the_pages_language() -> None:
    at = explorer({"q": "daily_sales_report", "report_date": "today-3000000"}, lang="en")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**Invalid parameter**  \n“Day (UTC)” (report_date): “today-3000000” is out of the possible range."
    ]


@pytest.mark.parametrize(
    ("query", "name", "value", "words"),
    [
        ("top_products_by_units", "limit", "99999999999999999999", "hors des valeurs possibles"),
        ("top_products_by_units", "limit", "1" * 5000, "hors des valeurs possibles"),
        ("top_products_by_units", "limit", "0", "inférieur au minimum"),
        ("vip_customers", "min_value", "nan", "n'est pas un nombre"),
        ("vip_customers", "min_value", "1e999", "n'est pas un nombre"),
        ("daily_sales_report", "report_date", "0001-01-01", "inférieur au minimum"),
    ],
)
def test_other_unusable_url_values_are_named_in_french(query: str, name: str, value: str, words: str) -> None:
    at = explorer({"q": query, name: value})
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert f"({name})" in at.error[0].value and words in at.error[0].value


# ------------------------------------------------------------------------------------------- start-up errors


def test_an_unreachable_snowflake_shows_a_readable_start_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "connections": {
            "snowflake": {
                "account": "caves-test",
                "user": "ALBERT",
                "password": "hunter2-do-not-show",
                "host": "127.0.0.1",
                "port": 1,  # nothing listens there
                "protocol": "http",
                "login_timeout": 5,
            }
        }
    }
    monkeypatch.delenv("CAVES_BACKEND", raising=False)
    # the real choice and connection, without the process-wide cache (which holds the session's local backend)
    monkeypatch.setattr(cache, "backend", lambda: get_backend(cache.settings(), secrets))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.secrets.update(secrets)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    text = at.error[0].value
    assert text.startswith("**La console n'a pas pu démarrer**")
    assert "Snowflake est injoignable (account 'caves-test', user 'ALBERT', host 127.0.0.1:1)" in text
    assert "[connections.snowflake]" in text  # what to check
    assert "hunter2" not in text


def test_an_unopenable_local_file_shows_a_readable_start_up_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CAVES_DB", str(tmp_path))  # a folder, not a DuckDB file
    monkeypatch.setattr(cache, "backend", lambda: get_backend(cache.settings(), None))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and f"L'entrepôt local {tmp_path} n'a pas pu être ouvert" in at.error[0].value


def test_a_bad_backend_override_shows_a_readable_start_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAVES_BACKEND", "postgres")
    monkeypatch.setattr(cache, "backend", lambda: get_backend(cache.settings(), None))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert len(at.error) == 1 and "Les réglages sont invalides" in at.error[0].value


@pytest.mark.parametrize("text", ["'; drop table x; --", "x" * 100, "%_%", "é\u202e\u200b", "  "])
def test_a_hostile_text_typed_in_a_widget_is_bound_not_a_crash(text: str) -> None:
    at = explorer({"q": "product_search"})
    at.text_input(key="explorer.product_search.search").set_value(text)
    at.button(key="explorer.run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any(c.value == "1 ligne" or c.value.endswith(" lignes") for c in at.caption)
