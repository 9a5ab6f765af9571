"""Numbers, euros, dates and durations as the console shows them, French by default, from one place.

Every number on screen goes through Babel (CLDR data), in the session's language: French groups thousands with a
narrow no-break space and puts ``€`` and ``%`` after a no-break space (so a value never wraps across two lines),
``1 234,56 €``, ``+12,5 %``; English writes ``€1,234.56``, ``+12.5%``. Dates are day first in French
(``25/11/2026 14:03``) and ISO in English (``2026-11-25 14:03``), as stored: UTC. Missing values (``None``, NaN,
NaT) print as an em dash.

The chart and table components take their separators and affixes from here too (:func:`separators`,
:func:`currency_affixes`), so that a tile, a table cell and an axis tick of the same figure read alike.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pandas as pd
from babel import Locale, dates, numbers

from caves.i18n import code_label

__all__ = [
    "MISSING",
    "NBSP",
    "cell_formatter",
    "column_kind",
    "csv_bytes",
    "currency_affixes",
    "date",
    "datetime",
    "day_time",
    "display_frame",
    "duration",
    "euros",
    "is_missing",
    "locale_for",
    "moment",
    "month",
    "number",
    "percent",
    "percent_affixes",
    "separators",
]

NBSP = "\u00a0"
MISSING = "—"

# The console's languages and the CLDR locale each one formats with.
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# English dates stay ISO (unambiguous for a French team reading English); French ones are day first.
_DATE_PATTERNS = {"fr": "dd/MM/yyyy", "en": "yyyy-MM-dd"}
_DAY_UNIT = {"fr": "j", "en": "d"}

# Column-name conventions of the catalog (queries/*.sql), used to pick a table format per column.
_MONEY_WORDS = ("REVENUE", "AMOUNT", "VALUE", "BASKET", "MONETARY", "PRICE", "LOSS", "CONTRIBUTION", "PAID")
_MONEY_EXCLUDED = ("_PCT", "_SHARE", "_RANK", "_COUNT")


def locale_for(lang: str) -> Locale:
    """The Babel locale of a console language (French for an unknown one)."""
    return _locale(_LOCALES.get(lang, _LOCALES["fr"]))


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def is_missing(value: Any) -> bool:
    """``None``, NaN, NaT or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars are not "missing"
        return False


@cache
def _pattern(kind: str, lang: str, decimals: int) -> numbers.NumberPattern:
    """The locale's standard decimal / percent / currency pattern with exactly ``decimals`` digits."""
    locale = locale_for(lang)
    base = {
        "decimal": locale.decimal_formats[None],
        "percent": locale.percent_formats[None],
        "currency": locale.currency_formats["standard"],
    }[kind]
    pattern = numbers.parse_pattern(base.pattern)
    pattern.frac_prec = (decimals, decimals)
    return pattern


def _rounded(value: Any, decimals: int) -> Decimal:
    # Amounts are rounded half up, as on an invoice (Decimal avoids 2.675 -> 2.67 float surprises)
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def number(value: Any, lang: str = "fr", decimals: int = 0) -> str:
    """``1 234`` / ``1,234`` (``decimals`` digits after the separator)."""
    if is_missing(value):
        return MISSING
    return _pattern("decimal", lang, decimals).apply(_rounded(value, decimals), locale_for(lang))


def euros(value: Any, lang: str = "fr", decimals: int = 2) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English; negative amounts keep their sign in front."""
    if is_missing(value):
        return MISSING
    return _pattern("currency", lang, decimals).apply(
        _rounded(value, decimals), locale_for(lang), currency="EUR", currency_digits=False
    )


def percent(value: Any, lang: str = "fr", decimals: int = 1, signed: bool = False) -> str:
    """A value already in percent (``12.5`` → ``12,5 %``); ``signed`` adds ``+`` to positive values."""
    if is_missing(value):
        return MISSING
    ratio = _rounded(value, decimals) / 100
    text = _pattern("percent", lang, decimals).apply(ratio, locale_for(lang))
    if signed and ratio > 0:
        text = numbers.get_plus_sign_symbol(locale_for(lang)) + text
    return text


def separators(lang: str) -> str:
    """Plotly's ``separators``: the decimal then the grouping character of the language."""
    locale = locale_for(lang)
    return numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale)


def currency_affixes(lang: str) -> tuple[str, str]:
    """``(prefix, suffix)`` around an amount in euros: ``("", " €")`` in French, ``("€", "")`` in English."""
    return _affixes(euros(1, lang, decimals=0), number(1, lang))


def percent_affixes(lang: str) -> tuple[str, str]:
    """``(prefix, suffix)`` around a percentage: ``("", " %")`` in French, ``("", "%")`` in English."""
    return _affixes(percent(1, lang, decimals=0), number(1, lang))


def _affixes(text: str, body: str) -> tuple[str, str]:
    start = text.index(body)
    return text[:start], text[start + len(body) :]


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


def _format(moment: dt.datetime, pattern: str, lang: str) -> str:
    return dates.format_datetime(moment, pattern, locale=locale_for(lang))


