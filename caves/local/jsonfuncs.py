"""Snowflake's PARSE_JSON rules that DuckDB's JSON type does not apply: duplicate keys, blank input, exponents.

Snowflake (https://docs.snowflake.com/en/sql-reference/functions/parse_json, .../try_parse_json):

* ``PARSE_JSON(expr [, 'parameter'])``: by default (``'s'``, strict) an object holding the same key twice is an
  error; with ``'d'`` duplicates are allowed and "the returned object has a single instance of that key with the
  last value specified for that key".
* ``TRY_PARSE_JSON`` returns NULL where PARSE_JSON would raise an error.
* An empty string, or one of whitespace only, gives NULL (not an error) to both.
* A number written with an exponent (``1.912e2``) is a DOUBLE, other reals a DECIMAL
  (https://docs.snowflake.com/en/sql-reference/functions/typeof); DuckDB's ``json()`` writes both alike.

DuckDB keeps a JSON text as it is (``'{"a": 1, "a": 2}'::JSON`` is valid, and ``->>`` then reads the *first*
value), so the engine checks for duplicate keys with the functions below, registered on every connection
(:func:`register`) and used by the ``SF_*PARSE_JSON*`` macros of ``meta.MACROS_SQL``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
from typing import Any

import duckdb

from .errors import UNSUPPORTED

DUPLICATE_KEY_FUNCTION = "CAVES_JSON_DUPLICATE_KEY"
LAST_WINS_FUNCTION = "CAVES_JSON_LAST_WINS"
SNOWFLAKE_TEXT_FUNCTION = "CAVES_JSON_SNOWFLAKE_TEXT"
TRY_TEXT_FUNCTION = "CAVES_JSON_TRY_TEXT"
TRY_OK_FUNCTION = "CAVES_JSON_TRY_OK"
TRY_TEXT_LAST_WINS_FUNCTION = "CAVES_JSON_TRY_TEXT_D"


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> int:
    if len(pairs) > 1:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return 0  # the value is never used: only the check matters


# strict=False: control characters inside strings are DuckDB's JSON validator's business, not this check's.
_CHECKER = json.JSONDecoder(object_pairs_hook=_no_duplicates, strict=False)


def duplicate_key(text: str | None) -> str | None:
    """The first key found twice in one object of the JSON ``text`` (innermost object first), else None.

    None too when ``text`` is NULL or not JSON at all: whether it parses is decided by DuckDB's validator.
    """
    if text is None:
        return None
    try:
        _CHECKER.decode(text)
    except _Duplicate as dup:
        return dup.key
    except (ValueError, RecursionError):
        return None
    return None


class _Number(str):
    """A number kept as written: resolving duplicates changes nothing else in the text."""


class _Double(_Number):
    """A number written with an exponent: a DOUBLE in Snowflake's VARIANT, shown as Snowflake shows one."""


def _real(text: str) -> _Number:
    return _Double(text) if "e" in text or "E" in text else _Number(text)


_READER = json.JSONDecoder(
    object_pairs_hook=dict,  # dict(pairs): a later value replaces an earlier one, the key keeps its first place
    parse_float=_real,
    parse_int=_Number,
    parse_constant=_Number,
    strict=False,
)


def _write(value: object) -> str:
    if isinstance(value, _Double):
        number = float(value)
        # Snowflake shows a VARIANT DOUBLE as 1.912000000000000e+02 (and TYPEOF sees the exponent).
        return f"{number:.15e}" if math.isfinite(number) else str(value)
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_write(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_write(v) for v in value) + "]"
    return json.dumps(value)  # true, false, null


def last_value_wins(text: str | None) -> str | None:
    """The JSON ``text`` with every duplicate key resolved to its last value (PARSE_JSON's ``'d'``), else None.

    Written compact, as DuckDB's ``json()`` writes it, except numbers: kept as written, and those written with an
    exponent (``1.912e2``, a DOUBLE for Snowflake) in Snowflake's DOUBLE form ``1.912000000000000e+02`` — which
    ``json()`` would turn into ``191.2``, a DECIMAL for TYPEOF. The PARSE_JSON macros use it for such texts.
    """
    if text is None:
        return None
    try:
        return _write(_READER.decode(text))
    except (ValueError, RecursionError):
        return None


class _NotStrict(ValueError):
    """NaN, Infinity, or a number a DOUBLE cannot hold (1e400): not strict JSON, which Snowflake's PARSE_JSON
    refuses (caves/events.py states the same rule for the event contract)."""


LENIENT = UNSUPPORTED + (
    "PARSE_JSON of lenient JSON (such as a trailing comma, which Snowflake reads as an undefined element)"
)


def _no_constant(name: str) -> object:
    raise _NotStrict(name)


def _finite_real(text: str) -> _Number:
    if not math.isfinite(float(text)):
        raise _NotStrict(text)
    return _real(text)


