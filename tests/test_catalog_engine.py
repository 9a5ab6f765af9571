"""Every packaged catalog query runs on the local engine and returns exactly its declared columns.

One local warehouse is built per session through the CLI, the way ops and CI build one: ``caves simulate``
(30 days of shop traffic with redeliveries and broken messages) → ``caves init`` → ``caves ingest`` →
``caves pipeline run --until-idle``. Then each query of ``load_catalog()`` is bound with its default
parameters (and, when it has parameters, once more with non-default valid values) and run through
``LocalWarehouse.query``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from pipeline.helpers import DB, caves

from caves.catalog import Parameter, Query, load_catalog
from caves.warehouse.local import LocalWarehouse

logging.getLogger("sqlglot").setLevel(logging.ERROR)

CATALOG = load_catalog()
QUERY_IDS = CATALOG.ids()
PARAMETRISED_IDS = [q.id for q in CATALOG if q.parameters]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> LocalWarehouse:
    """A local warehouse fed with 30 simulated days (noise included) and run through the pipeline until idle."""
    root = tmp_path_factory.mktemp("catalog_engine")
    events = root / "events.jsonl"
    db = root / "warehouse.duckdb"
    caves(
        "simulate", "--days", "30", "--orders-per-day", "80", "--seed", "3", "--broken-rate", "0.02",
        "--redelivery-rate", "0.02", "--output", str(events), db=None,
    )  # fmt: skip
    caves("init", db=db)
    caves("ingest", str(events), db=db)
    caves("pipeline", "run", "--until-idle", db=db)
    wh = LocalWarehouse(db)
    # the data really reached PRODUCTION: otherwise "no error" would prove little
    counts = wh.query(
        f"select (select count(*) from {DB}.PRODUCTION.ORDERS) as O, "
        f"(select count(*) from {DB}.PRODUCTION.INVENTORY_CURRENT) as I, "
        f"(select count(*) from {DB}.STAGING.REJECTED_EVENTS) as R"
    )
    assert int(counts["O"][0]) > 1000 and int(counts["I"][0]) > 0 and int(counts["R"][0]) > 0, counts
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def sample_ids(warehouse) -> dict[str, str]:
    """Real ids and a real name fragment from the data, for string parameters."""
    row = warehouse.query(
        f"select min(CUSTOMER_ID) as C, min(PRODUCT_ID) as P, min(PRODUCT_NAME) as N from {DB}.PRODUCTION.ORDERS"
    ).iloc[0]
    return {"customer_id": str(row["C"]), "product_id": str(row["P"]), "search": str(row["N"])[:5]}


def non_default(p: Parameter, samples: dict[str, str]) -> Any:
    """A valid value for ``p`` that differs from its default."""
    default = p.default_value()
    if p.type == "integer":
        high = p.max if p.max is not None else default * 2 + 1
        low = p.min if p.min is not None else default - 1
        candidate = default * 2 if default * 2 <= high and default * 2 != default else default + 1
        if candidate > high:
            candidate = default - 1
        assert low <= candidate <= high
        return candidate
    if p.type == "number":
        candidate = default / 2 if default else 1.5
        if p.max is not None and candidate > p.max:
            candidate = (p.min + default) / 2
        return candidate
    if p.type == "boolean":
        return not default
    if p.type == "enum":
        return next(c for c in reversed(p.choices) if c != default)
    if p.type == "date":
        return default - dt.timedelta(days=1)
    if p.type == "string":
        if p.name in samples:
            return samples[p.name]
        return samples["search"]
    raise AssertionError(f"no non-default value known for type {p.type}")


def run(warehouse: LocalWarehouse, query: Query, values: dict[str, Any] | None = None):
    sql, params = query.bind(values)
    return warehouse.query(sql, params)


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_query_runs_with_defaults_and_returns_declared_columns(warehouse, query_id):
    """Rule: every catalog query runs with its default parameters and its result's columns are exactly
    ``query.columns`` — same names, same order."""
    query = CATALOG.get(query_id)
    frame = run(warehouse, query)
    assert list(frame.columns) == list(query.columns)


@pytest.mark.parametrize("query_id", PARAMETRISED_IDS)
def test_query_runs_with_non_default_parameters(warehouse, sample_ids, query_id):
    """Rule: a query with parameters also runs with non-default valid values for all of them, and still returns
    exactly ``query.columns``."""
    query = CATALOG.get(query_id)
    values = {p.name: non_default(p, sample_ids) for p in query.parameters}
    for p in query.parameters:
        assert p.coerce(values[p.name]) != p.default_value(), (p.name, values[p.name])
    frame = run(warehouse, query, values)
    assert list(frame.columns) == list(query.columns), values


def test_catalog_has_queries():
    """Rule: the parametrisation above is not vacuous — the catalog holds the 50+ queries DESIGN.md promises."""
    assert len(QUERY_IDS) >= 50
    assert PARAMETRISED_IDS
