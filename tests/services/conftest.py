"""Fixtures for the service tests (pure Python, no Streamlit): small local warehouses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from caves.deploy import deploy  # noqa: E402
from caves.runtime import LocalRuntime  # noqa: E402
from caves.settings import LocalSettings  # noqa: E402
from caves.warehouse.local import LocalWarehouse  # noqa: E402


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWarehouse]:
    """Deployed, with 5 days x 40 orders/day pushed through the real pipeline (read-only for the tests)."""
    path = tmp_path_factory.mktemp("services") / "seeded.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=5, seed_orders_per_day=40, live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()
    warehouse = LocalWarehouse(path)
    yield warehouse
    warehouse.close()


@pytest.fixture
def deployed(tmp_path: Path) -> Iterator[LocalWarehouse]:
    """A freshly deployed, empty warehouse with its task graphs started (a test may change it at will)."""
    warehouse = LocalWarehouse(tmp_path / "deployed.duckdb")
    deploy(warehouse, resume_new_graphs=True)
    yield warehouse
    warehouse.close()