# Reads a strict JSON text (no NaN / Infinity / 1e400), numbers kept as written, a duplicate key's last value.
_STRICT_LAST_WINS = json.JSONDecoder(
    object_pairs_hook=dict, parse_float=_finite_real, parse_int=_Number, parse_constant=_no_constant, strict=False
)


def snowflake_text(text: str | None) -> str | None:
    """A valid JSON text (for DuckDB) as Snowflake's VARIANT shows it: compact, a number with an exponent as a
    DOUBLE, a duplicate key's last value; None when it is not strict JSON (NaN, Infinity, 1e400). DuckDB also
    accepts ``[1,]``, which Snowflake reads as ``[1, undefined]`` (https://docs.snowflake.com/en/sql-reference/
    functions/typeof, row 8): refused (raises, with the engine's refusal text)."""
    if text is None:
        return None
    try:
        return _write(_STRICT_LAST_WINS.decode(text))
    except _NotStrict:
        return None
    except ValueError:
        raise ValueError(f"{LENIENT}: {text[:60]}") from None
    except RecursionError:
        return last_value_wins(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotStrict(text)
    return value


# The duplicate-key check, also refusing NaN / Infinity / 1e400 (DuckDB's parser reads them).
_TRY_CHECKER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_float=_finite_float, parse_constant=_no_constant, strict=False
)


def try_ok(text: str | None) -> bool | None:
    """TRY_PARSE_JSON (strict) of a valid JSON text (for DuckDB) holding nested objects: whether it is strict JSON
    without a duplicate key (no NaN / Infinity / 1e400); a lenient form (``[1,]``) is refused (raises)."""
    if text is None:
        return None
    try:
        _TRY_CHECKER.decode(text)
    except (_Duplicate, _NotStrict):
        return False
    except ValueError:
        raise ValueError(f"{LENIENT}: {text[:60]}") from None
    except RecursionError:
        return duplicate_key(text) is None
    return True


def try_text(text: str | None) -> str | None:
    """TRY_PARSE_JSON (strict) of a valid JSON text (for DuckDB) holding a number with an exponent, NaN, Infinity or
    a lenient form: the text, or None (a duplicate key, NaN / Infinity / 1e400); a lenient form is refused (raises)."""
    return text if text is not None and try_ok(text) else None


def try_text_last_wins(text: str | None) -> str | None:
    """TRY_PARSE_JSON(..., 'd') of such a text: the text (duplicates resolved to their last value), or None."""
    if text is None:
        return None
    if duplicate_key(text) is None:
        return try_text(text)
    return snowflake_text(text)


def register(conn: duckdb.DuckDBPyConnection) -> None:
    """Make the functions callable on ``conn`` and every connection to its database; idempotent.

    A Python function belongs to the connection that registered it but is visible to every connection to the
    same database instance, and calling it after that connection closed crashes the process: a database file
    opened by several engines of one process gets its functions from :func:`attach` instead.
    """
    functions = (
        (DUPLICATE_KEY_FUNCTION, duplicate_key),
        (LAST_WINS_FUNCTION, last_value_wins),
        (SNOWFLAKE_TEXT_FUNCTION, snowflake_text),
        (TRY_TEXT_FUNCTION, try_text),
        (TRY_TEXT_LAST_WINS_FUNCTION, try_text_last_wins),
    )
    for name, fn in functions:
        # already registered on this connection, or on another one to the same database
        with contextlib.suppress(duckdb.NotImplementedException, duckdb.CatalogException):
            conn.create_function(name, fn, ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=False)
    with contextlib.suppress(duckdb.NotImplementedException, duckdb.CatalogException):
        conn.create_function(
            TRY_OK_FUNCTION, try_ok, ["VARCHAR"], "BOOLEAN", null_handling="special", side_effects=False
        )


_keepers_lock = threading.Lock()
_keepers: dict[str, list[Any]] = {}  # database file -> [the connection holding the functions, connections using it]


def attach(conn: duckdb.DuckDBPyConnection, path: str) -> None:
    """Make the functions callable on ``conn``, an engine's connection to ``path``; :func:`detach` when it closes.

    The functions of a file are registered on one extra connection of this process to that file, kept open while
    any engine connection of the process uses the file and closed after the last one.
    """
    if path == ":memory:":
        register(conn)  # an in-memory database is its connection's own
        return
    key = os.path.realpath(path)
    with _keepers_lock:
        entry = _keepers.get(key)
        if entry is None:
            keeper = duckdb.connect(path)  # the same database instance as ``conn`` (same process, same settings)
            register(keeper)
            _keepers[key] = [keeper, 1]
        else:
            entry[1] += 1


def detach(path: str) -> None:
    """An engine connection to ``path`` closed: the last one closes the functions' connection too."""
    if path == ":memory:":
        return
    key = os.path.realpath(path)
    with _keepers_lock:
        entry = _keepers.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] <= 0:
            del _keepers[key]
            with contextlib.suppress(Exception):
                entry[0].close()
