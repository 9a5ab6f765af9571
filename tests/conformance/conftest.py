"""Fixtures of the Snowflake conformance suite (cases.py describes a case)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from caves.local import Engine  # noqa: E402


@pytest.fixture(scope="module")
def engine():
    eng = Engine(":memory:")
    yield eng
    eng.close()


@pytest.fixture
def session(engine):
    """A session on the module's warehouse, in database CONFORMANCE (schema PUBLIC)."""
    with engine.session() as s:
        s.execute("CREATE DATABASE IF NOT EXISTS CONFORMANCE")
        s.execute("USE SCHEMA CONFORMANCE.PUBLIC")
        yield s
