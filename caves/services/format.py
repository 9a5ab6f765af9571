"""Numbers, euros, dates and durations as the console shows them, French by default.

French typography: a no-break space groups thousands and comes before ``€`` and ``%`` (so a value never
wraps across two lines), the decimal separator is a comma, dates are day first: ``1 234,56 €``,
``+12,5 %``, ``25/11/2026 14:03``. English uses ``€1,234.56``, ``+12.5%``, ``2026-11-25 14:03``.
Missing values (``None``, NaN, NaT) print as an em dash.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

__all__ = [
    "MISSING",
    "NBSP",
    "column_kind",
    "date",
    "datetime",
    "duration",
    "euros",
    "is_missing",
    "moment",
    "number",
    "percent",
]

NBSP = "\u00a0"
MISSING = "—"

# Column-name conventions of the catalog (queries/*.sql), used to pick a table format per column.
_MONEY_WORDS = ("REVENUE", "AMOUNT", "VALUE", "BASKET", "MONETARY", "PRICE", "LOSS", "CONTRIBUTION", "PAID")
_MONEY_EXCLUDED = ("_PCT", "_SHARE", "_RANK", "_COUNT")


def is_missing(value: Any) -> bool:
    """``None``, NaN, NaT or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars are not "missing"
        return False


def _grouped(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def number(value: Any, lang: str = "fr", decimals: int = 0) -> str:
    """``1 234`` / ``1,234`` (``decimals`` digits after the separator)."""
    if is_missing(value):
        return MISSING
    return _grouped(float(value), decimals, lang)


def euros(value: Any, lang: str = "fr", decimals: int = 2) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English; negative amounts keep their sign in front."""
    if is_missing(value):
        return MISSING
    # Decimals (NUMBER columns) are rounded half up, as amounts are on an invoice
    amount = (
        float(value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))
        if isinstance(value, Decimal)
        else float(value)
    )
    sign = "-" if amount < 0 else ""
    body = _grouped(abs(amount), decimals, lang)
    return f"{sign}{body}{NBSP}€" if lang == "fr" else f"{sign}€{body}"


def percent(value: Any, lang: str = "fr", decimals: int = 1, signed: bool = False) -> str:
    """A value already in percent (``12.5`` → ``12,5 %``); ``signed`` adds ``+`` to positive values."""
    if is_missing(value):
        return MISSING
    pct = float(value)
    sign = "+" if signed and pct > 0 else ("-" if pct < 0 else "")
    body = _grouped(abs(pct), decimals, lang)
    return f"{sign}{body}{NBSP}%" if lang == "fr" else f"{sign}{body}%"


def _as_datetime(value: Any) -> dt.datetime | None:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return pd.Timestamp(value).to_pydatetime()


def datetime(value: Any, lang: str = "fr", seconds: bool = False) -> str:
    """``25/11/2026 14:03`` / ``2026-11-25 14:03`` (UTC, as stored)."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return moment.strftime(f"%d/%m/%Y {clock}" if lang == "fr" else f"%Y-%m-%d {clock}")


def moment(value: Any, lang: str = "fr", now: dt.datetime | None = None) -> str:
    """A short timestamp for a narrow tile: ``14:03`` today, ``25/11 14:03`` this year, else the date."""
    when = _as_datetime(value)
    if when is None:
        return MISSING
    today = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).date()
    if when.date() == today:
        return when.strftime("%H:%M")
    if when.year == today.year:
        return when.strftime("%d/%m %H:%M" if lang == "fr" else "%m-%d %H:%M")
    return date(when, lang)


def date(value: Any, lang: str = "fr") -> str:
    """``25/11/2026`` / ``2026-11-25``."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING
    return moment.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")


def duration(seconds: Any, lang: str = "fr") -> str:
    """A short human duration: ``0 s``, ``0,4 s``, ``42 s``, ``2 min``, ``3 min 05 s``, ``2 h 07 min``,
    ``3 j 4 h`` (``3 d 4 h`` in English)."""
    if is_missing(seconds):
        return MISSING
    total = float(seconds)
    if not math.isfinite(total):
        return MISSING
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total == 0:
        return f"0{NBSP}s"
    if total < 10:
        return f"{sign}{_grouped(total, 1, lang)}{NBSP}s"
    whole = round(total)
    if whole < 60:
        return f"{sign}{whole}{NBSP}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{sign}{minutes}{NBSP}min" + (f" {secs:02d}{NBSP}s" if secs else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours}{NBSP}h" + (f" {minutes:02d}{NBSP}min" if minutes else "")
    days, hours = divmod(hours, 24)
    day_unit = "j" if lang == "fr" else "d"
    return f"{sign}{days}{NBSP}{day_unit}" + (f" {hours}{NBSP}h" if hours else "")


def column_kind(name: str) -> str:
    """How a catalog column is best shown: ``money``, ``percent``, ``share`` (a 0–1 ratio), ``stock``,
    ``seconds``, ``count`` or ``other``. Based on the catalog's naming conventions (``*_PCT`` is already in
    percent, ``REVENUE*`` is in euros...)."""
    upper = name.upper()
    if upper.endswith("_PCT"):
        return "percent"
    if upper.endswith("_SHARE") or upper == "CUMULATIVE_SHARE":
        return "share"
    if upper in ("CURRENT_STOCK_LEVEL", "STARTING_STOCK", "AVG_STOCK"):
        return "stock"
    if upper.endswith("_SEC") or upper.endswith("_SECONDS"):
        return "seconds"
    if any(word in upper for word in _MONEY_WORDS) and not any(upper.endswith(s) for s in _MONEY_EXCLUDED):
        return "money"
    if upper.endswith("_COUNT") or upper.startswith("UNITS") or upper.endswith("_ROWS") or upper == "FREQUENCY":
        return "count"
    return "other"
