"""Fixtures for the end-to-end pipeline tests (issue 3).

`fresh_db` is a warehouse on which `caves init` has run (deploy_sql/ deployed, graphs started): `init` runs
once per session on a template and each test gets a copy of the file.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from .helpers import caves, copy_warehouse

logging.getLogger("sqlglot").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def initialized_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    out = caves("init", db=path).stdout
    assert "Local warehouse ready" in out
    return path


@pytest.fixture
def fresh_db(tmp_path, initialized_template) -> Path:
    return copy_warehouse(initialized_template, tmp_path / "warehouse.duckdb")


@pytest.fixture(scope="session")
def small_traffic(tmp_path_factory) -> list[str]:
    """Two days of simulated shop traffic with delivery noise (redeliveries, late and broken messages): the lines."""
    path = tmp_path_factory.mktemp("traffic") / "small.jsonl"
    caves(
        "simulate", "--days", "2", "--orders-per-day", "150", "--seed", "4242", "--redelivery-rate", "0.05",
        "--late-rate", "0.2", "--broken-rate", "0.03", "--output", str(path), db=None,
    )  # fmt: skip
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line != ""]
    assert len(lines) > 800
    return lines
