"""Fixtures for the page tests: one seeded local warehouse for the whole session, the app pointed at it.

The warehouse is deployed and fed 14 days x 60 orders/day through the real pipeline once; the scheduler
and the live simulator stay off (``CAVES_BACKGROUND=off``) so the figures do not move while a test
compares what a page shows with what the catalog query returns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from caves.runtime import LocalRuntime  # noqa: E402
from caves.settings import LocalSettings  # noqa: E402
from caves.warehouse.local import LocalWarehouse  # noqa: E402


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A deployed, seeded warehouse file; the app (CAVES_DB) and the tests read the same file."""
    path = tmp_path_factory.mktemp("app") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=14, seed_orders_per_day=60, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    saved = {name: os.environ.get(name) for name in ("CAVES_DB", "CAVES_BACKGROUND")}
    os.environ["CAVES_DB"] = str(path)
    os.environ["CAVES_BACKGROUND"] = "off"
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def warehouse(seeded_db: Path) -> Iterator[LocalWarehouse]:
    """The seeded warehouse, opened by the test itself to compute the expected figures."""
    wh = LocalWarehouse(seeded_db)
    yield wh
    wh.close()
