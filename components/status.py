"""Status marks in text: latency grades as coloured badges, alerts as coloured dots (Streamlit markdown)."""

from __future__ import annotations

from components.context import t

_GRADE_COLORS = {"ok": "green", "warning": "orange", "stale": "red"}


def grade_badge(grade: str) -> str:
    """``ok`` / ``warning`` / ``stale`` / ``unknown`` as a coloured, translated badge."""
    return f":{_GRADE_COLORS.get(grade, 'gray')}-badge[{t('grade.' + grade)}]"


def dot(ok: bool) -> str:
    """A green or red dot."""
    return ":green[●]" if ok else ":red[●]"


def grade_label(grade: str) -> str:
    """A grade for a table cell (plain text with a coloured disc: tables do not render markdown)."""
    disc = {"ok": "🟢", "warning": "🟠", "stale": "🔴"}.get(grade, "⚪")
    return f"{disc} {t('grade.' + grade)}"
