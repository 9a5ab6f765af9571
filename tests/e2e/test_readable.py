"""Every page in French and in English, on a desktop (1440 px) and on a phone (390 px), read as a user reads it.

A page fails when what it shows (the page's text, the charts' SVG text and every string the data grids draw on
their canvas) holds:
- a number written the other language's way (``10,401`` or ``0.14 s`` on a French page, ``1 234,5`` or
  ``12 %`` on an English one; ``€69`` in French, ``69 €`` in English; an ISO date in French, a day-first date
  in English);
- a code instead of its label (``SUCCEEDED``, ``USER_SUSPENDED``, ``Hibernating``, ``retry_last``...);
- ``None``, ``NaN`` or ``nan``;
- an error box or an exception;
- a table wider than its container (on the desktop, a data grid that scrolls sideways, or one that squeezed its
  columns until a cell's text runs past its column; on the phone, where sideways scrolling inside a table is
  expected, a table or the page itself sticking out of the screen), a tile whose label or value is cut, or a
  chart toolbar that could cover a legend.

Screenshots of every page, language and width are saved for a human to look at (see ``screenshots_dir``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# path -> (French title, English title); the Explorer is also opened on queries whose results hold codes.
PAGES = {
    "": ("Vue d'ensemble", "Overview"),
    "sales": ("Ventes & produits", "Sales & products"),
    "customers": ("Clients", "Customers"),
    "finance": ("Finance", "Finance"),
    "stock": ("Stock", "Stock"),
    "pipeline": ("Santé du pipeline", "Pipeline health"),
    "alerts": ("Alertes", "Alerts"),
    "explorer": ("Explorateur", "Explorer"),
    "explorer?q=task_history_recent": ("Explorateur", "Explorer"),
    "explorer?q=rfm_segments": ("Explorateur", "Explorer"),
    "admin": ("Administration", "Administration"),
}
# Every string a canvas draws (the data grid draws its cells on a canvas): what the viewer reads in a table, and
# where (in the canvas' pixels, with its width and alignment) to tell a cut cell.
CANVAS_TEXT_HOOK = """
window.__cavesCanvasText = new Set();
window.__cavesDraws = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  const m = this.getTransform();
  window.__cavesCanvasText.add(String(text));
  window.__cavesDraws.push({canvas: this.canvas, text: String(text), x: m.a * x + m.e, y: m.d * y + m.f,
                            width: m.a * this.measureText(String(text)).width, align: this.textAlign});
  return fillText.call(this, text, x, y, ...rest);
};
"""
WIDTHS = {"desktop": 1440, "phone": 390}
RENDER_TIMEOUT_MS = 45_000
MAX_SCREENSHOT_HEIGHT = 9_000

_SPACE = "[\u00a0\u202f ]"
# A number in the other language's format, per page language.
WRONG_NUMBERS = {
    "fr": [
        (re.compile(r"\d,\d{3}(?!\d)"), "English thousands separator"),
        (re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])"), "English decimal point"),
        (re.compile(r"€\s?\d"), "euro sign before the amount"),
        (re.compile(r"\b20\d\d-\d\d-\d\d\b"), "ISO date on a French page"),
    ],
    "en": [
        (re.compile(rf"\d{_SPACE}\d{{3}}(?!\d)"), "French thousands separator"),
        (re.compile(r"(?<![\w,])\d+,\d{1,2}(?![\d,])"), "French decimal comma"),
        (re.compile(rf"\d{_SPACE}?€"), "euro sign after the amount"),
        (re.compile(rf"\d{_SPACE}%"), "space before the percent sign"),
        (re.compile(r"\b\d\d/\d\d/20\d\d\b"), "day-first date on an English page"),
    ],
}
# Codes that must never reach the screen as such (anywhere in a text).
RAW_CODES = re.compile(
    r"\b(SUCCEEDED|EXECUTING|SKIPPED|FAILED_AND_AUTO_SUSPENDED|USER_SUSPENDED|SUSPENDED_DUE_TO_ERRORS|"
    r"retry_last|bank_transfer|apple_pay|inventory_adjustment|source_to_raw|"
    r"raw_to_staging|staging_to_production|raw_to_production|in_flight|over-counted|LOW_STOCK|OUT_OF_STOCK)\b"
)
# Codes that are also ordinary words: wrong only as a whole cell, tile or option.
RAW_CELLS = {
    "fr": {"all", "graph", "succeeded", "failed", "sale", "restock", "breakage", "return", "correction",
           "pending", "confirmed", "shipped", "delivered", "cancelled", "card", "paypal", "orders", "inventory",
           "started", "suspended", "FAILED", "SCHEDULED", "CANCELLED", "Loyal", "New", "Promising",
           "At risk", "Can't lose", "Hibernating", "Need attention", "ok", "warning", "stale"},
    "en": {"all", "graph", "succeeded", "sale", "restock", "breakage", "correction", "pending", "confirmed",
           "shipped", "delivered", "cancelled", "card", "paypal", "FAILED", "SCHEDULED", "CANCELLED", "ok",
           "warning", "stale", "Rouge", "Blanc", "Effervescent", "Liquoreux", "Spiritueux"},
}  # fmt: skip
MISSING_WORDS = re.compile(r"\b(None|NaN|nan)\b")

# The visible text of the page (hidden elements, the grids' screen-reader copy of raw values and the Material
# icons left out: an icon's text is its ligature name, ``warning`` or ``error``, drawn as a glyph), the SVG text of
# charts and graphs, and what each data grid drew.
READ_PAGE = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const texts = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('[data-testid="stDataFrame"], script, style, [data-testid="stCode"], '
                                  + '[data-testid="stIconMaterial"], [data-testid="stExpanderIcon"]')) continue;
    if (!parent.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  return {texts, canvas: [...window.__cavesCanvasText]};
}
"""
MEASURE = """
(phone) => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  document.querySelectorAll('[data-testid="stDataFrame"]').forEach((grid, index) => {
    if (!grid.checkVisibility()) return;  // e.g. in a closed expander
    const box = grid.getBoundingClientRect();
    const parent = grid.parentElement.getBoundingClientRect();
    const heading = grid.closest('[data-testid="stVerticalBlock"]')?.querySelector('h2, h3')?.innerText || '';
    const where = `table ${index + 1} ${heading ? '(' + heading + ')' : ''}`;
    if (box.right > parent.right + 1 || box.right > viewport + 1) problems.push(`${where} sticks out of its container`);
    const scroller = grid.querySelector('.dvn-scroller');
    if (!phone && scroller && scroller.scrollWidth > scroller.clientWidth + 1)
      problems.push(`${where} is wider than its container: ${scroller.scrollWidth} > ${scroller.clientWidth} px`);
  });
  // A cell whose text runs past its column (the grid squeezes its columns to fit rather than scroll): each grid's
  // header texts start its columns; a left-aligned text must end before the next one, a right-aligned one start
  // after its own.
  const grids = new Map();
  for (const draw of window.__cavesDraws) {
    const grid = draw.canvas.isConnected && draw.canvas.closest('[data-testid="stDataFrame"]');
    if (!grid || !grid.checkVisibility()) continue;
    if (!grids.has(grid)) grids.set(grid, []);
    grids.get(grid).push(draw);
  }
  if (!phone) grids.forEach((draws, grid) => {  // on a phone, grids scroll sideways: columns off screen
    const top = Math.min(...draws.map(d => d.y));
    const starts = [...new Set(draws.filter(d => d.y <= top + 2).map(d => Math.round(d.x)))].sort((a, b) => a - b);
    const right = grid.getBoundingClientRect().width;
    for (const draw of draws.filter(d => d.y > top + 2)) {
      const column = starts.filter(s => s <= draw.x + 2).length - 1;
      if (column < 0) continue;
      const end = column + 1 < starts.length ? starts[column + 1] - 2 : right;
      const left = ['right', 'end'].includes(draw.align) ? draw.x - draw.width : draw.x;
      if (left + draw.width > end + 1 || left < starts[column] - 8)
        problems.push(`a table cell is cut: "${draw.text}"`);
    }
  });
  document.querySelectorAll('[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] > div').forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1) problems.push(`tile text cut: "${e.innerText}"`);
  });
  document.querySelectorAll('.modebar').forEach(bar => {
    if (bar.checkVisibility()) problems.push('a chart toolbar is shown (it covers the legend on a phone)');
  });
  const page = document.querySelector('[data-testid="stMain"]');
  if (page && page.scrollWidth > page.clientWidth + 1) problems.push(`the page scrolls sideways: ${page.scrollWidth} px`);
  return problems;
}
"""


