"""PARSE_JSON / TRY_PARSE_JSON on the local engine: duplicate keys, the 'd' parameter, blank input.

Snowflake's rules, from https://docs.snowflake.com/en/sql-reference/functions/parse_json and
https://docs.snowflake.com/en/sql-reference/functions/try_parse_json:

- by default (parameter 's', strict) duplicate keys in a JSON object are not allowed: PARSE_JSON fails;
- with 'd', "the returned object has a single instance of that key with the last value specified for that key";
- TRY_PARSE_JSON returns NULL where PARSE_JSON would fail;
- an empty string, or one of whitespace only, gives NULL rather than an error (to both);
- the parameter is the string constant 'd' or 's'.

DuckDB's JSON type alone keeps both values and reads the *first* one: the engine must not.
"""

from __future__ import annotations

import os

import pytest

from caves.local.errors import SnowflakeError
from caves.local.jsonfuncs import duplicate_key, last_value_wins

DUP = '{"order_status": "confirmed", "qty": 1, "order_status": "cancelled"}'
NESTED_DUP = '{"payload": {"order_status": "confirmed", "order_status": "cancelled"}}'


def one(session, sql: str, params=None):
    return session.execute(sql, params).rows[0][0]


def test_parse_json_refuses_a_duplicate_key(session):
    """Snowflake PARSE_JSON (default 's'): an object with a duplicate key is an error, nested objects included."""
    for text in (DUP, NESTED_DUP, '[1, {"k": 1, "k": 2}]'):
        with pytest.raises(SnowflakeError, match="duplicate field key"):
            session.execute("SELECT PARSE_JSON(?)", [text])
        with pytest.raises(SnowflakeError, match="duplicate field key"):
            session.execute("SELECT PARSE_JSON(?, 's')", [text])


def test_try_parse_json_gives_null_on_a_duplicate_key(session):
    """Snowflake TRY_PARSE_JSON: NULL where PARSE_JSON fails - a duplicate key in strict mode."""
    assert one(session, "SELECT TRY_PARSE_JSON(?) IS NULL", [DUP]) is True
    assert one(session, "SELECT TRY_PARSE_JSON(?) IS NULL", [NESTED_DUP]) is True
    assert one(session, "SELECT TRY_PARSE_JSON(?, 's') IS NULL", [DUP]) is True
    # Same keys in different objects are no duplicate.
    assert one(session, """SELECT TRY_PARSE_JSON('{"a": {"a": 1}, "b": {"a": 2}}'):b.a::INT""") == 2


def test_parameter_d_keeps_the_last_value(session):
    """Snowflake PARSE_JSON(expr, 'd'): one instance of the key, with the last value specified for it."""
    for fn in ("PARSE_JSON", "TRY_PARSE_JSON"):
        assert one(session, f"SELECT {fn}(?, 'd'):order_status::STRING", [DUP]) == "cancelled"
        assert one(session, f"SELECT {fn}(?, 'd'):qty::INT", [DUP]) == 1
        assert one(session, f"SELECT {fn}(?, 'd'):payload.order_status::STRING", [NESTED_DUP]) == "cancelled"
        assert one(session, f"SELECT {fn}(?, 'd')::STRING", [DUP]).count('"order_status"') == 1
    # 'd' does not make an invalid text valid.
    assert one(session, "SELECT TRY_PARSE_JSON('{\"a\": 1, \"a\": ', 'd') IS NULL") is True
    # The other values are untouched.
    text = '{"x": 1, "y": 1.50, "z": [true, null], "x": 2}'
    assert one(session, "SELECT PARSE_JSON(?, 'd'):x::INT", [text]) == 2
    assert one(session, "SELECT PARSE_JSON(?, 'd'):y::NUMBER(5, 2)", [text]) == pytest.approx(1.5)
    assert one(session, "SELECT ARRAY_SIZE(PARSE_JSON(?, 'd'):z)", [text]) == 2


def test_blank_text_parses_to_null(session):
    """Snowflake PARSE_JSON: an empty string or whitespace only gives NULL, not an error (TRY_PARSE_JSON too)."""
    for text in ("", "   ", "\t\n"):
        assert one(session, "SELECT PARSE_JSON(?) IS NULL", [text]) is True
        assert one(session, "SELECT TRY_PARSE_JSON(?) IS NULL", [text]) is True
    assert one(session, "SELECT PARSE_JSON(NULL) IS NULL") is True
    # 'null' is a JSON null value, not SQL NULL.
    assert one(session, "SELECT PARSE_JSON('null') IS NULL") is False


def test_unknown_parameter_is_refused(session):
    """Snowflake PARSE_JSON: the parameter is 'd' or 's'; the engine refuses anything else rather than ignore it."""
    with pytest.raises(SnowflakeError, match="expected 'd' or 's'"):
        session.execute("SELECT PARSE_JSON('{}', 'x')")
    with pytest.raises(SnowflakeError, match="expected 'd' or 's'"):
        session.execute("SELECT TRY_PARSE_JSON('{}', 'strict')")
    with pytest.raises(SnowflakeError, match="expected 'd' or 's'"):
        session.execute("SELECT PARSE_JSON('{}', 'D')")  # the documented values are lower case


def test_duplicate_keys_in_a_stored_variant(session):
    """A VARIANT column loaded with TRY_PARSE_JSON (the consumer's RAW insert) holds NULL for a duplicate key."""
    session.execute("CREATE TABLE T (RAW STRING, V VARIANT)")
    session.executemany("INSERT INTO T SELECT ?, TRY_PARSE_JSON(?)", [(DUP, DUP), ('{"a": 1}', '{"a": 1}')])
    rows = session.execute("SELECT RAW, V IS NULL FROM T ORDER BY RAW").rows
    assert rows == [('{"a": 1}', False), (DUP, True)]