def datetime(value: Any, lang: str = "fr", seconds: bool = False) -> str:
    """``25/11/2026 14:03`` / ``2026-11-25 14:03`` (UTC, as stored)."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING
    clock = "HH:mm:ss" if seconds else "HH:mm"
    return _format(moment, f"{_DATE_PATTERNS.get(lang, _DATE_PATTERNS['fr'])} {clock}", lang)


def moment(value: Any, lang: str = "fr", now: dt.datetime | None = None) -> str:
    """A short timestamp for a narrow tile: ``14:03`` today, ``25/11 14:03`` this year, else the date."""
    when = _as_datetime(value)
    if when is None:
        return MISSING
    today = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).date()
    if when.date() == today:
        return _format(when, "HH:mm", lang)
    if when.year == today.year:
        return _format(when, "dd/MM HH:mm" if lang == "fr" else "MM-dd HH:mm", lang)
    return date(when, lang)


def day_time(value: Any, lang: str = "fr") -> str:
    """A day and a time, short enough for a tile: ``2 déc. 20:22`` / ``2 Dec 20:22`` (the year when not this
    one: ``2 déc. 2025``)."""
    when = _as_datetime(value)
    if when is None:
        return MISSING
    if when.year != dt.datetime.now(dt.UTC).year:
        return _format(when, "d MMM y", lang)
    return _format(when, "d MMM HH:mm", lang)


def date(value: Any, lang: str = "fr") -> str:
    """``25/11/2026`` / ``2026-11-25``."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING
    return _format(moment, _DATE_PATTERNS.get(lang, _DATE_PATTERNS["fr"]), lang)


def month(value: Any, lang: str = "fr") -> str:
    """A calendar month in words: ``nov. 2026`` / ``Nov 2026``."""
    moment = _as_datetime(value)
    if moment is None:
        return MISSING
    return dates.format_skeleton("yMMM", moment, locale=locale_for(lang))


def duration(seconds: Any, lang: str = "fr") -> str:
    """A short human duration: ``0 s``, ``0,4 s``, ``42 s``, ``2 min``, ``3 min 05 s``, ``2 h 07 min``,
    ``3 j 4 h`` (``3 d 4 h`` in English)."""
    if is_missing(seconds):
        return MISSING
    total = float(seconds)
    if not math.isfinite(total):
        return MISSING
    sign = numbers.get_minus_sign_symbol(locale_for(lang)) if total < 0 else ""
    total = abs(total)
    if total == 0:
        return f"0{NBSP}s"
    if total < 10:
        return f"{sign}{number(total, lang, decimals=1)}{NBSP}s"
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
    day_unit = _DAY_UNIT.get(lang, _DAY_UNIT["fr"])
    return f"{sign}{number(days, lang)}{NBSP}{day_unit}" + (f" {hours}{NBSP}h" if hours else "")


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


def _is_date_only(series: pd.Series) -> bool:
    values = series.dropna()
    return not values.empty and bool((values == values.dt.normalize()).all())


def _decimals(series: pd.Series) -> int:
    """Digits a column of plain numbers needs: none for whole numbers, two for small ratios, else one."""
    values = pd.to_numeric(series, errors="coerce").dropna().astype(float)
    if values.empty or bool((values == values.round()).all()):
        return 0
    return 2 if float(values.abs().max()) < 10 else 1


def cell_formatter(column: str, series: pd.Series, lang: str) -> Callable[[Any], str]:
    """How each value of ``column`` reads in a table cell, in ``lang``: euros, percents, durations, grouped
    numbers, dates, and codes as their label; a missing value is an em dash. The figures are unchanged."""
    kind = column_kind(column)
    if pd.api.types.is_datetime64_any_dtype(series):
        if _is_date_only(series):
            values = series.dropna()
            if bool((values.dt.day == 1).all()) and values.dt.month.nunique() > 1:
                return lambda value: month(value, lang)  # calendar months: "nov. 2026"
            return lambda value: date(value, lang)
        years = series.dropna().dt.year
        if not years.empty and bool((years == dt.datetime.now(dt.UTC).year).all()):
            return lambda value: day_time(
                value, lang
            )  # this year's moments: "3 déc. 10:22", the year goes without saying
        return lambda value: datetime(value, lang)
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return lambda value: MISSING if is_missing(value) else str(code_label(column, value, lang))
    if kind == "money":
        return lambda value: euros(value, lang)
    if kind == "percent":
        return lambda value: percent(value, lang)
    if kind == "share":
        return lambda value: MISSING if is_missing(value) else percent(float(value) * 100, lang)
    if kind == "seconds":
        return lambda value: duration(value, lang)
    digits = 0 if kind in ("count", "stock") else _decimals(series)
    return lambda value: number(value, lang, decimals=digits)


def display_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every cell of ``frame`` as the console shows it (strings), for tests and for text exports."""
    return pd.DataFrame(
        {column: frame[column].map(cell_formatter(column, frame[column], lang)) for column in frame.columns},
        index=frame.index,
    )


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """A CSV that the viewer's spreadsheet opens as numbers: in French ``;`` between fields and a decimal
    comma (with a BOM, so that Excel reads UTF-8); in English ``,`` and a decimal point. Values stay raw
    (no grouping, no currency sign), column names stay the catalog's."""
    buffer = io.StringIO()
    if lang == "fr":
        frame.to_csv(buffer, index=False, sep=";", decimal=",")
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