def _wait_rendered(page, heading: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(1_500)  # charts and grids draw after the script run


def _misread(lang: str, texts: list[str], cells: list[str]) -> list[str]:
    found = []
    for text in texts + cells:
        for pattern, why in WRONG_NUMBERS[lang]:
            match = pattern.search(text)
            if match:
                found.append(f"{why}: {match.group(0)!r} in {text[:80]!r}")
        for pattern, why in ((RAW_CODES, "raw code"), (MISSING_WORDS, "missing value")):
            match = pattern.search(text)
            if match:
                found.append(f"{why}: {match.group(0)!r} in {text[:80]!r}")
        if text.strip() in RAW_CELLS[lang]:
            found.append(f"raw code as a whole cell or label: {text!r}")
    return found


def _grow_to_content(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(1_200)  # the layout follows the new width first
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                .map(e => e.scrollHeight), document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, MAX_SCREENSHOT_HEIGHT)})
    page.wait_for_timeout(1_200)  # charts and grids re-layout to the new size


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", list(PAGES), ids=[p.replace("?q=", "-") or "overview" for p in PAGES])
def test_every_page_reads_right_in_both_languages_on_desktop_and_phone(
    server: str, browser, screenshots_dir: Path, path: str, lang: str
) -> None:
    title_fr, title_en = PAGES[path]
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 1000}, locale="fr-FR")
    context.add_init_script(CANVAS_TEXT_HOOK)
    problems: list[str] = []
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        _wait_rendered(page, title_fr)
        if lang == "en":
            page.locator('[data-testid="stSidebar"]').get_by_text("EN", exact=True).click()
            _wait_rendered(page, title_en)
        name = f"{path.replace('?q=', '-') or 'overview'}-{lang}"
        for label, width in WIDTHS.items():
            page.evaluate("() => { window.__cavesCanvasText.clear(); window.__cavesDraws = []; }")
            _grow_to_content(page, width)
            where = f"{name} at {width} px"
            assert page.locator('[data-testid="stException"]').count() == 0, where
            errors = page.locator('[data-testid="stAlertContentError"]')
            assert errors.count() == 0, (where, errors.all_inner_texts())
            read = page.evaluate(READ_PAGE)
            problems += [f"{where}: {p}" for p in _misread(lang, read["texts"], read["canvas"])]
            problems += [f"{where}: {p}" for p in page.evaluate(MEASURE, label == "phone")]
            page.screenshot(path=str(screenshots_dir / f"{name}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert not problems, "\n".join(dict.fromkeys(problems))
