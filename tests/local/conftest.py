"""Fixtures for the local engine tests (caves.local, the embedded Snowflake on DuckDB).

Every test here mirrors a Snowflake behaviour written down in
/work/shared/reference/SNOWFLAKE_SEMANTICS.md; each test's docstring names the section.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from caves.local import Engine

REPO_ROOT = Path(__file__).resolve().parents[2]  # for child processes (they get no pytest pythonpath)


class FakeClock:
    """An injectable clock (SNOWFLAKE_SEMANTICS.md §6.10, §6.20): time moves only when a test says so."""

    def __init__(self, start: dt.datetime = dt.datetime(2024, 1, 1, 12, 0, 0)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now = self.now + dt.timedelta(**delta)
        return self.now


@pytest.fixture
def engine():
    """An in-memory warehouse."""
    eng = Engine(":memory:")
    yield eng
    eng.close()


@pytest.fixture
def session(engine):
    """A session whose current database is TESTDB (schema PUBLIC), like after ``CREATE DATABASE``."""
    with engine.session() as s:
        s.execute("CREATE DATABASE TESTDB")
        yield s


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def clocked_engine(clock):
    """An in-memory warehouse driven by a FakeClock (``clocked_engine.clock`` is the same FakeClock)."""
    eng = Engine(":memory:", clock=clock)
    yield eng
    eng.close()


@pytest.fixture
def clocked_session(clocked_engine):
    with clocked_engine.session() as s:
        s.execute("CREATE DATABASE TESTDB")
        yield s


def subprocess_env() -> dict[str, str]:
    """Environment for child Python processes: the repository importable, no stray warehouse setting."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("CAVES_DB", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture
def child_env() -> dict[str, str]:
    return subprocess_env()
