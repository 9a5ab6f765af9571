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
