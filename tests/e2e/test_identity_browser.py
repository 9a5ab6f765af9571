"""Who the viewer is, in a real ``streamlit run`` server driven by headless Chromium.

* the local default: a browser on loopback is the local user; a viewer the server sees as remote (a
  reverse proxy on this machine forwarding a remote client, ``X-Forwarded-For``) is anonymous, even though the
  server runs as an administrator's OS account;
* a trusted header from a reverse proxy (Playwright's extra HTTP headers play the proxy): honoured only when
  ``auth.trusted_header`` is configured;
* Streamlit's login (``st.login``) end to end against a local OpenID Connect provider (oidc-provider-mock on
  127.0.0.1), when that package and Authlib are installed.
"""

from __future__ import annotations

import getpass
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 30_000
DENIED_ANONYMOUS = "Vous n'êtes pas identifié"
ADMIN_BUTTON = "Aperçu (dry run)"


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "caves.yaml"
    path.write_text(text, encoding="utf-8")
    return {"CAVES_CONFIG": str(path)}


def _admin_page(browser, url: str, headers: dict[str, str] | None = None):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-FR", extra_http_headers=headers)
    page = context.new_page()
    page.goto(f"{url}/admin", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Administration", exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_TIMEOUT_MS)
    return context, page


def _text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_local_default_loopback_is_the_local_user_and_a_forwarded_remote_viewer_is_anonymous(
    start_server, browser, tmp_path: Path
) -> None:
    me = getpass.getuser()
    env = _config(tmp_path, f"admin:\n  users: [{me}]\n  local_is_admin: true\n")
    with start_server(env=env) as url:
        context, page = _admin_page(browser, url)
        try:
            assert f"Connecté en tant que {me}" in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 1
        finally:
            context.close()
        # a reverse proxy on this machine forwarding a remote browser (the server trusts X-Forwarded-For from
        # loopback only): the server runs as an admin's account, the viewer is nobody
        context, page = _admin_page(browser, url, {"X-Forwarded-For": "203.0.113.9"})
        try:
            assert DENIED_ANONYMOUS in _text(page)
            assert me not in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 0
        finally:
            context.close()


def test_the_trusted_header_is_honoured_only_when_configured(start_server, browser, tmp_path: Path) -> None:
    header = {"X-Forwarded-Email": "alice@caves.example"}
    configured = _config(
        tmp_path,
        "admin:\n  users: [alice@caves.example]\n  local_is_admin: true\nauth:\n  trusted_header: X-Forwarded-Email\n",
    )
    with start_server(env=configured) as url:
        context, page = _admin_page(browser, url, header)
        try:
            assert "Connecté en tant que alice@caves.example" in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 1
        finally:
            context.close()
        context, page = _admin_page(browser, url, {"X-Forwarded-Email": "bob@caves.example"})
        try:
            assert "bob@caves.example n'en fait pas partie" in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 0
        finally:
            context.close()
        # no header through the proxy: anonymous, not the local user (the proxy itself is on loopback)
        context, page = _admin_page(browser, url)
        try:
            assert DENIED_ANONYMOUS in _text(page)
        finally:
            context.close()
        # a proxy that also forwards X-Forwarded-For: Streamlit's server then reports the client's address,
        # which is no trusted proxy, so the header is not believed (fail closed; the README says what to do)
        context, page = _admin_page(browser, url, {**header, "X-Forwarded-For": "203.0.113.9"})
        try:
            assert DENIED_ANONYMOUS in _text(page)
        finally:
            context.close()
    # ... and what to do: keep the proxy's own address (FORWARDED_ALLOW_IPS empty: X-Forwarded-For not applied)
    with start_server(env={**configured, "FORWARDED_ALLOW_IPS": ""}) as url:
        context, page = _admin_page(browser, url, {**header, "X-Forwarded-For": "203.0.113.9"})
        try:
            assert "Connecté en tant que alice@caves.example" in _text(page)
        finally:
            context.close()
    # not configured: the header is just text, and the viewer is who the connection says
    other = tmp_path / "other"
    other.mkdir()
    unconfigured = _config(other, "admin:\n  users: [alice@caves.example]\n  local_is_admin: false\n")
    with start_server(env=unconfigured) as url:
        context, page = _admin_page(browser, url, header)
        try:
            assert "alice@caves.example" not in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 0
        finally:
            context.close()


# --------------------------------------------------------------------------------- Streamlit's login (OIDC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oidc_provider(tmp_path: Path) -> Iterator[str]:
    """A local OpenID Connect provider (oidc-provider-mock) on 127.0.0.1: any client id and secret, and the
    user types a subject, which becomes the ``email`` claim."""
    for module in ("oidc_provider_mock", "authlib"):
        if importlib.util.find_spec(module) is None:
            message = f"{module} is not installed (pip install -r requirements-dev.txt)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    port = _free_port()
    log = (tmp_path / "oidc.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"oidc-provider-mock exited: {(tmp_path / 'oidc.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oidc-provider-mock did not answer")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_sign_in_with_st_login_against_a_local_oidc_provider(
    start_server, browser, oidc_provider: str, tmp_path: Path
) -> None:
    port = _free_port()
    secrets = tmp_path / "secrets.toml"  # test-only values for a provider that accepts any client
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "test-only-cookie-signing-key-0123456789"\n'
        'client_id = "caves-console"\n'
        'client_secret = "test-only-client"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    me = getpass.getuser()
    # the server runs as an admin's OS account and local_is_admin is on: with a login configured, neither
    # makes a loopback viewer an administrator; only signing in as a listed user does
    env = _config(tmp_path, f"admin:\n  users: [alice@caves.example, {me}]\n  local_is_admin: true\n")
    with start_server(env=env, port=port, args=["--secrets.files", str(secrets)]) as url:
        context, page = _admin_page(browser, url)
        try:
            assert DENIED_ANONYMOUS in _text(page)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 0
            page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Se connecter").click()
            page.wait_for_url(f"{oidc_provider}/oauth2/authorize**", timeout=RENDER_TIMEOUT_MS)
            page.fill("input[name=sub]", "alice@caves.example")
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(f"{url}/**", timeout=RENDER_TIMEOUT_MS)  # back through /oauth2callback
            page.goto(f"{url}/admin", wait_until="domcontentloaded")
            page.get_by_role("heading", name="Administration", exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
            page.get_by_role("button", name=ADMIN_BUTTON).wait_for(timeout=RENDER_TIMEOUT_MS)
            assert "Connecté en tant que alice@caves.example" in _text(page)
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert "Connecté : alice@caves.example" in sidebar.inner_text()
            # st.logout ends the session at the provider too (RP-initiated logout), then comes back
            sidebar.get_by_role("button", name="Se déconnecter").click()
            page.wait_for_url(f"{oidc_provider}/oauth2/end_session**", timeout=RENDER_TIMEOUT_MS)
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(f"{url}/**", timeout=RENDER_TIMEOUT_MS)
            page.goto(f"{url}/admin", wait_until="domcontentloaded")
            page.get_by_text(DENIED_ANONYMOUS, exact=False).wait_for(timeout=RENDER_TIMEOUT_MS)
            assert page.get_by_role("button", name=ADMIN_BUTTON).count() == 0
        finally:
            context.close()
