"""caves.identity: who the viewer is, from a real source only; caves.security: what an anonymous viewer may do."""

from __future__ import annotations

from pathlib import Path

import pytest

from caves.identity import ANONYMOUS, AuthSettings, Viewer, is_loopback, resolve_viewer
from caves.security import is_admin
from caves.services.admin_service import AdminService
from caves.settings import Settings, load_settings

DEFAULT = AuthSettings()
HEADER = AuthSettings(trusted_header="X-Forwarded-Email")
NOT_LOGGED_IN = {"is_logged_in": False}


def viewer(**kwargs: object) -> Viewer:
    args: dict[str, object] = {"backend": "local", "auth": DEFAULT, "os_user": "albert"}
    args.update(kwargs)
    return resolve_viewer(**args)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ local default


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_a_loopback_viewer_of_a_console_without_login_is_the_local_user(peer: str) -> None:
    assert viewer(peer=peer) == Viewer("albert", "local")


@pytest.mark.parametrize("peer", ["192.0.2.10", "10.0.0.5", "fd00::2", "203.0.113.9", None, "", "localhost", "junk"])
def test_any_other_viewer_is_anonymous(peer: str | None) -> None:
    # a remote browser is never the server's OS account, whatever Streamlit's default st.user says
    assert viewer(peer=peer, streamlit_user={"email": "test@example.com"}) is ANONYMOUS


def test_the_local_user_rule_can_be_turned_off() -> None:
    assert viewer(peer="127.0.0.1", auth=AuthSettings(local_user=False)) is ANONYMOUS


def test_an_unknown_os_account_gives_no_local_user() -> None:
    assert viewer(peer="127.0.0.1", os_user=None) is ANONYMOUS


def test_anonymous_remote_viewer_of_an_admins_server_is_no_admin() -> None:
    """The issue's case: admin.users = [albert], the server runs as albert, a remote browser without login."""
    settings = Settings(admin_users=("albert",), local_is_admin=True)
    remote = viewer(peer="198.51.100.4")
    assert remote.anonymous and remote.name is None
    assert not is_admin(remote.name, [], settings, backend="local", local_viewer=remote.local)

    class NoWarehouse:  # allowed() decides before any SQL runs
        backend = "local"

    admin = AdminService(NoWarehouse(), settings, "local")  # type: ignore[arg-type]
    assert not admin.allowed(remote)
    assert admin.allowed(viewer(peer="127.0.0.1"))  # the same person at the server's keyboard


# --------------------------------------------------------------------------------------- Streamlit login


def test_a_user_signed_in_with_st_login_is_named_by_email() -> None:
    user = {"is_logged_in": True, "email": "margaux@caves.example", "sub": "42", "name": "Margaux"}
    assert viewer(login_configured=True, streamlit_user=user, peer="203.0.113.9") == Viewer(
        "margaux@caves.example", "oidc"
    )
    assert viewer(login_configured=True, streamlit_user={"is_logged_in": True, "sub": "42"}) == Viewer("42", "oidc")


def test_once_a_login_is_configured_a_viewer_who_has_not_signed_in_is_anonymous_even_on_loopback() -> None:
    # a reverse proxy on the same machine makes every viewer a loopback peer
    assert viewer(login_configured=True, streamlit_user=NOT_LOGGED_IN, peer="127.0.0.1") is ANONYMOUS


def test_is_logged_in_counts_only_when_the_login_is_configured() -> None:
    user = {"is_logged_in": True, "email": "x@example.com"}
    assert viewer(login_configured=False, streamlit_user=user, peer="203.0.113.9") is ANONYMOUS


# ------------------------------------------------------------------------------------------ trusted header


def test_the_trusted_header_is_honoured_only_when_configured() -> None:
    headers = {"X-Forwarded-Email": "alice@caves.example"}
    # not configured: the header means nothing (a loopback viewer stays the local user, a remote one anonymous)
    assert viewer(headers=headers, peer="127.0.0.1") == Viewer("albert", "local")
    assert viewer(headers=headers, peer="203.0.113.9") is ANONYMOUS
    # configured: from the proxy, the header names the viewer (any case of the header's name)
    assert viewer(auth=HEADER, headers=headers, peer="127.0.0.1") == Viewer("alice@caves.example", "header")
    assert viewer(auth=HEADER, headers={"x-forwarded-email": "bob"}, peer="::1") == Viewer("bob", "header")


def test_the_trusted_header_of_a_peer_that_is_not_a_trusted_proxy_is_ignored() -> None:
    headers = {"X-Forwarded-Email": "alice@caves.example"}
    assert viewer(auth=HEADER, headers=headers, peer="203.0.113.9") is ANONYMOUS
    proxies = AuthSettings(trusted_header="X-Forwarded-Email", trusted_proxies=("10.0.0.0/8", "not an address"))
    assert viewer(auth=proxies, headers=headers, peer="10.1.2.3") == Viewer("alice@caves.example", "header")
    assert viewer(auth=proxies, headers=headers, peer="127.0.0.1") is ANONYMOUS


@pytest.mark.parametrize("value", ["", "   ", "a\nb", "x" * 256, None])
def test_with_the_header_configured_a_viewer_without_a_usable_header_is_anonymous(value: str | None) -> None:
    headers = {} if value is None else {"X-Forwarded-Email": value}
    # never the local user: the proxy itself is a loopback peer
    assert viewer(auth=HEADER, headers=headers, peer="127.0.0.1") is ANONYMOUS


# ------------------------------------------------------------------------------------ Streamlit in Snowflake


def test_streamlit_in_snowflake_uses_its_signed_in_user_only() -> None:
    user = {"user_name": "MARGAUX", "email": "margaux@caves.example"}
    assert viewer(backend="sis", streamlit_user=user) == Viewer("MARGAUX", "snowflake")
    assert viewer(backend="sis", streamlit_user={}, peer="127.0.0.1") is ANONYMOUS  # never the OS account
    assert viewer(backend="sis", auth=HEADER, headers={"X-Forwarded-Email": "mallory"}, peer="127.0.0.1") is ANONYMOUS


def test_a_viewer_is_named_exactly_when_it_is_not_anonymous() -> None:
    with pytest.raises(ValueError):
        Viewer("albert", "anonymous")
    with pytest.raises(ValueError):
        Viewer(None, "oidc")
    with pytest.raises(ValueError):
        Viewer("albert", "magic")
    assert ANONYMOUS.label == "anonymous" and not ANONYMOUS.local


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("192.0.2.2") and not is_loopback(None) and not is_loopback("localhost")


# ------------------------------------------------------------------------------------------------ settings


def test_auth_settings_come_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "caves.yaml"
    path.write_text(
        "auth:\n  trusted_header: X-Auth-Request-Email\n  trusted_proxies: [10.0.0.1]\n  local_user: false\n",
        encoding="utf-8",
    )
    assert load_settings(path).auth == AuthSettings("X-Auth-Request-Email", ("10.0.0.1",), False)
    assert load_settings(tmp_path / "missing.yaml").auth == AuthSettings()


@pytest.mark.parametrize(
    "text",
    ["auth:\n  trusted_header: 'X Email: me'\n", "auth:\n  trusted_proxies: 127.0.0.1\n", "auth: [1]\n"],
)
def test_a_malformed_auth_section_is_refused_readably(tmp_path: Path, text: str) -> None:
    path = tmp_path / "caves.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="auth"):
        load_settings(path)


def test_the_shipped_settings_keep_the_local_default() -> None:
    settings = load_settings()
    assert settings.auth == AuthSettings()  # no header trusted unless configured
