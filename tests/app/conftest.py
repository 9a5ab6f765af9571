"""Fixtures for the page tests: one seeded local warehouse for the whole session, the app pointed at it.

The warehouse is deployed and fed 14 days x 60 orders/day through the real pipeline once; the scheduler
and the live simulator stay off (``CAVES_BACKGROUND=off``) so the figures do not move while a test
compares what a page shows with what the catalog query returns.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from caves.runtime import LocalRuntime
from caves.settings import LocalSettings
from caves.warehouse.local import LocalWarehouse


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A deployed, seeded warehouse file; the app (CAVES_DB) and the tests read the same file."""
    path = tmp_path_factory.mktemp("app") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=14, seed_orders_per_day=60, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    saved = {name: os.environ.get(name) for name in ("CAVES_DB", "CAVES_BACKGROUND")}
    os.environ["CAVES_DB"] = str(path)
    os.environ["CAVES_BACKGROUND"] = "off"
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def warehouse(seeded_db: Path) -> Iterator[LocalWarehouse]:
    """The seeded warehouse, opened by the test itself to compute the expected figures."""
    wh = LocalWarehouse(seeded_db)
    yield wh
    wh.close()


# Streamlit's login as AppTest simulates it: an [auth] table in the secrets (placeholders: nothing is ever sent
# to a provider) and ``at.user`` with ``is_logged_in``. Under AppTest there is no browser connection, so a
# viewer who has not signed in is anonymous (caves.identity).
LOGIN_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "placeholder-not-a-secret",
        "client_id": "caves-console",
        "client_secret": "placeholder-not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
ADMIN_EMAIL = "test@example.com"


def sign_in(at: Any, email: str = ADMIN_EMAIL) -> Any:
    """``at`` (an AppTest, before its first run) as a user signed in with st.login."""
    at.user = {"is_logged_in": True, "email": email, "sub": email}
    at.secrets.update(LOGIN_SECRETS)
    return at


@pytest.fixture
def signed_in() -> Callable[..., Any]:
    """:func:`sign_in`, for the tests (a conftest is not imported by name)."""
    return sign_in


@pytest.fixture
def admin_email(monkeypatch: pytest.MonkeyPatch) -> str:
    """admin.users lists the signed-in test user (Streamlit's default AppTest e-mail)."""
    import dataclasses

    from components import cache

    monkeypatch.setattr(cache, "_SETTINGS", dataclasses.replace(cache.settings(), admin_users=(ADMIN_EMAIL,)))
    return ADMIN_EMAIL
