"""Fixtures shared by the tests of deploy_sql/ (test_objects.py, test_dag.py, test_deploy.py,
pipeline/test_cases.py): its statements, its task graph, and local warehouses it is deployed on."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from caves import dag, deploy, objects
from caves.warehouse.local import LocalWarehouse


@pytest.fixture(scope="module")
def statements() -> list[objects.DeployStatement]:
    return objects.load_statements()


@pytest.fixture(scope="module")
def graph() -> dag.TaskGraph:
    return dag.load_task_graph()


@pytest.fixture(scope="module")
def local_warehouse_factory() -> Callable[[], LocalWarehouse]:
    """New in-memory local warehouses with deploy_sql/ deployed and every task resumed."""
    logging.getLogger("sqlglot").setLevel(logging.ERROR)

    def make() -> LocalWarehouse:
        wh = LocalWarehouse(":memory:")
        for sql in deploy.plan_deploy(objects.load_statements(), deploy.read_state(wh), resume_all=True):
            wh.execute(sql)
        return wh

    return make