def test_helpers():
    """The engine's helpers: the duplicate key found, and the 'd' form keeping numbers as written."""
    assert duplicate_key(DUP) == "order_status"
    assert duplicate_key('{"a": 1}') is None
    assert duplicate_key("not json") is None
    assert duplicate_key(None) is None
    assert last_value_wins('{"a": 1e2, "b": [true, null, "é"], "a": 0.10}') == '{"a":0.10,"b":[true,null,"é"]}'
    assert last_value_wins("{") is None


def test_two_engines_on_one_file_in_one_process(tmp_path):
    """The duplicate-key check is a Python function registered with DuckDB: an engine closing its file must not take
    it away from another engine of the process on the same file (calling it then crashed the process)."""
    from caves.local import Engine, jsonfuncs

    path = str(tmp_path / "w.duckdb")
    first, second = Engine(path), Engine(path)
    try:
        with first.session() as a, second.session() as b:
            assert a.execute("SELECT TRY_PARSE_JSON(?) IS NULL", [DUP]).rows == [(True,)]
            assert b.execute("SELECT TRY_PARSE_JSON(?) IS NULL", [DUP]).rows == [(True,)]
            a.close()
            first.close()
            assert b.execute("SELECT TRY_PARSE_JSON(?, 'd'):order_status::STRING", [DUP]).rows == [("cancelled",)]
    finally:
        first.close()
        second.close()
    # the functions' own connection closed with the file's last engine connection
    assert os.path.realpath(path) not in jsonfuncs._keepers


def test_exponent_numbers_are_doubles(session):
    """A number written with an exponent is a DOUBLE in Snowflake's VARIANT (TYPEOF's page, '1.912e2'), shown as
    Snowflake shows a DOUBLE; the rest of the text is written compact, numbers as written, strings untouched."""
    assert one(session, "SELECT TYPEOF(PARSE_JSON('1.912e2'))") == "DOUBLE"
    assert one(session, "SELECT PARSE_JSON('1.912e2')") == "1.912000000000000e+02"
    text = '{"a": 1.5E3, "b": [1, 2.50], "c": "x 1e5", "d": {"e": -2e-3}}'
    assert one(session, "SELECT PARSE_JSON(?)", [text]) == (
        '{"a":1.500000000000000e+03,"b":[1,2.50],"c":"x 1e5","d":{"e":-2.000000000000000e-03}}'
    )
    assert last_value_wins('{"a": 1e400}') == '{"a":1e400}'  # not a finite DOUBLE: kept as written
    with pytest.raises(SnowflakeError, match="duplicate field key"):
        session.execute("SELECT PARSE_JSON(?)", ['{"a": 1e2, "a": 2}'])
    assert one(session, "SELECT PARSE_JSON(?, 'd')", ['{"a": 1e2, "a": 2}']) == '{"a":2}'


def test_flat_objects_are_checked_without_python(session):
    """A flat object's duplicate keys are found by DuckDB's json_keys (no Python call); nested ones by Python."""
    assert one(session, "SELECT SF_JSON_MAY_REPEAT_KEY('[1, 2]')") is False
    assert one(session, """SELECT SF_JSON_MAY_REPEAT_KEY('{"a": 1, "b": [2]}')""") is False
    assert one(session, """SELECT SF_JSON_MAY_REPEAT_KEY('{"a": 1, "a": 2}')""") is True
    assert one(session, """SELECT SF_JSON_MAY_REPEAT_KEY('{"a": {"b": 1}}')""") is True
    assert one(session, """SELECT TRY_PARSE_JSON('{"a": 1, "a": 2}') IS NULL""") is True


def test_lenient_json_is_refused_and_non_strict_numbers_are_no_json(session):
    """DuckDB accepts what Snowflake reads otherwise: a trailing comma (Snowflake keeps an undefined element, TYPEOF's
    page row 8) is refused; NaN / Infinity / 1e400 are not strict JSON (caves/events.py, the event contract):
    PARSE_JSON fails, TRY_PARSE_JSON gives NULL. Strings holding such text are untouched."""
    from caves.local.errors import UnsupportedStatement

    for fn in ("PARSE_JSON", "TRY_PARSE_JSON"):
        for text in ("[1,]", '{"a": {"b": [1, 2,]}}', '{"a": 1,}'):
            with pytest.raises(UnsupportedStatement, match="lenient JSON"):
                session.execute(f"SELECT {fn}(?)", [text])
    for text in ('{"event_id": NaN}', '{"x": 1e400}', '{"a": {"b": Infinity}}', "[-Infinity]"):
        with pytest.raises(SnowflakeError, match="Error parsing JSON: not strict JSON"):
            session.execute("SELECT PARSE_JSON(?)", [text])
        assert one(session, "SELECT TRY_PARSE_JSON(?) IS NULL", [text]) is True
        assert one(session, "SELECT TRY_PARSE_JSON(?, 'd') IS NULL", [text]) is True
    assert one(session, "SELECT PARSE_JSON(?):a::STRING", ['{"a": "NaN, Infinity ,]"}']) == "NaN, Infinity ,]"
    assert one(session, "SELECT TRY_PARSE_JSON(?):a.b::INT", ['{"a": {"b": 1}, "c": "x,]"}']) == 1
