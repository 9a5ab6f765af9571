"""Every page of the console in a real browser: it renders, shows no exception and no error box.

A screenshot of each page is saved outside the repository (see ``screenshots_dir``) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# url path (st.navigation derives it from the file name) -> the page's title (French). A sub-page comes first:
# on a fresh server, the very first request is a deep link, and app.py must still run (see the sidebar check).
PAGES = {
    "stock": "Stock",
    "": "Vue d'ensemble",
    "sales": "Ventes & produits",
    "customers": "Clients",
    "finance": "Finance",
    "pipeline": "Santé du pipeline",
    "alerts": "Alertes",
    "explorer": "Explorateur",
    "admin": "Administration",
}
RENDER_TIMEOUT_MS = 30_000
MAX_SCREENSHOT_HEIGHT = 8_000


def _wait_rendered(page, heading: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    # the script run is over (the app root says so) and no element is still a placeholder
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=RENDER_TIMEOUT_MS)


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_page_renders_without_error(server: str, browser, screenshots_dir: Path, path: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        _wait_rendered(page, PAGES[path])
        assert page.locator('[data-testid="stException"]').count() == 0
        # app.py ran around the page: its language switch and its grouped navigation are there
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_by_text("Langue · Language").count() == 1
        assert sidebar.get_by_text("Exploitation").count() == 1
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.all_inner_texts()
        # the app scrolls inside its main block: grow the window to the content to capture it whole
        height = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                    .map(e => e.scrollHeight), document.body.scrollHeight)"""
        )
        page.set_viewport_size({"width": 1440, "height": min(int(height) + 80, MAX_SCREENSHOT_HEIGHT)})
        page.wait_for_timeout(1_000)  # charts and tables (drawn on a canvas) re-layout to the new size
        page.screenshot(path=str(screenshots_dir / f"{path or 'overview'}.png"), full_page=True)
    finally:
        context.close()


def test_admin_action_is_confirmed_in_a_dialog_and_audited(server: str, browser, screenshots_dir: Path) -> None:
    """The confirmation dialog in a real browser (its buttons rerun the dialog alone, which AppTest does not
    reproduce): preview the deploy and cancel, then suspend the graph, confirm, and resume it."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{server}/admin", wait_until="domcontentloaded")
        _wait_rendered(page, "Administration")

        page.get_by_role("button", name="Aperçu (dry run)").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text("create or replace task", exact=False).first.wait_for(timeout=RENDER_TIMEOUT_MS)
        page.screenshot(path=str(screenshots_dir / "admin-deploy-preview.png"))
        dialog.get_by_role("button", name="Annuler").click()
        dialog.wait_for(state="detached", timeout=RENDER_TIMEOUT_MS)

        for button, done in (
            ("Suspendre tout le graphe", "« Suspension du graphe » terminé."),
            ("Reprendre tout le graphe", "« Reprise du graphe » terminé."),
        ):
            page.get_by_role("button", name=button).click()
            page.get_by_role("dialog").get_by_role("button", name="Confirmer").click()
            page.get_by_text(done).wait_for(timeout=RENDER_TIMEOUT_MS)
            _wait_rendered(page, "Administration")
        assert page.locator('[data-testid="stException"]').count() == 0
        audit = page.locator('[data-testid="stDataFrame"]').last
        audit.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots_dir / "admin-after-actions.png"), full_page=True)
    finally:
        context.close()
