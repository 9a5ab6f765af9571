"""Bind values as the connector sends them (``bindings`` of a query-request) back into Python values.

snowflake-connector-python (qmark/numeric paramstyle) sends ``{"1": {"type": "FIXED", "value": "10"}, ...}``;
``executemany`` sends one list of values per position (array binding). The value texts are those of its
``SnowflakeConverter._*_to_snowflake_bindings``: integers and decimals as text, DATE as epoch milliseconds, TIME and
TIMESTAMP_* as epoch nanoseconds (TIMESTAMP_TZ followed by the offset in minutes plus 1440), BINARY as hex.
Decoding uses integer arithmetic only (no float round trip through seconds).
"""

from __future__ import annotations

import binascii
import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from typing import Any

EPOCH = dt.datetime(1970, 1, 1)


class BindError(ValueError):
    """A binding the server cannot read (its code and SQLSTATE are Snowflake's for a bad bind value)."""

    errno = 2_049
    sqlstate = "22000"


def _fixed(text: str) -> int | decimal.Decimal:
    try:
        return int(text)
    except ValueError:
        return decimal.Decimal(text)  # a Decimal parameter is sent as FIXED with its digits


def _ntz(text: str) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=int(text) // 1000)


def _ltz(text: str) -> dt.datetime:
    return _ntz(text).replace(tzinfo=dt.UTC)


def _tz(text: str) -> dt.datetime:
    nanos, _, offset = text.strip().partition(" ")
    at = _ltz(nanos)
    if not offset:
        return at
    return at.astimezone(dt.timezone(dt.timedelta(minutes=int(offset) - 1440)))


def _date(text: str) -> dt.date:
    value = int(text)
    # bulk inserts send nanoseconds for dates far from the epoch (connector: _date_to_..._in_bulk_insertion)
    unit = (
        dt.timedelta(microseconds=value // 1000)
        if abs(value) > 31_536_000_000_000
        else dt.timedelta(milliseconds=value)
    )
    return (EPOCH + unit).date()


def _time(text: str) -> dt.time:
    micros = int(text) // 1000
    return (EPOCH + dt.timedelta(microseconds=micros)).time()


def _boolean(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "t", "yes", "y", "on")


_DECODERS: dict[str, Callable[[str], Any]] = {
    "FIXED": _fixed,
    "REAL": float,
    "TEXT": str,
    "BOOLEAN": _boolean,
    "DATE": _date,
    "TIME": _time,
    "TIMESTAMP_NTZ": _ntz,
    "TIMESTAMP_LTZ": _ltz,
    "TIMESTAMP_TZ": _tz,
    "BINARY": binascii.unhexlify,
}


def decode(snowflake_type: str, value: Any) -> Any:
    """One bound value: ``None`` stays NULL; an unknown type (ANY, VARIANT...) is passed as its text."""
    if value is None:
        return None
    decoder = _DECODERS.get(str(snowflake_type).upper(), str)
    try:
        return decoder(value) if isinstance(value, str) else value
    except (ValueError, ArithmeticError, binascii.Error) as exc:
        raise BindError(f"Bind variable of type {snowflake_type} cannot be read: {value!r} ({exc})") from None


def positional(bindings: Mapping[str, Mapping[str, Any]] | None) -> tuple[list[Any] | None, list[list[Any]] | None]:
    """``(params, rows)``: the values of a single execution, or the rows of an array binding (executemany).

    Positions are ``"1"``, ``"2"``...; named bindings are refused (the engine binds by position).
    """
    if not bindings:
        return None, None
    if not all(str(key).isdigit() for key in bindings):
        raise BindError("Named bind variables are not supported by the local engine: bind by position (? or :1).")
    ordered = [bindings[key] for key in sorted(bindings, key=int)]
    if any(isinstance(b.get("value"), list) for b in ordered):
        columns = [[decode(b.get("type", "TEXT"), v) for v in b.get("value") or []] for b in ordered]
        lengths = {len(c) for c in columns}
        if len(lengths) != 1:
            raise BindError("Array bind variables have different lengths.")
        return None, [list(row) for row in zip(*columns, strict=True)]
    return [decode(b.get("type", "TEXT"), b.get("value")) for b in ordered], None
