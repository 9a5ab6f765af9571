"""Cases of the Snowflake conformance suite: documented examples, run through the engine's Session API as the console runs them.

Each case is Snowflake SQL (setup statements, then the statement checked), the result Snowflake's reference page
documents for it, and that page's URL. A case that the local engine cannot emulate with Snowflake's semantics states
that the engine REFUSES it (``UnsupportedStatement``, SQLSTATE 0A000) — never a different answer.

Values are compared as Snowflake shows them: numbers numerically, dates and timestamps by value, VARIANT / OBJECT /
ARRAY results as JSON (``J(...)``), text exactly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from caves.local.errors import SnowflakeError, UnsupportedStatement


@dataclass(frozen=True)
class J:
    """An expected VARIANT / OBJECT / ARRAY value (compared as JSON, whatever the spacing)."""

    value: Any


@dataclass(frozen=True)
class Case:
    """One documented example: ``sql`` runs after ``setup``; ``rows`` is what the page shows (None: refused)."""

    url: str
    sql: str
    rows: Sequence[Sequence[Any]] | None = None
    setup: Sequence[str] = ()
    columns: Sequence[str] | None = None  # the column names the page shows, when the case checks them
    error: tuple[int, str] | None = None  # (errno, sqlstate) the page documents
    ordered: bool = True
    pick: Sequence[str] | None = None  # compare only these columns (the page shows them; the others vary)
    id: str = field(default="")

    @property
    def refused(self) -> bool:
        return self.rows is None and self.error is None


def ok(url: str, sql: str, *rows: Sequence[Any], setup: Sequence[str] = (), **kw: Any) -> Case:
    return Case(url=url, sql=sql, rows=list(rows), setup=tuple(setup), **kw)


def refused(url: str, sql: str, setup: Sequence[str] = ()) -> Case:
    return Case(url=url, sql=sql, rows=None, setup=tuple(setup))


def fails(url: str, sql: str, errno: int, sqlstate: str, setup: Sequence[str] = ()) -> Case:
    return Case(url=url, sql=sql, error=(errno, sqlstate), setup=tuple(setup))


def ids(cases: Sequence[Case]) -> list[str]:
    return [f"{i:03d}-{' '.join(c.sql.split())[:60]}" for i, c in enumerate(cases)]


def _same_number(actual: Any, expected: Any) -> bool:
    try:
        a, e = float(actual), float(expected)
    except (TypeError, ValueError):
        return False
    return math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9)


def _parse_moment(text: str) -> dt.datetime | dt.date | dt.time | None:
    text = text.strip()
    if len(text) > 6 and text[-5] in "+-" and text[-6] == " ":  # '... -0700' as Snowflake prints offsets
        text = f"{text[:-6]}{text[-5:-2]}:{text[-2:]}"
    if len(text) == 10 and text[4] == "-":
        parse = dt.date.fromisoformat
    elif ":" in text and "-" not in text:
        parse = dt.time.fromisoformat
    else:
        parse = dt.datetime.fromisoformat
    try:
        return parse(text)
    except ValueError:
        return None


def _same_moment(actual: Any, expected: str) -> bool:
    want = _parse_moment(expected)
    if want is None:
        return False
    if isinstance(actual, dt.datetime) and isinstance(want, dt.datetime):
        if (actual.tzinfo is None) != (want.tzinfo is None):
            return actual.replace(tzinfo=None) == want.replace(tzinfo=None)
        return actual == want
    if isinstance(actual, dt.date) and not isinstance(actual, dt.datetime) and type(want) is dt.date:
        return actual == want
    if isinstance(actual, dt.time) and isinstance(want, dt.time):
        return actual == want
    return False


def same_value(actual: Any, expected: Any) -> bool:
    """Whether an engine value is the value the page shows."""
    if isinstance(expected, J):
        try:
            value = json.loads(actual) if isinstance(actual, str) else actual
        except ValueError:
            return False
        return value == expected.value
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual == expected
    if isinstance(expected, (int, float, decimal.Decimal)):
        return _same_number(actual, expected)
    if isinstance(expected, str) and isinstance(actual, (dt.date, dt.time, dt.datetime)):
        return _same_moment(actual, expected)
    if isinstance(expected, str) and isinstance(actual, (int, float, decimal.Decimal)):
        return _same_number(actual, expected)
    return actual == expected


def run_case(session: Any, case: Case) -> None:
    """Run one case and assert the documented outcome."""
    for statement in case.setup:
        session.execute(statement)
    if case.refused:
        with pytest.raises(UnsupportedStatement):
            session.execute(case.sql)
        return
    if case.error is not None:
        with pytest.raises(SnowflakeError) as raised:
            session.execute(case.sql)
        assert (raised.value.errno, raised.value.sqlstate) == case.error, str(raised.value)
        return
    result = session.execute(case.sql)
    if case.columns is not None:
        assert [c.upper() for c in result.columns] == [c.upper() for c in case.columns]
    actual = [tuple(r) for r in result.rows]
    if case.pick is not None:
        index = [[c.upper() for c in result.columns].index(p.upper()) for p in case.pick]
        actual = [tuple(r[i] for i in index) for r in actual]
    expected = [tuple(r) for r in case.rows]
    if not case.ordered:
        actual, expected = sorted(actual, key=repr), sorted(expected, key=repr)
    assert len(actual) == len(expected), f"{actual!r} != {expected!r}"
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want), f"{got!r} != {want!r}"
        for a, e in zip(got, want, strict=True):
            assert same_value(a, e), f"{got!r} != {want!r} (url: {case.url})"
