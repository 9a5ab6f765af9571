"""A task failure in a real browser: the sidebar's badge counts the open alert on every page, and the Alertes page
shows it with the rows behind it, in French and English, at desktop (1440 px) and phone (390 px) widths.

The warehouse is this test's own (a short simulated history, then the orders graph's child task made to fail and
the deployed ALERT_TASK_FAILURES run: https://docs.snowflake.com/en/sql-reference/sql/execute-alert), served by a
real ``streamlit run``. Screenshots go to ``screenshots_dir`` for a human to look at.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from caves import taskctl
from caves.ingest import Message, load_batch
from caves.local.scheduler import run_until_idle
from caves.runtime import LocalRuntime
from caves.services import alerts_service
from caves.settings import LocalSettings
from caves.warehouse.local import LocalWarehouse

pytestmark = pytest.mark.browser

DB = "CAVES_ALBERT_DB"
RENDER_TIMEOUT_MS = 30_000


def _order() -> str:
    payload = {
        "order_id": f"ORD-E2E-{uuid.uuid4().hex[:8]}", "customer_id": "CUST-E2E", "product_id": "WINE-0001",
        "product_name": "Vin", "product_category": "Rouge", "quantity": 1, "unit_price": 10.0, "total_amount": 10.0,
        "currency": "EUR", "payment_method": "card", "order_status": "confirmed",
        "order_date": "2026-12-01T10:00:00Z", "shipping_country": "FR",
    }  # fmt: skip
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "order",
                       "event_timestamp": "2026-12-01T10:00:00Z", "payload": payload})  # fmt: skip


@pytest.fixture(scope="module")
def failed_shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The warehouse with the injected task failure, and how many alerts are open in it."""
    path = tmp_path_factory.mktemp("e2e-alerts") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=7, seed_orders_per_day=40, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    w = LocalWarehouse(path)
    try:
        root, child = f"{DB}.OPS.TASK_RAW_TO_STAGING_ORDERS", f"{DB}.OPS.TASK_STAGING_TO_PROD_ORDERS"
        taskctl.run(w, taskctl.suspend_statements(root))
        w.execute(f"alter task {child} modify as select 1 / 0")  # the injected failure
        taskctl.run(w, taskctl.resume_statements(root))
        load_batch(w, [Message(_order(), "e2e", 0, 0)])
        run_until_idle(w.engine)
        for name in alerts_service.alert_names():
            w.execute(alerts_service.execute_statement(name))
        board = alerts_service.board(w)
    finally:
        w.close()
    assert "ALERT_TASK_FAILURES" in set(board.open_alerts["ALERT_NAME"])
    # the shop's week may also leave a wine out of stock at this hour (a stock-out alert): the badge counts both
    return path, board.open_count


@pytest.fixture(scope="module")
def badge(failed_shop: tuple[Path, int]) -> dict[str, str]:
    """The sidebar badge's text in each language for the alerts open in the failed shop."""
    count = failed_shop[1]
    return {"fr": f"{count} alerte(s) ouverte(s)", "en": f"{count} open alert(s)"}


@pytest.fixture(scope="module")
def alerts_server(failed_shop: tuple[Path, int], serve) -> Iterator[str]:
    with serve(failed_shop[0]) as url:
        yield url


def _wait_rendered(page, heading: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=RENDER_TIMEOUT_MS)


def _full_height(page, width: int) -> None:
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                .map(e => e.scrollHeight), document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, 8_000)})
    page.wait_for_timeout(1_000)


TEXTS = {
    "fr": {"title": "Alertes", "alert": "Critique · Tâche en échec — Tâches en échec"},
    "en": {"title": "Alerts", "alert": "Critical · Task failed — Task failures"},
}


def test_the_badge_shows_on_every_page_after_a_task_failure(alerts_server: str, browser, badge: dict) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        for path, heading in (("", "Vue d'ensemble"), ("stock", "Stock"), ("pipeline", "Santé du pipeline")):
            page.goto(f"{alerts_server}/{path}", wait_until="domcontentloaded")
            _wait_rendered(page, heading)
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_text(badge["fr"]).count() == 1, path
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_alertes_page_shows_the_failed_task(
    alerts_server: str, browser, screenshots_dir: Path, badge: dict, language: str, width: int
) -> None:
    texts = TEXTS[language]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{alerts_server}/alerts", wait_until="domcontentloaded")
        _wait_rendered(page, "Alertes")
        sidebar = page.locator('[data-testid="stSidebar"]')
        if width < 640:  # on a phone the sidebar starts folded away: open it to switch language and see the badge
            page.locator(
                '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
            ).first.click()
            sidebar.get_by_text("Langue · Language").wait_for(timeout=RENDER_TIMEOUT_MS)
            page.wait_for_timeout(1_000)  # the sidebar slides in
        if language == "en":
            sidebar.get_by_text("EN", exact=True).click()
            _wait_rendered(page, texts["title"])
            page.wait_for_timeout(500)
        assert sidebar.get_by_text(badge[language]).count() == 1
        if width < 640:
            page.screenshot(path=str(screenshots_dir / f"alerts-{language}-{width}-sidebar.png"))
            page.locator(
                '[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]'
            ).first.click()
            page.wait_for_timeout(500)
        alert = page.get_by_text(texts["alert"], exact=False).first
        alert.wait_for(timeout=RENDER_TIMEOUT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.all_inner_texts()
        _full_height(page, width)
        page.screenshot(path=str(screenshots_dir / f"alerts-{language}-{width}.png"), full_page=True)
    finally:
        context.close()
