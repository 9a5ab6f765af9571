"""Fixtures for the service tests (pure Python, no Streamlit): small local warehouses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caves.deploy import deploy
from caves.runtime import LocalRuntime
from caves.settings import LocalSettings
from caves.warehouse.local import LocalWarehouse


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
