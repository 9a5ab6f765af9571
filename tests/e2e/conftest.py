"""Fixtures for the browser tests: a seeded warehouse, a real ``streamlit run`` server, headless Chromium.

The browser is Debian's ``chromium`` (apt-get install chromium chromium-driver), driven by Playwright with
``executable_path``: no browser is ever downloaded. Without Chromium or Playwright the tests are skipped
on a developer's machine and fail in CI (``CI`` set), so CI never passes by skipping them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from caves.objects import DATABASE
from caves.runtime import LocalRuntime
from caves.services import alerts_service
from caves.settings import LocalSettings
from caves.warehouse.local import LocalWarehouse

REPO_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = os.environ.get("CAVES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots go outside the repository: $CAVES_SCREENSHOTS, else a pytest temporary folder (its path is printed).
SCREENSHOTS_ENV = "CAVES_SCREENSHOTS"
SERVER_START_TIMEOUT_S = 90
# Servers only on these ports when set (e.g. "8720-8739"): a machine shared by several test runs gives each its range.
PORTS_ENV = "CAVES_E2E_PORTS"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    chosen = os.environ.get(PORTS_ENV)
    if chosen:
        low, _, high = chosen.partition("-")
        for port in range(int(low), int(high or low) + 1):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        pytest.fail(f"no free port in {PORTS_ENV}={chosen}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deployed warehouse with 14 days x 60 orders/day pushed through the real pipeline, and open stock alerts.

    Whether the start-up alert check finds a wine running out within the default 5 days depends on the day's
    simulated sales; a one-year horizon (an ALERT_SETTINGS override, as an administrator would set it) finds every
    wine that sells, so every run reads the Alertes page with open alerts and the rows behind them.
    """
    path = tmp_path_factory.mktemp("e2e") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=14, seed_orders_per_day=60, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    warehouse = LocalWarehouse(path)
    try:
        warehouse.execute(
            f"insert into {DATABASE}.OPS.ALERT_SETTINGS (SETTING_NAME, SETTING_VALUE) values (?, ?)",
            ["STOCKOUT_FORECAST_DAYS", 365],
        )
        warehouse.execute(alerts_service.execute_statement(alerts_service.resolve_alert("ALERT_STOCKOUT")))
        assert alerts_service.board(warehouse).open_count > 0, "the e2e warehouse has no open alert to show"
    finally:
        warehouse.close()
    return path


@contextlib.contextmanager
def run_streamlit(
    db: Path,
    log_dir: Path,
    *,
    env: dict[str, str] | None = None,
    args: list[str] | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
) -> Iterator[str]:
    """``streamlit run app.py`` on ``port`` (default: a free one), scheduler and simulator off (the data stays
    put); yields its URL once it answers. ``env`` and ``args`` (Streamlit options) come on top of the defaults."""
    port = port or _free_port()
    full_env = {**os.environ, "CAVES_DB": str(db), "CAVES_BACKGROUND": "off", **(env or {})}
    log_path = log_dir / f"streamlit-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *(args or []),
            ],
            cwd=REPO_ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on a free port, scheduler and simulator off (the data stays put)."""
    with run_streamlit(seeded_db, tmp_path_factory.mktemp("e2e-log")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium under Playwright."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save their screenshots, for a human to look at (never inside the repository)."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="session")
def start_server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """A factory of servers on the seeded warehouse: ``with start_server(env=..., args=...) as url:``."""
    log_dir = tmp_path_factory.mktemp("e2e-servers")

    def start(**kwargs: object) -> contextlib.AbstractContextManager[str]:
        return run_streamlit(seeded_db, log_dir, **kwargs)  # type: ignore[arg-type]

    return start


@pytest.fixture(scope="session")
def serve(tmp_path_factory: pytest.TempPathFactory):
    """A factory of servers on a warehouse of the test's own: ``with serve(db_path, env=..., args=...) as url:``."""
    log_dir = tmp_path_factory.mktemp("e2e-serve")

    def start(db: Path, **kwargs: object) -> contextlib.AbstractContextManager[str]:
        return run_streamlit(db, log_dir, **kwargs)  # type: ignore[arg-type]

    return start
